package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pquerna/otp/totp"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// do sends a request; form, when not nil, is posted.
func do(h http.Handler, method, target, cookie string, form url.Values) *httptest.ResponseRecorder {
	var req *http.Request
	if form != nil {
		req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	} else {
		req = httptest.NewRequest(method, target, nil)
	}
	if cookie != "" {
		req.Header.Set("Cookie", "mamori_session="+cookie)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func sessionOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	for _, c := range rec.Result().Cookies() {
		if c.Name == "mamori_session" && c.Value != "" {
			if !c.HttpOnly || c.SameSite != http.SameSiteLaxMode {
				t.Errorf("session cookie %+v: want HttpOnly and SameSite=Lax", c)
			}
			return c.Value
		}
	}
	t.Fatalf("no session cookie in %d response: %v", rec.Code, rec.Header())
	return ""
}

// TestScopedPages: each page, for users of two ministries and a user who
// sees everything: nothing of another ministry shows (lists, details,
// counts, errors), and the whole-government views need the whole scope.
func TestScopedPages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	users := map[string]http.Handler{
		"all": signIn(t, s, base, "all", "ORG-A", "ORG-C"),
		"a":   signIn(t, s, base, "a", "ORG-A"), // ORG-A and its child ORG-B
		"c":   signIn(t, s, base, "c", "ORG-C"),
	}
	for _, tc := range []struct {
		who, url   string
		want       int
		has, hasNo []string
	}{
		{"a", "/systems", 200, []string{"S001", "全2件"}, []string{"S003", "業務システム", "デジタル庁"}},
		{"c", "/systems", 200, []string{"S003", "全63件"}, []string{">S001<", "人事給与", "総務省"}},
		{"c", "/systems?org=ORG-A", 200, []string{"全0件"}, []string{"人事給与"}},
		{"c", "/systems?q=人事", 200, []string{"全0件"}, []string{"人事給与"}},
		{"a", "/systems/S001", 200, []string{"人事給与システム", "CVE-2021-44228"}, nil},
		{"c", "/systems/S001", 404, []string{"見つかりません"}, []string{"人事給与", "CVE", "総務省"}},
		{"a", "/findings", 200, []string{"全2件", "S001"}, nil},
		{"c", "/findings", 200, []string{"全0件"}, []string{"S001", "K0002"}},
		{"c", "/findings?control=REG-03&status=all", 200, []string{"全0件"}, []string{"S001"}},
		{"a", "/dashboard", 200, []string{"担当組織", "S001"}, []string{"政府全体</span>", "S003", "デジタル庁"}},
		{"c", "/dashboard", 200, []string{"担当組織"}, []string{"S001", "人事給与", "総務省"}},
		{"c", "/dashboard?org=ORG-A", 404, nil, []string{"S001", "人事給与", "総務省"}},
		{"a", "/dashboard?org=ORG-B", 200, nil, []string{"S001"}},
		{"c", "/report", 403, nil, []string{"REG-03"}},
		{"all", "/dashboard", 200, []string{"REG-03", "S001"}, nil},
		{"all", "/systems", 200, []string{"全65件"}, nil},
	} {
		rec := do(users[tc.who], "GET", tc.url, "", nil)
		body := rec.Body.String()
		if rec.Code != tc.want {
			t.Errorf("%s GET %s = %d, want %d", tc.who, tc.url, rec.Code, tc.want)
		}
		for _, x := range tc.has {
			if !strings.Contains(body, x) {
				t.Errorf("%s GET %s lacks %q", tc.who, tc.url, x)
			}
		}
		for _, x := range tc.hasNo {
			if strings.Contains(body, x) {
				t.Errorf("%s GET %s leaks %q", tc.who, tc.url, x)
			}
		}
	}
	// Out of scope reads exactly like missing, but for the code itself.
	missing := do(users["c"], "GET", "/systems/S999", "", nil)
	hidden := do(users["c"], "GET", "/systems/S001", "", nil)
	clean := regexp.MustCompile(`S999|S001|[0-9a-f]{16}`)
	if clean.ReplaceAllString(missing.Body.String(), "") != clean.ReplaceAllString(hidden.Body.String(), "") {
		t.Errorf("another ministry's system answers differently from a missing one")
	}
}

// TestSignIn: no session sends a page to the sign-in form; a wrong
// password is refused and recorded; a right one opens a session; an
// administrator must enrol a TOTP second factor before anything else, then
// signs in with a code; signing out ends the session.
func TestSignIn(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	ctx := t.Context()
	now := time.Now()
	for _, u := range []struct{ name, role, org string }{{"hanako", "viewer", "ORG-A"}, {"boss", "central_admin", "ORG-A"}} {
		if err := auth.CreateUser(ctx, s, auth.NewUser{Name: u.name, Password: "correct horse battery staple",
			Grants: []store.RoleGrant{{Role: u.role, OrgCode: u.org}}}, now); err != nil {
			t.Fatal(err)
		}
	}
	if rec := do(h, "GET", "/systems?q=x", "", nil); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/login?next=%2Fsystems%3Fq%3Dx" {
		t.Errorf("no session: %d %s", rec.Code, rec.Header().Get("Location"))
	}
	if rec := do(h, "POST", "/logout", "", url.Values{}); rec.Code != http.StatusUnauthorized {
		t.Errorf("POST without a session = %d, want 401", rec.Code)
	}
	if rec := do(h, "GET", "/login", "", nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), `autocomplete="current-password"`) {
		t.Errorf("sign-in page = %d", rec.Code)
	}
	rec := do(h, "POST", "/login", "", url.Values{"name": {"hanako"}, "password": {"wrong password!!"}})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "サインインできませんでした") {
		t.Errorf("wrong password = %d\n%s", rec.Code, rec.Body.String())
	}
	rec = do(h, "POST", "/login", "", url.Values{"name": {"hanako"}, "password": {"correct horse battery staple"}, "next": {"/findings"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/findings" {
		t.Fatalf("sign-in = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	cookie := sessionOf(t, rec)
	if rec := do(h, "GET", "/systems", cookie, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "サインアウト") {
		t.Errorf("signed in: %d", rec.Code)
	}
	for _, next := range []string{"//evil.example/", "/\t/evil.example", "/\n/evil.example", "https://evil.example/", "/\\evil.example", "/%zz"} {
		if rec := do(h, "POST", "/login", "", url.Values{"name": {"hanako"}, "password": {"correct horse battery staple"}, "next": {next}}); rec.Header().Get("Location") != "/dashboard" {
			t.Errorf("open redirect through next=%q: %s", next, rec.Header().Get("Location"))
		}
	}
	if rec := do(h, "POST", "/lang", "", url.Values{"lang": {"en"}, "next": {"/\t/evil.example"}}); rec.Header().Get("Location") != "/dashboard" {
		t.Errorf("open redirect through the language switch: %s", rec.Header().Get("Location"))
	}
	if rec := do(h, "POST", "/logout", cookie, url.Values{}); rec.Code != http.StatusSeeOther {
		t.Errorf("sign-out = %d", rec.Code)
	}
	if rec := do(h, "GET", "/systems", cookie, nil); rec.Code != http.StatusSeeOther {
		t.Errorf("after sign-out = %d, want a redirect to sign in", rec.Code)
	}

	// The administrator: enrol first.
	rec = do(h, "POST", "/login", "", url.Values{"name": {"boss"}, "password": {"correct horse battery staple"}})
	if rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/enrol" {
		t.Fatalf("admin sign-in = %d %s", rec.Code, rec.Header().Get("Location"))
	}
	cookie = sessionOf(t, rec)
	if rec := do(h, "GET", "/systems", cookie, nil); rec.Header().Get("Location") != "/enrol" {
		t.Errorf("enrol-only session reached the register: %d", rec.Code)
	}
	rec = do(h, "GET", "/enrol", cookie, nil)
	body := rec.Body.String()
	// The key for typing in is shown in groups of four.
	secretRE := regexp.MustCompile(`<code class="key">([A-Z2-7]{4}(?: [A-Z2-7]{1,4}){3,})</code>`)
	m := secretRE.FindStringSubmatch(body)
	if rec.Code != 200 || !strings.Contains(body, "<svg") || m == nil {
		t.Fatalf("enrol page = %d\n%s", rec.Code, body)
	}
	// A reload (or a browser's stray request redirected here, such as its
	// favicon) shows the same key, so the one being scanned stays valid.
	if again := secretRE.FindStringSubmatch(do(h, "GET", "/enrol", cookie, nil).Body.String()); again == nil || again[1] != m[1] {
		t.Errorf("reloading the enrolment page changed the key: %v, was %s", again, m[1])
	}
	if rec := do(h, "GET", "/favicon.ico", cookie, nil); rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != "image/x-icon" {
		t.Errorf("GET /favicon.ico in an enrol-only session = %d %s, want the icon", rec.Code, rec.Header().Get("Content-Type"))
	}
	// Starting again, on request, makes a new key; only it is accepted.
	restarted := secretRE.FindStringSubmatch(do(h, "POST", "/enrol", cookie, url.Values{"restart": {"1"}}).Body.String())
	if restarted == nil || restarted[1] == m[1] {
		t.Fatalf("restart did not make a new key: %v", restarted)
	}
	code, err := totp.GenerateCode(strings.ReplaceAll(restarted[1], " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	rec = do(h, "POST", "/enrol", cookie, url.Values{"code": {code}})
	if rec.Code != 200 || strings.Count(rec.Body.String(), "<li><code>") != 10 {
		t.Fatalf("enrol = %d\n%s", rec.Code, rec.Body.String())
	}
	if rec := do(h, "GET", "/systems", cookie, nil); rec.Code != 200 {
		t.Errorf("after enrolment = %d", rec.Code)
	}
	// Next time, the password alone asks for the code.
	rec = do(h, "POST", "/login", "", url.Values{"name": {"boss"}, "password": {"correct horse battery staple"}})
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "確認コード") {
		t.Errorf("admin without code = %d", rec.Code)
	}
	// Every attempt is in the audit trail.
	entries, _, err := s.AuditEntries(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range entries {
		actions = append(actions, e.Action)
	}
	got := strings.Join(actions, " ")
	for _, want := range []string{"login_failed", "login", "logout"} {
		if !strings.Contains(got, want) {
			t.Errorf("audit trail %q lacks %s", got, want)
		}
	}
}
