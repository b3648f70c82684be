package app

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
)

const auditSynopsis = `audit COMMAND [flags]

Commands:
  verify                  check the hash chain of the audit log; exit 0 when intact,
                          1 naming the first broken seq and why (missing, tampered,
                          relinked)
  list [--actor A] [--action X] [--org CODE] [--since YYYY-MM-DD] [--limit N] [--format table|json]
                          entries newest first; --since is a date in Japan time
                          (UTC+9) or an RFC 3339 time; --org: entries filed under
                          that organization
  rotate-key              add a new key to the audit key file: it signs the
                          entries from now on, the older keys stay to verify
                          theirs

verify also checks the triggers that keep the log append-only. Each run of
verify and list is itself recorded as a "review" entry (actor cli:$USER, or
cli), so reviews of the log leave evidence in the log.

The entries are chained by HMAC-SHA256 under a key kept outside the database,
in the file ` + EnvAuditKeyFile + ` names, by default the SQLite file's path with
".audit-key" added; it is created (mode 0600) on first use.`

func runAudit(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "audit", auditSynopsis, args, false)
	if done {
		return err
	}
	sub, rest := args[0], args[1:]
	switch sub {
	case "verify":
		return runAuditVerify(ctx, env, rest)
	case "list":
		return runAuditList(ctx, env, rest)
	case "rotate-key":
		return runAuditRotateKey(ctx, env, rest)
	}
	return unknownSubcommand(env, "audit", auditSynopsis, sub)
}

func runAuditVerify(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "audit verify", "audit verify [--db DB]")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"audit verify takes no arguments"}
	}
	// Opened without the trigger check, which is reported below together
	// with the chain: a log that lost its guard must still be verifiable.
	s, err := openStoreUnguarded(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := audit.Verify(ctx, s)
	if err != nil {
		return err
	}
	trigErr := s.CheckAuditTriggers(ctx)
	detail := map[string]any{"command": "audit verify", "entries": res.Entries, "intact": res.Intact() && trigErr == nil}
	if !res.Intact() {
		detail["first_bad"] = res.FirstBad
		detail["reason"] = res.Reason.String()
	}
	if trigErr != nil {
		detail["triggers"] = "missing or altered"
	}
	// Recorded before anything is printed: a review that cannot be
	// recorded is refused rather than left without evidence.
	if _, err := audit.Record(ctx, s, audit.CLIActor(env.Getenv), audit.Review, "audit_log", "", detail); err != nil {
		return err
	}
	var problems mamori.Problems
	for _, err := range []error{res.Err(), trigErr} {
		if me, ok := errors.AsType[*mamori.Error](err); ok {
			problems = append(problems, me)
		} else if err != nil {
			return err
		}
	}
	switch len(problems) {
	case 1:
		return problems[0]
	case 2:
		return problems
	}
	fmt.Fprintf(env.Stdout, "audit log intact: %d entries, last hash %s\n", res.Entries, res.LastHash)
	return nil
}

// japanTime is the zone of a --since date: mamori's users are Japanese
// government bodies, and Japan keeps UTC+9 all year.
var japanTime = mamori.Japan

// parseSince reads --since: a date (midnight Japan time) or an RFC 3339 time.
func parseSince(v string) (time.Time, error) {
	if t, err := time.ParseInLocation(time.DateOnly, v, japanTime); err == nil {
		return t, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	return time.Time{}, &UsageError{fmt.Sprintf("--since %q: want YYYY-MM-DD or an RFC 3339 time", v)}
}

// auditJSON is an entry as "audit list --format json" writes it: at as the
// stored text, the form its hash covers.
type auditJSON struct {
	Seq      int64    `json:"seq"`
	At       string   `json:"at"`
	Actor    string   `json:"actor"`
	Action   string   `json:"action"`
	Target   string   `json:"target,omitempty"`
	OrgCode  string   `json:"org_code,omitempty"`
	Orgs     []string `json:"orgs,omitempty"`
	Detail   string   `json:"detail,omitempty"`
	PrevHash string   `json:"prev_hash"`
	KeyID    string   `json:"key_id,omitempty"`
	Hash     string   `json:"hash"`
}

// maxDetailWidth bounds the detail column of the table; JSON has it whole.
const maxDetailWidth = 60

// oneLine fits s in a table cell: control characters (a tab would split
// the column) become spaces, and long text is cut with "…".
func oneLine(s string, width int) string {
	s = strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
	if r := []rune(s); len(r) > width {
		return string(r[:width-1]) + "…"
	}
	return s
}

func runAuditList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "audit list", "audit list [--db DB] [--actor A] [--action X] [--org CODE] [--since YYYY-MM-DD] [--limit N] [--format table|json]")
	actor := fs.String("actor", "", "only entries by this actor")
	action := fs.String("action", "", "only entries of this action")
	org := fs.String("org", "", "only entries filed under this organization")
	since := fs.String("since", "", "only entries from this date (Japan time) or RFC 3339 time on")
	limit := fs.Int("limit", 100, "at most this many entries, newest first (0 for all)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"audit list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	if *limit < 0 {
		return &UsageError{fmt.Sprintf("--limit %d: want 0 or more", *limit)}
	}
	f := store.AuditFilter{Actor: *actor, Action: *action, OrgCode: *org, Limit: *limit}
	if *since != "" {
		t, err := parseSince(*since)
		if err != nil {
			return err
		}
		f.From = t
	}
	// A log that lost its guard can still be read; "audit verify" says so.
	s, err := openStoreUnguarded(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	entries, total, err := s.AuditEntries(ctx, f)
	if err != nil {
		return err
	}
	filter := map[string]any{}
	for k, v := range map[string]string{"actor": *actor, "action": *action, "org": *org, "since": *since} {
		if v != "" {
			filter[k] = v
		}
	}
	detail := map[string]any{"command": "audit list", "filter": filter, "shown": len(entries), "total": total}
	// Recorded before anything is printed: a review that cannot be
	// recorded is refused rather than left without evidence. The entry
	// shows in the next listing, not this one.
	if _, err := audit.Record(ctx, s, audit.CLIActor(env.Getenv), audit.Review, "audit_log", "", detail); err != nil {
		return err
	}
	if *format == "json" {
		out := struct {
			Total   int         `json:"total"`
			Entries []auditJSON `json:"entries"`
		}{Total: total, Entries: make([]auditJSON, len(entries))}
		for i, e := range entries {
			out.Entries[i] = auditJSON{Seq: e.Seq, At: e.AtText(), Actor: e.Actor, Action: e.Action, Target: e.Target,
				OrgCode: e.OrgCode, Orgs: e.Orgs, Detail: e.Detail, PrevHash: e.PrevHash, KeyID: e.KeyID, Hash: e.Hash}
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "seq\tat (UTC)\tactor\taction\ttarget\torg\tdetail")
	for _, e := range entries {
		// The organizations it is filed under ("*": every one), when not one.
		org := e.OrgCode
		if org == "" {
			org = strings.Join(e.Orgs, " ")
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\n", e.Seq, e.AtText(), oneLine(e.Actor, 40), oneLine(e.Action, 40),
			oneLine(e.Target, 40), oneLine(org, 40), oneLine(e.Detail, maxDetailWidth))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d / %d 件 / %d of %d entries\n", len(entries), total, len(entries), total)
	return nil
}

func runAuditRotateKey(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "audit rotate-key", "audit rotate-key [--db DB]")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"audit rotate-key takes no arguments"}
	}
	d := dsn(env, *db, DefaultDB)
	s, err := openStore(ctx, env, d)
	if err != nil {
		return err
	}
	defer s.Close()
	path, err := auditKeyFile(env, d)
	if err != nil {
		return err
	}
	old := s.AuditKeyring().CurrentID()
	last, err := s.LastAuditSeq(ctx)
	if err != nil {
		return err
	}
	k, err := audit.RotateKey(path, last+1)
	if err != nil {
		return err
	}
	kr, err := audit.LoadKeyring(path)
	if err != nil {
		return err
	}
	s.SetAuditKeyring(kr)
	// The first entry signed with the new key says so.
	if err := record(ctx, env, s, audit.Write, "audit_key", map[string]string{"event": "rotate-key", "old_key": old, "new_key": k.ID}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "監査鍵を追加しました: %s (以前の鍵 %s は検証用に残します) / new audit key %s; the previous key %s stays to verify older entries\n",
		k.ID, old, k.ID, old)
	return nil
}

// recordEvery appends an entry, as record does, filed under every
// organization: for commands that work on the whole register or decide
// every organization's findings (an import or export of the register, a
// check, a catalog change, a feed, a match run), so that each ministry's
// auditor sees them.
func recordEvery(ctx context.Context, env *Env, s *store.Store, action, target string, detail any) error {
	return recordUnder(ctx, env, s, action, target, []string{audit.EveryOrg}, detail)
}

// recordUnder appends an entry filed under orgs.
func recordUnder(ctx context.Context, env *Env, s *store.Store, action, target string, orgs []string, detail any) error {
	_, err := audit.RecordAll(ctx, s, audit.CLIActor(env.Getenv), action, []audit.Event{{Target: target, Orgs: orgs, Detail: detail}})
	return err
}

// componentOrgs files an entry about a component under the organization of
// its system, so that the ministry's own auditor finds the SBOM import.
func componentOrgs(ctx context.Context, s *store.Store, component string) []string {
	components := mamori.EntityByName("components")
	rec, err := s.Get(ctx, components, component)
	if err != nil {
		return nil
	}
	system, _ := rec[components.FieldIndex("system_code")].(string)
	if system == "" {
		return nil
	}
	return scopeOrgs(ctx, s, "", system)
}

// scopeOrgs files a command's entry under its --org (which stands for its
// subtree), else its --system's organization, else every organization.
func scopeOrgs(ctx context.Context, s *store.Store, org, system string) []string {
	if org != "" {
		return []string{org}
	}
	if system != "" {
		systems := mamori.EntityByName("systems")
		if rec, err := s.Get(ctx, systems, system); err == nil {
			if o, ok := rec[systems.FieldIndex("org_code")].(string); ok && o != "" {
				return []string{o}
			}
		}
	}
	return []string{audit.EveryOrg}
}

// clipText cuts s to at most n characters, marking the cut with "…".
func clipText(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// record appends an entry to the audit trail for a command that wrote to
// or took data out of the store, as the person running the command.
func record(ctx context.Context, env *Env, s *store.Store, action, target string, detail any) error {
	_, err := audit.Record(ctx, s, audit.CLIActor(env.Getenv), action, target, "", detail)
	return err
}
