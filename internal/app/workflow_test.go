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

// TestRemediationCommands: workflow open, act, milestone, list, show,
// escalate and daily, as named accounts whose roles decide, on
// both stores; bad input is refused and changes nothing.
func TestRemediationCommands(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			orgs := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(orgs, []byte("code,parent_code,kind,name\nGOV,,government,政府\nM01,GOV,ministry,総務省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", orgs); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			for _, u := range [][]string{{"sec", "org_security", "M01"}, {"fixer", "system_officer", "M01"}, {"aud", "auditor", "M01"}, {"view", "viewer", "M01"}} {
				if r := run(t, nil, "--db", db, "user", "add", u[0], "--role", u[1], "--org", u[2], "--generate-password"); r.code != 0 {
					t.Fatalf("user add %s = %+v", u[0], r)
				}
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			save := func(id string, fails []store.FindingInput) {
				if err := st.SaveAssessment(t.Context(), store.Assessment{ID: id, StartedAt: time.Now(), FinishedAt: time.Now(),
					ReferenceDate: now.Format(time.DateOnly), Catalogs: "[]", Params: "{}", Scope: "{}"},
					[]store.ControlResult{{ControlID: "ACC-01", Fail: int64(len(fails))}}, nil,
					store.FindingScope{Controls: []string{"ACC-01"}, Targets: map[string]bool{"SYS-1": true}}, fails); err != nil {
					t.Fatal(err)
				}
			}
			save("A1", []store.FindingInput{{ControlID: "ACC-01", TargetType: store.TargetSystem, TargetCode: "SYS-1", OrgCode: "M01",
				Severity: "high", Result: store.ResultFail, Evidence: "{}"}})
			st.Close()
			wf := func(args ...string) result { return run(t, nil, append([]string{"--db", db, "workflow"}, args...)...) }
			if r := wf("open", "--as", "view", "--control", "ACC-01", "--target", "SYS-1"); r.code == 0 || !strings.Contains(r.stderr, "only") {
				t.Errorf("open as a viewer = %+v", r)
			}
			r := wf("open", "--as", "aud", "--control", "ACC-01", "--target", "SYS-1", "--comment", "監査で検出")
			if r.code != 0 || !strings.Contains(r.stdout, "item 1 opened") || !strings.Contains(r.stdout, "severity high") {
				t.Fatalf("open = %+v", r)
			}
			if r := wf("open", "--as", "aud", "--control", "ACC-01", "--target", "SYS-1"); r.code == 0 || !strings.Contains(r.stderr, "already has remediation item 1") {
				t.Errorf("a second open = %+v", r)
			}
			steps := [][]string{
				{"act", "1", "--as", "sec", "--transition", "assign", "--version", "1", "--assignee", "fixer"},
				{"milestone", "1", "--as", "fixer", "--version", "2", "--add", "設定変更の計画", "--due", now.AddDate(0, 0, 10).Format(time.DateOnly)},
				{"milestone", "1", "--as", "fixer", "--version", "3", "--done", "1"},
				{"act", "1", "--as", "fixer", "--transition", "start", "--version", "4"},
				{"act", "1", "--as", "fixer", "--transition", "resolve", "--version", "5"},
			}
			for _, s := range steps {
				if r := wf(s...); r.code != 0 {
					t.Fatalf("%v = %+v", s, r)
				}
			}
			if r := wf("act", "1", "--as", "aud", "--transition", "close", "--version", "5"); r.code == 0 || !strings.Contains(r.stderr, "changed by someone else") {
				t.Errorf("a stale close = %+v", r)
			}
			if r := wf("act", "1", "--as", "fixer", "--transition", "close", "--version", "6"); r.code == 0 || !strings.Contains(r.stderr, "refused") {
				t.Errorf("a close without evidence by the assignee = %+v", r)
			}
			r = wf("list", "--format", "json")
			if r.code != 0 || !strings.Contains(r.stdout, `"control": "ACC-01"`) || !strings.Contains(r.stdout, `"done_by": "fixer"`) {
				t.Errorf("list --format json = %+v", r)
			}
			r = wf("show", "1")
			if r.code != 0 || !strings.Contains(r.stdout, "milestones:") || !strings.Contains(r.stdout, "設定変更の計画") || !strings.Contains(r.stdout, "Control: ACC-01") {
				t.Errorf("show = %+v", r)
			}
			r = wf("list")
			if r.code != 0 || !strings.Contains(r.stdout, "resolved") {
				t.Errorf("list = %+v", r)
			}
			if r := wf("escalate"); r.code != 0 || !strings.Contains(r.stdout, "0 item(s) escalated") {
				t.Errorf("escalate = %+v", r)
			}
			if r := wf("daily"); r.code != 0 || !strings.Contains(r.stdout, "reminders queued") {
				t.Errorf("daily = %+v", r)
			}
			if r := wf("daily"); r.code != 0 || !strings.Contains(r.stdout, "made already") {
				t.Errorf("daily again = %+v", r)
			}
		})
	}
}
