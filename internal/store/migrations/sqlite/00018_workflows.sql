-- +goose Up
-- The workflow mechanism (issue 14, item 1): items that move through the
-- states of a workflow definition, their append-only history, and the
-- evidence attached to them. The definitions (states, transitions, who may
-- act) are data in package workflow; the store keeps only what happened.
-- Timestamps are RFC 3339 text in UTC, dates YYYY-MM-DD.

CREATE TABLE workflow_items (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind <> ''),
    -- What the item is about: a finding id, a system code, an organization code.
    subject TEXT NOT NULL,
    -- The organization the item is filed under: who may see and act on it.
    org_code TEXT NOT NULL REFERENCES organizations (code),
    state TEXT NOT NULL CHECK (state <> ''),
    severity TEXT NOT NULL DEFAULT '',
    applicant TEXT NOT NULL CHECK (applicant <> ''),
    assignee TEXT NOT NULL DEFAULT '',
    due_on TEXT CHECK (due_on IS NULL OR length(due_on) = 10),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    -- Optimistic locking: every change names the version it saw and adds one.
    version INTEGER NOT NULL CHECK (version >= 1)
);
CREATE INDEX workflow_items_org ON workflow_items (org_code, kind, state);

-- Evidence, kept in the database with its SHA-256, size and sniffed type.
CREATE TABLE workflow_attachments (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES workflow_items (id),
    name TEXT NOT NULL CHECK (name <> ''),
    media_type TEXT NOT NULL,
    size INTEGER NOT NULL CHECK (size > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    content BLOB NOT NULL,
    added_by TEXT NOT NULL,
    added_at TEXT NOT NULL
);
CREATE INDEX workflow_attachments_item ON workflow_attachments (item_id);

-- History: one row per creation, transition, comment and attachment.
CREATE TABLE workflow_events (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES workflow_items (id),
    at TEXT NOT NULL,
    actor TEXT NOT NULL CHECK (actor <> ''),
    -- create, transition, comment or attach
    event TEXT NOT NULL CHECK (event IN ('create', 'transition', 'comment', 'attach')),
    transition TEXT NOT NULL DEFAULT '',
    from_state TEXT NOT NULL DEFAULT '',
    to_state TEXT NOT NULL DEFAULT '',
    comment TEXT NOT NULL DEFAULT '',
    attachment_id INTEGER REFERENCES workflow_attachments (id)
);
CREATE INDEX workflow_events_item ON workflow_events (item_id, id);

-- +goose StatementBegin
CREATE TRIGGER workflow_events_no_update BEFORE UPDATE ON workflow_events
BEGIN SELECT RAISE(ABORT, 'workflow_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workflow_events_no_delete BEFORE DELETE ON workflow_events
BEGIN SELECT RAISE(ABORT, 'workflow_events is append-only'); END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER workflow_attachments_no_update BEFORE UPDATE ON workflow_attachments
BEGIN SELECT RAISE(ABORT, 'workflow_attachments is append-only'); END;
-- +goose StatementEnd

-- +goose Down
DROP TRIGGER workflow_attachments_no_update;
DROP TRIGGER workflow_events_no_delete;
DROP TRIGGER workflow_events_no_update;
DROP TABLE workflow_events;
DROP TABLE workflow_attachments;
DROP TABLE workflow_items;
