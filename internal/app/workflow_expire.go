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

// The expiry of approvals (issue 14 item 4): mamori blocks an approved
// data export again once its expiry has passed, by itself — hourly in
// serve, and at the operator's word with mamori workflow expire — and the
// longest expiry a request may ask for is a deployment's setting:
// --max-export-days on serve and expire, MAMORI_MAX_EXPORT_DAYS for every
// command (the flags' default), so serve, its API and the command line
// agree.

const workflowExpireSynopsis = `
  expire [--as-of DATE] [--max-export-days N]
                 block again every approved export whose expiry has passed
                 (judged on DATE, default today in Japan; serve does it hourly)`

// EnvMaxExportDays names the environment variable holding the longest a
// data export request may run, in days after it is requested.
const EnvMaxExportDays = "MAMORI_MAX_EXPORT_DAYS"

// defaultMaxExportDays is MAMORI_MAX_EXPORT_DAYS when it is a number, else
// workflow.DefaultMaxExportDays; workflowOptions checks its range.
func defaultMaxExportDays(env *Env) int {
	if v := strings.TrimSpace(env.Getenv(EnvMaxExportDays)); v != "" {
		if n, err := strconv.Atoi(v); err == nil {
			return n
		}
		return -1 // refused by workflowOptions, naming the variable
	}
	return workflow.DefaultMaxExportDays
}

// maxExportDaysFlag adds --max-export-days to fs.
func maxExportDaysFlag(env *Env, fs *flag.FlagSet) *int {
	return fs.Int("max-export-days", defaultMaxExportDays(env),
		fmt.Sprintf("the longest a data export request may run, in days after it is requested (1–%d; default %s, else %d)",
			workflow.MaxExportDaysLimit, EnvMaxExportDays, workflow.DefaultMaxExportDays))
}

// workflowOptions checks the configured maximum.
func workflowOptions(maxExportDays int) (workflow.Options, error) {
	if maxExportDays < 1 || maxExportDays > workflow.MaxExportDaysLimit {
		return workflow.Options{}, &UsageError{fmt.Sprintf("--max-export-days (or %s) %d: want 1 to %d",
			EnvMaxExportDays, maxExportDays, workflow.MaxExportDaysLimit)}
	}
	return workflow.Options{MaxExportDays: maxExportDays}, nil
}

// envWorkflowOptions are the workflow options of the environment alone,
// for the commands without the flag; an unusable value is an error.
func envWorkflowOptions(env *Env) (workflow.Options, error) {
	return workflowOptions(defaultMaxExportDays(env))
}

func runWorkflowExpire(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow expire", "workflow expire [--db DB] [--as-of DATE] [--max-export-days N]")
	asOf := fs.String("as-of", "", "the day to judge expiries on, YYYY-MM-DD (default: today in Japan)")
	maxDays := maxExportDaysFlag(env, fs)
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
	svc, err := workflowService(s, o, nil)
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
	svc, err := workflowService(s, o, nil)
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
