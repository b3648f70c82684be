package api_test

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/audit"
	"mamori/internal/catalog"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// inspectionFixture adds to the workflow fixture a project of each
// ministry with a stage in the register (PJ-A of A-C, PJ-B of B-C) and the
// demo's questionnaire of manual controls.
func inspectionFixture(t *testing.T, st *store.Store) {
	t.Helper()
	err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		if err := l.Put(mamori.EntityByName("projects"), []mamori.Record{
			rec("projects", map[string]any{"code": "PJ-A", "org_code": "A-C", "name": "甲プロジェクト"}),
			rec("projects", map[string]any{"code": "PJ-B", "org_code": "B-C", "name": "乙プロジェクト"})}); err != nil {
			return err
		}
		return l.Put(mamori.EntityByName("project_reviews"), []mamori.Record{
			rec("project_reviews", map[string]any{"project_code": "PJ-A", "stage": "requirements"}),
			rec("project_reviews", map[string]any{"project_code": "PJ-B", "stage": "requirements"})})
	})
	if err != nil {
		t.Fatal(err)
	}
	c, err := catalog.Load("self-inspection.json", demo.SelfInspectionCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if err := st.ImportCatalog(t.Context(), store.StoredCatalog{ID: c.ID, Title: c.Title, Version: c.Version,
		Source: string(demo.SelfInspectionCatalog()), ImportedAt: time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)}, nil); err != nil {
		t.Fatal(err)
	}
}

// round reads an InspectionDetail answer.
func round(t *testing.T, a answer) api.InspectionDetail {
	t.Helper()
	var d api.InspectionDetail
	if err := json.Unmarshal([]byte(a.body), &d); err != nil {
		t.Fatalf("%v\n%s", err, a.body)
	}
	return d
}

// TestInspectionAPI takes a project stage's self-inspection round from
// opening to a PMO finding through the API, on both stores: read and write
// scopes, another ministry's round answering 404 exactly like a missing
// one, answers by the inspector alone while the round is drafted, a stale
// version refused with 409 and the current one, findings by a reviewer
// alone (never the inspector) with a remediation item, every response
// checked against openapi.yaml and every request in the audit trail.
func TestInspectionAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		h, tokens := wfFixture(t, st)
		inspectionFixture(t, st)
		router := validator(t)
		const js = "application/json"
		do := func(who, method, path string, body string, want int, has ...string) answer {
			t.Helper()
			ct := ""
			if body != "" {
				ct = js
			}
			var hdr []string
			if i := strings.Index(body, "\x00If-Match:"); i >= 0 {
				body, hdr = body[:i], []string{"If-Match", body[i+len("\x00If-Match:"):]}
			}
			a := call(t, h, router, tokens[who], method, path, ct, []byte(body), hdr...)
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
		ifMatch := func(body, v string) string { return body + "\x00If-Match:" + v }

		// Opening: the write scope, a role that opens rounds, a project
		// of the caller's (another ministry's is refused like a missing
		// one), one round per scope.
		open := `{"project": "PJ-A", "stage": "requirements", "comment": "要件定義の自己点検"}`
		do("abe-read", "POST", "/api/v1/inspections", open, 403, "the token lacks the write scope")
		do("alice", "POST", "/api/v1/inspections", open, 403)
		do("abe", "POST", "/api/v1/inspections", `{"project": "PJ-B", "stage": "requirements"}`, 400, "lists no project")
		do("abe", "POST", "/api/v1/inspections", `{"project": "PJ-NONE", "stage": "requirements"}`, 400, "lists no project")
		do("abe", "POST", "/api/v1/inspections", `{"project": "PJ-A", "stage": "requirements", "fiscal_year": 2026}`, 400, "not both")
		do("abe", "POST", "/api/v1/inspections", `{"project": "PJ-A", "stage": "requirements", "org": "A-C"}`, 400, "name org only")
		do("abe", "POST", "/api/v1/inspections", `{}`, 400, "name what the round inspects")
		do("abe", "POST", "/api/v1/inspections", `{"org": "A-C", "fiscal_year": 1999}`, 400, "2000 to 2100")
		do("abe", "POST", "/api/v1/inspections", `{"org": "A-C", "fiscal_year": "2026"}`, 400, "wrong type")
		a := do("abe", "POST", "/api/v1/inspections", open, 201, `"applicant": "abe"`, `"state": "drafted"`, `"project_code": "PJ-A"`,
			`"stage": "requirements"`, `"answer": "unanswered"`, `"may_answer": true`, `"version": 1`)
		d := round(t, a)
		url := fmt.Sprintf("/api/v1/inspections/%d", d.ID)
		if a.header.Get("Location") != url || a.header.Get("ETag") != `"1"` {
			t.Errorf("Location %q ETag %q", a.header.Get("Location"), a.header.Get("ETag"))
		}
		if len(d.Questions) == 0 || d.Unanswered != len(d.Questions) || d.SelfInspectedOn != "" {
			t.Fatalf("a new round = %+v", d)
		}
		do("abe", "POST", "/api/v1/inspections", open, 409, "already open")
		do("tanaka", "POST", "/api/v1/inspections", `{"org": "MIN-A", "fiscal_year": 2026}`, 201, `"fiscal_year": 2026`, `"org_code": "MIN-A"`)
		do("kato", "POST", "/api/v1/inspections", `{"org": "MIN-B", "fiscal_year": 2026}`, 201, `"fiscal_year": 2026`)
		rem := do("sato", "POST", "/api/v1/workflows", `{"kind": "remediation", "subject": "FND-1", "org": "A-C", "severity": "low"}`, 201)
		remID := item(t, rem).ID

		// Another ministry's round answers exactly like a missing one, on
		// every route; so does an item that is not a round.
		q0 := d.Questions[0]
		answerBody := fmt.Sprintf(`{"version": 1, "answers": [{"catalog_id": %q, "control_id": %q, "answer": "yes"}]}`, q0.CatalogID, q0.ControlID)
		findingBody := fmt.Sprintf(`{"version": 1, "catalog_id": %q, "control_id": %q, "finding": "証跡が古い"}`, q0.CatalogID, q0.ControlID)
		for _, r := range []struct{ method, suffix, body string }{
			{"GET", "", ""}, {"POST", "/answers", answerBody}, {"POST", "/findings", findingBody},
		} {
			theirs := do("kato", r.method, url+r.suffix, r.body, 404)
			none := do("kato", r.method, fmt.Sprintf("/api/v1/inspections/%d%s", d.ID+1000, r.suffix), r.body, 404)
			other := do("kato", r.method, fmt.Sprintf("/api/v1/inspections/%d%s", remID, r.suffix), r.body, 404)
			norm := func(s string, id int64) string { return strings.ReplaceAll(s, fmt.Sprint(id), "N") }
			if norm(theirs.body, d.ID) != norm(none.body, d.ID+1000) || norm(other.body, remID) != norm(none.body, d.ID+1000) {
				t.Errorf("%s %s: another ministry's round = %s, a missing one = %s, not a round = %s", r.method, r.suffix, theirs.body, none.body, other.body)
			}
			if strings.Contains(theirs.body, "PJ-A") || strings.Contains(theirs.body, "A-C") {
				t.Errorf("%s %s leaks the round: %s", r.method, r.suffix, theirs.body)
			}
		}
		do("alice-read", "GET", fmt.Sprintf("/api/v1/inspections/%d", remID), "", 404, "no self-inspection")
		do("alice-read", "GET", "/api/v1/inspections/abc", "", 404, "not_found")

		// Lists: the caller's organizations only, with filters.
		a = do("alice-read", "GET", "/api/v1/inspections", "", 200, `"total": 2`, "PJ-A", "MIN-A FY2026")
		if strings.Contains(a.body, "MIN-B") || strings.Contains(a.body, "FND-1") {
			t.Errorf("alice's list holds another ministry's round or an item that is not a round:\n%s", a.body)
		}
		a = do("bob-read", "GET", "/api/v1/inspections", "", 200, `"total": 1`, "MIN-B FY2026")
		if strings.Contains(a.body, "PJ-A") {
			t.Errorf("bob sees ministry A's round: %s", a.body)
		}
		do("alice-read", "GET", "/api/v1/inspections?org=A-C&state=drafted", "", 200, `"total": 1`, "PJ-A")
		do("alice-read", "GET", "/api/v1/inspections?state=submitted", "", 200, `"total": 0`)
		do("alice-read", "GET", "/api/v1/inspections?page=2", "", 200, `"total": 2`, `"rounds": []`)
		do("alice-read", "GET", "/api/v1/inspections?org=B-C", "", 404, "not_found")
		do("alice-read", "GET", "/api/v1/inspections?state=open", "", 400, "parameter state")
		do("alice-read", "GET", "/api/v1/inspections?page=0", "", 400)

		// The round, with what each caller may do now.
		a = do("alice-read", "GET", url, "", 200, `"may_answer": false`, `"may_raise_finding": false`, `"transitions": []`)
		if a.header.Get("ETag") != `"1"` {
			t.Errorf("ETag %q", a.header.Get("ETag"))
		}
		// Submitting waits for every answer.
		if d := round(t, do("abe-read", "GET", url, "", 200, `"may_answer": true`, `"may_add": true`)); len(d.Transitions) != 0 {
			t.Errorf("submit offered with questions unanswered: %+v", d.Transitions)
		}

		// Answers: the write scope, the inspector alone, a version, valid
		// answers and evidence of the round; all or none.
		do("abe-read", "POST", url+"/answers", answerBody, 403, "the token lacks the write scope")
		do("tanaka", "POST", url+"/answers", answerBody, 403, "only the inspector (abe)")
		do("alice", "POST", url+"/answers", answerBody, 403, "only the inspector (abe)")
		do("abe", "POST", url+"/answers", strings.Replace(answerBody, `"version": 1, `, "", 1), 400, "version")
		do("abe", "POST", url+"/answers", ifMatch(answerBody, `"2"`), 400, "disagree")
		do("abe", "POST", url+"/answers", strings.Replace(answerBody, `"yes"`, `"maybe"`, 1), 400, "is not allowed")
		do("abe", "POST", url+"/answers", strings.Replace(answerBody, `"answer": "yes"`, `"answer": "yes", "evidence": 1`, 1), 400, "has no evidence 1")
		do("abe", "POST", url+"/answers", strings.Replace(answerBody, q0.ControlID, "NOPE-1", 1), 400, "asks nothing about")
		do("abe", "POST", url+"/answers", `{"version": 1, "answers": []}`, 400, "no answer")
		do("abe", "POST", url+"/answers", fmt.Sprintf(`{"version": 1, "answers": [{"catalog_id": %q, "control_id": %q, "answer": "yes"}, {"catalog_id": %[1]q, "control_id": %[2]q, "answer": "no"}]}`,
			q0.CatalogID, q0.ControlID), 400, "more than once")
		do("abe", "POST", url+"/answers", `{"version": 1, "answers": [{"catalog_id": "x", "control_id": "y", "answer": "yes", "colour": "red"}]}`, 400, "colour")
		// Nothing refused was written.
		if d := round(t, do("abe-read", "GET", url, "", 200)); d.Version != 1 || d.Unanswered != len(d.Questions) {
			t.Fatalf("a refused answer changed the round: %+v", d)
		}
		a = do("abe", "POST", url+"/answers", ifMatch(strings.Replace(answerBody, `"version": 1, `, "", 1), `"1"`), 200,
			`"answer": "yes"`, `"answered_by": "abe"`, `"version": 2`)
		if a.header.Get("ETag") != `"2"` {
			t.Errorf("ETag after answering %q", a.header.Get("ETag"))
		}
		// The same version again is stale: 409 with the current version.
		do("abe", "POST", url+"/answers", answerBody, 409, "conflict", `"version":2`, "you saw version 1")

		// Evidence is the workflow route's; an answer cites it by its n.
		ev := call(t, h, router, tokens["abe"], "POST", fmt.Sprintf("/api/v1/workflows/%d/evidence?filename=plan.txt", d.ID), "text/plain", []byte("計画書 / plan\n"))
		if ev.code != 201 {
			t.Fatalf("evidence = %d %s", ev.code, ev.body)
		}
		var all []map[string]any
		for i, q := range d.Questions {
			a := map[string]any{"catalog_id": q.CatalogID, "control_id": q.ControlID, "answer": "yes", "note": "確認済み"}
			if i == 0 {
				a["evidence"] = 1
				a["answer"] = "partial"
			}
			all = append(all, a)
		}
		a = do("abe", "POST", url+"/answers", string(jsonBody(map[string]any{"version": 2, "answers": all})), 200,
			`"unanswered": 0`, `"evidence": 1`, `"answer": "partial"`, `"version": 3`, `"name": "submit"`)

		// Findings: only a reviewer reviewing the round now.
		findingBody = strings.Replace(findingBody, `"version": 1`, `"version": 3`, 1)
		do("tanaka", "POST", url+"/findings", findingBody, 409, "only a reviewer reviewing the round now")
		do("abe", "POST", fmt.Sprintf("/api/v1/workflows/%d/transitions", d.ID), `{"transition": "submit", "version": 3}`, 200, `"state": "submitted"`)
		findingBody = strings.Replace(findingBody, `"version": 3`, `"version": 4`, 1)
		a = do("alice-read", "GET", url, "", 200, `"state": "submitted"`, `"self_inspected_on": "2026-12-01"`, `"may_raise_finding": false`)
		do("tanaka-read", "GET", url, "", 200, `"may_raise_finding": true`, `"name": "pmo_review"`)
		do("abe", "POST", url+"/answers", strings.Replace(answerBody, `"version": 1`, `"version": 4`, 1), 409, "only while the round is drafted or returned")
		do("tanaka-read", "POST", url+"/findings", findingBody, 403, "the token lacks the write scope")
		do("abe", "POST", url+"/findings", findingBody, 403, "only a reviewer reviewing the round now")
		do("alice", "POST", url+"/findings", findingBody, 403, "only a reviewer reviewing the round now")
		do("tanaka", "POST", url+"/findings", strings.Replace(findingBody, `"version": 4`, `"version": 3`, 1), 409, `"version":4`)
		do("tanaka", "POST", url+"/findings", strings.Replace(findingBody, "証跡が古い", "  ", 1), 400, "empty")
		do("tanaka", "POST", url+"/findings", strings.Replace(findingBody, q0.ControlID, "NOPE-1", 1), 400, "asks nothing about")
		do("tanaka", "POST", url+"/findings", `{"version": 4, "finding": "x"}`, 400, "name the question")
		a = do("tanaka", "POST", url+"/findings", strings.Replace(findingBody, `"finding"`, `"remediate": true, "finding"`, 1), 201,
			`"finding": "証跡が古い"`, `"finding_by": "tanaka"`, `"remediation_url": "/api/v1/workflows/`, `"version": 5`)
		if a.header.Get("Location") != url || a.header.Get("ETag") != `"5"` {
			t.Errorf("finding Location %q ETag %q", a.header.Get("Location"), a.header.Get("ETag"))
		}
		d = round(t, a)
		if d.Questions[0].Remediation == 0 {
			t.Fatalf("no remediation item: %+v", d.Questions[0])
		}
		do("alice-read", "GET", d.Questions[0].RemediationURL, "", 200, `"kind": "remediation"`, `"org_code": "A-C"`, `"applicant": "tanaka"`)
		do("tanaka", "POST", fmt.Sprintf("/api/v1/workflows/%d/transitions", d.ID), `{"transition": "pmo_review", "version": 5}`, 200, `"state": "pmo_reviewed"`)
		do("alice-read", "GET", "/api/v1/inspections?state=pmo_reviewed", "", 200, `"total": 1`, `"pmo_reviewed_on": "2026-12-01"`)

		// Every request is in the audit trail under its route, reads too.
		es, _, err := st.AuditEntries(t.Context(), store.AuditFilter{Action: audit.APIRead, Actor: "alice"})
		if err != nil {
			t.Fatal(err)
		}
		routes := map[string]bool{}
		for _, e := range es {
			routes[e.Target] = true
		}
		for _, r := range []string{"GET /api/v1/inspections", "GET /api/v1/inspections/{id}"} {
			if !routes[r] {
				t.Errorf("no api_read entry of alice's %s: %v", r, routes)
			}
		}
		es, _, err = st.AuditEntries(t.Context(), store.AuditFilter{Action: audit.APIRead, Actor: "tanaka"})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, e := range es {
			found = found || e.Target == "POST /api/v1/inspections/{id}/findings"
		}
		if !found {
			t.Errorf("no api_read entry of tanaka's finding")
		}
	})
}
