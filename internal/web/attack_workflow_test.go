package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestAttackWorkflowPages: what the workflow pages must refuse or record,
// on both stores: a download of evidence is data leaving mamori, filed in
// the audit trail under the item's organization as the API's is; a
// subject with a NUL or a creation's comment past the bound is refused
// with the form and its reason (PostgreSQL answered "value not allowed",
// SQLite stored it; the comment was not bounded at all); a cross-site
// form post is refused.
func TestAttackWorkflowPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		sec := grantedSession(t, s, "at-sec", "org_security@MA")
		viewer := grantedSession(t, s, "at-viewer", "viewer@MA-1")

		rec := do(h, "POST", "/workflows", sec, url.Values{"subject": {"FND-1"}, "org": {"MA-1"}, "severity": {"low"}})
		wantCode(t, rec, http.StatusSeeOther, "create")
		m := regexp.MustCompile(`^/workflows/(\d+)`).FindStringSubmatch(rec.Header().Get("Location"))
		page := "/workflows/" + m[1]
		wantCode(t, uploadEvidence(h, page+"/evidence", sec, "report.txt", "text/plain", []byte("patched\n")), http.StatusSeeOther, "evidence")

		wantCode(t, do(h, "GET", page+"/evidence/1", viewer, nil), http.StatusOK, "download")
		es, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Action: audit.Export, Actor: "at-viewer"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != 1 || es[0].Target != fmt.Sprintf("workflow/remediation/%s/evidence/1", m[1]) || es[0].OrgCode != "MA-1" ||
			!strings.Contains(es[0].Detail, "report.txt") || !strings.Contains(es[0].Detail, "sha256") {
			t.Errorf("the download's audit entries = %+v, want one under MA-1 naming the file and its hash", es)
		}

		items := func() int {
			all, _ := s.WorkflowItems(t.Context(), store.WorkflowFilter{})
			return len(all)
		}
		before := items()
		for name, form := range map[string]url.Values{
			"NUL subject":    {"subject": {"FND\x00-2"}, "org": {"MA-1"}, "severity": {"low"}},
			"broken subject": {"subject": {"FND-\xff"}, "org": {"MA-1"}, "severity": {"low"}},
			"long comment":   {"subject": {"FND-2"}, "org": {"MA-1"}, "severity": {"low"}, "comment": {strings.Repeat("x", 60000)}},
		} {
			rec := do(h, "POST", "/workflows", sec, form)
			if rec.Code != http.StatusUnprocessableEntity || !strings.Contains(rec.Body.String(), `name="subject"`) {
				t.Errorf("%s: %d, want 422 with the form\n%s", name, rec.Code, clipBody(rec.Body.String()))
			}
		}
		if n := items(); n != before {
			t.Errorf("refused forms stored %d items", n-before)
		}

		req, _ := http.NewRequest("POST", page+"/comment", strings.NewReader("comment=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Cookie", "mamori_session="+sec)
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		rec = httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusForbidden {
			t.Errorf("a cross-site comment = %d, want 403", rec.Code)
		}
	})
}

// TestAttackControlCharactersInWebParameters: a NUL in a list's filter or
// a system's code is refused (400) or not found (404) on both stores;
// PostgreSQL failed on it with a 500.
func TestAttackControlCharactersInWebParameters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		sec := grantedSession(t, s, "at-sec", "org_security@MA")
		for p, want := range map[string]int{"/workflows?kind=a%00": 400, "/workflows?state=a%00": 400, "/systems?q=a%00": 400,
			"/findings?org=a%1b": 400, "/systems/a%00": 404} {
			if rec := do(h, "GET", p, sec, nil); rec.Code != want {
				t.Errorf("%s = %d, want %d\n%s", p, rec.Code, want, clipBody(rec.Body.String()))
			}
		}
	})
}
