package workflow_test

import (
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestHandMadeDueBySeverity: a remediation item made by hand with no due
// date gets its severity's from the catalog's table, as an item opened
// for a finding does; an earlier date is kept, a later one refused and
// nothing stored.
func TestHandMadeDueBySeverity(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		mk := func(severity, due string) (store.WorkflowItem, error) {
			return f.svc.Create(ctx, f.users["alice"], workflow.Remediation.Kind,
				workflow.NewItem{Subject: "手作業の指摘", OrgCode: "B01", Severity: severity, DueOn: due})
		}
		// today is 2026-12-01 in Japan: high has 30 days, low 180.
		for sev, want := range map[string]string{"high": "2026-12-31", "low": "2027-05-30"} {
			if it, err := mk(sev, ""); err != nil || it.DueOn != want {
				t.Errorf("a %s item with no due date = %+v, %v; want due %s", sev, it, err, want)
			}
		}
		if it, err := mk("critical", "2026-12-10"); err != nil || it.DueOn != "2026-12-10" {
			t.Errorf("an earlier due date = %+v, %v", it, err)
		}
		_, err := mk("critical", "2026-12-16")
		wantKind(t, "a later due date", err, mamori.Invalid, "never later")
		if items, _ := st.WorkflowItems(ctx, store.WorkflowFilter{}); len(items) != 3 {
			t.Errorf("%d items stored, want 3", len(items))
		}
	})
}
