-- +goose Up
-- An administrator's password reset sets a one-time password: the account
-- must choose its own at the next sign-in (password_change_required), and
-- the one-time password is refused after password_expires_at (RFC 3339
-- text in UTC; NULL when the password does not expire).
ALTER TABLE users ADD COLUMN password_change_required INTEGER NOT NULL DEFAULT 0
    CHECK (password_change_required IN (0, 1));
ALTER TABLE users ADD COLUMN password_expires_at TEXT;

-- +goose Down
ALTER TABLE users DROP COLUMN password_expires_at;
ALTER TABLE users DROP COLUMN password_change_required;
