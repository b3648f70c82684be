package web

import (
	"net/http"
	"slices"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/store"
)

// What each kind of work needs. Viewing is open to every role within its
// scope; these are the roles that may do more.
var (
	// importRoles may load register workbooks for their organizations.
	importRoles = []string{string(auth.SystemOfficer), string(auth.OrgSecurity), string(auth.CentralAdmin)}
	// auditRoles may read the audit log.
	auditRoles = []string{string(auth.Auditor), string(auth.CentralAdmin)}
	// adminRoles may manage the accounts and grants of their organizations.
	adminRoles = []string{string(auth.OrgSecurity), string(auth.CentralAdmin)}
)

// menu says which role-bound entries the navigation shows; Report is the
// audit report, for users who see the whole government; Workflows is for
// every user holding a grant, since every role sees the items it covers.
type menu struct{ Import, Audit, Admin, Report, Workflows bool }

func menuOf(u store.User) menu {
	return menu{Import: holds(u, importRoles), Audit: holds(u, auditRoles), Admin: holds(u, adminRoles),
		Workflows: len(u.Grants) > 0}
}

// holds reports whether the user has any of the roles on any organization.
func holds(u store.User, roles []string) bool {
	for _, g := range u.Grants {
		if slices.Contains(roles, g.Role) {
			return true
		}
	}
	return false
}

// scopeFor returns the organizations where the signed-in user holds one of
// roles, or a Forbidden error when there are none: the page is not theirs.
func (s *server) scopeFor(r *http.Request, roles []string) (authz.Scope, error) {
	v := viewerOf(r.Context())
	if v == nil || !holds(v.user, roles) {
		return authz.Scope{}, mamori.Errorf(mamori.Forbidden, "この操作を行う役割が付与されていません",
			"your roles do not allow this")
	}
	return authz.OfRoles(r.Context(), s.store, v.user, roles...)
}
