-- +goose Up
-- Local user accounts (DESIGN C9): argon2id password hashes, an optional
-- TOTP second factor with its single-use recovery codes, the failed-login
-- state the lockout works from, roles granted on an organization subtree,
-- and API tokens. Secrets are never stored: only hashes, except the TOTP
-- key, which the server needs to compute codes. Timestamps are RFC 3339
-- text in UTC, as in catalogs.

CREATE TABLE users (
    name TEXT NOT NULL,
    display_name TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL,
    -- Set and confirmed: totp_enrolled_on is the day of confirmation. Set
    -- with no date: an enrolment started but not confirmed yet.
    totp_secret TEXT,
    totp_enrolled_on TEXT,
    -- The last accepted TOTP time step: a code is accepted once.
    totp_last_step INTEGER NOT NULL DEFAULT 0,
    disabled INTEGER NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    failed_logins INTEGER NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    failed_since TEXT,
    locked_until TEXT,
    created_at TEXT NOT NULL,
    last_login_at TEXT,
    PRIMARY KEY (name)
) WITHOUT ROWID;

-- One row per recovery code: SHA-256 of the code, and when it was used.
CREATE TABLE user_recovery_codes (
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    code_hash TEXT NOT NULL,
    used_at TEXT,
    PRIMARY KEY (user_name, code_hash)
) WITHOUT ROWID;

CREATE TABLE role_grants (
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    role TEXT NOT NULL CHECK (role IN ('viewer', 'system_officer', 'org_security', 'auditor', 'central_admin')),
    -- The root of the organization subtree the role applies to.
    org_code TEXT NOT NULL REFERENCES organizations (code),
    PRIMARY KEY (user_name, role, org_code)
) WITHOUT ROWID;
CREATE INDEX role_grants_org_code_idx ON role_grants (org_code);

CREATE TABLE api_tokens (
    id TEXT NOT NULL,
    user_name TEXT NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    name TEXT NOT NULL,
    -- SHA-256 (hex) of the secret, which is shown once when issued.
    hash TEXT NOT NULL UNIQUE,
    scopes TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked INTEGER NOT NULL DEFAULT 0 CHECK (revoked IN (0, 1)),
    PRIMARY KEY (id)
) WITHOUT ROWID;
CREATE INDEX api_tokens_user_name_idx ON api_tokens (user_name);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE role_grants;
DROP TABLE user_recovery_codes;
DROP TABLE users;
