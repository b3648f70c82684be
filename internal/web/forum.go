package web

// The support forum's pages (issue 15, item 7): the thread list, search,
// a thread with its answers, the form that opens a question (from a
// finding, pre-filled with its control), and the usage page. Every rule
// and every visibility decision is package forum's; a thread the viewer
// may not read answers 404 like a missing one.

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/chart"
	"mamori/internal/forum"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

func (s *server) forumRoutes(mux *http.ServeMux) {
	mux.Handle("GET /forum", s.handle(s.forumList))
	mux.Handle("GET /forum/search", s.handle(s.forumSearch))
	mux.Handle("GET /forum/usage", s.handle(s.forumUsage))
	mux.Handle("GET /forum/new", s.handle(s.forumNew))
	mux.Handle("POST /forum/new", s.handle(s.forumCreate))
	mux.Handle("GET /forum/{id}", s.handle(s.forumThread))
	mux.Handle("POST /forum/{id}/posts", s.handle(s.forumAnswer))
	mux.Handle("POST /forum/{id}/accept", s.handle(s.forumAccept))
	mux.Handle("POST /forum/{id}/edit", s.handle(s.forumEdit))
	mux.Handle("POST /forum/{id}/hide", s.handle(s.forumHide))
}

func forumURL(id int64) string { return "/forum/" + strconv.FormatInt(id, 10) }

// forumID reads the thread id of the path; anything else is a thread that
// does not exist.
func forumID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, mamori.Errorf(mamori.NotFound, "スレッド %s はありません", "no forum thread %s", clip(raw, 20))
	}
	return id, nil
}

// forumKind names a kind of thread in both languages.
func forumKind(kind string) labelled {
	switch kind {
	case store.ForumQuestion:
		return labelled{Value: kind, JA: "質問", EN: "Question"}
	case store.ForumNotice:
		return labelled{Value: kind, JA: "インシデント情報", EN: "Incident notice"}
	case store.ForumAdvice:
		return labelled{Value: kind, JA: "専門家の助言", EN: "Expert advice"}
	}
	return labelled{Value: kind, JA: kind, EN: kind}
}

// forumRow is a thread in a list.
type forumRow struct {
	ID                     int64
	URL, Title             string
	Kind                   labelled
	AuthorOrg, AuthorOrgNm string
	LimitOrg, LimitOrgName string
	LastPost               string
	Answers                int
	Accepted               bool
	Controls               []string
	Snippet                string // search results: the matching text
}

func (s *server) forumRows(r *http.Request, l *i18n.Localizer, ts []store.ForumThread) ([]forumRow, error) {
	var codes []string
	for _, t := range ts {
		codes = append(codes, t.AuthorOrg, t.LimitOrg)
	}
	names, err := s.names(r.Context(), organizations, codes...)
	if err != nil {
		return nil, err
	}
	// A thread limited to an organization above the viewer's scope names
	// it by its code.
	limitNames := map[string]string{}
	for _, t := range ts {
		if mayView(r, t.LimitOrg) {
			limitNames[t.LimitOrg] = names[t.LimitOrg]
		}
	}
	out := make([]forumRow, len(ts))
	for i, t := range ts {
		out[i] = forumRow{ID: t.ID, URL: forumURL(t.ID), Title: t.Title, Kind: forumKind(t.Kind), AuthorOrg: t.AuthorOrg,
			AuthorOrgNm: names[t.AuthorOrg], LimitOrg: t.LimitOrg, LimitOrgName: limitNames[t.LimitOrg],
			LastPost: l.DateString(t.LastPostAt.In(mamori.Japan).Format("2006-01-02")), Answers: t.Answers, Accepted: t.AcceptedPostID != 0, Controls: t.Controls}
	}
	return out, nil
}

// forumListView is the list and the search page.
type forumListView struct {
	Search           bool
	Query, Kind      string
	Control          string
	Kinds            []labelled
	Rows             []forumRow
	Total, Page      int
	Pages            int
	PrevURL, NextURL string
	Short            bool // a query under three characters: the bounded scan
	MayUsage         bool
}

func forumPageURL(path string, v url.Values, page int) string {
	u := url.Values{}
	for k, vs := range v {
		if k != "page" && k != "lang" {
			u[k] = vs
		}
	}
	if page > 1 {
		u.Set("page", strconv.Itoa(page))
	}
	if len(u) == 0 {
		return path
	}
	return path + "?" + u.Encode()
}

func (v *forumListView) paging(path string, q url.Values, total int) {
	v.Total = total
	v.Pages = max(1, min(forum.MaxPage, (total+forum.PageSize-1)/forum.PageSize))
	if v.Page > 1 {
		v.PrevURL = forumPageURL(path, q, min(v.Page-1, v.Pages))
	}
	if v.Page < v.Pages {
		v.NextURL = forumPageURL(path, q, v.Page+1)
	}
}

func forumKinds(selected string) []labelled {
	var out []labelled
	for _, k := range store.ForumKinds {
		l := forumKind(k)
		l.Selected = k == selected
		out = append(out, l)
	}
	return out
}

func (s *server) forumList(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := parsePage(q.Get("page"))
	if err != nil {
		return err
	}
	kind, err := textParam(q, "kind")
	if err != nil {
		return err
	}
	control, err := textParam(q, "control")
	if err != nil {
		return err
	}
	ts, total, err := s.forum.List(r.Context(), u, kind, control, page)
	if err != nil {
		return err
	}
	l := s.loc(r)
	v := forumListView{Kind: kind, Control: control, Kinds: forumKinds(kind), Page: page, MayUsage: s.mayForumUsage(r)}
	if v.Rows, err = s.forumRows(r, l, ts); err != nil {
		return err
	}
	v.paging("/forum", q, total)
	return s.render(w, r, http.StatusOK, "forum.html", l.MustT("forum.title"), "forum", v)
}

func (s *server) forumSearch(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	page, err := parsePage(q.Get("page"))
	if err != nil {
		return err
	}
	query, err := textParam(q, "q")
	if err != nil {
		return err
	}
	hits, total, err := s.forum.Search(r.Context(), u, query, page)
	if err != nil {
		return err
	}
	l := s.loc(r)
	v := forumListView{Search: true, Query: query, Kinds: forumKinds(""), Page: page, MayUsage: s.mayForumUsage(r),
		Short: query != "" && len([]rune(forum.Fold(query))) < 3}
	ts := make([]store.ForumThread, len(hits))
	for i, h := range hits {
		ts[i] = h.Thread
	}
	if v.Rows, err = s.forumRows(r, l, ts); err != nil {
		return err
	}
	for i, h := range hits {
		v.Rows[i].Snippet = forum.Snippet(h.Body, query, 80)
		v.Rows[i].URL += "#post-" + strconv.FormatInt(h.PostID, 10)
	}
	v.paging("/forum/search", q, total)
	return s.render(w, r, http.StatusOK, "forum.html", l.MustT("forum.search.title"), "forum", v)
}

// forumNewView is the form that opens a thread.
type forumNewView struct {
	Kinds       []labelled
	Title, Body string
	Controls    string
	As          []orgOption // the organizations of the author's grants
	Limits      []orgOption // where the thread may be limited to
	// The finding the question is about, shown to the asker only: the
	// thread carries its control, and whatever the asker writes.
	Finding            string
	FindingControl     string
	FindingTitle       string
	Message, MessageEN string
}

// maxLimitChoices bounds the audience choices a form offers.
const maxLimitChoices = 200

func (s *server) forumNewView(r *http.Request, u store.User, kind, as, limit string) (*forumNewView, error) {
	ctx := r.Context()
	v := &forumNewView{Kinds: forumKinds(kind)}
	parents, err := s.store.OrgParents(ctx)
	if err != nil {
		return nil, err
	}
	choices := map[string]bool{}
	var codes []string
	for _, g := range u.Grants {
		if !slices.Contains(codes, g.OrgCode) {
			codes = append(codes, g.OrgCode)
		}
		ok, err := s.forum.LimitChoices(ctx, g.OrgCode)
		if err != nil {
			return nil, err
		}
		// The organization, those above it and the heads under it
		// (prefectures, ministries), not every office of the subtree.
		for c := range ok {
			choices[c] = true
		}
	}
	kinds := map[string]string{}
	e := organizations
	ci, ki, ni := e.FieldIndex("code"), e.FieldIndex("kind"), e.FieldIndex("name")
	names := map[string]string{}
	if err := s.store.Dump(ctx, e, func(rec mamori.Record) error {
		c, _ := rec[ci].(string)
		if choices[c] {
			kinds[c], _ = rec[ki].(string)
			names[c], _ = rec[ni].(string)
		}
		return nil
	}); err != nil {
		return nil, err
	}
	for _, c := range codes {
		v.As = append(v.As, orgOption{Code: c, Name: names[c], Selected: c == as})
	}
	var lim []string
	for c := range choices {
		isGrant := slices.Contains(codes, c)
		above := false
		for _, g := range codes {
			for p := parents[g]; p != ""; p = parents[p] {
				above = above || p == c
			}
		}
		if isGrant || above || kinds[c] == "prefecture" || kinds[c] == "ministry" || c == limit {
			lim = append(lim, c)
		}
	}
	slices.Sort(lim)
	if len(lim) > maxLimitChoices {
		lim = lim[:maxLimitChoices]
	}
	for _, c := range lim {
		// An organization above the viewer's scope is named by its code,
		// as everywhere else its records are out of reach.
		o := orgOption{Code: c, Selected: c == limit}
		if mayView(r, c) {
			o.Name = names[c]
		}
		v.Limits = append(v.Limits, o)
	}
	return v, nil
}

func (s *server) forumNew(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	control, err := textParam(q, "control")
	if err != nil {
		return err
	}
	target, err := textParam(q, "target")
	if err != nil {
		return err
	}
	kind := store.ForumQuestion
	if k := q.Get("kind"); slices.Contains(store.ForumKinds, k) {
		kind = k
	}
	v, err := s.forumNewView(r, u, kind, "", "")
	if err != nil {
		return err
	}
	l := s.loc(r)
	if control != "" && s.forum.KnownControl(control) {
		v.Controls = control
		v.FindingControl = control
		v.FindingTitle = s.controlTitle(l, control)
		v.Title = l.MustT("forum.new.prefill", "ID", control, "Title", v.FindingTitle)
		// The finding's target is named back to the asker as a reminder;
		// it is never written into the thread.
		if target != "" {
			v.Finding = target
		}
	}
	return s.render(w, r, http.StatusOK, "forum_new.html", l.MustT("forum.new.title"), "forum", v)
}

func splitControls(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '、' || r == '\n' || r == '\r' })
}

func (s *server) forumCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	n := forum.NewThread{Kind: r.PostFormValue("kind"), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		As: r.PostFormValue("as"), Limit: r.PostFormValue("limit"), Controls: splitControls(r.PostFormValue("controls"))}
	id, err := s.forum.Open(r.Context(), u, n)
	if err != nil {
		status, refused := refusalStatus(err)
		if !refused {
			return err
		}
		v, verr := s.forumNewView(r, u, n.Kind, n.As, n.Limit)
		if verr != nil {
			return verr
		}
		v.Title, v.Body, v.Controls = n.Title, n.Body, r.PostFormValue("controls")
		v.Message, v.MessageEN = s.refusalText(r, err)
		return s.render(w, r, status, "forum_new.html", s.loc(r).MustT("forum.new.title"), "forum", v)
	}
	http.Redirect(w, r, forumURL(id)+"?done=created", http.StatusSeeOther)
	return nil
}

// forumPostRow is a post on a thread's page.
type forumPostRow struct {
	ID                 int64
	Author             string
	AuthorOrg, OrgName string
	At, Edited         string
	Body               string
	Hidden             bool
	Accepted           bool
	First              bool
	MayAccept          bool
}

type forumThreadView struct {
	ID                     int64
	Title                  string
	Kind                   labelled
	LimitOrg, LimitOrgName string
	Controls               []string
	Posts                  []forumPostRow
	MayEdit                int64
	EditBody               string
	MayHide                bool
	As                     []orgOption
	Answer                 string
	Done                   string
	Message, MessageEN     string
}

func (s *server) forumThreadPage(w http.ResponseWriter, r *http.Request, status int, id int64, answer string, refusal error) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	t, err := s.forum.Thread(r.Context(), u, id)
	if err != nil {
		return err
	}
	l := s.loc(r)
	codes := []string{t.LimitOrg}
	for _, p := range t.Posts {
		codes = append(codes, p.AuthorOrg)
	}
	for _, g := range u.Grants {
		codes = append(codes, g.OrgCode)
	}
	names, err := s.names(r.Context(), organizations, codes...)
	if err != nil {
		return err
	}
	limitName := ""
	if mayView(r, t.LimitOrg) {
		limitName = names[t.LimitOrg]
	}
	v := forumThreadView{ID: t.ID, Title: t.Title, Kind: forumKind(t.Kind), LimitOrg: t.LimitOrg, LimitOrgName: limitName,
		Controls: t.Controls, MayEdit: t.MayEdit, MayHide: t.MayHide, Answer: answer, Done: r.URL.Query().Get("done")}
	for i, p := range t.Posts {
		row := forumPostRow{ID: p.ID, Author: p.Author, AuthorOrg: p.AuthorOrg, OrgName: names[p.AuthorOrg],
			At: l.DateString(p.CreatedAt.In(mamori.Japan).Format("2006-01-02")), Body: p.Body, Hidden: p.HiddenBy != "", Accepted: p.ID == t.AcceptedPostID,
			First: i == 0, MayAccept: t.MayAccept && i > 0 && p.HiddenBy == "" && p.ID != t.AcceptedPostID}
		if !p.EditedAt.IsZero() {
			row.Edited = l.DateString(p.EditedAt.In(mamori.Japan).Format("2006-01-02"))
		}
		if p.ID == t.MayEdit {
			v.EditBody = p.Body
		}
		v.Posts = append(v.Posts, row)
	}
	seen := map[string]bool{}
	for _, g := range u.Grants {
		if !seen[g.OrgCode] {
			seen[g.OrgCode] = true
			v.As = append(v.As, orgOption{Code: g.OrgCode, Name: names[g.OrgCode]})
		}
	}
	if refusal != nil {
		v.Message, v.MessageEN = s.refusalText(r, refusal)
	}
	return s.render(w, r, status, "forum_thread.html", t.Title, "forum", v)
}

func (s *server) forumThread(w http.ResponseWriter, r *http.Request) error {
	id, err := forumID(r)
	if err != nil {
		return err
	}
	return s.forumThreadPage(w, r, http.StatusOK, id, "", nil)
}

// forumRefuse shows the thread again with the refusal, or answers the
// error as it is (a thread the viewer may not read: 404).
func (s *server) forumRefuse(w http.ResponseWriter, r *http.Request, id int64, answer string, err error) error {
	status, refused := refusalStatus(err)
	if !refused {
		return err
	}
	return s.forumThreadPage(w, r, status, id, answer, err)
}

func postID(r *http.Request) int64 {
	n, _ := strconv.ParseInt(r.PostFormValue("post"), 10, 64)
	return n
}

func (s *server) forumAnswer(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	id, err := forumID(r)
	if err != nil {
		return err
	}
	body := r.PostFormValue("body")
	pid, err := s.forum.Answer(r.Context(), u, id, body, r.PostFormValue("as"))
	if err != nil {
		return s.forumRefuse(w, r, id, body, err)
	}
	http.Redirect(w, r, fmt.Sprintf("%s?done=answered#post-%d", forumURL(id), pid), http.StatusSeeOther)
	return nil
}

// forumPostAction takes one action on a post of a thread (accept, edit,
// hide): a refusal is shown on the thread, success goes back to the post.
func (s *server) forumPostAction(w http.ResponseWriter, r *http.Request, done string,
	act func(ctx context.Context, u store.User, id, post int64) error) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	id, err := forumID(r)
	if err != nil {
		return err
	}
	if err := act(r.Context(), u, id, postID(r)); err != nil {
		return s.forumRefuse(w, r, id, "", err)
	}
	// Back to the thread, unless hiding its opening post hid it.
	if _, _, err := s.store.ForumThread(r.Context(), store.ForumAudience{All: true}, id); err != nil && done == "hidden" {
		http.Redirect(w, r, "/forum", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, fmt.Sprintf("%s?done=%s#post-%d", forumURL(id), done, postID(r)), http.StatusSeeOther)
	return nil
}

func (s *server) forumAccept(w http.ResponseWriter, r *http.Request) error {
	return s.forumPostAction(w, r, "accepted", s.forum.Accept)
}

func (s *server) forumEdit(w http.ResponseWriter, r *http.Request) error {
	body := r.PostFormValue("body")
	return s.forumPostAction(w, r, "edited", func(ctx context.Context, u store.User, id, post int64) error {
		return s.forum.Edit(ctx, u, id, post, body)
	})
}

func (s *server) forumHide(w http.ResponseWriter, r *http.Request) error {
	reason := r.PostFormValue("reason")
	return s.forumPostAction(w, r, "hidden", func(ctx context.Context, u store.User, id, post int64) error {
		return s.forum.Hide(ctx, u, id, post, reason)
	})
}

// mayForumUsage reports whether the viewer may open the usage page.
func (s *server) mayForumUsage(r *http.Request) bool {
	v := viewerOf(r.Context())
	return v != nil && holds(v.user, forumUsageRoles)
}

var forumUsageRoles = []string{"central_admin", "org_security", "auditor"}

// forumUsageView is the usage page.
type forumUsageView struct {
	Chart         template.HTML
	Months        []forum.MonthUsage
	Used, Never   []forum.OrgUsage
	Total, Unused int
	UsedCount     int
	NeverByKind   []forumKindCount
	NeverShown    int
}

type forumKindCount struct {
	Kind  labelled
	Count int
}

// maxNeverListed bounds the never-used organizations listed by name.
const maxNeverListed = 300

func (s *server) forumUsage(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	us, err := s.forum.Usage(r.Context(), u)
	if err != nil {
		return err
	}
	l := s.loc(r)
	v := forumUsageView{Months: us.Months, Total: us.Total, Unused: us.NeverTotal, UsedCount: us.Used}
	for _, o := range us.Orgs {
		if o.Used() {
			v.Used = append(v.Used, o)
		} else if len(v.Never) < maxNeverListed {
			v.Never = append(v.Never, o)
		}
	}
	v.NeverShown = len(v.Never)
	for _, k := range mamori.OrganizationKinds {
		if n := us.Never[k.Code]; n > 0 {
			v.NeverByKind = append(v.NeverByKind, forumKindCount{Kind: labelled{Value: k.Code, JA: k.JA, EN: k.EN}, Count: n})
		}
	}
	c := chart.Stacked{Title: l.MustT("forum.usage.chart"), Series: []chart.Series{
		{Label: l.MustT("forum.usage.threads"), Class: "s1"},
		{Label: l.MustT("forum.usage.answers"), Class: "s3"},
	}}
	for _, m := range us.Months {
		c.Bars = append(c.Bars, chart.Bar{Label: m.Month, Title: l.MustT("forum.usage.bar", "Month", m.Month, "Orgs", strconv.Itoa(m.Orgs),
			"Readers", strconv.Itoa(m.Readers)), Values: []int{m.Threads, m.Answers}})
	}
	if len(c.Bars) > 0 {
		if v.Chart, err = c.SVG("chart-forum"); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "forum_usage.html", l.MustT("forum.usage.title"), "forum", v)
}

// findingForum is what a finding's row offers about its control: the
// threads the viewer may read and the link that asks about it.
type findingForum struct {
	Threads []forumRow
	AskURL  string
	What    string // the finding, for the link's accessible name
}

// findingForums fills each finding row's forum cell.
func (s *server) findingForums(r *http.Request, fs []store.Finding) ([]findingForum, error) {
	out := make([]findingForum, len(fs))
	u, err := workflowUser(r)
	if err != nil || len(u.Grants) == 0 {
		return out, nil
	}
	var controls []string
	for _, f := range fs {
		controls = append(controls, f.ControlID)
	}
	rel, err := s.forum.Related(r.Context(), u, controls)
	if err != nil {
		return nil, err
	}
	l := s.loc(r)
	rows := map[string][]forumRow{}
	for c, ts := range rel {
		if rows[c], err = s.forumRows(r, l, ts); err != nil {
			return nil, err
		}
	}
	for i, f := range fs {
		out[i].Threads = rows[f.ControlID]
		if s.forum.KnownControl(f.ControlID) {
			out[i].AskURL = "/forum/new?" + url.Values{"control": {f.ControlID}, "target": {f.TargetCode}}.Encode()
			out[i].What = f.ControlID + " " + f.TargetCode
		}
	}
	return out, nil
}
