package web_test

import (
	"fmt"
	"log/slog"
	"regexp"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestJapaneseTypography: where names are listed with their codes, the
// Japanese pages write them as Japanese is written, 「総務省（ORG-A）、
// デジタル庁（ORG-C）」 (full-width brackets, close up, 「、」 between), and
// the English pages as English, "総務省 (ORG-A), デジタル庁 (ORG-C)"; codes
// are kept on one line.
func TestJapaneseTypography(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "boss", "central_admin@ORG-A", "central_admin@ORG-C")
	plainUser(t, s, "tanaka", "system_officer@ORG-B", "viewer@ORG-C")
	for _, c := range []struct {
		target   string
		want     []string
		unwanted []string
	}{
		{"/admin", []string{`管理する組織：総務省（<span class="code">ORG-A</span>）、デジタル庁（<span class="code">ORG-C</span>）`}, []string{" (", ", "}},
		{"/admin?lang=en", []string{`Your organizations: 総務省 (<span class="code">ORG-A</span>), デジタル庁 (<span class="code">ORG-C</span>)`}, []string{"（", "、"}},
		{"/admin/users?q=tanaka", []string{`システム担当 @ 情報流通行政局（<span class="code">ORG-B</span>）`, `閲覧者 @ デジタル庁（<span class="code">ORG-C</span>）`}, []string{" ("}},
		{"/admin/users/tanaka", []string{`<td>情報流通行政局（<span class="code">ORG-B</span>）</td>`}, []string{" ("}},
		{"/admin/users/tanaka?lang=en", []string{`<td>情報流通行政局 (<span class="code">ORG-B</span>)</td>`}, nil},
		{"/dashboard", []string{`>総務省（ORG-A）</option>`, `>情報流通行政局（ORG-B）</option>`}, nil},
		{"/dashboard?lang=en", []string{`>総務省 (ORG-A)</option>`}, []string{"（ORG-"}},
	} {
		rec := do(h, "GET", c.target, "", nil)
		body := rec.Body.String()
		main := body
		if i := strings.Index(body, "<main"); i >= 0 {
			main = body[i:]
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q\n%s", c.target, w, adminClip(main))
			}
		}
		for _, w := range c.unwanted {
			if strings.Contains(main, w) {
				t.Errorf("GET %s: %q in the page's text:\n%s", c.target, w, adminClip(main))
			}
		}
	}
}

// TestDashboardNumbersAndLegend: a ministry's dashboard prints its counts
// with thousands separators, in the chart as in the tables, and its chart's
// legend names only the tiers of government it has (no prefectures, no
// municipalities).
func TestDashboardNumbersAndLegend(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	at := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	var found []store.FindingInput
	for i := range 1234 {
		found = append(found, store.FindingInput{ControlID: "LG-01", TargetType: store.TargetComponent, TargetCode: fmt.Sprintf("X%05d", i),
			OrgCode: "ORG-B", Severity: "high", Evidence: `{"component.second_factor":false}`})
	}
	if err := s.SaveAssessment(t.Context(), store.Assessment{ID: "A2", StartedAt: at, FinishedAt: at, ReferenceDate: "2025-04-01",
		Catalogs: "{}", Params: "{}", Scope: `{"org":"","system":""}`},
		[]store.ControlResult{{ControlID: "LG-01", Fail: 1234}}, nil, store.FindingScope{Controls: []string{"LG-01"}}, found); err != nil {
		t.Fatal(err)
	}
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "ministry", "ORG-A")
	for _, target := range []string{"/dashboard", "/dashboard?lang=en"} {
		body := do(h, "GET", target, "", nil).Body.String()
		svg := body[strings.Index(body, `<svg`):]
		svg = svg[:strings.Index(svg, `</svg>`)]
		for _, want := range []string{`class="value">1,234</text>`, `>1,234</a></td>`} {
			if !strings.Contains(body, want) {
				t.Errorf("GET %s lacks %q", target, want)
			}
		}
		if strings.Contains(svg, ">1234<") || strings.Contains(svg, ": 1234<") {
			t.Errorf("GET %s: a number without separators in the chart:\n%s", target, svg)
		}
		legend := regexp.MustCompile(`class="legend">([^<]*)<`).FindAllStringSubmatch(svg, -1)
		var names []string
		for _, m := range legend {
			names = append(names, m[1])
		}
		if want := map[string]string{"/dashboard": "本府省庁等", "/dashboard?lang=en": "Central offices"}[target]; strings.Join(names, "|") != want {
			t.Errorf("GET %s: legend %q, want only %q", target, names, want)
		}
	}
}

// TestNoBreaksInsideCodes: codes and short labels are never broken across
// lines (「A03-/K0001」, 「未解/決」), and Japanese breaks between phrases:
// the stylesheet says so, and the findings list marks its short labels.
// Identifiers of any length (a purl, a CPE) may wrap, so that a table does
// not grow past the page.
func TestNoBreaksInsideCodes(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "viewer", "ORG-A")
	css := do(h, "GET", cssURL(t, h), "", nil).Body.String()
	for _, want := range []string{"code, .code, .nowrap { white-space: nowrap; }", "html:lang(ja) { word-break: auto-phrase; }"} {
		if !strings.Contains(css, want) {
			t.Errorf("the stylesheet lacks %q", want)
		}
	}
	if !strings.Contains(css, ".code.long { white-space: normal; overflow-wrap: anywhere; }") {
		t.Errorf("the stylesheet lets no long identifier (a purl, a CPE) wrap")
	}
	if body := do(h, "GET", "/systems/S001", "", nil).Body.String(); !strings.Contains(body, `<td class="code long">pkg:maven/`) {
		t.Errorf("GET /systems/S001: a package's purl is not marked as a long code that may wrap")
	}
	body := do(h, "GET", "/findings", "", nil).Body.String()
	for _, want := range []string{`<td class="nowrap">未解決</td>`, `<td class="nowrap">高</td>`, `<td class="code"><a href="/systems/S001">S001</a>`} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /findings lacks %q", want)
		}
	}
}
