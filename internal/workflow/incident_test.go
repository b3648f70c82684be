package workflow_test

import (
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestIncidentLifecycle: an incident recorded by B01's system officer goes
// from detection to closing; each step stamps the register's incident, the
// wrong accounts are refused, and another ministry reaches nothing.
func TestIncidentLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		var err error
		if f.svc, err = workflow.New(st, workflow.All()...); err != nil {
			t.Fatal(err)
		}
		now := today
		f.svc.Now = func() time.Time { return now }
		n := workflow.NewIncident{OrgCode: "B01", Class: "malware", Severity: "high", OccurredOn: "2026-11-30",
			DetectedOn: "2026-12-01", DetectedTime: "08:15", SystemCode: "S-B01", Summary: "職員端末でマルウェアを検知"}

		// Refusals: nothing is written by any of them.
		for name, bad := range map[string]func(*workflow.NewIncident){
			"recovered before detected": func(x *workflow.NewIncident) { x.OccurredOn = "2026-12-02" },
			"not a time":                func(x *workflow.NewIncident) { x.DetectedTime = "25:99" },
			"unknown class":             func(x *workflow.NewIncident) { x.Class = "nope" },
			"another ministry's system": func(x *workflow.NewIncident) { x.SystemCode = "S-M02" },
			"future":                    func(x *workflow.NewIncident) { x.DetectedOn = "2027-01-01" },
		} {
			x := n
			bad(&x)
			if _, err := f.svc.OpenIncident(ctx, f.users["bob"], x); mamori.KindOf(err) != mamori.Invalid {
				t.Errorf("OpenIncident(%s) = %v, want invalid", name, err)
			}
		}
		if _, err := f.svc.OpenIncident(ctx, f.users["other"], n); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("OpenIncident by another ministry = %v, want forbidden", err)
		}
		if _, err := f.svc.Create(ctx, f.users["bob"], workflow.IncidentKind, workflow.NewItem{Subject: "x", OrgCode: "B01",
			Details: map[string]string{workflow.DetailIncident: "X"}}); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("generic create of an incident item = %v, want invalid", err)
		}
		if incs, err := st.Incidents(ctx, nil); err != nil || len(incs) != 0 {
			t.Fatalf("after refusals: %d incidents, %v", len(incs), err)
		}

		it, err := f.svc.OpenIncident(ctx, f.users["bob"], n)
		if err != nil {
			t.Fatalf("OpenIncident: %v", err)
		}
		code := it.Details[workflow.DetailIncident]
		if code != "B01-IN20261201-1" || it.State != workflow.IncidentDetected {
			t.Fatalf("opened %q in %s", code, it.State)
		}
		step := func(who, tr string, details map[string]string, assignee string) error {
			cur, err := st.WorkflowItem(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			next, err := f.svc.Act(ctx, f.users[who], it.ID, workflow.Step{Transition: tr, Version: cur.Version, Details: details, Assignee: assignee})
			if err == nil {
				it = next
			}
			return err
		}
		if err := step("bob", "report", map[string]string{"reported_to": "NISC"}, "bob"); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("report by the system officer = %v, want forbidden", err)
		}
		if err := step("other", "report", map[string]string{"reported_to": "NISC"}, "bob"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("report by another ministry = %v, want not found", err)
		}
		if err := step("sec", "report", nil, "bob"); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("report without whom = %v, want invalid", err)
		}
		now = today.Add(2 * time.Hour)
		if err := step("sec", "report", map[string]string{"reported_to": "NISC"}, "bob"); err != nil {
			t.Fatalf("report: %v", err)
		}
		if err := step("sec", "contain", nil, ""); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("contain by someone else than the assignee = %v, want forbidden", err)
		}
		now = today.Add(26 * time.Hour)
		if err := step("bob", "contain", nil, ""); err != nil {
			t.Fatalf("contain: %v", err)
		}
		now = today.Add(72 * time.Hour)
		if err := step("bob", "recover", map[string]string{"cause": "添付ファイルの開封"}, ""); err != nil {
			t.Fatalf("recover: %v", err)
		}
		if err := step("bob", "close", map[string]string{"measures": "訓練"}, ""); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("close by the assignee = %v, want forbidden", err)
		}
		if err := step("sec", "close", nil, ""); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("close without measures = %v, want invalid", err)
		}
		if err := step("sec", "close", map[string]string{"measures": "標的型メール訓練の実施"}, ""); err != nil {
			t.Fatalf("close: %v", err)
		}
		in, err := st.IncidentByCode(ctx, code)
		if err != nil {
			t.Fatal(err)
		}
		want := store.Incident{Code: code, OrgCode: "B01", SystemCode: "S-B01", Class: "malware", Severity: "high",
			OccurredOn: "2026-11-30", DetectedOn: "2026-12-01", DetectedTime: "08:15",
			ReportedOn: "2026-12-01", ReportedTime: "20:00", ReportedTo: "NISC",
			ContainedOn: "2026-12-02", ContainedTime: "20:00", RecoveredOn: "2026-12-04", RecoveredTime: "18:00", ClosedOn: "2026-12-04",
			Summary: "職員端末でマルウェアを検知", Cause: "添付ファイルの開封", Measures: "標的型メール訓練の実施",
			Systems: []string{"S-B01"}, Orgs: []string{"B01"}}
		if in.ReportedTime != want.ReportedTime || in.ContainedOn != want.ContainedOn || in.RecoveredOn != want.RecoveredOn ||
			in.ClosedOn != want.ClosedOn || in.Measures != want.Measures || in.ReportedTo != "NISC" || len(in.Systems) != 1 {
			t.Errorf("register after closing:\n got %+v\nwant %+v", in, want)
		}
		if it.State != workflow.IncidentClosed || it.Details[workflow.DetailRecoveredOn] != in.RecoveredOn {
			t.Errorf("item %s with recovered_on %q; register says %q", it.State, it.Details[workflow.DetailRecoveredOn], in.RecoveredOn)
		}
	})
}
