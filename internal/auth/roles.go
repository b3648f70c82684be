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
