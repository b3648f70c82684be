package register

import (
	"bytes"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/oscal"
)

// referenceDoc renders docs/register.md: every sheet and column a user may
// import, with its type and whether it is required, from the register itself.
func referenceDoc() []byte {
	var b bytes.Buffer
	b.WriteString("# 台帳の項目 / Register reference\n\n")
	b.WriteString("Generated from the register definition (`register.go`) by `go test ./internal/register -update`; do not edit by hand.\n\n")
	b.WriteString("Each entity is a sheet of an .xlsx workbook (sheet name = 日本語名), a .csv file (file name = table name or 日本語名)\n")
	b.WriteString("and an array in the JSON bundle (key = table name; schema: `register.schema.json`). Headers may be given in\n")
	b.WriteString("Japanese, in English or as the column name. Entities are listed in load order. **Key** columns form the natural key\n")
	b.WriteString("that makes re-importing idempotent.\n\n")
	for _, e := range mamori.Entities {
		fmt.Fprintf(&b, "## %s — %s (`%s`)\n\n", e.JA, e.EN, e.Name)
		b.WriteString("| 列 / header | English | column | type | required | notes |\n|---|---|---|---|---|---|\n")
		for _, f := range e.Fields {
			req := ""
			switch {
			case f.Key:
				req = "key"
			case f.Mandatory():
				req = "yes"
			}
			var notes []string
			if f.Ref != "" {
				notes = append(notes, "refers to `"+f.Ref+"`")
			}
			if f.Type == mamori.Enum {
				var vs []string
				for _, v := range f.Enum {
					vs = append(vs, fmt.Sprintf("`%s` %s", v.Code, v.JA))
				}
				notes = append(notes, strings.Join(vs, ", "))
			}
			if f.Hint != "" {
				notes = append(notes, f.Hint)
			}
			if f.Type == mamori.Integer && f.Max > 0 {
				notes = append(notes, fmt.Sprintf("%d–%d", f.Min, f.Max))
			}
			fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %s |\n", f.JA, f.EN, f.Column, f.Type, req, strings.Join(notes, "; "))
		}
		b.WriteString("\n")
	}
	controlsDoc(&b)
	return b.Bytes()
}

// controlsDoc renders how the embedded catalogs' checks decide: the result
// states, what each control covers and reads, its criteria and the
// populations it states, from the catalogs themselves.
func controlsDoc(b *bytes.Buffer) {
	cats, err := catalog.Builtin()
	if err != nil {
		panic(err)
	}
	b.WriteString(`# 管理策の判定 / How the checks decide

Generated from the embedded catalogs (` + "`internal/catalog/catalogs/`" + `) with the register above.

## 判定結果 / Results

Every control answers, for every target it covers, one of **適合** (conforms), **不適合** (fails), **対象外** (not
applicable), **未確認** (unknown: the evidence the control needs is missing) or **エラー** (the check could not be
evaluated). Every one is counted and shown, in the report, the dashboard, the API, OSCAL and CSV.

- **A blank cell is not "no".** A control lists its *evidence* fields. When one of them is blank for a target, the
  check still decides if the values recorded decide it (a failure found elsewhere stands: ` + "`true || unknown`" + ` is true),
  and answers 未確認 otherwise. Derived evidence is blank when no record backs it: no log source rows for a system, no
  flow rows for a body, no clause rows for a contract (unless ` + "`clauses_recorded`" + ` says the clauses are complete).
- **Counted as failing.** For the controls marked *未確認 counts as failure* (the Board of Audit's: a system that cannot
  show its logs is a system without logs), the report's numbers count 未確認 with the failures, and give it apart as well.
  For the others it is shown apart only.
- **Whether a control applies** may itself be unknown (a blank that decides applicability): then the target conforms
  only if every criterion holds anyway, and is 未確認 otherwise.
- **Criteria** are counted on their own, as the Board counts them (LG-05: 62 without expiry, 27 for a month or more,
  87 in all). A target fails its control when any criterion fails.
- **Populations** (集計) are stated beside the failures, as the Board states them (「二要素認証を導入していた217市区町村」).

## 対象となる組織 / Which organizations

A control covers the organization kinds it lists (all kinds when it lists none). Organization controls judge
**bodies** (機関): ministries, agencies, prefectures and municipalities, and a central office (本府省庁等) that does not sit
under a ministry. A central office under its ministry is the ministry's own office, and a plan recorded at either is the
ministry's; a regional branch (地方支分部局) is covered by its ministry's plans. System, component and contract controls
cover every system an organization operates, in the register or not: REG-01 is the finding for a missing entry, and the
system's other findings still count.

## 年度 / Fiscal years

The organization-year controls judge every body in every fiscal year the assessment covers: ` + "`mamori check --fy 2021..2023`" + `,
by default the reference date's year and the two before it. A year with no plan row is a year without a plan.

## 台帳外の把握 / Systems seen outside the register (REG-01)

REG-01 reconciles: a system recorded as not in the register (` + "`in_register`" + ` = いいえ), or named in 台帳外の把握
(` + "`system_sightings`" + `: a contract, a budget item, a payment, the SystemID list, an SBOM or a host inventory) that no register
entry matches by register number, SystemID, or organization and name, is a finding with where it was seen. Each sighting
not matched counts once per system it names.

## 導出項目 / Derived fields

Besides the columns above, the checks read fields derived from other sheets. Each is blank where nothing recorded says.

| field | from | blank when |
|---|---|---|
| ` + "`system.log_kinds_collected`" + ` | ログ取得 rows with 取得 = はい | the system has no ログ取得 row |
| ` + "`system.last_log_review`" + `, ` + "`system.last_access_review`" + ` | the newest ログ点検 / 権限見直し date | no such row |
| ` + "`system.min_retention_days`" + ` | the shortest 保存期間 of collected logs | a collected log has no 保存期間 |
| ` + "`system.itbcp_plan_count`" + ` | IT-BCP plans (計画, 種別 IT-BCP) listing the system in 計画対象システム | never (0) |
| ` + "`system.default_password_clear`" + ` | servers, network devices and appliances: none with 初期パスワード未変更 = はい | a device leaves it blank, or the system has no 構成要素 |
| ` + "`system.holds_personal_info`" + `, ` + "`system.talks_to_devices`" + ` | the system's 個人情報 / 外部通信回線の種別 and its components' 個人情報の保存 / 他機器との通信 | nothing says (office equipment only) |
| ` + "`system.shared_user_accounts`" + ` | enabled, non-privileged アカウント with 共用 = はい | never (0) |
| ` + "`system.seen_in`" + `, ` + "`system.sighted`" + ` | 台帳外の把握, 契約対象システム, 契約額(年度別) with 支払額 | — |
| ` + "`component.segment`" + ` | the component's ネットワーク領域, else its system's | both blank |
| ` + "`component.last_patched_on`" + `, ` + "`component.last_av_on`" + ` | the newer of the component's date and its 更新履歴 | both blank |
| ` + "`component.org_split_on`" + ` | the organization's LGWAN接続系とインターネット接続系の分割日 | blank there |
| ` + "`contract.missing_spec_items`" + `, ` + "`missing_subcontract_items`" + `, ` + "`missing_takeout_items`" + `, ` + "`missing_ismap_items`" + ` | the 条項一覧 codes of group vendor7, subcontract, takeout and ismap that the contract's 契約条項 lack | no 契約条項 row and 仕様書の条項を記録済み is not はい, or no clause of the group exists |
| ` + "`contract.contract_date`" + ` | 契約締結日, else 契約開始日 | both blank |
| ` + "`contract.conformity_checked_on`" + `, ` + "`contract.spec_reviewed_on`" + ` | where a 適合性確認 / 仕様書審査 request of mamori's workflows names the contract (filed under its organization or above), the day the earliest was cleared, the imported date set aside; else the imported date | a request names it and none is cleared, or neither says |
| ` + "`contract.conformity_requests`" + `, ` + "`contract.spec_review_requests`" + `, ` + "`contract.cloud_use_requests`" + ` | the numbers of the workflow requests that cleared (approved) the contract | never (empty) |
| ` + "`contract.conformity_gate_state`" + `, ` + "`contract.spec_review_gate_state`" + ` | the furthest state its requests reached: returned, requested, under_review, cleared | no request names the contract |
| ` + "`contract.cloud_approved_on`" + ` | the imported date, else the day a クラウド利用申請 naming the contract was approved | neither says |
| ` + "`contract.paid_total`" + `, ` + "`project.paid_total`" + ` | the sum of 支払額 in 契約額(年度別) | no 支払額 |
| ` + "`org.is_body`" + ` | the organization's kind and parent (see above) | — |
| ` + "`org.two_factor_state`" + `, ` + "`org.export_blocking_state`" + ` | none / partial / all: the My Number terminals (their own segment, else their system's) when they decide it, else the answers 導入 and 全端末に導入 | neither decides |
| ` + "`org.unblock_unlimited`" + `, ` + "`org.unblock_month_or_more`" + ` | the answers, or a 持出し許可 of the body's terminals without 有効期限 / for a calendar month or more | no answer and no 持出し許可 |
| ` + "`org.exports_logged`" + `, ` + "`org.exports_items_recorded`" + ` | the answers, or the body's 持出し許可 records; an approved 情報持出し申請 counts as one (granted on its approval, with its expiry; what was taken out recorded once ended, not recorded while expired unrecorded) | no answer and no record |
| ` + "`org.flow_count`" + `, ` + "`org.unrestricted_flows`" + `, ` + "`org.mynumber_internet_flows`" + ` | 領域間通信 rows; unrestricted = My Number zone to another without 経路制限 or プロトコル制限 | flow_count: no row |
| ` + "`org.plans`" + `, ` + "`org.plan_kinds`" + ` | the plans of the body (and, for a unit, of the body it belongs to) | never (empty) |

`)
	for _, c := range cats {
		fmt.Fprintf(b, "## %s — %s\n\n", c.ID, c.Title)
		for _, ctl := range c.Controls {
			if ctl.Manual() {
				continue
			}
			fmt.Fprintf(b, "### %s %s / %s\n\n", ctl.ID, ctl.Title, ctl.TitleEN)
			covers := "all kinds / すべて"
			if len(ctl.Covers) > 0 {
				var ks []string
				for _, k := range ctl.Covers {
					for _, v := range mamori.OrganizationKinds {
						if v.Code == k {
							ks = append(ks, "`"+k+"` "+v.JA)
						}
					}
				}
				covers = strings.Join(ks, ", ")
			}
			unknown := "shown apart / 別に表示"
			if ctl.UnknownFails {
				unknown = "**counts as failure / 不適合に計上**"
			}
			fmt.Fprintf(b, "- target / 対象: `%s`; severity: %s; 統一基準等: %s; seed: %s\n", ctl.Target, ctl.Severity, ctl.Section, ctl.Seed)
			fmt.Fprintf(b, "- covers / 対象組織: %s\n- 未確認: %s\n", covers, unknown)
			if ctl.Population != "" {
				fmt.Fprintf(b, "- also judges: systems seen only outside the register (`%s`)\n", ctl.Population)
			}
			if ctl.Applies != "" {
				fmt.Fprintf(b, "- applies when / 対象となる条件: `%s`\n", ctl.Applies)
			}
			if len(ctl.Evidence) > 0 {
				fmt.Fprintf(b, "- evidence (blank = 未確認) / 根拠項目: `%s`\n", strings.Join(ctl.Evidence, "`, `"))
			}
			ids := make([]string, 0, len(ctl.Params))
			for id := range ctl.Params {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				fmt.Fprintf(b, "- parameter `%s` = %s\n", id, ctl.Params[id].Default)
			}
			if ctl.Measure != "" {
				fmt.Fprintf(b, "- sums / 合計: `%s` (%s)\n", ctl.Measure, ctl.MeasureUnit)
			}
			b.WriteString("\n")
			if len(ctl.Criteria) > 0 {
				b.WriteString("| criterion | 判定基準 | English | conforms when (CEL) |\n|---|---|---|---|\n")
				for _, cr := range ctl.Criteria {
					fmt.Fprintf(b, "| `%s` | %s | %s | `%s` |\n", cr.Key, cr.Title, cr.TitleEN, strings.ReplaceAll(cr.Expr, "|", "\\|"))
				}
				b.WriteString("\n")
			} else {
				fmt.Fprintf(b, "Conforms when (CEL): `%s`\n\n", strings.ReplaceAll(ctl.Check, "|", "\\|"))
			}
			for _, t := range ctl.Tallies {
				fmt.Fprintf(b, "Population stated / 集計: `%s` %s (%s): `%s`\n\n", t.Key, t.Title, t.TitleEN, t.Expr)
			}
			if st := statement(c, ctl.OSCALID); st != "" {
				b.WriteString(st + "\n\n")
			}
		}
	}
}

// statement returns a control's statement prose from its catalog document.
func statement(c *catalog.Catalog, id string) string {
	doc, err := oscal.DecodeCatalog(bytes.NewReader(c.Source))
	if err != nil {
		return ""
	}
	for _, ctl := range doc.AllControls() {
		if ctl.ID != id {
			continue
		}
		for _, p := range ctl.Parts {
			if p.Name == "statement" {
				return p.Prose
			}
		}
	}
	return ""
}

func TestReferenceDocIsCurrent(t *testing.T) {
	const path = "../../docs/register.md"
	want := referenceDoc()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./internal/register -run TestReferenceDocIsCurrent -update", path)
	}
}
