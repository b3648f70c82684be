package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"mamori/internal/api"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestCloudListsAPI: everyone reads the lists; only a central
// administrator of the whole government imports, through the body or a
// multipart form; another ministry's administrator, a viewer and a
// read-only token are refused and nothing is stored.
func TestCloudListsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		tokens := fixture(t, st)
		at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
		for _, u := range []struct {
			name string
			orgs []string
		}{{"central", []string{"MIN-A", "MIN-B"}}, {"a-admin", []string{"MIN-A"}}, {"viewer-b", nil}} {
			nu := auth.NewUser{Name: u.name, Password: "correct horse battery " + u.name}
			role := "central_admin"
			if u.orgs == nil {
				role, u.orgs = "viewer", []string{"MIN-B"}
			}
			for _, o := range u.orgs {
				nu.Grants = append(nu.Grants, store.RoleGrant{Role: role, OrgCode: o})
			}
			if err := auth.CreateUser(ctx, st, nu, at); err != nil {
				t.Fatal(err)
			}
			secret, err := auth.IssueToken(ctx, st, u.name, "test", []string{auth.ScopeRead, auth.ScopeWrite}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			tokens[u.name] = secret
		}
		sample, err := os.ReadFile("../../testdata/cloudlists/ismap-sample.csv")
		if err != nil {
			t.Fatal(err)
		}
		h := api.New(st, nil)
		router := validator(t)
		post := func(token, query string, body []byte) (int, string) {
			req := httptest.NewRequest("POST", "http://mamori.test/api/v1/cloud-lists?"+query, bytes.NewReader(body))
			req.Header.Set("Content-Type", "application/octet-stream")
			req.Header.Set("Authorization", "Bearer "+token)
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			route, params, err := router.FindRoute(req)
			if err != nil {
				t.Fatal(err)
			}
			in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
				Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc}}
			if err := openapi3filter.ValidateResponse(context.Background(), &openapi3filter.ResponseValidationInput{RequestValidationInput: in,
				Status: rec.Code, Header: rec.Header(), Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes()))}); err != nil {
				t.Errorf("POST %s: response does not match openapi.yaml: %v", query, err)
			}
			return rec.Code, rec.Body.String()
		}
		q := "kind=ismap&filename=ismap-sample.csv"
		for _, who := range []string{"alice", "a-admin", "viewer-b"} {
			if code, body := post(tokens[who], q, sample); code != http.StatusForbidden {
				t.Errorf("%s imports: %d %s", who, code, body)
			}
		}
		if snaps, _ := st.CloudListSnapshots(ctx); len(snaps) != 0 {
			t.Fatalf("a refused import stored %v", snaps)
		}
		code, body := post(tokens["central"], q, sample)
		var snap api.CloudListSnapshot
		if err := json.Unmarshal([]byte(body), &snap); code != http.StatusCreated || err != nil || snap.AsOf != "2026-10-01" || snap.Entries != 3 {
			t.Fatalf("central imports: %d %s", code, body)
		}
		if code, body := post(tokens["central"], q, sample); code != http.StatusConflict {
			t.Errorf("again: %d %s", code, body)
		}
		bad := bytes.Replace(sample, []byte("2026-09-30"), []byte("いつか"), 1)
		if code, body := post(tokens["central"], q+"&as_of=2026-11-01", bad); code != http.StatusBadRequest || !strings.Contains(body, "row 8, column F") {
			t.Errorf("bad row: %d %s", code, body)
		}
		if code, body := post(tokens["central"], "kind=ismap", sample); code != http.StatusBadRequest || !strings.Contains(body, "filename") {
			t.Errorf("no name: %d %s", code, body)
		}
		for _, who := range []string{"alice", "bob", "central"} {
			if code, body := get(t, h, router, tokens[who], "/api/v1/cloud-lists"); code != 200 || !strings.Contains(body, "ismap-sample.csv") {
				t.Errorf("%s lists: %d %s", who, code, body)
			}
			if code, body := get(t, h, router, tokens[who], snap.URL); code != 200 || !strings.Contains(body, "C22-0104-1") {
				t.Errorf("%s reads the snapshot: %d %s", who, code, body)
			}
		}
		if code, _ := get(t, h, router, tokens["alice"], "/api/v1/cloud-lists/999"); code != 404 {
			t.Errorf("missing snapshot: %d", code)
		}
	})
}
