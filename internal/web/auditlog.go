package web

import "net/http"

// auditLogRoutes registers the routes of auditlog.go; placeholder until they are built.
func (s *server) auditLogRoutes(mux *http.ServeMux) {}
