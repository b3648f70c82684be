package app

import (
	"context"
	"fmt"
	"io"
	"time"

	"mamori"
	"mamori/internal/store"
)

// demoGovernance adds three projects of 総務省本省 (M03-C) that tell the
// governance story of seed 000 whole, dated from the demo's reference day:
// a secure-zone-like function added to a common platform under no plan,
// on a survey whose wishes and condition were never followed up, paid for
// under a contract and a share of the platform's lease, never used and
// retired while the lease share ran on; an online-procedures project done
// right (plan items, dated studies, a survey followed up and repeated
// before the contract, monthly use); and one whose officer left the
// evidence blank (未確認 rather than conforming).
func demoGovernance(ctx context.Context, out io.Writer, s *store.Store, today time.Time) error {
	d := func(months int) string { return today.AddDate(0, months, 0).Format(time.DateOnly) }
	first := func(months int) string {
		t := today.AddDate(0, months, 0)
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
	}
	fy := func(months int) int64 {
		t := today.AddDate(0, months, 0)
		if t.Month() < time.April {
			return int64(t.Year() - 1)
		}
		return int64(t.Year())
	}
	// The answering bodies: the ministry's other organizations (its
	// branches, which the demo's seed may number differently), else the
	// central office itself.
	orgs := mamori.EntityByName("organizations")
	recs, _, err := s.Find(ctx, orgs, store.Filter{Where: map[string]string{"parent_code": "M03"}})
	if err != nil {
		return err
	}
	var answering []string
	for _, r := range recs {
		if c, _ := r[orgs.FieldIndex("code")].(string); c != "M03-C" {
			answering = append(answering, c)
		}
	}
	if len(answering) == 0 {
		answering = []string{"M03-C"}
	}
	ans := func(i int) string { return answering[i%len(answering)] }
	type row = map[string]any
	data := []struct {
		entity string
		rows   []row
	}{
		{"projects", []row{
			{"code": "M03-GOV-PF", "org_code": "M03-C", "name": "共通基盤プラットフォーム"},
			{"code": "M03-GOV-SZ", "org_code": "M03-C", "name": "共通基盤 高セキュリティ区画（機能追加）", "go_live_on": d(-30)},
			{"code": "M03-GOV-OL", "org_code": "M03-C", "name": "行政手続オンライン化", "plan_documented_on": d(-40), "go_live_on": d(-24)},
			{"code": "M03-GOV-BL", "org_code": "M03-C", "name": "文書管理システム更改", "plan_documented_on": d(-30), "go_live_on": d(-18)},
		}},
		{"plan_items", []row{
			{"code": "M03-GOV-OL-I1", "project_code": "M03-GOV-OL", "kind": "function", "title": "申請受付機能"},
			{"code": "M03-GOV-OL-I2", "project_code": "M03-GOV-OL", "kind": "budget_line", "title": "整備経費"},
		}},
		{"systems", []row{
			{"code": "M03-GOV-S-PF", "org_code": "M03-C", "name": "共通基盤プラットフォーム", "in_register": true, "class": "information_system",
				"status": "operating", "project_code": "M03-GOV-PF", "go_live_on": d(-80)},
			{"code": "M03-GOV-S-SZ", "org_code": "M03-C", "name": "共通基盤 高セキュリティ区画", "in_register": true, "class": "information_system",
				"status": "retired", "project_code": "M03-GOV-SZ", "go_live_on": d(-30), "retired_on": d(-6)},
			{"code": "M03-GOV-S-OL", "org_code": "M03-C", "name": "行政手続オンライン受付", "in_register": true, "class": "information_system",
				"status": "operating", "project_code": "M03-GOV-OL", "go_live_on": d(-24)},
			{"code": "M03-GOV-S-BL", "org_code": "M03-C", "name": "文書管理システム", "in_register": true, "class": "information_system",
				"status": "operating", "project_code": "M03-GOV-BL", "go_live_on": d(-18)},
		}},
		{"contracts", []row{
			{"code": "M03-GOV-K-LEASE", "org_code": "M03-C", "kind": "lease", "title": "共通基盤 施設・設備賃貸借契約", "vendor": "共通基盤サービス株式会社",
				"contracted_on": d(-42), "start_on": d(-42), "end_on": d(18), "total_amount": int64(856390000), "multi_year": true,
				"obligation_years": int64(5), "obligation_ceiling": int64(860000000), "project_code": "M03-GOV-PF"},
			{"code": "M03-GOV-K-WORK", "org_code": "M03-C", "kind": "development", "title": "高セキュリティ区画 作業請負等契約", "vendor": "区画リース株式会社",
				"contracted_on": d(-37), "start_on": d(-37), "end_on": d(-6), "total_amount": int64(1664865000), "project_code": "M03-GOV-SZ"},
			{"code": "M03-GOV-K-OL", "org_code": "M03-C", "kind": "development", "title": "行政手続オンライン化 設計・開発", "vendor": "オンライン開発株式会社",
				"contracted_on": d(-34), "start_on": d(-34), "end_on": d(-24), "total_amount": int64(420000000), "project_code": "M03-GOV-OL",
				"plan_item_code": "M03-GOV-OL-I1"},
			{"code": "M03-GOV-K-BL", "org_code": "M03-C", "kind": "development", "title": "文書管理システム更改", "vendor": "文書システム株式会社",
				"contracted_on": d(-26), "project_code": "M03-GOV-BL"},
		}},
		{"contract_amounts", []row{
			{"contract_code": "M03-GOV-K-WORK", "fiscal_year": fy(-36), "amount": int64(554955000), "paid": int64(554955000)},
			{"contract_code": "M03-GOV-K-WORK", "fiscal_year": fy(-24), "amount": int64(554955000), "paid": int64(554955000)},
			{"contract_code": "M03-GOV-K-WORK", "fiscal_year": fy(-12), "amount": int64(554955000), "paid": int64(554955000), "paid_through": d(-6)},
			{"contract_code": "M03-GOV-K-OL", "fiscal_year": fy(-30), "amount": int64(420000000), "paid": int64(420000000)},
		}},
		{"contract_systems", []row{
			{"contract_code": "M03-GOV-K-LEASE", "system_code": "M03-GOV-S-PF"},
			{"contract_code": "M03-GOV-K-LEASE", "system_code": "M03-GOV-S-SZ", "share_amount": int64(359480000), "share_paid": int64(222225000), "share_paid_through": d(-3)},
			{"contract_code": "M03-GOV-K-WORK", "system_code": "M03-GOV-S-SZ"},
			{"contract_code": "M03-GOV-K-OL", "system_code": "M03-GOV-S-OL"},
			{"contract_code": "M03-GOV-K-BL", "system_code": "M03-GOV-S-BL"},
		}},
		{"budget_items", []row{
			{"code": "M03-GOV-B-SZ", "org_code": "M03-C", "project_code": "M03-GOV-SZ", "fiscal_year": fy(-40), "kind": "supplementary",
				"title": "高セキュリティ区画の整備（補正予算）", "amount": int64(554955000), "carried_to_fy": fy(-40) + 1, "carried_amount": int64(554955000)},
			{"code": "M03-GOV-B-OL", "org_code": "M03-C", "project_code": "M03-GOV-OL", "fiscal_year": fy(-36), "kind": "initial",
				"title": "行政手続オンライン化", "amount": int64(420000000), "plan_item_code": "M03-GOV-OL-I2"},
		}},
		{"budget_contracts", []row{
			{"budget_code": "M03-GOV-B-SZ", "contract_code": "M03-GOV-K-WORK", "amount": int64(554955000)},
			{"budget_code": "M03-GOV-B-OL", "contract_code": "M03-GOV-K-OL", "amount": int64(420000000)},
		}},
		{"surveys", []row{
			{"code": "M03-GOV-SV-SZ1", "org_code": "M03-C", "project_code": "M03-GOV-SZ", "title": "高セキュリティ区画の利用希望調査", "sent_on": d(-50)},
			{"code": "M03-GOV-SV-SZ2", "org_code": "M03-C", "project_code": "M03-GOV-SZ", "title": "高セキュリティ区画の利用希望調査（再）", "sent_on": d(-32)},
			{"code": "M03-GOV-SV-OL1", "org_code": "M03-C", "project_code": "M03-GOV-OL", "title": "オンライン化の利用見込み調査", "sent_on": d(-44)},
			{"code": "M03-GOV-SV-OL2", "org_code": "M03-C", "project_code": "M03-GOV-OL", "title": "オンライン化の利用見込み調査（契約前の再調査）", "sent_on": d(-37)},
		}},
		{"survey_answers", []row{
			{"code": "M03-GOV-A1", "org_code": ans(0), "fiscal_year": fy(-50), "survey_code": "M03-GOV-SV-SZ1", "topic": "利用希望（3システム）",
				"answered_on": d(-49), "wishes_to_use": true, "conditions": "情報を端末へダウンロードできること"},
			{"code": "M03-GOV-A2", "org_code": ans(1), "fiscal_year": fy(-50), "survey_code": "M03-GOV-SV-SZ1", "topic": "利用希望（1システム）",
				"answered_on": d(-49), "wishes_to_use": true},
			{"code": "M03-GOV-A3", "org_code": ans(0), "fiscal_year": fy(-32), "survey_code": "M03-GOV-SV-SZ2", "topic": "利用希望", "answered_on": d(-31), "wishes_to_use": false},
			{"code": "M03-GOV-A4", "org_code": ans(2), "fiscal_year": fy(-44), "survey_code": "M03-GOV-SV-OL1", "topic": "利用見込み",
				"answered_on": d(-43), "wishes_to_use": true, "followed_up_on": d(-42), "conditions": "既存の認証基盤と連携すること", "condition_followed_up_on": d(-42)},
			{"code": "M03-GOV-A5", "org_code": ans(2), "fiscal_year": fy(-37), "survey_code": "M03-GOV-SV-OL2", "topic": "利用見込み",
				"answered_on": d(-36), "wishes_to_use": true, "followed_up_on": d(-35)},
		}},
		{"investment_records", []row{
			{"project_code": "M03-GOV-OL", "kind": "demand_survey", "recorded_on": d(-41), "title": "利用見込み調査の集計と需要の分析"},
			{"project_code": "M03-GOV-OL", "kind": "usage_estimate", "recorded_on": d(-41), "title": "利用規模の見込み（年間120万件）", "estimated_users": int64(40)},
			{"project_code": "M03-GOV-OL", "kind": "cost_effectiveness", "recorded_on": d(-40), "title": "費用対効果の検討（5年間）"},
		}},
	}
	var usage []row
	for m := -30; m < -6; m++ {
		usage = append(usage, row{"system_code": "M03-GOV-S-SZ", "month": first(m), "orgs_for_purpose": int64(0), "systems_for_purpose": int64(0),
			"other_use": "バージョンアップ・パッチ適用"})
	}
	for m := -24; m < 0; m++ {
		n := int64(12 + (m+24)/2)
		usage = append(usage, row{"system_code": "M03-GOV-S-OL", "month": first(m), "orgs_for_purpose": n, "systems_for_purpose": n / 3})
	}
	data = append(data, struct {
		entity string
		rows   []row
	}{"capability_usage", usage})
	err = s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
		for _, x := range data {
			e := mamori.EntityByName(x.entity)
			recs := make([]mamori.Record, 0, len(x.rows))
			for _, r := range x.rows {
				rec := make(mamori.Record, len(e.Fields))
				for k, v := range r {
					i := e.FieldIndex(k)
					if i < 0 {
						return fmt.Errorf("demo governance: %s has no field %s", x.entity, k)
					}
					rec[i] = v
				}
				recs = append(recs, rec)
			}
			if err := l.Put(e, recs); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("demo governance: %w", err)
	}
	fmt.Fprintln(out, "mamori: governance story in M03-C: M03-GOV-SZ (unplanned, unused, paid after retirement), M03-GOV-OL (done right), M03-GOV-BL (evidence left blank)")
	return nil
}
