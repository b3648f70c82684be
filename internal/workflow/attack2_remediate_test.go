package workflow_test

import (
	"testing"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// vulnOnSystem stores system SYS-V of organization B01 with one component
// on which CVE-2021-44228 is matched.
func vulnOnSystem(t *testing.T, st *store.Store) {
	t.Helper()
	record := func(entity string, vals map[string]any) mamori.Record {
		e := mamori.EntityByName(entity)
		r := make(mamori.Record, len(e.Fields))
		for k, v := range vals {
			r[e.FieldIndex(k)] = v
		}
		return r
	}
	err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		if err := l.Put(mamori.EntityByName("systems"), []mamori.Record{record("systems", map[string]any{"code": "SYS-V", "org_code": "B01",
			"name": "脆弱なシステム", "in_register": true, "class": "information_system", "status": "operating"})}); err != nil {
			return err
		}
		if err := l.Put(mamori.EntityByName("components"), []mamori.Record{record("components", map[string]any{"code": "SYS-V-SV1",
			"system_code": "SYS-V", "kind": "server"})}); err != nil {
			return err
		}
		if err := l.Put(mamori.EntityByName("component_software"), []mamori.Record{record("component_software", map[string]any{
			"component_code": "SYS-V-SV1", "vendor": "apache", "product": "log4j-core", "version": "2.14.1"})}); err != nil {
			return err
		}
		return l.Put(store.VulnMatchesTable, []mamori.Record{{store.OwnerComponent, "SYS-V-SV1", "CVE-2021-44228", "log4j-core 2.14.1",
			"purl", int64(100), "GHSA-jfh8-c2jp-5v3q", nil, "2026-10-01", "2026-11-01", nil, "GHSA-jfh8-c2jp-5v3q"}})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestAttack2AcceptedRiskNotSelfApproved: resolving a vulnerability's item
// with the countermeasure "accepted" is the assignee's proposal, not a
// risk acceptance: the vulnerability register (which VUL-01 reads as
// handled) records it only when someone other than the assignee closes
// the item, and names that reviewer as the approver. Before, the
// assignee's resolve wrote "accepted" with themselves as the approver.
func TestAttack2AcceptedRiskNotSelfApproved(t *testing.T) {
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
		it, err = f.svc.Act(ctx, f.users["fixer"], it.ID, workflow.Step{Transition: "resolve", Version: it.Version,
			Details: map[string]string{workflow.DetailCountermeasure: "accepted"}})
		if err != nil {
			t.Fatal(err)
		}
		cms := func() []store.Countermeasure {
			t.Helper()
			out, err := st.CountermeasuresOf(ctx, []string{"SYS-V"})
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		if got := cms(); len(got) != 0 {
			t.Fatalf("the assignee's resolve recorded %+v: a risk accepted by the one who should fix it", got)
		}
		if _, err := f.svc.Attach(ctx, f.users["fixer"], it.ID, "risk.txt", "", []byte("受容の理由")); err != nil {
			t.Fatal(err)
		}
		it, err = f.svc.Item(ctx, f.users["sec2"], it.ID)
		if err != nil {
			t.Fatal(err)
		}
		// The assignee may not close (approve) their own acceptance.
		_, err = f.svc.Act(ctx, f.users["fixer"], it.ID, workflow.Step{Transition: "close", Version: it.Version})
		wantKind(t, "the assignee closing their own accepted risk", err, mamori.Forbidden, "assignee")
		if got := cms(); len(got) != 0 {
			t.Fatalf("a refused close recorded %+v", got)
		}
		if _, err := f.svc.Act(ctx, f.users["sec2"], it.ID, workflow.Step{Transition: "close", Version: it.Version}); err != nil {
			t.Fatal(err)
		}
		got := cms()
		if len(got) != 1 || got[0].Kind != "accepted" || got[0].Approver != "sec2" || got[0].VulnID != "CVE-2021-44228" {
			t.Fatalf("after the review: %+v, want accepted approved by sec2", got)
		}
	})
}
