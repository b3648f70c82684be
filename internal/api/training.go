package api

import (
	"net/http"
	"strconv"

	"mamori"
	"mamori/internal/store"
)

// The training routes (issue 15 item 5): the courses of the education plan
// within the caller's organizations with their attendance and
// comprehension rates, per organization and fiscal year and in total, and
// one course with the people who must take it. A course of an organization
// outside the caller's grants answers 404 like a missing one.

func (s *server) trainingRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/training", s.authed(s.trainingList))
	mux.Handle("GET /api/v1/training/{code}", s.authed(s.trainingItem))
}

// TrainingCounts are the counts of a course or of a set of courses. The
// rates are in tenths of a percent and left out when nobody is recorded
// as having to attend: an unknown rate, not a rate of zero.
type TrainingCounts struct {
	Required           int64  `json:"required"`
	Attended           int64  `json:"attended"`
	Tested             int64  `json:"tested"`
	Passed             int64  `json:"passed"`
	AttendancePermille *int64 `json:"attendance_permille,omitempty"`
	PassPermille       *int64 `json:"pass_permille,omitempty"`
}

func rate(part, whole int64) *int64 {
	r := store.Rate(part, whole)
	if r < 0 {
		return nil
	}
	return &r
}

// TrainingCourse is one course as the API lists it.
type TrainingCourse struct {
	Code           string `json:"code"`
	OrgCode        string `json:"org_code"`
	FiscalYear     int64  `json:"fiscal_year"`
	Kind           string `json:"kind"`
	Title          string `json:"title"`
	PlanCode       string `json:"plan_code,omitempty"`
	DeliveredFrom  string `json:"delivered_from,omitempty"`
	DeliveredUntil string `json:"delivered_until,omitempty"`
	PassScore      *int64 `json:"pass_score,omitempty"`
	Delivered      bool   `json:"delivered"`
	// Judged: the register says who must attend, so the counts are rates.
	Judged bool `json:"judged"`
	TrainingCounts
	Others int64 `json:"others"`
}

func courseOf(c store.TrainingCourse) TrainingCourse {
	out := TrainingCourse{Code: c.Code, OrgCode: c.OrgCode, FiscalYear: c.FiscalYear, Kind: c.Kind, Title: c.Title, PlanCode: c.PlanCode,
		DeliveredFrom: c.DeliveredFrom, DeliveredUntil: c.DeliveredUntil, PassScore: c.PassScore, Delivered: c.Delivered, Judged: c.Judged(),
		Others:         c.Others,
		TrainingCounts: TrainingCounts{Required: c.Required, Attended: c.Attended, Tested: c.Tested, Passed: c.Passed}}
	if c.Judged() {
		out.AttendancePermille = rate(c.Attended, c.Required)
		if c.HasTest() {
			out.PassPermille = rate(c.Passed, c.Required)
		}
	}
	return out
}

// TrainingTotals are the counts of an organization's courses in a fiscal
// year, or of every course listed.
type TrainingTotals struct {
	OrgCode    string `json:"org_code,omitempty"`
	FiscalYear int64  `json:"fiscal_year,omitempty"`
	Courses    int64  `json:"courses"`
	Delivered  int64  `json:"delivered"`
	Judged     int64  `json:"judged"`
	TrainingCounts
}

func totalsOf(t store.TrainingTotals) TrainingTotals {
	return TrainingTotals{OrgCode: t.OrgCode, FiscalYear: t.FiscalYear, Courses: t.Courses, Delivered: t.Delivered, Judged: t.Judged,
		TrainingCounts: TrainingCounts{Required: t.Required, Attended: t.Attended, Tested: t.Tested, Passed: t.Passed,
			AttendancePermille: rate(t.Attended, t.Required), PassPermille: rate(t.Passed, t.TestRequired)}}
}

// TrainingList is the courses within the caller's organizations.
type TrainingList struct {
	Courses       []TrainingCourse `json:"courses"`
	Organizations []TrainingTotals `json:"organizations"`
	Total         TrainingTotals   `json:"total"`
}

// trainingList lists the courses of the caller's organizations (of one
// organization's subtree with org, of one fiscal year with fiscal_year).
func (s *server) trainingList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	f := store.TrainingFilter{}
	if v := r.URL.Query().Get("fiscal_year"); v != "" {
		fy, err := strconv.ParseInt(v, 10, 64)
		if err != nil || fy < 1900 || fy > 2200 {
			return nil, mamori.Errorf(mamori.Invalid, "パラメータ「fiscal_year」は年度（西暦4桁）です", "parameter fiscal_year: want a fiscal year such as 2025")
		}
		f.FiscalYear = fy
	}
	orgs, err := s.workflowOrgs(r, c)
	if err != nil {
		return nil, err
	}
	f.Orgs = orgs
	m, err := s.st.TrainingMetrics(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := TrainingList{Courses: []TrainingCourse{}, Organizations: []TrainingTotals{}, Total: totalsOf(m.Total)}
	for _, c := range m.Courses {
		out.Courses = append(out.Courses, courseOf(c))
	}
	for _, t := range m.ByOrg {
		out.Organizations = append(out.Organizations, totalsOf(t))
	}
	return out, nil
}

// TrainingRequirement says who must take a course.
type TrainingRequirement struct {
	OrgCode string `json:"org_code"`
	Role    string `json:"role,omitempty"`
}

// TrainingPerson is one person of a course.
type TrainingPerson struct {
	PersonCode string `json:"person_code"`
	Name       string `json:"name"`
	OrgCode    string `json:"org_code"`
	Status     string `json:"status"`
	Required   bool   `json:"required"`
	AttendedOn string `json:"attended_on,omitempty"`
	TestTaken  *bool  `json:"test_taken,omitempty"`
	Score      *int64 `json:"score,omitempty"`
	Passed     *bool  `json:"passed,omitempty"`
}

// TrainingDetail is one course with who must take it and who attended.
type TrainingDetail struct {
	TrainingCourse
	Requirements []TrainingRequirement `json:"requirements"`
	People       []TrainingPerson      `json:"people"`
}

func (s *server) trainingItem(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	var orgs []string
	if !c.scope.Whole() {
		if orgs = c.scope.Orgs(); orgs == nil {
			orgs = []string{}
		}
	}
	course, people, err := s.st.TrainingCourse(r.Context(), r.PathValue("code"), orgs)
	if err != nil {
		return nil, err
	}
	out := TrainingDetail{TrainingCourse: courseOf(course), Requirements: []TrainingRequirement{}, People: []TrainingPerson{}}
	for _, rq := range course.Requirements {
		out.Requirements = append(out.Requirements, TrainingRequirement{OrgCode: rq.OrgCode, Role: rq.Role})
	}
	for _, p := range people {
		if !c.scope.Whole() && !c.scope.Allows(p.OrgCode) {
			continue // a requirement set above the caller's organizations names others' staff too
		}
		out.People = append(out.People, TrainingPerson{PersonCode: p.PersonCode, Name: p.Name, OrgCode: p.OrgCode, Status: p.Status,
			Required: p.Required, AttendedOn: p.AttendedOn, TestTaken: p.TestTaken, Score: p.Score, Passed: p.Passed})
	}
	return out, nil
}
