-- +goose Up
-- Web sign-in sessions. The cookie holds a random secret; only its SHA-256
-- is stored, so a copy of the database opens no session. A session ends
-- when idle too long, at its absolute expiry, or at sign-out. An enrol-only
-- session (an administrator without a second factor yet) may do nothing
-- but enrol one.
CREATE TABLE sessions (
    id_hash TEXT COLLATE "C" NOT NULL,
    user_name TEXT COLLATE "C" NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    enrol_only BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (id_hash)
);
CREATE INDEX sessions_user_idx ON sessions (user_name);

-- +goose Down
DROP TABLE sessions;
