-- +goose Up
-- The notification outbox (issue 14, item 7). An action that notifies
-- someone (an assignment, a due date drawing near, an escalation) writes
-- rows here and carries on; a worker delivers them later, so a mail server
-- or webhook receiver that is down never blocks or fails the action, and a
-- restart loses nothing. channel is how (email, webhook), target to whom
-- (an address or a URL), payload what (the rendered message, JSON, opaque
-- to the store). A row is pending until delivered (sent) or given up
-- (gave_up, after its last attempt or a refusal that retrying cannot
-- mend). next_attempt_at is when a worker may take it next; taking it
-- moves that time forward, so two workers never deliver one row at once.
CREATE TABLE notify_outbox (
    id INTEGER PRIMARY KEY,
    channel TEXT NOT NULL CHECK (channel IN ('email', 'webhook')),
    target TEXT NOT NULL CHECK (target <> ''),
    kind TEXT NOT NULL CHECK (kind <> ''),
    org_code TEXT NOT NULL DEFAULT '',
    payload TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'gave_up')),
    attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
    max_attempts INTEGER NOT NULL CHECK (max_attempts > 0),
    next_attempt_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_error TEXT NOT NULL DEFAULT ''
);
CREATE INDEX notify_outbox_due_idx ON notify_outbox (status, next_attempt_at);

-- Every delivery attempt's outcome: sent, or failed with the reason.
CREATE TABLE notify_attempts (
    outbox_id INTEGER NOT NULL REFERENCES notify_outbox (id) ON DELETE CASCADE,
    attempt INTEGER NOT NULL CHECK (attempt > 0),
    at TEXT NOT NULL,
    outcome TEXT NOT NULL CHECK (outcome IN ('sent', 'failed')),
    reason TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (outbox_id, attempt)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE notify_attempts;
DROP TABLE notify_outbox;
