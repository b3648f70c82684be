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

// TestDueSoonCatchesUp: a due-soon reminder missed on its day (the daily
// job did not run 7 days, nor 1 day, before the due date) is sent on the
// next run within its threshold, once per threshold however often the
// job runs, and recorded in the item's history.
func TestDueSoonCatchesUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		sink := startMailSink(t)
		f.addUser(t, "fixer@example.go.jp", auth.SystemOfficer, "B01")
		f.svc.Notifier = notifier(t, st, sink)
		it := f.act(t, "sec", f.create(t, "alice", "low"), "assign", "fixer@example.go.jp") // due 2027-03-31
		for _, c := range []struct {
			day  string
			want int
		}{
			{"2027-03-20", 0}, // 11 days before: not yet
			{"2027-03-26", 1}, // 5 days before: the 7-day reminder, caught up
			{"2027-03-27", 0}, // sent already
			{"2027-03-29", 0},
			{"2027-03-31", 1}, // the due day: the 1-day reminder, caught up
			{"2027-04-01", 0}, // overdue: escalated, not reminded
		} {
			d, _ := time.Parse(time.DateOnly, c.day)
			f.svc.Now = func() time.Time { return d.Add(time.Hour) }
			r, err := f.svc.Daily(ctx)
			if err != nil || !r.Ran || r.DueSoon != c.want {
				t.Errorf("Daily on %s = %+v, %v; want %d reminder(s)", c.day, r, err, c.want)
			}
			// A second run the same day makes nothing.
			if r, err := f.svc.Daily(ctx); err != nil || r.DueSoon != 0 {
				t.Errorf("Daily again on %s = %+v, %v", c.day, r, err)
			}
		}
		hist, err := st.WorkflowEvents(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		var noted []string
		for _, ev := range hist {
			if ev.Actor == workflow.SystemActor && strings.Contains(ev.Comment, "due-soon reminder") {
				noted = append(noted, ev.Comment)
			}
		}
		if len(noted) != 2 {
			t.Errorf("reminders in the history = %q, want 2", noted)
		}
		cur, _ := st.WorkflowItem(ctx, it.ID)
		if cur.Version != it.Version+1 { // the escalation moved it; the reminders did not
			t.Errorf("version %d after the reminders and one escalation, want %d", cur.Version, it.Version+1)
		}
	})
}
