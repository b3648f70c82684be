package store

// The audit trail (DESIGN C9, migration 7): an append-only table whose rows
// are chained by SHA-256. The store computes the chain itself, inside the
// write transaction that appends, because only there are the previous row
// and the next seq known for certain; a hash computed by a caller could be
// stale (two appenders reading the same last row would fork the chain) or
// computed with a different encoding. There is deliberately no update or
// delete. Package audit builds the service on top: naming actors and
// actions, recording events, and verifying the chain with AuditHash.

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"mamori"
)

// AuditGenesis is the prev_hash of the first entry (seq 1): 64 zeros, the
// hex form of an all-zero SHA-256, which no real entry hashes to.
const AuditGenesis = "0000000000000000000000000000000000000000000000000000000000000000"

// auditTimeLayout renders at: RFC 3339 in UTC with exactly three fraction
// digits, so every value has the same width and text order is time order.
const auditTimeLayout = "2006-01-02T15:04:05.000Z"

// auditHashTag starts every hashed message, so that an audit hash can never
// be mistaken for a hash of some other structure, and a future change of
// encoding can take a new tag.
const auditHashTag = "mamori/audit/v1"

// AuditEntry is one event of the audit trail.
type AuditEntry struct {
	Seq      int64     // 1, 2, 3, … without gaps; assigned by AppendAudit
	At       time.Time // when it was appended, UTC, milliseconds; assigned by AppendAudit
	Actor    string    // a user name, "system", or "cli:<os user>"
	Action   string    // login, login_failed, logout, write, export, import, review, …
	Target   string    // what the event concerns: entity/code, a file name, …
	OrgCode  string    // the organization concerned; "" for none (stored as NULL)
	Detail   string    // JSON or plain text
	PrevHash string    // the Hash of entry Seq-1, or AuditGenesis for seq 1
	Hash     string    // AuditHash of this entry

	// at is the at column exactly as stored, set on entries read back, so
	// that verification hashes the stored characters even when they no
	// longer parse as a time (a tampered row must fail, not error out).
	at string
}

// AtText returns the at column as stored (RFC 3339 UTC with milliseconds):
// the form the hash covers.
func (e AuditEntry) AtText() string {
	if e.at != "" {
		return e.at
	}
	return e.At.UTC().Format(auditTimeLayout)
}

// AuditHash returns the hex SHA-256 that chains e to its predecessor. It
// covers, in this order, seq, at, actor, action, target, org_code, detail
// and prev_hash; not hash itself.
//
// The message is unambiguous: the tag "mamori/audit/v1", then each field as
// its length in bytes (8-byte big-endian unsigned) followed by its bytes.
// seq is 8 bytes big-endian; at is the 24-character text of AtText;
// org_code is "" for none (the table refuses the empty string, so NULL is
// the only "none"); the other fields are their UTF-8 bytes. Because every
// field carries its own length, no choice of values can move bytes from one
// field into another and produce the same message ("ab"+"c" ≠ "a"+"bc").
//
// Changing this encoding invalidates every stored chain: keep it, or add a
// new tag and verify old rows with the old one.
func AuditHash(e AuditEntry) string {
	h := sha256.New()
	var n [8]byte
	field := func(b []byte) {
		binary.BigEndian.PutUint64(n[:], uint64(len(b)))
		h.Write(n[:])
		h.Write(b)
	}
	h.Write([]byte(auditHashTag))
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], uint64(e.Seq))
	field(seq[:])
	for _, s := range []string{e.AtText(), e.Actor, e.Action, e.Target, e.OrgCode, e.Detail, e.PrevHash} {
		field([]byte(s))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// validateAudit checks what the table and both databases accept alike:
// PostgreSQL refuses NUL bytes and invalid UTF-8 in text, SQLite would
// store them, so both are refused here for the same answer everywhere.
func validateAudit(e AuditEntry) error {
	for _, f := range []struct{ name, val string }{
		{"actor", e.Actor}, {"action", e.Action}, {"target", e.Target}, {"org_code", e.OrgCode}, {"detail", e.Detail},
	} {
		if !utf8.ValidString(f.val) || strings.ContainsRune(f.val, 0) {
			return mamori.Errorf(mamori.Invalid, "監査記録の %s に使えない文字があります", "audit entry: %s holds invalid characters", f.name)
		}
	}
	if strings.TrimSpace(e.Actor) == "" {
		return mamori.Errorf(mamori.Invalid, "監査記録の %s が空です", "audit entry: %s is empty", "actor")
	}
	if strings.TrimSpace(e.Action) == "" {
		return mamori.Errorf(mamori.Invalid, "監査記録の %s が空です", "audit entry: %s is empty", "action")
	}
	return nil
}

// AppendAudit adds e to the end of the audit trail and returns it as
// stored. Seq, At, PrevHash and Hash are assigned here (values in e are
// ignored) inside one write transaction, so concurrent appenders, in this
// process or another, queue and cannot fork the chain: on SQLite the
// transaction begins IMMEDIATE on the single writer connection; on
// PostgreSQL it takes an EXCLUSIVE lock on audit_log, which other appenders
// wait for while readers go on. At never goes backwards: if the clock does,
// the entry takes the previous entry's time, so time order stays seq order.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error) {
	out, err := s.AppendAudits(ctx, []AuditEntry{e})
	if err != nil {
		return AuditEntry{}, err
	}
	return out[0], nil
}

// AppendAudits is AppendAudit for several entries, appended in order in
// one transaction: all of them or none. A batch of imports (one entry per
// component) costs one commit rather than one each.
func (s *Store) AppendAudits(ctx context.Context, es []AuditEntry) (out []AuditEntry, err error) {
	for _, e := range es {
		if err := validateAudit(e); err != nil {
			return nil, err
		}
	}
	if len(es) == 0 {
		return nil, nil
	}
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("store: append audit: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
		}
	}()
	if s.dialect == Postgres {
		if _, err := tx.ExecContext(ctx, "LOCK TABLE audit_log IN EXCLUSIVE MODE"); err != nil {
			return nil, fmt.Errorf("store: append audit: lock: %w", err)
		}
	}
	seq, prev := int64(1), AuditGenesis
	now := time.Now().UTC().Truncate(time.Millisecond)
	var lastSeq int64
	var lastAt, lastHash string
	switch err := tx.QueryRowContext(ctx, "SELECT seq, at, hash FROM audit_log ORDER BY seq DESC LIMIT 1").Scan(&lastSeq, &lastAt, &lastHash); {
	case errors.Is(err, sql.ErrNoRows):
	case err != nil:
		return nil, fmt.Errorf("store: append audit: last entry: %w", err)
	default:
		seq, prev = lastSeq+1, lastHash
		if t, err := time.Parse(auditTimeLayout, lastAt); err == nil && t.After(now) {
			now = t
		}
	}
	out = make([]AuditEntry, 0, len(es))
	for _, e := range es {
		e.Seq, e.PrevHash = seq, prev
		// at is kept as text too, so the entry returned equals the entry read back.
		e.At, e.at = now, now.Format(auditTimeLayout)
		e.Hash = AuditHash(e)
		var org any
		if e.OrgCode != "" {
			org = e.OrgCode
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, target, org_code, detail, prev_hash, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			e.Seq, e.AtText(), e.Actor, e.Action, e.Target, org, e.Detail, e.PrevHash, e.Hash)
		if err != nil {
			return nil, translate(err, "insert audit_log")
		}
		out = append(out, e)
		seq, prev = seq+1, e.Hash
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: append audit: commit: %w", err)
	}
	return out, nil
}

// AuditFilter selects entries for AuditEntries. Zero fields select all.
type AuditFilter struct {
	From, To time.Time // From <= at < To
	Actor    string
	Action   string
	OrgCode  string
	// OrgIn restricts entries to these organizations (an auditor's scope);
	// entries with no organization never match it. Nil means no restriction;
	// empty, non-nil matches nothing.
	OrgIn []string
	// Target and Text are case-insensitive substrings of the target, and
	// of any of actor, action, target, organization and detail.
	Target, Text string
	Limit        int // 0 means no limit
	Offset       int
}

const auditCols = "seq, at, actor, action, target, org_code, detail, prev_hash, hash"

// scanAudit reads one row of auditCols.
func scanAudit(rows *sql.Rows) (AuditEntry, error) {
	var e AuditEntry
	var org sql.NullString
	if err := rows.Scan(&e.Seq, &e.at, &e.Actor, &e.Action, &e.Target, &org, &e.Detail, &e.PrevHash, &e.Hash); err != nil {
		return AuditEntry{}, err
	}
	e.OrgCode = org.String
	// A tampered at that does not parse leaves At zero; AtText still
	// returns the stored text, so the hash check reports the row.
	e.At, _ = time.Parse(auditTimeLayout, e.at)
	return e, nil
}

// AuditEntries returns one page of the entries matching f, newest first
// (the order a reviewer reads a log in), and how many match in all.
func (s *Store) AuditEntries(ctx context.Context, f AuditFilter) ([]AuditEntry, int, error) {
	if f.Limit < 0 || f.Offset < 0 {
		return nil, 0, mamori.Errorf(mamori.Invalid, "limit と offset は 0 以上です", "limit and offset must not be negative")
	}
	var conds []string
	var args []any
	add := func(cond string, v any) {
		args = append(args, v)
		conds = append(conds, fmt.Sprintf(cond, len(args)))
	}
	if !f.From.IsZero() {
		add("at >= $%d", f.From.UTC().Format(auditTimeLayout))
	}
	if !f.To.IsZero() {
		add("at < $%d", f.To.UTC().Format(auditTimeLayout))
	}
	if f.Actor != "" {
		add("actor = $%d", f.Actor)
	}
	if f.Action != "" {
		add("action = $%d", f.Action)
	}
	if f.OrgCode != "" {
		add("org_code = $%d", f.OrgCode)
	}
	if f.OrgIn != nil {
		if len(f.OrgIn) == 0 {
			return nil, 0, nil
		}
		var in string
		in, args = orgInClause("org_code", f.OrgIn, args)
		conds = append(conds, strings.TrimPrefix(in, " AND "))
	}
	like := func(s string) string {
		return "%" + strings.NewReplacer(`\`, `\\`, "%", `\%`, "_", `\_`).Replace(strings.ToLower(s)) + "%"
	}
	if f.Target != "" {
		add(`lower(target) LIKE $%d ESCAPE '\'`, like(f.Target))
	}
	if f.Text != "" {
		add(`lower(actor || ' ' || action || ' ' || target || ' ' || COALESCE(org_code, '') || ' ' || detail) LIKE $%d ESCAPE '\'`, like(f.Text))
	}
	where := ""
	if len(conds) > 0 {
		where = " WHERE " + strings.Join(conds, " AND ")
	}
	var total int
	if err := s.read.QueryRowContext(ctx, "SELECT count(*) FROM audit_log"+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: audit entries: %w", err)
	}
	q := "SELECT " + auditCols + " FROM audit_log" + where + " ORDER BY seq DESC"
	if f.Limit > 0 {
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", f.Limit, f.Offset)
	} else if f.Offset > 0 {
		// SQLite takes OFFSET only after a LIMIT, and PostgreSQL has no
		// LIMIT -1: a bound past any real log size means "none" to both.
		q += fmt.Sprintf(" LIMIT %d OFFSET %d", int64(1)<<62, f.Offset)
	}
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: audit entries: %w", err)
	}
	defer rows.Close()
	var out []AuditEntry
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return nil, 0, fmt.Errorf("store: audit entries: %w", err)
		}
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: audit entries: %w", err)
	}
	return out, total, nil
}

// EachAudit calls fn with every entry in seq order, from one consistent
// snapshot, for verification. It stops at the first error fn returns and
// returns that error as is, so a caller can stop early with a sentinel.
func (s *Store) EachAudit(ctx context.Context, fn func(AuditEntry) error) error {
	rows, err := s.read.QueryContext(ctx, "SELECT "+auditCols+" FROM audit_log ORDER BY seq")
	if err != nil {
		return fmt.Errorf("store: each audit: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		e, err := scanAudit(rows)
		if err != nil {
			return fmt.Errorf("store: each audit: %w", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: each audit: %w", err)
	}
	return nil
}
