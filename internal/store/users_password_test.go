package store_test

import (
	"errors"
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestUserOneTimePassword: the state of a one-time password (a change is
// required, and when the password expires) is stored and read back, set
// and cleared through UpdateUser.
func TestUserOneTimePassword(t *testing.T) {
	at := time.Date(2026, 12, 6, 9, 30, 15, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		if err := s.CreateUser(ctx, store.User{Name: "sato", PasswordHash: "h", CreatedAt: at,
			PasswordChangeRequired: true, PasswordExpiresAt: at.Add(72 * time.Hour)}); err != nil {
			t.Fatal(err)
		}
		u, err := s.User(ctx, "sato")
		if err != nil {
			t.Fatal(err)
		}
		if !u.PasswordChangeRequired || !u.PasswordExpiresAt.Equal(at.Add(72*time.Hour)) {
			t.Errorf("after CreateUser: required %v, expires %v", u.PasswordChangeRequired, u.PasswordExpiresAt)
		}
		if err := s.UpdateUser(ctx, "sato", func(u *store.User) error {
			u.PasswordChangeRequired, u.PasswordExpiresAt = false, time.Time{}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if u, err = s.User(ctx, "sato"); err != nil || u.PasswordChangeRequired || !u.PasswordExpiresAt.IsZero() {
			t.Errorf("after clearing: %+v, %v", u, err)
		}
		if err := s.UpdateUser(ctx, "sato", func(u *store.User) error {
			u.PasswordChangeRequired, u.PasswordExpiresAt = true, at
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if u, err = s.User(ctx, "sato"); err != nil || !u.PasswordChangeRequired || !u.PasswordExpiresAt.Equal(at) {
			t.Errorf("after setting: %+v, %v", u, err)
		}
	})
}

// TestUpdateUserEnding: a change that ends an account's access deletes
// every session of that account, and revokes its API tokens when asked,
// in the same transaction as the change: other accounts keep theirs, and a
// change that fails ends nothing.
func TestUpdateUserEnding(t *testing.T) {
	at := time.Now().UTC().Truncate(time.Second)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		for _, name := range []string{"sato", "abe"} {
			if err := s.CreateUser(ctx, store.User{Name: name, PasswordHash: "h", CreatedAt: at}); err != nil {
				t.Fatal(err)
			}
			for _, id := range []string{"1", "2"} {
				if err := s.CreateSession(ctx, store.Session{IDHash: name + id, UserName: name, CreatedAt: at, LastSeenAt: at,
					ExpiresAt: at.Add(time.Hour)}); err != nil {
					t.Fatal(err)
				}
			}
			if err := s.CreateToken(ctx, store.APIToken{ID: "tok-" + name, UserName: name, Name: "ci", Hash: "hash-" + name,
				Scopes: "read", ExpiresAt: at.Add(time.Hour), CreatedAt: at}); err != nil {
				t.Fatal(err)
			}
		}
		alive := func(hash string) bool {
			_, err := s.SessionByHash(ctx, hash)
			if err != nil && mamori.KindOf(err) != mamori.NotFound {
				t.Fatal(err)
			}
			return err == nil
		}
		revoked := func(hash string) bool {
			tok, err := s.TokenByHash(ctx, hash)
			if err != nil {
				t.Fatal(err)
			}
			return tok.Revoked
		}

		// A failed change ends nothing.
		boom := errors.New("boom")
		if err := s.UpdateUserEnding(ctx, "sato", store.EndAccess{Sessions: true, Tokens: true}, func(u *store.User) error { return boom }); !errors.Is(err, boom) {
			t.Fatalf("UpdateUserEnding = %v, want boom", err)
		}
		if !alive("sato1") || revoked("hash-sato") {
			t.Errorf("a failed change ended sessions or tokens")
		}

		// Sessions only.
		if err := s.UpdateUserEnding(ctx, "sato", store.EndAccess{Sessions: true}, func(u *store.User) error {
			u.PasswordHash = "h2"
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if alive("sato1") || alive("sato2") {
			t.Errorf("sato's sessions survive")
		}
		if !alive("abe1") || !alive("abe2") {
			t.Errorf("abe's sessions were ended with sato's")
		}
		if revoked("hash-sato") {
			t.Errorf("sato's token revoked though only sessions were to end")
		}
		if u, _ := s.User(ctx, "sato"); u.PasswordHash != "h2" {
			t.Errorf("the change was not written")
		}

		// Sessions and tokens.
		if err := s.UpdateUserEnding(ctx, "abe", store.EndAccess{Sessions: true, Tokens: true}, func(u *store.User) error {
			u.Disabled = true
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if alive("abe1") || !revoked("hash-abe") || revoked("hash-sato") {
			t.Errorf("disable: abe's session alive %v, abe's token revoked %v, sato's token revoked %v",
				alive("abe1"), revoked("hash-abe"), revoked("hash-sato"))
		}
		if err := s.UpdateUserEnding(ctx, "nobody", store.EndAccess{Sessions: true}, func(u *store.User) error { return nil }); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("unknown user: %v", err)
		}
	})
}
