package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mamori"
)

// Session is a web sign-in session as stored (by the hash of its secret).
type Session struct {
	IDHash     string
	UserName   string
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time
	EnrolOnly  bool
}

// CreateSession stores a new session.
func (s *Store) CreateSession(ctx context.Context, se Session) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO sessions (id_hash, user_name, created_at, last_seen_at, expires_at, enrol_only)
		VALUES ($1, $2, $3, $4, $5, $6)`, se.IDHash, se.UserName, s.catalogTS(se.CreatedAt), s.catalogTS(se.LastSeenAt),
		s.catalogTS(se.ExpiresAt), s.userBool(se.EnrolOnly))
	return translate(err, "create session")
}

// SessionByHash returns a session, or a NotFound error.
func (s *Store) SessionByHash(ctx context.Context, hash string) (Session, error) {
	var se Session
	var created, seen, expires, enrol any
	err := s.read.QueryRowContext(ctx, `SELECT id_hash, user_name, created_at, last_seen_at, expires_at, enrol_only FROM sessions WHERE id_hash = $1`, hash).
		Scan(&se.IDHash, &se.UserName, &created, &seen, &expires, &enrol)
	if errors.Is(err, sql.ErrNoRows) {
		return Session{}, mamori.Errorf(mamori.NotFound, "セッションがありません", "no such session")
	}
	if err != nil {
		return Session{}, fmt.Errorf("store: session: %w", err)
	}
	for _, x := range []struct {
		v   any
		dst *time.Time
	}{{created, &se.CreatedAt}, {seen, &se.LastSeenAt}, {expires, &se.ExpiresAt}} {
		if *x.dst, err = catalogTime(x.v); err != nil {
			return Session{}, fmt.Errorf("store: session: %w", err)
		}
	}
	se.EnrolOnly = boolean(enrol) == true
	return se, nil
}

// TouchSession records activity on a session.
func (s *Store) TouchSession(ctx context.Context, hash string, at time.Time) error {
	_, err := s.write.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, s.catalogTS(at), hash)
	return translate(err, "touch session")
}

// UpgradeSession makes an enrol-only session a full one (the second
// factor is now enrolled).
func (s *Store) UpgradeSession(ctx context.Context, hash string) error {
	_, err := s.write.ExecContext(ctx, `UPDATE sessions SET enrol_only = $1 WHERE id_hash = $2`, s.userBool(false), hash)
	return translate(err, "upgrade session")
}

// DeleteSession ends a session; ending one that does not exist is not an
// error.
func (s *Store) DeleteSession(ctx context.Context, hash string) error {
	_, err := s.write.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, hash)
	return translate(err, "delete session")
}
