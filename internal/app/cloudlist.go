package app

// The cloudlist commands (issue 15, item 6): import a published ISMAP or
// ISMAP-LIU list file as a dated snapshot, and show the snapshots with
// what they say of the register's cloud services.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"path/filepath"
	"slices"
	"time"

	"mamori/internal/audit"
	"mamori/internal/cloudlist"
	"mamori/internal/store"
)

const cloudlistSynopsis = `cloudlist COMMAND [flags]

Commands:
  import FILE --kind ismap|ismap-liu [--as-of DATE] [--as USER]
                 import a published ISMAP or ISMAP-LIU cloud service list
                 (.xlsx, or .csv in UTF-8 or Shift_JIS) as a dated snapshot;
                 --as-of when the notes above its header do not give the
                 date; with --as, USER must be a central administrator of
                 the whole government
  show [--format table|json]
                 the snapshots of each list, newest first, with their
                 services, and what they say of each register cloud
                 service: listed, dropped off, expired, or unconfirmed`

func runCloudlist(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "cloudlist", cloudlistSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "import":
		return runCloudlistImport(ctx, env, args[1:])
	case "show":
		return runCloudlistShow(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "cloudlist", cloudlistSynopsis, args[0])
}

func runCloudlistImport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "cloudlist import", "cloudlist import [--db DB] FILE --kind ismap|ismap-liu [--as-of DATE] [--as USER]")
	kind := fs.String("kind", "", "which list the file is: ismap or ismap-liu")
	asOf := fs.String("as-of", "", "the date the list is as of (2026-10-01, 令和8年10月1日); default: the date in the file's notes")
	as := fs.String("as", "", "the mamori account that imports (a central administrator of the whole government); default: the command line's operator")
	limits := limitFlags(fs)
	files, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return &UsageError{"cloudlist import takes one FILE"}
	}
	if *kind == "" {
		return &UsageError{"cloudlist import needs --kind ismap or --kind ismap-liu"}
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	path := files[0]
	data, err := readLimited(path, lim)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	req := cloudlist.Request{FileName: filepath.Base(path), Data: data, Kind: *kind, AsOf: *asOf, Limits: lim}
	var snap store.CloudListSnapshot
	if *as != "" {
		u, err := actingUser(ctx, s, *as)
		if err != nil {
			return err
		}
		snap, err = cloudlist.ImportAs(ctx, s, u, req)
		if err != nil {
			return err
		}
	} else if snap, err = cloudlist.Import(ctx, s, audit.CLIActor(env.Getenv), req); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s時点のリストを取り込みました（%d件、SHA-256 %s） / imported the %s list as of %s (%d services)\n",
		listLabel(snap.Kind), snap.AsOf, snap.EntryCount, snap.SHA256[:12], listLabel(snap.Kind), snap.AsOf, snap.EntryCount)
	return nil
}

// parseInterspersed parses flags that may come before or after the
// arguments ("import FILE --kind x" and "import --kind x FILE") and
// returns the arguments.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var out []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		if fs.NArg() == 0 {
			return out, nil
		}
		out = append(out, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func listLabel(kind string) string {
	if kind == store.CloudListLIU {
		return "ISMAP-LIU"
	}
	return "ISMAP"
}

// cloudlistShowJSON is what show --format json writes.
type cloudlistShowJSON struct {
	Snapshots []snapshotJSON      `json:"snapshots"`
	Services  []serviceStatusJSON `json:"services"`
}

type snapshotJSON struct {
	ID         int64  `json:"id"`
	Kind       string `json:"kind"`
	AsOf       string `json:"as_of"`
	File       string `json:"file"`
	SHA256     string `json:"sha256"`
	ImportedBy string `json:"imported_by"`
	Entries    int    `json:"entries"`
	Newest     bool   `json:"newest"`
}

type serviceStatusJSON struct {
	Code         string `json:"code"`
	Provider     string `json:"provider"`
	Name         string `json:"name"`
	Number       string `json:"registration_number,omitempty"`
	Claim        string `json:"claimed_status"`
	State        string `json:"state"` // listed, expired, dropped, not_listed, unconfirmed
	MatchedBy    string `json:"matched_by,omitempty"`
	Kind         string `json:"list,omitempty"`
	AsOf         string `json:"list_as_of,omitempty"`
	ValidUntil   string `json:"valid_until,omitempty"`
	LastListedOn string `json:"last_listed_on,omitempty"`
	ClaimDiffers bool   `json:"claim_differs,omitempty"`
}

var cloudStateJA = map[string]string{"listed": "掲載", "expired": "期限切れ", "dropped": "リストから削除", "not_listed": "未掲載", "unconfirmed": "未確認"}

func runCloudlistShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "cloudlist show", "cloudlist show [--db DB] [--format table|json] [--today DATE]")
	format := fs.String("format", "table", "table or json")
	today := fs.String("today", "", "the date to judge validity on (default: today)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"cloudlist show takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	day, err := checkDay(*today)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	snaps, err := s.CloudListSnapshots(ctx)
	if err != nil {
		return err
	}
	st, err := s.CloudListStatuses(ctx)
	if err != nil {
		return err
	}
	var out cloudlistShowJSON
	seen := map[string]bool{}
	for _, sn := range snaps {
		out.Snapshots = append(out.Snapshots, snapshotJSON{sn.ID, sn.Kind, sn.AsOf, sn.FileName, sn.SHA256, sn.ImportedBy, sn.EntryCount, !seen[sn.Kind]})
		seen[sn.Kind] = true
	}
	codes := make([]string, 0, len(st))
	for c := range st {
		codes = append(codes, c)
	}
	slices.Sort(codes)
	for _, code := range codes {
		c := st[code]
		out.Services = append(out.Services, serviceStatusJSON{c.Code, c.Provider, c.Name, c.Number, c.Claim, c.State(day),
			c.MatchedBy, c.Kind, c.AsOf, c.ValidUntil, c.LastListedOn, c.ClaimDiffers != ""})
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	fmt.Fprintln(env.Stdout, "スナップショット / snapshots")
	if len(out.Snapshots) == 0 {
		fmt.Fprintln(env.Stdout, "  （取込みなし。CLD-03 はすべて未確認になります / none imported: CLD-03 is unconfirmed everywhere）")
	}
	for _, sn := range out.Snapshots {
		newest := ""
		if sn.Newest {
			newest = " 最新/newest"
		}
		fmt.Fprintf(env.Stdout, "  #%d %-9s %s %4d件 %s (%s, by %s)%s\n", sn.ID, listLabel(sn.Kind), sn.AsOf, sn.Entries, sn.File, sn.SHA256[:12], sn.ImportedBy, newest)
	}
	counts := map[string]int{}
	for _, c := range out.Services {
		counts[c.State]++
	}
	fmt.Fprintf(env.Stdout, "クラウドサービス / cloud services: 掲載 listed %d, 期限切れ expired %d, 削除 dropped %d, 未掲載 not listed %d, 未確認 unconfirmed %d\n",
		counts["listed"], counts["expired"], counts["dropped"], counts["not_listed"], counts["unconfirmed"])
	for _, c := range out.Services {
		if c.State == "listed" {
			continue
		}
		detail := ""
		switch c.State {
		case "dropped":
			detail = fmt.Sprintf("%s: %s時点に掲載、%s時点になし / listed as of %s, not as of %s", listLabel(c.Kind), c.LastListedOn, c.AsOf, c.LastListedOn, c.AsOf)
		case "expired":
			detail = fmt.Sprintf("%s: 有効期限 valid until %s", listLabel(c.Kind), c.ValidUntil)
		}
		fmt.Fprintf(env.Stdout, "  %s %s %s（%s）%s %s\n", c.Code, cloudStateJA[c.State], c.Name, c.Provider, c.State, detail)
	}
	return nil
}

// checkDay reads --today: a date, or today's date when empty.
func checkDay(s string) (string, error) {
	if s == "" {
		return time.Now().UTC().Format(time.DateOnly), nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return "", &UsageError{fmt.Sprintf("--today %q: want YYYY-MM-DD", s)}
	}
	return t.Format(time.DateOnly), nil
}
