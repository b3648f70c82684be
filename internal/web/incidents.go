package web

import (
	"fmt"
	"html/template"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/authz"
	"mamori/internal/chart"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The incident pages (DESIGN C7; seeds 002 and 004): the incidents a
// user's scope covers with the outcome metrics per fiscal year (counts by
// class, time to detect, report and recover, open incidents) and a chart,
// the form that records a new incident, and an incident's page with its
// timeline, what it affected and its workflow item, where the steps are
// taken (/workflows/{id}: one mechanism for every workflow).

func (s *server) incidentRoutes(mux *http.ServeMux) {
	mux.Handle("GET /incidents", s.handle(s.incidentList))
	mux.Handle("POST /incidents", s.handle(s.incidentCreate))
	mux.Handle("GET /incidents/{code}", s.handle(s.incidentPage))
}

const incidentPageSize = 50

func incidentURL(code string) string { return "/incidents/" + urlPathEscape(code) }

// urlPathEscape escapes a code for a path segment.
func urlPathEscape(s string) string {
	return strings.NewReplacer("%", "%25", "/", "%2F", "?", "%3F", "#", "%23", " ", "%20").Replace(s)
}

type incRow struct {
	Code, URL        string
	Class            labelled
	OrgCode, OrgName string
	DetectedOn       string
	RecoveredOn      string
	State            labelled
	Summary          string
}

type incFYRow struct {
	FY                      string
	Total, Open             int
	Detect, Report, Recover string // median days, "—" when nothing to measure
	ByClass                 []int  // in the order of the view's Classes
}

type incCreateView struct {
	Orgs, Classes                    []labelled
	Severities                       []labelled
	Org, Class, Severity             string
	OccurredOn, OccurredTime         string
	DetectedOn, DetectedTime         string
	SystemCode, Systems, AffectedOrg string
	Summary, DueOn                   string
	Message, MessageEN               string
}

type incListView struct {
	Rows             []incRow
	Total, Page      int
	Pages            int
	PrevURL, NextURL string
	Classes          []labelled
	Metrics          []incFYRow
	Chart            template.HTML
	Create           *incCreateView
}

func (s *server) classLabels(r *http.Request) (map[string]labelled, []labelled, error) {
	cs, err := s.store.IncidentClasses(r.Context())
	if err != nil {
		return nil, nil, err
	}
	m := map[string]labelled{}
	var list []labelled
	for _, c := range cs {
		en := c.NameEN
		if en == "" {
			en = c.Name
		}
		l := labelled{Value: c.Code, JA: c.Name, EN: en}
		m[c.Code] = l
		list = append(list, l)
	}
	return m, list, nil
}

func incidentState(it *store.WorkflowItem) labelled {
	if it == nil {
		return labelled{Value: "", JA: "記録のみ", EN: "recorded only"}
	}
	st, ok := workflow.Incident.StateInfo(it.State)
	if !ok {
		return labelled{Value: it.State, JA: it.State, EN: it.State}
	}
	return labelled{Value: st.Name, JA: st.JA, EN: st.EN}
}

// incidentItems maps incident codes to their workflow items, within orgs
// (nil: all).
func (s *server) incidentItems(r *http.Request, orgs []string) (map[string]*store.WorkflowItem, error) {
	items, err := s.store.WorkflowItems(r.Context(), store.WorkflowFilter{Kind: workflow.IncidentKind, Orgs: orgs})
	if err != nil {
		return nil, err
	}
	out := map[string]*store.WorkflowItem{}
	for i := range items {
		out[items[i].Details[workflow.DetailIncident]] = &items[i]
	}
	return out, nil
}

func scopeOrgs(v *viewer) []string {
	if v == nil || v.all {
		return nil
	}
	orgs := v.scope.Orgs()
	if orgs == nil {
		orgs = []string{}
	}
	return orgs
}

func medianDays(d store.Duration) string {
	if d.N == 0 {
		return "—"
	}
	return strconv.FormatFloat(d.Days(), 'f', 1, 64)
}

func (s *server) incidentList(w http.ResponseWriter, r *http.Request) error {
	return s.renderIncidentList(w, r, http.StatusOK, nil)
}

func (s *server) renderIncidentList(w http.ResponseWriter, r *http.Request, status int, create *incCreateView) error {
	ctx := r.Context()
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	page, err := parsePage(r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	l := s.loc(r)
	orgs := scopeOrgs(viewerOf(ctx))
	incs, err := s.store.Incidents(ctx, orgs)
	if err != nil {
		return err
	}
	classes, classList, err := s.classLabels(r)
	if err != nil {
		return err
	}
	items, err := s.incidentItems(r, orgs)
	if err != nil {
		return err
	}
	view := incListView{Total: len(incs), Page: page, Classes: classList}
	// The metrics: every class of the list, then any other code recorded.
	metrics := store.IncidentMetrics(incs)
	for _, m := range metrics {
		for c := range m.ByClass {
			if _, ok := classes[c]; !ok {
				classes[c] = labelled{Value: c, JA: c, EN: c}
				view.Classes = append(view.Classes, classes[c])
			}
		}
	}
	bars := []chart.Bar{}
	for _, m := range metrics {
		row := incFYRow{FY: l.FiscalYear(int(m.FY)), Total: m.Total, Open: m.Open,
			Detect: medianDays(m.Detect), Report: medianDays(m.Report), Recover: medianDays(m.Recover)}
		for _, c := range view.Classes {
			row.ByClass = append(row.ByClass, m.ByClass[c.Value])
		}
		view.Metrics = append(view.Metrics, row)
		bars = append(bars, chart.Bar{Label: row.FY, Title: fmt.Sprintf("%s: %d", row.FY, m.Total), Values: []int{m.Total - m.Open, m.Open}})
	}
	if len(bars) > 0 {
		c := chart.Stacked{Title: l.MustT("incident.chart"), Series: []chart.Series{
			{Label: l.MustT("incident.chart.recovered"), Class: "s1"}, {Label: l.MustT("incident.chart.open"), Class: "s4"}}, Bars: bars}
		if view.Chart, err = c.SVG("incident-chart"); err != nil {
			return err
		}
	}
	view.Pages = max(1, (len(incs)+incidentPageSize-1)/incidentPageSize)
	page = min(page, view.Pages)
	view.Page = page
	if page > 1 {
		view.PrevURL = "/incidents?page=" + strconv.Itoa(page-1)
	}
	if page < view.Pages {
		view.NextURL = "/incidents?page=" + strconv.Itoa(page+1)
	}
	from := (page - 1) * incidentPageSize
	shown := incs[from:min(len(incs), from+incidentPageSize)]
	var codes []string
	for _, in := range shown {
		codes = append(codes, in.OrgCode)
	}
	names, err := s.visibleNames(r, organizations, codes...)
	if err != nil {
		return err
	}
	for _, in := range shown {
		cl, ok := classes[in.Class]
		if !ok {
			cl = labelled{Value: in.Class, JA: in.Class, EN: in.Class}
		}
		view.Rows = append(view.Rows, incRow{Code: in.Code, URL: incidentURL(in.Code), Class: cl, OrgCode: in.OrgCode,
			OrgName: names[in.OrgCode], DetectedOn: in.DetectedOn, RecoveredOn: in.RecoveredOn, State: incidentState(items[in.Code]),
			Summary: in.Summary})
	}
	if s.wf.MayCreate(u, workflow.IncidentKind) {
		if create == nil {
			create = &incCreateView{DetectedOn: s.wf.Today()}
		}
		var roles []string
		for _, r := range workflow.Incident.CreateRoles {
			roles = append(roles, string(r))
		}
		sc, err := authz.OfRoles(ctx, s.store, u, roles...)
		if err != nil {
			return err
		}
		scOrgs := sc.Orgs()
		slices.Sort(scOrgs)
		for _, o := range scOrgs[:min(len(scOrgs), maxOrgOptions)] {
			create.Orgs = append(create.Orgs, labelled{Value: o, JA: o, EN: o})
		}
		for _, c := range classList {
			c.Selected = c.Value == create.Class
			create.Classes = append(create.Classes, c)
		}
		create.Severities = []labelled{{Value: "", JA: "（未記入）", EN: "(not given)"}}
		for _, sv := range mamori.Severities {
			create.Severities = append(create.Severities, labelled{Value: sv.Code, JA: sv.JA, EN: sv.EN, Selected: sv.Code == create.Severity})
		}
		view.Create = create
	}
	return s.render(w, r, status, "incidents.html", l.MustT("incident.title"), "incidents", view)
}

func splitCodes(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == ' ' || r == '、' || r == '\n' || r == '\r' })
}

func (s *server) incidentCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	if !s.wf.MayCreate(u, workflow.IncidentKind) {
		return mamori.Errorf(mamori.Forbidden, "この操作を行う役割が付与されていません", "your roles do not allow this")
	}
	f := func(name string, n int) string { return clip(strings.TrimSpace(r.PostFormValue(name)), n) }
	c := &incCreateView{Org: f("org", 64), Class: f("class", 64), Severity: f("severity", 16),
		OccurredOn: f("occurred_on", 16), OccurredTime: f("occurred_time", 8), DetectedOn: f("detected_on", 16),
		DetectedTime: f("detected_time", 8), SystemCode: f("system", 64), Systems: f("systems", 2000), AffectedOrg: f("orgs", 2000),
		Summary: f("summary", workflow.MaxSubject), DueOn: f("due_on", 16)}
	it, err := s.wf.OpenIncident(r.Context(), u, workflow.NewIncident{OrgCode: c.Org, Class: c.Class, Severity: c.Severity,
		OccurredOn: c.OccurredOn, OccurredTime: c.OccurredTime, DetectedOn: c.DetectedOn, DetectedTime: c.DetectedTime,
		SystemCode: c.SystemCode, Systems: splitCodes(c.Systems), Orgs: splitCodes(c.AffectedOrg), Summary: c.Summary,
		DueOn: c.DueOn, Comment: f("comment", workflow.MaxComment)})
	if err != nil {
		status, ok := refusalStatus(err)
		if !ok {
			return err
		}
		c.Message, c.MessageEN = s.refusalText(r, err)
		return s.renderIncidentList(w, r, status, c)
	}
	http.Redirect(w, r, incidentURL(it.Details[workflow.DetailIncident])+"?done=created", http.StatusSeeOther)
	return nil
}

type incStep struct {
	JA, EN, On, At string
}

type incItemView struct {
	In          store.Incident
	Class       labelled
	Severity    labelled
	OrgName     string
	Steps       []incStep
	Systems     []incLink
	Orgs        []incLink
	Item        *wfRow
	State       labelled
	Done        string
	WorkflowURL string
}

type incLink struct{ Code, Name, URL string }

func (s *server) incidentPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	code := r.PathValue("code")
	in, err := s.store.IncidentIn(ctx, code, scopeOrgs(viewerOf(ctx)))
	notFound := mamori.Errorf(mamori.NotFound, "インシデント「%s」はありません", "no incident %q", mamori.Excerpt(code))
	if mamori.KindOf(err) == mamori.NotFound {
		return notFound
	} else if err != nil {
		return err
	}
	v := viewerOf(ctx)
	if v == nil || (!v.all && !v.scope.Allows(in.OrgCode)) {
		return notFound // another ministry's incident is not shown to exist
	}
	classes, _, err := s.classLabels(r)
	if err != nil {
		return err
	}
	view := incItemView{In: in, Class: classes[in.Class]}
	if view.Class.Value == "" {
		view.Class = labelled{Value: in.Class, JA: in.Class, EN: in.Class}
	}
	for _, sv := range mamori.Severities {
		if sv.Code == in.Severity {
			view.Severity = labelled{Value: sv.Code, JA: sv.JA, EN: sv.EN}
		}
	}
	get := map[string][2]string{"occurred_on": {in.OccurredOn, in.OccurredTime}, "detected_on": {in.DetectedOn, in.DetectedTime},
		"reported_on": {in.ReportedOn, in.ReportedTime}, "contained_on": {in.ContainedOn, in.ContainedTime},
		"recovered_on": {in.RecoveredOn, in.RecoveredTime}, "closed_on": {in.ClosedOn, ""}}
	for _, st := range mamori.IncidentTimeline {
		g := get[st.Date]
		view.Steps = append(view.Steps, incStep{JA: st.JA, EN: st.EN, On: g[0], At: g[1]})
	}
	orgCodes := append([]string{in.OrgCode}, in.Orgs...)
	names, err := s.visibleNames(r, organizations, orgCodes...)
	if err != nil {
		return err
	}
	view.OrgName = names[in.OrgCode]
	for _, o := range in.Orgs {
		view.Orgs = append(view.Orgs, incLink{Code: o, Name: names[o]})
	}
	for _, sc := range in.Systems {
		view.Systems = append(view.Systems, incLink{Code: sc, URL: "/systems/" + urlPathEscape(sc)})
	}
	items, err := s.incidentItems(r, []string{in.OrgCode})
	if err != nil {
		return err
	}
	it := items[in.Code]
	view.State = incidentState(it)
	if it != nil {
		row := s.wfRow(r, *it, names, s.wf.Today())
		view.Item = &row
		view.WorkflowURL = workflowURL(it.ID)
	}
	if r.URL.Query().Get("done") == "created" {
		view.Done = s.loc(r).MustT("incident.done.created")
	}
	return s.render(w, r, http.StatusOK, "incident.html", in.Code, "incidents", view)
}
