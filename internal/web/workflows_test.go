package web_test

import (
	"bytes"
	"fmt"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// uploadEvidence posts one file as the evidence form does.
func uploadEvidence(h http.Handler, target, secret, name, ctype string, content []byte) *httptest.ResponseRecorder {
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	hdr := textproto.MIMEHeader{}
	hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, name))
	if ctype != "" {
		hdr.Set("Content-Type", ctype)
	}
	part, _ := mw.CreatePart(hdr)
	part.Write(content)
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Cookie", "mamori_session="+secret)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// act posts one transition with the version the actor saw.
func act(h http.Handler, id int64, secret, transition string, version int64, extra ...string) *httptest.ResponseRecorder {
	form := url.Values{"transition": {transition}, "version": {strconv.FormatInt(version, 10)}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	return do(h, "POST", fmt.Sprintf("/workflows/%d/act", id), secret, form)
}

func wantCode(t *testing.T, rec *httptest.ResponseRecorder, want int, what string) {
	t.Helper()
	if rec.Code != want {
		t.Fatalf("%s = %d, want %d\n%s", what, rec.Code, want, clipBody(rec.Body.String()))
	}
}

func mustItem(t *testing.T, s *store.Store, id int64) store.WorkflowItem {
	t.Helper()
	it, err := s.WorkflowItem(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

// TestWorkflowPagesRemediation runs one remediation item from open to
// closed and reopened through the web pages alone, on both stores: the
// create form, assign, start, resolve, a refused close without evidence,
// an evidence upload (and a refused one), close by a reviewer, reopen; a
// stale version is refused with 409 and changes nothing; another
// ministry's security officer gets 404 for the item as for a missing one;
// the evidence downloads as an attachment of its sniffed type.
func TestWorkflowPagesRemediation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		sec := grantedSession(t, s, "wf-sec", "org_security@MA")
		worker := grantedSession(t, s, "wf-worker", "system_officer@MA-1")
		rev := grantedSession(t, s, "wf-rev", "auditor@MA")
		outsider := grantedSession(t, s, "wf-outsider", "org_security@MB")
		viewer := grantedSession(t, s, "wf-viewer", "viewer@MA-1")

		// Open the item through the create form.
		due := time.Now().In(time.FixedZone("JST", 9*60*60)).AddDate(0, 0, 30).Format(time.DateOnly)
		rec := do(h, "POST", "/workflows", sec, url.Values{"subject": {"REG-03 SYS-WEBTEST"}, "org": {"MA-1"},
			"severity": {"high"}, "due_on": {due}})
		wantCode(t, rec, http.StatusSeeOther, "create")
		m := regexp.MustCompile(`^/workflows/(\d+)\?done=created$`).FindStringSubmatch(rec.Header().Get("Location"))
		if m == nil {
			t.Fatalf("create redirects to %q", rec.Header().Get("Location"))
		}
		id, _ := strconv.ParseInt(m[1], 10, 64)
		page := fmt.Sprintf("/workflows/%d", id)
		// A create outside the officer's grants is refused on the list page.
		rec = do(h, "POST", "/workflows", sec, url.Values{"subject": {"elsewhere"}, "org": {"MB"}, "severity": {"low"}})
		wantCode(t, rec, http.StatusForbidden, "create in another ministry")
		if !strings.Contains(rec.Body.String(), "MB") || !strings.Contains(rec.Body.String(), `name="subject"`) {
			t.Errorf("a refused create does not show the form with the refusal:\n%s", clipBody(rec.Body.String()))
		}

		// The list: the item for the ministry, never for another.
		rec = do(h, "GET", "/workflows", sec, nil)
		wantCode(t, rec, 200, "list")
		if !strings.Contains(rec.Body.String(), "SYS-WEBTEST") || !strings.Contains(rec.Body.String(), `href="/workflows"`) {
			t.Errorf("the list (and its menu entry) do not show the item:\n%s", clipBody(rec.Body.String()))
		}
		rec = do(h, "GET", "/workflows?state=closed", sec, nil)
		if strings.Contains(rec.Body.String(), "SYS-WEBTEST") {
			t.Error("the state filter lets an open item through")
		}
		rec = do(h, "GET", "/workflows", outsider, nil)
		if strings.Contains(rec.Body.String(), "SYS-WEBTEST") {
			t.Error("another ministry's list shows the item")
		}
		// Another ministry: 404 exactly as for a missing id.
		got := do(h, "GET", page, outsider, nil)
		missing := do(h, "GET", "/workflows/999999", outsider, nil)
		// Only where the id is written: a bare digit also occurs in the
		// stylesheet's hashed name.
		norm := func(b, idText string) string {
			return strings.NewReplacer("/workflows/"+idText, "/workflows/N", "案件 "+idText, "案件 N", "item "+idText, "item N").Replace(b)
		}
		if got.Code != 404 || norm(got.Body.String(), m[1]) != norm(missing.Body.String(), "999999") {
			t.Errorf("another ministry's item = %d, unlike a missing one:\n%s\n---\n%s", got.Code,
				clipBody(got.Body.String()), clipBody(missing.Body.String()))
		}
		for _, r := range []*httptest.ResponseRecorder{
			act(h, id, outsider, "assign", 1, "assignee", "wf-worker"),
			act(h, id, outsider, "assign", 99, "assignee", "wf-worker"),
			do(h, "POST", page+"/comment", outsider, url.Values{"comment": {"x"}}),
			uploadEvidence(h, page+"/evidence", outsider, "a.txt", "text/plain", []byte("x")),
			do(h, "GET", page+"/evidence/1", outsider, nil),
		} {
			if r.Code != 404 {
				t.Errorf("another ministry's request = %d, want 404", r.Code)
			}
		}

		// assign: only the security officer is offered it.
		if !strings.Contains(do(h, "GET", page, sec, nil).Body.String(), `value="assign"`) {
			t.Error("the security officer is not offered assign")
		}
		if strings.Contains(do(h, "GET", page, viewer, nil).Body.String(), `value="assign"`) {
			t.Error("a viewer is offered assign")
		}
		wantCode(t, act(h, id, viewer, "assign", 1, "assignee", "wf-worker"), http.StatusForbidden, "assign by a viewer")
		wantCode(t, act(h, id, sec, "assign", 1, "assignee", "wf-worker"), http.StatusSeeOther, "assign")

		// A stale version: 409, the page again with the message, nothing changed.
		before := mustItem(t, s, id)
		hist, _ := s.WorkflowEvents(t.Context(), id)
		rec = act(h, id, sec, "assign", 1, "assignee", "wf-rev")
		wantCode(t, rec, http.StatusConflict, "stale assign")
		if !strings.Contains(rec.Body.String(), "他の人が先に更新しました") || !strings.Contains(rec.Body.String(), "was changed by someone else") {
			t.Errorf("the stale refusal does not say why in both languages:\n%s", clipBody(rec.Body.String()))
		}
		if after := mustItem(t, s, id); !reflect.DeepEqual(after, before) {
			t.Errorf("a stale action changed the item: %+v → %+v", before, after)
		}
		if h2, _ := s.WorkflowEvents(t.Context(), id); len(h2) != len(hist) {
			t.Errorf("a stale action added to the history")
		}

		wantCode(t, act(h, id, sec, "start", 2), http.StatusForbidden, "start by someone not assigned")
		wantCode(t, act(h, id, worker, "start", 2), http.StatusSeeOther, "start")
		wantCode(t, act(h, id, worker, "resolve", 3, "comment", "patched"), http.StatusSeeOther, "resolve")
		rec = act(h, id, rev, "close", 4)
		wantCode(t, rec, http.StatusConflict, "close without evidence")
		if !strings.Contains(rec.Body.String(), "証跡の添付") {
			t.Errorf("the refused close does not say evidence is needed:\n%s", clipBody(rec.Body.String()))
		}

		// Evidence: a file that is not what it claims is refused (422), a PDF kept.
		rec = uploadEvidence(h, page+"/evidence", worker, "report.pdf", "application/pdf", []byte("MZ\x90\x00 not a pdf"))
		wantCode(t, rec, http.StatusUnprocessableEntity, "bad evidence")
		big := bytes.Repeat([]byte("a"), 10<<20+1)
		wantCode(t, uploadEvidence(h, page+"/evidence", worker, "big.txt", "text/plain", big), http.StatusUnprocessableEntity, "evidence over the limit")
		huge := bytes.Repeat([]byte("a"), 12<<20)
		wantCode(t, uploadEvidence(h, page+"/evidence", worker, "huge.txt", "text/plain", huge), http.StatusUnprocessableEntity, "a body over the limit")
		if n, _ := s.WorkflowAttachments(t.Context(), id); len(n) != 0 {
			t.Fatalf("refused uploads stored %d attachments", len(n))
		}
		// Larger than an ordinary form may be (64 KiB): evidence has its own bound.
		pdf := []byte("%PDF-1.4\n1 0 obj <<>> endobj\n%" + strings.Repeat("scan ", 30000) + "\ntrailer <<>>\n%%EOF\n")
		rec = uploadEvidence(h, page+"/evidence", worker, `C:\reports\是正報告.pdf`, "application/pdf", pdf)
		wantCode(t, rec, http.StatusSeeOther, "evidence")
		if n, _ := s.WorkflowAttachments(t.Context(), id); len(n) != 1 {
			t.Fatalf("%d attachments stored, want 1", len(n))
		}

		// close: not by the worker (a role that may not), then by the reviewer.
		wantCode(t, act(h, id, worker, "close", 4), http.StatusForbidden, "close by the assignee")
		if !strings.Contains(do(h, "GET", page, rev, nil).Body.String(), `value="close"`) {
			t.Error("the reviewer is not offered close")
		}
		wantCode(t, act(h, id, rev, "close", 4, "comment", "verified"), http.StatusSeeOther, "close")
		if it := mustItem(t, s, id); it.State != "closed" || it.Version != 5 {
			t.Fatalf("after close: %+v", it)
		}
		wantCode(t, act(h, id, rev, "reopen", 5, "comment", "recurred"), http.StatusSeeOther, "reopen")
		wantCode(t, do(h, "POST", page+"/comment", worker, url.Values{"comment": {"working on it again"}}), http.StatusSeeOther, "comment")
		if it := mustItem(t, s, id); it.State != "in_progress" || it.Assignee != "wf-worker" || it.Version != 6 {
			t.Fatalf("after reopen: %+v", it)
		}

		// The page shows the history in order and the evidence.
		rec = do(h, "GET", page+"?lang=en", worker, nil)
		wantCode(t, rec, 200, "item page")
		body := rec.Body.String()
		last := -1
		for _, want := range []string{"<td>opened</td>", "<td>assign ", "<td>start ", "<td>resolve ", "<td>evidence attached</td>",
			"<td>close ", "<td>reopen ", "<td>working on it again</td>"} {
			i := strings.Index(body[max(last, 0):], want)
			if i < 0 {
				t.Fatalf("the history lacks %q after position %d:\n%s", want, last, body)
			}
			last = max(last, 0) + i
		}
		if !strings.Contains(body, page+"/evidence/1") || !strings.Contains(body, "是正報告.pdf") {
			t.Errorf("the page does not list the evidence")
		}

		// The download: an attachment of the stored type, never sniffed.
		rec = do(h, "GET", page+"/evidence/1", viewer, nil)
		wantCode(t, rec, 200, "download")
		hd := rec.Header()
		if hd.Get("Content-Type") != "application/pdf" || hd.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.HasPrefix(hd.Get("Content-Disposition"), "attachment;") ||
			!strings.Contains(hd.Get("Content-Disposition"), url.PathEscape("是正報告.pdf")) {
			t.Errorf("download headers: %v", hd)
		}
		if !bytes.Equal(rec.Body.Bytes(), pdf) {
			t.Errorf("download body %q", rec.Body.Bytes())
		}
		wantCode(t, do(h, "GET", page+"/evidence/2", viewer, nil), 404, "a second evidence that is not there")

		// Every action taken through the pages is in the audit trail,
		// filed under the item's organization; refusals are not.
		entries, _, err := s.AuditEntries(t.Context(), store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		slices.SortFunc(entries, func(a, b store.AuditEntry) int { return int(a.Seq - b.Seq) })
		var events []string
		target := fmt.Sprintf("workflow/remediation/%d", id)
		for _, e := range entries {
			if e.Action == "workflow" && e.Target == target {
				if e.OrgCode != "MA-1" {
					t.Errorf("audit entry %d filed under %q", e.Seq, e.OrgCode)
				}
				events = append(events, e.Actor)
			}
		}
		want := []string{"wf-sec", "wf-sec", "wf-worker", "wf-worker", "wf-worker", "wf-rev", "wf-rev", "wf-worker"}
		if strings.Join(events, " ") != strings.Join(want, " ") {
			t.Errorf("audit actors %v, want %v (create, assign, start, resolve, attach, close, reopen, comment)", events, want)
		}
	})
}
