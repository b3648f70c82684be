package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"mamori/internal/store"
)

const workflowSynopsis = `workflow COMMAND [flags]

Commands:
  list [--kind K] [--state S] [--org CODE] [--format table|json]
                 the workflow items (remediation, …), oldest first
  show ID        one item: its fields, its history in order, its evidence
` + workflowActSynopsis + `
  open --as USER (--control ID --target CODE | --vuln ID --system CODE) [--due DATE]
                 open a remediation item for a finding or a vulnerability on a system
  milestone ID --as USER --version N (--add TITLE --due DATE | --done M | --undone M)
                 plan a remediation item's milestones
  escalate       escalate the overdue remediation items up the organization tree
  daily          escalate, and (once a day) remind of due dates and send the digests` + workflowExpireSynopsis

func runWorkflow(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "workflow", workflowSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "list":
		return runWorkflowList(ctx, env, args[1:])
	case "show":
		return runWorkflowShow(ctx, env, args[1:])
	case "create":
		return runWorkflowCreateItem(ctx, env, args[1:])
	case "act":
		return runWorkflowTransition(ctx, env, args[1:])
	case "comment":
		return runWorkflowAddComment(ctx, env, args[1:])
	case "attach":
		return runWorkflowAddEvidence(ctx, env, args[1:])
	case "expire":
		return runWorkflowExpire(ctx, env, args[1:])
	case "open":
		return runWorkflowOpen(ctx, env, args[1:])
	case "milestone":
		return runWorkflowMilestone(ctx, env, args[1:])
	case "escalate", "daily":
		return runWorkflowEscalate(ctx, env, args[1:], args[0] == "daily")
	}
	return unknownSubcommand(env, "workflow", workflowSynopsis, args[0])
}

// workflowItemJSON is an item as the json format writes it.
type workflowItemJSON struct {
	ID        int64  `json:"id"`
	Kind      string `json:"kind"`
	Subject   string `json:"subject"`
	OrgCode   string `json:"org_code"`
	State     string `json:"state"`
	Severity  string `json:"severity,omitempty"`
	Applicant string `json:"applicant"`
	Assignee  string `json:"assignee,omitempty"`
	DueOn     string `json:"due_on,omitempty"`
	CreatedAt string `json:"created_at"`
	UpdatedAt string `json:"updated_at"`
	Version   int64  `json:"version"`
	remediationJSON
}

func itemJSON(it store.WorkflowItem) workflowItemJSON {
	return workflowItemJSON{it.ID, it.Kind, it.Subject, it.OrgCode, it.State, it.Severity, it.Applicant, it.Assignee,
		it.DueOn, it.CreatedAt.UTC().Format("2006-01-02T15:04:05Z"), it.UpdatedAt.UTC().Format("2006-01-02T15:04:05Z"), it.Version,
		remediationJSON{}}
}

func runWorkflowList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow list", "workflow list [--db DB] [--kind K] [--state S] [--org CODE] [--format table|json]")
	kind := fs.String("kind", "", "only items of this workflow (remediation)")
	state := fs.String("state", "", "only items in this state")
	org := fs.String("org", "", "only items of this organization")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"workflow list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	f := store.WorkflowFilter{Kind: *kind, State: *state}
	if *org != "" {
		f.Orgs = []string{*org}
	}
	items, err := s.WorkflowItems(ctx, f)
	if err != nil {
		return err
	}
	today := workflowToday()
	milestones, err := s.WorkflowMilestones(ctx, itemIDs(items)...)
	if err != nil {
		return err
	}
	if *format == "json" {
		out := make([]workflowItemJSON, len(items))
		for i, it := range items {
			out[i] = itemJSON(it)
			out[i].remediationJSON = remediationOf(it, milestones[it.ID], today)
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "id\tkind\tsubject\torg\tstate\tseverity\tassignee\tdue\tage\tversion")
	for _, it := range items {
		r := remediationOf(it, milestones[it.ID], today)
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", it.ID, it.Kind, oneLine(it.Subject, 40), it.OrgCode,
			it.State, it.Severity, oneLine(it.Assignee, 40), dueText(it, r), ageText(r), it.Version)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d items\n", len(items), len(items))
	return printAgeing(env, items, today)
}

func runWorkflowShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow show", "workflow show [--db DB] ID")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &UsageError{"workflow show needs one item id"}
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return &UsageError{fmt.Sprintf("item id %q: want a positive number", pos[0])}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	it, err := s.WorkflowItem(ctx, id)
	if err != nil {
		return err
	}
	hist, err := s.WorkflowEvents(ctx, id)
	if err != nil {
		return err
	}
	evidence, err := s.WorkflowAttachments(ctx, id)
	if err != nil {
		return err
	}
	w := env.Stdout
	j := itemJSON(it)
	fmt.Fprintf(w, "item %d (%s) subject %s, organization %s\nstate %s, severity %s, applicant %s, assignee %s, due %s, version %d\ncreated %s, updated %s\n",
		j.ID, j.Kind, oneLine(j.Subject, 80), j.OrgCode, j.State, orNone(j.Severity), j.Applicant, orNone(j.Assignee),
		orNone(j.DueOn), j.Version, j.CreatedAt, j.UpdatedAt)
	if err := printRemediation(ctx, w, s, it); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nhistory:")
	tw := newTextTable(w)
	fmt.Fprintln(tw, "at (UTC)\tactor\tevent\ttransition\tfrom\tto\tcomment")
	for _, ev := range hist {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", ev.At.UTC().Format("2006-01-02T15:04:05Z"), oneLine(ev.Actor, 40),
			ev.Event, ev.Transition, ev.From, ev.To, oneLine(ev.Comment, maxDetailWidth))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(evidence) > 0 {
		fmt.Fprintln(w, "\nevidence:")
		tw := newTextTable(w)
		fmt.Fprintln(tw, "id\tname\ttype\tbytes\tsha256\tby")
		for _, a := range evidence {
			fmt.Fprintf(tw, "%d\t%s\t%s\t%d\t%s\t%s\n", a.ID, oneLine(a.Name, 60), a.MediaType, a.Size, a.SHA256, oneLine(a.AddedBy, 40))
		}
		if err := tw.Flush(); err != nil {
			return err
		}
	}
	return nil
}

func orNone(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
