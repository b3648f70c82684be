package web_test

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// adminSignIn creates a user holding the given grants ("role@ORG") and a
// live session, and returns a handler that sends its cookie. A role that
// needs a second factor gets one, as after enrolment, so the session is a
// full one (the sign-in itself is TestSignIn's business).
func adminSignIn(t *testing.T, s *store.Store, h http.Handler, name string, grants ...string) http.Handler {
	t.Helper()
	return withSession(h, grantedSession(t, s, name, grants...))
}

// plainUser creates an account without a session.
func plainUser(t *testing.T, s *store.Store, name string, grants ...string) {
	t.Helper()
	var gs []store.RoleGrant
	for _, g := range grants {
		role, org, _ := strings.Cut(g, "@")
		gs = append(gs, store.RoleGrant{Role: role, OrgCode: org})
	}
	if err := auth.CreateUser(t.Context(), s, auth.NewUser{Name: name, Password: "correct horse battery staple", Grants: gs}, time.Now()); err != nil {
		t.Fatal(err)
	}
}

func mustUser(t *testing.T, s *store.Store, name string) store.User {
	t.Helper()
	u, err := s.User(t.Context(), name)
	if err != nil {
		t.Fatalf("User(%s): %v", name, err)
	}
	return u
}

// writesBy lists the audit trail's write entries of actor as
// "target event role org|entry-org".
func writesBy(t *testing.T, s *store.Store, actor string) []string {
	t.Helper()
	entries, _, err := s.AuditEntries(t.Context(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.Actor != actor || e.Action != "write" {
			continue
		}
		out = append(out, e.Target+" "+e.Detail+" |"+e.OrgCode)
	}
	slices.Sort(out)
	return out
}

func wantStatus(t *testing.T, h http.Handler, method, target string, form url.Values, want int) string {
	t.Helper()
	rec := do(h, method, target, "", form)
	if rec.Code != want {
		t.Errorf("%s %s = %d, want %d\n%s", method, target, rec.Code, want, adminClip(rec.Body.String()))
	}
	if want == http.StatusSeeOther {
		return rec.Header().Get("Location")
	}
	return rec.Body.String()
}

// TestAdminCentralAdmin: a central administrator creates a user (the
// initial password is shown once and works), grants and revokes a role,
// disables and enables the account, unlocks it and resets its second
// factor; each change is in the store and in the audit trail, and the
// administrator's own account is out of reach.
func TestAdminCentralAdmin(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		fixture(t, s)
		h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "boss", "central_admin@ORG-A", "central_admin@ORG-C")

		body := wantStatus(t, h, "GET", "/admin", nil, 200)
		for _, w := range []string{`href="/admin/organizations"`, `href="/admin/users"`, `href="/admin/users/new"`, "3組織"} {
			if !strings.Contains(body, w) {
				t.Errorf("GET /admin lacks %q", w)
			}
		}
		body = wantStatus(t, h, "GET", "/admin/organizations", nil, 200)
		for _, w := range []string{"総務省", "\u00a0\u00a0\u00a0└ </span>情報流通行政局", "デジタル庁", "府省庁", `href="/admin/users?org=ORG-B"`} {
			if !strings.Contains(body, w) {
				t.Errorf("GET /admin/organizations lacks %q", w)
			}
		}
		body = wantStatus(t, h, "GET", "/admin/organizations?root=ORG-A", nil, 200)
		if !strings.Contains(body, "情報流通行政局") || strings.Contains(body, "デジタル庁") {
			t.Errorf("the subtree of ORG-A shows the wrong organizations")
		}
		// The number of systems of ORG-C (63) is shown on its row.
		if !regexp.MustCompile(`ORG-C</td>\s*<td class="num"><a href="/systems\?org=ORG-C">63</a>`).MatchString(wantStatus(t, h, "GET", "/admin/organizations", nil, 200)) {
			t.Errorf("the tree does not count ORG-C's 63 systems")
		}
		wantStatus(t, h, "GET", "/admin/users/new?org=ORG-B", nil, 200)

		// Create.
		body = wantStatus(t, h, "POST", "/admin/users", url.Values{"name": {"tanaka"}, "display_name": {"田中 一郎"},
			"role": {"system_officer"}, "org": {"ORG-B"}}, 200)
		m := regexp.MustCompile(`<code id="password">([^<]+)</code>`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the result page shows no password\n%s", body)
		}
		u := mustUser(t, s, "tanaka")
		if u.DisplayName != "田中 一郎" || !slices.Equal(u.Grants, []store.RoleGrant{{Role: "system_officer", OrgCode: "ORG-B"}}) {
			t.Errorf("created user = %+v", u)
		}
		if strings.Contains(u.PasswordHash, m[1]) {
			t.Errorf("the password is stored in clear")
		}
		// The administrator has seen it: it is a one-time password.
		if !u.PasswordChangeRequired || u.PasswordExpiresAt.IsZero() {
			t.Errorf("the initial password is not a one-time password: %+v", u)
		}
		if _, err := auth.Authenticate(ctx, s, "tanaka", m[1], "", time.Now()); err != nil {
			t.Errorf("the shown password does not sign in: %v", err)
		}
		if body := wantStatus(t, h, "GET", "/admin/users/tanaka", nil, 200); strings.Contains(body, m[1]) {
			t.Errorf("the password is shown again")
		}
		// The same name again is refused, on the form.
		body = wantStatus(t, h, "POST", "/admin/users", url.Values{"name": {"tanaka"}, "role": {"viewer"}, "org": {"ORG-A"}}, http.StatusConflict)
		if !strings.Contains(body, `role="alert"`) {
			t.Errorf("a taken name is not reported on the form")
		}

		// Grant, then grant again (nothing to do), then revoke.
		loc := wantStatus(t, h, "POST", "/admin/users/tanaka/grant", url.Values{"role": {"viewer"}, "org": {"ORG-C"}}, 303)
		if loc != "/admin/users/tanaka?done=granted" {
			t.Errorf("grant redirects to %q", loc)
		}
		if !slices.Contains(mustUser(t, s, "tanaka").Grants, store.RoleGrant{Role: "viewer", OrgCode: "ORG-C"}) {
			t.Errorf("the grant is not stored")
		}
		if body := wantStatus(t, h, "GET", loc, nil, 200); !strings.Contains(body, "役割を付与しました") || !strings.Contains(body, "閲覧者") {
			t.Errorf("the user page after the grant lacks the message or the role")
		}
		if loc := wantStatus(t, h, "POST", "/admin/users/tanaka/grant", url.Values{"role": {"viewer"}, "org": {"ORG-C"}}, 303); loc != "/admin/users/tanaka?done=held" {
			t.Errorf("a second grant redirects to %q", loc)
		}
		if loc := wantStatus(t, h, "POST", "/admin/users/tanaka/revoke", url.Values{"role": {"viewer"}, "org": {"ORG-C"}}, 303); loc != "/admin/users/tanaka?done=revoked" {
			t.Errorf("revoke redirects to %q", loc)
		}
		if slices.Contains(mustUser(t, s, "tanaka").Grants, store.RoleGrant{Role: "viewer", OrgCode: "ORG-C"}) {
			t.Errorf("the revoked grant is still stored")
		}
		wantStatus(t, h, "POST", "/admin/users/tanaka/revoke", url.Values{"role": {"viewer"}, "org": {"ORG-C"}}, 404)

		// Disable, enable.
		wantStatus(t, h, "POST", "/admin/users/tanaka/disable", url.Values{}, 303)
		if !mustUser(t, s, "tanaka").Disabled {
			t.Errorf("not disabled")
		}
		if body := wantStatus(t, h, "GET", "/admin/users?q=TANAKA", nil, 200); !strings.Contains(body, `<span class="badge badge-warn">無効</span>`) {
			t.Errorf("the list does not show the account disabled")
		}
		wantStatus(t, h, "POST", "/admin/users/tanaka/enable", url.Values{}, 303)
		if mustUser(t, s, "tanaka").Disabled {
			t.Errorf("not enabled again")
		}
		// Unlock and reset the second factor.
		if err := s.UpdateUser(ctx, "tanaka", func(u *store.User) error {
			u.FailedLogins, u.FailedSince, u.LockedUntil = 5, time.Now(), time.Now().Add(time.Hour)
			u.TOTPSecret, u.TOTPEnrolledOn = "JBSWY3DPEHPK3PXP", "2026-01-01"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if body := wantStatus(t, h, "GET", "/admin/users", nil, 200); !strings.Contains(body, "ロック中") {
			t.Errorf("the list does not show the lock")
		}
		wantStatus(t, h, "POST", "/admin/users/tanaka/unlock", url.Values{}, 303)
		wantStatus(t, h, "POST", "/admin/users/tanaka/reset-2fa", url.Values{}, 303)
		if u := mustUser(t, s, "tanaka"); u.FailedLogins != 0 || !u.LockedUntil.IsZero() || u.TOTPSecret != "" || u.TOTPEnrolledOn != "" {
			t.Errorf("after unlock and reset: %+v", u)
		}

		// Nobody changes their own account.
		wantStatus(t, h, "POST", "/admin/users/boss/disable", url.Values{}, 403)
		wantStatus(t, h, "POST", "/admin/users/boss/revoke", url.Values{"role": {"central_admin"}, "org": {"ORG-A"}}, 403)
		if u := mustUser(t, s, "boss"); u.Disabled || len(u.Grants) != 2 {
			t.Errorf("the administrator changed their own account: %+v", u)
		}

		want := []string{
			`users/tanaka {"event":"add","org":"ORG-B","role":"system_officer"} |ORG-B`,
			`users/tanaka {"event":"disable"} |ORG-B`,
			`users/tanaka {"event":"enable"} |ORG-B`,
			`users/tanaka {"event":"grant","org":"ORG-C","role":"viewer"} |ORG-C`,
			`users/tanaka {"event":"reset-2fa"} |ORG-B`,
			`users/tanaka {"event":"revoke","org":"ORG-C","role":"viewer"} |ORG-C`,
			`users/tanaka {"event":"unlock"} |ORG-B`,
		}
		if got := writesBy(t, s, "boss"); !slices.Equal(got, want) {
			t.Errorf("audit trail:\n got %q\nwant %q", got, want)
		}
	})
}

// TestAdminOrgSecurityScope: the security officer of ministry A (ORG-A,
// with its bureau ORG-B) sees and changes the accounts of A only; an
// account of ministry C answers like a missing one, C's organization
// cannot be granted, and no role above their own can be given. Nothing
// refused is written or recorded.
func TestAdminOrgSecurityScope(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "sec-a", "org_security@ORG-A")
	plainUser(t, s, "user-a", "viewer@ORG-B")
	plainUser(t, s, "user-c", "viewer@ORG-C")
	plainUser(t, s, "mixed", "viewer@ORG-A", "viewer@ORG-C")
	plainUser(t, s, "chief-a", "central_admin@ORG-A")

	body := wantStatus(t, h, "GET", "/admin/users", nil, 200)
	for _, w := range []string{">user-a<", ">mixed<", ">chief-a<", "情報流通行政局", "ほかに管理範囲外の組織の役割が1件あります"} {
		if !strings.Contains(body, w) {
			t.Errorf("GET /admin/users lacks %q", w)
		}
	}
	for _, w := range []string{"user-c", "デジタル庁", "ORG-C"} {
		if strings.Contains(body, w) {
			t.Errorf("GET /admin/users leaks %q", w)
		}
	}
	for _, target := range []string{"/admin/organizations", "/admin", "/admin/users/mixed", "/admin/users/new", "/admin/users?org=ORG-C"} {
		if body := wantStatus(t, h, "GET", target, nil, 200); strings.Contains(body, "デジタル庁") || strings.Contains(body, "ORG-C") && !strings.Contains(target, "ORG-C") {
			t.Errorf("GET %s leaks ministry C", target)
		}
	}
	wantStatus(t, h, "GET", "/admin/organizations?root=ORG-C", nil, 404)

	// Another ministry's account reads exactly like a missing one.
	hidden := wantStatus(t, h, "GET", "/admin/users/user-c", nil, 404)
	missing := wantStatus(t, h, "GET", "/admin/users/user-x", nil, 404)
	clean := regexp.MustCompile(`user-c|user-x|[0-9a-f]{16}`)
	if clean.ReplaceAllString(hidden, "") != clean.ReplaceAllString(missing, "") {
		t.Errorf("another ministry's account answers differently from a missing one")
	}
	refused := []struct {
		target string
		form   url.Values
		want   int
	}{
		{"/admin/users/user-c/grant", url.Values{"role": {"viewer"}, "org": {"ORG-A"}}, 404},
		{"/admin/users/user-c/revoke", url.Values{"role": {"viewer"}, "org": {"ORG-C"}}, 404},
		{"/admin/users/user-c/disable", url.Values{}, 404},
		{"/admin/users/user-c/reset-2fa", url.Values{}, 404},
		// C's organization cannot be granted, and answers like a missing one.
		{"/admin/users/user-a/grant", url.Values{"role": {"viewer"}, "org": {"ORG-C"}}, 404},
		{"/admin/users/user-a/grant", url.Values{"role": {"viewer"}, "org": {"ORG-Z"}}, 404},
		// No role above one's own.
		{"/admin/users/user-a/grant", url.Values{"role": {"central_admin"}, "org": {"ORG-A"}}, 403},
		{"/admin/users/user-a/grant", url.Values{"role": {"auditor"}, "org": {"ORG-B"}}, 403},
		{"/admin/users/user-a/grant", url.Values{"role": {"root"}, "org": {"ORG-B"}}, 400},
		// An account with a grant elsewhere, or above one's own, is read-only.
		{"/admin/users/mixed/disable", url.Values{}, 403},
		{"/admin/users/chief-a/disable", url.Values{}, 403},
		{"/admin/users/chief-a/revoke", url.Values{"role": {"central_admin"}, "org": {"ORG-A"}}, 403},
		{"/admin/users/sec-a/grant", url.Values{"role": {"viewer"}, "org": {"ORG-B"}}, 403},
		{"/admin/users", url.Values{"name": {"new-c"}, "role": {"viewer"}, "org": {"ORG-C"}}, 404},
		{"/admin/users", url.Values{"name": {"new-boss"}, "role": {"central_admin"}, "org": {"ORG-A"}}, 403},
	}
	for _, c := range refused {
		body := wantStatus(t, h, "POST", c.target, c.form, c.want)
		if strings.Contains(body, "デジタル庁") {
			t.Errorf("POST %s leaks ministry C", c.target)
		}
	}
	if body := wantStatus(t, h, "POST", "/admin/users", url.Values{"name": {"new-c"}, "role": {"viewer"}, "org": {"ORG-C"}}, 404); !strings.Contains(body, "組織「ORG-C」は見つかりません") {
		t.Errorf("the form does not say why it refused")
	}
	// A name another ministry's account has is refused without saying so,
	// nor in the database's words.
	if body := wantStatus(t, h, "POST", "/admin/users", url.Values{"name": {"user-c"}, "role": {"viewer"}, "org": {"ORG-A"}}, http.StatusConflict); !strings.Contains(body, "利用者名「user-c」は使えません") ||
		strings.Contains(body, "重複") || strings.Contains(body, "insert users") || strings.Contains(body, "デジタル庁") {
		t.Errorf("a name taken in another ministry: %s", body)
	}
	for name, grants := range map[string]int{"user-a": 1, "user-c": 1, "mixed": 2, "chief-a": 1, "sec-a": 1} {
		u := mustUser(t, s, name)
		if u.Disabled || len(u.Grants) != grants {
			t.Errorf("%s changed by a refused request: %+v", name, u)
		}
	}
	for _, name := range []string{"new-c", "new-boss"} {
		if _, err := s.User(t.Context(), name); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("refused account %s was created (%v)", name, err)
		}
	}
	if got := writesBy(t, s, "sec-a"); len(got) != 0 {
		t.Errorf("refused requests were recorded as writes: %q", got)
	}

	// What is allowed: a role below one's own, within the ministry.
	wantStatus(t, h, "POST", "/admin/users/user-a/grant", url.Values{"role": {"system_officer"}, "org": {"ORG-B"}}, 303)
	if !slices.Contains(mustUser(t, s, "user-a").Grants, store.RoleGrant{Role: "system_officer", OrgCode: "ORG-B"}) {
		t.Errorf("a grant within the scope was not stored")
	}
	// Revoking the last grant in the ministry takes the account out of
	// sight: the browser goes back to the list, which says what was done.
	if loc := wantStatus(t, h, "POST", "/admin/users/user-a/revoke", url.Values{"role": {"system_officer"}, "org": {"ORG-B"}}, 303); loc != "/admin/users/user-a?done=revoked" {
		t.Errorf("revoke redirects to %q", loc)
	}
	loc := wantStatus(t, h, "POST", "/admin/users/user-a/revoke", url.Values{"role": {"viewer"}, "org": {"ORG-B"}}, 303)
	if loc != "/admin/users?done=revoked" {
		t.Errorf("revoking the last grant redirects to %q", loc)
	}
	if body := wantStatus(t, h, "GET", loc, nil, 200); !strings.Contains(body, "役割を解除しました") || strings.Contains(body, ">user-a<") {
		t.Errorf("the list after the last revocation lacks the message or still shows the account")
	}
	wantStatus(t, h, "GET", "/admin/users/user-a", nil, 404)
	if n := len(writesBy(t, s, "sec-a")); n != 3 {
		t.Errorf("%d writes recorded for sec-a, want 3 (grant, revoke, revoke)", n)
	}
	// The form offers no role equal to or above one's own.
	if body := wantStatus(t, h, "GET", "/admin/users/new", nil, 200); strings.Contains(body, `value="central_admin"`) || strings.Contains(body, `value="auditor"`) ||
		strings.Contains(body, `value="org_security"`) || !strings.Contains(body, `value="system_officer"`) {
		t.Errorf("the form offers the wrong roles")
	}
}

// adminRoutes are every administration request, for the refusal test.
var adminRoutes = []struct {
	method, target string
}{
	{"GET", "/admin"}, {"GET", "/admin/organizations"}, {"GET", "/admin/organizations?root=ORG-A"},
	{"GET", "/admin/users"}, {"GET", "/admin/users/new"}, {"POST", "/admin/users"}, {"GET", "/admin/users/other"},
	{"POST", "/admin/users/other/grant"}, {"POST", "/admin/users/other/revoke"}, {"POST", "/admin/users/other/disable"},
	{"POST", "/admin/users/other/enable"}, {"POST", "/admin/users/other/unlock"}, {"POST", "/admin/users/other/reset-2fa"},
	{"POST", "/admin/users/other/reset-password"},
}

// TestAdminForbidden: users without an administrator role get 403 on every
// administration route, and change nothing.
func TestAdminForbidden(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	plainUser(t, s, "other", "viewer@ORG-A")
	for _, who := range []struct{ name, grant string }{{"v", "viewer@ORG-A"}, {"so", "system_officer@ORG-A"}, {"aud", "auditor@ORG-A"}} {
		h := adminSignIn(t, s, base, who.name, who.grant)
		for _, rt := range adminRoutes {
			var form url.Values
			if rt.method == "POST" {
				form = url.Values{"name": {"x-" + who.name}, "role": {"viewer"}, "org": {"ORG-A"}}
			}
			body := wantStatus(t, h, rt.method, rt.target, form, http.StatusForbidden)
			if strings.Contains(body, `href="/admin"`) {
				t.Errorf("%s: the menu offers the administration pages", who.name)
			}
		}
	}
	if u := mustUser(t, s, "other"); u.Disabled || len(u.Grants) != 1 {
		t.Errorf("a refused request changed an account: %+v", u)
	}
	if _, err := s.User(t.Context(), "x-v"); mamori.KindOf(err) != mamori.NotFound {
		t.Errorf("a viewer created an account")
	}
}

// TestAdminEnglish renders the administration pages in English: English
// headings and labels, role names from auth.Roles, and nothing Japanese
// but the fixture's data.
func TestAdminEnglish(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "boss", "central_admin@ORG-A", "central_admin@ORG-C")
	plainUser(t, s, "tanaka", "system_officer@ORG-B")
	for _, c := range []struct {
		target string
		want   []string
	}{
		{"/admin?lang=en", []string{"<h1>Administration</h1>", "You administer 3 organizations"}},
		{"/admin/organizations?lang=en", []string{"<h1>Organizations</h1>", "Ministry", "Central office", "Sub-organizations", "Open the organizations under"}},
		{"/admin/users?lang=en", []string{"<h1>Users</h1>", `system officer @ 情報流通行政局 (<span class="code">ORG-B</span>)`, "central administrator", "Last sign-in", "Never"}},
		{"/admin/users/new?lang=en", []string{"<h1>Create a user</h1>", `<label for="org">Organization code</label>`, ">organization security officer<"}},
		{"/admin/users/tanaka?lang=en&done=granted", []string{"<h1>User tanaka</h1>", "The role was granted.", "Grant a role", "Disable", `aria-label="Revoke system officer on ORG-B"`}},
		{"/admin/users/nobody?lang=en", []string{`user &#34;nobody&#34; not found`}},
	} {
		rec := do(h, "GET", c.target, "", nil)
		body := rec.Body.String()
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q\n%s", c.target, w, adminClip(body))
			}
		}
		rest := body
		for _, v := range []string{"情報流通行政局", "デジタル庁", "総務省", `lang="ja">日本語`} {
			rest = strings.ReplaceAll(rest, v, "")
		}
		if i := strings.IndexFunc(rest, func(r rune) bool {
			return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) || r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
		}); i >= 0 {
			t.Errorf("GET %s: Japanese on the English page: %s", c.target, adminClip(rest[max(0, i-80):]))
		}
	}
}

// TestAdminOrgTreeBounded: a national-scale tree is shown to the depth
// that fits one page, with links into each subtree.
func TestAdminOrgTreeBounded(t *testing.T) {
	s := storetest.OpenSQLite(t)
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		orgs := []mamori.Record{rec("organizations", map[string]any{"code": "GOV", "kind": "government", "name": "政府"})}
		for p := 1; p <= 4; p++ {
			pc := fmt.Sprintf("P%02d", p)
			orgs = append(orgs, rec("organizations", map[string]any{"code": pc, "parent_code": "GOV", "kind": "prefecture", "name": "県" + pc}))
			for m := 1; m <= 100; m++ {
				orgs = append(orgs, rec("organizations", map[string]any{"code": fmt.Sprintf("%s-M%03d", pc, m), "parent_code": pc,
					"kind": "municipality", "name": fmt.Sprintf("市%s-%03d", pc, m)}))
			}
		}
		return l.Put(mamori.EntityByName("organizations"), orgs)
	})
	if err != nil {
		t.Fatal(err)
	}
	h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "boss", "central_admin@GOV")
	body := wantStatus(t, h, "GET", "/admin/organizations", nil, 200)
	if strings.Contains(body, "P01-M001") || !strings.Contains(body, `href="/admin/organizations?root=P01"`) {
		t.Errorf("the whole tree shows municipalities, or no link into a prefecture")
	}
	body = wantStatus(t, h, "GET", "/admin/organizations?root=P02", nil, 200)
	if strings.Count(body, `<td class="code">P02-M`) != 100 || strings.Contains(body, "P01-M") {
		t.Errorf("the subtree of P02 does not show its 100 municipalities alone")
	}
}

func adminClip(s string) string {
	if len(s) > 600 {
		return s[:600] + "…"
	}
	return s
}

// TestAdminAuditorGrantNeedsCentral: an organization's security officer who
// is also an auditor there still may not appoint auditors: only
// administrative grants count towards what one may grant.
func TestAdminAuditorGrantNeedsCentral(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "sec-aud", "org_security@ORG-A", "auditor@ORG-A")
	plainUser(t, s, "user-a", "viewer@ORG-B")
	wantStatus(t, h, "POST", "/admin/users/user-a/grant", url.Values{"role": {"auditor"}, "org": {"ORG-B"}}, 403)
	if u := mustUser(t, s, "user-a"); len(u.Grants) != 1 {
		t.Errorf("auditor granted by a security officer: %+v", u.Grants)
	}
	wantStatus(t, h, "POST", "/admin/users/user-a/grant", url.Values{"role": {"system_officer"}, "org": {"ORG-B"}}, 303)
}

// TestAdminPuppetPeer: a stolen session of an organization's security
// officer can neither create another officer (a "puppet" peer) nor act on
// the real ones: nothing is done to an account whose roles equal or exceed
// the administrator's own on that subtree, including the same role on a
// bureau below. Accounts with strictly lower roles stay manageable, and a
// central administrator manages everyone, other central administrators
// included.
func TestAdminPuppetPeer(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		base := web.New(s, slog.New(slog.DiscardHandler), "test")
		thief := adminSignIn(t, s, base, "sec-thief", "org_security@ORG-A")
		plainUser(t, s, "sec-owner", "org_security@ORG-A")
		plainUser(t, s, "sec-bureau", "org_security@ORG-B")
		plainUser(t, s, "officer-b", "system_officer@ORG-B")
		plainUser(t, s, "viewer-b", "viewer@ORG-B")

		for _, c := range []struct {
			target string
			form   url.Values
		}{
			{"/admin/users", url.Values{"name": {"puppet"}, "role": {"org_security"}, "org": {"ORG-A"}}},
			{"/admin/users", url.Values{"name": {"puppet"}, "role": {"org_security"}, "org": {"ORG-B"}}},
			{"/admin/users/viewer-b/grant", url.Values{"role": {"org_security"}, "org": {"ORG-B"}}},
			{"/admin/users/sec-bureau/revoke", url.Values{"role": {"org_security"}, "org": {"ORG-B"}}},
			{"/admin/users/sec-owner/disable", url.Values{}},
			{"/admin/users/sec-owner/reset-password", url.Values{}},
			{"/admin/users/sec-owner/reset-2fa", url.Values{}},
			{"/admin/users/sec-owner/unlock", url.Values{}},
			{"/admin/users/sec-owner/enable", url.Values{}},
			{"/admin/users/sec-bureau/disable", url.Values{}},
			{"/admin/users/sec-bureau/reset-password", url.Values{}},
		} {
			wantStatus(t, thief, "POST", c.target, c.form, http.StatusForbidden)
		}
		if _, err := s.User(t.Context(), "puppet"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("the puppet account was created (%v)", err)
		}
		for name, grants := range map[string]int{"sec-owner": 1, "sec-bureau": 1, "viewer-b": 1} {
			if u := mustUser(t, s, name); u.Disabled || len(u.Grants) != grants || u.PasswordChangeRequired {
				t.Errorf("%s changed by a refused request: %+v", name, u)
			}
		}
		if got := writesBy(t, s, "sec-thief"); len(got) != 0 {
			t.Errorf("refused requests were recorded: %q", got)
		}
		// The pages offer nothing the officer may not do.
		if body := wantStatus(t, thief, "GET", "/admin/users/new", nil, 200); strings.Contains(body, `value="org_security"`) ||
			!strings.Contains(body, `value="system_officer"`) {
			t.Errorf("the form offers a peer's role")
		}
		if body := wantStatus(t, thief, "GET", "/admin/users/sec-owner", nil, 200); strings.Contains(body, "/disable") ||
			strings.Contains(body, "/reset-password") {
			t.Errorf("a peer's page offers actions on it")
		}

		// Strictly lower roles within the subtree: allowed.
		wantStatus(t, thief, "POST", "/admin/users", url.Values{"name": {"new-officer"}, "role": {"system_officer"}, "org": {"ORG-B"}}, 200)
		wantStatus(t, thief, "POST", "/admin/users/officer-b/disable", url.Values{}, 303)
		wantStatus(t, thief, "POST", "/admin/users/viewer-b/grant", url.Values{"role": {"system_officer"}, "org": {"ORG-B"}}, 303)

		// A central administrator manages everyone.
		boss := adminSignIn(t, s, base, "boss", "central_admin@ORG-A")
		plainUser(t, s, "boss2", "central_admin@ORG-A")
		wantStatus(t, boss, "POST", "/admin/users", url.Values{"name": {"sec-new"}, "role": {"org_security"}, "org": {"ORG-A"}}, 200)
		wantStatus(t, boss, "POST", "/admin/users", url.Values{"name": {"boss3"}, "role": {"central_admin"}, "org": {"ORG-A"}}, 200)
		wantStatus(t, boss, "POST", "/admin/users/sec-thief/disable", url.Values{}, 303)
		wantStatus(t, boss, "POST", "/admin/users/boss2/reset-2fa", url.Values{}, 303)
		wantStatus(t, boss, "POST", "/admin/users/boss2/disable", url.Values{}, 303)
		if !mustUser(t, s, "sec-thief").Disabled || !mustUser(t, s, "boss2").Disabled {
			t.Errorf("the central administrator's disables were not applied")
		}
		// The thief's session ended with the disable.
		if rec := do(thief, "GET", "/dashboard", "", nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("the disabled officer's session still answers %d", rec.Code)
		}
	})
}
