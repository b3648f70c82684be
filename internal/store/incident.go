package store

import (
	"context"
	"strconv"

	"mamori"
)

// incidentDerived fills the organization views' incident-register fields
// (DESIGN C7; seeds 002 and 004):
//
//   - organization: csirt_record_documented, present only when the body
//     has a CSIRT record: true when the record gives the date its staff and
//     functions were documented and names at least one member, false
//     otherwise (LG-14). Without a record the body's yes/no answers decide,
//     and blank answers leave LG-14 未確認.
//   - organization-fy: incident_free_years, the fiscal years the body
//     declared without incidents (GOV-05: a declared quiet year is not an
//     unrecorded one), and drills, the emergency drills it held, each with
//     its fiscal year and scenario (LG-15).
func (s *Store) incidentDerived(ctx context.Context, d *viewData, perFY bool) error {
	if !perFY {
		if !d.need("csirt_record_documented") {
			return nil
		}
		return s.each(ctx, `SELECT c.org_code, c.documented_on, (SELECT count(*) FROM csirt_members m WHERE m.org_code = c.org_code)
			FROM csirts c`, nil, func(r []any) {
			d.set(str(r[0]), "csirt_record_documented", r[1] != nil && i64(r[2]) > 0)
		})
	}
	if d.need("incident_free_years") {
		err := s.each(ctx, `SELECT org_code, fiscal_year FROM incident_declarations ORDER BY org_code, fiscal_year`, nil, func(r []any) {
			d.appendString(str(r[0]), "incident_free_years", strconv.FormatInt(i64(r[1]), 10))
		})
		if err != nil {
			return err
		}
	}
	if !d.need("drills") {
		return nil
	}
	return s.each(ctx, `SELECT org_code, held_on, scenario, plan_code FROM drills ORDER BY org_code, held_on, code`, nil, func(r []any) {
		fy, ok := mamori.FiscalYearOf(str(r[1]))
		if !ok {
			return
		}
		m := map[string]any{"fiscal_year": fy, "held_on": str(r[1]), "scenario": str(r[2])}
		if r[3] != nil {
			m["plan_code"] = str(r[3])
		}
		d.appendMap(str(r[0]), "drills", m)
	})
}
