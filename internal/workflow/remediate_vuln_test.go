package workflow_test

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestRecheckVulnsReopens: a match run that still finds a vulnerability
// on a system reopens the vulnerability's item resolved or closed before
// the run started, as a re-check reopens a finding's item, unless a
// countermeasure settles it (mitigated here); an item resolved after the
// run started, and a run scoped to another system, leave it alone.
func TestRecheckVulnsReopens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		vulnOnSystem(t, st)
		f.addUser(t, "fixer", auth.OrgSecurity, "B01")
		it, err := f.svc.OpenForVuln(ctx, f.users["sec"], workflow.OpenVuln{System: "SYS-V", Vuln: "CVE-2021-44228"})
		if err != nil {
			t.Fatal(err)
		}
		it = f.act(t, "sec", it, "assign", "fixer")
		it = f.act(t, "fixer", it, "start")
		resolve := func(cm string) {
			t.Helper()
			cur, err := st.WorkflowItem(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := f.svc.Act(ctx, f.users["fixer"], it.ID, workflow.Step{Transition: "resolve", Version: cur.Version,
				Details: map[string]string{workflow.DetailCountermeasure: cm}}); err != nil {
				t.Fatal(err)
			}
		}
		state := func() string {
			t.Helper()
			cur, err := st.WorkflowItem(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			return cur.State
		}
		run := func(at time.Time, scope string) store.MatchRun {
			return store.MatchRun{Seq: 9, RanAt: at.UTC().Format(time.RFC3339), RanOn: at.Format(time.DateOnly), Scope: scope}
		}
		f.svc.Now = func() time.Time { return today.Add(time.Hour) }
		resolve("")
		// The run started before the item was resolved: left alone.
		if r, err := f.svc.RecheckVulns(ctx, run(today, "")); err != nil || len(r.Reopened) != 0 || state() != workflow.Resolved {
			t.Fatalf("a run started before the resolve = %+v, %v, state %s", r, err, state())
		}
		// A run scoped to another system says nothing of this one.
		if r, err := f.svc.RecheckVulns(ctx, run(today.Add(2*time.Hour), "SYS-OTHER")); err != nil || len(r.Reopened) != 0 {
			t.Fatalf("a run of another system = %+v, %v", r, err)
		}
		// Still matched, no countermeasure: reopened by mamori.
		r, err := f.svc.RecheckVulns(ctx, run(today.Add(2*time.Hour), "SYS-V"))
		if err != nil || len(r.Reopened) != 1 || r.Reopened[0] != it.ID || state() != workflow.InProgress {
			t.Fatalf("a run still finding it = %+v, %v, state %s", r, err, state())
		}
		hist, _ := st.WorkflowEvents(ctx, it.ID)
		last := hist[len(hist)-1]
		if last.Actor != workflow.SystemActor || last.Transition != workflow.RecheckFailed || !strings.Contains(last.Comment, "still matched") {
			t.Errorf("reopening in the history = %+v", last)
		}
		// Mitigated: settled, left resolved however often it is matched.
		f.svc.Now = func() time.Time { return today.Add(3 * time.Hour) }
		resolve("mitigated")
		if r, err := f.svc.RecheckVulns(ctx, run(today.Add(4*time.Hour), "")); err != nil || len(r.Reopened) != 0 || state() != workflow.Resolved {
			t.Fatalf("a mitigated item = %+v, %v, state %s", r, err, state())
		}
	})
}
