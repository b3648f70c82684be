package store

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"mamori"
)

// Training under the education plan (統一基準 2.2.3): the courses of the
// register's training_courses, who must take each (training_requirements:
// an organization subtree, optionally one role) and what each person did
// (training_attendance). Seed 004 asked for outcomes, not essays: how many
// of the people who must be trained were, and how many understood. The
// counts are worked out here once, for the pages, the API, the reports and
// the organization-year view of the checks (PLN-07, PLN-08).

// TrainingRequirement says who must take a course: the people of an
// organization and its subtree, only those holding Role when it is set.
type TrainingRequirement struct {
	OrgCode string `json:"org_code"`
	Role    string `json:"role,omitempty"`
}

// TrainingCourse is one course with its counts over the people who must
// take it.
type TrainingCourse struct {
	Code           string                `json:"code"`
	OrgCode        string                `json:"org_code"`
	OrgName        string                `json:"org_name"`
	Kind           string                `json:"kind"`
	Title          string                `json:"title"`
	PlanCode       string                `json:"plan_code,omitempty"`
	FiscalYear     int64                 `json:"fiscal_year"`
	DeliveredFrom  string                `json:"delivered_from,omitempty"`
	DeliveredUntil string                `json:"delivered_until,omitempty"`
	PassScore      *int64                `json:"pass_score,omitempty"` // nil: no comprehension test
	Requirements   []TrainingRequirement `json:"requirements"`
	// Required counts the people who must take the course: the active
	// staff its requirements name, and anyone so named who attended before
	// leaving. Nothing recorded says who must attend when Requirements is
	// empty, and then the rates are unknown, not zero.
	Required int64 `json:"required"`
	// Attended, Tested and Passed count people among Required: attended
	// (a date), took the comprehension test, passed it (as recorded, else
	// the score against the pass mark).
	Attended int64 `json:"attended"`
	Tested   int64 `json:"tested"`
	Passed   int64 `json:"passed"`
	// Others attended without being required.
	Others int64 `json:"others"`
	// Delivered: the course has a delivery date or someone attended it.
	Delivered bool `json:"delivered"`
}

// HasTest reports whether the course has a comprehension test.
func (c *TrainingCourse) HasTest() bool { return c.PassScore != nil }

// Judged reports whether the register says who must attend, so the rates
// mean something.
func (c *TrainingCourse) Judged() bool { return len(c.Requirements) > 0 && c.Required > 0 }

// TrainingAttendee is one person of a course: required, attending, or both.
type TrainingAttendee struct {
	PersonCode, Name, OrgCode, Status string
	Required                          bool
	Recorded                          bool // an attendance row exists
	AttendedOn                        string
	TestTaken                         *bool
	Score                             *int64
	Passed                            *bool // as recorded, else from the score and the pass mark; nil: unknown
}

// TrainingFilter narrows the courses read.
type TrainingFilter struct {
	FiscalYear int64    // 0: every year
	Code       string   // one course
	Orgs       []string // the course's organization must be one of these; nil: any
}

// trainingData is everything the counts are computed from.
type trainingData struct {
	tree    *orgTree
	names   map[string]string
	courses []*TrainingCourse
	reqs    map[string][]TrainingRequirement
	people  map[string]*TrainingAttendee // by person code: org, status, name
	byOrg   map[string][]string          // active people by organization
	roles   map[string]map[string][]string
	attend  map[string][]*TrainingAttendee // by course: the attendance rows
}

func (s *Store) loadTraining(ctx context.Context, f TrainingFilter, withPeople bool) (*trainingData, error) {
	d := &trainingData{names: map[string]string{}, reqs: map[string][]TrainingRequirement{}, people: map[string]*TrainingAttendee{},
		byOrg: map[string][]string{}, roles: map[string]map[string][]string{}, attend: map[string][]*TrainingAttendee{}}
	var err error
	if d.tree, err = s.loadOrgTree(ctx); err != nil {
		return nil, err
	}
	if err := s.each(ctx, `SELECT code, name FROM organizations`, nil, func(r []any) { d.names[str(r[0])] = str(r[1]) }); err != nil {
		return nil, err
	}
	var conds []string
	var args []any
	if f.FiscalYear != 0 {
		args = append(args, f.FiscalYear)
		conds = append(conds, fmt.Sprintf("fiscal_year = $%d", len(args)))
	}
	if f.Code != "" {
		args = append(args, f.Code)
		conds = append(conds, fmt.Sprintf("code = $%d", len(args)))
	}
	q := `SELECT code, org_code, fiscal_year, kind, title, plan_code, delivered_from, delivered_until, pass_score FROM training_courses`
	if len(conds) > 0 {
		q += " WHERE " + strings.Join(conds, " AND ")
	}
	var allow map[string]bool
	if f.Orgs != nil {
		allow = map[string]bool{}
		for _, o := range f.Orgs {
			allow[o] = true
		}
	}
	err = s.each(ctx, q+" ORDER BY fiscal_year, org_code, code", args, func(r []any) {
		if allow != nil && !allow[str(r[1])] {
			return
		}
		c := &TrainingCourse{Code: str(r[0]), OrgCode: str(r[1]), FiscalYear: i64(r[2]), Kind: str(r[3]), Title: str(r[4]),
			PlanCode: str(r[5]), DeliveredFrom: str(r[6]), DeliveredUntil: str(r[7])}
		c.OrgName = d.names[c.OrgCode]
		if r[8] != nil {
			n := i64(r[8])
			c.PassScore = &n
		}
		c.Delivered = c.DeliveredFrom != "" || c.DeliveredUntil != ""
		d.courses = append(d.courses, c)
	})
	if err != nil || len(d.courses) == 0 {
		return d, err
	}
	want := map[string]bool{}
	for _, c := range d.courses {
		want[c.Code] = true
	}
	// The course filter again, so a page of one year or one course does
	// not read every year's attendance.
	sub := "SELECT code FROM training_courses"
	if len(conds) > 0 {
		sub += " WHERE " + strings.Join(conds, " AND ")
	}
	err = s.each(ctx, `SELECT course_code, org_code, role FROM training_requirements WHERE course_code IN (`+sub+`) ORDER BY course_code, org_code`, args, func(r []any) {
		if want[str(r[0])] {
			d.reqs[str(r[0])] = append(d.reqs[str(r[0])], TrainingRequirement{OrgCode: str(r[1]), Role: str(r[2])})
		}
	})
	if err != nil {
		return nil, err
	}
	err = s.each(ctx, `SELECT course_code, person_code, attended_on, test_taken, score, passed FROM training_attendance
		WHERE course_code IN (`+sub+`) ORDER BY course_code, person_code`, args,
		func(r []any) {
			if !want[str(r[0])] {
				return
			}
			a := &TrainingAttendee{PersonCode: str(r[1]), Recorded: true, AttendedOn: str(r[2])}
			if b, ok := boolean(r[3]).(bool); ok {
				a.TestTaken = &b
			}
			if r[4] != nil {
				n := i64(r[4])
				a.Score = &n
			}
			if b, ok := boolean(r[5]).(bool); ok {
				a.Passed = &b
			}
			d.attend[str(r[0])] = append(d.attend[str(r[0])], a)
		})
	if err != nil {
		return nil, err
	}
	if !withPeople && len(d.reqs) == 0 {
		return d, nil
	}
	err = s.each(ctx, `SELECT code, org_code, name, status FROM people`, nil, func(r []any) {
		p := &TrainingAttendee{PersonCode: str(r[0]), OrgCode: str(r[1]), Name: str(r[2]), Status: str(r[3])}
		d.people[p.PersonCode] = p
		if p.Status == "active" {
			d.byOrg[p.OrgCode] = append(d.byOrg[p.OrgCode], p.PersonCode)
		}
	})
	if err != nil {
		return nil, err
	}
	// Role holders by role and organization: a requirement naming a role
	// takes those who hold it in the subtree.
	err = s.each(ctx, `SELECT role, org_code, person_code FROM role_assignments`, nil, func(r []any) {
		m := d.roles[str(r[0])]
		if m == nil {
			m = map[string][]string{}
			d.roles[str(r[0])] = m
		}
		m[str(r[1])] = append(m[str(r[1])], str(r[2]))
	})
	return d, err
}

// obliged lists the organizations a requirement at code names: code and
// every organization under it, except that a body's requirement stops at
// the bodies under it (a prefecture's course does not oblige its
// municipalities, as its plan does not cover them); a requirement at the
// government, or at a unit that is no body, takes its whole subtree.
func (t *orgTree) obliged(code string) []string {
	out := []string{code}
	seen := map[string]bool{code: true}
	stop := t.isBody(code)
	for i := 0; i < len(out); i++ {
		for _, c := range t.children[out[i]] {
			if stop && t.isBody(c) {
				continue
			}
			if !seen[c] {
				seen[c] = true
				out = append(out, c)
			}
		}
	}
	return out
}

// bodyOf returns the body an organization answers through: itself when it
// is one, else its nearest ancestor that is (a ministry for its central
// offices and branches); itself when none is.
func (t *orgTree) bodyOf(code string) string {
	for p, n := code, 0; p != "" && n < 16; p, n = t.parent[p], n+1 {
		if t.isBody(p) {
			return p
		}
	}
	return code
}

// required returns the people a course's requirements name.
func (d *trainingData) required(c *TrainingCourse) map[string]bool {
	out := map[string]bool{}
	for _, rq := range c.Requirements {
		orgs := d.tree.obliged(rq.OrgCode)
		in := map[string]bool{}
		for _, o := range orgs {
			in[o] = true
		}
		if rq.Role == "" {
			for _, o := range orgs {
				for _, p := range d.byOrg[o] {
					out[p] = true
				}
			}
		} else {
			for _, o := range orgs {
				for _, p := range d.roles[rq.Role][o] {
					if pp := d.people[p]; pp != nil && pp.Status == "active" {
						out[p] = true
					}
				}
			}
		}
		// Someone named who attended and has since left or moved still
		// counts: they were staff when the course was held.
		for _, a := range d.attend[c.Code] {
			pp := d.people[a.PersonCode]
			if pp == nil || out[a.PersonCode] || a.AttendedOn == "" || !in[pp.OrgCode] {
				continue
			}
			if rq.Role == "" || slices.Contains(d.roles[rq.Role][pp.OrgCode], a.PersonCode) {
				out[a.PersonCode] = true
			}
		}
	}
	return out
}

// passed decides whether an attendee passed: as recorded, else by the
// score against the course's pass mark; nil when neither says.
func passed(c *TrainingCourse, a *TrainingAttendee) *bool {
	if a.Passed != nil {
		return a.Passed
	}
	if a.Score != nil && c.PassScore != nil {
		b := *a.Score >= *c.PassScore
		return &b
	}
	return nil
}

// count fills a course's requirements and counts.
func (d *trainingData) count(c *TrainingCourse) map[string]bool {
	c.Requirements = d.reqs[c.Code]
	req := d.required(c)
	c.Required = int64(len(req))
	for _, a := range d.attend[c.Code] {
		if a.AttendedOn == "" {
			continue
		}
		c.Delivered = true
		if !req[a.PersonCode] {
			c.Others++
			continue
		}
		c.Attended++
		if (a.TestTaken != nil && *a.TestTaken) || a.Score != nil {
			c.Tested++
		}
		if p := passed(c, a); p != nil && *p {
			c.Passed++
		}
	}
	return req
}

// TrainingCourses returns the courses the filter selects with their counts,
// by fiscal year, organization and code.
func (s *Store) TrainingCourses(ctx context.Context, f TrainingFilter) ([]TrainingCourse, error) {
	d, err := s.loadTraining(ctx, f, false)
	if err != nil {
		return nil, fmt.Errorf("store: training courses: %w", err)
	}
	out := make([]TrainingCourse, 0, len(d.courses))
	for _, c := range d.courses {
		d.count(c)
		out = append(out, *c)
	}
	return out, nil
}

// TrainingCourse returns one course with its counts and its people: those
// who must take it and those who attended, by organization and code.
// NotFound when no such course is in orgs (nil: any).
func (s *Store) TrainingCourse(ctx context.Context, code string, orgs []string) (TrainingCourse, []TrainingAttendee, error) {
	d, err := s.loadTraining(ctx, TrainingFilter{Code: code, Orgs: orgs}, true)
	if err != nil {
		return TrainingCourse{}, nil, fmt.Errorf("store: training course: %w", err)
	}
	if len(d.courses) == 0 {
		return TrainingCourse{}, nil, mamori.Errorf(mamori.NotFound, "研修「%s」はありません", "no training course %q", code)
	}
	c := d.courses[0]
	req := d.count(c)
	by := map[string]*TrainingAttendee{}
	for p := range req {
		if pp := d.people[p]; pp != nil {
			a := *pp
			a.Required = true
			by[p] = &a
		}
	}
	for _, a := range d.attend[c.Code] {
		x := by[a.PersonCode]
		if x == nil {
			x = &TrainingAttendee{PersonCode: a.PersonCode}
			if pp := d.people[a.PersonCode]; pp != nil {
				x.Name, x.OrgCode, x.Status = pp.Name, pp.OrgCode, pp.Status
			}
			by[a.PersonCode] = x
		}
		x.Recorded, x.AttendedOn, x.TestTaken, x.Score, x.Passed = true, a.AttendedOn, a.TestTaken, a.Score, passed(c, a)
	}
	people := make([]TrainingAttendee, 0, len(by))
	for _, a := range by {
		people = append(people, *a)
	}
	slices.SortFunc(people, func(a, b TrainingAttendee) int {
		return strings.Compare(a.OrgCode+"\x00"+a.PersonCode, b.OrgCode+"\x00"+b.PersonCode)
	})
	return *c, people, nil
}

// TrainingYears lists the fiscal years any course was recorded for, newest first.
func (s *Store) TrainingYears(ctx context.Context) ([]int64, error) {
	var out []int64
	err := s.each(ctx, `SELECT DISTINCT fiscal_year FROM training_courses ORDER BY fiscal_year DESC`, nil, func(r []any) { out = append(out, i64(r[0])) })
	if err != nil {
		return nil, fmt.Errorf("store: training years: %w", err)
	}
	return out, nil
}

// trainingYear is what the organization-year view reads of one body's
// training in one fiscal year: every course of the body (its own and its
// offices' and branches', as coveredBy attributes plans), how many were
// delivered, and the counts of those whose register says who must attend.
type trainingYear struct {
	courses, delivered int64
	judged             []map[string]any
}

// trainingDerived computes, per organization and fiscal year, what
// PLN-07 and PLN-08 read.
func (s *Store) trainingDerived(ctx context.Context, d *viewData) error {
	if !d.need("courses_delivered") && !d.need("training_course_count") && !d.need("training_courses") {
		return nil
	}
	td, err := s.loadTraining(ctx, TrainingFilter{}, false)
	if err != nil {
		return fmt.Errorf("training: %w", err)
	}
	d.trainingFY = map[string]map[int64]*trainingYear{}
	for _, c := range td.courses {
		td.count(c)
		for _, o := range td.tree.coveredBy(c.OrgCode) {
			m := d.trainingFY[o]
			if m == nil {
				m = map[int64]*trainingYear{}
				d.trainingFY[o] = m
			}
			y := m[c.FiscalYear]
			if y == nil {
				y = &trainingYear{}
				m[c.FiscalYear] = y
			}
			y.courses++
			if c.Delivered {
				y.delivered++
			}
			if c.Judged() {
				y.judged = append(y.judged, map[string]any{"code": c.Code, "kind": c.Kind, "required": c.Required,
					"attended": c.Attended, "tested": c.Tested, "passed": c.Passed, "has_test": c.HasTest()})
			}
		}
	}
	return nil
}

// setTrainingFY puts one organization-year's training values into its
// row; they stay absent (未確認) when the year has no course recorded, or
// none whose register says who must attend.
func (d *viewData) setTrainingFY(code string, fy int64, vals []any) {
	y := d.trainingFY[code][fy]
	if y == nil {
		return
	}
	if i := d.v.Field("training_course_count"); i >= 0 {
		vals[i] = y.courses
	}
	if i := d.v.Field("courses_delivered"); i >= 0 {
		vals[i] = y.delivered
	}
	if i := d.v.Field("training_courses"); i >= 0 && len(y.judged) > 0 {
		vals[i] = y.judged
	}
}

// TrainingTotals are the counts of a set of courses: per organization and
// fiscal year, or the whole government's. Required, Attended, Tested and
// Passed sum the courses that say who must attend (Judged of them); the
// others are counted in Courses only, since their rates are unknown.
type TrainingTotals struct {
	OrgCode, OrgName                     string // "" for the whole government
	FiscalYear                           int64
	Courses, Delivered, Judged, WithTest int64
	Required, Attended, Tested, Passed   int64
	// TestRequired is Required over the courses with a comprehension test:
	// the pass rate's denominator.
	TestRequired int64
}

// Rate is part over whole in tenths of a percent (permille), rounded down;
// -1 when whole is zero: no rate, not a rate of zero.
func Rate(part, whole int64) int64 {
	if whole <= 0 {
		return -1
	}
	return part * 1000 / whole
}

// AttendancePermille is the attendance rate of the people who must attend.
func (t TrainingTotals) AttendancePermille() int64 { return Rate(t.Attended, t.Required) }

// PassPermille is the share of the people who must take a tested course
// who passed its test.
func (t TrainingTotals) PassPermille() int64 { return Rate(t.Passed, t.TestRequired) }

func (t *TrainingTotals) add(c *TrainingCourse) {
	t.Courses++
	if c.Delivered {
		t.Delivered++
	}
	if !c.Judged() {
		return
	}
	t.Judged++
	t.Required += c.Required
	t.Attended += c.Attended
	t.Tested += c.Tested
	if c.HasTest() {
		t.WithTest++
		t.TestRequired += c.Required
		t.Passed += c.Passed
	}
}

// TrainingMetrics are the counts of the courses a filter selects: each
// course, each organization-year (courses counted at the body they belong
// to, as plans are, when the filter's organizations hold it) and the total over them all, which for a central
// body's whole scope is the government-wide figure.
type TrainingMetrics struct {
	Courses []TrainingCourse
	ByOrg   []TrainingTotals // by fiscal year, then organization code
	Total   TrainingTotals
}

// TrainingMetrics counts the courses the filter selects.
func (s *Store) TrainingMetrics(ctx context.Context, f TrainingFilter) (TrainingMetrics, error) {
	d, err := s.loadTraining(ctx, f, false)
	if err != nil {
		return TrainingMetrics{}, fmt.Errorf("store: training metrics: %w", err)
	}
	m := TrainingMetrics{Courses: make([]TrainingCourse, 0, len(d.courses)), Total: TrainingTotals{FiscalYear: f.FiscalYear}}
	var allow map[string]bool
	if f.Orgs != nil {
		allow = map[string]bool{}
		for _, o := range f.Orgs {
			allow[o] = true
		}
	}
	by := map[[2]string]*TrainingTotals{}
	for _, c := range d.courses {
		d.count(c)
		m.Courses = append(m.Courses, *c)
		m.Total.add(c)
		body := d.tree.bodyOf(c.OrgCode)
		if allow != nil && !allow[body] {
			// A viewer granted on an office, not its ministry: the
			// office's own line, naming nothing outside the grant.
			body = c.OrgCode
		}
		k := [2]string{body, fmt.Sprint(c.FiscalYear)}
		t := by[k]
		if t == nil {
			t = &TrainingTotals{OrgCode: body, OrgName: d.names[body], FiscalYear: c.FiscalYear}
			by[k] = t
		}
		t.add(c)
	}
	for _, t := range by {
		m.ByOrg = append(m.ByOrg, *t)
	}
	slices.SortFunc(m.ByOrg, func(a, b TrainingTotals) int {
		if a.FiscalYear != b.FiscalYear {
			return int(a.FiscalYear - b.FiscalYear)
		}
		return strings.Compare(a.OrgCode, b.OrgCode)
	})
	return m, nil
}
