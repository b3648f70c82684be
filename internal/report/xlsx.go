package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"mamori/internal/sheet"
	"mamori/internal/store"
)

// Sheet names of the workbook besides the per-control sheets.
const (
	SheetSummary   = "概要"
	SheetCrossTabs = "クロス集計"
)

// SheetCriteria lists every criterion's and every fiscal year's counts.
const SheetCriteria = "判定基準・年度別"

func (r *Report) criteriaSheet(wb *sheet.Workbook) error {
	itoa := strconv.Itoa
	return wb.AddSheet(SheetCriteria, []string{"管理策ID", "判定基準・年度", "名称", "Name", "不適合 機関", "不適合 対象", "未確認 機関", "未確認 対象", "金額・件数", "文"},
		nil, []float64{10, 14, 28, 28, 8, 8, 8, 8, 14, 60}, func(yield func([]string) error) error {
			for _, c := range r.Controls {
				for _, cr := range c.Criteria {
					sum := ""
					if cr.Measure != nil {
						sum = cr.Measure.Text
					}
					if err := yield([]string{c.ID, cr.Key, cr.Title, cr.TitleEN, itoa(cr.Failed.Orgs), itoa(cr.Failed.Targets),
						itoa(cr.Unknown.Orgs), itoa(cr.Unknown.Targets), sum, cr.Sentence}); err != nil {
						return err
					}
				}
				for _, y := range c.Years {
					if err := yield([]string{c.ID, strconv.Itoa(y.FiscalYear), y.JA, fmt.Sprintf("FY%d", y.FiscalYear), itoa(y.Failed), "",
						itoa(y.Unknown), "", "", ""}); err != nil {
						return err
					}
				}
			}
			return nil
		})
}

// SheetName is the sheet listing a control's targets. Excel allows 31
// characters; control IDs are far shorter, but an imported catalog's need
// not be.
func SheetName(controlID string) string {
	r := []rune(controlID)
	if len(r) > 31 {
		r = r[:31]
	}
	return string(r)
}

// XLSX writes the workbook: a summary sheet (one row per control, with the
// tier counts side by side), the cross-tabulations, and one sheet per
// control listing every counted target under its tier.
func (r *Report) XLSX(w io.Writer) error {
	wb, err := sheet.NewWorkbook()
	if err != nil {
		return err
	}
	header := []string{"管理策ID", "管理策", "Control", "重大度", "対象", "単位", "機関数", "対象数", "計上", "該当", "計上率",
		"不適合 機関", "不適合 対象", "未確認 機関", "未確認 対象", "エラー 機関", "エラー 対象", "該当 機関", "適合 機関", "未確認を不適合に含む", "金額・件数"}
	for _, t := range store.Tiers {
		header = append(header, t.JA+" 機関", t.JA+" 対象")
	}
	header = append(header, "文", "Sentence")
	itoa := strconv.Itoa
	err = wb.AddSheet(SheetSummary, header, nil, []float64{10, 28, 32, 8, 14, 10, 8, 8, 8, 8, 9}, func(yield func([]string) error) error {
		if err := yield([]string{"年度", r.FiscalYearJA, fmt.Sprintf("FY%d", r.FiscalYear), "評価", r.Assessment, "基準日", r.ReferenceDate}); err != nil {
			return err
		}
		for _, c := range r.Controls {
			unknownFails, sum := "いいえ", ""
			if c.UnknownFails {
				unknownFails = "はい"
			}
			if c.Measure != nil {
				sum = c.Measure.Text
			}
			row := []string{c.ID, c.Title, c.TitleEN, c.Severity, c.Target, c.Unit, itoa(c.Orgs), itoa(c.Targets),
				strconv.FormatInt(c.Fail, 10), strconv.FormatInt(c.ApplicableTargets, 10), Percent(c.Share),
				itoa(c.Failed.Orgs), itoa(c.Failed.Targets), itoa(c.Unknown.Orgs), itoa(c.Unknown.Targets),
				itoa(c.Errors.Orgs), itoa(c.Errors.Targets), itoa(c.Applicable.Orgs), itoa(c.Conforming.Orgs), unknownFails, sum}
			for _, t := range store.Tiers {
				o, n := "", ""
				for _, tc := range c.Tiers {
					if tc.Tier == t.Key {
						o, n = itoa(tc.Orgs), itoa(tc.Targets)
					}
				}
				row = append(row, o, n)
			}
			if err := yield(append(row, c.Sentence, c.SentenceEN)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	err = wb.AddSheet(SheetCrossTabs, []string{"集計", "Table", "区分", "Group", "不適合", "該当", "率"}, nil, []float64{40, 40, 18, 18, 8, 12, 9},
		func(yield func([]string) error) error {
			for _, x := range []CrossTab{r.SystemID, r.Training} {
				for _, row := range x.Rows {
					if err := yield([]string{x.Title, x.TitleEN, row.JA, row.EN, strconv.FormatInt(row.Failing, 10),
						strconv.FormatInt(row.Applicable, 10), row.RateText()}); err != nil {
						return err
					}
				}
				if err := yield([]string{x.Note, x.NoteEN}); err != nil {
					return err
				}
			}
			return nil
		})
	if err != nil {
		return err
	}
	if err := r.criteriaSheet(wb); err != nil {
		return err
	}
	if err := r.incidentSheet(wb); err != nil {
		return err
	}
	for _, c := range r.Controls {
		err := wb.AddSheet(SheetName(c.ID), []string{"区分", "Tier", "組織コード", "組織名", "コード", "名称", "情報システムID", "件数", "結果", "判定基準"}, nil,
			[]float64{14, 20, 14, 28, 18, 36, 14, 6, 8, 20}, func(yield func([]string) error) error {
				for _, list := range [][]TierCount{c.Tiers, c.Unknown.Tiers, c.Errors.Tiers} {
					for _, t := range list {
						for _, tg := range t.TargetList {
							if err := yield([]string{t.JA, t.EN, tg.OrgCode, tg.OrgName, tg.Code, tg.Name, tg.SystemID, itoa(tg.Findings),
								resultJA(tg.Result), strings.Join(tg.Criteria, " ")}); err != nil {
								return err
							}
						}
					}
				}
				return nil
			})
		if err != nil {
			return fmt.Errorf("report: sheet %s: %w", c.ID, err)
		}
	}
	_, err = wb.WriteTo(w)
	return err
}
