package app_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestDemoWorkflows: the small demo holds remediation items in every state
// of the workflow, one of them reopened and one overdue, each about an open
// finding of its organization, with a history whose transitions the
// workflow allows, chained state to state, that keeps the separation of
// duties and carries evidence where an item was closed; the same seed and
// date give the same items on both stores.
func TestDemoWorkflows(t *testing.T) {
	const today = "2026-11-01"
	type seen struct {
		Item    store.WorkflowItem
		History []string
	}
	var first []seen
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", today, "--db", db); r.code != 0 ||
				!strings.Contains(r.stdout, "remediation items") {
				t.Fatalf("demo = %+v", r)
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			items, err := st.WorkflowItems(t.Context(), store.WorkflowFilter{Kind: workflow.Remediation.Kind})
			if err != nil {
				t.Fatal(err)
			}
			findings, err := st.Findings(t.Context(), store.FindingFilter{Status: "open"})
			if err != nil {
				t.Fatal(err)
			}
			open := map[string]store.Finding{}
			for _, f := range findings {
				open[f.ControlID+" "+f.TargetCode] = f
			}
			d := workflow.Remediation
			states := map[string]int{}
			var reopened, overdue, escalated, milestones, done int
			var got []seen
			for _, it := range items {
				states[it.State]++
				if d.Overdue(it, today) {
					overdue++
				}
				f, ok := open[it.Subject]
				if !ok || f.OrgCode != it.OrgCode || f.Severity != it.Severity ||
					it.Details[workflow.DetailControl]+" "+it.Details[workflow.DetailTarget] != it.Subject {
					t.Errorf("item %d (%s, %s, %s, %v) follows no open finding of its organization and severity", it.ID, it.Subject, it.OrgCode, it.Severity, it.Details)
				}
				// Due by the catalog's table, counted from its opening.
				if latest, err := workflow.LatestDue(it.Severity, it.CreatedAt.In(time.FixedZone("JST", 9*3600)).Format(time.DateOnly)); err != nil || it.DueOn > latest {
					t.Errorf("item %d (%s) is due %s, later than %s", it.ID, it.Severity, it.DueOn, latest)
				}
				if it.Details[workflow.DetailEscalation] != "" {
					escalated++
				}
				ms, err := st.WorkflowMilestones(t.Context(), it.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms[it.ID] {
					milestones++
					if m.DoneOn != "" {
						done++
					}
				}
				evs, err := st.WorkflowEvents(t.Context(), it.ID)
				if err != nil {
					t.Fatal(err)
				}
				if len(evs) == 0 || evs[0].Event != store.WorkflowCreate || evs[0].To != d.Initial || evs[0].Actor != it.Applicant {
					t.Fatalf("item %d: history does not start with its creation: %+v", it.ID, evs)
				}
				state, assignee, attached, closed := d.Initial, "", 0, false
				var hist []string
				for _, ev := range evs {
					hist = append(hist, ev.Event+" "+ev.Transition+" "+ev.Actor)
					if ev.Event == store.WorkflowAttach {
						attached++
					}
					if ev.Event != store.WorkflowTransition {
						continue
					}
					tr, ok := d.Transition(ev.Transition)
					if !ok || ev.From != state || !slices.Contains(tr.From, state) || ev.To != tr.To {
						t.Errorf("item %d: %s from %q to %q does not follow %q", it.ID, ev.Transition, ev.From, ev.To, state)
					}
					switch ev.Transition {
					case "assign":
						assignee = it.Assignee
					case "close":
						closed = true
						if ev.Actor == it.Applicant || ((it.Severity == workflow.HighSeverity || it.Severity == workflow.CriticalSeverity) && ev.Actor == assignee) || attached == 0 {
							t.Errorf("item %d closed by %s (applicant %s, assignee %s, %d attachments)", it.ID, ev.Actor, it.Applicant, assignee, attached)
						}
					case "reopen":
						reopened++
					}
					state = ev.To
				}
				if state != it.State {
					t.Errorf("item %d is %s, its history ends in %s", it.ID, it.State, state)
				}
				atts, err := st.WorkflowAttachments(t.Context(), it.ID)
				if err != nil {
					t.Fatal(err)
				}
				if closed && (len(atts) == 0 || atts[0].MediaType != "text/plain") {
					t.Errorf("item %d was closed without evidence: %+v", it.ID, atts)
				}
				it.CreatedAt, it.UpdatedAt = it.CreatedAt.UTC(), it.UpdatedAt.UTC()
				got = append(got, seen{it, hist})
			}
			for _, s := range d.States {
				if states[s.Name] == 0 {
					t.Errorf("no demo item is %s: %v", s.Name, states)
				}
			}
			if reopened != 1 || overdue < 1 || escalated != overdue {
				t.Errorf("%d items reopened, %d overdue and %d escalated; want 1, at least 1 and every overdue one", reopened, overdue, escalated)
			}
			// Every item that was started has two milestones, the first done.
			if milestones != 2*4 || done != 4 {
				t.Errorf("%d milestones, %d done; want 8 and 4", milestones, done)
			}
			if first == nil {
				first = got
			} else if !reflect.DeepEqual(first, got) {
				t.Errorf("the same seed and date gave other items:\n%+v\n%+v", first, got)
			}
		})
	}
}
