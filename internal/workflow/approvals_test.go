package workflow_test

import (
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// newAll is the fixture's service running every workflow, the export's
// maximum at 10 days.
func newAll(t *testing.T, f *fixture, now *time.Time) *workflow.Service {
	t.Helper()
	svc, err := workflow.New(f.st, workflow.AllWith(workflow.Options{MaxExportDays: 10})...)
	if err != nil {
		t.Fatal(err)
	}
	svc.Now = func() time.Time { return *now }
	return svc
}

// TestProcurementGate: a gate is requested, reviewed and cleared by someone
// other than the applicant; clearing stamps the day, which no one may
// enter; a returned request is resubmitted; an illegal transition and an
// action without the role are refused and change nothing.
func TestProcurementGate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		now := today
		svc := newAll(t, f, &now)
		details := map[string]string{workflow.DetailContract: "K-001", workflow.DetailPlannedContract: "2026-12-20"}
		withCleared := map[string]string{workflow.DetailContract: "K-001", workflow.DetailPlannedContract: "2026-12-20",
			workflow.DetailClearedOn: "2026-11-01"}
		if _, err := svc.Create(ctx, f.users["bob"], workflow.ConformityKind, workflow.NewItem{Subject: "K-001", OrgCode: "B01",
			Details: withCleared}); mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), "recorded by mamori") {
			t.Fatalf("a back-dated clearing at creation: %v", err)
		}
		if _, err := svc.Create(ctx, f.users["view"], workflow.ConformityKind, workflow.NewItem{Subject: "K-001", OrgCode: "B01",
			Details: details}); mamori.KindOf(err) != mamori.Forbidden {
			t.Fatalf("a viewer requested a gate: %v", err)
		}
		it, err := svc.Create(ctx, f.users["bob"], workflow.ConformityKind, workflow.NewItem{Subject: "K-001", OrgCode: "B01", Details: details})
		if err != nil {
			t.Fatal(err)
		}
		act := func(who, tr string, it store.WorkflowItem, d map[string]string) (store.WorkflowItem, error) {
			return svc.Act(ctx, f.users[who], it.ID, workflow.Step{Transition: tr, Version: it.Version, Details: d})
		}
		for _, c := range []struct {
			who, tr string
			kind    mamori.Kind
		}{
			{"sec", "clear", mamori.Conflict},      // not under review yet
			{"bob", "review", mamori.Forbidden},    // without the role
			{"alice", "review", mamori.Forbidden},  // a system officer reviews nothing
			{"other", "review", mamori.NotFound},   // another ministry
			{"sec", "no-such", mamori.Invalid},     // no such transition
			{"sec", "resubmit", mamori.Conflict},   // not returned
			{"centre", "clear", mamori.Conflict},   // still not under review
			{"sec2", "nothing", mamori.Invalid},    // unknown
			{"aud", "review", mamori.Forbidden},    // an auditor does not review gates
			{"view", "review", mamori.Forbidden},   // nor a viewer
			{"mixed", "review", mamori.Forbidden},  // sees, may not act
			{"sec", "return", mamori.Conflict},     // not under review
			{"centre", "return", mamori.Conflict},  // idem
			{"sec2", "clear", mamori.Conflict},     // idem
			{"other", "clear", mamori.NotFound},    // another ministry
			{"view", "resubmit", mamori.Forbidden}, // no role (state checked first: conflict would leak nothing)
		} {
			_, err := act(c.who, c.tr, it, nil)
			if c.kind == mamori.Forbidden && mamori.KindOf(err) == mamori.Conflict {
				continue // the state refuses first
			}
			if mamori.KindOf(err) != c.kind {
				t.Errorf("%s by %s: %v, want %v", c.tr, c.who, err, c.kind)
			}
		}
		if got, _ := st.WorkflowItem(ctx, it.ID); got.Version != it.Version {
			t.Fatalf("refusals changed the item: version %d", got.Version)
		}
		// The applicant may not review their own request, even holding the role.
		own, err := svc.Create(ctx, f.users["sec"], workflow.SpecReviewKind, workflow.NewItem{Subject: "K-001", OrgCode: "B01", Details: details})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := act("sec", "review", own, nil); mamori.KindOf(err) != mamori.Forbidden || !strings.Contains(err.Error(), "applicant") {
			t.Errorf("own review: %v", err)
		}
		it, err = act("sec", "review", it, nil)
		if err != nil {
			t.Fatal(err)
		}
		it, err = act("sec", "return", it, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := act("bob", "resubmit", it, map[string]string{workflow.DetailClearedOn: "2026-11-01"}); err == nil {
			t.Fatal("a resubmission set the clearing date")
		}
		if it, err = act("bob", "resubmit", it, map[string]string{workflow.DetailPlannedContract: "2026-12-24"}); err != nil {
			t.Fatal(err)
		}
		if it.Details[workflow.DetailPlannedContract] != "2026-12-24" || it.State != workflow.GateRequested {
			t.Fatalf("resubmitted: %+v", it)
		}
		it, _ = act("centre", "review", it, nil)
		now = time.Date(2026, 12, 10, 16, 0, 0, 0, time.UTC) // 01:00 on the 11th in Japan
		it, err = act("sec", "clear", it, nil)
		if err != nil {
			t.Fatal(err)
		}
		if it.State != workflow.GateCleared || it.Details[workflow.DetailClearedOn] != "2026-12-11" {
			t.Errorf("cleared: %s %v, want the day in Japan", it.State, it.Details)
		}
		// Two reviewers at once on one version: exactly one wins.
		other, _ := svc.Create(ctx, f.users["bob"], workflow.ConformityKind, workflow.NewItem{Subject: "K-002", OrgCode: "B01", Details: details})
		other, _ = act("sec", "review", other, nil)
		_, err1 := act("sec", "clear", other, nil)
		_, err2 := act("centre", "return", other, nil)
		if err1 != nil || mamori.KindOf(err2) != mamori.Conflict || !strings.Contains(err2.Error(), "changed by someone else") {
			t.Errorf("simultaneous: %v / %v", err1, err2)
		}
	})
}

// TestExportRequest: the expiry is mandatory and bounded by the configured
// maximum, the approval is the security officer's and never the
// applicant's, mamori expires an approved export after its last day and
// no user can, and ending an export needs the record of what was taken.
func TestExportRequest(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		now := today // 2026-12-01 18:00 in Japan
		svc := newAll(t, f, &now)
		ask := func(who, expires string) (store.WorkflowItem, error) {
			d := map[string]string{workflow.DetailComponent: "PC-1", workflow.DetailPurpose: "会議資料", workflow.DetailExpiresOn: expires}
			if expires == "" {
				delete(d, workflow.DetailExpiresOn)
			}
			return svc.Create(ctx, f.users[who], workflow.ExportRequestKind, workflow.NewItem{Subject: "PC-1 持出し", OrgCode: "B01", Details: d})
		}
		for exp, want := range map[string]string{"": "needs", "2026-12-12": "beyond the maximum", "2026-11-30": "before the day"} {
			if _, err := ask("bob", exp); mamori.KindOf(err) != mamori.Invalid || !strings.Contains(err.Error(), want) {
				t.Errorf("expiry %q: %v, want %q", exp, err, want)
			}
		}
		it, err := ask("bob", "2026-12-11")
		if err != nil {
			t.Fatal(err)
		}
		short, err := ask("bob", "2026-12-03")
		if err != nil {
			t.Fatal(err)
		}
		own, err := ask("sec", "2026-12-03")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, f.users["sec"], own.ID, workflow.Step{Transition: "approve", Version: own.Version}); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("own approval: %v", err)
		}
		if _, err := svc.Act(ctx, f.users["alice"], it.ID, workflow.Step{Transition: "approve", Version: it.Version}); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("approval without the role: %v", err)
		}
		// The approver may shorten the expiry, not stretch it past the maximum.
		if _, err := svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "approve", Version: it.Version,
			Details: map[string]string{workflow.DetailExpiresOn: "2027-01-01"}}); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("stretched expiry: %v", err)
		}
		if it, err = svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: "approve", Version: it.Version,
			Details: map[string]string{workflow.DetailExpiresOn: "2026-12-05"}}); err != nil {
			t.Fatal(err)
		}
		if it.Details[workflow.DetailApprovedOn] != "2026-12-01" || it.Details[workflow.DetailExpiresOn] != "2026-12-05" {
			t.Errorf("approved: %v", it.Details)
		}
		if short, err = svc.Act(ctx, f.users["sec"], short.ID, workflow.Step{Transition: "approve", Version: short.Version}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, f.users["sec"], it.ID, workflow.Step{Transition: workflow.ExpireTransition, Version: it.Version}); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("a user expired an export: %v", err)
		}
		// Ending needs the record.
		if _, err := svc.Act(ctx, f.users["bob"], it.ID, workflow.Step{Transition: "end", Version: it.Version}); mamori.KindOf(err) != mamori.Invalid ||
			!strings.Contains(err.Error(), "what was taken out") {
			t.Errorf("end without the record: %v", err)
		}
		// On its last day an export stands; the day after, mamori blocks it.
		if got, err := svc.Expire(ctx, "2026-12-03"); err != nil || len(got) != 0 {
			t.Fatalf("expire on the last day: %v %v", got, err)
		}
		if _, err := svc.Expire(ctx, "2026-13-01"); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("bad date: %v", err)
		}
		now = time.Date(2026, 12, 3, 15, 30, 0, 0, time.UTC) // 00:30 on the 4th in Japan
		got, err := svc.Expire(ctx, "")
		if err != nil || len(got) != 1 || got[0].ID != short.ID || got[0].State != workflow.Expired || got[0].Details[workflow.DetailEndedOn] != "2026-12-04" {
			t.Fatalf("expire: %+v %v", got, err)
		}
		hist, _ := st.WorkflowEvents(ctx, short.ID)
		if last := hist[len(hist)-1]; last.Actor != workflow.SystemActor || last.Transition != workflow.ExpireTransition {
			t.Errorf("expiry history: %+v", last)
		}
		if again, err := svc.Expire(ctx, ""); err != nil || len(again) != 0 {
			t.Errorf("expire twice: %v %v", again, err)
		}
		short = got[0]
		if short, err = svc.Act(ctx, f.users["bob"], short.ID, workflow.Step{Transition: "record", Version: short.Version,
			Details: map[string]string{workflow.DetailItemsTaken: "会議資料 PDF 3 件（暗号化 USB）"}}); err != nil || short.State != workflow.Ended {
			t.Fatalf("record: %v %v", short.State, err)
		}
		if it, err = svc.Act(ctx, f.users["bob"], it.ID, workflow.Step{Transition: "end", Version: it.Version,
			Details: map[string]string{workflow.DetailItemsTaken: "名簿 CSV 1 件"}}); err != nil || it.State != workflow.Ended {
			t.Fatalf("end: %v %v", it.State, err)
		}
	})
}

// TestCloudUse: the 許可権限者 approves, never the applicant; the day is stamped.
func TestCloudUse(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		now := today
		svc := newAll(t, f, &now)
		d := map[string]string{workflow.DetailContract: "K-9", workflow.DetailCloudService: "CS-1", workflow.DetailPurpose: "庁内メール"}
		it, err := svc.Create(ctx, f.users["bob"], workflow.CloudUseKind, workflow.NewItem{Subject: "K-9", OrgCode: "B01", Details: d})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Act(ctx, f.users["bob"], it.ID, workflow.Step{Transition: "approve", Version: it.Version}); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("applicant approved: %v", err)
		}
		it, err = svc.Act(ctx, f.users["sec2"], it.ID, workflow.Step{Transition: "approve", Version: it.Version})
		if err != nil || it.State != workflow.Approved || it.Details[workflow.DetailApprovedOn] != "2026-12-01" {
			t.Fatalf("approve: %v %+v", err, it)
		}
	})
}

// TestStampsValidated: a transition may stamp only a declared, stamped
// date, and no form may set a stamped detail.
func TestStampsValidated(t *testing.T) {
	bad := *workflow.CloudUse
	bad.Transitions = append([]workflow.Transition{}, bad.Transitions...)
	bad.Transitions[0].Stamps = workflow.DetailPurpose
	if err := bad.Validate(); err == nil || !strings.Contains(err.Error(), "stamps") {
		t.Errorf("stamping a text detail: %v", err)
	}
	for _, d := range workflow.All() {
		if err := d.Validate(); err != nil {
			t.Errorf("%s: %v", d.Kind, err)
		}
		for _, tr := range d.Transitions {
			for _, name := range tr.SetsDetails {
				if det, _ := d.Detail(name); det.Stamped {
					t.Errorf("%s: transition %s sets the stamped detail %s", d.Kind, tr.Name, name)
				}
			}
		}
	}
}
