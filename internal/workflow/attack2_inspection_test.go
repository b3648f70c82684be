package workflow_test

import (
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestAttack2FindingRemediationIsDue: a remediation item a reviewer opens
// for a self-inspection finding is due by its severity like every other
// item opened for a finding. Before, it had no due date, so it was never
// overdue, never escalated and never in anyone's reminders.
func TestAttack2FindingRemediationIsDue(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := inspectionSetup(t, st, true)
		it, err := f.svc.OpenInspection(ctx, f.users["alice"], workflow.Round{ProjectCode: "PJ-SZ", Stage: "requirements"})
		if err != nil {
			t.Fatal(err)
		}
		it = answerAll(t, f, "alice", it, 0)
		it = f.act(t, "alice", it, "submit")
		_, rem, err := f.svc.RaiseFinding(ctx, f.users["sec"], it.ID, it.Version, workflow.Finding{CatalogID: "self-inspection",
			ControlID: "SI-04", Text: "要件にログ保存期間がない", Remediate: true})
		if err != nil {
			t.Fatal(err)
		}
		want, err := workflow.LatestDue(rem.Severity, f.svc.Today())
		if err != nil {
			t.Fatal(err)
		}
		if rem.DueOn != want {
			t.Errorf("the finding's remediation item is due %q, want %q (severity %s)", rem.DueOn, want, rem.Severity)
		}
		stored, err := f.svc.Item(ctx, f.users["sec"], rem.ID)
		if err != nil || stored.DueOn != want {
			t.Errorf("stored: %+v, %v", stored, err)
		}
	})
}
