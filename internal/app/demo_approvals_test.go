package app_test

import (
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestDemoApprovals: the small demo holds the procurement gates, cloud use
// applications and export requests in every state of their workflows, on
// both stores; one export was blocked again by mamori at its expiry, and
// the conformity check cleared after its contract date is an OUT-05
// finding of that contract, late rather than missing.
func TestDemoApprovals(t *testing.T) {
	const today = "2026-11-01"
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", today, "--db", db); r.code != 0 ||
				!strings.Contains(r.stdout, "procurement and approval items") {
				t.Fatalf("demo = %+v", r)
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			var late string
			for _, d := range []*workflow.Definition{workflow.ConformityCheck, workflow.SpecReview, workflow.CloudUse, workflow.ExportRequest(0)} {
				items, err := st.WorkflowItems(t.Context(), store.WorkflowFilter{Kind: d.Kind})
				if err != nil {
					t.Fatal(err)
				}
				states := map[string]bool{}
				for _, it := range items {
					states[it.State] = true
					if d.Kind == workflow.ConformityKind && it.State == workflow.GateCleared &&
						it.Details[workflow.DetailClearedOn] > it.Details[workflow.DetailPlannedContract] {
						late = it.Details[workflow.DetailContract]
					}
					if it.State == workflow.Expired {
						hist, _ := st.WorkflowEvents(t.Context(), it.ID)
						if last := hist[len(hist)-1]; last.Actor != workflow.SystemActor || last.Transition != workflow.ExpireTransition {
							t.Errorf("expired item %d: last event %+v", it.ID, last)
						}
					}
				}
				for _, s := range d.States {
					if !states[s.Name] {
						t.Errorf("%s: no item in state %s (have %v)", d.Kind, s.Name, states)
					}
				}
			}
			if late == "" {
				t.Fatal("no conformity check cleared after its contract date")
			}
			fs, err := st.Findings(t.Context(), store.FindingFilter{ControlID: "OUT-05", Status: "open"})
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, f := range fs {
				if f.TargetCode == late {
					found = strings.Join(f.Criteria, ",") == "after_contract"
				}
			}
			if !found {
				t.Errorf("OUT-05 does not find %s's conformity check late", late)
			}
		})
	}
}
