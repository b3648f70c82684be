package check

import (
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// incidentFixture are bodies recorded the way an officer would record the
// incident register, CSIRT and drills (blank where nothing was said), each
// named by what the seeds imply for it.
var incidentFixture = []struct {
	entity string
	rows   []row
}{
	{"organizations", []row{
		// GOV-05 (seed 004): a quiet year declared, and one left unrecorded.
		{"code": "I-DECLARED", "parent_code": "GOV", "kind": "municipality", "name": "申告町"},
		{"code": "I-SILENT", "parent_code": "GOV", "kind": "municipality", "name": "無記録町"},
		// LG-14 (seed 002): CSIRT records with the yes/no answers blank.
		{"code": "I-CSIRT-DOC", "parent_code": "GOV", "kind": "municipality", "name": "文書化町"},
		{"code": "I-CSIRT-UNDOC", "parent_code": "GOV", "kind": "municipality", "name": "未文書化町"},
		{"code": "I-CSIRT-NOMEM", "parent_code": "GOV", "kind": "municipality", "name": "要員なし町"},
		{"code": "I-CSIRT-BLANK", "parent_code": "GOV", "kind": "municipality", "name": "無回答町"},
		// LG-15 (seed 002): drills as records.
		{"code": "I-DRILLED", "parent_code": "GOV", "kind": "municipality", "name": "訓練町"},
		{"code": "I-DRILL-OLD", "parent_code": "GOV", "kind": "municipality", "name": "前年度訓練町"},
		{"code": "I-PLAN-BLANK", "parent_code": "GOV", "kind": "municipality", "name": "計画未記入町"},
		{"code": "I-PLAN-NO", "parent_code": "GOV", "kind": "municipality", "name": "標的型想定なし町"},
	}},
	{"people", []row{
		{"code": "I-P1", "org_code": "I-CSIRT-DOC", "name": "要員 一郎", "status": "active"},
		{"code": "I-P2", "org_code": "I-CSIRT-UNDOC", "name": "要員 二郎", "status": "active"},
	}},
	{"plans", []row{
		plan("I-PL-DRILLED", "I-DRILLED", "emergency", row{"covers_targeted_attacks": true}),
		plan("I-PL-OLD", "I-DRILL-OLD", "emergency", row{"covers_targeted_attacks": true}),
		plan("I-PL-BLANK", "I-PLAN-BLANK", "emergency", nil),
		plan("I-PL-NO", "I-PLAN-NO", "emergency", row{"covers_targeted_attacks": false}),
	}},
	{"incident_declarations", []row{
		{"org_code": "I-DECLARED", "fiscal_year": int64(2025), "declared_on": "2026-04-20"},
	}},
	{"csirts", []row{
		{"org_code": "I-CSIRT-DOC", "established_on": "2019-04-01", "documented_on": "2019-06-01"},
		{"org_code": "I-CSIRT-UNDOC", "established_on": "2019-04-01"},
		{"org_code": "I-CSIRT-NOMEM", "established_on": "2019-04-01", "documented_on": "2019-06-01"},
	}},
	{"csirt_members", []row{
		{"org_code": "I-CSIRT-DOC", "person_code": "I-P1", "role": "lead"},
		{"org_code": "I-CSIRT-UNDOC", "person_code": "I-P2", "role": "poc"},
	}},
	{"drills", []row{
		{"code": "I-DR1", "org_code": "I-DRILLED", "plan_code": "I-PL-DRILLED", "held_on": "2025-11-10", "scenario": "targeted_attack"},
		{"code": "I-DR2", "org_code": "I-DRILL-OLD", "held_on": "2025-03-10", "scenario": "targeted_attack"}, // FY2024
		{"code": "I-DR3", "org_code": "I-PLAN-BLANK", "held_on": "2025-11-10", "scenario": "other"},
		{"code": "I-DR4", "org_code": "I-PLAN-NO", "held_on": "2025-11-10", "scenario": "other"},
	}},
}

func TestIncidentControls(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		load(t, s)
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			for _, f := range incidentFixture {
				e := mamori.EntityByName(f.entity)
				var recs []mamori.Record
				for _, r := range f.rows {
					rec := make(mamori.Record, len(e.Fields))
					for k, v := range r {
						i := e.FieldIndex(k)
						if i < 0 {
							t.Fatalf("fixture: %s has no field %s", f.entity, k)
						}
						rec[i] = v
					}
					recs = append(recs, rec)
				}
				if err := l.Put(e, recs); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, _ := statuses(t, t.Context(), s, Options{Today: "2026-11-01", FiscalYears: []int64{2025}})
		for _, c := range []struct {
			control, target string
			want            Status
		}{
			{"GOV-05", "I-DECLARED/2025", Pass},     // a quiet year, declared
			{"GOV-05", "I-SILENT/2025", Fail},       // nothing recorded
			{"GOV-05", "MUNI-OK/2025", Pass},        // an incident recorded
			{"LG-14", "I-CSIRT-DOC", Pass},          // documented, with a member
			{"LG-14", "I-CSIRT-UNDOC", Fail},        // a record never documented
			{"LG-14", "I-CSIRT-NOMEM", Fail},        // documented but nobody named
			{"LG-14", "I-CSIRT-BLANK", Unknown},     // no record, no answers: 未確認
			{"LG-15", "I-DRILLED/2025", Pass},       // the drill is a record of the year
			{"LG-15", "I-DRILL-OLD/2025", Fail},     // last year's drill
			{"LG-15", "I-PLAN-BLANK/2025", Unknown}, // drilled, but the plan does not say whether it covers targeted attacks: 未確認, never a pass
			{"LG-15", "I-PLAN-NO/2025", Fail},       // the plan says it does not cover them
			{"LG-15", "MUNI-OK/2025", Pass},         // the plan's drill date still counts
		} {
			if st := got[[2]string{c.control, c.target}]; st != c.want {
				t.Errorf("%s(%s) = %v, want %v", c.control, c.target, st, c.want)
			}
		}
		// FY2026 is still running on 2026-11-01: a body with nothing recorded
		// yet is not judged (its declaration comes after the year), while
		// one that recorded an incident already conforms.
		running, _ := statuses(t, t.Context(), s, Options{Today: "2026-11-01", FiscalYears: []int64{2026}})
		if st := running[[2]string{"GOV-05", "I-SILENT/2026"}]; st != NotApplicable {
			t.Errorf("GOV-05(I-SILENT/2026) = %v, want not applicable while the year runs", st)
		}
		ended, _ := statuses(t, t.Context(), s, Options{Today: "2027-04-01", FiscalYears: []int64{2026}})
		if st := ended[[2]string{"GOV-05", "I-SILENT/2026"}]; st != Fail {
			t.Errorf("GOV-05(I-SILENT/2026) = %v, want fail once the year has ended", st)
		}
	})
}
