// Package audit is mamori's audit trail service (DESIGN C9): it records
// security-relevant events (logins, writes, imports, exports, reviews of the
// log itself) in the store's append-only, hash-chained audit_log, keeps the
// chain's keyring file (outside the database), and verifies the chain.
//
// The split with package store: the store assigns seq, prev_hash and hash
// inside the write transaction that appends (only there is the previous row
// certain, so concurrent appenders cannot fork the chain), so the canonical
// encoding, store.AuditMAC, lives beside that SQL. This package holds the
// policy: the names of actors and actions, how details are written, the
// keyring file, and what counts as a broken chain. It has no SQL and imports
// only mamori and store.
package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"iter"
	"slices"

	"mamori"
	"mamori/internal/store"
)

// The actions mamori records. Others may be added; an action is a short
// lowercase word (see Record).
const (
	Login       = "login"        // a successful sign-in
	LoginFailed = "login_failed" // a refused sign-in (wrong password, second factor)
	Logout      = "logout"
	Write       = "write"  // a change to the register through the web or API
	Export      = "export" // data leaving mamori: a register export, a report
	Import      = "import" // a register, catalog or feed file taken in
	Review      = "review" // someone read or verified the audit trail
	// ImportRefused: a file that was refused (nothing written), with why.
	ImportRefused = "import_refused"
	// Check: an evaluation of the controls, which decides the findings.
	Check = "check"
	// Catalog: a catalog taken in, or a parameter set or unset.
	Catalog = "catalog"
	// Match: software matched against the vulnerability feeds.
	Match = "match"
	// Sync: vulnerability feeds fetched from their sources.
	Sync = "sync"
	// APIRead: one API request that read a list or a report.
	APIRead = "api_read"
)

// EveryOrg in an entry's Orgs files it under every organization: it
// touched the whole government (an export without a filter by a user who
// sees everything), so every ministry's auditor finds it, at the cost of
// one row rather than one per organization.
const EveryOrg = store.AuditEveryOrg

// FiledOrgs returns the organizations to file an entry under when it
// concerns all that a user sees (an export without a filter, an API list):
// every organization (EveryOrg) when whole, else the organizations of the
// user's grants that are in view, the tops of what they see. An auditor of
// such an organization, or of one above it, finds the entry; one of a
// bureau below does not learn what a ministry-level account did.
func FiledOrgs(whole bool, u store.User, inView func(string) bool) []string {
	if whole {
		return []string{EveryOrg}
	}
	var out []string
	for _, g := range u.Grants {
		if inView(g.OrgCode) {
			out = append(out, g.OrgCode)
		}
	}
	slices.Sort(out)
	return slices.Compact(out)
}

// maxReasons bounds the reasons a refused import's entry keeps, and
// maxReasonLen each one's length in characters: the entry says why, the
// file itself says the rest.
const (
	maxReasons   = 5
	maxReasonLen = 200
)

// Reasons renders the first problems of err for a refused import's entry:
// at most maxReasons messages (English; Japanese when there is none), each
// cut to maxReasonLen characters, and how many there were.
func Reasons(err error) map[string]any {
	var msgs []string
	n := 0
	add := func(e *mamori.Error) {
		n++
		if len(msgs) < maxReasons {
			m := e.Message
			if m == "" {
				m = e.MessageJA
			}
			if loc := e.Loc.String(); loc != "" {
				m = loc + ": " + m
			}
			if r := []rune(m); len(r) > maxReasonLen {
				m = string(r[:maxReasonLen-1]) + "…"
			}
			msgs = append(msgs, m)
		}
	}
	if ps, ok := errors.AsType[mamori.Problems](err); ok {
		for _, p := range ps {
			add(p)
		}
	} else if e, ok := errors.AsType[*mamori.Error](err); ok {
		add(e)
	} else if err != nil {
		add(&mamori.Error{Message: err.Error()})
	}
	return map[string]any{"problems": n, "reasons": msgs}
}

// System is the actor of events mamori causes itself (scheduled jobs).
const System = "system"

// CLIActor names the person behind a command-line run: "cli:" and the
// operating-system user from USER, or "cli" alone when USER is unset. It
// takes getenv so that a command run in-process names its own environment.
func CLIActor(getenv func(string) string) string {
	if u := getenv("USER"); u != "" {
		return "cli:" + u
	}
	return "cli"
}

// maxAction bounds an action's length: actions are a vocabulary, not text.
const maxAction = 64

// validAction reports whether a is a lowercase word of letters, digits and
// underscores starting with a letter, so that filters and checks can rely
// on exact names.
func validAction(a string) bool {
	if a == "" || len(a) > maxAction || a[0] < 'a' || a[0] > 'z' {
		return false
	}
	for _, c := range []byte(a) {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

// DetailText renders a detail for the detail column: "" for nil, a string
// or []byte as is (plain text or JSON already encoded), anything else as
// JSON, so structured details stay machine-readable.
func DetailText(detail any) (string, error) {
	switch d := detail.(type) {
	case nil:
		return "", nil
	case string:
		return d, nil
	case []byte:
		return string(d), nil
	case json.RawMessage:
		return string(d), nil
	}
	b, err := json.Marshal(detail)
	if err != nil {
		return "", &mamori.Error{Kind: mamori.Invalid, Message: "audit entry: detail cannot be written as JSON",
			MessageJA: "監査記録の detail を JSON にできません", Err: err}
	}
	return string(b), nil
}

// Record appends one event to the audit trail of st and returns it as
// stored, with its seq and hash. actor is a user name, System, or
// CLIActor(…); action one of the constants above or another lowercase word;
// target what the event concerns (entity/code, a file name) and may be "";
// org the organization code it concerns, or "" for none; detail as for
// DetailText.
func Record(ctx context.Context, st *store.Store, actor, action, target, org string, detail any) (store.AuditEntry, error) {
	es, err := RecordAll(ctx, st, actor, action, []Event{{Target: target, Org: org, Detail: detail}})
	if err != nil {
		return store.AuditEntry{}, err
	}
	return es[0], nil
}

// Event is one event of RecordAll: target, org and detail as for Record.
// Orgs are further organizations the event touches (an export of several
// ministries, an import into several): the entry is filed under each, so
// each one's auditor finds it.
type Event struct {
	Target, Org string
	Orgs        []string
	Detail      any
}

// RecordAll appends events of one actor and action to the audit trail in
// one transaction, in order (all or none), and returns them as stored.
func RecordAll(ctx context.Context, st *store.Store, actor, action string, events []Event) ([]store.AuditEntry, error) {
	if !validAction(action) {
		return nil, mamori.Errorf(mamori.Invalid,
			"監査記録の action「%s」は英小文字・数字・_ の語でなければなりません",
			"audit entry: action %q must be a lowercase word of letters, digits and _", action)
	}
	es := make([]store.AuditEntry, len(events))
	for i, ev := range events {
		d, err := DetailText(ev.Detail)
		if err != nil {
			return nil, err
		}
		es[i] = store.AuditEntry{Actor: actor, Action: action, Target: ev.Target, OrgCode: ev.Org, Orgs: ev.Orgs, Detail: d}
	}
	return st.AppendAudits(ctx, es)
}

// Reason says how the chain is broken at Result.FirstBad.
type Reason int

// The reasons, in the order Verify checks a row.
const (
	Intact   Reason = iota // nothing is broken
	Missing                // seq FirstBad is absent: a row was deleted
	Tampered               // the row's hash does not match its content: it was edited
	Relinked               // the row's prev_hash is not the previous row's hash
	// UnknownKey: the row names a key the keyring does not hold (a
	// retired key removed from the keyring file, or a forged key id).
	UnknownKey
	// Downgraded: the row has no key after keyed rows, as a row appended
	// with the published unkeyed encoding would.
	Downgraded
)

func (r Reason) String() string {
	switch r {
	case Missing:
		return "missing"
	case Tampered:
		return "tampered"
	case Relinked:
		return "relinked"
	case UnknownKey:
		return "unknown_key"
	case Downgraded:
		return "downgraded"
	}
	return "intact"
}

// Result is the outcome of verifying the audit trail.
type Result struct {
	Entries  int64  // entries read, up to and including the first bad one
	LastSeq  int64  // seq of the last entry found intact (0 for none)
	LastHash string // hash of that entry (store.AuditGenesis for none)
	FirstBad int64  // the first seq at which the chain is broken; 0 when intact
	Reason   Reason
	Next     int64  // for Missing: the seq found where FirstBad was expected
	KeyID    string // for UnknownKey: the key id the row names
}

// Intact reports whether the whole chain verified.
func (r Result) Intact() bool { return r.Reason == Intact }

// Err returns nil for an intact chain, else a *mamori.Error naming the
// first broken seq and why, in Japanese and English.
func (r Result) Err() error {
	switch r.Reason {
	case Missing:
		if r.LastSeq == 0 {
			return mamori.Errorf(mamori.Conflict,
				"監査証跡が壊れています: seq %d がありません (削除)。最初の記録が seq %d です",
				"audit log broken at seq %d: missing (deleted); the log starts at seq %d", r.FirstBad, r.Next)
		}
		return mamori.Errorf(mamori.Conflict,
			"監査証跡が壊れています: seq %d がありません (削除)。seq %d の次が seq %d です",
			"audit log broken at seq %d: missing (deleted); seq %d is followed by seq %d", r.FirstBad, r.LastSeq, r.Next)
	case Tampered:
		return mamori.Errorf(mamori.Conflict,
			"監査証跡が壊れています: seq %d の内容がハッシュと一致しません (改ざん)",
			"audit log broken at seq %d: hash does not match the content (tampered)", r.FirstBad)
	case Relinked:
		return mamori.Errorf(mamori.Conflict,
			"監査証跡が壊れています: seq %d の prev_hash が直前の記録のハッシュではありません",
			"audit log broken at seq %d: prev_hash is not the hash of the previous entry", r.FirstBad)
	case UnknownKey:
		return mamori.Errorf(mamori.Conflict,
			"監査証跡を検証できません: seq %d は鍵「%s」で記録されていますが、監査鍵ファイルにその鍵がありません (退役した鍵を消したか、偽造)",
			"audit log cannot be verified at seq %d: it names key %q, which the audit keyring does not hold (a retired key removed, or forged)", r.FirstBad, r.KeyID)
	case Downgraded:
		return mamori.Errorf(mamori.Conflict,
			"監査証跡が壊れています: seq %d は鍵なしのハッシュですが、鍵付きの記録の後、または監査鍵ファイルが鍵付きとする seq 以降にあります (偽造)",
			"audit log broken at seq %d: an unkeyed hash after keyed entries, or at or after the seq from which the audit key file says entries are keyed (forged)", r.FirstBad)
	}
	return nil
}

// VerifyEntries checks a chain given in seq order against the keyring keys
// and reports its first broken link. Each entry is checked, in this order,
// for a seq gap (the missing seq is reported: a row was deleted), an entry
// without a key after keyed ones or at or after the seq from which the
// keyring says entries are keyed (store.AuditKeyring.KeyedFrom: appended,
// or the whole log rewritten, with the published unkeyed encoding), a key the keyring lacks, a hash that does not match its
// content under its key (the row was edited, or written without the key),
// and a prev_hash that is not the hash of the entry before (the genesis
// hash for seq 1). Entries written before keys (no key id) verify as a
// plain SHA-256 chain and are filed under no organization list. Reading
// stops at the first break. The error is only for failing to read entries;
// a broken chain is a Result, not an error.
//
// The chain cannot show that its newest entries were removed: the last
// hash, as printed by "mamori audit verify", should be kept outside the
// database (a report, a ticket) so a later run can be compared with it.
func VerifyEntries(keys *store.AuditKeyring, entries iter.Seq2[store.AuditEntry, error]) (Result, error) {
	r := Result{LastHash: store.AuditGenesis}
	keyed := false
	from := keys.KeyedFrom()
	for e, err := range entries {
		if err != nil {
			return r, err
		}
		r.Entries++
		want, known := keys.Hash(e)
		switch {
		case e.Seq != r.LastSeq+1:
			r.FirstBad, r.Reason, r.Next = r.LastSeq+1, Missing, e.Seq
		case e.KeyID == "" && (keyed || from > 0 && e.Seq >= from):
			r.FirstBad, r.Reason = e.Seq, Downgraded
		case !known:
			r.FirstBad, r.Reason, r.KeyID = e.Seq, UnknownKey, e.KeyID
		case want != e.Hash, e.KeyID == "" && len(e.Orgs) > 0:
			r.FirstBad, r.Reason = e.Seq, Tampered
		case e.PrevHash != r.LastHash:
			r.FirstBad, r.Reason = e.Seq, Relinked
		default:
			r.LastSeq, r.LastHash = e.Seq, e.Hash
			keyed = keyed || e.KeyID != ""
			continue
		}
		return r, nil
	}
	return r, nil
}

// errStop ends EachAudit early once VerifyEntries has what it needs.
var errStop = errors.New("audit: stop")

// Entries returns the audit trail of st in seq order, for VerifyEntries.
func Entries(ctx context.Context, st *store.Store) iter.Seq2[store.AuditEntry, error] {
	return func(yield func(store.AuditEntry, error) bool) {
		err := st.EachAudit(ctx, func(e store.AuditEntry) error {
			if !yield(e, nil) {
				return errStop
			}
			return nil
		})
		if err != nil && !errors.Is(err, errStop) {
			yield(store.AuditEntry{}, fmt.Errorf("audit: read: %w", err))
		}
	}
}

// Verify checks the whole audit trail of st with st's keyring; see
// VerifyEntries. The triggers that keep the log append-only are checked by
// store.CheckAuditTriggers, which "audit verify" runs too.
func Verify(ctx context.Context, st *store.Store) (Result, error) {
	return VerifyEntries(st.AuditKeyring(), Entries(ctx, st))
}
