package web

import "net/http"

// importRoutes registers the routes of import.go; placeholder until they are built.
func (s *server) importRoutes(mux *http.ServeMux) {}
