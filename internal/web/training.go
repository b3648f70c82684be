package web

import (
	"html/template"
	"net/http"
	"slices"
	"strconv"

	"mamori"
	"mamori/internal/chart"
	"mamori/internal/store"
)

// The training pages (issue 15 item 5): the courses of the education plan
// within the viewer's organizations for one fiscal year, with attendance
// and comprehension rates per body and in total (seed 004: outcomes, not
// the plan's existence), and one course with who must take it and who
// attended and passed. A course outside the viewer's organizations
// answers 404 like a missing one.

func (s *server) trainingRoutes(mux *http.ServeMux) {
	mux.Handle("GET /training", s.handle(s.trainingList))
	mux.Handle("GET /training/{code}", s.handle(s.trainingPage))
}

// trainingRate is a rate as the pages show it: empty when unknown, and
// whether it falls below the catalog's threshold.
type trainingRate struct {
	Text  string
	Below bool
}

// thresholds are PLN-08's parameters in permille, as the checks use them:
// the catalog's values with a deployment's overrides (catalog set).
type thresholds map[string]int64

func (s *server) trainingThresholds(r *http.Request) (thresholds, error) {
	out := thresholds{}
	ctl := s.control("PLN-08")
	if ctl == nil {
		return out, nil
	}
	vals := map[string]string{}
	for id, p := range ctl.Params {
		vals[id] = p.Value
	}
	ovs, err := s.store.ParamOverrides(r.Context())
	if err != nil {
		return nil, err
	}
	for _, o := range ovs {
		if o.CatalogID == ctl.Catalog && o.ControlID == ctl.ID {
			vals[o.ParamID] = o.Value
		}
	}
	for id, v := range vals {
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			out[id] = n * 10
		}
	}
	return out, nil
}

func (th thresholds) rate(part, whole int64, param string) trainingRate {
	r := store.Rate(part, whole)
	if r < 0 {
		return trainingRate{}
	}
	out := trainingRate{Text: strconv.FormatInt(r/10, 10) + "." + strconv.FormatInt(r%10, 10) + "%"}
	if min, ok := th[param]; ok {
		out.Below = r < min
	}
	return out
}

// trainingRow is one line of a table: a body's year or a course.
type trainingRow struct {
	Code, Name, URL, Kind, Title                string
	Courses, Delivered, Judged                  int64
	Required, Attended, Passed                  int64
	Attendance, Pass                            trainingRate
	DeliveredOn                                 string
	IsDelivered, IsJudged, HasTest, HasRequired bool
}

type trainingYearLink struct {
	Year    int
	URL     string
	Current bool
}

type trainingListView struct {
	Year                     int
	Years                    []trainingYearLink
	Org                      string
	Total                    trainingRow
	Orgs                     []trainingRow
	Courses                  []trainingRow
	Chart                    template.HTML
	MinAttendance, MinPass   string
	Undelivered, Unjudged    int64
	HasData                  bool
	CoursesTotal, OrgsTotals int
}

func trainingListURL(fy int64, org string) string {
	u := "/training?fy=" + strconv.FormatInt(fy, 10)
	if org != "" {
		u += "&org=" + org
	}
	return u
}

// trainingScope returns the organizations the viewer's list covers: the
// viewer's (nil for the whole government), narrowed to org's subtree.
func (s *server) trainingScope(r *http.Request, org string) ([]string, error) {
	v := viewerOf(r.Context())
	var orgs []string
	if !v.all {
		if orgs = v.scope.Orgs(); orgs == nil {
			orgs = []string{}
		}
	}
	if org == "" {
		return orgs, nil
	}
	if !mayView(r, org) {
		return nil, mamori.Errorf(mamori.NotFound, "組織「%s」は見つかりません", "no organization %q", clip(org, 40))
	}
	sub, err := s.store.Subtree(r.Context(), org)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for o := range sub {
		if mayView(r, o) {
			out = append(out, o)
		}
	}
	slices.Sort(out)
	return out, nil
}

func (s *server) trainingList(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.i18n.For(langOf(ctx))
	q := r.URL.Query()
	org, err := textParam(q, "org")
	if err != nil {
		return err
	}
	orgs, err := s.trainingScope(r, org)
	if err != nil {
		return err
	}
	years, err := s.store.TrainingYears(ctx)
	if err != nil {
		return err
	}
	view := trainingListView{Org: org}
	if len(years) > 0 {
		view.Year = int(years[0])
	}
	if v := q.Get("fy"); v != "" {
		fy, err := strconv.ParseInt(v, 10, 64)
		if err != nil || fy < 1900 || fy > 2200 {
			return mamori.Errorf(mamori.Invalid, "パラメータ「fy」は年度（西暦4桁）です", "parameter fy: want a fiscal year such as 2025")
		}
		view.Year = int(fy)
	}
	for _, y := range years {
		view.Years = append(view.Years, trainingYearLink{Year: int(y), URL: trainingListURL(y, org), Current: int(y) == view.Year})
	}
	th, err := s.trainingThresholds(r)
	if err != nil {
		return err
	}
	view.MinAttendance, view.MinPass = strconv.FormatInt(th["min_attendance_percent"]/10, 10), strconv.FormatInt(th["min_pass_percent"]/10, 10)
	if view.Year == 0 {
		return s.render(w, r, http.StatusOK, "training.html", l.MustT("training.title"), "training", view)
	}
	m, err := s.store.TrainingMetrics(ctx, store.TrainingFilter{FiscalYear: int64(view.Year), Orgs: orgs})
	if err != nil {
		return err
	}
	view.HasData = len(m.Courses) > 0
	view.Total = totalsRow(th, m.Total)
	c := chart.Stacked{Title: l.MustT("training.chart.title"), Series: []chart.Series{
		{Label: l.MustT("training.chart.passed"), Class: "s1"}, {Label: l.MustT("training.chart.attended"), Class: "s2"},
		{Label: l.MustT("training.chart.absent"), Class: "s3"}}}
	for _, t := range m.ByOrg {
		row := totalsRow(th, t)
		row.URL = trainingListURL(int64(view.Year), t.OrgCode)
		view.Orgs = append(view.Orgs, row)
		if t.Required > 0 {
			// Passed, attended without passing a test, absent: the
			// three add up to the people who must attend.
			passed := t.Passed
			c.Bars = append(c.Bars, chart.Bar{Label: t.OrgName, URL: row.URL,
				Title:  t.OrgName + l.Pick("：", ": ") + row.Attendance.Text,
				Values: []int{int(passed), int(t.Attended - passed), int(t.Required - t.Attended)}})
		}
	}
	if len(c.Bars) > 0 && len(c.Bars) <= 60 {
		if view.Chart, err = c.SVG("training-chart"); err != nil {
			return err
		}
	}
	for _, cr := range m.Courses {
		row := trainingRow{Code: cr.Code, Name: cr.OrgName, URL: "/training/" + cr.Code, Kind: trainingLabel(l.Pick, mamori.TrainingKinds, cr.Kind),
			Title: cr.Title, Required: cr.Required, Attended: cr.Attended, Passed: cr.Passed, DeliveredOn: cr.DeliveredFrom,
			IsDelivered: cr.Delivered, IsJudged: cr.Judged(), HasTest: cr.HasTest()}
		if cr.Judged() {
			row.Attendance = th.rate(cr.Attended, cr.Required, "min_attendance_percent")
			if cr.HasTest() {
				row.Pass = th.rate(cr.Passed, cr.Required, "min_pass_percent")
			}
		} else {
			view.Unjudged++
		}
		if !cr.Delivered {
			view.Undelivered++
		}
		view.Courses = append(view.Courses, row)
	}
	return s.render(w, r, http.StatusOK, "training.html", l.MustT("training.title"), "training", view)
}

func totalsRow(th thresholds, t store.TrainingTotals) trainingRow {
	return trainingRow{Code: t.OrgCode, Name: t.OrgName, Courses: t.Courses, Delivered: t.Delivered, Judged: t.Judged,
		Required: t.Required, Attended: t.Attended, Passed: t.Passed, HasRequired: t.Required > 0,
		Attendance: th.rate(t.Attended, t.Required, "min_attendance_percent"), Pass: th.rate(t.Passed, t.TestRequired, "min_pass_percent")}
}

// trainingLabel names an enum code in the page's language.
func trainingLabel(pick func(ja, en string) string, vs []mamori.EnumValue, code string) string {
	for _, v := range vs {
		if v.Code == code {
			return pick(v.JA, v.EN)
		}
	}
	return code
}

type trainingPerson struct {
	Code, Name, OrgCode, Status, AttendedOn string
	Required, Recorded                      bool
	Tested, Score, Passed                   string
}

type trainingPageView struct {
	Course       trainingRow
	OrgCode      string
	Year         int
	PlanCode     string
	Until        string
	PassScore    string
	Requirements []trainingRequirementRow
	People       []trainingPerson
	Others       int64
	ListURL      string
}

type trainingRequirementRow struct{ OrgCode, OrgName, Role string }

func (s *server) trainingPage(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := s.i18n.For(langOf(ctx))
	code := r.PathValue("code")
	v := viewerOf(ctx)
	var orgs []string
	if !v.all {
		if orgs = v.scope.Orgs(); orgs == nil {
			orgs = []string{}
		}
	}
	c, people, err := s.store.TrainingCourse(ctx, code, orgs)
	if err != nil {
		return err
	}
	th, err := s.trainingThresholds(r)
	if err != nil {
		return err
	}
	view := trainingPageView{OrgCode: c.OrgCode, Year: int(c.FiscalYear), PlanCode: c.PlanCode, Until: c.DeliveredUntil, Others: c.Others,
		ListURL: trainingListURL(c.FiscalYear, "")}
	view.Course = trainingRow{Code: c.Code, Name: c.OrgName, Kind: trainingLabel(l.Pick, mamori.TrainingKinds, c.Kind), Title: c.Title,
		Required: c.Required, Attended: c.Attended, Passed: c.Passed, DeliveredOn: c.DeliveredFrom, IsDelivered: c.Delivered,
		IsJudged: c.Judged(), HasTest: c.HasTest()}
	if c.Judged() {
		view.Course.Attendance = th.rate(c.Attended, c.Required, "min_attendance_percent")
		if c.HasTest() {
			view.Course.Pass = th.rate(c.Passed, c.Required, "min_pass_percent")
		}
	}
	if c.PassScore != nil {
		view.PassScore = strconv.FormatInt(*c.PassScore, 10)
	}
	var codes []string
	for _, rq := range c.Requirements {
		codes = append(codes, rq.OrgCode)
	}
	names, err := s.names(ctx, mamori.EntityByName("organizations"), codes...)
	if err != nil {
		return err
	}
	for _, rq := range c.Requirements {
		row := trainingRequirementRow{OrgCode: rq.OrgCode, OrgName: names[rq.OrgCode]}
		if rq.Role != "" {
			row.Role = trainingLabel(l.Pick, mamori.Roles, rq.Role)
		}
		view.Requirements = append(view.Requirements, row)
	}
	for _, p := range people {
		if !mayView(r, p.OrgCode) {
			continue // a requirement set above the viewer's organizations names others' staff too
		}
		tp := trainingPerson{Code: p.PersonCode, Name: p.Name, OrgCode: p.OrgCode, Status: trainingLabel(l.Pick, mamori.PersonStatuses, p.Status),
			AttendedOn: p.AttendedOn, Required: p.Required, Recorded: p.Recorded}
		if p.TestTaken != nil {
			tp.Tested = l.YesNo(*p.TestTaken)
		}
		if p.Score != nil {
			tp.Score = strconv.FormatInt(*p.Score, 10)
		}
		if p.Passed != nil {
			tp.Passed = l.YesNo(*p.Passed)
		}
		view.People = append(view.People, tp)
	}
	return s.render(w, r, http.StatusOK, "training_course.html", c.Title, "training", view)
}
