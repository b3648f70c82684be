package web_test

import (
	"cmp"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/forum"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
	"mamori/internal/workflow"
)

// The fixture tree of the route test: a government with two ministries
// (one with a bureau) and a prefecture with a city. Every organization
// owns a system, a component, a finding, an audit entry and a user, each
// carrying the organization's marker in its code or name, so a leak of
// any of them shows up as the marker in a response.
var treeOrgs = []struct {
	code, parent, kind, name, marker string
}{
	{"GOV", "", "government", "日本国政府", "ZZGOVZZ"},
	{"MA", "GOV", "ministry", "甲省", "ZZMAZZ"},
	{"MA-1", "MA", "central", "第一局", "ZZMA1ZZ"},
	{"MB", "GOV", "ministry", "乙省", "ZZMBZZ"},
	{"PX", "GOV", "prefecture", "丙県", "ZZPXZZ"},
	{"PX-1", "PX", "municipality", "丙市", "ZZPX1ZZ"},
}

// treeMarkers returns the markers of the organizations outside the subtree
// of root, which a user granted on root must never see.
func treeMarkers(root string) []string {
	inside := map[string]bool{root: true}
	for changed := true; changed; {
		changed = false
		for _, o := range treeOrgs {
			if inside[o.parent] && !inside[o.code] {
				inside[o.code], changed = true, true
			}
		}
	}
	var out []string
	for _, o := range treeOrgs {
		if !inside[o.code] {
			out = append(out, o.marker, o.name)
		}
	}
	return out
}

func treeFixture(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		var orgs, syss, comps, projs, incs []mamori.Record
		for _, o := range treeOrgs {
			m := map[string]any{"code": o.code, "kind": o.kind, "name": o.name}
			if o.parent != "" {
				m["parent_code"] = o.parent
			}
			orgs = append(orgs, rec("organizations", m))
			syss = append(syss, rec("systems", map[string]any{"code": "SYS-" + o.marker, "org_code": o.code,
				"name": o.marker + "の業務システム", "in_register": true, "class": "information_system", "status": "operating"}))
			comps = append(comps, rec("components", map[string]any{"code": "CMP-" + o.marker, "system_code": "SYS-" + o.marker,
				"kind": "server", "name": o.marker + "サーバ"}))
			projs = append(projs, rec("projects", map[string]any{"code": "PRJ-" + o.marker, "org_code": o.code, "name": o.marker + "の事業"}))
			incs = append(incs, rec("incidents", map[string]any{"code": "IN-" + o.marker, "org_code": o.code, "category": "malware",
				"detected_on": "2025-05-01", "summary": o.marker + "の端末でマルウェア検知"}))
		}
		for _, x := range []struct {
			e    string
			recs []mamori.Record
		}{{"organizations", orgs}, {"projects", projs}, {"systems", syss}, {"components", comps}, {"incidents", incs}} {
			if err := l.Put(mamori.EntityByName(x.e), x.recs); err != nil {
				return err
			}
		}
		// Training: a course of each organization whose title, staff and
		// attendance carry its marker.
		var people, courses, reqs, att []mamori.Record
		for _, o := range treeOrgs {
			people = append(people, rec("people", map[string]any{"code": "PPL-" + o.marker, "org_code": o.code, "name": o.marker + "職員", "status": "active"}))
			courses = append(courses, rec("training_courses", map[string]any{"code": "TR-" + o.marker, "org_code": o.code, "fiscal_year": int64(2025),
				"kind": "general", "title": o.marker + "の研修", "delivered_from": "2025-06-01", "pass_score": int64(70)}))
			reqs = append(reqs, rec("training_requirements", map[string]any{"course_code": "TR-" + o.marker, "org_code": o.code}))
			att = append(att, rec("training_attendance", map[string]any{"course_code": "TR-" + o.marker, "person_code": "PPL-" + o.marker,
				"attended_on": "2025-06-02", "test_taken": true, "score": int64(80)}))
		}
		for _, x := range []struct {
			e    string
			recs []mamori.Record
		}{{"people", people}, {"training_courses", courses}, {"training_requirements", reqs}, {"training_attendance", att}} {
			if err := l.Put(mamori.EntityByName(x.e), x.recs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 6, 1, 9, 0, 0, 0, time.UTC)
	var fails []store.FindingInput
	for _, o := range treeOrgs {
		fails = append(fails, store.FindingInput{ControlID: "REG-03", TargetType: store.TargetSystem, TargetCode: "SYS-" + o.marker,
			OrgCode: o.code, Severity: "high", Evidence: `{"system.system_id":null}`})
	}
	err = s.SaveAssessment(t.Context(), store.Assessment{ID: "A1", StartedAt: at, FinishedAt: at, ReferenceDate: "2025-06-01",
		Catalogs: "{}", Params: "{}", Scope: `{"org":"","system":""}`},
		[]store.ControlResult{{ControlID: "REG-03", Fail: int64(len(fails))}}, nil, store.FindingScope{Controls: []string{"REG-03"}}, fails)
	if err != nil {
		t.Fatal(err)
	}
	// One account per organization that administration requests aim at,
	// so that what a whole-government administrator may legitimately do to
	// it does not disturb the users whose requests are being tested.
	for _, o := range treeOrgs {
		nu := auth.NewUser{Name: "target-" + o.marker, Password: "correct horse battery staple",
			Grants: []store.RoleGrant{{Role: "viewer", OrgCode: o.code}}}
		if err := auth.CreateUser(t.Context(), s, nu, at); err != nil {
			t.Fatal(err)
		}
	}
	for _, o := range treeOrgs {
		if _, err := audit.Record(t.Context(), s, "setup", "register_import", o.marker+".xlsx", o.code, nil); err != nil {
			t.Fatal(err)
		}
	}
	// One remediation item per organization, with one piece of evidence,
	// both carrying the marker.
	wf, err := workflow.New(s, workflow.All()...)
	if err != nil {
		t.Fatal(err)
	}
	setup := store.User{Name: "setup", Grants: []store.RoleGrant{{Role: "central_admin", OrgCode: "GOV"}}}
	for _, o := range treeOrgs {
		it, err := wf.Create(t.Context(), setup, "remediation", workflow.NewItem{Subject: "REG-03 " + o.marker, OrgCode: o.code, Severity: "high"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := wf.Attach(t.Context(), setup, it.ID, "evidence-"+o.marker+".txt", "text/plain", []byte("patched "+o.marker+"\n")); err != nil {
			t.Fatal(err)
		}
	}
	// One forum thread per leaf organization, limited to it, about the
	// findings' control, its title carrying the marker.
	fsvc := forum.New(s)
	for _, o := range treeOrgs {
		if !slices.Contains([]string{"MA-1", "MB", "PX-1"}, o.code) {
			continue
		}
		author := store.User{Name: "setup", Grants: []store.RoleGrant{{Role: "viewer", OrgCode: o.code}}}
		if _, err := fsvc.Open(t.Context(), author, forum.NewThread{Kind: "notice", Title: "通知 " + o.marker, Body: "本文 " + o.marker,
			Limit: o.code, Controls: []string{"REG-03"}}); err != nil {
			t.Fatal(err)
		}
	}
	// One self-inspection round per organization, for fiscal year 2026,
	// asking the demo's questionnaire.
	importSelfInspection(t, s)
	for _, o := range treeOrgs {
		if _, err := wf.OpenInspection(t.Context(), setup, workflow.Round{OrgCode: o.code, FiscalYear: "2026"}); err != nil {
			t.Fatal(err)
		}
	}
}

// treeRounds returns the fixture's self-inspection round of each
// organization.
func treeRounds(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	items, err := s.WorkflowItems(t.Context(), store.WorkflowFilter{Kind: workflow.InspectionKind})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, it := range items {
		out[it.OrgCode] = it.ID
	}
	return out
}

// treeThreads returns the fixture's forum thread of each leaf organization.
func treeThreads(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	ts, _, err := s.ForumThreads(t.Context(), store.ForumAudience{All: true}, store.ForumFilter{Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, th := range ts {
		out[th.LimitOrg] = th.ID
	}
	return out
}

// treeItems returns the fixture's workflow item of each organization.
func treeItems(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	items, err := s.WorkflowItems(t.Context(), store.WorkflowFilter{})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]int64{}
	for _, it := range items {
		if _, ok := out[it.OrgCode]; !ok && it.Kind == workflow.Remediation.Kind {
			out[it.OrgCode] = it.ID
		}
	}
	return out
}

// roleSession creates a user holding role on org and a live session, and
// returns the session secret. Users of roles that need a second factor get
// one, as they would have after enrolment.
func roleSession(t *testing.T, s *store.Store, name, role, org string) string {
	t.Helper()
	return grantedSession(t, s, name, role+"@"+org)
}

// routeCase is one request of the route test. {own} and {other} in the
// URL or form are replaced by the marker of the user's organization and of
// an organization outside their subtree; {ownorg}/{otherorg} by their codes;
// {otheruser} by a user of the other organization; {ownitem}/{otheritem}
// by the id of each one's workflow item; {ownround}/{otherround} by the id
// of each one's self-inspection round.
type routeCase struct {
	pattern string // the pattern in routes.go this request exercises
	method  string
	url     string
	form    url.Values
	// ok lists the statuses a request may get, whoever sends it; anything
	// else (a 500, say) fails the test.
	ok []int
	// whole, when set, replaces ok for users who see the whole government,
	// for whom the "other" organization is their own.
	whole []int
}

var routeCases = []routeCase{
	{"GET /forum", "GET", "/forum", nil, []int{200}, nil},
	{"GET /forum", "GET", "/forum?control=REG-03&kind=notice", nil, []int{200}, nil},
	{"GET /forum", "GET", "/forum?kind=bogus", nil, []int{400}, nil},
	{"GET /forum/search", "GET", "/forum/search?q={other}", nil, []int{200}, nil},
	{"GET /forum/search", "GET", "/forum/search?q=ZZ", nil, []int{200}, nil},
	{"GET /forum/search", "GET", "/forum/search?q=%E9%80%9A%E7%9F%A5+Z", nil, []int{200}, nil},
	{"GET /forum/usage", "GET", "/forum/usage", nil, []int{200, 403}, nil},
	{"GET /forum/new", "GET", "/forum/new?control=REG-03&target=SYS-{other}", nil, []int{200}, nil},
	{"POST /forum/new", "POST", "/forum/new", url.Values{"kind": {"notice"}, "title": {"t"}, "body": {""}, "limit": {"{otherorg}"}}, []int{422}, nil},
	{"POST /forum/new", "POST", "/forum/new", url.Values{"kind": {"notice"}, "title": {"t"}, "body": {"b"}, "limit": {"{otherorg}"}, "as": {"{otherorg}"}}, []int{422}, nil},
	{"GET /forum/{id}", "GET", "/forum/{ownthread}", nil, []int{200}, nil},
	{"GET /forum/{id}", "GET", "/forum/{otherthread}", nil, []int{404}, nil},
	{"GET /forum/{id}", "GET", "/forum/x{own}", nil, []int{404}, nil},
	{"POST /forum/{id}/posts", "POST", "/forum/{otherthread}/posts", url.Values{"body": {"回答"}}, []int{404}, nil},
	{"POST /forum/{id}/accept", "POST", "/forum/{otherthread}/accept", url.Values{"post": {"1"}}, []int{404}, nil},
	{"POST /forum/{id}/edit", "POST", "/forum/{otherthread}/edit", url.Values{"post": {"1"}, "body": {"x"}}, []int{404}, nil},
	{"POST /forum/{id}/hide", "POST", "/forum/{otherthread}/hide", url.Values{"post": {"1"}, "reason": {"x"}}, []int{404}, nil},
	{"GET /{$}", "GET", "/", nil, []int{303}, nil},
	{"GET /systems", "GET", "/systems", nil, []int{200}, nil},
	{"GET /systems", "GET", "/systems?org={otherorg}", nil, []int{200}, nil},
	{"GET /systems", "GET", "/systems?q={other}", nil, []int{200}, nil},
	{"GET /systems.csv", "GET", "/systems.csv", nil, []int{200}, nil},
	{"GET /systems.csv", "GET", "/systems.csv?org={otherorg}", nil, []int{200}, nil},
	{"GET /systems/{code}", "GET", "/systems/SYS-{own}", nil, []int{200}, nil},
	{"GET /systems/{code}", "GET", "/systems/SYS-{other}", nil, []int{404}, []int{200}},
	{"GET /projects", "GET", "/projects", nil, []int{200}, nil},
	{"GET /projects/{code}", "GET", "/projects/PRJ-{own}", nil, []int{200}, nil},
	{"GET /projects/{code}", "GET", "/projects/PRJ-{other}", nil, []int{404}, []int{200}},
	{"GET /findings", "GET", "/findings", nil, []int{200}, nil},
	{"GET /findings", "GET", "/findings?org={otherorg}&status=all", nil, []int{200}, nil},
	{"GET /findings", "GET", "/findings?target=SYS-{other}", nil, []int{200}, nil},
	{"GET /dashboard", "GET", "/dashboard", nil, []int{200}, nil},
	{"GET /dashboard", "GET", "/dashboard?org={otherorg}", nil, []int{404}, []int{200}},
	{"GET /dashboard", "GET", "/dashboard?lang=en", nil, []int{200}, nil},
	{"GET /report", "GET", "/report", nil, []int{200, 403}, nil},
	{"GET /report/list", "GET", "/report/list?control=REG-03&tier=all&what=counted&unit=targets", nil, []int{200, 403}, nil},
	{"GET /report/list", "GET", "/report/list?control=REG-03&tier=central&what=counted&unit=orgs&lang=en", nil, []int{200, 403}, nil},
	{"GET /report.html", "GET", "/report.html", nil, []int{200, 403}, nil},
	{"GET /report.md", "GET", "/report.md", nil, []int{200, 403}, nil},
	{"GET /healthz", "GET", "/healthz", nil, []int{200}, nil},
	{"GET /login", "GET", "/login", nil, []int{200}, nil},
	{"GET /login/oidc", "GET", "/login/oidc", nil, []int{404}, nil}, // single sign-on not configured
	{"GET /login/oidc/callback", "GET", "/login/oidc/callback?code=x&state=y", nil, []int{404}, nil},
	{"POST /login", "POST", "/login", url.Values{"name": {"{otheruser}"}, "password": {"wrong"}}, []int{200, 401}, nil},
	{"GET /enrol", "GET", "/enrol", nil, []int{200, 303, 400, 404, 409}, nil},
	{"POST /enrol", "POST", "/enrol", url.Values{"code": {"000000"}}, []int{200, 303, 400, 404, 409, 422}, nil},
	{"POST /lang", "POST", "/lang", url.Values{"lang": {"en"}, "next": {"/systems"}}, []int{303}, nil},
	{"GET /metrics", "GET", "/metrics", nil, []int{200}, nil},
	{"GET /static/{file}", "GET", "/static/none.css", nil, []int{404}, nil},
	{"GET /favicon.ico", "GET", "/favicon.ico", nil, []int{200}, nil},
	{"GET /", "GET", "/no/such/page", nil, []int{404}, nil},
	{"GET /audit-log", "GET", "/audit-log", nil, []int{200, 403}, nil},
	{"GET /audit-log", "GET", "/audit-log?org={otherorg}", nil, []int{200, 403}, nil},
	{"GET /audit-log", "GET", "/audit-log?q=ZZ&lang=en", nil, []int{200, 403}, nil},
	{"GET /audit-log", "GET", "/audit-log?actor=setup&page=2", nil, []int{200, 403}, nil},
	{"POST /audit-log/verify", "POST", "/audit-log/verify", url.Values{}, []int{200, 303, 403}, nil},
	{"GET /admin", "GET", "/admin", nil, []int{200, 403}, nil},
	{"GET /admin/organizations", "GET", "/admin/organizations", nil, []int{200, 403}, nil},
	{"GET /admin/organizations", "GET", "/admin/organizations?root={otherorg}", nil, []int{403, 404}, []int{200, 403}},
	{"GET /admin/users", "GET", "/admin/users", nil, []int{200, 403}, nil},
	{"GET /admin/users", "GET", "/admin/users?org={otherorg}&q={other}", nil, []int{200, 403}, nil},
	{"GET /admin/users/new", "GET", "/admin/users/new?org={otherorg}", nil, []int{200, 403}, nil},
	{"POST /admin/users", "POST", "/admin/users", url.Values{"name": {"new-{ownorg}"}, "role": {"viewer"}, "org": {"{otherorg}"}}, []int{403, 404}, []int{200, 403, 409}},
	{"GET /admin/users/{name}", "GET", "/admin/users/{otheruser}", nil, []int{403, 404}, []int{200, 403, 404}},
	{"POST /admin/users/{name}/grant", "POST", "/admin/users/{otheruser}/grant", url.Values{"role": {"viewer"}, "org": {"{otherorg}"}}, []int{403, 404}, []int{303, 403, 404}},
	{"POST /admin/users/{name}/revoke", "POST", "/admin/users/{otheruser}/revoke", url.Values{"role": {"viewer"}, "org": {"{otherorg}"}}, []int{403, 404}, []int{303, 403, 404}},
	{"POST /admin/users/{name}/disable", "POST", "/admin/users/{otheruser}/disable", url.Values{}, []int{403, 404}, []int{303, 403, 404}},
	{"POST /admin/users/{name}/enable", "POST", "/admin/users/{otheruser}/enable", url.Values{}, []int{403, 404}, []int{303, 403, 404}},
	{"POST /admin/users/{name}/unlock", "POST", "/admin/users/{otheruser}/unlock", url.Values{}, []int{403, 404}, []int{303, 403, 404}},
	{"POST /admin/users/{name}/reset-2fa", "POST", "/admin/users/{otheruser}/reset-2fa", url.Values{}, []int{403, 404}, []int{303, 403, 404}},
	{"POST /admin/users/{name}/reset-password", "POST", "/admin/users/{otheruser}/reset-password", url.Values{}, []int{403, 404}, []int{200, 403, 404}},
	{"GET /password", "GET", "/password", nil, []int{200}, nil},
	// A wrong current password: refused (and counted), nothing changes.
	{"POST /password", "POST", "/password", url.Values{"current": {"not the password"}, "new": {"another pass phrase"}, "confirm": {"another pass phrase"}}, []int{401}, nil},
	{"GET /import", "GET", "/import", nil, []int{200, 403}, nil},
	{"GET /import/template", "GET", "/import/template", nil, []int{200, 403}, nil},
	// The ISMAP lists: everyone reads; only a whole-government central
	// administrator gets past the first check of an import (then refused
	// for a form that carries no file).
	{"GET /cloud-lists", "GET", "/cloud-lists", nil, []int{200}, nil},
	{"GET /cloud-lists/{id}", "GET", "/cloud-lists/999", nil, []int{404}, nil},
	{"POST /cloud-lists", "POST", "/cloud-lists", url.Values{"kind": {"ismap"}}, []int{403}, []int{400, 403}},
	// A form that is not a workbook upload: refused whoever sends it.
	{"POST /import", "POST", "/import", url.Values{"org": {"{otherorg}"}}, []int{400, 403, 415, 422}, nil},
	{"GET /workflows", "GET", "/workflows", nil, []int{200}, nil},
	{"GET /workflows", "GET", "/workflows?kind=remediation&state=open&page=2", nil, []int{200}, nil},
	// Opening an item in another ministry: refused, except to the whole
	// government's roles that may open items (the subject carries no marker).
	{"POST /workflows", "POST", "/workflows", url.Values{"subject": {"route test"}, "org": {"{otherorg}"}, "severity": {"low"}}, []int{403}, []int{303, 403}},
	// Every kind's form; an export request in another ministry (refused
	// before its missing expiry is), a stamped date sent by hand (refused
	// as unknown to the form: it is never read).
	{"GET /workflows", "GET", "/workflows?new=export_request", nil, []int{200}, nil},
	{"GET /workflows", "GET", "/workflows?new=no-such-kind", nil, []int{200}, nil},
	{"POST /workflows", "POST", "/workflows", url.Values{"kind": {"export_request"}, "subject": {"route test"}, "org": {"{otherorg}"},
		"detail_component_code": {"X"}, "detail_purpose": {"p"}, "detail_approved_on": {"2020-01-01"}}, []int{403}, []int{403, 422}},
	{"POST /workflows", "POST", "/workflows", url.Values{"kind": {"no-such-kind"}, "subject": {"route test"}, "org": {"{ownorg}"}}, []int{403}, nil},
	{"POST /workflows/{id}/act", "POST", "/workflows/{otheritem}/act", url.Values{"transition": {"approve"}, "version": {"1"},
		"detail_expires_on": {"2099-01-01"}}, []int{404}, []int{409, 422}},
	{"GET /workflows/{id}", "GET", "/workflows/{ownitem}", nil, []int{200}, nil},
	{"GET /workflows/{id}", "GET", "/workflows/{otheritem}", nil, []int{404}, []int{200}},
	{"GET /workflows/{id}", "GET", "/workflows/999999", nil, []int{404}, nil},
	{"GET /workflows/{id}", "GET", "/workflows/x{own}", nil, []int{404}, nil},
	// A stale version: refused whoever sends it, nothing changes; another
	// ministry's item answers as a missing one whatever the version.
	{"POST /workflows/{id}/act", "POST", "/workflows/{ownitem}/act", url.Values{"transition": {"close"}, "version": {"999"}}, []int{409}, nil},
	{"POST /workflows/{id}/act", "POST", "/workflows/{otheritem}/act", url.Values{"transition": {"close"}, "version": {"999"}}, []int{404}, []int{409}},
	{"POST /workflows/{id}/act", "POST", "/workflows/{otheritem}/act", url.Values{"transition": {"close"}, "version": {"1"}}, []int{404}, []int{403, 409}},
	{"POST /workflows/{id}/comment", "POST", "/workflows/{otheritem}/comment", url.Values{"comment": {"route test"}}, []int{404}, []int{303, 403}},
	{"POST /workflows/{id}/evidence", "POST", "/workflows/{otheritem}/evidence", url.Values{}, []int{404}, []int{403, 422}},
	{"GET /workflows/{id}/evidence/{n}", "GET", "/workflows/{ownitem}/evidence/1", nil, []int{200}, nil},
	{"GET /workflows/{id}/evidence/{n}", "GET", "/workflows/{ownitem}/evidence/2", nil, []int{404}, nil},
	{"GET /workflows/{id}/evidence/{n}", "GET", "/workflows/{otheritem}/evidence/1", nil, []int{404}, []int{200}},
	{"GET /incidents", "GET", "/incidents", nil, []int{200}, nil},
	{"GET /incidents", "GET", "/incidents?page=2&lang=en", nil, []int{200}, nil},
	{"GET /incidents/{code}", "GET", "/incidents/IN-{own}", nil, []int{200}, nil},
	{"GET /incidents/{code}", "GET", "/incidents/IN-{other}", nil, []int{404}, []int{200}},
	{"POST /incidents", "POST", "/incidents", url.Values{"org": {"{otherorg}"}, "class": {"malware"}, "detected_on": {"2025-05-02"}}, []int{403}, []int{303, 403}},
	{"POST /incidents", "POST", "/incidents", url.Values{"org": {"{ownorg}"}, "class": {"malware"}, "detected_on": {"2025-05-02"}, "system": {"SYS-{other}"}}, []int{403, 422}, []int{303, 403}},
	{"POST /incidents", "POST", "/incidents", url.Values{"org": {"{ownorg}"}, "class": {"malware"}, "detected_on": {"2025-05-02"}, "orgs": {"{otherorg}"}}, []int{403, 422}, []int{303, 403}},
	{"POST /incidents", "POST", "/incidents", url.Values{"org": {"{ownorg}"}, "class": {"malware"}, "occurred_on": {"2025-05-03"}, "detected_on": {"2025-05-02"}}, []int{403, 422}, nil},
	{"GET /training", "GET", "/training", nil, []int{200}, nil},
	{"GET /training", "GET", "/training?fy=2025&lang=en", nil, []int{200}, nil},
	{"GET /training", "GET", "/training?fy=2025&org={otherorg}", nil, []int{404}, []int{200}},
	{"GET /training", "GET", "/training?fy=x", nil, []int{400}, nil},
	{"GET /training/{code}", "GET", "/training/TR-{own}", nil, []int{200}, nil},
	{"GET /training/{code}", "GET", "/training/TR-{other}", nil, []int{404}, []int{200}},
	{"GET /training/{code}", "GET", "/training/TR-NONE", nil, []int{404}, nil},
	{"GET /inspections", "GET", "/inspections", nil, []int{200}, nil},
	{"GET /inspections", "GET", "/inspections?page=2", nil, []int{200}, nil},
	// Opening a round in another ministry: refused; the whole government's
	// roles that may open one find it open already.
	{"POST /inspections", "POST", "/inspections", url.Values{"scope": {"fy"}, "org": {"{otherorg}"}, "fiscal_year": {"2026"}}, []int{403}, []int{403, 409}},
	{"POST /inspections", "POST", "/inspections", url.Values{"scope": {"stage"}, "project": {"PJ-NONE"}, "stage": {"planning"}}, []int{403, 422}, nil},
	{"GET /inspections/{id}", "GET", "/inspections/{ownround}", nil, []int{200}, nil},
	{"GET /inspections/{id}", "GET", "/inspections/{otherround}", nil, []int{404}, []int{200}},
	{"GET /inspections/{id}", "GET", "/inspections/{ownitem}", nil, []int{404}, nil}, // a remediation item is no round
	{"GET /inspections/{id}", "GET", "/inspections/x{own}", nil, []int{404}, nil},
	{"POST /inspections/{id}/answers", "POST", "/inspections/{ownround}/answers", url.Values{"version": {"999"}, "answer-1": {"yes"}}, []int{409}, nil},
	{"POST /inspections/{id}/answers", "POST", "/inspections/{otherround}/answers", url.Values{"version": {"999"}, "answer-1": {"yes"}}, []int{404}, []int{409}},
	{"POST /inspections/{id}/findings", "POST", "/inspections/{ownround}/findings", url.Values{"version": {"999"}, "control": {"self-inspection:SI-11"}, "finding": {"x"}}, []int{409}, nil},
	{"POST /inspections/{id}/findings", "POST", "/inspections/{otherround}/findings", url.Values{"version": {"999"}, "control": {"self-inspection:SI-11"}, "finding": {"x"}}, []int{404}, []int{409}},
	{"POST /inspections/{id}/act", "POST", "/inspections/{ownround}/act", url.Values{"version": {"999"}, "transition": {"submit"}}, []int{409}, nil},
	{"POST /inspections/{id}/act", "POST", "/inspections/{otherround}/act", url.Values{"version": {"999"}, "transition": {"submit"}}, []int{404}, []int{409}},
	// Remediation to closure: another ministry's finding, system and item
	// answer as missing ones; a second item for one finding is refused.
	{"POST /findings/remediation", "POST", "/findings/remediation", url.Values{"control": {"REG-03"}, "target": {"SYS-{other}"}}, []int{404}, []int{303, 403, 409}},
	{"POST /findings/remediation", "POST", "/findings/remediation", url.Values{"control": {"REG-03"}, "target": {"SYS-{own}"}}, []int{303, 403, 409}, nil},
	{"POST /findings/remediation", "POST", "/findings/remediation", url.Values{"control": {"REG-03"}, "target": {"SYS-{own}"}, "due_on": {"2999-01-01"}}, []int{400, 403, 409}, nil},
	{"POST /systems/{code}/remediation", "POST", "/systems/SYS-{other}/remediation", url.Values{"vuln": {"CVE-2024-0001"}}, []int{404}, nil},
	{"POST /systems/{code}/remediation", "POST", "/systems/SYS-{own}/remediation", url.Values{"vuln": {"CVE-2024-0001"}}, []int{404}, nil},
	{"POST /workflows/{id}/milestones", "POST", "/workflows/{otheritem}/milestones", url.Values{"version": {"999"}, "title": {"plan"}, "due_on": {"2030-01-01"}}, []int{404}, []int{409}},
	{"POST /workflows/{id}/milestones", "POST", "/workflows/{ownitem}/milestones", url.Values{"version": {"1"}, "title": {"plan"}, "due_on": {"2030-01-01"}}, []int{303, 403, 409}, nil},
	{"POST /workflows/{id}/milestones/{m}", "POST", "/workflows/{otheritem}/milestones/1", url.Values{"version": {"999"}}, []int{404}, []int{409}},
	{"POST /workflows/{id}/milestones/{m}", "POST", "/workflows/{ownitem}/milestones/x", url.Values{"version": {"1"}}, []int{404}, nil},
	// The register editor: lists within the scope, another ministry's
	// record as a missing one; saves that are refused whoever sends them
	// (a stale version, required values missing), so nothing changes.
	{"GET /register", "GET", "/register", nil, []int{200}, nil},
	{"GET /register/{entity}", "GET", "/register/systems", nil, []int{200}, nil},
	{"GET /register/{entity}", "GET", "/register/components?q=CMP-{other}&page=2", nil, []int{200}, nil},
	{"GET /register/{entity}", "GET", "/register/no_such", nil, []int{404}, nil},
	{"GET /register/{entity}", "GET", "/register/organizations", nil, []int{200}, nil},
	{"GET /register/new/{entity}", "GET", "/register/new/systems", nil, []int{200, 403}, nil},
	{"POST /register/new/{entity}", "POST", "/register/new/systems", url.Values{"code": {"NEW-{own}"}, "org_code": {"{otherorg}"}}, []int{403, 422}, nil},
	{"GET /register/{entity}/{key...}", "GET", "/register/systems/SYS-{own}", nil, []int{200}, nil},
	{"GET /register/{entity}/{key...}", "GET", "/register/systems/SYS-{other}", nil, []int{404}, []int{200}},
	{"GET /register/{entity}/{key...}", "GET", "/register/components/CMP-{other}", nil, []int{404}, []int{200}},
	{"GET /register/{entity}/{key...}", "GET", "/register/organizations/{otherorg}", nil, []int{404}, []int{200}},
	{"POST /register/{entity}/{key...}", "POST", "/register/systems/SYS-{own}", url.Values{"name": {"route test"}, "version": {"v1-stale"}}, []int{403, 422}, nil},
	{"POST /register/{entity}/{key...}", "POST", "/register/systems/SYS-{other}", url.Values{"name": {"route test"}, "version": {"v1-stale"}}, []int{404}, []int{403, 422}},
	// Sign-out last: it ends the session.
	{"POST /logout", "POST", "/logout", url.Values{}, []int{303}, nil},
}

// registeredRoutes reads the route patterns out of the package's source, so
// a route added without a case here fails the test.
func registeredRoutes(t *testing.T) []string {
	t.Helper()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	re := regexp.MustCompile(`mux\.Handle(?:Func)?\("([A-Z]+ [^"]+)"`)
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
	return slices.Compact(out)
}

// TestRouteRoleOrganization sends every route, as every role granted on
// every organization of the fixture tree, on both stores, and asserts that
// no response carries a byte of an organization outside the user's
// subtree (lists, details, counts, exports, errors), that every status is
// one the route may answer, and that no request of a user changed another
// organization's data.
func TestRouteRoleOrganization(t *testing.T) {
	if raceEnabled {
		t.Skip("sequential requests: nothing for the race detector; runs in the normal pass")
	}
	registered := registeredRoutes(t)
	var covered []string
	for _, c := range routeCases {
		covered = append(covered, c.pattern)
	}
	for _, p := range registered {
		if !slices.Contains(covered, p) {
			t.Errorf("route %q has no case in routeCases", p)
		}
	}
	for _, c := range covered {
		if !slices.Contains(registered, c) {
			t.Errorf("routeCases names %q, which routes.go does not register", c)
		}
	}
	roles := []string{"viewer", "system_officer", "org_security", "auditor", "central_admin"}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		// The other organization of each: one outside the subtree.
		other := map[string]string{"GOV": "", "MA": "MB", "MA-1": "MA", "MB": "PX-1", "PX": "MA-1", "PX-1": "PX"}
		markerOf := map[string]string{}
		for _, o := range treeOrgs {
			markerOf[o.code] = o.marker
		}
		snapshot := treeSnapshot(t, s)
		itemOf := treeItems(t, s)
		roundOf := treeRounds(t, s)
		// The forum's threads: each leaf's own, read by it and those
		// above it; the stranger's is a leaf neither above nor below.
		threadOf := treeThreads(t, s)
		ownThread := map[string]string{"GOV": "MA-1", "MA": "MA-1", "MA-1": "MA-1", "MB": "MB", "PX": "PX-1", "PX-1": "PX-1"}
		strangerThread := map[string]string{"MA": "MB", "MA-1": "MB", "MB": "PX-1", "PX": "MA-1", "PX-1": "MB"}
		for _, o := range treeOrgs {
			for _, role := range roles {
				// User names carry the organization's marker, so a list
				// of users that shows another ministry's account leaks it.
				// The whole government's administrators are the exception:
				// their names rightly appear as the actors of what they did
				// in a ministry's part of the audit log.
				name := role + "-" + o.marker
				if o.parent == "" {
					name = role + "-" + o.code
				}
				secret := roleSession(t, s, name, role, o.code)
				forbidden := treeMarkers(o.code)
				oth := other[o.code]
				if oth == "" {
					oth = "MA" // the whole government sees everything: any target will do
				}
				repl := strings.NewReplacer("{own}", markerOf[o.code], "{other}", markerOf[oth],
					"{ownorg}", o.code, "{otherorg}", oth, "{otheruser}", "target-"+markerOf[oth],
					"{ownitem}", fmt.Sprint(itemOf[o.code]), "{otheritem}", fmt.Sprint(itemOf[oth]),
					"{ownround}", fmt.Sprint(roundOf[o.code]), "{otherround}", fmt.Sprint(roundOf[oth]),
					"{ownthread}", fmt.Sprint(threadOf[ownThread[o.code]]), "{otherthread}", fmt.Sprint(cmp.Or(threadOf[strangerThread[o.code]], 999999)))
				for _, c := range routeCases {
					target := repl.Replace(c.url)
					var form url.Values
					if c.form != nil {
						form = url.Values{}
						for k, vs := range c.form {
							for _, v := range vs {
								form.Add(k, repl.Replace(v))
							}
						}
					}
					rec := do(h, c.method, target, secret, form)
					ok := c.ok
					if c.whole != nil && o.code == "GOV" {
						ok = c.whole
					}
					if !slices.Contains(ok, rec.Code) {
						t.Errorf("%s %s as %s on %s = %d, want one of %v\n%s", c.method, target, role, o.code, rec.Code, ok, clipBody(rec.Body.String()))
					}
					body := rec.Body.String()
					for k, vs := range rec.Header() {
						body += "\n" + k + ": " + strings.Join(vs, ", ")
					}
					for _, f := range forbidden {
						// A marker the request itself carried may be echoed
						// (a search box keeps its text); anything else leaks.
						if strings.Contains(body, f) && !strings.Contains(target, f) && !strings.Contains(form.Encode(), url.QueryEscape(f)) {
							t.Errorf("%s %s as %s on %s leaks %q\n%s", c.method, target, role, o.code, f, around(body, f))
						}
					}
				}
			}
		}
		if after := treeSnapshot(t, s); after != snapshot {
			t.Errorf("the route requests changed the register:\nbefore %s\nafter  %s", snapshot, after)
		}
	})
}

// treeSnapshot summarises the fixture's register and grants, to show that
// no request changed them.
func treeSnapshot(t *testing.T, s *store.Store) string {
	t.Helper()
	var b strings.Builder
	for _, e := range []string{"organizations", "systems", "components"} {
		recs, n, err := s.Find(t.Context(), mamori.EntityByName(e), store.Filter{})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%s=%d %v; ", e, n, recs)
	}
	return b.String()
}

func clipBody(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// around returns the text around the first occurrence of sub, to show a leak.
func around(s, sub string) string {
	i := strings.Index(s, sub)
	if i < 0 {
		return clipBody(s)
	}
	from, to := max(0, i-300), min(len(s), i+len(sub)+300)
	return "…" + s[from:to] + "…"
}
