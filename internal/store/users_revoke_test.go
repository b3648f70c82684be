package store_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRevokeRole takes one grant away and leaves the others; revoking a
// grant the user does not hold, or of an unknown user, is NotFound and
// changes nothing.
func TestRevokeRole(t *testing.T) {
	at := time.Date(2026, 11, 23, 9, 30, 0, 0, time.UTC)
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		withOrgs(t, s)
		u := store.User{Name: "sato", PasswordHash: "$argon2id$fake", CreatedAt: at,
			Grants: []store.RoleGrant{{Role: "auditor", OrgCode: "M01"}, {Role: "viewer", OrgCode: "M01"}, {Role: "viewer", OrgCode: "M02"}}}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.CreateUser(ctx, store.User{Name: "abe", PasswordHash: "$argon2id$fake", CreatedAt: at,
			Grants: []store.RoleGrant{{Role: "viewer", OrgCode: "M01"}}}); err != nil {
			t.Fatal(err)
		}
		if err := s.RevokeRole(ctx, "sato", store.RoleGrant{Role: "viewer", OrgCode: "M01"}); err != nil {
			t.Fatalf("RevokeRole: %v", err)
		}
		for _, tc := range []struct {
			name string
			g    store.RoleGrant
		}{
			{"sato", store.RoleGrant{Role: "viewer", OrgCode: "M01"}},  // already revoked
			{"sato", store.RoleGrant{Role: "auditor", OrgCode: "M02"}}, // role held elsewhere only
			{"nobody", store.RoleGrant{Role: "viewer", OrgCode: "M01"}},
		} {
			if err := s.RevokeRole(ctx, tc.name, tc.g); mamori.KindOf(err) != mamori.NotFound {
				t.Errorf("RevokeRole(%s, %v) = %v, want NotFound", tc.name, tc.g, err)
			}
		}
		got, err := s.User(ctx, "sato")
		if err != nil {
			t.Fatal(err)
		}
		want := []store.RoleGrant{{Role: "auditor", OrgCode: "M01"}, {Role: "viewer", OrgCode: "M02"}}
		if diff := cmp.Diff(want, got.Grants); diff != "" {
			t.Errorf("grants after revoke (-want +got):\n%s", diff)
		}
		other, err := s.User(ctx, "abe")
		if err != nil {
			t.Fatal(err)
		}
		if len(other.Grants) != 1 {
			t.Errorf("another user's grants changed: %v", other.Grants)
		}
	})
}
