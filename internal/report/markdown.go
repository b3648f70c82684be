package report

import (
	"bufio"
	"fmt"
	"io"
	"strings"

	"mamori/internal/store"
)

// Markdown writes the report: the sentences first (what a reader quotes),
// then each control's tier table with its results side by side (counted,
// failed, unknown, errors, the population), its criteria and fiscal years,
// the cross-tabulations, and last the lists behind the numbers.
func (r *Report) Markdown(w io.Writer) error {
	b := bufio.NewWriter(w)
	p := func(format string, args ...any) { fmt.Fprintf(b, format, args...) }
	p("# 監査報告（会計検査院の検査報告形式） / Audit report (Board of Audit form)\n\n")
	p("- 年度 / Fiscal year: %s (FY%d)\n", r.FiscalYearJA, r.FiscalYear)
	p("- 評価 / Assessment: %s（基準日 / reference date %s）\n", r.Assessment, r.ReferenceDate)
	if r.WholeScope {
		p("- 範囲 / Scope: 台帳全体 / the whole register\n")
	} else {
		p("- 範囲 / Scope: %s 配下のみ / the subtree of %s only\n", md(r.Scope), md(r.Scope))
	}
	if len(r.FiscalYears) > 0 {
		var ys []string
		for _, y := range r.FiscalYears {
			ys = append(ys, y.JA)
		}
		p("- 年度別の管理策の対象年度 / Fiscal years judged: %s\n", strings.Join(ys, "、"))
	}
	p("- 不適合・未確認・エラーのある管理策 / Controls with failures, unknowns or errors: %s\n\n", digits(len(r.Controls)))
	p("## 概要 / Summary\n\n")
	if len(r.Controls) == 0 {
		p("不適合はありません。 / No failures.\n\n")
	}
	for _, c := range r.Controls {
		p("- %s  \n  %s\n", md(c.Sentence), md(c.SentenceEN))
		for _, cr := range c.Criteria {
			if cr.Failed.Targets > 0 || cr.Unknown.Targets > 0 {
				p("  - %s  \n    %s\n", md(cr.Sentence), md(cr.SentenceEN))
			}
		}
		for _, tl := range c.Tallies {
			p("  - %s  \n    %s\n", md(tl.Sentence), md(tl.SentenceEN))
		}
	}
	p("\n## 管理策別の集計 / Counts by control\n")
	for _, c := range r.Controls {
		p("\n### %s %s / %s\n\n", c.ID, md(c.Title), md(c.TitleEN))
		unknownNote := "未確認は不適合に含めない / unknowns not counted as failures"
		if c.UnknownFails {
			unknownNote = "未確認は不適合に含める / unknowns counted as failures"
		}
		p("重大度 / severity: %s; 対象 / target: %s; %s\n\n", c.Severity, c.Target, unknownNote)
		p("| 区分 / Tier | 該当 / Applicable | 適合 / Conforming | 計上 / Counted | 不適合 / Failed | 未確認 / Unknown | エラー / Errors |\n|---|---:|---:|---:|---:|---:|---:|\n")
		cell := func(cnt Count, tier string) string {
			for _, t := range cnt.Tiers {
				if t.Tier == tier {
					return c.pair(t.Orgs, t.Targets)
				}
			}
			return "0"
		}
		counted := Count{Orgs: c.Orgs, Targets: c.Targets, Tiers: c.Tiers}
		for _, tier := range c.tierKeys() {
			p("| %s | %s | %s | %s | %s | %s | %s |\n", tierLabel(tier), cell(c.Applicable, tier), cell(c.Conforming, tier),
				cell(counted, tier), cell(c.Failed, tier), cell(c.Unknown, tier), cell(c.Errors, tier))
		}
		p("| 計 / Total | %s | %s | %s | %s | %s | %s |\n\n", c.pair(c.Applicable.Orgs, c.Applicable.Targets),
			c.pair(c.Conforming.Orgs, c.Conforming.Targets), c.pair(c.Orgs, c.Targets), c.pair(c.Failed.Orgs, c.Failed.Targets),
			c.pair(c.Unknown.Orgs, c.Unknown.Targets), c.pair(c.Errors.Orgs, c.Errors.Targets))
		p("計上（%s） / counted %s: %s / 該当 / applicable: %s (%s)", c.ShareUnit, c.ShareUnitEN, digits(c.Fail), digits(c.ApplicableTargets), PercentBoth(c.Share))
		if c.Measure != nil {
			p("; 計 / total %s", c.Measure.Text)
		}
		p("\n")
		if len(c.Years) > 0 {
			p("\n| 年度 / Fiscal year | 計上 / Counted | 不適合 / Failed | 未確認 / Unknown |\n|---|---:|---:|---:|\n")
			for _, y := range c.Years {
				p("| %s (FY%d) | %s | %s | %s |\n", y.JA, y.FiscalYear, digits(y.Orgs), digits(y.Failed), digits(y.Unknown))
			}
		}
		if len(c.Criteria) > 0 {
			p("\n| 判定基準 / Criterion | 不適合 / Failed | 未確認 / Unknown |")
			if c.Measure != nil {
				p(" 計 / Sum |")
			}
			p("\n|---|---:|---:|")
			if c.Measure != nil {
				p("---|")
			}
			p("\n")
			for _, cr := range c.Criteria {
				p("| %s %s / %s | %s | %s |", cr.Key, md(cr.Title), md(cr.TitleEN), c.pair(cr.Failed.Orgs, cr.Failed.Targets),
					c.pair(cr.Unknown.Orgs, cr.Unknown.Targets))
				if c.Measure != nil {
					sum := ""
					if cr.Measure != nil {
						sum = cr.Measure.Text
					}
					p(" %s |", sum)
				}
				p("\n")
			}
		}
		if len(c.Tallies) > 0 {
			p("\n| 集計 / Population | 機関 / Organizations | %s / %s | 未確認 / Unknown | エラー / Errors |\n|---|---:|---:|---:|---:|\n", c.Unit, c.UnitEN)
			for _, tl := range c.Tallies {
				p("| %s / %s | %s | %s | %s | %s |\n", md(tl.Title), md(tl.TitleEN), digits(tl.Orgs), digits(tl.Targets), digits(tl.Unknown.Targets), digits(tl.Errors.Targets))
			}
		}
	}
	p("\n## クロス集計 / Cross-tabulations\n")
	for _, t := range []CrossTab{r.SystemID, r.Training} {
		p("\n### %s / %s\n\n", t.Title, t.TitleEN)
		rate := "実施率 / Rate"
		if t.Measure == "failing_share" {
			rate = "欠落率 / Share missing"
		}
		p("| 区分 / Group | 不適合 / Failing | 該当 / Applicable | %s |\n|---|---:|---:|---:|\n", rate)
		for _, row := range t.Rows {
			p("| %s / %s | %s | %s | %s |\n", row.JA, row.EN, row.FailingText(), row.ApplicableText(), row.RateText())
		}
		p("\n%s  \n%s\n", t.Note, t.NoteEN)
	}
	p("\n## 明細 / Lists\n")
	for _, c := range r.Controls {
		lists := []struct {
			label string
			tiers []TierCount
		}{{"計上 / counted", c.Tiers}, {"未確認 / unknown", c.Unknown.Tiers}, {"エラー / errors", c.Errors.Tiers}}
		for _, l := range lists {
			for _, t := range l.tiers {
				if len(t.TargetList) == 0 {
					continue
				}
				p("\n### %s %s: %s %s / %s\n\n", c.ID, md(c.Title), l.label, t.JA, t.EN)
				p("| 組織コード / Org code | 組織名 / Organization | コード / Code | 名称 / Name | 結果 / Result | 判定基準 / Criteria | 件数 / Findings |\n|---|---|---|---|---|---|---:|\n")
				for _, tg := range t.TargetList {
					p("| %s | %s | %s | %s | %s | %s | %s |\n", md(tg.OrgCode), md(tg.OrgName), md(tg.Code), md(tg.Name), resultLabel(tg.Result),
						md(strings.Join(tg.Criteria, " ")), digits(tg.Findings))
				}
			}
		}
	}
	return b.Flush()
}

// pair writes an organization count, and for controls that count other
// units the targets too: "16機関 / 41".
func (c *Control) pair(orgs, targets int) string {
	if c.orgUnit() {
		return digits(orgs)
	}
	return digits(orgs) + " / " + digits(targets)
}

// tierKeys are the tiers any of the control's counts has, in the Board's order.
func (c *Control) tierKeys() []string {
	present := map[string]bool{}
	for _, cnt := range [][]TierCount{c.Tiers, c.Applicable.Tiers, c.Failed.Tiers, c.Unknown.Tiers, c.Errors.Tiers} {
		for _, t := range cnt {
			present[t.Tier] = true
		}
	}
	var out []string
	for _, t := range store.Tiers {
		if present[t.Key] {
			out = append(out, t.Key)
		}
	}
	return out
}

// md escapes what would break a Markdown table cell.
// mdEscaper makes a value plain text in a Markdown table cell or line:
// Markdown's own marks are backslash-escaped (the backslash first, so a
// name ending in one cannot escape the cell's closing bar), and "<", ">"
// and "&" become entities, since Markdown passes HTML through: a system
// named "<script>…" must print as text in whatever renders the report.
var mdEscaper = strings.NewReplacer(`\`, `\\`, "|", `\|`, "\n", " ", "\r", "", "*", `\*`, "_", `\_`, "`", "\\`",
	"[", `\[`, "]", `\]`, "<", "&lt;", ">", "&gt;", "&", "&amp;")

func md(s string) string { return mdEscaper.Replace(s) }

// resultNames are a finding result's names, Japanese and English.
var resultNames = map[string][2]string{
	store.ResultFail:    {"不適合", "fails"},
	store.ResultUnknown: {"未確認", "unknown"},
	store.ResultError:   {"エラー", "error"},
}

// resultLabel names a result in both languages: 不適合 / fails.
func resultLabel(r string) string {
	if n, ok := resultNames[r]; ok {
		return n[0] + " / " + n[1]
	}
	return r
}

// resultJA names a result in Japanese, for the workbook.
func resultJA(r string) string {
	if n, ok := resultNames[r]; ok {
		return n[0]
	}
	return r
}
