package store_test

import (
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestTrainingCounts: who must attend follows the organization tree (a
// ministry's course takes its branches' staff, a prefecture's does not take
// its municipalities'), a role narrows it, someone who attended and then
// left still counts, and the totals put a branch's course at its ministry;
// a delivered outsourcing course answers the report's training question
// where the organization gave no answer. On both stores.
func TestTrainingCounts(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		put := func(l *store.Loader, entity string, rs ...map[string]any) error {
			e := mamori.EntityByName(entity)
			var recs []mamori.Record
			for _, r := range rs {
				rec := make(mamori.Record, len(e.Fields))
				for k, v := range r {
					rec[e.FieldIndex(k)] = v
				}
				recs = append(recs, rec)
			}
			return l.Put(e, recs)
		}
		p := func(code, org, status string) map[string]any {
			return map[string]any{"code": code, "org_code": org, "name": code, "status": status}
		}
		err := st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			for _, x := range []struct {
				e  string
				rs []map[string]any
			}{
				{"organizations", []map[string]any{
					{"code": "M", "kind": "ministry", "name": "省"},
					{"code": "M-B", "parent_code": "M", "kind": "branch", "name": "地方局"},
					{"code": "P", "kind": "prefecture", "name": "県", "outsourcing_training": false},
					{"code": "P-1", "parent_code": "P", "kind": "municipality", "name": "市"},
				}},
				{"people", []map[string]any{p("M1", "M", "active"), p("M2", "M-B", "active"), p("M3", "M-B", "left"),
					p("M4", "M-B", "left"), p("P1", "P", "active"), p("C1", "P-1", "active")}},
				{"role_assignments", []map[string]any{{"org_code": "M-B", "role": "system_manager", "person_code": "M2"}}},
				{"training_courses", []map[string]any{
					{"code": "T-M", "org_code": "M", "fiscal_year": int64(2025), "kind": "general", "title": "省研修", "pass_score": int64(60)},
					{"code": "T-MB", "org_code": "M-B", "fiscal_year": int64(2025), "kind": "outsourcing", "title": "局研修", "delivered_from": "2025-07-01"},
					{"code": "T-P", "org_code": "P", "fiscal_year": int64(2025), "kind": "outsourcing", "title": "県研修", "delivered_from": "2025-07-01"},
				}},
				{"training_requirements", []map[string]any{
					{"course_code": "T-M", "org_code": "M"},
					{"course_code": "T-MB", "org_code": "M-B", "role": "system_manager"},
					{"course_code": "T-P", "org_code": "P"},
				}},
				{"training_attendance", []map[string]any{
					{"course_code": "T-M", "person_code": "M1", "attended_on": "2025-06-01", "score": int64(59)},
					{"course_code": "T-M", "person_code": "M3", "attended_on": "2025-06-01", "passed": true}, // left since
					{"course_code": "T-M", "person_code": "M2"},                                              // registered, never came
					{"course_code": "T-P", "person_code": "C1", "attended_on": "2025-07-01"},                 // not required
				}},
			} {
				if err := put(l, x.e, x.rs...); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		m, err := st.TrainingMetrics(ctx, store.TrainingFilter{FiscalYear: 2025})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]store.TrainingCourse{}
		for _, c := range m.Courses {
			got[c.Code] = c
		}
		// T-M: M1, M2 (active) and M3 (attended, then left); not M4.
		if c := got["T-M"]; c.Required != 3 || c.Attended != 2 || c.Passed != 1 || c.Delivered != true {
			t.Errorf("T-M: %+v", c)
		}
		if c := got["T-MB"]; c.Required != 1 || c.Attended != 0 || !c.Judged() {
			t.Errorf("T-MB (system managers of the branch): %+v", c)
		}
		if c := got["T-P"]; c.Required != 1 || c.Attended != 0 || c.Others != 1 {
			t.Errorf("T-P (the prefecture's staff, not its municipality's): %+v", c)
		}
		if len(m.ByOrg) != 2 || m.ByOrg[0].OrgCode != "M" || m.ByOrg[0].Courses != 2 || m.ByOrg[0].Required != 4 ||
			m.ByOrg[0].PassPermille() != 333 || m.Total.Required != 5 || m.Total.AttendancePermille() != 400 {
			t.Errorf("totals: %+v, %+v", m.ByOrg, m.Total)
		}
		// Scoped to the branch alone, its course is its own line.
		m, err = st.TrainingMetrics(ctx, store.TrainingFilter{Orgs: []string{"M-B"}})
		if err != nil {
			t.Fatal(err)
		}
		if len(m.ByOrg) != 1 || m.ByOrg[0].OrgCode != "M-B" || len(m.Courses) != 1 {
			t.Errorf("the branch's view: %+v", m.ByOrg)
		}
		if _, _, err := st.TrainingCourse(ctx, "T-M", []string{"P", "P-1"}); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("another body's course = %v, want NotFound", err)
		}
		d, err := st.ReportFindings(ctx, store.Assessment{ID: "none", Scope: "{}", ReferenceDate: "2025-12-01"})
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range d.Orgs {
			var want *bool
			switch o.Code {
			case "M-B":
				want = new(true) // a delivered outsourcing course
			case "P":
				want = new(false) // its own answer wins
			}
			if (o.Training == nil) != (want == nil) || (want != nil && *o.Training != *want) {
				t.Errorf("%s training = %v, want %v", o.Code, o.Training, want)
			}
		}
	})
}
