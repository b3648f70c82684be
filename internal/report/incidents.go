package report

import (
	"context"
	"maps"
	"slices"
	"strconv"

	"mamori/internal/sheet"
	"mamori/internal/store"
	"mamori/internal/wareki"
)

// SheetIncidents is the workbook's sheet of the incident metrics.
const SheetIncidents = "インシデント"

// IncidentYear is one fiscal year of the incident register's outcome
// metrics (seed 004: incidents by class and how they were handled), by the
// year incidents were detected in, within the report's scope.
type IncidentYear struct {
	FiscalYear   int            `json:"fiscal_year"`
	FiscalYearJA string         `json:"fiscal_year_ja"`
	Total        int            `json:"total"`
	Open         int            `json:"open"`
	ByClass      map[string]int `json:"by_class"`
	// Median days to detect (from occurrence), to report and to recover
	// (from detection), over the incidents that record both ends; absent
	// when none does.
	DaysToDetect  *float64 `json:"median_days_to_detect,omitempty"`
	DaysToReport  *float64 `json:"median_days_to_report,omitempty"`
	DaysToRecover *float64 `json:"median_days_to_recover,omitempty"`
}

func medianDays(d store.Duration) *float64 {
	if d.N == 0 {
		return nil
	}
	v := d.Days()
	return &v
}

// incidents computes the metrics of the incidents of org's subtree ("" for
// the whole register).
func incidents(ctx context.Context, st *store.Store, org string) ([]IncidentYear, error) {
	var orgs []string
	if org != "" {
		sub, _, err := st.Subtrees(ctx, org)
		if err != nil {
			return nil, err
		}
		orgs = slices.Sorted(maps.Keys(sub))
		if orgs == nil {
			orgs = []string{}
		}
	}
	incs, err := st.Incidents(ctx, orgs)
	if err != nil {
		return nil, err
	}
	out := []IncidentYear{}
	for _, m := range store.IncidentMetrics(incs) {
		out = append(out, IncidentYear{FiscalYear: int(m.FY), FiscalYearJA: wareki.FiscalYear(m.FY).Japanese(), Total: m.Total,
			Open: m.Open, ByClass: m.ByClass, DaysToDetect: medianDays(m.Detect), DaysToReport: medianDays(m.Report),
			DaysToRecover: medianDays(m.Recover)})
	}
	return out, nil
}

// incidentSheet writes the metrics, one row per fiscal year and class.
func (r *Report) incidentSheet(wb *sheet.Workbook) error {
	days := func(v *float64) string {
		if v == nil {
			return ""
		}
		return strconv.FormatFloat(*v, 'f', 1, 64)
	}
	return wb.AddSheet(SheetIncidents, []string{"年度", "Fiscal year", "分類", "件数", "未復旧", "検知まで(日)", "報告まで(日)", "復旧まで(日)"}, nil,
		[]float64{16, 10, 20, 8, 8, 12, 12, 12}, func(yield func([]string) error) error {
			for _, y := range r.Incidents {
				if err := yield([]string{y.FiscalYearJA, strconv.Itoa(y.FiscalYear), "（全分類）", strconv.Itoa(y.Total), strconv.Itoa(y.Open),
					days(y.DaysToDetect), days(y.DaysToReport), days(y.DaysToRecover)}); err != nil {
					return err
				}
				for _, c := range slices.Sorted(maps.Keys(y.ByClass)) {
					if err := yield([]string{y.FiscalYearJA, strconv.Itoa(y.FiscalYear), c, strconv.Itoa(y.ByClass[c])}); err != nil {
						return err
					}
				}
			}
			return nil
		})
}
