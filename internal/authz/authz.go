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
	orgs  map[string]bool
	whole bool
}

// Of resolves a user's grants to the organizations below them (each grant
// covers its organization's whole subtree).
func Of(ctx context.Context, st *store.Store, u store.User) (Scope, error) {
	return OfRoles(ctx, st, u)
}

// OfRoles is Of counting only the grants of the given roles (all grants when
// none is given): the organizations where the user may do what those roles
// allow, such as importing a workbook or managing accounts.
func OfRoles(ctx context.Context, st *store.Store, u store.User, roles ...string) (Scope, error) {
	var roots []string
	for _, g := range u.Grants {
		if len(roles) > 0 && !slices.Contains(roles, g.Role) {
			continue
		}
		roots = append(roots, g.OrgCode)
	}
	if len(roots) == 0 {
		return Scope{orgs: map[string]bool{}}, nil
	}
	sub, total, err := st.Subtrees(ctx, roots...)
	if err != nil {
		return Scope{}, err
	}
	return Scope{orgs: sub, whole: total > 0 && len(sub) >= total}, nil
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

// Len is the number of organizations in the scope.
func (s Scope) Len() int { return len(s.orgs) }

// Whole reports whether the scope holds every organization: the user may
// see the whole-government views. An empty scope is never whole, even in a
// store without organizations.
func (s Scope) Whole() bool { return s.whole }
