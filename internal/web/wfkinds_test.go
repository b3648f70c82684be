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
	"mamori/internal/workflow"
)

// TestWorkflowPagesAnyKind: the create form offers every kind the user may
// open and renders the chosen kind's details as typed inputs (never the
// stamped ones); an export request is opened through it, refused with its
// message and its values kept when its expiry is beyond the maximum, shown
// with its details, and approved by another user through a form whose
// expiry input the approval may shorten; the applicant is offered no
// approval and is refused one.
func TestWorkflowPagesAnyKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		requestTargets(t, s, "MA-1", "K-1", "SYS-ZZMA1ZZ", "PC-WEB")
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "ex-officer", "system_officer@MA-1")
		sec := grantedSession(t, s, "ex-sec", "org_security@MA")
		viewer := grantedSession(t, s, "ex-viewer", "viewer@MA-1")

		rec := do(h, "GET", "/workflows?new="+workflow.ExportRequestKind, officer, nil)
		wantCode(t, rec, 200, "list with the export form")
		body := rec.Body.String()
		for _, want := range []string{`name="kind" value="export_request"`, `name="detail_component_code"`, `type="date" id="create-expires_on" name="detail_expires_on"`,
			`name="detail_purpose"`, `value="conformity_check"`, `value="cloud_use"`} {
			if !strings.Contains(body, want) {
				t.Errorf("the create form lacks %s", want)
			}
		}
		for _, stamped := range []string{"detail_approved_on", "detail_ended_on", `name="severity"`} {
			if strings.Contains(body, stamped) {
				t.Errorf("the export form offers %s", stamped)
			}
		}
		if rec := do(h, "GET", "/workflows", viewer, nil); strings.Contains(rec.Body.String(), `action="/workflows" aria-labelledby="create"`) {
			t.Error("a viewer is offered the create form")
		}
		today := time.Now().In(time.FixedZone("JST", 9*60*60))
		form := url.Values{"kind": {workflow.ExportRequestKind}, "subject": {"PC-WEB 持出し"}, "org": {"MA-1"},
			"detail_component_code": {"PC-WEB"}, "detail_purpose": {"会議資料"},
			"detail_expires_on": {today.AddDate(0, 0, workflow.DefaultMaxExportDays+1).Format(time.DateOnly)}}
		rec = do(h, "POST", "/workflows", officer, form)
		wantCode(t, rec, http.StatusUnprocessableEntity, "expiry beyond the maximum")
		if b := rec.Body.String(); !strings.Contains(b, "beyond the maximum") || !strings.Contains(b, `value="PC-WEB"`) {
			t.Errorf("the refusal does not show its message and the values sent:\n%s", clipBody(b))
		}
		if items, _ := s.WorkflowItems(t.Context(), store.WorkflowFilter{Kind: workflow.ExportRequestKind}); len(items) != 0 {
			t.Fatalf("a refused request stored %d items", len(items))
		}
		// A stamped date sent by hand is not read.
		form.Set("detail_expires_on", today.AddDate(0, 0, 3).Format(time.DateOnly))
		form.Set("detail_approved_on", "2020-01-01")
		rec = do(h, "POST", "/workflows", officer, form)
		wantCode(t, rec, http.StatusSeeOther, "create")
		m := regexp.MustCompile(`^/workflows/(\d+)\?done=created$`).FindStringSubmatch(rec.Header().Get("Location"))
		if m == nil {
			t.Fatalf("create redirects to %q", rec.Header().Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		it := mustItem(t, s, id)
		if it.Kind != workflow.ExportRequestKind || it.Details["component_code"] != "PC-WEB" || it.Details["approved_on"] != "" {
			t.Fatalf("created %+v", it)
		}
		page := fmt.Sprintf("/workflows/%d", id)
		rec = do(h, "GET", page, officer, nil)
		if b := rec.Body.String(); !strings.Contains(b, `href="/findings?status=all&amp;target=PC-WEB"`) || !strings.Contains(b, "会議資料") || strings.Contains(b, `value="approve"`) {
			t.Errorf("the applicant's page: details shown, no approval offered:\n%s", clipBody(b))
		}
		wantCode(t, act(h, id, officer, "approve", it.Version), http.StatusForbidden, "own approval")
		rec = do(h, "GET", page, sec, nil)
		if b := rec.Body.String(); !strings.Contains(b, `name="detail_expires_on" value="`+it.Details["expires_on"]+`"`) {
			t.Errorf("the approval form has no expiry input:\n%s", clipBody(b))
		}
		short := today.AddDate(0, 0, 1).Format(time.DateOnly)
		wantCode(t, act(h, id, sec, "approve", it.Version, "detail_expires_on", short), http.StatusSeeOther, "approve")
		it = mustItem(t, s, id)
		if it.State != workflow.Approved || it.Details["expires_on"] != short || it.Details["approved_on"] != today.Format(time.DateOnly) {
			t.Errorf("approved: %+v", it)
		}
		// Two at once: the second, on the version it saw, is told.
		rec = act(h, id, officer, "end", it.Version-1, "detail_items_taken", "x")
		wantCode(t, rec, http.StatusConflict, "stale end")
	})
}
