-- +goose Up
-- Local user accounts (DESIGN C9): argon2id password hashes, an optional
-- TOTP second factor with its single-use recovery codes, the failed-login
-- state the lockout works from, roles granted on an organization subtree,
-- and API tokens. Secrets are never stored: only hashes, except the TOTP
-- key, which the server needs to compute codes.

CREATE TABLE users (
    name TEXT COLLATE "C" NOT NULL,
    display_name TEXT COLLATE "C" NOT NULL DEFAULT '',
    password_hash TEXT COLLATE "C" NOT NULL,
    -- Set and confirmed: totp_enrolled_on is the day of confirmation. Set
    -- with no date: an enrolment started but not confirmed yet.
    totp_secret TEXT COLLATE "C",
    totp_enrolled_on DATE,
    -- The last accepted TOTP time step: a code is accepted once.
    totp_last_step BIGINT NOT NULL DEFAULT 0,
    disabled BOOLEAN NOT NULL DEFAULT FALSE,
    failed_logins BIGINT NOT NULL DEFAULT 0 CHECK (failed_logins >= 0),
    failed_since TIMESTAMPTZ,
    locked_until TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    last_login_at TIMESTAMPTZ,
    PRIMARY KEY (name)
);

-- One row per recovery code: SHA-256 of the code, and when it was used.
CREATE TABLE user_recovery_codes (
    user_name TEXT COLLATE "C" NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    code_hash TEXT COLLATE "C" NOT NULL,
    used_at TIMESTAMPTZ,
    PRIMARY KEY (user_name, code_hash)
);

CREATE TABLE role_grants (
    user_name TEXT COLLATE "C" NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    role TEXT COLLATE "C" NOT NULL CHECK (role IN ('viewer', 'system_officer', 'org_security', 'auditor', 'central_admin')),
    -- The root of the organization subtree the role applies to.
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    PRIMARY KEY (user_name, role, org_code)
);
CREATE INDEX role_grants_org_code_idx ON role_grants (org_code);

CREATE TABLE api_tokens (
    id TEXT COLLATE "C" NOT NULL,
    user_name TEXT COLLATE "C" NOT NULL REFERENCES users (name) ON DELETE CASCADE,
    name TEXT COLLATE "C" NOT NULL,
    -- SHA-256 (hex) of the secret, which is shown once when issued.
    hash TEXT COLLATE "C" NOT NULL UNIQUE,
    scopes TEXT COLLATE "C" NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ,
    revoked BOOLEAN NOT NULL DEFAULT FALSE,
    PRIMARY KEY (id)
);
CREATE INDEX api_tokens_user_name_idx ON api_tokens (user_name);

-- +goose Down
DROP TABLE api_tokens;
DROP TABLE role_grants;
DROP TABLE user_recovery_codes;
DROP TABLE users;
