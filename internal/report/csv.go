package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"

	"mamori/internal/store"
)

// CSV writes the report as one table, a row per control, criterion,
// population and fiscal year, and per tier: every number of the report
// with each result in its own column (計上, 不適合, 未確認, エラー, 該当,
// 適合), so a spreadsheet compares them with a seed's figures. UTF-8 with
// a BOM, as Excel in Japan opens it; cells that a spreadsheet would run
// as a formula are quoted with a leading apostrophe.
func (r *Report) CSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	header := []string{"管理策ID", "管理策", "区分", "キー", "名称", "年度", "区分（組織）",
		"計上 機関", "計上 対象", "不適合 機関", "不適合 対象", "未確認 機関", "未確認 対象", "エラー 機関", "エラー 対象",
		"該当 機関", "該当 対象", "適合 機関", "適合 対象", "金額・件数", "未確認を不適合に含む"}
	if err := cw.Write(header); err != nil {
		return err
	}
	itoa := strconv.Itoa
	tierOf := func(c Count, tier string) (int, int) {
		if tier == "" {
			return c.Orgs, c.Targets
		}
		for _, t := range c.Tiers {
			if t.Tier == tier {
				return t.Orgs, t.Targets
			}
		}
		return 0, 0
	}
	for _, c := range r.Controls {
		counted := Count{Orgs: c.Orgs, Targets: c.Targets, Tiers: c.Tiers}
		unknownFails := "いいえ"
		if c.UnknownFails {
			unknownFails = "はい"
		}
		for _, tier := range append([]string{""}, c.tierKeys()...) {
			var row []string
			row = append(row, c.ID, c.Title, "管理策", "", "", "", tierName(tier))
			for _, cnt := range []Count{counted, c.Failed, c.Unknown, c.Errors, c.Applicable, c.Conforming} {
				o, t := tierOf(cnt, tier)
				row = append(row, itoa(o), itoa(t))
			}
			sum := ""
			if c.Measure != nil && tier == "" {
				sum = c.Measure.Text
			}
			if err := cw.Write(guard(append(row, sum, unknownFails))); err != nil {
				return err
			}
		}
		for _, cr := range c.Criteria {
			for _, tier := range append([]string{""}, c.tierKeys()...) {
				row := []string{c.ID, c.Title, "判定基準", cr.Key, cr.Title, "", tierName(tier)}
				fo, ft := tierOf(cr.Failed, tier)
				uo, ut := tierOf(cr.Unknown, tier)
				row = append(row, itoa(fo), itoa(ft), itoa(fo), itoa(ft), itoa(uo), itoa(ut), "", "", "", "", "", "")
				sum := ""
				if cr.Measure != nil && tier == "" {
					sum = cr.Measure.Text
				}
				if err := cw.Write(guard(append(row, sum, unknownFails))); err != nil {
					return err
				}
			}
		}
		for _, tl := range c.Tallies {
			for _, tier := range append([]string{""}, c.tierKeys()...) {
				// Counted: where the tally holds. A tally has no failures.
				ho, ht := tierOf(tl.Count, tier)
				uo, ut := tierOf(tl.Unknown, tier)
				eo, et := tierOf(tl.Errors, tier)
				row := []string{c.ID, c.Title, "集計", tl.Key, tl.Title, "", tierName(tier),
					itoa(ho), itoa(ht), "", "", itoa(uo), itoa(ut), itoa(eo), itoa(et)}
				row = append(row, make([]string, 6)...)
				if err := cw.Write(guard(row)); err != nil {
					return err
				}
			}
		}
		for _, y := range c.Years {
			row := []string{c.ID, c.Title, "年度", "", y.JA, strconv.Itoa(y.FiscalYear), "", itoa(y.Orgs), "", itoa(y.Failed), "", itoa(y.Unknown), ""}
			row = append(row, make([]string, 8)...)
			if err := cw.Write(guard(row)); err != nil {
				return err
			}
		}
	}
	for _, x := range []CrossTab{r.SystemID, r.Training} {
		for _, row := range x.Rows {
			out := []string{"", x.Title, "クロス集計", row.Group, row.JA, "", "", "", strconv.FormatInt(row.Failing, 10)}
			out = append(out, make([]string, 6)...)
			out = append(out, "", strconv.FormatInt(row.Applicable, 10), "", "", row.RateText(), "")
			if err := cw.Write(guard(out)); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}

// tierName is a tier's Japanese name, or 計 for the total.
func tierName(key string) string {
	if key == "" {
		return "計"
	}
	for _, t := range store.Tiers {
		if t.Key == key {
			return t.JA
		}
	}
	return key
}

// guard keeps a cell a spreadsheet would evaluate (=, +, -, @) as text.
func guard(row []string) []string {
	for i, c := range row {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			row[i] = "'" + c
		}
	}
	return row
}
