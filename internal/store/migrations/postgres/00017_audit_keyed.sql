-- +goose Up
-- The audit trail, hardened (issue 12, items 11 and 12).
--
-- key_id names the key of the keyring (kept outside the database) whose
-- HMAC-SHA256 is the entry's hash; NULL marks the entries written before
-- keys, which keep verifying as a plain SHA-256 chain (store.AuditHash).
-- ALTER TABLE fires no UPDATE trigger, and the existing rows keep NULL.
ALTER TABLE audit_log ADD COLUMN key_id TEXT COLLATE "C" CHECK (key_id <> '');

-- audit_entry_orgs files an entry under every organization it touches (an
-- export of many ministries, an import into another ministry than the
-- actor's own), so each ministry's auditor finds it. The keyed hash covers
-- the set, so a row added or removed here breaks the chain. seq has no
-- foreign key: a row for no entry is never read, and tests (and forensic
-- work) that remove an entry need not remove its rows first.
CREATE TABLE audit_entry_orgs (
    seq BIGINT NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL CHECK (org_code <> ''),
    PRIMARY KEY (seq, org_code)
);

CREATE INDEX audit_entry_orgs_org ON audit_entry_orgs (org_code, seq);

-- INSERT … ON CONFLICT DO UPDATE fires the BEFORE UPDATE trigger, so the
-- same function refuses it; the tests check that.
CREATE TRIGGER audit_entry_orgs_no_change BEFORE UPDATE OR DELETE ON audit_entry_orgs
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_entry_orgs_no_truncate BEFORE TRUNCATE ON audit_entry_orgs
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_entry_orgs;
ALTER TABLE audit_log DROP COLUMN key_id;
