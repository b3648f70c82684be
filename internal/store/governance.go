package store

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strconv"
)

// The governance and money facts of seed 000 (issue 15): which plan item
// covers a contract, a budget item or an initiative; the records behind an
// investment decision; the surveys before a contract; the use of what was
// built, month by month; and what was paid for a system after it was
// retired. Each field is computed by a few bulk queries, like the rest of
// the views.

// fyEnd is the last day of a fiscal year (April–March).
func fyEnd(fy int64) string { return strconv.FormatInt(fy+1, 10) + "-03-31" }

// planCoverage reads, for the entity's rows with a plan_item_code, whether
// that item belongs to a project whose plan is documented (in_plan_items),
// and for rows with a project, whether that project's plan lists items at
// all (plan_itemised): only an itemised plan can leave a row out.
func (s *Store) planCoverage(ctx context.Context, d *viewData, table string) error {
	return s.runJobs(ctx, []job{
		{name: "in_plan_items", q: fmt.Sprintf(`SELECT t.code, p.plan_documented_on FROM %s t
			JOIN plan_items i ON i.code = t.plan_item_code JOIN projects p ON p.code = i.project_code`, table),
			apply: func(r []any) { d.set(str(r[0]), "in_plan_items", r[1] != nil) }},
		{name: "plan_itemised", q: fmt.Sprintf(`SELECT DISTINCT t.code FROM %s t JOIN plan_items i ON i.project_code = t.project_code`, table),
			apply: func(r []any) { d.set(str(r[0]), "plan_itemised", true) }},
	})
}

// governanceContract adds the plan coverage, the surveys before the
// contract and, where no yearly payment is recorded, the payments recorded
// on the contract's shares: seed 000 knows of the platform lease only what
// was paid for the secure zone's share, a lower bound of what was paid.
func (s *Store) governanceContract(ctx context.Context, d *viewData) error {
	if err := s.planCoverage(ctx, d, "contracts"); err != nil {
		return err
	}
	shares := map[string]int64{}
	// The surveys of the contract's project and of the projects of the
	// systems it pays for, by date.
	surveys := map[string][]string{}
	err := s.runJobs(ctx, []job{
		{name: "share paid", q: `SELECT contract_code, CAST(sum(share_paid) AS BIGINT) FROM contract_systems
			WHERE share_paid IS NOT NULL GROUP BY contract_code`,
			apply: func(r []any) { shares[str(r[0])] = i64(r[1]) }},
		{name: "surveys", q: `SELECT k.code, v.sent_on FROM contracts k JOIN surveys v ON v.project_code = k.project_code
			UNION SELECT c.contract_code, v.sent_on FROM contract_systems c JOIN systems y ON y.code = c.system_code
				JOIN surveys v ON v.project_code = y.project_code`,
			apply: func(r []any) { surveys[str(r[0])] = append(surveys[str(r[0])], str(r[1])) }},
		{name: "contract dates", q: `SELECT code, coalesce(contracted_on, start_on) FROM contracts`,
			apply: func(r []any) {
				code := str(r[0])
				if v, ok := shares[code]; ok && d.get(code, "paid_total") == nil {
					d.set(code, "paid_total", v)
				}
				if len(surveys[code]) == 0 {
					return
				}
				d.set(code, "survey_count", int64(len(surveys[code])))
				last := ""
				if r[1] != nil {
					for _, on := range surveys[code] {
						if on <= str(r[1]) && on > last {
							last = on
						}
					}
				}
				d.set(code, "last_survey_on", last)
			}},
	})
	return err
}

// governanceBudget adds a budget item's plan coverage and whether its
// project's demand was analysed (a record, else the project's answer).
func (s *Store) governanceBudget(ctx context.Context, d *viewData) error {
	if err := s.planCoverage(ctx, d, "budget_items"); err != nil {
		return err
	}
	records := map[string]bool{}
	return s.runJobs(ctx, []job{
		{name: "demand records", q: `SELECT DISTINCT project_code FROM investment_records WHERE kind = 'demand_survey'`,
			apply: func(r []any) { records[str(r[0])] = true }},
		{name: "project", q: `SELECT b.code, p.plan_documented_on, p.demand_surveyed, p.code FROM budget_items b JOIN projects p ON p.code = b.project_code`,
			apply: func(r []any) {
				d.set(str(r[0]), "project_has_plan", r[1] != nil)
				if records[str(r[3])] {
					d.set(str(r[0]), "project_demand_surveyed", true)
				} else if v := boolean(r[2]); v != nil {
					d.set(str(r[0]), "project_demand_surveyed", v)
				}
			}},
	})
}

// governanceProject adds to the project view what GOV-02, GOV-04 and
// GOV-10 read: the investment records made by the first contract, the
// monthly use of the project's systems, and whether a documented plan
// lists the project as one of its items. paid_total also counts the shares
// of other projects' contracts apportioned to the project's systems (seed
// 000: the secure zone's share of the platform lease).
func (s *Store) governanceProject(ctx context.Context, d *viewData) error {
	firstContract := map[string]string{}
	type rec struct{ kind, on string }
	records := map[string][]rec{}
	type answer struct{ demand, usage, cost any }
	answers := map[string]answer{}
	type month struct {
		on            string
		orgs, systems any
	}
	usage := map[string]map[string]*month{} // project -> month -> summed over its systems
	err := s.runJobs(ctx, []job{
		{name: "shares", q: `SELECT y.project_code, CAST(sum(c.share_paid) AS BIGINT) FROM contract_systems c
			JOIN systems y ON y.code = c.system_code JOIN contracts k ON k.code = c.contract_code
			WHERE c.share_paid IS NOT NULL AND y.project_code IS NOT NULL
				AND (k.project_code IS NULL OR k.project_code <> y.project_code)
			GROUP BY y.project_code`,
			apply: func(r []any) { d.set(str(r[0]), "paid_total", i64(d.get(str(r[0]), "paid_total"))+i64(r[1])) }},
		{name: "first contract", q: `SELECT project_code, min(coalesce(contracted_on, start_on)) FROM contracts
			WHERE project_code IS NOT NULL GROUP BY project_code`,
			apply: func(r []any) {
				if r[1] != nil {
					firstContract[str(r[0])] = str(r[1])
				}
			}},
		{name: "records", q: `SELECT project_code, kind, recorded_on FROM investment_records`,
			apply: func(r []any) {
				records[str(r[0])] = append(records[str(r[0])], rec{str(r[1]), str(r[2])})
			}},
		{name: "answers", q: `SELECT code, demand_surveyed, usage_estimated, cost_effectiveness_recorded, utilization_percent, utilization_measured_on FROM projects`,
			apply: func(r []any) {
				answers[str(r[0])] = answer{boolean(r[1]), boolean(r[2]), boolean(r[3])}
				// The single utilisation figure of earlier registers stays
				// readable: a project without a monthly series is judged
				// on it, as one measurement.
				if r[4] != nil && r[5] != nil {
					d.set(str(r[0]), "usage_last_month", str(r[5]))
					d.set(str(r[0]), "usage", []map[string]any{{"month": str(r[5]), "orgs": int64(0), "systems": int64(0), "percent": i64(r[4])}})
				}
			}},
		{name: "usage", q: `SELECT y.project_code, u.month, u.orgs_for_purpose, u.systems_for_purpose FROM capability_usage u
			JOIN systems y ON y.code = u.system_code WHERE y.project_code IS NOT NULL ORDER BY y.project_code, u.month`,
			apply: func(r []any) {
				p := str(r[0])
				if usage[p] == nil {
					usage[p] = map[string]*month{}
				}
				m := usage[p][str(r[1])]
				if m == nil {
					m = &month{on: str(r[1])}
					usage[p][m.on] = m
				}
				if r[2] != nil {
					m.orgs = i64(m.orgs) + i64(r[2])
				}
				if r[3] != nil {
					m.systems = i64(m.systems) + i64(r[3])
				}
			}},
		{name: "in plan", q: `SELECT i.covers_project_code, p.plan_documented_on FROM plan_items i JOIN projects p ON p.code = i.project_code
			WHERE i.covers_project_code IS NOT NULL`,
			apply: func(r []any) {
				if r[1] != nil {
					d.set(str(r[0]), "in_plan", true)
				}
			}},
	})
	if err != nil {
		return err
	}
	for p, a := range answers {
		// A record counts when made by the first contract: a study written
		// after the money was committed did not inform the decision.
		// A record made only afterwards shows it was not done in time.
		made, late := map[string]bool{}, map[string]bool{}
		for _, r := range records[p] {
			if fc := firstContract[p]; fc == "" || r.on <= fc {
				made[r.kind] = true
			} else {
				late[r.kind] = true
			}
		}
		for kind, ans := range map[string]any{"demand_survey": a.demand, "usage_estimate": a.usage, "cost_effectiveness": a.cost} {
			field := map[string]string{"demand_survey": "demand_evidence", "usage_estimate": "usage_evidence", "cost_effectiveness": "cost_evidence"}[kind]
			switch {
			case made[kind]:
				d.set(p, field, true)
			case late[kind]:
				d.set(p, field, false)
			case ans != nil:
				d.set(p, field, ans)
			}
		}
	}
	for p, months := range usage {
		var series []map[string]any
		last := ""
		// In month order: the view must read the same however often it is read.
		for _, on := range slices.Sorted(maps.Keys(months)) {
			m := months[on]
			// A month whose counts are blank was not measured.
			if m.orgs == nil && m.systems == nil {
				continue
			}
			series = append(series, map[string]any{"month": on, "orgs": i64(m.orgs), "systems": i64(m.systems), "percent": int64(-1)})
			last = max(last, on)
		}
		if last != "" {
			d.set(p, "usage", series)
			d.set(p, "usage_last_month", last)
		}
	}
	return nil
}

// governanceSystem adds, for retired systems with contracts, the last day
// paid for the system (a share's paid-through date, or for a contract that
// pays for this system alone each year's paid-through date or the year's
// end) and the amount paid under contracts whose payments ran past the
// retirement (seed 000: the platform lease's share for the secure zone was
// paid through June 2019, three months after the zone was retired).
func (s *Store) governanceSystem(ctx context.Context, d *viewData, system string) error {
	type pay struct {
		last   string
		amount int64
	}
	retired := map[string]string{}
	byContract := map[[2]string]*pay{} // (system, contract)
	add := func(sys, contract, on string, amount int64) {
		k := [2]string{sys, contract}
		p := byContract[k]
		if p == nil {
			p = &pay{}
			byContract[k] = p
		}
		p.last = max(p.last, on)
		p.amount += amount
	}
	cond, args := sysCond(`{{sys}}`, "y.code", system)
	err := s.runJobs(ctx, []job{
		{name: "retired", q: `SELECT y.code, y.retired_on FROM systems y WHERE y.retired_on IS NOT NULL ` + cond, args: args,
			apply: func(r []any) { retired[str(r[0])] = str(r[1]) }},
		{name: "shares", q: `SELECT y.code, c.contract_code, c.share_paid_through, c.share_paid FROM contract_systems c
			JOIN systems y ON y.code = c.system_code WHERE y.retired_on IS NOT NULL AND c.share_paid IS NOT NULL
				AND c.share_paid_through IS NOT NULL ` + cond, args: args,
			apply: func(r []any) { add(str(r[0]), str(r[1]), str(r[2]), i64(r[3])) }},
		{name: "sole payments", q: `SELECT y.code, c.contract_code, a.fiscal_year, a.paid_through, a.paid FROM contract_systems c
			JOIN systems y ON y.code = c.system_code JOIN contract_amounts a ON a.contract_code = c.contract_code
			WHERE y.retired_on IS NOT NULL AND c.share_paid IS NULL AND a.paid IS NOT NULL AND a.paid > 0 ` + cond + `
				AND NOT EXISTS (SELECT 1 FROM contract_systems o WHERE o.contract_code = c.contract_code AND o.system_code <> c.system_code)`,
			args: args,
			apply: func(r []any) {
				on := fyEnd(i64(r[2]))
				if r[3] != nil {
					on = str(r[3])
				}
				add(str(r[0]), str(r[1]), on, i64(r[4]))
			}},
	})
	if err != nil {
		return err
	}
	for k, p := range byContract {
		sys := k[0]
		if cur, _ := d.get(sys, "last_paid_on").(string); p.last > cur {
			d.set(sys, "last_paid_on", p.last)
		}
		if p.last > retired[sys] {
			d.set(sys, "paid_after_retirement", i64(d.get(sys, "paid_after_retirement"))+p.amount)
		}
	}
	return nil
}

// governanceOrg counts the conditions stated in survey answers that were
// never followed up (GOV-03), beside unfollowed_surveys.
func (s *Store) governanceOrg(ctx context.Context, d *viewData) error {
	if !d.need("unfollowed_conditions") {
		return nil
	}
	return s.keyedCount(ctx, d, "unfollowed_conditions", `SELECT org_code, count(*) FROM survey_answers
		WHERE conditions IS NOT NULL AND conditions <> '' AND condition_followed_up_on IS NULL GROUP BY org_code`)
}
