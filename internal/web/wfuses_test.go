package web_test

import (
	"log/slog"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
	"mamori/internal/workflow"
)

// TestWorkflowPagesHideUnusedFields: a cloud use application has no
// severity, no assignee and no due date, so its page, a list of such items
// and its create form leave those rows, columns and inputs out rather than
// show "—" or 未割当 as if something were missing; a remediation item keeps
// them all, and a list mixing both kinds shows the columns with "—" for
// the approval, never 未割当.
func TestWorkflowPagesHideUnusedFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		requestTargets(t, s, "MA-1", "K-1", "SYS-ZZMA1ZZ", "PC-WEB")
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "uf-officer", "system_officer@MA-1")

		created := func(form url.Values) string {
			t.Helper()
			rec := do(h, "POST", "/workflows", officer, form)
			wantCode(t, rec, 303, "create "+form.Get("kind"))
			m := regexp.MustCompile(`^(/workflows/\d+)\?done=created$`).FindStringSubmatch(rec.Header().Get("Location"))
			if m == nil {
				t.Fatalf("create redirects to %q", rec.Header().Get("Location"))
			}
			return m[1]
		}
		cloud := created(url.Values{"kind": {workflow.CloudUseKind}, "subject": {"K-1 のクラウド利用"}, "org": {"MA-1"},
			"detail_contract_code": {"K-1"}, "detail_cloud_service_code": {"CS-1"}, "detail_purpose": {"メール"}})
		remedy := created(url.Values{"kind": {workflow.Remediation.Kind}, "subject": {"LOG-01 SYS-1"}, "org": {"MA-1"}, "severity": {"medium"}})

		rows := map[string]string{"severity": `<th scope="row">重大度</th>`, "assignee": `<th scope="row">担当者</th>`, "due": `<th scope="row">期限</th>`}
		cols := map[string]string{"severity": `<th scope="col">重大度</th>`, "assignee": `<th scope="col">担当者</th>`, "due": `<th scope="col">期限</th>`}
		has := func(target string, want bool, marks map[string]string) {
			t.Helper()
			rec := do(h, "GET", target, officer, nil)
			wantCode(t, rec, 200, target)
			for field, mark := range marks {
				if got := strings.Contains(rec.Body.String(), mark); got != want {
					t.Errorf("%s shows its %s: %v, want %v", target, field, got, want)
				}
			}
		}
		has(cloud, false, rows)
		has(remedy, true, rows)
		has("/workflows?kind="+workflow.CloudUseKind, false, cols)
		has("/workflows?kind="+workflow.Remediation.Kind, true, cols)
		has("/workflows", true, cols)
		if b := do(h, "GET", "/workflows?kind="+workflow.CloudUseKind, officer, nil).Body.String(); strings.Contains(b, "未割当") {
			t.Error("a list of cloud use applications calls them unassigned")
		}
		mixed := do(h, "GET", "/workflows", officer, nil).Body.String()
		row := regexp.MustCompile(`(?s)<tr>\s*<td class="num"><a href="` + cloud + `">.*?</tr>`).FindString(mixed)
		if row == "" || strings.Contains(row, "未割当") || strings.Count(row, "—") != 3 {
			t.Errorf("the mixed list's row of the application is not three dashes:\n%s", row)
		}
		due := `id="create-due"`
		if b := do(h, "GET", "/workflows?new="+workflow.CloudUseKind, officer, nil).Body.String(); strings.Contains(b, due) {
			t.Error("the cloud use form asks for a due date")
		}
		if b := do(h, "GET", "/workflows?new="+workflow.Remediation.Kind, officer, nil).Body.String(); !strings.Contains(b, due) {
			t.Error("the remediation form lacks its due date")
		}
	})
}

// TestWorkflowFormsOfferWhatAPersonEnters: the remediation create form
// offers no detail that only mamori sets (the finding, vulnerability,
// target and escalation, which the service refuses on a hand-made item)
// and no countermeasure; the resolve form of an item that is not a
// vulnerability's asks for no countermeasure (the service refuses one
// there); a list filtered by a kind offers that kind's create form.
func TestWorkflowFormsOfferWhatAPersonEnters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "fe-officer", "system_officer@MA-1")
		sec := grantedSession(t, s, "fe-sec", "org_security@MA")

		form := do(h, "GET", "/workflows?new="+workflow.Remediation.Kind, officer, nil).Body.String()
		for _, name := range []string{"control", "vulnerability", "target", "countermeasure", "escalation", "escalated_to", "escalated_on"} {
			if strings.Contains(form, `name="detail_`+name+`"`) {
				t.Errorf("the remediation create form offers detail %s", name)
			}
		}
		if !strings.Contains(form, `name="severity"`) || !strings.Contains(form, `name="due_on"`) {
			t.Error("the remediation create form lacks its severity or due date")
		}
		if b := do(h, "GET", "/workflows?kind="+workflow.CloudUseKind, officer, nil).Body.String(); !strings.Contains(b, `name="kind" value="cloud_use"`) {
			t.Error("a list of cloud use applications offers another kind's create form")
		}

		rec := do(h, "POST", "/workflows", officer, url.Values{"kind": {workflow.Remediation.Kind}, "subject": {"LOG-01 SYS-1"}, "org": {"MA-1"}, "severity": {"medium"}})
		wantCode(t, rec, 303, "create")
		page := regexp.MustCompile(`^(/workflows/\d+)`).FindString(rec.Header().Get("Location"))
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/workflows/"), 10, 64)
		wantCode(t, act(h, id, sec, "assign", 1, "assignee", "fe-officer"), 303, "assign")
		wantCode(t, act(h, id, officer, "start", 2), 303, "start")
		b := do(h, "GET", page, officer, nil).Body.String()
		if !strings.Contains(b, `name="transition" value="resolve"`) {
			t.Fatal("the assignee is offered no resolve form")
		}
		if strings.Contains(b, `name="detail_countermeasure"`) || strings.Contains(b, `name="countermeasure"`) {
			t.Error("the resolve form of a finding's item asks for a countermeasure")
		}
	})
}

// TestInspectionItemLinksItsRound: a self-inspection round's workflow page
// links to the round's own page, where its questions and answers are, as
// the round's page links back to the workflow page; another kind's item
// has no such link.
func TestInspectionItemLinksItsRound(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		importSelfInspection(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "li-officer", "system_officer@MA-1")
		r := do(h, "POST", "/inspections", officer, url.Values{"scope": {"fy"}, "org": {"MA-1"}, "fiscal_year": {"2025"}})
		wantCode(t, r, 303, "open a fiscal year's round")
		round := strings.TrimSuffix(r.Header().Get("Location"), "?done=created")
		item := strings.Replace(round, "/inspections/", "/workflows/", 1)
		if b := do(h, "GET", item, officer, nil).Body.String(); !strings.Contains(b, `<a href="`+round+`">点検項目と回答`) {
			t.Errorf("the round's workflow page %s does not link to %s", item, round)
		}
		r = do(h, "POST", "/workflows", officer, url.Values{"kind": {workflow.Remediation.Kind}, "subject": {"LOG-01 SYS-1"}, "org": {"MA-1"}, "severity": {"low"}})
		wantCode(t, r, 303, "create")
		other := strings.TrimSuffix(r.Header().Get("Location"), "?done=created")
		if b := do(h, "GET", other, officer, nil).Body.String(); strings.Contains(b, `href="/inspections/`) {
			t.Error("a remediation item links to a self-inspection round")
		}
	})
}
