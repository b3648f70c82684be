package web

import (
	"context"
	"net/http"

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

// pickLang picks the request's language: a lang query parameter (so a link
// can show a page in the other language), then the cookie set by the
// language switch, then the browser's Accept-Language, then Japanese.
// accessLog calls it, because the request it hands on must be the one the
// mux records its pattern in.
func pickLang(r *http.Request) string {
	choice := r.URL.Query().Get("lang")
	if choice == "" {
		if c, err := r.Cookie(langCookie); err == nil {
			choice = c.Value
		}
	}
	return i18n.Negotiate(choice, r.Header.Get("Accept-Language"))
}

// setLang is the language switch: a form in every page's header posts the
// other language and the page to return to. The choice is a preference, not
// a secret, so the cookie lasts a year.
func (s *server) setLang(w http.ResponseWriter, r *http.Request) error {
	lang := i18n.Negotiate(r.PostFormValue("lang"), "")
	http.SetCookie(w, &http.Cookie{Name: langCookie, Value: lang, Path: "/", MaxAge: 365 * 24 * 3600,
		HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil})
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
	return nil
}
