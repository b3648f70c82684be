package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/store"
)

// openWithCatalogs opens the store and loads the catalogs in force (see
// loadCatalogs): what check and the reports all start from. The caller
// closes the store.
func openWithCatalogs(ctx context.Context, env *Env, db string) (*store.Store, []*catalog.Catalog, error) {
	s, err := openStore(ctx, env, dsn(env, db, DefaultDB))
	if err != nil {
		return nil, nil, err
	}
	cats, err := loadCatalogs(ctx, s)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, cats, nil
}

// loadCatalogs returns the catalogs in force: the embedded ones, then the
// user catalogs stored in s (by ID), with this deployment's parameter
// overrides applied. Every command that evaluates or shows controls goes
// through it, so check, show and export agree.
func loadCatalogs(ctx context.Context, s *store.Store) ([]*catalog.Catalog, error) {
	cats, err := allCatalogs(ctx, s, "")
	if err != nil {
		return nil, err
	}
	overrides, err := s.ParamOverrides(ctx)
	if err != nil {
		return nil, err
	}
	for _, o := range overrides {
		c := findCatalog(cats, o.CatalogID)
		if c == nil {
			return nil, mamori.Errorf(mamori.Invalid, "上書きされたパラメータのカタログ「%s」がありません（mamori catalog unset で削除してください）",
				"parameter override for missing catalog %q (remove it with mamori catalog unset)", o.CatalogID)
		}
		if err := c.Override(o.ControlID, o.ParamID, o.Value); err != nil {
			return nil, err
		}
	}
	return cats, nil
}

// allCatalogs returns the embedded catalogs and the stored ones but skip,
// without overrides.
func allCatalogs(ctx context.Context, s *store.Store, skip string) ([]*catalog.Catalog, error) {
	cats, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	stored, err := s.StoredCatalogs(ctx)
	if err != nil {
		return nil, err
	}
	for _, sc := range stored {
		if sc.ID == skip {
			continue
		}
		c, err := catalog.Load(sc.ID+".json", []byte(sc.Source))
		if err != nil {
			// Stored catalogs were valid when imported; a newer mamori
			// may be stricter, and the user must learn which catalog
			// (and can fix it by importing a corrected version).
			return nil, fmt.Errorf("stored catalog %s: %w", sc.ID, err)
		}
		c.SetID(sc.ID)
		cats = append(cats, c)
	}
	return cats, nil
}

func findCatalog(cats []*catalog.Catalog, id string) *catalog.Catalog {
	if i := slices.IndexFunc(cats, func(c *catalog.Catalog) bool { return c.ID == id }); i >= 0 {
		return cats[i]
	}
	return nil
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments ("catalog export unified --out x.json"), which the
// flag package alone stops at, and returns the positional arguments.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := parse(fs, args); err != nil {
			return nil, err
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

const catalogSynopsis = `catalog [--db DB] SUBCOMMAND

Subcommands:
  list                              カタログ一覧 / list catalogs
  show ID                           管理策とパラメータ / show controls and parameters
  import FILE [--id ID]             OSCAL カタログを取り込む / import an OSCAL catalog
  export ID [--out FILE]            OSCAL カタログを書き出す / export a catalog as OSCAL JSON
  set ID CONTROL PARAM VALUE        パラメータを上書きする / override a parameter
  unset ID CONTROL PARAM            上書きを取り消す / restore a parameter's default`

// runCatalog lists, shows, imports and exports catalogs, and sets this
// deployment's parameter overrides.
func runCatalog(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "catalog", catalogSynopsis)
	out := fs.String("out", "", "export: write to FILE instead of standard output")
	idFlag := fs.String("id", "", "import: catalog ID for a document without a catalog-id property (default: the file name)")
	limits := limitFlags(fs)
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return &UsageError{"catalog needs a subcommand: list, show, import, export, set or unset"}
	}
	sub, rest := pos[0], pos[1:]
	nargs := map[string]int{"list": 0, "show": 1, "import": 1, "export": 1, "set": 4, "unset": 3}
	want, ok := nargs[sub]
	if !ok {
		return &UsageError{fmt.Sprintf("unknown catalog subcommand %q (want list, show, import, export, set or unset)", sub)}
	}
	if len(rest) != want {
		return &UsageError{fmt.Sprintf("catalog %s takes %d argument(s), got %d", sub, want, len(rest))}
	}
	if *out != "" && sub != "export" {
		return &UsageError{"--out is for catalog export only"}
	}
	if *idFlag != "" && sub != "import" {
		return &UsageError{"--id is for catalog import only"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	switch sub {
	case "import":
		ctx, cancel := lim.WithTimeLimit(ctx)
		defer cancel()
		// Catalogs decide every organization's findings: an import, or a
		// refusal with why, is recorded under every organization.
		id, err := catalogImport(ctx, env, s, rest[0], *idFlag, lim)
		if err != nil {
			if stop := mamori.Stopped(ctx); stop != nil {
				err = stop
			}
			if ctx.Err() == nil {
				detail := audit.Reasons(err)
				detail["file"] = filepath.Base(rest[0])
				if rerr := recordEvery(ctx, env, s, audit.ImportRefused, "catalog/"+filepath.Base(rest[0]), detail); rerr != nil {
					return errors.Join(err, rerr)
				}
			}
			return err
		}
		return recordEvery(ctx, env, s, audit.Catalog, "catalog/"+id, map[string]string{"event": "import", "file": filepath.Base(rest[0])})
	case "unset":
		ctl := strings.ToUpper(rest[1])
		if err := s.UnsetParam(ctx, rest[0], ctl, rest[2]); err != nil {
			return err
		}
		if err := recordEvery(ctx, env, s, audit.Catalog, "catalog/"+rest[0], map[string]string{"event": "unset",
			"control": ctl, "param": rest[2]}); err != nil {
			return err
		}
		fmt.Fprintf(env.Stdout, "%s %s %s: default restored\n", rest[0], ctl, rest[2])
		return nil
	}
	cats, err := loadCatalogs(ctx, s)
	if err != nil {
		return err
	}
	if sub == "list" {
		tw := newTextTable(env.Stdout)
		fmt.Fprintln(tw, "ID\tTITLE\tVERSION\tCONTROLS\tAUTOMATED\tMANUAL\tSOURCE")
		for _, c := range cats {
			auto, manual := c.Counts()
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%d\t%s\n", c.ID, c.Title, c.Version, len(c.Controls), auto, manual, source(c))
		}
		return tw.Flush()
	}
	c := findCatalog(cats, rest[0])
	if c == nil {
		return mamori.Errorf(mamori.NotFound, "カタログ「%s」はありません", "no catalog %q", rest[0])
	}
	switch sub {
	case "show":
		return catalogShow(env, c)
	case "export":
		if *out == "" {
			_, err := env.Stdout.Write(c.Source)
			return err
		}
		if err := writeOutput(env, *out, func(w io.Writer) error { _, err := w.Write(c.Source); return err }); err != nil {
			return &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: *out}, Message: "cannot write the catalog",
				MessageJA: "カタログを書き出せません", Err: err}
		}
		fmt.Fprintf(env.Stdout, "wrote catalog %s to %s\n", c.ID, *out)
		return nil
	}
	// set: the catalog checks the value against the default's type, and
	// only then is it stored.
	ctlID, param, value := strings.ToUpper(rest[1]), rest[2], rest[3]
	if err := c.Override(ctlID, param, value); err != nil {
		return err
	}
	if err := s.SetParam(ctx, store.ParamOverride{CatalogID: c.ID, ControlID: ctlID, ParamID: param, Value: value}); err != nil {
		return err
	}
	if err := recordEvery(ctx, env, s, audit.Catalog, "catalog/"+c.ID, map[string]string{"event": "set",
		"control": ctlID, "param": param, "value": value, "default": c.Control(ctlID).Params[param].Default}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%s %s %s = %s (default %s)\n", c.ID, ctlID, param, value, c.Control(ctlID).Params[param].Default)
	return nil
}

func source(c *catalog.Catalog) string {
	if c.Embedded {
		return "embedded"
	}
	return "imported"
}

func catalogShow(env *Env, c *catalog.Catalog) error {
	auto, manual := c.Counts()
	fmt.Fprintf(env.Stdout, "%s: %s\nversion %s, %s, %d controls (%d automated, %d manual)\n\n",
		c.ID, c.Title, c.Version, source(c), len(c.Controls), auto, manual)
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "ID\tTARGET\tSEVERITY\tSECTION\tCOVERS\tUNKNOWN\tTITLE\tPARAMETERS")
	for _, ctl := range c.Controls {
		target, sev := ctl.Target, ctl.Severity
		if ctl.Manual() {
			target, sev = "manual", "-"
		}
		var params []string
		for _, id := range sortedKeys(ctl.Params) {
			p := ctl.Params[id]
			switch {
			case p.Value != p.Default:
				params = append(params, fmt.Sprintf("%s=%s (default %s)", id, p.Value, p.Default))
			case p.Value != "":
				params = append(params, id+"="+p.Value)
			default:
				params = append(params, id)
			}
		}
		section := ctl.Section
		if section == "" {
			section = "-"
		}
		covers := "all"
		if len(ctl.Covers) > 0 {
			covers = strings.Join(ctl.Covers, ",")
		}
		unknown := "shown"
		if ctl.UnknownFails {
			unknown = "fails"
		}
		if ctl.Manual() {
			covers, unknown = "-", "-"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ctl.ID, target, sev, section, covers, unknown, ctl.Title, strings.Join(params, ", "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	// What each automated control reads and decides: its evidence (whose
	// absence is 未確認), its criteria (counted apart in the report) and the
	// populations it states.
	fmt.Fprintln(env.Stdout, "\nCOVERS: organization kinds judged (all = every kind). UNKNOWN: fails = 未確認 counts as a failure in the report; shown = counted apart.")
	for _, ctl := range c.Controls {
		if ctl.Manual() || (len(ctl.Criteria) == 0 && len(ctl.Evidence) == 0 && len(ctl.Tallies) == 0) {
			continue
		}
		fmt.Fprintf(env.Stdout, "\n%s %s / %s\n", ctl.ID, ctl.Title, ctl.TitleEN)
		if len(ctl.Evidence) > 0 {
			fmt.Fprintf(env.Stdout, "  evidence (blank = 未確認): %s\n", strings.Join(ctl.Evidence, ", "))
		}
		for _, cr := range ctl.Criteria {
			fmt.Fprintf(env.Stdout, "  criterion %s: %s / %s\n", cr.Key, cr.Title, cr.TitleEN)
		}
		for _, t := range ctl.Tallies {
			fmt.Fprintf(env.Stdout, "  population %s: %s / %s\n", t.Key, t.Title, t.TitleEN)
		}
		if ctl.Measure != "" {
			fmt.Fprintf(env.Stdout, "  sums: %s (%s)\n", ctl.Measure, ctl.MeasureUnit)
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// catalogImport validates a catalog document completely before storing
// anything, and returns the catalog's ID: the OSCAL schema and mamori's properties (catalog.Load), the
// CEL expressions (check.New), and control IDs that would collide with
// another catalog's findings.
func catalogImport(ctx context.Context, env *Env, s *store.Store, file, id string, lim mamori.Limits) (string, error) {
	data, err := readLimited(file, lim)
	if err != nil {
		return "", err
	}
	name := filepath.Base(file)
	c, err := catalog.Load(name, data)
	if err != nil {
		return "", err
	}
	switch {
	case c.Named && id != "" && id != c.ID:
		return "", &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
			Message:   fmt.Sprintf("the catalog names itself %q; --id %q would disagree with it", c.ID, id),
			MessageJA: fmt.Sprintf("カタログ自身の ID は「%s」です。--id「%s」とは一致しません", c.ID, id)}
	case id != "":
		c.SetID(id)
	case !c.Named:
		c.SetID(strings.ToLower(c.ID))
	}
	if !catalog.ValidID(c.ID) {
		return "", &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
			Message:   fmt.Sprintf("catalog ID %q must be lower-case letters, digits, '-', '_' or '.' (choose one with --id)", c.ID),
			MessageJA: fmt.Sprintf("カタログ ID「%s」は英小文字・数字・-_. で指定してください（--id で指定できます）", c.ID)}
	}
	builtin, err := catalog.Builtin()
	if err != nil {
		return "", err
	}
	if findCatalog(builtin, c.ID) != nil {
		return "", &mamori.Error{Kind: mamori.Conflict, Loc: mamori.Loc{File: name},
			Message:   fmt.Sprintf("catalog %q is embedded in mamori and cannot be replaced by an import (override its parameters with mamori catalog set)", c.ID),
			MessageJA: fmt.Sprintf("カタログ「%s」は組み込みのため取り込みで置き換えられません（パラメータは mamori catalog set で上書きできます）", c.ID)}
	}
	if _, err := check.New([]*catalog.Catalog{c}, time.Now().Format(time.DateOnly)); err != nil {
		return "", err
	}
	// Findings are keyed by control ID, so an automated control may not
	// reuse one of another catalog's. The stored version of this catalog
	// is not loaded: it is being replaced, perhaps because it no longer loads.
	others, err := allCatalogs(ctx, s, c.ID)
	if err != nil {
		return "", err
	}
	var problems mamori.Problems
	for _, other := range others {
		for _, ctl := range c.Controls {
			if !ctl.Manual() && other.Control(ctl.ID) != nil {
				e := mamori.Errorf(mamori.Conflict, "管理策 %s: ID はカタログ「%s」で使われています", "control %s: ID already used by catalog %q", ctl.ID, other.ID)
				e.Loc = mamori.Loc{File: name, Column: "id", Value: ctl.ID}
				problems = append(problems, e)
			}
		}
	}
	if len(problems) > 0 {
		return "", problems
	}
	// Overrides the new version no longer accepts (a parameter removed, a
	// default of another type) are dropped with the import, and reported.
	overrides, err := s.ParamOverrides(ctx)
	if err != nil {
		return "", err
	}
	var drop []store.ParamOverride
	for _, o := range overrides {
		if o.CatalogID != c.ID {
			continue
		}
		if err := c.Override(o.ControlID, o.ParamID, o.Value); err != nil {
			drop = append(drop, o)
			fmt.Fprintf(env.Stderr, "dropped override %s %s %s = %s: %s\n", o.CatalogID, o.ControlID, o.ParamID, o.Value, Describe(err))
		}
	}
	sc := store.StoredCatalog{ID: c.ID, Title: c.Title, Version: c.Version, Source: string(data), ImportedAt: time.Now()}
	if err := s.ImportCatalog(ctx, sc, drop); err != nil {
		return "", err
	}
	auto, manual := c.Counts()
	fmt.Fprintf(env.Stdout, "imported catalog %s (%s, version %s): %d controls (%d automated, %d manual)\n",
		c.ID, c.Title, c.Version, len(c.Controls), auto, manual)
	return c.ID, nil
}
