package app_test

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/url"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func TestAuditUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"audit"}, 2, "needs a command"},
		{[]string{"audit", "--help"}, 0, "Usage: mamori audit"},
		{[]string{"audit", "rewrite"}, 2, `unknown audit command "rewrite"`},
		{[]string{"audit", "verify", "extra"}, 2, "takes no arguments"},
		{[]string{"audit", "list", "--format", "xml"}, 2, `--format "xml"`},
		{[]string{"audit", "list", "--since", "2026-13-01"}, 2, `--since "2026-13-01"`},
		{[]string{"audit", "list", "--limit", "-1"}, 2, "--limit -1"},
		{[]string{"audit", "list", "--bogus"}, 2, "bogus"},
	} {
		r := run(t, nil, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("mamori %v = exit %d, stderr %q; want exit %d containing %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
}

// auditListJSON is the output of "audit list --format json".
type auditListJSON struct {
	Total   int `json:"total"`
	Entries []struct {
		Seq    int64  `json:"seq"`
		At     string `json:"at"`
		Actor  string `json:"actor"`
		Action string `json:"action"`
		Target string `json:"target"`
		Detail string `json:"detail"`
		Hash   string `json:"hash"`
	} `json:"entries"`
}

// TestAuditCLI drives "audit verify" and "audit list" on each database:
// an empty log, reviews recorded by the commands themselves, filters, and
// a row tampered with by raw SQL that verify must name.
func TestAuditCLI(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			keyFile := filepath.Join(t.TempDir(), "audit-key")
			env := map[string]string{"USER": "alice", app.EnvAuditKeyFile: keyFile}
			noUser := map[string]string{app.EnvAuditKeyFile: keyFile}
			r := run(t, env, "--db", db, "audit", "verify")
			if r.code != 0 || r.stdout != "audit log intact: 0 entries, last hash "+store.AuditGenesis+"\n" {
				t.Fatalf("audit verify on an empty log = %+v", r)
			}
			// The first verify recorded a review: the log now has one entry.
			r = run(t, map[string]string{"USER": "alice", app.EnvDB: db, app.EnvAuditKeyFile: keyFile}, "audit", "verify")
			if r.code != 0 || !strings.HasPrefix(r.stdout, "audit log intact: 1 entries, last hash ") {
				t.Fatalf("audit verify after one review = %+v", r)
			}

			// Entries the rest of mamori records through the service.
			st, err := store.Open(context.Background(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			useKeyFile(t, st, keyFile)
			for _, e := range []struct{ actor, action, target, org string }{
				{"bob", audit.Login, "", ""},
				{"bob", audit.Export, "register.xlsx", "MIC"},
				{"carol", audit.LoginFailed, "", ""},
			} {
				if _, err := audit.Record(t.Context(), st, e.actor, e.action, e.target, e.org, map[string]any{"ip": "192.0.2.1"}); err != nil {
					t.Fatal(err)
				}
			}

			for _, tc := range []struct {
				name      string
				args      []string
				wantSeq   []int64
				wantTotal int
			}{
				// Each listing is recorded too, so totals grow by one per run.
				{"all", nil, []int64{5, 4, 3, 2, 1}, 5},
				{"actor", []string{"--actor", "bob"}, []int64{4, 3}, 2},
				{"action", []string{"--action", "review"}, []int64{7, 6, 2, 1}, 4},
				{"limit", []string{"--limit", "2"}, []int64{8, 7}, 8},
				{"since a date long past", []string{"--since", "2000-01-01"}, []int64{9, 8, 7, 6, 5, 4, 3, 2, 1}, 9},
				{"since a future time", []string{"--since", "2999-01-01T00:00:00Z"}, nil, 0},
			} {
				t.Run(tc.name, func(t *testing.T) {
					r := run(t, env, append([]string{"--db", db, "audit", "list", "--format", "json"}, tc.args...)...)
					if r.code != 0 {
						t.Fatalf("audit list %v = %+v", tc.args, r)
					}
					var got auditListJSON
					if err := json.Unmarshal([]byte(r.stdout), &got); err != nil {
						t.Fatalf("audit list %v: %v in %q", tc.args, err, r.stdout)
					}
					var seqs []int64
					for _, e := range got.Entries {
						seqs = append(seqs, e.Seq)
					}
					if got.Total != tc.wantTotal || !equalSeqs(seqs, tc.wantSeq) {
						t.Errorf("audit list %v = seqs %v total %d, want %v total %d", tc.args, seqs, got.Total, tc.wantSeq, tc.wantTotal)
					}
				})
			}

			r = run(t, env, "--db", db, "audit", "list", "--action", "review", "--limit", "1")
			if r.code != 0 || !strings.Contains(r.stdout, "cli:alice") || !strings.Contains(r.stdout, `"command":"audit list"`) ||
				!strings.Contains(r.stdout, "1 / 8 件 / 1 of 8 entries") {
				t.Errorf("audit list as a table = %+v", r)
			}
			// Without USER the actor is plain "cli".
			if r := run(t, noUser, "--db", db, "audit", "list", "--actor", "cli", "--format", "json"); r.code != 0 || !strings.Contains(r.stdout, `"total": 0`) {
				t.Errorf("audit list --actor cli = %+v", r)
			}
			if r := run(t, noUser, "--db", db, "audit", "list", "--actor", "cli", "--format", "json"); !strings.Contains(r.stdout, `"actor": "cli"`) {
				t.Errorf("a review without USER was not recorded as cli: %+v", r)
			}

			tamper(t, dialect, db, "UPDATE audit_log SET detail = '{}' WHERE seq = 4")
			r = run(t, env, "--db", db, "audit", "verify")
			if r.code != 1 || !strings.Contains(r.stderr, "seq 4") || !strings.Contains(r.stderr, "tampered") || r.stdout != "" {
				t.Errorf("audit verify after tampering with seq 4 = %+v, want exit 1 naming seq 4", r)
			}
			tamper(t, dialect, db, "DELETE FROM audit_log WHERE seq = 2")
			r = run(t, env, "--db", db, "audit", "verify")
			if r.code != 1 || !strings.Contains(r.stderr, "seq 2") || !strings.Contains(r.stderr, "missing") {
				t.Errorf("audit verify after deleting seq 2 = %+v, want exit 1 naming seq 2", r)
			}
			// A verify that finds a break is a review like any other.
			r = run(t, env, "--db", db, "audit", "list", "--action", "review", "--limit", "1", "--format", "json")
			if !strings.Contains(r.stdout, `\"intact\":false`) || !strings.Contains(r.stdout, `\"first_bad\":2`) {
				t.Errorf("the failed verify was not recorded: %+v", r)
			}
		})
	}
}

// useKeyFile makes st sign with the keyring in path, as the commands do.
func useKeyFile(t *testing.T, st *store.Store, path string) {
	t.Helper()
	k, err := audit.LoadKeyring(path)
	if err != nil {
		t.Fatal(err)
	}
	st.SetAuditKeyring(k)
}

func equalSeqs(a, b []int64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// tamper runs q on the database behind mamori's back, after dropping the
// append-only triggers as someone with DDL rights could.
func tamper(t *testing.T, dialect, dsn, q string) {
	t.Helper()
	driver, drops := "pgx", []string{"DROP TRIGGER IF EXISTS audit_log_no_change ON audit_log"}
	if dialect == "sqlite" {
		driver = "sqlite"
		dsn = "file:" + (&url.URL{Path: dsn}).EscapedPath() + "?_pragma=busy_timeout(10000)"
		drops = []string{"DROP TRIGGER IF EXISTS audit_log_no_update", "DROP TRIGGER IF EXISTS audit_log_no_delete"}
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, s := range append(drops, q) {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
}
