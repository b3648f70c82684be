package workflow_test

import (
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestAttack2RoundOnlyByOpening: a self-inspection round is opened with its
// questionnaire (OpenInspection) or not at all. Before, the generic create
// (the workflow form, POST /api/v1/workflows, workflow create) made a round
// with no question, which its inspector could submit at once, "answered
// in full", and take through both reviews.
func TestAttack2RoundOnlyByOpening(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := inspectionSetup(t, st, true)
		for _, d := range []map[string]string{
			{workflow.DetailFiscalYear: "2026"},
			{workflow.DetailProject: "PJ-SZ", workflow.DetailStage: "requirements"},
		} {
			_, err := f.svc.Create(ctx, f.users["alice"], workflow.InspectionKind, workflow.NewItem{Subject: "空の点検", OrgCode: "B01", Details: d})
			wantKind(t, "a round without its questionnaire", err, mamori.Invalid, "questionnaire")
		}
		items, err := st.WorkflowItems(ctx, store.WorkflowFilter{Kind: workflow.InspectionKind})
		if err != nil || len(items) != 0 {
			t.Errorf("rounds stored: %+v %v", items, err)
		}
		// Opening still works.
		if _, err := f.svc.OpenInspection(ctx, f.users["alice"], workflow.Round{ProjectCode: "PJ-SZ", Stage: "requirements"}); err != nil {
			t.Fatal(err)
		}
	})
}
