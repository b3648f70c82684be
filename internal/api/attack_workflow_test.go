package api_test

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
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

// TestAttackDuplicateKeys: a JSON body naming a field twice is refused,
// not read as its last value: {"org": "MIN-B", "org": "A-C"} is two
// requests in one, and whatever reads the first (a proxy's filter, a
// log) would not see what was done.
func TestAttackDuplicateKeys(t *testing.T) {
	st := storetest.OpenSQLite(t)
	h, tokens := wfFixture(t, st)
	router := validator(t)
	for _, c := range []struct{ path, body, want string }{
		{"/api/v1/workflows", `{"kind": "remediation", "subject": "x", "org": "MIN-B", "org": "A-C", "severity": "low"}`, "org"},
		{"/api/v1/workflows", `{"kind": "remediation", "subject": "x", "org": "A-C", "severity": "low", "details": {"a": "1", "a": "2"}}`, "a"},
		{"/api/v1/workflows", `{"kind": "remediation", "subject": "x", "org": "A-C", "severity": "low", "details": {}, "comment": "a", "Comment": "b"}`, "Comment"},
		{"/api/v1/workflows/1/transitions", `{"transition": "assign", "version": 1, "assignee": "abe", "transition": "close"}`, "transition"},
		{"/api/v1/workflows/1/comments", `{"comment": "a", "comment": "b"}`, "comment"},
	} {
		a := call(t, h, router, tokens["sato"], "POST", c.path, "application/json", []byte(c.body))
		if a.code != 400 || !strings.Contains(a.body, "more than once") || !strings.Contains(a.body, `\"`+c.want+`\"`) {
			t.Errorf("%s %s = %d %s, want 400 naming %s", c.path, c.body, a.code, a.body, c.want)
		}
	}
	if items, _ := st.WorkflowItems(t.Context(), store.WorkflowFilter{}); len(items) != 0 {
		t.Errorf("%d items stored", len(items))
	}
	// Deep nesting within the body's bound is refused as JSON, quickly.
	deep := `{"details": ` + strings.Repeat(`{"a": `, 30000) + `1` + strings.Repeat(`}`, 30000) + `}`
	if a := call(t, h, router, tokens["sato"], "POST", "/api/v1/workflows", "application/json", []byte(deep)); a.code != 400 {
		t.Errorf("deep nesting = %d %.300s", a.code, a.body)
	}
	// Nested objects and arrays of objects keep their own keys.
	a := call(t, h, router, tokens["sato"], "POST", "/api/v1/workflows", "application/json",
		[]byte(`{"kind": "remediation", "subject": "x", "org": "A-C", "severity": "low", "details": {}, "comment": "{\"org\": 1}"}`))
	if a.code != 201 {
		t.Errorf("a body without repeats = %d %s", a.code, a.body)
	}
}

// TestAttackControlCharactersInParameters: a NUL (or another control
// character) in a query parameter or a path code is refused with 400
// naming the parameter on both stores; PostgreSQL failed on it with a 500.
func TestAttackControlCharactersInParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		for _, p := range []string{"/api/v1/systems?org=A%00", "/api/v1/systems?q=A%00", "/api/v1/findings?org=A%1b", "/api/v1/systems/A%00",
			"/api/v1/workflows?org=A%00"} {
			r := httptest.NewRequest("GET", p, nil)
			r.Header.Set("Authorization", "Bearer "+tokens["dave"])
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, r)
			if rec.Code != 400 || !strings.Contains(rec.Body.String(), "control character") {
				t.Errorf("%s = %d %s, want 400 naming a control character", p, rec.Code, rec.Body.String())
			}
		}
	})
}

// TestAttackRevokedAccess: a write token of a disabled user, a revoked
// write token and a user whose grant was taken away change nothing; a
// read token never writes. The item and its history stay as they were.
func TestAttackRevokedAccess(t *testing.T) {
	st := storetest.OpenSQLite(t)
	h, tokens := wfFixture(t, st)
	router := validator(t)
	const js = "application/json"
	a := call(t, h, router, tokens["sato"], "POST", "/api/v1/workflows", js,
		[]byte(`{"kind": "remediation", "subject": "FND-1", "org": "A-C", "severity": "low"}`))
	if a.code != 201 {
		t.Fatalf("create = %d %s", a.code, a.body)
	}
	assign := []byte(`{"transition": "assign", "version": 1, "assignee": "abe"}`)
	if a := call(t, h, router, tokens["tanaka-read"], "POST", "/api/v1/workflows/1/transitions", js, assign); a.code != 403 {
		t.Errorf("a read token acts: %d", a.code)
	}
	if err := auth.SetDisabled(t.Context(), st, "tanaka", true); err != nil {
		t.Fatal(err)
	}
	if a := call(t, h, router, tokens["tanaka"], "POST", "/api/v1/workflows/1/transitions", js, assign); a.code != 401 {
		t.Errorf("a disabled user acts: %d %s", a.code, a.body)
	}
	if err := auth.RevokeToken(t.Context(), st, auth.TokenID(tokens["sato"])); err != nil {
		t.Fatal(err)
	}
	if a := call(t, h, router, tokens["sato"], "POST", "/api/v1/workflows/1/comments", js, []byte(`{"comment": "x"}`)); a.code != 401 {
		t.Errorf("a revoked token comments: %d %s", a.code, a.body)
	}
	if err := st.RevokeRole(t.Context(), "abe", store.RoleGrant{Role: "system_officer", OrgCode: "A-C"}); err != nil {
		t.Fatal(err)
	}
	if a := call(t, h, router, tokens["abe"], "POST", "/api/v1/workflows/1/evidence?filename=a.txt", "text/plain", []byte("x\n")); a.code != 404 {
		t.Errorf("a user without grants attaches: %d %s", a.code, a.body)
	}
	it, err := st.WorkflowItem(t.Context(), 1)
	hist, _ := st.WorkflowEvents(t.Context(), 1)
	if err != nil || it.Version != 1 || it.State != "open" || len(hist) != 1 {
		t.Errorf("after refused requests: %+v, %d events (%v)", it, len(hist), err)
	}
}

// TestAttackActiveContentEvidence: HTML and SVG are never stored as what
// a browser would run: HTML is refused whatever it claims, SVG claimed as
// an image is refused, and SVG sent as text is kept and served as
// text/plain, as an attachment, with nosniff.
func TestAttackActiveContentEvidence(t *testing.T) {
	st := storetest.OpenSQLite(t)
	h, tokens := wfFixture(t, st)
	router := validator(t)
	if a := call(t, h, router, tokens["sato"], "POST", "/api/v1/workflows", "application/json",
		[]byte(`{"kind": "remediation", "subject": "FND-1", "org": "A-C", "severity": "low"}`)); a.code != 201 {
		t.Fatalf("create = %d", a.code)
	}
	html := []byte("<html><body><script>alert(1)</script></body></html>")
	svg := []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`)
	for _, c := range []struct {
		name, ctype string
		content     []byte
		code        int
	}{
		{"a.html", "text/html", html, 400}, {"a.txt", "text/plain", html, 400}, {"a.txt", "application/octet-stream", html, 400},
		{"a.svg", "image/svg+xml", svg, 400}, {"a.png", "image/png", svg, 400}, {"a.svg", "text/plain", svg, 201},
	} {
		a := call(t, h, router, tokens["sato"], "POST", "/api/v1/workflows/1/evidence?filename="+c.name, c.ctype, c.content)
		if a.code != c.code {
			t.Errorf("%s as %s = %d, want %d\n%s", c.name, c.ctype, a.code, c.code, a.body)
		}
	}
	a := call(t, h, router, tokens["alice"], "GET", "/api/v1/workflows/1/evidence/1", "", nil)
	if a.code != 200 || a.header.Get("Content-Type") != "text/plain" || a.header.Get("X-Content-Type-Options") != "nosniff" ||
		!strings.HasPrefix(a.header.Get("Content-Disposition"), "attachment;") {
		t.Errorf("the SVG kept as text downloads as %d %v", a.code, a.header)
	}
}
