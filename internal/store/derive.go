package store

// Derived view fields that decide what the Board of Audit decided (seeds
// 000–003): which organizations are bodies, plans that cover an
// organization through its ministry, the three-layer measures from a local
// government's answers and from its terminals and records, systems seen
// outside the register, and facts aggregated from components. Each is
// absent (nil) where nothing recorded says, so a check answers 未確認
// rather than passing on silence.

import (
	"context"
	"slices"
	"strings"
	"time"
)

// orgTree is every organization's parent and kind.
type orgTree struct {
	parent, kind map[string]string
	children     map[string][]string
}

func (s *Store) loadOrgTree(ctx context.Context) (*orgTree, error) {
	t := &orgTree{parent: map[string]string{}, kind: map[string]string{}, children: map[string][]string{}}
	err := s.each(ctx, `SELECT code, parent_code, kind FROM organizations ORDER BY code`, nil, func(r []any) {
		code := str(r[0])
		t.parent[code], t.kind[code] = str(r[1]), str(r[2])
		if p := str(r[1]); p != "" {
			t.children[p] = append(t.children[p], code)
		}
	})
	return t, err
}

// isBody reports whether an organization answers for itself to the plan and
// role controls (a 機関 the Board counts once): a ministry, an agency, a
// prefecture or a municipality, and a central office (本府省庁等) that does
// not sit under a ministry. A central office under its ministry is the
// ministry's own office, judged as the ministry; a regional branch is
// covered by its ministry's plans.
func (t *orgTree) isBody(code string) bool {
	switch t.kind[code] {
	case "ministry", "agency", "prefecture", "municipality":
		return true
	case "central":
		return t.kind[t.parent[code]] != "ministry"
	}
	return false
}

// coveredBy returns the organizations whose plans cover code: itself; for
// a unit that is not a body, its ancestors up to the body it belongs to (a
// ministry's plan covers its offices and branches; a prefecture's does not
// cover its municipalities, which are bodies of their own); and for a
// ministry, its central offices (a plan recorded at the 本省 is the
// ministry's plan).
func (t *orgTree) coveredBy(code string) []string {
	out := []string{code}
	if !t.isBody(code) {
		for p, n := t.parent[code], 0; p != "" && n < 16; p, n = t.parent[p], n+1 {
			if t.kind[p] == "government" {
				break
			}
			out = append(out, p)
			if t.isBody(p) {
				break
			}
		}
	}
	if t.kind[code] == "ministry" {
		for _, c := range t.children[code] {
			if t.kind[c] == "central" {
				out = append(out, c)
			}
		}
	}
	return out
}

// inheritedPlans sets plan_kinds (organization) or plans (organization-fy)
// from every plan that covers each organization.
func (s *Store) inheritedPlans(ctx context.Context, d *viewData, tree *orgTree, perFY bool) error {
	own := map[string][]map[string]any{} // each organization's own plans, as the controls read them
	err := s.each(ctx, `SELECT org_code, kind, fiscal_year, approved_on, covers_targeted_attacks, last_drill_on, code
		FROM plans ORDER BY org_code, fiscal_year, kind, code`, nil, func(r []any) {
		m := map[string]any{"kind": str(r[1]), "fiscal_year": i64(r[2]), "org_code": str(r[0]), "code": str(r[6])}
		if r[3] != nil {
			m["approved_on"] = r[3]
		}
		m["covers_targeted_attacks"] = boolean(r[4]) == true
		if r[4] == nil {
			// Blank is not "no": LG-15 answers 未確認 for a plan that does
			// not say (emergency_targeted).
			m["targeted_unstated"] = true
		}
		if r[5] != nil {
			m["last_drill_on"] = r[5]
		}
		own[str(r[0])] = append(own[str(r[0])], m)
	})
	if err != nil {
		return err
	}
	for code := range tree.kind {
		for _, by := range tree.coveredBy(code) {
			for _, p := range own[by] {
				if perFY {
					d.appendMap(code, "plans", p)
				} else {
					d.appendString(code, "plan_kinds", p["kind"].(string))
				}
			}
		}
		d.set(code, "is_body", tree.isBody(code))
	}
	if !perFY {
		for code := range d.by {
			if ks, ok := d.get(code, "plan_kinds").([]string); ok {
				slices.Sort(ks)
			}
		}
	}
	return nil
}

// terminalCounts are an organization's My Number terminals and what their
// flags say of one measure.
type terminalCounts struct{ total, yes, no int64 }

// state decides a measure that must be on every My Number terminal
// (二要素認証, 持出し不可設定) from the terminals and, where they do not
// decide it, from the organization's answers: "none", "partial", "all", or
// "" when neither says. Terminals that contradict an answer win.
func (c terminalCounts) state(introduced, allTerminals any) string {
	unknown := c.total - c.yes - c.no
	switch {
	case c.total > 0 && unknown == 0 && c.yes == c.total:
		return "all"
	case c.total > 0 && unknown == 0 && c.no == c.total:
		return "none"
	case c.yes > 0 && c.no > 0:
		return "partial"
	}
	intro, introOK := introduced.(bool)
	all, allOK := allTerminals.(bool)
	switch {
	case introOK && !intro:
		if c.yes > 0 {
			return "partial"
		}
		return "none"
	case introOK && intro && c.no > 0:
		return "partial"
	case introOK && intro && allOK && all:
		return "all"
	case introOK && intro && allOK && !all:
		return "partial"
	}
	return ""
}

// localMeasureFields are the fields localMeasures derives.
var localMeasureFields = []string{"mynumber_terminals", "two_factor_state", "export_blocking_state",
	"unblock_unlimited", "unblock_month_or_more", "exports_logged", "exports_items_recorded"}

// localMeasures derives the organization view's three-layer fields. It
// scans every My Number terminal, so it runs only when a control reads one
// of them.
func (s *Store) localMeasures(ctx context.Context, d *viewData) error {
	if !slices.ContainsFunc(localMeasureFields, d.need) {
		return nil
	}
	type answers struct {
		twoFactor, twoFactorAll, blocking, blockingAll, unlimited, long, logs, items any
	}
	orgs := map[string]*answers{}
	twoFactor := map[string]*terminalCounts{}
	blocking := map[string]*terminalCounts{}
	type exc struct {
		unlimited, long, anyRecord bool
		logged, items              [2]int // [false, true] counts
	}
	excs := map[string]*exc{}
	addExc := func(org, granted, expires string, logged, items any) {
		e := excs[org]
		if e == nil {
			e = &exc{}
			excs[org] = e
		}
		e.anyRecord = true
		switch {
		case expires == "":
			e.unlimited = true
		case monthOrMore(granted, expires):
			e.long = true
		}
		for i, v := range []any{logged, items} {
			counts := &e.logged
			if i == 1 {
				counts = &e.items
			}
			switch v {
			case true:
				counts[1]++
			case false:
				counts[0]++
			}
		}
	}
	jobs := []job{
		{name: "local answers", q: `SELECT code, two_factor_introduced, two_factor_all_terminals, export_blocking_introduced,
			export_blocking_all_terminals, export_unblock_unlimited, export_unblock_month_or_more, export_logs_kept, export_items_recorded
			FROM organizations`, apply: func(r []any) {
			orgs[str(r[0])] = &answers{boolean(r[1]), boolean(r[2]), boolean(r[3]), boolean(r[4]), boolean(r[5]), boolean(r[6]),
				boolean(r[7]), boolean(r[8])}
		}},
		// A terminal is in the My Number zone by its own segment, else its system's.
		// The terminals are filtered before the join: joining all 3,000,000
		// components to their systems costs seconds nationally.
		{name: "my number terminals", q: `SELECT s.org_code, c.second_factor, c.export_blocking, count(*)
			FROM components c JOIN systems s ON s.code = c.system_code
			WHERE c.kind = 'terminal' AND (c.network_segment = 'mynumber'
				OR (c.network_segment IS NULL AND c.system_code IN (SELECT code FROM systems WHERE network_segment = 'mynumber')))
			GROUP BY s.org_code, c.second_factor, c.export_blocking`, apply: func(r []any) {
			org, n := str(r[0]), i64(r[3])
			for i, m := range []map[string]*terminalCounts{twoFactor, blocking} {
				c := m[org]
				if c == nil {
					c = &terminalCounts{}
					m[org] = c
				}
				c.total += n
				switch boolean(r[1+i]) {
				case true:
					c.yes += n
				case false:
					c.no += n
				}
			}
		}},
		{name: "export exceptions", q: `SELECT s.org_code, x.granted_on, x.expires_on, x.logged, x.items_recorded
			FROM export_exceptions x JOIN components c ON c.code = x.component_code JOIN systems s ON s.code = c.system_code`,
			apply: func(r []any) { addExc(str(r[0]), str(r[1]), str(r[2]), boolean(r[3]), boolean(r[4])) }},
	}
	if err := s.runJobs(ctx, jobs); err != nil {
		return err
	}
	// Approved export requests are exception records too (gates.go).
	recs, err := s.exportRecords(ctx)
	if err != nil {
		return err
	}
	for _, x := range recs {
		addExc(x.org, x.granted, x.expires, nil, x.itemsRecorded)
	}
	for code, a := range orgs {
		tf, bl := twoFactor[code], blocking[code]
		if tf == nil {
			tf = &terminalCounts{}
		}
		if bl == nil {
			bl = &terminalCounts{}
		}
		if tf.total > 0 {
			d.set(code, "mynumber_terminals", tf.total)
		}
		if st := tf.state(a.twoFactor, a.twoFactorAll); st != "" {
			d.set(code, "two_factor_state", st)
		}
		if st := bl.state(a.blocking, a.blockingAll); st != "" {
			d.set(code, "export_blocking_state", st)
		}
		e := excs[code]
		if e == nil {
			e = &exc{}
		}
		// An answer "no" stands unless a record shows otherwise; a record
		// of an unlimited or long exception is the finding whatever the
		// answer; records alone say "no" only when there are some.
		flag := func(field string, answer any, recorded bool) {
			switch {
			case recorded:
				d.set(code, field, true)
			case answer != nil:
				d.set(code, field, answer)
			case e.anyRecord:
				d.set(code, field, false)
			}
		}
		flag("unblock_unlimited", a.unlimited, e.unlimited)
		flag("unblock_month_or_more", a.long, e.long)
		kept := func(field string, answer any, counts [2]int) {
			switch {
			case counts[0] > 0:
				d.set(code, field, false)
			case answer != nil:
				d.set(code, field, answer)
			case counts[1] > 0:
				d.set(code, field, true)
			}
		}
		kept("exports_logged", a.logs, e.logged)
		kept("exports_items_recorded", a.items, e.items)
	}
	return nil
}

// monthOrMore reports whether expires is a calendar month or more after
// granted: 1 Feb → 1 Mar is a month (as is 31 Jan → 28 Feb), 1 Jan → 31 Jan is not.
func monthOrMore(granted, expires string) bool {
	g, err1 := time.Parse(time.DateOnly, granted)
	e, err2 := time.Parse(time.DateOnly, expires)
	if err1 != nil || err2 != nil {
		return false
	}
	month := g.AddDate(0, 1, 0)
	if month.Day() != g.Day() { // 31 Jan + 1 month overflows into March: the month ends on its last day
		month = time.Date(g.Year(), g.Month()+2, 0, 0, 0, 0, 0, time.UTC)
	}
	return !e.Before(month)
}

// sighting is one record of a system seen outside the register.
type sighting struct {
	code, org, source, systemCode, systemID, name string
}

// reconcile matches the sightings to register entries (by register number,
// else SystemID, else organization and name), records where every system
// was seen (seen_in), and returns the sightings no entry matches, grouped
// by the system they name.
func (s *Store) reconcile(ctx context.Context, d *viewData, system string) ([][]sighting, error) {
	var all []sighting
	err := s.each(ctx, `SELECT code, org_code, source, system_code, system_id, system_name FROM system_sightings ORDER BY code`, nil,
		func(r []any) {
			all = append(all, sighting{str(r[0]), str(r[1]), str(r[2]), str(r[3]), strings.TrimSpace(str(r[4])), strings.TrimSpace(str(r[5]))})
		})
	if err != nil {
		return nil, err
	}
	byID, byName := map[string]string{}, map[string]string{}
	if len(all) > 0 {
		// Re-checking one system needs its own identity only.
		q, args := sysCond(`SELECT code, org_code, name, system_id FROM systems WHERE 1 = 1 {{sys}}`, "code", system)
		err = s.each(ctx, q, args, func(r []any) {
			if id := str(r[3]); id != "" {
				byID[id] = str(r[0])
			}
			byName[str(r[1])+"\x00"+str(r[2])] = str(r[0])
		})
		if err != nil {
			return nil, err
		}
	}
	// Where the register's own links say a system was seen: a contract
	// naming it, payments under such a contract, components on it.
	q, args := sysCond(`SELECT cs.system_code, CASE WHEN EXISTS (SELECT 1 FROM contract_amounts a WHERE a.contract_code = cs.contract_code AND a.paid IS NOT NULL)
		THEN 'payment' ELSE 'contract' END FROM contract_systems cs WHERE 1 = 1 {{sys}}`, "cs.system_code", system)
	if err := s.each(ctx, q, args, func(r []any) {
		d.appendString(str(r[0]), "seen_in", "contract")
		if str(r[1]) == "payment" {
			d.appendString(str(r[0]), "seen_in", "payment")
		}
	}); err != nil {
		return nil, err
	}
	groups := map[string][]sighting{}
	var order []string
	for _, x := range all {
		match := x.systemCode
		if match == "" && x.systemID != "" {
			match = byID[x.systemID]
		}
		if match == "" && x.name != "" {
			match = byName[x.org+"\x00"+x.name]
		}
		if match != "" {
			if system == "" || system == match {
				d.appendString(match, "seen_in", x.source)
			}
			continue
		}
		key := x.org + "\x00" + x.name
		if x.systemID != "" {
			key = "id\x00" + x.systemID
		}
		if groups[key] == nil {
			order = append(order, key)
		}
		groups[key] = append(groups[key], x)
	}
	if system != "" {
		return nil, nil // re-checking one register entry: no sightings of their own
	}
	out := make([][]sighting, 0, len(order))
	for _, k := range order {
		out = append(out, groups[k])
	}
	return out, nil
}

// officeEquipmentFacts decides, for systems filed as office equipment
// (REG-04, seed 003), whether they hold personal information and talk to
// other devices: from the system's own answer and its components. Only
// office equipment is read, a few hundred systems nationally.
func (s *Store) officeEquipmentFacts(ctx context.Context, d *viewData, system string) error {
	type agg struct{ piYes, piNo, netYes, netNo, n int64 }
	m := map[string]*agg{}
	q, args := sysCond(`SELECT c.system_code, count(*),
			sum(CASE WHEN c.stores_personal_info = TRUE THEN 1 ELSE 0 END), sum(CASE WHEN c.stores_personal_info = FALSE THEN 1 ELSE 0 END),
			sum(CASE WHEN c.networked = TRUE THEN 1 ELSE 0 END), sum(CASE WHEN c.networked = FALSE THEN 1 ELSE 0 END)
		FROM components c JOIN systems s ON s.code = c.system_code WHERE s.class = 'office_equipment' {{sys}} GROUP BY c.system_code`,
		"c.system_code", system)
	err := s.each(ctx, q, args, func(r []any) {
		m[str(r[0])] = &agg{n: i64(r[1]), piYes: i64(r[2]), piNo: i64(r[3]), netYes: i64(r[4]), netNo: i64(r[5])}
	})
	if err != nil {
		return err
	}
	q, args = sysCond(`SELECT code, personal_info, external_connections FROM systems WHERE class = 'office_equipment' {{sys}}`, "code", system)
	return s.each(ctx, q, args, func(r []any) {
		code := str(r[0])
		a := m[code]
		if a == nil {
			a = &agg{}
		}
		own := boolean(r[1])
		switch {
		case own == true || a.piYes > 0:
			d.set(code, "holds_personal_info", true)
		case own == false || (a.n > 0 && a.piNo == a.n):
			d.set(code, "holds_personal_info", false)
		}
		switch {
		case a.netYes > 0 || strings.TrimSpace(str(r[2])) != "":
			d.set(code, "talks_to_devices", true)
		case a.n > 0 && a.netNo == a.n:
			d.set(code, "talks_to_devices", false)
		}
	})
}

// contractFacts derives the clauses a contract lacks by role, its date,
// what was paid and whether its project has a plan.
func (s *Store) contractFacts(ctx context.Context, d *viewData) error {
	groups := map[string][]string{} // clause group -> codes, in code order
	has := map[string]map[string]bool{}
	var recordedEmpty []string // contracts whose clauses are recorded as none
	jobs := []job{
		{name: "clause list", q: `SELECT clause_group, code FROM clause_defs ORDER BY clause_group, code`, apply: func(r []any) {
			groups[str(r[0])] = append(groups[str(r[0])], str(r[1]))
		}},
		{name: "contract clauses", q: `SELECT contract_code, clause_code FROM contract_clauses`, apply: func(r []any) {
			m := has[str(r[0])]
			if m == nil {
				m = map[string]bool{}
				has[str(r[0])] = m
			}
			m[str(r[1])] = true
		}},
		{name: "contract_date", q: `SELECT code, coalesce(contracted_on, start_on), clauses_recorded FROM contracts`, apply: func(r []any) {
			if r[1] != nil {
				d.set(str(r[0]), "contract_date", str(r[1]))
			}
			if boolean(r[2]) == true && has[str(r[0])] == nil {
				recordedEmpty = append(recordedEmpty, str(r[0]))
			}
		}},
		{name: "paid_total", q: `SELECT contract_code, CAST(sum(paid) AS BIGINT) FROM contract_amounts WHERE paid IS NOT NULL GROUP BY contract_code`,
			apply: func(r []any) { d.set(str(r[0]), "paid_total", i64(r[1])) }},
		{name: "project_has_plan", q: `SELECT k.code, p.plan_documented_on FROM contracts k JOIN projects p ON p.code = k.project_code`,
			apply: func(r []any) { d.set(str(r[0]), "project_has_plan", r[1] != nil) }},
	}
	if err := s.runJobs(ctx, jobs); err != nil {
		return err
	}
	// runJobs applies rows in job order: the clause rows are in by now, so
	// a contract recorded with no clause at all lacks every one.
	for _, c := range recordedEmpty {
		if has[c] == nil {
			has[c] = map[string]bool{}
		}
	}
	roles := map[string]string{"vendor7": "missing_spec_items", "subcontract": "missing_subcontract_items",
		"takeout": "missing_takeout_items", "ismap": "missing_ismap_items"}
	for contract, present := range has {
		for group, field := range roles {
			if len(groups[group]) == 0 {
				continue // no clause plays the role here: the check cannot be decided
			}
			missing := []string{}
			for _, c := range groups[group] {
				if !present[c] {
					missing = append(missing, c)
				}
			}
			d.set(contract, field, missing)
		}
	}
	return nil
}
