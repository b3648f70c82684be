package api_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"mamori/internal/api"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// wfFixture is the API fixture (ministries A and B; alice a viewer of A,
// bob of B) with people who work on workflows: sato, an auditor of
// ministry A, opens items; tanaka, its security officer, assigns and
// closes them; abe, a system officer of A's central office, fixes them;
// kato is ministry B's security officer. Each has a write token (name)
// and a read token (name+"-read"). The service's clock is fixed and its
// attachment limit is 1 KiB. The service runs defs, or every workflow of
// workflow.All() when none is given.
func wfFixture(t *testing.T, st *store.Store, defs ...*workflow.Definition) (http.Handler, map[string]string) {
	t.Helper()
	tokens := fixture(t, st)
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
	for _, u := range []struct{ name, role, org string }{
		{"sato", "auditor", "MIN-A"}, {"tanaka", "org_security", "MIN-A"}, {"abe", "system_officer", "A-C"}, {"kato", "org_security", "MIN-B"},
	} {
		nu := auth.NewUser{Name: u.name, Password: "correct horse battery " + u.name, Grants: []store.RoleGrant{{Role: u.role, OrgCode: u.org}}}
		if err := auth.CreateUser(t.Context(), st, nu, at); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"alice", "bob", "sato", "tanaka", "abe", "kato"} {
		secret, err := auth.IssueToken(t.Context(), st, name, "write", []string{auth.ScopeRead, auth.ScopeWrite}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		read, ok := tokens[name] // the fixture's read token of alice and bob
		if !ok {
			if read, err = auth.IssueToken(t.Context(), st, name, "read", []string{auth.ScopeRead}, time.Hour); err != nil {
				t.Fatal(err)
			}
		}
		tokens[name], tokens[name+"-read"] = secret, read
	}
	if len(defs) == 0 {
		defs = workflow.All()
	}
	wf, err := workflow.New(st, defs...)
	if err != nil {
		t.Fatal(err)
	}
	wf.Now = func() time.Time { return time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC) }
	wf.MaxAttachment = 1024
	return api.New(st, nil, api.WithWorkflows(wf)), tokens
}

// answer is one response.
type answer struct {
	code   int
	body   string
	header http.Header
}

// call sends one request and checks the response against openapi.yaml
// (its JSON body too; a download's bytes are not JSON).
func call(t *testing.T, h http.Handler, router routers.Router, token, method, path, contentType string, body []byte, hdr ...string) answer {
	t.Helper()
	req := httptest.NewRequest(method, "http://mamori.test"+path, bytes.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	a := answer{rec.Code, rec.Body.String(), rec.Header()}
	route, params, err := router.FindRoute(req)
	if err != nil {
		t.Fatalf("%s %s is not in openapi.yaml: %v", method, path, err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc,
			ExcludeResponseBody: !strings.HasPrefix(rec.Header().Get("Content-Type"), "application/json")}}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: rec.Code, Header: rec.Header(),
		Body: io.NopCloser(bytes.NewReader(rec.Body.Bytes())), Options: in.Options}
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		t.Errorf("%s %s: response does not match openapi.yaml: %v\n%s", method, path, err, a.body)
	}
	// A request the API accepted is one the document describes.
	if a.code < 300 {
		req.Body = io.NopCloser(bytes.NewReader(body))
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			t.Errorf("%s %s: accepted a request that does not match openapi.yaml: %v", method, path, err)
		}
	}
	return a
}

func jsonBody(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return b
}

// item reads a WorkflowDetail answer.
func item(t *testing.T, a answer) api.WorkflowDetail {
	t.Helper()
	var d api.WorkflowDetail
	if err := json.Unmarshal([]byte(a.body), &d); err != nil {
		t.Fatalf("%v\n%s", err, a.body)
	}
	return d
}

func multipartBody(t *testing.T, field, name, contentType string, content []byte) (string, []byte) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	hdr := map[string][]string{"Content-Disposition": {fmt.Sprintf(`form-data; name=%q; filename=%q`, field, name)}}
	if contentType != "" {
		hdr["Content-Type"] = []string{contentType}
	}
	pw, err := mw.CreatePart(hdr)
	if err != nil {
		t.Fatal(err)
	}
	pw.Write(content)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// TestWorkflowAPI takes a remediation item from creation to closure
// through the API, on both stores: scopes, the grants' scope (another
// ministry's item answers 404 exactly like a missing one), roles and
// separation of duties, stale versions, bad input and evidence, with
// every response checked against openapi.yaml.
func TestWorkflowAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		router := validator(t)
		do := func(who, method, path, ct string, body []byte, hdr ...string) answer {
			t.Helper()
			return call(t, h, router, tokens[who], method, path, ct, body, hdr...)
		}
		expect := func(a answer, code int, has ...string) {
			t.Helper()
			if a.code != code {
				t.Errorf("status %d, want %d\n%s", a.code, code, a.body)
			}
			for _, s := range has {
				if !strings.Contains(a.body, s) {
					t.Errorf("answer lacks %q\n%s", s, a.body)
				}
			}
		}
		const js = "application/json"

		// The definitions, generated from every workflow the service runs.
		a := do("alice-read", "GET", "/api/v1/workflow-definitions", "", nil)
		expect(a, 200)
		var defs api.WorkflowDefinitions
		if err := json.Unmarshal([]byte(a.body), &defs); err != nil {
			t.Fatal(err)
		}
		if len(defs.Definitions) != len(workflow.All()) {
			t.Errorf("%d definitions, want %d", len(defs.Definitions), len(workflow.All()))
		}
		for _, d := range workflow.All() {
			i := 0
			for i < len(defs.Definitions) && defs.Definitions[i].Kind != d.Kind {
				i++
			}
			if i == len(defs.Definitions) {
				t.Errorf("definition %s missing", d.Kind)
				continue
			}
			got := defs.Definitions[i]
			if len(got.States) != len(d.States) || len(got.Transitions) != len(d.Transitions) || got.Initial != d.Initial {
				t.Errorf("definition %s = %+v", d.Kind, got)
			}
			// A client learns which dates mamori records, so it never
			// sends one (the service would refuse it).
			for j, det := range d.Details {
				if j < len(got.Details) && got.Details[j].Stamped != det.Stamped {
					t.Errorf("definition %s detail %s: stamped %v, want %v", d.Kind, det.Name, got.Details[j].Stamped, det.Stamped)
				}
			}
			for j, tr := range d.Transitions {
				if j < len(got.Transitions) && got.Transitions[j].Stamps != tr.Stamps {
					t.Errorf("definition %s transition %s: stamps %q, want %q", d.Kind, tr.Name, got.Transitions[j].Stamps, tr.Stamps)
				}
			}
		}
		if !strings.Contains(a.body, `"stamps": "approved_on"`) || !strings.Contains(a.body, `"stamped": true`) {
			t.Errorf("the approvals' stamped dates are not described:\n%s", a.body)
		}
		if !strings.Contains(a.body, `"not_by_applicant": true`) || !strings.Contains(a.body, `"check": true`) {
			t.Errorf("remediation's close is an approval with a check:\n%s", a.body)
		}

		// Creating needs the write scope, a role that may create, and
		// valid fields.
		create := jsonBody(map[string]any{"kind": "remediation", "subject": "FND-1", "org": "A-C", "severity": "high",
			"due_on": "2026-12-20", "comment": "監査で発見"})
		expect(do("sato-read", "POST", "/api/v1/workflows", js, create), 403, "the token lacks the write scope")
		expect(do("alice", "POST", "/api/v1/workflows", js, create), 403, "forbidden")
		expect(do("sato", "POST", "/api/v1/workflows", js, []byte(`{"kind": "remediation", "subject": "x", "org": "A-C", "severity": "dire"}`)), 400, "severity")
		expect(do("sato", "POST", "/api/v1/workflows", js, []byte(`{"kind": "nope", "subject": "x", "org": "A-C"}`)), 400, "no workflow")
		expect(do("sato", "POST", "/api/v1/workflows", js, []byte(`{"kind": "remediation", "colour": "red"}`)), 400, `the body has no field \"colour\"`)
		expect(do("sato", "POST", "/api/v1/workflows", js, []byte(`{"kind": `)), 400, "not valid JSON")
		expect(do("sato", "POST", "/api/v1/workflows", js, []byte(`{"kind": 7}`)), 400, "wrong type")
		expect(do("sato", "POST", "/api/v1/workflows", js, bytes.Repeat([]byte(" "), 300<<10)), 413)
		expect(do("sato", "POST", "/api/v1/workflows", js, []byte(`{"kind": "remediation", "subject": "x", "org": "A-C", "severity": "low", "due_on": "2020-01-01"}`)), 400, "in the past")
		a = do("sato", "POST", "/api/v1/workflows", js, create)
		expect(a, 201, `"state": "open"`, `"version": 1`, `"applicant": "sato"`)
		it := item(t, a)
		url := fmt.Sprintf("/api/v1/workflows/%d", it.ID)
		if a.header.Get("Location") != url || a.header.Get("ETag") != `"1"` {
			t.Errorf("Location %q ETag %q", a.header.Get("Location"), a.header.Get("ETag"))
		}

		// Another ministry's item answers exactly like a missing one, on
		// every route, whatever the caller's roles there.
		missing := fmt.Sprintf("/api/v1/workflows/%d", it.ID+1000)
		for _, r := range []struct{ method, suffix, ct string }{
			{"GET", "", ""}, {"POST", "/transitions", js}, {"POST", "/comments", js}, {"POST", "/evidence?filename=a.txt", "text/plain"}, {"GET", "/evidence/1", ""},
		} {
			var body []byte
			switch r.suffix {
			case "/transitions":
				body = []byte(`{"transition": "assign", "version": 1, "assignee": "kato"}`)
			case "/comments":
				body = []byte(`{"comment": "見えますか"}`)
			default:
				if r.method == "POST" {
					body = []byte("hello\n")
				}
			}
			theirs := do("kato", r.method, url+r.suffix, r.ct, body)
			none := do("kato", r.method, missing+r.suffix, r.ct, body)
			if theirs.code != 404 || none.code != 404 ||
				strings.ReplaceAll(theirs.body, fmt.Sprint(it.ID), "N") != strings.ReplaceAll(none.body, fmt.Sprint(it.ID+1000), "N") {
				t.Errorf("%s %s: another ministry's item = %d %s, a missing one = %d %s", r.method, r.suffix, theirs.code, theirs.body, none.code, none.body)
			}
			if strings.Contains(theirs.body, "FND-1") || strings.Contains(theirs.body, "A-C") {
				t.Errorf("%s %s leaks the item: %s", r.method, r.suffix, theirs.body)
			}
		}
		expect(do("kato", "GET", "/api/v1/workflows/abc", "", nil), 404, "not_found")

		// Lists: the caller's organizations only, with filters.
		expect(do("alice-read", "GET", "/api/v1/workflows", "", nil), 200, `"total": 1`, "FND-1")
		a = do("bob-read", "GET", "/api/v1/workflows", "", nil)
		expect(a, 200, `"total": 0`)
		if strings.Contains(a.body, "FND-1") {
			t.Errorf("bob sees ministry A's item: %s", a.body)
		}
		expect(do("alice-read", "GET", "/api/v1/workflows?kind=remediation&state=open&org=MIN-A&overdue=false", "", nil), 200, `"total": 1`)
		expect(do("alice-read", "GET", "/api/v1/workflows?state=closed", "", nil), 200, `"total": 0`)
		expect(do("alice-read", "GET", "/api/v1/workflows?overdue=true", "", nil), 200, `"total": 0`)
		expect(do("alice-read", "GET", "/api/v1/workflows?kind=nope", "", nil), 400, "parameter kind")
		expect(do("alice-read", "GET", "/api/v1/workflows?state=nope", "", nil), 400, "parameter state")
		expect(do("alice-read", "GET", "/api/v1/workflows?overdue=maybe", "", nil), 400, "parameter overdue")
		expect(do("alice-read", "GET", "/api/v1/workflows?org=B-C", "", nil), 404, "not_found")
		expect(do("alice-read", "GET", "/api/v1/workflows?page=0", "", nil), 400)

		// The item, with what each caller may do now.
		a = do("tanaka-read", "GET", url, "", nil)
		expect(a, 200, `"name": "assign"`, `"sets_assignee": true`, `"may_add": true`, "監査で発見")
		if a.header.Get("ETag") != `"1"` {
			t.Errorf("ETag %q", a.header.Get("ETag"))
		}
		if d := item(t, do("alice-read", "GET", url, "", nil)); len(d.Transitions) != 0 || d.MayAdd {
			t.Errorf("a viewer may do nothing: %+v", d)
		}

		// Transitions: the write scope, a version, a known transition, the role.
		assign := []byte(`{"transition": "assign", "assignee": "abe", "comment": "対応をお願いします"}`)
		expect(do("tanaka-read", "POST", url+"/transitions", js, assign, "If-Match", `"1"`), 403, "the token lacks the write scope")
		expect(do("tanaka", "POST", url+"/transitions", js, assign), 400, "version")
		expect(do("tanaka", "POST", url+"/transitions", js, assign, "If-Match", "soon"), 400, "If-Match")
		expect(do("tanaka", "POST", url+"/transitions", js, []byte(`{"transition": "assign", "version": 2, "assignee": "abe"}`), "If-Match", "1"), 400, "disagree")
		expect(do("tanaka", "POST", url+"/transitions", js, []byte(`{"transition": "teleport", "version": 1}`)), 400, "no such transition")
		expect(do("alice", "POST", url+"/transitions", js, []byte(`{"transition": "assign", "version": 1, "assignee": "abe"}`)), 403, "only")
		expect(do("tanaka", "POST", url+"/transitions", js, []byte(`{"transition": "assign", "version": 1, "assignee": "kato"}`)), 400, "cannot see")
		a = do("tanaka", "POST", url+"/transitions", js, assign, "If-Match", `W/"1"`)
		expect(a, 200, `"state": "assigned"`, `"assignee": "abe"`, `"version": 2`)
		if a.header.Get("ETag") != `"2"` {
			t.Errorf("ETag after assign %q", a.header.Get("ETag"))
		}
		// The same version again is stale: 409 with the current version.
		a = do("tanaka", "POST", url+"/transitions", js, []byte(`{"transition": "assign", "version": 1, "assignee": "tanaka"}`))
		expect(a, 409, "conflict", `"version":2`, "you saw version 1")
		expect(do("tanaka", "POST", url+"/transitions", js, []byte(`{"transition": "start", "version": 2}`)), 403, "only the assignee")
		expect(do("abe", "POST", url+"/transitions", js, []byte(`{"transition": "resolve", "version": 2}`)), 409, `"version":2`)
		expect(do("abe", "POST", url+"/transitions", js, []byte(`{"transition": "start", "version": 2}`)), 200, `"state": "in_progress"`)

		// Evidence: the write scope, raw or multipart, bounded, by content.
		text := []byte("パッチ適用報告 / patch report\n")
		expect(do("abe-read", "POST", url+"/evidence?filename=report.txt", "text/plain", text), 403, "the token lacks the write scope")
		expect(do("alice", "POST", url+"/evidence?filename=report.txt", "text/plain", text), 403, "only the applicant, the assignee")
		expect(do("abe", "POST", url+"/evidence", "text/plain", text), 400, "filename")
		expect(do("abe", "POST", url+"/evidence?filename=big.txt", "text/plain", bytes.Repeat([]byte("x"), 2000)), 413, "too large")
		expect(do("abe", "POST", url+"/evidence?filename=report.pdf", "application/pdf", text), 400, "declared as application/pdf")
		expect(do("abe", "POST", url+"/evidence?filename=blob.bin", "application/octet-stream", []byte{0, 1, 2, 3, 0xff, 0xfe}), 400, "not of an allowed type")
		expect(do("abe", "POST", url+"/evidence?filename=empty.txt", "text/plain", nil), 400, "empty")
		a = do("abe", "POST", url+"/evidence?filename=report.txt", "text/plain; charset=utf-8", text)
		expect(a, 201, `"n": 1`, `"media_type": "text/plain"`, `"added_by": "abe"`)
		if a.header.Get("Location") != url+"/evidence/1" {
			t.Errorf("evidence Location %q", a.header.Get("Location"))
		}
		ct, mp := multipartBody(t, "file", `C:\Users\abe\scan.csv`, "text/csv", []byte("host,patched\nsv1,yes\n"))
		expect(do("abe", "POST", url+"/evidence", ct, mp), 201, `"n": 2`, `"name": "scan.csv"`, `"media_type": "text/csv"`)
		ct, mp = multipartBody(t, "file", "big.txt", "text/plain", bytes.Repeat([]byte("x"), 2000))
		expect(do("abe", "POST", url+"/evidence", ct, mp), 413, "too large")
		ct, mp = multipartBody(t, "other", "a.txt", "text/plain", text)
		expect(do("abe", "POST", url+"/evidence", ct, mp), 400, "field file")
		a = do("alice-read", "GET", url+"/evidence/1", "", nil)
		if a.code != 200 || a.body != string(text) || a.header.Get("Content-Type") != "text/plain" ||
			!strings.HasPrefix(a.header.Get("Content-Disposition"), "attachment") || a.header.Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("download = %d %q %v", a.code, a.body, a.header)
		}
		expect(do("alice-read", "GET", url+"/evidence/3", "", nil), 404, "no evidence")
		expect(do("alice-read", "GET", url+"/evidence/x", "", nil), 404)

		// Comments: the write scope, someone who may add, some text.
		expect(do("tanaka-read", "POST", url+"/comments", js, []byte(`{"comment": "確認します"}`)), 403, "write scope")
		expect(do("alice", "POST", url+"/comments", js, []byte(`{"comment": "確認します"}`)), 403)
		expect(do("tanaka", "POST", url+"/comments", js, []byte(`{"comment": "  "}`)), 400, "empty")
		expect(do("tanaka", "POST", url+"/comments", js, jsonBody(map[string]string{"comment": strings.Repeat("長", 10001)})), 400, "too long")
		a = do("tanaka", "POST", url+"/comments", js, []byte(`{"comment": "確認します"}`))
		expect(a, 201, "確認します", `"version": 3`) // a comment does not move the version

		// Resolution, then closure by someone other than the applicant.
		expect(do("abe", "POST", url+"/transitions", js, []byte(`{"transition": "resolve", "version": 3}`)), 200, `"state": "resolved"`)
		expect(do("sato", "POST", url+"/transitions", js, []byte(`{"transition": "close", "version": 4}`)), 403, "the applicant may not approve their own item")
		a = do("tanaka", "POST", url+"/transitions", js, []byte(`{"transition": "close", "version": 4, "comment": "証跡を確認"}`))
		expect(a, 200, `"state": "closed"`, `"version": 5`)
		d := item(t, a)
		var events []string
		for _, ev := range d.History {
			events = append(events, ev.Event+":"+ev.Transition)
		}
		if got := strings.Join(events, " "); got != "create: transition:assign transition:start attach: attach: comment: transition:resolve transition:close" {
			t.Errorf("history = %s", got)
		}
		if d.History[3].Evidence != 1 || d.History[4].Evidence != 2 || len(d.Evidence) != 2 || d.Evidence[1].Name != "scan.csv" {
			t.Errorf("evidence in the history = %+v, %+v", d.History, d.Evidence)
		}

		// Every change is in the audit trail: the service's workflow
		// entries under the item's organization, and each request's
		// api_read entry naming its token.
		es, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Action: workflow.AuditAction})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 8 {
			t.Errorf("%d workflow audit entries, want 8 (create, 4 transitions, 2 attachments, a comment)", len(es))
		}
		es, _, err = st.AuditEntries(t.Context(), store.AuditFilter{Action: audit.APIRead, Actor: "tanaka"})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range es {
			if e.Target == "POST /api/v1/workflows/{id}/transitions" && strings.Contains(e.Detail, auth.TokenID(tokens["tanaka"])) {
				found = true
			}
		}
		if !found {
			t.Errorf("no api_read entry of tanaka's transition: %+v", es)
		}
	})
}

// TestWorkflowAPIConcurrent: two callers take a transition naming the same
// version at once; exactly one succeeds and the other is told 409 with the
// version now current, on both stores.
func TestWorkflowAPIConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		if err := auth.Grant(t.Context(), st, "kato", auth.OrgSecurity, "MIN-A"); err != nil {
			t.Fatal(err)
		}
		for round := range 5 {
			rec := httptest.NewRecorder()
			req := httptest.NewRequest("POST", "/api/v1/workflows", strings.NewReader(
				fmt.Sprintf(`{"kind": "remediation", "subject": "FND-%d", "org": "A-C", "severity": "low"}`, round)))
			req.Header.Set("Authorization", "Bearer "+tokens["sato"])
			h.ServeHTTP(rec, req)
			if rec.Code != 201 {
				t.Fatalf("create = %d %s", rec.Code, rec.Body)
			}
			url := rec.Header().Get("Location")
			codes := make([]int, 2)
			bodies := make([]string, 2)
			var wg sync.WaitGroup
			for i, who := range []string{"tanaka", "kato"} {
				wg.Go(func() {
					rec := httptest.NewRecorder()
					req := httptest.NewRequest("POST", url+"/transitions", strings.NewReader(
						`{"transition": "assign", "version": 1, "assignee": "abe"}`))
					req.Header.Set("Authorization", "Bearer "+tokens[who])
					h.ServeHTTP(rec, req)
					codes[i], bodies[i] = rec.Code, rec.Body.String()
				})
			}
			wg.Wait()
			ok, stale := 0, 0
			for i, c := range codes {
				switch c {
				case 200:
					ok++
				case 409:
					stale++
					if !regexp.MustCompile(`"version":\s*2`).MatchString(bodies[i]) {
						t.Errorf("the loser's 409 lacks the current version: %s", bodies[i])
					}
				}
			}
			if ok != 1 || stale != 1 {
				t.Errorf("round %d: statuses %v, want one 200 and one 409\n%s\n%s", round, codes, bodies[0], bodies[1])
			}
		}
	})
}

// loan is a workflow the API has never heard of: details of every type,
// an approval that sets one, and a transition only mamori takes.
var loan = &workflow.Definition{
	Kind: "loan", JA: "貸出", EN: "loan", Initial: "requested",
	States: []workflow.State{{Name: "requested", JA: "申請中", EN: "requested"}, {Name: "approved", JA: "承認済み", EN: "approved"},
		{Name: "expired", JA: "期限切れ", EN: "expired"}},
	Settled: []string{"expired"},
	Details: []workflow.Detail{
		{Name: "device", JA: "機器", EN: "device", Type: workflow.DetailCode, Required: true},
		{Name: "until", JA: "返却期限", EN: "until", Type: workflow.DetailDate, Required: true},
		{Name: "note", JA: "備考", EN: "note", Type: workflow.DetailText},
	},
	CreateRoles:  []auth.Role{auth.SystemOfficer},
	CommentRoles: []auth.Role{auth.OrgSecurity},
	Transitions: []workflow.Transition{
		{Name: "approve", JA: "承認", EN: "approve", From: []string{"requested"}, To: "approved", Roles: []auth.Role{auth.OrgSecurity},
			NotByApplicant: true, SetsDetails: []string{"note"}},
		{Name: "expire", JA: "失効", EN: "expire", From: []string{"approved"}, To: "expired", Roles: []auth.Role{auth.OrgSecurity}, BySystem: true},
	},
}

// TestWorkflowAPIServesAnyDefinition: a workflow added to the service is
// described, created, listed and acted on through the API with no code of
// its own, its details validated by its definition and its system-only
// transition neither offered nor allowed.
func TestWorkflowAPIServesAnyDefinition(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st, workflow.Remediation, loan)
		router := validator(t)
		do := func(who, method, path string, body string, want int, has ...string) answer {
			t.Helper()
			ct := ""
			if body != "" {
				ct = "application/json"
			}
			a := call(t, h, router, tokens[who], method, path, ct, []byte(body))
			if a.code != want {
				t.Errorf("%s %s %s = %d, want %d\n%s", who, method, path, a.code, want, a.body)
			}
			for _, s := range has {
				if !strings.Contains(a.body, s) {
					t.Errorf("%s %s %s lacks %q\n%s", who, method, path, s, a.body)
				}
			}
			return a
		}
		a := do("alice-read", "GET", "/api/v1/workflow-definitions", "", 200, `"kind": "loan"`, `"kind": "remediation"`,
			`"type": "code"`, `"type": "date"`, `"type": "text"`, `"by_system": true`, `"sets_details": [`)
		if strings.Index(a.body, `"kind": "loan"`) > strings.Index(a.body, `"kind": "remediation"`) {
			t.Errorf("definitions not in order of kind:\n%s", a.body)
		}
		do("abe", "POST", "/api/v1/workflows", `{"kind": "loan", "subject": "PC-1", "org": "A-C", "details": {"device": "PC-1"}}`, 400, `needs \"until\"`)
		do("abe", "POST", "/api/v1/workflows", `{"kind": "loan", "subject": "PC-1", "org": "A-C", "details": {"device": "PC-1", "until": "2026-02-30"}}`, 400, "not a YYYY-MM-DD date")
		do("abe", "POST", "/api/v1/workflows", `{"kind": "loan", "subject": "PC-1", "org": "A-C", "details": {"device": "PC 1", "until": "2026-12-31"}}`, 400, "not a code")
		do("abe", "POST", "/api/v1/workflows", `{"kind": "loan", "subject": "PC-1", "org": "A-C", "details": {"device": 1}}`, 400, "wrong type")
		do("tanaka", "POST", "/api/v1/workflows", `{"kind": "loan", "subject": "PC-1", "org": "A-C", "details": {"device": "PC-1", "until": "2026-12-31"}}`, 403)
		a = do("abe", "POST", "/api/v1/workflows", `{"kind": "loan", "subject": "PC-1", "org": "A-C", "details": {"device": "PC-1", "until": "2026-12-31"}}`,
			201, `"device": "PC-1"`, `"until": "2026-12-31"`, `"state": "requested"`)
		url := a.header.Get("Location")
		a = do("tanaka-read", "GET", url, "", 200, `"name": "approve"`, `"sets_details": [`, `"note"`)
		if strings.Contains(a.body, `"name": "expire"`) {
			t.Errorf("a system-only transition is offered:\n%s", a.body)
		}
		do("alice-read", "GET", "/api/v1/workflows?kind=loan", "", 200, `"total": 1`)
		do("alice-read", "GET", "/api/v1/workflows?kind=loan&state=open", "", 400, "parameter state")
		do("tanaka", "POST", url+"/transitions", `{"transition": "approve", "version": 1, "details": {"device": "PC-2"}}`, 400, `may not change field \"device\"`)
		do("tanaka", "POST", url+"/transitions", `{"transition": "approve", "version": 1, "details": {"note": "3 日間"}}`, 200,
			`"state": "approved"`, `"note": "3 日間"`, `"device": "PC-1"`)
		do("tanaka", "POST", url+"/transitions", `{"transition": "expire", "version": 2}`, 403, "mamori takes it by itself")
		do("alice-read", "GET", "/api/v1/workflows?kind=loan&state=approved", "", 200, `"total": 1`)
	})
}
