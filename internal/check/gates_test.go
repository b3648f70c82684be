package check

import (
	"slices"
	"strconv"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestWorkflowsFeedChecks: the checks fire and clear as the procurement
// gates, the cloud approval and the export requests move. Where a gate
// request names a contract it decides OUT-05/06 whatever the imported
// date says: pending, the contract lacks it; cleared before the contract
// date, it passes and names the request; cleared after, it is late. An
// approved cloud use application passes CLD-01; an expired export whose
// record of what was taken out is missing fails LG-07 until recorded. A
// request filed under another organization speaks for nothing.
func TestWorkflowsFeedChecks(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		load(t, s)
		users := map[string]store.User{}
		for name, g := range map[string]store.RoleGrant{
			"ok-officer": {Role: string(auth.SystemOfficer), OrgCode: "MUNI-OK"},
			"ok-sec":     {Role: string(auth.OrgSecurity), OrgCode: "MUNI-OK"},
			"ng-officer": {Role: string(auth.SystemOfficer), OrgCode: "MUNI-NG"},
			"ng-sec":     {Role: string(auth.OrgSecurity), OrgCode: "MUNI-NG"},
		} {
			if err := s.CreateUser(ctx, store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: time.Now(), Grants: []store.RoleGrant{g}}); err != nil {
				t.Fatal(err)
			}
			u, err := s.User(ctx, name)
			if err != nil {
				t.Fatal(err)
			}
			users[name] = u
		}
		now := time.Date(2026, 3, 1, 1, 0, 0, 0, time.UTC)
		svc, err := workflow.New(s, workflow.All()...)
		if err != nil {
			t.Fatal(err)
		}
		svc.Now = func() time.Time { return now }
		status := func(control, target string) Status {
			t.Helper()
			st, _ := statuses(t, ctx, s, Options{Today: "2026-11-01"})
			return st[[2]string{control, target}]
		}
		evidence := func(control, target string) []string {
			t.Helper()
			_, rep := statuses(t, ctx, s, Options{Today: "2026-11-01"})
			for _, f := range rep.Fails {
				if f.ControlID == control && f.TargetCode == target {
					return f.Criteria
				}
			}
			return nil
		}
		create := func(who, kind, org string, details map[string]string) store.WorkflowItem {
			t.Helper()
			it, err := svc.Create(ctx, users[who], kind, workflow.NewItem{Subject: kind, OrgCode: org, Details: details})
			if err != nil {
				t.Fatal(err)
			}
			return it
		}
		act := func(who string, it store.WorkflowItem, tr string, details map[string]string) store.WorkflowItem {
			t.Helper()
			it, err := svc.Act(ctx, users[who], it.ID, workflow.Step{Transition: tr, Version: it.Version, Details: details})
			if err != nil {
				t.Fatalf("%s by %s: %v", tr, who, err)
			}
			return it
		}
		gate := map[string]string{workflow.DetailContract: "K-OK", workflow.DetailPlannedContract: "2026-03-15"}
		if got := status("OUT-05", "K-OK"); got != Pass {
			t.Fatalf("OUT-05 K-OK with its imported date: %v", got)
		}
		// Another ministry's request naming K-OK is refused; one stored
		// before requests were checked changes nothing.
		if _, err := svc.Create(ctx, users["ng-officer"], workflow.ConformityKind, workflow.NewItem{Subject: "x", OrgCode: "MUNI-NG",
			Details: gate}); mamori.KindOf(err) != mamori.Invalid {
			t.Fatalf("another ministry's request naming K-OK: %v", err)
		}
		if _, err := s.CreateWorkflowItem(ctx, store.WorkflowItem{Kind: workflow.ConformityKind, Subject: "x", OrgCode: "MUNI-NG",
			State: workflow.GateRequested, Applicant: "ng-officer", Details: gate, CreatedAt: now, UpdatedAt: now}, "", nil); err != nil {
			t.Fatal(err)
		}
		if got := status("OUT-05", "K-OK"); got != Pass {
			t.Fatalf("another ministry's request decided K-OK: %v", got)
		}
		conf := create("ok-officer", workflow.ConformityKind, "MUNI-OK", gate)
		if got := status("OUT-05", "K-OK"); got != Fail {
			t.Fatalf("OUT-05 K-OK with its request pending: %v, want fail", got)
		}
		conf = act("ok-sec", conf, "review", nil)
		now = time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC)
		conf = act("ok-sec", conf, "clear", nil)
		if got := status("OUT-05", "K-OK"); got != Pass {
			t.Fatalf("OUT-05 K-OK cleared before the contract: %v", got)
		}
		// The contract records the request that cleared it, and the day.
		v := store.ViewOf(store.TargetContract)
		err = s.LoadView(ctx, store.TargetContract, store.ViewScope{Fields: map[string]bool{"conformity_requests": true, "conformity_checked_on": true,
			"conformity_gate_state": true}},
			func(rows []store.ViewRow) error {
				for _, r := range rows {
					if r.Code != "K-OK" {
						continue
					}
					by, _ := r.Values[v.Field("conformity_requests")].([]string)
					if on := r.Values[v.Field("conformity_checked_on")]; !slices.Equal(by, []string{strconv.FormatInt(conf.ID, 10)}) || on != "2026-03-10" {
						t.Errorf("K-OK cleared by %v on %v, want request %d on 2026-03-10", by, on, conf.ID)
					}
					if st := r.Values[v.Field("conformity_gate_state")]; st != workflow.GateCleared {
						t.Errorf("K-OK's gate state %v", st)
					}
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		// K-NG's specification review, cleared after its contract date: late.
		if got := evidence("OUT-06", "K-NG"); !slices.Contains(got, "missing") {
			t.Fatalf("OUT-06 K-NG without a review: %v", got)
		}
		spec := create("ng-officer", workflow.SpecReviewKind, "MUNI-NG", map[string]string{workflow.DetailContract: "K-NG",
			workflow.DetailPlannedContract: "2026-04-01"})
		spec = act("ng-sec", spec, "review", nil)
		now = time.Date(2026, 4, 10, 1, 0, 0, 0, time.UTC)
		act("ng-sec", spec, "clear", nil)
		if got := evidence("OUT-06", "K-NG"); !slices.Contains(got, "after_contract") || slices.Contains(got, "missing") {
			t.Fatalf("OUT-06 K-NG reviewed after the contract: %v", got)
		}
		// Cloud use approved by the security officer.
		if got := status("CLD-01", "K-CL-NG"); got != Fail {
			t.Fatalf("CLD-01 K-CL-NG: %v", got)
		}
		cloud := create("ng-officer", workflow.CloudUseKind, "MUNI-NG", map[string]string{workflow.DetailContract: "K-CL-NG",
			workflow.DetailCloudService: "CS-NG", workflow.DetailPurpose: "庁内メール"})
		if got := status("CLD-01", "K-CL-NG"); got != Fail {
			t.Fatalf("CLD-01 K-CL-NG with the application pending: %v", got)
		}
		act("ng-sec", cloud, "approve", nil)
		if got := status("CLD-01", "K-CL-NG"); got != Pass {
			t.Fatalf("CLD-01 K-CL-NG approved: %v", got)
		}
		// An export from T-OK expires unrecorded: LG-07 fails until recorded.
		if got := status("LG-07", "MUNI-OK"); got != Pass {
			t.Fatalf("LG-07 MUNI-OK: %v", got)
		}
		now = time.Date(2026, 10, 1, 1, 0, 0, 0, time.UTC)
		exp := create("ok-officer", workflow.ExportRequestKind, "MUNI-OK", map[string]string{workflow.DetailComponent: "T-OK",
			workflow.DetailPurpose: "会議資料", workflow.DetailExpiresOn: "2026-10-05"})
		exp = act("ok-sec", exp, "approve", nil)
		if got := status("LG-07", "MUNI-OK"); got != Pass {
			t.Fatalf("LG-07 MUNI-OK with an export running: %v", got)
		}
		expired, err := svc.Expire(ctx, "2026-10-06")
		if err != nil || len(expired) != 1 {
			t.Fatalf("expire: %v %v", expired, err)
		}
		if got := evidence("LG-07", "MUNI-OK"); !slices.Contains(got, "no_record") {
			t.Fatalf("LG-07 MUNI-OK with an expired export unrecorded: %v", got)
		}
		act("ok-officer", expired[0], "record", map[string]string{workflow.DetailItemsTaken: "会議資料 PDF 2 件"})
		if got := status("LG-07", "MUNI-OK"); got != Pass {
			t.Fatalf("LG-07 MUNI-OK recorded: %v", got)
		}
	})
}
