package demo

import "time"

// The governance records of the generated register (issue 15): each
// project with a documented plan lists its functions as plan items; the
// investment records follow the project's answers (a project that says it
// surveyed demand has the analysis on file, dated before its plan) and so
// do its surveys; each contract of a project is funded by the project's
// first budget item; and the first live system of each project whose use
// was measured has a year of monthly usage.

func (w *world) emitPlanItems(s *sink) {
	code, pc, kind, title := s.col("code"), s.col("project_code"), s.col("kind"), s.col("title")
	for i := range w.projects {
		p := &w.projects[i]
		if p.planDoc == noDay {
			continue
		}
		r := s.next()
		r[code], r[pc], r[kind], r[title] = p.code+"-I1", p.code, "function", p.name
	}
}

// planItemOf is the plan item a project's contracts and budget items cite:
// the one item of a documented plan, or nil.
func (w *world) planItemOf(project int32) any {
	if p := &w.projects[project]; p.planDoc != noDay {
		return p.code + "-I1"
	}
	return nil
}

func (w *world) emitInvestmentRecords(s *sink) {
	pc, kind, on, title := s.col("project_code"), s.col("kind"), s.col("recorded_on"), s.col("title")
	for i := range w.projects {
		p := &w.projects[i]
		if p.planDoc == noDay {
			continue
		}
		for _, k := range []struct {
			done        bool
			kind, title string
		}{{p.demand, "demand_survey", "需要調査結果"}, {p.usage, "usage_estimate", "利用規模の見込み"}, {p.costEf, "cost_effectiveness", "費用対効果の検討"}} {
			if !k.done {
				continue
			}
			r := s.next()
			r[pc], r[kind], r[on], r[title] = p.code, k.kind, w.date(p.planDoc-30), p.name+" "+k.title
		}
	}
}

func (w *world) emitProjectSurveys(s *sink) {
	code, org, pc, title, sent := s.col("code"), s.col("org_code"), s.col("project_code"), s.col("title"), s.col("sent_on")
	// A survey two months before the project's first contract, or before
	// its plan when it has none.
	first := map[int32]day{}
	for i := range w.contracts {
		k := &w.contracts[i]
		if k.project >= 0 && k.start != noDay {
			if f, ok := first[k.project]; !ok || k.start < f {
				first[k.project] = k.start
			}
		}
	}
	for i := range w.projects {
		p := &w.projects[i]
		if p.planDoc == noDay || !p.demand {
			continue
		}
		r := s.next()
		on := p.planDoc - 90
		if f, ok := first[int32(i)]; ok {
			on = f - 60
		}
		r[code], r[org], r[pc], r[title], r[sent] = p.code+"-SU1", w.orgs[p.org].code, p.code, p.name+" 利用希望調査", w.date(on)
	}
}

// emitBudgetContracts links each contract of a project to the project's
// first budget item (noted by emitBudget).
func (w *world) emitBudgetContracts(s *sink) {
	bc, kc := s.col("budget_code"), s.col("contract_code")
	for i := range w.contracts {
		k := &w.contracts[i]
		if k.project < 0 {
			continue
		}
		if b := w.budgetOf[w.projects[k.project].code]; b != "" {
			r := s.next()
			r[bc], r[kc] = b, k.code
		}
	}
}

// emitUsage records the last twelve months' use of the first live system
// of each project whose use was measured: a project measured under 5%
// used by nobody, the others by a few organizations.
func (w *world) emitUsage(s *sink) {
	sc, month, orgs, systems := s.col("system_code"), s.col("month"), s.col("orgs_for_purpose"), s.col("systems_for_purpose")
	done := map[int32]bool{}
	today := w.dates.time(0)
	for i := range w.systems {
		sy := &w.systems[i]
		if sy.project < 0 || done[sy.project] || sy.goLive == noDay || sy.retired != noDay {
			continue
		}
		p := &w.projects[sy.project]
		if p.util < 0 {
			continue
		}
		done[sy.project] = true
		live := w.dates.time(sy.goLive)
		for m := 12; m >= 1; m-- {
			first := time.Date(today.Year(), today.Month()-time.Month(m), 1, 0, 0, 0, 0, time.UTC)
			if first.Before(live) {
				continue
			}
			r := s.next()
			// Under 5% (GOV-04's default minimum) counts as nobody using
			// it for its purpose.
			n := int64(0)
			if p.util >= 5 {
				n = int64(1 + p.util/20)
			}
			r[sc], r[month], r[orgs], r[systems] = sy.code, first.Format(time.DateOnly), n, n
		}
	}
}

// noteBudget remembers a project's first budget item for emitBudgetContracts.
func (w *world) noteBudget(project, code string) {
	if w.budgetOf == nil {
		w.budgetOf = map[string]string{}
	}
	if w.budgetOf[project] == "" {
		w.budgetOf[project] = code
	}
}
