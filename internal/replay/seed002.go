package replay

import "fmt"

// Seed002 is the Board of Audit's report on the local governments'
// three-layer measures (seed 002): 18 prefectures and 223 municipalities,
// each answering the survey the Board ran, with their My Number terminals,
// LGWAN equipment, Internet servers and flows where the report counts them.
// An answer the report does not give is left blank (the six municipalities
// that had not introduced two-factor authentication say nothing more; nor
// do the bodies outside a count's population). Checked at the end of May
// 2018 (平成30年5月末), the date of the update counts, over FY2018.
func Seed002() *Replay {
	b := newBundle()
	b.add("organizations", rec{"code": "G", "kind": "government", "name": "政府"})
	prefs := codes("P", 1, 18)
	munis := make([]string, 223)
	for i := range munis {
		munis[i] = fmt.Sprintf("M%03d", i+1)
	}
	// in reports whether municipality code is numbered from..to (1-based).
	in := func(code string, from, to int) bool {
		var n int
		fmt.Sscanf(code[1:], "%d", &n)
		return n >= from && n <= to
	}
	policy := func(r rec, established, revised bool, planned any) {
		r["hardening_completed_on"] = "2017-06-30"
		if established {
			r["policy_established_on"] = "2016-04-01"
		}
		if revised {
			r["policy_revised_on"] = "2018-04-01"
		}
		if planned != nil {
			r["policy_revision_planned"] = planned
		}
	}
	for i, p := range prefs {
		r := rec{"code": p, "parent_code": "G", "kind": "prefecture", "name": fmt.Sprintf("都道府県%02d", i+1),
			"security_cloud_joined": true, "security_cloud_dns_aggregated": i != 0}
		policy(r, true, true, nil)
		b.add("organizations", r)
		b.add("subsidies", rec{"code": p + "-SC", "org_code": p, "fiscal_year": 2015, "program": "security_cloud"})
		if i < 10 {
			b.add("subsidies", rec{"code": p + "-RB", "org_code": p, "fiscal_year": 2015, "program": "robustness"})
		}
	}
	for i, m := range munis {
		r := rec{"code": m, "parent_code": prefs[i%18], "kind": "municipality", "name": fmt.Sprintf("市区町村%03d", i+1)}
		set := func(col string, v any) { r[col] = v }
		// 二要素認証: 217 introduced it, 10 of them not on every terminal.
		if in(m, 1, 217) {
			set("two_factor_introduced", true)
			set("two_factor_all_terminals", !in(m, 1, 10))
		}
		// 持出し不可設定: 218 introduced it, 12 of them not on every terminal.
		if in(m, 1, 218) {
			set("export_blocking_introduced", true)
			set("export_blocking_all_terminals", !in(m, 1, 12))
		}
		// Exceptional exports: 203 allow them; 160 have an administrator
		// lift the blocking on request; 62 without expiry, 27 for a month
		// or more (2 both: 87 in all); all 87 can export without approval
		// by system operation, 29 without even obtaining it.
		allowed := in(m, 1, 203)
		set("export_exceptions_allowed", allowed)
		if allowed {
			set("export_unblock_by_admin", in(m, 1, 160))
			set("export_unblock_unlimited", in(m, 1, 62))
			set("export_unblock_month_or_more", in(m, 61, 87))
			if in(m, 1, 87) {
				set("export_approval_enforced", false)
				set("export_approval_obtained", !in(m, 1, 29))
			}
			set("export_logs_kept", !in(m, 1, 44))
			set("export_items_recorded", !in(m, 101, 177))
			set("export_encryption_enforced", !in(m, 1, 81))
			set("encrypted_media_used", !in(m, 100, 155))
		}
		// LGWAN and Internet zones split at 222; of them 4 pass mail
		// bodies and 49 attachments unsanitised.
		if in(m, 1, 222) {
			set("lgwan_split_on", "2017-06-30")
			set("mail_sanitized", !in(m, 1, 4))
			set("attachments_sanitized", !in(m, 5, 53))
		}
		set("security_cloud_joined", in(m, 1, 219))
		if in(m, 1, 77) {
			set("incident_support_needed", true)
			set("incident_support_agreed", !in(m, 1, 11))
		}
		switch {
		case in(m, 1, 3):
			policy(r, false, false, nil)
		case in(m, 4, 43):
			policy(r, true, false, false)
		default:
			policy(r, true, true, nil)
		}
		if in(m, 1, 130) {
			set("csirt_established", true)
			set("csirt_documented", !in(m, 1, 16))
		}
		b.add("organizations", r)
		b.add("subsidies", rec{"code": m + "-RB", "org_code": m, "fiscal_year": 2015, "program": "robustness"})
		if in(m, 1, 27) {
			b.add("subsidies", rec{"code": m + "-SC", "org_code": m, "fiscal_year": 2015, "program": "security_cloud"})
		}

		// The My Number zone: one system and a terminal. Its flags are
		// recorded only where the report speaks of them.
		mn := m + "-MN"
		b.add("systems", rec{"code": mn, "org_code": m, "name": "住民記録システム", "in_register": true, "class": "information_system",
			"status": "operating", "network_segment": "mynumber"})
		term := rec{"code": mn + "-T1", "system_code": mn, "kind": "terminal", "network_segment": "mynumber"}
		if in(m, 11, 132) { // 122 keep 特定個人情報 on local drives
			term["local_specific_personal_info"], term["second_factor"] = true, true
			term["shared_auth_means"] = in(m, 11, 25)
			term["staged_login"] = in(m, 26, 41)
		}
		if in(m, 140, 166) { // 27 pre-set a fallback password
			term["second_factor"], term["fallback_password_preset"] = true, true
		}
		b.add("components", term)
		if in(m, 133, 139) { // 7 share 特定個人情報 with the whole section
			b.add("file_shares", rec{"component_code": mn + "-T1", "path": `\\fs\` + m, "specific_personal_info": true, "open_to_section": true})
		}
		if in(m, 201, 207) { // 7 let some accounts in with shared means alone
			b.add("accounts", rec{"system_code": mn, "name": "kyoyu", "shared": true, "privileged": false, "enabled": true})
		}
		// Flows out of the My Number zone, limited by route and protocol;
		// 4 flows at 3 municipalities reach the Internet zone unlimited.
		b.add("network_flows", rec{"org_code": m, "from_segment": "mynumber", "to_segment": "lgwan", "protocol": "https",
			"route_restricted": true, "protocol_restricted": true})
		if in(m, 1, 3) {
			b.add("network_flows", rec{"org_code": m, "from_segment": "mynumber", "to_segment": "internet", "protocol": "https",
				"route_restricted": false, "protocol_restricted": false})
		}
		if in(m, 1, 1) {
			b.add("network_flows", rec{"org_code": m, "from_segment": "internet", "to_segment": "mynumber", "protocol": "smtp",
				"route_restricted": false, "protocol_restricted": false})
		}
		// The LGWAN zone: a terminal whose updates stopped or not. At the
		// end of May 2018, 54 had not applied patches for a month (29 of
		// them last in the month before the split), 14 no definitions (9).
		lg := m + "-LG"
		b.add("systems", rec{"code": lg, "org_code": m, "name": "財務会計システム", "in_register": true, "class": "information_system",
			"status": "operating", "network_segment": "lgwan"})
		patched, av := "2018-05-20", "2018-05-28"
		switch {
		case in(m, 1, 29):
			patched = "2017-06-15"
		case in(m, 30, 54):
			patched = "2017-01-10"
		}
		switch {
		case in(m, 101, 109):
			av = "2017-06-20"
		case in(m, 110, 114):
			av = "2016-12-01"
		}
		b.add("components", rec{"code": lg + "-T1", "system_code": lg, "kind": "terminal", "network_segment": "lgwan",
			"patched_on": patched, "av_definitions_on": av})
		// The Internet zone: a web and an external DNS server at the 219
		// municipalities connected to the security cloud; 26 keep the web
		// server and 44 the DNS server outside it, 6 web servers unmonitored.
		if in(m, 1, 219) {
			in := m + "-IN"
			b.add("systems", rec{"code": in, "org_code": m, "name": "ホームページ", "in_register": true, "class": "information_system",
				"status": "operating", "network_segment": "internet"})
			web := !inRange(m, 1, 26)
			b.add("components", rec{"code": in + "-WEB", "system_code": in, "kind": "server", "server_role": "web", "network_segment": "internet",
				"in_security_cloud": web, "monitored": web || !inRange(m, 1, 6), "default_password": false})
			dns := !inRange(m, 30, 73)
			b.add("components", rec{"code": in + "-DNS", "system_code": in, "kind": "server", "server_role": "dns", "network_segment": "internet",
				"in_security_cloud": dns, "monitored": true, "default_password": false})
		}
		// Emergency plans that cover targeted attacks, drilled: 28.
		if in(m, 1, 28) {
			b.add("plans", rec{"code": m + "-EMG", "org_code": m, "fiscal_year": 2018, "kind": "emergency", "covers_targeted_attacks": true,
				"last_drill_on": "2018-05-10"})
		}
	}

	var ex []Expect
	x := func(seed, control, criterion, tally, tier, what string, want int64) {
		ex = append(ex, Expect{Seed: seed, Control: control, Criterion: criterion, Tally: tally, Tier: tier, What: what, Want: want})
	}
	x("18都道府県の全てがセキュリティクラウド事業を実施", "subsidy:security_cloud", "", "", "prefecture", "orgs", 18)
	x("このうち10都道府県は強じん性向上事業にも交付", "subsidy:robustness", "", "", "prefecture", "orgs", 10)
	x("223市区町村の全てが強じん性向上事業を実施", "subsidy:robustness", "", "", "municipality", "orgs", 223)
	x("このうち27市区町村はセキュリティクラウド事業にも交付", "subsidy:security_cloud", "", "", "municipality", "orgs", 27)
	x("二要素認証を導入していた217市区町村", "LG-01", "", "introduced", "municipality", "orgs", 217)
	x("全てに導入する予定があるとしていないものが10市区町村", "LG-01", "not_all", "", "municipality", "orgs", 10)
	x("27市区町村は…パスワードをあらかじめ設定", "IAM-05", "", "", "municipality", "orgs", 27)
	x("7市区町村は…共有している認証の手段のみで…ログインが可能", "IAM-04", "shared_means", "", "municipality", "orgs", 7)
	x("特定個人情報を…ローカルドライブ等に保存していた122市区町村", "LG-02", "", "", "municipality", "applicable_orgs", 122)
	x("15市区町村では、共有している認証の手段のみで端末にログイン", "LG-02", "shared_means", "", "municipality", "orgs", 15)
	x("16市区町村では、段階的な認証方法…一要素による認証で", "LG-02", "staged", "", "municipality", "orgs", 16)
	x("7市区町村では、…共有フォルダに保存されている特定個人情報にアクセス", "LG-03", "", "", "municipality", "orgs", 7)
	x("情報持出し不可設定を導入していた218市区町村", "LG-04", "", "introduced", "municipality", "orgs", 218)
	x("全てに導入する予定があるとしていないものが12市区町村", "LG-04", "not_all", "", "municipality", "orgs", 12)
	x("例外的な情報持出しを認めている203市区町村", "LG-05", "", "", "municipality", "applicable_orgs", 203)
	x("このうち、160市区町村では、管理者権限を持つ職員等が…解除", "LG-05", "", "by_admin", "municipality", "orgs", 160)
	x("期限を設けることなく解除…62市区町村", "LG-05", "unlimited", "", "municipality", "orgs", 62)
	x("解除期間を1か月以上としているもの27市区町村", "LG-05", "month_or_more", "", "municipality", "orgs", 27)
	x("純計87市区町村", "LG-05", "", "", "municipality", "orgs", 87)
	x("87市区町村…許可がなくても情報を持ち出すシステム操作ができる", "LG-06", "not_enforced", "", "municipality", "orgs", 87)
	x("このうち29市区町村では…許可を得る運用もしていない", "LG-06", "no_approval", "", "municipality", "orgs", 29)
	x("44市区町村では…ログを保存していない", "LG-07", "no_logs", "", "municipality", "orgs", 44)
	x("持出物等の記録…77市区町村が記録していない", "LG-07", "no_record", "", "municipality", "orgs", 77)
	x("81市区町村は暗号化の実施を職員が任意で", "LG-08", "voluntary", "", "municipality", "orgs", 81)
	x("56市区町村は…暗号化機能を備える外部記憶媒体を使用するなどしていなかった", "LG-08", "no_capable_media", "", "municipality", "orgs", 56)
	x("223市区町村の領域間で行われている通信", "LG-09", "", "", "municipality", "applicable_orgs", 223)
	x("3市区町村の…マイナンバー利用事務系とインターネット接続系との間", "LG-09", "mynumber_internet", "", "municipality", "orgs", 3)
	x("延べ4件", "LG-09", "mynumber_internet", "", "", "measure", 4)
	x("分割が行われている222市区町村", "LG-10", "", "", "municipality", "applicable_orgs", 222)
	x("無害化することなくメール本文を転送…4市区町村", "LG-10", "body", "", "municipality", "orgs", 4)
	x("添付ファイル等を転送又は収受…49市区町村", "LG-10", "attachments", "", "municipality", "orgs", 49)
	x("更新プログラムを適用していないのが…54市区町村", "VUL-04", "patches", "", "municipality", "orgs", 54)
	x("ウイルス対策ソフトの更新データを適用していないのが…14市区町村", "VUL-04", "av_definitions", "", "municipality", "orgs", 14)
	x("29市区町村は…分割後に適用を行わなくなっていた", "VUL-04", "patches_stopped", "", "municipality", "orgs", 29)
	x("9市区町村は…分割後に適用を行わなくなっていた", "VUL-04", "av_stopped", "", "municipality", "orgs", 9)
	x("外部DNSサーバについて1都道府県で集約化のための設備を整備していない", "LG-16", "dns_equipment", "", "prefecture", "orgs", 1)
	x("自治体情報セキュリティクラウドへ接続している237地方公共団体", "LG-16", "", "joined", "", "orgs", 237)
	x("Webサーバについては26地方公共団体…集約及び監視が行われていない", "LG-11", "web_outside", "", "", "orgs", 26)
	x("外部DNSサーバについては44地方公共団体", "LG-11", "dns_outside", "", "", "orgs", 44)
	x("専門人材による監視・分析を行っていない…6地方公共団体", "LG-11", "unmonitored", "", "", "orgs", 6)
	x("「端末等を特定するために事業者等の支援等が必要」とする77地方公共団体", "LG-12", "", "", "", "applicable_orgs", 77)
	x("このうち11地方公共団体は…役割の確認…を行っていない", "LG-12", "", "", "", "orgs", 11)
	x("対策基準を策定していなかったものが3地方公共団体", "LG-13", "no_policy", "", "", "orgs", 3)
	x("改定の予定を未定としていたものが40地方公共団体", "LG-13", "not_revised", "", "", "orgs", 40)
	x("CSIRTを設置した130地方公共団体", "LG-14", "", "established", "", "orgs", 130)
	x("このうち16地方公共団体はCSIRTの要員及び機能について文書化していない", "LG-14", "undocumented", "", "", "orgs", 16)
	x("緊急時対応計画…標的型攻撃…訓練を実施したのは28地方公共団体にとどまっていた", "LG-15", "", "", "", "conforming_orgs", 28)
	return &Replay{Name: "seed 002 (local governments)", Today: "2018-05-31", FiscalYears: "2018..2018", Bundle: b.json(), Expect: ex}
}

// inRange reports whether a municipality code M<n> has from <= n <= to.
func inRange(code string, from, to int) bool {
	var n int
	fmt.Sscanf(code[1:], "%d", &n)
	return n >= from && n <= to
}
