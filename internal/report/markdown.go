package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Markdown writes the report: the sentences first (what a reader quotes),
// then each control's tier table, the cross-tabulations, and last the lists
// behind the numbers.
func (r *Report) Markdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# 監査報告（会計検査院の検査報告形式） / Audit report (Board of Audit form)\n\n")
	p("- 年度 / Fiscal year: %s (FY%d)\n", r.FiscalYearJA, r.FiscalYear)
	p("- 評価 / Assessment: %s（基準日 / reference date %s）\n", r.Assessment, r.ReferenceDate)
	p("- 不適合のある管理策 / Controls with failures: %d\n\n", len(r.Controls))
	p("## 概要 / Summary\n\n")
	if len(r.Controls) == 0 {
		p("不適合はありません。 / No failures.\n\n")
	}
	for _, c := range r.Controls {
		p("- %s  \n  %s\n", c.Sentence, c.SentenceEN)
	}
	p("\n## 管理策別の集計 / Counts by control\n")
	for _, c := range r.Controls {
		p("\n### %s %s / %s\n\n", c.ID, md(c.Title), md(c.TitleEN))
		p("重大度 / severity: %s; 対象 / target: %s\n\n", c.Severity, c.Target)
		if c.orgUnit() {
			p("| 区分 / Tier | 機関 / Organizations |\n|---|---:|\n")
			for _, t := range c.Tiers {
				p("| %s / %s | %d |\n", t.JA, t.EN, t.Orgs)
			}
			p("| 計 / Total | %d |\n\n", c.Orgs)
		} else {
			p("| 区分 / Tier | 機関 / Organizations | %s / %s |\n|---|---:|---:|\n", c.Unit, c.UnitEN)
			for _, t := range c.Tiers {
				p("| %s / %s | %d | %d |\n", t.JA, t.EN, t.Orgs, t.Targets)
			}
			p("| 計 / Total | %d | %d |\n\n", c.Orgs, c.Targets)
		}
		p("不適合 / failing: %d / 該当 / applicable: %d %s (%s)\n", c.Fail, c.Applicable, c.ShareUnit, Percent(c.Share))
	}
	p("\n## クロス集計 / Cross-tabulations\n")
	for _, t := range []CrossTab{r.SystemID, r.Training} {
		p("\n### %s / %s\n\n", t.Title, t.TitleEN)
		rate := "実施率 / Rate"
		if t.Measure == "failing_share" {
			rate = "欠落率 / Share missing"
		}
		p("| 区分 / Group | 不適合 / Failing | 該当（推計） / Applicable (est.) | %s |\n|---|---:|---:|---:|\n", rate)
		for _, row := range t.Rows {
			p("| %s / %s | %d | %.1f | %s |\n", row.JA, row.EN, row.Failing, row.Applicable, row.RateText())
		}
		p("\n%s  \n%s\n", t.Note, t.NoteEN)
	}
	p("\n## 明細 / Lists\n")
	for _, c := range r.Controls {
		for _, t := range c.Tiers {
			p("\n### %s %s: %s / %s\n\n", c.ID, md(c.Title), t.JA, t.EN)
			if c.orgUnit() {
				p("| 組織コード / Org code | 組織名 / Organization | 件数 / Findings |\n|---|---|---:|\n")
				for _, tg := range t.TargetList {
					p("| %s | %s | %d |\n", md(tg.Code), md(tg.Name), tg.Findings)
				}
				continue
			}
			p("| 組織コード / Org code | 組織名 / Organization | コード / Code | 名称 / Name | 件数 / Findings |\n|---|---|---|---|---:|\n")
			for _, tg := range t.TargetList {
				p("| %s | %s | %s | %s | %d |\n", md(tg.OrgCode), md(tg.OrgName), md(tg.Code), md(tg.Name), tg.Findings)
			}
		}
	}
	return b.Flush()
}

// md escapes what would break a Markdown table cell.
var mdEscaper = strings.NewReplacer("|", `\|`, "\n", " ", "\r", "", "*", `\*`, "_", `\_`, "`", "\\`")

func md(s string) string { return mdEscaper.Replace(s) }
