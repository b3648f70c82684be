package web_test

import (
	"encoding/csv"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestRegisterFiltersAndSort: each filter and order of the register page
// gives the same systems, in the same order, as the store asked directly,
// on both stores; links keep the filters; bad parameters are refused by name.
func TestRegisterFiltersAndSort(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "all", "ORG-A", "ORG-C")
		codeRE := regexp.MustCompile(`<td class="code"><a href="/systems/([^"]+)">`)
		systems := mamori.EntityByName("systems")
		for _, tc := range []struct {
			url string
			f   store.Filter
		}{
			{"/systems?sort=name", store.Filter{Sort: "name"}},
			{"/systems?sort=name&dir=desc", store.Filter{Sort: "name", Desc: true}},
			{"/systems?dir=desc", store.Filter{Sort: "code", Desc: true}},
			{"/systems?status=planned", store.Filter{Where: map[string]string{"status": "planned"}}},
			{"/systems?in_register=no", store.Filter{Bool: map[string]bool{"in_register": false}}},
			{"/systems?no_system_id=1&sort=org_code", store.Filter{Null: []string{"system_id"}, Sort: "org_code"}},
			{"/systems?class=information_system&page=2", store.Filter{Where: map[string]string{"class": "information_system"}, Offset: 50}},
		} {
			rec := do(h, "GET", tc.url, "", nil)
			if rec.Code != 200 {
				t.Errorf("GET %s = %d", tc.url, rec.Code)
				continue
			}
			tc.f.Limit = 50
			want, total, err := s.Find(t.Context(), systems, tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var wantCodes []string
			for _, r := range want {
				wantCodes = append(wantCodes, r[systems.FieldIndex("code")].(string))
			}
			var got []string
			for _, m := range codeRE.FindAllStringSubmatch(rec.Body.String(), -1) {
				code, err := url.PathUnescape(m[1])
				if err != nil {
					t.Fatal(err)
				}
				got = append(got, code)
			}
			if !slices.Equal(got, wantCodes) {
				t.Errorf("GET %s: codes %v, want %v", tc.url, got, wantCodes)
			}
			if total == 0 || len(wantCodes) == 0 {
				t.Errorf("GET %s: the fixture has no such systems, so the case proves nothing", tc.url)
			}
		}
		// Paging keeps the filter and order.
		body := do(h, "GET", "/systems?class=information_system&sort=name", "", nil).Body.String()
		if !strings.Contains(body, `href="/systems?class=information_system&amp;page=2&amp;sort=name"`) {
			t.Errorf("next-page link lost the filter or order")
		}
		for _, bad := range []string{"/systems?sort=password", "/systems?status=nope", "/systems?dir=up", "/systems?in_register=maybe"} {
			rec := do(h, "GET", bad, "", nil)
			if rec.Code != 400 {
				t.Errorf("GET %s = %d, want 400", bad, rec.Code)
			}
		}
		en := do(h, "GET", "/systems?lang=en", "", nil).Body.String()
		for _, want := range []string{"System register", "Organization", `lang="en"`} {
			if !strings.Contains(en, want) {
				t.Errorf("English register lacks %q", want)
			}
		}
	})
}

// TestSystemsCSV: the CSV export holds the filtered list within the user's
// organizations only, guards formulas, and is recorded as an export.
func TestSystemsCSV(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	a := signIn(t, s, base, "a", "ORG-A")
	rec := do(a, "GET", "/systems.csv", "", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Type"), "text/csv") {
		t.Fatalf("GET /systems.csv = %d %s", rec.Code, rec.Header().Get("Content-Type"))
	}
	body := rec.Body.String()
	if !strings.Contains(body, "S001") || strings.Contains(body, "S003") || strings.Contains(body, "デジタル庁") {
		t.Errorf("CSV of ORG-A's user has the wrong systems:\n%s", body)
	}
	rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 { // header and ORG-A's two systems
		t.Errorf("CSV has %d records, want 3:\n%s", len(rows), body)
	}
	entries, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Actor: "a", Action: "export"})
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Target != "systems.csv" {
		t.Errorf("export audit entries = %+v", entries)
	}
	page := do(a, "GET", "/systems?status=operating", "", nil).Body.String()
	if !strings.Contains(page, `href="/systems.csv?status=operating"`) {
		t.Errorf("register page lacks the CSV link with its filter")
	}
}

// TestRegisterByVulnerability: the register answers "which of our systems
// have CVE-X" by any identifier of the vulnerability, case-insensitively,
// and only within the user's organizations.
func TestRegisterByVulnerability(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		codeRE := regexp.MustCompile(`<td class="code"><a href="/systems/([^"]+)">`)
		codes := func(h http.Handler, u string) []string {
			t.Helper()
			rec := do(h, "GET", u, "", nil)
			if rec.Code != 200 {
				t.Fatalf("GET %s = %d", u, rec.Code)
			}
			var out []string
			for _, m := range codeRE.FindAllStringSubmatch(rec.Body.String(), -1) {
				out = append(out, m[1])
			}
			return out
		}
		all := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "all", "ORG-A", "ORG-C")
		for _, id := range []string{"CVE-2021-44228", "cve-2021-44228", "GHSA-jfh8-c2jp-5v3q", " GHSA-JFH8-C2JP-5V3Q "} {
			if got := codes(all, "/systems?vuln="+url.QueryEscape(id)); !slices.Equal(got, []string{"S001"}) {
				t.Errorf("vuln=%q: %v, want [S001]", id, got)
			}
		}
		for _, id := range []string{"CVE-2021-4422", "%", "_VE-2021-44228"} {
			if got := codes(all, "/systems?vuln="+url.QueryEscape(id)); len(got) != 0 {
				t.Errorf("vuln=%q: %v, want none (an identifier is matched whole)", id, got)
			}
		}
		// The filter is kept by paging links and the CSV link.
		body := do(all, "GET", "/systems?vuln=CVE-2021-44228", "", nil).Body.String()
		if !strings.Contains(body, `href="/systems.csv?vuln=CVE-2021-44228"`) || !strings.Contains(body, `value="CVE-2021-44228"`) {
			t.Errorf("the CSV link or the form lost the vulnerability filter")
		}
		other := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "other", "ORG-C")
		if got := codes(other, "/systems?vuln=CVE-2021-44228"); len(got) != 0 {
			t.Errorf("another ministry's user sees %v", got)
		}
	})
}
