package app_test

import (
	"database/sql"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestMigrateRefusesOrgCycle: on a store whose organization tree holds a
// cycle (planted by SQL, as a store written before cycles were refused may
// hold), migrate and serve refuse to start, naming the organizations of the
// cycle and the command that repairs it; org set-parent repairs it, after
// which migrate succeeds. Issue 12, item 1.
func TestMigrateRefusesOrgCycle(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			orgs := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(orgs, []byte("code,parent_code,kind,name\nGOV,,government,政府\nM01,GOV,ministry,総務省\nM01-B,M01,central,総務省第一局\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", orgs); r.code != 0 {
				t.Fatalf("import = %+v", r)
			}
			// The import refuses the cycle itself.
			cut := filepath.Join(t.TempDir(), "organizations.csv")
			if err := os.WriteFile(cut, []byte("code,parent_code,kind,name\nM01,M01-B,ministry,総務省\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if r := run(t, nil, "--db", db, "import", cut); r.code != 1 || !strings.Contains(r.stderr, "M01 → M01-B → M01") || !strings.Contains(r.stderr, "row 2") {
				t.Fatalf("import of a cycle = %+v, want refused at row 2 naming the cycle", r)
			}
			driver := "sqlite"
			if store.IsPostgresDSN(db) {
				driver = "pgx"
			}
			raw, err := sql.Open(driver, db)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := raw.Exec(`UPDATE organizations SET parent_code = 'M01-B' WHERE code = 'M01'`); err != nil {
				t.Fatal(err)
			}
			raw.Close()

			for _, args := range [][]string{{"migrate"}, {"serve", "--addr", "127.0.0.1:0"}, {"user", "list"}} {
				r := run(t, nil, append([]string{"--db", db}, args...)...)
				if r.code != 1 {
					t.Errorf("%s on a cut tree = %+v, want exit 1", args[0], r)
				}
				for _, w := range []string{"M01 → M01-B → M01", "循環", "mamori org set-parent M01"} {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("%s on a cut tree: stderr %q lacks %q", args[0], r.stderr, w)
					}
				}
			}
			// The repair refuses to close a cycle of its own, then fixes it.
			if r := run(t, nil, "--db", db, "org", "set-parent", "M01-B", "M01-B"); r.code != 1 || !strings.Contains(r.stderr, "M01-B → M01-B") {
				t.Errorf("set-parent closing a cycle = %+v, want refused", r)
			}
			if r := run(t, nil, "--db", db, "org", "set-parent", "M01", "NOPE"); r.code != 1 || !strings.Contains(r.stderr, "NOPE") {
				t.Errorf("set-parent to an unknown parent = %+v, want refused", r)
			}
			if r := run(t, nil, "--db", db, "org", "set-parent", "M01"); r.code != 2 {
				t.Errorf("set-parent without a parent = %+v, want a usage error", r)
			}
			if r := run(t, nil, "--db", db, "org", "set-parent", "M01", "GOV"); r.code != 0 || !strings.Contains(r.stdout, "organization M01: parent GOV") {
				t.Fatalf("set-parent M01 GOV = %+v", r)
			}
			if r := run(t, nil, "--db", db, "migrate"); r.code != 0 {
				t.Errorf("migrate after the repair = %+v", r)
			}
			if r := run(t, nil, "--db", db, "audit", "list"); r.code != 0 || !strings.Contains(r.stdout, "organizations/M01") {
				t.Errorf("audit list = %+v, want the repair recorded", r)
			}
			// The repair's entry is signed with the deployment's audit key,
			// so the chain still verifies.
			if r := run(t, nil, "--db", db, "audit", "verify"); r.code != 0 {
				t.Errorf("audit verify after the repair = %+v, want the log intact", r)
			}
		})
	}
}
