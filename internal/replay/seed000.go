package replay

import "fmt"

// Seed000 is the Board of Audit's finding on the secure zone of the
// government common platform (seed 000), replayed end to end: 総務省 added
// it to the platform under no project plan (the platform's own plan was
// never written either), with no material showing a demand analysis, a
// usage estimate or a cost-effectiveness study; it asked the ministries in
// August 2015, got wishes from 厚生労働省 (three systems, on condition that
// data could be downloaded to PCs) and 農林水産省 (one system), followed
// neither up, and signed the platform lease (April 2016) and the work
// contract (September 2016) without surveying again. The zone was funded
// by the 平成27年度 supplementary budget, carried over to FY2016; it went
// live in April 2017, the surveys from February 2017 found no wish at all,
// it was never used for its purpose and was retired at the end of FY2018,
// while the lease's share for it was paid through June 2019.
//
// The seed gives the amounts as 余円 (16億6486万余円, 2億2222万余円, total
// 18億8709万余円). The replay records 1,664,865,000 yen for the work
// contract and 222,225,000 yen for the lease's share: both round down to
// the seed's figures and sum to 1,887,090,000 yen, which rounds down to
// 18億8709万. The yearly split of the work contract's payments, the dates
// within a month, the supplementary budget's amount beyond what was spent
// and the lease's payments for the rest of the platform are not in the
// seed: they are blank, or chosen to add up, as marked.
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
	// way in April 2015), and the secure zone none of its own; no plan item
	// anywhere names it. Nothing shows a demand analysis, a usage estimate
	// or a cost-effectiveness study: no investment record, and the
	// project's own answers stay blank.
	b.add("projects", rec{"code": "PJ-GCPF", "org_code": "MIC-C", "name": "政府共通プラットフォーム"})
	b.add("projects", rec{"code": "PJ-SZ", "org_code": "MIC-C", "name": "政府共通プラットフォーム セキュアゾーン（機能追加）",
		"go_live_on": "2017-04-01"})
	// Neither the PJMO's self-inspection nor the PMO's review was ever done.
	for _, st := range []string{"planning", "procurement", "development"} {
		b.add("project_reviews", rec{"project_code": "PJ-SZ", "stage": st})
	}
	b.add("systems", rec{"code": "S-GCPF", "org_code": "MIC-C", "name": "政府共通プラットフォーム", "in_register": true,
		"class": "information_system", "status": "operating", "project_code": "PJ-GCPF", "go_live_on": "2013-03-01"})
	b.add("systems", rec{"code": "S-SZ", "org_code": "MIC-C", "name": "政府共通PF セキュアゾーン", "in_register": true,
		"class": "information_system", "status": "retired", "project_code": "PJ-SZ", "go_live_on": "2017-04-01", "retired_on": "2019-03-31"})
	// The platform lease: five fiscal years under a multi-year obligation,
	// 8億5639万余円 (recorded as 856,390,000), of which the secure zone's
	// share 3億5948万余円 (359,480,000), paid on that share through June
	// 2019. What was paid for the rest of the platform is not in the seed.
	b.add("contracts", rec{"code": "K-LEASE", "org_code": "MIC-C", "kind": "lease", "title": "施設・設備賃貸借契約",
		"vendor": "株式会社エヌ・ティ・ティ・データ", "contracted_on": "2016-04-01", "start_on": "2016-04-01", "end_on": "2021-03-31",
		"total_amount": 856390000, "multi_year": true, "obligation_years": 5, "project_code": "PJ-GCPF"})
	b.add("contract_systems", rec{"contract_code": "K-LEASE", "system_code": "S-GCPF"})
	b.add("contract_systems", rec{"contract_code": "K-LEASE", "system_code": "S-SZ",
		"share_amount": 359480000, "share_paid": 222225000, "share_paid_through": "2019-06-30"})
	// The work contract: 20億0685万余円 at first, shortened by two years in
	// March 2019 to 16億6486万余円 (1,664,865,000), all paid in FY2016–2018;
	// the yearly split is not in the seed (chosen to add up).
	b.add("contracts", rec{"code": "K-WORK", "org_code": "MIC-C", "kind": "development", "title": "作業請負等契約（セキュアゾーン）",
		"vendor": "東京センチュリーリース株式会社", "contracted_on": "2016-09-01", "start_on": "2016-09-01", "end_on": "2019-03-31",
		"total_amount": 1664865000, "project_code": "PJ-SZ"})
	for fy, paid := range map[int]int{2016: 554955000, 2017: 554955000, 2018: 554955000} {
		b.add("contract_amounts", rec{"contract_code": "K-WORK", "fiscal_year": fy, "amount": paid, "paid": paid})
	}
	b.add("contract_systems", rec{"contract_code": "K-WORK", "system_code": "S-SZ"})
	// The 平成27年度 supplementary budget, carried over and spent in FY2016
	// on the work contract; its amount is not in the seed, so the replay
	// records the first year's payment as what was carried over and spent.
	b.add("budget_items", rec{"code": "B-H27-SUP", "org_code": "MIC-C", "project_code": "PJ-SZ", "fiscal_year": 2015,
		"kind": "supplementary", "title": "政府共通プラットフォームにおけるセキュアゾーンの整備", "amount": 554955000,
		"carried_to_fy": 2016, "carried_amount": 554955000})
	b.add("budget_contracts", rec{"budget_code": "B-H27-SUP", "contract_code": "K-WORK", "amount": 554955000})
	// The survey of August 2015: two ministries wished to use it, 厚生労働省
	// on a condition; neither the answers nor the condition were followed
	// up, and nobody was asked again before the contracts of 2016.
	b.add("surveys", rec{"code": "SV-2015-08", "org_code": "MIC-C", "project_code": "PJ-SZ",
		"title": "セキュアゾーンの利用希望調査", "sent_on": "2015-08-01"})
	b.add("survey_answers", rec{"code": "SV-MHLW", "org_code": "MHLW", "fiscal_year": 2015, "survey_code": "SV-2015-08",
		"topic": "セキュアゾーンの利用希望（感染症等の情報を扱う3システム）", "answered_on": "2015-08-31", "wishes_to_use": true,
		"conditions": "情報をPCへダウンロードできること"})
	b.add("survey_answers", rec{"code": "SV-MAFF", "org_code": "MAFF", "fiscal_year": 2015, "survey_code": "SV-2015-08",
		"topic": "セキュアゾーンの利用希望（企業情報等を扱う1システム）", "answered_on": "2015-08-31", "wishes_to_use": true})
	// From February 2017, after both contracts, several surveys of every
	// ministry: no wish at all (the seed gives no count of the rounds; two
	// are recorded, each answered "no" by the two ministries that had
	// wished before).
	for _, sv := range []struct{ code, on string }{{"SV-2017-02", "2017-02-01"}, {"SV-2018-02", "2018-02-01"}} {
		b.add("surveys", rec{"code": sv.code, "org_code": "MIC-C", "project_code": "PJ-SZ", "title": "セキュアゾーンの利用希望調査（全府省）", "sent_on": sv.on})
		for _, org := range []string{"MHLW", "MAFF"} {
			b.add("survey_answers", rec{"code": sv.code + "-" + org, "org_code": org, "fiscal_year": fy(sv.on), "survey_code": sv.code,
				"topic": "セキュアゾーンの利用希望", "answered_on": sv.on[:8] + "28", "wishes_to_use": false})
		}
	}
	// In use from April 2017 to March 2019, for version upgrades and
	// patches of the platform's systems only: no organization and no
	// system ever used it for its purpose.
	for m := 0; m < 24; m++ {
		y, mo := 2017+(3+m)/12, (3+m)%12+1
		b.add("capability_usage", rec{"system_code": "S-SZ", "month": ym(y, mo), "orgs_for_purpose": 0, "systems_for_purpose": 0,
			"other_use": "バージョンアップ・パッチ適用"})
	}

	const work, share = 1664865000, 222225000
	ex := []Expect{
		{Seed: "プロジェクト計画書に記載がなく…（2契約）", Control: "GOV-01", Criterion: "no_plan", What: "targets", Want: 2},
		{Seed: "セキュアゾーンに係る支払額 計18億8709万余円", Control: "GOV-01", Criterion: "no_plan", What: "measure", Want: work + share},
		{Seed: "新規のプロジェクト計画書も政府共通PF全体のプロジェクト計画書も作成されなかった", Control: "GOV-10", What: "targets", Want: 2},
		{Seed: "セキュアゾーンの整備予算は、平成27年度補正予算で措置され", Control: "GOV-07", What: "targets", Want: 1},
		{Seed: "自己点検、PMO…によるヒアリング等の手続は、全く実施されていなかった", Control: "PLN-05", What: "orgs", Want: 1},
		{Seed: "需要の把握、利用規模や費用対効果の検討…を行ったことを示す資料はない", Control: "GOV-02", What: "targets", Want: 2},
		{Seed: "利用希望の回答…調整を行っていなかった（厚生労働省、農林水産省）", Control: "GOV-03", What: "orgs", Want: 2},
		{Seed: "2契約を締結する段階で改めて各府省の利用希望を調査することもしていなかった", Control: "GOV-08", What: "targets", Want: 2},
		{Seed: "本来の目的での利用実績が全くないまま廃止", Control: "GOV-04", What: "targets", Want: 1},
		{Seed: "セキュアゾーンに係る支払額 計18億8709万余円", Control: "GOV-04", What: "measure", Want: work + share},
		{Seed: "施設・設備賃貸借契約のうちセキュアゾーンに係る費用相当額は2億2222万余円（28年度から令和元年6月まで）", Control: "GOV-09", What: "targets", Want: 1},
		{Seed: "施設・設備賃貸借契約のうちセキュアゾーンに係る費用相当額は2億2222万余円", Control: "GOV-09", What: "measure", Want: share},
	}
	return &Replay{Name: "seed 000 (secure zone)", Today: "2019-09-30", FiscalYears: "2017..2019", Bundle: b.json(), Expect: ex}
}

// ym is the first day of a month.
func ym(y, m int) string { return fmt.Sprintf("%04d-%02d-01", y, m) }

// fy is the fiscal year of a date (April–March).
func fy(date string) int {
	var y, m int
	fmt.Sscanf(date, "%d-%d", &y, &m)
	if m < 4 {
		y--
	}
	return y
}
