package report_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func rec(name string, vals map[string]any) mamori.Record {
	e := mamori.EntityByName(name)
	r := make(mamori.Record, len(e.Fields))
	for col, v := range vals {
		i := e.FieldIndex(col)
		if i < 0 {
			panic(name + " has no column " + col)
		}
		r[i] = v
	}
	return r
}

// seed loads a small hand-built register and two assessments: A0 (FY2026,
// 2026-10-01) and A1 (2026-11-01), after which S1's REG-03 finding is
// resolved. The counts the tests expect are worked out in the comments.
func seed(t *testing.T, s *store.Store) {
	t.Helper()
	ctx := t.Context()
	org := func(code, parent, kind, name string, training any) mamori.Record {
		var p any
		if parent != "" {
			p = parent
		}
		return rec("organizations", map[string]any{"code": code, "parent_code": p, "kind": kind, "name": name, "outsourcing_training": training})
	}
	sys := func(code, org, id string) mamori.Record {
		var sid any
		if id != "" {
			sid = id
		}
		return rec("systems", map[string]any{"code": code, "org_code": org, "name": "システム" + code, "system_id": sid,
			"in_register": true, "class": "information_system", "status": "operating"})
	}
	comp := func(code, system string) mamori.Record {
		return rec("components", map[string]any{"code": code, "system_code": system, "kind": "terminal"})
	}
	contract := func(code, org string) mamori.Record {
		return rec("contracts", map[string]any{"code": code, "org_code": org, "kind": "outsourcing", "title": "委託" + code, "vendor": "株式会社テスト"})
	}
	err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		for _, p := range []struct {
			entity string
			recs   []mamori.Record
		}{
			{"organizations", []mamori.Record{
				org("M1", "", "ministry", "テスト省", true),
				org("M1-B1", "M1", "branch", "テスト省東局", nil),
				org("M1-B2", "M1", "branch", "テスト省西局", nil),
				org("M1-C", "M1", "central", "テスト省本省", nil),
				org("P1", "", "prefecture", "テスト県", nil),
				org("C1", "P1", "municipality", "テスト市", false),
				org("A1", "", "agency", "テスト機構", nil),
			}},
			{"systems", []mamori.Record{
				sys("S1", "M1-C", "0001"), sys("S2", "M1-C", ""), sys("S3", "M1-B1", ""),
				sys("S4", "M1-B2", ""), sys("S5", "C1", "0005"), sys("S6", "M1-C", ""),
			}},
			{"components", []mamori.Record{comp("K1", "S5"), comp("K2", "S5"), comp("K3", "S3")}},
			{"contracts", []mamori.Record{contract("T1", "M1-C"), contract("T2", "C1"), contract("T3", "C1")}},
		} {
			if err := l.Put(mamori.EntityByName(p.entity), p.recs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	fail := func(control, typ, code, org string) store.FindingInput {
		return store.FindingInput{ControlID: control, TargetType: typ, TargetCode: code, OrgCode: org, Severity: "medium", Evidence: "{}"}
	}
	fails := []store.FindingInput{
		fail("GOV-06", "organization", "A1", "A1"),
		fail("GOV-06", "organization", "P1", "P1"),
		fail("IAM-05", "component", "K1", "C1"),
		fail("IAM-05", "component", "K2", "C1"),
		fail("IAM-05", "component", "K3", "M1-B1"),
		fail("OUT-01", "contract", "T1", "M1-C"),
		fail("OUT-01", "contract", "T2", "C1"),
		fail("LOG-02", "system", "S1", "M1-C"),
		fail("LOG-02", "system", "S2", "M1-C"),
		fail("REG-03", "system", "S2", "M1-C"),
		fail("REG-03", "system", "S3", "M1-B1"),
		fail("REG-03", "system", "S4", "M1-B2"),
		fail("REG-03", "system", "S6", "M1-C"),
	}
	results := []store.ControlResult{
		{ControlID: "GOV-06", Pass: 3, Fail: 2},
		{ControlID: "IAM-05", Pass: 7, Fail: 3},
		{ControlID: "LOG-02", Pass: 2, Fail: 2},
		{ControlID: "OUT-01", Pass: 1, Fail: 2},
		{ControlID: "REG-03", Pass: 2, Fail: 4},
	}
	scope := store.FindingScope{Controls: []string{"GOV-06", "IAM-05", "LOG-02", "OUT-01", "REG-03"}}
	at := time.Date(2026, 10, 1, 9, 0, 0, 0, time.UTC)
	a0 := store.Assessment{ID: "A0", StartedAt: at, FinishedAt: at, ReferenceDate: "2026-10-01", Catalogs: "{}", Params: "{}", Scope: "{}"}
	r0 := append([]store.ControlResult(nil), results...)
	r0[4] = store.ControlResult{ControlID: "REG-03", Pass: 1, Fail: 5}
	if err := s.SaveAssessment(ctx, a0, r0, nil, scope, append([]store.FindingInput{fail("REG-03", "system", "S1", "M1-C")}, fails...)); err != nil {
		t.Fatal(err)
	}
	at = at.AddDate(0, 1, 0)
	a1 := store.Assessment{ID: "A1", StartedAt: at, FinishedAt: at, ReferenceDate: "2026-11-01", Catalogs: "{}", Params: "{}", Scope: "{}"}
	orgResults := []store.OrgResult{
		{ControlID: "LOG-02", OrgCode: "M1-C", Segment: "with_id", Fail: 1},
		{ControlID: "LOG-02", OrgCode: "M1-C", Segment: "without_id", Fail: 1},
		{ControlID: "LOG-02", OrgCode: "M1-B1", Segment: "without_id", Pass: 1},
		{ControlID: "LOG-02", OrgCode: "C1", Segment: "with_id", Pass: 1},
		{ControlID: "OUT-01", OrgCode: "M1-C", Fail: 1},
		{ControlID: "OUT-01", OrgCode: "C1", Fail: 1, Pass: 1},
		{ControlID: "GOV-06", OrgCode: "A1", Fail: 1},
		{ControlID: "GOV-06", OrgCode: "P1", Fail: 1},
		{ControlID: "GOV-06", OrgCode: "C1", Pass: 1},
		{ControlID: "GOV-06", OrgCode: "M1", Pass: 1},
		{ControlID: "GOV-06", OrgCode: "M1-C", Pass: 1},
	}
	if err := s.SaveAssessment(ctx, a1, results, orgResults, scope, fails); err != nil {
		t.Fatal(err)
	}
	// A later re-check of one system is not what a report is built from.
	at = at.AddDate(0, 0, 7)
	a2 := store.Assessment{ID: "A2-one-system", StartedAt: at, FinishedAt: at, ReferenceDate: "2026-11-08", Catalogs: "{}", Params: "{}",
		Scope: `{"org":"","system":"S1"}`}
	if err := s.SaveAssessment(ctx, a2, []store.ControlResult{{ControlID: "LOG-02", Fail: 1}}, nil, store.FindingScope{Controls: []string{"LOG-02"}, Targets: map[string]bool{"S1": true}},
		[]store.FindingInput{fail("LOG-02", "system", "S1", "M1-C")}); err != nil {
		t.Fatal(err)
	}
}

func builtin(t testing.TB) []*catalog.Catalog {
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	return cats
}

func control(t *testing.T, r *report.Report, id string) report.Control {
	t.Helper()
	for _, c := range r.Controls {
		if c.ID == id {
			return c
		}
	}
	t.Fatalf("report has no control %s", id)
	return report.Control{}
}

// tiers renders a control's tier table as "tier orgs/targets" for comparison.
func tiers(c report.Control) []string {
	var out []string
	for _, t := range c.Tiers {
		out = append(out, t.Tier+" "+itoa(t.Orgs)+"/"+itoa(t.Targets))
	}
	return out
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestTiersAndSentences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		seed(t, s)
		ctx := t.Context()
		r, err := report.Build(ctx, s, builtin(t), report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if r.Assessment != "A1" || r.FiscalYear != 2026 || r.FiscalYearJA != "令和8年度" {
			t.Fatalf("report of %s FY%d %s, want A1, FY2026 令和8年度", r.Assessment, r.FiscalYear, r.FiscalYearJA)
		}
		var ids []string
		for _, c := range r.Controls {
			ids = append(ids, c.ID)
		}
		if diff := cmp.Diff([]string{"GOV-06", "IAM-05", "LOG-02", "OUT-01", "REG-03"}, ids); diff != "" {
			t.Errorf("controls (-want +got):\n%s", diff)
		}
		cases := []struct {
			id        string
			tiers     []string
			orgs, tgt int
			ja, en    string
		}{
			{"REG-03", []string{"central 1/2", "branch 2/2"}, 3, 4,
				"REG-03 情報システムID未付番: 3機関の4システム（本府省庁等 1機関2システム、地方支分部局 2機関2システム）、該当システムの66.7%",
				"REG-03 No SystemID: 4 systems at 3 organizations (central offices: 2 systems at 1 organization; regional branches: 2 systems at 2 organizations), 66.7% of applicable systems"},
			// Three failing components count as the two systems that own them.
			{"IAM-05", []string{"branch 1/1", "municipality 1/1"}, 2, 2,
				"IAM-05 代替パスワードの事前設定: 2機関の2システム（地方支分部局 1機関1システム、市区町村 1機関1システム）、該当構成要素10件中3件（30.0%）", ""},
			{"OUT-01", []string{"central 1/1", "municipality 1/1"}, 2, 2,
				"OUT-01 仕様書7事項の欠落: 2機関の契約2件（本府省庁等 1機関の契約1件、市区町村 1機関の契約1件）、該当契約の66.7%", ""},
			{"GOV-06", []string{"prefecture 1/1", "agency 1/1"}, 2, 2,
				"GOV-06 役割未任命: 2機関（都道府県 1機関、独立行政法人等 1機関）、該当機関の40.0%", ""},
		}
		for _, tc := range cases {
			c := control(t, r, tc.id)
			if diff := cmp.Diff(tc.tiers, tiers(c)); diff != "" {
				t.Errorf("%s tiers (-want +got):\n%s", tc.id, diff)
			}
			if c.Orgs != tc.orgs || c.Targets != tc.tgt {
				t.Errorf("%s totals = %d orgs %d targets, want %d %d", tc.id, c.Orgs, c.Targets, tc.orgs, tc.tgt)
			}
			if c.Sentence != tc.ja {
				t.Errorf("%s sentence\n got %s\nwant %s", tc.id, c.Sentence, tc.ja)
			}
			if tc.en != "" && c.SentenceEN != tc.en {
				t.Errorf("%s English sentence\n got %s\nwant %s", tc.id, c.SentenceEN, tc.en)
			}
		}
		// The list behind 市区町村 1システム of LG-01 is S5, with its two failing terminals.
		lg := control(t, r, "IAM-05")
		want := []report.Target{{Code: "S5", Name: "システムS5", OrgCode: "C1", OrgName: "テスト市", SystemID: "0005", Findings: 2, Result: "fail"}}
		if diff := cmp.Diff(want, lg.Tiers[1].TargetList); diff != "" {
			t.Errorf("IAM-05 municipality list (-want +got):\n%s", diff)
		}
		// OUT-01 by training: T1 at a branch-less central office trained by
		// its ministry M1 (1 of 1 failing); T2, T3 at C1, untrained (1 of 2).
		var got []string
		for _, row := range r.Training.Rows {
			got = append(got, row.Group+" "+itoa(int(row.Failing))+"/"+itoa(int(row.Applicable))+" "+report.Percent(row.Rate))
		}
		if diff := cmp.Diff([]string{"trained 1/1 100.0%", "untrained 1/2 50.0%"}, got); diff != "" {
			t.Errorf("training cross-tab (-want +got):\n%s", diff)
		}
		// SystemID, exact from the per-organization results: LOG-02 fails
		// S1 (with an ID) and S2 (without) and passes S3 (without); S5 is a
		// municipality's, left out since SystemIDs are the national
		// government's. REG-03 is left out too.
		got = nil
		for _, row := range r.SystemID.Rows {
			got = append(got, row.Group+" "+itoa(int(row.Failing))+"/"+itoa(int(row.Applicable))+" "+report.Percent(row.Rate))
		}
		if diff := cmp.Diff([]string{"with 1/1 0.0%", "without 1/2 50.0%"}, got); diff != "" {
			t.Errorf("SystemID cross-tab (-want +got):\n%s", diff)
		}
		// Populations: GOV-06 applies at five organizations, three conform.
		if g := control(t, r, "GOV-06"); g.Applicable.Orgs != 5 || g.Conforming.Orgs != 3 {
			t.Errorf("GOV-06 population %d applicable, %d conforming; want 5, 3", g.Applicable.Orgs, g.Conforming.Orgs)
		}
		// The older assessment still counts S1, resolved since.
		old, err := report.Build(ctx, s, builtin(t), report.Options{AssessmentID: "A0"})
		if err != nil {
			t.Fatal(err)
		}
		if c := control(t, old, "REG-03"); c.Targets != 5 || c.Share != 5.0/6 {
			t.Errorf("A0 REG-03: %d systems, share %v; want 5, 5/6", c.Targets, c.Share)
		}
		// By fiscal year: FY2026 holds both, the latest wins; FY2025 none.
		if r, err := report.Build(ctx, s, builtin(t), report.Options{FiscalYear: 2026}); err != nil || r.Assessment != "A1" {
			t.Errorf("FY2026: %v, %v; want A1", r, err)
		}
		_, err = report.Build(ctx, s, builtin(t), report.Options{FiscalYear: 2025})
		var me *mamori.Error
		if !errors.As(err, &me) || me.Kind != mamori.NotFound || !strings.Contains(err.Error(), "mamori check") ||
			!strings.Contains(me.MessageJA, "令和7年度") {
			t.Errorf("FY2025: %v, want NotFound naming mamori check and 令和7年度", err)
		}
	})
}

func TestNoAssessment(t *testing.T) {
	s := storetest.OpenSQLite(t)
	_, err := report.Build(t.Context(), s, builtin(t), report.Options{})
	var me *mamori.Error
	if !errors.As(err, &me) || me.Kind != mamori.NotFound || !strings.Contains(me.Message, "run mamori check first") {
		t.Fatalf("Build on an empty store = %v, want NotFound: run mamori check first", err)
	}
	if _, err := report.Build(t.Context(), s, builtin(t), report.Options{AssessmentID: "nope"}); err == nil {
		t.Fatal("Build of an unknown assessment succeeded")
	}
}

// TestGolden pins the Markdown and JSON renderings; -update rewrites them.
func TestGolden(t *testing.T) {
	s := storetest.OpenSQLite(t)
	seed(t, s)
	r, err := report.Build(t.Context(), s, builtin(t), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range []struct {
		file   string
		render func(io.Writer) error
	}{{"audit.golden.md", r.Markdown}, {"audit.golden.json", r.JSON}} {
		var buf bytes.Buffer
		if err := g.render(&buf); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("testdata", g.file)
		if *update {
			if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/report -update)", err)
		}
		if diff := cmp.Diff(string(want), buf.String()); diff != "" {
			t.Errorf("%s (-want +got):\n%s", g.file, diff)
		}
	}
}

// checkHTML parses the page as HTML-flavoured XML (void elements closed
// automatically) and checks that every in-page link has its anchor.
func checkHTML(t *testing.T, page []byte) {
	t.Helper()
	d := xml.NewDecoder(bytes.NewReader(page))
	d.Strict, d.AutoClose, d.Entity = false, xml.HTMLAutoClose, xml.HTMLEntity
	ids := map[string]bool{}
	var hrefs []string
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("HTML does not parse: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if se.Name.Local == "script" || se.Name.Local == "link" {
				t.Errorf("HTML has <%s>: the page must be self-contained", se.Name.Local)
			}
			for _, a := range se.Attr {
				switch a.Name.Local {
				case "id":
					if ids[a.Value] {
						t.Errorf("duplicate id %q", a.Value)
					}
					ids[a.Value] = true
				case "href":
					hrefs = append(hrefs, a.Value)
				}
			}
		}
	}
	for _, h := range hrefs {
		if !strings.HasPrefix(h, "#") || !ids[h[1:]] {
			t.Errorf("link %q has no anchor in the page", h)
		}
	}
	if len(hrefs) == 0 {
		t.Error("HTML has no links")
	}
}

var numberLink = regexp.MustCompile(`<td class="n"><a href="#([^"]+)">(\d+)</a>`)

func TestHTML(t *testing.T) {
	s := storetest.OpenSQLite(t)
	seed(t, s)
	r, err := report.Build(t.Context(), s, builtin(t), report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := r.HTML(&buf); err != nil {
		t.Fatal(err)
	}
	checkHTML(t, buf.Bytes())
	// Every number in a tier table links to its list.
	if got := len(numberLink.FindAllSubmatch(buf.Bytes(), -1)); got < 8 {
		t.Errorf("%d linked numbers, want one per tier and total", got)
	}
	if !bytes.Contains(buf.Bytes(), []byte(`id="IAM-05-municipality-targets"`)) {
		t.Error("no list anchor IAM-05-municipality-targets")
	}
}
