package catalog

// A finding's sentence: each control carries, as the properties finding
// (Japanese) and finding-en, a text/template that states the decisive facts
// of its evidence in words (「仕様書に次の項目がありません：…」), so an
// officer reads the finding instead of the evidence's JSON. The JSON stays
// what the API and OSCAL give; the sentence is for the pages.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"mamori"
)

// Locale writes values in the reader's language; *i18n.Localizer is one.
type Locale interface {
	Pick(ja, en string) string
	DateString(iso string) string
	Number(n int64) string
	Money(yen int64) string
	FiscalYear(fy int) string
}

// Names are the deployment's own names of codes, by vocabulary: "clause"
// (the 条項一覧, clause_defs, which a deployment may import) maps a clause
// code to its names. A code no vocabulary knows shows as itself; the
// register's fixed vocabularies (log kinds, plan kinds, roles…) are built in.
type Names map[string]map[string]mamori.EnumValue

// Vocabularies are the vocabularies a sentence template may name in list.
var Vocabularies = []string{"clause", "register-item", "log-kind", "plan-kind", "role", "sighting", "contract-kind",
	"segment", "server-role", "component-kind", "system-class", "ismap-status", "organization-kind", "budget-kind", "state"}

// builtinNames are the vocabularies mamori fixes, plus the default clause
// list and register items for a deployment that has not said otherwise.
var builtinNames = func() Names {
	enum := func(vs []mamori.EnumValue) map[string]mamori.EnumValue {
		m := map[string]mamori.EnumValue{}
		for _, v := range vs {
			m[v.Code] = v
		}
		return m
	}
	n := Names{"log-kind": enum(mamori.LogKinds), "plan-kind": enum(mamori.PlanKinds), "role": enum(mamori.Roles),
		"sighting": enum(mamori.SightingSources), "contract-kind": enum(mamori.ContractKinds), "segment": enum(mamori.NetworkSegments),
		"server-role": enum(mamori.ServerRoles), "component-kind": enum(mamori.ComponentKinds), "system-class": enum(mamori.SystemClasses),
		"ismap-status": enum(mamori.ISMAPStatuses), "organization-kind": enum(mamori.OrganizationKinds), "budget-kind": enum(mamori.BudgetKinds),
		// The three-layer answers of an organization (derived: see store).
		"state": enum([]mamori.EnumValue{{Code: "none", JA: "未導入", EN: "none"}, {Code: "partial", JA: "一部の端末のみ", EN: "some terminals only"},
			{Code: "all", JA: "全端末", EN: "every terminal"}}),
		"clause": {}, "register-item": {}}
	for _, c := range mamori.DefaultClauses {
		n["clause"][c.Code] = mamori.EnumValue{Code: c.Code, JA: c.Name, EN: c.NameEN}
	}
	systems := mamori.EntityByName("systems")
	for _, it := range mamori.DefaultRegisterItems {
		if _, ok := n["register-item"][it.Field]; ok {
			continue // ⑧ and ⑨ are both recorded as the cloud service
		}
		v := mamori.EnumValue{Code: it.Field, JA: it.Name, EN: it.Field}
		if f := systems.Field(it.Field); f != nil {
			v.EN = f.EN
		}
		n["register-item"][it.Field] = v
	}
	return n
}()

// fieldLabels name the derived view fields a finding's evidence may hold or
// lack (the entity's own columns are named by the register). Every field a
// control lists as evidence is named here or in the register, which a test
// checks, so 未確認 never shows a field's key.
var fieldLabels = map[string][2]string{
	"log_kinds_collected":       {"取得しているログの種類", "log kinds collected"},
	"min_retention_days":        {"ログの保存期間", "log retention"},
	"last_log_review":           {"ログの最終点検日", "last log review"},
	"last_access_review":        {"権限の最終見直し日", "last access review"},
	"holds_personal_info":       {"個人情報の保存の有無", "whether it stores personal information"},
	"talks_to_devices":          {"他の機器との通信の有無", "whether it talks to other devices"},
	"default_password_clear":    {"初期パスワードの変更状況", "whether default passwords were changed"},
	"last_patched_on":           {"更新プログラムの最終適用日", "last patch date"},
	"last_av_on":                {"定義ファイルの最終更新日", "last AV definition update"},
	"org_split_on":              {"LGWAN接続系とインターネット接続系の分割日", "date of the LGWAN/Internet split"},
	"segment":                   {"ネットワーク領域", "network zone"},
	"missing_spec_items":        {"仕様書の7事項の記載", "the specification's seven vendor items"},
	"missing_subcontract_items": {"仕様書の再委託条項の記載", "the specification's subcontracting clauses"},
	"missing_takeout_items":     {"仕様書の持出し禁止条項の記載", "the specification's take-out ban"},
	"missing_ismap_items":       {"ISMAP同等要件の記載", "the ISMAP-level requirements"},
	"missing_register_items":    {"台帳の記載事項", "register items"},
	"contract_date":             {"契約日", "contract date"},
	"last_survey_on":            {"契約前の利用希望調査", "the survey before the contract"},
	"paid_total":                {"支払額", "amount paid"},
	"project_has_plan":          {"プロジェクト計画書の有無", "whether the project has a plan"},
	"project_demand_surveyed":   {"需要調査の有無", "whether demand was surveyed"},
	"demand_evidence":           {"需要の把握の記録", "a demand analysis record"},
	"usage_evidence":            {"利用規模の見込みの記録", "a usage estimate record"},
	"cost_evidence":             {"費用対効果の検討の記録", "a cost-effectiveness record"},
	"usage_last_month":          {"月別の利用実績", "the monthly usage record"},
	"last_paid_on":              {"廃止後の支払の記録", "the payment records"},
	"flow_count":                {"領域間通信の記録", "inter-zone flows"},
	"two_factor_state":          {"二要素認証の導入状況", "two-factor authentication"},
	"export_blocking_state":     {"持出し不可設定の導入状況", "export blocking"},
	"unblock_unlimited":         {"無期限の解除の有無", "whether blocking is lifted without expiry"},
	"unblock_month_or_more":     {"1か月以上の解除の有無", "whether blocking is lifted for a month or more"},
	"exports_logged":            {"持出しログの保存", "export logs"},
	"exports_items_recorded":    {"持出物の記録", "records of exported items"},
	"cloud_ismap_status":        {"ISMAPの登録状況", "ISMAP listing"},
	"training_course_count":     {"研修の記録", "training courses"},
	"emergency_targeted":        {"緊急時対応計画の標的型攻撃への対応の記載", "whether the emergency plan covers targeted attacks"},
	"courses_delivered":         {"研修の実施記録", "training delivered"},
	"training_courses":          {"受講対象者の記録（受講対象）", "who must attend (training requirements)"},
	"cloud_listed":              {"ISMAPのリストへの掲載", "whether the ISMAP lists show the service"},
	"cloud_list_kind":           {"掲載リスト", "list"},
	"cloud_list_as_of":          {"リストの時点", "list as of"},
	"cloud_list_valid_until":    {"リスト上の有効期限", "validity on the list"},
	"cloud_last_listed_on":      {"最後に掲載されていたリストの時点", "last list that showed it"},
	"cloud_claim_differs":       {"リストと異なる台帳の記録", "register record that disagrees with the lists"},
}

// FieldLabel names a view field of the control's target in l's language:
// the register's header for an entity column, else the derived field's
// name, else the field's key.
func (c *Control) FieldLabel(l Locale, field string) string {
	if e := mamori.EntityByName(targetEntity[c.Target]); e != nil {
		if f := e.Field(field); f != nil {
			return l.Pick(f.JA, f.EN)
		}
	}
	if lb, ok := fieldLabels[field]; ok {
		return l.Pick(lb[0], lb[1])
	}
	return field
}

// HasFieldLabel reports whether a field is named other than by its key.
func (c *Control) HasFieldLabel(field string) bool {
	if e := mamori.EntityByName(targetEntity[c.Target]); e != nil && e.Field(field) != nil {
		return true
	}
	_, ok := fieldLabels[field]
	return ok
}

// targetEntity is the register entity behind each target type's view.
var targetEntity = map[string]string{"organization": "organizations", "organization-fy": "organizations", "system": "systems",
	"component": "components", "contract": "contracts", "cloud-service": "cloud_services", "project": "projects",
	"audit": "audits", "budget-item": "budget_items"}

// evidence is a finding's evidence as package check stores it.
type evidence struct {
	Failed  []string       `json:"failed"`
	Missing []string       `json:"missing"`
	Error   string         `json:"error"`
	Values  map[string]any `json:"values"`
}

// sentenceFuncs are the functions a template may call; parse binds stubs,
// execution the reader's.
var sentenceFuncNames = []string{"list", "date", "num", "yen", "fy", "criteria", "failed", "count", "yesno", "value", "earliest", "plan"}

func stubFuncs() template.FuncMap {
	m := template.FuncMap{}
	for _, n := range sentenceFuncNames {
		m[n] = func(...any) string { return "" }
	}
	return m
}

// parseSentence parses a control's template, for Load to report a broken
// one by catalog, control and property.
func parseSentence(name, text string) (*template.Template, error) {
	return template.New(name).Funcs(stubFuncs()).Option("missingkey=default").Parse(text)
}

// Finding is what a sentence is written from: a stored finding's result
// (fail, unknown or error), its target and its evidence JSON.
type Finding struct {
	Result, TargetType, TargetCode, Evidence string
}

// Sentence states a finding of the control in l's language: for a failure
// the control's template filled from the evidence, for 未確認 the records
// that are missing, for an error the error. Whatever cannot be written that
// way (a control without a template, evidence of another shape, a template
// that does not fit the values) is written as a list of fields and values,
// never as JSON. c may be nil (a control of an unknown catalog).
func (c *Control) Sentence(l Locale, names Names, f Finding) string {
	s, err := c.Explain(l, names, f)
	if err != nil {
		return c.describe(l, names, f.Evidence)
	}
	return s
}

// Explain is Sentence without the fallback: an error says why the finding
// cannot be written from the control's template.
func (c *Control) Explain(l Locale, names Names, f Finding) (string, error) {
	if c == nil {
		return "", fmt.Errorf("no control")
	}
	ev, err := decodeEvidence(f.Evidence)
	if err != nil {
		return "", err
	}
	switch f.Result {
	case "error":
		if ev.Error == "" {
			return "", fmt.Errorf("%s: error without a message", c.ID)
		}
		return l.Pick("判定できませんでした（エラー）：", "The check failed with an error: ") + ev.Error, nil
	case "unknown":
		if len(ev.Missing) == 0 {
			return "", fmt.Errorf("%s: unknown without missing evidence", c.ID)
		}
		var labels []string
		for _, m := range ev.Missing {
			labels = append(labels, c.FieldLabel(l, m))
		}
		return l.Pick("未確認：次の記録がないため判定できません：", "Unknown: cannot be decided without these records: ") +
			strings.Join(labels, l.Pick("、", ", ")), nil
	}
	tmpl := c.findingJA
	if l.Pick("ja", "en") == "en" {
		tmpl = c.findingEN
	}
	if tmpl == nil {
		return "", fmt.Errorf("%s: no sentence template", c.ID)
	}
	tc, err := tmpl.Clone()
	if err != nil {
		return "", err
	}
	fy := 0
	if i := strings.LastIndex(f.TargetCode, "/"); i >= 0 && c.Target == "organization-fy" {
		fy, _ = strconv.Atoi(f.TargetCode[i+1:])
	}
	tc.Funcs(c.funcs(l, names, ev, fy))
	var b bytes.Buffer
	if err := tc.Execute(&b, ev.Values); err != nil {
		return "", fmt.Errorf("%s: %w", c.ID, err)
	}
	s := strings.TrimSpace(b.String())
	if s == "" || strings.Contains(s, "<no value>") || strings.Contains(s, "%!") || strings.Contains(s, "map[") {
		return "", fmt.Errorf("%s: the template does not fit the evidence: %q", c.ID, s)
	}
	return s, nil
}

func decodeEvidence(s string) (evidence, error) {
	var ev evidence
	d := json.NewDecoder(strings.NewReader(s))
	d.UseNumber()
	d.DisallowUnknownFields() // evidence of another shape is not guessed at
	if err := d.Decode(&ev); err != nil {
		return ev, fmt.Errorf("evidence: %w", err)
	}
	if ev.Values == nil {
		return ev, fmt.Errorf("evidence: no values")
	}
	return ev, nil
}

// funcs binds the template functions to a reader and a finding.
func (c *Control) funcs(l Locale, names Names, ev evidence, fy int) template.FuncMap {
	none := l.Pick("記録なし", "none recorded")
	sep := l.Pick("、", ", ")
	return template.FuncMap{
		// list names each code of a list (or one code) in a vocabulary.
		"list": func(vocab string, v any) (string, error) {
			if !slices.Contains(Vocabularies, vocab) {
				return "", fmt.Errorf("unknown vocabulary %q", vocab)
			}
			if v == nil {
				return none, nil
			}
			cs, ok := codeList(v)
			if !ok {
				return "", fmt.Errorf("list: not a list of codes: %v", v)
			}
			var out []string
			for _, code := range cs {
				out = append(out, codeName(l, names, vocab, code))
			}
			if len(out) == 0 {
				return l.Pick("なし", "none"), nil
			}
			return strings.Join(out, sep), nil
		},
		"date": func(v any) (string, error) {
			if v == nil {
				return none, nil
			}
			s, ok := v.(string)
			if !ok {
				return "", fmt.Errorf("date: not a date: %v", v)
			}
			return l.DateString(s), nil
		},
		"num": func(v any) (string, error) {
			if v == nil {
				return none, nil
			}
			n, ok := integer(v)
			if !ok {
				return "", fmt.Errorf("num: not a whole number: %v", v)
			}
			return l.Number(n), nil
		},
		"yen": func(v any) (string, error) {
			if v == nil {
				return none, nil
			}
			n, ok := integer(v)
			if !ok {
				return "", fmt.Errorf("yen: not a whole number: %v", v)
			}
			return l.Money(n), nil
		},
		"count": func(v any) (string, error) {
			cs, ok := codeList(v)
			if !ok && v != nil {
				return "", fmt.Errorf("count: not a list: %v", v)
			}
			return l.Number(int64(len(cs))), nil
		},
		"fy": func() (string, error) {
			if fy == 0 {
				return "", fmt.Errorf("fy: not a fiscal-year target")
			}
			return l.FiscalYear(fy), nil
		},
		// criteria names the criteria that failed.
		"criteria": func() string {
			var out []string
			for _, k := range ev.Failed {
				if cr := c.CriterionByKey(k); cr != nil {
					out = append(out, l.Pick(cr.Title, cr.TitleEN))
				}
			}
			if len(out) == 0 {
				return l.Pick(c.Title, c.TitleEN)
			}
			return strings.Join(out, sep)
		},
		"failed": func(key string) (bool, error) {
			if c.CriterionByKey(key) == nil {
				return false, fmt.Errorf("no criterion %q", key)
			}
			return slices.Contains(ev.Failed, key), nil
		},
		"yesno": func(v any) string {
			b, ok := v.(bool)
			switch {
			case !ok:
				return none
			case b:
				return l.Pick("あり", "yes")
			}
			return l.Pick("なし", "no")
		},
		// earliest is the first of a list of dates.
		"earliest": func(v any) any {
			ds, _ := codeList(v)
			if len(ds) == 0 {
				return nil
			}
			return slices.Min(ds)
		},
		// plan is the organization's plan of a kind for the finding's
		// fiscal year (organization-fy targets), or nil.
		"plan": func(kind string) (any, error) {
			if fy == 0 {
				return nil, fmt.Errorf("plan: not a fiscal-year target")
			}
			ps, _ := ev.Values["plans"].([]any)
			for _, p := range ps {
				m, _ := p.(map[string]any)
				if y, ok := integer(m["fiscal_year"]); ok && int(y) == fy && m["kind"] == kind {
					return m, nil
				}
			}
			return nil, nil
		},
		// value writes any value readably.
		"value": func(v any) string { return valueText(l, names, v) },
	}
}

// codeList reads a list of codes (or one code) from a decoded value; ok is
// false for anything else.
func codeList(v any) (out []string, ok bool) {
	switch x := v.(type) {
	case string:
		return []string{x}, true
	case []any:
		for _, e := range x {
			s, ok := e.(string)
			if !ok {
				return nil, false
			}
			out = append(out, s)
		}
		return out, true
	}
	return nil, false
}

func integer(v any) (int64, bool) {
	switch x := v.(type) {
	case json.Number:
		n, err := x.Int64()
		return n, err == nil
	case int64:
		return x, true
	case int:
		return int64(x), true
	case float64:
		return int64(x), x == float64(int64(x))
	}
	return 0, false
}

func codeName(l Locale, names Names, vocab, code string) string {
	if v, ok := names[vocab][code]; ok && v.JA != "" {
		return l.Pick(v.JA, v.EN)
	}
	if v, ok := builtinNames[vocab][code]; ok {
		return l.Pick(v.JA, v.EN)
	}
	return code
}

// valueText writes a decoded JSON value for a person: lists joined, yes or
// no, numbers with separators, dates in the reader's calendar, objects as
// their fields.
func valueText(l Locale, names Names, v any) string {
	switch x := v.(type) {
	case nil:
		return "—"
	case bool:
		return l.Pick(map[bool]string{true: "はい", false: "いいえ"}[x], map[bool]string{true: "yes", false: "no"}[x])
	case json.Number:
		if n, err := x.Int64(); err == nil {
			return l.Number(n)
		}
		return x.String()
	case float64:
		if x == float64(int64(x)) {
			return l.Number(int64(x))
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case string:
		if len(x) == 10 && x[4] == '-' && x[7] == '-' {
			return l.DateString(x)
		}
		return x
	case []any:
		if len(x) == 0 {
			return l.Pick("なし", "none")
		}
		var out []string
		for _, e := range x {
			out = append(out, valueText(l, names, e))
		}
		return strings.Join(out, l.Pick("、", ", "))
	case map[string]any:
		return l.Pick("（", "(") + pairs(l, names, x, func(k string) string { return k }, nil) + l.Pick("）", ")")
	}
	return fmt.Sprint(v)
}

// pairs writes an object's fields as "key: value", in key order; value,
// when not nil, writes the values it knows better (an enum's label).
func pairs(l Locale, names Names, m map[string]any, label func(string) string, value func(string, any) (string, bool)) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var out []string
	for _, k := range keys {
		v, ok := "", false
		if value != nil {
			v, ok = value(k, m[k])
		}
		if !ok {
			v = valueText(l, names, m[k])
		}
		out = append(out, label(k)+l.Pick("：", ": ")+v)
	}
	return strings.Join(out, l.Pick("、", "; "))
}

// describe is the fallback: the evidence's fields and values, named where
// the control (or the register) names them.
func (c *Control) describe(l Locale, names Names, raw string) string {
	label := func(k string) string { return k }
	var value func(string, any) (string, bool)
	if c != nil {
		label = func(k string) string { return c.FieldLabel(l, k) }
		value = func(k string, v any) (string, bool) {
			code, isCode := v.(string)
			e := mamori.EntityByName(targetEntity[c.Target])
			if !isCode || e == nil || e.Field(k) == nil {
				return "", false
			}
			ev, ok := e.Field(k).EnumByCode(code)
			return l.Pick(ev.JA, ev.EN), ok
		}
	}
	ev, err := decodeEvidence(raw)
	if err != nil {
		return Describe(l, raw)
	}
	var parts []string
	if ev.Error != "" {
		parts = append(parts, l.Pick("エラー：", "error: ")+ev.Error)
	}
	if len(ev.Missing) > 0 {
		var ms []string
		for _, m := range ev.Missing {
			ms = append(ms, label(m))
		}
		parts = append(parts, l.Pick("記録なし：", "not recorded: ")+strings.Join(ms, l.Pick("、", ", ")))
	}
	if len(ev.Values) > 0 {
		parts = append(parts, pairs(l, names, ev.Values, label, value))
	}
	if len(parts) == 0 {
		return "—"
	}
	return strings.Join(parts, l.Pick("。", ". "))
}

// Describe writes any JSON object (an audit entry's detail, evidence of an
// unknown shape) as "key: value" pairs, and other text as it is.
func Describe(l Locale, raw string) string {
	return DescribeWith(l, raw, func(k string) string { return k })
}

// DescribeWith is Describe with the keys named by label.
func DescribeWith(l Locale, raw string, label func(string) string) string {
	d := json.NewDecoder(strings.NewReader(raw))
	d.UseNumber()
	var m map[string]any
	if err := d.Decode(&m); err != nil || m == nil {
		return raw
	}
	if len(m) == 0 {
		return "—"
	}
	return pairs(l, nil, m, label, nil)
}
