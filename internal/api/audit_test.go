package api_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"mamori/internal/api"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAPIRequestsAudited: each API request that reads data leaves one audit
// entry, with the route, its parameters and the token's id (never the
// token), filed under what the caller sees, so that ministry's auditor
// finds it and another's does not; a whole-government caller's request is
// filed under every organization.
func TestAPIRequestsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tokens := fixture(t, st)
		h := api.New(st, nil)
		get := func(who, path string) int {
			req := httptest.NewRequest("GET", path, nil)
			req.Header.Set("Authorization", "Bearer "+tokens[who])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		if code := get("alice", "/api/v1/systems?q=%E7%94%B2&page=1"); code != 200 {
			t.Fatalf("GET /api/v1/systems = %d", code)
		}
		es, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Actor: "alice", Action: audit.APIRead})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 {
			t.Fatalf("alice's API entries = %+v, want one", es)
		}
		e := es[0]
		if e.Target != "GET /api/v1/systems" || !slices.Equal(e.Orgs, []string{"MIN-A"}) ||
			!strings.Contains(e.Detail, `"token":"`+auth.TokenID(tokens["alice"])+`"`) || !strings.Contains(e.Detail, "page=1") ||
			strings.Contains(e.Detail, tokens["alice"]) {
			t.Errorf("API entry = %+v, want the route, the query, the token's id (not the token), filed under MIN-A", e)
		}
		for _, tc := range []struct {
			orgs []string
			find bool
		}{{[]string{"MIN-A", "A-C"}, true}, {[]string{"MIN-B"}, false}} {
			got, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Action: audit.APIRead, OrgIn: tc.orgs})
			if err != nil {
				t.Fatal(err)
			}
			if (len(got) == 1) != tc.find {
				t.Errorf("auditor of %v finds %d API entries, want found = %v", tc.orgs, len(got), tc.find)
			}
		}
		// dave sees both ministries, the whole government here.
		if code := get("dave", "/api/v1/findings"); code != 200 {
			t.Fatalf("GET /api/v1/findings = %d", code)
		}
		got, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Action: audit.APIRead, OrgIn: []string{"B-C"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 1 || got[0].Actor != "dave" || !slices.Equal(got[0].Orgs, []string{audit.EveryOrg}) {
			t.Errorf("B-C's auditor finds %+v, want dave's request filed under every organization", got)
		}
		// One entry per request, a single record read included.
		if code := get("alice", "/api/v1/systems/SA1"); code != 200 {
			t.Fatalf("GET /api/v1/systems/SA1 = %d", code)
		}
		if n, _ := countAPI(t, st); n != 3 {
			t.Errorf("%d API entries after three requests, want 3", n)
		}
		if res, err := audit.Verify(t.Context(), st); err != nil || !res.Intact() {
			t.Errorf("Verify = %+v, %v", res, err)
		}
	})
}

func countAPI(t *testing.T, st *store.Store) (int, error) {
	_, n, err := st.AuditEntries(t.Context(), store.AuditFilter{Action: audit.APIRead})
	return n, err
}
