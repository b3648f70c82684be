package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

const inspectionSynopsis = `inspection COMMAND [flags]

Commands:
  list [--org CODE] [--state S] [--format table|json]
                 the self-inspection rounds, oldest first, with the dates
                 their steps were done and their unanswered questions
  show ID        one round: its scope, its dates, every question with its
                 answer, evidence and reviewer's finding
  open --as USER (--project CODE --stage STAGE | --org CODE --year YYYY)
                 open a round as USER (its inspector) for a project stage
                 or an organization's fiscal year
  answer --as USER ID CONTROL ANSWER [--note TEXT] [--evidence N]
                 answer one question as USER (the inspector): ANSWER is
                 yes, partial, no or not_applicable; CONTROL is the
                 control's ID (CATALOG:ID when two catalogs share it);
                 --evidence names an attachment of the round by its id`

func runInspection(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "inspection", inspectionSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "list":
		return runInspectionList(ctx, env, args[1:])
	case "show":
		return runInspectionShow(ctx, env, args[1:])
	case "open":
		return runInspectionOpen(ctx, env, args[1:])
	case "answer":
		return runInspectionAnswer(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "inspection", inspectionSynopsis, args[0])
}

// inspectionJSON is a round as the json format writes it.
type inspectionJSON struct {
	workflowItemJSON
	ProjectCode       string `json:"project_code,omitempty"`
	Stage             string `json:"stage,omitempty"`
	FiscalYear        int    `json:"fiscal_year,omitempty"`
	SelfInspectedOn   string `json:"self_inspected_on,omitempty"`
	PMOReviewedOn     string `json:"pmo_reviewed_on,omitempty"`
	CentralReviewedOn string `json:"central_reviewed_on,omitempty"`
	Questions         int    `json:"questions"`
	Unanswered        int    `json:"unanswered"`
}

func runInspectionList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "inspection list", "inspection list [--db DB] [--org CODE] [--state S] [--format table|json]")
	org := fs.String("org", "", "only rounds of this organization")
	state := fs.String("state", "", "only rounds in this state (drafted, submitted, pmo_reviewed, centrally_reviewed, returned)")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"inspection list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	f := store.WorkflowFilter{Kind: workflow.InspectionKind, State: *state}
	if *org != "" {
		f.Orgs = []string{*org}
	}
	items, err := s.WorkflowItems(ctx, f)
	if err != nil {
		return err
	}
	rounds, err := s.InspectionRounds(ctx)
	if err != nil {
		return err
	}
	out := make([]inspectionJSON, len(items))
	for i, it := range items {
		rd := rounds[it.ID]
		qs, err := s.InspectionAnswers(ctx, it.ID)
		if err != nil {
			return err
		}
		j := inspectionJSON{workflowItemJSON: itemJSON(it), ProjectCode: rd.ProjectCode, Stage: rd.Stage, FiscalYear: rd.FiscalYear,
			SelfInspectedOn: rd.SelfInspectedOn, PMOReviewedOn: rd.PMOReviewedOn, CentralReviewedOn: rd.CentralReviewedOn, Questions: len(qs)}
		for _, q := range qs {
			if q.Answer == store.AnswerNone {
				j.Unanswered++
			}
		}
		out[i] = j
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "id\tscope\torg\tstate\tinspector\tself-inspected\tpmo-reviewed\tcentral-reviewed\tunanswered\tversion")
	for _, j := range out {
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d/%d\t%d\n", j.ID, oneLine(j.Subject, 40), j.OrgCode, j.State,
			oneLine(j.Applicant, 40), orNone(j.SelfInspectedOn), orNone(j.PMOReviewedOn), orNone(j.CentralReviewedOn),
			j.Unanswered, j.Questions, j.Version)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d rounds\n", len(out), len(out))
	return nil
}

// roundID reads a round's id argument.
func roundID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &UsageError{fmt.Sprintf("round id %q: want a positive number", raw)}
	}
	return id, nil
}

func runInspectionShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "inspection show", "inspection show [--db DB] ID")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &UsageError{"inspection show needs one round id"}
	}
	id, err := roundID(pos[0])
	if err != nil {
		return err
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	it, err := s.WorkflowItem(ctx, id)
	if err == nil && it.Kind != workflow.InspectionKind {
		err = mamori.Errorf(mamori.NotFound, "自己点検 %d はありません", "no self-inspection %d", id)
	}
	if err != nil {
		return err
	}
	rd, err := s.InspectionRound(ctx, id)
	if err != nil {
		return err
	}
	qs, err := s.InspectionAnswers(ctx, id)
	if err != nil {
		return err
	}
	w := env.Stdout
	scope := fmt.Sprintf("fiscal year %d", rd.FiscalYear)
	if rd.ProjectCode != "" {
		scope = fmt.Sprintf("project %s, stage %s", rd.ProjectCode, rd.Stage)
	}
	fmt.Fprintf(w, "self-inspection %d: %s, organization %s\nstate %s, inspector %s, version %d\nself-inspected %s, PMO reviewed %s, central review %s\n",
		it.ID, scope, it.OrgCode, it.State, it.Applicant, it.Version, orNone(rd.SelfInspectedOn), orNone(rd.PMOReviewedOn), orNone(rd.CentralReviewedOn))
	fmt.Fprintf(w, "history and evidence: mamori workflow show %d\n\n", it.ID)
	tw := newTextTable(w)
	fmt.Fprintln(tw, "#\tcatalog\tcontrol\tanswer\tnote\tevidence\tfinding\tremediation\tquestion")
	for _, q := range qs {
		rem := "-"
		if q.RemediationID != 0 {
			rem = strconv.FormatInt(q.RemediationID, 10)
		}
		ev := "-"
		if q.AttachmentID != 0 {
			ev = strconv.FormatInt(q.AttachmentID, 10)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", q.Position, q.CatalogID, q.ControlID, orNone(q.Answer),
			orNone(oneLine(q.Note, 40)), ev, orNone(oneLine(q.Finding, 40)), rem, oneLine(q.Title, 60))
	}
	return tw.Flush()
}

// actingUser reads the user --as names, who must be active.
func actingUser(ctx context.Context, s *store.Store, name string) (store.User, error) {
	if name == "" {
		return store.User{}, &UsageError{"--as USER is required: the account the action is taken as"}
	}
	u, err := s.User(ctx, name)
	if err != nil {
		return u, err
	}
	if u.Disabled {
		return u, mamori.Errorf(mamori.Forbidden, "利用者「%s」は無効です", "user %q is disabled", name)
	}
	return u, nil
}

func runInspectionOpen(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "inspection open", "inspection open [--db DB] --as USER (--project CODE --stage STAGE | --org CODE --year YYYY)")
	as := fs.String("as", "", "the user who opens it and inspects")
	project := fs.String("project", "", "the project's code")
	stage := fs.String("stage", "", "the project's stage (planning, requirements, procurement, development, operation)")
	org := fs.String("org", "", "the organization, for a fiscal-year round")
	year := fs.String("year", "", "the fiscal year, for a fiscal-year round")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"inspection open takes no arguments"}
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
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	it, err := svc.OpenInspection(ctx, u, workflow.Round{ProjectCode: *project, Stage: *stage, OrgCode: *org, FiscalYear: *year})
	if err != nil {
		return err
	}
	qs, err := s.InspectionAnswers(ctx, it.ID)
	if err != nil {
		return err
	}
	// The id alone on standard output, as workflow create does, so a
	// script can take it; what was opened on standard error.
	fmt.Fprintln(env.Stdout, it.ID)
	fmt.Fprintf(env.Stderr, "opened self-inspection %d (%s, organization %s): %d questions\n", it.ID, it.Subject, it.OrgCode, len(qs))
	return nil
}

func runInspectionAnswer(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "inspection answer", "inspection answer [--db DB] --as USER [--note TEXT] [--evidence N] ID CONTROL ANSWER")
	as := fs.String("as", "", "the inspector")
	note := fs.String("note", "", "what the answer rests on")
	evidence := fs.Int64("evidence", 0, "an attachment of the round (its id, as mamori workflow show lists it)")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 3 {
		fs.Usage()
		return &UsageError{"inspection answer needs a round id, a control and an answer"}
	}
	id, err := roundID(pos[0])
	if err != nil {
		return err
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
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	it, err := svc.Item(ctx, u, id)
	if err == nil && it.Kind != workflow.InspectionKind {
		err = mamori.Errorf(mamori.NotFound, "自己点検 %d はありません", "no self-inspection %d", id)
	}
	if err != nil {
		return err
	}
	qs, err := s.InspectionAnswers(ctx, id)
	if err != nil {
		return err
	}
	cat, ctl, qualified := strings.Cut(pos[1], ":")
	if !qualified {
		cat, ctl = "", pos[1]
	}
	var match []store.InspectionAnswer
	for _, q := range qs {
		if strings.EqualFold(q.ControlID, ctl) && (cat == "" || q.CatalogID == cat) {
			match = append(match, q)
		}
	}
	switch len(match) {
	case 0:
		return mamori.Errorf(mamori.Invalid, "自己点検 %d に管理策「%s」の設問はありません", "self-inspection %d asks nothing about control %q", id, mamori.Excerpt(pos[1]))
	case 1:
	default:
		return mamori.Errorf(mamori.Invalid, "管理策「%s」は複数のカタログにあります。CATALOG:ID で指定してください",
			"control %q is in more than one catalog: name it as CATALOG:ID", mamori.Excerpt(pos[1]))
	}
	q := match[0]
	// The round as read now: an answer given meanwhile by someone else
	// makes this one fail as stale rather than overwrite it unseen.
	if _, err := svc.AnswerInspection(ctx, u, id, it.Version, []workflow.Answer{{CatalogID: q.CatalogID, ControlID: q.ControlID,
		Answer: pos[2], Note: *note, AttachmentID: *evidence}}); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "self-inspection %d: %s:%s answered %s\n", id, q.CatalogID, q.ControlID, pos[2])
	return nil
}
