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
	"strings"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/store"
	"mamori/internal/wareki"
)

// Report is the audit report of one assessment.
type Report struct {
	FiscalYear    int    `json:"fiscal_year"`
	FiscalYearJA  string `json:"fiscal_year_ja"`
	Assessment    string `json:"assessment"`
	ReferenceDate string `json:"reference_date"`
	// Controls are the controls with at least one failing target, by ID.
	Controls []Control `json:"controls"`
	// SystemID compares the implementation rate of systems with and
	// without a SystemID; Training compares the share of contracts missing
	// vendor clauses at organizations that did and did not train staff on
	// outsourcing.
	SystemID CrossTab `json:"systemid_crosstab"`
	Training CrossTab `json:"training_crosstab"`
}

// Control is one control's findings, counted the Board's way.
type Control struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	TitleEN  string `json:"title_en"`
	Severity string `json:"severity"`
	Target   string `json:"target"`
	// Unit is what Targets counts: システム for system and component controls
	// (a component counts as the system that owns it), 契約, 機関 …
	Unit   string `json:"unit"`
	UnitEN string `json:"unit_en"`
	// Sentence is the Board-style sentence; SentenceEN its English.
	Sentence   string      `json:"sentence"`
	SentenceEN string      `json:"sentence_en"`
	Tiers      []TierCount `json:"tiers"` // non-empty tiers, in the Board's order
	Orgs       int         `json:"orgs"`
	Targets    int         `json:"targets"`
	// Fail and Applicable come from the assessment's results and count the
	// evaluated targets (components for a component control); Share is
	// Fail / Applicable.
	Fail        int64   `json:"fail"`
	Applicable  int64   `json:"applicable"`
	Share       float64 `json:"share"`
	ShareUnit   string  `json:"share_unit"`
	ShareUnitEN string  `json:"share_unit_en"`
}

// TierCount is one row of a control's table, with the lists behind its numbers.
type TierCount struct {
	Tier       string   `json:"tier"`
	JA         string   `json:"ja"`
	EN         string   `json:"en"`
	Orgs       int      `json:"orgs"`
	Targets    int      `json:"targets"`
	OrgList    []Org    `json:"org_list"`
	TargetList []Target `json:"target_list"`
}

// Org is an organization in a list.
type Org struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// Target is one counted unit in a list. Findings is the number of failing
// targets behind it (the components of a system, the fiscal years of an
// organization); 1 for systems and contracts.
type Target struct {
	Code     string `json:"code"`
	Name     string `json:"name"`
	OrgCode  string `json:"org_code"`
	OrgName  string `json:"org_name"`
	SystemID string `json:"system_id,omitempty"`
	Findings int    `json:"findings"`
}

// CrossTab is a cross-tabulation with its method, since its applicable
// counts are estimates (see Build).
type CrossTab struct {
	Title   string     `json:"title"`
	TitleEN string     `json:"title_en"`
	Measure string     `json:"measure"`
	Rows    []CrossRow `json:"rows"`
	Note    string     `json:"note"`
	NoteEN  string     `json:"note_en"`
}

// CrossRow is one group of a cross-tabulation. Applicable is estimated;
// Failing is exact; Rate is the measure of the table.
type CrossRow struct {
	Group      string  `json:"group"`
	JA         string  `json:"ja"`
	EN         string  `json:"en"`
	Orgs       int     `json:"orgs,omitempty"`
	Failing    int64   `json:"failing"`
	Applicable float64 `json:"applicable"`
	Rate       float64 `json:"rate"`
}

// RateText is the row's rate as a percentage, or "—" when nothing applies
// (a 0% there would read as a finding).
func (r CrossRow) RateText() string {
	if r.Applicable == 0 {
		return "—"
	}
	return Percent(r.Rate)
}

// Options select the assessment: by ID, else the latest whose reference
// date falls in FiscalYear (when non-zero), else the latest.
type Options struct {
	FiscalYear   wareki.FiscalYear
	AssessmentID string
}

// Build reads the assessment and its findings and counts them.
func Build(ctx context.Context, st *store.Store, cats []*catalog.Catalog, opts Options) (*Report, error) {
	var a store.Assessment
	var err error
	switch {
	case opts.AssessmentID != "":
		if a, err = st.AssessmentByID(ctx, opts.AssessmentID); err != nil {
			return nil, err
		}
	default:
		var from, to string
		if opts.FiscalYear != 0 {
			from, to = opts.FiscalYear.Start().Format(time.DateOnly), opts.FiscalYear.End().Format(time.DateOnly)
		}
		var ok bool
		if a, ok, err = st.LatestAssessment(ctx, from, to); err != nil {
			return nil, err
		}
		if !ok {
			if opts.FiscalYear != 0 {
				return nil, mamori.Errorf(mamori.NotFound, "%[1]sの評価がありません。先に mamori check を実行してください",
					"no assessment in FY%[2]d: run mamori check first", opts.FiscalYear.Japanese(), int(opts.FiscalYear))
			}
			return nil, mamori.Errorf(mamori.NotFound, "評価がありません。先に mamori check を実行してください",
				"no assessment: run mamori check first")
		}
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
	findings := data.Findings
	controls := map[string]*catalog.Control{}
	for _, c := range cats {
		for _, k := range c.Controls {
			controls[k.ID] = k
		}
	}
	// Controls is [] rather than null in JSON when nothing failed.
	rep := &Report{FiscalYear: int(fy), FiscalYearJA: fy.Japanese(), Assessment: a.ID, ReferenceDate: a.ReferenceDate, Controls: []Control{}}
	// The findings come ordered by control: each control's are a sub-slice,
	// not a copy (340,000 of them nationally).
	byControl := map[string][]store.ReportFinding{}
	for i := 0; i < len(findings); {
		j := i + 1
		for j < len(findings) && findings[j].ControlID == findings[i].ControlID {
			j++
		}
		byControl[findings[i].ControlID] = findings[i:j:j]
		i = j
	}
	resultOf := map[string]store.ControlResult{}
	for _, r := range results {
		resultOf[r.ControlID] = r
		fs := byControl[r.ControlID]
		if len(fs) == 0 {
			continue
		}
		rep.Controls = append(rep.Controls, count(controls[r.ControlID], r, fs))
	}
	slices.SortFunc(rep.Controls, func(x, y Control) int { return strings.Compare(x.ID, y.ID) })
	rep.SystemID = systemIDTab(data, controls, results, byControl)
	rep.Training = trainingTab(data, resultOf["OUT-01"], byControl["OUT-01"])
	return rep, nil
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
	case store.TargetOrganizationFY:
		return units{"機関", "organizations", "機関・年度", "organization-years"}
	}
	return units{"機関", "organizations", "機関", "organizations"}
}

// count builds one control's tables from its findings (ordered by target).
func count(c *catalog.Control, r store.ControlResult, fs []store.ReportFinding) Control {
	out := Control{ID: r.ControlID, Title: r.ControlID, TitleEN: r.ControlID, Target: fs[0].TargetType}
	if c != nil {
		out.Title, out.TitleEN, out.Severity, out.Target = c.Title, c.TitleEN, c.Severity, c.Target
	}
	u := unitsOf(out.Target)
	out.Unit, out.UnitEN, out.ShareUnit, out.ShareUnitEN = u.ja, u.en, u.shareJA, u.shareEN
	out.Fail, out.Applicable = r.Fail, r.Pass+r.Fail+r.Errors
	if out.Applicable > 0 {
		out.Share = float64(out.Fail) / float64(out.Applicable)
	}
	// One entry per counted unit, found by code; allocation-light because a
	// national control has up to 80,000 units.
	type unit struct {
		tier int
		t    Target
	}
	units := make([]unit, 0, len(fs))
	index := make(map[string]int, len(fs))
	for _, f := range fs {
		code, name := unitKey(f)
		if i, ok := index[code]; ok {
			units[i].t.Findings++
			continue
		}
		index[code] = len(units)
		units = append(units, unit{tierIndex[store.TierOf(f.OrgKind)],
			Target{Code: code, Name: name, OrgCode: f.OrgCode, OrgName: f.OrgName, SystemID: f.SystemID, Findings: 1}})
	}
	slices.SortFunc(units, func(x, y unit) int {
		return cmp.Or(cmp.Compare(x.tier, y.tier), strings.Compare(x.t.OrgCode, y.t.OrgCode), strings.Compare(x.t.Code, y.t.Code))
	})
	for i := 0; i < len(units); {
		j := i + 1
		for j < len(units) && units[j].tier == units[i].tier {
			j++
		}
		t := store.Tiers[units[i].tier]
		tc := TierCount{Tier: t.Key, JA: t.JA, EN: t.EN, TargetList: make([]Target, 0, j-i)}
		for _, u := range units[i:j] {
			tc.TargetList = append(tc.TargetList, u.t)
			// Units are ordered by organization, so each one's first unit adds it.
			if u.t.OrgCode != "" && (len(tc.OrgList) == 0 || tc.OrgList[len(tc.OrgList)-1].Code != u.t.OrgCode) {
				tc.OrgList = append(tc.OrgList, Org{u.t.OrgCode, u.t.OrgName})
			}
		}
		tc.Orgs, tc.Targets = len(tc.OrgList), len(tc.TargetList)
		out.Orgs += tc.Orgs
		out.Targets += tc.Targets
		out.Tiers = append(out.Tiers, tc)
		i = j
	}
	out.Sentence, out.SentenceEN = sentences(out)
	return out
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

// Percent formats a share as the Board does, one decimal: "12.3%".
func Percent(x float64) string { return fmt.Sprintf("%.1f%%", x*100) }

func sentences(c Control) (ja, en string) {
	tja, ten := c.phrase(c.Orgs, c.Targets, true)
	var pja, pen []string
	for _, t := range c.Tiers {
		a, b := c.phrase(t.Orgs, t.Targets, false)
		pja = append(pja, t.JA+" "+a)
		pen = append(pen, strings.ToLower(t.EN[:1])+t.EN[1:]+": "+b)
	}
	ja = fmt.Sprintf("%s %s: %s（%s）、該当%sの%s", c.ID, c.Title, tja, strings.Join(pja, "、"), c.ShareUnit, Percent(c.Share))
	en = fmt.Sprintf("%s %s: %s (%s), %s of applicable %s", c.ID, c.TitleEN, ten, strings.Join(pen, "; "), Percent(c.Share), c.ShareUnitEN)
	return ja, en
}

// systemIDTab compares systems with and without a SystemID over every
// system control except REG-03 (which fails exactly the systems without
// one, so it would decide the comparison by definition).
//
// Results keep only per-control totals and findings only the failures, so
// the applicable systems of each group are estimated: the failing systems
// are counted exactly, and the control's non-failing applicable systems are
// split in proportion to the non-failing systems of each group in the whole
// register. The rate is 1 − failing (system, control) pairs / applicable
// pairs; run-time errors count with the passes.
func systemIDTab(data *store.ReportData, controls map[string]*catalog.Control,
	results []store.ControlResult, byControl map[string][]store.ReportFinding) CrossTab {
	tab := CrossTab{
		Title: "情報システムIDの有無別の管理策実施率", TitleEN: "Implementation rate by SystemID",
		Measure: "implementation_rate",
		Note: "システムを対象とする管理策（REG-03を除く）について、1 − 不適合（システム, 管理策）数 ÷ 該当数。" +
			"不適合数は所見から正確に数え、該当数は管理策ごとの適合・エラー数を台帳全体の情報システムID有無の比率で按分した推計。",
		NoteEN: "Over the system controls except REG-03: 1 − failing (system, control) pairs / applicable pairs. " +
			"Failures are exact; each control's non-failing applicable systems are apportioned by the register-wide share " +
			"of non-failing systems with and without a SystemID (an estimate: results keep totals only).",
	}
	with, without := data.SystemsWithID, data.SystemsWithoutID
	var fw, fwo int64
	var aw, awo float64
	for _, r := range results {
		c := controls[r.ControlID]
		if c == nil || c.Target != store.TargetSystem || r.ControlID == "REG-03" {
			continue
		}
		var cw, cwo int64
		for _, f := range byControl[r.ControlID] {
			if f.SystemID != "" {
				cw++
			} else {
				cwo++
			}
		}
		pw, pwo := max(with-cw, 0), max(without-cwo, 0)
		nonfail := float64(max(r.Pass+r.Fail+r.Errors-cw-cwo, 0))
		if pw+pwo > 0 {
			aw += float64(cw) + nonfail*float64(pw)/float64(pw+pwo)
			awo += float64(cwo) + nonfail*float64(pwo)/float64(pw+pwo)
		} else {
			aw, awo = aw+float64(cw), awo+float64(cwo)
		}
		fw, fwo = fw+cw, fwo+cwo
	}
	rate := func(f int64, a float64) float64 {
		if a <= 0 {
			return 0
		}
		return 1 - float64(f)/a
	}
	tab.Rows = []CrossRow{
		{Group: "with", JA: "情報システムIDあり", EN: "With SystemID", Failing: fw, Applicable: round1(aw), Rate: rate(fw, aw)},
		{Group: "without", JA: "情報システムIDなし", EN: "Without SystemID", Failing: fwo, Applicable: round1(awo), Rate: rate(fwo, awo)},
	}
	return tab
}

func round1(x float64) float64 { return float64(int64(x*10+0.5)) / 10 }

// trainingTab compares the share of contracts failing OUT-01 (a vendor item
// missing from the specification) at organizations that did and did not
// train their staff on outsourcing. A unit without its own answer takes its
// parent's: a regional branch is trained, or not, by its ministry.
// Applicable contracts are estimated as in systemIDTab, by each group's
// share of the non-failing contracts in the register.
func trainingTab(data *store.ReportData, r store.ControlResult, fs []store.ReportFinding) CrossTab {
	tab := CrossTab{
		Title: "外部委託に関する研修の実施有無別の仕様書7事項欠落率", TitleEN: "Contracts missing vendor items (OUT-01) by outsourcing training",
		Measure: "failing_share",
		Note: "OUT-01 不適合の契約数 ÷ 該当契約数。研修の有無は契約した組織の値（なければ上位組織の値）。" +
			"該当契約数は OUT-01 の適合・エラー数を台帳全体の契約数の比率で按分した推計。",
		NoteEN: "Contracts failing OUT-01 / applicable contracts. Training is the contracting organization's answer, else its parent's. " +
			"Applicable contracts are estimated by apportioning OUT-01's non-failing contracts by each group's share of the register's contracts.",
	}
	counts := data.ContractsByOrg
	byCode := make(map[string]store.ReportOrg, len(data.Orgs))
	for _, o := range data.Orgs {
		byCode[o.Code] = o
	}
	group := func(code string) string {
		for range 16 { // the hierarchy is shallow; the bound guards a cycle
			o, ok := byCode[code]
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
	groups := []CrossRow{
		{Group: "trained", JA: "研修実施", EN: "Training given"},
		{Group: "untrained", JA: "研修未実施", EN: "No training"},
		{Group: "unknown", JA: "不明", EN: "Unknown"},
	}
	idx := map[string]int{"trained": 0, "untrained": 1, "unknown": 2}
	pool := make([]int64, len(groups))
	orgSets := make([]map[string]bool, len(groups))
	for i := range orgSets {
		orgSets[i] = map[string]bool{}
	}
	for code, n := range counts {
		pool[idx[group(code)]] += n
	}
	for _, f := range fs {
		i := idx[group(f.OrgCode)]
		groups[i].Failing++
		orgSets[i][f.OrgCode] = true
	}
	var poolSum int64
	for i := range groups {
		pool[i] = max(pool[i]-groups[i].Failing, 0)
		poolSum += pool[i]
	}
	nonfail := float64(max(r.Pass+r.Fail+r.Errors-int64(len(fs)), 0))
	var rows []CrossRow
	for i, g := range groups {
		a := float64(g.Failing)
		if poolSum > 0 {
			a += nonfail * float64(pool[i]) / float64(poolSum)
		}
		if a == 0 && g.Group == "unknown" {
			continue // the unknown row only when the register leaves some contracts unanswered
		}
		g.Applicable, g.Orgs = round1(a), len(orgSets[i])
		if a > 0 {
			g.Rate = float64(g.Failing) / a
		}
		rows = append(rows, g)
	}
	tab.Rows = rows
	return tab
}

// JSON writes the report as indented JSON. Field order is the struct's and
// every list is sorted, so the same data gives the same bytes.
func (r *Report) JSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}
