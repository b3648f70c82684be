package auth

import (
	"slices"

	"mamori"
	"mamori/internal/store"
)

// Role is what a user may do within an organization subtree.
type Role string

// The roles. The store's role_grants table accepts exactly these.
const (
	Viewer        Role = "viewer"
	SystemOfficer Role = "system_officer"
	OrgSecurity   Role = "org_security"
	Auditor       Role = "auditor"
	CentralAdmin  Role = "central_admin"
)

// RoleInfo names a role in both languages.
type RoleInfo struct {
	Role   Role
	JA, EN string
	// StrongAuth: holders must sign in with a second factor. These roles
	// see or change the security posture of a whole organization tree, so
	// a stolen password alone must not be enough.
	StrongAuth bool
}

// Roles lists every role, from the least to the most privileged.
var Roles = []RoleInfo{
	{Viewer, "閲覧者", "viewer", false},
	{SystemOfficer, "システム担当", "system officer", false},
	{OrgSecurity, "組織セキュリティ担当", "organization security officer", true},
	{Auditor, "監査担当", "auditor", true},
	{CentralAdmin, "中央管理者", "central administrator", true},
}

// Info returns the role's names, and false for an unknown role.
func (r Role) Info() (RoleInfo, bool) {
	i := slices.IndexFunc(Roles, func(ri RoleInfo) bool { return ri.Role == r })
	if i < 0 {
		return RoleInfo{}, false
	}
	return Roles[i], true
}

// ParseRole checks a role name; an unknown one is an error of kind Invalid
// that lists the known ones.
func ParseRole(s string) (Role, error) {
	if _, ok := Role(s).Info(); ok {
		return Role(s), nil
	}
	var names string
	for i, ri := range Roles {
		if i > 0 {
			names += ", "
		}
		names += string(ri.Role)
	}
	return "", mamori.Errorf(mamori.Invalid, "役割「%s」はありません（%s のいずれか）", "role: unknown role %q (one of %s)", s, names)
}

// RequiresTOTP reports whether one of the user's roles demands a second factor.
func RequiresTOTP(u store.User) bool {
	for _, g := range u.Grants {
		if ri, ok := Role(g.Role).Info(); ok && ri.StrongAuth {
			return true
		}
	}
	return false
}

// Rank is the role's place in Roles, least privileged first: viewer <
// system_officer < org_security < auditor < central_admin; -1 for a role
// mamori does not know. The auditor ranks above the security officer: it
// audits what the officer does, so the officer must not be able to
// appoint, reset or disable the organization's auditors.
func (r Role) Rank() int {
	return slices.IndexFunc(Roles, func(ri RoleInfo) bool { return ri.Role == r })
}

// Manages reports whether a holder of role r on an organization subtree may
// create, grant, revoke, reset, disable, enable or unlock an account
// holding role other there: only a role strictly below its own, so that a
// stolen administrator session cannot create a peer ("puppet") account or
// lock the real holder out. A central administrator manages every role,
// its own included. Only the administrative roles (org_security,
// central_admin) manage accounts at all; the caller checks that and the
// subtree.
func (r Role) Manages(other Role) bool {
	ro, rt := r.Rank(), other.Rank()
	if ro < 0 || rt < 0 {
		return false
	}
	return r == CentralAdmin || rt < ro
}
