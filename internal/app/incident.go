package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"mamori/internal/store"
	"mamori/internal/workflow"
)

const incidentSynopsis = `incident COMMAND [flags]

Commands:
  list [--org CODE] [--format table|json]
                 the incidents, newest detection first, and the outcome
                 metrics per fiscal year (counts by class, median days to
                 detect, report and recover, open incidents)
  show CODE      one incident: its timeline, what it affected, its
                 response item and that item's state
  create --as USER --org CODE --class CLASS --detected YYYY-MM-DD [flags]
                 record an incident as USER and open its response item
                 (--occurred, --detected-time, --system, --systems,
                 --orgs, --severity, --summary, --due)
  act --as USER CODE STEP [--to WHOM] [--assignee USER] [--cause TEXT]
                 [--measures TEXT] [--comment TEXT]
                 take a step of the incident's response as USER: report
                 (--to, --assignee), contain, recover (--cause) or close
                 (--measures); the step stamps its date and time`

func runIncident(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "incident", incidentSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "list":
		return runIncidentList(ctx, env, args[1:])
	case "show":
		return runIncidentShow(ctx, env, args[1:])
	case "create":
		return runIncidentCreate(ctx, env, args[1:])
	case "act":
		return runIncidentAct(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "incident", incidentSynopsis, args[0])
}

func days(d store.Duration) string {
	if d.N == 0 {
		return "-"
	}
	return fmt.Sprintf("%.1f", d.Days())
}

func runIncidentList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "incident list", "incident list [--db DB] [--org CODE] [--format table|json]")
	org := fs.String("org", "", "only incidents of this organization")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"incident list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	var orgs []string
	if *org != "" {
		orgs = []string{*org}
	}
	incs, err := s.Incidents(ctx, orgs)
	if err != nil {
		return err
	}
	metrics := store.IncidentMetrics(incs)
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(struct {
			Metrics   []store.IncidentFY `json:"metrics"`
			Incidents []store.Incident   `json:"incidents"`
		}{metrics, incs})
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "fiscal-year\tincidents\topen\tdays-to-detect\tdays-to-report\tdays-to-recover")
	for _, m := range metrics {
		fmt.Fprintf(tw, "%d\t%d\t%d\t%s\t%s\t%s\n", m.FY, m.Total, m.Open, days(m.Detect), days(m.Report), days(m.Recover))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout)
	tw = newTextTable(env.Stdout)
	fmt.Fprintln(tw, "code\torg\tclass\tdetected\trecovered\tsummary")
	for _, in := range incs {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", in.Code, in.OrgCode, in.Class, in.DetectedOn, orNone(in.RecoveredOn), oneLine(in.Summary, 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d incidents\n", len(incs), len(incs))
	return nil
}

// incidentItem finds the response item of incident code; nil when the
// incident was imported without one.
func incidentItem(ctx context.Context, s *store.Store, in store.Incident) (*store.WorkflowItem, error) {
	items, err := s.WorkflowItems(ctx, store.WorkflowFilter{Kind: workflow.IncidentKind, Orgs: []string{in.OrgCode}})
	if err != nil {
		return nil, err
	}
	for i := range items {
		if items[i].Details[workflow.DetailIncident] == in.Code {
			return &items[i], nil
		}
	}
	return nil, nil
}

func runIncidentShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "incident show", "incident show [--db DB] CODE")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &UsageError{"incident show takes one incident code"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	in, err := s.IncidentByCode(ctx, pos[0])
	if err != nil {
		return err
	}
	it, err := incidentItem(ctx, s, in)
	if err != nil {
		return err
	}
	w := env.Stdout
	fmt.Fprintf(w, "incident %s (%s, organization %s)\n", in.Code, in.Class, in.OrgCode)
	if in.Summary != "" {
		fmt.Fprintf(w, "summary: %s\n", in.Summary)
	}
	steps := [][3]string{{"occurred", in.OccurredOn, in.OccurredTime}, {"detected", in.DetectedOn, in.DetectedTime},
		{"reported", in.ReportedOn, in.ReportedTime}, {"contained", in.ContainedOn, in.ContainedTime},
		{"recovered", in.RecoveredOn, in.RecoveredTime}, {"closed", in.ClosedOn, ""}}
	for _, st := range steps {
		fmt.Fprintf(w, "  %-10s %s %s\n", st[0], orNone(st[1]), st[2])
	}
	fmt.Fprintf(w, "reported to: %s\ncause: %s\nmeasures: %s\n", orNone(in.ReportedTo), orNone(in.Cause), orNone(in.Measures))
	fmt.Fprintf(w, "systems: %s\norganizations: %s\n", orNone(strings.Join(in.Systems, ", ")), orNone(strings.Join(in.Orgs, ", ")))
	if it == nil {
		fmt.Fprintln(w, "response item: none (recorded by a register import)")
		return nil
	}
	fmt.Fprintf(w, "response item: %d, state %s, assignee %s, version %d\n", it.ID, it.State, orNone(it.Assignee), it.Version)
	return nil
}

func runIncidentCreate(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "incident create", "incident create [--db DB] --as USER --org CODE --class CLASS --detected YYYY-MM-DD [flags]")
	as := fs.String("as", "", "the user who records it")
	var n workflow.NewIncident
	fs.StringVar(&n.Code, "code", "", "the incident's code (made up when left out)")
	fs.StringVar(&n.OrgCode, "org", "", "the organization it happened at")
	fs.StringVar(&n.Class, "class", "", "its class (a code of the incident classes)")
	fs.StringVar(&n.Severity, "severity", "", "low, medium, high or critical")
	fs.StringVar(&n.OccurredOn, "occurred", "", "the day it occurred")
	fs.StringVar(&n.OccurredTime, "occurred-time", "", "the time it occurred (HH:MM)")
	fs.StringVar(&n.DetectedOn, "detected", "", "the day it was detected")
	fs.StringVar(&n.DetectedTime, "detected-time", "", "the time it was detected (HH:MM)")
	fs.StringVar(&n.SystemCode, "system", "", "the main system it affected")
	systems := fs.String("systems", "", "further systems it affected, comma-separated")
	orgs := fs.String("orgs", "", "further organizations it affected, comma-separated")
	fs.StringVar(&n.Summary, "summary", "", "what happened")
	fs.StringVar(&n.DueOn, "due", "", "when recovery is due")
	fs.StringVar(&n.Comment, "comment", "", "a comment for the history")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"incident create takes no arguments"}
	}
	split := func(s string) []string {
		return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' })
	}
	n.Systems, n.Orgs = split(*systems), split(*orgs)
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := actingUser(ctx, s, *as)
	if err != nil {
		return err
	}
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	it, err := svc.OpenIncident(ctx, u, n)
	if err != nil {
		return err
	}
	// The code alone on standard output, so a script can take it.
	fmt.Fprintln(env.Stdout, it.Details[workflow.DetailIncident])
	fmt.Fprintf(env.Stderr, "recorded incident %s (organization %s) with response item %d\n", it.Details[workflow.DetailIncident], it.OrgCode, it.ID)
	return nil
}

func runIncidentAct(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "incident act", "incident act [--db DB] --as USER CODE STEP [flags]")
	as := fs.String("as", "", "the user who takes the step")
	to := fs.String("to", "", "whom it was reported to (report)")
	assignee := fs.String("assignee", "", "who handles it (report)")
	cause := fs.String("cause", "", "its cause (recover, close)")
	measures := fs.String("measures", "", "the measures against recurrence (close)")
	comment := fs.String("comment", "", "a comment for the history")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return &UsageError{"incident act takes an incident code and a step (report, contain, recover, close)"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	u, err := actingUser(ctx, s, *as)
	if err != nil {
		return err
	}
	in, err := s.IncidentByCode(ctx, pos[0])
	if err != nil {
		return err
	}
	it, err := incidentItem(ctx, s, in)
	if err != nil {
		return err
	}
	if it == nil {
		return &UsageError{fmt.Sprintf("incident %s has no response item (it was recorded by a register import)", in.Code)}
	}
	details := map[string]string{}
	for k, v := range map[string]string{workflow.DetailReportedTo: *to, workflow.DetailCause: *cause, workflow.DetailMeasures: *measures} {
		if v != "" {
			details[k] = v
		}
	}
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	next, err := svc.Act(ctx, u, it.ID, workflow.Step{Transition: pos[1], Version: it.Version, Comment: *comment,
		Assignee: *assignee, Details: details})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "incident %s: %s → %s (item %d, version %d)\n", in.Code, it.State, next.State, next.ID, next.Version)
	return nil
}
