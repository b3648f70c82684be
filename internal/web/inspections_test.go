package web_test

import (
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// importSelfInspection stores the demo's questionnaire of manual controls,
// as mamori catalog import does.
func importSelfInspection(t *testing.T, s *store.Store) {
	t.Helper()
	c, err := catalog.Load("self-inspection.json", demo.SelfInspectionCatalog())
	if err != nil {
		t.Fatal(err)
	}
	if err := s.ImportCatalog(t.Context(), store.StoredCatalog{ID: c.ID, Title: c.Title, Version: c.Version,
		Source: string(demo.SelfInspectionCatalog()), ImportedAt: time.Now()}, nil); err != nil {
		t.Fatal(err)
	}
}

// TestInspectionPages runs one project stage's self-inspection through the
// pages alone, on both stores: the open form, a submission refused while
// questions are unanswered, an evidence upload, the answers (a stale form
// refused), submission, a PMO finding with a remediation item, a review
// the inspector may not take, the PMO review, a central review the PMO may
// not take, and the central review by a third account.
func TestInspectionPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		ctx := t.Context()
		err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(mamori.EntityByName("projects"), []mamori.Record{rec("projects", map[string]any{"code": "PJ-MA", "org_code": "MA-1", "name": "甲省共通基盤"})}); err != nil {
				return err
			}
			return l.Put(mamori.EntityByName("project_reviews"), []mamori.Record{rec("project_reviews", map[string]any{"project_code": "PJ-MA", "stage": "requirements"})})
		})
		if err != nil {
			t.Fatal(err)
		}
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		pjmo := grantedSession(t, s, "pjmo", "system_officer@MA-1")
		pmo := grantedSession(t, s, "pmo", "org_security@MA")
		centre := grantedSession(t, s, "centre", "central_admin@GOV")

		r := do(h, "POST", "/inspections", pjmo, url.Values{"scope": {"stage"}, "project": {"PJ-MA"}, "stage": {"planning"}})
		wantCode(t, r, 422, "open a stage the register lacks")
		if !strings.Contains(r.Body.String(), "工程レビュー") {
			t.Errorf("refusal does not say why:\n%s", clipBody(r.Body.String()))
		}
		r = do(h, "POST", "/inspections", pjmo, url.Values{"scope": {"stage"}, "project": {"PJ-MA"}, "stage": {"requirements"}})
		wantCode(t, r, 303, "open")
		loc := r.Header().Get("Location")
		page := strings.TrimSuffix(loc, "?done=created")
		id, _ := strconv.ParseInt(strings.TrimPrefix(page, "/inspections/"), 10, 64)
		r = do(h, "GET", page, pjmo, nil)
		wantCode(t, r, 200, "round page")
		for _, want := range []string{"SI-01", "SI-21", "設問 6 件、未回答 6 件", `name="answer-6"`} {
			if !strings.Contains(r.Body.String(), want) {
				t.Errorf("round page lacks %q", want)
			}
		}
		r = do(h, "POST", page+"/act", pjmo, url.Values{"transition": {"submit"}, "version": {"1"}})
		wantCode(t, r, 409, "submit unanswered")
		if !strings.Contains(r.Body.String(), "未回答の設問が 6 件") {
			t.Errorf("refused submission does not count the unanswered:\n%s", clipBody(r.Body.String()))
		}
		r = uploadEvidence(h, fmt.Sprintf("/workflows/%d/evidence?back=inspection", id), pjmo, "plan.txt", "text/plain", []byte("プロジェクト計画書 第3版\n"))
		wantCode(t, r, 303, "evidence upload")
		if got := r.Header().Get("Location"); !strings.HasPrefix(got, page) {
			t.Errorf("upload returns to %q, want the round", got)
		}
		r = uploadEvidence(h, fmt.Sprintf("/workflows/%d/evidence?back=inspection", id), pjmo, "plan.exe", "application/pdf", []byte("MZ\x90\x00not a pdf"))
		wantCode(t, r, 422, "a file that is not what it claims")
		atts, err := s.WorkflowAttachments(ctx, id)
		if err != nil || len(atts) != 1 {
			t.Fatalf("attachments: %v %v", atts, err)
		}
		form := url.Values{"version": {"1"}}
		for n := 1; n <= 6; n++ {
			form.Set(fmt.Sprintf("answer-%d", n), "yes")
		}
		form.Set("evidence-1", strconv.FormatInt(atts[0].ID, 10))
		form.Set("note-1", "計画書に記載あり")
		r = do(h, "POST", page+"/answers", pjmo, form)
		wantCode(t, r, 303, "answers")
		r = do(h, "POST", page+"/answers", pjmo, form)
		wantCode(t, r, 409, "a stale form")
		form.Set("version", "2")
		r = do(h, "POST", page+"/answers", pjmo, form)
		if r.Code != 303 || !strings.Contains(r.Header().Get("Location"), "done=unchanged") || mustItem(t, s, id).Version != 2 {
			t.Errorf("a form that changes nothing = %d %s, version %d", r.Code, r.Header().Get("Location"), mustItem(t, s, id).Version)
		}
		it := mustItem(t, s, id)
		r = do(h, "POST", page+"/act", pjmo, url.Values{"transition": {"submit"}, "version": {strconv.FormatInt(it.Version, 10)}})
		wantCode(t, r, 303, "submit")
		it = mustItem(t, s, id)
		r = do(h, "GET", page, pmo, nil)
		if !strings.Contains(r.Body.String(), `action="`+page+`/findings"`) || !strings.Contains(r.Body.String(), "plan.txt") {
			t.Errorf("the PMO's page lacks the finding form or the evidence:\n%s", clipBody(r.Body.String()))
		}
		r = do(h, "POST", page+"/findings", pmo, url.Values{"version": {strconv.FormatInt(it.Version, 10)}, "control": {"self-inspection:SI-04"},
			"finding": {"ログの保存期間が要件にない"}, "remediate": {"1"}})
		wantCode(t, r, 303, "finding")
		r = do(h, "GET", page, pjmo, nil)
		if !strings.Contains(r.Body.String(), "ログの保存期間が要件にない") || !strings.Contains(r.Body.String(), "是正案件") {
			t.Errorf("the finding is not shown:\n%s", clipBody(r.Body.String()))
		}
		it = mustItem(t, s, id)
		v := strconv.FormatInt(it.Version, 10)
		wantCode(t, do(h, "POST", page+"/act", pjmo, url.Values{"transition": {"pmo_review"}, "version": {v}}), 403, "the inspector reviews")
		wantCode(t, do(h, "POST", page+"/act", pmo, url.Values{"transition": {"pmo_review"}, "version": {v}}), 303, "PMO review")
		it = mustItem(t, s, id)
		v = strconv.FormatInt(it.Version, 10)
		wantCode(t, do(h, "POST", page+"/act", pmo, url.Values{"transition": {"central_review"}, "version": {v}}), 403, "the PMO reviews centrally")
		wantCode(t, do(h, "POST", page+"/act", centre, url.Values{"transition": {"central_review"}, "version": {v}}), 303, "central review")
		round, err := s.InspectionRound(ctx, id)
		if err != nil || round.SelfInspectedOn == "" || round.PMOReviewedOn == "" || round.CentralReviewedOn == "" {
			t.Errorf("round dates: %+v %v", round, err)
		}
		r = do(h, "GET", "/inspections?lang=en", pmo, nil)
		if !strings.Contains(r.Body.String(), "PJ-MA requirements") || !strings.Contains(r.Body.String(), round.CentralReviewedOn) {
			t.Errorf("the list lacks the closed round:\n%s", clipBody(r.Body.String()))
		}
	})
}
