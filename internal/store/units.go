package store

import (
	"context"
	"fmt"
	"strings"
)

// ControlTierUnits is how many units of one control the Board of Audit
// would count among the organizations of one tier: the failing systems
// (a component's finding counts as the system that owns it), organizations
// (an organization failing in two fiscal years is one), or other targets
// (contracts, audits, …), as package report counts them in its sentences.
type ControlTierUnits struct {
	ControlID, Tier string
	Units           int
}

// OpenUnitCounts counts, by control and tier within orgs (nil: every
// organization; empty: none), the units of the open findings that count as
// failures: those that failed, and those 未確認 of the controls listed in
// unknownFails (whose unknowns the Board counts as failures). Errors never
// count. The dashboard draws these, so its bars and the report's sentence
// count the same thing.
func (s *Store) OpenUnitCounts(ctx context.Context, orgs, unknownFails []string) ([]ControlTierUnits, error) {
	if orgs != nil && len(orgs) == 0 {
		return nil, nil
	}
	var args []any
	unknown := "1 = 0"
	if len(unknownFails) > 0 {
		ph := make([]string, len(unknownFails))
		for i, c := range unknownFails {
			args = append(args, c)
			ph[i] = fmt.Sprintf("$%d", len(args))
		}
		unknown = "f.control_id IN (" + strings.Join(ph, ", ") + ")"
	}
	in, args := orgInClause("f.org_code", orgs, args)
	// An organization has one kind and a system one organization, so the
	// distinct counts per kind add up within a tier.
	q := `SELECT f.control_id, COALESCE(o.kind, ''), count(DISTINCT CASE
			WHEN f.target_type = 'component' THEN COALESCE(c.system_code, f.target_code)
			WHEN f.target_type IN ('organization', 'organization-fy') THEN f.org_code
			ELSE f.target_code END)
		FROM findings f LEFT JOIN organizations o ON o.code = f.org_code
		LEFT JOIN components c ON f.target_type = 'component' AND c.code = f.target_code
		WHERE f.status = 'open' AND (f.result = 'fail' OR (f.result = 'unknown' AND ` + unknown + `))` + in + `
		GROUP BY f.control_id, o.kind`
	byKey := map[[2]string]*ControlTierUnits{}
	var order [][2]string
	err := s.each(ctx, q, args, func(r []any) {
		k := [2]string{str(r[0]), TierOf(str(r[1]))}
		c := byKey[k]
		if c == nil {
			c = &ControlTierUnits{ControlID: k[0], Tier: k[1]}
			byKey[k] = c
			order = append(order, k)
		}
		c.Units += int(i64(r[2]))
	})
	if err != nil {
		return nil, fmt.Errorf("store: open unit counts: %w", err)
	}
	out := make([]ControlTierUnits, len(order))
	for i, k := range order {
		out[i] = *byKey[k]
	}
	return out, nil
}
