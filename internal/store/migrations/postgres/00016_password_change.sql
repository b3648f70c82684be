-- +goose Up
-- An administrator's password reset sets a one-time password: the account
-- must choose its own at the next sign-in (password_change_required), and
-- the one-time password is refused after password_expires_at (NULL when
-- the password does not expire).
ALTER TABLE users ADD COLUMN password_change_required BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN password_expires_at TIMESTAMPTZ;

-- +goose Down
ALTER TABLE users DROP COLUMN password_expires_at;
ALTER TABLE users DROP COLUMN password_change_required;
