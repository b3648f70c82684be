package api

import (
	"net/http"

	"mamori"
	"mamori/internal/store"
)

// The project routes (issue 15): the projects of the caller's
// organizations and one project's governance view, read only. Their
// records are written through the register routes like any other.
func (s *server) projectRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/projects", s.authed(s.projectList))
	mux.Handle("GET /api/v1/projects/{code}", s.authed(s.projectItem))
}

// ProjectList is the caller's projects.
type ProjectList struct {
	Total    int                    `json:"total"`
	Projects []store.ProjectSummary `json:"projects"`
}

// projectList lists the projects of the caller's organizations, or of one
// organization's subtree (org).
func (s *server) projectList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	orgs, err := s.workflowOrgs(r, c)
	if err != nil {
		return nil, err
	}
	ps, err := s.st.Projects(r.Context(), orgs)
	if err != nil {
		return nil, err
	}
	if ps == nil {
		ps = []store.ProjectSummary{}
	}
	return ProjectList{Total: len(ps), Projects: ps}, nil
}

// projectItem is one project's governance view; another ministry's project
// answers like one that does not exist.
func (s *server) projectItem(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	code := r.PathValue("code")
	d, ok, err := s.st.ProjectIn(r.Context(), code, c.scope.Allows)
	if err != nil {
		return nil, err
	}
	if !ok || !c.scope.Allows(d.OrgCode) {
		return nil, mamori.Errorf(mamori.NotFound, "プロジェクト「%s」はありません", "no project %q", clip(code))
	}
	return d, nil
}
