package api_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttackTimingNoOracle: another ministry's item answers 404 in about
// the time a missing one does, on every route that names an item: the
// missing one used to skip the scope check (and, for an action, the count
// of evidence), 10 to 50 % quicker, enough to tell which ids exist.
func TestAttackTimingNoOracle(t *testing.T) {
	if testing.Short() {
		t.Skip("timing")
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		send := func(token, method, path, body string) (time.Duration, int) {
			r := httptest.NewRequest(method, path, strings.NewReader(body))
			r.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			t0 := time.Now()
			h.ServeHTTP(rec, r)
			return time.Since(t0), rec.Code
		}
		if _, code := send(tokens["sato"], "POST", "/api/v1/workflows", `{"kind":"remediation","subject":"FND-1","org":"A-C","severity":"low"}`); code != 201 {
			t.Fatalf("create = %d", code)
		}
		for _, c := range []struct{ method, suffix, body string }{
			{"GET", "", ""},
			{"POST", "/transitions", `{"transition":"assign","version":1,"assignee":"kato"}`},
			{"POST", "/comments", `{"comment":"x"}`},
		} {
			// The 10th percentile of interleaved requests, three tries:
			// load on the machine slows both alike, a skipped check
			// always one.
			const n = 301
			var a, b time.Duration
			for try := 0; try < 3; try++ {
				var theirs, none []time.Duration
				for range n {
					d, code := send(tokens["kato"], c.method, "/api/v1/workflows/1"+c.suffix, c.body)
					theirs = append(theirs, d)
					d2, code2 := send(tokens["kato"], c.method, "/api/v1/workflows/999"+c.suffix, c.body)
					none = append(none, d2)
					if code != 404 || code2 != 404 {
						t.Fatalf("%s %s: %d and %d, want 404", c.method, c.suffix, code, code2)
					}
				}
				slices.Sort(theirs)
				slices.Sort(none)
				a, b = theirs[n/10], none[n/10]
				if diff := max(a, b) - min(a, b); diff*100 <= max(a, b)*15 {
					break
				} else if try == 2 {
					t.Errorf("%s %s: another ministry's item answers in %v, a missing one in %v", c.method, c.suffix, a, b)
				}
			}
		}
	})
}
