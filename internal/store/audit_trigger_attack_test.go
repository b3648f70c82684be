package store_test

import (
	"testing"

	"mamori/internal/store"
)

// TestAuditTriggersAlteredBodyReported: the append-only guards are
// recreated under their own names with a condition that lets one actor's
// rows be edited or deleted. The README says every command checks that
// the triggers are "in place, enabled and as the migrations made them";
// the check only looks for words of the migration's definition (SQLite)
// or for RAISE EXCEPTION in the function (PostgreSQL), so a guard that
// no longer guards passes and "mamori serve" starts. Found while
// attacking issue 12, item 12.
func TestAuditTriggersAlteredBodyReported(t *testing.T) {
	eachAuditDB(t, func(t *testing.T, db auditDB) {
		ctx := t.Context()
		if _, err := db.st.AppendAudit(ctx, store.AuditEntry{Actor: "x", Action: "login"}); err != nil {
			t.Fatal(err)
		}
		var stmts []string
		if db.st.Dialect() == store.Postgres {
			stmts = []string{
				`DROP TRIGGER audit_log_no_change ON audit_log`,
				`CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
					FOR EACH ROW WHEN (OLD.actor <> 'x') EXECUTE FUNCTION audit_log_append_only()`,
			}
		} else {
			stmts = []string{
				`DROP TRIGGER audit_log_no_update`,
				`CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
WHEN OLD.actor <> 'x'
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END`,
			}
		}
		for _, q := range stmts {
			if _, err := db.raw.ExecContext(ctx, q); err != nil {
				t.Fatalf("%s: %v", q, err)
			}
		}
		if _, err := db.raw.ExecContext(ctx, `UPDATE audit_log SET detail = 'edited' WHERE actor = 'x'`); err != nil {
			t.Fatalf("the altered guard still refuses: %v", err)
		}
		if err := db.st.CheckAuditTriggers(ctx); err == nil {
			t.Errorf("CheckAuditTriggers = nil after the update guard was recreated with a WHEN clause that lets actor x's rows be edited")
		}
	})
}
