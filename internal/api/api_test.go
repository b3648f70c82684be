package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/legacy"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func rec(entity string, vals map[string]any) mamori.Record {
	e := mamori.EntityByName(entity)
	r := make(mamori.Record, len(e.Fields))
	for k, v := range vals {
		r[e.FieldIndex(k)] = v
	}
	return r
}

// fixture: two ministries, each with a central office and a system with an
// open finding; a vulnerability on ministry A's system; alice may see
// ministry A, bob ministry B, dave the whole government; carol has a token
// without grants.
func fixture(t *testing.T, st *store.Store) map[string]string {
	t.Helper()
	ctx := t.Context()
	err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		put := func(entity string, rs ...map[string]any) error {
			var recs []mamori.Record
			for _, r := range rs {
				recs = append(recs, rec(entity, r))
			}
			return l.Put(mamori.EntityByName(entity), recs)
		}
		sys := func(code, org, name string) map[string]any {
			return map[string]any{"code": code, "org_code": org, "name": name, "in_register": true, "class": "information_system", "status": "operating"}
		}
		if err := put("organizations",
			map[string]any{"code": "MIN-A", "kind": "ministry", "name": "甲省"},
			map[string]any{"code": "A-C", "parent_code": "MIN-A", "kind": "central", "name": "甲省本省"},
			map[string]any{"code": "MIN-B", "kind": "ministry", "name": "乙省"},
			map[string]any{"code": "B-C", "parent_code": "MIN-B", "kind": "central", "name": "乙省本省"}); err != nil {
			return err
		}
		if err := put("systems", sys("SA1", "A-C", "甲システム"), sys("SB1", "B-C", "乙システム")); err != nil {
			return err
		}
		if err := put("components", map[string]any{"code": "SA1-SV001", "system_code": "SA1", "kind": "server"},
			map[string]any{"code": "SB1-SV001", "system_code": "SB1", "kind": "server"}); err != nil {
			return err
		}
		if err := put("component_software", map[string]any{"component_code": "SA1-SV001", "vendor": "apache", "product": "log4j-core", "version": "2.14.1"},
			map[string]any{"component_code": "SB1-SV001", "vendor": "golang", "product": "github.com/argoproj/argo-cd/v2", "version": "2.10.2"}); err != nil {
			return err
		}
		// Ministry B's match answers to two CVEs and a GO- record (the
		// shape of GO-2024-2652); the search must find it by each, for B only.
		return l.Put(store.VulnMatchesTable, []mamori.Record{
			{store.OwnerComponent, "SA1-SV001", "CVE-2021-44228", "log4j-core 2.14.1",
				"purl", int64(100), "GHSA-jfh8-c2jp-5v3q", nil, "2026-10-01", "2026-11-01", nil, "GHSA-jfh8-c2jp-5v3q"},
			{store.OwnerComponent, "SB1-SV001", "CVE-2024-21652", "github.com/argoproj/argo-cd/v2 v2.10.2",
				"purl", int64(100), "GO-2024-2652", nil, "2026-10-01", "2026-11-01", nil, "CVE-2024-21662 GO-2024-2652 GHSA-x9m5-h8mw-pq5q"}})
	})
	if err != nil {
		t.Fatal(err)
	}
	err = st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		return l.Put(mamori.EntityByName("component_software"), []mamori.Record{rec("component_software",
			map[string]any{"component_code": "SA1-SV001", "vendor": "apache", "product": "log4j-core", "version": "2.14.1"})})
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	err = st.SaveAssessment(ctx, store.Assessment{ID: "A1", StartedAt: at, FinishedAt: at, ReferenceDate: "2026-11-01", Catalogs: "{}", Params: "{}", Scope: "{}"},
		[]store.ControlResult{{ControlID: "REG-03", Fail: 2}}, nil, store.FindingScope{Controls: []string{"REG-03"}},
		[]store.FindingInput{
			{ControlID: "REG-03", TargetType: "system", TargetCode: "SA1", OrgCode: "A-C", Severity: "medium", Evidence: `{"system.system_id":null}`},
			{ControlID: "REG-03", TargetType: "system", TargetCode: "SB1", OrgCode: "B-C", Severity: "medium", Evidence: `{"system.system_id":null}`},
		})
	if err != nil {
		t.Fatal(err)
	}
	tokens := map[string]string{}
	for _, u := range []struct{ name, orgs string }{{"alice", "MIN-A"}, {"bob", "MIN-B"}, {"carol", ""}, {"dave", "MIN-A MIN-B"}} {
		nu := auth.NewUser{Name: u.name, Password: "correct horse battery " + u.name}
		for _, org := range strings.Fields(u.orgs) {
			nu.Grants = append(nu.Grants, store.RoleGrant{Role: "viewer", OrgCode: org})
		}
		if err := auth.CreateUser(ctx, st, nu, at); err != nil {
			t.Fatal(err)
		}
		secret, err := auth.IssueToken(ctx, st, u.name, "test", []string{auth.ScopeRead}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		tokens[u.name] = secret
	}
	return tokens
}

// validator checks every response against the OpenAPI document.
func validator(t *testing.T) routers.Router {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(api.OpenAPI())
	if err != nil {
		t.Fatalf("load openapi.yaml: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapi.yaml is invalid: %v", err)
	}
	doc.Servers = openapi3.Servers{{URL: "http://mamori.test/api/v1"}}
	r, err := legacy.NewRouter(doc)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func get(t *testing.T, h http.Handler, router routers.Router, token, path string) (int, string) {
	t.Helper()
	req := httptest.NewRequest("GET", "http://mamori.test"+path, nil)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	body := rec.Body.String()
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s is not in openapi.yaml: %v", path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes()))}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("GET %s: response does not match openapi.yaml: %v\n%s", path, err, body)
	}
	return rec.Code, body
}

// TestScopedAPI: every route, for every caller: ministry A's user gets no
// byte of ministry B (lists, details, counts, errors), and every response
// matches the OpenAPI document.
func TestScopedAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tokens := fixture(t, st)
		h := api.New(st, nil)
		router := validator(t)
		for _, tc := range []struct {
			who, path  string
			want       int
			has, hasNo []string
		}{
			{"alice", "/api/v1/systems", 200, []string{`"total": 1`, "SA1", "甲システム"}, []string{"SB1", "乙"}},
			{"bob", "/api/v1/systems", 200, []string{`"total": 1`, "SB1"}, []string{"SA1", "甲"}},
			{"carol", "/api/v1/systems", 200, []string{`"total": 0`}, []string{"SA1", "SB1"}},
			{"alice", "/api/v1/systems?org=B-C", 200, []string{`"total": 0`}, []string{"SB1"}},
			{"alice", "/api/v1/systems/SA1", 200, []string{"CVE-2021-44228", "REG-03", "log4j-core 2.14.1"}, nil},
			{"bob", "/api/v1/systems/SA1", 404, []string{"not_found"}, []string{"甲", "CVE", "A-C"}},
			{"bob", "/api/v1/systems/NOPE", 404, []string{"not_found"}, nil},
			{"alice", "/api/v1/findings", 200, []string{`"total": 1`, `"target": "SA1"`}, []string{"SB1", "B-C"}},
			{"bob", "/api/v1/findings?org=A-C", 200, []string{`"total": 0`}, []string{"SA1"}},
			{"carol", "/api/v1/findings", 200, []string{`"total": 0`}, nil},
			{"alice", "/api/v1/findings?status=closed", 400, []string{"invalid"}, nil},
			// Each ministry counts its own one of the two REG-03 findings.
			{"alice", "/api/v1/checks", 200, []string{`"control": "REG-03"`, `"open": 1`, `"central": 1`}, []string{`"open": 2`}},
			{"bob", "/api/v1/checks", 200, []string{`"control": "REG-03"`, `"open": 1`}, []string{`"open": 2`}},
			{"carol", "/api/v1/checks", 200, []string{`"controls": []`}, []string{"REG-03"}},
			{"alice", "/api/v1/report", 403, []string{"forbidden"}, []string{"REG-03"}},
			{"alice", "/api/v1/systems?page=0", 400, []string{"invalid"}, nil},
			{"alice", "/api/v1/vulnerabilities", 200, []string{`"total": 1`, "CVE-2021-44228", `"GHSA-jfh8-c2jp-5v3q"`}, []string{"SB1", "CVE-2024", "argo"}},
			{"alice", "/api/v1/vulnerabilities?id=ghsa-JFH8-c2jp-5v3q", 200, []string{`"total": 1`, "CVE-2021-44228"}, nil},
			{"alice", "/api/v1/vulnerabilities?id=CVE-2024-21662", 200, []string{`"total": 0`}, []string{"SB1", "argo"}},
			{"bob", "/api/v1/vulnerabilities?id=CVE-2024-21662", 200, []string{`"total": 1`, `"vuln": "CVE-2024-21652"`, "SB1"}, []string{"SA1", "44228"}},
			{"bob", "/api/v1/vulnerabilities?id=GO-2024-2652", 200, []string{`"total": 1`, `"vuln": "CVE-2024-21652"`}, nil},
			{"bob", "/api/v1/vulnerabilities?id=CVE-2024-2165", 200, []string{`"total": 0`}, nil},
			{"bob", "/api/v1/vulnerabilities?id=%25", 200, []string{`"total": 0`}, nil},
			{"bob", "/api/v1/vulnerabilities?min_confidence=100", 200, []string{`"total": 1`}, nil},
			{"alice", "/api/v1/vulnerabilities?org=B-C", 404, []string{"not_found"}, []string{"乙", "SB1"}},
			{"alice", "/api/v1/vulnerabilities?org=NOPE", 404, []string{"not_found"}, nil},
			{"alice", "/api/v1/vulnerabilities?min_confidence=101", 400, []string{"invalid"}, nil},
			{"carol", "/api/v1/vulnerabilities", 200, []string{`"total": 0`}, []string{"SA1", "SB1"}},
			// Parameters are bounded, and a refusal names the parameter,
			// never its value.
			{"alice", "/api/v1/systems?q=" + strings.Repeat("x", 201), 400, []string{"invalid", "parameter q is longer than 200"}, []string{"xxxxxxxxxx"}},
			{"alice", "/api/v1/systems?q=" + strings.Repeat("x", 50001), 400, []string{"invalid"}, []string{"xxxxxxxxxx"}},
			{"alice", "/api/v1/systems?q=" + strings.Repeat("甲", 200), 200, []string{`"total": 0`}, nil},
			{"alice", "/api/v1/systems?q=%ff", 400, []string{"not valid UTF-8"}, nil},
			{"alice", "/api/v1/findings?control=REG-03&control=REG-01", 400, []string{"more than once"}, nil},
			{"alice", "/api/v1/vulnerabilities?id=" + strings.Repeat("C", 300), 400, []string{"parameter id is longer"}, []string{"CCCCCCCCCC"}},
			{"alice", "/api/v1/systems/" + strings.Repeat("S", 201), 400, []string{"invalid"}, []string{"SSSSSSSSSS"}},
			// The whole government's list is refused; a vulnerability or an
			// organization narrows it.
			{"dave", "/api/v1/vulnerabilities", 400, []string{"invalid"}, []string{"SA1", "SB1"}},
			{"dave", "/api/v1/vulnerabilities?id=CVE-2024-21662", 200, []string{`"total": 1`, "SB1"}, []string{"SA1"}},
			{"dave", "/api/v1/vulnerabilities?org=MIN-A", 200, []string{`"total": 1`, "SA1"}, []string{"SB1"}},
			{"", "/api/v1/systems", 401, []string{"unauthenticated"}, []string{"SA1"}},
			{"forged", "/api/v1/systems", 401, []string{"unauthenticated"}, []string{"SA1"}},
		} {
			token := tokens[tc.who]
			if tc.who == "forged" {
				token = "mmr_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
			}
			code, body := get(t, h, router, token, tc.path)
			if code != tc.want {
				t.Errorf("%s GET %s = %d, want %d\n%s", tc.who, tc.path, code, tc.want, body)
			}
			for _, s := range tc.has {
				if !strings.Contains(body, s) {
					t.Errorf("%s GET %s lacks %q\n%s", tc.who, tc.path, s, body)
				}
			}
			for _, s := range tc.hasNo {
				if strings.Contains(body, s) {
					t.Errorf("%s GET %s leaks %q\n%s", tc.who, tc.path, s, body)
				}
			}
		}
		// The document itself is served.
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/api/v1/openapi.yaml", nil))
		if rec.Code != 200 || !strings.HasPrefix(rec.Body.String(), "openapi: 3.1.0") {
			t.Errorf("openapi.yaml = %d %q", rec.Code, rec.Body.String()[:min(40, rec.Body.Len())])
		}
		var e struct {
			Error struct{ Code, Message, MessageJA string }
		}
		_, body := get(t, h, router, tokens["bob"], "/api/v1/systems/SA1")
		if err := json.Unmarshal([]byte(body), &e); err != nil || e.Error.Code != "not_found" {
			t.Errorf("error body %q", body)
		}
	})
}
