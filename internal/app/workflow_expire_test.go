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

// TestWorkflowExpireCommand: an export request runs from request to
// re-blocking on both stores through the command line: the maximum expiry
// is the deployment's (MAMORI_MAX_EXPORT_DAYS, refused when unusable),
// an approval without the role is refused, the export stands on its last
// day and mamori workflow expire blocks it the day after, and its record
// ends it.
func TestWorkflowExpireCommand(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			orgs := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(orgs, []byte("code,parent_code,kind,name\nGOV,,government,政府\nM01,GOV,ministry,総務省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			// The component the request names is of M01's system.
			dir := filepath.Dir(orgs)
			for name, csv := range map[string]string{"systems.csv": "code,org_code,name,in_register,class,status\nS-7,M01,庁内LAN,true,information_system,operating\n",
				"components.csv": "code,system_code,kind\nPC-7,S-7,terminal\n"} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(csv), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if r := run(t, nil, "--db", db, "import", orgs, filepath.Join(dir, "systems.csv"), filepath.Join(dir, "components.csv")); r.code != 0 {
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
			create := func(env map[string]string, expires string) result {
				return run(t, env, "--db", db, "workflow", "create", "--as", "sato", "--kind", "export_request", "--org", "M01",
					"--subject", "PC-7 持出し", "--detail", "component_code=PC-7", "--detail", "purpose=会議資料", "--detail", "expires_on="+expires)
			}
			if r := create(map[string]string{"MAMORI_MAX_EXPORT_DAYS": "3"}, in(5)); r.code == 0 || !strings.Contains(r.stderr, "beyond the maximum") {
				t.Errorf("expiry beyond MAMORI_MAX_EXPORT_DAYS: %+v", r)
			}
			if r := create(map[string]string{"MAMORI_MAX_EXPORT_DAYS": "many"}, in(1)); r.code != 2 || !strings.Contains(r.stderr, "MAMORI_MAX_EXPORT_DAYS") {
				t.Errorf("an unusable MAMORI_MAX_EXPORT_DAYS: %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "expire", "--max-export-days", "0"); r.code != 2 {
				t.Errorf("--max-export-days 0: %+v", r)
			}
			r := create(nil, in(2))
			if r.code != 0 || strings.TrimSpace(r.stdout) != "1" {
				t.Fatalf("create = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "act", "1", "--as", "sato", "--transition", "approve", "--version", "1"); r.code == 0 ||
				!strings.Contains(r.stderr, "only organization security officer") {
				t.Errorf("approval without the role: %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "act", "1", "--as", "abe", "--transition", "approve", "--version", "1"); r.code != 0 {
				t.Fatalf("approve = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "expire", "--as-of", in(2)); r.code != 0 || !strings.Contains(r.stdout, "0 expired") {
				t.Errorf("expire on the last day = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "expire", "--as-of", in(3)); r.code != 0 || !strings.Contains(r.stdout, "item 1 (export_request) expired on "+in(2)) {
				t.Errorf("expire = %+v", r)
			}
			if r := run(t, nil, "--db", db, "workflow", "expire", "--as-of", "tomorrow"); r.code == 0 {
				t.Errorf("a bad date: %+v", r)
			}
			r = run(t, nil, "--db", db, "workflow", "act", "1", "--as", "sato", "--transition", "record", "--version", "3", "--detail", "items_taken=議事録 PDF 1 件")
			if r.code != 0 {
				t.Fatalf("record = %+v", r)
			}
			r = run(t, nil, "--db", db, "workflow", "show", "1")
			for _, w := range []string{"state " + workflow.Ended, "What was taken out: 議事録 PDF 1 件", "Expires on: " + in(2), workflow.SystemActor, "expire"} {
				if !strings.Contains(r.stdout, w) {
					t.Errorf("show lacks %q:\n%s", w, r.stdout)
				}
			}
		})
	}
}
