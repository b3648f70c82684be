package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestWorkflowActCommands: workflow create, act and expire run an export
// request from request to re-blocking on both stores, as the named users
// with their grants: an expiry beyond --max-export-days, an approval
// without the role and a stale version are refused and change nothing.
func TestWorkflowActCommands(t *testing.T) {
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
			for name, role := range map[string]string{"sato": "system_officer", "abe": "org_security"} {
				if err := st.CreateUser(t.Context(), store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: time.Now(),
					Grants: []store.RoleGrant{{Role: role, OrgCode: "M01"}}}); err != nil {
					t.Fatal(err)
				}
			}
			st.Close()
			today := time.Now().In(time.FixedZone("JST", 9*60*60))
			in := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
			create := func(expires string, extra ...string) result {
				return run(t, nil, append([]string{"--db", db, "workflow", "create", "--as", "sato", "--kind", "export_request", "--org", "M01",
					"--subject", "PC-7 持出し", "--detail", "component_code=PC-7", "--detail", "purpose=会議資料", "--detail", "expires_on=" + expires}, extra...)...)
			}
			if r := create(in(5), "--max-export-days", "3"); r.code == 0 || !strings.Contains(r.stderr, "beyond the maximum") {
				t.Errorf("expiry beyond --max-export-days: %+v", r)
			}
			if r := create(in(5), "--max-export-days", "0"); r.code != 2 {
				t.Errorf("--max-export-days 0: %+v", r)
			}
			r := create(in(2))
			if r.code != 0 || !strings.Contains(r.stdout, "item 1 (export_request) opened") {
				t.Fatalf("create = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "act", "1", "--as", "sato", "--transition", "approve"); r.code == 0 || !strings.Contains(r.stderr, "only organization security officer") {
				t.Errorf("approval without the role: %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "act", "1", "--as", "abe", "--transition", "approve", "--version", "7"); r.code == 0 ||
				!strings.Contains(r.stderr, "changed by someone else") {
				t.Errorf("stale version: %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "act", "1", "--as", "abe", "--transition", "approve", "--comment", "許可"); r.code != 0 ||
				!strings.Contains(r.stdout, "now approved, version 2") {
				t.Fatalf("approve = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "expire"); r.code != 0 || !strings.Contains(r.stdout, "0 expired") {
				t.Errorf("expire today = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "expire", "--as-of", in(3)); r.code != 0 || !strings.Contains(r.stdout, "item 1 (export_request) expired on "+in(2)) {
				t.Errorf("expire = %+v", r)
			}
			r = run(t, nil, "--db", db, "workflow", "act", "1", "--as", "sato", "--transition", "record", "--detail", "items_taken=議事録 PDF 1 件")
			if r.code != 0 || !strings.Contains(r.stdout, "now "+workflow.Ended) {
				t.Fatalf("record = %+v", r)
			}
			r = run(t, nil, "--db", db, "workflow", "show", "1")
			for _, w := range []string{"items_taken: 議事録 PDF 1 件", "expires_on: " + in(2), workflow.SystemActor, "expire"} {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("show lacks %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}
