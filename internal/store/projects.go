package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
)

// The project governance view (issue 15): a project with what its plan
// covers, its budget by fiscal year and kind, its contracts with their
// payments and shares, its surveys and their answers, its investment
// records, the monthly use of its systems and its governance findings.
// The CLI, the API and the web page read it from here.

// ProjectSummary is one project as a list shows it.
type ProjectSummary struct {
	Code             string `json:"code"`
	OrgCode          string `json:"org_code"`
	Name             string `json:"name"`
	PlanDocumentedOn string `json:"plan_documented_on,omitempty"` // absent when no plan was written
	GoLiveOn         string `json:"go_live_on,omitempty"`
	PlanItems        int    `json:"plan_items"`
	Contracts        int    `json:"contracts"`
	// Paid under the project's contracts and on the shares of other
	// contracts apportioned to its systems.
	Paid int64 `json:"paid"`
	// OpenFindings counts the open GOV findings on the project, its
	// contracts, budget items and systems.
	OpenFindings int `json:"open_findings"`
}

// ProjectPlanItem is one item of a project's plan.
type ProjectPlanItem struct {
	Code          string `json:"code"`
	Kind          string `json:"kind"`
	Title         string `json:"title"`
	CoversProject string `json:"covers_project,omitempty"` // for CoveredBy: the plan's project
}

// ProjectBudget is one budget item of a project.
type ProjectBudget struct {
	Code          string   `json:"code"`
	Kind          string   `json:"kind"`
	Title         string   `json:"title"`
	PlanItem      string   `json:"plan_item,omitempty"`
	FiscalYear    int64    `json:"fiscal_year"`
	CarriedToFY   int64    `json:"carried_to_fy,omitempty"` // 0: not carried over
	Amount        int64    `json:"amount"`
	CarriedAmount int64    `json:"carried_amount,omitempty"`
	Contracts     []string `json:"contracts,omitempty"` // the contracts it funds
}

// ProjectPayment is one fiscal year of a contract.
type ProjectPayment struct {
	FiscalYear  int64  `json:"fiscal_year"`
	Amount      *int64 `json:"amount,omitempty"`
	Paid        *int64 `json:"paid,omitempty"`
	PaidThrough string `json:"paid_through,omitempty"`
}

// ProjectShare is the part of a contract apportioned to one system.
type ProjectShare struct {
	System      string `json:"system"`
	SystemName  string `json:"system_name"`
	Amount      *int64 `json:"amount,omitempty"`
	Paid        *int64 `json:"paid,omitempty"`
	PaidThrough string `json:"paid_through,omitempty"`
	RetiredOn   string `json:"retired_on,omitempty"`
	OfProject   bool   `json:"of_project"` // the system belongs to the project shown
	// OtherProjectContract: the contract is another project's, so the
	// share is what this project pays.
	OtherProjectContract bool `json:"other_project_contract"`
}

// ProjectContract is one contract that pays for the project: its own, or
// another project's contract with a share apportioned to its systems.
type ProjectContract struct {
	Code              string           `json:"code"`
	Kind              string           `json:"kind"`
	Title             string           `json:"title"`
	Vendor            string           `json:"vendor"`
	Project           string           `json:"project,omitempty"`
	PlanItem          string           `json:"plan_item,omitempty"`
	ContractedOn      string           `json:"contracted_on,omitempty"`
	EndOn             string           `json:"end_on,omitempty"`
	Total             *int64           `json:"total,omitempty"`
	ObligationYears   int64            `json:"obligation_years,omitempty"`
	ObligationCeiling *int64           `json:"obligation_ceiling,omitempty"`
	Payments          []ProjectPayment `json:"payments"`
	Shares            []ProjectShare   `json:"shares"`
	FundedBy          []string         `json:"funded_by"`
}

// ProjectAnswer is one organization's answer to a survey.
type ProjectAnswer struct {
	Code                  string `json:"code"`
	OrgCode               string `json:"org_code"`
	AnsweredOn            string `json:"answered_on,omitempty"`
	FollowedUpOn          string `json:"followed_up_on,omitempty"`
	Topic                 string `json:"topic"`
	Wishes                *bool  `json:"wishes_to_use,omitempty"`
	Conditions            string `json:"conditions,omitempty"`
	ConditionFollowedUpOn string `json:"condition_followed_up_on,omitempty"`
}

// ProjectSurvey is a survey of the project with its answers.
type ProjectSurvey struct {
	Code      string          `json:"code"`
	OrgCode   string          `json:"org_code"`
	Title     string          `json:"title"`
	Questions string          `json:"questions,omitempty"`
	SentOn    string          `json:"sent_on"`
	DueOn     string          `json:"due_on,omitempty"`
	Answers   []ProjectAnswer `json:"answers"`
}

// ProjectRecord is one investment record.
type ProjectRecord struct {
	Kind           string `json:"kind"`
	RecordedOn     string `json:"recorded_on"`
	Title          string `json:"title"`
	Document       string `json:"document,omitempty"`
	EstimatedUsers *int64 `json:"estimated_users,omitempty"`
}

// ProjectUsage is one month's use of the project's systems for their
// purpose, summed over them.
type ProjectUsage struct {
	Month    string `json:"month"`
	Orgs     int64  `json:"orgs"`
	Systems  int64  `json:"systems"`
	OtherUse string `json:"other_use,omitempty"`
}

// ProjectSystem is a system of the project.
type ProjectSystem struct {
	Code      string `json:"code"`
	Name      string `json:"name"`
	Status    string `json:"status,omitempty"`
	GoLiveOn  string `json:"go_live_on,omitempty"`
	RetiredOn string `json:"retired_on,omitempty"`
}

// ProjectFinding is an open GOV finding of the project.
type ProjectFinding struct {
	Control    string   `json:"control"`
	TargetType string   `json:"target_type"`
	TargetCode string   `json:"target_code"`
	Result     string   `json:"result"`
	Criteria   []string `json:"criteria"`
	Amount     *int64   `json:"amount,omitempty"`
	FirstSeen  string   `json:"first_seen"`
}

// ProjectDetail is the governance view of one project.
type ProjectDetail struct {
	ProjectSummary
	DemandSurveyed        *bool             `json:"demand_surveyed,omitempty"`
	UsageEstimated        *bool             `json:"usage_estimated,omitempty"`
	CostEffectiveness     *bool             `json:"cost_effectiveness_recorded,omitempty"`
	UtilizationPercent    *int64            `json:"utilization_percent,omitempty"`
	UtilizationMeasuredOn string            `json:"utilization_measured_on,omitempty"`
	Items                 []ProjectPlanItem `json:"items"`
	CoveredBy             []ProjectPlanItem `json:"covered_by"` // items of other plans that cover this project
	Budget                []ProjectBudget   `json:"budget"`
	Contracts             []ProjectContract `json:"contract_list"`
	Surveys               []ProjectSurvey   `json:"surveys"`
	Records               []ProjectRecord   `json:"records"`
	Usage                 []ProjectUsage    `json:"usage"`
	Systems               []ProjectSystem   `json:"systems"`
	Findings              []ProjectFinding  `json:"findings"`
}

func ptrInt(v any) *int64 {
	if v == nil {
		return nil
	}
	x := i64(v)
	return &x
}

func ptrBool(v any) *bool {
	if b, ok := boolean(v).(bool); ok {
		return &b
	}
	return nil
}

// Projects lists the projects of the given organizations (nil: all), by code.
func (s *Store) Projects(ctx context.Context, orgs []string) ([]ProjectSummary, error) {
	allowed := map[string]bool{}
	for _, o := range orgs {
		allowed[o] = true
	}
	var out []ProjectSummary
	idx := map[string]int{}
	err := s.each(ctx, `SELECT code, org_code, name, plan_documented_on, go_live_on FROM projects ORDER BY code`, nil, func(r []any) {
		if orgs != nil && !allowed[str(r[1])] {
			return
		}
		idx[str(r[0])] = len(out)
		out = append(out, ProjectSummary{Code: str(r[0]), OrgCode: str(r[1]), Name: str(r[2]), PlanDocumentedOn: str(r[3]), GoLiveOn: str(r[4])})
	})
	if err != nil {
		return nil, fmt.Errorf("store: projects: %w", err)
	}
	add := func(code string, f func(p *ProjectSummary)) {
		if i, ok := idx[code]; ok {
			f(&out[i])
		}
	}
	open, err := s.govFindingsByProject(ctx)
	if err != nil {
		return nil, err
	}
	err = s.runJobs(ctx, []job{
		{name: "items", q: `SELECT project_code, count(*) FROM plan_items GROUP BY project_code`,
			apply: func(r []any) { add(str(r[0]), func(p *ProjectSummary) { p.PlanItems = int(i64(r[1])) }) }},
		{name: "contracts", q: `SELECT project_code, count(*) FROM contracts WHERE project_code IS NOT NULL GROUP BY project_code`,
			apply: func(r []any) { add(str(r[0]), func(p *ProjectSummary) { p.Contracts = int(i64(r[1])) }) }},
		{name: "paid", q: `SELECT k.project_code, CAST(sum(a.paid) AS BIGINT) FROM contracts k JOIN contract_amounts a ON a.contract_code = k.code
			WHERE k.project_code IS NOT NULL AND a.paid IS NOT NULL GROUP BY k.project_code`,
			apply: func(r []any) { add(str(r[0]), func(p *ProjectSummary) { p.Paid += i64(r[1]) }) }},
		{name: "shares", q: `SELECT y.project_code, CAST(sum(c.share_paid) AS BIGINT) FROM contract_systems c
			JOIN systems y ON y.code = c.system_code JOIN contracts k ON k.code = c.contract_code
			WHERE c.share_paid IS NOT NULL AND y.project_code IS NOT NULL AND (k.project_code IS NULL OR k.project_code <> y.project_code)
			GROUP BY y.project_code`,
			apply: func(r []any) { add(str(r[0]), func(p *ProjectSummary) { p.Paid += i64(r[1]) }) }},
	})
	if err != nil {
		return nil, fmt.Errorf("store: projects: %w", err)
	}
	for code, n := range open {
		add(code, func(p *ProjectSummary) { p.OpenFindings = n })
	}
	return out, nil
}

// govFindingsByProject counts the open GOV findings of each project, on the
// project itself, its contracts, budget items and systems, and on the
// contracts that apportion a share to its systems: the findings its page
// lists, each once.
func (s *Store) govFindingsByProject(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	const open = `f.control_id LIKE 'GOV-%' AND f.status = 'open'`
	err := s.each(ctx, `SELECT project, count(*) FROM (
		SELECT p.code AS project, f.control_id, f.target_type, f.target_code FROM findings f
			JOIN projects p ON f.target_type = 'project' AND p.code = f.target_code WHERE `+open+`
		UNION SELECT k.project_code, f.control_id, f.target_type, f.target_code FROM findings f
			JOIN contracts k ON f.target_type = 'contract' AND k.code = f.target_code WHERE k.project_code IS NOT NULL AND `+open+`
		UNION SELECT y.project_code, f.control_id, f.target_type, f.target_code FROM findings f
			JOIN contract_systems c ON f.target_type = 'contract' AND c.contract_code = f.target_code
			JOIN systems y ON y.code = c.system_code WHERE c.share_amount IS NOT NULL AND y.project_code IS NOT NULL AND `+open+`
		UNION SELECT b.project_code, f.control_id, f.target_type, f.target_code FROM findings f
			JOIN budget_items b ON f.target_type = 'budget-item' AND b.code = f.target_code WHERE b.project_code IS NOT NULL AND `+open+`
		UNION SELECT y.project_code, f.control_id, f.target_type, f.target_code FROM findings f
			JOIN systems y ON f.target_type = 'system' AND y.code = f.target_code WHERE y.project_code IS NOT NULL AND `+open+`
		) t GROUP BY project`, nil, func(r []any) {
		out[str(r[0])] = int(i64(r[1]))
	})
	if err != nil {
		return nil, fmt.Errorf("store: project findings: %w", err)
	}
	return out, nil
}

// Project returns the governance view of one project, or found false.
func (s *Store) Project(ctx context.Context, code string) (d ProjectDetail, found bool, err error) {
	return s.ProjectIn(ctx, code, nil)
}

// ProjectIn is Project for a reader who may see the organizations allow
// reports true for (nil: every one): another organization's project is not
// found, after the one query a missing one costs, so the time of the
// answer does not tell it exists.
func (s *Store) ProjectIn(ctx context.Context, code string, allow func(org string) bool) (d ProjectDetail, found bool, err error) {
	var base []any
	err = s.each(ctx, `SELECT code, org_code, name, plan_documented_on, go_live_on, demand_surveyed, usage_estimated,
		cost_effectiveness_recorded, utilization_percent, utilization_measured_on FROM projects WHERE code = $1`, []any{code},
		func(r []any) { base = slices.Clone(r) })
	if err != nil || base == nil || allow != nil && !allow(str(base[1])) {
		return d, false, err
	}
	d.ProjectSummary = ProjectSummary{Code: str(base[0]), OrgCode: str(base[1]), Name: str(base[2]), PlanDocumentedOn: str(base[3]), GoLiveOn: str(base[4])}
	d.DemandSurveyed, d.UsageEstimated, d.CostEffectiveness = ptrBool(base[5]), ptrBool(base[6]), ptrBool(base[7])
	d.UtilizationPercent, d.UtilizationMeasuredOn = ptrInt(base[8]), str(base[9])

	contracts := map[string]*ProjectContract{}
	var order []string
	contract := func(r []any) *ProjectContract {
		c := contracts[str(r[0])]
		if c == nil {
			c = &ProjectContract{Code: str(r[0]), Kind: str(r[1]), Title: str(r[2]), Vendor: str(r[3]), Project: str(r[4]), PlanItem: str(r[5]),
				ContractedOn: str(r[6]), EndOn: str(r[7]), Total: ptrInt(r[8]), ObligationYears: i64(r[9]), ObligationCeiling: ptrInt(r[10])}
			contracts[c.Code] = c
			order = append(order, c.Code)
		}
		return c
	}
	const kcols = `k.code, k.kind, k.title, k.vendor, k.project_code, k.plan_item_code, coalesce(k.contracted_on, k.start_on), k.end_on,
		k.total_amount, k.obligation_years, k.obligation_ceiling`
	surveys := map[string]*ProjectSurvey{}
	var surveyOrder []string
	usage := map[string]*ProjectUsage{}
	args := []any{code}
	err = s.runJobs(ctx, []job{
		{name: "items", q: `SELECT code, kind, title, covers_project_code FROM plan_items WHERE project_code = $1 ORDER BY code`, args: args,
			apply: func(r []any) {
				d.Items = append(d.Items, ProjectPlanItem{Code: str(r[0]), Kind: str(r[1]), Title: str(r[2]), CoversProject: str(r[3])})
			}},
		{name: "covered by", q: `SELECT i.code, i.kind, i.title, i.project_code FROM plan_items i WHERE i.covers_project_code = $1 ORDER BY i.code`, args: args,
			apply: func(r []any) {
				d.CoveredBy = append(d.CoveredBy, ProjectPlanItem{Code: str(r[0]), Kind: str(r[1]), Title: str(r[2]), CoversProject: str(r[3])})
			}},
		{name: "budget", q: `SELECT code, kind, title, plan_item_code, fiscal_year, carried_to_fy, amount, carried_amount FROM budget_items
			WHERE project_code = $1 ORDER BY fiscal_year, kind, code`, args: args,
			apply: func(r []any) {
				d.Budget = append(d.Budget, ProjectBudget{Code: str(r[0]), Kind: str(r[1]), Title: str(r[2]), PlanItem: str(r[3]),
					FiscalYear: i64(r[4]), CarriedToFY: i64(r[5]), Amount: i64(r[6]), CarriedAmount: i64(r[7])})
			}},
		{name: "contracts", q: `SELECT ` + kcols + ` FROM contracts k WHERE k.project_code = $1
			UNION SELECT ` + kcols + ` FROM contracts k JOIN contract_systems c ON c.contract_code = k.code
				JOIN systems y ON y.code = c.system_code WHERE y.project_code = $1 AND c.share_amount IS NOT NULL ORDER BY 1`, args: args,
			apply: func(r []any) { contract(r) }},
		{name: "payments", q: `SELECT a.contract_code, a.fiscal_year, a.amount, a.paid, a.paid_through FROM contract_amounts a
			JOIN contracts k ON k.code = a.contract_code WHERE k.project_code = $1 ORDER BY a.contract_code, a.fiscal_year`, args: args,
			apply: func(r []any) {
				if c := contracts[str(r[0])]; c != nil {
					c.Payments = append(c.Payments, ProjectPayment{FiscalYear: i64(r[1]), Amount: ptrInt(r[2]), Paid: ptrInt(r[3]), PaidThrough: str(r[4])})
				}
			}},
		{name: "shares", q: `SELECT c.contract_code, c.system_code, y.name, c.share_amount, c.share_paid, c.share_paid_through, y.retired_on,
				y.project_code, k.project_code FROM contract_systems c JOIN systems y ON y.code = c.system_code
				JOIN contracts k ON k.code = c.contract_code
			WHERE c.share_amount IS NOT NULL OR c.share_paid IS NOT NULL ORDER BY c.contract_code, c.system_code`,
			apply: func(r []any) {
				if c := contracts[str(r[0])]; c != nil {
					c.Shares = append(c.Shares, ProjectShare{System: str(r[1]), SystemName: str(r[2]), Amount: ptrInt(r[3]), Paid: ptrInt(r[4]),
						PaidThrough: str(r[5]), RetiredOn: str(r[6]), OfProject: str(r[7]) == code, OtherProjectContract: str(r[8]) != code})
				}
			}},
		{name: "funding", q: `SELECT contract_code, budget_code FROM budget_contracts ORDER BY budget_code`,
			apply: func(r []any) {
				if c := contracts[str(r[0])]; c != nil {
					c.FundedBy = append(c.FundedBy, str(r[1]))
				}
				for i := range d.Budget {
					if d.Budget[i].Code == str(r[1]) {
						d.Budget[i].Contracts = append(d.Budget[i].Contracts, str(r[0]))
					}
				}
			}},
		{name: "surveys", q: `SELECT code, org_code, title, questions, sent_on, due_on FROM surveys WHERE project_code = $1 ORDER BY sent_on, code`, args: args,
			apply: func(r []any) {
				sv := &ProjectSurvey{Code: str(r[0]), OrgCode: str(r[1]), Title: str(r[2]), Questions: str(r[3]), SentOn: str(r[4]), DueOn: str(r[5])}
				surveys[sv.Code] = sv
				surveyOrder = append(surveyOrder, sv.Code)
			}},
		{name: "answers", q: `SELECT a.survey_code, a.code, a.org_code, a.answered_on, a.followed_up_on, a.topic, a.wishes_to_use, a.conditions,
				a.condition_followed_up_on FROM survey_answers a JOIN surveys v ON v.code = a.survey_code WHERE v.project_code = $1
			ORDER BY a.org_code, a.code`, args: args,
			apply: func(r []any) {
				if sv := surveys[str(r[0])]; sv != nil {
					sv.Answers = append(sv.Answers, ProjectAnswer{Code: str(r[1]), OrgCode: str(r[2]), AnsweredOn: str(r[3]), FollowedUpOn: str(r[4]),
						Topic: str(r[5]), Wishes: ptrBool(r[6]), Conditions: str(r[7]), ConditionFollowedUpOn: str(r[8])})
				}
			}},
		{name: "records", q: `SELECT kind, recorded_on, title, document, estimated_users FROM investment_records WHERE project_code = $1
			ORDER BY recorded_on, kind`, args: args,
			apply: func(r []any) {
				d.Records = append(d.Records, ProjectRecord{Kind: str(r[0]), RecordedOn: str(r[1]), Title: str(r[2]), Document: str(r[3]), EstimatedUsers: ptrInt(r[4])})
			}},
		{name: "usage", q: `SELECT u.month, u.orgs_for_purpose, u.systems_for_purpose, u.other_use FROM capability_usage u
			JOIN systems y ON y.code = u.system_code WHERE y.project_code = $1 ORDER BY u.month`, args: args,
			apply: func(r []any) {
				m := usage[str(r[0])]
				if m == nil {
					m = &ProjectUsage{Month: str(r[0])}
					usage[m.Month] = m
					d.Usage = append(d.Usage, ProjectUsage{}) // placeholder, filled below in month order
				}
				m.Orgs += i64(r[1])
				m.Systems += i64(r[2])
				if o := str(r[3]); o != "" && !strings.Contains(m.OtherUse, o) {
					m.OtherUse = strings.TrimPrefix(m.OtherUse+"、"+o, "、")
				}
			}},
		{name: "systems", q: `SELECT code, name, status, go_live_on, retired_on FROM systems WHERE project_code = $1 ORDER BY code`, args: args,
			apply: func(r []any) {
				d.Systems = append(d.Systems, ProjectSystem{Code: str(r[0]), Name: str(r[1]), Status: str(r[2]), GoLiveOn: str(r[3]), RetiredOn: str(r[4])})
			}},
	})
	if err != nil {
		return d, false, fmt.Errorf("store: project %s: %w", code, err)
	}
	for _, c := range surveyOrder {
		d.Surveys = append(d.Surveys, *surveys[c])
	}
	months := make([]string, 0, len(usage))

	for m := range usage {
		months = append(months, m)
	}
	slices.Sort(months)
	for i, m := range months {
		d.Usage[i] = *usage[m]
	}
	d.PlanItems = len(d.Items)
	for _, k := range order {
		c := contracts[k]
		d.Contracts = append(d.Contracts, *c)
		if c.Project == code {
			d.ProjectSummary.Contracts++
			for _, p := range c.Payments {
				if p.Paid != nil {
					d.Paid += *p.Paid
				}
			}
			continue
		}
		for _, sh := range c.Shares {
			if sh.OfProject && sh.Paid != nil {
				d.Paid += *sh.Paid
			}
		}
	}
	// The project's GOV findings: on itself, its contracts, budget items and
	// systems, each by its type and code: codes are unique per entity only,
	// and another ministry's contract may bear this project's code.
	type target struct{ kind, code string }
	targets := map[target]bool{{TargetProject, code}: true}
	for _, c := range d.Contracts {
		targets[target{TargetContract, c.Code}] = true
	}
	for _, b := range d.Budget {
		targets[target{TargetBudget, b.Code}] = true
	}
	for _, y := range d.Systems {
		targets[target{TargetSystem, y.Code}] = true
	}
	err = s.each(ctx, `SELECT `+findingCols+` FROM findings WHERE control_id LIKE 'GOV-%' AND status = 'open' ORDER BY control_id, target_code`, nil,
		func(r []any) {
			if f := findingOf(r); targets[target{f.TargetType, f.TargetCode}] {
				d.Findings = append(d.Findings, ProjectFinding{Control: f.ControlID, TargetType: f.TargetType, TargetCode: f.TargetCode,
					Result: f.Result, Criteria: f.Criteria, Amount: f.Amount, FirstSeen: f.FirstSeen})
			}
		})
	if err != nil {
		return d, false, fmt.Errorf("store: project %s findings: %w", code, err)
	}
	d.OpenFindings = len(d.Findings)
	nonNil(&d)
	return d, true, nil
}

// nonNil turns absent lists into empty ones, so the JSON says [] not null.
func nonNil(d *ProjectDetail) {
	empty := func(p *[]string) {
		if *p == nil {
			*p = []string{}
		}
	}
	if d.Items == nil {
		d.Items = []ProjectPlanItem{}
	}
	if d.CoveredBy == nil {
		d.CoveredBy = []ProjectPlanItem{}
	}
	if d.Budget == nil {
		d.Budget = []ProjectBudget{}
	}
	if d.Contracts == nil {
		d.Contracts = []ProjectContract{}
	}
	for i := range d.Contracts {
		c := &d.Contracts[i]
		if c.Payments == nil {
			c.Payments = []ProjectPayment{}
		}
		if c.Shares == nil {
			c.Shares = []ProjectShare{}
		}
		empty(&c.FundedBy)
	}
	if d.Surveys == nil {
		d.Surveys = []ProjectSurvey{}
	}
	for i := range d.Surveys {
		if d.Surveys[i].Answers == nil {
			d.Surveys[i].Answers = []ProjectAnswer{}
		}
	}
	if d.Records == nil {
		d.Records = []ProjectRecord{}
	}
	if d.Usage == nil {
		d.Usage = []ProjectUsage{}
	}
	if d.Systems == nil {
		d.Systems = []ProjectSystem{}
	}
	if d.Findings == nil {
		d.Findings = []ProjectFinding{}
	}
	for i := range d.Findings {
		empty(&d.Findings[i].Criteria)
	}
}
