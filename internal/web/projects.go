package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"mamori"
	"mamori/internal/chart"
	"mamori/internal/i18n"
	"mamori/internal/store"
)

// The project pages (issue 15): the projects within the user's scope and
// one project's governance view, read only; their records are entered
// through the register editor and imports like any other.
func (s *server) projectRoutes(mux *http.ServeMux) {
	mux.Handle("GET /projects", s.handle(s.projectList))
	mux.Handle("GET /projects/{code}", s.handle(s.projectPage))
}

func projectURL(code string) string { return "/projects/" + url.PathEscape(code) }

type projectRow struct {
	store.ProjectSummary
	URL, Paid string
}

type projectsView struct{ Rows []projectRow }

func (s *server) projectList(w http.ResponseWriter, r *http.Request) error {
	l := s.loc(r)
	var orgs []string
	if v := viewerOf(r.Context()); v == nil {
		orgs = []string{}
	} else if !v.all {
		orgs = v.scope.Orgs()
	}
	ps, err := s.store.Projects(r.Context(), orgs)
	if err != nil {
		return err
	}
	var v projectsView
	for _, p := range ps {
		v.Rows = append(v.Rows, projectRow{ProjectSummary: p, URL: projectURL(p.Code), Paid: l.Money(p.Paid)})
	}
	return s.render(w, r, http.StatusOK, "projects.html", l.MustT("projects.title"), "projects", v)
}

// projectView is one project's page.
type projectView struct {
	store.ProjectDetail
	Paid     string
	Budget   []projectBudgetRow
	Contract []projectContractRow
	Records  []projectRecordRow
	Chart    any // template.HTML of the usage chart, or nil
	Findings []projectFindingRow
	Surveys  []projectSurveyRow
	EditURL  string
}

type projectSurveyRow struct {
	store.ProjectSurvey
	Answers []projectAnswerRow
}

type projectAnswerRow struct {
	store.ProjectAnswer
	Wish string // "" when the answer did not say
}

type projectBudgetRow struct {
	store.ProjectBudget
	FY, Kind, Amount, Carried string
}

type projectContractRow struct {
	store.ProjectContract
	Kind, Total, Ceiling string
	Payments             []projectPaymentRow
	Shares               []projectShareRow
}

type projectPaymentRow struct{ FY, Amount, Paid, PaidThrough string }

type projectShareRow struct {
	store.ProjectShare
	Amount, Paid string
	AfterRetired bool
}

type projectRecordRow struct {
	store.ProjectRecord
	Kind string
}

type projectFindingRow struct {
	store.ProjectFinding
	URL, Amount string
}

func enumText(l *i18n.Localizer, vs []mamori.EnumValue, code string) string {
	for _, v := range vs {
		if v.Code == code {
			return l.Pick(v.JA, v.EN)
		}
	}
	return code
}

func moneyPtr(l *i18n.Localizer, v *int64) string {
	if v == nil {
		return ""
	}
	return l.Money(*v)
}

func (s *server) projectPage(w http.ResponseWriter, r *http.Request) error {
	l := s.loc(r)
	code := r.PathValue("code")
	var d store.ProjectDetail
	found := false
	if utf8.ValidString(code) && !strings.ContainsFunc(code, unicode.IsControl) && len(code) <= 200 {
		var err error
		if d, found, err = s.store.ProjectIn(r.Context(), code, func(org string) bool { return mayView(r, org) }); err != nil {
			return err
		}
	}
	if !found || !mayView(r, d.OrgCode) {
		// Another organization's project answers as one that does not exist.
		return &mamori.Error{Kind: mamori.NotFound, MessageJA: fmt.Sprintf("プロジェクト「%s」は見つかりません", code),
			Message: fmt.Sprintf("project %q not found", code)}
	}
	v := projectView{ProjectDetail: d, Paid: l.Money(d.Paid), EditURL: registerRecordURL(mamori.EntityByName("projects"), []string{code})}
	for _, b := range d.Budget {
		row := projectBudgetRow{ProjectBudget: b, FY: l.FiscalYear(int(b.FiscalYear)), Kind: enumText(l, mamori.BudgetKinds, b.Kind), Amount: l.Money(b.Amount)}
		if b.CarriedToFY != 0 {
			row.Carried = l.MustT("project.carried", "FY", l.FiscalYear(int(b.CarriedToFY)), "Amount", l.Money(b.CarriedAmount))
		}
		v.Budget = append(v.Budget, row)
	}
	retired := map[string]string{}
	for _, y := range d.Systems {
		retired[y.Code] = y.RetiredOn
	}
	for _, c := range d.Contracts {
		row := projectContractRow{ProjectContract: c, Kind: enumText(l, mamori.ContractKinds, c.Kind), Total: moneyPtr(l, c.Total), Ceiling: moneyPtr(l, c.ObligationCeiling)}
		for _, p := range c.Payments {
			row.Payments = append(row.Payments, projectPaymentRow{FY: l.FiscalYear(int(p.FiscalYear)), Amount: moneyPtr(l, p.Amount), Paid: moneyPtr(l, p.Paid), PaidThrough: p.PaidThrough})
		}
		for _, sh := range c.Shares {
			row.Shares = append(row.Shares, projectShareRow{ProjectShare: sh, Amount: moneyPtr(l, sh.Amount), Paid: moneyPtr(l, sh.Paid),
				AfterRetired: sh.RetiredOn != "" && sh.PaidThrough > sh.RetiredOn})
		}
		v.Contract = append(v.Contract, row)
	}
	for _, sv := range d.Surveys {
		row := projectSurveyRow{ProjectSurvey: sv}
		for _, a := range sv.Answers {
			ar := projectAnswerRow{ProjectAnswer: a}
			if a.Wishes != nil {
				ar.Wish = l.YesNo(*a.Wishes)
			}
			row.Answers = append(row.Answers, ar)
		}
		v.Surveys = append(v.Surveys, row)
	}
	for _, rc := range d.Records {
		v.Records = append(v.Records, projectRecordRow{ProjectRecord: rc, Kind: enumText(l, mamori.InvestmentRecordKinds, rc.Kind)})
	}
	for _, f := range d.Findings {
		v.Findings = append(v.Findings, projectFindingRow{ProjectFinding: f, URL: "/findings?control=" + f.Control, Amount: moneyPtr(l, f.Amount)})
	}
	if len(d.Usage) > 0 {
		c := chart.Stacked{Title: l.MustT("project.usage.chart", "Name", d.Name),
			Series: []chart.Series{{Label: l.MustT("project.usage.orgs"), Class: "s1"}}, NameNoughts: true}
		for _, u := range d.Usage {
			month := u.Month
			if len(month) >= 7 {
				month = month[:7]
			}
			c.Bars = append(c.Bars, chart.Bar{Label: month, Title: month + " " + strconv.FormatInt(u.Orgs, 10), Values: []int{int(u.Orgs)}})
		}
		svg, err := c.SVG("usage-chart")
		if err != nil {
			return err
		}
		v.Chart = svg
	}
	return s.render(w, r, http.StatusOK, "project.html", l.MustT("project.title", "Name", d.Name), "projects", v)
}
