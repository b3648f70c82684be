package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestRemediationPages opens a remediation item from a finding's row, on
// both stores: of the finding's severity, due by the catalog's table; a
// second one for the same finding and another ministry's finding are
// refused; the findings list links the item; milestones are added and
// ticked on the item's page, a stale or unauthorized change is refused
// and changes nothing; the list shows the ageing summary.
func TestRemediationPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		sec := grantedSession(t, s, "rm-sec", "org_security@MA")
		worker := grantedSession(t, s, "rm-worker", "system_officer@MA-1")
		viewer := grantedSession(t, s, "rm-viewer", "viewer@MA-1")
		outsider := grantedSession(t, s, "rm-outsider", "org_security@MB")

		rec := do(h, "GET", "/findings?lang=en", sec, nil)
		wantCode(t, rec, 200, "findings")
		if !strings.Contains(rec.Body.String(), `action="/findings/remediation"`) || !strings.Contains(rec.Body.String(), "Open remediation") {
			t.Fatalf("the findings list offers no remediation:\n%s", clipBody(rec.Body.String()))
		}
		if rec := do(h, "GET", "/findings", viewer, nil); strings.Contains(rec.Body.String(), `action="/findings/remediation"`) {
			t.Error("a viewer is offered to open remediation")
		}
		open := url.Values{"control": {"REG-03"}, "target": {"SYS-ZZMA1ZZ"}}
		wantCode(t, do(h, "POST", "/findings/remediation", outsider, open), http.StatusNotFound, "another ministry's finding")
		rec = do(h, "POST", "/findings/remediation", sec, open)
		wantCode(t, rec, http.StatusSeeOther, "open remediation")
		m := regexp.MustCompile(`^/workflows/(\d+)\?done=created$`).FindStringSubmatch(rec.Header().Get("Location"))
		if m == nil {
			t.Fatalf("open redirects to %q", rec.Header().Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		page := fmt.Sprintf("/workflows/%d", id)
		it := mustItem(t, s, id)
		due := time.Now().In(time.FixedZone("JST", 9*3600)).AddDate(0, 0, 30).Format(time.DateOnly)
		if it.Severity != "high" || it.DueOn != due || it.OrgCode != "MA-1" || it.Details["control"] != "REG-03" {
			t.Errorf("item = %+v, want high, due %s", it, due)
		}
		rec = do(h, "POST", "/findings/remediation", sec, open)
		wantCode(t, rec, http.StatusConflict, "a second item")
		if !strings.Contains(rec.Body.String(), fmt.Sprintf("already has remediation item %d", id)) &&
			!strings.Contains(rec.Body.String(), fmt.Sprintf("是正の案件 %d", id)) {
			t.Errorf("the refusal does not name the item:\n%s", clipBody(rec.Body.String()))
		}
		if rec := do(h, "GET", "/findings?target=SYS-ZZMA1ZZ", sec, nil); !strings.Contains(rec.Body.String(), `href="`+page+`"`) {
			t.Errorf("the finding's row does not link its item:\n%s", clipBody(rec.Body.String()))
		}

		wantCode(t, act(h, id, sec, "assign", it.Version, "assignee", "rm-worker"), http.StatusSeeOther, "assign")
		it = mustItem(t, s, id)
		add := url.Values{"version": {strconv.FormatInt(it.Version, 10)}, "title": {"設定変更の承認"}, "due_on": {"2030-01-15"}}
		wantCode(t, do(h, "POST", page+"/milestones", viewer, add), http.StatusForbidden, "a viewer's milestone")
		wantCode(t, do(h, "POST", page+"/milestones", worker, add), http.StatusSeeOther, "the assignee's milestone")
		wantCode(t, do(h, "POST", page+"/milestones", worker, add), http.StatusConflict, "a stale milestone")
		ms, _ := s.WorkflowMilestones(t.Context(), id)
		if len(ms[id]) != 1 {
			t.Fatalf("milestones = %+v", ms)
		}
		it = mustItem(t, s, id)
		tick := url.Values{"version": {strconv.FormatInt(it.Version, 10)}, "done": {"1"}}
		wantCode(t, do(h, "POST", fmt.Sprintf("%s/milestones/%d", page, ms[id][0].ID), worker, tick), http.StatusSeeOther, "tick")
		rec = do(h, "GET", page+"?lang=en", worker, nil)
		body := rec.Body.String()
		for _, want := range []string{"設定変更の承認", "2030-01-15", "Mark not done", "REG-03", "Open for", "milestone done"} {
			if !strings.Contains(body, want) {
				t.Errorf("the item's page lacks %q:\n%s", want, clipBody(body))
			}
		}
		rec = do(h, "GET", "/workflows?lang=en", sec, nil)
		if !strings.Contains(rec.Body.String(), `id="ageing"`) || !strings.Contains(rec.Body.String(), "0-30") {
			t.Errorf("the list has no ageing summary:\n%s", clipBody(rec.Body.String()))
		}
	})
}
