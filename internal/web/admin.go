package web

import (
	"context"
	"errors"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// The administration pages: the organization tree, and the accounts and
// role grants of the organizations a user administers. They do what the
// "mamori user" command does, through the same functions of package auth,
// with three limits the command line (run by the server's operator) does
// not need:
//   - scope: an administrator (org_security or central_admin) sees the
//     accounts with a grant in the subtrees of their administrator grants,
//     and changes only accounts whose every grant lies there; another
//     ministry's account answers like a missing one;
//   - ceiling: nobody grants, revokes or manages a role equal to or above
//     the most privileged one they hold on that organization (auth's
//     Role.Manages), so an organization's security officer cannot make an
//     auditor, a central administrator or another security officer, nor
//     disable or reset one; a central administrator manages every role;
//   - self: nobody changes their own account here, so one stolen session
//     cannot raise its own roles or lock its owner out.
//
// Every change is one audit entry, as the command line writes it.

// adminRoutes registers the administration pages.
func (s *server) adminRoutes(mux *http.ServeMux) {
	mux.Handle("GET /admin", s.handle(s.adminHome))
	mux.Handle("GET /admin/organizations", s.handle(s.adminOrgs))
	mux.Handle("GET /admin/users", s.handle(s.adminUsers))
	mux.Handle("GET /admin/users/new", s.handle(s.adminNewUser))
	mux.Handle("POST /admin/users", s.handle(s.adminCreateUser))
	mux.Handle("GET /admin/users/{name}", s.handle(s.adminUser))
	mux.Handle("POST /admin/users/{name}/grant", s.handle(s.adminGrant))
	mux.Handle("POST /admin/users/{name}/revoke", s.handle(s.adminRevoke))
	mux.Handle("POST /admin/users/{name}/disable", s.handle(s.adminDisable))
	mux.Handle("POST /admin/users/{name}/enable", s.handle(s.adminEnable))
	mux.Handle("POST /admin/users/{name}/unlock", s.handle(s.adminUnlock))
	mux.Handle("POST /admin/users/{name}/reset-2fa", s.handle(s.adminResetTOTP))
	mux.Handle("POST /admin/users/{name}/reset-password", s.handle(s.adminResetPassword))
}

// Bounds of the organization tree page. A national tree holds 1,700+
// municipalities; the page shows whole levels while they fit, and links
// each deeper organization to its own subtree.
const (
	maxTreeRows  = 300 // rows on one tree page
	maxTreeDepth = 3   // levels below the root
)

// adminPageSize is the number of accounts on one page of the user list.
const adminPageSize = 50

// accountZone is the zone account times (sign-in, lock) are shown in: the readers are
// Japanese government bodies, and Japan keeps UTC+9 all year.
var accountZone = mamori.Japan

// heldGrant is one of the administrator's grants with the organizations it covers.
type heldGrant struct {
	role auth.Role
	orgs map[string]bool
}

// adminAccess is what the signed-in administrator may do.
type adminAccess struct {
	v     *viewer
	scope authz.Scope // the subtrees of their administrator grants
	whole bool        // scope holds every organization
	held  []heldGrant // all their grants, for the ceiling
}

// adminAccessOf resolves the request's administrator, or refuses the page
// (Forbidden) to a user holding no administrator role.
func (s *server) adminAccessOf(r *http.Request) (*adminAccess, error) {
	ctx := r.Context()
	sc, err := s.scopeFor(r, adminRoles)
	if err != nil {
		return nil, err
	}
	a := &adminAccess{v: viewerOf(ctx), scope: sc}
	for _, g := range a.v.user.Grants {
		// Only administrative grants set the ceiling: an organization's
		// security officer who is also an auditor somewhere must not be
		// able to appoint the auditors of the organization they run.
		if !slices.Contains(adminRoles, g.Role) {
			continue
		}
		sub, err := s.store.Subtree(ctx, g.OrgCode)
		if err != nil {
			return nil, err
		}
		a.held = append(a.held, heldGrant{role: auth.Role(g.Role), orgs: sub})
	}
	a.whole = sc.Whole()
	return a, nil
}

// mayGrant reports whether the administrator may grant (or revoke) role on
// org, or manage an account holding it there: org is in their scope and one
// of their administrative grants covering org manages the role.
func (a *adminAccess) mayGrant(role, org string) bool {
	if !a.scope.Allows(org) {
		return false
	}
	for _, h := range a.held {
		if h.orgs[org] && h.role.Manages(auth.Role(role)) {
			return true
		}
	}
	return false
}

// mayGrantSomewhere reports whether the administrator may grant role on
// some organization of their scope: the forms offer those roles.
func (a *adminAccess) mayGrantSomewhere(role auth.Role) bool {
	for _, h := range a.held {
		if !h.role.Manages(role) {
			continue
		}
		for o := range h.orgs {
			if a.scope.Allows(o) {
				return true
			}
		}
	}
	return false
}

// visible reports whether the account shows on the administrator's pages:
// it has a grant in their scope. An account without any grant shows only
// to administrators of every organization, so it cannot be lost.
func (a *adminAccess) visible(u store.User) bool {
	if len(u.Grants) == 0 {
		return a.whole
	}
	return slices.ContainsFunc(u.Grants, func(g store.RoleGrant) bool { return a.scope.Allows(g.OrgCode) })
}

// manageable returns nil when the administrator may change the account: not
// their own, and every grant one they could make themselves. Otherwise it
// says why, as a Forbidden error.
func (a *adminAccess) manageable(u store.User) error {
	if u.Name == a.v.user.Name {
		return mamori.Errorf(mamori.Forbidden, "自分のアカウントはこの画面では変更できません。別の管理者に依頼してください",
			"you cannot change your own account here: ask another administrator")
	}
	if len(u.Grants) == 0 && !a.whole {
		return notManageable()
	}
	for _, g := range u.Grants {
		if !a.mayGrant(g.Role, g.OrgCode) {
			return notManageable()
		}
	}
	return nil
}

func notManageable() error {
	return mamori.Errorf(mamori.Forbidden,
		"この利用者には、あなたの管理範囲外の組織の役割か、あなたと同じかそれより上位の役割が付与されているため変更できません",
		"this user holds a role outside your organizations, or one equal to or above your own, so you cannot change the account")
}

// hiddenUser is the answer for an account that is missing or outside the
// administrator's scope: the same for both, so the page does not tell
// whether another ministry's account exists.
func hiddenUser(name string) error {
	return mamori.Errorf(mamori.NotFound, "利用者「%s」は見つかりません", "user %q not found", clip(name, 64))
}

// hiddenOrg is the same for an organization.
func hiddenOrg(code string) error {
	return mamori.Errorf(mamori.NotFound, "組織「%s」は見つかりません", "organization %q not found", clip(code, 64))
}

// visibleUser reads the named account if the administrator may see it.
func (s *server) visibleUser(ctx context.Context, a *adminAccess, name string) (store.User, error) {
	u, err := s.store.User(ctx, name)
	if mamori.KindOf(err) == mamori.NotFound {
		return store.User{}, hiddenUser(name)
	}
	if err != nil {
		return store.User{}, err
	}
	if !a.visible(u) {
		return store.User{}, hiddenUser(name)
	}
	return u, nil
}

// orgInfo is one organization as the administration pages show it.
type orgInfo struct {
	Code, Parent, Kind, Name string
}

// orgTree is the organization register as parent and children.
type orgTree struct {
	byCode   map[string]orgInfo
	children map[string][]string // sorted by code
}

// loadOrgTree reads every organization: the tree is needed whole to place
// a subtree, and even a national register is a few thousand short rows.
func (s *server) loadOrgTree(ctx context.Context) (orgTree, error) {
	t := orgTree{byCode: map[string]orgInfo{}, children: map[string][]string{}}
	err := s.store.Dump(ctx, organizations, func(rec mamori.Record) error {
		o := orgInfo{Code: str(organizations, rec, "code"), Parent: str(organizations, rec, "parent_code"),
			Kind: str(organizations, rec, "kind"), Name: str(organizations, rec, "name")}
		t.byCode[o.Code] = o
		t.children[o.Parent] = append(t.children[o.Parent], o.Code)
		return nil
	})
	return t, err // Dump reads in code order, so children are sorted
}

// roleLabel is a role with its names, for pick in the templates.
type roleLabel struct {
	Role   string
	JA, EN string
}

func labelOf(role string) roleLabel {
	if ri, ok := auth.Role(role).Info(); ok {
		return roleLabel{Role: role, JA: ri.JA, EN: ri.EN}
	}
	return roleLabel{Role: role, JA: role, EN: role}
}

// grantableRoles are the roles the forms offer: those the administrator
// may grant somewhere in their scope.
func grantableRoles(a *adminAccess, selected string) []roleOption {
	var out []roleOption
	for _, ri := range auth.Roles {
		if a.mayGrantSomewhere(ri.Role) {
			out = append(out, roleOption{roleLabel: labelOf(string(ri.Role)), Selected: string(ri.Role) == selected})
		}
	}
	return out
}

type roleOption struct {
	roleLabel
	Selected bool
}

// kindLabel names an organization kind in l's language.
func kindLabel(l *i18n.Localizer, code string) string {
	if ev, ok := organizations.Field("kind").EnumByCode(code); ok {
		return l.Pick(ev.JA, ev.EN)
	}
	return code
}

// adminHomeView is the data of the overview.
type adminHomeView struct {
	Orgs, Users int
	Roots       []orgInfo // the roots of the administrator's scope
}

// scopeRoots are the organizations of the scope whose parent is outside it.
func scopeRoots(t orgTree, sc authz.Scope) []orgInfo {
	var out []orgInfo
	for _, c := range sc.Orgs() {
		o, ok := t.byCode[c]
		if ok && !sc.Allows(o.Parent) {
			out = append(out, o)
		}
	}
	return out
}

func (s *server) adminHome(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	t, err := s.loadOrgTree(r.Context())
	if err != nil {
		return err
	}
	users, err := s.store.Users(r.Context())
	if err != nil {
		return err
	}
	v := adminHomeView{Orgs: a.scope.Len(), Roots: scopeRoots(t, a.scope)}
	for _, u := range users {
		if a.visible(u) {
			v.Users++
		}
	}
	return s.render(w, r, http.StatusOK, "admin.html", s.loc(r).MustT("admin.title"), "admin", v)
}

// treeRow is one line of the organization tree.
type treeRow struct {
	orgInfo
	Depth      int
	Indent     string // drawn before the name: the page carries no inline style
	KindLabel  string
	Systems    int
	Users      int
	Children   int    // direct children
	DrillURL   string // its own subtree page, when its children are not shown
	UsersURL   string
	NewUserURL string
}

type orgsView struct {
	Root      string    // the ?root= asked for, "" for the whole scope
	Trail     []orgInfo // the root's ancestors within the scope, outermost first
	Rows      []treeRow
	Depth     int // levels shown below the roots
	Truncated int // organizations left out because one level was too long
}

// adminOrgs shows the organization tree of the administrator's scope, or
// the subtree of ?root=, to as many levels as fit on one page.
func (s *server) adminOrgs(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	root, err := textParam(r.URL.Query(), "root")
	if err != nil {
		return err
	}
	t, err := s.loadOrgTree(ctx)
	if err != nil {
		return err
	}
	v := orgsView{Root: root}
	var roots []string
	if root != "" {
		if _, ok := t.byCode[root]; !ok || !a.scope.Allows(root) {
			return hiddenOrg(root)
		}
		roots = []string{root}
		for p := t.byCode[root].Parent; p != "" && a.scope.Allows(p); p = t.byCode[p].Parent {
			v.Trail = append([]orgInfo{t.byCode[p]}, v.Trail...)
		}
	} else {
		for _, o := range scopeRoots(t, a.scope) {
			roots = append(roots, o.Code)
		}
	}
	// Choose the depth: whole levels while they fit in maxTreeRows; the
	// roots' children are always shown, cut at maxTreeRows if need be.
	shown := map[string]int{} // code → depth
	level := roots
	for _, c := range roots {
		shown[c] = 0
	}
	for d := 1; d <= maxTreeDepth && len(level) > 0; d++ {
		var next []string
		for _, c := range level {
			next = append(next, t.children[c]...)
		}
		if d > 1 && len(shown)+len(next) > maxTreeRows {
			break
		}
		if d == 1 && len(shown)+len(next) > maxTreeRows {
			keep := max(0, maxTreeRows-len(shown))
			v.Truncated = len(next) - keep
			next = next[:keep]
		}
		for _, c := range next {
			shown[c] = d
		}
		if len(next) > 0 {
			v.Depth = d
		}
		level = next
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	usersAt := map[string]int{}
	for _, u := range users {
		seen := map[string]bool{}
		for _, g := range u.Grants {
			if !seen[g.OrgCode] {
				seen[g.OrgCode] = true
				usersAt[g.OrgCode]++
			}
		}
	}
	// One query for the systems of every organization shown, not one per row.
	systemsAt, err := s.store.SystemCounts(ctx, slices.Collect(maps.Keys(shown)))
	if err != nil {
		return err
	}
	var walk func(code string) error
	walk = func(code string) error {
		d, ok := shown[code]
		if !ok {
			return nil
		}
		o := t.byCode[code]
		total := systemsAt[code]
		row := treeRow{orgInfo: o, Depth: d, Indent: strings.Repeat("\u00a0", 3*d), KindLabel: kindLabel(l, o.Kind),
			Systems: total, Users: usersAt[code], Children: len(t.children[code]),
			UsersURL:   "/admin/users?" + url.Values{"org": {code}}.Encode(),
			NewUserURL: "/admin/users/new?" + url.Values{"org": {code}}.Encode()}
		if row.Children > 0 && code != root {
			row.DrillURL = "/admin/organizations?" + url.Values{"root": {code}}.Encode()
		}
		v.Rows = append(v.Rows, row)
		for _, c := range t.children[code] {
			if err := walk(c); err != nil {
				return err
			}
		}
		return nil
	}
	for _, c := range roots {
		if err := walk(c); err != nil {
			return err
		}
	}
	title := l.MustT("admin.orgs.title")
	if root != "" {
		title = l.MustT("admin.orgs.title.root", "Name", t.byCode[root].Name)
	}
	return s.render(w, r, http.StatusOK, "admin_orgs.html", title, "admin", v)
}

// grantView is a grant as the pages show it.
type grantView struct {
	roleLabel
	OrgCode, OrgName string
	Revocable        bool
}

// userRow is one account in the user list.
type userRow struct {
	Name, DisplayName, URL string
	Grants                 []grantView // those in the administrator's scope
	Hidden                 int         // grants outside it, counted only
	TOTP, Locked, Disabled bool
	LastSignIn             string
}

type usersView struct {
	Q, Org           string
	OrgName          string
	Rows             []userRow
	Total            int
	From, To         int
	Page, Pages      int
	PrevURL, NextURL string
	NewUserURL       string
	Done             string // the message of a change that took an account out of sight
}

// shownTime writes a time of an account in Japan time, "" for never.
func shownTime(l *i18n.Localizer, t time.Time) string {
	if t.IsZero() {
		return ""
	}
	t = t.In(accountZone)
	return l.Date(t) + " " + t.Format("15:04")
}

// grantViews splits the account's grants into those the administrator may
// see, named, and a count of the others.
func grantViews(a *adminAccess, u store.User, names map[string]string, manage bool) ([]grantView, int) {
	var out []grantView
	hidden := 0
	for _, g := range u.Grants {
		if !a.scope.Allows(g.OrgCode) {
			hidden++
			continue
		}
		out = append(out, grantView{roleLabel: labelOf(g.Role), OrgCode: g.OrgCode, OrgName: names[g.OrgCode],
			Revocable: manage && a.mayGrant(g.Role, g.OrgCode)})
	}
	return out, hidden
}

// orgNames names every organization, for the grants of a page of accounts.
func orgNames(t orgTree) map[string]string {
	out := make(map[string]string, len(t.byCode))
	for c, o := range t.byCode {
		out[c] = o.Name
	}
	return out
}

func userURL(name string) string { return "/admin/users/" + url.PathEscape(name) }

// adminUsers lists the accounts the administrator may see, searched by name
// and filtered by the organization of a grant, a page at a time.
func (s *server) adminUsers(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	params := r.URL.Query()
	q, err := textParam(params, "q")
	if err != nil {
		return err
	}
	org, err := textParam(params, "org")
	if err != nil {
		return err
	}
	page, err := parsePage(params.Get("page"))
	if err != nil {
		return err
	}
	users, err := s.store.Users(ctx)
	if err != nil {
		return err
	}
	t, err := s.loadOrgTree(ctx)
	if err != nil {
		return err
	}
	names := orgNames(t)
	v := usersView{Q: q, Org: org, Page: page, NewUserURL: "/admin/users/new"}
	if k, ok := doneKeys[params.Get("done")]; ok {
		v.Done = l.MustT(k)
	}
	if org != "" && a.scope.Allows(org) {
		v.OrgName = names[org]
		v.NewUserURL += "?" + url.Values{"org": {org}}.Encode()
	}
	needle := strings.ToLower(q)
	var match []store.User
	for _, u := range users {
		if !a.visible(u) {
			continue
		}
		if needle != "" && !strings.Contains(strings.ToLower(u.Name), needle) && !strings.Contains(strings.ToLower(u.DisplayName), needle) {
			continue
		}
		if org != "" && !slices.ContainsFunc(u.Grants, func(g store.RoleGrant) bool { return g.OrgCode == org && a.scope.Allows(org) }) {
			continue
		}
		match = append(match, u)
	}
	v.Total = len(match)
	v.Pages = max(1, (v.Total+adminPageSize-1)/adminPageSize)
	from := min((page-1)*adminPageSize, v.Total)
	to := min(from+adminPageSize, v.Total)
	now := time.Now()
	for _, u := range match[from:to] {
		row := userRow{Name: u.Name, DisplayName: u.DisplayName, URL: userURL(u.Name), TOTP: u.TOTPEnrolled(),
			Locked: auth.Locked(u, now), Disabled: u.Disabled, LastSignIn: shownTime(l, u.LastLoginAt)}
		row.Grants, row.Hidden = grantViews(a, u, names, false)
		v.Rows = append(v.Rows, row)
	}
	if to > from {
		v.From, v.To = from+1, to
	}
	pageURL := func(n int) string {
		p := url.Values{}
		if q != "" {
			p.Set("q", q)
		}
		if org != "" {
			p.Set("org", org)
		}
		if n > 1 {
			p.Set("page", strconv.Itoa(n))
		}
		if len(p) == 0 {
			return "/admin/users"
		}
		return "/admin/users?" + p.Encode()
	}
	if page > 1 {
		v.PrevURL = pageURL(min(page-1, v.Pages))
	}
	if page < v.Pages {
		v.NextURL = pageURL(page + 1)
	}
	return s.render(w, r, http.StatusOK, "admin_users.html", l.MustT("admin.users.title"), "admin", v)
}

// newUserView is the data of the account form and of its result.
type newUserView struct {
	Name, DisplayName, Org string
	Roles                  []roleOption
	Message                string // why the last attempt was refused
	// The result: the initial password, shown this once.
	Created    bool
	Password   string
	Role       roleLabel
	StrongAuth bool
	UserURL    string
}

// maxDisplayName bounds a display name, in characters.
const maxDisplayName = 100

func (s *server) adminNewUser(w http.ResponseWriter, r *http.Request) error {
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	org, err := textParam(r.URL.Query(), "org")
	if err != nil {
		return err
	}
	if !a.scope.Allows(org) {
		org = ""
	}
	v := newUserView{Org: org, Roles: grantableRoles(a, string(auth.Viewer))}
	return s.render(w, r, http.StatusOK, "admin_new.html", s.loc(r).MustT("admin.new.title"), "admin", v)
}

// formValue reads a posted text field, trimmed, or refuses one that is not
// UTF-8 or longer than n characters.
func formValue(r *http.Request, name string, n int) (string, error) {
	v := strings.TrimSpace(r.PostFormValue(name))
	if !utf8.ValidString(v) || utf8.RuneCountInString(v) > n {
		return "", mamori.Errorf(mamori.Invalid, "入力「%s」は %d 文字以内の文字列にしてください",
			"field %s: at most %d characters of text", name, n)
	}
	return v, nil
}

// checkGrant checks a grant the administrator asks for: a known role, an
// organization in their scope (any other answers like a missing one), and
// a role no higher than their own there.
func (a *adminAccess) checkGrant(role, org string) error {
	if _, err := auth.ParseRole(role); err != nil {
		return err
	}
	if !a.scope.Allows(org) {
		return hiddenOrg(org)
	}
	if !a.mayGrant(role, org) {
		ri := labelOf(role)
		return &mamori.Error{Kind: mamori.Forbidden,
			MessageJA: "組織「" + org + "」で役割「" + ri.JA + "」を付与・解除する権限がありません（自分と同じか上位の役割は扱えません）",
			Message:   "you may not grant or revoke the role " + ri.EN + " on " + org + ": it is not below your own there"}
	}
	return nil
}

// adminCreateUser creates an account with one grant and a generated
// password, shown once on the result page and stored only as its hash.
func (s *server) adminCreateUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	v := newUserView{}
	refuse := func(err error) error {
		me, ok := errors.AsType[*mamori.Error](err)
		if !ok || me.Kind == mamori.Internal {
			return err
		}
		v.Message = l.Pick(me.MessageJA, me.Message)
		v.Roles = grantableRoles(a, r.PostFormValue("role"))
		return s.render(w, r, statusOf(me.Kind), "admin_new.html", l.MustT("admin.new.title"), "admin", v)
	}
	if v.Name, err = formValue(r, "name", 64); err != nil {
		return refuse(err)
	}
	if v.DisplayName, err = formValue(r, "display_name", maxDisplayName); err != nil {
		return refuse(err)
	}
	if v.Org, err = formValue(r, "org", 64); err != nil {
		return refuse(err)
	}
	role := r.PostFormValue("role")
	if err := a.checkGrant(role, v.Org); err != nil {
		return refuse(err)
	}
	password := auth.GeneratePassword()
	err = auth.CreateUser(ctx, s.store, auth.NewUser{Name: v.Name, DisplayName: v.DisplayName, Password: password,
		Grants: []store.RoleGrant{{Role: role, OrgCode: v.Org}}, OneTime: true}, time.Now())
	if err != nil {
		return refuse(err)
	}
	if _, err := audit.Record(ctx, s.store, a.v.user.Name, audit.Write, "users/"+v.Name, v.Org,
		map[string]string{"event": "add", "role": role, "org": v.Org}); err != nil {
		return err
	}
	ri, _ := auth.Role(role).Info()
	v.Created, v.Password, v.Role, v.StrongAuth, v.UserURL = true, password, labelOf(role), ri.StrongAuth, userURL(v.Name)
	return s.render(w, r, http.StatusOK, "admin_new.html", l.MustT("admin.created.title"), "admin", v)
}

// userView is the data of one account's page.
type userView struct {
	Name, DisplayName, URL string
	Created, LastSignIn    string
	TOTP                   bool
	TOTPOn                 string
	TOTPPending            bool
	TOTPRequired           bool
	Locked                 bool
	LockedUntil            string
	FailedLogins           int
	Disabled               bool
	Grants                 []grantView
	Hidden                 int
	Manage                 bool   // the administrator may change the account
	Why                    string // why not, when not
	Roles                  []roleOption
	Done                   string // the message of the change just made
}

// doneKeys are the messages of the changes, by the done parameter the
// actions redirect with.
var doneKeys = map[string]string{
	"granted":  "admin.done.granted",
	"held":     "admin.done.held",
	"revoked":  "admin.done.revoked",
	"disabled": "admin.done.disabled",
	"enabled":  "admin.done.enabled",
	"unlocked": "admin.done.unlocked",
	"reset2fa": "admin.done.reset2fa",
}

// adminUser shows one account, with the forms that change it.
func (s *server) adminUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	u, err := s.visibleUser(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	t, err := s.loadOrgTree(ctx)
	if err != nil {
		return err
	}
	now := time.Now()
	v := userView{Name: u.Name, DisplayName: u.DisplayName, URL: userURL(u.Name), Created: shownTime(l, u.CreatedAt),
		LastSignIn: shownTime(l, u.LastLoginAt), TOTP: u.TOTPEnrolled(), TOTPOn: u.TOTPEnrolledOn,
		TOTPPending: u.TOTPSecret != "" && !u.TOTPEnrolled(), TOTPRequired: auth.RequiresTOTP(u),
		Locked: auth.Locked(u, now), FailedLogins: u.FailedLogins, Disabled: u.Disabled}
	if v.Locked {
		v.LockedUntil = shownTime(l, u.LockedUntil)
	}
	if why := a.manageable(u); why != nil {
		if me, ok := errors.AsType[*mamori.Error](why); ok {
			v.Why = l.Pick(me.MessageJA, me.Message)
		}
	} else {
		v.Manage = true
		v.Roles = grantableRoles(a, "")
	}
	v.Grants, v.Hidden = grantViews(a, u, orgNames(t), v.Manage)
	if k, ok := doneKeys[r.URL.Query().Get("done")]; ok {
		v.Done = l.MustT(k)
	}
	return s.render(w, r, http.StatusOK, "admin_user.html", l.MustT("admin.user.title", "Name", u.Name), "admin", v)
}

// userChange is what one action did, for the audit entry and the redirect.
type userChange struct {
	done   string            // the done parameter of the redirect
	org    string            // the organization the change concerns
	detail map[string]string // the audit entry's detail
}

// changeUser runs one action on the named account: it checks the
// administrator may change the account, applies fn, records the change in
// the audit trail and sends the browser back to the account (or, when the
// change took it out of the administrator's sight, to the list).
func (s *server) changeUser(w http.ResponseWriter, r *http.Request, fn func(a *adminAccess, u store.User) (userChange, error)) error {
	ctx := r.Context()
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	u, err := s.visibleUser(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	if err := a.manageable(u); err != nil {
		return err
	}
	c, err := fn(a, u)
	if err != nil {
		return err
	}
	if c.detail != nil {
		if _, err := audit.Record(ctx, s.store, a.v.user.Name, audit.Write, "users/"+u.Name, c.org, c.detail); err != nil {
			return err
		}
	}
	target := userURL(u.Name)
	if after, err := s.store.User(ctx, u.Name); err != nil || !a.visible(after) {
		target = "/admin/users"
	}
	http.Redirect(w, r, target+"?"+url.Values{"done": {c.done}}.Encode(), http.StatusSeeOther)
	return nil
}

// homeOrg is the organization an account-wide change is recorded under:
// the first of its grants in the administrator's scope.
func homeOrg(a *adminAccess, u store.User) string {
	for _, g := range u.Grants {
		if a.scope.Allows(g.OrgCode) {
			return g.OrgCode
		}
	}
	return ""
}

func (s *server) adminGrant(w http.ResponseWriter, r *http.Request) error {
	return s.changeUser(w, r, func(a *adminAccess, u store.User) (userChange, error) {
		role, org := r.PostFormValue("role"), strings.TrimSpace(r.PostFormValue("org"))
		if err := a.checkGrant(role, org); err != nil {
			return userChange{}, err
		}
		if slices.Contains(u.Grants, store.RoleGrant{Role: role, OrgCode: org}) {
			return userChange{done: "held"}, nil // nothing written, nothing to record
		}
		if err := auth.Grant(r.Context(), s.store, u.Name, auth.Role(role), org); err != nil {
			return userChange{}, err
		}
		return userChange{done: "granted", org: org, detail: map[string]string{"event": "grant", "role": role, "org": org}}, nil
	})
}

func (s *server) adminRevoke(w http.ResponseWriter, r *http.Request) error {
	return s.changeUser(w, r, func(a *adminAccess, u store.User) (userChange, error) {
		role, org := r.PostFormValue("role"), strings.TrimSpace(r.PostFormValue("org"))
		if err := a.checkGrant(role, org); err != nil {
			return userChange{}, err
		}
		if err := s.store.RevokeRole(r.Context(), u.Name, store.RoleGrant{Role: role, OrgCode: org}); err != nil {
			return userChange{}, err
		}
		return userChange{done: "revoked", org: org, detail: map[string]string{"event": "revoke", "role": role, "org": org}}, nil
	})
}

// accountAction is an action on the whole account through package auth.
func (s *server) accountAction(w http.ResponseWriter, r *http.Request, event, done string, fn func(ctx context.Context, name string) error) error {
	return s.changeUser(w, r, func(a *adminAccess, u store.User) (userChange, error) {
		if err := fn(r.Context(), u.Name); err != nil {
			return userChange{}, err
		}
		return userChange{done: done, org: homeOrg(a, u), detail: map[string]string{"event": event}}, nil
	})
}

func (s *server) adminDisable(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, "disable", "disabled", func(ctx context.Context, name string) error {
		return auth.SetDisabled(ctx, s.store, name, true)
	})
}

func (s *server) adminEnable(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, "enable", "enabled", func(ctx context.Context, name string) error {
		return auth.SetDisabled(ctx, s.store, name, false)
	})
}

func (s *server) adminUnlock(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, "unlock", "unlocked", func(ctx context.Context, name string) error {
		return auth.Unlock(ctx, s.store, name)
	})
}

func (s *server) adminResetTOTP(w http.ResponseWriter, r *http.Request) error {
	return s.accountAction(w, r, "reset-2fa", "reset2fa", func(ctx context.Context, name string) error {
		return auth.ResetTOTP(ctx, s.store, name)
	})
}

// resetView is the result of a password reset: the one-time password,
// shown this once.
type resetView struct {
	Name, URL, Password, Expires string
}

// adminResetPassword sets a one-time password on the account and shows it
// once; the user must choose their own at the next sign-in, before it
// expires. Every session of the account ends.
func (s *server) adminResetPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.loc(r)
	a, err := s.adminAccessOf(r)
	if err != nil {
		return err
	}
	u, err := s.visibleUser(ctx, a, r.PathValue("name"))
	if err != nil {
		return err
	}
	if err := a.manageable(u); err != nil {
		return err
	}
	now := time.Now()
	password, err := auth.ResetPassword(ctx, s.store, u.Name, now)
	if err != nil {
		return err
	}
	if _, err := audit.Record(ctx, s.store, a.v.user.Name, audit.Write, "users/"+u.Name, homeOrg(a, u),
		map[string]string{"event": "reset-password"}); err != nil {
		return err
	}
	v := resetView{Name: u.Name, URL: userURL(u.Name), Password: password, Expires: shownTime(l, now.Add(auth.OneTimePasswordTTL))}
	return s.render(w, r, http.StatusOK, "admin_reset.html", l.MustT("admin.reset.title"), "admin", v)
}
