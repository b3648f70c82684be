package replay

import "fmt"

// Seed001 is the Board of Audit's 令和7年 report on the ministries (seed
// 001): 24 本府省庁等 and 16 地方支分部局, 236 and 120 systems, their
// contracts, plans and audits, with the failures the report counts. What
// the report says of the others is entered as the report implies it: the
// systems it does not name had their logs collected and reviewed, their IT-BCP,
// their SystemID; facts it does not touch (self-inspection plans, roles,
// procurement checks) are left as an office that was not asked would leave
// them. It is checked on the report's date over 令和3–5年度.
func Seed001() *Replay {
	b := newBundle()
	central := codes("C", 1, 24)
	branches := codes("B", 1, 16)
	b.add("organizations", rec{"code": "G", "kind": "government", "name": "政府"})
	for i, c := range central {
		b.add("organizations", rec{"code": c, "parent_code": "G", "kind": "central", "name": fmt.Sprintf("本府省庁等%02d", i+1),
			"outsourcing_training": true})
		b.add("people", rec{"code": c + "-P1", "org_code": c, "name": "担当 " + c, "status": "active"})
	}
	for i, br := range branches {
		b.add("organizations", rec{"code": br, "parent_code": central[i], "kind": "branch", "name": fmt.Sprintf("地方支分部局%02d", i+1)})
		b.add("people", rec{"code": br + "-P1", "org_code": br, "name": "担当 " + br, "status": "active"})
	}

	// Systems per organization. The central offices run 236 (13 with 11,
	// 5 with 9, 6 with 8); of them 41 at 16 bodies are outside the register.
	// The branches run 120, 56 of them outside the register at 10 branches:
	// B01–B04 only unregistered ones, B05–B10 both, B11–B16 one registered
	// each — the layout the Board's branch counts leave room for (62 of the
	// 64 registered entries lack an item, at 12 branches).
	type layout struct {
		org          string
		unreg, total int
	}
	var orgs []layout
	sizes := []int{11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 11, 9, 9, 9, 9, 9, 8, 8, 8, 8, 8, 8}
	unregC := map[int]int{9: 2, 10: 2, 11: 2, 12: 1, 13: 1} // C09–C13, then 3 at each of C14–C24
	for i, c := range central {
		n := unregC[i+1]
		if i+1 >= 14 {
			n = 3
		}
		orgs = append(orgs, layout{c, n, sizes[i]})
	}
	branchLayout := [][2]int{{9, 9}, {9, 9}, {9, 9}, {9, 9}, {4, 14}, {4, 14}, {3, 13}, {3, 13}, {3, 12}, {3, 12},
		{0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}, {0, 1}}
	for i, br := range branches {
		orgs = append(orgs, layout{br, branchLayout[i][0], branchLayout[i][1]})
	}
	var all, registered []group
	unregistered := map[string]bool{}
	for _, o := range orgs {
		g := group{org: o.org}
		var reg []string
		for n := 1; n <= o.total; n++ {
			code := fmt.Sprintf("%s-S%03d", o.org, n)
			g.codes = append(g.codes, code)
			if n <= o.unreg {
				unregistered[code] = true
			} else {
				reg = append(reg, code)
			}
		}
		all = append(all, g)
		registered = append(registered, group{o.org, reg})
	}
	cAll, bAll := pick(all, central...), pick(all, branches...)
	// The 16 central bodies with unregistered systems are C09–C24.
	missingItem := union(place(pick(registered, central[:13]...), 13, 109), place(filter(pick(registered, branches[4:]...), nonEmpty), 12, 62))
	noID := union(place(cAll, 13, 42), place(bAll, 10, 95))
	noITBCP := union(place(cAll, 24, 146), place(bAll, 13, 113))
	noVuln := place(cAll, 12, 58)
	noAccess := place(cAll, 16, 26)
	noAuth := place(cAll, 18, 55)
	noLogs := place(cAll, 19, 102)
	notCollecting := func(code string) bool { return !noLogs[code] }
	unreviewed := place(filter(pick(cAll, central[12:]...), notCollecting), 12, 38)

	for _, g := range all {
		for _, code := range g.codes {
			s := rec{"code": code, "org_code": g.org, "name": "業務システム " + code, "class": "information_system",
				"status": "operating", "hosting": "onpremises", "in_register": !unregistered[code],
				"itbcp_required": true, "security_requirements_defined": true,
				"vuln_info_gathered": true, "vuln_measures_applied": !noVuln[code], "vuln_measures_recorded": true}
			if !noID[code] {
				s["system_id"] = "ID-" + code
			}
			if !unregistered[code] {
				s["managing_section"], s["security_officer_code"] = "情報システム課", g.org+"-P1"
				s["external_connections"], s["operation_info"] = "政府共通ネットワーク", "運用・保守: 委託"
				s["confidentiality"], s["integrity"], s["availability"] = 2, 2, 2
				if !missingItem[code] {
					s["configuration"] = "サーバ、端末、ネットワーク機器"
				}
			}
			b.add("systems", s)
			b.add("components", rec{"code": code + "-SV1", "system_code": code, "kind": "server", "default_password": noAuth[code]})
			b.add("log_sources", rec{"system_code": code, "kind": "authentication", "collected": !noLogs[code], "retention_days": 365})
			if !noLogs[code] {
				reviewed := "2025-08-01"
				if unreviewed[code] {
					reviewed = "2024-01-15" // reviewed once, long ago: not 点検 in any sense the standard means
				}
				b.add("log_reviews", rec{"system_code": code, "reviewed_on": reviewed})
			}
			reviewed := "2025-04-01"
			if noAccess[code] {
				reviewed = "2023-04-01"
			}
			b.add("access_reviews", rec{"system_code": code, "reviewed_on": reviewed})
			if !noITBCP[code] {
				b.add("plan_systems", rec{"plan_code": "ITBCP-" + g.org, "system_code": code})
			}
		}
	}
	// Plans: every body's IT-BCP (the branches' own), crisis measures but
	// at C15–C24, education plans but at C01 (in each of 令和3–5年度), audit
	// plans but at C01–C03, C01–C02 and C01 in 令和3, 4 and 5年度.
	for _, o := range append(central[:len(central):len(central)], branches...) {
		b.add("plans", rec{"code": "ITBCP-" + o, "org_code": o, "fiscal_year": 2025, "kind": "itbcp", "approved_on": "2025-04-01",
			"reviewed_on": "2025-06-01", "has_recovery_objectives": true, "has_procedures": true, "last_drill_on": "2025-07-01"})
	}
	noAuditPlan := map[int][]string{2021: central[:3], 2022: central[:2], 2023: central[:1]}
	for i, c := range central {
		if i < 14 {
			b.add("plans", rec{"code": "CRISIS-" + c, "org_code": c, "fiscal_year": 2023, "kind": "crisis", "approved_on": "2023-04-01"})
		}
		for fy := 2021; fy <= 2023; fy++ {
			if c != "C01" {
				b.add("plans", rec{"code": fmt.Sprintf("EDU-%s-%d", c, fy), "org_code": c, "fiscal_year": fy, "kind": "education"})
			}
			if !contains(noAuditPlan[fy], c) {
				b.add("plans", rec{"code": fmt.Sprintf("AUD-%s-%d", c, fy), "org_code": c, "fiscal_year": fy, "kind": "audit"})
			}
			b.add("plans", rec{"code": fmt.Sprintf("SELF-%s-%d", c, fy), "org_code": c, "fiscal_year": fy, "kind": "self_inspection"})
		}
	}
	// Out-of-plan audits commissioned by system departments: 17 at four
	// bodies, 14 of them never shared with the audit officer.
	oop := []struct {
		org         string
		n, unshared int
	}{{"C05", 5, 4}, {"C06", 4, 4}, {"C07", 4, 3}, {"C08", 4, 3}}
	for _, a := range oop {
		for i := 1; i <= a.n; i++ {
			r := rec{"code": fmt.Sprintf("OOP-%s-%d", a.org, i), "org_code": a.org, "fiscal_year": 2023, "kind": "out_of_plan",
				"title": "システム監査（委託）", "commissioned_by": "情報システム課", "external": true, "completed_on": "2024-02-20"}
			if i > a.unshared {
				r["shared_on"] = "2024-03-01"
			}
			b.add("audits", r)
		}
	}

	// Outsourcing contracts: 1,100 at the central offices (921 lacking a
	// vendor item, at C01–C15) and 258 at the branches (198 lacking one,
	// at all 16). All bodies trained their staff on outsourcing, so 1,119
	// of 1,358 is the 82.4% of the report.
	// contracts numbers each organization's contracts of a kind, as many as
	// count says for the i-th organization.
	contracts := func(orgs []string, prefix string, count func(i int) int) []group {
		var out []group
		for i, o := range orgs {
			g := group{org: o}
			for k := 1; k <= count(i); k++ {
				g.codes = append(g.codes, fmt.Sprintf("%s-%s%04d", o, prefix, k))
			}
			out = append(out, g)
		}
		return out
	}
	cOut := contracts(central, "K", func(i int) int {
		switch {
		case i < 6:
			return 62
		case i < 15:
			return 61
		case i == 23:
			return 19
		}
		return 20
	})
	bOut := contracts(branches, "K", func(i int) int {
		if i < 2 {
			return 17
		}
		return 16
	})
	lacksItem := union(place(cOut, 15, 921), place(bOut, 16, 198))
	lacksSub := union(place(cOut, 13, 213), place(bOut, 10, 62))
	unverified := union(place(cOut, 14, 233), place(bOut, 6, 23))
	for _, g := range append(cOut, bOut...) {
		for _, k := range g.codes {
			b.add("contracts", rec{"code": k, "org_code": g.org, "kind": "outsourcing", "title": "運用保守業務 " + k,
				"vendor": "株式会社テスト", "contracted_on": "2023-04-01", "start_on": "2023-04-01", "verification_specified": true})
			for _, cl := range []string{"V1", "V2", "V3", "V4", "V5", "V6", "V7", "S1", "S2", "T1"} {
				if (cl == "V3" && lacksItem[k]) || (cl == "S2" && lacksSub[k]) {
					continue
				}
				b.add("contract_clauses", rec{"contract_code": k, "clause_code": cl})
			}
			if !unverified[k] {
				b.add("contract_verifications", rec{"contract_code": k, "verified_on": "2024-03-15", "result": "conforming"})
			}
		}
	}
	// Cloud contracts: 150 at the central offices, 24 at B01–B08.
	b.add("cloud_services", rec{"code": "CS-ISMAP", "provider": "クラウド事業者A", "name": "登録済みクラウド", "ismap_status": "ismap",
		"registration_number": "C21-0001-1", "valid_until": "2026-12-31"})
	b.add("cloud_services", rec{"code": "CS-NONE", "provider": "クラウド事業者B", "name": "未登録クラウド", "ismap_status": "none"})
	cCloud := contracts(central, "Q", func(i int) int {
		if i < 6 {
			return 7
		}
		return 6
	})
	bCloud := contracts(branches[:8], "Q", func(int) int { return 3 })
	unapproved := union(place(cCloud, 11, 68), place(bCloud, 4, 10))
	noISMAPClause := union(place(cCloud, 12, 39), place(pick(bCloud, branches[4:7]...), 3, 5))
	// Eight of the contracts without the ISMAP clause, two at each of C01–C04, use an unlisted service.
	unlisted := place(filter(pick(cCloud, central[:4]...), func(k string) bool { return noISMAPClause[k] }), 4, 8)
	for _, g := range append(cCloud, bCloud...) {
		for _, k := range g.codes {
			r := rec{"code": k, "org_code": g.org, "kind": "cloud", "title": "クラウドサービス利用 " + k, "vendor": "クラウド事業者",
				"contracted_on": "2023-04-01", "cloud_service_code": "CS-ISMAP"}
			if unlisted[k] {
				r["cloud_service_code"] = "CS-NONE"
			}
			if !unapproved[k] {
				r["cloud_approved_by"], r["cloud_approved_on"] = g.org+"-P1", "2023-03-20"
			}
			b.add("contracts", r)
			if !noISMAPClause[k] {
				b.add("contract_clauses", rec{"contract_code": k, "clause_code": "I1"})
			}
			b.add("contract_clauses", rec{"contract_code": k, "clause_code": "T1"})
		}
	}

	e := func(seed, control, tier string, orgs, targets int64) []Expect {
		out := []Expect{{Seed: seed, Control: control, Tier: tier, What: "orgs", Want: orgs}}
		if targets >= 0 {
			out = append(out, Expect{Seed: seed, Control: control, Tier: tier, What: "targets", Want: targets})
		}
		return out
	}
	var ex []Expect
	add := func(x []Expect) { ex = append(ex, x...) }
	add(e("台帳に記載されていなかった 本府省庁等16機関の41システム", "REG-01", "central", 16, 41))
	add(e("台帳に記載されていなかった 地方支分部局10機関の56システム", "REG-01", "branch", 10, 56))
	add(e("12事項の一部が記載されていなかった 本府省庁等13機関の109システム", "REG-02", "central", 13, 109))
	add(e("12事項の一部が記載されていなかった 地方支分部局12機関の62システム", "REG-02", "branch", 12, 62))
	add(e("ぜい弱性対策が講じられていなかった 12機関の58システム", "VUL-01", "", 12, 58))
	add(e("アクセスの権限の管理 16機関の26システム", "IAM-01", "", 16, 26))
	add(e("主体認証情報の管理 18機関の55システム", "IAM-04", "", 18, 55))
	add(e("点検対象ログが全く取得されていなかった 19機関の102システム", "LOG-01", "", 19, 102))
	add(e("ログの点検又は分析が実施されていなかった 12機関の38システム", "LOG-02", "", 12, 38))
	add(e("IT-BCPが策定されていなかった 本府省庁等24機関の146システム", "BCP-01", "central", 24, 146))
	add(e("IT-BCPが策定されていなかった 地方支分部局13機関の113システム", "BCP-01", "branch", 13, 113))
	add(e("IT-BCPが策定されていなかった 計37機関の259システム", "BCP-01", "", 37, 259))
	add(e("危機的事象…対策事項を定めていなかった 10機関", "BCP-03", "", 10, -1))
	add(e("情報システムIDが付番されていない 本府省庁等13機関の42システム", "REG-03", "central", 13, 42))
	add(e("情報システムIDが付番されていない 地方支分部局10機関の95システム", "REG-03", "branch", 10, 95))
	add(e("情報システムIDが付番されていない 計23機関の137システム", "REG-03", "", 23, 137))
	add(e("7事項のうち一部が定められていなかった 本府省庁等15機関の921件", "OUT-01", "central", 15, 921))
	add(e("7事項のうち一部が定められていなかった 地方支分部局16機関の198件", "OUT-01", "branch", 16, 198))
	add(e("履行状況の確認が実施されていなかった 本府省庁等14機関の233件", "OUT-02", "central", 14, 233))
	add(e("履行状況の確認が実施されていなかった 地方支分部局6機関の23件", "OUT-02", "branch", 6, 23))
	add(e("再委託に係る事項が定められていなかった 本府省庁等13機関の213件", "OUT-03", "central", 13, 213))
	add(e("再委託に係る事項が定められていなかった 地方支分部局10機関の62件", "OUT-03", "branch", 10, 62))
	add(e("許可権限者から承認を受けていなかった 本府省庁等11機関の68件", "CLD-01", "central", 11, 68))
	add(e("許可権限者から承認を受けていなかった 地方支分部局4機関の10件", "CLD-01", "branch", 4, 10))
	add(e("ISMAP管理策基準と同等以上の水準が定められていなかった 本府省庁等12機関の39件", "CLD-02", "central", 12, 39))
	add(e("ISMAP管理策基準と同等以上の水準が定められていなかった 地方支分部局3機関の5件", "CLD-02", "branch", 3, 5))
	add(e("ISMAPのクラウドサービスリストに登録されていない 本府省庁等4機関の8件", "CLD-03", "central", 4, 8))
	for fy, n := range map[int]int64{2021: 1, 2022: 1, 2023: 1} {
		ex = append(ex, Expect{Seed: fmt.Sprintf("FY%d: 1府省庁等において教育実施計画が策定されていなかった", fy), Control: "PLN-01",
			FiscalYear: fy, What: "orgs", Want: n})
	}
	for fy, n := range map[int]int64{2021: 3, 2022: 2, 2023: 1} {
		ex = append(ex, Expect{Seed: fmt.Sprintf("FY%d: %d府省庁等において監査実施計画が策定されていなかった", fy, n), Control: "PLN-02",
			FiscalYear: fy, What: "orgs", Want: n})
	}
	ex = append(ex,
		Expect{Seed: "4府省庁等において…計画外監査", Control: "PLN-03", What: "applicable_orgs", Want: 4},
		Expect{Seed: "計画外監査に係る委託契約17件", Control: "PLN-03", What: "applicable_targets", Want: 17},
		Expect{Seed: "17件のうち14件については…情報共有されていなかった", Control: "PLN-03", What: "targets", Want: 14},
		Expect{Seed: "教育が実施されていた府省庁等の機関の契約のうち…82.4%", Control: "training:trained", What: "rate_permille", Want: 824},
	)
	// The lists as published when the Board checked: the listed service
	// on the ISMAP list; the unlisted one, recorded without a number and
	// as listed nowhere, on neither.
	lists := []CloudList{
		{Kind: "ismap", AsOf: "2025-09-01", Entries: []CloudListEntry{{Number: "C21-0001-1", Service: "登録済みクラウド", Provider: "クラウド事業者A", ValidUntil: "2026-12-31"}}},
		{Kind: "ismap_liu", AsOf: "2025-09-01", Entries: []CloudListEntry{{Number: "L23-0001-1", Service: "低リスクSaaS", Provider: "クラウド事業者C", ValidUntil: "2026-06-30"}}},
	}
	return &Replay{Name: "seed 001 (ministries)", Today: "2025-09-12", FiscalYears: "2021..2023", Bundle: b.json(), CloudLists: lists, Expect: ex}
}

func nonEmpty(string) bool { return true }

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}
