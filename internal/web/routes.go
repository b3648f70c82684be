package web

import "net/http"

// routes lists every route of the web UI.
func (s *server) routes(mux *http.ServeMux) {
	mux.Handle("GET /{$}", s.handle(s.home))
	mux.Handle("GET /systems", s.handle(s.systemList))
	mux.Handle("GET /systems.csv", s.handle(s.systemsCSV))
	mux.Handle("GET /systems/{code}", s.handle(s.systemPage))
	mux.Handle("GET /findings", s.handle(s.findingList))
	mux.Handle("GET /dashboard", s.handle(s.dashboard))
	mux.Handle("GET /report", s.handle(s.auditReport))
	mux.Handle("GET /report/list", s.handle(s.reportList))
	mux.Handle("GET /report.html", s.handle(s.reportHTML))
	mux.Handle("GET /report.md", s.handle(s.reportMarkdown))
	mux.Handle("GET /healthz", s.handle(s.healthz))
	mux.Handle("GET /login", s.handle(s.loginPage))
	mux.Handle("POST /login", s.handle(s.login))
	mux.Handle("POST /logout", s.handle(s.logout))
	mux.Handle("GET /enrol", s.handle(s.enrolPage))
	mux.Handle("POST /enrol", s.handle(s.enrol))
	mux.Handle("GET /password", s.handle(s.passwordPage))
	mux.Handle("POST /password", s.handle(s.changePassword))
	mux.Handle("POST /lang", s.handle(s.setLang))
	s.importRoutes(mux)
	s.adminRoutes(mux)
	s.auditLogRoutes(mux)
	s.oidcRoutes(mux)
	s.workflowRoutes(mux)
	s.inspectionRoutes(mux)
	s.projectRoutes(mux)
	s.incidentRoutes(mux)
	s.trainingRoutes(mux)
	s.remediationRoutes(mux)
	s.registerRoutes(mux)
	s.cloudListRoutes(mux)
	s.forumRoutes(mux)
	mux.Handle("GET /metrics", s.metricsHandler())
	mux.Handle("GET /static/{file}", s.handle(s.static))
	mux.Handle("GET /favicon.ico", s.handle(s.favicon))
	// Any other GET is a 404 page; other methods get the mux's 405.
	mux.Handle("GET /", s.handle(s.notFound))
}
