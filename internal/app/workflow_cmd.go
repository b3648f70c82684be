package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The workflow commands that act (issue 14 item 8): create, act, comment
// and attach, for every workflow of workflow.All(), through the same
// workflow service as the pages and the API. The command line is the
// server's operator, but here it acts only "as" a named user (--as): the
// service applies that user's roles over their grants' subtrees and the
// separation of duties, so an operator cannot take a step the user could
// not take in the browser. The history and the service's audit entries
// name the user; a second audit entry names the operator (cli:$USER) who
// acted as them.

const workflowActSynopsis = `  create --kind K --org CODE --subject S [--severity S] [--due YYYY-MM-DD]
         [--detail NAME=VALUE]... [--comment TEXT] --as USER
                 open an item as USER (its applicant); prints its id
  act ID --transition T --version N [--assignee USER] [--comment TEXT]
         [--detail NAME=VALUE]... --as USER
                 take one transition as USER, naming the version seen
  comment ID --as USER TEXT
                 add a comment to the item's history as USER ("-": standard input)
  attach ID [--type MEDIA] --as USER FILE
                 attach FILE as evidence as USER (PDF, PNG, JPEG, text, CSV, xlsx,
                 docx by content; 10 MiB at most)

The commands that change an item act as the user named by --as, with that
user's roles and separation of duties: the command line cannot take a step
the user could not take in the browser. The audit trail names both the user
and the operator (cli:$USER).`

// detailFlags collects --detail NAME=VALUE, repeatable.
type detailFlags map[string]string

func (d detailFlags) String() string { return "" }

func (d detailFlags) Set(v string) error {
	name, value, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(name) == "" {
		return fmt.Errorf("want NAME=VALUE, not %q", v)
	}
	name = strings.TrimSpace(name)
	if _, dup := d[name]; dup {
		return fmt.Errorf("detail %q given twice", name)
	}
	d[name] = value
	return nil
}

// workflowActor opens the store and the workflow service and reads the
// user named by --as, who must exist and be enabled.
func workflowActor(ctx context.Context, env *Env, db, as string) (*store.Store, *workflow.Service, store.User, error) {
	if strings.TrimSpace(as) == "" {
		return nil, nil, store.User{}, &UsageError{"--as USER is required: the command acts as that user, with their roles"}
	}
	s, err := openStore(ctx, env, dsn(env, db, DefaultDB))
	if err != nil {
		return nil, nil, store.User{}, err
	}
	u, err := s.User(ctx, as)
	if err == nil && u.Disabled {
		err = mamori.Errorf(mamori.Forbidden, "利用者「%s」は無効にされています", "user %q is disabled", as)
	} else if mamori.KindOf(err) == mamori.NotFound {
		err = mamori.Errorf(mamori.NotFound, "利用者「%s」はいません", "no user %q", as)
	}
	if err != nil {
		s.Close()
		return nil, nil, store.User{}, err
	}
	wo, err := envWorkflowOptions(env) // the deployment's longest export
	if err != nil {
		s.Close()
		return nil, nil, store.User{}, err
	}
	wf, err := workflowService(s, wo, nil)
	if err != nil {
		s.Close()
		return nil, nil, store.User{}, err
	}
	return s, wf, u, nil
}

// recordOperator files who at the command line acted as u on it, beside
// the service's own entry (which names u).
func recordOperator(ctx context.Context, env *Env, s *store.Store, u store.User, it store.WorkflowItem, command string) error {
	_, err := audit.Record(ctx, s, audit.CLIActor(env.Getenv), workflow.AuditAction, fmt.Sprintf("workflow/%s/%d", it.Kind, it.ID),
		it.OrgCode, map[string]any{"event": "cli", "command": command, "as": u.Name, "version": it.Version})
	return err
}

// workflowItemArg reads the one positional item id (and the rest).
func workflowItemArg(fs *flag.FlagSet, args []string, rest int) (int64, []string, error) {
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return 0, nil, err
	}
	if len(pos) != 1+rest {
		fs.Usage()
		if rest == 0 {
			return 0, nil, &UsageError{fs.Name() + " needs one item id"}
		}
		return 0, nil, &UsageError{fmt.Sprintf("%s needs an item id and one more argument", fs.Name())}
	}
	id, err := strconv.ParseInt(pos[0], 10, 64)
	if err != nil || id <= 0 {
		return 0, nil, &UsageError{fmt.Sprintf("item id %q: want a positive number", pos[0])}
	}
	return id, pos[1:], nil
}

func runWorkflowCreateItem(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow create", "workflow create [--db DB] --kind K --org CODE --subject S [--severity S] [--due YYYY-MM-DD] [--detail NAME=VALUE]... [--comment TEXT] --as USER")
	kind := fs.String("kind", "", "the workflow (see mamori workflow list, or GET /api/v1/workflow-definitions)")
	org := fs.String("org", "", "the organization the item is filed under")
	subject := fs.String("subject", "", "what it concerns: a finding, a system code, …")
	severity := fs.String("severity", "", "the severity, for a workflow that grades its items")
	due := fs.String("due", "", "the due date, YYYY-MM-DD (not in the past); a remediation item: default and latest by its severity")
	comment := fs.String("comment", "", "why, kept in the history")
	as := fs.String("as", "", "the user who opens it (required)")
	details := detailFlags{}
	fs.Var(details, "detail", "a field the workflow declares, NAME=VALUE (repeatable)")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		fs.Usage()
		return &UsageError{"workflow create takes no arguments"}
	}
	if *kind == "" {
		return &UsageError{"--kind is required (" + strings.Join(workflowKinds(), ", ") + ")"}
	}
	s, wf, u, err := workflowActor(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	if err := checkCLIComment(*comment); err != nil {
		return err
	}
	it, err := wf.Create(ctx, u, *kind, workflow.NewItem{Subject: strings.TrimSpace(*subject), OrgCode: strings.TrimSpace(*org),
		Severity: *severity, DueOn: strings.TrimSpace(*due), Comment: strings.TrimSpace(*comment), Details: details})
	if err != nil {
		return err
	}
	if err := recordOperator(ctx, env, s, u, it, "create"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stderr, "案件 %d を起票しました / created item %d (%s, state %s, version %d)\n", it.ID, it.ID, it.Kind, it.State, it.Version)
	fmt.Fprintln(env.Stdout, it.ID)
	return nil
}

// workflowKinds lists every workflow's kind.
func workflowKinds() []string {
	var out []string
	for _, d := range workflow.All() {
		out = append(out, d.Kind)
	}
	return out
}

func checkCLIComment(text string) error {
	if n := len([]rune(text)); n > workflow.MaxComment {
		return mamori.Errorf(mamori.Invalid, "コメントが長すぎます（%d 文字、上限 %d 文字）",
			"the comment is too long (%d characters, at most %d)", n, workflow.MaxComment)
	}
	return nil
}

func runWorkflowTransition(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow act", "workflow act [--db DB] ID --transition T --version N [--assignee USER] [--comment TEXT] [--detail NAME=VALUE]... --as USER")
	transition := fs.String("transition", "", "the transition to take (required)")
	version := fs.Int64("version", 0, "the version of the item you saw, from workflow show (required)")
	assignee := fs.String("assignee", "", "the new assignee, for a transition that assigns")
	comment := fs.String("comment", "", "why, kept in the history")
	as := fs.String("as", "", "the user who acts (required)")
	details := detailFlags{}
	fs.Var(details, "detail", "a field the transition sets, NAME=VALUE; an empty VALUE clears it (repeatable)")
	build := notifyFlags(fs) // an assignment tells the assignee
	id, _, err := workflowItemArg(fs, args, 0)
	if err != nil {
		return err
	}
	if *transition == "" {
		return &UsageError{"--transition is required"}
	}
	if *version <= 0 {
		return &UsageError{"--version is required: the version of the item you saw (mamori workflow show ID)"}
	}
	s, wf, u, err := workflowActor(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	if wf.Notifier, err = cliNotifier(env, s, build); err != nil {
		return err
	}
	if err := checkCLIComment(*comment); err != nil {
		return err
	}
	before, err := wf.Item(ctx, u, id)
	if err != nil {
		return err
	}
	it, err := wf.Act(ctx, u, id, workflow.Step{Transition: *transition, Version: *version, Comment: strings.TrimSpace(*comment),
		Assignee: strings.TrimSpace(*assignee), Details: details})
	if err != nil {
		return err
	}
	if err := recordOperator(ctx, env, s, u, it, "act"); err != nil {
		return err
	}
	from := before.State
	if before.Version != *version {
		from = "?" // moved between the read and the action: the history tells
	}
	fmt.Fprintf(env.Stdout, "item %d (%s): %s, %s → %s, version %d\n", it.ID, it.Kind, *transition, from, it.State, it.Version)
	return nil
}

func runWorkflowAddComment(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow comment", "workflow comment [--db DB] ID --as USER TEXT (TEXT - reads standard input)")
	as := fs.String("as", "", "the user who comments (required)")
	id, rest, err := workflowItemArg(fs, args, 1)
	if err != nil {
		return err
	}
	text := rest[0]
	if text == "-" {
		b, err := io.ReadAll(io.LimitReader(env.Stdin, 4*workflow.MaxComment+1))
		if err != nil {
			return err
		}
		text = string(b)
	}
	s, wf, u, err := workflowActor(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	it, err := wf.Comment(ctx, u, id, text)
	if err != nil {
		return err
	}
	if err := recordOperator(ctx, env, s, u, it, "comment"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "item %d (%s): comment added, version %d\n", it.ID, it.Kind, it.Version)
	return nil
}

func runWorkflowAddEvidence(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "workflow attach", "workflow attach [--db DB] ID --as USER FILE")
	as := fs.String("as", "", "the user who attaches it (required)")
	declared := fs.String("type", "", "the file's media type, if known (text/csv for CSV); the content decides")
	id, rest, err := workflowItemArg(fs, args, 1)
	if err != nil {
		return err
	}
	s, wf, u, err := workflowActor(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	it, err := wf.Item(ctx, u, id)
	if err != nil {
		return err
	}
	// Who may not add to the item is told so before the file is read.
	if err := wf.MayAdd(ctx, u, it); err != nil {
		return err
	}
	limit := wf.MaxAttachment
	if limit <= 0 {
		limit = workflow.DefaultMaxAttachment
	}
	f, err := os.Open(rest[0])
	if err != nil {
		return mamori.Errorf(mamori.Invalid, "ファイル「%s」を開けません: %v", "cannot open %s: %v", rest[0], err)
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return mamori.Errorf(mamori.Invalid, "ファイル「%s」を読めません: %v", "cannot read %s: %v", rest[0], err)
	}
	if strings.HasSuffix(strings.ToLower(rest[0]), ".csv") && *declared == "" {
		*declared = workflow.CSV // CSV has no signature: its name is the only claim
	}
	a, err := wf.Attach(ctx, u, id, filepath.Base(rest[0]), *declared, content)
	if err != nil {
		return err
	}
	if err := recordOperator(ctx, env, s, u, it, "attach"); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "item %d (%s): evidence %s attached, %s, %d bytes, sha256 %s\n", it.ID, it.Kind, a.Name, a.MediaType, a.Size, a.SHA256)
	return nil
}
