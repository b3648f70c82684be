-- +goose Up
-- Web sign-in sessions. The cookie holds a random secret; only its SHA-256
-- is stored, so a copy of the database opens no session. A session ends
-- when idle too long, at its absolute expiry, or at sign-out. An enrol-only
-- session (an administrator without a second factor yet) may do nothing
-- but enrol one.
CREATE TABLE sessions (
    id_hash TEXT NOT NULL,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    enrol_only INTEGER NOT NULL DEFAULT 0 CHECK (enrol_only IN (0, 1)),
    PRIMARY KEY (id_hash)
) WITHOUT ROWID;
CREATE INDEX sessions_user_idx ON sessions (user_name);

-- +goose Down
DROP TABLE sessions;
