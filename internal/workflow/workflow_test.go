package workflow_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// today is the tests' clock.
var today = time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)

// pdf is a small PDF: what a scanned report starts with.
var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// fixture holds a store with an organization tree (G above M01 above B01,
// and M02 beside M01), the accounts the tests act as, and a service.
type fixture struct {
	st    *store.Store
	svc   *workflow.Service
	users map[string]store.User
}

func org(code, parent string) mamori.Record {
	e := mamori.EntityByName("organizations")
	r := make(mamori.Record, len(e.Fields))
	set := func(col string, v any) { r[e.FieldIndex(col)] = v }
	set("code", code)
	if parent != "" {
		set("parent_code", parent)
	}
	set("kind", "ministry")
	set("name", "組織 "+code)
	set("policy_revised_on", "2024-04-01")
	set("csirt_documented", true)
	return r
}

// registerTargets puts the contracts and components the approvals name:
// K-001, K-002 and K-9 of B01, K-M02 of M02; PC-1 of B01's system, PC-M02
// of M02's.
func registerTargets(l *store.Loader) error {
	sys := func(code, org string) mamori.Record {
		return record("systems", map[string]any{"code": code, "org_code": org, "name": "システム " + code, "in_register": true, "class": "information_system", "status": "operating"})
	}
	con := func(code, org string) mamori.Record {
		return record("contracts", map[string]any{"code": code, "org_code": org, "kind": "development", "title": "契約 " + code, "vendor": "ベンダー"})
	}
	comp := func(code, system string) mamori.Record {
		return record("components", map[string]any{"code": code, "system_code": system, "kind": "terminal"})
	}
	if err := l.Put(mamori.EntityByName("systems"), []mamori.Record{sys("S-B01", "B01"), sys("S-M02", "M02")}); err != nil {
		return err
	}
	if err := l.Put(mamori.EntityByName("contracts"), []mamori.Record{con("K-001", "B01"), con("K-002", "B01"), con("K-9", "B01"), con("K-M02", "M02")}); err != nil {
		return err
	}
	return l.Put(mamori.EntityByName("components"), []mamori.Record{comp("PC-1", "S-B01"), comp("PC-M02", "S-M02")})
}

func setup(t *testing.T, st *store.Store) *fixture {
	t.Helper()
	ctx := t.Context()
	err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		if err := l.Put(mamori.EntityByName("organizations"), []mamori.Record{org("G", ""), org("M01", "G"), org("B01", "M01"), org("M02", "G")}); err != nil {
			return err
		}
		return registerTargets(l)
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	grants := map[string][]store.RoleGrant{
		"alice":  {{Role: string(auth.SystemOfficer), OrgCode: "M01"}}, // raises findings
		"bob":    {{Role: string(auth.SystemOfficer), OrgCode: "B01"}}, // fixes them
		"sec":    {{Role: string(auth.OrgSecurity), OrgCode: "M01"}},   // assigns
		"sec2":   {{Role: string(auth.OrgSecurity), OrgCode: "B01"}},
		"aud":    {{Role: string(auth.Auditor), OrgCode: "M01"}}, // reviews
		"view":   {{Role: string(auth.Viewer), OrgCode: "M01"}},
		"other":  {{Role: string(auth.OrgSecurity), OrgCode: "M02"}},                                              // another ministry
		"mixed":  {{Role: string(auth.Viewer), OrgCode: "M01"}, {Role: string(auth.OrgSecurity), OrgCode: "M02"}}, // sees, may not act
		"centre": {{Role: string(auth.CentralAdmin), OrgCode: "G"}},
	}
	f := &fixture{st: st, users: map[string]store.User{}}
	for name, gs := range grants {
		if err := st.CreateUser(ctx, store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: today, Grants: gs}); err != nil {
			t.Fatalf("CreateUser(%s): %v", name, err)
		}
		u, err := st.User(ctx, name)
		if err != nil {
			t.Fatal(err)
		}
		f.users[name] = u
	}
	f.svc, err = workflow.New(st, workflow.Remediation)
	if err != nil {
		t.Fatal(err)
	}
	f.svc.Now = func() time.Time { return today }
	return f
}

// create opens a remediation item of severity: a low one due 2027-03-31
// (within its 180 days), any other due by the catalog's table.
func (f *fixture) create(t *testing.T, who, severity string) store.WorkflowItem {
	t.Helper()
	due := ""
	if severity == "low" {
		due = "2027-03-31"
	}
	it, err := f.svc.Create(t.Context(), f.users[who], "remediation",
		workflow.NewItem{Subject: "FND-0001", OrgCode: "B01", Severity: severity, DueOn: due, Comment: "found in the audit"})
	if err != nil {
		t.Fatalf("Create: %v", err)
	}
	return it
}

func (f *fixture) act(t *testing.T, who string, it store.WorkflowItem, tr string, assignee ...string) store.WorkflowItem {
	t.Helper()
	st := workflow.Step{Transition: tr, Version: it.Version, Comment: tr + " by " + who}
	if len(assignee) > 0 {
		st.Assignee = assignee[0]
	}
	next, err := f.svc.Act(t.Context(), f.users[who], it.ID, st)
	if err != nil {
		t.Fatalf("%s by %s: %v", tr, who, err)
	}
	return next
}

// TestRemediationEndToEnd takes a high-severity finding from open to
// closed and back, and reads the history and the audit trail.
func TestRemediationEndToEnd(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		it := f.create(t, "alice", workflow.HighSeverity)
		if it.State != workflow.Open || it.Version != 1 || it.Applicant != "alice" {
			t.Fatalf("created %+v", it)
		}
		it = f.act(t, "sec", it, "assign", "bob")
		if it.Assignee != "bob" || it.State != workflow.Assigned || it.Version != 2 {
			t.Fatalf("assigned %+v", it)
		}
		it = f.act(t, "bob", it, "start")
		it = f.act(t, "bob", it, "resolve")

		// Closing without evidence is refused; then bob attaches some.
		if _, err := f.svc.Act(ctx, f.users["aud"], it.ID, workflow.Step{Transition: "close", Version: it.Version}); err == nil ||
			!strings.Contains(err.Error(), "evidence") {
			t.Fatalf("close without evidence: %v", err)
		}
		a, err := f.svc.Attach(ctx, f.users["bob"], it.ID, "patch-report.pdf", "application/pdf", pdf)
		if err != nil {
			t.Fatalf("Attach: %v", err)
		}
		sum := sha256.Sum256(pdf)
		if a.SHA256 != hex.EncodeToString(sum[:]) || a.Size != int64(len(pdf)) || a.MediaType != workflow.PDF {
			t.Errorf("attachment %+v", a)
		}
		back, err := st.WorkflowAttachmentContent(ctx, a.ID)
		if err != nil || !bytes.Equal(back.Content, pdf) || back.SHA256 != a.SHA256 {
			t.Errorf("attachment read back: %v %+v", err, back)
		}
		if _, err := f.svc.Comment(ctx, f.users["bob"], it.ID, "パッチ適用済み"); err != nil {
			t.Fatalf("Comment: %v", err)
		}
		it, err = f.svc.Item(ctx, f.users["aud"], it.ID) // comments and evidence do not move the version
		if err != nil || it.Version != 4 {
			t.Fatalf("Item: %v, version %d", err, it.Version)
		}
		it = f.act(t, "aud", it, "close")
		if it.State != workflow.Closed || it.Version != 5 {
			t.Fatalf("closed %+v", it)
		}
		it = f.act(t, "aud", it, "reopen")
		if it.State != workflow.InProgress || it.Assignee != "bob" {
			t.Fatalf("reopened %+v", it)
		}

		hist, err := f.svc.History(ctx, f.users["view"], it.ID)
		if err != nil {
			t.Fatal(err)
		}
		type row struct{ Actor, Event, Transition, From, To string }
		var got []row
		for _, ev := range hist {
			got = append(got, row{ev.Actor, ev.Event, ev.Transition, ev.From, ev.To})
			if !ev.At.Equal(today) {
				t.Errorf("event %d at %v", ev.ID, ev.At)
			}
		}
		want := []row{
			{"alice", "create", "", "", "open"},
			{"sec", "transition", "assign", "open", "assigned"},
			{"bob", "transition", "start", "assigned", "in_progress"},
			{"bob", "transition", "resolve", "in_progress", "resolved"},
			{"bob", "attach", "", "", ""},
			{"bob", "comment", "", "", ""},
			{"aud", "transition", "close", "resolved", "closed"},
			{"aud", "transition", "reopen", "closed", "in_progress"},
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("history (-want +got):\n%s", diff)
		}
		if hist[0].Comment != "found in the audit" || hist[4].AttachmentID != a.ID || hist[5].Comment != "パッチ適用済み" {
			t.Errorf("history details: %+v", hist)
		}

		// Every action is in the audit trail, filed under the item's organization.
		es, _, err := st.AuditEntries(ctx, store.AuditFilter{Action: workflow.AuditAction, OrgCode: "B01"})
		if err != nil {
			t.Fatal(err)
		}
		if len(es) != len(want) {
			t.Errorf("%d audit entries under B01, want %d", len(es), len(want))
		}
		for _, e := range es {
			if e.Target != "workflow/remediation/"+itoa(it.ID) || e.OrgCode != "B01" {
				t.Errorf("audit entry %+v", e)
			}
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

// state is what must not change when an action is refused.
type state struct {
	Item     store.WorkflowItem
	Events   []store.WorkflowEvent
	Evidence []store.WorkflowAttachment
	Audit    int64
}

func snapshot(t *testing.T, st *store.Store, id int64) state {
	t.Helper()
	ctx := t.Context()
	var s state
	var err error
	if s.Item, err = st.WorkflowItem(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s.Events, err = st.WorkflowEvents(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s.Evidence, err = st.WorkflowAttachments(ctx, id); err != nil {
		t.Fatal(err)
	}
	if s.Audit, err = st.LastAuditSeq(ctx); err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRefusals: each action the definition does not allow is refused with
// a message in both languages naming the item, its state and the
// transition, and changes nothing: not the item, not its history, not its
// evidence, not the audit trail.
func TestRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		// high: opened by sec, assigned to sec2, resolved by sec2 with evidence.
		high := f.create(t, "sec", workflow.HighSeverity)
		high = f.act(t, "sec", high, "assign", "sec2")
		high = f.act(t, "sec2", high, "start")
		high = f.act(t, "sec2", high, "resolve")
		if _, err := f.svc.Attach(ctx, f.users["sec2"], high.ID, "fix.png", "", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")); err != nil {
			t.Fatal(err)
		}
		high, _ = st.WorkflowItem(ctx, high.ID)
		open := f.create(t, "alice", "low")
		assigned := f.act(t, "sec", f.create(t, "alice", "low"), "assign", "bob")

		for _, c := range []struct {
			name  string
			who   string
			item  store.WorkflowItem
			step  workflow.Step
			kind  mamori.Kind
			words []string // in the English message besides the item id
			ja    string   // in the Japanese message
		}{
			{"illegal transition", "sec", open, workflow.Step{Transition: "close"}, mamori.Conflict,
				[]string{`state "open"`, `"close"`}, "状態「open」"},
			{"unknown transition", "sec", open, workflow.Step{Transition: "approve"}, mamori.Invalid,
				[]string{`"approve"`, "no such transition"}, "この操作はありません"},
			{"no role", "view", open, workflow.Step{Transition: "assign", Assignee: "bob"}, mamori.Forbidden,
				[]string{`"assign"`, "organization security officer"}, "組織セキュリティ担当"},
			{"role outside the subtree", "mixed", open, workflow.Step{Transition: "assign", Assignee: "bob"}, mamori.Forbidden,
				[]string{`"assign"`, "organization B01"}, "組織「B01」"},
			{"not the assignee", "sec", assigned, workflow.Step{Transition: "start"}, mamori.Forbidden,
				[]string{`"start"`, "only the assignee (bob)"}, "担当者（bob）だけ"},
			{"applicant approves own item", "sec", high, workflow.Step{Transition: "close"}, mamori.Forbidden,
				[]string{`"close"`, "applicant"}, "起票者"},
			{"assignee reviews own high item", "sec2", high, workflow.Step{Transition: "close"}, mamori.Forbidden,
				[]string{`"close"`, "other than the assignee"}, "担当者以外"},
			{"stale version", "aud", high, workflow.Step{Transition: "close", Version: high.Version - 1}, mamori.Conflict,
				[]string{"changed by someone else", "reload"}, "読み直して"},
			{"assignee without access", "sec", open, workflow.Step{Transition: "assign", Assignee: "other"}, mamori.Invalid,
				[]string{`"assign"`, `"other"`}, "見られません"},
			{"no version", "aud", high, workflow.Step{Transition: "close", Version: -1}, mamori.Invalid,
				[]string{"version"}, "版"},
		} {
			t.Run(c.name, func(t *testing.T) {
				step := c.step
				if step.Version == 0 {
					step.Version = c.item.Version
				}
				before := snapshot(t, st, c.item.ID)
				_, err := f.svc.Act(ctx, f.users[c.who], c.item.ID, step)
				e, ok := errors.AsType[*mamori.Error](err)
				if !ok {
					t.Fatalf("err = %v, want a refusal", err)
				}
				if e.Kind != c.kind {
					t.Errorf("kind %v, want %v: %s", e.Kind, c.kind, e.Bilingual())
				}
				words := c.words
				if c.name != "no version" {
					words = append(words, "item "+itoa(c.item.ID))
				}
				for _, w := range words {
					if !strings.Contains(e.Message, w) {
						t.Errorf("message %q lacks %q", e.Message, w)
					}
				}
				if !strings.Contains(e.MessageJA, c.ja) {
					t.Errorf("Japanese message %q lacks %q", e.MessageJA, c.ja)
				}
				if diff := cmp.Diff(before, snapshot(t, st, c.item.ID)); diff != "" {
					t.Errorf("a refused action changed something (-before +after):\n%s", diff)
				}
			})
		}

		// Outside every grant, the item does not exist.
		before := snapshot(t, st, open.ID)
		if _, err := f.svc.Act(ctx, f.users["other"], open.ID, workflow.Step{Transition: "assign", Version: 1, Assignee: "bob"}); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("act outside the subtree: %v", err)
		}
		if _, err := f.svc.Comment(ctx, f.users["other"], open.ID, "hello"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("comment outside the subtree: %v", err)
		}
		if _, err := f.svc.Comment(ctx, f.users["view"], open.ID, "hello"); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("comment by a viewer: %v", err)
		}
		if _, err := f.svc.Item(ctx, f.users["other"], open.ID); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("read outside the subtree: %v", err)
		}
		if diff := cmp.Diff(before, snapshot(t, st, open.ID)); diff != "" {
			t.Errorf("refused comments changed something:\n%s", diff)
		}

		// Creation: a due date in the past, a bad severity, no role there.
		items, _ := st.WorkflowItems(ctx, store.WorkflowFilter{})
		seq, _ := st.LastAuditSeq(ctx)
		for _, c := range []struct {
			who  string
			n    workflow.NewItem
			kind mamori.Kind
			en   string
		}{
			{"alice", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "low", DueOn: "2026-11-30"}, mamori.Invalid, "in the past"},
			{"alice", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "low", DueOn: "31/03/2027"}, mamori.Invalid, "YYYY-MM-DD"},
			{"alice", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "urgent"}, mamori.Invalid, "severity"},
			{"alice", workflow.NewItem{Subject: "", OrgCode: "B01", Severity: "low"}, mamori.Invalid, "subject"},
			{"view", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "low"}, mamori.Forbidden, "may open"},
			{"other", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "low"}, mamori.Forbidden, "may open"},
		} {
			_, err := f.svc.Create(ctx, f.users[c.who], "remediation", c.n)
			if mamori.KindOf(err) != c.kind || !strings.Contains(err.Error(), c.en) {
				t.Errorf("Create(%s, %+v) = %v, want %v with %q", c.who, c.n, err, c.kind, c.en)
			}
		}
		after, _ := st.WorkflowItems(ctx, store.WorkflowFilter{})
		seq2, _ := st.LastAuditSeq(ctx)
		if len(after) != len(items) || seq2 != seq {
			t.Errorf("refused creations stored %d items and %d audit entries", len(after)-len(items), seq2-seq)
		}
		// Late on 30 November in UTC it is already 1 December in Japan.
		f.svc.Now = func() time.Time { return time.Date(2026, 11, 30, 16, 0, 0, 0, time.UTC) }
		if _, err := f.svc.Create(ctx, f.users["alice"], "remediation", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "low", DueOn: "2026-11-30"}); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("due yesterday in Japan: %v", err)
		}
		f.svc.Now = func() time.Time { return today }
		// A due date today is not in the past.
		if _, err := f.svc.Create(ctx, f.users["alice"], "remediation", workflow.NewItem{Subject: "F", OrgCode: "B01", Severity: "low", DueOn: "2026-12-01"}); err != nil {
			t.Errorf("due today: %v", err)
		}
	})
}

// TestSimultaneousActors: two people act on one item at the same version
// at once; exactly one wins, the other is told, and the history holds one
// transition.
func TestSimultaneousActors(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		for round := range 5 {
			it := f.create(t, "alice", "medium")
			var wg sync.WaitGroup
			errs := make([]error, 2)
			for i, who := range []string{"sec", "centre"} {
				wg.Go(func() {
					_, errs[i] = f.svc.Act(context.Background(), f.users[who], it.ID,
						workflow.Step{Transition: "assign", Version: it.Version, Assignee: "bob"})
				})
			}
			wg.Wait()
			wins, stale := 0, 0
			for _, err := range errs {
				switch {
				case err == nil:
					wins++
				case mamori.KindOf(err) == mamori.Conflict && strings.Contains(err.Error(), "changed by someone else"):
					stale++
				default:
					t.Errorf("round %d: unexpected error %v", round, err)
				}
			}
			if wins != 1 || stale != 1 {
				t.Fatalf("round %d: %d won and %d were told, want 1 and 1 (%v)", round, wins, stale, errs)
			}
			got, _ := st.WorkflowItem(t.Context(), it.ID)
			hist, _ := st.WorkflowEvents(t.Context(), it.ID)
			if got.Version != 2 || len(hist) != 2 {
				t.Errorf("round %d: version %d and %d events, want 2 and 2", round, got.Version, len(hist))
			}
		}
	})
}

// TestDefinitionsValid: every shipped definition passes its own checks.
func TestDefinitionsValid(t *testing.T) {
	if err := workflow.Remediation.Validate(); err != nil {
		t.Fatal(err)
	}
	bad := *workflow.Remediation
	bad.Transitions = append([]workflow.Transition{{Name: "x", From: []string{"nowhere"}, To: workflow.Open, Roles: []auth.Role{auth.Viewer}}}, bad.Transitions...)
	if err := bad.Validate(); err == nil {
		t.Error("a transition from an unknown state passed")
	}
}

// TestWhatPagesAsk: what a page needs before offering anything. An item
// outside the user's grants is missing whatever version an action names
// (a stale one included, which would otherwise tell its kind and state);
// Available offers exactly the transitions Act would take; MayAdd
// refuses as Comment does; a settled item is never overdue.
func TestWhatPagesAsk(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		f := setup(t, st)
		ctx := t.Context()
		it := f.create(t, "alice", "high")
		for _, v := range []int64{it.Version, it.Version + 5} {
			_, err := f.svc.Act(ctx, f.users["other"], it.ID, workflow.Step{Transition: "assign", Version: v, Assignee: "bob"})
			if mamori.KindOf(err) != mamori.NotFound || strings.Contains(err.Error(), "open") {
				t.Errorf("another ministry's action naming version %d: %v, want a plain not found", v, err)
			}
		}
		names := func(who string, it store.WorkflowItem) []string {
			ts, err := f.svc.Available(ctx, f.users[who], it)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, tr := range ts {
				out = append(out, tr.Name)
			}
			return out
		}
		for who, want := range map[string][]string{"sec": {"assign"}, "centre": {"assign"}, "view": nil, "bob": nil, "other": nil} {
			if got := names(who, it); !cmp.Equal(got, want) {
				t.Errorf("open item, %s may take %v, want %v", who, got, want)
			}
		}
		it = f.act(t, "sec", it, "assign", "bob")
		if got := names("bob", it); !cmp.Equal(got, []string{"start"}) {
			t.Errorf("assigned to bob, bob may take %v", got)
		}
		it = f.act(t, "bob", it, "start")
		it = f.act(t, "bob", it, "resolve")
		// close needs evidence: not offered before it is attached.
		if got := names("aud", it); !cmp.Equal(got, []string{"reopen"}) {
			t.Errorf("resolved without evidence, aud may take %v", got)
		}
		if _, err := f.svc.Attach(ctx, f.users["bob"], it.ID, "report.pdf", workflow.PDF, pdf); err != nil {
			t.Fatal(err)
		}
		if got := names("aud", it); !cmp.Equal(got, []string{"close", "reopen"}) {
			t.Errorf("resolved with evidence, aud may take %v", got)
		}
		if err := f.svc.MayAdd(ctx, f.users["view"], it); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("MayAdd for a viewer: %v", err)
		}
		if err := f.svc.MayAdd(ctx, f.users["other"], it); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("MayAdd for another ministry: %v", err)
		}
		if err := f.svc.MayAdd(ctx, f.users["bob"], it); err != nil {
			t.Errorf("MayAdd for the assignee: %v", err)
		}
		late := store.WorkflowItem{DueOn: "2026-11-30", State: workflow.InProgress}
		if !workflow.Remediation.Overdue(late, "2026-12-01") || workflow.Remediation.Overdue(late, "2026-11-30") {
			t.Error("an item in progress past its due date is not overdue, or one on its due date is")
		}
		late.State = workflow.Resolved
		if workflow.Remediation.Overdue(late, "2026-12-01") {
			t.Error("a resolved item is overdue")
		}
	})
}
