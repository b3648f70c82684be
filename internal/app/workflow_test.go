package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestWorkflowCommands: workflow list and show print the items, the
// history in order and the evidence, on both stores.
func TestWorkflowCommands(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			orgs := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(orgs, []byte("code,parent_code,kind,name\nGOV,,government,政府\nM01,GOV,ministry,総務省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", orgs); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 12, 1, 9, 0, 0, 0, time.UTC)
			it, err := st.CreateWorkflowItem(t.Context(), store.WorkflowItem{Kind: "remediation", Subject: "FND-7", OrgCode: "M01",
				State: "open", Severity: "high", Applicant: "sato", DueOn: "2027-01-31", CreatedAt: at, UpdatedAt: at}, "監査で発見")
			if err != nil {
				t.Fatal(err)
			}
			_, _, err = st.ChangeWorkflowItem(t.Context(), it.ID, 1, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
				next := cur
				next.State, next.Assignee = "assigned", "abe"
				return store.WorkflowChange{Item: next, Bump: true, Attachment: &store.WorkflowAttachment{Name: "plan.txt",
					MediaType: "text/plain", Size: 5, SHA256: strings.Repeat("b", 64), Content: []byte("plan\n"), AddedBy: "tanaka", AddedAt: at},
					Event: store.WorkflowEvent{At: at, Actor: "tanaka", Event: store.WorkflowTransition, Transition: "assign", From: "open", To: "assigned"}}, nil
			})
			st.Close()
			if err != nil {
				t.Fatal(err)
			}
			r := run(t, nil, "--db", db, "workflow", "list", "--state", "assigned")
			if r.code != 0 || !strings.Contains(r.stdout, "FND-7") || !strings.Contains(r.stdout, "abe") || !strings.Contains(r.stdout, "1 items") {
				t.Errorf("workflow list = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "list", "--state", "closed"); r.code != 0 || !strings.Contains(r.stdout, "0 items") {
				t.Errorf("workflow list --state closed = %+v", r)
			}
			r = run(t, nil, "--db", db, "workflow", "show", "1")
			for _, w := range []string{"state assigned", "version 2", "監査で発見", "assign", "plan.txt", strings.Repeat("b", 64)} {
				if r.code != 0 || !strings.Contains(r.stdout, w) {
					t.Errorf("workflow show lacks %q: %+v", w, r)
				}
			}
			if strings.Index(r.stdout, "監査で発見") > strings.Index(r.stdout, "tanaka") {
				t.Errorf("history out of order:\n%s", r.stdout)
			}
			if r := run(t, nil, "--db", db, "workflow", "show", "9"); r.code != 1 || !strings.Contains(r.stderr, "no workflow item 9") {
				t.Errorf("workflow show 9 = %+v", r)
			}
		})
	}
}
