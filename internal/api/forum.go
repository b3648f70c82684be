package api

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/forum"
	"mamori/internal/store"
)

// The support forum's routes (issue 15, item 7): list, read and open
// threads, answer them, and search. Every rule is package forum's, through
// the calls the pages and the CLI make; a thread the caller may not read
// answers 404 like a missing one, whatever the route.

func (s *server) forumRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/forum/threads", s.authed(s.forumList))
	mux.Handle("POST /api/v1/forum/threads", s.writes(s.forumOpen))
	mux.Handle("GET /api/v1/forum/threads/{id}", s.authed(s.forumThread))
	mux.Handle("POST /api/v1/forum/threads/{id}/posts", s.writes(s.forumAnswer))
	mux.Handle("GET /api/v1/forum/search", s.authed(s.forumSearch))
}

func forumThreadURL(id int64) string { return "/api/v1/forum/threads/" + strconv.FormatInt(id, 10) }

// ForumThread is a thread as lists show it.
type ForumThread struct {
	ID        int64    `json:"id"`
	Kind      string   `json:"kind"`
	Title     string   `json:"title"`
	Author    string   `json:"author"`
	AuthorOrg string   `json:"author_org"`
	LimitOrg  string   `json:"limit_org,omitempty"`
	Controls  []string `json:"controls"`
	Answers   int      `json:"answers"`
	Accepted  int64    `json:"accepted_post,omitempty"`
	CreatedAt string   `json:"created_at"`
	LastPost  string   `json:"last_post_at"`
	URL       string   `json:"url"`
}

func forumThreadOf(t store.ForumThread) ForumThread {
	c := t.Controls
	if c == nil {
		c = []string{}
	}
	return ForumThread{ID: t.ID, Kind: t.Kind, Title: t.Title, Author: t.Author, AuthorOrg: t.AuthorOrg, LimitOrg: t.LimitOrg,
		Controls: c, Answers: t.Answers, Accepted: t.AcceptedPostID, CreatedAt: t.CreatedAt.UTC().Format(time.RFC3339),
		LastPost: t.LastPostAt.UTC().Format(time.RFC3339), URL: forumThreadURL(t.ID)}
}

// ForumList is one page of threads.
type ForumList struct {
	Total   int           `json:"total"`
	Page    int           `json:"page"`
	Threads []ForumThread `json:"threads"`
}

func (s *server) forumList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	ts, total, err := s.forum.List(r.Context(), c.user, q.Get("kind"), q.Get("control"), p)
	if err != nil {
		return nil, err
	}
	out := ForumList{Total: total, Page: p, Threads: []ForumThread{}}
	for _, t := range ts {
		out.Threads = append(out.Threads, forumThreadOf(t))
	}
	return out, nil
}

// ForumPost is one post of a thread; a hidden one has no body.
type ForumPost struct {
	ID        int64  `json:"id"`
	Author    string `json:"author"`
	AuthorOrg string `json:"author_org"`
	Body      string `json:"body"`
	CreatedAt string `json:"created_at"`
	EditedAt  string `json:"edited_at,omitempty"`
	Hidden    bool   `json:"hidden"`
	Accepted  bool   `json:"accepted"`
}

// ForumThreadDetail is a thread with its posts, the opening one first.
type ForumThreadDetail struct {
	ForumThread
	Posts []ForumPost `json:"posts"`
}

func forumID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, mamori.Errorf(mamori.NotFound, "スレッド「%s」はありません", "no forum thread %q", clip(raw))
	}
	return id, nil
}

func (s *server) forumDetail(r *http.Request, c *caller, id int64) (ForumThreadDetail, error) {
	v, err := s.forum.Thread(r.Context(), c.user, id)
	if err != nil {
		return ForumThreadDetail{}, err
	}
	out := ForumThreadDetail{ForumThread: forumThreadOf(v.ForumThread), Posts: []ForumPost{}}
	for _, p := range v.Posts {
		fp := ForumPost{ID: p.ID, Author: p.Author, AuthorOrg: p.AuthorOrg, Body: p.Body, CreatedAt: p.CreatedAt.UTC().Format(time.RFC3339),
			Hidden: p.HiddenBy != "", Accepted: p.ID == v.AcceptedPostID}
		if !p.EditedAt.IsZero() {
			fp.EditedAt = p.EditedAt.UTC().Format(time.RFC3339)
		}
		out.Posts = append(out.Posts, fp)
	}
	return out, nil
}

func (s *server) forumThread(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	id, err := forumID(r)
	if err != nil {
		return nil, err
	}
	return s.forumDetail(r, c, id)
}

// ForumOpen is the body of POST /forum/threads.
type ForumOpen struct {
	Kind     string   `json:"kind"`
	Title    string   `json:"title"`
	Body     string   `json:"body"`
	As       string   `json:"as"`
	Limit    string   `json:"limit_org"`
	Controls []string `json:"controls"`
}

func (s *server) forumOpen(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	var in ForumOpen
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	id, err := s.forum.Open(r.Context(), c.user, forum.NewThread{Kind: in.Kind, Title: in.Title, Body: in.Body, As: in.As,
		Limit: in.Limit, Controls: in.Controls})
	if err != nil {
		return nil, err
	}
	out, err := s.forumDetail(r, c, id)
	if err != nil {
		return nil, err
	}
	return created{location: forumThreadURL(id), body: out}, nil
}

// ForumAnswer is the body of POST /forum/threads/{id}/posts.
type ForumAnswer struct {
	Body string `json:"body"`
	As   string `json:"as"`
}

func (s *server) forumAnswer(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	id, err := forumID(r)
	if err != nil {
		return nil, err
	}
	var in ForumAnswer
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if _, err := s.forum.Answer(r.Context(), c.user, id, in.Body, in.As); err != nil {
		return nil, err
	}
	out, err := s.forumDetail(r, c, id)
	if err != nil {
		return nil, err
	}
	return created{location: forumThreadURL(id), body: out}, nil
}

// ForumHit is a thread a search found, with the matching text.
type ForumHit struct {
	ForumThread
	Post    int64  `json:"post"`
	Snippet string `json:"snippet"`
}

// ForumSearch is one page of a search's threads.
type ForumSearch struct {
	Query   string     `json:"q"`
	Total   int        `json:"total"`
	Page    int        `json:"page"`
	Threads []ForumHit `json:"threads"`
}

func (s *server) forumSearch(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	q := strings.TrimSpace(r.URL.Query().Get("q"))
	if q == "" {
		return nil, mamori.Errorf(mamori.Invalid, "パラメータ「q」に検索語を指定してください", "parameter q: give a query")
	}
	hits, total, err := s.forum.Search(r.Context(), c.user, q, p)
	if err != nil {
		return nil, err
	}
	out := ForumSearch{Query: q, Total: total, Page: p, Threads: []ForumHit{}}
	for _, h := range hits {
		out.Threads = append(out.Threads, ForumHit{ForumThread: forumThreadOf(h.Thread), Post: h.PostID, Snippet: forum.Snippet(h.Body, q, 80)})
	}
	return out, nil
}
