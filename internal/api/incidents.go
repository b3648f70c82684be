package api

import (
	"net/http"
	"net/url"
	"strings"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The incident routes (DESIGN C7; seeds 002 and 004): the incidents of the
// caller's scope with the outcome metrics per fiscal year, one incident
// with its timeline and its response item, and recording one. The steps
// of the response are the workflow routes' (/workflows/{id}/transitions);
// another ministry's incident answers 404 like a missing one.

func (s *server) incidentRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/incidents", s.authed(s.incidentList))
	mux.Handle("POST /api/v1/incidents", s.writes(s.incidentCreate))
	mux.Handle("GET /api/v1/incidents/{code}", s.authed(s.incidentItem))
}

func incidentURL(code string) string { return "/api/v1/incidents/" + url.PathEscape(code) }

// Incident is one incident of the register.
type Incident struct {
	Code          string   `json:"code"`
	OrgCode       string   `json:"org_code"`
	Class         string   `json:"class"`
	Severity      string   `json:"severity,omitempty"`
	SystemCode    string   `json:"system_code,omitempty"`
	OccurredOn    string   `json:"occurred_on,omitempty"`
	OccurredTime  string   `json:"occurred_time,omitempty"`
	DetectedOn    string   `json:"detected_on"`
	DetectedTime  string   `json:"detected_time,omitempty"`
	ReportedOn    string   `json:"reported_on,omitempty"`
	ReportedTime  string   `json:"reported_time,omitempty"`
	ReportedTo    string   `json:"reported_to,omitempty"`
	ContainedOn   string   `json:"contained_on,omitempty"`
	ContainedTime string   `json:"contained_time,omitempty"`
	RecoveredOn   string   `json:"recovered_on,omitempty"`
	RecoveredTime string   `json:"recovered_time,omitempty"`
	ClosedOn      string   `json:"closed_on,omitempty"`
	Summary       string   `json:"summary,omitempty"`
	Cause         string   `json:"cause,omitempty"`
	Measures      string   `json:"measures,omitempty"`
	Systems       []string `json:"systems"`
	Orgs          []string `json:"orgs"`
	// Workflow is the response item's id; 0 for an incident recorded by
	// a register import, which has none.
	Workflow    int64  `json:"workflow,omitempty"`
	State       string `json:"state,omitempty"`
	WorkflowURL string `json:"workflow_url,omitempty"`
	URL         string `json:"url"`
}

// IncidentMetrics are one fiscal year's outcome metrics.
type IncidentMetrics struct {
	FiscalYear int64          `json:"fiscal_year"`
	Total      int            `json:"total"`
	Open       int            `json:"open"`
	ByClass    map[string]int `json:"by_class"`
	// Median hours, over the incidents recording both ends (the n).
	DetectHours  *float64 `json:"median_hours_to_detect,omitempty"`
	DetectN      int      `json:"detect_n"`
	ReportHours  *float64 `json:"median_hours_to_report,omitempty"`
	ReportN      int      `json:"report_n"`
	RecoverHours *float64 `json:"median_hours_to_recover,omitempty"`
	RecoverN     int      `json:"recover_n"`
}

// IncidentList is one page of incidents with the metrics of them all.
type IncidentList struct {
	Total     int               `json:"total"`
	Page      int               `json:"page"`
	Metrics   []IncidentMetrics `json:"metrics"`
	Incidents []Incident        `json:"incidents"`
}

func incidentOf(in store.Incident, it *store.WorkflowItem) Incident {
	out := Incident{Code: in.Code, OrgCode: in.OrgCode, Class: in.Class, Severity: in.Severity, SystemCode: in.SystemCode,
		OccurredOn: in.OccurredOn, OccurredTime: in.OccurredTime, DetectedOn: in.DetectedOn, DetectedTime: in.DetectedTime,
		ReportedOn: in.ReportedOn, ReportedTime: in.ReportedTime, ReportedTo: in.ReportedTo, ContainedOn: in.ContainedOn,
		ContainedTime: in.ContainedTime, RecoveredOn: in.RecoveredOn, RecoveredTime: in.RecoveredTime, ClosedOn: in.ClosedOn,
		Summary: in.Summary, Cause: in.Cause, Measures: in.Measures, Systems: in.Systems, Orgs: in.Orgs, URL: incidentURL(in.Code)}
	if out.Systems == nil {
		out.Systems = []string{}
	}
	if out.Orgs == nil {
		out.Orgs = []string{}
	}
	if it != nil {
		out.Workflow, out.State, out.WorkflowURL = it.ID, it.State, workflowURL(it.ID)
	}
	return out
}

func hours(d store.Duration) *float64 {
	if d.N == 0 {
		return nil
	}
	h := d.Median
	return &h
}

func (s *server) incidentItems(r *http.Request, orgs []string) (map[string]*store.WorkflowItem, error) {
	items, err := s.st.WorkflowItems(r.Context(), store.WorkflowFilter{Kind: workflow.IncidentKind, Orgs: orgs})
	if err != nil {
		return nil, err
	}
	out := map[string]*store.WorkflowItem{}
	for i := range items {
		out[items[i].Details[workflow.DetailIncident]] = &items[i]
	}
	return out, nil
}

// incidentList lists the caller's incidents (of one organization's
// subtree with org), newest detection first.
func (s *server) incidentList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	orgs, err := s.workflowOrgs(r, c)
	if err != nil {
		return nil, err
	}
	if orgs != nil && len(orgs) == 0 {
		orgs = []string{}
	}
	incs, err := s.st.Incidents(r.Context(), orgs)
	if err != nil {
		return nil, err
	}
	items, err := s.incidentItems(r, orgs)
	if err != nil {
		return nil, err
	}
	out := IncidentList{Total: len(incs), Page: p, Metrics: []IncidentMetrics{}, Incidents: []Incident{}}
	for _, m := range store.IncidentMetrics(incs) {
		out.Metrics = append(out.Metrics, IncidentMetrics{FiscalYear: m.FY, Total: m.Total, Open: m.Open, ByClass: m.ByClass,
			DetectHours: hours(m.Detect), DetectN: m.Detect.N, ReportHours: hours(m.Report), ReportN: m.Report.N,
			RecoverHours: hours(m.Recover), RecoverN: m.Recover.N})
	}
	from := (p - 1) * pageSize
	if from >= len(incs) {
		return out, nil
	}
	for _, in := range incs[from:min(from+pageSize, len(incs))] {
		out.Incidents = append(out.Incidents, incidentOf(in, items[in.Code]))
	}
	return out, nil
}

func (s *server) visibleIncident(r *http.Request, c *caller) (store.Incident, error) {
	code := r.PathValue("code")
	var orgs []string
	if !c.scope.Whole() {
		if orgs = c.scope.Orgs(); orgs == nil {
			orgs = []string{}
		}
	}
	in, err := s.st.IncidentIn(r.Context(), code, orgs)
	if mamori.KindOf(err) == mamori.NotFound || (err == nil && !c.scope.Whole() && !c.scope.Allows(in.OrgCode)) {
		return store.Incident{}, mamori.Errorf(mamori.NotFound, "インシデント「%s」はありません", "no incident %q", clip(code))
	}
	return in, err
}

func (s *server) incidentItem(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	in, err := s.visibleIncident(r, c)
	if err != nil {
		return nil, err
	}
	items, err := s.incidentItems(r, []string{in.OrgCode})
	if err != nil {
		return nil, err
	}
	return incidentOf(in, items[in.Code]), nil
}

// IncidentCreate is what recording an incident takes.
type IncidentCreate struct {
	Code         string   `json:"code"`
	Org          string   `json:"org_code"`
	Class        string   `json:"class"`
	Severity     string   `json:"severity"`
	OccurredOn   string   `json:"occurred_on"`
	OccurredTime string   `json:"occurred_time"`
	DetectedOn   string   `json:"detected_on"`
	DetectedTime string   `json:"detected_time"`
	SystemCode   string   `json:"system_code"`
	Systems      []string `json:"systems"`
	Orgs         []string `json:"orgs"`
	Summary      string   `json:"summary"`
	DueOn        string   `json:"due_on"`
	Comment      string   `json:"comment"`
}

func (s *server) incidentCreate(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	var in IncidentCreate
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if err := checkComment(in.Comment); err != nil {
		return nil, err
	}
	if len(in.Systems) > 100 || len(in.Orgs) > 100 {
		return nil, mamori.Errorf(mamori.Invalid, "影響システム・影響組織はそれぞれ100件までです", "at most 100 affected systems and 100 affected organizations")
	}
	for _, v := range append([]string{in.Code, in.Org, in.Class, in.Severity, in.OccurredOn, in.OccurredTime, in.DetectedOn,
		in.DetectedTime, in.SystemCode, in.DueOn}, append(in.Systems, in.Orgs...)...) {
		if len(v) > 200 {
			return nil, mamori.Errorf(mamori.Invalid, "値「%s」が長すぎます", "value %q is too long", clip(v))
		}
	}
	if len([]rune(in.Summary)) > workflow.MaxSubject {
		return nil, mamori.Errorf(mamori.Invalid, "概要が長すぎます（%d 文字まで）", "summary is too long (at most %d characters)", workflow.MaxSubject)
	}
	it, err := s.wf.OpenIncident(r.Context(), c.user, workflow.NewIncident{Code: in.Code, OrgCode: in.Org, Class: in.Class,
		Severity: in.Severity, OccurredOn: in.OccurredOn, OccurredTime: in.OccurredTime, DetectedOn: in.DetectedOn,
		DetectedTime: in.DetectedTime, SystemCode: in.SystemCode, Systems: in.Systems, Orgs: in.Orgs, Summary: in.Summary,
		DueOn: in.DueOn, Comment: strings.TrimSpace(in.Comment)})
	if err != nil {
		return nil, err
	}
	code := it.Details[workflow.DetailIncident]
	stored, err := s.st.IncidentByCode(r.Context(), code)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return created{location: incidentURL(code), body: incidentOf(stored, &it)}, nil
}
