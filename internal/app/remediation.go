package app

// The remediation commands (issue 14, item 2): open an item for a finding
// or a vulnerability, take a transition, plan milestones, and run the
// escalation and the daily reminders, each through package workflow's
// service as a named mamori account (--as), whose roles decide, exactly
// as in the browser.

import (
	"cmp"
	"context"
	"fmt"
	"io"
	"log/slog"
	"slices"
	"strconv"
	"time"

	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// workflowService is the workflow service on s, telling people through n
// (nil: no one).
func workflowService(s *store.Store, wo workflow.Options, n *notify.Notifier) (*workflow.Service, error) {
	svc, err := workflow.New(s, workflow.AllWith(wo)...)
	if err != nil {
		return nil, err
	}
	svc.Notifier, svc.BaseURL = n, wo.BaseURL
	return svc, nil
}

// itemID reads a workflow item id argument.
func itemID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &UsageError{fmt.Sprintf("item id %q: want a positive number", raw)}
	}
	return id, nil
}

func runWorkflowOpen(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow open", "workflow open [--db DB] --as USER (--control ID --target CODE | --vuln ID --system CODE) [--due YYYY-MM-DD] [--comment TEXT] [notification flags]\n\n"+notifyUsage)
	as := fs.String("as", "", "the mamori account that opens the item (its roles decide)")
	control := fs.String("control", "", "the finding's control ID")
	target := fs.String("target", "", "the finding's target code")
	vuln := fs.String("vuln", "", "a vulnerability ID matched on --system")
	system := fs.String("system", "", "the system the vulnerability was found on")
	due := fs.String("due", "", "due date; default the latest the severity allows (earlier only)")
	comment := fs.String("comment", "", "why, kept in the history")
	build := notifyFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"workflow open takes no arguments"}
	}
	finding := *control != "" || *target != ""
	if finding == (*vuln != "" || *system != "") {
		return &UsageError{"workflow open needs --control and --target, or --vuln and --system"}
	}
	s, svc, err := openWorkflow(ctx, env, *db, build)
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := actingUser(ctx, s, *as)
	if err != nil {
		return err
	}
	var it store.WorkflowItem
	if finding {
		it, err = svc.OpenForFinding(ctx, u, workflow.OpenFinding{Control: *control, Target: *target, DueOn: *due, Comment: *comment})
	} else {
		it, err = svc.OpenForVuln(ctx, u, workflow.OpenVuln{Vuln: *vuln, System: *system, DueOn: *due, Comment: *comment})
	}
	if err != nil {
		return err
	}
	if err := recordOperator(ctx, env, s, u, it, "open"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "item %d opened: %s, organization %s, severity %s, due %s\n", it.ID, it.Subject, it.OrgCode, it.Severity, it.DueOn)
	return nil
}

// cliNotifier is the notifier the notification flags configure on s;
// with none given it tells no one.
func cliNotifier(env *Env, s *store.Store, build func(*Env) (notify.Config, error)) (*notify.Notifier, error) {
	cfg, err := build(env)
	if err != nil {
		return nil, err
	}
	return notify.New(s, withLogger(env, cfg))
}

// openWorkflow opens the store and the workflow service with the
// notifications the flags configure.
func openWorkflow(ctx context.Context, env *Env, db string, build func(*Env) (notify.Config, error)) (*store.Store, *workflow.Service, error) {
	if _, err := build(env); err != nil {
		return nil, nil, err
	}
	s, err := openStore(ctx, env, dsn(env, db, DefaultDB))
	if err != nil {
		return nil, nil, err
	}
	n, err := cliNotifier(env, s, build)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	svc, err := workflowService(s, workflow.Options{}, n)
	if err != nil {
		s.Close()
		return nil, nil, err
	}
	return s, svc, nil
}

func runWorkflowMilestone(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow milestone", "workflow milestone [--db DB] ID --as USER --version N (--add TITLE --due YYYY-MM-DD | --done MILESTONE | --undone MILESTONE)")
	as := fs.String("as", "", "the mamori account that acts (the assignee, or org_security or central_admin)")
	version := fs.Int64("version", 0, "the version of the item you saw (workflow show)")
	add := fs.String("add", "", "a milestone to add")
	due := fs.String("due", "", "the new milestone's date")
	done := fs.Int64("done", 0, "the id of a milestone to mark done")
	undone := fs.Int64("undone", 0, "the id of a milestone to mark not done")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &UsageError{"workflow milestone needs one item id"}
	}
	id, err := itemID(pos[0])
	if err != nil {
		return err
	}
	n := 0
	for _, set := range []bool{*add != "", *done != 0, *undone != 0} {
		if set {
			n++
		}
	}
	if n != 1 {
		return &UsageError{"workflow milestone needs one of --add, --done and --undone"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	u, err := actingUser(ctx, s, *as)
	if err != nil {
		return err
	}
	var it store.WorkflowItem
	switch {
	case *add != "":
		it, err = svc.AddMilestone(ctx, u, id, *version, *add, *due)
	case *done != 0:
		it, err = svc.TickMilestone(ctx, u, id, *version, *done, true)
	default:
		it, err = svc.TickMilestone(ctx, u, id, *version, *undone, false)
	}
	if err != nil {
		return err
	}
	if err := recordOperator(ctx, env, s, u, it, "milestone"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "item %d: milestones changed (version %d)\n", it.ID, it.Version)
	return nil
}

func runWorkflowEscalate(ctx context.Context, env *Env, args []string, daily bool) error {
	name := "workflow escalate"
	if daily {
		name = "workflow daily"
	}
	fs, db := flags(env, name, name+" [--db DB] [notification flags]\n\n"+notifyUsage)
	build := notifyFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{name + " takes no arguments"}
	}
	s, svc, err := openWorkflow(ctx, env, *db, build)
	if err != nil {
		return err
	}
	defer s.Close()
	var r workflow.DailyReport
	if daily {
		r, err = svc.Daily(ctx)
	} else {
		r.Escalated, err = svc.Escalate(ctx)
	}
	for _, e := range r.Escalated {
		fmt.Fprintf(env.Stdout, "item %d (%s, due %s) escalated to %s (level %d)\n", e.Item.ID, e.Item.OrgCode, e.Item.DueOn, e.To, e.Level)
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件をエスカレーション / %d item(s) escalated\n", len(r.Escalated), len(r.Escalated))
	if daily {
		if r.Ran {
			fmt.Fprintf(env.Stdout, "%d 件の期限通知と %d 件のまとめを送信待ちにしました / reminders queued for %d item(s), %d digest(s)\n", r.DueSoon, r.Digests, r.DueSoon, r.Digests)
		} else {
			fmt.Fprintln(env.Stdout, "本日の期限通知とまとめは作成済みです / today's reminders and digests were made already")
		}
	}
	return nil
}

// remediationJSON is what the json format adds to an item: its details,
// its age and ageing bucket while unsettled, whether it is overdue, and
// its milestones.
type remediationJSON struct {
	Details    map[string]string `json:"details,omitempty"`
	AgeDays    *int              `json:"age_days,omitempty"`
	AgeBucket  string            `json:"age_bucket,omitempty"`
	Overdue    bool              `json:"overdue"`
	Milestones []milestoneJSON   `json:"milestones,omitempty"`
}

type milestoneJSON struct {
	ID     int64  `json:"id"`
	Title  string `json:"title"`
	DueOn  string `json:"due_on"`
	DoneOn string `json:"done_on,omitempty"`
	DoneBy string `json:"done_by,omitempty"`
}

// workflowToday is the day due dates and ages are judged on: today in
// Japan, as the service judges it.
func workflowToday() string {
	return (&workflow.Service{}).Today()
}

func itemIDs(items []store.WorkflowItem) []int64 {
	ids := make([]int64, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

func remediationOf(it store.WorkflowItem, ms []store.WorkflowMilestone, today string) remediationJSON {
	r := remediationJSON{Details: it.Details}
	for _, d := range workflow.All() {
		if d.Kind != it.Kind {
			continue
		}
		r.Overdue = d.Overdue(it, today)
		if !slices.Contains(d.Settled, it.State) {
			age := workflow.AgeDays(it, today)
			r.AgeDays, r.AgeBucket = &age, workflow.AgeBucket(age)
		}
	}
	for _, m := range ms {
		r.Milestones = append(r.Milestones, milestoneJSON{m.ID, m.Title, m.DueOn, m.DoneOn, m.DoneBy})
	}
	return r
}

func dueText(it store.WorkflowItem, r remediationJSON) string {
	d := orNone(it.DueOn)
	if r.Overdue {
		d += " overdue"
	}
	if lv := it.Details[workflow.DetailEscalation]; lv != "" {
		d += " ↑" + it.Details[workflow.DetailEscalatedTo]
	}
	return d
}

func ageText(r remediationJSON) string {
	if r.AgeDays == nil {
		return "-"
	}
	return fmt.Sprintf("%dd (%s)", *r.AgeDays, r.AgeBucket)
}

// printAgeing writes the ageing summary of the unsettled remediation
// items among items.
func printAgeing(env *Env, items []store.WorkflowItem, today string) error {
	rows := workflow.Remediation.Ageing(items, today)
	if rows[len(rows)-1].Total == 0 {
		return nil
	}
	fmt.Fprintln(env.Stdout, "\nageing of unsettled remediation items (days open):")
	tw := newTextTable(env.Stdout)
	head := "severity"
	for _, b := range workflow.AgeBuckets {
		head += "\t" + b.Name
	}
	fmt.Fprintln(tw, head+"\toverdue\ttotal")
	for _, r := range rows {
		line := cmp.Or(r.Severity, "all")
		for _, n := range r.Buckets {
			line += fmt.Sprintf("\t%d", n)
		}
		fmt.Fprintf(tw, "%s\t%d\t%d\n", line, r.Overdue, r.Total)
	}
	return tw.Flush()
}

// printRemediation writes an item's details and milestones for workflow
// show.
func printRemediation(ctx context.Context, w io.Writer, s *store.Store, it store.WorkflowItem) error {
	for _, d := range workflow.All() {
		if d.Kind != it.Kind {
			continue
		}
		for _, det := range d.Details {
			if v := it.Details[det.Name]; v != "" {
				fmt.Fprintf(w, "%s: %s\n", det.EN, oneLine(v, maxDetailWidth))
			}
		}
	}
	ms, err := s.WorkflowMilestones(ctx, it.ID)
	if err != nil || len(ms[it.ID]) == 0 {
		return err
	}
	fmt.Fprintln(w, "\nmilestones:")
	tw := newTextTable(w)
	fmt.Fprintln(tw, "id\tdate\tdone\ttitle")
	for _, m := range ms[it.ID] {
		done := "-"
		if m.DoneOn != "" {
			done = m.DoneOn + " " + m.DoneBy
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", m.ID, m.DueOn, done, oneLine(m.Title, 80))
	}
	return tw.Flush()
}

// recheckRemediation lets the remediation items follow assessment a.
func recheckRemediation(ctx context.Context, s *store.Store, a store.Assessment) (workflow.RecheckReport, error) {
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return workflow.RecheckReport{}, err
	}
	return svc.Recheck(ctx, a)
}

// recheckRemediationVulns lets the remediation items about
// vulnerabilities follow match run.
func recheckRemediationVulns(ctx context.Context, s *store.Store, run store.MatchRun) (workflow.RecheckReport, error) {
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return workflow.RecheckReport{}, err
	}
	return svc.RecheckVulns(ctx, run)
}

// dailyInterval is how often serve runs the remediation's daily work: the
// escalations are idempotent and the reminders and digests are made once
// a day, so an hourly run starts each day's within the hour.
const dailyInterval = time.Hour

// startRemediationDaily runs the remediation's daily work (workflow.Daily)
// now and every dailyInterval until ctx ends; the returned function waits
// for it to stop. Failures are logged; the next round tries again.
func startRemediationDaily(ctx context.Context, env *Env, s *store.Store, wo workflow.Options, n *notify.Notifier) (wait func()) {
	svc, err := workflowService(s, wo, n)
	done := make(chan struct{})
	if err != nil {
		fmt.Fprintf(env.Stderr, "mamori: remediation daily job not started: %v\n", err)
		close(done)
		return func() { <-done }
	}
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	go func() {
		defer close(done)
		t := time.NewTicker(dailyInterval)
		defer t.Stop()
		for {
			if r, err := svc.Daily(ctx); err != nil && ctx.Err() == nil {
				logger.Warn("remediation daily job", "err", err)
			} else if len(r.Escalated)+r.DueSoon+r.Digests > 0 {
				logger.Info("remediation daily job", "escalated", len(r.Escalated), "reminders", r.DueSoon, "digests", r.Digests)
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return func() { <-done }
}
