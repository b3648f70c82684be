package store_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
)

// TestAuditReplaceRefused checks that the append-only guard cannot be
// walked around by an insert that replaces: SQLite's INSERT OR REPLACE
// deletes the old row without firing DELETE triggers (unless
// recursive_triggers is on), and PostgreSQL's ON CONFLICT DO UPDATE updates.
func TestAuditReplaceRefused(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		first, err := db.st.AppendAudit(t.Context(), store.AuditEntry{Actor: "alice", Action: "login"})
		if err != nil {
			t.Fatal(err)
		}
		q := `INSERT OR REPLACE INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)
			VALUES (1, $1, 'mallory', 'login', '', '', $2, $3)`
		if db.st.Dialect() == store.Postgres {
			q = `INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)
				VALUES (1, $1, 'mallory', 'login', '', '', $2, $3)
				ON CONFLICT (seq) DO UPDATE SET actor = excluded.actor`
		}
		if _, err := db.raw.ExecContext(t.Context(), q, first.AtText(), store.AuditGenesis, first.Hash); err == nil || !strings.Contains(err.Error(), "append-only") {
			t.Errorf("replacing seq 1 = %v, want refused as append-only", err)
		}
		got := allAudit(t, db.st)
		if len(got) != 1 || got[0].Actor != "alice" {
			t.Errorf("after a refused replace the log is %+v, want alice's entry only", got)
		}
	})
}

// TestAuditForgedAppend appends an entry behind the store's back, chained
// correctly with plain SHA-256 as anyone who reads the source could compute:
// without the key it must not verify.
func TestAuditForgedAppend(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		var last store.AuditEntry
		for range 3 {
			e, err := db.st.AppendAudit(t.Context(), store.AuditEntry{Actor: "alice", Action: "write", OrgCode: "MIC"})
			if err != nil {
				t.Fatal(err)
			}
			last = e
		}
		forged := store.AuditEntry{Seq: last.Seq + 1, At: last.At, Actor: "alice", Action: "export",
			Target: "systems.csv", Detail: "nothing to see", PrevHash: last.Hash}
		forged.Hash = store.AuditHash(forged)
		if _, err := db.raw.ExecContext(t.Context(), `INSERT INTO audit_log (seq, at, actor, action, target, detail, prev_hash, hash)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, forged.Seq, forged.AtText(), forged.Actor, forged.Action,
			forged.Target, forged.Detail, forged.PrevHash, forged.Hash); err != nil {
			t.Fatalf("insert forged entry: %v", err)
		}
		res, err := audit.Verify(t.Context(), db.st)
		if err != nil {
			t.Fatal(err)
		}
		if res.Intact() || res.FirstBad != forged.Seq {
			t.Errorf("Verify after appending a forged SHA-256 entry = %+v, want broken at seq %d", res, forged.Seq)
		}
	})
}

// TestAuditTriggersChecked checks that CheckAuditTriggers passes on a
// migrated store, and on one whose guard was recreated as the migrations
// define it but laid out differently, and names each guard that is
// dropped, disabled or altered.
func TestAuditTriggersChecked(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		if err := db.st.CheckAuditTriggers(t.Context()); err != nil {
			t.Fatalf("CheckAuditTriggers on a migrated store = %v", err)
		}
		same := []string{"DROP TRIGGER audit_log_no_update",
			"CREATE  TRIGGER audit_log_no_update\n\tBEFORE UPDATE ON audit_log BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"}
		if db.st.Dialect() == store.Postgres {
			same = []string{"DROP TRIGGER audit_log_no_truncate ON audit_log",
				"CREATE TRIGGER audit_log_no_truncate\n BEFORE TRUNCATE ON audit_log FOR EACH STATEMENT\n EXECUTE FUNCTION audit_log_append_only()"}
		}
		for _, q := range same {
			if _, err := db.raw.ExecContext(t.Context(), q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if err := db.st.CheckAuditTriggers(t.Context()); err != nil {
			t.Fatalf("CheckAuditTriggers after a guard was recreated as the migrations define it = %v", err)
		}
		// Each breach comes on top of the ones before; the error names them all.
		type breach struct {
			name string
			sql  []string
		}
		breaches := []breach{
			{"audit_log_no_update", []string{"DROP TRIGGER audit_log_no_update"}},
			{"audit_log_no_replace", []string{"DROP TRIGGER audit_log_no_replace"}},
			{"audit_entry_orgs_no_delete", []string{"DROP TRIGGER audit_entry_orgs_no_delete"}},
			// Recreated under the same name, doing nothing.
			{"audit_log_no_delete", []string{"DROP TRIGGER audit_log_no_delete",
				"CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log BEGIN SELECT 1; END"}},
			// Recreated for one column only.
			{"audit_entry_orgs_no_update", []string{"DROP TRIGGER audit_entry_orgs_no_update",
				"CREATE TRIGGER audit_entry_orgs_no_update BEFORE UPDATE OF seq ON audit_entry_orgs BEGIN SELECT RAISE(ABORT, 'audit_entry_orgs is append-only'); END"}},
		}
		if db.st.Dialect() == store.Postgres {
			breaches = []breach{
				{"audit_log_no_change", []string{"ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_change"}},
				{"audit_log_no_truncate", []string{"DROP TRIGGER audit_log_no_truncate ON audit_log"}},
				{"audit_entry_orgs_no_change", []string{"DROP TRIGGER audit_entry_orgs_no_change ON audit_entry_orgs"}},
				// The function every guard runs, altered to let one actor's rows be edited.
				{"audit_entry_orgs_no_truncate", []string{`CREATE OR REPLACE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.actor = 'x' THEN RETURN NEW; END IF;
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$`}},
			}
		}
		for _, b := range breaches {
			for _, q := range b.sql {
				if _, err := db.raw.ExecContext(t.Context(), q); err != nil {
					t.Fatalf("%s: %v", q, err)
				}
			}
			err := db.st.CheckAuditTriggers(t.Context())
			if mamori.KindOf(err) != mamori.Conflict || !strings.Contains(err.Error(), b.name) {
				t.Errorf("CheckAuditTriggers after %q = %v, want a conflict naming %s", b.sql, err, b.name)
			}
		}
	})
}

// TestAuditFiledUnderOrgs checks that an entry is found under every
// organization it was filed under, by OrgCode and by OrgIn (an auditor's
// scope), and that what was filed comes back and verifies.
func TestAuditFiledUnderOrgs(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		in := []store.AuditEntry{
			{Actor: "alice", Action: "export", Target: "systems.csv", Orgs: []string{"MOF", "MIC", "MOF"}},
			{Actor: "bob", Action: "import", Target: "register.xlsx", OrgCode: "MOJ", Orgs: []string{"MOJ-B1"}},
			{Actor: "carol", Action: "login"},
			{Actor: "dave", Action: "export", Target: "report", Orgs: []string{store.AuditEveryOrg}},
		}
		for _, e := range in {
			if _, err := db.st.AppendAudit(t.Context(), e); err != nil {
				t.Fatal(err)
			}
		}
		got := allAudit(t, db.st)
		if want := [][]string{{"MIC", "MOF"}, {"MOJ", "MOJ-B1"}, nil, {"*"}}; !cmp.Equal(want, [][]string{got[0].Orgs, got[1].Orgs, got[2].Orgs, got[3].Orgs}) {
			t.Errorf("Orgs read back = %v, %v, %v, %v; want %v", got[0].Orgs, got[1].Orgs, got[2].Orgs, got[3].Orgs, want)
		}
		for _, tc := range []struct {
			f    store.AuditFilter
			want []int64
		}{
			// Seq 4 is filed under every organization.
			{store.AuditFilter{OrgCode: "MIC"}, []int64{4, 1}},
			{store.AuditFilter{OrgCode: "MOJ-B1"}, []int64{4, 2}},
			{store.AuditFilter{OrgIn: []string{"MOF"}}, []int64{4, 1}},
			{store.AuditFilter{OrgIn: []string{"MOJ-B1", "MIC"}}, []int64{4, 2, 1}},
			{store.AuditFilter{OrgIn: []string{"MEXT"}}, []int64{4}},
			{store.AuditFilter{OrgIn: []string{}}, nil},
			{store.AuditFilter{Actor: "carol"}, []int64{3}},
		} {
			es, total, err := db.st.AuditEntries(t.Context(), tc.f)
			if err != nil {
				t.Fatal(err)
			}
			var seqs []int64
			for _, e := range es {
				seqs = append(seqs, e.Seq)
			}
			if !slices.Equal(seqs, tc.want) || total != len(tc.want) {
				t.Errorf("AuditEntries(%+v) = %v (total %d), want %v", tc.f, seqs, total, tc.want)
			}
		}
		if res, err := audit.Verify(t.Context(), db.st); err != nil || !res.Intact() {
			t.Errorf("Verify = %+v, %v; want intact", res, err)
		}
		// Filing an entry under one more organization behind the store's back breaks the chain.
		if _, err := db.raw.ExecContext(t.Context(), "INSERT INTO audit_entry_orgs (seq, org_code) VALUES (3, 'MIC')"); err != nil {
			t.Fatal(err)
		}
		if res, _ := audit.Verify(t.Context(), db.st); res.FirstBad != 3 || res.Reason != audit.Tampered {
			t.Errorf("Verify after filing seq 3 under MIC by hand = %+v, want tampered at seq 3", res)
		}
	})
}
