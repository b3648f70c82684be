package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"mamori/internal/forum"
	"mamori/internal/store"
)

const forumSynopsis = `forum COMMAND [flags]

Every command reads and writes as the user named by --as, who sees only
the threads open to everyone and those limited to their organizations'
subtrees or those above them.

Commands:
  list --as USER [--kind K] [--control ID] [--page N] [--format table|json]
                 the threads, the most recently active first
  show --as USER ID
                 one thread with its posts
  post --as USER [--org CODE] (--thread ID | --kind K --title T
       [--limit ORG] [--controls ID,ID]) TEXT
                 answer a thread, or open one (kind question, notice or
                 advice; --limit keeps it to an organization's subtree);
                 --org is the organization of USER's grants posting;
                 prints the new post's or thread's id
  search --as USER [--page N] QUERY
                 the threads holding QUERY (any 3 characters; shorter
                 queries look at the newest posts only)`

func runForum(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "forum", forumSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "list":
		return runForumList(ctx, env, args[1:])
	case "show":
		return runForumShow(ctx, env, args[1:])
	case "post":
		return runForumPost(ctx, env, args[1:])
	case "search":
		return runForumSearch(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "forum", forumSynopsis, args[0])
}

// forumUser opens the store and reads the acting user.
func forumUser(ctx context.Context, env *Env, db, as string) (*store.Store, store.User, error) {
	if as == "" {
		return nil, store.User{}, &UsageError{"--as USER is required: the forum shows and writes what that user may"}
	}
	s, err := openStore(ctx, env, dsn(env, db, DefaultDB))
	if err != nil {
		return nil, store.User{}, err
	}
	u, err := actingUser(ctx, s, as)
	if err != nil {
		s.Close()
		return nil, store.User{}, err
	}
	return s, u, nil
}

func printThreads(env *Env, ts []store.ForumThread, snippets []string) error {
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "id\tkind\torg\taudience\tcontrols\tanswers\tsolved\ttitle")
	for i, t := range ts {
		aud := "all"
		if t.LimitOrg != "" {
			aud = t.LimitOrg
		}
		solved := "-"
		if t.AcceptedPostID != 0 {
			solved = "yes"
		}
		title := oneLine(t.Title, 60)
		if snippets != nil {
			title += " — " + oneLine(snippets[i], 60)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d\t%s\t%s\n", t.ID, t.Kind, t.AuthorOrg, aud, orNone(strings.Join(t.Controls, ",")),
			t.Answers, solved, title)
	}
	return tw.Flush()
}

func runForumList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "forum list", "forum list [--db DB] --as USER [--kind K] [--control ID] [--page N] [--format table|json]")
	as := fs.String("as", "", "the user who reads")
	kind := fs.String("kind", "", "only threads of this kind (question, notice, advice)")
	control := fs.String("control", "", "only threads about this control")
	page := fs.Int("page", 1, "the page, 20 threads each")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"forum list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	s, u, err := forumUser(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	ts, total, err := forum.New(s).List(ctx, u, *kind, *control, *page)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if ts == nil {
			ts = []store.ForumThread{}
		}
		return enc.Encode(ts)
	}
	if err := printThreads(env, ts, nil); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d threads\n", total, total)
	return nil
}

func forumThreadID(raw string) (int64, error) {
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, &UsageError{fmt.Sprintf("thread id %q: want a positive number", raw)}
	}
	return id, nil
}

func runForumShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "forum show", "forum show [--db DB] --as USER ID")
	as := fs.String("as", "", "the user who reads")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &UsageError{"forum show needs one thread id"}
	}
	id, err := forumThreadID(pos[0])
	if err != nil {
		return err
	}
	s, u, err := forumUser(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	v, err := forum.New(s).Thread(ctx, u, id)
	if err != nil {
		return err
	}
	w := env.Stdout
	aud := "every organization"
	if v.LimitOrg != "" {
		aud = v.LimitOrg + " (its subtree and those above it)"
	}
	fmt.Fprintf(w, "thread %d [%s] %s\naudience: %s\ncontrols: %s\n", v.ID, v.Kind, v.Title, aud, orNone(strings.Join(v.Controls, ", ")))
	for i, p := range v.Posts {
		label := "answer"
		if i == 0 {
			label = "post"
		}
		if p.ID == v.AcceptedPostID {
			label = "accepted answer"
		}
		fmt.Fprintf(w, "\n#%d %s by %s (%s) %s\n", p.ID, label, p.Author, p.AuthorOrg, p.CreatedAt.In(japanTime).Format("2006-01-02 15:04"))
		if p.HiddenBy != "" {
			fmt.Fprintln(w, "(hidden by an administrator)")
			continue
		}
		fmt.Fprintln(w, p.Body)
	}
	return nil
}

func runForumPost(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "forum post", "forum post [--db DB] --as USER [--org CODE] (--thread ID | --kind K --title T [--limit ORG] [--controls ID,ID]) TEXT")
	as := fs.String("as", "", "the user who posts")
	org := fs.String("org", "", "the organization (of the user's grants) posting; default the first")
	thread := fs.Int64("thread", 0, "answer this thread")
	kind := fs.String("kind", "", "open a thread of this kind: question, notice or advice")
	title := fs.String("title", "", "the new thread's title")
	limit := fs.String("limit", "", "limit the new thread to this organization's subtree (and those above it)")
	controls := fs.String("controls", "", "the controls the new thread is about, separated by commas")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &UsageError{"forum post needs the text as one argument"}
	}
	if (*thread != 0) == (*kind != "") {
		return &UsageError{"forum post needs --thread ID (an answer) or --kind (a new thread), not both"}
	}
	s, u, err := forumUser(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	svc := forum.New(s)
	if *thread != 0 {
		id, err := svc.Answer(ctx, u, *thread, pos[0], *org)
		if err != nil {
			return err
		}
		fmt.Fprintln(env.Stdout, id) // the new post's id, for scripts
		return nil
	}
	var cs []string
	for _, c := range strings.Split(*controls, ",") {
		if c = strings.TrimSpace(c); c != "" {
			cs = append(cs, c)
		}
	}
	id, err := svc.Open(ctx, u, forum.NewThread{Kind: *kind, Title: *title, Body: pos[0], As: *org, Limit: *limit, Controls: cs})
	if err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout, id) // the new thread's id, for scripts
	return nil
}

func runForumSearch(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "forum search", "forum search [--db DB] --as USER [--page N] QUERY")
	as := fs.String("as", "", "the user who searches")
	page := fs.Int("page", 1, "the page, 20 threads each")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &UsageError{"forum search needs one query"}
	}
	s, u, err := forumUser(ctx, env, *db, *as)
	if err != nil {
		return err
	}
	defer s.Close()
	hits, total, err := forum.New(s).Search(ctx, u, pos[0], *page)
	if err != nil {
		return err
	}
	ts := make([]store.ForumThread, len(hits))
	sn := make([]string, len(hits))
	for i, h := range hits {
		ts[i] = h.Thread
		sn[i] = forum.Snippet(h.Body, pos[0], 40)
	}
	if err := printThreads(env, ts, sn); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d threads\n", total, total)
	return nil
}
