package replay

// Seed000 is the Board of Audit's finding on the secure zone of the
// government common platform (seed 000): 総務省 added it to the platform
// under no project plan, with no material showing a demand survey, a usage
// estimate or a cost-effectiveness study, asked 厚生労働省 and 農林水産省
// for their wishes and never followed their answers up, paid
// 16億6486万余円 under the work contract and never used it for its purpose.
// What the register cannot hold yet (the secure zone's share of the
// platform's lease, the re-survey before the contracts, the centre's
// review of the supplementary budget) comes with the governance work; the
// lease is recorded as the platform's, without its share.
func Seed000() *Replay {
	b := newBundle()
	for _, o := range []rec{
		{"code": "G", "kind": "government", "name": "政府"},
		{"code": "CAS", "parent_code": "G", "kind": "central", "name": "内閣官房"},
		{"code": "MIC", "parent_code": "G", "kind": "ministry", "name": "総務省"},
		{"code": "MIC-C", "parent_code": "MIC", "kind": "central", "name": "総務省行政管理局"},
		{"code": "MHLW", "parent_code": "G", "kind": "ministry", "name": "厚生労働省"},
		{"code": "MAFF", "parent_code": "G", "kind": "ministry", "name": "農林水産省"},
	} {
		b.add("organizations", o)
	}
	// The platform had no project plan (the special rule for projects under
	// way in April 2015), and the secure zone none of its own. Nothing shows
	// a demand survey, a usage estimate or a cost-effectiveness study: those
	// answers stay blank. In use from April 2017 and never for its purpose.
	b.add("projects", rec{"code": "PJ-GCPF", "org_code": "MIC-C", "name": "政府共通プラットフォーム"})
	b.add("projects", rec{"code": "PJ-SZ", "org_code": "MIC-C", "name": "政府共通プラットフォーム セキュアゾーン（機能追加）",
		"go_live_on": "2017-04-01", "utilization_percent": 0, "utilization_measured_on": "2019-03-31"})
	// Neither the PJMO's self-inspection nor the PMO's review was ever done.
	for _, st := range []string{"planning", "procurement", "development"} {
		b.add("project_reviews", rec{"project_code": "PJ-SZ", "stage": st})
	}
	b.add("contracts", rec{"code": "K-LEASE", "org_code": "MIC-C", "kind": "lease", "title": "施設・設備賃貸借契約",
		"vendor": "株式会社エヌ・ティ・ティ・データ", "contracted_on": "2016-04-01", "start_on": "2016-04-01", "end_on": "2021-03-31",
		"total_amount": 856390000, "multi_year": true, "project_code": "PJ-GCPF"})
	b.add("contracts", rec{"code": "K-WORK", "org_code": "MIC-C", "kind": "development", "title": "作業請負等契約（セキュアゾーン）",
		"vendor": "東京センチュリーリース株式会社", "contracted_on": "2016-09-01", "start_on": "2016-09-01", "end_on": "2019-03-31",
		"total_amount": 1664860000, "project_code": "PJ-SZ"})
	// Paid in FY2016–2018: the changed contract amount, 16億6486万余円.
	for fy, paid := range map[int]int{2016: 554953334, 2017: 554953333, 2018: 554953333} {
		b.add("contract_amounts", rec{"contract_code": "K-WORK", "fiscal_year": fy, "amount": paid, "paid": paid})
	}
	b.add("contract_systems", rec{"contract_code": "K-WORK", "system_code": "S-SZ"})
	b.add("systems", rec{"code": "S-SZ", "org_code": "MIC-C", "name": "政府共通PF セキュアゾーン", "in_register": true,
		"class": "information_system", "status": "retired", "project_code": "PJ-SZ", "go_live_on": "2017-04-01", "retired_on": "2019-03-31"})
	// The survey of August 2015: two ministries wished to use it (with
	// conditions in 厚生労働省's case); neither answer was followed up.
	b.add("survey_answers", rec{"code": "SV-MHLW", "org_code": "MHLW", "fiscal_year": 2015,
		"topic": "セキュアゾーンの利用希望（感染症等の情報を扱う3システム、PCへのダウンロードが条件）", "answered_on": "2015-08-31"})
	b.add("survey_answers", rec{"code": "SV-MAFF", "org_code": "MAFF", "fiscal_year": 2015,
		"topic": "セキュアゾーンの利用希望（企業情報等を扱う1システム）", "answered_on": "2015-08-31"})

	ex := []Expect{
		{Seed: "プロジェクト計画書に記載がなく…（2契約）", Control: "GOV-01", Criterion: "no_plan", What: "targets", Want: 2},
		{Seed: "作業請負等契約の支払額 16億6486万余円", Control: "GOV-01", Criterion: "no_plan", What: "measure", Want: 1664860000},
		{Seed: "自己点検、PMO…によるヒアリング等の手続は、全く実施されていなかった", Control: "PLN-05", What: "orgs", Want: 1},
		{Seed: "需要の把握、利用規模や費用対効果の検討…を行ったことを示す資料はない", Control: "GOV-02", What: "targets", Want: 2},
		{Seed: "利用希望の回答…調整を行っていなかった（厚生労働省、農林水産省）", Control: "GOV-03", What: "orgs", Want: 2},
		{Seed: "本来の目的での利用実績が全くないまま廃止", Control: "GOV-04", What: "targets", Want: 1},
		{Seed: "セキュアゾーンに係る支払額（作業請負等契約分）16億6486万余円", Control: "GOV-04", What: "measure", Want: 1664860000},
	}
	return &Replay{Name: "seed 000 (secure zone)", Today: "2019-09-30", FiscalYears: "2017..2019", Bundle: b.json(), Expect: ex}
}
