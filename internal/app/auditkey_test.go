package app_test

import (
	"database/sql"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/store/storetest"
)

// TestAuditKeyFile drives the audit key file through the command line on
// each database: made on first use with mode 0600, refused when others may
// read it or when it is lost while keyed entries exist, rotated with the
// older entries still verifying; and a store whose append-only triggers
// were dropped is refused at start and by "audit verify", naming them.
func TestAuditKeyFile(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			env := map[string]string{"USER": "alice"}
			keyFile := db + ".audit-key"
			if dialect == "postgres" {
				env[app.EnvAuditKeyFile] = ""
				if r := run(t, env, "--db", db, "migrate"); r.code != 1 || !strings.Contains(r.stderr, app.EnvAuditKeyFile) {
					t.Errorf("migrate on PostgreSQL without %s = %+v, want exit 1 naming it", app.EnvAuditKeyFile, r)
				}
				keyFile = filepath.Join(t.TempDir(), "keys", "audit-key")
				env[app.EnvAuditKeyFile] = keyFile
			}
			if r := run(t, env, "--db", db, "migrate"); r.code != 0 {
				t.Fatalf("migrate = %+v", r)
			}
			fi, err := os.Stat(keyFile)
			if err != nil {
				t.Fatalf("no key file after the first command: %v", err)
			}
			if runtime.GOOS != "windows" && fi.Mode().Perm() != 0o600 {
				t.Errorf("key file mode = %04o, want 0600", fi.Mode().Perm())
			}
			first, _ := os.ReadFile(keyFile)
			for range 2 {
				if r := run(t, env, "--db", db, "audit", "verify"); r.code != 0 {
					t.Fatalf("audit verify = %+v", r)
				}
			}
			if again, _ := os.ReadFile(keyFile); string(again) != string(first) {
				t.Errorf("the key file changed between runs:\n%s\n%s", first, again)
			}

			if runtime.GOOS != "windows" {
				os.Chmod(keyFile, 0o644)
				if r := run(t, env, "--db", db, "audit", "verify"); r.code != 1 || !strings.Contains(r.stderr, keyFile) || !strings.Contains(r.stderr, "chmod 600") {
					t.Errorf("audit verify with a key file others may read = %+v, want exit 1 naming the file", r)
				}
				os.Chmod(keyFile, 0o600)
			}

			r := run(t, env, "--db", db, "audit", "rotate-key")
			if r.code != 0 || !strings.Contains(r.stdout, "new audit key") {
				t.Fatalf("audit rotate-key = %+v", r)
			}
			if r := run(t, env, "--db", db, "audit", "verify"); r.code != 0 || !strings.Contains(r.stdout, "intact") {
				t.Errorf("audit verify after rotating = %+v, want intact (older entries verified with the older key)", r)
			}
			if b, _ := os.ReadFile(keyFile); strings.Count(string(b), "\n")-strings.Count(string(b), "#") != 2 {
				t.Errorf("key file after one rotation:\n%s\nwant two keys", b)
			}
			// Each key line records the seq of the first entry it signs: the
			// first key all of them (the file was made before any entry), the
			// new one those after the entries already written.
			b, _ := os.ReadFile(keyFile)
			var froms []int
			for _, line := range strings.Split(string(b), "\n") {
				if f := strings.Fields(line); len(f) == 3 && !strings.HasPrefix(line, "#") {
					n, _ := strconv.Atoi(f[2])
					froms = append(froms, n)
				}
			}
			if len(froms) != 2 || froms[0] != 1 || froms[1] <= 1 {
				t.Errorf("key file after one rotation:\n%s\nwant two lines \"id secret seq\", the first from seq 1, the second later", b)
			}

			// Lost: a new key would leave the signed entries unverifiable.
			os.Rename(keyFile, keyFile+".away")
			if r := run(t, env, "--db", db, "audit", "list"); r.code != 1 || !strings.Contains(r.stderr, keyFile) || !strings.Contains(r.stderr, "missing") {
				t.Errorf("audit list without the key file = %+v, want exit 1 naming it", r)
			}
			if _, err := os.Stat(keyFile); err == nil {
				t.Errorf("a new key file was made while signed entries exist")
			}
			os.Rename(keyFile+".away", keyFile)

			trigger, q := "audit_log_no_replace", "DROP TRIGGER audit_log_no_replace"
			driver, raw := "pgx", db
			if dialect == "postgres" {
				trigger, q = "audit_log_no_change", "ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"
			} else {
				driver, raw = "sqlite", "file:"+(&url.URL{Path: db}).EscapedPath()+"?_pragma=busy_timeout(10000)"
			}
			conn, err := sql.Open(driver, raw)
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			if _, err := conn.Exec(q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
			if r := run(t, env, "--db", db, "migrate"); r.code != 1 || !strings.Contains(r.stderr, trigger) {
				t.Errorf("migrate after %s = %+v, want exit 1 naming %s", q, r, trigger)
			}
			if r := run(t, env, "--db", db, "audit", "verify"); r.code != 1 || !strings.Contains(r.stderr, trigger) || r.stdout != "" {
				t.Errorf("audit verify after %s = %+v, want exit 1 naming %s", q, r, trigger)
			}
		})
	}
}
