package web_test

import (
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestLangParameterSticks: ?lang=en is a choice of language like the
// header's switch: the response sets the language cookie (SameSite=Lax),
// the pages that follow are English without the parameter, the switch on
// that page returns to it without the parameter (which would undo the
// switch), and switching back to Japanese holds.
func TestLangParameterSticks(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "hanako", "ORG-A")
	jar := map[string]string{}
	get := func(method, target string, form url.Values) *httptest.ResponseRecorder {
		t.Helper()
		var req *http.Request
		if form != nil {
			req = httptest.NewRequest(method, target, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		} else {
			req = httptest.NewRequest(method, target, nil)
		}
		req.Header.Set("Cookie", "mamori_session=session-of-hanako")
		for k, v := range jar {
			req.AddCookie(&http.Cookie{Name: k, Value: v})
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		for _, c := range rec.Result().Cookies() {
			if c.Name == "mamori_lang" {
				if c.SameSite != http.SameSiteLaxMode || c.Path != "/" || c.MaxAge <= 0 {
					t.Errorf("%s %s: language cookie %+v, want SameSite=Lax, Path=/ and a lifetime", method, target, c)
				}
				jar[c.Name] = c.Value
			}
		}
		return rec
	}
	lang := func(body string) string {
		for _, l := range []string{"ja", "en"} {
			if strings.Contains(body, `<html lang="`+l+`">`) {
				return l
			}
		}
		return "?"
	}

	if rec := get("GET", "/systems?lang=en&q=S0", nil); lang(rec.Body.String()) != "en" || jar["mamori_lang"] != "en" {
		t.Fatalf("GET /systems?lang=en: page %s, cookie %q; want English and the cookie set", lang(rec.Body.String()), jar["mamori_lang"])
	} else if !strings.Contains(rec.Body.String(), `name="next" value="/systems?q=S0"`) {
		t.Errorf("the language switch returns to the page with its lang parameter:\n%s", rec.Body.String())
	}
	for _, p := range []string{"/systems", "/findings", "/systems/S001"} {
		if rec := get("GET", p, nil); lang(rec.Body.String()) != "en" {
			t.Errorf("GET %s after ?lang=en: %s page, want English", p, lang(rec.Body.String()))
		}
	}
	if rec := get("POST", "/lang", url.Values{"lang": {"ja"}, "next": {"/systems?q=S0"}}); rec.Code != http.StatusSeeOther || jar["mamori_lang"] != "ja" {
		t.Fatalf("switch back: %d, cookie %q", rec.Code, jar["mamori_lang"])
	}
	if rec := get("GET", "/systems?q=S0", nil); lang(rec.Body.String()) != "ja" {
		t.Errorf("after switching back: %s page, want Japanese", lang(rec.Body.String()))
	}
	// An unsupported value is no choice: the cookie stays as it was.
	if rec := get("GET", "/systems?lang=fr", nil); lang(rec.Body.String()) != "ja" || jar["mamori_lang"] != "ja" {
		t.Errorf("?lang=fr: %s page, cookie %q; want Japanese and the cookie unchanged", lang(rec.Body.String()), jar["mamori_lang"])
	}
	if rec := get("GET", "/systems?lang=ja", nil); len(rec.Result().Cookies()) != 0 {
		t.Errorf("?lang=ja with the cookie already ja sets cookies again: %v", rec.Result().Cookies())
	}
}
