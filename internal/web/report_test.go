package web_test

import (
	"html"
	"log/slog"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// reportPageLimit bounds the report page on the small demo (156 KB when
// written): the page holds counts by control and tier, so it grows with the
// controls and tiers that have findings, not with the register (national:
// 245 KB, from BenchmarkReportPage; target < 500 KB). The lists it used to
// carry inline made it 1.18 MB at city scale.
const reportPageLimit = 192 << 10

var (
	listLink  = regexp.MustCompile(`<a href="(/report/list\?[^"]+)">([0-9,]+)</a>`)
	listTotal = regexp.MustCompile(`<p class="summary">(?:全|)([0-9,]+)`)
)

// demoReport generates the small demo, checks it, and returns a handler
// with a whole-government viewer's session and the report it serves.
func demoReport(t *testing.T, st *store.Store) (http.Handler, string, *report.Report) {
	t.Helper()
	ctx := t.Context()
	if _, err := demo.Generate(ctx, st, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := check.Run(ctx, st, cats, check.Options{Today: "2026-11-01"}); err != nil {
		t.Fatal(err)
	}
	rep, err := report.Build(ctx, st, cats, report.Options{})
	if err != nil {
		t.Fatal(err)
	}
	// The demo's whole government: a grant on every root organization.
	var grants []string
	if err := st.Dump(ctx, mamori.EntityByName("organizations"), func(r mamori.Record) error {
		if r[mamori.EntityByName("organizations").FieldIndex("parent_code")] == nil {
			grants = append(grants, "viewer@"+r[0].(string))
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	secret := grantedSession(t, st, "reader", grants...)
	return web.New(st, slog.New(slog.DiscardHandler), "test"), secret, rep
}

// TestReportPage: /report is a page of the site (header, navigation,
// language switch, sign-out) in the viewer's language, holds no list
// inline, links every counted number to a paged list with as many rows,
// and offers the standalone bilingual forms as downloads.
func TestReportPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, secret, rep := demoReport(t, st)
		for _, lang := range []string{"ja", "en"} {
			rec := do(h, "GET", "/report?lang="+lang, secret, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET /report?lang=%s = %d\n%s", lang, rec.Code, clipBody(rec.Body.String()))
			}
			body := rec.Body.String()
			for _, want := range []string{`<header class="site-header">`, `<nav class="site-nav"`, `action="/lang"`, `action="/logout"`,
				`<a href="/report" aria-current="page">`, `<html lang="` + lang + `">`, `href="/report.html?assessment=`, `href="/report.md?assessment=`} {
				if !strings.Contains(body, want) {
					t.Errorf("%s: the report page lacks %q", lang, want)
				}
			}
			// In the viewer's language, not both.
			c := rep.Controls[0]
			want, other := c.Sentence, c.SentenceEN
			if lang == "en" {
				want, other = other, want
			}
			if !strings.Contains(body, html.EscapeString(want)) || strings.Contains(body, html.EscapeString(other)) {
				t.Errorf("%s: the page should carry %q and not %q", lang, want, other)
			}
			// No list inline: no unit of any list is on the page.
			if strings.Contains(body, `id="lists"`) || strings.Contains(body, "<h4") {
				t.Errorf("%s: the page carries the lists inline", lang)
			}
			for _, c := range rep.Controls {
				for _, tc := range c.Tiers {
					for _, x := range tc.TargetList {
						if x.Code != x.OrgCode && strings.Contains(body, ">"+html.EscapeString(x.Code)+"<") {
							t.Fatalf("%s: the page lists %s of %s inline", lang, x.Code, c.ID)
						}
					}
				}
			}
			if len(body) > reportPageLimit {
				t.Errorf("%s: the report page is %d bytes, want at most %d", lang, len(body), reportPageLimit)
			}
		}

		// Every number that links leads to a list of as many rows, paged.
		body := do(h, "GET", "/report", secret, nil).Body.String()
		links := listLink.FindAllStringSubmatch(body, -1)
		if len(links) < 2*len(rep.Controls) {
			t.Fatalf("%d numbers link to lists, want at least two per control (%d controls)", len(links), len(rep.Controls))
		}
		paged := false
		for _, m := range links {
			u, number := html.UnescapeString(m[1]), m[2]
			rec := do(h, "GET", u, secret, nil)
			if rec.Code != http.StatusOK {
				t.Fatalf("GET %s = %d\n%s", u, rec.Code, clipBody(rec.Body.String()))
			}
			lb := rec.Body.String()
			got := listTotal.FindStringSubmatch(lb)
			if got == nil || got[1] != number {
				t.Errorf("GET %s: the list counts %v, the report %s", u, got, number)
			}
			if !strings.Contains(lb, `<header class="site-header">`) {
				t.Errorf("GET %s: not inside the site", u)
			}
			if n, _ := strconv.Atoi(strings.ReplaceAll(number, ",", "")); n > 50 {
				paged = true
				if !strings.Contains(lb, `rel="next"`) {
					t.Errorf("GET %s: %d rows and no next page", u, n)
				}
				if rows := strings.Count(lb, "<tr>") - 1; rows != 50 {
					t.Errorf("GET %s: first page shows %d rows, want 50", u, rows)
				}
			}
		}
		if !paged {
			t.Error("no list of the small demo runs to a second page: paging is not exercised")
		}

		// The standalone forms download, bilingual, with the lists.
		rec := do(h, "GET", "/report.html", secret, nil)
		if rec.Code != http.StatusOK || !strings.Contains(rec.Header().Get("Content-Disposition"), "attachment") ||
			!strings.Contains(rec.Body.String(), `<h2 id="lists">`) || !strings.Contains(rec.Body.String(), "Audit report (Board of Audit form)") {
			t.Errorf("GET /report.html = %d %q, want the standalone bilingual document as a download", rec.Code, rec.Header().Get("Content-Disposition"))
		}
		rec = do(h, "GET", "/report.md", secret, nil)
		if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/markdown") ||
			!strings.Contains(rec.Body.String(), rep.Controls[0].Sentence) {
			t.Errorf("GET /report.md = %d %q, want the Markdown report", rec.Code, rec.Header().Get("Content-Type"))
		}
		for _, bad := range []string{"/report/list?control=REG-03&tier=nowhere&what=counted&unit=orgs",
			"/report/list?control=REG-03&tier=all&what=everything&unit=orgs", "/report/list?control=REG-03&tier=all&what=counted&unit=rows"} {
			if rec := do(h, "GET", bad, secret, nil); rec.Code != http.StatusBadRequest {
				t.Errorf("GET %s = %d, want 400", bad, rec.Code)
			}
		}
		if rec := do(h, "GET", "/report/list?control=NO-01&tier=all&what=counted&unit=orgs", secret, nil); rec.Code != http.StatusNotFound {
			t.Errorf("a control the report does not hold = %d, want 404", rec.Code)
		}
	})
}
