package app

import (
	"context"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
)

// EnvAuditKeyFile names the environment variable holding the path of the
// audit keyring file (see auditKeyFile).
const EnvAuditKeyFile = "MAMORI_AUDIT_KEY_FILE"

// auditKeyFile returns the path of the audit keyring file for dsn:
// MAMORI_AUDIT_KEY_FILE when set, else, for a SQLite file, the file's path
// with ".audit-key" added (mamori.db → mamori.db.audit-key), beside the
// database but not in it. A PostgreSQL database has no such place, so it
// needs MAMORI_AUDIT_KEY_FILE.
func auditKeyFile(env *Env, dsn string) (string, error) {
	if p := env.Getenv(EnvAuditKeyFile); p != "" {
		return p, nil
	}
	if store.IsPostgresDSN(dsn) {
		return "", mamori.Errorf(mamori.Invalid,
			"PostgreSQL を使うときは監査鍵ファイルの場所を環境変数 %s で指定してください (データベースの外、mamori だけが読める場所)",
			"with PostgreSQL, give the audit key file's path in %s (outside the database, readable by mamori only)", EnvAuditKeyFile)
	}
	return strings.TrimPrefix(dsn, "file:") + ".audit-key", nil
}

// useAuditKeyring loads the audit keyring of dsn into s, creating the file
// with one fresh key (mode 0600) on first use; the file records that the
// entries from the next seq on are keyed, so a log later rewritten with
// the unkeyed encoding does not verify. It refuses to create one for a log
// that already has entries signed with keys: the file was lost or moved,
// and a new key would leave those entries unverifiable. Whether a log
// whose keyed entries were all rewritten without a key ever had any cannot
// be told without the file (the database is what was rewritten): the file
// must be backed up apart from the database, and "audit verify" with the
// backed-up file reports such a rewrite.
func useAuditKeyring(ctx context.Context, env *Env, s *store.Store, dsn string) error {
	path, err := auditKeyFile(env, dsn)
	if err != nil {
		return err
	}
	ok, err := audit.KeyringExists(path)
	if err != nil {
		return err
	}
	var k *store.AuditKeyring
	if ok {
		k, err = audit.LoadKeyring(path)
	} else {
		var ids []string
		if ids, err = s.AuditKeyIDs(ctx); err != nil {
			return err
		}
		if len(ids) > 0 {
			return mamori.Errorf(mamori.Conflict,
				"監査鍵ファイル %s がありません。監査証跡には鍵 %s で署名された記録があります。鍵ファイルを戻すか、%s でその場所を指定してください",
				"audit key file %s is missing, but the audit log holds entries signed with key %s: restore the file or give its path in %s",
				path, strings.Join(ids, ", "), EnvAuditKeyFile)
		}
		var last int64
		if last, err = s.LastAuditSeq(ctx); err != nil {
			return err
		}
		k, err = audit.CreateKeyring(path, last+1)
	}
	if err != nil {
		return err
	}
	s.SetAuditKeyring(k)
	return nil
}
