package store_test

import (
	"testing"

	"mamori/internal/audit"
	"mamori/internal/store"
)

// TestAuditWholeChainDowngrade: someone who can write the database but not
// read the audit key rewrites the whole log with the published unkeyed
// encoding (store.AuditHash), as if it were a log written before keys,
// and drops the filing rows that an unkeyed entry may not have. The guards
// are put back exactly as the migrations made them (SQLite), or never
// fire in the forger's session (PostgreSQL's session_replication_role),
// so CheckAuditTriggers passes. The entries had been signed with the key,
// so the keyed chain must not verify as intact. Found while attacking
// issue 12, item 12: "audit verify" answers "audit log intact".
func TestAuditWholeChainDowngrade(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		ctx := t.Context()
		for _, a := range []string{"login", "import_refused", "export"} {
			if _, err := db.st.AppendAudit(ctx, store.AuditEntry{Actor: "mallory", Action: a, Target: "register/x.csv", OrgCode: "MIC", Orgs: []string{"MIC", "MOF"}}); err != nil {
				t.Fatal(err)
			}
		}
		if res, err := audit.Verify(ctx, db.st); err != nil || !res.Intact() {
			t.Fatalf("Verify before = %+v, %v", res, err)
		}
		conn, err := db.raw.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		var triggers []string
		if db.st.Dialect() == store.Postgres {
			if _, err := conn.ExecContext(ctx, `SET session_replication_role = replica`); err != nil {
				t.Skipf("cannot bypass triggers on this server: %v", err)
			}
		} else {
			rows, err := conn.QueryContext(ctx, `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ('audit_log', 'audit_entry_orgs')`)
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for rows.Next() {
				var n, s string
				if err := rows.Scan(&n, &s); err != nil {
					t.Fatal(err)
				}
				names, triggers = append(names, n), append(triggers, s)
			}
			rows.Close()
			for _, n := range names {
				if _, err := conn.ExecContext(ctx, `DROP TRIGGER `+n); err != nil {
					t.Fatal(err)
				}
			}
		}
		if _, err := conn.ExecContext(ctx, `DELETE FROM audit_entry_orgs`); err != nil {
			t.Fatal(err)
		}
		prev := store.AuditGenesis
		for _, e := range allAudit(t, db.st) {
			e.Orgs, e.KeyID, e.PrevHash = nil, "", prev
			if e.Action == "import_refused" {
				e.Actor = "system" // the forger hides who was refused
			}
			e.Hash = store.AuditHash(e)
			if _, err := conn.ExecContext(ctx, `UPDATE audit_log SET actor = $1, key_id = NULL, prev_hash = $2, hash = $3 WHERE seq = $4`,
				e.Actor, e.PrevHash, e.Hash, e.Seq); err != nil {
				t.Fatal(err)
			}
			prev = e.Hash
		}
		for _, s := range triggers {
			if _, err := conn.ExecContext(ctx, s); err != nil {
				t.Fatal(err)
			}
		}
		if err := db.st.CheckAuditTriggers(ctx); err != nil {
			t.Logf("CheckAuditTriggers after the rewrite: %v", err)
		}
		res, err := audit.Verify(ctx, db.st)
		if err != nil {
			t.Fatal(err)
		}
		if res.Intact() {
			t.Errorf("Verify after rewriting the keyed log with the unkeyed encoding = %+v (intact), want broken", res)
		}
	})
}
