package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mamori"
)

// The states of an outbox row (notify_outbox.status).
const (
	OutboxPending = "pending" // waiting for its next attempt
	OutboxSent    = "sent"    // delivered
	OutboxGaveUp  = "gave_up" // every attempt failed, or one was refused for good
)

// The outcomes of one delivery attempt (notify_attempts.outcome).
const (
	AttemptSent   = "sent"
	AttemptFailed = "failed"
)

// Outbox is one notification waiting for delivery, or delivered, or given
// up: Channel is "email" or "webhook", Target the address or URL, Kind the
// event it tells of, Payload the rendered message (opaque here).
type Outbox struct {
	ID            int64
	Channel       string
	Target        string
	Kind          string
	OrgCode       string
	Payload       string
	Status        string
	Attempts      int
	MaxAttempts   int
	NextAttemptAt time.Time
	CreatedAt     time.Time
	LastError     string
}

// OutboxAttempt is the outcome of one delivery attempt.
type OutboxAttempt struct {
	Attempt int
	At      time.Time
	Outcome string // AttemptSent or AttemptFailed
	Reason  string // why it failed; "" when sent
}

// outboxTS writes a timestamp of the outbox. On SQLite it has a fixed
// number of fractional digits, so that comparing the text compares the
// times (RFC 3339 with trailing zeros trimmed does not: "05.5Z" sorts
// after "05.50001Z").
func (s *Store) outboxTS(t time.Time) any {
	if s.dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z07:00")
}

// EnqueueOutbox stores notifications as pending, all or none, due at
// their NextAttemptAt (CreatedAt when zero), and returns their IDs.
func (s *Store) EnqueueOutbox(ctx context.Context, items []Outbox) ([]int64, error) {
	ids := make([]int64, 0, len(items))
	err := s.inTx(ctx, "notify outbox", func(tx *sql.Tx) error {
		for _, o := range items {
			if o.MaxAttempts <= 0 {
				o.MaxAttempts = 1
			}
			if o.NextAttemptAt.IsZero() {
				o.NextAttemptAt = o.CreatedAt
			}
			var id int64
			err := tx.QueryRowContext(ctx, `INSERT INTO notify_outbox
				(channel, target, kind, org_code, payload, status, attempts, max_attempts, next_attempt_at, created_at, last_error)
				VALUES ($1, $2, $3, $4, $5, 'pending', 0, $6, $7, $8, '') RETURNING id`,
				o.Channel, o.Target, o.Kind, o.OrgCode, o.Payload, o.MaxAttempts,
				s.outboxTS(o.NextAttemptAt), s.outboxTS(o.CreatedAt)).Scan(&id)
			if err != nil {
				return translate(err, "notify outbox")
			}
			ids = append(ids, id)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return ids, nil
}

const outboxColumns = `id, channel, target, kind, org_code, payload, status, attempts, max_attempts, next_attempt_at, created_at, last_error`

func scanOutbox(sc interface{ Scan(...any) error }) (Outbox, error) {
	var o Outbox
	var next, created any
	if err := sc.Scan(&o.ID, &o.Channel, &o.Target, &o.Kind, &o.OrgCode, &o.Payload, &o.Status, &o.Attempts,
		&o.MaxAttempts, &next, &created, &o.LastError); err != nil {
		return Outbox{}, err
	}
	var err error
	if o.NextAttemptAt, err = catalogTime(next); err != nil {
		return Outbox{}, err
	}
	if o.CreatedAt, err = catalogTime(created); err != nil {
		return Outbox{}, err
	}
	return o, nil
}

// ClaimOutbox takes up to limit pending notifications due at now, oldest
// first, and moves each one's next attempt to now+lease, so that another
// worker (another server on the same PostgreSQL database) does not take it
// too while this one delivers it. A row another worker took first is
// skipped. A worker that dies mid-delivery leaves the row to be taken
// again when the lease ends.
func (s *Store) ClaimOutbox(ctx context.Context, now time.Time, lease time.Duration, limit int) ([]Outbox, error) {
	rows, err := s.write.QueryContext(ctx, `SELECT `+outboxColumns+` FROM notify_outbox
		WHERE status = 'pending' AND next_attempt_at <= $1 ORDER BY next_attempt_at, id LIMIT $2`, s.outboxTS(now), limit)
	if err != nil {
		return nil, fmt.Errorf("store: notify outbox: %w", err)
	}
	var due []Outbox
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			rows.Close()
			return nil, fmt.Errorf("store: notify outbox: %w", err)
		}
		due = append(due, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: notify outbox: %w", err)
	}
	var claimed []Outbox
	until := now.Add(lease)
	for _, o := range due {
		res, err := s.write.ExecContext(ctx, `UPDATE notify_outbox SET next_attempt_at = $1
			WHERE id = $2 AND status = 'pending' AND next_attempt_at = $3`,
			s.outboxTS(until), o.ID, s.outboxTS(o.NextAttemptAt))
		if err != nil {
			return nil, translate(err, "notify outbox")
		}
		if n, _ := res.RowsAffected(); n == 1 {
			o.NextAttemptAt = until
			claimed = append(claimed, o)
		}
	}
	return claimed, nil
}

// RecordOutboxAttempt records the outcome of the next attempt at a
// notification, in one transaction with the row's new state: sent when
// the attempt succeeded; else pending until next, or gave_up when gaveUp
// is true. It returns the row as it now stands.
func (s *Store) RecordOutboxAttempt(ctx context.Context, id int64, a OutboxAttempt, next time.Time, gaveUp bool) (Outbox, error) {
	var out Outbox
	err := s.inTx(ctx, "notify attempt", func(tx *sql.Tx) error {
		o, err := scanOutbox(tx.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM notify_outbox WHERE id = $1`, id))
		if errors.Is(err, sql.ErrNoRows) {
			return mamori.Errorf(mamori.NotFound, "通知 %d がありません", "no notification %d", id)
		}
		if err != nil {
			return fmt.Errorf("store: notify attempt: %w", err)
		}
		if o.Status != OutboxPending {
			return mamori.Errorf(mamori.Conflict, "通知 %d は既に %s です", "notification %d is already %s", id, o.Status)
		}
		o.Attempts++
		a.Attempt = o.Attempts
		if _, err := tx.ExecContext(ctx, `INSERT INTO notify_attempts (outbox_id, attempt, at, outcome, reason) VALUES ($1, $2, $3, $4, $5)`,
			id, a.Attempt, s.outboxTS(a.At), a.Outcome, a.Reason); err != nil {
			return translate(err, "notify attempt")
		}
		switch {
		case a.Outcome == AttemptSent:
			o.Status, o.LastError = OutboxSent, ""
		case gaveUp:
			o.Status, o.LastError = OutboxGaveUp, a.Reason
		default:
			o.Status, o.LastError, o.NextAttemptAt = OutboxPending, a.Reason, next
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notify_outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4 WHERE id = $5`,
			o.Status, o.Attempts, s.outboxTS(o.NextAttemptAt), o.LastError, id); err != nil {
			return translate(err, "notify attempt")
		}
		out = o
		return nil
	})
	return out, err
}

// OutboxByID returns one notification, or a NotFound error.
func (s *Store) OutboxByID(ctx context.Context, id int64) (Outbox, error) {
	o, err := scanOutbox(s.read.QueryRowContext(ctx, `SELECT `+outboxColumns+` FROM notify_outbox WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return Outbox{}, mamori.Errorf(mamori.NotFound, "通知 %d がありません", "no notification %d", id)
	}
	if err != nil {
		return Outbox{}, fmt.Errorf("store: notify outbox: %w", err)
	}
	return o, nil
}

// FindOutbox returns the notifications in a status ("" for every one),
// newest first, at most limit of them.
func (s *Store) FindOutbox(ctx context.Context, status string, limit int) ([]Outbox, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+outboxColumns+` FROM notify_outbox
		WHERE $1 = '' OR status = $1 ORDER BY id DESC LIMIT $2`, status, limit)
	if err != nil {
		return nil, fmt.Errorf("store: notify outbox: %w", err)
	}
	defer rows.Close()
	var out []Outbox
	for rows.Next() {
		o, err := scanOutbox(rows)
		if err != nil {
			return nil, fmt.Errorf("store: notify outbox: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// OutboxAttempts returns the attempts at one notification, in order.
func (s *Store) OutboxAttempts(ctx context.Context, id int64) ([]OutboxAttempt, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT attempt, at, outcome, reason FROM notify_attempts WHERE outbox_id = $1 ORDER BY attempt`, id)
	if err != nil {
		return nil, fmt.Errorf("store: notify attempts: %w", err)
	}
	defer rows.Close()
	var out []OutboxAttempt
	for rows.Next() {
		var a OutboxAttempt
		var at any
		if err := rows.Scan(&a.Attempt, &at, &a.Outcome, &a.Reason); err != nil {
			return nil, fmt.Errorf("store: notify attempts: %w", err)
		}
		if a.At, err = catalogTime(at); err != nil {
			return nil, fmt.Errorf("store: notify attempts: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
