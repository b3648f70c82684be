package store_test

import (
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
)

// TestWorkflowStore: an item round-trips with its due date and times; a
// change applies only at the version it names; a refused decision changes
// nothing; and the history and the evidence cannot be edited or deleted,
// even by someone with database access.
func TestWorkflowStore(t *testing.T) {
	at := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		ctx := t.Context()
		st := db.st
		withOrgs(t, st)
		it, err := st.CreateWorkflowItem(ctx, store.WorkflowItem{Kind: "remediation", Subject: "FND-1", OrgCode: "M01",
			State: "open", Severity: "high", Applicant: "sato", DueOn: "2027-03-31", CreatedAt: at, UpdatedAt: at}, "raised")
		if err != nil {
			t.Fatalf("CreateWorkflowItem: %v", err)
		}
		got, err := st.WorkflowItem(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(it, got); diff != "" || got.Version != 1 {
			t.Errorf("round trip (-want +got):\n%s", diff)
		}

		move := func(cur store.WorkflowItem, f store.WorkflowFacts) (store.WorkflowChange, error) {
			next := cur
			next.State, next.Assignee, next.UpdatedAt = "assigned", "abe", at.Add(time.Hour)
			return store.WorkflowChange{Item: next, Bump: true, Event: store.WorkflowEvent{At: next.UpdatedAt, Actor: "tanaka",
				Event: store.WorkflowTransition, Transition: "assign", From: cur.State, To: next.State}}, nil
		}
		refuse := func(store.WorkflowItem, store.WorkflowFacts) (store.WorkflowChange, error) {
			return store.WorkflowChange{}, mamori.Errorf(mamori.Forbidden, "だめ", "no")
		}
		if _, _, err := st.ChangeWorkflowItem(ctx, it.ID, 1, refuse); mamori.KindOf(err) != mamori.Forbidden {
			t.Errorf("refused decision: %v", err)
		}
		moved, ev, err := st.ChangeWorkflowItem(ctx, it.ID, 1, move)
		if err != nil || moved.Version != 2 || moved.State != "assigned" || ev.ItemID != it.ID {
			t.Fatalf("ChangeWorkflowItem: %v %+v", err, moved)
		}
		_, _, err = st.ChangeWorkflowItem(ctx, it.ID, 1, move)
		if mamori.KindOf(err) != mamori.Conflict || !strings.Contains(err.Error(), "version 1, it is now version 2") {
			t.Errorf("stale change: %v", err)
		}
		if _, _, err := st.ChangeWorkflowItem(ctx, 999, 1, move); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("missing item: %v", err)
		}
		attach := func(cur store.WorkflowItem, f store.WorkflowFacts) (store.WorkflowChange, error) {
			if f.Attachments != 0 {
				t.Errorf("facts before any evidence: %+v", f)
			}
			return store.WorkflowChange{Item: cur, Attachment: &store.WorkflowAttachment{Name: "r.txt", MediaType: "text/plain",
				Size: 3, SHA256: strings.Repeat("a", 64), Content: []byte("ok\n"), AddedBy: "abe", AddedAt: at},
				Event: store.WorkflowEvent{At: at, Actor: "abe", Event: store.WorkflowAttach}}, nil
		}
		// Evidence names no version and does not move it.
		if same, ev, err := st.ChangeWorkflowItem(ctx, it.ID, 0, attach); err != nil || same.Version != 2 || ev.AttachmentID == 0 {
			t.Fatalf("attach: %v %+v %+v", err, same, ev)
		}
		hist, err := st.WorkflowEvents(ctx, it.ID)
		if err != nil || len(hist) != 3 || hist[0].Event != store.WorkflowCreate || hist[0].Comment != "raised" ||
			hist[1].Transition != "assign" || hist[2].AttachmentID == 0 {
			t.Fatalf("history: %v %+v", err, hist)
		}

		for _, q := range []string{
			"UPDATE workflow_events SET actor = 'someone'",
			"DELETE FROM workflow_events",
			"UPDATE workflow_attachments SET content = NULL",
		} {
			if _, err := db.raw.ExecContext(ctx, q); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Errorf("%s: %v, want refused as append-only", q, err)
			}
		}
		if again, _ := st.WorkflowEvents(ctx, it.ID); !cmp.Equal(hist, again) {
			t.Errorf("history changed:\n%v\n%v", hist, again)
		}
	})
}
