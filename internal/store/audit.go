package store

// The audit trail (DESIGN C9, migrations 7 and 18): an append-only table
// whose rows are chained by HMAC-SHA256 under a key kept outside the
// database (AuditMAC; rows written before keys by plain SHA-256, AuditHash),
// each filed under the organizations it touches (audit_entry_orgs). The
// store computes the chain itself, inside the
// write transaction that appends, because only there are the previous row
// and the next seq known for certain; a hash computed by a caller could be
// stale (two appenders reading the same last row would fork the chain) or
// computed with a different encoding. There is deliberately no update or
// delete. Package audit builds the service on top: naming actors and
// actions, recording events, reading the keyring file, and verifying the
// chain with AuditKeyring.Hash.

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"regexp"
	"slices"
	"strings"
	"sync/atomic"
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

// AuditEveryOrg, among an entry's Orgs, files it under every organization
// (no real organization code is "*"): AuditFilter's OrgCode and OrgIn
// match it whatever organizations they name.
const AuditEveryOrg = "*"

// AuditEntry is one event of the audit trail.
type AuditEntry struct {
	Seq     int64     // 1, 2, 3, … without gaps; assigned by AppendAudit
	At      time.Time // when it was appended, UTC, milliseconds; assigned by AppendAudit
	Actor   string    // a user name, "system", or "cli:<os user>"
	Action  string    // login, login_failed, logout, write, export, import, review, …
	Target  string    // what the event concerns: entity/code, a file name, …
	OrgCode string    // the organization concerned; "" for none (stored as NULL)
	Detail  string    // JSON or plain text
	// Orgs are every organization the entry is filed under, sorted and
	// without repeats; OrgCode is among them when set. AppendAudit adds
	// OrgCode itself. Entries written before keys have none.
	Orgs     []string
	PrevHash string // the Hash of entry Seq-1, or AuditGenesis for seq 1
	// KeyID names the keyring key whose HMAC is Hash (AuditMAC); "" for
	// the entries written before keys, whose Hash is AuditHash.
	KeyID string
	Hash  string

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

// auditMACTag starts every keyed message (AuditMAC).
const auditMACTag = "mamori/audit/v2"

// AuditMAC returns the hex HMAC-SHA256 under secret that chains e, an entry
// of a keyed chain, to its predecessor. The message is built as AuditHash's
// (each field as its 8-byte big-endian length and its bytes) after the tag
// "mamori/audit/v2": seq, at, actor, action, target, org_code, then the
// number of Orgs (8 bytes) and each of them, detail, prev_hash, key_id.
// Without the secret nobody can compute a hash that verifies, so an entry
// appended or rewritten by someone with only database access is found.
func AuditMAC(e AuditEntry, secret []byte) string {
	h := hmac.New(sha256.New, secret)
	var n [8]byte
	num := func(v uint64) {
		binary.BigEndian.PutUint64(n[:], v)
		h.Write(n[:])
	}
	field := func(s string) {
		num(uint64(len(s)))
		h.Write([]byte(s))
	}
	h.Write([]byte(auditMACTag))
	var seq [8]byte
	binary.BigEndian.PutUint64(seq[:], uint64(e.Seq))
	field(string(seq[:]))
	for _, s := range []string{e.AtText(), e.Actor, e.Action, e.Target, e.OrgCode} {
		field(s)
	}
	num(uint64(len(e.Orgs)))
	for _, o := range e.Orgs {
		field(o)
	}
	for _, s := range []string{e.Detail, e.PrevHash, e.KeyID} {
		field(s)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// AuditKey is one key of an AuditKeyring.
type AuditKey struct {
	ID     string // AuditKeyID(Secret)
	Secret []byte // at least 32 bytes
}

// AuditKeyID derives a key's id from its secret: 16 hex digits of a
// SHA-256 that is not the key's HMAC of anything, so the id reveals
// nothing usable and a key pasted into the wrong line is caught.
func AuditKeyID(secret []byte) string {
	sum := sha256.Sum256(append([]byte("mamori/audit/key-id\x00"), secret...))
	return hex.EncodeToString(sum[:8])
}

// MinAuditKeyLen is the shortest secret an AuditKeyring accepts (bytes).
const MinAuditKeyLen = 32

// AuditKeyring holds the keys of the audit chain: the current one, which
// new entries are signed with, and the retired ones kept to verify older
// entries. It lives outside the database (package audit reads it from a
// file); a Store only holds it in memory.
type AuditKeyring struct {
	keys    map[string][]byte
	current AuditKey
	// from is the first seq the keyring says is keyed: every entry at or
	// after it must carry a key (KeyedFrom). 0 until known: the keyring
	// file records it (package audit), and a keyring that does not know
	// it learns it from the first entry it signs.
	from atomic.Int64
}

// NewAuditKeyring returns a keyring of keys; the last one is current. Each
// secret must be MinAuditKeyLen bytes or more and each ID its
// AuditKeyID.
func NewAuditKeyring(keys ...AuditKey) (*AuditKeyring, error) {
	if len(keys) == 0 {
		return nil, mamori.Errorf(mamori.Invalid, "監査鍵がありません", "no audit key")
	}
	k := &AuditKeyring{keys: map[string][]byte{}}
	for i, key := range keys {
		if len(key.Secret) < MinAuditKeyLen {
			return nil, mamori.Errorf(mamori.Invalid, "監査鍵 %d 番目が短すぎます (%d バイト、%d バイト以上必要)",
				"audit key %d is too short (%d bytes, want %d or more)", i+1, len(key.Secret), MinAuditKeyLen)
		}
		if id := AuditKeyID(key.Secret); key.ID != id {
			return nil, mamori.Errorf(mamori.Invalid, "監査鍵 %d 番目の ID「%s」が鍵と一致しません (鍵の ID は %s)",
				"audit key %d: id %q does not match its secret (whose id is %s)", i+1, key.ID, id)
		}
		k.keys[key.ID] = slices.Clone(key.Secret)
		k.current = AuditKey{ID: key.ID, Secret: k.keys[key.ID]}
	}
	return k, nil
}

// NewAuditKey returns a fresh random key.
func NewAuditKey() AuditKey {
	secret := make([]byte, MinAuditKeyLen)
	rand.Read(secret)
	return AuditKey{ID: AuditKeyID(secret), Secret: secret}
}

// EphemeralAuditKeyring returns a keyring of one fresh random key, kept
// nowhere: entries signed with it verify only while this process runs.
// It suits an in-memory demo and tests; a Store starts with one.
func EphemeralAuditKeyring() *AuditKeyring {
	k, _ := NewAuditKeyring(NewAuditKey())
	return k
}

// KeyedFrom returns the first seq from which every entry must be keyed, as
// the keyring (kept outside the database) knows it; 0 when it does not.
// An entry without a key at or after it was rewritten with the published
// unkeyed encoding (AuditHash): the database cannot vouch for this, since
// whoever can write it can remove every keyed entry.
func (k *AuditKeyring) KeyedFrom() int64 { return k.from.Load() }

// SetKeyedFrom records seq as the first seq from which entries are keyed,
// unless an earlier one is known already; seq <= 0 is ignored.
func (k *AuditKeyring) SetKeyedFrom(seq int64) {
	for seq > 0 {
		old := k.from.Load()
		if (old != 0 && old <= seq) || k.from.CompareAndSwap(old, seq) {
			return
		}
	}
}

// CurrentID returns the id of the key new entries are signed with.
func (k *AuditKeyring) CurrentID() string { return k.current.ID }

// Has reports whether the keyring holds the key named id.
func (k *AuditKeyring) Has(id string) bool {
	_, ok := k.keys[id]
	return ok
}

// Hash returns the hash e should carry: AuditHash for an entry written
// before keys (KeyID ""), else AuditMAC under the key KeyID names; ok is
// false when the keyring lacks that key.
func (k *AuditKeyring) Hash(e AuditEntry) (hash string, ok bool) {
	if e.KeyID == "" {
		return AuditHash(e), true
	}
	secret, ok := k.keys[e.KeyID]
	if !ok {
		return "", false
	}
	return AuditMAC(e, secret), true
}

// SetAuditKeyring makes k the keyring that signs new entries and verifies
// stored ones. Open starts a Store with an EphemeralAuditKeyring.
func (s *Store) SetAuditKeyring(k *AuditKeyring) { s.auditKeys.Store(k) }

// AuditKeyring returns the keyring set by SetAuditKeyring.
func (s *Store) AuditKeyring() *AuditKeyring { return s.auditKeys.Load() }

// auditOrgs returns the organizations e is filed under: OrgCode and Orgs,
// sorted, without repeats or empty codes; nil for none.
func auditOrgs(e AuditEntry) []string {
	var out []string
	for _, o := range append([]string{e.OrgCode}, e.Orgs...) {
		if o != "" {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// validateAudit checks what the table and both databases accept alike:
// PostgreSQL refuses NUL bytes and invalid UTF-8 in text, SQLite would
// store them, so both are refused here for the same answer everywhere.
func validateAudit(e AuditEntry) error {
	fields := []struct{ name, val string }{
		{"actor", e.Actor}, {"action", e.Action}, {"target", e.Target}, {"org_code", e.OrgCode}, {"detail", e.Detail},
	}
	for _, o := range e.Orgs {
		fields = append(fields, struct{ name, val string }{"orgs", o})
	}
	for _, f := range fields {
		if !utf8.ValidString(f.val) || strings.ContainsRune(f.val, 0) {
			return mamori.Errorf(mamori.Invalid, "監査記録の %s に使えない文字があります", "audit entry: %s holds invalid characters", f.name)
		}
	}
	for _, o := range e.Orgs {
		if strings.ContainsFunc(o, func(r rune) bool { return r < ' ' || r == 0x7f }) {
			return mamori.Errorf(mamori.Invalid, "監査記録の %s に使えない文字があります", "audit entry: %s holds invalid characters", "orgs")
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
	keys := s.AuditKeyring()
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
		e.Orgs = auditOrgs(e)
		e.KeyID = keys.current.ID
		e.Hash = AuditMAC(e, keys.current.Secret)
		var org any
		if e.OrgCode != "" {
			org = e.OrgCode
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO audit_log (seq, at, actor, action, target, org_code, detail, prev_hash, key_id, hash)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			e.Seq, e.AtText(), e.Actor, e.Action, e.Target, org, e.Detail, e.PrevHash, e.KeyID, e.Hash)
		if err != nil {
			return nil, translate(err, "insert audit_log")
		}
		for _, o := range e.Orgs {
			if _, err = tx.ExecContext(ctx, "INSERT INTO audit_entry_orgs (seq, org_code) VALUES ($1, $2)", e.Seq, o); err != nil {
				return nil, translate(err, "insert audit_entry_orgs")
			}
		}
		out = append(out, e)
		seq, prev = seq+1, e.Hash
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("store: append audit: commit: %w", err)
	}
	if len(out) > 0 {
		// A keyring that did not know from where entries are keyed (one
		// kept nowhere, or a key file of an earlier version) knows it now.
		keys.SetKeyedFrom(out[0].Seq)
	}
	return out, nil
}

// AuditFilter selects entries for AuditEntries. Zero fields select all.
type AuditFilter struct {
	From, To time.Time // From <= at < To
	Actor    string
	Action   string
	// OrgCode selects the entries filed under this organization.
	OrgCode string
	// OrgIn restricts entries to those filed under any of these
	// organizations (an auditor's scope); entries with no organization
	// never match it. Nil means no restriction; empty, non-nil matches
	// nothing.
	OrgIn []string
	// Target and Text are case-insensitive substrings of the target, and
	// of any of actor, action, target, organization and detail.
	Target, Text string
	Limit        int // 0 means no limit
	Offset       int
}

// auditCols returns the columns scanAudit reads, the entry's organizations
// gathered from audit_entry_orgs as one text joined by U+001F (org codes
// hold no control characters).
func (s *Store) auditCols() string {
	agg := "group_concat(o.org_code, char(31))"
	if s.dialect == Postgres {
		agg = "string_agg(o.org_code, chr(31))"
	}
	return "seq, at, actor, action, target, org_code, detail, prev_hash, key_id, hash, " +
		"(SELECT " + agg + " FROM audit_entry_orgs o WHERE o.seq = audit_log.seq)"
}

// scanAudit reads one row of auditCols.
func scanAudit(rows *sql.Rows) (AuditEntry, error) {
	var e AuditEntry
	var org, keyID, orgs sql.NullString
	if err := rows.Scan(&e.Seq, &e.at, &e.Actor, &e.Action, &e.Target, &org, &e.Detail, &e.PrevHash, &keyID, &e.Hash, &orgs); err != nil {
		return AuditEntry{}, err
	}
	e.OrgCode, e.KeyID = org.String, keyID.String
	if orgs.String != "" {
		e.Orgs = strings.Split(orgs.String, "\x1f")
		slices.Sort(e.Orgs)
	}
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
	// An entry is filed under org_code and under its audit_entry_orgs rows
	// (entries written before that table have only org_code).
	filed := func(orgs []string) {
		var in, in2 string
		in, args = orgInClause("org_code", orgs, args)
		in2, args = orgInClause("o.org_code", orgs, args)
		args = append(args, AuditEveryOrg)
		every := fmt.Sprintf(" OR o.org_code = $%d", len(args))
		conds = append(conds, "("+strings.TrimPrefix(in, " AND ")+
			" OR EXISTS (SELECT 1 FROM audit_entry_orgs o WHERE o.seq = audit_log.seq AND ("+strings.TrimPrefix(in2, " AND ")+every+")))")
	}
	if f.OrgCode != "" {
		filed([]string{f.OrgCode})
	}
	if f.OrgIn != nil {
		if len(f.OrgIn) == 0 {
			return nil, 0, nil
		}
		filed(f.OrgIn)
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
	q := "SELECT " + s.auditCols() + " FROM audit_log" + where + " ORDER BY seq DESC"
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
	rows, err := s.read.QueryContext(ctx, "SELECT "+s.auditCols()+" FROM audit_log ORDER BY seq")
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

// auditTrigger is a trigger that keeps the audit tables append-only: its
// name and table. What its definition must be is read from the embedded
// migrations (auditTriggerDefs), so the check cannot drift from them.
type auditTrigger struct {
	name, table string
}

var auditTriggers = map[Dialect][]auditTrigger{
	SQLite: {
		{"audit_log_no_update", "audit_log"},
		{"audit_log_no_delete", "audit_log"},
		{"audit_log_no_replace", "audit_log"},
		{"audit_entry_orgs_no_update", "audit_entry_orgs"},
		{"audit_entry_orgs_no_delete", "audit_entry_orgs"},
		{"audit_entry_orgs_no_replace", "audit_entry_orgs"},
	},
	Postgres: {
		{"audit_log_no_change", "audit_log"},
		{"audit_log_no_truncate", "audit_log"},
		{"audit_entry_orgs_no_change", "audit_entry_orgs"},
		{"audit_entry_orgs_no_truncate", "audit_entry_orgs"},
	},
}

// auditTriggerWant is what a migrated database holds for one trigger,
// whitespace-normalized (normSQL): SQLite's sqlite_master.sql; on
// PostgreSQL, pg_get_triggerdef's text without schema names, and the body
// (pg_proc.prosrc) of the function the trigger runs.
type auditTriggerWant struct {
	def, funcBody string
}

var (
	sqliteTriggerRE = regexp.MustCompile(`(?is)\bCREATE\s+TRIGGER\s+(\w+)\b.*?\bEND\s*;`)
	pgTriggerRE     = regexp.MustCompile(`(?is)\bCREATE\s+TRIGGER\s+(\w+)\s+(BEFORE|AFTER)\s+(.+?)\s+ON\s+(\w+)\s+FOR\s+EACH\s+(ROW|STATEMENT)\s+EXECUTE\s+FUNCTION\s+(\w+)\(\)\s*;`)
	pgFunctionRE    = regexp.MustCompile(`(?is)\bCREATE\s+(?:OR\s+REPLACE\s+)?FUNCTION\s+(\w+)\(\)\s+RETURNS\s+trigger\b.*?\$\$(.*?)\$\$`)
	// pgSchemaRE matches a schema qualifier pg_get_triggerdef may put
	// before a name (the tests, and some deployments, use a schema of
	// their own).
	pgSchemaRE = regexp.MustCompile(`(?:"[^"]+"|\w+)\.(\w+)`)
)

// pgEventOrder is the order in which pg_get_triggerdef lists events.
var pgEventOrder = []string{"INSERT", "DELETE", "UPDATE", "TRUNCATE"}

// normSQL collapses runs of white space to one space and trims a final
// semicolon, so a definition compares equal however it was indented.
func normSQL(q string) string {
	return strings.TrimSuffix(strings.TrimSpace(strings.Join(strings.Fields(q), " ")), ";")
}

// auditTriggerDefs reads the definitions of the append-only triggers
// from the embedded migrations of dialect (the Up part of each file, in
// order; a later definition replaces an earlier one).
func auditTriggerDefs(dialect Dialect) (map[string]auditTriggerWant, error) {
	dir := "migrations/" + dialect.String()
	files, err := fs.Glob(migrations, dir+"/*.sql")
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	defs, funcs := map[string]auditTriggerWant{}, map[string]string{}
	type pgTrig struct{ name, fn string }
	var pg []pgTrig
	for _, f := range files {
		b, err := fs.ReadFile(migrations, f)
		if err != nil {
			return nil, err
		}
		up, _, _ := strings.Cut(string(b), "-- +goose Down")
		if dialect == SQLite {
			for _, m := range sqliteTriggerRE.FindAllStringSubmatch(up, -1) {
				defs[m[1]] = auditTriggerWant{def: normSQL(m[0])}
			}
			continue
		}
		for _, m := range pgFunctionRE.FindAllStringSubmatch(up, -1) {
			funcs[m[1]] = normSQL(m[2])
		}
		for _, m := range pgTriggerRE.FindAllStringSubmatch(up, -1) {
			events := strings.Fields(strings.ToUpper(strings.ReplaceAll(m[3], " OR ", " ")))
			slices.SortFunc(events, func(a, b string) int { return slices.Index(pgEventOrder, a) - slices.Index(pgEventOrder, b) })
			var evs []string
			for _, e := range events {
				if e != "OR" {
					evs = append(evs, e)
				}
			}
			def := fmt.Sprintf("CREATE TRIGGER %s %s %s ON %s FOR EACH %s EXECUTE FUNCTION %s()",
				m[1], strings.ToUpper(m[2]), strings.Join(evs, " OR "), m[4], strings.ToUpper(m[5]), m[6])
			defs[m[1]] = auditTriggerWant{def: def}
			pg = append(pg, pgTrig{m[1], m[6]})
		}
	}
	for _, t := range pg {
		body, ok := funcs[t.fn]
		if !ok {
			return nil, fmt.Errorf("%s: trigger %s runs %s(), which no migration defines", dir, t.name, t.fn)
		}
		w := defs[t.name]
		w.funcBody = body
		defs[t.name] = w
	}
	for _, t := range auditTriggers[dialect] {
		if _, ok := defs[t.name]; !ok {
			return nil, fmt.Errorf("%s: no migration defines trigger %s", dir, t.name)
		}
	}
	return defs, nil
}

// CheckAuditTriggers checks that the triggers that refuse to change,
// delete or replace audit entries are in place and enabled, as the
// migrations made them, and names the first one that is not. Dropping them
// takes DDL rights and leaves the hash chain as the only guard, so mamori
// refuses to start, and "audit verify" fails, without them.
func (s *Store) CheckAuditTriggers(ctx context.Context) error {
	bad, err := s.MissingAuditTriggers(ctx)
	if err != nil {
		return err
	}
	if len(bad) > 0 {
		return mamori.Errorf(mamori.Conflict,
			"監査証跡を追記専用に保つトリガー %s がないか、無効か、書き換えられています。監査証跡は改ざんから守られていません。バックアップから戻すか、マイグレーションの定義どおりに作り直してください",
			"the triggers that keep the audit log append-only are missing, disabled or altered: %s; the log is unguarded: restore a backup or recreate them as the migrations define them",
			strings.Join(bad, ", "))
	}
	return nil
}

// MissingAuditTriggers lists, as "name (table)", the append-only triggers
// that are missing, disabled or altered; none when all are in place. A
// trigger is altered when its definition, whitespace aside, is not the
// one the migrations create (a WHEN clause added, another event, another
// body); on PostgreSQL also when the body of the function it runs is not.
func (s *Store) MissingAuditTriggers(ctx context.Context) ([]string, error) {
	defs, err := auditTriggerDefs(s.dialect)
	if err != nil {
		return nil, fmt.Errorf("store: check audit triggers: %w", err)
	}
	var bad []string
	for _, want := range auditTriggers[s.dialect] {
		var ok bool
		var err error
		if s.dialect == Postgres {
			ok, err = s.pgTriggerOK(ctx, want, defs[want.name])
		} else {
			ok, err = s.sqliteTriggerOK(ctx, want, defs[want.name])
		}
		if err != nil {
			return nil, fmt.Errorf("store: check audit triggers: %w", err)
		}
		if !ok {
			bad = append(bad, want.name+" ("+want.table+")")
		}
	}
	return bad, nil
}

func (s *Store) sqliteTriggerOK(ctx context.Context, want auditTrigger, def auditTriggerWant) (bool, error) {
	var table, got string
	err := s.read.QueryRowContext(ctx, "SELECT tbl_name, sql FROM sqlite_master WHERE type = 'trigger' AND name = $1", want.name).Scan(&table, &got)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return table == want.table && normSQL(got) == def.def, nil
}

func (s *Store) pgTriggerOK(ctx context.Context, want auditTrigger, def auditTriggerWant) (bool, error) {
	var enabled, got, src string
	err := s.read.QueryRowContext(ctx, `SELECT t.tgenabled, pg_get_triggerdef(t.oid), p.prosrc FROM pg_trigger t JOIN pg_proc p ON p.oid = t.tgfoid
		WHERE t.tgrelid = to_regclass($1) AND t.tgname = $2`, want.table, want.name).Scan(&enabled, &got, &src)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	// 'D' is disabled; 'O' (origin), 'A' (always) and 'R' (replica) fire.
	got = pgSchemaRE.ReplaceAllString(normSQL(got), "$1")
	return enabled != "D" && got == def.def && normSQL(src) == def.funcBody, nil
}

// LastAuditSeq returns the seq of the newest audit entry, 0 for none.
func (s *Store) LastAuditSeq(ctx context.Context) (int64, error) {
	var seq sql.NullInt64
	if err := s.read.QueryRowContext(ctx, "SELECT MAX(seq) FROM audit_log").Scan(&seq); err != nil {
		return 0, fmt.Errorf("store: last audit seq: %w", err)
	}
	return seq.Int64, nil
}

// AuditKeyIDs returns the ids of the keys that signed stored entries, in no
// particular order: before a new keyring is made, it tells whether entries
// already depend on one that is missing.
func (s *Store) AuditKeyIDs(ctx context.Context) ([]string, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT DISTINCT key_id FROM audit_log WHERE key_id IS NOT NULL")
	if err != nil {
		return nil, fmt.Errorf("store: audit key ids: %w", err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("store: audit key ids: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: audit key ids: %w", err)
	}
	return out, nil
}
