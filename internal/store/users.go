package store

// Local user accounts, their roles and API tokens (migration 8). The store
// keeps what package auth decides: it hashes nothing and enforces no policy
// beyond the schema's constraints. UpdateUser gives auth a read-modify-write
// of one account under a lock, so that concurrent sign-in attempts cannot
// lose a failure count or accept one TOTP code twice.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mamori"
)

// User is a local account as stored.
type User struct {
	Name         string
	DisplayName  string
	PasswordHash string // argon2id, PHC string format
	// TOTPSecret is the base32 TOTP key; "" when there is none. With an
	// empty TOTPEnrolledOn, an enrolment was started but not confirmed.
	TOTPSecret     string
	TOTPEnrolledOn string // YYYY-MM-DD
	TOTPLastStep   int64  // the last accepted TOTP time step
	RecoveryCodes  []RecoveryCode
	Disabled       bool
	FailedLogins   int
	FailedSince    time.Time // first failure of the current run of failures
	LockedUntil    time.Time
	CreatedAt      time.Time
	LastLoginAt    time.Time
	// PasswordChangeRequired: the password is a one-time password set by
	// an administrator; the account must choose its own before anything
	// else. PasswordExpiresAt is when that password stops signing in
	// (zero: never).
	PasswordChangeRequired bool
	PasswordExpiresAt      time.Time
	Grants                 []RoleGrant // read only: change with GrantRole
}

// TOTPEnrolled reports whether the account has a confirmed second factor.
func (u *User) TOTPEnrolled() bool { return u.TOTPSecret != "" && u.TOTPEnrolledOn != "" }

// RecoveryCode is a single-use recovery code, as its SHA-256 (hex).
type RecoveryCode struct {
	Hash   string
	UsedAt time.Time // zero while unused
}

// RoleGrant gives a user a role over the organization subtree rooted at OrgCode.
type RoleGrant struct {
	Role    string
	OrgCode string
}

// APIToken is an API token as stored: never its secret, only its SHA-256.
type APIToken struct {
	ID, UserName, Name string
	Hash               string // SHA-256 (hex) of the secret
	Scopes             string // space-separated
	ExpiresAt          time.Time
	CreatedAt          time.Time
	LastUsedAt         time.Time // zero when never used
	Revoked            bool
}

// userTS renders a timestamp for a user table column, NULL when zero.
func (s *Store) userTS(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return s.catalogTS(t)
}

// userTime reads a nullable timestamp column.
func userTime(v any) (time.Time, error) {
	if v == nil {
		return time.Time{}, nil
	}
	return catalogTime(v)
}

// userBool renders a boolean for the dialect's column type.
func (s *Store) userBool(b bool) any {
	if s.dialect == Postgres {
		return b
	}
	if b {
		return int64(1)
	}
	return int64(0)
}

func nullString(v string) any {
	if v == "" {
		return nil
	}
	return v
}

// queryer is what reading a user needs from a *sql.DB or a *sql.Tx.
type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

const userCols = `name, display_name, password_hash, totp_secret, totp_enrolled_on, totp_last_step, disabled,
	failed_logins, failed_since, locked_until, created_at, last_login_at, password_change_required, password_expires_at`

// scanUsers reads rows of userCols.
func scanUsers(rows *sql.Rows) ([]User, error) {
	defer rows.Close()
	var out []User
	for rows.Next() {
		var u User
		var secret, enrolled, disabled, failedSince, locked, created, lastLogin, mustChange, pwExpires any
		var failed int64
		if err := rows.Scan(&u.Name, &u.DisplayName, &u.PasswordHash, &secret, &enrolled, &u.TOTPLastStep, &disabled,
			&failed, &failedSince, &locked, &created, &lastLogin, &mustChange, &pwExpires); err != nil {
			return nil, err
		}
		u.TOTPSecret = str(dateString(secret))
		u.TOTPEnrolledOn = str(dateString(enrolled))
		u.Disabled = boolean(disabled) == true
		u.PasswordChangeRequired = boolean(mustChange) == true
		u.FailedLogins = int(failed)
		for _, f := range []struct {
			dst *time.Time
			v   any
		}{{&u.FailedSince, failedSince}, {&u.LockedUntil, locked}, {&u.CreatedAt, created}, {&u.LastLoginAt, lastLogin},
			{&u.PasswordExpiresAt, pwExpires}} {
			t, err := userTime(f.v)
			if err != nil {
				return nil, fmt.Errorf("user %s: %w", u.Name, err)
			}
			*f.dst = t
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// fillUsers adds grants and recovery codes to users (all of them when
// name is "", else the one named).
func fillUsers(ctx context.Context, q queryer, users []User, name string) error {
	idx := make(map[string]*User, len(users))
	for i := range users {
		idx[users[i].Name] = &users[i]
	}
	where, args := "", []any{}
	if name != "" {
		where, args = " WHERE user_name = $1", []any{name}
	}
	rows, err := q.QueryContext(ctx, "SELECT user_name, role, org_code FROM role_grants"+where+" ORDER BY user_name, org_code, role", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var user string
		var g RoleGrant
		if err := rows.Scan(&user, &g.Role, &g.OrgCode); err != nil {
			return err
		}
		if u := idx[user]; u != nil {
			u.Grants = append(u.Grants, g)
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, "SELECT user_name, code_hash, used_at FROM user_recovery_codes"+where+" ORDER BY user_name, code_hash", args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var user string
		var c RecoveryCode
		var used any
		if err := rows.Scan(&user, &c.Hash, &used); err != nil {
			return err
		}
		if c.UsedAt, err = userTime(used); err != nil {
			return err
		}
		if u := idx[user]; u != nil {
			u.RecoveryCodes = append(u.RecoveryCodes, c)
		}
	}
	return rows.Err()
}

func noUser(name string) error {
	return mamori.Errorf(mamori.NotFound, "利用者「%s」はいません", "no user %q", name)
}

// readUser reads one user with its grants and recovery codes; lock takes a
// row lock on PostgreSQL (SQLite's writer is already exclusive).
func (s *Store) readUser(ctx context.Context, q queryer, name string, lock bool) (User, error) {
	query := "SELECT " + userCols + " FROM users WHERE name = $1"
	if lock && s.dialect == Postgres {
		query += " FOR UPDATE"
	}
	rows, err := q.QueryContext(ctx, query, name)
	if err != nil {
		return User{}, fmt.Errorf("store: users: %w", err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return User{}, fmt.Errorf("store: users: %w", err)
	}
	if len(us) == 0 {
		return User{}, noUser(name)
	}
	if err := fillUsers(ctx, q, us, name); err != nil {
		return User{}, fmt.Errorf("store: users: %w", err)
	}
	return us[0], nil
}

// User returns the named user, or an error of kind NotFound.
func (s *Store) User(ctx context.Context, name string) (User, error) {
	return s.readUser(ctx, s.read, name, false)
}

// Users returns every user, by name, with grants and recovery codes.
func (s *Store) Users(ctx context.Context) ([]User, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+userCols+" FROM users ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	us, err := scanUsers(rows)
	if err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	if err := fillUsers(ctx, s.read, us, ""); err != nil {
		return nil, fmt.Errorf("store: users: %w", err)
	}
	return us, nil
}

// inTx runs fn in a write transaction, committed when fn returns nil.
func (s *Store) inTx(ctx context.Context, op string, fn func(tx *sql.Tx) error) (err error) {
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			return
		}
		err = translate(tx.Commit(), "commit "+op)
	}()
	return fn(tx)
}

// CreateUser stores a new user with its grants and recovery codes, in one
// transaction. A user of the same name is an error of kind Conflict; a
// grant on an organization that does not exist, of kind Invalid.
func (s *Store) CreateUser(ctx context.Context, u User) error {
	return s.inTx(ctx, "users", func(tx *sql.Tx) error {
		// A name that differs from another only in case would show in the
		// audit trail as a look-alike of that account's actor.
		var folded int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE lower(name) = lower($1)", u.Name).Scan(&folded); err != nil {
			return fmt.Errorf("store: users: %w", err)
		}
		if folded > 0 {
			return nameTaken(u.Name)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO users (name, display_name, password_hash, totp_secret, totp_enrolled_on,
			totp_last_step, disabled, failed_logins, failed_since, locked_until, created_at, last_login_at,
			password_change_required, password_expires_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)`,
			u.Name, u.DisplayName, u.PasswordHash, nullString(u.TOTPSecret), nullString(u.TOTPEnrolledOn), u.TOTPLastStep,
			s.userBool(u.Disabled), int64(u.FailedLogins), s.userTS(u.FailedSince), s.userTS(u.LockedUntil),
			s.catalogTS(u.CreatedAt), s.userTS(u.LastLoginAt), s.userBool(u.PasswordChangeRequired),
			s.userTS(u.PasswordExpiresAt)); err != nil {
			err = translate(err, "insert users")
			if me, ok := errors.AsType[*mamori.Error](err); ok && me.Kind == mamori.Conflict {
				return nameTaken(u.Name)
			}
			return err
		}
		for _, g := range u.Grants {
			if err := s.grant(ctx, tx, u.Name, g); err != nil {
				return err
			}
		}
		return s.writeRecoveryCodes(ctx, tx, u)
	})
}

// nameTaken refuses a user name in use. Names are unique across the
// government: it says only that this one cannot be used, not that an
// account (perhaps another ministry's) has it, nor the database's words.
func nameTaken(name string) error {
	return mamori.Errorf(mamori.Conflict, "利用者名「%s」は使えません。別の名前にしてください",
		"user name %q cannot be used: choose another", name)
}

func (s *Store) grant(ctx context.Context, tx *sql.Tx, name string, g RoleGrant) error {
	var n int64
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM organizations WHERE code = $1", g.OrgCode).Scan(&n); err != nil {
		return fmt.Errorf("store: organizations: %w", err)
	}
	if n == 0 {
		return mamori.Errorf(mamori.Invalid, "組織「%s」はありません", "no organization %q", g.OrgCode)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO role_grants (user_name, role, org_code) VALUES ($1, $2, $3)
		ON CONFLICT (user_name, role, org_code) DO NOTHING`, name, g.Role, g.OrgCode)
	return translate(err, "insert role_grants")
}

// writeRecoveryCodes replaces the user's recovery codes with u's.
func (s *Store) writeRecoveryCodes(ctx context.Context, tx *sql.Tx, u User) error {
	if _, err := tx.ExecContext(ctx, "DELETE FROM user_recovery_codes WHERE user_name = $1", u.Name); err != nil {
		return translate(err, "delete user_recovery_codes")
	}
	for _, c := range u.RecoveryCodes {
		if _, err := tx.ExecContext(ctx, "INSERT INTO user_recovery_codes (user_name, code_hash, used_at) VALUES ($1, $2, $3)",
			u.Name, c.Hash, s.userTS(c.UsedAt)); err != nil {
			return translate(err, "insert user_recovery_codes")
		}
	}
	return nil
}

// GrantRole gives the user a role over an organization subtree; granting
// it again changes nothing. An unknown user is an error of kind NotFound,
// an unknown organization or role of kind Invalid.
func (s *Store) GrantRole(ctx context.Context, name string, g RoleGrant) error {
	return s.inTx(ctx, "role_grants", func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE name = $1", name).Scan(&n); err != nil {
			return fmt.Errorf("store: users: %w", err)
		}
		if n == 0 {
			return noUser(name)
		}
		return s.grant(ctx, tx, name, g)
	})
}

// RevokeRole takes a role grant away from the user. An unknown user, or a
// grant the user does not hold, is an error of kind NotFound, so that a
// revocation that changed nothing is never reported as done.
func (s *Store) RevokeRole(ctx context.Context, name string, g RoleGrant) error {
	return s.inTx(ctx, "role_grants", func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE name = $1", name).Scan(&n); err != nil {
			return fmt.Errorf("store: users: %w", err)
		}
		if n == 0 {
			return noUser(name)
		}
		res, err := tx.ExecContext(ctx, "DELETE FROM role_grants WHERE user_name = $1 AND role = $2 AND org_code = $3",
			name, g.Role, g.OrgCode)
		if err != nil {
			return translate(err, "delete role_grants")
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: role_grants: %w", err)
		} else if n == 0 {
			return mamori.Errorf(mamori.NotFound, "利用者「%s」に役割 %s@%s は付与されていません",
				"user %q holds no role %s@%s", name, g.Role, g.OrgCode)
		}
		return nil
	})
}

// UpdateUser reads the named user under a lock, lets fn change it, and
// writes back every field but Name, CreatedAt and Grants, recovery codes
// included, in one transaction. When fn returns an error nothing is
// written and UpdateUser returns it. An unknown user is an error of kind
// NotFound (fn is not called).
func (s *Store) UpdateUser(ctx context.Context, name string, fn func(u *User) error) error {
	return s.UpdateUserEnding(ctx, name, EndAccess{}, fn)
}

// EndAccess says what of an account's access a change ends.
type EndAccess struct {
	Sessions bool // delete every web session of the account
	Tokens   bool // revoke every API token of the account (kept for the record)
}

// UpdateUserEnding is UpdateUser that also ends the account's sessions
// and, when asked, revokes its API tokens, in the same transaction as the
// change: a password reset, a second-factor reset or a disable leaves no
// session that was opened before it. When fn fails, nothing ends.
func (s *Store) UpdateUserEnding(ctx context.Context, name string, end EndAccess, fn func(u *User) error) error {
	return s.inTx(ctx, "users", func(tx *sql.Tx) error {
		u, err := s.readUser(ctx, tx, name, true)
		if err != nil {
			return err
		}
		if err := fn(&u); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET display_name = $2, password_hash = $3, totp_secret = $4,
			totp_enrolled_on = $5, totp_last_step = $6, disabled = $7, failed_logins = $8, failed_since = $9,
			locked_until = $10, last_login_at = $11, password_change_required = $12, password_expires_at = $13 WHERE name = $1`,
			name, u.DisplayName, u.PasswordHash, nullString(u.TOTPSecret), nullString(u.TOTPEnrolledOn), u.TOTPLastStep,
			s.userBool(u.Disabled), int64(u.FailedLogins), s.userTS(u.FailedSince), s.userTS(u.LockedUntil),
			s.userTS(u.LastLoginAt), s.userBool(u.PasswordChangeRequired), s.userTS(u.PasswordExpiresAt)); err != nil {
			return translate(err, "update users")
		}
		u.Name = name
		if err := s.writeRecoveryCodes(ctx, tx, u); err != nil {
			return err
		}
		if end.Sessions {
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_name = $1`, name); err != nil {
				return translate(err, "delete sessions")
			}
		}
		if end.Tokens {
			if _, err := tx.ExecContext(ctx, `UPDATE api_tokens SET revoked = $2 WHERE user_name = $1`, name, s.userBool(true)); err != nil {
				return translate(err, "update api_tokens")
			}
		}
		return nil
	})
}

const tokenCols = "id, user_name, name, hash, scopes, expires_at, created_at, last_used_at, revoked"

func scanTokens(rows *sql.Rows) ([]APIToken, error) {
	defer rows.Close()
	var out []APIToken
	for rows.Next() {
		var t APIToken
		var expires, created, used, revoked any
		if err := rows.Scan(&t.ID, &t.UserName, &t.Name, &t.Hash, &t.Scopes, &expires, &created, &used, &revoked); err != nil {
			return nil, err
		}
		var err error
		if t.ExpiresAt, err = userTime(expires); err == nil {
			if t.CreatedAt, err = userTime(created); err == nil {
				t.LastUsedAt, err = userTime(used)
			}
		}
		if err != nil {
			return nil, fmt.Errorf("token %s: %w", t.ID, err)
		}
		t.Revoked = boolean(revoked) == true
		out = append(out, t)
	}
	return out, rows.Err()
}

// CreateToken stores a new API token. An unknown user is an error of kind
// NotFound.
func (s *Store) CreateToken(ctx context.Context, t APIToken) error {
	return s.inTx(ctx, "api_tokens", func(tx *sql.Tx) error {
		var n int64
		if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM users WHERE name = $1", t.UserName).Scan(&n); err != nil {
			return fmt.Errorf("store: users: %w", err)
		}
		if n == 0 {
			return noUser(t.UserName)
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO api_tokens (id, user_name, name, hash, scopes, expires_at, created_at, last_used_at, revoked)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`, t.ID, t.UserName, t.Name, t.Hash, t.Scopes,
			s.catalogTS(t.ExpiresAt), s.catalogTS(t.CreatedAt), s.userTS(t.LastUsedAt), s.userBool(t.Revoked))
		return translate(err, "insert api_tokens")
	})
}

// TokenByHash returns the token whose secret hashes to hash, or an error of
// kind NotFound.
func (s *Store) TokenByHash(ctx context.Context, hash string) (APIToken, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+tokenCols+" FROM api_tokens WHERE hash = $1", hash)
	if err != nil {
		return APIToken{}, fmt.Errorf("store: api_tokens: %w", err)
	}
	ts, err := scanTokens(rows)
	if err != nil {
		return APIToken{}, fmt.Errorf("store: api_tokens: %w", err)
	}
	if len(ts) == 0 {
		return APIToken{}, mamori.Errorf(mamori.NotFound, "APIトークンがありません", "no such API token")
	}
	return ts[0], nil
}

// Tokens returns the API tokens of a user (of everyone when user is ""),
// by user and creation time.
func (s *Store) Tokens(ctx context.Context, user string) ([]APIToken, error) {
	q, args := "SELECT "+tokenCols+" FROM api_tokens", []any{}
	if user != "" {
		q, args = q+" WHERE user_name = $1", []any{user}
	}
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY user_name, created_at, id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: api_tokens: %w", err)
	}
	ts, err := scanTokens(rows)
	if err != nil {
		return nil, fmt.Errorf("store: api_tokens: %w", err)
	}
	return ts, nil
}

// TouchToken records that a token was used at at.
func (s *Store) TouchToken(ctx context.Context, id string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, "UPDATE api_tokens SET last_used_at = $2 WHERE id = $1", id, s.catalogTS(at))
	return translate(err, "update api_tokens")
}

// RevokeToken marks a token revoked; it is kept for the record. An unknown
// token is an error of kind NotFound.
func (s *Store) RevokeToken(ctx context.Context, id string) error {
	res, err := s.write.ExecContext(ctx, "UPDATE api_tokens SET revoked = $2 WHERE id = $1", id, s.userBool(true))
	if err != nil {
		return translate(err, "update api_tokens")
	}
	if n, err := res.RowsAffected(); err == nil && n == 0 {
		return mamori.Errorf(mamori.NotFound, "APIトークン「%s」はありません", "no API token %q", id)
	}
	return nil
}
