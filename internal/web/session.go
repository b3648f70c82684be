package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"html/template"
	"net/http"
	"net/url"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/store"
)

// Session lifetimes: a session ends after idleTimeout without a request,
// and at absoluteTimeout after sign-in whatever happens.
const (
	sessionCookie   = "mamori_session"
	idleTimeout     = 30 * time.Minute
	absoluteTimeout = 12 * time.Hour
	touchEvery      = time.Minute // how stale last_seen_at may get before it is written
)

// viewer is the signed-in user of a request and what they may see.
type viewer struct {
	user        store.User
	scope       authz.Scope
	all         bool // the scope holds every organization: whole-government views
	sessionHash string
	enrolOnly   bool // may only enrol a second factor
}

type viewerKey struct{}

func viewerOf(ctx context.Context) *viewer {
	v, _ := ctx.Value(viewerKey{}).(*viewer)
	return v
}

// public paths need no session.
func public(path string) bool {
	switch {
	// favicon.ico: browsers ask for it on their own, signed in or not; it
	// must get the icon, not a redirect to the sign-in or enrolment page.
	case path == "/login", path == "/lang", path == "/healthz", path == "/metrics", path == "/favicon.ico", strings.HasPrefix(path, "/static/"),
		path == oidcPath, path == oidcPath+"/callback":
		return true
	}
	return false
}

func hashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

// requireSession lets a request through only with a live session, and puts
// the user and their organization scope in its context. Without one, a
// page request is sent to the sign-in page and anything else gets 401.
func (s *server) requireSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if public(r.URL.Path) {
			next.ServeHTTP(w, r)
			return
		}
		v, err := s.sessionViewer(r)
		if err != nil {
			if mamori.KindOf(err) != mamori.Unauthenticated {
				s.renderError(w, r, err)
				return
			}
			clearCookie(w, r)
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/login?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
				return
			}
			s.renderError(w, r, err)
			return
		}
		// A one-time password set by an administrator is changed first,
		// then a missing second factor is enrolled; until then nothing
		// else answers.
		switch {
		case v.user.PasswordChangeRequired:
			if r.URL.Path != "/password" && r.URL.Path != "/logout" {
				http.Redirect(w, r, "/password", http.StatusSeeOther)
				return
			}
		case v.enrolOnly:
			if r.URL.Path != "/enrol" && r.URL.Path != "/logout" {
				http.Redirect(w, r, "/enrol", http.StatusSeeOther)
				return
			}
		}
		r2 := r.WithContext(context.WithValue(r.Context(), viewerKey{}, v))
		next.ServeHTTP(w, r2)
		r.Pattern = r2.Pattern // for the access log and metrics, which hold r

	})
}

var errNoSession = mamori.Errorf(mamori.Unauthenticated, "サインインしてください", "please sign in")

// sessionViewer reads the session cookie and checks the session, the user
// and the expiry.
func (s *server) sessionViewer(r *http.Request) (*viewer, error) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" {
		return nil, errNoSession
	}
	ctx := r.Context()
	hash := hashSecret(c.Value)
	se, err := s.store.SessionByHash(ctx, hash)
	if mamori.KindOf(err) == mamori.NotFound {
		return nil, errNoSession
	}
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if now.After(se.ExpiresAt) || now.Sub(se.LastSeenAt) > idleTimeout {
		s.store.DeleteSession(ctx, hash)
		return nil, errNoSession
	}
	u, err := s.store.User(ctx, se.UserName)
	if err != nil || u.Disabled {
		s.store.DeleteSession(ctx, hash)
		return nil, errNoSession
	}
	if now.Sub(se.LastSeenAt) > touchEvery {
		if err := s.store.TouchSession(ctx, hash, now); err != nil {
			return nil, err
		}
	}
	sc, err := authz.Of(ctx, s.store, u)
	if err != nil {
		return nil, err
	}
	return &viewer{user: u, scope: sc, all: sc.Whole(), sessionHash: hash, enrolOnly: se.EnrolOnly}, nil
}

func setCookie(w http.ResponseWriter, r *http.Request, secret string) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: secret, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: int(absoluteTimeout.Seconds())})
}

func clearCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: -1})
}

// startSession opens a session for a user and sets its cookie; the
// secret is new at every sign-in (no session fixation).
func (s *server) startSession(w http.ResponseWriter, r *http.Request, user string, enrolOnly bool) error {
	b := make([]byte, 32)
	rand.Read(b)
	secret := base64.RawURLEncoding.EncodeToString(b)
	now := time.Now()
	err := s.store.CreateSession(r.Context(), store.Session{IDHash: hashSecret(secret), UserName: user, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(absoluteTimeout), EnrolOnly: enrolOnly})
	if err != nil {
		return err
	}
	setCookie(w, r, secret)
	return nil
}

type loginView struct {
	Next, Name, Message string
	NeedCode            bool
	SSO                 string // the label of the single sign-on button; "" without SSO
}

// renderLogin shows the sign-in page, with the single sign-on button when
// SSO is configured.
func (s *server) renderLogin(w http.ResponseWriter, r *http.Request, status int, v loginView) error {
	if s.oidc != nil {
		v.SSO = s.oidc.cfg.Label
	}
	return s.render(w, r, status, "login.html", s.loc(r).MustT("session.login.title"), "", v)
}

// safeNext keeps a post-sign-in redirect on this site: a path, with no
// scheme or host, that parses. Browsers drop tabs and newlines from a
// Location, so "/\t/evil.example" would reach another host: any control
// character is refused too.
func safeNext(next string) string {
	u, err := url.Parse(next)
	if next == "" || err != nil || u.Scheme != "" || u.Host != "" || !strings.HasPrefix(next, "/") ||
		strings.HasPrefix(next, "//") || strings.Contains(next, "\\") ||
		strings.ContainsFunc(next, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "/dashboard"
	}
	return next
}

func (s *server) loginPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderLogin(w, r, http.StatusOK, loginView{Next: safeNext(r.URL.Query().Get("next"))})
}

// login checks the password (and the second factor where the account
// has or needs one), records the attempt in the audit trail either way,
// and opens a session.
func (s *server) login(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name, password, code := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("password"), strings.TrimSpace(r.PostFormValue("code"))
	next := safeNext(r.PostFormValue("next"))
	u, err := auth.Authenticate(ctx, s.store, name, password, code, time.Now())
	switch {
	case err == nil:
		if _, err := audit.Record(ctx, s.store, name, audit.Login, "web", "", map[string]string{"ip": clientIP(r)}); err != nil {
			return err
		}
		if err := s.startSession(w, r, u.Name, false); err != nil {
			return err
		}
		http.Redirect(w, r, next, http.StatusSeeOther)
		return nil
	case errors.Is(err, auth.ErrEnrolmentRequired):
		if _, err := audit.Record(ctx, s.store, name, audit.Login, "web", "", map[string]string{"ip": clientIP(r), "enrol_only": "true"}); err != nil {
			return err
		}
		if err := s.startSession(w, r, u.Name, true); err != nil {
			return err
		}
		http.Redirect(w, r, "/enrol", http.StatusSeeOther)
		return nil
	case errors.Is(err, auth.ErrCodeRequired):
		return s.renderLogin(w, r, http.StatusOK, loginView{Next: next, Name: name, NeedCode: true,
			Message: s.loc(r).MustT("session.login.need_code")})
	}
	if mamori.KindOf(err) != mamori.Unauthenticated {
		return err
	}
	if _, rerr := audit.Record(ctx, s.store, name, audit.LoginFailed, "web", "", map[string]string{"ip": clientIP(r)}); rerr != nil {
		return rerr
	}
	var me *mamori.Error
	msg := s.loc(r).MustT("session.login.failed")
	if errors.As(err, &me) && me.MessageJA != "" {
		msg = s.loc(r).Pick(me.MessageJA, me.Message)
	}
	return s.renderLogin(w, r, http.StatusUnauthorized, loginView{Next: next, Name: name, NeedCode: code != "", Message: msg})
}

func clientIP(r *http.Request) string {
	host := r.RemoteAddr
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		host = host[:i]
	}
	return host
}

func (s *server) logout(w http.ResponseWriter, r *http.Request) error {
	if v := viewerOf(r.Context()); v != nil {
		if err := s.store.DeleteSession(r.Context(), v.sessionHash); err != nil {
			return err
		}
		if _, err := audit.Record(r.Context(), s.store, v.user.Name, audit.Logout, "web", "", nil); err != nil {
			return err
		}
	}
	clearCookie(w, r)
	http.Redirect(w, r, "/login", http.StatusSeeOther)
	return nil
}

type enrolView struct {
	QR            template.HTML
	Secret        string // the key for typing in, in groups of four
	Message       string
	RecoveryCodes []string
}

// keyGroups writes a key in groups of four, "ABCD EFGH IJKL MNOP", as
// authenticator apps show and accept it, so it can be read out and typed
// without losing one's place.
func keyGroups(key string) string {
	var b strings.Builder
	for i, r := range key {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// enrolPage starts (or restarts) enrolment of a TOTP second factor and
// shows its QR code, drawn on the server.
func (s *server) enrolPage(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r.Context())
	e, err := auth.ResumeTOTP(r.Context(), s.store, v.user.Name)
	if err != nil {
		return err
	}
	// QRSVG is drawn by auth from the key's module grid (rects only).
	return s.render(w, r, http.StatusOK, "enrol.html", s.loc(r).MustT("session.enrol.title"), "", enrolView{QR: template.HTML(e.QRSVG), Secret: keyGroups(e.Secret)})
}

// enrol confirms the second factor with a first code, shows the recovery
// codes once, and makes the session a full one.
func (s *server) enrol(w http.ResponseWriter, r *http.Request) error {
	v := viewerOf(r.Context())
	if r.PostFormValue("restart") != "" {
		// A new key, on the user's explicit request (a lost or mis-scanned one).
		e, err := auth.BeginTOTP(r.Context(), s.store, v.user.Name)
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "enrol.html", s.loc(r).MustT("session.enrol.title"), "", enrolView{QR: template.HTML(e.QRSVG), Secret: keyGroups(e.Secret)})
	}
	codes, err := auth.ConfirmTOTP(r.Context(), s.store, v.user.Name, strings.TrimSpace(r.PostFormValue("code")), time.Now())
	if err != nil {
		if mamori.KindOf(err) == mamori.Internal {
			return err
		}
		return s.render(w, r, http.StatusBadRequest, "enrol.html", s.loc(r).MustT("session.enrol.title"), "",
			enrolView{Message: s.loc(r).MustT("session.enrol.bad_code")})
	}
	if err := s.store.UpgradeSession(r.Context(), v.sessionHash); err != nil {
		return err
	}
	if _, err := audit.Record(r.Context(), s.store, v.user.Name, audit.Write, "users/"+v.user.Name, "", map[string]string{"event": "enrol-2fa"}); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "enrol.html", s.loc(r).MustT("session.enrol.title"), "", enrolView{RecoveryCodes: codes})
}

// orgFilter is the store filter of the request's scope: nil for a
// whole-government user, else the organizations they may see (empty when
// none, which matches nothing).
func orgFilter(r *http.Request) []string {
	v := viewerOf(r.Context())
	if v == nil {
		return []string{}
	}
	if v.all {
		return nil
	}
	return v.scope.Orgs()
}

// mayView reports whether the request's user may see an organization's data.
func mayView(r *http.Request, org string) bool {
	v := viewerOf(r.Context())
	return v != nil && (v.all || v.scope.Allows(org))
}

// requireAll refuses whole-government views (the dashboard, the audit
// report) to users whose grants cover only part of the government.
func requireAll(r *http.Request) error {
	if v := viewerOf(r.Context()); v != nil && v.all {
		return nil
	}
	return mamori.Errorf(mamori.Forbidden, "政府全体の集計は、全組織を対象とする権限の利用者のみ閲覧できます",
		"the whole-government views need a role over every organization")
}
