package api_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mamori/internal/api"
	"mamori/internal/store/storetest"
)

// apiRoutes reads the route patterns out of the package's source, so a
// route added anywhere is held to the test below without a case of its own.
func apiRoutes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+ /api/v1/[^"]*)"`)
	var out []string
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range re.FindAllStringSubmatch(string(src), -1) {
			out = append(out, m[1])
		}
	}
	slices.Sort(out)
	return out
}

// TestEveryRouteGuarded: every route the API registers is in the OpenAPI
// document, answers 401 without a token, and, when it changes something,
// 403 to a token of the read scope alone, before it reads or writes
// anything.
func TestEveryRouteGuarded(t *testing.T) {
	routes := apiRoutes(t)
	if len(routes) < 20 {
		t.Fatalf("found only %d routes in the source: %v", len(routes), routes)
	}
	doc := string(api.OpenAPI())
	st := storetest.OpenSQLite(t)
	tokens := fixture(t, st)
	h := api.New(st, nil)
	for _, rt := range routes {
		method, pattern, _ := strings.Cut(rt, " ")
		if pattern == "/api/v1/openapi.yaml" {
			continue // the document itself: public, and not a path of its own
		}
		documented := strings.ReplaceAll(strings.TrimPrefix(pattern, "/api/v1"), "...}", "}")
		if !strings.Contains(doc, "\n  "+documented+":") {
			t.Errorf("%s is not in openapi.yaml (as %s)", rt, documented)
		}
		path := regexp.MustCompile(`\{[a-z]+(\.\.\.)?\}`).ReplaceAllString(pattern, "1")
		call := func(token string) int {
			req := httptest.NewRequest(method, path, strings.NewReader("{}"))
			req.Header.Set("Content-Type", "application/json")
			if token != "" {
				req.Header.Set("Authorization", "Bearer "+token)
			}
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			return rec.Code
		}
		if got := call(""); got != http.StatusUnauthorized {
			t.Errorf("%s without a token = %d, want 401", rt, got)
		}
		if got := call("mmr_not-a-token"); got != http.StatusUnauthorized {
			t.Errorf("%s with a forged token = %d, want 401", rt, got)
		}
		if method != http.MethodGet {
			if got := call(tokens["alice"]); got != http.StatusForbidden {
				t.Errorf("%s with a read-only token = %d, want 403", rt, got)
			}
		}
	}
}
