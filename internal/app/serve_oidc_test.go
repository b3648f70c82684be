package app_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori/internal/app"
)

// TestServeOIDCFlags: single sign-on needs its issuer, client ID, redirect
// URL and the secret from the environment (never a flag), and an issuer
// that cannot be reached stops the start with its URL in the message.
func TestServeOIDCFlags(t *testing.T) {
	dead := httptest.NewServer(http.NotFoundHandler())
	deadURL := dead.URL
	dead.Close()
	db := filepath.Join(t.TempDir(), "m.db")
	secret := map[string]string{"MAMORI_OIDC_CLIENT_SECRET": "s3cret"}
	for _, tc := range []struct {
		env  map[string]string
		args []string
		code int
		want string
	}{
		{secret, []string{"serve", "--oidc-issuer", "https://idp.example.go.jp"}, 2, "--oidc-client-id"},
		{secret, []string{"serve", "--oidc-label", "府省共通認証"}, 2, "--oidc-issuer"},
		{nil, []string{"serve", "--oidc-issuer", "https://idp.example.go.jp", "--oidc-client-id", "mamori",
			"--oidc-redirect-url", "https://mamori.example.go.jp/login/oidc/callback"}, 2, "MAMORI_OIDC_CLIENT_SECRET"},
		{secret, []string{"serve", "--oidc-client-secret", "s3cret"}, 2, "oidc-client-secret"},
		{secret, []string{"serve", "--db", db, "--oidc-issuer", deadURL, "--oidc-client-id", "mamori",
			"--oidc-redirect-url", "http://127.0.0.1/login/oidc/callback"}, 1, deadURL},
	} {
		r := run(t, tc.env, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("mamori %v = exit %d, stderr %q; want exit %d containing %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
	if r := run(t, nil, "serve", "--help"); !strings.Contains(r.stderr, "--oidc-issuer") || !strings.Contains(r.stderr, "MAMORI_OIDC_CLIENT_SECRET") {
		t.Errorf("serve --help does not explain single sign-on:\n%s", r.stderr)
	}
}

// lockedBuffer is a Stdout the test may read while the server writes.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// TestServeOIDC: with a reachable provider, serve starts and its sign-in
// page offers single sign-on under the label given.
func TestServeOIDC(t *testing.T) {
	var idp *httptest.Server
	idp = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/.well-known/openid-configuration" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(map[string]any{"issuer": idp.URL, "authorization_endpoint": idp.URL + "/authorize",
			"token_endpoint": idp.URL + "/token", "jwks_uri": idp.URL + "/jwks"})
	}))
	defer idp.Close()
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	var out, errb lockedBuffer
	env := &app.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
		Getenv: func(k string) string { return map[string]string{"MAMORI_OIDC_CLIENT_SECRET": "s3cret"}[k] }}
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, env, []string{"serve", "--db", filepath.Join(t.TempDir(), "m.db"), "--addr", "127.0.0.1:0",
			"--oidc-issuer", idp.URL, "--oidc-client-id", "mamori", "--oidc-label", "府省共通認証",
			"--oidc-redirect-url", "http://127.0.0.1/login/oidc/callback"})
	}()
	addr := regexp.MustCompile(`serving (http://[0-9.:]+)/`)
	var base string
	for deadline := time.Now().Add(20 * time.Second); base == ""; time.Sleep(20 * time.Millisecond) {
		if m := addr.FindStringSubmatch(out.String()); m != nil {
			base = m[1]
		}
		select {
		case err := <-done:
			t.Fatalf("serve ended: %v\n%s", err, errb.String())
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve did not start:\n%s", errb.String())
		}
	}
	resp, err := http.Get(base + "/login")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `href="/login/oidc?`) || !strings.Contains(string(body), "府省共通認証") {
		t.Errorf("sign-in page lacks single sign-on:\n%s", body)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve = %v", err)
	}
}
