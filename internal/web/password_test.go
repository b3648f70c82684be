package web_test

import (
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestChangeOwnPassword: a signed-in user changes their password on
// /password (linked from the header) with the current one: a wrong current
// password or a confirmation that differs is refused and changes nothing;
// a change ends every session of the account, the browser that made it
// gets a new one, and the change is in the audit trail. A cross-origin
// post is refused as on every other form.
func TestChangeOwnPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		fixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		cookie := grantedSession(t, s, "sato", "viewer@ORG-A")
		const old, next = "correct horse battery staple", "a brand new pass phrase"

		if rec := do(h, "GET", "/dashboard", cookie, nil); !strings.Contains(rec.Body.String(), `href="/password"`) {
			t.Errorf("the header has no link to the password page")
		}
		rec := do(h, "GET", "/password", cookie, nil)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), `name="current"`) || !strings.Contains(rec.Body.String(), `autocomplete="new-password"`) {
			t.Fatalf("GET /password = %d\n%s", rec.Code, adminClip(rec.Body.String()))
		}
		for _, c := range []struct {
			form url.Values
			want int
			msg  string
		}{
			{url.Values{"current": {"not my password"}, "new": {next}, "confirm": {next}}, http.StatusUnauthorized, "今のパスワードが正しくありません"},
			{url.Values{"current": {old}, "new": {next}, "confirm": {next + "x"}}, http.StatusBadRequest, "確認用"},
			{url.Values{"current": {old}, "new": {"short"}, "confirm": {"short"}}, http.StatusBadRequest, "12 文字以上"},
		} {
			rec := do(h, "POST", "/password", cookie, c.form)
			if rec.Code != c.want || !strings.Contains(rec.Body.String(), c.msg) {
				t.Errorf("POST /password %v = %d, want %d with %q\n%s", c.form.Get("current"), rec.Code, c.want, c.msg, adminClip(rec.Body.String()))
			}
		}
		req := url.Values{"current": {old}, "new": {next}, "confirm": {next}}
		cross := do(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			r.Header.Set("Sec-Fetch-Site", "cross-site")
			h.ServeHTTP(w, r)
		}), "POST", "/password", cookie, req)
		if cross.Code != http.StatusForbidden {
			t.Errorf("a cross-origin change = %d, want 403", cross.Code)
		}
		if _, err := auth.Authenticate(ctx, s, "sato", old, "", time.Now()); err != nil {
			t.Fatalf("a refused change changed the password: %v", err)
		}
		rec = do(h, "POST", "/password", cookie, req)
		if rec.Code != 200 || !strings.Contains(rec.Body.String(), "パスワードを変更しました") {
			t.Fatalf("POST /password = %d\n%s", rec.Code, adminClip(rec.Body.String()))
		}
		fresh := sessionOf(t, rec)
		if fresh == cookie {
			t.Errorf("the session was not renewed")
		}
		if rec := do(h, "GET", "/systems", cookie, nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("the session of before the change still answers %d", rec.Code)
		}
		if rec := do(h, "GET", "/systems", fresh, nil); rec.Code != 200 {
			t.Errorf("the new session answers %d", rec.Code)
		}
		if _, err := auth.Authenticate(ctx, s, "sato", next, "", time.Now()); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
		if got := writesBy(t, s, "sato"); !slices.Equal(got, []string{`users/sato {"event":"passwd"} |ORG-A`}) {
			t.Errorf("audit trail: %q", got)
		}
	})
}

// TestForcedPasswordChange: an administrator's reset shows a one-time
// password once and ends the account's sessions; signing in with it leads
// to /password and every other page redirects there until the user has
// chosen their own; once the one-time password has expired, sign-in is
// refused with a message to ask the administrator.
func TestForcedPasswordChange(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		fixture(t, s)
		base := web.New(s, slog.New(slog.DiscardHandler), "test")
		boss := adminSignIn(t, s, base, "boss", "central_admin@ORG-A")
		old := grantedSession(t, s, "tanaka", "system_officer@ORG-B")

		reset := func() string {
			t.Helper()
			body := wantStatus(t, boss, "POST", "/admin/users/tanaka/reset-password", url.Values{}, 200)
			m := regexp.MustCompile(`<code id="password">([^<]+)</code>`).FindStringSubmatch(body)
			if m == nil {
				t.Fatalf("the reset shows no one-time password\n%s", adminClip(body))
			}
			return m[1]
		}
		otp := reset()
		if rec := do(base, "GET", "/systems", old, nil); rec.Code != http.StatusSeeOther || !strings.HasPrefix(rec.Header().Get("Location"), "/login") {
			t.Errorf("a session of before the reset still answers %d", rec.Code)
		}
		rec := do(base, "POST", "/login", "", url.Values{"name": {"tanaka"}, "password": {otp}, "next": {"/systems"}})
		if rec.Code != http.StatusSeeOther {
			t.Fatalf("sign-in with the one-time password = %d\n%s", rec.Code, adminClip(rec.Body.String()))
		}
		cookie := sessionOf(t, rec)
		for _, r := range []struct{ method, target string }{{"GET", "/systems"}, {"GET", "/dashboard"}, {"GET", "/systems/S002"},
			{"GET", "/import"}, {"POST", "/import"}, {"GET", "/enrol"}} {
			var form url.Values
			if r.method == "POST" {
				form = url.Values{}
			}
			if rec := do(base, r.method, r.target, cookie, form); rec.Code != http.StatusSeeOther || rec.Header().Get("Location") != "/password" {
				t.Errorf("%s %s before the change = %d %q, want a redirect to /password", r.method, r.target, rec.Code, rec.Header().Get("Location"))
			}
		}
		if rec := do(base, "GET", "/password", cookie, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "一時パスワード") {
			t.Errorf("GET /password in a forced change = %d", rec.Code)
		}
		const mine = "tanaka's own pass phrase"
		rec = do(base, "POST", "/password", cookie, url.Values{"current": {otp}, "new": {mine}, "confirm": {mine}})
		if rec.Code != 200 {
			t.Fatalf("the forced change = %d\n%s", rec.Code, adminClip(rec.Body.String()))
		}
		if rec := do(base, "GET", "/systems", sessionOf(t, rec), nil); rec.Code != 200 {
			t.Errorf("after the change /systems = %d", rec.Code)
		}

		// Expired: the sign-in is refused and says whom to ask.
		otp = reset()
		if err := s.UpdateUser(ctx, "tanaka", func(u *store.User) error {
			u.PasswordExpiresAt = time.Now().Add(-time.Minute)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		rec = do(base, "POST", "/login", "", url.Values{"name": {"tanaka"}, "password": {otp}})
		if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "一時パスワードの有効期限が切れています") {
			t.Errorf("sign-in with an expired one-time password = %d\n%s", rec.Code, adminClip(rec.Body.String()))
		}
		want := []string{`users/tanaka {"event":"reset-password"} |ORG-B`, `users/tanaka {"event":"reset-password"} |ORG-B`}
		if got := writesBy(t, s, "boss"); !slices.Equal(got, want) {
			t.Errorf("audit trail of the administrator: %q", got)
		}
		if got := writesBy(t, s, "tanaka"); !slices.Equal(got, []string{`users/tanaka {"event":"passwd"} |ORG-B`}) {
			t.Errorf("audit trail of the user: %q", got)
		}
	})
}

// TestPasswordFailuresWhileLocked: every refused attempt on /password is
// recorded as a failed sign-in, those made while the account is locked
// included, as /login records them: a session thief guessing the current
// password leaves a trace of every guess.
func TestPasswordFailuresWhileLocked(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		cookie := grantedSession(t, s, "sato", "viewer@ORG-A")
		const old, next = "correct horse battery staple", "a brand new pass phrase"
		wrong := url.Values{"current": {"not my password"}, "new": {next}, "confirm": {next}}
		attempts := auth.MaxFailedLogins + 2
		for i := range attempts {
			form := wrong
			if i == attempts-1 {
				form = url.Values{"current": {old}, "new": {next}, "confirm": {next}} // right, but locked
			}
			if rec := do(h, "POST", "/password", cookie, form); rec.Code != http.StatusUnauthorized {
				t.Fatalf("attempt %d: POST /password = %d, want 401\n%s", i+1, rec.Code, adminClip(rec.Body.String()))
			}
		}
		if got := auditOf(t, s, "sato", audit.LoginFailed); len(got) != attempts {
			t.Errorf("%d refused attempts, %d recorded as failed sign-ins: %+v", attempts, len(got), got)
		}
	})
}
