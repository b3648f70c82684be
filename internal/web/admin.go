package web

import "net/http"

// adminRoutes registers the routes of admin.go; placeholder until they are built.
func (s *server) adminRoutes(mux *http.ServeMux) {}
