package auth_test

import (
	"errors"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// sessionOf opens a session for name directly in the store.
func sessionOf(t *testing.T, s *store.Store, name, hash string) {
	t.Helper()
	if err := s.CreateSession(t.Context(), store.Session{IDHash: hash, UserName: name, CreatedAt: t0, LastSeenAt: t0,
		ExpiresAt: t0.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
}

func sessionAlive(t *testing.T, s *store.Store, hash string) bool {
	t.Helper()
	_, err := s.SessionByHash(t.Context(), hash)
	if err != nil && mamori.KindOf(err) != mamori.NotFound {
		t.Fatal(err)
	}
	return err == nil
}

// TestChangePassword: a user changes their own password with the old one;
// a wrong old password is refused and counted like a failed sign-in, and
// the new one must follow the policy and differ from the old. A change
// ends every session of the account.
func TestChangePassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		setup(t, s, map[string]auth.Role{"sato": auth.Viewer})
		sessionOf(t, s, "sato", "s1")
		const next = "a much longer new password"
		for _, tc := range []struct {
			name, old, new string
			kind           mamori.Kind
		}{
			{"wrong old", "not the password", next, mamori.Unauthenticated},
			{"too short", pw, "short", mamori.Invalid},
			{"the user name", pw, "SATO", mamori.Invalid},
			{"unchanged", pw, pw, mamori.Invalid},
		} {
			if err := auth.ChangePassword(ctx, s, "sato", tc.old, tc.new, t0); mamori.KindOf(err) != tc.kind {
				t.Errorf("%s: ChangePassword = %v, want kind %v", tc.name, err, tc.kind)
			}
		}
		if u, _ := s.User(ctx, "sato"); u.FailedLogins != 1 {
			t.Errorf("a wrong old password counted %d failures, want 1", u.FailedLogins)
		}
		if !sessionAlive(t, s, "s1") {
			t.Errorf("a refused change ended the session")
		}
		if err := auth.ChangePassword(ctx, s, "sato", pw, next, t0); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		if _, err := auth.Authenticate(ctx, s, "sato", pw, "", t0); err == nil {
			t.Errorf("the old password still signs in")
		}
		if _, err := auth.Authenticate(ctx, s, "sato", next, "", t0); err != nil {
			t.Errorf("the new password does not sign in: %v", err)
		}
		if sessionAlive(t, s, "s1") {
			t.Errorf("the session opened before the change survives it")
		}
	})
}

// TestResetPassword: an administrator's reset sets a one-time password that
// signs in only to change it, expires after auth.OneTimePasswordTTL (then
// sign-in is refused with a message to ask the administrator), and ends
// every session of the account; choosing one's own password clears both.
func TestResetPassword(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		setup(t, s, map[string]auth.Role{"sato": auth.Viewer, "abe": auth.Viewer})
		sessionOf(t, s, "sato", "s1")
		sessionOf(t, s, "abe", "a1")
		if err := s.UpdateUser(ctx, "sato", func(u *store.User) error { u.FailedLogins, u.LockedUntil = 7, t0.Add(time.Hour); return nil }); err != nil {
			t.Fatal(err)
		}
		otp, err := auth.ResetPassword(ctx, s, "sato", t0)
		if err != nil {
			t.Fatalf("ResetPassword: %v", err)
		}
		if sessionAlive(t, s, "s1") || !sessionAlive(t, s, "a1") {
			t.Errorf("after a reset: sato's session alive %v, abe's %v", sessionAlive(t, s, "s1"), sessionAlive(t, s, "a1"))
		}
		u, err := auth.Authenticate(ctx, s, "sato", otp, "", t0.Add(time.Minute))
		if err != nil {
			t.Fatalf("the one-time password does not sign in (the lock should be cleared): %v", err)
		}
		if !u.PasswordChangeRequired {
			t.Errorf("a sign-in with the one-time password does not require a change")
		}
		// Expired: refused, with its own message, and counted as nothing.
		_, err = auth.Authenticate(ctx, s, "sato", otp, "", t0.Add(auth.OneTimePasswordTTL+time.Second))
		if !errors.Is(err, auth.ErrPasswordExpired) || mamori.KindOf(err) != mamori.Unauthenticated {
			t.Fatalf("an expired one-time password: %v", err)
		}
		if me, ok := errors.AsType[*mamori.Error](err); !ok || me.MessageJA == "" || me.Message == "" {
			t.Errorf("the expiry has no message of its own: %v", err)
		}
		if err := auth.ChangePassword(ctx, s, "sato", otp, "my own new password", t0.Add(auth.OneTimePasswordTTL+time.Second)); !errors.Is(err, auth.ErrPasswordExpired) {
			t.Errorf("an expired one-time password changed the password: %v", err)
		}
		// In time, the user chooses their own.
		if err := auth.ChangePassword(ctx, s, "sato", otp, "my own new password", t0.Add(time.Hour)); err != nil {
			t.Fatalf("ChangePassword: %v", err)
		}
		u, _ = s.User(ctx, "sato")
		if u.PasswordChangeRequired || !u.PasswordExpiresAt.IsZero() {
			t.Errorf("after the change: required %v, expires %v", u.PasswordChangeRequired, u.PasswordExpiresAt)
		}
		if _, err := auth.Authenticate(ctx, s, "sato", "my own new password", "", t0.Add(auth.OneTimePasswordTTL+time.Hour)); err != nil {
			t.Errorf("one's own password expired with the one-time one: %v", err)
		}
		if _, err := auth.ResetPassword(ctx, s, "nobody", t0); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("reset of an unknown user: %v", err)
		}
	})
}

// TestResetEndsAccess: a second-factor reset ends the account's sessions;
// a disable ends them and revokes its API tokens (enabling the account
// again does not bring the tokens back).
func TestResetEndsAccess(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		setup(t, s, map[string]auth.Role{"sato": auth.OrgSecurity, "abe": auth.Viewer})
		sessionOf(t, s, "sato", "s1")
		sessionOf(t, s, "abe", "a1")
		if err := auth.ResetTOTP(ctx, s, "sato"); err != nil {
			t.Fatal(err)
		}
		if sessionAlive(t, s, "s1") || !sessionAlive(t, s, "a1") {
			t.Errorf("after a second-factor reset: sato's session alive %v, abe's %v", sessionAlive(t, s, "s1"), sessionAlive(t, s, "a1"))
		}
		secret, err := auth.IssueToken(ctx, s, "abe", "ci", []string{auth.ScopeRead}, time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if err := auth.SetDisabled(ctx, s, "abe", true); err != nil {
			t.Fatal(err)
		}
		if sessionAlive(t, s, "a1") {
			t.Errorf("a disabled account's session survives")
		}
		if err := auth.SetDisabled(ctx, s, "abe", false); err != nil {
			t.Fatal(err)
		}
		if _, _, err := auth.CheckToken(ctx, s, secret, time.Now()); !errors.Is(err, auth.ErrTokenRevoked) {
			t.Errorf("a token of a disabled then enabled account: %v, want revoked", err)
		}
	})
}
