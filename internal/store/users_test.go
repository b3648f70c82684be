package store_test

import (
	"context"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// withOrgs loads two organizations for grants to refer to.
func withOrgs(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		return l.Put(orgs, []mamori.Record{org("M01", "", "総務省"), org("M02", "", "デジタル庁")})
	})
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
}

// TestUsersRoundTrip stores users and reads back every field, timestamps
// (to the second, in UTC), dates, booleans and child rows included.
func TestUsersRoundTrip(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 30, 15, 0, time.UTC)
	full := store.User{Name: "sato", DisplayName: "佐藤 花子", PasswordHash: "$argon2id$fake",
		TOTPSecret: "JBSWY3DPEHPK3PXP", TOTPEnrolledOn: "2026-11-20", TOTPLastStep: 59000000,
		RecoveryCodes: []store.RecoveryCode{{Hash: "aa"}, {Hash: "bb", UsedAt: at}},
		Disabled:      true, FailedLogins: 3, FailedSince: at.Add(-time.Minute), LockedUntil: at.Add(time.Hour),
		CreatedAt: at.Add(-48 * time.Hour), LastLoginAt: at,
		Grants: []store.RoleGrant{{Role: "auditor", OrgCode: "M01"}, {Role: "viewer", OrgCode: "M02"}}}
	bare := store.User{Name: "abe", PasswordHash: "$argon2id$fake2", CreatedAt: at}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		for _, u := range []store.User{full, bare} {
			if err := s.CreateUser(ctx, u); err != nil {
				t.Fatalf("CreateUser(%s): %v", u.Name, err)
			}
		}
		for _, want := range []store.User{full, bare} {
			got, err := s.User(ctx, want.Name)
			if err != nil {
				t.Fatalf("User(%s): %v", want.Name, err)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("User(%s) mismatch (-want +got):\n%s", want.Name, diff)
			}
		}
		all, err := s.Users(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]store.User{bare, full}, all); diff != "" {
			t.Errorf("Users mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestUserErrors(t *testing.T) {
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		if err := s.CreateUser(ctx, store.User{Name: "u", PasswordHash: "h", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		for _, tc := range []struct {
			name string
			run  func() error
			want mamori.Kind
		}{
			{"duplicate user", func() error { return s.CreateUser(ctx, store.User{Name: "u", PasswordHash: "h", CreatedAt: at}) }, mamori.Conflict},
			{"grant on unknown org", func() error {
				return s.CreateUser(ctx, store.User{Name: "v", PasswordHash: "h", CreatedAt: at,
					Grants: []store.RoleGrant{{Role: "viewer", OrgCode: "NOPE"}}})
			}, mamori.Invalid},
			{"unknown role", func() error { return s.GrantRole(ctx, "u", store.RoleGrant{Role: "emperor", OrgCode: "M01"}) }, mamori.Invalid},
			{"grant to unknown user", func() error { return s.GrantRole(ctx, "nobody", store.RoleGrant{Role: "viewer", OrgCode: "M01"}) }, mamori.NotFound},
			{"unknown user", func() error { _, err := s.User(ctx, "nobody"); return err }, mamori.NotFound},
			{"update unknown user", func() error { return s.UpdateUser(ctx, "nobody", func(*store.User) error { return nil }) }, mamori.NotFound},
			{"token for unknown user", func() error {
				return s.CreateToken(ctx, store.APIToken{ID: "x", UserName: "nobody", Name: "n", Hash: "h", Scopes: "read", ExpiresAt: at, CreatedAt: at})
			}, mamori.NotFound},
			{"revoke unknown token", func() error { return s.RevokeToken(ctx, "nope") }, mamori.NotFound},
			{"unknown token hash", func() error { _, err := s.TokenByHash(ctx, "nope"); return err }, mamori.NotFound},
		} {
			if err := tc.run(); err == nil || mamori.KindOf(err) != tc.want {
				t.Errorf("%s: err = %v (kind %v), want kind %v", tc.name, err, mamori.KindOf(err), tc.want)
			}
		}
		// A refused user left nothing behind.
		if _, err := s.User(ctx, "v"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("User(v) after a refused CreateUser: %v", err)
		}
	})
}

// TestUpdateUser: fn's changes are written back, recovery codes included;
// an error from fn writes nothing; a grant given twice is stored once.
func TestUpdateUser(t *testing.T) {
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		if err := s.CreateUser(ctx, store.User{Name: "u", PasswordHash: "h", CreatedAt: at,
			RecoveryCodes: []store.RecoveryCode{{Hash: "a"}, {Hash: "b"}}}); err != nil {
			t.Fatal(err)
		}
		err := s.UpdateUser(ctx, "u", func(u *store.User) error {
			u.FailedLogins, u.LockedUntil, u.TOTPLastStep = 2, at.Add(time.Hour), 7
			u.RecoveryCodes[1].UsedAt = at
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		boom := mamori.Errorf(mamori.Invalid, "だめ", "no")
		if err := s.UpdateUser(ctx, "u", func(u *store.User) error { u.Disabled = true; return boom }); err != boom {
			t.Errorf("UpdateUser returned %v, want fn's error", err)
		}
		for range 2 {
			if err := s.GrantRole(ctx, "u", store.RoleGrant{Role: "viewer", OrgCode: "M02"}); err != nil {
				t.Fatal(err)
			}
		}
		got, err := s.User(ctx, "u")
		if err != nil {
			t.Fatal(err)
		}
		want := store.User{Name: "u", PasswordHash: "h", CreatedAt: at, FailedLogins: 2, LockedUntil: at.Add(time.Hour), TOTPLastStep: 7,
			RecoveryCodes: []store.RecoveryCode{{Hash: "a"}, {Hash: "b", UsedAt: at}},
			Grants:        []store.RoleGrant{{Role: "viewer", OrgCode: "M02"}}}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after UpdateUser (-want +got):\n%s", diff)
		}
	})
}

func TestTokens(t *testing.T) {
	at := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		if err := s.CreateUser(ctx, store.User{Name: "u", PasswordHash: "h", CreatedAt: at}); err != nil {
			t.Fatal(err)
		}
		tok := store.APIToken{ID: "t1", UserName: "u", Name: "ci", Hash: "hash1", Scopes: "read write",
			ExpiresAt: at.Add(720 * time.Hour), CreatedAt: at}
		if err := s.CreateToken(ctx, tok); err != nil {
			t.Fatal(err)
		}
		dup := tok
		dup.ID = "t2"
		if err := s.CreateToken(ctx, dup); mamori.KindOf(err) != mamori.Conflict {
			t.Errorf("token with a duplicate hash: err = %v, want a conflict", err)
		}
		if err := s.TouchToken(ctx, "t1", at.Add(time.Hour)); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeToken(ctx, "t1"); err != nil {
			t.Fatal(err)
		}
		got, err := s.TokenByHash(ctx, "hash1")
		if err != nil {
			t.Fatal(err)
		}
		want := tok
		want.LastUsedAt, want.Revoked = at.Add(time.Hour), true
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("TokenByHash (-want +got):\n%s", diff)
		}
		list, err := s.Tokens(ctx, "u")
		if err != nil || len(list) != 1 || list[0].ID != "t1" {
			t.Errorf("Tokens(u) = %v, %v", list, err)
		}
	})
}

// TestUserNameCaseFolded: a name that differs from a taken one only in case
// is refused like the taken one, so no account's actor has a look-alike in
// the audit trail.
func TestUserNameCaseFolded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		if err := s.CreateUser(ctx, store.User{Name: "offP", PasswordHash: "$argon2id$fake", CreatedAt: time.Now()}); err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"offP", "OFFP", "offp"} {
			err := s.CreateUser(ctx, store.User{Name: name, PasswordHash: "$argon2id$fake", CreatedAt: time.Now()})
			me, ok := err.(*mamori.Error)
			if !ok || me.Kind != mamori.Conflict || me.MessageJA != "利用者名「"+name+"」は使えません。別の名前にしてください" {
				t.Errorf("CreateUser(%q) = %v, want the name refused as taken", name, err)
			}
		}
	})
}
