-- +goose Up
-- The audit trail, hardened (issue 12, items 11 and 12).
--
-- key_id names the key of the keyring (kept outside the database) whose
-- HMAC-SHA256 is the entry's hash; NULL marks the entries written before
-- keys, which keep verifying as a plain SHA-256 chain (store.AuditHash).
-- ALTER TABLE fires no UPDATE trigger, and the existing rows keep NULL.
ALTER TABLE audit_log ADD COLUMN key_id TEXT CHECK (key_id <> '');

-- audit_entry_orgs files an entry under every organization it touches (an
-- export of many ministries, an import into another ministry than the
-- actor's own), so each ministry's auditor finds it. The keyed hash covers
-- the set, so a row added or removed here breaks the chain. seq has no
-- foreign key: a row for no entry is never read, and tests (and forensic
-- work) that remove an entry need not remove its rows first.
CREATE TABLE audit_entry_orgs (
    seq INTEGER NOT NULL,
    org_code TEXT NOT NULL CHECK (org_code <> ''),
    PRIMARY KEY (seq, org_code)
) WITHOUT ROWID;

CREATE INDEX audit_entry_orgs_org ON audit_entry_orgs (org_code, seq);

-- INSERT OR REPLACE deletes the row it replaces without firing DELETE
-- triggers (unless recursive_triggers is on in that connection), so an
-- insert whose key exists is refused before it gets that far.
-- +goose StatementBegin
CREATE TRIGGER audit_log_no_replace BEFORE INSERT ON audit_log
WHEN EXISTS (SELECT 1 FROM audit_log WHERE seq = NEW.seq)
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_entry_orgs_no_update BEFORE UPDATE ON audit_entry_orgs
BEGIN
    SELECT RAISE(ABORT, 'audit_entry_orgs is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_entry_orgs_no_delete BEFORE DELETE ON audit_entry_orgs
BEGIN
    SELECT RAISE(ABORT, 'audit_entry_orgs is append-only');
END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER audit_entry_orgs_no_replace BEFORE INSERT ON audit_entry_orgs
WHEN EXISTS (SELECT 1 FROM audit_entry_orgs WHERE seq = NEW.seq AND org_code = NEW.org_code)
BEGIN
    SELECT RAISE(ABORT, 'audit_entry_orgs is append-only');
END;
-- +goose StatementEnd

-- +goose Down
DROP TABLE audit_entry_orgs;
DROP TRIGGER audit_log_no_replace;
