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

// counts is what a refused request must leave unchanged.
func counts(t *testing.T, st *store.Store) (items, events int) {
	t.Helper()
	all, err := st.WorkflowItems(t.Context(), store.WorkflowFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		hist, err := st.WorkflowEvents(t.Context(), it.ID)
		if err != nil {
			t.Fatal(err)
		}
		events += len(hist)
	}
	return len(all), events
}

// TestAttackTextRefusedAlikeOnBothStores: a subject, a comment or a
// detail holding a NUL, another control character or bytes that are not
// UTF-8 is refused by the service with a message naming the field, on
// both stores alike (PostgreSQL used to refuse a NUL with an unexplained
// "value not allowed" where SQLite stored it), and nothing is written; a
// subject and a creation's or transition's comment are bounded.
func TestAttackTextRefusedAlikeOnBothStores(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		it := f.create(t, "alice", "low")
		items, events := counts(t, st)
		create := func(subject, comment string) error {
			_, err := f.svc.Create(ctx, f.users["alice"], "remediation",
				workflow.NewItem{Subject: subject, OrgCode: "B01", Severity: "low", Comment: comment})
			return err
		}
		for name, c := range map[string]struct {
			err  error
			want string
		}{
			"subject NUL":         {create("FND\x00-1", ""), "subject"},
			"subject not UTF-8":   {create("FND-\xff", ""), "subject"},
			"subject line break":  {create("FND-1\nFND-2", ""), "subject"},
			"subject too long":    {create(strings.Repeat("あ", workflow.MaxSubject+1), ""), "subject is too long"},
			"create comment NUL":  {create("FND-1", "a\x00b"), "comment"},
			"create comment long": {create("FND-1", strings.Repeat("x", workflow.MaxComment+1)), "comment is too long"},
			"comment NUL":         {func() error { _, err := f.svc.Comment(ctx, f.users["alice"], it.ID, "a\x00b"); return err }(), "comment"},
			"comment escape":      {func() error { _, err := f.svc.Comment(ctx, f.users["alice"], it.ID, "a\x1b[31mb"); return err }(), "comment"},
			"act comment NUL": {func() error {
				_, err := f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "assign", Version: it.Version, Assignee: "bob", Comment: "\x00"})
				return err
			}(), "comment"},
			"act comment too long": {func() error {
				_, err := f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "assign", Version: it.Version, Assignee: "bob", Comment: strings.Repeat("x", workflow.MaxComment+1)})
				return err
			}(), "comment is too long"},
		} {
			if mamori.KindOf(c.err) != mamori.Invalid || !strings.Contains(c.err.Error(), c.want) {
				t.Errorf("%s: %v, want a refusal naming %q", name, c.err, c.want)
			}
		}
		if i, e := counts(t, st); i != items || e != events {
			t.Errorf("refusals wrote: %d items, %d events, want %d, %d", i, e, items, events)
		}
		// Lines and tabs in a comment are text, not control.
		if _, err := f.svc.Comment(ctx, f.users["alice"], it.ID, "一行目\n\t二行目\r\n"); err != nil {
			t.Errorf("a comment of two lines: %v", err)
		}

		svc, err := workflow.New(st, permit)
		if err != nil {
			t.Fatal(err)
		}
		svc.Now = f.svc.Now
		for name, details := range map[string]map[string]string{
			"code NUL":      {"component": "PC\x001", "expires_on": "2027-01-01"},
			"text NUL":      {"component": "PC-1", "expires_on": "2027-01-01", "taken": "a\x00b"},
			"text not UTF8": {"component": "PC-1", "expires_on": "2027-01-01", "taken": "\xff\xfe"},
		} {
			_, err := svc.Create(ctx, f.users["bob"], "permit", workflow.NewItem{Subject: "PC-1", OrgCode: "B01", Details: details})
			if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), "field") {
				t.Errorf("%s: %v, want a refusal naming the field", name, err)
			}
		}
		if i, _ := counts(t, st); i != items {
			t.Errorf("refused details stored %d items, want %d", i, items)
		}
	})
}

// bare is a workflow whose items carry no severity.
var bare = &workflow.Definition{
	Kind: "bare", JA: "素", EN: "bare", Initial: "open",
	States:      []workflow.State{{Name: "open"}, {Name: "done"}},
	CreateRoles: []auth.Role{auth.SystemOfficer},
	Details: []workflow.Detail{
		{Name: "system", JA: "システム", EN: "system", Type: workflow.DetailCode, Required: true},
	},
	Transitions: []workflow.Transition{
		{Name: "finish", From: []string{"open"}, To: "done", Roles: []auth.Role{auth.OrgSecurity}, SetsDetails: []string{"system"}},
	},
}

// TestAttackSeverityOfAWorkflowWithout: a workflow that grades no items
// refuses a severity instead of storing whatever text was sent.
func TestAttackSeverityOfAWorkflowWithout(t *testing.T) {
	st := storetest.OpenSQLite(t)
	f := setup(t, st)
	svc, err := workflow.New(st, bare)
	if err != nil {
		t.Fatal(err)
	}
	svc.Now = f.svc.Now
	_, err = svc.Create(t.Context(), f.users["bob"], "bare", workflow.NewItem{Subject: "S", OrgCode: "B01",
		Severity: strings.Repeat("dire", 50000), Details: map[string]string{"system": "SYS-1"}})
	if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), "severity") || len(err.Error()) > 1000 {
		t.Errorf("a severity on a workflow without: %.300v", err)
	}
}

// TestAttackRequiredDetailNotCleared: a transition that may set a
// required detail may change it, never clear it: the item would lack
// what its workflow demands of every item.
func TestAttackRequiredDetailNotCleared(t *testing.T) {
	st := storetest.OpenSQLite(t)
	f := setup(t, st)
	svc, err := workflow.New(st, bare)
	if err != nil {
		t.Fatal(err)
	}
	svc.Now = f.svc.Now
	it, err := svc.Create(t.Context(), f.users["bob"], "bare", workflow.NewItem{Subject: "S", OrgCode: "B01",
		Details: map[string]string{"system": "SYS-1"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = svc.Act(t.Context(), f.users["sec"], it.ID, workflow.Step{Transition: "finish", Version: it.Version,
		Details: map[string]string{"system": " "}})
	if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), `needs "system"`) {
		t.Errorf("clearing a required detail: %v", err)
	}
	if got, _ := st.WorkflowItem(t.Context(), it.ID); got.Details["system"] != "SYS-1" || got.Version != 1 {
		t.Errorf("after the refusal: %+v", got)
	}
}

// TestAttackAssigneeNoOracle: naming as assignee a user who does not
// exist, one who is disabled and one of another ministry gets one and the
// same refusal: assigning is no way to learn who has an account where.
func TestAttackAssigneeNoOracle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		if err := st.CreateUser(ctx, store.User{Name: "gone", PasswordHash: "$argon2id$fake", CreatedAt: today, Disabled: true,
			Grants: []store.RoleGrant{{Role: string(auth.SystemOfficer), OrgCode: "B01"}}}); err != nil {
			t.Fatal(err)
		}
		it := f.create(t, "alice", "low")
		refusal := func(name string) string {
			_, err := f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "assign", Version: it.Version, Assignee: name})
			if mamori.KindOf(err) != mamori.Invalid {
				t.Fatalf("assign to %s: %v, want a refusal", name, err)
			}
			return strings.ReplaceAll(err.Error(), name, "NAME")
		}
		none, disabled, other := refusal("nobody"), refusal("gone"), refusal("other")
		if none != disabled || none != other {
			t.Errorf("refusals differ:\n%s\n%s\n%s", none, disabled, other)
		}
		if _, err := f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "assign", Version: it.Version,
			Assignee: strings.Repeat("x", 100000)}); len(err.Error()) > 2000 {
			t.Errorf("the refusal echoes a %d-byte assignee whole", len(err.Error()))
		}
		// A name no account can have is refused as such on both stores,
		// not failed on PostgreSQL's look-up.
		if _, err := f.svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "assign", Version: it.Version,
			Assignee: "bob\x00"}); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("assign to a name with a NUL: %v", err)
		}
	})
}

// TestAttackEchoesBounded: a refusal quotes what was sent (a transition,
// an organization, a severity) only as an excerpt, so a 100 KB value does
// not come back twice in every error.
func TestAttackEchoesBounded(t *testing.T) {
	st := storetest.OpenSQLite(t)
	f := setup(t, st)
	it := f.create(t, "alice", "low")
	long := strings.Repeat("x", 100000)
	_, e1 := f.svc.Act(t.Context(), f.users["sec"], it.ID, workflow.Step{Transition: long, Version: it.Version})
	_, e2 := f.svc.Create(t.Context(), f.users["alice"], "remediation", workflow.NewItem{Subject: "S", OrgCode: long, Severity: "low"})
	_, e3 := f.svc.Create(t.Context(), f.users["alice"], "remediation", workflow.NewItem{Subject: "S", OrgCode: "B01", Severity: long})
	_, e4 := f.svc.Create(t.Context(), f.users["alice"], long, workflow.NewItem{Subject: "S", OrgCode: "B01", Severity: "low"})
	for i, err := range []error{e1, e2, e3, e4} {
		if err == nil || len(err.Error()) > 2000 {
			t.Errorf("refusal %d: %d bytes", i+1, len(err.Error()))
		}
	}
}

// TestAttackAssigneeOnATransitionThatSetsNone: an assignee named on a
// transition that assigns no one is refused, not silently dropped: the
// caller would believe the item reassigned.
func TestAttackAssigneeOnATransitionThatSetsNone(t *testing.T) {
	st := storetest.OpenSQLite(t)
	f := setup(t, st)
	it := f.create(t, "alice", "low")
	it = f.act(t, "sec", it, "assign", "bob")
	_, err := f.svc.Act(t.Context(), f.users["bob"], it.ID, workflow.Step{Transition: "start", Version: it.Version, Assignee: "sec2"})
	if mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), "assignee") {
		t.Errorf("start naming an assignee: %v", err)
	}
	if got, _ := st.WorkflowItem(t.Context(), it.ID); got.Version != it.Version || got.Assignee != "bob" {
		t.Errorf("after the refusal: %+v", got)
	}
}
