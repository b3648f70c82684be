package web_test

import (
	"log/slog"
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

// TestEnrolmentPage: the page of a session that may only enrol a second
// factor offers no link it would be sent back from (no menu, no title
// link), keeps the language switch and sign-out, shows the key in groups
// of four, and presents 「新しい鍵で最初からやり直す」 as a second choice, not
// as the page's main (or a dangerous) action.
func TestEnrolmentPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	if err := auth.CreateUser(t.Context(), s, auth.NewUser{Name: "boss", Password: "correct horse battery staple",
		Grants: []store.RoleGrant{{Role: "central_admin", OrgCode: "ORG-A"}}}, time.Now()); err != nil {
		t.Fatal(err)
	}
	rec := do(h, "POST", "/login", "", url.Values{"name": {"boss"}, "password": {"correct horse battery staple"}})
	if rec.Header().Get("Location") != "/enrol" {
		t.Fatalf("sign-in = %d %s, want /enrol", rec.Code, rec.Header().Get("Location"))
	}
	cookie := sessionOf(t, rec)
	for _, target := range []string{"/enrol", "/enrol?lang=en"} {
		rec := do(h, "GET", target, cookie, nil)
		body := rec.Body.String()
		header := body[strings.Index(body, "<header"):strings.Index(body, "</header>")]
		if links := regexp.MustCompile(`<a [^>]*href="[^"]*"`).FindAllString(header, -1); rec.Code != 200 || len(links) != 0 {
			t.Errorf("GET %s = %d: the header links to %v, each of which sends an enrolling session back here", target, rec.Code, links)
		}
		for _, want := range []string{`action="/lang"`, `action="/logout"`} {
			if !strings.Contains(header, want) {
				t.Errorf("GET %s: the header lacks %s", target, want)
			}
		}
		if !regexp.MustCompile(`<code class="key">[A-Z2-7]{4}( [A-Z2-7]{4}){3,}( [A-Z2-7]{1,4})?</code>`).MatchString(body) {
			t.Errorf("GET %s: the key is not shown in groups of four:\n%s", target, body)
		}
		if !regexp.MustCompile(`<button type="submit" name="restart" value="1" class="secondary">`).MatchString(body) {
			t.Errorf("GET %s: the restart button is not marked as a second choice", target)
		}
	}
	link := regexp.MustCompile(`href="(/static/style\.[0-9a-f]{10}\.css)"`).FindStringSubmatch(do(h, "GET", "/login", "", nil).Body.String())
	if link == nil {
		t.Fatal("no stylesheet link on the sign-in page")
	}
	css := do(h, "GET", link[1], "", nil).Body.String()
	rule := regexp.MustCompile(`\.signin button\.secondary \{([^}]*)\}`).FindStringSubmatch(css)
	if rule == nil || !strings.Contains(rule[1], "background: transparent") || strings.Contains(rule[1], "alert") {
		t.Errorf("the stylesheet draws .signin button.secondary as %v, want an outlined button", rule)
	}
	// Once enrolled, the session is a full one and the menu is back.
	restarted := regexp.MustCompile(`<code class="key">([A-Z2-7 ]+)</code>`).FindStringSubmatch(do(h, "GET", "/enrol", cookie, nil).Body.String())
	code, err := totp.GenerateCode(strings.ReplaceAll(restarted[1], " ", ""), time.Now())
	if err != nil {
		t.Fatal(err)
	}
	if rec := do(h, "POST", "/enrol", cookie, url.Values{"code": {code}}); rec.Code != 200 {
		t.Fatalf("enrol = %d", rec.Code)
	}
	if body := do(h, "GET", "/systems", cookie, nil).Body.String(); !strings.Contains(body, `<a href="/findings"`) {
		t.Errorf("after enrolment the menu is still hidden")
	}
}

// TestForcedPasswordPageHasNoMenu: a session that must first replace a
// one-time password reaches /password only, so its header offers no link
// either (each would send it back).
func TestForcedPasswordPageHasNoMenu(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	cookie := grantedSession(t, s, "tanaka", "system_officer@ORG-B")
	if err := s.UpdateUser(t.Context(), "tanaka", func(u *store.User) error { u.PasswordChangeRequired = true; return nil }); err != nil {
		t.Fatal(err)
	}
	rec := do(h, "GET", "/password", cookie, nil)
	body := rec.Body.String()
	header := body[strings.Index(body, "<header"):strings.Index(body, "</header>")]
	if links := regexp.MustCompile(`<a [^>]*href="[^"]*"`).FindAllString(header, -1); rec.Code != 200 || len(links) != 0 {
		t.Errorf("GET /password in a forced change = %d: the header links to %v", rec.Code, links)
	}
	if !strings.Contains(header, `action="/logout"`) {
		t.Errorf("the header lacks sign-out")
	}
}
