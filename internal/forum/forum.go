// Package forum is the support forum across organizations (DESIGN C7;
// seed 002: the local-government support platform that 68 municipalities
// had never heard of and 74 had never used, whose board had no question
// at all). It decides who may read, write, accept and hide; package store
// keeps the threads and enforces the reader's audience in every query.
//
// Visibility. A thread is read by everyone with a grant unless its author
// limits it to an organization's subtree; then it is read by the users
// of that subtree and of the organizations above it (a prefecture's
// notice reaches its municipalities, the ministry above and the central
// administrators, and no other prefecture). A thread outside a reader's
// audience answers exactly like a missing one, in the same single query.
//
// Edits. The author may edit a post until someone posts after it; each
// edit keeps the text it replaced. After an answer the words stand, since
// the answer relies on them: a correction is a new post.
package forum

import (
	"context"
	"fmt"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/catalog"
	"mamori/internal/notify"
	"mamori/internal/store"
)

// Bounds of what a post holds, in characters.
const (
	MaxTitle    = 200
	MaxBody     = 10000
	MaxControls = 10
	MaxQuery    = 100
	// PageSize is how many threads a list or a search shows at once.
	PageSize = 20
	// MaxPage bounds paging of lists and searches.
	MaxPage = 500
	// RelatedPerControl is how many threads a finding shows for its control.
	RelatedPerControl = 3
)

// Audit actions of the forum.
const (
	ActionPost   = "forum_post"
	ActionAccept = "forum_accept"
	ActionHide   = "forum_hide"
	ActionEdit   = "forum_edit"
)

// Service runs the forum over a store.
type Service struct {
	Store *store.Store
	// Now is the clock (UTC); tests replace it.
	Now func() time.Time
	// Notifier tells an asker that their question was answered (nil:
	// nobody is told); BaseURL, when set, makes the notification's link.
	Notifier *notify.Notifier
	BaseURL  string
	// controls are the IDs of the built-in catalogs' controls, the ones a
	// thread may name.
	controls map[string]bool
}

// New returns the forum over st.
func New(st *store.Store) *Service {
	s := &Service{Store: st, Now: func() time.Time { return time.Now().UTC() }, controls: map[string]bool{}}
	cats, _ := catalog.Builtin()
	for _, c := range cats {
		for _, ctl := range c.Controls {
			s.controls[ctl.ID] = true
		}
	}
	return s
}

// KnownControl reports whether id names a control of the built-in catalogs.
func (s *Service) KnownControl(id string) bool { return s.controls[id] }

// Fold is what search compares: NFKC (full-width letters and digits and
// half-width katakana become their ordinary forms) and lower case. Posts
// are stored folded beside their text, and queries are folded the same way.
func Fold(s string) string { return strings.ToLower(norm.NFKC.String(s)) }

func bi(kind mamori.Kind, ja, en string) *mamori.Error {
	return &mamori.Error{Kind: kind, MessageJA: ja, Message: en}
}

// CheckText refuses a value of the named field that is not UTF-8, holds a
// control character (line breaks and tabs allowed when multiline), is
// blank or is longer than limit characters.
func CheckText(ja, en, v string, limit int, multiline bool) error {
	if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool {
		return unicode.IsControl(r) && !(multiline && (r == '\n' || r == '\r' || r == '\t'))
	}) {
		return bi(mamori.Invalid, fmt.Sprintf("%sに使えない文字（制御文字や UTF-8 でない文字）があります", ja),
			fmt.Sprintf("the %s holds a control character or text that is not UTF-8", en))
	}
	if strings.TrimSpace(v) == "" {
		return bi(mamori.Invalid, fmt.Sprintf("%sを入力してください", ja), fmt.Sprintf("the %s is empty", en))
	}
	if n := utf8.RuneCountInString(v); n > limit {
		return bi(mamori.Invalid, fmt.Sprintf("%sが長すぎます（%d 文字、上限 %d 文字）", ja, n, limit),
			fmt.Sprintf("the %s is too long (%d characters, at most %d)", en, n, limit))
	}
	return nil
}

func signedIn(u store.User) error {
	if u.Name == "" || len(u.Grants) == 0 {
		return bi(mamori.Forbidden, "掲示板を使うには、いずれかの組織の役割が必要です", "the forum needs a role in an organization")
	}
	return nil
}

// Audience is what u may read: every thread when u's grants cover the
// whole government; else the open threads and those limited to an
// organization of u's subtrees or above them.
func (s *Service) Audience(ctx context.Context, u store.User) (store.ForumAudience, error) {
	if err := signedIn(u); err != nil {
		return store.ForumAudience{}, err
	}
	sc, err := authz.Of(ctx, s.Store, u)
	if err != nil {
		return store.ForumAudience{}, err
	}
	if sc.Whole() {
		return store.ForumAudience{All: true}, nil
	}
	parents, err := s.Store.OrgParents(ctx)
	if err != nil {
		return store.ForumAudience{}, err
	}
	set := map[string]bool{}
	for _, o := range sc.Orgs() {
		set[o] = true
	}
	for _, g := range u.Grants {
		for p := parents[g.OrgCode]; p != "" && !set[p]; p = parents[p] {
			set[p] = true
		}
	}
	orgs := make([]string, 0, len(set))
	for o := range set {
		orgs = append(orgs, o)
	}
	slices.Sort(orgs)
	return store.ForumAudience{Orgs: orgs}, nil
}

// actingOrg is the organization u posts under: as, which must be one of
// u's grants, or u's first grant when as is "".
func actingOrg(u store.User, as string) (string, error) {
	if err := signedIn(u); err != nil {
		return "", err
	}
	if as == "" {
		return u.Grants[0].OrgCode, nil
	}
	for _, g := range u.Grants {
		if g.OrgCode == as {
			return as, nil
		}
	}
	return "", bi(mamori.Invalid, fmt.Sprintf("組織「%s」の役割がないため、その組織として投稿できません", mamori.Excerpt(as)),
		fmt.Sprintf("you hold no role in organization %q and cannot post as it", mamori.Excerpt(as)))
}

// LimitChoices are the organizations an author posting as org may limit a
// thread to: org, the organizations above it, and those under it.
func (s *Service) LimitChoices(ctx context.Context, org string) (map[string]bool, error) {
	sub, err := s.Store.Subtree(ctx, org)
	if err != nil {
		return nil, err
	}
	parents, err := s.Store.OrgParents(ctx)
	if err != nil {
		return nil, err
	}
	for p := parents[org]; p != "" && !sub[p]; p = parents[p] {
		sub[p] = true
	}
	return sub, nil
}

// NewThread is a thread as its author writes it.
type NewThread struct {
	Kind, Title, Body string
	As                string // the organization (of the author's grants) posting; "" for the first
	Limit             string // the organization the thread is limited to; "" for everyone
	Controls          []string
}

// CheckKind refuses a kind that is not one of store.ForumKinds.
func CheckKind(kind string) error {
	if !slices.Contains(store.ForumKinds, kind) {
		return bi(mamori.Invalid, "種類（kind）は question、notice、advice のいずれかです",
			"the kind must be question, notice or advice")
	}
	return nil
}

// Open opens a thread by u and returns its id.
func (s *Service) Open(ctx context.Context, u store.User, n NewThread) (int64, error) {
	org, err := actingOrg(u, n.As)
	if err != nil {
		return 0, err
	}
	if err := CheckKind(n.Kind); err != nil {
		return 0, err
	}
	n.Title, n.Body = strings.TrimSpace(n.Title), strings.TrimSpace(n.Body)
	if err := CheckText("件名", "title", n.Title, MaxTitle, false); err != nil {
		return 0, err
	}
	if err := CheckText("本文", "body", n.Body, MaxBody, true); err != nil {
		return 0, err
	}
	if len(n.Controls) > MaxControls {
		return 0, bi(mamori.Invalid, fmt.Sprintf("管理策は %d 件までです", MaxControls), fmt.Sprintf("at most %d controls", MaxControls))
	}
	var controls []string
	for _, c := range n.Controls {
		c = strings.TrimSpace(c)
		if c == "" || slices.Contains(controls, c) {
			continue
		}
		if !s.controls[c] {
			return 0, bi(mamori.Invalid, fmt.Sprintf("管理策「%s」はありません", mamori.Excerpt(c)), fmt.Sprintf("no control %q", mamori.Excerpt(c)))
		}
		controls = append(controls, c)
	}
	if n.Limit != "" {
		ok, err := s.LimitChoices(ctx, org)
		if err != nil {
			return 0, err
		}
		if !ok[n.Limit] {
			return 0, bi(mamori.Invalid, fmt.Sprintf("公開範囲の組織「%s」は、投稿する組織とその上位・配下の組織から選んでください", mamori.Excerpt(n.Limit)),
				fmt.Sprintf("the audience %q must be the posting organization, one above it or one under it", mamori.Excerpt(n.Limit)))
		}
	}
	id, err := s.Store.CreateForumThread(ctx, store.NewForumThread{Kind: n.Kind, Title: n.Title, Body: n.Body,
		SearchText: Fold(n.Title + "\n" + n.Body), Author: u.Name, AuthorOrg: org, LimitOrg: n.Limit, Controls: controls, At: s.Now()})
	if err != nil {
		return 0, err
	}
	_, err = audit.Record(ctx, s.Store, u.Name, ActionPost, fmt.Sprintf("forum/%d", id), org,
		map[string]any{"kind": n.Kind, "limit": n.Limit, "controls": controls})
	return id, err
}

// ThreadView is a thread as u reads it, with what u may do there.
type ThreadView struct {
	store.ForumThread
	Posts     []store.ForumPost
	MayAccept bool // u asked: may mark an answer
	MayHide   bool // u moderates
	// MayEdit is the post u may still edit (their own, with nothing after
	// it); 0 for none.
	MayEdit int64
}

// Moderator reports whether u may hide posts: a central administrator.
func Moderator(u store.User) bool {
	for _, g := range u.Grants {
		if g.Role == string(auth.CentralAdmin) {
			return true
		}
	}
	return false
}

// Thread returns thread id as u reads it and records that u read it.
func (s *Service) Thread(ctx context.Context, u store.User, id int64) (ThreadView, error) {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return ThreadView{}, err
	}
	t, posts, err := s.Store.ForumThread(ctx, a, id)
	if err != nil {
		return ThreadView{}, err
	}
	v := ThreadView{ForumThread: t, Posts: posts, MayAccept: t.Author == u.Name && t.Kind == store.ForumQuestion, MayHide: Moderator(u)}
	if n := len(posts); n > 0 && posts[n-1].Author == u.Name && posts[n-1].HiddenBy == "" {
		v.MayEdit = posts[n-1].ID
	}
	org, _ := actingOrg(u, "")
	if err := s.Store.RecordForumView(ctx, id, u.Name, org, s.Now().In(mamori.Japan).Format(time.DateOnly)); err != nil {
		return ThreadView{}, err
	}
	return v, nil
}

// Answer adds u's post to a thread u may read and returns its id.
func (s *Service) Answer(ctx context.Context, u store.User, thread int64, body, as string) (int64, error) {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return 0, err
	}
	org, err := actingOrg(u, as)
	if err != nil {
		return 0, err
	}
	body = strings.TrimSpace(body)
	if err := CheckText("本文", "body", body, MaxBody, true); err != nil {
		return 0, err
	}
	id, err := s.Store.AddForumPost(ctx, a, thread, u.Name, org, body, Fold(body), s.Now())
	if err != nil {
		return 0, err
	}
	if _, err = audit.Record(ctx, s.Store, u.Name, ActionPost, fmt.Sprintf("forum/%d/%d", thread, id), org, nil); err != nil {
		return id, err
	}
	return id, s.tellAsker(ctx, a, thread, u)
}

// tellAsker notifies the author of a question that u answered it, through
// the outbox (never failing the answer): the thread's title and link,
// never the answer's text. An author answering their own thread is not told.
func (s *Service) tellAsker(ctx context.Context, a store.ForumAudience, thread int64, u store.User) error {
	if !s.Notifier.Enabled() {
		return nil
	}
	t, _, err := s.Store.ForumThread(ctx, a, thread)
	if err != nil || t.Kind != store.ForumQuestion || t.Author == u.Name {
		return err
	}
	asker, err := s.Store.User(ctx, t.Author)
	if err != nil || asker.Disabled {
		return nil // an account gone or disabled is told nothing
	}
	e := notify.Event{Kind: notify.Answered, ItemID: strconv.FormatInt(t.ID, 10), ItemKind: "forum_" + t.Kind,
		Subject: mamori.Excerpt(t.Title), Org: t.AuthorOrg, RecipientUser: asker.Name, RecipientEmail: emailOf(asker), At: s.Now()}
	if s.BaseURL != "" {
		e.URL = strings.TrimSuffix(s.BaseURL, "/") + "/forum/" + e.ItemID
	}
	s.Notifier.Notify(ctx, e)
	return nil
}

// emailOf is the account's e-mail address: its name when that is one.
func emailOf(u store.User) string {
	a, err := mail.ParseAddress(u.Name)
	if err != nil || a.Name != "" || a.Address != u.Name {
		return ""
	}
	return u.Name
}

// Accept marks post as the accepted answer of u's question (0 clears it).
func (s *Service) Accept(ctx context.Context, u store.User, thread, post int64) error {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return err
	}
	t, _, err := s.Store.ForumThread(ctx, a, thread)
	if err != nil {
		return err
	}
	if t.Author != u.Name || t.Kind != store.ForumQuestion {
		return bi(mamori.Forbidden, "回答を採用できるのは質問した人だけです", "only the asker may accept an answer")
	}
	if err := s.Store.AcceptForumAnswer(ctx, thread, post); err != nil {
		return err
	}
	_, err = audit.Record(ctx, s.Store, u.Name, ActionAccept, fmt.Sprintf("forum/%d/%d", thread, post), t.AuthorOrg, nil)
	return err
}

// Edit replaces the text of u's own post, while nothing was posted after it.
func (s *Service) Edit(ctx context.Context, u store.User, thread, post int64, body string) error {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return err
	}
	_, posts, err := s.Store.ForumThread(ctx, a, thread)
	if err != nil {
		return err
	}
	i := slices.IndexFunc(posts, func(p store.ForumPost) bool { return p.ID == post })
	if i < 0 {
		return bi(mamori.NotFound, fmt.Sprintf("投稿 %d はありません", post), fmt.Sprintf("no post %d", post))
	}
	if posts[i].Author != u.Name {
		return bi(mamori.Forbidden, "編集できるのは自分の投稿だけです", "you may edit only your own posts")
	}
	body = strings.TrimSpace(body)
	if err := CheckText("本文", "body", body, MaxBody, true); err != nil {
		return err
	}
	search := Fold(body)
	if i == 0 {
		t, _, _ := s.Store.ForumThread(ctx, a, thread)
		search = Fold(t.Title + "\n" + body)
	}
	if err := s.Store.EditForumPost(ctx, post, body, search, s.Now()); err != nil {
		return err
	}
	_, err = audit.Record(ctx, s.Store, u.Name, ActionEdit, fmt.Sprintf("forum/%d/%d", thread, post), posts[i].AuthorOrg, nil)
	return err
}

// Hide hides a post of a thread u reads (the opening post: the whole
// thread); central administrators only, and audited with the reason.
func (s *Service) Hide(ctx context.Context, u store.User, thread, post int64, reason string) error {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return err
	}
	_, posts, err := s.Store.ForumThread(ctx, a, thread)
	if err != nil {
		return err
	}
	if !Moderator(u) {
		return bi(mamori.Forbidden, "投稿を非表示にできるのは中央の管理者だけです", "only a central administrator may hide a post")
	}
	if !slices.ContainsFunc(posts, func(p store.ForumPost) bool { return p.ID == post }) {
		return bi(mamori.NotFound, fmt.Sprintf("投稿 %d はありません", post), fmt.Sprintf("no post %d", post))
	}
	reason = strings.TrimSpace(reason)
	if err := CheckText("理由", "reason", reason, MaxTitle, false); err != nil {
		return err
	}
	if _, err := s.Store.HideForumPost(ctx, post, u.Name, s.Now()); err != nil {
		return err
	}
	_, err = audit.Record(ctx, s.Store, u.Name, ActionHide, fmt.Sprintf("forum/%d/%d", thread, post), "", map[string]string{"reason": reason})
	return err
}

// List lists the threads u may read.
func (s *Service) List(ctx context.Context, u store.User, kind, control string, page int) ([]store.ForumThread, int, error) {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	if kind != "" {
		if err := CheckKind(kind); err != nil {
			return nil, 0, err
		}
	}
	page = min(max(page, 1), MaxPage)
	return s.Store.ForumThreads(ctx, a, store.ForumFilter{Kind: kind, Control: control, Limit: PageSize, Offset: (page - 1) * PageSize})
}

// Search finds the threads u may read holding q (folded; see Fold).
func (s *Service) Search(ctx context.Context, u store.User, q string, page int) ([]store.ForumHit, int, error) {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return nil, 0, err
	}
	q = strings.TrimSpace(q)
	if q == "" {
		return nil, 0, nil
	}
	if err := CheckText("検索語", "query", q, MaxQuery, false); err != nil {
		return nil, 0, err
	}
	page = min(max(page, 1), MaxPage)
	return s.Store.SearchForum(ctx, a, Fold(q), PageSize, (page-1)*PageSize)
}

// Related returns, per control, the threads about it that u may read.
func (s *Service) Related(ctx context.Context, u store.User, controls []string) (map[string][]store.ForumThread, error) {
	a, err := s.Audience(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.Store.ForumThreadsFor(ctx, a, controls, RelatedPerControl)
}

// Snippet cuts text to about n characters around the first place that
// holds q (compared folded), for a search result.
func Snippet(text, q string, n int) string {
	rs := []rune(text)
	if len(rs) <= n {
		return text
	}
	start := 0
	fq := Fold(q)
	for i := range rs {
		if strings.HasPrefix(Fold(string(rs[i:min(len(rs), i+len([]rune(q))+4)])), fq) {
			start = max(0, i-n/3)
			break
		}
	}
	end := min(len(rs), start+n)
	out := string(rs[start:end])
	if start > 0 {
		out = "…" + out
	}
	if end < len(rs) {
		out += "…"
	}
	return out
}
