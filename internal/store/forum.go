package store

// The support forum (migration 30): threads across organizations, their
// posts, the controls they are about, and who read them. Package forum
// decides who may write what; every read here takes the reader's
// ForumAudience and leaves out, in the query itself, the threads limited
// to organizations the reader is not part of, so a thread outside it is
// answered exactly like one that does not exist.

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori"
)

// The kinds of thread.
const (
	ForumQuestion = "question"
	ForumNotice   = "notice"
	ForumAdvice   = "advice"
)

// ForumKinds are the kinds of thread, in display order.
var ForumKinds = []string{ForumQuestion, ForumNotice, ForumAdvice}

// ForumAudience is who reads: All sees every thread that is not hidden;
// otherwise a limited thread is seen when its limit_org is among Orgs (the
// reader's organizations, those under them and those above them).
type ForumAudience struct {
	All  bool
	Orgs []string
}

// cond writes the visibility condition on the thread alias t, appending
// its arguments to args.
func (a ForumAudience) cond(args *[]any) string {
	c := "t.hidden_at IS NULL"
	if a.All {
		return c
	}
	// coalesce keeps the planner off the limit_org index: the lists walk
	// forum_threads_last in order and stop at a page, where an OR of index
	// look-ups sorted every visible thread first (72 ms for 20,000 on
	// SQLite). An organization code is never empty.
	ph := []string{"''"}
	for _, o := range a.Orgs {
		*args = append(*args, o)
		ph = append(ph, "$"+strconv.Itoa(len(*args)))
	}
	return c + " AND coalesce(t.limit_org, '') IN (" + strings.Join(ph, ", ") + ")"
}

// ForumThread is a thread as lists show it.
type ForumThread struct {
	ID                    int64
	Kind, Title           string
	Author, AuthorOrg     string
	LimitOrg              string // "" for everyone
	CreatedAt, LastPostAt time.Time
	AcceptedPostID        int64 // 0 for none
	Controls              []string
	Answers               int // posts after the opening one, hidden ones included
}

// ForumPost is one post of a thread; the first is the opening post.
type ForumPost struct {
	ID, ThreadID      int64
	Author, AuthorOrg string
	Body              string // "" when hidden
	CreatedAt         time.Time
	EditedAt          time.Time // zero when never edited
	HiddenBy          string    // "" unless a moderator hid it
}

// NewForumThread is what opening a thread stores; SearchText is Title and
// Body folded as package forum folds queries.
type NewForumThread struct {
	Kind, Title, Body, SearchText string
	Author, AuthorOrg, LimitOrg   string
	Controls                      []string
	At                            time.Time
}

// forumTS writes a timestamp: UTC with nine fractional digits on SQLite,
// so that text order is time order.
func (s *Store) forumTS(t time.Time) any {
	if s.dialect == Postgres {
		return t.UTC()
	}
	return t.UTC().Format("2006-01-02T15:04:05.000000000Z")
}

func forumTime(v any) time.Time {
	if v == nil {
		return time.Time{}
	}
	t, _ := catalogTime(v)
	return t
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// CreateForumThread stores a thread with its opening post and controls in
// one transaction and returns its id.
func (s *Store) CreateForumThread(ctx context.Context, n NewForumThread) (id int64, err error) {
	err = s.inTx(ctx, "forum_threads", func(tx *sql.Tx) error {
		at := s.forumTS(n.At)
		if err := tx.QueryRowContext(ctx, `INSERT INTO forum_threads (kind, title, author, author_org, limit_org, created_at, last_post_at)
			VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id`, n.Kind, n.Title, n.Author, n.AuthorOrg, nullIfEmpty(n.LimitOrg), at).Scan(&id); err != nil {
			return translate(err, "insert forum_threads")
		}
		for _, c := range n.Controls {
			if _, err := tx.ExecContext(ctx, `INSERT INTO forum_thread_controls (thread_id, control_id) VALUES ($1, $2)`, id, c); err != nil {
				return translate(err, "insert forum_thread_controls")
			}
		}
		_, err := s.insertForumPost(ctx, tx, id, n.Author, n.AuthorOrg, n.Body, n.SearchText, n.At)
		return err
	})
	return id, err
}

func (s *Store) insertForumPost(ctx context.Context, tx *sql.Tx, thread int64, author, org, body, search string, at time.Time) (int64, error) {
	var id int64
	if err := tx.QueryRowContext(ctx, `INSERT INTO forum_posts (thread_id, author, author_org, body, search_text, created_at, month)
		VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id`, thread, author, org, body, search, s.forumTS(at), at.In(mamori.Japan).Format("2006-01")).Scan(&id); err != nil {
		return 0, translate(err, "insert forum_posts")
	}
	return id, nil
}

// noThread is the answer for a thread that does not exist, is hidden or
// lies outside the reader's audience: the same for all.
func noThread(id int64) error {
	return mamori.Errorf(mamori.NotFound, "スレッド %d はありません", "no forum thread %d", id)
}

const forumThreadCols = `t.id, t.kind, t.title, t.author, t.author_org, t.limit_org, t.created_at, t.last_post_at, t.accepted_post_id,
	(SELECT count(*) FROM forum_posts p WHERE p.thread_id = t.id) - 1`

func scanForumThread(sc interface{ Scan(...any) error }) (ForumThread, error) {
	var t ForumThread
	var limit sql.NullString
	var created, last any
	var accepted sql.NullInt64
	if err := sc.Scan(&t.ID, &t.Kind, &t.Title, &t.Author, &t.AuthorOrg, &limit, &created, &last, &accepted, &t.Answers); err != nil {
		return t, err
	}
	t.LimitOrg, t.AcceptedPostID = limit.String, accepted.Int64
	t.CreatedAt, t.LastPostAt = forumTime(created), forumTime(last)
	return t, nil
}

// ForumThread returns a thread the audience may read with its posts in
// order; NotFound when there is none (or it is hidden, or limited to
// others).
func (s *Store) ForumThread(ctx context.Context, a ForumAudience, id int64) (ForumThread, []ForumPost, error) {
	args := []any{id}
	t, err := scanForumThread(s.read.QueryRowContext(ctx, `SELECT `+forumThreadCols+` FROM forum_threads t WHERE t.id = $1 AND `+a.cond(&args), args...))
	if err == sql.ErrNoRows {
		return t, nil, noThread(id)
	}
	if err != nil {
		return t, nil, fmt.Errorf("store: forum_threads: %w", err)
	}
	if err := s.forumControls(ctx, []*ForumThread{&t}); err != nil {
		return t, nil, err
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, thread_id, author, author_org, body, created_at, edited_at, hidden_by
		FROM forum_posts WHERE thread_id = $1 ORDER BY id`, id)
	if err != nil {
		return t, nil, fmt.Errorf("store: forum_posts: %w", err)
	}
	defer rows.Close()
	var posts []ForumPost
	for rows.Next() {
		var p ForumPost
		var created, edited any
		if err := rows.Scan(&p.ID, &p.ThreadID, &p.Author, &p.AuthorOrg, &p.Body, &created, &edited, &p.HiddenBy); err != nil {
			return t, nil, fmt.Errorf("store: forum_posts: %w", err)
		}
		p.CreatedAt, p.EditedAt = forumTime(created), forumTime(edited)
		if p.HiddenBy != "" {
			p.Body = ""
		}
		posts = append(posts, p)
	}
	return t, posts, rows.Err()
}

// forumControls fills the Controls of threads.
func (s *Store) forumControls(ctx context.Context, ts []*ForumThread) error {
	if len(ts) == 0 {
		return nil
	}
	by := map[int64]*ForumThread{}
	args := make([]any, len(ts))
	for i, t := range ts {
		by[t.ID] = t
		args[i] = t.ID
	}
	rows, err := s.read.QueryContext(ctx, `SELECT thread_id, control_id FROM forum_thread_controls WHERE thread_id IN (`+
		placeholders(1, len(ts))+`) ORDER BY thread_id, control_id`, args...)
	if err != nil {
		return fmt.Errorf("store: forum_thread_controls: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var c string
		if err := rows.Scan(&id, &c); err != nil {
			return fmt.Errorf("store: forum_thread_controls: %w", err)
		}
		by[id].Controls = append(by[id].Controls, c)
	}
	return rows.Err()
}

// ForumFilter narrows a thread list; Limit and Offset page it.
type ForumFilter struct {
	Kind, Control string
	Limit, Offset int
}

// ForumThreads lists the threads the audience may read, the most recently
// active first, with the total.
func (s *Store) ForumThreads(ctx context.Context, a ForumAudience, f ForumFilter) ([]ForumThread, int, error) {
	var args []any
	where := a.cond(&args)
	if f.Kind != "" {
		args = append(args, f.Kind)
		where += " AND t.kind = $" + strconv.Itoa(len(args))
	}
	if f.Control != "" {
		args = append(args, f.Control)
		where += " AND t.id IN (SELECT thread_id FROM forum_thread_controls WHERE control_id = $" + strconv.Itoa(len(args)) + ")"
	}
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM forum_threads t WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: forum_threads: %w", err)
	}
	ts, err := s.forumThreadsWhere(ctx, where+" ORDER BY t.last_post_at DESC, t.id DESC"+limitOffset(f.Limit, f.Offset), args)
	return ts, total, err
}

func limitOffset(limit, offset int) string {
	if limit <= 0 {
		limit = 50
	}
	return fmt.Sprintf(" LIMIT %d OFFSET %d", limit, max(0, offset))
}

func (s *Store) forumThreadsWhere(ctx context.Context, where string, args []any) ([]ForumThread, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT `+forumThreadCols+` FROM forum_threads t WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: forum_threads: %w", err)
	}
	defer rows.Close()
	var out []ForumThread
	for rows.Next() {
		t, err := scanForumThread(rows)
		if err != nil {
			return nil, fmt.Errorf("store: forum_threads: %w", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: forum_threads: %w", err)
	}
	ptrs := make([]*ForumThread, len(out))
	for i := range out {
		ptrs[i] = &out[i]
	}
	return out, s.forumControls(ctx, ptrs)
}

// ForumThreadsFor returns, per control, up to perControl threads about it
// that the audience may read, the most recently active first.
func (s *Store) ForumThreadsFor(ctx context.Context, a ForumAudience, controls []string, perControl int) (map[string][]ForumThread, error) {
	out := map[string][]ForumThread{}
	seen := map[string]bool{}
	for _, c := range controls {
		if c == "" || seen[c] {
			continue
		}
		seen[c] = true
		args := []any{c}
		where := "t.id IN (SELECT thread_id FROM forum_thread_controls WHERE control_id = $1) AND " + a.cond(&args) +
			" ORDER BY t.last_post_at DESC, t.id DESC" + limitOffset(perControl, 0)
		ts, err := s.forumThreadsWhere(ctx, where, args)
		if err != nil {
			return nil, err
		}
		if len(ts) > 0 {
			out[c] = ts
		}
	}
	return out, nil
}

// AddForumPost adds an answer to a thread the audience may read, in one
// transaction with the thread's last activity, and returns its id.
func (s *Store) AddForumPost(ctx context.Context, a ForumAudience, thread int64, author, org, body, search string, at time.Time) (id int64, err error) {
	err = s.inTx(ctx, "forum_posts", func(tx *sql.Tx) error {
		args := []any{thread}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM forum_threads t WHERE t.id = $1 AND `+a.cond(&args), args...).Scan(&n); err != nil {
			return fmt.Errorf("store: forum_threads: %w", err)
		}
		if n == 0 {
			return noThread(thread)
		}
		if id, err = s.insertForumPost(ctx, tx, thread, author, org, body, search, at); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_threads SET last_post_at = $1 WHERE id = $2`, s.forumTS(at), thread); err != nil {
			return translate(err, "update forum_threads")
		}
		return nil
	})
	return id, err
}

// AcceptForumAnswer marks post as the thread's accepted answer ( 0 clears
// it). The caller has checked that the asker asks.
func (s *Store) AcceptForumAnswer(ctx context.Context, thread, post int64) error {
	return s.inTx(ctx, "forum_threads", func(tx *sql.Tx) error {
		var v any
		if post != 0 {
			var first int64
			if err := tx.QueryRowContext(ctx, `SELECT min(id) FROM forum_posts WHERE thread_id = $1`, thread).Scan(&first); err != nil {
				return fmt.Errorf("store: forum_posts: %w", err)
			}
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM forum_posts WHERE id = $1 AND thread_id = $2 AND hidden_by = ''`,
				post, thread).Scan(&n); err != nil {
				return fmt.Errorf("store: forum_posts: %w", err)
			}
			if n == 0 || post == first {
				return mamori.Errorf(mamori.Invalid, "投稿 %d はこのスレッドの回答ではありません", "post %d is not an answer in this thread", post)
			}
			v = post
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_threads SET accepted_post_id = $1 WHERE id = $2`, v, thread); err != nil {
			return translate(err, "update forum_threads")
		}
		return nil
	})
}

// EditForumPost replaces a post's text, keeping the text it replaces; it
// refuses once the thread has a later post, since an answer may rely on
// the words it answers.
func (s *Store) EditForumPost(ctx context.Context, post int64, body, search string, at time.Time) error {
	return s.inTx(ctx, "forum_posts", func(tx *sql.Tx) error {
		var old string
		var thread int64
		if err := tx.QueryRowContext(ctx, `SELECT body, thread_id FROM forum_posts WHERE id = $1 AND hidden_by = ''`, post).Scan(&old, &thread); err != nil {
			if err == sql.ErrNoRows {
				return mamori.Errorf(mamori.NotFound, "投稿 %d はありません", "no post %d", post)
			}
			return fmt.Errorf("store: forum_posts: %w", err)
		}
		var later int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM forum_posts WHERE thread_id = $1 AND id > $2`, thread, post).Scan(&later); err != nil {
			return fmt.Errorf("store: forum_posts: %w", err)
		}
		if later > 0 {
			return mamori.Errorf(mamori.Conflict, "この投稿には後から回答があるため編集できません。補足は新しい投稿でしてください",
				"this post has been answered and can no longer be edited; add a new post instead")
		}
		ts := s.forumTS(at)
		if _, err := tx.ExecContext(ctx, `INSERT INTO forum_post_edits (post_id, edited_at, body) VALUES ($1, $2, $3)`, post, ts, old); err != nil {
			return translate(err, "insert forum_post_edits")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_posts SET body = $1, search_text = $2, edited_at = $3 WHERE id = $4`, body, search, ts, post); err != nil {
			return translate(err, "update forum_posts")
		}
		return nil
	})
}

// HideForumPost hides a post (the moderator's act); hiding a thread's
// opening post hides the whole thread. It returns the thread's id.
func (s *Store) HideForumPost(ctx context.Context, post int64, by string, at time.Time) (thread int64, err error) {
	err = s.inTx(ctx, "forum_posts", func(tx *sql.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT thread_id FROM forum_posts WHERE id = $1`, post).Scan(&thread); err != nil {
			if err == sql.ErrNoRows {
				return mamori.Errorf(mamori.NotFound, "投稿 %d はありません", "no post %d", post)
			}
			return fmt.Errorf("store: forum_posts: %w", err)
		}
		ts := s.forumTS(at)
		if _, err := tx.ExecContext(ctx, `UPDATE forum_posts SET hidden_by = $1, hidden_at = $2 WHERE id = $3 AND hidden_by = ''`, by, ts, post); err != nil {
			return translate(err, "update forum_posts")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_threads SET hidden_by = $1, hidden_at = $2
			WHERE id = $3 AND hidden_at IS NULL AND $4 = (SELECT min(id) FROM forum_posts WHERE thread_id = $3)`, by, ts, thread, post); err != nil {
			return translate(err, "update forum_threads")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE forum_threads SET accepted_post_id = NULL WHERE id = $1 AND accepted_post_id = $2`, thread, post); err != nil {
			return translate(err, "update forum_threads")
		}
		return nil
	})
	return thread, err
}

// RecordForumView notes that user (of org) read the thread on day
// (YYYY-MM-DD): once per thread, user and day however often they look.
func (s *Store) RecordForumView(ctx context.Context, thread int64, user, org, day string) error {
	_, err := s.write.ExecContext(ctx, `INSERT INTO forum_views (thread_id, user_name, org_code, day) VALUES ($1, $2, $3, $4)
		ON CONFLICT (thread_id, user_name, day) DO NOTHING`, thread, user, org, day)
	return translate(err, "insert forum_views")
}

// ForumHit is a thread found by a search with the post that matched.
type ForumHit struct {
	Thread ForumThread
	PostID int64
	Body   string
}

// Search bounds: a query matches at most maxForumMatches posts; a query
// shorter than three characters (no trigram) scans only the newest
// shortScanPosts posts.
const (
	maxForumMatches = 1000
	shortScanPosts  = 5000
)

// SearchForum finds the threads the audience may read with a post whose
// folded text holds q (folded the same way), the newest match first, and
// the number of such threads (at most maxForumMatches posts counted). A
// query of three characters or more uses the trigram index (FTS5 on
// SQLite, pg_trgm on PostgreSQL); a shorter one scans the newest posts.
func (s *Store) SearchForum(ctx context.Context, a ForumAudience, q string, limit, offset int) ([]ForumHit, int, error) {
	if q == "" {
		return nil, 0, nil
	}
	// The matches are bounded among the posts the audience may read:
	// bounding every post first let posts of a thread the reader may not
	// read push the reader's own hits out, so the reader could count the
	// hidden posts holding any word.
	var args []any
	var match string
	short := utf8.RuneCountInString(q) < 3
	switch {
	case short:
		args = append(args, "%"+likeEscape(q)+"%", shortScanPosts)
		// The scan window stays the newest posts of all: what others post
		// moves it, but which of them hold the query no longer shows.
		match = `SELECT p.id, p.thread_id FROM (SELECT id, thread_id, search_text, hidden_by FROM forum_posts ORDER BY id DESC LIMIT $2) p
			JOIN forum_threads t ON t.id = p.thread_id WHERE p.search_text LIKE $1 ESCAPE '\' AND p.hidden_by = '' AND ` + a.cond(&args)
	case s.dialect == Postgres:
		args = append(args, "%"+likeEscape(q)+"%")
		// OFFSET 0 keeps the trigram index deciding first: otherwise the
		// planner walks every post newest first, joining its thread.
		match = `SELECT p.id, p.thread_id FROM (SELECT id, thread_id FROM forum_posts WHERE search_text LIKE $1 ESCAPE '\'
			AND hidden_by = '' OFFSET 0) p JOIN forum_threads t ON t.id = p.thread_id WHERE ` + a.cond(&args)
	default:
		args = append(args, `"`+strings.ReplaceAll(q, `"`, `""`)+`"`)
		match = `SELECT p.id, p.thread_id FROM forum_fts f JOIN forum_posts p ON p.id = f.rowid JOIN forum_threads t ON t.id = p.thread_id
			WHERE forum_fts MATCH $1 AND p.hidden_by = '' AND ` + a.cond(&args)
	}
	args = append(args, maxForumMatches)
	match += " ORDER BY p.id DESC LIMIT $" + strconv.Itoa(len(args))
	where := a.cond(&args)
	base := `SELECT m.thread_id, max(m.id) AS post FROM (` + match + `) m JOIN forum_threads t ON t.id = m.thread_id WHERE ` + where + ` GROUP BY m.thread_id`
	var total int
	if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM (`+base+`) x`, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: search forum: %w", err)
	}
	rows, err := s.read.QueryContext(ctx, base+` ORDER BY post DESC`+limitOffset(limit, offset), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: search forum: %w", err)
	}
	var hits []ForumHit
	for rows.Next() {
		var h ForumHit
		if err := rows.Scan(&h.Thread.ID, &h.PostID); err != nil {
			rows.Close()
			return nil, 0, fmt.Errorf("store: search forum: %w", err)
		}
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("store: search forum: %w", err)
	}
	for i := range hits {
		args := []any{hits[i].Thread.ID}
		ts, err := s.forumThreadsWhere(ctx, "t.id = $1 AND "+a.cond(&args), args)
		if err != nil {
			return nil, 0, err
		}
		if len(ts) == 1 {
			hits[i].Thread = ts[0]
		}
		if err := s.read.QueryRowContext(ctx, `SELECT body FROM forum_posts WHERE id = $1`, hits[i].PostID).Scan(&hits[i].Body); err != nil {
			return nil, 0, fmt.Errorf("store: forum_posts: %w", err)
		}
	}
	return hits, total, nil
}

// likeEscape escapes LIKE's wildcards and its escape character.
func likeEscape(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s)
}

// ForumUsage is one organization's use of the forum in one month.
type ForumUsage struct {
	OrgCode, Month                   string
	Threads, Posts, Answers, Readers int
}

// ForumUsageByMonth counts, per organization of orgs (nil: all) and month,
// the threads opened, the posts written, the answers among them and the
// distinct readers.
func (s *Store) ForumUsageByMonth(ctx context.Context, orgs []string) ([]ForumUsage, error) {
	var args []any
	in := func(col string) string {
		if orgs == nil {
			return ""
		}
		if len(orgs) == 0 {
			return " WHERE 1 = 0"
		}
		start := len(args) + 1
		for _, o := range orgs {
			args = append(args, o)
		}
		return " WHERE " + col + " IN (" + placeholders(start, len(orgs)) + ")"
	}
	q := `SELECT p.author_org, p.month, count(*),
			sum(CASE WHEN p.id = (SELECT min(id) FROM forum_posts f WHERE f.thread_id = p.thread_id) THEN 1 ELSE 0 END), 0
		FROM forum_posts p` + in("p.author_org") + ` GROUP BY p.author_org, p.month
		UNION ALL
		SELECT v.org_code, substr(v.day, 1, 7), 0, 0, count(DISTINCT v.user_name)
		FROM forum_views v` + in("v.org_code") + ` GROUP BY v.org_code, substr(v.day, 1, 7)`
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("store: forum usage: %w", err)
	}
	defer rows.Close()
	by := map[[2]string]*ForumUsage{}
	var out []*ForumUsage
	for rows.Next() {
		var org, month string
		var posts, threads, readers int
		if err := rows.Scan(&org, &month, &posts, &threads, &readers); err != nil {
			return nil, fmt.Errorf("store: forum usage: %w", err)
		}
		k := [2]string{org, month}
		u := by[k]
		if u == nil {
			u = &ForumUsage{OrgCode: org, Month: month}
			by[k] = u
			out = append(out, u)
		}
		u.Posts += posts
		u.Threads += threads
		u.Answers += posts - threads
		u.Readers += readers
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: forum usage: %w", err)
	}
	res := make([]ForumUsage, len(out))
	for i, u := range out {
		res[i] = *u
	}
	return res, nil
}
