package web_test

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v4"

	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// testProvider is an OpenID provider in the test process: discovery, keys,
// an authorize endpoint that signs in whoever the test says without asking,
// and a token endpoint that checks the code, the client and the PKCE
// verifier as a real provider does.
type testProvider struct {
	t      *testing.T
	srv    *httptest.Server
	key    *rsa.PrivateKey
	client struct{ id, secret string }

	mu    sync.Mutex
	next  grant            // what the next sign-in at /authorize stands for
	codes map[string]grant // issued codes, each usable once
}

// grant is one sign-in at the provider, and how the test wants its answer
// spoiled.
type grant struct {
	user    string
	amr     []string
	state   string     // overrides the state sent back
	nonce   string     // overrides the nonce in the ID token
	aud     string     // overrides the audience
	expired bool       // the ID token expired a minute ago
	sent    url.Values // the authorize request, filled in by the provider
}

func newTestProvider(t *testing.T) *testProvider {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	p := &testProvider{t: t, key: key, codes: map[string]grant{}}
	p.client.id, p.client.secret = "mamori-test", "client-secret-1"
	mux := http.NewServeMux()
	mux.HandleFunc("GET /.well-known/openid-configuration", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{
			"issuer":                                p.srv.URL,
			"authorization_endpoint":                p.srv.URL + "/authorize",
			"token_endpoint":                        p.srv.URL + "/token",
			"jwks_uri":                              p.srv.URL + "/jwks",
			"response_types_supported":              []string{"code"},
			"subject_types_supported":               []string{"public"},
			"id_token_signing_alg_values_supported": []string{"RS256"},
			"code_challenge_methods_supported":      []string{"S256"},
		})
	})
	mux.HandleFunc("GET /jwks", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: "k1", Algorithm: "RS256", Use: "sig"}}})
	})
	mux.HandleFunc("GET /authorize", p.authorize)
	mux.HandleFunc("POST /token", p.token)
	p.srv = httptest.NewServer(mux)
	t.Cleanup(p.srv.Close)
	return p
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(v)
}

// signInAs sets whom the next sign-in at the provider stands for.
func (p *testProvider) signInAs(g grant) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.next = g
}

func (p *testProvider) authorize(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	if q.Get("client_id") != p.client.id || q.Get("response_type") != "code" || q.Get("code_challenge_method") != "S256" ||
		q.Get("code_challenge") == "" || q.Get("nonce") == "" || q.Get("state") == "" {
		http.Error(w, "bad authorize request: "+r.URL.RawQuery, http.StatusBadRequest)
		return
	}
	b := make([]byte, 16)
	rand.Read(b)
	code := base64.RawURLEncoding.EncodeToString(b)
	p.mu.Lock()
	g := p.next
	g.sent = q
	p.codes[code] = g
	p.mu.Unlock()
	state := q.Get("state")
	if g.state != "" {
		state = g.state
	}
	http.Redirect(w, r, q.Get("redirect_uri")+"?"+url.Values{"code": {code}, "state": {state}}.Encode(), http.StatusFound)
}

func (p *testProvider) token(w http.ResponseWriter, r *http.Request) {
	fail := func(why string) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		json.NewEncoder(w).Encode(map[string]string{"error": "invalid_grant", "error_description": why})
	}
	id, secret, ok := r.BasicAuth()
	if !ok {
		id, secret = r.PostFormValue("client_id"), r.PostFormValue("client_secret")
	}
	if id != p.client.id || secret != p.client.secret {
		fail("client credentials")
		return
	}
	p.mu.Lock()
	g, ok := p.codes[r.PostFormValue("code")]
	delete(p.codes, r.PostFormValue("code"))
	p.mu.Unlock()
	if !ok || r.PostFormValue("grant_type") != "authorization_code" || r.PostFormValue("redirect_uri") != g.sent.Get("redirect_uri") {
		fail("unknown code")
		return
	}
	sum := sha256.Sum256([]byte(r.PostFormValue("code_verifier")))
	if base64.RawURLEncoding.EncodeToString(sum[:]) != g.sent.Get("code_challenge") {
		fail("PKCE verifier does not match the challenge")
		return
	}
	now := time.Now()
	claims := map[string]any{
		"iss": p.srv.URL, "sub": "sub-" + g.user, "aud": p.client.id,
		"iat": now.Unix(), "exp": now.Add(5 * time.Minute).Unix(),
		"nonce": g.sent.Get("nonce"), "preferred_username": g.user,
	}
	if g.amr != nil {
		claims["amr"] = g.amr
	}
	if g.nonce != "" {
		claims["nonce"] = g.nonce
	}
	if g.aud != "" {
		claims["aud"] = g.aud
	}
	if g.expired {
		claims["iat"], claims["exp"] = now.Add(-time.Hour).Unix(), now.Add(-time.Minute).Unix()
	}
	writeJSON(w, map[string]any{"access_token": "at-" + g.user, "token_type": "Bearer", "expires_in": 300,
		"id_token": p.sign(claims)})
}

func (p *testProvider) sign(claims map[string]any) string {
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: jose.JSONWebKey{Key: p.key, KeyID: "k1"}},
		(&jose.SignerOptions{}).WithType("JWT"))
	if err != nil {
		p.t.Fatal(err)
	}
	payload, _ := json.Marshal(claims)
	jws, err := signer.Sign(payload)
	if err != nil {
		p.t.Fatal(err)
	}
	raw, err := jws.CompactSerialize()
	if err != nil {
		p.t.Fatal(err)
	}
	return raw
}

// ssoClient is a browser: a cookie jar, following redirects between
// mamori and the provider.
func ssoClient(t *testing.T) *http.Client {
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return &http.Client{Jar: jar, Timeout: 30 * time.Second}
}

func get(t *testing.T, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, string(b)
}

// TestOIDC signs in through an in-process provider: the provider must
// vouch for an existing, enabled mamori user, the protocol checks (state,
// nonce, audience, expiry, PKCE) must all hold, roles that demand a second
// factor demand one at the provider, and each outcome is audited.
func TestOIDC(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	ctx := t.Context()
	now := time.Now()
	for _, u := range []struct{ name, role string }{{"hanako", "viewer"}, {"ghost", "viewer"}, {"boss", "central_admin"}} {
		if err := auth.CreateUser(ctx, s, auth.NewUser{Name: u.name, Password: "correct horse battery staple",
			Grants: []store.RoleGrant{{Role: u.role, OrgCode: "ORG-A"}}}, now); err != nil {
			t.Fatal(err)
		}
	}
	if err := auth.SetDisabled(ctx, s, "ghost", true); err != nil {
		t.Fatal(err)
	}
	p := newTestProvider(t)
	app := httptest.NewServer(nil)
	t.Cleanup(app.Close)
	cfg := web.OIDCConfig{Issuer: p.srv.URL, ClientID: p.client.id, ClientSecret: p.client.secret,
		RedirectURL: app.URL + "/login/oidc/callback", Label: "府省共通認証"}
	if err := cfg.Discover(ctx); err != nil {
		t.Fatal(err)
	}
	app.Config.Handler = web.New(s, slog.New(slog.DiscardHandler), "test", web.WithOIDC(cfg))

	// The sign-in page offers SSO, in either language.
	_, body := get(t, ssoClient(t), app.URL+"/login?next=/systems")
	if !strings.Contains(body, `href="/login/oidc?next=%2fsystems"`) || !strings.Contains(body, "府省共通認証でサインイン") {
		t.Errorf("sign-in page lacks the SSO link:\n%s", body)
	}
	if _, body := get(t, ssoClient(t), app.URL+"/login?lang=en"); !strings.Contains(body, "Sign in with 府省共通認証") {
		t.Errorf("English sign-in page lacks the SSO link")
	}

	// The start is public; it keeps the flow in a short-lived, HttpOnly,
	// SameSite=Lax cookie and asks for a PKCE S256 challenge and a nonce.
	noFollow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := noFollow.Get(app.URL + "/login/oidc?next=/systems")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if resp.StatusCode != http.StatusSeeOther || loc == nil || !strings.HasPrefix(loc.String(), p.srv.URL+"/authorize?") ||
		loc.Query().Get("code_challenge_method") != "S256" || loc.Query().Get("nonce") == "" || loc.Query().Get("state") == "" {
		t.Errorf("start = %d to %s", resp.StatusCode, loc)
	}
	var flow *http.Cookie
	for _, c := range resp.Cookies() {
		if c.Name == "mamori_oidc" {
			flow = c
		}
	}
	if flow == nil || !flow.HttpOnly || flow.SameSite != http.SameSiteLaxMode || flow.MaxAge <= 0 || flow.MaxAge > 3600 ||
		strings.Contains(flow.Value, loc.Query().Get("state")) {
		t.Errorf("flow cookie %+v: want HttpOnly, SameSite=Lax, short-lived, not the bare state", flow)
	}

	const refused = "シングルサインオンでサインインできませんでした"
	for _, tc := range []struct {
		name  string
		g     grant
		ok    bool
		want  string // on the final page
		actor string // of the audit entry
	}{
		{"viewer", grant{user: "hanako"}, true, "サインアウト", "hanako"},
		{"wrong state", grant{user: "hanako", state: "forged"}, false, refused, "oidc"},
		{"wrong nonce", grant{user: "hanako", nonce: "replayed"}, false, refused, "oidc"},
		{"wrong audience", grant{user: "hanako", aud: "another-client"}, false, refused, "oidc"},
		{"expired token", grant{user: "hanako", expired: true}, false, refused, "oidc"},
		{"unknown user", grant{user: "nobody"}, false, refused, "nobody"},
		{"disabled user", grant{user: "ghost"}, false, refused, "ghost"},
		{"admin without mfa", grant{user: "boss", amr: []string{"pwd"}}, false, "パスワードと確認コードでサインインしてください", "boss"},
		{"admin with mfa", grant{user: "boss", amr: []string{"pwd", "mfa"}}, true, "サインアウト", "boss"},
		{"admin with hardware key", grant{user: "boss", amr: []string{"hwk"}}, true, "サインアウト", "boss"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, before, err := s.AuditEntries(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			p.signInAs(tc.g)
			c := ssoClient(t)
			var callback string
			c.CheckRedirect = func(r *http.Request, _ []*http.Request) error {
				if r.URL.Path == "/login/oidc/callback" {
					callback = r.URL.String()
				}
				return nil
			}
			resp, body := get(t, c, app.URL+"/login/oidc?next=/systems")
			if tc.ok {
				if resp.StatusCode != 200 || resp.Request.URL.Path != "/systems" || !strings.Contains(body, tc.want) {
					t.Fatalf("sign-in ended at %s with %d\n%s", resp.Request.URL, resp.StatusCode, body)
				}
				// The session cookie keeps working.
				if resp, _ := get(t, c, app.URL+"/systems"); resp.StatusCode != 200 || resp.Request.URL.Path != "/systems" {
					t.Errorf("second request ended at %s with %d", resp.Request.URL, resp.StatusCode)
				}
				// The callback works once: its flow cookie is gone.
				if resp, _ := get(t, ssoClient(t), callback); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("callback replayed in a fresh browser = %d", resp.StatusCode)
				}
				if resp, _ := get(t, c, callback); resp.StatusCode != http.StatusUnauthorized {
					t.Errorf("callback replayed = %d", resp.StatusCode)
				}
			} else {
				if resp.StatusCode != http.StatusUnauthorized || resp.Request.URL.Path != "/login/oidc/callback" || !strings.Contains(body, tc.want) {
					t.Errorf("sign-in ended at %s with %d, want 401 and %q\n%s", resp.Request.URL, resp.StatusCode, tc.want, body)
				}
				for _, leak := range []string{"disabled", "無効", "nonce", "audience", "存在"} {
					if strings.Contains(body, leak) {
						t.Errorf("refusal says %q", leak)
					}
				}
				if resp, _ := get(t, c, app.URL+"/systems"); resp.Request.URL.Path != "/login" {
					t.Errorf("refused sign-in reached %s", resp.Request.URL)
				}
			}
			entries, after, err := s.AuditEntries(ctx, store.AuditFilter{})
			if err != nil {
				t.Fatal(err)
			}
			action := "login_failed"
			if tc.ok {
				action = "login"
			}
			found := false
			for _, e := range entries {
				if e.Seq > int64(before) && e.Action == action && e.Actor == tc.actor && strings.Contains(e.Detail, `"method":"oidc"`) {
					found = true
				}
			}
			if !found || after <= before {
				t.Errorf("no %s entry for %s by oidc in the audit trail (%d → %d entries)", action, tc.actor, before, after)
			}
		})
	}

	// A callback without a sign-in in progress (no flow cookie), or with a
	// code nobody issued, signs nobody in.
	resp, body = get(t, ssoClient(t), app.URL+"/login/oidc/callback?code=x&state=y")
	if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, refused) {
		t.Errorf("bare callback = %d", resp.StatusCode)
	}
}

// TestOIDCUnreachable: a provider that cannot be reached is an error that
// names the issuer.
func TestOIDCUnreachable(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	issuer := dead.URL
	dead.Close()
	cfg := web.OIDCConfig{Issuer: issuer, ClientID: "x"}
	err := cfg.Discover(t.Context())
	if err == nil || !strings.Contains(err.Error(), issuer) {
		t.Errorf("Discover(%s) = %v, want an error naming the issuer", issuer, err)
	}
}

// TestSignInPagesEnglish: the sign-in page speaks English when asked, and
// without SSO configured it offers none.
func TestSignInPagesEnglish(t *testing.T) {
	s := storetest.OpenSQLite(t)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	rec := do(h, "GET", "/login?lang=en", "", nil)
	body := rec.Body.String()
	for _, want := range []string{"<h1>Sign in</h1>", ">User name<", ">Password<", "Code (if you have enrolled"} {
		if !strings.Contains(body, want) {
			t.Errorf("English sign-in page lacks %q", want)
		}
	}
	for _, ja := range []string{"サインイン", "利用者名", "パスワード"} {
		if strings.Contains(body, ja) {
			t.Errorf("English sign-in page holds %q", ja)
		}
	}
	if strings.Contains(body, "/login/oidc") {
		t.Errorf("sign-in page offers SSO that is not configured")
	}
	rec = do(h, "POST", "/login?lang=en", "", url.Values{"name": {"nobody"}, "password": {"wrong password!!"}})
	if rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "sign-in failed") {
		t.Errorf("English refusal = %d\n%s", rec.Code, rec.Body.String())
	}
	if rec := do(h, "GET", "/login/oidc", "", nil); rec.Code == http.StatusSeeOther {
		t.Errorf("SSO start without SSO configured = %d", rec.Code)
	}
}
