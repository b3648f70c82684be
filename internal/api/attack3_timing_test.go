package api_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttackIncidentTimingNoOracle: another ministry's incident answers
// 404 in about the time a missing one does. The missing one returned
// after one query, another ministry's after reading its affected systems
// and organizations too, and incident codes are predictable (org, date,
// number): ministry B could learn on which days ministry A had incidents.
// Found while attacking issue 15.
func TestAttackIncidentTimingNoOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		send := func(token, path string, body string) (time.Duration, int) {
			method := "GET"
			if body != "" {
				method = "POST"
			}
			r := httptest.NewRequest(method, path, strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+tokens[token])
			rec := httptest.NewRecorder()
			t0 := time.Now()
			h.ServeHTTP(rec, r)
			return time.Since(t0), rec.Code
		}
		if _, code := send("abe", "/api/v1/incidents", `{"org_code": "A-C", "class": "malware", "detected_on": "2026-11-30", "system_code": "SA1", "orgs": ["A-C"]}`); code != 201 {
			t.Fatalf("create = %d", code)
		}
		const n = 301
		for try := 0; try < 3; try++ {
			var theirs, none []time.Duration
			for range n {
				d, code := send("kato", "/api/v1/incidents/A-C-IN20261130-1", "")
				theirs = append(theirs, d)
				d2, code2 := send("kato", "/api/v1/incidents/A-C-IN20261130-9", "")
				none = append(none, d2)
				if code != 404 || code2 != 404 {
					t.Fatalf("%d and %d, want 404", code, code2)
				}
			}
			slices.Sort(theirs)
			slices.Sort(none)
			a, b := theirs[n/10], none[n/10]
			if diff := max(a, b) - min(a, b); diff*100 <= max(a, b)*15 {
				break
			} else if try == 2 {
				t.Errorf("another ministry's incident answers in %v, a missing one in %v", a, b)
			}
		}
	})
}

// TestAttackProjectTimingNoOracle: another ministry's project answers 404
// in about the time a missing one does; it used to be read whole (a dozen
// queries) before the scope check. Found while attacking issue 15.
func TestAttackProjectTimingNoOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(mamori.EntityByName("projects"), []mamori.Record{rec("projects", map[string]any{"code": "PB", "org_code": "B-C", "name": "乙事業"})})
		})
		if err != nil {
			t.Fatal(err)
		}
		send := func(path string) (time.Duration, int) {
			r := httptest.NewRequest("GET", path, nil)
			r.Header.Set("Authorization", "Bearer "+tokens["abe"])
			rec := httptest.NewRecorder()
			t0 := time.Now()
			h.ServeHTTP(rec, r)
			return time.Since(t0), rec.Code
		}
		const n = 301
		for try := 0; try < 3; try++ {
			var theirs, none []time.Duration
			for range n {
				d, code := send("/api/v1/projects/PB")
				theirs = append(theirs, d)
				d2, code2 := send("/api/v1/projects/PZ")
				none = append(none, d2)
				if code != 404 || code2 != 404 {
					t.Fatalf("%d and %d, want 404", code, code2)
				}
			}
			slices.Sort(theirs)
			slices.Sort(none)
			a, b := theirs[n/10], none[n/10]
			if diff := max(a, b) - min(a, b); diff*100 <= max(a, b)*15 {
				break
			} else if try == 2 {
				t.Errorf("another ministry's project answers in %v, a missing one in %v", a, b)
			}
		}
	})
}
