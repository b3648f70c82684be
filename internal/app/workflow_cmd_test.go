package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestWorkflowActCommands takes a remediation item from creation to
// closure at the command line, on both stores: every change acts as the
// user --as names, with that user's roles, grants and separation of
// duties (the command line bypasses none), another ministry's item is
// "no item" as a missing one, a stale version is refused, and the audit
// trail names the operator beside the user.
func TestWorkflowActCommands(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			orgs := filepath.Join(dir, "organizations.csv")
			if err := os.WriteFile(orgs, []byte("code,parent_code,kind,name\nGOV,,government,政府\nM01,GOV,ministry,総務省\nM02,GOV,ministry,法務省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", orgs); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			at := time.Date(2026, 11, 1, 9, 0, 0, 0, time.UTC)
			for _, u := range []struct{ name, role, org string }{
				{"sato", "auditor", "M01"}, {"tanaka", "org_security", "M01"}, {"abe", "system_officer", "M01"},
				{"kato", "org_security", "M02"}, {"gone", "org_security", "M01"},
			} {
				if err := auth.CreateUser(t.Context(), st, auth.NewUser{Name: u.name, Password: "correct horse battery " + u.name,
					Grants: []store.RoleGrant{{Role: u.role, OrgCode: u.org}}}, at); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()
			if r := run(t, nil, "--db", db, "user", "disable", "gone"); r.code != 0 {
				t.Fatalf("user disable = %+v", r)
			}
			op := map[string]string{"USER": "op"}
			mamori := func(code int, args ...string) result {
				t.Helper()
				r := run(t, op, append([]string{"--db", db, "workflow"}, args...)...)
				if r.code != code {
					t.Fatalf("mamori workflow %v = %+v, want exit %d", args, r, code)
				}
				return r
			}
			refused := func(want string, args ...string) {
				t.Helper()
				if r := mamori(1, args...); !strings.Contains(r.stderr, want) {
					t.Errorf("mamori workflow %v: stderr lacks %q\n%s", args, want, r.stderr)
				}
			}
			due := time.Now().AddDate(0, 1, 0).Format(time.DateOnly)
			create := []string{"create", "--kind", "remediation", "--org", "M01", "--subject", "FND-1", "--severity", "high", "--due", due, "--comment", "監査で発見"}

			// Who acts, and may they?
			mamori(2, create...)
			refused("no user", append(create, "--as", "nobody")...)
			refused("disabled", append(create, "--as", "gone")...)
			refused("only", append(create, "--as", "kato")...)
			refused(`has no field "colour"`, append(create, "--detail", "colour=red", "--as", "sato")...)
			mamori(2, "create", "--org", "M01", "--subject", "x", "--as", "sato")
			r := mamori(0, append(create, "--as", "sato")...)
			if strings.TrimSpace(r.stdout) != "1" || !strings.Contains(r.stderr, "created item 1") {
				t.Fatalf("create = %+v", r)
			}

			// Transitions, with the version seen.
			mamori(2, "act", "1", "--transition", "assign", "--assignee", "abe", "--as", "tanaka")
			refused("no workflow item 1", "act", "1", "--transition", "assign", "--version", "1", "--assignee", "kato", "--as", "kato")
			refused("no workflow item 9", "act", "9", "--transition", "assign", "--version", "1", "--assignee", "abe", "--as", "tanaka")
			refused("only", "act", "1", "--transition", "assign", "--version", "1", "--assignee", "abe", "--as", "abe")
			refused("no such transition", "act", "1", "--transition", "teleport", "--version", "1", "--as", "tanaka")
			if r := mamori(0, "act", "1", "--transition", "assign", "--version", "1", "--assignee", "abe", "--comment", "お願いします", "--as", "tanaka"); !strings.Contains(r.stdout, "assign, open → assigned, version 2") {
				t.Errorf("act = %+v", r)
			}
			refused("you saw version 1, it is now version 2", "act", "1", "--transition", "assign", "--version", "1", "--assignee", "tanaka", "--as", "tanaka")
			refused("only the assignee", "act", "1", "--transition", "start", "--version", "2", "--as", "tanaka")
			refused(`may not change field "colour"`, "act", "1", "--transition", "start", "--version", "2", "--detail", "colour=red", "--as", "abe")
			mamori(2, "act", "1", "--transition", "start", "--version", "2", "--detail", "colour", "--as", "abe")
			mamori(0, "act", "1", "--transition", "start", "--version", "2", "--as", "abe")

			// Comments and evidence.
			mamori(2, "comment", "1", "--as", "abe")
			refused("no workflow item 1", "comment", "1", "--as", "kato", "見えますか")
			refused("empty", "comment", "1", "--as", "abe", "  ")
			refused("empty", "comment", "1", "--as", "abe", "-") // standard input, empty here
			if r := mamori(0, "comment", "1", "--as", "abe", "パッチを適用しました"); !strings.Contains(r.stdout, "comment added, version 3") {
				t.Errorf("comment = %+v", r)
			}
			report := filepath.Join(dir, "report.txt")
			if err := os.WriteFile(report, []byte("パッチ適用報告\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			blob := filepath.Join(dir, "blob.bin")
			if err := os.WriteFile(blob, []byte{0, 1, 2, 0xff, 0xfe}, 0o644); err != nil {
				t.Fatal(err)
			}
			big := filepath.Join(dir, "big.txt")
			if err := os.WriteFile(big, []byte(strings.Repeat("x", 10<<20+1)), 0o644); err != nil {
				t.Fatal(err)
			}
			refused("not of an allowed type", "attach", "1", "--as", "abe", blob)
			refused("too large", "attach", "1", "--as", "abe", big)
			refused("no workflow item 1", "attach", "1", "--as", "kato", report)
			refused("cannot open", "attach", "1", "--as", "abe", filepath.Join(dir, "none.txt"))
			if r := mamori(0, "attach", "1", "--as", "abe", report); !strings.Contains(r.stdout, "evidence report.txt attached, text/plain") {
				t.Errorf("attach = %+v", r)
			}

			// Closure: by someone other than the applicant.
			mamori(0, "act", "1", "--transition", "resolve", "--version", "3", "--as", "abe")
			refused("the applicant may not approve their own item", "act", "1", "--transition", "close", "--version", "4", "--as", "sato")
			if r := mamori(0, "act", "1", "--transition", "close", "--version", "4", "--as", "tanaka"); !strings.Contains(r.stdout, "resolved → closed, version 5") {
				t.Errorf("close = %+v", r)
			}
			r = mamori(0, "show", "1")
			for _, w := range []string{"state closed", "version 5", "パッチを適用しました", "report.txt", "tanaka", "abe"} {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("show lacks %q:\n%s", w, r.stdout)
				}
			}

			// The audit trail: the service's entries name the user, and one
			// entry per command names the operator who acted as them.
			r = run(t, op, "--db", db, "audit", "list", "--action", "workflow", "--format", "json", "--limit", "0")
			var got struct {
				Entries []struct{ Actor, Target, Detail string } `json:"entries"`
			}
			if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
				t.Fatalf("%v\n%+v", err, r)
			}
			users, operator := 0, 0
			for _, e := range got.Entries {
				switch {
				case e.Actor == "cli:op" && strings.Contains(e.Detail, `"event":"cli"`):
					operator++
				case e.Actor != "cli:op":
					users++
				}
			}
			if users != 7 || operator != 7 {
				t.Errorf("%d entries of users and %d of the operator, want 7 and 7:\n%+v", users, operator, got.Entries)
			}
		})
	}
}
