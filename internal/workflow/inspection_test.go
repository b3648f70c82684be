package workflow_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// record builds a register record of entity from column values.
func record(entity string, vals map[string]any) mamori.Record {
	e := mamori.EntityByName(entity)
	r := make(mamori.Record, len(e.Fields))
	for col, v := range vals {
		r[e.FieldIndex(col)] = v
	}
	return r
}

// inspectionSetup adds to the fixture a project of B01 with two stages
// (neither inspected, as the secure zone's), the demo's questionnaire, a
// PMO that is also the centre ("both"), the centre's auditor ("gaud") and
// the inspection workflow.
func inspectionSetup(t *testing.T, st *store.Store, withCatalog bool) *fixture {
	t.Helper()
	ctx := t.Context()
	f := setup(t, st)
	err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		if err := l.Put(mamori.EntityByName("projects"), []mamori.Record{record("projects",
			map[string]any{"code": "PJ-SZ", "org_code": "B01", "name": "セキュアゾーン"})}); err != nil {
			return err
		}
		return l.Put(mamori.EntityByName("project_reviews"), []mamori.Record{
			record("project_reviews", map[string]any{"project_code": "PJ-SZ", "stage": "requirements"}),
			record("project_reviews", map[string]any{"project_code": "PJ-SZ", "stage": "development", "self_inspected_on": "2026-04-01", "pmo_reviewed_on": "2026-05-01"}),
		})
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	if withCatalog {
		c, err := catalog.Load("self-inspection.json", demo.SelfInspectionCatalog())
		if err != nil {
			t.Fatal(err)
		}
		if err := st.ImportCatalog(ctx, store.StoredCatalog{ID: c.ID, Title: c.Title, Version: c.Version,
			Source: string(demo.SelfInspectionCatalog()), ImportedAt: today}, nil); err != nil {
			t.Fatal(err)
		}
	}
	for name, gs := range map[string][]store.RoleGrant{
		"both": {{Role: string(auth.OrgSecurity), OrgCode: "M01"}, {Role: string(auth.CentralAdmin), OrgCode: "G"}},
		"gaud": {{Role: string(auth.Auditor), OrgCode: "G"}}, // the centre's auditor
	} {
		if err := st.CreateUser(ctx, store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: today, Grants: gs}); err != nil {
			t.Fatal(err)
		}
		u, err := st.User(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u
	}
	f.svc, err = workflow.New(st, workflow.All()...)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Now = func() time.Time { return today }
	return f
}

// pln05 returns PLN-05's result for organization B01: "fail" or "pass".
func pln05(t *testing.T, st *store.Store) string {
	t.Helper()
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(t.Context(), st, cats, check.Options{Today: "2026-12-01"})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	for _, fi := range rep.Fails {
		if fi.ControlID == "PLN-05" && fi.TargetCode == "B01" {
			return fi.Result
		}
	}
	for _, s := range rep.Summaries {
		if s.Control.ID == "PLN-05" && s.Pass > 0 {
			return "pass"
		}
	}
	return "not applicable"
}

// manualResult returns a manual control's outcome for a target after an
// assessment with every catalog in force: "fail", "unknown" (未確認),
// "pass" (judged, no finding) or "none" (not judged).
func manualResult(t *testing.T, st *store.Store, control, target string) string {
	t.Helper()
	cats, err := workflow.Catalogs(t.Context(), st)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(t.Context(), st, cats, check.Options{Today: "2026-12-01"})
	if err != nil {
		t.Fatalf("check.Run: %v", err)
	}
	for _, fi := range rep.Fails {
		if fi.ControlID == control && fi.TargetCode == target {
			return fi.Result
		}
	}
	for _, s := range rep.Summaries {
		if s.Control.ID == control && s.Pass > 0 {
			return "pass"
		}
	}
	return "none"
}

// answerAll answers every question of the round yes, the first with the
// evidence given.
func answerAll(t *testing.T, f *fixture, who string, it store.WorkflowItem, evidence int64) store.WorkflowItem {
	t.Helper()
	qs, err := f.st.InspectionAnswers(t.Context(), it.ID)
	if err != nil {
		t.Fatal(err)
	}
	var as []workflow.Answer
	for i, q := range qs {
		a := workflow.Answer{CatalogID: q.CatalogID, ControlID: q.ControlID, Answer: store.AnswerYes}
		if i == 0 {
			a.AttachmentID, a.Note = evidence, "計画書 p.12"
		}
		as = append(as, a)
	}
	next, err := f.svc.AnswerInspection(t.Context(), f.users[who], it.ID, it.Version, as)
	if err != nil {
		t.Fatalf("AnswerInspection by %s: %v", who, err)
	}
	return next
}

func wantRefusal(t *testing.T, what string, err error, kind mamori.Kind, text string) {
	t.Helper()
	if mamori.KindOf(err) != kind || !strings.Contains(err.Error(), text) {
		t.Errorf("%s: got %v (%v), want %v containing %q", what, err, mamori.KindOf(err), kind, text)
	}
}

// TestInspectionEndToEnd takes a project stage's round from opening to the
// central review, through a return, and watches PLN-05 fire and clear.
func TestInspectionEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := inspectionSetup(t, st, true)
		if got := pln05(t, st); got != store.ResultFail {
			t.Fatalf("PLN-05 before the round: %s, want fail", got)
		}
		open := workflow.Round{ProjectCode: "PJ-SZ", Stage: "requirements"}
		_, err := f.svc.OpenInspection(ctx, f.users["view"], open)
		wantRefusal(t, "open by a viewer", err, mamori.Forbidden, "may open")
		_, err = f.svc.OpenInspection(ctx, f.users["alice"], workflow.Round{ProjectCode: "PJ-SZ", Stage: "planning"})
		wantRefusal(t, "open a stage the register lacks", err, mamori.Invalid, "lists no project")
		_, err = f.svc.OpenInspection(ctx, f.users["other"], open)
		wantRefusal(t, "open another ministry's project", err, mamori.Invalid, "lists no project")
		it, err := f.svc.OpenInspection(ctx, f.users["alice"], open)
		if err != nil {
			t.Fatalf("OpenInspection: %v", err)
		}
		if it.State != workflow.Drafted || it.OrgCode != "B01" || it.Details["project_code"] != "PJ-SZ" {
			t.Errorf("opened round: %+v", it)
		}
		_, err = f.svc.OpenInspection(ctx, f.users["sec"], open)
		wantRefusal(t, "a second round of the stage", err, mamori.Conflict, "already open")
		qs, err := st.InspectionAnswers(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		// Five project questions and the common one; no fiscal-year one.
		if len(qs) != 6 || qs[0].ControlID != "SI-01" || qs[5].ControlID != "SI-21" {
			t.Errorf("questionnaire: %+v", qs)
		}

		_, err = f.svc.Act(ctx, f.users["alice"], it.ID, workflow.Step{Transition: "submit", Version: it.Version})
		wantRefusal(t, "submit unanswered", err, mamori.Conflict, "6 questions are unanswered")
		_, err = f.svc.AnswerInspection(ctx, f.users["sec"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-01", Answer: "yes"}})
		wantRefusal(t, "answer by the PMO", err, mamori.Forbidden, "only the inspector")
		_, err = f.svc.AnswerInspection(ctx, f.users["alice"], it.ID, it.Version, []workflow.Answer{
			{CatalogID: "self-inspection", ControlID: "SI-01", Answer: "yes"}, {CatalogID: "self-inspection", ControlID: "SI-02", Answer: "maybe"}})
		wantRefusal(t, "a mistyped answer", err, mamori.Invalid, `"maybe" is not allowed`)
		_, err = f.svc.AnswerInspection(ctx, f.users["alice"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-99", Answer: "yes"}})
		wantRefusal(t, "a control not asked", err, mamori.Invalid, "asks nothing about")
		if got, _ := st.InspectionAnswers(ctx, it.ID); got[0].Answer != "" {
			t.Errorf("a refused answer was stored: %+v", got[0])
		}
		_, err = f.svc.AnswerInspection(ctx, f.users["other"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-01", Answer: "yes"}})
		wantRefusal(t, "answer from another ministry", err, mamori.NotFound, "no self-inspection")

		ev, err := f.svc.Attach(ctx, f.users["alice"], it.ID, "plan.pdf", "application/pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		// Evidence of another item is refused.
		rem := f.create(t, "alice", "low")
		other, err := f.svc.Attach(ctx, f.users["alice"], rem.ID, "x.pdf", "application/pdf", pdf)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AnswerInspection(ctx, f.users["alice"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-01", Answer: "yes", AttachmentID: other.ID}})
		wantRefusal(t, "another item's evidence", err, mamori.Invalid, "not attached to this self-inspection")

		// Two edits of the same version: exactly one wins.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, ans := range []string{"yes", "no"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.AnswerInspection(ctx, f.users["alice"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-02", Answer: ans}})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("simultaneous answers: %v / %v, want exactly one to win", errs[0], errs[1])
		}
		for _, e := range errs {
			if e != nil && mamori.KindOf(e) != mamori.Conflict {
				t.Errorf("the loser: %v, want a conflict", e)
			}
		}
		it, err = f.svc.Item(ctx, f.users["alice"], it.ID)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.AnswerInspection(ctx, f.users["alice"], it.ID, it.Version-1, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-01", Answer: "yes"}})
		wantRefusal(t, "a stale edit", err, mamori.Conflict, "changed by someone else")

		it = answerAll(t, f, "alice", it, ev.ID)
		got, _ := st.InspectionAnswers(ctx, it.ID)
		if got[0].AttachmentID != ev.ID || got[0].Note != "計画書 p.12" || got[0].AnsweredBy != "alice" {
			t.Errorf("answer with evidence: %+v", got[0])
		}
		_, err = f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "submit", Version: it.Version})
		wantRefusal(t, "submit by someone else", err, mamori.Forbidden, "only the inspector")
		_, err = f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "pmo_review", Version: it.Version})
		wantRefusal(t, "PMO review before submission", err, mamori.Conflict, "not allowed from state")
		it = f.act(t, "alice", it, "submit")
		if got := pln05(t, st); got != store.ResultFail {
			t.Errorf("PLN-05 after the self-inspection alone: %s, want fail", got)
		}
		_, err = f.svc.AnswerInspection(ctx, f.users["alice"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-01", Answer: "no"}})
		wantRefusal(t, "answer after submission", err, mamori.Conflict, "only while the round is drafted or returned")

		// The PMO raises a finding with a remediation item and returns it.
		_, _, err = f.svc.RaiseFinding(ctx, f.users["alice"], it.ID, it.Version, workflow.Finding{CatalogID: "self-inspection", ControlID: "SI-04", Text: "自分で"})
		wantRefusal(t, "the inspector's finding", err, mamori.Forbidden, "only a reviewer")
		it, remIt, err := f.svc.RaiseFinding(ctx, f.users["sec"], it.ID, it.Version, workflow.Finding{CatalogID: "self-inspection",
			ControlID: "SI-04", Text: "要件にログ保存期間がない", Remediate: true})
		if err != nil {
			t.Fatalf("RaiseFinding: %v", err)
		}
		if remIt.Kind != "remediation" || remIt.OrgCode != "B01" || !strings.Contains(remIt.Subject, "SI-04") {
			t.Errorf("remediation item: %+v", remIt)
		}
		got, _ = st.InspectionAnswers(ctx, it.ID)
		if got[3].Finding != "要件にログ保存期間がない" || got[3].FindingBy != "sec" || got[3].RemediationID != remIt.ID {
			t.Errorf("finding: %+v", got[3])
		}
		it = f.act(t, "sec", it, "pmo_return")
		round, _ := st.InspectionRound(ctx, it.ID)
		if round.SelfInspectedOn != "" {
			t.Errorf("a returned round keeps its date: %+v", round)
		}
		it = answerAll(t, f, "alice", it, ev.ID)
		it = f.act(t, "alice", it, "submit")
		_, err = f.svc.Act(ctx, f.users["alice"], it.ID, workflow.Step{Transition: "pmo_review", Version: it.Version})
		wantRefusal(t, "a system officer reviews", err, mamori.Forbidden, "only organization security officer")
		it = f.act(t, "both", it, "pmo_review")
		if got := pln05(t, st); got != "pass" {
			t.Errorf("PLN-05 after the PMO review: %s, want pass", got)
		}
		_, err = f.svc.Act(ctx, f.users["both"], it.ID, workflow.Step{Transition: "central_review", Version: it.Version})
		wantRefusal(t, "the PMO reviewer reviews centrally", err, mamori.Forbidden, "PMO reviewer may not")
		_, err = f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "central_review", Version: it.Version})
		wantRefusal(t, "the PMO reviews centrally", err, mamori.Forbidden, "only")
		it = f.act(t, "centre", it, "central_review")
		round, _ = st.InspectionRound(ctx, it.ID)
		if it.State != workflow.CentrallyReviewed || round.SelfInspectedOn != "2026-12-01" || round.PMOReviewedOn != "2026-12-01" || round.CentralReviewedOn != "2026-12-01" {
			t.Errorf("closed round: %s %+v", it.State, round)
		}
		_, err = f.svc.Act(ctx, f.users["centre"], it.ID, workflow.Step{Transition: "central_return", Version: it.Version})
		wantRefusal(t, "return a closed round", err, mamori.Conflict, "not allowed from state")
	})
}

// TestInspectionFiscalYear: a fiscal-year round asks the fiscal-year and
// common questions; a scope of both kinds, a bad year and a deployment
// without manual controls are refused.
func TestInspectionFiscalYear(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := inspectionSetup(t, st, false)
		_, err := f.svc.OpenInspection(ctx, f.users["sec"], workflow.Round{OrgCode: "M01", FiscalYear: "2026"})
		wantRefusal(t, "no manual control", err, mamori.Invalid, "no manual control applies")
		f = &fixture{st: st, users: f.users, svc: f.svc}
		c, _ := catalog.Load("self-inspection.json", demo.SelfInspectionCatalog())
		if err := st.ImportCatalog(ctx, store.StoredCatalog{ID: c.ID, Title: c.Title, Version: c.Version,
			Source: string(demo.SelfInspectionCatalog()), ImportedAt: today}, nil); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.OpenInspection(ctx, f.users["sec"], workflow.Round{OrgCode: "M01", FiscalYear: "1999"})
		wantRefusal(t, "a bad year", err, mamori.Invalid, "not a year from 2000 to 2100")
		_, err = f.svc.OpenInspection(ctx, f.users["sec"], workflow.Round{ProjectCode: "PJ-SZ", Stage: "requirements", FiscalYear: "2026"})
		wantRefusal(t, "both scopes", err, mamori.Invalid, "not both or neither")
		it, err := f.svc.OpenInspection(ctx, f.users["sec"], workflow.Round{OrgCode: "M01", FiscalYear: "FY2026"})
		if err != nil {
			t.Fatalf("OpenInspection: %v", err)
		}
		qs, _ := st.InspectionAnswers(ctx, it.ID)
		if len(qs) != 4 || qs[0].ControlID != "SI-11" || it.Subject != "M01 FY2026" {
			t.Errorf("fiscal-year round %q: %+v", it.Subject, qs)
		}
		round, err := st.InspectionRound(ctx, it.ID)
		if err != nil || round.FiscalYear != 2026 || round.OrgCode != "M01" || round.ProjectCode != "" {
			t.Errorf("round: %+v %v", round, err)
		}
		// Two people opening the same round at once: exactly one wins.
		var wg sync.WaitGroup
		errs := make([]error, 2)
		for i, who := range []string{"other", "centre"} {
			wg.Add(1)
			go func() {
				defer wg.Done()
				_, errs[i] = f.svc.OpenInspection(ctx, f.users[who], workflow.Round{OrgCode: "M02", FiscalYear: "2027"})
			}()
		}
		wg.Wait()
		if (errs[0] == nil) == (errs[1] == nil) {
			t.Errorf("simultaneous openings: %v / %v, want exactly one to win", errs[0], errs[1])
		}
		for _, e := range errs {
			if e != nil && mamori.KindOf(e) != mamori.Conflict {
				t.Errorf("the loser: %v, want a conflict", e)
			}
		}
		// Until the self-inspection is done, its answers are 未確認.
		if got := manualResult(t, st, "SI-11", "M01/2026"); got != store.ResultUnknown {
			t.Errorf("SI-11 of a drafted round: %s, want unknown", got)
		}
		// The audited never audits: the PMO who inspected may not review.
		it = answerAll(t, f, "sec", it, 0)
		it = f.act(t, "sec", it, "submit")
		if got := manualResult(t, st, "SI-11", "M01/2026"); got != "pass" {
			t.Errorf("SI-11 answered yes: %s, want pass", got)
		}
		_, err = f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "pmo_review", Version: it.Version})
		wantRefusal(t, "the inspector reviews", err, mamori.Forbidden, "applicant may not approve")
		_, _, err = f.svc.RaiseFinding(ctx, f.users["sec"], it.ID, it.Version, workflow.Finding{CatalogID: "self-inspection", ControlID: "SI-11", Text: "x"})
		wantRefusal(t, "the inspector's finding", err, mamori.Forbidden, "only a reviewer")
		it = f.act(t, "both", it, "pmo_review")
		it = f.act(t, "gaud", it, "central_return")
		if it.State != workflow.Returned {
			t.Errorf("central return: %s", it.State)
		}
		if got := manualResult(t, st, "SI-11", "M01/2026"); got != store.ResultUnknown {
			t.Errorf("SI-11 of a returned round: %s, want unknown", got)
		}
		it, err = f.svc.AnswerInspection(ctx, f.users["sec"], it.ID, it.Version, []workflow.Answer{{CatalogID: "self-inspection", ControlID: "SI-12", Answer: "no"}})
		if err != nil {
			t.Fatal(err)
		}
		f.act(t, "sec", it, "submit")
		if got := manualResult(t, st, "SI-12", "M01/2026"); got != store.ResultFail {
			t.Errorf("SI-12 answered no: %s, want fail", got)
		}
		if got := manualResult(t, st, "SI-11", "M01/2026"); got != "pass" {
			t.Errorf("SI-11 answered yes, resubmitted: %s, want pass", got)
		}
	})
}
