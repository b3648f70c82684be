// Package report builds the audit report in the Board of Audit's form (会計検査院
// の検査報告の書き方) from a stored assessment, and renders it as Markdown,
// JSON, HTML and .xlsx. Its one job is to turn findings into the Board's
// sentences, tier tables, ratios and the lists behind each number.
//
// It reads the store and the catalogs only: it must not import the web or
// app packages, so the command line, the web interface and tests all build
// the same report.
package report

import (
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/store"
	"mamori/internal/wareki"
	"mamori/internal/yen"
)

// Report is the audit report of one assessment.
type Report struct {
	FiscalYear    int    `json:"fiscal_year"`
	FiscalYearJA  string `json:"fiscal_year_ja"`
	Assessment    string `json:"assessment"`
	ReferenceDate string `json:"reference_date"`
	// WholeScope is true when the assessment covered the whole register;
	// otherwise it covered one organization's subtree (Scope) and its
	// numbers speak for that subtree only.
	WholeScope bool   `json:"whole_scope"`
	Scope      string `json:"scope,omitempty"`
	// FiscalYears are the years the organization-year controls judged.
	FiscalYears []Year `json:"fiscal_years"`
	// Controls are the controls with at least one nonconforming target (a
	// failure, an unknown or an error), by ID.
	Controls []Control `json:"controls"`
	// SystemID compares the implementation rate of systems with and
	// without a SystemID; Training compares the share of contracts missing
	// vendor clauses at organizations that did and did not train staff on
	// outsourcing. Both are exact, from the per-organization results.
	SystemID CrossTab `json:"systemid_crosstab"`
	Training CrossTab `json:"training_crosstab"`
	// Subsidies are the 強化対策費補助金 received, by programme and tier
	// (seed 002: 18 prefectures all for the security cloud, 10 of them also
	// for robustness).
	Subsidies []SubsidyCount `json:"subsidies"`
	// Incidents are the incident register's outcome metrics per fiscal
	// year, of the report's scope (incidents.go).
	Incidents []IncidentYear `json:"incidents"`
}

// SubsidyCount is one subsidy programme: the organizations that received
// it, by tier, and the sum where amounts are recorded.
type SubsidyCount struct {
	Program string      `json:"program"`
	JA      string      `json:"ja"`
	EN      string      `json:"en"`
	Orgs    int         `json:"orgs"`
	Tiers   []TierCount `json:"tiers"`
	Amount  *Measure    `json:"amount,omitempty"`
}

// Year is a fiscal year with its Japanese name (令和3年度).
type Year struct {
	FiscalYear int    `json:"fiscal_year"`
	JA         string `json:"ja"`
}

// Control is one control's findings, counted the Board's way.
//
// Three results make a target nonconforming: a failure, 未確認 (unknown:
// the evidence the control needs is missing) and an error. The counted
// numbers (Tiers, Orgs, Targets, the sentence and the share) are the
// failures plus, where the control counts them so (UnknownFails, the
// Board's controls), the unknowns; Failed, Unknown and Errors give each
// result on its own, so nothing is folded in silently.
type Control struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	TitleEN  string `json:"title_en"`
	Severity string `json:"severity"`
	Target   string `json:"target"`
	// Unit is what Targets counts: システム for system and component controls
	// (a component counts as the system that owns it), 契約, 監査, 機関 …
	Unit         string `json:"unit"`
	UnitEN       string `json:"unit_en"`
	UnknownFails bool   `json:"unknown_fails"`
	// Sentence is the Board-style sentence; SentenceEN its English.
	Sentence   string      `json:"sentence"`
	SentenceEN string      `json:"sentence_en"`
	Tiers      []TierCount `json:"tiers"` // counted, non-empty tiers, in the Board's order
	Orgs       int         `json:"orgs"`
	Targets    int         `json:"targets"`
	Failed     Count       `json:"failed"`  // decided failures
	Unknown    Count       `json:"unknown"` // 未確認, with their lists
	Errors     Count       `json:"errors"`  // could not be evaluated, with their lists
	// Applicable is the population the control judged: the organizations
	// with at least one applicable target, and the targets themselves in
	// ShareUnit (components for a component control). Conforming are the
	// organizations all of whose applicable targets conform, and the
	// targets that conform.
	Applicable Count `json:"applicable"`
	Conforming Count `json:"conforming"`
	// Fail and ApplicableTargets count evaluated targets (components for a
	// component control); Share is the counted ones over the applicable.
	Fail              int64   `json:"fail"`
	ApplicableTargets int64   `json:"applicable_targets"`
	Share             float64 `json:"share"`
	ShareUnit         string  `json:"share_unit"`
	ShareUnitEN       string  `json:"share_unit_en"`
	// Criteria count each criterion on its own, as the Board does.
	Criteria []CriterionCount `json:"criteria,omitempty"`
	// Years split an organization-year control by fiscal year
	// (「令和3年度 3府省庁等」).
	Years []YearCount `json:"years,omitempty"`
	// Measure sums the control's measure (money, or a count) over the
	// counted targets.
	Measure *Measure `json:"measure,omitempty"`
	// Tallies are the populations the catalog asks the report to state
	// (「二要素認証を導入していた217市区町村」): the organizations with at
	// least one applicable target for which the tally holds, and those targets.
	Tallies []TallyCount `json:"tallies,omitempty"`
}

// TallyCount is one tally's population, by tier: the targets where it
// holds, and those of the applicable targets where it could not be decided
// (未確認) or could not be evaluated.
type TallyCount struct {
	Key        string `json:"key"`
	Title      string `json:"title"`
	TitleEN    string `json:"title_en"`
	Sentence   string `json:"sentence"`
	SentenceEN string `json:"sentence_en"`
	Count
	Unknown Count `json:"unknown"`
	Errors  Count `json:"errors"`
}

// Count is a number of organizations and targets, by tier.
type Count struct {
	Orgs    int         `json:"orgs"`
	Targets int         `json:"targets"`
	Tiers   []TierCount `json:"tiers,omitempty"`
}

// TierCount is one row of a control's table, with the lists behind its
// numbers (absent where a Count gives numbers only).
type TierCount struct {
	Tier       string   `json:"tier"`
	JA         string   `json:"ja"`
	EN         string   `json:"en"`
	Orgs       int      `json:"orgs"`
	Targets    int      `json:"targets"`
	OrgList    []Org    `json:"org_list,omitempty"`
	TargetList []Target `json:"target_list,omitempty"`
}

// CriterionCount is one criterion's failures (and unknowns), by tier.
type CriterionCount struct {
	Key        string   `json:"key"`
	Title      string   `json:"title"`
	TitleEN    string   `json:"title_en"`
	Sentence   string   `json:"sentence"`
	SentenceEN string   `json:"sentence_en"`
	Failed     Count    `json:"failed"`
	Unknown    Count    `json:"unknown"`
	Measure    *Measure `json:"measure,omitempty"`
}

// YearCount is an organization-year control's count in one fiscal year.
type YearCount struct {
	Year
	Orgs    int         `json:"orgs"`
	Tiers   []TierCount `json:"tiers"`
	Failed  int         `json:"failed"`  // organizations failing
	Unknown int         `json:"unknown"` // organizations undecided
}

// Measure is a sum: yen (Text in the Board's form, 「18億8709万余円」) or a
// count of some unit (「延べ4件」).
type Measure struct {
	Value  int64  `json:"value"`
	Unit   string `json:"unit"`
	Text   string `json:"text"`
	TextEN string `json:"text_en"`
}

// Org is an organization in a list.
type Org struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Target is one counted unit in a list. Findings is the number of
// nonconforming targets behind it (the components of a system, the fiscal
// years of an organization); 1 for systems and contracts. Result is the
// worst result among them (fail before unknown before error); Criteria the
// criteria they failed.
type Target struct {
	Code     string   `json:"code"`
	Name     string   `json:"name"`
	OrgCode  string   `json:"org_code"`
	OrgName  string   `json:"org_name"`
	SystemID string   `json:"system_id,omitempty"`
	Findings int      `json:"findings"`
	Result   string   `json:"result"`
	Criteria []string `json:"criteria,omitempty"`
}

// CrossTab is a cross-tabulation with its method.
type CrossTab struct {
	Title   string     `json:"title"`
	TitleEN string     `json:"title_en"`
	Measure string     `json:"measure"`
	Rows    []CrossRow `json:"rows"`
	Note    string     `json:"note"`
	NoteEN  string     `json:"note_en"`
}

// CrossRow is one group of a cross-tabulation: exact counts and the rate
// that is the table's measure.
type CrossRow struct {
	Group      string  `json:"group"`
	JA         string  `json:"ja"`
	EN         string  `json:"en"`
	Orgs       int     `json:"orgs,omitempty"`
	Failing    int64   `json:"failing"`
	Applicable int64   `json:"applicable"`
	Rate       float64 `json:"rate"`
}

// FailingText and ApplicableText are the row's counts as whole numbers
// with thousands separators (12,509), as the Board prints them.
func (r CrossRow) FailingText() string    { return groupDigits(r.Failing) }
func (r CrossRow) ApplicableText() string { return groupDigits(r.Applicable) }

// RateText is the row's rate as a percentage, or "—" when nothing applies
// (a 0% there would read as a finding).
func (r CrossRow) RateText() string {
	if r.Applicable == 0 {
		return "—"
	}
	return PercentBoth(r.Rate)
}

// Options select the assessment: by ID, else the latest whose reference
// date falls in FiscalYear (when non-zero), else the latest. Among those,
// an assessment of the whole register comes first.
type Options struct {
	FiscalYear   wareki.FiscalYear
	AssessmentID string
}

// Resolve finds the assessment opts select, as Build does: a NotFound
// error says that there is none (run mamori check first).
func Resolve(ctx context.Context, st *store.Store, opts Options) (store.Assessment, error) {
	if opts.AssessmentID != "" {
		return st.AssessmentByID(ctx, opts.AssessmentID)
	}
	var from, to string
	if opts.FiscalYear != 0 {
		from, to = opts.FiscalYear.Start().Format(time.DateOnly), opts.FiscalYear.End().Format(time.DateOnly)
	}
	a, ok, err := st.LatestAssessment(ctx, from, to)
	if err != nil {
		return store.Assessment{}, err
	}
	if !ok {
		if opts.FiscalYear != 0 {
			return store.Assessment{}, mamori.Errorf(mamori.NotFound, "%[1]sの評価がありません。先に mamori check を実行してください",
				"no assessment in FY%[2]d: run mamori check first", opts.FiscalYear.Japanese(), int(opts.FiscalYear))
		}
		return store.Assessment{}, mamori.Errorf(mamori.NotFound, "評価がありません。先に mamori check を実行してください",
			"no assessment: run mamori check first")
	}
	return a, nil
}

// Build reads the assessment and its findings and counts them.
func Build(ctx context.Context, st *store.Store, cats []*catalog.Catalog, opts Options) (*Report, error) {
	a, err := Resolve(ctx, st, opts)
	if err != nil {
		return nil, err
	}
	ref, err := time.Parse(time.DateOnly, a.ReferenceDate)
	if err != nil {
		return nil, fmt.Errorf("report: assessment %s: reference date %q: %w", a.ID, a.ReferenceDate, err)
	}
	fy := wareki.FiscalYearOf(ref)
	results, err := st.Results(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	data, err := st.ReportFindings(ctx, a)
	if err != nil {
		return nil, err
	}
	controls := map[string]*catalog.Control{}
	for _, c := range cats {
		for _, k := range c.Controls {
			controls[k.ID] = k
		}
	}
	// Controls is [] rather than null in JSON when nothing failed.
	rep := &Report{FiscalYear: int(fy), FiscalYearJA: fy.Japanese(), Assessment: a.ID, ReferenceDate: a.ReferenceDate,
		WholeScope: a.WholeScope(), Controls: []Control{}, FiscalYears: []Year{}}
	sc := a.Assessed() // both empty for the whole register
	rep.Scope = cmp.Or(sc.System, sc.Org)
	for _, y := range a.FiscalYears {
		rep.FiscalYears = append(rep.FiscalYears, Year{int(y), wareki.FiscalYear(y).Japanese()})
	}
	b := newBuilder(data)
	// The findings come ordered by control: each control's are a sub-slice,
	// not a copy (340,000 of them nationally).
	findings := data.Findings
	byControl := map[string][]store.ReportFinding{}
	for i := 0; i < len(findings); {
		j := i + 1
		for j < len(findings) && findings[j].ControlID == findings[i].ControlID {
			j++
		}
		byControl[findings[i].ControlID] = findings[i:j:j]
		i = j
	}
	orgResults := map[string][]store.OrgResult{}
	for _, r := range data.OrgResults {
		orgResults[r.ControlID] = append(orgResults[r.ControlID], r)
	}
	b.tallyResults = orgResults
	for _, r := range results {
		fs := byControl[r.ControlID]
		if len(fs) == 0 {
			continue
		}
		rep.Controls = append(rep.Controls, b.control(controls[r.ControlID], r, fs, orgResults[r.ControlID]))
	}
	slices.SortFunc(rep.Controls, func(x, y Control) int { return strings.Compare(x.ID, y.ID) })
	if rep.Subsidies, err = subsidies(ctx, st); err != nil {
		return nil, err
	}
	// A one-system assessment speaks for no organization's incidents.
	rep.Incidents = []IncidentYear{}
	if sc.System == "" {
		if rep.Incidents, err = incidents(ctx, st, sc.Org); err != nil {
			return nil, err
		}
	}
	rep.SystemID = b.systemIDTab(controls, data.OrgResults)
	rep.Training = b.trainingTab(controls["OUT-01"], orgResults["OUT-01"])
	return rep, nil
}

// builder holds what every control's count looks up.
type builder struct {
	orgs         map[string]store.ReportOrg
	tallyResults map[string][]store.OrgResult // by "ID#key"
}

// sum counts, by tier, the organizations where one number of the results
// is not zero and the targets it adds up to.
func (b *builder) sum(rs []store.OrgResult, pick func(store.OrgResult) int64) Count {
	perOrg := map[string]int64{}
	for _, r := range rs {
		perOrg[r.OrgCode] += pick(r)
	}
	tc := make([]TierCount, len(store.Tiers))
	for code, n := range perOrg {
		if n == 0 {
			continue
		}
		i := tierIndex[store.TierOf(b.orgs[code].Kind)]
		tc[i].Orgs++
		tc[i].Targets += int(n)
	}
	var out Count
	for i, t := range store.Tiers {
		if tc[i].Orgs == 0 {
			continue
		}
		tc[i].Tier, tc[i].JA, tc[i].EN = t.Key, t.JA, t.EN
		out.Tiers = append(out.Tiers, tc[i])
		out.Orgs += tc[i].Orgs
		out.Targets += tc[i].Targets
	}
	return out
}

func newBuilder(data *store.ReportData) *builder {
	b := &builder{orgs: make(map[string]store.ReportOrg, len(data.Orgs))}
	for _, o := range data.Orgs {
		b.orgs[o.Code] = o
	}
	return b
}

// tierIndex is the position of each tier key in store.Tiers.
var tierIndex = func() map[string]int {
	m := map[string]int{}
	for i, t := range store.Tiers {
		m[t.Key] = i
	}
	return m
}()

// unitKey is the counted unit of a finding: the system for system and
// component targets (the Board counts systems), the organization for
// organization targets (an organization failing in two fiscal years is one
// 機関), the target itself otherwise.
func unitKey(f store.ReportFinding) (code, name string) {
	switch f.TargetType {
	case store.TargetSystem, store.TargetComponent:
		if f.SystemCode != "" {
			return f.SystemCode, f.SystemName
		}
	case store.TargetOrganization, store.TargetOrganizationFY:
		return f.OrgCode, f.OrgName
	}
	return f.TargetCode, f.TargetName
}

type units struct {
	ja, en, shareJA, shareEN string
}

func unitsOf(target string) units {
	switch target {
	case store.TargetSystem:
		return units{"システム", "systems", "システム", "systems"}
	case store.TargetComponent:
		return units{"システム", "systems", "構成要素", "components"}
	case store.TargetContract:
		return units{"契約", "contracts", "契約", "contracts"}
	case store.TargetCloud:
		return units{"クラウドサービス", "cloud services", "クラウドサービス", "cloud services"}
	case store.TargetProject:
		return units{"プロジェクト", "projects", "プロジェクト", "projects"}
	case store.TargetAudit:
		return units{"監査", "audits", "監査", "audits"}
	case store.TargetBudget:
		return units{"予算", "budget items", "予算", "budget items"}
	case store.TargetOrganizationFY:
		return units{"機関", "organizations", "機関・年度", "organization-years"}
	}
	return units{"機関", "organizations", "機関", "organizations"}
}

// resultRank orders results for a unit with several findings: a failure
// decides it, then an unknown, then an error.
func resultRank(r string) int {
	switch r {
	case store.ResultFail:
		return 0
	case store.ResultUnknown:
		return 1
	}
	return 2
}

// unit is one counted unit while a control is tallied.
type unit struct {
	tier int
	t    Target
	fy   []int64 // organization-year: the years it failed in (counted)
}

// tally groups findings into counted units, ordered by tier, organization
// and code. keep selects the findings that count.
func (b *builder) tally(fs []store.ReportFinding, keep func(store.ReportFinding) bool) []unit {
	units := make([]unit, 0, len(fs))
	index := make(map[string]int, len(fs))
	for _, f := range fs {
		if !keep(f) {
			continue
		}
		code, name := unitKey(f)
		i, ok := index[code]
		if !ok {
			i = len(units)
			index[code] = i
			units = append(units, unit{tier: tierIndex[store.TierOf(f.OrgKind)],
				t: Target{Code: code, Name: name, OrgCode: f.OrgCode, OrgName: f.OrgName, SystemID: f.SystemID, Result: f.Result}})
		} else if resultRank(f.Result) < resultRank(units[i].t.Result) {
			units[i].t.Result = f.Result
		}
		u := &units[i]
		u.t.Findings++
		for _, k := range f.Criteria {
			if !slices.Contains(u.t.Criteria, k) {
				u.t.Criteria = append(u.t.Criteria, k)
			}
		}
		if f.TargetType == store.TargetOrganizationFY {
			if y, ok := yearOf(f.TargetCode); ok && !slices.Contains(u.fy, y) {
				u.fy = append(u.fy, y)
			}
		}
	}
	slices.SortFunc(units, func(x, y unit) int {
		return cmp.Or(cmp.Compare(x.tier, y.tier), strings.Compare(x.t.OrgCode, y.t.OrgCode), strings.Compare(x.t.Code, y.t.Code))
	})
	return units
}

// yearOf reads the fiscal year of an organization-year target code ("M01/2023").
func yearOf(code string) (int64, bool) {
	i := strings.LastIndexByte(code, '/')
	if i < 0 {
		return 0, false
	}
	y, err := strconv.ParseInt(code[i+1:], 10, 64)
	return y, err == nil
}

// count turns units into a Count; lists says whether to keep the lists.
func count(units []unit, lists bool) Count {
	var out Count
	for i := 0; i < len(units); {
		j := i + 1
		for j < len(units) && units[j].tier == units[i].tier {
			j++
		}
		t := store.Tiers[units[i].tier]
		tc := TierCount{Tier: t.Key, JA: t.JA, EN: t.EN}
		prev := ""
		for _, u := range units[i:j] {
			if lists {
				tc.TargetList = append(tc.TargetList, u.t)
			}
			tc.Targets++
			// Units are ordered by organization, so each one's first unit adds it.
			if u.t.OrgCode != "" && u.t.OrgCode != prev {
				prev = u.t.OrgCode
				tc.Orgs++
				if lists {
					tc.OrgList = append(tc.OrgList, Org{u.t.OrgCode, u.t.OrgName})
				}
			}
		}
		out.Orgs += tc.Orgs
		out.Targets += tc.Targets
		out.Tiers = append(out.Tiers, tc)
		i = j
	}
	return out
}

// control builds one control's tables from its findings (ordered by target)
// and its per-organization results.
func (b *builder) control(c *catalog.Control, r store.ControlResult, fs []store.ReportFinding, byOrg []store.OrgResult) Control {
	out := Control{ID: r.ControlID, Title: r.ControlID, TitleEN: r.ControlID, Target: fs[0].TargetType}
	if c != nil {
		out.Title, out.TitleEN, out.Severity, out.Target, out.UnknownFails = c.Title, c.TitleEN, c.Severity, c.Target, c.UnknownFails
	}
	u := unitsOf(out.Target)
	out.Unit, out.UnitEN, out.ShareUnit, out.ShareUnitEN = u.ja, u.en, u.shareJA, u.shareEN
	counted := func(f store.ReportFinding) bool {
		return f.Result == store.ResultFail || (out.UnknownFails && f.Result == store.ResultUnknown)
	}
	is := func(result string) func(store.ReportFinding) bool {
		return func(f store.ReportFinding) bool { return f.Result == result }
	}
	countedUnits := b.tally(fs, counted)
	all := count(countedUnits, true)
	out.Tiers, out.Orgs, out.Targets = all.Tiers, all.Orgs, all.Targets
	if out.Tiers == nil {
		out.Tiers = []TierCount{}
	}
	out.Failed = count(b.tally(fs, is(store.ResultFail)), false)
	// The unknowns keep their list even where they are counted as failures
	// too: the list behind every number of the table is the report's.
	out.Unknown = count(b.tally(fs, is(store.ResultUnknown)), true)
	out.Errors = count(b.tally(fs, is(store.ResultError)), true)
	out.Fail = r.Fail
	if out.UnknownFails {
		out.Fail += r.Unknown
	}
	out.ApplicableTargets = r.Applicable()
	if out.ApplicableTargets > 0 {
		out.Share = float64(out.Fail) / float64(out.ApplicableTargets)
	}
	out.Applicable, out.Conforming = b.population(byOrg)
	if c != nil {
		out.Criteria = b.criteria(c, fs, out.UnknownFails)
		if c.Measure != "" {
			out.Measure = measure(fs, counted, c.MeasureUnit)
		}
	}
	if out.Target == store.TargetOrganizationFY {
		out.Years = years(countedUnits, fs, out.UnknownFails)
	}
	if c != nil {
		for _, t := range c.Tallies {
			rs := b.tallyResults[store.TallyID(c.ID, t.Key)]
			tc := TallyCount{Key: t.Key, Title: t.Title, TitleEN: t.TitleEN,
				Count:   b.sum(rs, func(r store.OrgResult) int64 { return r.Pass }),
				Unknown: b.sum(rs, func(r store.OrgResult) int64 { return r.Unknown }),
				Errors:  b.sum(rs, func(r store.OrgResult) int64 { return r.Errors })}
			tmp := Control{Target: out.Target, Unit: out.Unit, UnitEN: out.UnitEN}
			pja, pen := tmp.tierPhrases(tc.Tiers)
			ja, en := tmp.phrase(tc.Orgs, tc.Targets, true)
			tc.Sentence = fmt.Sprintf("%s %s: %s", c.ID, t.Title, ja)
			tc.SentenceEN = fmt.Sprintf("%s %s: %s", c.ID, t.TitleEN, en)
			if len(pja) > 0 {
				tc.Sentence += "（" + strings.Join(pja, "、") + "）"
				tc.SentenceEN += " (" + strings.Join(pen, "; ") + ")"
			}
			if tc.Unknown.Targets > 0 {
				uja, uen := tmp.phrase(tc.Unknown.Orgs, tc.Unknown.Targets, true)
				tc.Sentence += fmt.Sprintf("。ほかに未確認 %s", uja)
				tc.SentenceEN += fmt.Sprintf("; also unknown: %s", uen)
			}
			if tc.Errors.Targets > 0 {
				eja, een := tmp.phrase(tc.Errors.Orgs, tc.Errors.Targets, true)
				tc.Sentence += fmt.Sprintf("。評価エラー %s", eja)
				tc.SentenceEN += fmt.Sprintf("; evaluation errors: %s", een)
			}
			out.Tallies = append(out.Tallies, tc)
		}
	}
	out.Sentence, out.SentenceEN = sentences(out)
	return out
}

// population counts, from the per-organization results, the organizations
// and targets a control judged, and those that conform.
func (b *builder) population(byOrg []store.OrgResult) (applicable, conforming Count) {
	type acc struct{ applicable, pass, nonconforming int64 }
	perOrg := map[string]*acc{}
	for _, r := range byOrg {
		a := perOrg[r.OrgCode]
		if a == nil {
			a = &acc{}
			perOrg[r.OrgCode] = a
		}
		a.applicable += r.Applicable()
		a.pass += r.Pass
		a.nonconforming += r.Fail + r.Unknown + r.Errors
	}
	at := make([]TierCount, len(store.Tiers))
	ct := make([]TierCount, len(store.Tiers))
	for code, a := range perOrg {
		if a.applicable == 0 {
			continue
		}
		i := tierIndex[store.TierOf(b.orgs[code].Kind)]
		at[i].Orgs++
		at[i].Targets += int(a.applicable)
		ct[i].Targets += int(a.pass)
		if a.nonconforming == 0 {
			ct[i].Orgs++
		}
	}
	for i, t := range store.Tiers {
		if at[i].Orgs == 0 {
			continue
		}
		at[i].Tier, at[i].JA, at[i].EN = t.Key, t.JA, t.EN
		ct[i].Tier, ct[i].JA, ct[i].EN = t.Key, t.JA, t.EN
		applicable.Tiers = append(applicable.Tiers, at[i])
		conforming.Tiers = append(conforming.Tiers, ct[i])
		applicable.Orgs += at[i].Orgs
		applicable.Targets += at[i].Targets
		conforming.Orgs += ct[i].Orgs
		conforming.Targets += ct[i].Targets
	}
	return applicable, conforming
}

// criteria counts each criterion of a control on its own: the targets that
// failed it, and those where it could not be decided.
func (b *builder) criteria(c *catalog.Control, fs []store.ReportFinding, unknownFails bool) []CriterionCount {
	var out []CriterionCount
	for _, cr := range c.Criteria {
		has := func(result string) func(store.ReportFinding) bool {
			return func(f store.ReportFinding) bool { return f.Result == result && slices.Contains(f.Criteria, cr.Key) }
		}
		// Undecided: unknown findings naming the criterion, and failing ones
		// that could not decide it ("?key": they failed another).
		undecided := func(f store.ReportFinding) bool {
			return (f.Result == store.ResultUnknown && slices.Contains(f.Criteria, cr.Key)) ||
				(f.Result == store.ResultFail && slices.Contains(f.Criteria, store.UndecidedCriterion(cr.Key)))
		}
		cc := CriterionCount{Key: cr.Key, Title: cr.Title, TitleEN: cr.TitleEN,
			Failed:  count(b.tally(fs, has(store.ResultFail)), false), // the counted lists carry each unit's criteria
			Unknown: count(b.tally(fs, undecided), false)}
		if c.Measure != "" {
			cc.Measure = measure(fs, has(store.ResultFail), c.MeasureUnit)
		}
		tmp := Control{ID: c.ID + "（" + cr.Key + "）", Title: cr.Title, TitleEN: cr.TitleEN, Target: c.Target,
			Unit: unitsOf(c.Target).ja, UnitEN: unitsOf(c.Target).en, Tiers: cc.Failed.Tiers, Orgs: cc.Failed.Orgs, Targets: cc.Failed.Targets,
			Unknown: cc.Unknown, Measure: cc.Measure}
		cc.Sentence, cc.SentenceEN = criterionSentences(tmp)
		out = append(out, cc)
	}
	return out
}

// years splits an organization-year control's counted organizations by
// fiscal year.
func years(units []unit, fs []store.ReportFinding, unknownFails bool) []YearCount {
	byYear := map[int64][]unit{}
	for _, u := range units {
		for _, y := range u.fy {
			byYear[y] = append(byYear[y], u)
		}
	}
	failed, unknown := map[int64]map[string]bool{}, map[int64]map[string]bool{}
	for _, f := range fs {
		y, ok := yearOf(f.TargetCode)
		if !ok {
			continue
		}
		m := failed
		if f.Result == store.ResultUnknown {
			m = unknown
		} else if f.Result != store.ResultFail {
			continue
		}
		if m[y] == nil {
			m[y] = map[string]bool{}
		}
		m[y][f.OrgCode] = true
	}
	var ys []int64
	for y := range byYear {
		ys = append(ys, y)
	}
	slices.Sort(ys)
	var out []YearCount
	for _, y := range ys {
		c := count(byYear[y], false)
		out = append(out, YearCount{Year: Year{int(y), wareki.FiscalYear(y).Japanese()}, Orgs: c.Orgs, Tiers: c.Tiers,
			Failed: len(failed[y]), Unknown: len(unknown[y])})
	}
	return out
}

// measure sums the measure of the findings keep selects.
func measure(fs []store.ReportFinding, keep func(store.ReportFinding) bool, unit string) *Measure {
	var sum int64
	found := false
	for _, f := range fs {
		if keep(f) && f.Amount != nil {
			sum += *f.Amount
			found = true
		}
	}
	if !found {
		return nil
	}
	return measureOf(sum, unit)
}

// measureOf is a sum in the Board's words: money truncated to 万 (「16億6486万余円」),
// or a count (「延べ4件」).
func measureOf(sum int64, unit string) *Measure {
	m := &Measure{Value: sum, Unit: unit}
	switch unit {
	case "", "yen", "円":
		m.Unit = "yen"
		// The Board truncates to 万 and marks the rest 「余」; a sum under
		// 1万円 has no 万 to keep and is written in full (not 「約0円」).
		m.Text = yen.Format(yen.Amount{Yen: sum - sum%10000, Approx: sum%10000 != 0})
		if sum > -10000 && sum < 10000 {
			m.Text = yen.Format(yen.Amount{Yen: sum})
		}
		m.TextEN = "¥" + yen.FormatPlain(sum)
	default:
		m.Text = "延べ" + strconv.FormatInt(sum, 10) + unit
		m.TextEN = strconv.FormatInt(sum, 10) + " in all"
	}
	return m
}

// orgUnit reports whether a control counts organizations only, so its
// sentence says 「N機関」 rather than 「N機関のMシステム」.
func (c *Control) orgUnit() bool {
	return c.Target == store.TargetOrganization || c.Target == store.TargetOrganizationFY
}

// phrase is the Board's count phrase: 「16機関の41システム」, 「16機関の契約41件」, 「16機関」.
func (c *Control) phrase(orgs, targets int, of bool) (ja, en string) {
	switch {
	case c.orgUnit():
		return fmt.Sprintf("%d機関", orgs), plural(orgs, "organization")
	case c.Target == store.TargetContract:
		ja = fmt.Sprintf("%d機関の契約%d件", orgs, targets)
	case c.Target == store.TargetAudit:
		ja = fmt.Sprintf("%d機関の監査%d件", orgs, targets)
	case c.Target == store.TargetBudget:
		ja = fmt.Sprintf("%d機関の予算%d件", orgs, targets)
	case c.Target == store.TargetProject:
		ja = fmt.Sprintf("%d機関のプロジェクト%d件", orgs, targets)
	case c.Target == store.TargetCloud:
		ja = fmt.Sprintf("クラウドサービス%d件", targets)
		return ja, plural(targets, "cloud service")
	case of:
		ja = fmt.Sprintf("%d機関の%d%s", orgs, targets, c.Unit)
	default:
		ja = fmt.Sprintf("%d機関%d%s", orgs, targets, c.Unit)
	}
	return ja, plural(targets, strings.TrimSuffix(c.UnitEN, "s")) + " at " + plural(orgs, "organization")
}

// plural writes "1 system", "2 systems".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// Percent formats a share as the Board does, one decimal: "12.3%". A share
// above nought that one decimal would write as 0.0% is 「0.1%未満」: a
// failure must never read as none.
func Percent(x float64) string { return percent(x, "0.1%未満") }

// PercentEN is Percent in English: "under 0.1%" for a small share.
func PercentEN(x float64) string { return percent(x, "under 0.1%") }

// PercentBoth is Percent for the bilingual forms: 「0.1%未満 / under 0.1%」.
func PercentBoth(x float64) string { return percent(x, "0.1%未満 / under 0.1%") }

func percent(x float64, small string) string {
	s := fmt.Sprintf("%.1f%%", x*100)
	if x > 0 && s == "0.0%" {
		return small
	}
	return s
}

// Unit names what a control of the target type counts, as the Board does
// (システム for system and component controls, 機関 for organization ones):
// in Japanese, and in English as a plural noun.
func Unit(target string) (ja, en string) {
	u := unitsOf(target)
	return u.ja, u.en
}

// tierPhrases writes the counts of each tier: 「本府省庁等 16機関41システム」.
func (c *Control) tierPhrases(tiers []TierCount) (ja, en []string) {
	for _, t := range tiers {
		a, b := c.phrase(t.Orgs, t.Targets, false)
		ja = append(ja, t.JA+" "+a)
		en = append(en, strings.ToLower(t.EN[:1])+t.EN[1:]+": "+b)
	}
	return ja, en
}

func sentences(c Control) (ja, en string) {
	tja, ten := c.phrase(c.Orgs, c.Targets, true)
	pja, pen := c.tierPhrases(c.Tiers)
	if len(c.Years) > 0 {
		// The Board writes organization-year findings year by year:
		// 「3年度は3府省庁等、4年度は2府省庁等」.
		var yja, yen []string
		for _, y := range c.Years {
			yja = append(yja, fmt.Sprintf("%s %d機関", y.JA, y.Orgs))
			yen = append(yen, fmt.Sprintf("FY%d: %s", y.FiscalYear, plural(y.Orgs, "organization")))
		}
		pja, pen = yja, yen
	}
	ja = fmt.Sprintf("%s %s: %s（%s）", c.ID, c.Title, tja, strings.Join(pja, "、"))
	en = fmt.Sprintf("%s %s: %s (%s)", c.ID, c.TitleEN, ten, strings.Join(pen, "; "))
	if c.Measure != nil {
		ja += "、計" + c.Measure.Text
		en += ", " + c.Measure.TextEN
	}
	if c.ShareUnit != c.Unit || c.orgUnit() && c.Target == store.TargetOrganizationFY {
		// The share is over what was judged (components, organization-years),
		// not over the units counted: say so, with the numbers.
		ja += fmt.Sprintf("、該当%s%s件中%s件（%s）", c.ShareUnit, groupDigits(c.ApplicableTargets), groupDigits(c.Fail), Percent(c.Share))
		en += fmt.Sprintf(", %s of %s applicable %s (%s)", groupDigits(c.Fail), groupDigits(c.ApplicableTargets), c.ShareUnitEN, PercentEN(c.Share))
	} else {
		ja += fmt.Sprintf("、該当%sの%s", c.ShareUnit, Percent(c.Share))
		en += fmt.Sprintf(", %s of applicable %s", PercentEN(c.Share), c.ShareUnitEN)
	}
	if c.Unknown.Targets > 0 {
		uja, uen := c.phrase(c.Unknown.Orgs, c.Unknown.Targets, true)
		if c.UnknownFails {
			ja += fmt.Sprintf("（うち未確認 %s）", uja)
			en += fmt.Sprintf(" (of which unknown: %s)", uen)
		} else {
			ja += fmt.Sprintf("。ほかに未確認 %s", uja)
			en += fmt.Sprintf("; also unknown: %s", uen)
		}
	}
	if c.Errors.Targets > 0 {
		eja, een := c.phrase(c.Errors.Orgs, c.Errors.Targets, true)
		ja += fmt.Sprintf("。評価エラー %s", eja)
		en += fmt.Sprintf("; evaluation errors: %s", een)
	}
	return ja, en
}

func criterionSentences(c Control) (ja, en string) {
	if c.Targets == 0 && c.Unknown.Targets > 0 {
		uja, uen := c.phrase(c.Unknown.Orgs, c.Unknown.Targets, true)
		return fmt.Sprintf("%s %s: 不適合なし、未確認 %s", c.ID, c.Title, uja), fmt.Sprintf("%s %s: none failing, unknown: %s", c.ID, c.TitleEN, uen)
	}
	tja, ten := c.phrase(c.Orgs, c.Targets, true)
	pja, pen := c.tierPhrases(c.Tiers)
	ja = fmt.Sprintf("%s %s: %s", c.ID, c.Title, tja)
	en = fmt.Sprintf("%s %s: %s", c.ID, c.TitleEN, ten)
	if len(pja) > 0 {
		ja += "（" + strings.Join(pja, "、") + "）"
		en += " (" + strings.Join(pen, "; ") + ")"
	}
	if c.Measure != nil {
		ja += "、計" + c.Measure.Text
		en += ", " + c.Measure.TextEN
	}
	if c.Unknown.Targets > 0 {
		uja, uen := c.phrase(c.Unknown.Orgs, c.Unknown.Targets, true)
		ja += fmt.Sprintf("。ほかに未確認 %s", uja)
		en += fmt.Sprintf("; also unknown: %s", uen)
	}
	return ja, en
}

// groupDigits writes n with thousands separators: 13,286.
func groupDigits(n int64) string { return yen.FormatPlain(n) }

// digits is groupDigits for the counts the renderers print.
func digits[T int | int64](n T) string { return groupDigits(int64(n)) }

// localTier reports whether an organization kind is a local government,
// whose systems do not get デジタル庁 SystemIDs.
func localTier(kind string) bool { return kind == "prefecture" || kind == "municipality" }

// systemIDTab compares systems with and without a SystemID over every
// system control except REG-03 (which fails exactly the systems without
// one, so it would decide the comparison by definition) and REG-01 (a
// system outside the register cannot show either). SystemIDs are the
// national government's, so local governments are left out. Counts are
// exact: the assessment keeps each control's results per organization and
// segment. The rate is 1 − nonconforming (system, control) pairs /
// applicable pairs.
func (b *builder) systemIDTab(controls map[string]*catalog.Control, results []store.OrgResult) CrossTab {
	tab := CrossTab{
		Title: "情報システムIDの有無別の管理策実施率", TitleEN: "Implementation rate by SystemID",
		Measure: "implementation_rate",
		Note: "国の機関（地方公共団体を除く）の情報システムについて、システムを対象とする管理策（REG-01、REG-03を除く）の" +
			"1 − 不適合（システム, 管理策）数 ÷ 該当数。未確認を不適合に数える管理策ではそれも不適合に含む。評価結果から正確に集計。",
		NoteEN: "Systems of national bodies (local governments excluded), over the system controls except REG-01 and REG-03: " +
			"1 − nonconforming (system, control) pairs / applicable pairs; unknowns count as nonconforming where the control counts them so. " +
			"Exact, from the assessment's results.",
	}
	var fw, fwo, aw, awo int64
	orgsW, orgsWO := map[string]bool{}, map[string]bool{}
	for _, r := range results {
		c := controls[r.ControlID]
		if c == nil || c.Target != store.TargetSystem || r.ControlID == "REG-03" || r.ControlID == "REG-01" {
			continue
		}
		if localTier(b.orgs[r.OrgCode].Kind) {
			continue
		}
		bad := r.Fail
		if c.UnknownFails {
			bad += r.Unknown
		}
		switch r.Segment {
		case "with_id":
			fw, aw = fw+bad, aw+r.Applicable()
			orgsW[r.OrgCode] = true
		case "without_id":
			fwo, awo = fwo+bad, awo+r.Applicable()
			orgsWO[r.OrgCode] = true
		}
	}
	rate := func(f, a int64) float64 {
		if a <= 0 {
			return 0
		}
		return 1 - float64(f)/float64(a)
	}
	tab.Rows = []CrossRow{
		{Group: "with", JA: "情報システムIDあり", EN: "With SystemID", Orgs: len(orgsW), Failing: fw, Applicable: aw, Rate: rate(fw, aw)},
		{Group: "without", JA: "情報システムIDなし", EN: "Without SystemID", Orgs: len(orgsWO), Failing: fwo, Applicable: awo, Rate: rate(fwo, awo)},
	}
	return tab
}

// trainingTab compares the share of contracts failing OUT-01 (a vendor item
// missing from the specification) at organizations that did and did not
// train their staff on outsourcing (seed 001: 82.4% even where training
// was given). A unit without its own answer takes its parent's: a regional
// branch is trained, or not, by its ministry. Counts are exact.
func (b *builder) trainingTab(c *catalog.Control, results []store.OrgResult) CrossTab {
	tab := CrossTab{
		Title: "外部委託に関する研修の実施有無別の仕様書7事項欠落率", TitleEN: "Contracts missing vendor items (OUT-01) by outsourcing training",
		Measure: "failing_share",
		Note: "OUT-01 不適合の契約数 ÷ 該当契約数。研修の有無は契約した組織の値（回答がなければ実施された業務委託研修の記録、それもなければ上位組織の値）。" +
			"評価結果から正確に集計。",
		NoteEN: "Contracts failing OUT-01 / applicable contracts. Training is the contracting organization's answer, " +
			"else a delivered outsourcing course of it in the register, else its parent's. " +
			"Exact, from the assessment's results.",
	}
	group := func(code string) string {
		for range 16 { // the hierarchy is shallow; the bound guards a cycle
			o, ok := b.orgs[code]
			if !ok {
				break
			}
			if o.Training != nil {
				if *o.Training {
					return "trained"
				}
				return "untrained"
			}
			code = o.Parent
		}
		return "unknown"
	}
	rows := []CrossRow{
		{Group: "trained", JA: "研修実施", EN: "Training given"},
		{Group: "untrained", JA: "研修未実施", EN: "No training"},
		{Group: "unknown", JA: "不明", EN: "Unknown"},
	}
	idx := map[string]int{"trained": 0, "untrained": 1, "unknown": 2}
	orgSets := []map[string]bool{{}, {}, {}}
	unknownFails := c != nil && c.UnknownFails
	for _, r := range results {
		i := idx[group(r.OrgCode)]
		bad := r.Fail
		if unknownFails {
			bad += r.Unknown
		}
		rows[i].Failing += bad
		rows[i].Applicable += r.Applicable()
		if bad > 0 {
			orgSets[i][r.OrgCode] = true
		}
	}
	var out []CrossRow
	for i, row := range rows {
		if row.Applicable == 0 && row.Group == "unknown" {
			continue // the unknown row only when the register leaves some contracts unanswered
		}
		row.Orgs = len(orgSets[i])
		if row.Applicable > 0 {
			row.Rate = float64(row.Failing) / float64(row.Applicable)
		}
		out = append(out, row)
	}
	tab.Rows = out
	return tab
}

// JSON writes the report as indented JSON. Field order is the struct's and
// every list is sorted, so the same data gives the same bytes.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// subsidies counts the organizations that received each programme, by tier.
func subsidies(ctx context.Context, st *store.Store) ([]SubsidyCount, error) {
	rows, err := st.Subsidies(ctx)
	if err != nil {
		return nil, err
	}
	out := []SubsidyCount{}
	for i := 0; i < len(rows); {
		j := i
		seen := map[string]bool{}
		perTier := make([]TierCount, len(store.Tiers))
		var sum int64
		amounts := false
		for ; j < len(rows) && rows[j].Program == rows[i].Program; j++ {
			r := rows[j]
			if r.Amount != nil {
				sum += *r.Amount
				amounts = true
			}
			if seen[r.OrgCode] {
				continue
			}
			seen[r.OrgCode] = true
			t := tierIndex[store.TierOf(r.OrgKind)]
			perTier[t].Orgs++
			perTier[t].Targets++
		}
		sc := SubsidyCount{Program: rows[i].Program, JA: rows[i].Program, EN: rows[i].Program, Orgs: len(seen)}
		for _, v := range mamori.SubsidyPrograms {
			if v.Code == sc.Program {
				sc.JA, sc.EN = v.JA, v.EN
			}
		}
		for k, t := range store.Tiers {
			if perTier[k].Orgs > 0 {
				perTier[k].Tier, perTier[k].JA, perTier[k].EN = t.Key, t.JA, t.EN
				sc.Tiers = append(sc.Tiers, perTier[k])
			}
		}
		if amounts {
			sc.Amount = measureOf(sum, "yen")
		}
		out = append(out, sc)
		i = j
	}
	return out, nil
}

// tierLabel is a tier's names: "本府省庁等 / Central offices".
func tierLabel(key string) string {
	for _, t := range store.Tiers {
		if t.Key == key {
			return t.JA + " / " + t.EN
		}
	}
	return key
}
