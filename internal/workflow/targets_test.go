package workflow_test

import (
	"slices"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestRequestTargetsInScope: a gate request, a cloud use application and
// an export request naming a contract or component that does not exist,
// or one of another ministry, or one of the organization above the
// item's, would count for nothing in the checks while its approver
// believed it cleared: each is refused at creation, with one message for
// all (no oracle of another ministry's register) naming the field. One
// of the item's organization or below it is accepted; so is one filed
// above the target's organization.
func TestRequestTargetsInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		now := today
		svc := newAll(t, f, &now)
		gate := func(contract string) map[string]string {
			return map[string]string{workflow.DetailContract: contract, workflow.DetailPlannedContract: "2026-12-20"}
		}
		cloud := func(contract string) map[string]string {
			return map[string]string{workflow.DetailContract: contract, workflow.DetailCloudService: "CS-1", workflow.DetailPurpose: "メール"}
		}
		export := func(component string) map[string]string {
			return map[string]string{workflow.DetailComponent: component, workflow.DetailPurpose: "会議資料", workflow.DetailExpiresOn: "2026-12-05"}
		}
		cases := []struct {
			kind, who, org string
			details        map[string]string
			field          string // "" when accepted
		}{
			{workflow.ConformityKind, "bob", "B01", gate("K-001"), ""},
			{workflow.ConformityKind, "sec", "M01", gate("K-001"), ""}, // filed above the contract's organization
			{workflow.ConformityKind, "bob", "B01", gate("K-NONE"), "Contract code"},
			{workflow.ConformityKind, "bob", "B01", gate("K-M02"), "Contract code"},
			{workflow.SpecReviewKind, "centre", "B01", gate("K-M02"), "Contract code"}, // the centre too: the item is B01's
			{workflow.SpecReviewKind, "other", "M02", gate("K-001"), "Contract code"},
			{workflow.CloudUseKind, "bob", "B01", cloud("K-9"), ""},
			{workflow.CloudUseKind, "bob", "B01", cloud("K-NONE"), "Contract code"},
			{workflow.CloudUseKind, "other", "M02", cloud("K-9"), "Contract code"},
			{workflow.ExportRequestKind, "bob", "B01", export("PC-1"), ""},
			{workflow.ExportRequestKind, "bob", "B01", export("PC-NONE"), "Component code"},
			{workflow.ExportRequestKind, "bob", "B01", export("PC-M02"), "Component code"},
			{workflow.ExportRequestKind, "other", "M02", export("PC-1"), "Component code"},
		}
		var messages = map[string]string{}
		for _, c := range cases {
			it, err := svc.Create(ctx, f.users[c.who], c.kind, workflow.NewItem{Subject: "x", OrgCode: c.org, Details: c.details})
			name := c.kind + " by " + c.who + " in " + c.org + " naming " + c.details[workflow.DetailContract] + c.details[workflow.DetailComponent]
			if c.field == "" {
				if err != nil {
					t.Errorf("%s: %v", name, err)
				} else if it.ID == 0 {
					t.Errorf("%s: no item", name)
				}
				continue
			}
			me, ok := err.(*mamori.Error)
			if !ok || me.Kind != mamori.Invalid || !strings.Contains(me.Message, c.field) || !strings.Contains(me.MessageJA, "番号") {
				t.Errorf("%s: %v, want a refusal naming %q", name, err, c.field)
				continue
			}
			// The same words whether the code exists elsewhere or not.
			generic := strings.ReplaceAll(me.Message, c.details[workflow.DetailContract]+c.details[workflow.DetailComponent], "CODE")
			if prev, seen := messages[c.kind+c.org]; seen && prev != generic {
				t.Errorf("%s: %q differs from %q", name, generic, prev)
			}
			messages[c.kind+c.org] = generic
		}
		items, err := st.WorkflowItems(ctx, store.WorkflowFilter{})
		if err != nil || len(items) != 4 {
			t.Errorf("items stored: %d %v, want the 4 accepted", len(items), err)
		}
	})
}

// TestTargetsCheckedWhenSet: a transition that may change a target detail
// checks it again (here a gate whose resubmission may name another
// contract); one that leaves it alone does not.
func TestTargetsCheckedWhenSet(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		d := *workflow.ConformityCheck
		d.Transitions = slices.Clone(d.Transitions)
		for i, tr := range d.Transitions {
			if tr.Name == "resubmit" {
				d.Transitions[i].SetsDetails = append(slices.Clone(tr.SetsDetails), workflow.DetailContract)
			}
		}
		svc, err := workflow.New(st, &d)
		if err != nil {
			t.Fatal(err)
		}
		svc.Now = func() time.Time { return today }
		it, err := svc.Create(ctx, f.users["bob"], d.Kind, workflow.NewItem{Subject: "K-001", OrgCode: "B01",
			Details: map[string]string{workflow.DetailContract: "K-001", workflow.DetailPlannedContract: "2026-12-20"}})
		if err != nil {
			t.Fatal(err)
		}
		it = f.actOn(t, svc, "sec", it, "review", nil)
		it = f.actOn(t, svc, "sec", it, "return", nil)
		_, err = svc.Act(ctx, f.users["bob"], it.ID, workflow.Step{Transition: "resubmit", Version: it.Version,
			Details: map[string]string{workflow.DetailContract: "K-M02"}})
		if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), `field "Contract code"`) {
			t.Errorf("resubmitted for another ministry's contract: %v", err)
		}
		it = f.actOn(t, svc, "bob", it, "resubmit", map[string]string{workflow.DetailContract: "K-002"})
		if it.Details[workflow.DetailContract] != "K-002" {
			t.Errorf("resubmitted: %+v", it.Details)
		}
	})
}

func (f *fixture) actOn(t *testing.T, svc *workflow.Service, who string, it store.WorkflowItem, tr string, d map[string]string) store.WorkflowItem {
	t.Helper()
	next, err := svc.Act(t.Context(), f.users[who], it.ID, workflow.Step{Transition: tr, Version: it.Version, Details: d})
	if err != nil {
		t.Fatalf("%s by %s: %v", tr, who, err)
	}
	return next
}
