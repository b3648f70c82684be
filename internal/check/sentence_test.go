package check

import (
	"regexp"
	"testing"
	"time"

	"mamori/internal/catalog"
	"mamori/internal/demo"
	"mamori/internal/i18n"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// rawKey matches a view field's key (log_kinds_collected) or JSON, which a
// finding's sentence must never show.
var rawKey = regexp.MustCompile(`[a-z]+_[a-z_]+|[{}\[\]"]|<no value>|%!|map\[`)

// TestFindingSentences: every automated control of the embedded catalogs
// states its findings in Japanese and English, and each sentence is written
// from the evidence of real findings — those the checks produce on the
// table-test fixture (a failing target for every control) and on the small
// demo — with no missing value, no formatting error and no raw key.
func TestFindingSentences(t *testing.T) {
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	bundle := i18n.MustNew()
	langs := []*i18n.Localizer{bundle.For(i18n.JA), bundle.For(i18n.EN)}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		fixture := storetest.OpenSQLite(t)
		load(t, fixture)
		loadVuln(t, fixture)
		loadCloudLists(t, fixture)
		if _, err := Run(ctx, fixture, cats, Options{Today: "2026-11-01"}); err != nil {
			t.Fatal(err)
		}
		if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatalf("demo: %v", err)
		}
		if _, err := Run(ctx, s, cats, Options{Today: "2026-11-01"}); err != nil {
			t.Fatal(err)
		}
		var findings []store.Finding
		for _, st := range []*store.Store{fixture, s} {
			fs, err := st.Findings(ctx, store.FindingFilter{})
			if err != nil {
				t.Fatal(err)
			}
			findings = append(findings, fs...)
		}
		byControl := map[string][]store.Finding{}
		for _, f := range findings {
			byControl[f.ControlID] = append(byControl[f.ControlID], f)
		}
		for _, c := range cats {
			for _, ctl := range c.Controls {
				if ctl.Manual() {
					continue
				}
				if ctl.Finding == "" || ctl.FindingEN == "" {
					t.Errorf("%s: no sentence template in both languages (finding %q, finding-en %q)", ctl.ID, ctl.Finding, ctl.FindingEN)
					continue
				}
				for _, field := range ctl.Evidence {
					if !ctl.HasFieldLabel(field) {
						t.Errorf("%s: evidence field %s has no label for 未確認", ctl.ID, field)
					}
				}
				fails := 0
				for _, f := range byControl[ctl.ID] {
					if f.Result == store.ResultFail {
						fails++
					}
					for _, l := range langs {
						got, err := ctl.Explain(l, nil, catalog.Finding{Result: f.Result, TargetType: f.TargetType, TargetCode: f.TargetCode, Evidence: f.Evidence})
						if err != nil {
							t.Errorf("%s(%s) in %s: %v (evidence %s)", ctl.ID, f.TargetCode, l.Lang, err, f.Evidence)
							continue
						}
						if m := rawKey.FindString(got); m != "" {
							t.Errorf("%s(%s) in %s = %q: shows %q (evidence %s)", ctl.ID, f.TargetCode, l.Lang, got, m, f.Evidence)
						}
					}
				}
				if fails == 0 {
					t.Errorf("%s: no failing finding to write its sentence from", ctl.ID)
				}
			}
		}
	})
}

// TestFindingSentenceText pins a few sentences: codes are named (the
// clause list's names, the fiscal year), and evidence no template fits is
// a list of fields and values, never JSON.
func TestFindingSentenceText(t *testing.T) {
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	ctl := func(id string) *catalog.Control {
		for _, c := range cats {
			if x := c.Control(id); x != nil {
				return x
			}
		}
		t.Fatalf("no control %s", id)
		return nil
	}
	bundle := i18n.MustNew()
	ja, en := bundle.For(i18n.JA), bundle.For(i18n.EN)
	cases := []struct {
		control string
		l       *i18n.Localizer
		f       catalog.Finding
		want    string
	}{
		{"OUT-01", ja, catalog.Finding{Result: "fail", Evidence: `{"failed":[""],"values":{"kind":"maintenance","missing_spec_items":["V1","V5"]}}`},
			"仕様書に次の項目がありません：情報の目的外利用の禁止、情報セキュリティインシデントへの対処方法"},
		{"OUT-01", en, catalog.Finding{Result: "fail", Evidence: `{"failed":[""],"values":{"kind":"maintenance","missing_spec_items":["V1","V5"]}}`},
			"The specification lacks: No use of the information for other purposes, Incident handling"},
		{"PLN-01", ja, catalog.Finding{Result: "fail", TargetCode: "M03/2025", Evidence: `{"failed":[""],"values":{"is_body":true,"plans":[]}}`},
			"令和7年度（2025年度）の教育実施計画がありません"},
		{"PLN-07", ja, catalog.Finding{Result: "fail", TargetCode: "P21-M0001/2025", Evidence: `{"failed":[""],"values":{"courses_delivered":0,"is_body":true,"training_course_count":2}}`},
			"令和7年度（2025年度）の教育実施計画がありますが、研修2件のうち実施されたものがありません"},
		{"PLN-08", ja, catalog.Finding{Result: "fail", TargetCode: "A05/2025", Evidence: `{"failed":["attendance","comprehension"],"values":{"is_body":true,"training_course_count":1}}`},
			"令和7年度（2025年度）の研修で、受講対象者の受講率・理解度テスト合格率が基準を下回っています"},
		{"PLN-08", en, catalog.Finding{Result: "fail", TargetCode: "A05/2025", Evidence: `{"failed":["comprehension"],"values":{"is_body":true,"training_course_count":1}}`},
			"In FY2025 (Reiwa 7), training comprehension-test pass rate of the people who must attend is below the threshold"},
		{"PLN-08", ja, catalog.Finding{Result: "unknown", TargetCode: "A05/2025", Evidence: `{"failed":["attendance","comprehension"],"missing":["training_courses"],"values":{"training_course_count":1}}`},
			"未確認：次の記録がないため判定できません：受講対象者の記録（受講対象）"},
		{"LOG-02", en, catalog.Finding{Result: "unknown", Evidence: `{"failed":[""],"missing":["last_log_review"],"values":{"log_kinds_collected":["access"]}}`},
			"Unknown: cannot be decided without these records: last log review"},
		// GOV-03 names unconfirmed conditions only when an answer stated one.
		{"GOV-03", ja, catalog.Finding{Result: "fail", TargetCode: "NOUSUI", Evidence: `{"failed":[""],"values":{"unfollowed_surveys":1,"unfollowed_conditions":0}}`},
			"調査の回答1件がフォローアップされていません"},
		{"GOV-03", ja, catalog.Finding{Result: "fail", TargetCode: "KOUROU", Evidence: `{"failed":[""],"values":{"unfollowed_surveys":1,"unfollowed_conditions":1}}`},
			"調査の回答1件がフォローアップされていません（うち回答に付された条件の未確認1件）"},
		{"GOV-03", en, catalog.Finding{Result: "fail", TargetCode: "NOUSUI", Evidence: `{"failed":[""],"values":{"unfollowed_surveys":1,"unfollowed_conditions":0}}`},
			"Survey answers never followed up: 1"},
		// A value the template does not expect: the fields, named.
		{"OUT-01", ja, catalog.Finding{Result: "fail", Evidence: `{"failed":[""],"values":{"kind":"maintenance","missing_spec_items":{"x":1}}}`},
			"種別：保守、仕様書の7事項の記載：（x：1）"},
	}
	for _, c := range cases {
		if got := ctl(c.control).Sentence(c.l, nil, c.f); got != c.want {
			t.Errorf("%s.Sentence(%s, %s) = %q, want %q", c.control, c.l.Lang, c.f.Evidence, got, c.want)
		}
	}
	// Evidence of another shape is not read as if it were a finding's.
	if got, want := ctl("OUT-01").Sentence(en, nil, catalog.Finding{Result: "fail", Evidence: `{"clauses":["T1","V1"],"kind":"maintenance"}`}),
		"clauses: T1, V1; kind: maintenance"; got != want {
		t.Errorf("OUT-01.Sentence(other shape) = %q, want %q", got, want)
	}
	// No control at all (an imported catalog's): the evidence's fields.
	var none *catalog.Control
	if got, want := none.Sentence(ja, nil, catalog.Finding{Result: "fail", Evidence: `{"failed":["a"],"values":{"n":3,"ok":false}}`}), "n：3、ok：いいえ"; got != want {
		t.Errorf("nil.Sentence = %q, want %q", got, want)
	}
}
