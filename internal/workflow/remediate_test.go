package workflow_test

import (
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// assess stores an assessment of control on the given day (started at
// started) in which the targets in fails fail; the others it judged pass.
func assess(t *testing.T, st *store.Store, id string, started time.Time, control string, judged []string, fails map[string]string) store.Assessment {
	t.Helper()
	day := started.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly)
	a := store.Assessment{ID: id, StartedAt: started, FinishedAt: started.Add(time.Second), ReferenceDate: day,
		Catalogs: "[]", Params: "{}", Scope: `{"org":"","system":""}`}
	targets := map[string]bool{}
	var in []store.FindingInput
	for _, tg := range judged {
		targets[tg] = true
		if org, ok := fails[tg]; ok {
			in = append(in, store.FindingInput{ControlID: control, TargetType: store.TargetSystem, TargetCode: tg, OrgCode: org,
				Severity: "critical", Result: store.ResultFail, Evidence: "{}"})
		}
	}
	if err := st.SaveAssessment(t.Context(), a, []store.ControlResult{{ControlID: control, Fail: int64(len(in))}}, nil,
		store.FindingScope{Controls: []string{control}, Targets: targets}, in); err != nil {
		t.Fatal(err)
	}
	return a
}

// mailSink is a small real SMTP server on 127.0.0.1 that keeps each
// message's recipient and data.
type mailSink struct {
	addr string
	mu   sync.Mutex
	got  []string
}

func startMailSink(t *testing.T) *mailSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &mailSink{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				tp := textproto.NewConn(c)
				tp.PrintfLine("220 sink ready")
				var to string
				for {
					line, err := tp.ReadLine()
					if err != nil {
						return
					}
					switch verb, arg, _ := strings.Cut(line, " "); strings.ToUpper(verb) {
					case "EHLO", "HELO", "MAIL", "RSET", "NOOP":
						tp.PrintfLine("250 ok")
					case "RCPT":
						to = strings.Trim(strings.TrimPrefix(arg, "TO:"), "<>")
						tp.PrintfLine("250 ok")
					case "DATA":
						tp.PrintfLine("354 go on")
						b, err := tp.ReadDotBytes()
						if err != nil {
							return
						}
						m.mu.Lock()
						m.got = append(m.got, to+"\n"+string(b))
						m.mu.Unlock()
						tp.PrintfLine("250 queued")
					case "QUIT":
						tp.PrintfLine("221 bye")
						return
					default:
						tp.PrintfLine("502 unknown")
					}
				}
			})
		}
	})
	return m
}

func (m *mailSink) messages() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.got...)
}

// addUser creates an account with one grant.
func (f *fixture) addUser(t *testing.T, name string, role auth.Role, org string) {
	t.Helper()
	if err := f.st.CreateUser(t.Context(), store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: today,
		Grants: []store.RoleGrant{{Role: string(role), OrgCode: org}}}); err != nil {
		t.Fatal(err)
	}
	u, err := f.st.User(t.Context(), name)
	if err != nil {
		t.Fatal(err)
	}
	f.users[name] = u
}

func wantKind(t *testing.T, what string, err error, kind mamori.Kind, text string) {
	t.Helper()
	if mamori.KindOf(err) != kind || err == nil || !strings.Contains(err.Error(), text) {
		t.Errorf("%s = %v, want %v naming %q", what, err, kind, text)
	}
}

// TestOpenForFinding: an item is opened for a finding, of its severity,
// due by the catalog's table (earlier allowed, later refused); a second
// item for the same finding, a resolved finding, another ministry's
// finding and a user without the role are refused, and nothing is stored.
func TestOpenForFinding(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		assess(t, st, "A1", today.Add(-time.Hour), "ACC-01", []string{"SYS-B", "SYS-C", "SYS-M2"},
			map[string]string{"SYS-B": "B01", "SYS-C": "B01", "SYS-M2": "M02"})
		it, err := f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-B", Comment: "監査で検出"})
		if err != nil {
			t.Fatal(err)
		}
		// today is 2026-12-01 in Japan; a critical finding has 14 days.
		if it.Severity != "critical" || it.DueOn != "2026-12-15" || it.OrgCode != "B01" || it.Subject != "ACC-01 SYS-B" ||
			it.Details[workflow.DetailControl] != "ACC-01" || it.Details[workflow.DetailTarget] != "SYS-B" {
			t.Errorf("item = %+v", it)
		}
		_, err = f.svc.OpenForFinding(ctx, f.users["aud"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-B"})
		wantKind(t, "a second item", err, mamori.Conflict, "already has remediation item")
		_, err = f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-C", DueOn: "2026-12-16"})
		wantKind(t, "a later due date", err, mamori.Invalid, "never later")
		_, err = f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-M2"})
		wantKind(t, "another ministry's finding", err, mamori.NotFound, "no finding")
		_, err = f.svc.OpenForFinding(ctx, f.users["view"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-C"})
		wantKind(t, "a viewer", err, mamori.Forbidden, "only")
		_, err = f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "NOPE"})
		wantKind(t, "a missing finding", err, mamori.NotFound, "no finding")
		items, _ := st.WorkflowItems(ctx, store.WorkflowFilter{})
		if len(items) != 1 {
			t.Fatalf("refusals stored items: %+v", items)
		}
		early, err := f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-C", DueOn: "2026-12-05"})
		if err != nil || early.DueOn != "2026-12-05" {
			t.Errorf("an earlier due date = %+v, %v", early, err)
		}
		// A resolved finding has nothing to remediate.
		assess(t, st, "A2", today.Add(time.Minute), "ACC-01", []string{"SYS-C"}, nil)
		if _, err := f.svc.Act(ctx, f.users["sec"], early.ID, workflow.Step{Transition: "assign", Version: early.Version, Assignee: "bob"}); err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.OpenForFinding(ctx, f.users["sec"], workflow.OpenFinding{Control: "ACC-01", Target: "SYS-C"})
		wantKind(t, "a resolved finding", err, mamori.Conflict, "was resolved on")
	})
}

// TestMilestones: milestones are added and ticked through the service,
// in the history and the audit trail; a stale version, a user without the
// role and ticking twice are refused and change nothing.
func TestMilestones(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		it := f.act(t, "sec", f.create(t, "alice", "high"), "assign", "bob")
		it2, err := f.svc.AddMilestone(ctx, f.users["sec"], it.ID, it.Version, "パッチ適用計画の承認", "2027-01-15")
		if err != nil {
			t.Fatal(err)
		}
		if it2.Version != it.Version+1 {
			t.Errorf("version %d after a milestone, want %d", it2.Version, it.Version+1)
		}
		_, err = f.svc.AddMilestone(ctx, f.users["sec"], it.ID, it.Version, "stale", "2027-01-20")
		wantKind(t, "a stale milestone", err, mamori.Conflict, "changed by someone else")
		_, err = f.svc.AddMilestone(ctx, f.users["view"], it.ID, it2.Version, "viewer", "2027-01-20")
		wantKind(t, "a viewer's milestone", err, mamori.Forbidden, "only the assignee")
		_, err = f.svc.AddMilestone(ctx, f.users["other"], it.ID, it2.Version, "other", "2027-01-20")
		wantKind(t, "another ministry's milestone", err, mamori.NotFound, "no workflow item")
		_, err = f.svc.AddMilestone(ctx, f.users["bob"], it.ID, it2.Version, "x", "2027-02-30")
		wantKind(t, "a bad date", err, mamori.Invalid, "not a YYYY-MM-DD date")
		ms, _ := st.WorkflowMilestones(ctx, it.ID)
		if len(ms[it.ID]) != 1 {
			t.Fatalf("milestones = %+v", ms)
		}
		m := ms[it.ID][0]
		it3, err := f.svc.TickMilestone(ctx, f.users["bob"], it.ID, it2.Version, m.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		_, err = f.svc.TickMilestone(ctx, f.users["bob"], it.ID, it3.Version, m.ID, true)
		wantKind(t, "ticking twice", err, mamori.Conflict, "done already")
		_, err = f.svc.TickMilestone(ctx, f.users["bob"], it.ID, it3.Version, m.ID+100, true)
		wantKind(t, "another milestone", err, mamori.NotFound, "no milestone")
		ms, _ = st.WorkflowMilestones(ctx, it.ID)
		if got := ms[it.ID][0]; got.DoneOn != "2026-12-01" || got.DoneBy != "bob" || got.Title != "パッチ適用計画の承認" || got.DueOn != "2027-01-15" {
			t.Errorf("milestone = %+v", got)
		}
		hist, _ := st.WorkflowEvents(ctx, it.ID)
		var notes []string
		for _, ev := range hist {
			if strings.Contains(ev.Comment, "milestone") {
				notes = append(notes, ev.Actor+": "+ev.Comment)
			}
		}
		if len(notes) != 2 || !strings.HasPrefix(notes[0], "sec: ") || !strings.HasPrefix(notes[1], "bob: ") {
			t.Errorf("history notes = %q", notes)
		}
	})
}

// TestAgeing counts unsettled items by age bucket and severity.
func TestAgeing(t *testing.T) {
	f := setup(t, storetest.OpenSQLite(t))
	for _, c := range []struct {
		ago int
		sev string
	}{{0, "high"}, {45, "high"}, {100, "low"}, {200, "low"}, {400, "high"}} {
		f.svc.Now = func() time.Time { return today.AddDate(0, 0, -c.ago) }
		if _, err := f.svc.Create(t.Context(), f.users["alice"], "remediation", workflow.NewItem{Subject: "S", OrgCode: "B01",
			Severity: c.sev, DueOn: today.AddDate(0, 0, -c.ago+30).Format(time.DateOnly)}); err != nil {
			t.Fatal(err)
		}
	}
	items, _ := f.st.WorkflowItems(t.Context(), store.WorkflowFilter{})
	rows := workflow.Remediation.Ageing(items, "2026-12-01")
	type row struct {
		Sev     string
		B       []int
		Overdue int
	}
	var got []row
	for _, r := range rows {
		got = append(got, row{r.Severity, r.Buckets, r.Overdue})
	}
	want := []row{{"high", []int{1, 1, 0, 1}, 2}, {"low", []int{0, 0, 1, 1}, 2}, {"", []int{1, 1, 1, 2}, 4}}
	if !slices.EqualFunc(got, want, func(a, b row) bool { return a.Sev == b.Sev && slices.Equal(a.B, b.B) && a.Overdue == b.Overdue }) {
		t.Errorf("ageing = %+v, want %+v", got, want)
	}
	if workflow.AgeBucket(30) != "0-30" || workflow.AgeBucket(31) != "31-90" || workflow.AgeBucket(181) != ">180" {
		t.Error("bucket bounds")
	}
}

// notifier returns a Notifier mailing through sink.
func notifier(t *testing.T, st *store.Store, sink *mailSink) *notify.Notifier {
	t.Helper()
	n, err := notify.New(st, notify.Config{SMTP: &notify.SMTP{Addr: sink.addr, From: "mamori@example.go.jp", StartTLS: notify.StartTLSOff},
		Now: func() time.Time { return today }})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestEscalationAndNotifications: an assignment mails the assignee; an
// overdue item escalates to the parent organization, whose org_security
// is mailed, once a day, then after EscalateEvery days to the next
// organization up, and no further than the top; the daily job reminds
// and digests once a day. Without a configured server nothing is queued.
func TestEscalationAndNotifications(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		sink := startMailSink(t)
		f.addUser(t, "fixer@example.go.jp", auth.SystemOfficer, "B01")
		f.addUser(t, "head@example.go.jp", auth.OrgSecurity, "M01")
		f.addUser(t, "gov@example.go.jp", auth.OrgSecurity, "G")
		n := notifier(t, st, sink)
		f.svc.Notifier = n
		it := f.create(t, "alice", "low") // due 2027-03-31
		it = f.act(t, "sec", it, "assign", "fixer@example.go.jp")
		if k, err := n.DrainOnce(ctx); err != nil || k != 1 {
			t.Fatalf("DrainOnce = %d, %v", k, err)
		}
		if msgs := sink.messages(); len(msgs) != 1 || !strings.HasPrefix(msgs[0], "fixer@example.go.jp\n") {
			t.Fatalf("assignment mail = %q", msgs)
		}
		at := func(day string) {
			d, _ := time.Parse(time.DateOnly, day)
			f.svc.Now = func() time.Time { return d.Add(time.Hour) }
		}
		at("2027-03-31")
		if esc, err := f.svc.Escalate(ctx); err != nil || len(esc) != 0 {
			t.Fatalf("escalated on its due date: %+v, %v", esc, err)
		}
		at("2027-04-01")
		esc, err := f.svc.Escalate(ctx)
		if err != nil || len(esc) != 1 || esc[0].Level != 1 || esc[0].To != "M01" {
			t.Fatalf("first escalation = %+v, %v", esc, err)
		}
		if again, err := f.svc.Escalate(ctx); err != nil || len(again) != 0 {
			t.Errorf("escalated twice the same day: %+v, %v", again, err)
		}
		at("2027-04-14")
		if again, err := f.svc.Escalate(ctx); err != nil || len(again) != 0 {
			t.Errorf("escalated to level 2 too soon: %+v, %v", again, err)
		}
		at("2027-04-15")
		if esc, err = f.svc.Escalate(ctx); err != nil || len(esc) != 1 || esc[0].Level != 2 || esc[0].To != "G" {
			t.Errorf("second escalation = %+v, %v", esc, err)
		}
		at("2027-06-30")
		if esc, err = f.svc.Escalate(ctx); err != nil || len(esc) != 0 {
			t.Errorf("escalated above the top: %+v, %v", esc, err)
		}
		cur, _ := st.WorkflowItem(ctx, it.ID)
		if cur.Details[workflow.DetailEscalation] != "2" || cur.Details[workflow.DetailEscalatedTo] != "G" || cur.State != workflow.Assigned {
			t.Errorf("item after escalations = %+v", cur)
		}
		hist, _ := st.WorkflowEvents(ctx, it.ID)
		var byMamori int
		for _, ev := range hist {
			if ev.Actor == workflow.SystemActor && strings.Contains(ev.Comment, "escalated to organization") {
				byMamori++
			}
		}
		if byMamori != 2 {
			t.Errorf("%d escalations in the history, want 2", byMamori)
		}
		es, _, err := st.AuditEntries(ctx, store.AuditFilter{Action: workflow.AuditAction, Actor: workflow.SystemActor, OrgCode: "B01"})
		if err != nil || len(es) != 2 || !strings.Contains(es[0].Detail, "escalated_to") {
			t.Errorf("escalations in the audit trail = %+v, %v", es, err)
		}
		if _, err := n.DrainOnce(ctx); err != nil {
			t.Fatal(err)
		}
		var to []string
		for _, m := range sink.messages()[1:] {
			to = append(to, strings.SplitN(m, "\n", 2)[0])
		}
		if !slices.Equal(to, []string{"head@example.go.jp", "gov@example.go.jp"}) {
			t.Errorf("escalation mail went to %q", to)
		}
		// The daily job: a reminder 7 days before the due date, and the
		// digests, once a day.
		f.svc.Now = func() time.Time { return today }
		f.act(t, "sec", f.create(t, "alice", "low"), "assign", "fixer@example.go.jp")
		if _, err := n.DrainOnce(ctx); err != nil {
			t.Fatal(err)
		}
		before := len(sink.messages())
		at("2027-03-24")
		r, err := f.svc.Daily(ctx)
		if err != nil || !r.Ran || r.DueSoon != 2 || r.Digests != 1 {
			t.Errorf("Daily = %+v, %v", r, err)
		}
		if r, err := f.svc.Daily(ctx); err != nil || r.Ran || r.DueSoon != 0 {
			t.Errorf("Daily again = %+v, %v", r, err)
		}
		if _, err := n.DrainOnce(ctx); err != nil {
			t.Fatal(err)
		}
		msgs := sink.messages()[before:]
		if len(msgs) != 3 || !strings.Contains(strings.Join(msgs, ""), "Notifications of 2027-03-24 (2)") {
			t.Errorf("daily mail = %d messages:\n%s", len(msgs), strings.Join(msgs, "\n----\n"))
		}
	})
}

// TestNothingSentUnconfigured: with no server configured, assignment,
// escalation and the daily job queue nothing.
func TestNothingSentUnconfigured(t *testing.T) {
	st := storetest.OpenSQLite(t)
	f := setup(t, st)
	n, err := notify.New(st, notify.Config{})
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Notifier = n
	f.addUser(t, "fixer@example.go.jp", auth.SystemOfficer, "B01")
	f.act(t, "sec", f.create(t, "alice", "high"), "assign", "fixer@example.go.jp")
	f.svc.Now = func() time.Time { return time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC) }
	if r, err := f.svc.Daily(t.Context()); err != nil || len(r.Escalated) != 1 || r.Digests != 0 {
		t.Errorf("Daily = %+v, %v", r, err)
	}
	if out, err := st.FindOutbox(t.Context(), "", 100); err != nil || len(out) != 0 {
		t.Errorf("outbox = %+v, %v", out, err)
	}
}

// TestRecheckReopens: an assessment that finds a resolved or closed
// item's finding failing again reopens it as mamori; one that finds it
// passing notes it; an item resolved after the assessment started, and a
// finding the assessment did not judge, are left alone.
func TestRecheckReopens(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		all := []string{"SYS-A", "SYS-B", "SYS-C"}
		assess(t, st, "A1", today.Add(-2*time.Hour), "ACC-01", all, map[string]string{"SYS-A": "B01", "SYS-B": "B01", "SYS-C": "B01"})
		open := func(target string) store.WorkflowItem {
			it, err := f.svc.OpenForFinding(ctx, f.users["aud"], workflow.OpenFinding{Control: "ACC-01", Target: target})
			if err != nil {
				t.Fatal(err)
			}
			it = f.act(t, "sec", it, "assign", "bob")
			return f.act(t, "bob", it, "start")
		}
		a, b, c := open("SYS-A"), open("SYS-B"), open("SYS-C")
		if _, err := f.svc.Attach(ctx, f.users["bob"], a.ID, "fix.pdf", "application/pdf", pdf); err != nil {
			t.Fatal(err)
		}
		a = f.act(t, "bob", a, "resolve")
		a = f.act(t, "sec", a, "close")
		// The re-check an hour later: SYS-A fails again, SYS-B passes.
		r, err := f.svc.Recheck(ctx, assess(t, st, "A2", today.Add(time.Hour), "ACC-01", all, map[string]string{"SYS-A": "B01", "SYS-C": "B01"}))
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(r.Reopened, []int64{a.ID}) || !slices.Equal(r.Passed, []int64{b.ID}) {
			t.Errorf("Recheck = %+v, want %d reopened and %d passed", r, a.ID, b.ID)
		}
		cur, _ := st.WorkflowItem(ctx, a.ID)
		hist, _ := st.WorkflowEvents(ctx, a.ID)
		last := hist[len(hist)-1]
		if cur.State != workflow.InProgress || last.Actor != workflow.SystemActor || last.Transition != workflow.RecheckFailed || last.From != workflow.Closed {
			t.Errorf("after the re-check: %s, last event %+v", cur.State, last)
		}
		// A resolution after the assessment started is not undone by it.
		c = f.act(t, "bob", c, "resolve")
		late := assess(t, st, "A3", today.Add(-time.Minute), "ACC-01", []string{"SYS-C"}, map[string]string{"SYS-C": "B01"})
		if r, err := f.svc.Recheck(ctx, late); err != nil || len(r.Reopened) != 0 {
			t.Errorf("Recheck reopened an item resolved after it started: %+v, %v", r, err)
		}
		// A user may never take recheck_failed.
		_, err = f.svc.Act(ctx, f.users["sec"], c.ID, workflow.Step{Transition: workflow.RecheckFailed, Version: c.Version})
		wantKind(t, "a user's recheck_failed", err, mamori.Forbidden, "mamori takes it by itself")
	})
}

// TestLinkedDetailsGuarded: a remediation item cannot be created naming a
// finding or an escalation by hand; only OpenForFinding and OpenForVuln
// set what an item is about.
func TestLinkedDetailsGuarded(t *testing.T) {
	f := setup(t, storetest.OpenSQLite(t))
	for _, name := range []string{workflow.DetailControl, workflow.DetailTarget, workflow.DetailEscalation} {
		_, err := f.svc.Create(t.Context(), f.users["sec"], "remediation", workflow.NewItem{Subject: "S", OrgCode: "B01", Severity: "low",
			Details: map[string]string{name: "X"}})
		wantKind(t, "a hand-set "+name, err, mamori.Invalid, "set by mamori")
	}
}
