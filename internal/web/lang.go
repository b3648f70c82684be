package web

import (
	"context"
	"net/http"
	"slices"

	"mamori/internal/i18n"
)

// langCookie keeps a user's choice of language between requests.
const langCookie = "mamori_lang"

type langKey struct{}

// langOf returns the language chosen for the request; Japanese by default.
func langOf(ctx context.Context) string {
	if l, ok := ctx.Value(langKey{}).(string); ok {
		return l
	}
	return i18n.JA
}

// loc returns the request's localizer, for strings a handler writes itself.
func (s *server) loc(r *http.Request) *i18n.Localizer {
	return s.i18n.For(langOf(r.Context()))
}

// pickLang picks the request's language: a lang query parameter (a link
// to a page in the other language), then the cookie set by the language
// switch, then the browser's Accept-Language, then Japanese. A supported
// lang parameter is a choice like the switch's: it is kept in the cookie,
// so the pages that follow stay in that language until switched back.
// accessLog calls it, because the request it hands on must be the one the
// mux records its pattern in.
func pickLang(w http.ResponseWriter, r *http.Request) string {
	stored := ""
	if c, err := r.Cookie(langCookie); err == nil {
		stored = c.Value
	}
	if q := r.URL.Query().Get("lang"); slices.Contains(i18n.Langs, q) {
		if q != stored {
			setLangCookie(w, r, q)
		}
		return q
	}
	return i18n.Negotiate(stored, r.Header.Get("Accept-Language"))
}

// setLangCookie keeps a choice of language. The choice is a preference,
// not a secret, so the cookie lasts a year; SameSite=Lax, as the session's.
func setLangCookie(w http.ResponseWriter, r *http.Request, lang string) {
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
}

// switchBack is the page the language switch returns to: the request's
// path and query without its lang parameter, which would otherwise undo
// the switch on arrival.
func switchBack(r *http.Request) string {
	q := r.URL.Query()
	if !q.Has("lang") {
		return r.URL.RequestURI()
	}
	q.Del("lang")
	u := *r.URL
	u.RawQuery = q.Encode()
	return u.RequestURI()
}

// setLang is the language switch: a form in every page's header posts the
// other language and the page to return to.
func (s *server) setLang(w http.ResponseWriter, r *http.Request) error {
	setLangCookie(w, r, i18n.Negotiate(r.PostFormValue("lang"), ""))
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
