package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/auth"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// send makes a request and, when router is set, checks the request and
// the response against the OpenAPI document.
func send(t *testing.T, h http.Handler, router routers.Router, token, method, path, body string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, "http://mamori.test"+path, rd)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if router == nil {
		return rec
	}
	vreq := httptest.NewRequest(method, "http://mamori.test"+path, strings.NewReader(body))
	vreq.Header = req.Header.Clone()
	route, params, err := router.FindRoute(vreq)
	if err != nil {
		t.Fatalf("%s %s is not in openapi.yaml: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: vreq, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes()))}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: response does not match openapi.yaml: %v\n%s", method, path, err, rec.Body.String())
	}
	return rec
}

// writeTokens gives system officers of each ministry a write token and a
// read-only one.
func writeTokens(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	out := map[string]string{}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, u := range []struct{ name, org string }{{"officer-a", "MIN-A"}, {"officer-b", "MIN-B"}} {
		if err := auth.CreateUser(t.Context(), st, auth.NewUser{Name: u.name, Password: "correct horse battery " + u.name,
			Grants: []store.RoleGrant{{Role: string(auth.SystemOfficer), OrgCode: u.org}}}, at); err != nil {
			t.Fatal(err)
		}
		for _, sc := range []string{auth.ScopeWrite, auth.ScopeRead} {
			secret, err := auth.IssueToken(t.Context(), st, u.name, "test "+sc, []string{sc}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			out[u.name+"/"+sc] = secret
		}
	}
	return out
}

func systemBody(name string, extra ...string) string {
	m := map[string]any{"org_code": "A-C", "name": name, "in_register": "はい", "class": "情報システム", "status": "稼働中"}
	for i := 0; i+1 < len(extra); i += 2 {
		m[extra[i]] = extra[i+1]
	}
	b, _ := json.Marshal(m)
	return string(b)
}

func TestRegisterAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		read := fixture(t, st)
		tok := writeTokens(t, st)
		h := api.New(st, nil)
		router := validator(t)
		systems := mamori.EntityByName("systems")
		version := func() string {
			rec, err := st.GetByKey(t.Context(), systems, []any{"SA1"})
			if err != nil {
				t.Fatal(err)
			}
			return register.Version(systems, rec)
		}
		want := func(rec *httptest.ResponseRecorder, code int, what string, has ...string) {
			t.Helper()
			if rec.Code != code {
				t.Errorf("%s = %d, want %d\n%s", what, rec.Code, code, rec.Body.String())
			}
			for _, s := range has {
				if !strings.Contains(rec.Body.String(), s) {
					t.Errorf("%s lacks %q\n%s", what, s, rec.Body.String())
				}
			}
		}

		// Reading, within the scope.
		res := send(t, h, router, read["alice"], "GET", "/api/v1/register/systems", "", nil)
		want(res, 200, "alice's list", `"total": 1`, `"SA1"`)
		if strings.Contains(res.Body.String(), "SB1") {
			t.Errorf("alice's list holds SB1")
		}
		res = send(t, h, router, read["alice"], "GET", "/api/v1/register/components?q=SB1-SV001", "", nil)
		want(res, 200, "alice searching B", `"total": 0`)
		res = send(t, h, router, read["alice"], "GET", "/api/v1/register/systems/SA1", "", nil)
		want(res, 200, "alice's SA1", `"version": "`+version()+`"`)
		if res.Header().Get("ETag") != `"`+version()+`"` {
			t.Errorf("ETag %q", res.Header().Get("ETag"))
		}
		want(send(t, h, router, read["bob"], "GET", "/api/v1/register/systems/SA1", "", nil), 404, "bob's SA1", "not_found")
		want(send(t, h, router, read["bob"], "GET", "/api/v1/register/nothing", "", nil), 404, "unknown entity", "not_found")
		res = send(t, h, router, read["alice"], "GET", "/api/v1/register/organizations", "", nil)
		want(res, 200, "alice's organizations", `"total": 2`, `"A-C"`)
		if strings.Contains(res.Body.String(), "乙") {
			t.Errorf("alice's organizations name ministry B")
		}
		want(send(t, h, router, read["alice"], "GET", "/api/v1/register/organizations/B-C", "", nil), 404, "alice's view of B-C")

		// Writing needs the write scope and an If-Match.
		v1 := version()
		want(send(t, h, router, tok["officer-a/read"], "PUT", "/api/v1/register/systems/SA1", systemBody("x"), map[string]string{"If-Match": `"` + v1 + `"`}), 403, "read-only token", "write scope")
		want(send(t, h, router, read["alice"], "POST", "/api/v1/register/systems", systemBody("x", "code", "SA9"), nil), 403, "viewer's read token")
		want(send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("x"), nil), 428, "no If-Match", "If-Match")
		want(send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("x"), map[string]string{"If-Match": `"v1-stale"`}), 412, "stale If-Match", "conflict")
		if version() != v1 {
			t.Fatal("a refused change changed the record")
		}
		res = send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("新しい名称", "go_live_on", "令和6年4月1日"), map[string]string{"If-Match": `"` + v1 + `"`})
		want(res, 200, "change", `"name": "新しい名称"`, `"go_live_on": "2024-04-01"`)
		v2 := version()
		if v2 == v1 || res.Header().Get("ETag") != `"`+v2+`"` {
			t.Errorf("versions %s → %s, ETag %s", v1, v2, res.Header().Get("ETag"))
		}
		// The same change again against the old version: refused.
		want(send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("二度目"), map[string]string{"If-Match": `"` + v1 + `"`}), 412, "second change against v1", "changed by someone else")
		// A bad value: every problem by field, nothing written.
		res = send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("x", "confidentiality", "9", "go_live_on", "昨日"), map[string]string{"If-Match": v2})
		want(res, 422, "bad values", `"field": "confidentiality"`, `"field": "go_live_on"`)
		want(send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", `[1]`, map[string]string{"If-Match": v2}), 400, "not an object")
		if version() != v2 {
			t.Fatal("a refused change changed the record")
		}
		// Another ministry's record: as missing; moving one's own there: refused.
		want(send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SB1", systemBody("x"), map[string]string{"If-Match": v2}), 404, "A changing SB1")
		want(send(t, h, router, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("x", "org_code", "B-C"), map[string]string{"If-Match": v2}), 422, "moving SA1 to B", `"field": "org_code"`)

		// Create, then again: refused.
		res = send(t, h, router, tok["officer-a/write"], "POST", "/api/v1/register/systems", systemBody("新システム", "code", "SA2"), nil)
		want(res, 201, "create", `"key": [`, `"SA2"`)
		if res.Header().Get("Location") != "/api/v1/register/systems/SA2" {
			t.Errorf("Location %q", res.Header().Get("Location"))
		}
		want(send(t, h, router, tok["officer-a/write"], "POST", "/api/v1/register/systems", systemBody("上書き", "code", "SA2"), nil), 409, "create again", "exists")
		want(send(t, h, router, tok["officer-b/write"], "POST", "/api/v1/register/systems", systemBody("乙から", "code", "SB2"), nil), 422, "B creating in A")
		want(send(t, h, router, tok["officer-a/write"], "POST", "/api/v1/register/cloud_services", `{"code":"CS9","provider":"p","name":"n","ismap_status":"ismap"}`, nil), 403, "shared data")

		// Two clients at once against one version: exactly one wins.
		v3 := version()
		codes := make([]int, 2)
		var wg sync.WaitGroup
		for i := range 2 {
			wg.Go(func() {
				codes[i] = send(t, h, nil, tok["officer-a/write"], "PUT", "/api/v1/register/systems/SA1", systemBody("同時"+string(rune('A'+i))), map[string]string{"If-Match": v3}).Code
			})
		}
		wg.Wait()
		if !(codes[0] == 200 && codes[1] == 412 || codes[0] == 412 && codes[1] == 200) {
			t.Errorf("two concurrent changes answered %v, want one 200 and one 412", codes)
		}

		// A composite key, addressed by its parts.
		res = send(t, h, nil, tok["officer-a/write"], "POST", "/api/v1/register/system_costs", `{"system_code":"SA1","fiscal_year":"令和7年度","kind":"運用経費","amount":"1億円"}`, nil)
		want(res, 201, "create a cost", `"amount": 100000000`)
		loc := res.Header().Get("Location")
		if loc != "/api/v1/register/system_costs/SA1/2025/operation" {
			t.Fatalf("cost at %q", loc)
		}
		res = send(t, h, nil, read["alice"], "GET", loc, "", nil)
		want(res, 200, "the cost")
		want(send(t, h, nil, tok["officer-a/write"], "PUT", loc, `{"amount": 5}`, map[string]string{"If-Match": res.Header().Get("ETag")}), 200, "change the cost", `"amount": 5`)
		want(send(t, h, nil, read["bob"], "GET", loc, "", nil), 404, "bob's view of A's cost")

		// Saves are audited with the API as their way in.
		es, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Target: "register/systems/SA1", Action: "write"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 2 || !strings.Contains(es[0].Detail, `"via":"api"`) || es[0].Actor != "officer-a" {
			t.Errorf("audit entries %+v", es)
		}
	})
}
