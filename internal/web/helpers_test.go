package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"net/http"
	"strings"
	"testing"
	"time"

	"mamori/internal/auth"
	"mamori/internal/store"
)

// grantedSession creates a user holding grants ("role@ORG") and a live,
// full session made directly in the store, and returns its cookie value.
// A role that needs a second factor gets one, as after enrolment: signing
// in itself is TestSignIn's and TestOIDC's business.
func grantedSession(t *testing.T, s *store.Store, name string, grants ...string) string {
	t.Helper()
	var gs []store.RoleGrant
	for _, g := range grants {
		role, org, _ := strings.Cut(g, "@")
		gs = append(gs, store.RoleGrant{Role: role, OrgCode: org})
	}
	now := time.Now()
	if err := auth.CreateUser(t.Context(), s, auth.NewUser{Name: name, Password: "correct horse battery staple", Grants: gs}, now); err != nil {
		t.Fatal(err)
	}
	if auth.RequiresTOTP(store.User{Grants: gs}) {
		if err := s.UpdateUser(t.Context(), name, func(u *store.User) error {
			u.TOTPSecret, u.TOTPEnrolledOn = "JBSWY3DPEHPK3PXP", now.Format(time.DateOnly)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	secret := "session-of-" + name
	sum := sha256.Sum256([]byte(secret))
	if err := s.CreateSession(t.Context(), store.Session{IDHash: hex.EncodeToString(sum[:]), UserName: name, CreatedAt: now,
		LastSeenAt: now, ExpiresAt: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	return secret
}

// withSession returns h with the session cookie added to every request
// that carries no cookie of its own.
func withSession(h http.Handler, secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Cookie") == "" {
			r.AddCookie(&http.Cookie{Name: "mamori_session", Value: secret})
		}
		h.ServeHTTP(w, r)
	})
}
