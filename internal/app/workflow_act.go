package app

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The workflow commands that change items (issue 14): create and act on
// behalf of a named user, whose grants the service checks exactly as on
// the pages, and expire, which takes the transitions mamori takes by
// itself at an export's expiry (serve runs it hourly).

const workflowActSynopsis = `
  create --as USER --kind K --org CODE --subject TEXT [--detail NAME=VALUE]… [--severity S] [--due DATE] [--comment TEXT]
                 open an item as USER (kinds: remediation, conformity_check, spec_review, cloud_use, export_request)
  act ID --as USER --transition T [--version N] [--detail NAME=VALUE]… [--assignee USER] [--comment TEXT]
                 take a transition as USER; --version is the version USER saw (default: the current one)
  expire [--as-of DATE] [--max-export-days N]
                 block again every approved export whose expiry has passed (on DATE, default today in Japan)`

// detailFlags collects repeated --detail NAME=VALUE flags.
type detailFlags map[string]string

func (d detailFlags) String() string { return "" }

func (d detailFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want NAME=VALUE, got %q", v)
	}
	d[strings.TrimSpace(name)] = value
	return nil
}

// maxExportDaysFlag adds --max-export-days to fs.
func maxExportDaysFlag(fs *flag.FlagSet) *int {
	return fs.Int("max-export-days", workflow.DefaultMaxExportDays,
		fmt.Sprintf("the longest a data export request may run, in days after it is requested (1–%d)", workflow.MaxExportDaysLimit))
}

// workflowOptions checks the configured maximum.
func workflowOptions(maxExportDays int) (workflow.Options, error) {
	if maxExportDays < 1 || maxExportDays > workflow.MaxExportDaysLimit {
		return workflow.Options{}, &UsageError{fmt.Sprintf("--max-export-days %d: want 1 to %d", maxExportDays, workflow.MaxExportDaysLimit)}
	}
	return workflow.Options{MaxExportDays: maxExportDays}, nil
}

// workflowService opens the service on s with o, and the acting user.
func workflowService(ctx context.Context, s *store.Store, o workflow.Options, as string) (*workflow.Service, store.User, error) {
	svc, err := workflow.New(s, workflow.AllWith(o)...)
	if err != nil {
		return nil, store.User{}, err
	}
	if as == "" {
		return svc, store.User{}, nil
	}
	u, err := s.User(ctx, as)
	if err != nil {
		return nil, store.User{}, err
	}
	if u.Disabled {
		return nil, store.User{}, &UsageError{fmt.Sprintf("user %q is disabled", as)}
	}
	return svc, u, nil
}

func runWorkflowCreate(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow create", "workflow create [--db DB] --as USER --kind K --org CODE --subject TEXT [--detail NAME=VALUE]… [--severity S] [--due DATE] [--comment TEXT]")
	as := fs.String("as", "", "the user who opens the item (their grants decide)")
	kind := fs.String("kind", "", "the workflow")
	org := fs.String("org", "", "the organization the item is filed under")
	subject := fs.String("subject", "", "what the item is about")
	severity := fs.String("severity", "", "severity, for a workflow that grades its items")
	due := fs.String("due", "", "due date YYYY-MM-DD")
	comment := fs.String("comment", "", "a first comment")
	maxDays := maxExportDaysFlag(fs)
	details := detailFlags{}
	fs.Var(details, "detail", "a detail NAME=VALUE of the workflow (repeatable)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 || *as == "" || *kind == "" || *org == "" {
		fs.Usage()
		return &UsageError{"workflow create needs --as, --kind and --org, and no arguments"}
	}
	o, err := workflowOptions(*maxDays)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	svc, u, err := workflowService(ctx, s, o, *as)
	if err != nil {
		return err
	}
	it, err := svc.Create(ctx, u, *kind, workflow.NewItem{Subject: *subject, OrgCode: *org, Severity: *severity, DueOn: *due,
		Comment: *comment, Details: details})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "item %d (%s) opened: state %s, version %d\n", it.ID, it.Kind, it.State, it.Version)
	return nil
}

func runWorkflowAct(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow act", "workflow act [--db DB] ID --as USER --transition T [--version N] [--detail NAME=VALUE]… [--assignee USER] [--comment TEXT]")
	as := fs.String("as", "", "the user who acts (their grants decide)")
	tr := fs.String("transition", "", "the transition to take")
	version := fs.Int64("version", 0, "the version of the item the user saw; 0 for the current one")
	assignee := fs.String("assignee", "", "the assignee, for a transition that names one")
	comment := fs.String("comment", "", "why, kept in the history")
	maxDays := maxExportDaysFlag(fs)
	details := detailFlags{}
	fs.Var(details, "detail", "a detail NAME=VALUE the transition sets (repeatable)")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *as == "" || *tr == "" {
		fs.Usage()
		return &UsageError{"workflow act needs one item id, --as and --transition"}
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return &UsageError{fmt.Sprintf("item id %q: want a positive number", pos[0])}
	}
	o, err := workflowOptions(*maxDays)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	svc, u, err := workflowService(ctx, s, o, *as)
	if err != nil {
		return err
	}
	if *version == 0 {
		cur, err := svc.Item(ctx, u, id)
		if err != nil {
			return err
		}
		*version = cur.Version
	}
	it, err := svc.Act(ctx, u, id, workflow.Step{Transition: *tr, Version: *version, Comment: *comment,
		Assignee: *assignee, Details: details})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "item %d (%s): %s, now %s, version %d\n", it.ID, it.Kind, *tr, it.State, it.Version)
	return nil
}

func runWorkflowExpire(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow expire", "workflow expire [--db DB] [--as-of DATE] [--max-export-days N]")
	asOf := fs.String("as-of", "", "the day to judge expiries on, YYYY-MM-DD (default: today in Japan)")
	maxDays := maxExportDaysFlag(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"workflow expire takes no arguments"}
	}
	o, err := workflowOptions(*maxDays)
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	svc, _, err := workflowService(ctx, s, o, "")
	if err != nil {
		return err
	}
	done, err := svc.Expire(ctx, *asOf)
	for _, it := range done {
		fmt.Fprintf(env.Stdout, "item %d (%s) expired on %s: blocked again\n", it.ID, it.Kind, it.Details[workflow.DetailExpiresOn])
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件を再遮断 / %d expired\n", len(done), len(done))
	return nil
}

// expireInterval is how often serve looks for expired exports: hourly, so
// an export is blocked again within the hour after its last day ends.
const expireInterval = time.Hour

// startExpirer runs the expiry at start and then every expireInterval
// until ctx ends; wait returns once it has stopped.
func startExpirer(ctx context.Context, env *Env, s *store.Store, o workflow.Options) (wait func()) {
	svc, err := workflow.New(s, workflow.AllWith(o)...)
	if err != nil {
		fmt.Fprintf(env.Stderr, "mamori: expiry job not started: %v\n", err)
		return func() {}
	}
	run := func() {
		done, err := svc.Expire(ctx, "")
		if err != nil && ctx.Err() == nil {
			fmt.Fprintf(env.Stderr, "mamori: expiry job: %v\n", err)
		}
		ids := make([]string, 0, len(done))
		for _, it := range done {
			ids = append(ids, strconv.FormatInt(it.ID, 10))
		}
		if len(ids) > 0 {
			fmt.Fprintf(env.Stderr, "mamori: exports blocked again at their expiry: items %s\n", strings.Join(slices.Clip(ids), ", "))
		}
	}
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		run()
		t := time.NewTicker(expireInterval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				run()
			}
		}
	}()
	return func() { <-stopped }
}
