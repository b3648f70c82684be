package oscalout_test

import (
	"slices"
	"testing"
	"time"

	"mamori/internal/oscal"
	"mamori/internal/oscalout"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestPOAMRemediation: a finding with a remediation item gets, on its
// poam-item, the item's owner, due date and milestones, and a risk whose
// deadline is the end of the due date in Japan; the document validates.
func TestPOAMRemediation(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		rep := assess(t, s)
		var f store.FindingInput
		for _, x := range rep.Fails {
			if x.Result == store.ResultFail || x.Result == "" {
				f = x
				break
			}
		}
		at := time.Date(2026, 11, 2, 1, 0, 0, 0, time.UTC)
		it, err := s.CreateWorkflowItem(ctx, store.WorkflowItem{Kind: "remediation", Subject: f.ControlID + " " + f.TargetCode,
			OrgCode: f.OrgCode, State: "in_progress", Severity: f.Severity, Applicant: "aud", Assignee: "owner-1", DueOn: "2026-12-01",
			Details: map[string]string{"control": f.ControlID, "target": f.TargetCode}, CreatedAt: at, UpdatedAt: at}, "")
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range []store.MilestoneChange{
			{Add: &store.WorkflowMilestone{Title: "設定変更の計画", DueOn: "2026-11-15", AddedBy: "owner-1", AddedAt: at}},
			{Done: 1, DoneOn: "2026-11-10", DoneBy: "owner-1"},
		} {
			if _, _, err := s.ChangeWorkflowItem(ctx, it.ID, 0, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
				return store.WorkflowChange{Item: cur, Milestone: &m, Event: store.WorkflowEvent{At: at, Actor: "owner-1", Event: store.WorkflowComment, Comment: "m"}}, nil
			}); err != nil {
				t.Fatal(err)
			}
		}
		doc := export(t, s, oscalout.Options{Kind: "poam"})
		p := doc.PlanOfActionAndMilestones
		var item *oscal.POAMItem
		for i := range p.POAMItems {
			if slices.ContainsFunc(p.POAMItems[i].Props, func(pr oscal.Property) bool { return pr.Name == "remediation-item" }) {
				if item != nil {
					t.Fatal("two poam-items carry a remediation item")
				}
				item = &p.POAMItems[i]
			}
		}
		if item == nil {
			t.Fatal("no poam-item carries the remediation item")
		}
		props := map[string]string{}
		for _, pr := range item.Props {
			props[pr.Name] = pr.Value
		}
		if props["owner"] != "owner-1" || props["due-date"] != "2026-12-01" || props["milestone"] != "2026-11-15 設定変更の計画 (done 2026-11-10)" ||
			props["remediation-state"] != "in_progress" {
			t.Errorf("poam-item props = %v", props)
		}
		if len(p.Risks) != 1 || len(item.RelatedRisks) != 1 || item.RelatedRisks[0].RiskUUID != p.Risks[0].UUID ||
			p.Risks[0].Status != "remediating" || !p.Risks[0].Deadline.Equal(time.Date(2026, 12, 1, 14, 59, 59, 0, time.UTC)) {
			t.Errorf("risk = %+v", p.Risks)
		}
	})
}
