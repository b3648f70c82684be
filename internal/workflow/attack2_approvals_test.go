package workflow_test

import (
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestAttack2ResubmitterDoesNotApprove: whoever resubmits a returned
// request (changing its details) has made the request they would
// approve, so they may not review, clear or approve it, as its applicant
// may not. Before, a security officer could return a system officer's
// gate, resubmit it with their own planned contract date and clear it
// themselves; likewise a cloud use application with their own purpose.
func TestAttack2ResubmitterDoesNotApprove(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		now := today
		svc := newAll(t, f, &now)
		act := func(who, tr string, it store.WorkflowItem, d map[string]string) (store.WorkflowItem, error) {
			return svc.Act(ctx, f.users[who], it.ID, workflow.Step{Transition: tr, Version: it.Version, Details: d})
		}
		must := func(it store.WorkflowItem, err error) store.WorkflowItem {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
			return it
		}

		gate := must(svc.Create(ctx, f.users["bob"], workflow.ConformityKind, workflow.NewItem{Subject: "K-001", OrgCode: "B01",
			Details: map[string]string{workflow.DetailContract: "K-001", workflow.DetailPlannedContract: "2026-12-20"}}))
		gate = must(act("sec2", "review", gate, nil))
		gate = must(act("sec2", "return", gate, nil))
		gate = must(act("sec2", "resubmit", gate, map[string]string{workflow.DetailPlannedContract: "2026-12-24"}))
		_, err := act("sec2", "review", gate, nil)
		wantKind(t, "the resubmitter reviewing the gate", err, mamori.Forbidden, "resubmitted")
		gate = must(act("sec", "review", gate, nil))
		_, err = act("sec2", "clear", gate, nil)
		wantKind(t, "the resubmitter clearing the gate", err, mamori.Forbidden, "resubmitted")
		gate = must(act("sec", "clear", gate, nil))
		if gate.State != workflow.GateCleared {
			t.Errorf("gate %s", gate.State)
		}

		// The applicant resubmitting again restores the usual rule.
		now = today.Add(time.Hour)
		cloud := must(svc.Create(ctx, f.users["bob"], workflow.CloudUseKind, workflow.NewItem{Subject: "K-002", OrgCode: "B01",
			Details: map[string]string{workflow.DetailContract: "K-002", workflow.DetailCloudService: "CS-1", workflow.DetailPurpose: "メール"}}))
		cloud = must(act("sec2", "reject", cloud, nil))
		cloud = must(act("sec2", "resubmit", cloud, map[string]string{workflow.DetailPurpose: "全業務"}))
		_, err = act("sec2", "approve", cloud, nil)
		wantKind(t, "the resubmitter approving cloud use", err, mamori.Forbidden, "resubmitted")
		cloud = must(act("sec", "reject", cloud, nil))
		cloud = must(act("bob", "resubmit", cloud, map[string]string{workflow.DetailPurpose: "メール"}))
		cloud = must(act("sec2", "approve", cloud, nil))
		if cloud.State != workflow.Approved {
			t.Errorf("cloud use %s", cloud.State)
		}
	})
}
