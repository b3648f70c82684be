package web_test

import (
	"log/slog"
	"strings"
	"testing"

	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestJapaneseTypography: where names are listed with their codes, the
// Japanese pages write them as Japanese is written, 「総務省（ORG-A）、
// デジタル庁（ORG-C）」 (full-width brackets, close up, 「、」 between), and
// the English pages as English, "総務省 (ORG-A), デジタル庁 (ORG-C)"; codes
// are kept on one line.
func TestJapaneseTypography(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := adminSignIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "boss", "central_admin@ORG-A", "central_admin@ORG-C")
	plainUser(t, s, "tanaka", "system_officer@ORG-B", "viewer@ORG-C")
	for _, c := range []struct {
		target   string
		want     []string
		unwanted []string
	}{
		{"/admin", []string{`管理する組織：総務省（<span class="code">ORG-A</span>）、デジタル庁（<span class="code">ORG-C</span>）`}, []string{" (", ", "}},
		{"/admin?lang=en", []string{`Your organizations: 総務省 (<span class="code">ORG-A</span>), デジタル庁 (<span class="code">ORG-C</span>)`}, []string{"（", "、"}},
		{"/admin/users?q=tanaka", []string{`システム担当 @ 情報流通行政局（<span class="code">ORG-B</span>）`, `閲覧者 @ デジタル庁（<span class="code">ORG-C</span>）`}, []string{" ("}},
		{"/admin/users/tanaka", []string{`<td>情報流通行政局（<span class="code">ORG-B</span>）</td>`}, []string{" ("}},
		{"/admin/users/tanaka?lang=en", []string{`<td>情報流通行政局 (<span class="code">ORG-B</span>)</td>`}, nil},
		{"/dashboard", []string{`>総務省（ORG-A）</option>`, `>情報流通行政局（ORG-B）</option>`}, nil},
		{"/dashboard?lang=en", []string{`>総務省 (ORG-A)</option>`}, []string{"（ORG-"}},
	} {
		rec := do(h, "GET", c.target, "", nil)
		body := rec.Body.String()
		main := body
		if i := strings.Index(body, "<main"); i >= 0 {
			main = body[i:]
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s lacks %q\n%s", c.target, w, adminClip(main))
			}
		}
		for _, w := range c.unwanted {
			if strings.Contains(main, w) {
				t.Errorf("GET %s: %q in the page's text:\n%s", c.target, w, adminClip(main))
			}
		}
	}
}
