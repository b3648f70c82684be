package store

// Queries for the audit report (package report): which assessment, and the
// findings it stands for joined to the names the Board of Audit's tables
// print. Each is one bulk statement, so a national report costs a handful of
// queries whatever the number of findings.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"mamori"
)

// Tier is a row of the Board of Audit's tables: the level of government an
// organization belongs to.
type Tier struct {
	Key, JA, EN string
}

// Tiers are the report's rows, in the Board's order. 独立行政法人等 is a
// fifth tier of mamori's own: the Board reports agencies separately, and
// folding them into 本府省庁等 would change its counts.
var Tiers = []Tier{
	{"central", "本府省庁等", "Central offices"},
	{"branch", "地方支分部局", "Regional branches"},
	{"prefecture", "都道府県", "Prefectures"},
	{"municipality", "市区町村", "Municipalities"},
	{"agency", "独立行政法人等", "Incorporated administrative agencies"},
	{"other", "その他", "Other"},
}

// TierOf maps an organization kind to its tier key. A ministry as a body
// (and the government itself) is reported with its central offices, as the
// Board does; an unknown kind (a finding without an organization) is "other".
func TierOf(kind string) string {
	switch kind {
	case "central", "ministry", "government":
		return "central"
	case "branch", "prefecture", "municipality", "agency":
		return kind
	}
	return "other"
}

// assessmentCols are read by scanAssessment.
const assessmentCols = `id, started_at, finished_at, reference_date, catalogs, params, scope, fiscal_years`

// scanAssessment reads one assessment row. The time stamps are TIMESTAMPTZ
// on PostgreSQL and RFC 3339 text on SQLite, so they are scanned as any.
func (s *Store) scanAssessment(row *sql.Row) (Assessment, error) {
	var a Assessment
	var started, finished, ref any
	var fys string
	if err := row.Scan(&a.ID, &started, &finished, &ref, &a.Catalogs, &a.Params, &a.Scope, &fys); err != nil {
		return a, err
	}
	a.FiscalYears = splitInts(fys)
	ts := func(v any) time.Time {
		switch x := v.(type) {
		case time.Time:
			return x.UTC()
		case string:
			t, _ := time.Parse(time.RFC3339Nano, x)
			return t
		case []byte:
			t, _ := time.Parse(time.RFC3339Nano, string(x))
			return t
		}
		return time.Time{}
	}
	a.StartedAt, a.FinishedAt = ts(started), ts(finished)
	a.ReferenceDate = str(dateString(ref))
	return a, nil
}

// AssessmentByID returns one stored assessment, or a NotFound error.
func (s *Store) AssessmentByID(ctx context.Context, id string) (Assessment, error) {
	a, err := s.scanAssessment(s.read.QueryRowContext(ctx, `SELECT `+assessmentCols+` FROM assessments WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return a, mamori.Errorf(mamori.NotFound, "評価「%s」は見つかりません", "assessment %q not found", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: assessment: %w", err)
	}
	return a, nil
}

// LatestAssessment returns the assessment with the latest reference date in
// [from, to] ("YYYY-MM-DD"; empty bounds are open), the latest finished on
// ties. ok is false when there is none. An assessment of the whole register
// comes first whatever its date: only it speaks for the whole government,
// and a later `check --org M03` would otherwise divide every open finding
// by one ministry's denominators. Then an organization's subtree, then
// re-checks of single systems.
func (s *Store) LatestAssessment(ctx context.Context, from, to string) (a Assessment, ok bool, err error) {
	if from == "" {
		from = "0001-01-01"
	}
	if to == "" {
		to = "9999-12-31"
	}
	a, err = s.scanAssessment(s.read.QueryRowContext(ctx, `SELECT `+assessmentCols+` FROM assessments
		WHERE reference_date >= $1 AND reference_date <= $2
		ORDER BY CASE WHEN scope = '{}' OR (scope LIKE '%"org":""%' AND scope LIKE '%"system":""%') THEN 0
			WHEN scope NOT LIKE '%"system"%' OR scope LIKE '%"system":""%' THEN 1 ELSE 2 END,
			reference_date DESC, finished_at DESC, id DESC LIMIT 1`, s.dateArg(from), s.dateArg(to)))
	if errors.Is(err, sql.ErrNoRows) {
		return a, false, nil
	}
	if err != nil {
		return a, false, fmt.Errorf("store: latest assessment: %w", err)
	}
	return a, true, nil
}

// ReportFinding is one failing target as the audit report counts it, with
// the names its tables print. For system and component targets System* name
// the system (for a component, the system that owns it: the Board counts
// systems); TargetName is the system name, contract title, cloud service or
// organization name.
type ReportFinding struct {
	ControlID, TargetType, TargetCode, TargetName string
	OrgCode, OrgName, OrgKind                     string
	SystemCode, SystemName, SystemID              string
	Result                                        string   // ResultFail, ResultUnknown or ResultError
	Criteria                                      []string // the criteria that failed, or could not be decided
	Amount                                        *int64   // the control's measure
}

// ReportData is what the audit report reads: the findings, and the
// register-wide counts its cross-tabulations split them against.
type ReportData struct {
	Findings []ReportFinding // by control, then target code
	Orgs     []ReportOrg     // by code
	// SystemsWithID and SystemsWithoutID count every system of the register.
	SystemsWithID, SystemsWithoutID int64
	ContractsByOrg                  map[string]int64
	// OrgResults are the assessment's outcomes per organization, fiscal
	// year and segment: the populations, denominators and cross-tabulations.
	OrgResults []OrgResult
}

// ReportFindings returns the findings open on the assessment's reference
// date for the controls it assessed, by control and target, with the
// register counts of ReportData.
//
// Findings are kept per (control, target) across assessments, not per
// assessment, so "open on the reference date" is rebuilt from the episode
// dates: first seen on or before it and not resolved by then. For the latest
// assessment that is exactly what it found; for an older one it misses an
// episode that was later resolved and reopened (its first_seen moved), and
// counts a finding resolved by a later run of the same day as resolved.
func (s *Store) ReportFindings(ctx context.Context, a Assessment) (*ReportData, error) {
	orgs, err := s.reportOrgs(ctx)
	if err != nil {
		return nil, err
	}
	d := &ReportData{Orgs: orgs, ContractsByOrg: map[string]int64{}}
	// An assessment of one subtree or one system speaks only for it: the
	// findings table holds every organization's.
	sc := a.Assessed()
	var within map[string]bool
	if sc.Org != "" {
		if within, err = s.Subtree(ctx, sc.Org); err != nil {
			return nil, err
		}
	}
	if d.OrgResults, err = s.OrgResults(ctx, a.ID); err != nil {
		return nil, err
	}
	byCode := make(map[string]*ReportOrg, len(orgs))
	for i := range orgs {
		byCode[orgs[i].Code] = &orgs[i]
	}
	// The findings are read on their own and the names looked up in maps
	// filled by whole-table scans, all run concurrently: on the national
	// data set (340,000 findings) scanning systems and contracts is cheaper
	// than seeking them once per finding, and a join with one LEFT JOIN per
	// target type seeks every table for every finding. Components are the
	// exception (3,000,000 rows): only the failing ones are looked up.
	type sysInfo struct{ name, systemID string }
	systems := map[string]sysInfo{}
	names := map[string]string{}      // contract and cloud service names
	compSystem := map[string]string{} // failing component -> its system
	// Sized from the results up front: growing a slice of 340,000 findings
	// by appending costs more than reading them.
	var n int64
	if err := s.read.QueryRowContext(ctx, `SELECT COALESCE(SUM(fail), 0) FROM results WHERE assessment_id = $1`, a.ID).Scan(&n); err != nil {
		return nil, fmt.Errorf("store: report findings: %w", err)
	}
	out := make([]ReportFinding, 0, n)
	const open = ` f.first_seen <= $2 AND (f.resolved_on IS NULL OR f.resolved_on > $2)`
	const from = ` FROM findings f JOIN results r ON r.assessment_id = $1 AND r.control_id = f.control_id `
	args := []any{a.ID, s.dateArg(a.ReferenceDate)}
	jobs := []job{
		{name: "report systems", q: `SELECT code, name, system_id FROM systems`, apply: func(r []any) {
			systems[str(r[0])] = sysInfo{str(r[1]), str(r[2])}
			if str(r[2]) != "" {
				d.SystemsWithID++
			} else {
				d.SystemsWithoutID++
			}
		}},
		{name: "report contracts", q: `SELECT code, title, org_code FROM contracts`, apply: func(r []any) {
			names["contract\x00"+str(r[0])] = str(r[1])
			d.ContractsByOrg[str(r[2])]++
		}},
		{name: "report cloud services", q: `SELECT code, name FROM cloud_services`, apply: func(r []any) {
			names["cloud-service\x00"+str(r[0])] = str(r[1])
		}},
		{name: "report audits", q: `SELECT code, coalesce(title, '') FROM audits`, apply: func(r []any) {
			names["audit\x00"+str(r[0])] = str(r[1])
		}},
		{name: "report budget items", q: `SELECT code, title FROM budget_items`, apply: func(r []any) {
			names["budget-item\x00"+str(r[0])] = str(r[1])
		}},
		{name: "report components", q: `SELECT f.target_code, c.system_code` + from +
			`JOIN components c ON c.code = f.target_code WHERE f.target_type = 'component' AND` + open, args: args,
			apply: func(r []any) { compSystem[str(r[0])] = str(r[1]) }},
		// Last, so the maps above are filled when its rows are applied.
		{name: "report findings", q: `SELECT f.control_id, f.target_type, f.target_code, f.org_code, f.result, f.criteria, f.amount` + from + `WHERE` + open +
			` ORDER BY f.control_id, f.target_code`, args: args, apply: func(r []any) {
			f := ReportFinding{ControlID: str(r[0]), TargetType: str(r[1]), TargetCode: str(r[2]), OrgCode: str(r[3]),
				Result: str(r[4]), Criteria: strings.Fields(str(r[5]))}
			if f.TargetType == TargetOrganizationFY && !coversYear(a.FiscalYears, f.TargetCode) {
				return // a year this assessment did not judge
			}
			if within != nil && !within[f.OrgCode] {
				return // outside the subtree assessed
			}
			if r[6] != nil {
				n := i64(r[6])
				f.Amount = &n
			}
			if o := byCode[f.OrgCode]; o != nil {
				f.OrgName, f.OrgKind = o.Name, o.Kind
			}
			switch f.TargetType {
			case TargetSystem:
				if si, ok := systems[f.TargetCode]; ok {
					f.SystemCode, f.SystemName, f.SystemID, f.TargetName = f.TargetCode, si.name, si.systemID, si.name
				}
			case TargetComponent:
				if sc, ok := compSystem[f.TargetCode]; ok {
					si := systems[sc]
					f.SystemCode, f.SystemName, f.SystemID = sc, si.name, si.systemID
				}
			case TargetOrganization, TargetOrganizationFY:
				f.TargetName = f.OrgName
			default:
				f.TargetName = names[f.TargetType+"\x00"+f.TargetCode]
			}
			if f.TargetName == "" {
				f.TargetName = f.TargetCode // a component, or a target deleted since it was found
			}
			if sc.System != "" && f.SystemCode != sc.System {
				return // a re-check of one system speaks for that system only
			}
			out = append(out, f)
		}},
	}
	if err := s.runJobs(ctx, jobs); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	d.Findings = out
	return d, nil
}

// ReportOrg is an organization as the report's cross-tabulations see it.
// Training is the organization's answer (outsourcing_training), else true
// where the register records an outsourcing course of the organization
// as delivered (training.go); nil when neither says. A year without such
// a course is not taken to mean no training: the answer may be kept
// elsewhere.
type ReportOrg struct {
	Code, Parent, Kind, Name string
	Training                 *bool
}

// reportOrgs returns every organization, by code.
func (s *Store) reportOrgs(ctx context.Context) ([]ReportOrg, error) {
	var out []ReportOrg
	err := s.each(ctx, `SELECT code, parent_code, kind, name, outsourcing_training FROM organizations ORDER BY code`, nil, func(r []any) {
		o := ReportOrg{Code: str(r[0]), Parent: str(r[1]), Kind: str(r[2]), Name: str(r[3])}
		if b, ok := boolean(r[4]).(bool); ok {
			o.Training = &b
		}
		out = append(out, o)
	})
	if err != nil {
		return nil, fmt.Errorf("store: report organizations: %w", err)
	}
	delivered := map[string]bool{}
	err = s.each(ctx, `SELECT DISTINCT c.org_code FROM training_courses c WHERE c.kind = 'outsourcing'
		AND (c.delivered_from IS NOT NULL OR c.delivered_until IS NOT NULL
			OR EXISTS (SELECT 1 FROM training_attendance a WHERE a.course_code = c.code AND a.attended_on IS NOT NULL))`, nil,
		func(r []any) { delivered[str(r[0])] = true })
	if err != nil {
		return nil, fmt.Errorf("store: report organizations: outsourcing training: %w", err)
	}
	yes := true
	for i := range out {
		if out[i].Training == nil && delivered[out[i].Code] {
			out[i].Training = &yes
		}
	}
	return out, nil
}

// SubsidyRow is one subsidy as the report counts it.
type SubsidyRow struct {
	OrgCode, OrgKind, Program string
	FiscalYear                int64
	Amount                    *int64
}

// Subsidies returns every subsidy received, with the organization's kind.
func (s *Store) Subsidies(ctx context.Context) ([]SubsidyRow, error) {
	var out []SubsidyRow
	err := s.each(ctx, `SELECT x.org_code, o.kind, x.program, x.fiscal_year, x.amount FROM subsidies x
		JOIN organizations o ON o.code = x.org_code ORDER BY x.program, x.org_code, x.fiscal_year`, nil, func(r []any) {
		row := SubsidyRow{OrgCode: str(r[0]), OrgKind: str(r[1]), Program: str(r[2]), FiscalYear: i64(r[3])}
		if r[4] != nil {
			n := i64(r[4])
			row.Amount = &n
		}
		out = append(out, row)
	})
	if err != nil {
		return nil, fmt.Errorf("store: subsidies: %w", err)
	}
	return out, nil
}
