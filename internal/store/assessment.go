package store

// Check views and assessments. A view is the data one check target type
// exposes to the CEL checks of package check: the entity's own columns plus
// derived fields, each computed by one bulk query over the whole data set
// (never one query per target), so a national check costs a few dozen
// statements. The view schema lives here, beside the SQL that fills it, and
// package check compiles expressions against it.

import (
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"mamori"
)

// ViewType is the CEL-facing type of a view field.
type ViewType int

// The view field types.
const (
	ViewString  ViewType = iota // string (dates are "YYYY-MM-DD" strings)
	ViewInt                     // int64
	ViewBool                    // bool
	ViewStrings                 // []string
	ViewMaps                    // []map[string]any
)

// ViewField is one field of a view.
type ViewField struct {
	Name string
	Type ViewType
}

// View describes one target type: the CEL variable it is bound to and its
// fields, in the order of ViewRow.Values.
type View struct {
	Target string
	Var    string
	Fields []ViewField
	index  map[string]int
	base   int // Fields[:base] are the entity's columns, the rest derived
	// nullable marks derived fields left absent when nothing backs them.
	nullable map[int]bool
}

// Field reports the position of a field, or -1.
func (v *View) Field(name string) int {
	if i, ok := v.index[name]; ok {
		return i
	}
	return -1
}

// ViewRow is one target: its code (the finding key), its organization and
// that organization's kind, and one value per View field (nil when absent).
type ViewRow struct {
	Code    string
	OrgCode string
	OrgKind string
	FY      int64 // organization-fy only
	// Segment splits a target type's results for the report's
	// cross-tabulations: for systems, "with_id" or "without_id" (a
	// デジタル庁 SystemID); empty elsewhere.
	Segment string
	// Sighted marks a system seen outside the register (a contract, a
	// payment, the SystemID list, an inventory) that no register entry
	// matches: only controls whose population includes sightings see it.
	Sighted bool
	Values  []any
}

// ViewScope narrows a view load. System loads only that system (and, for
// components, its components); it exists so re-checking one system does not
// read the rest.
type ViewScope struct {
	System string
	// Fields, when non-nil, are the only view fields the caller reads: the
	// others are neither selected nor derived, and stay nil. At 3,000,000
	// components every column left out is 3,000,000 values not decoded.
	Fields map[string]bool
	// FiscalYears are the years an organization-fy view has a row for, per
	// organization. Empty means the years any plan was recorded for.
	FiscalYears []int64
	// Sightings adds, to the system view, a row for each system seen
	// outside the register that no register entry matches.
	Sightings bool
}

// The target types.
const (
	TargetOrganization   = "organization"
	TargetOrganizationFY = "organization-fy"
	TargetSystem         = "system"
	TargetComponent      = "component"
	TargetContract       = "contract"
	TargetCloud          = "cloud-service"
	TargetProject        = "project"
	TargetAudit          = "audit"
	TargetBudget         = "budget-item"
)

// derived is a field computed from other tables. A nullable one stays absent
// (nil) when there is nothing to compute it from, so a check can tell "no
// records" (未確認) from "records that say no"; the others read as zero or
// empty.
type derived struct {
	name     string
	typ      ViewType
	nullable bool
}

var viewDefs = []struct {
	target, variable, entity string
	derived                  []derived
}{
	{TargetOrganization, "org", "organizations", []derived{
		{"roles", ViewStrings, false}, {"plan_kinds", ViewStrings, false}, {"unrestricted_flows", ViewInt, false},
		{"mynumber_internet_flows", ViewInt, false}, {"open_audit_findings", ViewStrings, false},
		{"project_stage_count", ViewInt, false}, {"unreviewed_stages", ViewInt, false}, {"system_count", ViewInt, false},
		{"unfollowed_surveys", ViewInt, false}, {"unfollowed_conditions", ViewInt, false},
		{"survey_answer_count", ViewInt, false},
		// Whether the organization is a body (機関) the plan and role
		// controls judge: see orgTree.isBody.
		{"is_body", ViewBool, false},
		// The three-layer measures, from the organization's answers and its
		// terminals and records (see derive.go); absent when neither says.
		{"flow_count", ViewInt, true}, {"mynumber_terminals", ViewInt, false},
		{"two_factor_state", ViewString, true}, {"export_blocking_state", ViewString, true},
		{"unblock_unlimited", ViewBool, true}, {"unblock_month_or_more", ViewBool, true},
		{"exports_logged", ViewBool, true}, {"exports_items_recorded", ViewBool, true},
		{"csirt_record_documented", ViewBool, true}, // incident.go
	}},
	{TargetOrganizationFY, "org", "organizations", []derived{
		{"roles", ViewStrings, false}, {"plans", ViewMaps, false}, {"out_of_plan_unshared", ViewInt, false},
		{"incidents", ViewInt, false}, {"is_body", ViewBool, false},
		{"incident_free_years", ViewStrings, false}, {"drills", ViewMaps, false}, // incident.go
		// Training under the education plan (training.go): absent when the
		// year has no course recorded, or none that says who must attend.
		{"training_course_count", ViewInt, true}, {"courses_delivered", ViewInt, true}, {"training_courses", ViewMaps, true},
		// LG-15: whether the year's emergency plans cover targeted attacks;
		// absent (未確認) when no plan says so and one leaves it blank.
		{"emergency_targeted", ViewBool, true},
	}},
	{TargetSystem, "system", "systems", []derived{
		{"org_kind", ViewString, false}, {"log_kinds_collected", ViewStrings, true}, {"log_source_count", ViewInt, false},
		{"min_retention_days", ViewInt, true}, {"last_log_review", ViewString, false}, {"last_access_review", ViewString, false},
		{"itbcp_plan_count", ViewInt, false}, {"itbcp_incomplete_plans", ViewInt, false},
		{"shared_privileged_accounts", ViewInt, false}, {"leaver_accounts", ViewInt, false}, {"shared_user_accounts", ViewInt, false},
		{"component_count", ViewInt, false}, {"shared_auth_components", ViewInt, false},
		{"personal_info_components", ViewInt, false}, {"networked_components", ViewInt, false},
		{"contract_count", ViewInt, false}, {"missing_register_items", ViewStrings, false},
		{"security_officer_status", ViewString, false},
		{"software_count", ViewInt, false}, {"open_vulns", ViewInt, false}, {"unhandled_vulns", ViewInt, false},
		{"unhandled_sample", ViewStrings, false}, {"earliest_plan_due", ViewString, false}, {"earliest_kev_due", ViewString, false},
		{"vuln_matched_on", ViewString, false}, {"feed_updated_on", ViewString, false},
		// REG-01 by reconciliation: a system seen only outside the register,
		// and where any system was seen (contracts, payments, lists).
		{"sighted", ViewBool, false}, {"seen_in", ViewStrings, false},
		// Facts aggregated from the components, absent when they do not say.
		{"holds_personal_info", ViewBool, true}, {"talks_to_devices", ViewBool, true},
		{"default_password_clear", ViewBool, true},
		// GOV-09 (governance.go): the last day paid for a retired system, and
		// what was paid under contracts that ran past its retirement.
		{"last_paid_on", ViewString, true}, {"paid_after_retirement", ViewInt, false},
	}},
	{TargetComponent, "component", "components", []derived{
		{"org_code", ViewString, false}, {"org_kind", ViewString, false}, {"system_class", ViewString, false},
		{"system_status", ViewString, false}, {"export_exceptions", ViewMaps, false},
		{"spi_shares", ViewInt, false}, {"open_spi_shares", ViewInt, false},
		// The newest update of each kind, from the component and its history,
		// and the organization's LGWAN/Internet split (seed 002).
		{"last_patched_on", ViewString, true}, {"last_av_on", ViewString, true}, {"org_split_on", ViewString, true},
		{"segment", ViewString, true},
	}},
	{TargetContract, "contract", "contracts", []derived{
		{"clauses", ViewStrings, false}, {"clause_groups", ViewStrings, false}, {"verification_count", ViewInt, false},
		{"cloud_ismap_status", ViewString, false}, {"cloud_valid_until", ViewString, false}, {"system_count", ViewInt, false},
		// The clauses of each role the contract lacks, by clause code; absent
		// when no clause of the contract is recorded at all.
		{"missing_spec_items", ViewStrings, true}, {"missing_subcontract_items", ViewStrings, true},
		{"missing_takeout_items", ViewStrings, true}, {"missing_ismap_items", ViewStrings, true},
		{"contract_date", ViewString, true}, {"paid_total", ViewInt, true}, {"project_has_plan", ViewBool, true},
		// The workflow requests that cleared the contract's gates (gates.go).
		{"conformity_requests", ViewStrings, false}, {"spec_review_requests", ViewStrings, false}, {"cloud_use_requests", ViewStrings, false},
		{"conformity_gate_state", ViewString, true}, {"spec_review_gate_state", ViewString, true},
		// GOV-01 and GOV-08 (governance.go).
		{"in_plan_items", ViewBool, false}, {"plan_itemised", ViewBool, false},
		{"survey_count", ViewInt, false}, {"last_survey_on", ViewString, true},
		// What the published ISMAP lists say of the contract's service (cloudlist.go).
		{"cloud_listed", ViewBool, true}, {"cloud_list_kind", ViewString, true}, {"cloud_list_as_of", ViewString, true},
		{"cloud_list_valid_until", ViewString, true}, {"cloud_last_listed_on", ViewString, true}, {"cloud_claim_differs", ViewString, true},
	}},
	{TargetCloud, "cloud", "cloud_services", []derived{
		{"contract_count", ViewInt, false},
	}},
	{TargetProject, "project", "projects", []derived{
		{"system_count", ViewInt, false}, {"contract_count", ViewInt, false}, {"budget_item_count", ViewInt, false},
		{"paid_total", ViewInt, true},
		// GOV-02, GOV-04 and GOV-10 (governance.go): an investment record
		// or the project's answer (absent when neither says), the monthly
		// use of its systems, and whether a documented plan lists it.
		{"demand_evidence", ViewBool, true}, {"usage_evidence", ViewBool, true}, {"cost_evidence", ViewBool, true},
		{"usage", ViewMaps, false}, {"usage_last_month", ViewString, true}, {"in_plan", ViewBool, false},
	}},
	{TargetAudit, "audit", "audits", []derived{
		{"finding_count", ViewInt, false}, {"open_finding_count", ViewInt, false},
	}},
	// Seed 000: money under no project plan, and a supplementary budget
	// spent with no demand survey behind it.
	{TargetBudget, "budget", "budget_items", []derived{
		{"project_has_plan", ViewBool, true}, {"project_demand_surveyed", ViewBool, true},
		{"in_plan_items", ViewBool, false}, {"plan_itemised", ViewBool, false},
	}},
}

var views = func() map[string]*View {
	out := map[string]*View{}
	for _, d := range viewDefs {
		v := &View{Target: d.target, Var: d.variable, index: map[string]int{}, nullable: map[int]bool{}}
		for _, f := range mamori.EntityByName(d.entity).Fields {
			t := ViewString
			switch f.Type {
			case mamori.Integer, mamori.Money, mamori.FiscalYear:
				t = ViewInt
			case mamori.Bool:
				t = ViewBool
			}
			v.Fields = append(v.Fields, ViewField{f.Column, t})
		}
		v.base = len(v.Fields)
		for _, x := range d.derived {
			if slices.ContainsFunc(v.Fields, func(f ViewField) bool { return f.Name == x.name }) {
				continue // a column already (components have no org_code, systems do)
			}
			v.Fields = append(v.Fields, ViewField{x.name, x.typ})
		}
		for i, f := range v.Fields {
			v.index[f.Name] = i
		}
		for _, x := range d.derived {
			if x.nullable {
				v.nullable[v.index[x.name]] = true
			}
		}
		out[d.target] = v
	}
	return out
}()

// ViewOf returns the view of a target type, or nil.
func ViewOf(target string) *View { return views[target] }

// Targets lists the target types in a stable order.
func Targets() []string {
	out := make([]string, len(viewDefs))
	for i, d := range viewDefs {
		out[i] = d.target
	}
	return out
}

// viewBatch bounds the rows handed to the caller at once, so 3,000,000
// components never sit in memory together.
const viewBatch = 20000

// LoadView streams the rows of a target type's view to fn in batches, one
// call at a time. Each batch is ordered by code; a whole large table is read
// in key ranges concurrently, so batches of different ranges interleave.
// Derived fields are computed first by bulk queries (they are sparse or
// per-system, so small), then the entity table is streamed.
func (s *Store) LoadView(ctx context.Context, target string, scope ViewScope, fn func([]ViewRow) error) error {
	v := views[target]
	if v == nil {
		return fmt.Errorf("store: unknown view %q", target)
	}
	d := viewData{v: v, fields: scope.Fields, orgKinds: map[string]string{}, sightings: scope.Sightings && target == TargetSystem}
	// Every organization's kind, or only the one a re-checked system
	// belongs to: a one-system check must not read the whole tree.
	kinds, args := `SELECT code, kind FROM organizations`, []any(nil)
	if scope.System != "" {
		kinds, args = `SELECT o.code, o.kind FROM organizations o JOIN systems s ON s.org_code = o.code WHERE s.code = $1`, []any{scope.System}
	}
	if err := s.each(ctx, kinds, args, func(r []any) { d.orgKinds[str(r[0])] = str(r[1]) }); err != nil {
		return fmt.Errorf("store: view %s: organization kinds: %w", target, err)
	}
	if target == TargetOrganizationFY {
		d.fys = slices.Clone(scope.FiscalYears)
	}
	var err error
	switch target {
	case TargetOrganization, TargetOrganizationFY:
		if scope.System != "" {
			return nil
		}
		err = s.orgDerived(ctx, &d, target == TargetOrganizationFY)
	case TargetSystem:
		err = s.systemDerived(ctx, &d, scope.System)
		if err == nil {
			err = s.vulnDerived(ctx, &d, scope.System)
		}
		if err == nil {
			err = s.governanceSystem(ctx, &d, scope.System)
		}
	case TargetComponent:
		err = s.componentDerived(ctx, &d, scope.System)
	case TargetContract:
		if scope.System != "" {
			return nil
		}
		err = s.contractDerived(ctx, &d)
	case TargetCloud:
		if scope.System != "" {
			return nil
		}
		err = s.keyedCount(ctx, &d, "contract_count", `SELECT cloud_service_code, count(*) FROM contracts WHERE cloud_service_code IS NOT NULL GROUP BY cloud_service_code`)
	case TargetProject:
		if scope.System != "" {
			return nil
		}
		err = s.projectDerived(ctx, &d)
	case TargetBudget:
		if scope.System != "" {
			return nil
		}
		err = s.governanceBudget(ctx, &d)
	case TargetAudit:
		if scope.System != "" {
			return nil
		}
		err = s.runJobs(ctx, []job{
			{name: "finding_count", q: `SELECT audit_code, count(*) FROM audit_findings GROUP BY audit_code`,
				apply: func(r []any) { d.set(str(r[0]), "finding_count", i64(r[1])) }},
			{name: "open_finding_count", q: `SELECT audit_code, count(*) FROM audit_findings WHERE closed_on IS NULL GROUP BY audit_code`,
				apply: func(r []any) { d.set(str(r[0]), "open_finding_count", i64(r[1])) }},
		})
	}
	if err != nil {
		return fmt.Errorf("store: view %s: %w", target, err)
	}
	if err := s.streamBase(ctx, &d, scope, fn); err != nil {
		return err
	}
	if len(d.sighted) > 0 {
		return fn(d.sightedRows())
	}
	return nil
}

// sightedRows turns the systems seen only outside the register into rows
// of the system view: what the sightings tell (organization, name,
// SystemID, where they were seen), not in the register, the rest absent.
func (d *viewData) sightedRows() []ViewRow {
	e := mamori.EntityByName("systems")
	out := make([]ViewRow, 0, len(d.sighted))
	for _, group := range d.sighted {
		first := group[0]
		vals := make([]any, len(d.v.Fields))
		vals[e.FieldIndex("code")] = "sighting:" + first.code
		vals[e.FieldIndex("org_code")] = first.org
		for _, x := range group {
			if vals[e.FieldIndex("name")] == nil && x.name != "" {
				vals[e.FieldIndex("name")] = x.name
			}
			if vals[e.FieldIndex("system_id")] == nil && x.systemID != "" {
				vals[e.FieldIndex("system_id")] = x.systemID
			}
		}
		vals[e.FieldIndex("in_register")] = false
		vals[d.v.Field("sighted")] = true
		var seen []string
		for _, x := range group {
			if !slices.Contains(seen, x.source) {
				seen = append(seen, x.source)
			}
		}
		vals[d.v.Field("seen_in")] = seen
		d.zeroFill(vals, len(e.Fields))
		segment := "without_id"
		if vals[e.FieldIndex("system_id")] != nil {
			segment = "with_id"
		}
		out = append(out, ViewRow{Code: vals[0].(string), OrgCode: first.org, OrgKind: d.orgKinds[first.org], Segment: segment,
			Sighted: true, Values: vals})
	}
	return out
}

// zeroFill makes absent counts and lists read as zero and empty, except the
// nullable fields, whose absence is missing evidence.
func (d *viewData) zeroFill(vals []any, nCols int) {
	for i, f := range d.v.Fields[nCols:] {
		if vals[nCols+i] != nil || d.v.nullable[nCols+i] {
			continue
		}
		switch f.Type {
		case ViewInt:
			vals[nCols+i] = int64(0)
		case ViewStrings:
			vals[nCols+i] = []string{}
		case ViewMaps:
			vals[nCols+i] = []map[string]any{}
		case ViewBool:
			vals[nCols+i] = false
		}
	}
}

// viewData holds the derived values by target code (for organization-fy,
// by organization code, plus the per-year extras).
type viewData struct {
	v           *View
	fields      map[string]bool  // nil: every field
	by          map[string][]any // code -> derived values (view field - View.base; nil when absent)
	fys         []int64
	perFY       map[string]map[int64]int64         // out_of_plan_unshared by org and year
	incidentsFY map[string]map[int64]int64         // incidents detected, by org and fiscal year
	trainingFY  map[string]map[int64]*trainingYear // training (PLN-07, PLN-08), by org and fiscal year
	items       []registerItem
	bySystem    map[string][4]string // components: org code, org kind, class, status of each system
	orgKinds    map[string]string    // every organization's kind, by code
	sightings   bool                 // add rows for systems seen only outside the register
	sighted     [][]sighting         // those systems, each with the sightings that name it
	// finish, when set, completes a row once its columns and derived
	// values are merged (a value computed from both).
	finish func(vals []any)
}

type registerItem struct {
	field     int
	name      string
	cloudOnly bool
}

// need reports whether the caller reads a field.
func (d *viewData) need(field string) bool { return d.fields == nil || d.fields[field] }

func (d *viewData) set(code, field string, val any) {
	i := d.v.Field(field)
	if i < d.v.base {
		panic("store: view " + d.v.Target + " has no derived field " + field)
	}
	if d.by == nil {
		d.by = map[string][]any{}
	}
	m := d.by[code]
	if m == nil {
		m = make([]any, len(d.v.Fields)-d.v.base)
		d.by[code] = m
	}
	m[i-d.v.base] = val
}

// get returns a derived value of a target, or nil.
func (d *viewData) get(code, field string) any {
	if m := d.by[code]; m != nil {
		return m[d.v.Field(field)-d.v.base]
	}
	return nil
}

func (d *viewData) appendString(code, field, val string) {
	cur, _ := d.get(code, field).([]string)
	if !slices.Contains(cur, val) {
		d.set(code, field, append(cur, val))
	}
}

func (d *viewData) appendMap(code, field string, val map[string]any) {
	cur, _ := d.get(code, field).([]map[string]any)
	d.set(code, field, append(cur, val))
}

// dateString turns a driver's date (time.Time on PostgreSQL, text on SQLite) into "YYYY-MM-DD".
func dateString(v any) any {
	switch x := v.(type) {
	case time.Time:
		return x.Format(time.DateOnly)
	case []byte:
		return string(x)
	}
	return v
}

// each runs q and calls fn with each row's values, dates as strings, bools as bool.
func (s *Store) each(ctx context.Context, q string, args []any, fn func(vals []any)) error {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	raw, ptrs := make([]any, len(cols)), make([]any, len(cols))
	for rows.Next() {
		for i := range raw {
			raw[i] = nil
			ptrs[i] = &raw[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i := range raw {
			raw[i] = dateString(raw[i])
		}
		fn(raw)
	}
	return rows.Err()
}

func str(v any) string {
	s, _ := v.(string)
	return s
}

func i64(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int32:
		return int64(x)
	case float64:
		return int64(x)
	case string:
		// PostgreSQL's numeric (a sum of bigints) arrives as text; a
		// silent zero here would be a wrong count.
		n, _ := strconv.ParseInt(x, 10, 64)
		return n
	}
	return 0
}

func boolean(v any) any {
	switch x := v.(type) {
	case bool:
		return x
	case int64:
		return x != 0
	}
	return nil
}

// job is one derived-field query and what to do with each of its rows.
type job struct {
	name  string
	q     string
	args  []any
	apply func(r []any)
}

// runJobs runs independent derived-field queries concurrently on the read
// pool (bounded by GOMAXPROCS), then applies their rows in job order, so the
// result does not depend on which query finished first.
func (s *Store) runJobs(ctx context.Context, jobs []job) error {
	// Each job's rows are kept flat, in chunks: no allocation per row.
	rows := make([][][]any, len(jobs))
	width := make([]int, len(jobs))
	errs := make([]error, len(jobs))
	sem := make(chan struct{}, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i, j := range jobs {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			errs[i] = s.each(ctx, j.q, j.args, func(r []any) {
				width[i] = len(r)
				n := len(rows[i])
				if n == 0 || len(rows[i][n-1])+len(r) > cap(rows[i][n-1]) {
					// Chunks double from 16 rows: a one-system load stays small.
					size := 16 << min(n, 10)
					rows[i] = append(rows[i], make([]any, 0, size*len(r)))
					n++
				}
				rows[i][n-1] = append(rows[i][n-1], r...)
			})
		})
	}
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			return fmt.Errorf("%s: %w", j.name, errs[i])
		}
		for _, flat := range rows[i] {
			for k := 0; k+width[i] <= len(flat); k += width[i] {
				j.apply(flat[k : k+width[i] : k+width[i]])
			}
		}
	}
	return nil
}

func (s *Store) keyedCount(ctx context.Context, d *viewData, field, q string, args ...any) error {
	return s.each(ctx, q, args, func(r []any) { d.set(str(r[0]), field, i64(r[1])) })
}

func (s *Store) keyedString(ctx context.Context, d *viewData, field, q string, args ...any) error {
	return s.each(ctx, q, args, func(r []any) {
		if r[1] != nil {
			d.set(str(r[0]), field, str(r[1]))
		}
	})
}

func (s *Store) keyedStrings(ctx context.Context, d *viewData, field, q string, args ...any) error {
	return s.each(ctx, q, args, func(r []any) { d.appendString(str(r[0]), field, str(r[1])) })
}

func (s *Store) orgDerived(ctx context.Context, d *viewData, perFY bool) error {
	if err := s.keyedStrings(ctx, d, "roles", `
		SELECT r.org_code, r.role FROM role_assignments r JOIN people p ON p.code = r.person_code
		WHERE p.status = 'active' ORDER BY r.org_code, r.role`); err != nil {
		return err
	}
	tree, err := s.loadOrgTree(ctx)
	if err != nil {
		return err
	}
	if err := s.inheritedPlans(ctx, d, tree, perFY); err != nil {
		return err
	}
	if err := s.incidentDerived(ctx, d, perFY); err != nil {
		return err
	}
	if perFY {
		d.perFY = map[string]map[int64]int64{}
		err = s.each(ctx, `SELECT org_code, fiscal_year, count(*) FROM audits
			WHERE kind = 'out_of_plan' AND shared_on IS NULL GROUP BY org_code, fiscal_year`, nil, func(r []any) {
			m := d.perFY[str(r[0])]
			if m == nil {
				m = map[int64]int64{}
				d.perFY[str(r[0])] = m
			}
			m[i64(r[1])] = i64(r[2])
		})
		if err != nil {
			return err
		}
		// GOV-05 (seed 004): incidents recorded per fiscal year. The year is
		// worked out here rather than in SQL, where the two dialects store
		// dates differently.
		d.incidentsFY = map[string]map[int64]int64{}
		err = s.each(ctx, `SELECT org_code, detected_on FROM incidents`, nil, func(r []any) {
			t, err := time.Parse(time.DateOnly, str(r[1]))
			if err != nil {
				return
			}
			fy := int64(t.Year())
			if t.Month() < time.April {
				fy--
			}
			m := d.incidentsFY[str(r[0])]
			if m == nil {
				m = map[int64]int64{}
				d.incidentsFY[str(r[0])] = m
			}
			m[fy]++
		})
		if err != nil {
			return err
		}
		if err := s.trainingDerived(ctx, d); err != nil {
			return err
		}
		// The fiscal years assessed are the caller's (the assessment's
		// range); without one, those any body planned for.
		if len(d.fys) > 0 {
			return nil
		}
		return s.each(ctx, `SELECT DISTINCT fiscal_year FROM plans ORDER BY fiscal_year`, nil, func(r []any) {
			d.fys = append(d.fys, i64(r[0]))
		})
	}
	qs := []struct {
		field string
		kind  ViewType
		q     string
	}{
		// Seed 002: flows between the My Number zone and another without a
		// route or a protocol restriction.
		{"unrestricted_flows", ViewInt, `SELECT org_code, count(*) FROM network_flows
			WHERE from_segment <> to_segment AND (from_segment = 'mynumber' OR to_segment = 'mynumber')
				AND (NOT coalesce(route_restricted, FALSE) OR NOT coalesce(protocol_restricted, FALSE))
			GROUP BY org_code`},
		{"flow_count", ViewInt, `SELECT org_code, count(*) FROM network_flows GROUP BY org_code`},
		{"mynumber_internet_flows", ViewInt, `SELECT org_code, count(*) FROM network_flows
			WHERE (from_segment = 'mynumber' AND to_segment = 'internet') OR (from_segment = 'internet' AND to_segment = 'mynumber')
			GROUP BY org_code`},
		{"open_audit_findings", ViewStrings, `SELECT a.org_code, f.raised_on FROM audit_findings f JOIN audits a ON a.code = f.audit_code
			WHERE f.closed_on IS NULL ORDER BY a.org_code, f.raised_on`},
		{"project_stage_count", ViewInt, `SELECT p.org_code, count(*) FROM project_reviews r JOIN projects p ON p.code = r.project_code GROUP BY p.org_code`},
		// A stage is reviewed by the register's dates or by a
		// self-inspection round's (issue 14 item 5, inspection.go).
		{"unreviewed_stages", ViewInt, `SELECT p.org_code, count(*) FROM project_reviews r JOIN projects p ON p.code = r.project_code
			LEFT JOIN (SELECT project_code, stage, max(self_inspected_on) AS self_on, max(pmo_reviewed_on) AS pmo_on
				FROM inspection_rounds WHERE project_code IS NOT NULL GROUP BY project_code, stage) w
				ON w.project_code = r.project_code AND w.stage = r.stage
			WHERE coalesce(r.self_inspected_on, w.self_on) IS NULL OR coalesce(r.pmo_reviewed_on, w.pmo_on) IS NULL GROUP BY p.org_code`},
		{"system_count", ViewInt, `SELECT org_code, count(*) FROM systems GROUP BY org_code`},
		// GOV-03 judges the bodies that answered a survey: one that answered
		// none has nothing to follow up and is not counted as conforming.
		{"survey_answer_count", ViewInt, `SELECT org_code, count(*) FROM survey_answers GROUP BY org_code`},
		// GOV-03 (seed 000): survey answers the centre never followed up.
		// An answer that declined needs none; one with conditions needs
		// them followed up as well (unfollowed_conditions, governance.go).
		// An answer is one that is dated or says whether the body wishes to
		// use it: a wish recorded without the day it came is still a wish
		// to follow up.
		{"unfollowed_surveys", ViewInt, `SELECT org_code, count(*) FROM survey_answers
			WHERE ((answered_on IS NOT NULL OR wishes_to_use) AND followed_up_on IS NULL AND (wishes_to_use IS NULL OR wishes_to_use))
				OR (conditions IS NOT NULL AND conditions <> '' AND condition_followed_up_on IS NULL) GROUP BY org_code`},
	}
	for _, q := range qs {
		if !d.need(q.field) {
			continue
		}
		var err error
		if q.kind == ViewStrings {
			err = s.keyedStrings(ctx, d, q.field, q.q)
		} else {
			err = s.keyedCount(ctx, d, q.field, q.q)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", q.field, err)
		}
	}
	if err := s.governanceOrg(ctx, d); err != nil {
		return err
	}
	return s.localMeasures(ctx, d)
}

// sysCond narrows a per-system query to one system: {{sys}} in q becomes
// "AND <col> = $1" and the argument is returned.
func sysCond(q, col, system string) (string, []any) {
	if system == "" {
		return strings.ReplaceAll(q, "{{sys}}", ""), nil
	}
	return strings.ReplaceAll(q, "{{sys}}", "AND "+col+" = $1"), []any{system}
}

func (s *Store) systemDerived(ctx context.Context, d *viewData, system string) error {
	type q struct {
		field, col string
		kind       ViewType
		q          string
	}
	qs := []q{
		{"org_kind", "s.code", ViewString, `SELECT s.code, o.kind FROM systems s JOIN organizations o ON o.code = s.org_code WHERE 1 = 1 {{sys}}`},
		// Every system with a log source gets a list, empty when none is
		// collected; one without any stays absent (未確認).
		{"log_kinds_collected", "system_code", ViewStrings, `SELECT system_code, CASE WHEN collected = TRUE THEN kind END FROM log_sources
			WHERE 1 = 1 {{sys}} ORDER BY system_code, kind`},
		{"log_source_count", "system_code", ViewInt, `SELECT system_code, count(*) FROM log_sources WHERE 1 = 1 {{sys}} GROUP BY system_code`},
		// A collected log without a retention period leaves the minimum
		// unknown (NULL), not zero: the check answers 未確認.
		{"min_retention_days", "system_code", ViewInt, `SELECT system_code, CASE WHEN count(retention_days) = count(*) THEN min(retention_days) END
			FROM log_sources WHERE collected = TRUE {{sys}} GROUP BY system_code`},
		{"last_log_review", "system_code", ViewString, `SELECT system_code, max(reviewed_on) FROM log_reviews WHERE 1 = 1 {{sys}} GROUP BY system_code`},
		{"last_access_review", "system_code", ViewString, `SELECT system_code, max(reviewed_on) FROM access_reviews WHERE 1 = 1 {{sys}} GROUP BY system_code`},
		{"itbcp_plan_count", "ps.system_code", ViewInt, `SELECT ps.system_code, count(*) FROM plan_systems ps JOIN plans p ON p.code = ps.plan_code
			WHERE p.kind = 'itbcp' {{sys}} GROUP BY ps.system_code`},
		// A complete IT-BCP has recovery objectives, procedures, a drill and a
		// review (IT-BCP guideline); only the newest fiscal year's plan counts,
		// since last year's gaps are what this year's plan was for.
		{"itbcp_incomplete_plans", "ps.system_code", ViewInt, `SELECT ps.system_code, count(*) FROM plan_systems ps JOIN plans p ON p.code = ps.plan_code
			WHERE p.kind = 'itbcp' AND NOT (coalesce(p.has_recovery_objectives, FALSE) AND coalesce(p.has_procedures, FALSE)
				AND p.last_drill_on IS NOT NULL AND p.reviewed_on IS NOT NULL)
				AND p.fiscal_year = (SELECT max(p2.fiscal_year) FROM plan_systems ps2 JOIN plans p2 ON p2.code = ps2.plan_code
					WHERE ps2.system_code = ps.system_code AND p2.kind = 'itbcp') {{sys}}
			GROUP BY ps.system_code`},
		{"shared_privileged_accounts", "system_code", ViewInt, `SELECT system_code, count(*) FROM accounts
			WHERE enabled = TRUE AND privileged = TRUE AND shared = TRUE {{sys}} GROUP BY system_code`},
		// Seed 002: accounts signed in to with shared authentication means.
		{"shared_user_accounts", "system_code", ViewInt, `SELECT system_code, count(*) FROM accounts
			WHERE enabled = TRUE AND NOT coalesce(privileged, FALSE) AND shared = TRUE {{sys}} GROUP BY system_code`},
		{"leaver_accounts", "a.system_code", ViewInt, `SELECT a.system_code, count(*) FROM accounts a JOIN people p ON p.code = a.person_code
			WHERE a.enabled = TRUE AND p.status IN ('left', 'transferred') {{sys}} GROUP BY a.system_code`},
		{"contract_count", "system_code", ViewInt, `SELECT system_code, count(*) FROM contract_systems WHERE 1 = 1 {{sys}} GROUP BY system_code`},
		{"security_officer_status", "s.code", ViewString, `SELECT s.code, p.status FROM systems s JOIN people p ON p.code = s.security_officer_code WHERE 1 = 1 {{sys}}`},
	}
	var jobs []job
	for _, x := range qs {
		if !d.need(x.field) {
			continue
		}
		text, args := sysCond(x.q, x.col, system)
		j := job{name: x.field, q: text, args: args}
		switch x.kind {
		case ViewStrings:
			j.apply = func(r []any) {
				if r[1] == nil {
					if d.get(str(r[0]), x.field) == nil {
						d.set(str(r[0]), x.field, []string{})
					}
					return
				}
				d.appendString(str(r[0]), x.field, str(r[1]))
			}
		case ViewInt:
			j.apply = func(r []any) { d.set(str(r[0]), x.field, i64(r[1])) }
		default:
			j.apply = func(r []any) {
				if r[1] != nil {
					d.set(str(r[0]), x.field, str(r[1]))
				}
			}
		}
		if x.kind == ViewInt && d.v.nullable[d.v.Field(x.field)] {
			j.apply = func(r []any) {
				if r[1] != nil {
					d.set(str(r[0]), x.field, i64(r[1]))
				}
			}
		}
		jobs = append(jobs, j)
	}
	// One pass over the components for all four per-system counts: at
	// national scale that is 3,000,000 rows, read once instead of four times.
	// The component counts come from two passes that each read little: the
	// total per system from the system_code index alone, and the rare flags
	// from a sequential scan. (Grouping the flags by system_code directly
	// makes SQLite walk the index and fetch all 3,000,000 rows at random;
	// grouping by the expression system_code || '' scans in table order.)
	// Nearly every component is networked, so the scan counts those that
	// are not.
	// Counted per system for default_password_clear: components that may
	// keep a default password, and those that do or do not say.
	dpTrue, dpBlank := map[string]bool{}, map[string]bool{}
	withComponents := map[string]bool{}
	needDP := d.need("default_password_clear")
	if d.need("component_count") || d.need("networked_components") || needDP {
		text, args := sysCond(`SELECT system_code, count(*) FROM components WHERE 1 = 1 {{sys}} GROUP BY system_code`, "system_code", system)
		jobs = append(jobs, job{name: "component_count", q: text, args: args, apply: func(r []any) {
			d.set(str(r[0]), "component_count", i64(r[1]))
			d.set(str(r[0]), "networked_components", i64(r[1]))
			withComponents[str(r[0])] = true
		}})
	}
	if d.need("shared_auth_components") || d.need("personal_info_components") || d.need("networked_components") || needDP {
		// One sequential scan for every rare flag, including servers and
		// devices that keep a default password or do not say.
		text, args := sysCond(`SELECT system_code || '' AS sc,
				sum(CASE WHEN shared_auth_means = TRUE THEN 1 ELSE 0 END),
				sum(CASE WHEN stores_personal_info = TRUE THEN 1 ELSE 0 END),
				sum(CASE WHEN NOT coalesce(networked, FALSE) THEN 1 ELSE 0 END),
				sum(CASE WHEN kind IN ('server', 'network_device', 'appliance') AND default_password = TRUE THEN 1 ELSE 0 END),
				sum(CASE WHEN kind IN ('server', 'network_device', 'appliance') AND default_password IS NULL THEN 1 ELSE 0 END)
			FROM components
			WHERE (shared_auth_means = TRUE OR stores_personal_info = TRUE OR NOT coalesce(networked, FALSE)
				OR (kind IN ('server', 'network_device', 'appliance') AND (default_password IS NULL OR default_password = TRUE))) {{sys}}
			GROUP BY sc`, "system_code", system)
		jobs = append(jobs, job{name: "component_flags", q: text, args: args, apply: func(r []any) {
			code := str(r[0])
			d.set(code, "shared_auth_components", i64(r[1]))
			d.set(code, "personal_info_components", i64(r[2]))
			if n, ok := d.get(code, "networked_components").(int64); ok {
				d.set(code, "networked_components", n-i64(r[3]))
			}
			dpTrue[code] = i64(r[4]) > 0
			dpBlank[code] = i64(r[5]) > 0
		}})
	}
	if err := s.runJobs(ctx, jobs); err != nil {
		return err
	}
	if needDP {
		// A system with components and none keeping a default password is
		// clear; one whose devices do not say is 未確認; one with no
		// component recorded says nothing either.
		for code := range withComponents {
			switch {
			case dpTrue[code]:
				d.set(code, "default_password_clear", false)
			case !dpBlank[code]:
				d.set(code, "default_password_clear", true)
			}
		}
	}
	if d.need("holds_personal_info") || d.need("talks_to_devices") {
		if err := s.officeEquipmentFacts(ctx, d, system); err != nil {
			return err
		}
	}
	if d.need("seen_in") || d.need("sighted") || d.sightings {
		sightings, err := s.reconcile(ctx, d, system)
		if err != nil {
			return err
		}
		if d.sightings {
			d.sighted = sightings
		}
	}
	// The register items of the newest edition (edition codes sort by age: R5 after R4).
	var edition string
	if err := s.each(ctx, `SELECT max(edition) FROM register_items`, nil, func(r []any) { edition = str(r[0]) }); err != nil {
		return err
	}
	e := mamori.EntityByName("systems")
	return s.each(ctx, `SELECT field, name, cloud_only FROM register_items WHERE edition = $1 ORDER BY item_no`, []any{edition}, func(r []any) {
		if i := e.FieldIndex(str(r[0])); i >= 0 {
			d.items = append(d.items, registerItem{field: i, name: str(r[0]), cloudOnly: boolean(r[2]) == true})
		}
	})
}

func (s *Store) componentDerived(ctx context.Context, d *viewData, system string) error {
	// Organization and system attributes are joined in Go: the systems and
	// organizations fit in memory, and a 3,000,000-row join would not help.
	// The queries are independent and run concurrently (runJobs).
	var jobs []job
	if system == "" {
		// Whole data set: join per system, not per component.
		sysAttrs := map[string][4]string{}
		d.bySystem = sysAttrs
		jobs = append(jobs, job{name: "system attributes",
			q:     `SELECT s.code, s.org_code, o.kind, s.class, s.status FROM systems s JOIN organizations o ON o.code = s.org_code`,
			apply: func(r []any) { sysAttrs[str(r[0])] = [4]string{str(r[1]), str(r[2]), str(r[3]), str(r[4])} }})
	} else {
		text, args := sysCond(`SELECT c.code, s.org_code, o.kind, s.class, s.status FROM components c
		JOIN systems s ON s.code = c.system_code JOIN organizations o ON o.code = s.org_code WHERE 1 = 1 {{sys}}`, "c.system_code", system)
		jobs = append(jobs, job{name: "system attributes", q: text, args: args, apply: func(r []any) {
			d.set(str(r[0]), "org_code", str(r[1]))
			d.set(str(r[0]), "org_kind", str(r[2]))
			d.set(str(r[0]), "system_class", str(r[3]))
			d.set(str(r[0]), "system_status", str(r[4]))
		}})
	}
	if d.need("export_exceptions") {
		text, args := sysCond(`SELECT x.component_code, x.code, x.granted_on, x.expires_on, x.approved_by, x.logged, x.items_recorded
		FROM export_exceptions x JOIN components c ON c.code = x.component_code WHERE 1 = 1 {{sys}} ORDER BY x.component_code, x.code`, "c.system_code", system)
		jobs = append(jobs, job{name: "export_exceptions", q: text, args: args, apply: func(r []any) {
			m := map[string]any{"code": str(r[1]), "granted_on": r[2]}
			if r[3] != nil {
				m["expires_on"] = r[3]
			}
			if r[4] != nil {
				m["approved_by"] = str(r[4])
			}
			if b := boolean(r[5]); b != nil {
				m["logged"] = b
			}
			if b := boolean(r[6]); b != nil {
				m["items_recorded"] = b
			}
			d.appendMap(str(r[0]), "export_exceptions", m)
		}})
	}
	if d.need("last_patched_on") || d.need("last_av_on") {
		text, args := sysCond(`SELECT u.component_code, u.kind, max(u.applied_on) FROM component_updates u
			JOIN components c ON c.code = u.component_code WHERE 1 = 1 {{sys}} GROUP BY u.component_code, u.kind`, "c.system_code", system)
		jobs = append(jobs, job{name: "component_updates", q: text, args: args, apply: func(r []any) {
			field := "last_patched_on"
			if str(r[1]) == "av_definitions" {
				field = "last_av_on"
			}
			d.set(str(r[0]), field, str(r[2]))
		}})
	}
	splits, segments := map[string]string{}, map[string]string{}
	if d.need("org_split_on") {
		jobs = append(jobs, job{name: "org_split_on", q: `SELECT code, lgwan_split_on FROM organizations WHERE lgwan_split_on IS NOT NULL`,
			apply: func(r []any) { splits[str(r[0])] = str(r[1]) }})
	}
	if d.need("segment") {
		text, args := sysCond(`SELECT code, network_segment FROM systems WHERE network_segment IS NOT NULL {{sys}}`, "code", system)
		jobs = append(jobs, job{name: "system segments", q: text, args: args,
			apply: func(r []any) { segments[str(r[0])] = str(r[1]) }})
	}
	// The newest date of each update, whether recorded on the component or
	// in its history; the segment is the component's own, else its system's.
	v := d.v
	ent := mamori.EntityByName("components")
	patched, av, seg, sysCode := ent.FieldIndex("patched_on"), ent.FieldIndex("av_definitions_on"), ent.FieldIndex("network_segment"), ent.FieldIndex("system_code")
	lastPatch, lastAV, split, segment, orgCode := v.Field("last_patched_on"), v.Field("last_av_on"), v.Field("org_split_on"), v.Field("segment"), v.Field("org_code")
	later := func(a, b any) any {
		sa, _ := a.(string)
		sb, _ := b.(string)
		if sa == "" {
			return b
		}
		if sb == "" || sa > sb {
			return a
		}
		return b
	}
	d.finish = func(vals []any) {
		vals[lastPatch] = later(vals[patched], vals[lastPatch])
		vals[lastAV] = later(vals[av], vals[lastAV])
		if o, _ := vals[orgCode].(string); splits[o] != "" {
			vals[split] = splits[o]
		}
		if sg, _ := vals[seg].(string); sg != "" {
			vals[segment] = sg
		} else if sc, _ := vals[sysCode].(string); segments[sc] != "" {
			vals[segment] = segments[sc]
		}
	}
	for _, x := range []struct{ field, q string }{
		{"spi_shares", `SELECT f.component_code, count(*) FROM file_shares f JOIN components c ON c.code = f.component_code
		WHERE f.specific_personal_info = TRUE {{sys}} GROUP BY f.component_code`},
		{"open_spi_shares", `SELECT f.component_code, count(*) FROM file_shares f JOIN components c ON c.code = f.component_code
		WHERE f.specific_personal_info = TRUE AND f.open_to_section = TRUE {{sys}} GROUP BY f.component_code`},
	} {
		if !d.need(x.field) {
			continue
		}
		text, args := sysCond(x.q, "c.system_code", system)
		jobs = append(jobs, job{name: x.field, q: text, args: args, apply: func(r []any) { d.set(str(r[0]), x.field, i64(r[1])) }})
	}
	return s.runJobs(ctx, jobs)
}

func (s *Store) contractDerived(ctx context.Context, d *viewData) error {
	var jobs []job
	add := func(field, q string, apply func(r []any)) {
		if d.need(field) {
			jobs = append(jobs, job{name: field, q: q, apply: apply})
		}
	}
	add("clauses", `SELECT contract_code, clause_code FROM contract_clauses ORDER BY contract_code, clause_code`,
		func(r []any) { d.appendString(str(r[0]), "clauses", str(r[1])) })
	add("clause_groups", `SELECT DISTINCT cc.contract_code, cd.clause_group FROM contract_clauses cc
		JOIN clause_defs cd ON cd.code = cc.clause_code ORDER BY cc.contract_code, cd.clause_group`,
		func(r []any) { d.appendString(str(r[0]), "clause_groups", str(r[1])) })
	add("verification_count", `SELECT contract_code, count(*) FROM contract_verifications GROUP BY contract_code`,
		func(r []any) { d.set(str(r[0]), "verification_count", i64(r[1])) })
	if d.need("cloud_ismap_status") || d.need("cloud_valid_until") {
		jobs = append(jobs, job{name: "cloud", q: `SELECT k.code, c.ismap_status, c.valid_until FROM contracts k JOIN cloud_services c ON c.code = k.cloud_service_code`,
			apply: func(r []any) {
				if r[1] != nil {
					d.set(str(r[0]), "cloud_ismap_status", str(r[1]))
				}
				if r[2] != nil {
					d.set(str(r[0]), "cloud_valid_until", str(r[2]))
				}
			}})
	}
	add("system_count", `SELECT contract_code, count(*) FROM contract_systems GROUP BY contract_code`,
		func(r []any) { d.set(str(r[0]), "system_count", i64(r[1])) })
	if err := s.runJobs(ctx, jobs); err != nil {
		return err
	}
	if err := s.contractGates(ctx, d); err != nil {
		return err
	}
	if err := s.contractCloudLists(ctx, d); err != nil {
		return err
	}
	if err := s.contractFacts(ctx, d); err != nil {
		return err
	}
	return s.governanceContract(ctx, d)
}

func (s *Store) projectDerived(ctx context.Context, d *viewData) error {
	if d.need("paid_total") {
		if err := s.each(ctx, `SELECT k.project_code, CAST(sum(a.paid) AS BIGINT) FROM contracts k JOIN contract_amounts a ON a.contract_code = k.code
			WHERE k.project_code IS NOT NULL AND a.paid IS NOT NULL GROUP BY k.project_code`, nil,
			func(r []any) { d.set(str(r[0]), "paid_total", i64(r[1])) }); err != nil {
			return err
		}
	}
	for field, table := range map[string]string{"system_count": "systems", "contract_count": "contracts", "budget_item_count": "budget_items"} {
		if !d.need(field) {
			continue
		}
		q := fmt.Sprintf("SELECT project_code, count(*) FROM %s WHERE project_code IS NOT NULL GROUP BY project_code", table)
		if err := s.keyedCount(ctx, d, field, q); err != nil {
			return err
		}
	}
	return s.governanceProject(ctx, d)
}

// streamBase reads the entity's own columns in key order, merges the derived
// values and hands the rows over in batches.
func (s *Store) streamBase(ctx context.Context, d *viewData, scope ViewScope, fn func([]ViewRow) error) error {
	var ent *mamori.Entity
	for _, vd := range viewDefs {
		if vd.target == d.v.Target {
			ent = mamori.EntityByName(vd.entity)
		}
	}
	// The columns to read: those asked for, plus what the row's identity,
	// scope and missing_register_items are computed from.
	var sel []int
	var selNames []string
	keep := func(col string) bool {
		switch col {
		case "code", "org_code", "system_code":
			return true
		case "system_id":
			return d.v.Target == TargetSystem || d.need(col) // the segment of the SystemID cross-tabulation
		case "patched_on":
			return d.need(col) || d.need("last_patched_on")
		case "av_definitions_on":
			return d.need(col) || d.need("last_av_on")
		case "network_segment":
			return d.need(col) || (d.v.Target == TargetComponent && d.need("segment"))
		case "hosting":
			return d.need("missing_register_items")
		}
		if d.need("missing_register_items") && slices.ContainsFunc(d.items, func(it registerItem) bool { return it.name == col }) {
			return true
		}
		return d.need(col)
	}
	for i, f := range ent.Fields {
		if keep(f.Column) {
			sel = append(sel, i)
			selNames = append(selNames, f.Column)
		}
	}
	base := fmt.Sprintf("SELECT %s FROM %s", strings.Join(selNames, ", "), ent.Name)
	var args []any
	if scope.System != "" {
		switch d.v.Target {
		case TargetSystem:
			base += " WHERE code = $1"
			args = append(args, scope.System)
		case TargetComponent:
			base += " WHERE system_code = $1"
			args = append(args, scope.System)
		}
	}
	order := " ORDER BY " + s.orderBy(ent)
	// A whole large table is read in key ranges on parallel connections:
	// decoding rows is most of a national check, and one connection keeps
	// one core busy. The caller still sees one batch at a time.
	var bounds []string
	if scope.System == "" {
		var err error
		if bounds, err = s.splitKeys(ctx, d.v.Target); err != nil {
			return fmt.Errorf("store: view %s: %w", d.v.Target, err)
		}
	}
	if len(bounds) == 0 {
		return s.streamRange(ctx, d, ent, sel, base+order, args, fn)
	}
	var mu sync.Mutex
	serial := func(rows []ViewRow) error {
		mu.Lock()
		defer mu.Unlock()
		return fn(rows)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	errs := make([]error, len(bounds)+1)
	var wg sync.WaitGroup
	for i := 0; i <= len(bounds); i++ {
		var conds []string
		var rargs []any
		if i > 0 {
			conds = append(conds, fmt.Sprintf("code >= $%d", len(rargs)+1))
			rargs = append(rargs, bounds[i-1])
		}
		if i < len(bounds) {
			conds = append(conds, fmt.Sprintf("code < $%d", len(rargs)+1))
			rargs = append(rargs, bounds[i])
		}
		q := base + " WHERE " + strings.Join(conds, " AND ") + order
		wg.Go(func() {
			if errs[i] = s.streamRange(ctx, d, ent, sel, q, rargs, serial); errs[i] != nil {
				cancel()
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && !errors.Is(err, context.Canceled) {
			return err
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// splitMin is the row count below which a view is read on one connection;
// splitParts, when set, is the number of ranges (else GOMAXPROCS). Tests
// change both to exercise the split on small data.
var (
	splitMin   int64 = 50000
	splitParts int
)

// splitKeys returns the codes that cut a whole target table into one key
// range per core, or nothing when the table is small. Components are cut at
// system codes (reading 3,000,000 component keys to find the middle would
// cost what it saves); any cut is correct, an even one is faster.
func (s *Store) splitKeys(ctx context.Context, target string) ([]string, error) {
	var table string
	switch target {
	case TargetComponent, TargetSystem:
		table = "systems"
	case TargetContract:
		table = "contracts"
	default:
		return nil, nil
	}
	parts := runtime.GOMAXPROCS(0)
	if splitParts > 0 {
		parts = splitParts
	}
	if parts < 2 {
		return nil, nil
	}
	var rows int64
	if err := s.each(ctx, "SELECT count(*) FROM "+table, nil, func(r []any) { rows = i64(r[0]) }); err != nil {
		return nil, err
	}
	n := rows
	if target == TargetComponent {
		n *= 10 // components per system, roughly: only the size test uses it
	}
	if n < splitMin {
		return nil, nil
	}
	var out []string
	for i := 1; i < parts; i++ {
		err := s.each(ctx, "SELECT code FROM "+table+" ORDER BY code LIMIT 1 OFFSET $1", []any{rows * int64(i) / int64(parts)}, func(r []any) {
			if c := str(r[0]); c != "" && (len(out) == 0 || c > out[len(out)-1]) {
				out = append(out, c)
			}
		})
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// streamRange runs one query over the entity table and hands its rows, with
// the derived values merged, to fn in batches.
func (s *Store) streamRange(ctx context.Context, d *viewData, ent *mamori.Entity, sel []int, q string, args []any, fn func([]ViewRow) error) error {
	rows, err := s.read.QueryContext(ctx, q, args...)
	if err != nil {
		return fmt.Errorf("store: view %s: %w", d.v.Target, err)
	}
	defer rows.Close()
	nCols := len(ent.Fields)
	nFields := len(d.v.Fields)
	orgCol := ent.FieldIndex("org_code")
	sysCol := ent.FieldIndex("system_code")
	hostCol := ent.FieldIndex("hosting")
	sysIDCol := ent.FieldIndex("system_id")
	missingCol := -1
	if d.need("missing_register_items") {
		missingCol = d.v.Field("missing_register_items")
	}
	var sysFields [4]int
	for j, f := range []string{"org_code", "org_kind", "system_class", "system_status"} {
		sysFields[j] = d.v.Field(f)
	}
	outOfPlan := d.v.Field("out_of_plan_unshared")
	incidents := d.v.Field("incidents")
	raw, ptrs := make([]any, len(sel)), make([]any, len(sel))
	for i := range raw {
		ptrs[i] = &raw[i]
	}
	// Values of a batch's rows are cut from one slab: one allocation per
	// batch, not per row.
	var slab []any
	slabRows := 16 // doubling to viewBatch: a one-system load stays small
	alloc := func() []any {
		if len(slab) < nFields {
			slab = make([]any, nFields*slabRows)
			slabRows = min(2*slabRows, viewBatch)
		}
		v := slab[:nFields:nFields]
		slab = slab[nFields:]
		return v
	}
	var batch []ViewRow
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		err := fn(batch)
		batch = make([]ViewRow, 0, viewBatch)
		return err
	}
	for rows.Next() {
		for i := range raw {
			raw[i] = nil
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("store: view %s: %w", d.v.Target, err)
		}
		// Entity columns come first in a view, at their entity positions.
		vals := alloc()
		for i, fi := range sel {
			v, err := normalize(&ent.Fields[fi], raw[i])
			if err != nil {
				return fmt.Errorf("store: view %s: %w", d.v.Target, err)
			}
			vals[fi] = v
		}
		rec := vals[:nCols]
		code := rec[0].(string)
		if ex := d.by[code]; ex != nil {
			for i, v := range ex {
				if v != nil {
					vals[d.v.base+i] = v
				}
			}
		}
		row := ViewRow{Code: code}
		switch {
		case orgCol >= 0:
			row.OrgCode, _ = rec[orgCol].(string)
		case d.v.Target == TargetOrganization || d.v.Target == TargetOrganizationFY:
			row.OrgCode = code
		}
		if sysCol >= 0 && d.bySystem != nil {
			a := d.bySystem[rec[sysCol].(string)]
			row.OrgCode = a[0]
			for j, f := range sysFields {
				if a[j] != "" {
					vals[f] = a[j]
				}
			}
		} else if sysCol >= 0 {
			row.OrgCode, _ = vals[sysFields[0]].(string)
		}
		row.OrgKind = d.orgKinds[row.OrgCode]
		if d.v.Target == TargetSystem {
			row.Segment = "without_id"
			if id, _ := rec[sysIDCol].(string); id != "" {
				row.Segment = "with_id"
			}
		}
		// Lists and counts read as empty and zero rather than absent: a
		// check says size(x) == 0, not !has(x) || size(x) == 0. Nullable
		// fields stay absent: "no records" is missing evidence.
		d.zeroFill(vals, nCols)
		if d.finish != nil {
			d.finish(vals)
		}
		if missingCol >= 0 {
			cloud := false
			if hostCol >= 0 {
				h, _ := rec[hostCol].(string)
				cloud = h == "cloud" || h == "hybrid"
			}
			missing := []string{}
			for _, it := range d.items {
				if it.cloudOnly && !cloud {
					continue
				}
				if v := rec[it.field]; v == nil || v == "" {
					if !slices.Contains(missing, it.name) {
						missing = append(missing, it.name)
					}
				}
			}
			vals[missingCol] = missing
		}
		if d.v.Target == TargetOrganizationFY {
			for _, fy := range d.fys {
				r := row
				r.FY = fy
				r.Code = fmt.Sprintf("%s/%d", code, fy)
				r.Values = slices.Clone(vals)
				r.Values[outOfPlan] = d.perFY[code][fy]
				r.Values[incidents] = d.incidentsFY[code][fy]
				d.setTrainingFY(code, fy, r.Values)
				setEmergencyTargeted(d.v, fy, r.Values)
				batch = append(batch, r)
			}
		} else {
			row.Values = vals
			batch = append(batch, row)
		}
		if len(batch) >= viewBatch {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("store: view %s: %w", d.v.Target, err)
	}
	return flush()
}

// Assessment is one stored run of the checks.
type Assessment struct {
	ID            string
	StartedAt     time.Time
	FinishedAt    time.Time
	ReferenceDate string // "YYYY-MM-DD"
	Catalogs      string // JSON: catalog IDs and versions
	Params        string // JSON: the parameters in force
	Scope         string // JSON: what was assessed
	// FiscalYears are the years the organization-year controls covered,
	// oldest first.
	FiscalYears []int64
}

// AssessedScope is what an assessment covered: one organization's subtree,
// one system, or (both empty) the whole register.
type AssessedScope struct{ Org, System string }

// Assessed reads the assessment's scope JSON; a scope that does not parse
// is read as the whole register, as an assessment stored before scopes were.
func (a Assessment) Assessed() AssessedScope {
	var sc AssessedScope
	_ = json.Unmarshal([]byte(a.Scope), &sc)
	return sc
}

// WholeScope reports whether the assessment covered the whole register
// (every organization and system), not one subtree or one system: only
// such an assessment speaks for the whole government.
func (a Assessment) WholeScope() bool { return a.Assessed() == AssessedScope{} }

// ControlResult counts one control's outcomes in an assessment.
type ControlResult struct {
	ControlID                                  string
	Pass, Fail, NotApplicable, Unknown, Errors int64
}

// Applicable is the number of targets the control applies to: every
// outcome but not applicable.
func (r ControlResult) Applicable() int64 { return r.Pass + r.Fail + r.Unknown + r.Errors }

// TallyID is the control ID under which a tally's per-organization results
// are stored: "LG-01#introduced" counts, as passing, the targets where the
// tally holds.
func TallyID(controlID, key string) string { return controlID + "#" + key }

// UndecidedCriterion marks, in a failing finding's criteria, a criterion
// that could not be decided for want of evidence ("?not_applied").
func UndecidedCriterion(key string) string { return "?" + key }

// OrgResult counts one control's outcomes at one organization, in one
// fiscal year (organization-year controls; 0 otherwise) and one segment
// (systems with or without a SystemID; "" otherwise).
type OrgResult struct {
	ControlID, OrgCode                         string
	FiscalYear                                 int64
	Segment                                    string
	Pass, Fail, NotApplicable, Unknown, Errors int64
}

// Applicable is the number of targets the control applies to there.
func (r OrgResult) Applicable() int64 { return r.Pass + r.Fail + r.Unknown + r.Errors }

// The results a finding records: the target fails, its evidence is
// missing (未確認), or the check could not be evaluated.
const (
	ResultFail    = "fail"
	ResultUnknown = "unknown"
	ResultError   = "error"
)

// FindingInput is one nonconforming (control, target) of an assessment:
// a failure, an unknown or an error.
type FindingInput struct {
	ControlID, TargetType, TargetCode, OrgCode, Severity string
	Result                                               string   // ResultFail, ResultUnknown or ResultError
	Criteria                                             []string // the criteria that failed (or could not be decided)
	Amount                                               *int64   // the control's measure, when it has one
	Evidence                                             string   // JSON object
}

// Finding is a stored finding.
type Finding struct {
	ControlID, TargetType, TargetCode, OrgCode string
	Status, Severity                           string
	FirstSeen, LastSeen, ResolvedOn            string // ResolvedOn is "" while open
	Evidence, AssessmentID                     string
	Result                                     string // ResultFail, ResultUnknown or ResultError
	Criteria                                   []string
	Amount                                     *int64
}

// FindingScope says which stored findings an assessment speaks for: those of
// Controls (every control assessed, passing or not) and, when Targets is
// non-nil, only those whose target code is in it. A finding outside the
// scope is left alone, so re-checking one system touches only its findings.
type FindingScope struct {
	Controls []string
	Targets  map[string]bool
}

// SaveAssessment stores an assessment, its per-control results and its
// failures in one transaction, and updates the findings:
//
//   - a failure not yet recorded opens a finding, first seen today;
//   - a failure already open keeps its first_seen (the ageing the auditors ask
//     for) and moves last_seen;
//   - an open finding in scope that no longer fails is resolved today;
//   - a failure on a resolved finding reopens it with a new first_seen: the
//     age of a finding is that of its current episode, and the old episode's
//     dates stay in the earlier assessments' evidence.
//
// On any error nothing is written.
func (s *Store) SaveAssessment(ctx context.Context, a Assessment, results []ControlResult, orgResults []OrgResult, scope FindingScope, fails []FindingInput) (err error) {
	defer func() {
		if err == nil && len(fails) >= analyzeAfter {
			s.analyze(ctx, "findings")
		}
	}()
	tx, err := s.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if err != nil {
			tx.Rollback()
			return
		}
		err = translate(tx.Commit(), "commit assessment")
	}()
	ts := func(t time.Time) any {
		if s.dialect == Postgres {
			return t.UTC()
		}
		return t.UTC().Format(time.RFC3339Nano)
	}
	day := s.dateArg(a.ReferenceDate)
	if _, err = tx.ExecContext(ctx, `INSERT INTO assessments (id, started_at, finished_at, reference_date, catalogs, params, scope, fiscal_years)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`, a.ID, ts(a.StartedAt), ts(a.FinishedAt), day, a.Catalogs, a.Params, a.Scope, joinInts(a.FiscalYears)); err != nil {
		return translate(err, "insert assessments")
	}
	for _, r := range results {
		if _, err = tx.ExecContext(ctx, `INSERT INTO results (assessment_id, control_id, pass, fail, not_applicable, unknown, error)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, a.ID, r.ControlID, r.Pass, r.Fail, r.NotApplicable, r.Unknown, r.Errors); err != nil {
			return translate(err, "insert results")
		}
	}
	if err = insertOrgResults(ctx, tx, a.ID, orgResults, s.rowsPerStatement()); err != nil {
		return err
	}
	// The stored findings of the assessed controls, to tell new from old.
	type prior struct{ status, evidence, firstSeen, targetType string }
	existing := map[[2]string]prior{}
	scan := func(q string, args ...any) error {
		rows, err := tx.QueryContext(ctx, q, args...)
		if err != nil {
			return fmt.Errorf("store: findings: %w", err)
		}
		defer rows.Close()
		for rows.Next() {
			var c, code, status, evidence, typ string
			var first any
			if err := rows.Scan(&c, &code, &status, &evidence, &first, &typ); err != nil {
				return fmt.Errorf("store: findings: %w", err)
			}
			if scope.Targets == nil || scope.Targets[code] {
				existing[[2]string{c, code}] = prior{status, evidence, str(dateString(first)), typ}
			}
		}
		return rows.Err()
	}
	if scope.Targets != nil && len(scope.Targets) <= 20000 {
		// A narrow re-check (one system, even a 10,000-terminal fleet) looks its targets up by index
		// rather than reading every finding of every control.
		controls := map[string]bool{}
		for _, c := range scope.Controls {
			controls[c] = true
		}
		codes := make([]string, 0, len(scope.Targets))
		for c := range scope.Targets {
			codes = append(codes, c)
		}
		slices.Sort(codes)
		for start := 0; start < len(codes); start += 500 {
			part := codes[start:min(start+500, len(codes))]
			ph := make([]string, len(part))
			args := make([]any, len(part))
			for i, c := range part {
				ph[i] = fmt.Sprintf("$%d", i+1)
				args[i] = c
			}
			if err = scan(`SELECT control_id, target_code, status, evidence, first_seen, target_type FROM findings WHERE target_code IN (`+strings.Join(ph, ", ")+`)`, args...); err != nil {
				return err
			}
		}
		for k := range existing {
			if !controls[k[0]] {
				delete(existing, k)
			}
		}
	} else {
		for _, c := range scope.Controls {
			if err = scan(`SELECT control_id, target_code, status, evidence, first_seen, target_type FROM findings WHERE control_id = $1`, c); err != nil {
				return err
			}
		}
	}
	failing := make(map[[2]string]bool, len(fails))
	for _, f := range fails {
		failing[[2]string{f.ControlID, f.TargetCode}] = true
	}
	// Resolve what was open and now passes (or no longer applies).
	var resolve [][2]string
	for k, p := range existing {
		// Only what this assessment judged: not a finding first seen after
		// its reference date (an assessment run with an earlier --today),
		// nor a fiscal year outside the years it covered.
		if p.firstSeen > a.ReferenceDate || (p.targetType == TargetOrganizationFY && !coversYear(a.FiscalYears, k[1])) {
			continue
		}
		if p.status == "open" && !failing[k] {
			resolve = append(resolve, k)
		}
	}
	slices.SortFunc(resolve, func(x, y [2]string) int { return strings.Compare(x[0]+"\x00"+x[1], y[0]+"\x00"+y[1]) })
	for _, k := range resolve {
		if _, err = tx.ExecContext(ctx, `UPDATE findings SET status = 'resolved', resolved_on = $1, assessment_id = $2
			WHERE control_id = $3 AND target_code = $4`, day, a.ID, k[0], k[1]); err != nil {
			return translate(err, "resolve findings")
		}
	}
	// On a whole-data-set run, what is still open is exactly what still
	// fails: one statement per control moves its last_seen, and only new,
	// reopened or changed findings are written row by row. A national re-run
	// then rewrites a few rows instead of 300,000.
	// Organization-year findings are left to the row-by-row writes: the
	// statement cannot tell the years an assessment judged; and last_seen
	// never moves back (an assessment run with an earlier --today).
	write := fails
	if scope.Targets == nil {
		for _, c := range scope.Controls {
			if _, err = tx.ExecContext(ctx, `UPDATE findings SET last_seen = $1, assessment_id = $2
				WHERE control_id = $3 AND status = 'open' AND target_type <> 'organization-fy' AND last_seen <= $1`, day, a.ID, c); err != nil {
				return translate(err, "update findings")
			}
		}
		write = nil
		for _, f := range fails {
			p, ok := existing[[2]string{f.ControlID, f.TargetCode}]
			if !ok || p.status != "open" || p.evidence != f.Evidence || f.TargetType == TargetOrganizationFY {
				write = append(write, f)
			}
		}
	}
	return upsertFindings(ctx, tx, a.ID, day, write, s.rowsPerStatement())
}

// coversYear reports whether an assessment covering years judged an
// organization-year target ("M01/2023"): only in its year.
func coversYear(years []int64, target string) bool {
	i := strings.LastIndexByte(target, '/')
	if i < 0 || len(years) == 0 {
		return true
	}
	y, err := strconv.ParseInt(target[i+1:], 10, 64)
	if err != nil {
		return true
	}
	return slices.Contains(years, y)
}

// joinInts writes years as "2023 2024 2025".
func joinInts(xs []int64) string {
	parts := make([]string, len(xs))
	for i, x := range xs {
		parts[i] = strconv.FormatInt(x, 10)
	}
	return strings.Join(parts, " ")
}

// splitInts reads what joinInts wrote; anything else is skipped.
func splitInts(s string) []int64 {
	var out []int64
	for _, f := range strings.Fields(s) {
		if n, err := strconv.ParseInt(f, 10, 64); err == nil {
			out = append(out, n)
		}
	}
	return out
}

// rowsPerStatement bounds a multi-row INSERT. SQLite's driver looks each
// parameter's name up in a list as long as the statement's parameters, so
// a statement's cost grows with the square of its parameters: 1,100
// parameters made a national first save take 12 s of CPU, 16 rows of
// about ten take a fraction. PostgreSQL has no such cost.
func (s *Store) rowsPerStatement() int {
	if s.dialect == Postgres {
		return 100
	}
	return 16
}

// multiRow writes rows with multi-row statements of at most batch rows:
// head, then one tuple per row (tuple writes a row's placeholders, its
// parameters numbered from first), then tail. Each row has width
// parameters after the fixed ones every statement starts with; fill
// appends row i's values. A statement per size is prepared once.
type multiRow struct {
	head, tail string
	fixed      []any
	width      int
	tuple      func(first int) string
	fill       func(i int, args []any) []any
	op         string
}

func (m multiRow) exec(ctx context.Context, tx *sql.Tx, n, batch int) error {
	stmts := map[int]*sql.Stmt{}
	defer func() {
		for _, st := range stmts {
			st.Close()
		}
	}()
	args := make([]any, 0, len(m.fixed)+batch*m.width)
	for start := 0; start < n; start += batch {
		rows := min(batch, n-start)
		st := stmts[rows]
		if st == nil {
			var b strings.Builder
			b.WriteString(m.head)
			for i := range rows {
				if i > 0 {
					b.WriteString(", ")
				}
				b.WriteString(m.tuple(len(m.fixed) + i*m.width + 1))
			}
			b.WriteString(m.tail)
			var err error
			if st, err = tx.PrepareContext(ctx, b.String()); err != nil {
				return fmt.Errorf("store: prepare %s: %w", m.op, err)
			}
			stmts[rows] = st
		}
		args = append(args[:0], m.fixed...)
		for i := start; i < start+rows; i++ {
			args = m.fill(i, args)
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return translate(err, m.op)
		}
	}
	return nil
}

func insertOrgResults(ctx context.Context, tx *sql.Tx, assessment string, rows []OrgResult, batch int) error {
	return multiRow{
		head: `INSERT INTO result_orgs (assessment_id, control_id, org_code, fiscal_year, segment,
				pass, fail, not_applicable, unknown, error) VALUES `,
		fixed: []any{assessment}, width: 9, op: "insert result_orgs",
		tuple: func(n int) string {
			return fmt.Sprintf("($1, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d, $%d)", n, n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8)
		},
		fill: func(i int, args []any) []any {
			r := rows[i]
			return append(args, r.ControlID, r.OrgCode, r.FiscalYear, r.Segment, r.Pass, r.Fail, r.NotApplicable, r.Unknown, r.Errors)
		},
	}.exec(ctx, tx, len(rows), batch)
}

// OrgResults returns an assessment's per-organization counts, by control,
// organization, fiscal year and segment.
func (s *Store) OrgResults(ctx context.Context, assessmentID string) ([]OrgResult, error) {
	var out []OrgResult
	err := s.each(ctx, `SELECT control_id, org_code, fiscal_year, segment, pass, fail, not_applicable, unknown, error
		FROM result_orgs WHERE assessment_id = $1 ORDER BY control_id, org_code, fiscal_year, segment`, []any{assessmentID}, func(r []any) {
		out = append(out, OrgResult{ControlID: str(r[0]), OrgCode: str(r[1]), FiscalYear: i64(r[2]), Segment: str(r[3]),
			Pass: i64(r[4]), Fail: i64(r[5]), NotApplicable: i64(r[6]), Unknown: i64(r[7]), Errors: i64(r[8])})
	})
	if err != nil {
		return nil, fmt.Errorf("store: result_orgs: %w", err)
	}
	return out, nil
}

// upsertFindings writes failures in multi-row statements. A new failure and
// a reopened one start an episode (first_seen = today); an open one keeps
// its first_seen.
func upsertFindings(ctx context.Context, tx *sql.Tx, assessment string, day any, fails []FindingInput, batch int) error {
	return multiRow{
		head: `INSERT INTO findings (control_id, target_code, target_type, org_code, status, severity,
				first_seen, last_seen, resolved_on, evidence, assessment_id, result, criteria, amount) VALUES `,
		tail: ` ON CONFLICT (control_id, target_code) DO UPDATE SET
				target_type = excluded.target_type, org_code = excluded.org_code, severity = excluded.severity,
				first_seen = CASE WHEN findings.status = 'open' THEN findings.first_seen ELSE excluded.first_seen END,
				status = 'open', last_seen = excluded.last_seen, resolved_on = NULL,
				evidence = excluded.evidence, assessment_id = excluded.assessment_id,
				result = excluded.result, criteria = excluded.criteria, amount = excluded.amount`,
		width: 11, op: "upsert findings",
		// first_seen and last_seen share one parameter: both are the day.
		tuple: func(n int) string {
			return fmt.Sprintf("($%d, $%d, $%d, $%d, 'open', $%d, $%d, $%d, NULL, $%d, $%d, $%d, $%d, $%d)",
				n, n+1, n+2, n+3, n+4, n+5, n+5, n+6, n+7, n+8, n+9, n+10)
		},
		fill: func(i int, args []any) []any {
			f := fails[i]
			result := cmp.Or(f.Result, ResultFail)
			var amount any
			if f.Amount != nil {
				amount = *f.Amount
			}
			return append(args, f.ControlID, f.TargetCode, f.TargetType, f.OrgCode, f.Severity, day, f.Evidence, assessment,
				result, strings.Join(f.Criteria, " "), amount)
		},
	}.exec(ctx, tx, len(fails), batch)
}

// dateArg passes a "YYYY-MM-DD" date the way the dialect's DATE column wants it.
func (s *Store) dateArg(d string) any {
	if s.dialect == Postgres {
		t, err := time.Parse(time.DateOnly, d)
		if err == nil {
			return t
		}
	}
	return d
}

// FindingFilter selects findings.
type FindingFilter struct {
	ControlID string
	Status    string
	OrgCode   string
}

// Findings returns the stored findings matching f, by control and target.
func (s *Store) Findings(ctx context.Context, f FindingFilter) ([]Finding, error) {
	q := `SELECT ` + findingCols + `
		FROM findings WHERE ($1 = '' OR control_id = $1) AND ($2 = '' OR status = $2) AND ($3 = '' OR org_code = $3)
		ORDER BY control_id, target_code`
	var out []Finding
	err := s.each(ctx, q, []any{f.ControlID, f.Status, f.OrgCode}, func(r []any) { out = append(out, findingOf(r)) })
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	return out, nil
}

// findingCols are the columns findingOf reads, in order.
const findingCols = `control_id, target_type, target_code, org_code, status, severity, first_seen, last_seen, resolved_on, evidence, assessment_id, result, criteria, amount`

func findingOf(r []any) Finding {
	f := Finding{ControlID: str(r[0]), TargetType: str(r[1]), TargetCode: str(r[2]), OrgCode: str(r[3]),
		Status: str(r[4]), Severity: str(r[5]), FirstSeen: str(r[6]), LastSeen: str(r[7]), ResolvedOn: str(r[8]),
		Evidence: str(r[9]), AssessmentID: str(r[10]), Result: str(r[11]), Criteria: strings.Fields(str(r[12]))}
	if r[13] != nil {
		n := i64(r[13])
		f.Amount = &n
	}
	return f
}

// Results returns the per-control results of an assessment, by control.
func (s *Store) Results(ctx context.Context, assessmentID string) ([]ControlResult, error) {
	var out []ControlResult
	err := s.each(ctx, `SELECT control_id, pass, fail, not_applicable, unknown, error FROM results WHERE assessment_id = $1 ORDER BY control_id`,
		[]any{assessmentID}, func(r []any) {
			out = append(out, ControlResult{str(r[0]), i64(r[1]), i64(r[2]), i64(r[3]), i64(r[4]), i64(r[5])})
		})
	if err != nil {
		return nil, fmt.Errorf("store: results: %w", err)
	}
	return out, nil
}

// SystemFindings returns the open findings of a system and of its
// components, by control and target.
func (s *Store) SystemFindings(ctx context.Context, system string) ([]Finding, error) {
	// Two branches rather than one OR, so that each uses the target index
	// (PostgreSQL scanned every open finding for the OR).
	q := `SELECT ` + findingCols + ` FROM findings WHERE status = 'open' AND target_code = $1
		UNION
		SELECT ` + findingCols + ` FROM findings WHERE status = 'open'
			AND target_code IN (SELECT code FROM components WHERE system_code = $1)
		ORDER BY 1, 3`
	var out []Finding
	err := s.each(ctx, q, []any{system}, func(r []any) { out = append(out, findingOf(r)) })
	if err != nil {
		return nil, fmt.Errorf("store: findings of %s: %w", system, err)
	}
	return out, nil
}

// FindingPage narrows and pages a findings list.
type FindingPage struct {
	ControlID string
	Status    string // "open", "resolved" or "" for both
	Result    string // ResultFail, ResultUnknown, ResultError or "" for any
	OrgCode   string
	Target    string // a target code
	Severity  string // low, medium, high, critical or "" for any
	// SeenBefore keeps the findings first seen on or before this date
	// (YYYY-MM-DD): those open for at least so many days.
	SeenBefore string
	// OrgIn restricts the findings to these organizations (a user's
	// scope); an empty, non-nil set matches nothing.
	OrgIn  []string
	Limit  int
	Offset int
}

// FindFindings returns one page of findings, by control and target, and
// how many match in all.
func (s *Store) FindFindings(ctx context.Context, f FindingPage) ([]Finding, int, error) {
	// Only the filters in use become conditions, so each can use its index.
	var conds []string
	var args []any
	for _, c := range []struct{ col, val string }{{"control_id", f.ControlID}, {"status", f.Status}, {"org_code", f.OrgCode},
		{"target_code", f.Target}, {"result", f.Result}, {"severity", f.Severity}} {
		if c.val != "" {
			args = append(args, c.val)
			conds = append(conds, fmt.Sprintf("%s = $%d", c.col, len(args)))
		}
	}
	if f.SeenBefore != "" {
		args = append(args, s.dateArg(f.SeenBefore))
		conds = append(conds, fmt.Sprintf("first_seen <= $%d", len(args)))
	}
	if f.OrgIn != nil {
		if len(f.OrgIn) == 0 {
			return nil, 0, nil
		}
		var in string
		in, args = orgInClause("org_code", f.OrgIn, args)
		conds = append(conds, strings.TrimPrefix(in, " AND "))
	}
	where := ""
	if len(conds) > 0 {
		where = "WHERE " + strings.Join(conds, " AND ")
	}
	version, err := s.FindingsVersion(ctx)
	if err != nil {
		return nil, 0, err
	}
	key := where + fmt.Sprintf("%q", args)
	total, ok := s.findingCounts.get(version, key)
	if !ok {
		if err := s.read.QueryRowContext(ctx, `SELECT count(*) FROM findings `+where, args...).Scan(&total); err != nil {
			return nil, 0, fmt.Errorf("store: findings: %w", err)
		}
		s.findingCounts.put(version, key, total)
	}
	limit := f.Limit
	if limit <= 0 {
		limit = 50
	}
	q := `SELECT ` + findingCols + `
		FROM findings ` + where + fmt.Sprintf(` ORDER BY control_id, target_code LIMIT $%d OFFSET $%d`, len(args)+1, len(args)+2)
	var out []Finding
	err = s.each(ctx, q, append(args, limit, f.Offset), func(r []any) { out = append(out, findingOf(r)) })
	if err != nil {
		return nil, 0, fmt.Errorf("store: findings: %w", err)
	}
	return out, total, nil
}

// SystemFindingCount is a system with its open findings (its own and its
// components').
type SystemFindingCount struct {
	SystemCode, OrgCode string
	Open                int
	High                int // of severity high or critical
}

// WorstSystems returns the n systems with the most open findings of
// severity high or critical, then the most open findings.
func (s *Store) WorstSystems(ctx context.Context, n int) ([]SystemFindingCount, error) {
	return s.WorstSystemsIn(ctx, n, nil)
}

// setEmergencyTargeted sets emergency_targeted from the organization-year's
// inherited plans: true when an emergency plan of the year covers targeted
// attacks, absent when none does and one leaves the answer blank, false
// otherwise (no plan of the year, or every plan says no).
func setEmergencyTargeted(v *View, fy int64, vals []any) {
	i, pi := v.Field("emergency_targeted"), v.Field("plans")
	if i < 0 || pi < 0 {
		return
	}
	plans, _ := vals[pi].([]map[string]any)
	out := any(false)
	for _, p := range plans {
		if p["kind"] != "emergency" || p["fiscal_year"] != fy {
			continue
		}
		if p["covers_targeted_attacks"] == true {
			out = true
			break
		}
		if p["targeted_unstated"] == true {
			out = nil
		}
	}
	vals[i] = out
}
