// Package authz decides what a signed-in user may see: the organizations
// under the roots of their role grants. Every page, API route, export and
// report asks it; a user with no grant sees nothing.
package authz

import (
	"context"
	"slices"

	"mamori/internal/store"
)

// Scope is the set of organizations a user may see.
type Scope struct {
	orgs map[string]bool
}

// Of resolves a user's grants to the organizations below them (each grant
// covers its organization's whole subtree).
func Of(ctx context.Context, st *store.Store, u store.User) (Scope, error) {
	sc := Scope{orgs: map[string]bool{}}
	for _, g := range u.Grants {
		sub, err := st.Subtree(ctx, g.OrgCode)
		if err != nil {
			return Scope{}, err
		}
		for o := range sub {
			sc.orgs[o] = true
		}
	}
	return sc, nil
}

// Allows reports whether the organization is in the scope.
func (s Scope) Allows(org string) bool { return s.orgs[org] }

// Orgs lists the scope's organizations, sorted; empty (not nil) when the
// scope is empty, so a store filter built from it matches nothing.
func (s Scope) Orgs() []string {
	out := make([]string, 0, len(s.orgs))
	for o := range s.orgs {
		out = append(out, o)
	}
	slices.Sort(out)
	return out
}
