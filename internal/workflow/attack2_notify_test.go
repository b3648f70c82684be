package workflow_test

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttack2NoDigestAfterTransfer: an assignee who has since moved to
// another ministry (their grant on the item's organization taken away,
// one elsewhere given) is told nothing more of the item: the daily
// reminders and digests go only to people who still see it. Before, the
// daily job mailed them the old ministry's items by subject every day.
func TestAttack2NoDigestAfterTransfer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		f := setup(t, st)
		sink := startMailSink(t)
		f.addUser(t, "mover@example.go.jp", auth.SystemOfficer, "B01")
		n := notifier(t, st, sink)
		f.svc.Notifier = n
		it := f.create(t, "alice", "low") // due 2027-03-31
		f.act(t, "sec", it, "assign", "mover@example.go.jp")
		if _, err := n.DrainOnce(ctx); err != nil {
			t.Fatal(err)
		}
		before := len(sink.messages())
		if err := st.RevokeRole(ctx, "mover@example.go.jp", store.RoleGrant{Role: string(auth.SystemOfficer), OrgCode: "B01"}); err != nil {
			t.Fatal(err)
		}
		if err := st.GrantRole(ctx, "mover@example.go.jp", store.RoleGrant{Role: string(auth.SystemOfficer), OrgCode: "M02"}); err != nil {
			t.Fatal(err)
		}
		d, _ := time.Parse(time.DateOnly, "2027-03-24")
		f.svc.Now = func() time.Time { return d.Add(time.Hour) }
		r, err := f.svc.Daily(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.DrainOnce(ctx); err != nil {
			t.Fatal(err)
		}
		for _, m := range sink.messages()[before:] {
			if strings.HasPrefix(m, "mover@example.go.jp\n") {
				t.Errorf("the moved assignee was mailed (daily %+v):\n%s", r, m)
			}
		}
	})
}
