package web

import (
	"context"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/coreos/go-oidc/v3/oidc"
	"golang.org/x/oauth2"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/store"
)

// OIDCConfig configures single sign-on through an OpenID Connect provider
// (an identity provider the ministry already runs). SSO only proves who
// someone is: the account, its roles and its scope stay mamori's, so the
// claim must name an existing, enabled mamori user.
type OIDCConfig struct {
	Issuer       string // the provider's issuer URL, as its discovery document states it
	ClientID     string
	ClientSecret string
	RedirectURL  string // this server's /login/oidc/callback, as registered with the provider
	// UsernameClaim is the ID-token claim holding the mamori user name;
	// "preferred_username" when empty ("email" is also common).
	UsernameClaim string
	// Label names the provider on the sign-in button ("府省共通認証", say);
	// "SSO" when empty.
	Label string

	provider *oidc.Provider // set by Discover
}

// oidcTimeout bounds every request to the provider, so that a provider that
// has gone away fails a sign-in rather than holding it open.
const oidcTimeout = 15 * time.Second

// oidcCookie carries the state, nonce and PKCE verifier of a sign-in in
// progress from /login/oidc to its callback; oidcCookieAge is how long the
// user has to sign in at the provider.
const (
	oidcCookie    = "mamori_oidc"
	oidcCookieAge = 10 * time.Minute
	oidcPath      = "/login/oidc"
)

// mfaMethods are the RFC 8176 authentication method references that show a
// second factor was used at the provider.
var mfaMethods = []string{"mfa", "otp", "hwk", "swk", "sms"}

// Discover fetches the provider's discovery document and keeps it in c, so
// that a provider that cannot be reached is a start-up error rather than a
// failed sign-in later. The error names the issuer.
func (c *OIDCConfig) Discover(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(oidc.ClientContext(ctx, &http.Client{Timeout: oidcTimeout}), oidcTimeout)
	defer cancel()
	p, err := oidc.NewProvider(ctx, c.Issuer)
	if err != nil {
		return fmt.Errorf("OIDC provider %s: discovery: %w", c.Issuer, err)
	}
	c.provider = p
	return nil
}

// WithOIDC turns on single sign-on. A config that has not been through
// Discover is discovered here; if the provider cannot be reached now, the
// server starts anyway and tries again at the next SSO sign-in, logging why.
func WithOIDC(cfg OIDCConfig) Option {
	return func(s *server) {
		if cfg.UsernameClaim == "" {
			cfg.UsernameClaim = "preferred_username"
		}
		if cfg.Label == "" {
			cfg.Label = "SSO"
		}
		// The flow cookie's key comes from the client secret, so that every
		// instance behind a load balancer, and a restarted one, accepts the
		// cookies the others set; without a secret (a public client) it is
		// random, and single sign-on then needs a single instance.
		o := &oidcLogin{cfg: cfg, key: make([]byte, 32)}
		if cfg.ClientSecret != "" {
			mac := hmac.New(sha256.New, []byte(cfg.ClientSecret))
			mac.Write([]byte("mamori oidc flow cookie"))
			o.key = mac.Sum(nil)
		} else {
			rand.Read(o.key)
		}
		if cfg.provider == nil {
			if err := o.ready(context.Background()); err != nil {
				s.log.LogAttrs(context.Background(), slog.LevelError, "single sign-on unavailable", slog.Any("error", err))
			}
		} else {
			o.setProvider(cfg.provider)
		}
		s.oidc = o
	}
}

// oidcLogin is single sign-on through an OpenID Connect provider.
type oidcLogin struct {
	cfg OIDCConfig
	// key signs the sign-in-in-progress cookie. It is made at start-up:
	// a restart only makes the few people signing in at that moment start
	// again.
	key []byte

	mu       sync.Mutex
	oauth    *oauth2.Config
	verifier *oidc.IDTokenVerifier
}

func (o *oidcLogin) setProvider(p *oidc.Provider) {
	o.oauth = &oauth2.Config{ClientID: o.cfg.ClientID, ClientSecret: o.cfg.ClientSecret, RedirectURL: o.cfg.RedirectURL,
		Endpoint: p.Endpoint(), Scopes: []string{oidc.ScopeOpenID, "profile", "email"}}
	o.verifier = p.Verifier(&oidc.Config{ClientID: o.cfg.ClientID})
}

// ready discovers the provider if that has not succeeded yet.
func (o *oidcLogin) ready(ctx context.Context) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.oauth != nil {
		return nil
	}
	c := o.cfg
	if err := c.Discover(ctx); err != nil {
		return err
	}
	o.setProvider(c.provider)
	return nil
}

func (o *oidcLogin) config() (*oauth2.Config, *oidc.IDTokenVerifier) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.oauth, o.verifier
}

// oidcFlow is what the cookie carries between the start and the callback.
type oidcFlow struct {
	State    string `json:"s"`
	Nonce    string `json:"n"`
	Verifier string `json:"v"`
	Next     string `json:"r"`
	Expires  int64  `json:"e"` // Unix seconds
}

// seal signs f: the cookie is the JSON, then a dot, then its HMAC.
func (o *oidcLogin) seal(f oidcFlow) string {
	b, _ := json.Marshal(f)
	body := base64.RawURLEncoding.EncodeToString(b)
	return body + "." + base64.RawURLEncoding.EncodeToString(o.mac(body))
}

func (o *oidcLogin) mac(body string) []byte {
	m := hmac.New(sha256.New, o.key)
	m.Write([]byte(body))
	return m.Sum(nil)
}

// open checks a cookie made by seal and not yet expired.
func (o *oidcLogin) open(v string, now time.Time) (oidcFlow, bool) {
	body, sig, ok := strings.Cut(v, ".")
	if !ok {
		return oidcFlow{}, false
	}
	got, err := base64.RawURLEncoding.DecodeString(sig)
	if err != nil || !hmac.Equal(got, o.mac(body)) {
		return oidcFlow{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		return oidcFlow{}, false
	}
	var f oidcFlow
	if err := json.Unmarshal(b, &f); err != nil || now.Unix() > f.Expires || f.State == "" {
		return oidcFlow{}, false
	}
	return f, true
}

// randomString is 256 random bits, for a state or nonce nobody can guess.
func randomString() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// oidcRoutes registers the single sign-on routes, when SSO is configured;
// session.go's public lets them through without a session.
func (s *server) oidcRoutes(mux *http.ServeMux) {
	if s.oidc == nil {
		return
	}
	mux.Handle("GET /login/oidc", s.handle(s.oidcStart))
	mux.Handle("GET /login/oidc/callback", s.handle(s.oidcCallback))
}

// oidcStart sends the browser to the provider, with a fresh state, nonce
// and PKCE verifier kept in a signed cookie for the callback.
func (s *server) oidcStart(w http.ResponseWriter, r *http.Request) error {
	if err := s.oidc.ready(r.Context()); err != nil {
		s.log.LogAttrs(r.Context(), slog.LevelError, "single sign-on unavailable", slog.String("request_id", requestID(r.Context())),
			slog.Any("error", err))
		return s.renderLogin(w, r, http.StatusServiceUnavailable, loginView{Next: safeNext(r.URL.Query().Get("next")),
			Message: s.loc(r).MustT("session.oidc.unavailable")})
	}
	conf, _ := s.oidc.config()
	f := oidcFlow{State: randomString(), Nonce: randomString(), Verifier: oauth2.GenerateVerifier(),
		Next: safeNext(r.URL.Query().Get("next")), Expires: time.Now().Add(oidcCookieAge).Unix()}
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: s.oidc.seal(f), Path: oidcPath, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: int(oidcCookieAge.Seconds())})
	http.Redirect(w, r, conf.AuthCodeURL(f.State, oidc.Nonce(f.Nonce), oauth2.S256ChallengeOption(f.Verifier)), http.StatusSeeOther)
	return nil
}

// oidcCallback finishes an SSO sign-in: it checks the state, exchanges the
// code (with the PKCE verifier), verifies the ID token and its nonce, and
// opens a session for the mamori user the token names. Every outcome is in
// the audit trail.
func (s *server) oidcCallback(w http.ResponseWriter, r *http.Request) error {
	// The flow cookie is single-use whatever happens.
	http.SetCookie(w, &http.Cookie{Name: oidcCookie, Value: "", Path: oidcPath, HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: r.TLS != nil, MaxAge: -1})
	id, next, err := s.oidcIdentify(r)
	if err == nil {
		err = s.oidcAdmit(r.Context(), id)
	}
	if err != nil {
		return s.oidcFailed(w, r, id.name, next, err)
	}
	if _, err := audit.Record(r.Context(), s.store, id.name, audit.Login, "web", "",
		map[string]string{"ip": clientIP(r), "method": "oidc"}); err != nil {
		return err
	}
	if err := s.startSession(w, r, id.name, false); err != nil {
		return err
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// ssoIdentity is what a verified ID token says about its user.
type ssoIdentity struct {
	name string // the username claim
	mfa  bool   // the amr claim shows a second factor
}

// Why an SSO sign-in was refused, for the log and the audit trail. The
// user sees one message for all of them but errSSONeedsMFA, which tells
// them how to sign in instead.
var (
	errSSOUnknown  = errors.New("oidc: no enabled mamori user of that name")
	errSSONeedsMFA = errors.New("oidc: the account's roles require a second factor and the provider reports none")
)

// errSSORefused is a failed check of the protocol: state, code, token.
type errSSORefused struct{ reason string }

func (e errSSORefused) Error() string { return "oidc: " + e.reason }

// oidcIdentify returns whom the provider vouches for, and where to go
// afterwards.
func (s *server) oidcIdentify(r *http.Request) (id ssoIdentity, next string, err error) {
	q := r.URL.Query()
	c, cerr := r.Cookie(oidcCookie)
	if cerr != nil {
		return id, "/dashboard", errSSORefused{"no sign-in in progress (cookie missing or expired)"}
	}
	f, ok := s.oidc.open(c.Value, time.Now())
	if !ok {
		return id, "/dashboard", errSSORefused{"sign-in cookie invalid or expired"}
	}
	next = f.Next
	if e := q.Get("error"); e != "" {
		return id, next, errSSORefused{"provider answered " + e + ": " + q.Get("error_description")}
	}
	if subtle.ConstantTimeCompare([]byte(q.Get("state")), []byte(f.State)) != 1 {
		return id, next, errSSORefused{"state does not match"}
	}
	conf, verifier := s.oidc.config()
	if conf == nil {
		return id, next, errSSORefused{"provider not discovered"}
	}
	ctx, cancel := context.WithTimeout(r.Context(), oidcTimeout)
	defer cancel()
	ctx = context.WithValue(ctx, oauth2.HTTPClient, &http.Client{Timeout: oidcTimeout})
	tok, err := conf.Exchange(ctx, q.Get("code"), oauth2.VerifierOption(f.Verifier))
	if err != nil {
		return id, next, errSSORefused{"code exchange: " + err.Error()}
	}
	raw, _ := tok.Extra("id_token").(string)
	if raw == "" {
		return id, next, errSSORefused{"token response holds no id_token"}
	}
	idt, err := verifier.Verify(ctx, raw)
	if err != nil {
		return id, next, errSSORefused{"ID token: " + err.Error()}
	}
	if subtle.ConstantTimeCompare([]byte(idt.Nonce), []byte(f.Nonce)) != 1 {
		return id, next, errSSORefused{"ID token nonce does not match"}
	}
	var claims map[string]any
	if err := idt.Claims(&claims); err != nil {
		return id, next, errSSORefused{"ID token claims: " + err.Error()}
	}
	name, _ := claims[s.oidc.cfg.UsernameClaim].(string)
	name = strings.TrimSpace(name)
	// The name goes into the audit trail, which takes valid text only.
	if name == "" || len(name) > 256 || !utf8.ValidString(name) || strings.ContainsRune(name, 0) {
		return id, next, errSSORefused{"ID token has no usable " + s.oidc.cfg.UsernameClaim + " claim"}
	}
	// An address the provider has not confirmed proves nothing about who
	// holds it; a token that does not say is treated as unconfirmed.
	if verified, _ := claims["email_verified"].(bool); s.oidc.cfg.UsernameClaim == "email" && !verified {
		return id, next, errSSORefused{"the email claim is not verified"}
	}
	return ssoIdentity{name: name, mfa: hasMFA(claims["amr"])}, next, nil
}

// hasMFA reports whether an amr claim shows a second factor.
func hasMFA(amr any) bool {
	list, _ := amr.([]any)
	for _, m := range list {
		if s, ok := m.(string); ok && slices.Contains(mfaMethods, s) {
			return true
		}
	}
	return false
}

// oidcAdmit decides whether id may sign in. SSO does not create accounts:
// the name must be an existing, enabled mamori user, and roles that demand
// a second factor demand one at the provider too. A lockout counts wrong
// passwords and codes, which SSO does not use, so it does not bar SSO.
func (s *server) oidcAdmit(ctx context.Context, id ssoIdentity) error {
	u, err := s.store.User(ctx, id.name)
	switch {
	case mamori.KindOf(err) == mamori.NotFound:
		return errSSOUnknown
	case err != nil:
		return err
	case u.Disabled:
		return errSSOUnknown
	case auth.RequiresTOTP(u) && !id.mfa:
		return errSSONeedsMFA
	}
	err = s.store.UpdateUser(ctx, id.name, func(u *store.User) error {
		if u.Disabled { // disabled meanwhile
			return errSSOUnknown
		}
		u.LastLoginAt = time.Now()
		return nil
	})
	if mamori.KindOf(err) == mamori.NotFound {
		return errSSOUnknown
	}
	return err
}

// oidcFailed records a refused SSO sign-in and shows the sign-in page with
// a message that does not say which check failed.
func (s *server) oidcFailed(w http.ResponseWriter, r *http.Request, name, next string, err error) error {
	ctx := r.Context()
	var refused errSSORefused
	if !errors.As(err, &refused) && !errors.Is(err, errSSOUnknown) && !errors.Is(err, errSSONeedsMFA) {
		return err // the store failed: an internal error, not a refusal
	}
	actor := name
	if actor == "" {
		actor = "oidc" // the provider vouched for nobody
	}
	s.log.LogAttrs(ctx, slog.LevelWarn, "single sign-on refused", slog.String("request_id", requestID(ctx)),
		slog.String("user", name), slog.Any("error", err))
	// The reason may quote the provider; the audit trail takes valid text only.
	reason := strings.ReplaceAll(strings.ToValidUTF8(err.Error(), "?"), "\x00", "")
	if len(reason) > 500 {
		reason = strings.ToValidUTF8(reason[:500], "")
	}
	if _, rerr := audit.Record(ctx, s.store, actor, audit.LoginFailed, "web", "",
		map[string]string{"ip": clientIP(r), "method": "oidc", "reason": reason}); rerr != nil {
		return rerr
	}
	msg := s.loc(r).MustT("session.oidc.refused")
	if errors.Is(err, errSSONeedsMFA) {
		msg = s.loc(r).MustT("session.oidc.mfa")
	}
	return s.renderLogin(w, r, http.StatusUnauthorized, loginView{Next: next, Message: msg})
}
