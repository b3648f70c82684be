-- +goose Up
-- The audit trail (DESIGN C9): one row per security-relevant event, chained
-- by SHA-256 so that editing, deleting or re-linking a row is detectable
-- (package audit verifies; store.AuditHash documents the encoding).
--
-- seq is assigned by the store inside the appending write transaction and
-- has no gaps: a gap means a deleted row. at is RFC 3339 UTC text with
-- milliseconds (fixed width, so it also sorts as text) and is stored as text
-- in both dialects because the hash covers exactly these characters: a
-- TIMESTAMPTZ could come back re-formatted and break verification.
-- org_code is NULL for events that concern no organization; the empty
-- string is refused so that NULL and '' cannot both mean "none".
CREATE TABLE audit_log (
    seq BIGINT NOT NULL PRIMARY KEY CHECK (seq > 0),
    at TEXT COLLATE "C" NOT NULL CHECK (length(at) = 24),
    actor TEXT COLLATE "C" NOT NULL CHECK (actor <> ''),
    action TEXT COLLATE "C" NOT NULL CHECK (action <> ''),
    target TEXT COLLATE "C" NOT NULL DEFAULT '',
    org_code TEXT COLLATE "C" CHECK (org_code <> ''),
    detail TEXT COLLATE "C" NOT NULL DEFAULT '',
    prev_hash TEXT COLLATE "C" NOT NULL CHECK (length(prev_hash) = 64),
    hash TEXT COLLATE "C" NOT NULL CHECK (length(hash) = 64)
);

CREATE INDEX audit_log_at ON audit_log (at);
CREATE INDEX audit_log_org ON audit_log (org_code, seq);

-- Append-only in the database as well as in the store API, so that a bug or
-- a generic maintenance statement cannot rewrite history. Someone with DDL
-- rights can still drop these triggers; the hash chain is what detects that.
-- +goose StatementBegin
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
