package web

import "net/http"

// oidcRoutes registers the routes of oidc.go; placeholder until they are built.
func (s *server) oidcRoutes(mux *http.ServeMux) {}

// oidcLogin is single sign-on through an OpenID Connect provider.
type oidcLogin struct{}
