package workflow_test

import (
	"strings"
	"testing"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// permit is a small approval workflow with details and a transition only
// mamori takes: what the approval workflows build on.
var permit = &workflow.Definition{
	Kind: "permit", JA: "許可", EN: "permit", Initial: "requested",
	States: []workflow.State{{Name: "requested"}, {Name: "approved"}, {Name: "expired"}},
	Details: []workflow.Detail{
		{Name: "component", JA: "機器", EN: "component", Type: workflow.DetailCode, Required: true},
		{Name: "expires_on", JA: "有効期限", EN: "expires on", Type: workflow.DetailDate, Required: true},
		{Name: "taken", JA: "持出し記録", EN: "what was taken", Type: workflow.DetailText},
	},
	ValidateDetails: func(it store.WorkflowItem) *mamori.Error {
		if it.Details["expires_on"] > "2027-01-31" {
			return mamori.Errorf(mamori.Invalid, "期限が長すぎます", "the expiry is too far")
		}
		return nil
	},
	CreateRoles: []auth.Role{auth.SystemOfficer},
	Transitions: []workflow.Transition{
		{Name: "approve", From: []string{"requested"}, To: "approved", Roles: []auth.Role{auth.OrgSecurity},
			NotByApplicant: true, SetsDetails: []string{"taken"}},
		{Name: "expire", From: []string{"approved"}, To: "expired", Roles: []auth.Role{auth.OrgSecurity}, BySystem: true},
	},
}

// TestDetailsAndSystemTransitions: details are validated against the
// definition at creation and when a transition sets them, round-trip
// through the store, and a BySystem transition is never a user's.
func TestDetailsAndSystemTransitions(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		svc, err := workflow.New(st, permit)
		if err != nil {
			t.Fatal(err)
		}
		svc.Now = f.svc.Now
		create := func(details map[string]string) (store.WorkflowItem, error) {
			return svc.Create(ctx, f.users["bob"], "permit", workflow.NewItem{Subject: "PC-1", OrgCode: "B01", Details: details})
		}
		for name, c := range map[string]struct {
			details map[string]string
			want    string
		}{
			"missing required": {map[string]string{"component": "PC-1"}, `needs "expires on"`},
			"undeclared":       {map[string]string{"component": "PC-1", "expires_on": "2027-01-01", "colour": "red"}, `no field "colour"`},
			"bad date":         {map[string]string{"component": "PC-1", "expires_on": "2027-02-30"}, "not a YYYY-MM-DD date"},
			"code with space":  {map[string]string{"component": "PC 1", "expires_on": "2027-01-01"}, "not a code"},
			"too long":         {map[string]string{"component": "PC-1", "expires_on": "2027-01-01", "taken": strings.Repeat("あ", workflow.MaxDetail+1)}, "too long"},
			"whole check":      {map[string]string{"component": "PC-1", "expires_on": "2027-06-01"}, "expiry is too far"},
		} {
			if _, err := create(c.details); mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), c.want) {
				t.Errorf("%s: %v, want %q", name, err, c.want)
			}
		}
		if items, _ := st.WorkflowItems(ctx, store.WorkflowFilter{}); len(items) != 0 {
			t.Fatalf("refused creations stored %d items", len(items))
		}
		it, err := create(map[string]string{"component": "PC-1", "expires_on": "2027-01-15", "taken": " "})
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.WorkflowItem(ctx, it.ID)
		if err != nil || len(got.Details) != 2 || got.Details["expires_on"] != "2027-01-15" {
			t.Fatalf("stored details %v (%v): the blank one is dropped, the others kept", got.Details, err)
		}
		step := workflow.Step{Transition: "approve", Version: it.Version, Details: map[string]string{"expires_on": "2027-01-20"}}
		if _, err := svc.Act(ctx, f.users["sec"], it.ID, step); err == nil || !strings.Contains(err.Error(), `may not change field "expires_on"`) {
			t.Errorf("a detail the transition does not set: %v", err)
		}
		step.Details = map[string]string{"taken": "ノートPC 1台"}
		approved, err := svc.Act(ctx, f.users["sec"], it.ID, step)
		if err != nil || approved.Details["taken"] != "ノートPC 1台" || approved.Details["component"] != "PC-1" {
			t.Fatalf("approve: %v %v", err, approved.Details)
		}
		if av, _ := svc.Available(ctx, f.users["sec"], approved); len(av) != 0 {
			t.Errorf("a system transition offered to a user: %v", av)
		}
		if _, err := svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "expire", Version: approved.Version}); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("a user took a system transition: %v", err)
		}
		if _, err := svc.System(ctx, it.ID, "approve", ""); err == nil {
			t.Error("the system took a user's transition")
		}
		expired, err := svc.System(ctx, it.ID, "expire", "expired on 2027-01-15")
		if err != nil || expired.State != "expired" || expired.Version != approved.Version+1 {
			t.Fatalf("System expire: %v %+v", err, expired)
		}
		if _, err := svc.System(ctx, it.ID, "expire", ""); mamori.KindOf(err) != mamori.Conflict {
			t.Errorf("expiring twice: %v", err)
		}
		hist, _ := st.WorkflowEvents(ctx, it.ID)
		if last := hist[len(hist)-1]; last.Actor != workflow.SystemActor || last.Transition != "expire" {
			t.Errorf("history ends with %+v", last)
		}
	})
}
