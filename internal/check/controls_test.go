package check

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/match"
	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

type row = map[string]any

// fixture is a small government built so that every shipped control has one
// passing and one failing target. The *-OK records pass, the *-NG fail.
var fixture = []struct {
	entity string
	rows   []row
}{
	{"organizations", []row{
		{"code": "GOV", "kind": "government", "name": "政府"},
		{"code": "MIN", "parent_code": "GOV", "kind": "ministry", "name": "省"},
		{"code": "CEN", "parent_code": "MIN", "kind": "central", "name": "本省"},
		{"code": "MUNI-OK", "parent_code": "GOV", "kind": "municipality", "name": "良市",
			"policy_established_on": "2020-01-01", "hardening_completed_on": "2021-01-01", "policy_revised_on": "2022-01-01",
			"csirt_established": true, "csirt_documented": true, "incident_support_needed": true, "incident_support_agreed": true,
			"export_encryption_enforced": true, "encrypted_media_used": true, "mail_sanitized": true, "attachments_sanitized": true,
			"lgwan_split_on": "2017-07-01", "export_exceptions_allowed": true, "export_unblock_by_admin": true,
			"export_approval_enforced": true, "export_approval_obtained": true},
		{"code": "MUNI-NG", "parent_code": "GOV", "kind": "municipality", "name": "悪市",
			"csirt_established": true, "csirt_documented": false, "incident_support_needed": true, "incident_support_agreed": false,
			"export_encryption_enforced": false, "encrypted_media_used": false, "mail_sanitized": false, "attachments_sanitized": true,
			"lgwan_split_on": "2017-07-01", "export_exceptions_allowed": true, "export_approval_enforced": false, "export_approval_obtained": false},
		{"code": "PREF-NG", "parent_code": "GOV", "kind": "prefecture", "name": "悪県", "security_cloud_dns_aggregated": false},
	}},
	{"people", []row{
		{"code": "P-OK", "org_code": "MUNI-OK", "name": "在職 太郎", "status": "active"},
		{"code": "P-LEFT", "org_code": "MUNI-NG", "name": "退職 花子", "status": "left", "left_on": "2025-03-31"},
	}},
	{"role_assignments", []row{
		{"org_code": "MUNI-OK", "role": "ciso", "person_code": "P-OK"},
		{"org_code": "MUNI-OK", "role": "chief_security_officer", "person_code": "P-OK"},
		{"org_code": "MUNI-OK", "role": "audit_officer", "person_code": "P-OK"},
		{"org_code": "MUNI-NG", "role": "ciso", "person_code": "P-LEFT"},
	}},
	{"projects", []row{
		{"code": "PJ-OK", "org_code": "MUNI-OK", "name": "良事業", "plan_documented_on": "2023-04-01", "demand_surveyed": true, "usage_estimated": true,
			"cost_effectiveness_recorded": true, "go_live_on": "2024-04-01", "utilization_percent": int64(60), "utilization_measured_on": "2026-04-01"},
		{"code": "PJ-NG", "org_code": "MUNI-NG", "name": "悪事業", "demand_surveyed": false, "usage_estimated": true,
			"go_live_on": "2024-04-01", "utilization_percent": int64(0), "utilization_measured_on": "2026-04-01"},
	}},
	{"cloud_services", []row{
		{"code": "CS-OK", "provider": "A社", "name": "良クラウド", "ismap_status": "ismap", "valid_until": "2027-12-31", "registration_number": "C21-0001-1"},
		{"code": "CS-NG", "provider": "B社", "name": "悪クラウド", "ismap_status": "none", "registration_number": "C99-0002-1"},
	}},
	{"systems", []row{
		sys("S-OK", "MUNI-OK", row{"managing_section": "情報課", "confidentiality": int64(2), "integrity": int64(2), "availability": int64(2),
			"itbcp_required": true, "security_requirements_defined": true, "security_officer_code": "P-OK", "configuration": "サーバ2台",
			"external_connections": "LGWAN", "operation_info": "保守: X社", "vuln_info_gathered": true, "vuln_measures_applied": true,
			"vuln_measures_recorded": true}),
		sys("S-NG", "MUNI-NG", row{"itbcp_required": true, "security_requirements_defined": false}),
		sys("S-RET-OK", "MUNI-OK", row{"status": "retired", "retired_on": "2025-03-31"}),
		sys("S-RET-NG", "MUNI-NG", row{"status": "retired", "retired_on": "2025-03-31"}),
		sys("S-UNREG", "MUNI-NG", row{"in_register": false, "discovered_from": "contract"}),
		sys("S-CEN-OK", "CEN", row{"managing_section": "課", "system_id": "SID-1", "confidentiality": int64(1), "integrity": int64(1),
			"availability": int64(1), "itbcp_required": true}),
		sys("S-CEN-NG", "CEN", row{"managing_section": "課", "confidentiality": int64(1), "integrity": int64(1), "availability": int64(1)}),
		sys("S-OFF-OK", "CEN", row{"class": "office_equipment", "managing_section": "課"}),
		sys("S-OFF-NG", "CEN", row{"class": "office_equipment", "managing_section": "課"}),
	}},
	{"components", []row{
		{"code": "LW-OK", "system_code": "S-OK", "kind": "terminal", "network_segment": "lgwan", "patched_on": "2026-10-20", "av_definitions_on": "2026-10-31"},
		{"code": "LW-NG", "system_code": "S-NG", "kind": "server", "network_segment": "lgwan", "patched_on": "2026-10-20", "av_definitions_on": "2026-07-01"},
		{"code": "C-OK-SRV", "system_code": "S-OK", "kind": "server", "default_password": false, "network_segment": "internet", "server_role": "web", "in_security_cloud": true, "monitored": true},
		{"code": "C-NG-SRV", "system_code": "S-NG", "kind": "server", "default_password": true, "network_segment": "internet", "server_role": "web", "in_security_cloud": false, "monitored": true},
		{"code": "T-OK", "system_code": "S-OK", "kind": "terminal", "network_segment": "mynumber", "second_factor": true,
			"fallback_password_preset": false, "export_blocking": true, "local_specific_personal_info": true},
		{"code": "T-NG1", "system_code": "S-NG", "kind": "terminal", "network_segment": "mynumber", "second_factor": false,
			"export_blocking": false, "local_specific_personal_info": true},
		{"code": "T-NG2", "system_code": "S-NG", "kind": "terminal", "network_segment": "lgwan", "second_factor": true, "fallback_password_preset": true},
		{"code": "R-OFF-OK", "system_code": "S-OFF-OK", "kind": "recorder", "stores_personal_info": false, "networked": false},
		{"code": "R-OFF-NG", "system_code": "S-OFF-NG", "kind": "recorder", "stores_personal_info": true, "networked": true},
	}},
	{"component_software", []row{
		{"component_code": "C-OK-SRV", "vendor": "openssl", "product": "openssl", "version": "1.0.2k", "cpe": "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"},
		{"component_code": "C-NG-SRV", "vendor": "openssl", "product": "openssl", "version": "1.0.2k", "cpe": "cpe:2.3:a:openssl:openssl:1.0.2k:*:*:*:*:*:*:*"},
	}},
	{"accounts", []row{
		{"system_code": "S-OK", "name": "admin", "person_code": "P-OK", "privileged": true, "shared": false, "enabled": true},
		{"system_code": "S-NG", "name": "admin", "privileged": true, "shared": true, "enabled": true},
		{"system_code": "S-NG", "name": "hanako", "person_code": "P-LEFT", "enabled": true},
	}},
	{"contracts", []row{
		{"code": "K-OK", "org_code": "MUNI-OK", "kind": "outsourcing", "title": "良委託", "vendor": "X社", "verification_specified": true, "project_code": "PJ-OK",
			"subcontracted": true, "subcontract_approved_on": "2026-04-01", "conformity_checked_on": "2026-03-01", "spec_reviewed_on": "2026-03-01",
			"contracted_on": "2026-03-15"},
		{"code": "K-NG", "org_code": "MUNI-NG", "kind": "outsourcing", "title": "悪委託", "vendor": "Y社", "verification_specified": true,
			"subcontracted": true, "conformity_checked_on": "2026-05-01", "contracted_on": "2026-04-01", "project_code": "PJ-NG"},
		{"code": "K-CL-OK", "org_code": "MUNI-OK", "kind": "cloud", "title": "良クラウド利用", "vendor": "A社", "cloud_service_code": "CS-OK",
			"cloud_approved_by": "P-OK", "cloud_approved_on": "2026-04-01", "conformity_checked_on": "2026-03-01", "spec_reviewed_on": "2026-03-01",
			"contracted_on": "2026-03-15"},
		{"code": "K-CL-NG", "org_code": "MUNI-NG", "kind": "cloud", "title": "悪クラウド利用", "vendor": "B社", "cloud_service_code": "CS-NG"},
	}},
	{"contract_clauses", contractClauses()},
	{"contract_verifications", []row{{"contract_code": "K-OK", "verified_on": "2026-09-01", "result": "conforming"}}},
	{"plans", []row{
		plan("PL-OK-EDU", "MUNI-OK", "education", nil),
		plan("PL-OK-AUD", "MUNI-OK", "audit", nil),
		plan("PL-OK-SELF", "MUNI-OK", "self_inspection", nil),
		plan("PL-OK-CRI", "MUNI-OK", "crisis", nil),
		plan("PL-OK-EME", "MUNI-OK", "emergency", row{"covers_targeted_attacks": true, "last_drill_on": "2025-10-01"}),
		plan("PL-OK-BCP", "MUNI-OK", "itbcp", row{"has_recovery_objectives": true, "has_procedures": true, "last_drill_on": "2025-10-01", "reviewed_on": "2025-12-01"}),
		plan("PL-NG-VUL", "MUNI-NG", "vulnerability", nil),
		plan("PL-NG-EME", "MUNI-NG", "emergency", row{"covers_targeted_attacks": false}),
		plan("PL-CEN-BCP", "CEN", "itbcp", row{"has_recovery_objectives": false, "has_procedures": true}),
	}},
	{"plan_systems", []row{
		{"plan_code": "PL-OK-BCP", "system_code": "S-OK"},
		{"plan_code": "PL-CEN-BCP", "system_code": "S-CEN-OK"},
	}},
	{"audits", []row{
		{"code": "AU-OK", "org_code": "MUNI-OK", "fiscal_year": int64(2025), "kind": "out_of_plan", "shared_on": "2025-12-01"},
		{"code": "AU-NG", "org_code": "MUNI-NG", "fiscal_year": int64(2025), "kind": "out_of_plan"},
	}},
	{"audit_findings", []row{
		{"audit_code": "AU-OK", "item_no": int64(1), "title": "新しい指摘", "raised_on": "2026-09-01"},
		{"audit_code": "AU-NG", "item_no": int64(1), "title": "古い指摘", "raised_on": "2024-01-01"},
	}},
	{"log_sources", []row{
		{"system_code": "S-OK", "kind": "authentication", "collected": true, "retention_days": int64(365)},
		{"system_code": "S-NG", "kind": "access", "collected": false},
		{"system_code": "S-CEN-NG", "kind": "access", "collected": true, "retention_days": int64(30)},
	}},
	{"log_reviews", []row{{"system_code": "S-OK", "reviewed_on": "2026-10-01"}}},
	{"access_reviews", []row{{"system_code": "S-OK", "reviewed_on": "2026-06-01"}}},
	{"network_flows", []row{
		{"org_code": "MUNI-OK", "from_segment": "lgwan", "to_segment": "internet", "protocol": "https", "route_restricted": true, "protocol_restricted": true},
		{"org_code": "MUNI-NG", "from_segment": "mynumber", "to_segment": "internet", "protocol": "any"},
	}},
	{"export_exceptions", []row{
		{"code": "EX-OK", "component_code": "T-OK", "granted_on": "2026-10-01", "expires_on": "2026-10-10", "approved_by": "P-OK", "logged": true, "items_recorded": true},
		{"code": "EX-NG", "component_code": "T-NG1", "granted_on": "2026-01-01", "logged": false},
	}},
	{"file_shares", []row{
		{"component_code": "T-OK", "path": `\\srv\ok`, "specific_personal_info": true, "open_to_section": false},
		{"component_code": "T-NG1", "path": `\\srv\ng`, "specific_personal_info": true, "open_to_section": true},
	}},
	{"project_reviews", []row{
		{"project_code": "PJ-OK", "stage": "planning", "self_inspected_on": "2025-05-01", "pmo_reviewed_on": "2025-06-01"},
		{"project_code": "PJ-NG", "stage": "planning", "self_inspected_on": "2025-05-01"},
	}},
	{"incidents", []row{
		{"code": "IN-OK", "org_code": "MUNI-OK", "category": "malware", "detected_on": "2025-07-01"},
		{"code": "IN-OLD", "org_code": "MUNI-NG", "category": "malware", "detected_on": "2025-03-31"}, // FY2024
	}},
	{"budget_items", []row{
		{"code": "B-OK", "org_code": "MUNI-OK", "project_code": "PJ-OK", "fiscal_year": int64(2025), "kind": "initial", "title": "良事業", "amount": int64(1000000)},
		{"code": "B-NG", "org_code": "MUNI-NG", "project_code": "PJ-NG", "fiscal_year": int64(2025), "kind": "supplementary", "title": "悪事業", "amount": int64(2000000)},
	}},
	{"survey_answers", []row{
		{"code": "SV-OK", "org_code": "MUNI-OK", "fiscal_year": int64(2025), "topic": "需要調査", "answered_on": "2025-06-01", "followed_up_on": "2025-09-01"},
		{"code": "SV-NG", "org_code": "MUNI-NG", "fiscal_year": int64(2025), "topic": "需要調査", "answered_on": "2025-06-01"},
	}},
	// GOV-08: K-OK's project surveyed two months before it, K-NG's ten.
	{"surveys", []row{
		{"code": "SU-OK", "org_code": "MUNI-OK", "project_code": "PJ-OK", "title": "利用希望調査", "sent_on": "2026-01-10"},
		{"code": "SU-NG", "org_code": "MUNI-NG", "project_code": "PJ-NG", "title": "利用希望調査", "sent_on": "2025-06-01"},
	}},
	// GOV-09: a lease share paid up to the retirement, and one paid on.
	{"contracts", []row{
		{"code": "K-RET-OK", "org_code": "MUNI-OK", "kind": "lease", "title": "良賃貸借", "vendor": "X社"},
		{"code": "K-RET-NG", "org_code": "MUNI-NG", "kind": "lease", "title": "悪賃貸借", "vendor": "Y社"},
	}},
	{"contract_systems", []row{
		{"contract_code": "K-RET-OK", "system_code": "S-RET-OK", "share_paid": int64(100), "share_paid_through": "2025-03-31"},
		{"contract_code": "K-RET-NG", "system_code": "S-RET-NG", "share_paid": int64(200), "share_paid_through": "2025-06-30"},
	}},
	// PLN-07, PLN-08: MUNI-OK's 2025 course was held and its one required
	// person attended and passed; PREF-NG's 2025 plan delivered nothing,
	// so its one required person did not attend.
	{"people", []row{{"code": "P-NG", "org_code": "PREF-NG", "name": "在職 次郎", "status": "active"}}},
	{"plans", []row{{"code": "PL-PREF-EDU", "org_code": "PREF-NG", "fiscal_year": int64(2025), "kind": "education"}}},
	{"training_courses", []row{
		{"code": "TR-OK", "org_code": "MUNI-OK", "fiscal_year": int64(2025), "kind": "general", "title": "良研修", "plan_code": "PL-OK-EDU",
			"delivered_from": "2025-06-01", "pass_score": int64(70)},
		{"code": "TR-NG", "org_code": "PREF-NG", "fiscal_year": int64(2025), "kind": "general", "title": "悪研修", "plan_code": "PL-PREF-EDU",
			"pass_score": int64(70)},
	}},
	{"training_requirements", []row{
		{"course_code": "TR-OK", "org_code": "MUNI-OK"},
		{"course_code": "TR-NG", "org_code": "PREF-NG"},
	}},
	{"training_attendance", []row{
		{"course_code": "TR-OK", "person_code": "P-OK", "attended_on": "2025-06-01", "test_taken": true, "score": int64(90)},
	}},
}

func sys(code, org string, extra row) row {
	r := row{"code": code, "org_code": org, "name": code, "in_register": true, "discovered_from": "register",
		"class": "information_system", "status": "operating", "hosting": "onpremises"}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

func plan(code, org, kind string, extra row) row {
	r := row{"code": code, "org_code": org, "fiscal_year": int64(2025), "kind": kind, "approved_on": "2025-04-01"}
	for k, v := range extra {
		r[k] = v
	}
	return r
}

func contractClauses() []row {
	var out []row
	for _, k := range []string{"K-OK", "K-CL-OK"} {
		for _, c := range []string{"V1", "V2", "V3", "V4", "V5", "V6", "V7", "T1"} {
			out = append(out, row{"contract_code": k, "clause_code": c})
		}
	}
	return append(out, row{"contract_code": "K-OK", "clause_code": "S1"}, row{"contract_code": "K-OK", "clause_code": "S2"},
		row{"contract_code": "K-CL-OK", "clause_code": "I1"}, row{"contract_code": "K-NG", "clause_code": "V1"},
		row{"contract_code": "K-CL-NG", "clause_code": "V1"})
}

// load writes the fixture through the store's loader.
func load(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		for _, f := range fixture {
			e := mamori.EntityByName(f.entity)
			var recs []mamori.Record
			for _, r := range f.rows {
				rec := make(mamori.Record, len(e.Fields))
				for k, v := range r {
					i := e.FieldIndex(k)
					if i < 0 {
						t.Fatalf("fixture: %s has no field %s", f.entity, k)
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
		t.Fatalf("load fixture: %v", err)
	}
}

// loadVuln stores what a feed import and two match runs would leave: S-OK's
// one vulnerability is planned for, matched last week against current
// feeds; S-NG has one vulnerability without a countermeasure and one whose
// plan is past due, and was last matched two months ago. S-OK's second
// vulnerability is named by its first CVE and planned for under its
// second (a GO- record carrying two CVEs): the plan counts.
func loadVuln(t *testing.T, s *store.Store) {
	t.Helper()
	m := func(owner, vuln string, aliases ...string) mamori.Record {
		var a any
		if len(aliases) > 0 {
			a = strings.Join(aliases, " ")
		}
		return mamori.Record{store.OwnerComponent, owner, vuln, "openssl 1.0.2k", "cpe", int64(90), vuln, nil, "2026-09-01", "2026-10-31", nil, a}
	}
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		return errors.Join(
			l.Put(store.FeedImportsTable, []mamori.Record{{int64(1), "nvd", "nvd.json", "nvd-2.0", int64(2), "", "2026-10-30T00:00:00Z", nil}}),
			l.Put(store.MatchRunsTable, []mamori.Record{
				{int64(1), "2026-09-01T00:00:00Z", "2026-09-01", "", int64(2), int64(3), int64(3), int64(0), nil},
				{int64(2), "2026-10-31T00:00:00Z", "2026-10-31", "S-OK", int64(1), int64(1), int64(0), int64(0), nil},
			}),
			l.Put(store.VulnMatchesTable, []mamori.Record{m("C-OK-SRV", "CVE-2099-0001"), m("C-OK-SRV", "CVE-2099-0011", "CVE-2099-0012", "GO-2099-0011"),
				m("C-NG-SRV", "CVE-2099-0001"), m("C-NG-SRV", "CVE-2099-0002")}),
			l.Put(store.CountermeasuresTable, []mamori.Record{
				{"S-OK", "CVE-2099-0001", "planned", nil, "2026-12-31", nil, "2026-10-01"},
				{"S-OK", "CVE-2099-0012", "planned", nil, "2026-12-31", nil, "2026-10-01"},
				{"S-NG", "CVE-2099-0001", "planned", nil, "2026-10-01", nil, "2026-09-02"},
			}),
		)
	})
	if err != nil {
		t.Fatalf("load vulnerability fixture: %v", err)
	}
}

// statuses runs a full assessment and returns every outcome by control and target.
func statuses(t *testing.T, ctx context.Context, s *store.Store, opts Options, cats ...*catalog.Catalog) (map[[2]string]Status, *Report) {
	t.Helper()
	if cats == nil {
		var err error
		if cats, err = catalog.Builtin(); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	out := map[[2]string]Status{}
	traceHook = func(c, target string, st Status) {
		mu.Lock()
		out[[2]string{c, target}] = st
		mu.Unlock()
	}
	defer func() { traceHook = nil }()
	rep, err := Run(ctx, s, cats, opts)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out, rep
}

func TestControls(t *testing.T) {
	// want is the failing target's outcome: fail, or unknown where the
	// evidence the control needs is missing (counted as failing where the
	// catalog says so).
	cases := []struct {
		control, pass, fail string
		want                Status
	}{
		{"REG-01", "S-OK", "S-UNREG", Fail},
		{"REG-02", "S-OK", "S-NG", Fail},
		{"REG-03", "S-CEN-OK", "S-CEN-NG", Fail},
		{"REG-04", "S-OFF-OK", "S-OFF-NG", Fail},
		{"REG-05", "S-OK", "S-NG", Fail},
		{"VUL-01", "S-OK", "S-NG", Fail},
		{"VUL-02", "S-OK", "S-NG", Fail},
		{"VUL-03", "S-OK", "S-NG", Fail},
		{"VUL-04", "LW-OK", "LW-NG", Fail},
		{"IAM-01", "S-OK", "S-NG", Fail},
		{"IAM-04", "S-OK", "S-NG", Fail},
		{"IAM-05", "T-OK", "T-NG2", Fail},
		{"LOG-01", "S-OK", "S-NG", Fail},
		{"LOG-02", "S-OK", "S-CEN-NG", Unknown},
		{"LOG-03", "S-OK", "S-CEN-NG", Fail},
		{"BCP-01", "S-OK", "S-NG", Fail},
		{"BCP-02", "S-OK", "S-CEN-OK", Fail},
		{"BCP-03", "MUNI-OK", "MUNI-NG", Fail},
		{"OUT-01", "K-OK", "K-NG", Fail},
		{"OUT-02", "K-OK", "K-NG", Fail},
		{"OUT-03", "K-OK", "K-NG", Fail},
		{"OUT-04", "K-OK", "K-NG", Fail},
		{"OUT-05", "K-OK", "K-NG", Fail},
		{"OUT-06", "K-OK", "K-NG", Fail},
		{"OUT-07", "S-OK", "S-NG", Fail},
		{"CLD-01", "K-CL-OK", "K-CL-NG", Fail},
		{"CLD-02", "K-CL-OK", "K-CL-NG", Fail},
		{"CLD-03", "K-CL-OK", "K-CL-NG", Fail},
		{"PLN-01", "MUNI-OK/2025", "MUNI-NG/2025", Fail},
		{"PLN-02", "MUNI-OK/2025", "MUNI-NG/2025", Fail},
		{"PLN-03", "AU-OK", "AU-NG", Fail},
		{"PLN-04", "MUNI-OK", "MUNI-NG", Fail},
		{"PLN-05", "MUNI-OK", "MUNI-NG", Fail},
		{"PLN-06", "MUNI-OK/2025", "MUNI-NG/2025", Fail},
		{"PLN-07", "MUNI-OK/2025", "PREF-NG/2025", Fail},
		{"PLN-08", "MUNI-OK/2025", "PREF-NG/2025", Fail},
		{"GOV-01", "K-OK", "K-NG", Fail},
		{"GOV-02", "PJ-OK", "PJ-NG", Fail},
		{"GOV-03", "MUNI-OK", "MUNI-NG", Fail},
		{"GOV-04", "PJ-OK", "PJ-NG", Fail},
		{"GOV-05", "MUNI-OK/2025", "MUNI-NG/2025", Fail},
		{"GOV-06", "MUNI-OK", "MUNI-NG", Fail},
		{"GOV-07", "B-OK", "B-NG", Fail},
		{"GOV-08", "K-OK", "K-NG", Fail},
		{"GOV-09", "S-RET-OK", "S-RET-NG", Fail},
		{"GOV-10", "PJ-OK", "PJ-NG", Fail},
		{"LG-01", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-02", "T-OK", "T-NG1", Fail},
		{"LG-03", "T-OK", "T-NG1", Fail},
		{"LG-04", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-05", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-06", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-07", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-08", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-09", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-10", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-11", "C-OK-SRV", "C-NG-SRV", Fail},
		{"LG-12", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-13", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-14", "MUNI-OK", "MUNI-NG", Fail},
		{"LG-15", "MUNI-OK/2025", "MUNI-NG/2025", Fail},
		{"LG-16", "MUNI-OK", "PREF-NG", Fail},
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		load(t, s)
		loadVuln(t, s)
		loadCloudLists(t, s)
		got, rep := statuses(t, t.Context(), s, Options{Today: "2026-11-01"})
		tested := map[string]bool{}
		for _, c := range cases {
			tested[c.control] = true
			t.Run(c.control, func(t *testing.T) {
				if st := got[[2]string{c.control, c.pass}]; st != Pass {
					t.Errorf("%s(%s) = %v, want pass", c.control, c.pass, st)
				}
				if st, ok := got[[2]string{c.control, c.fail}]; !ok || st != c.want {
					t.Errorf("%s(%s) = %v, want %v", c.control, c.fail, st, c.want)
				}
			})
		}
		for _, sm := range rep.Summaries {
			if !tested[sm.Control.ID] {
				t.Errorf("control %s has no table test", sm.Control.ID)
			}
			if sm.Errors > 0 {
				t.Errorf("%s: %d run-time errors, first on %s: %s", sm.Control.ID, sm.Errors, sm.FirstErrAt, sm.FirstErr)
			}
		}
	})
}

// TestBackdatedAssessment: a check run for earlier years and an earlier
// date does not resolve what a later assessment found in other years.
func TestBackdatedAssessment(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		load(t, s)
		ctx := t.Context()
		statuses(t, ctx, s, Options{Today: "2026-11-01"})
		statuses(t, ctx, s, Options{Today: "2025-09-12", FiscalYears: []int64{2021, 2022, 2023}})
		fs, err := s.Findings(ctx, store.FindingFilter{ControlID: "PLN-01"})
		if err != nil {
			t.Fatal(err)
		}
		state := map[string]string{}
		for _, f := range fs {
			state[f.TargetCode] = f.Status
		}
		for _, target := range []string{"MUNI-NG/2024", "MUNI-NG/2026", "MUNI-NG/2021", "MUNI-NG/2023"} {
			if state[target] != "open" {
				t.Errorf("PLN-01 %s is %q after a backdated check, want open", target, state[target])
			}
		}
	})
}

// TestScopedReport: the report of one organization's assessment counts
// only that organization's findings, and the report of the whole
// government stays the whole-register assessment's.
func TestScopedReport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		load(t, s)
		ctx := t.Context()
		cats, err := catalog.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		whole, err := Run(ctx, s, cats, Options{Today: "2026-11-01"})
		if err != nil {
			t.Fatal(err)
		}
		sub, err := Run(ctx, s, cats, Options{Today: "2026-11-02", Org: "MUNI-OK"})
		if err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(ctx, s, cats, report.Options{AssessmentID: sub.Assessment.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Controls {
			for _, list := range [][]report.TierCount{c.Tiers, c.Unknown.Tiers, c.Errors.Tiers} {
				for _, tc := range list {
					for _, u := range tc.TargetList {
						if u.OrgCode != "MUNI-OK" {
							t.Errorf("report of MUNI-OK's assessment counts %s %s of %s", c.ID, u.Code, u.OrgCode)
						}
					}
				}
			}
		}
		latest, err := report.Build(ctx, s, cats, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if latest.Assessment != whole.Assessment.ID || !latest.WholeScope {
			t.Errorf("the report is of %s (whole %t), want the whole-register %s", latest.Assessment, latest.WholeScope, whole.Assessment.ID)
		}
	})
}

// TestVulnAliasesAcrossOwners: one vulnerability matched on two components
// of a system with different aliases (an NVD match on one, a GO- record's
// on the other) answers to all of them, whichever row is read first: the
// KEV entry of its second CVE makes VUL-02 fail, and a plan recorded under
// that CVE settles both VUL-01 and VUL-02.
func TestVulnAliasesAcrossOwners(t *testing.T) {
	for _, richFirst := range []bool{true, false} {
		t.Run(fmt.Sprintf("alias-rich-row-first=%v", richFirst), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				load(t, s)
				loadVuln(t, s)
				first, second := "C-OK-SRV", "C-OK-SRV2"
				if !richFirst {
					first, second = second, first
				}
				m := func(owner, aliases string) mamori.Record {
					return mamori.Record{store.OwnerComponent, owner, "CVE-2099-0021", "openssl 1.0.2k", "cpe", int64(90), "CVE-2099-0021", nil, "2026-09-01", "2026-10-31", nil, aliases}
				}
				ce := mamori.EntityByName("components")
				comp := make(mamori.Record, len(ce.Fields))
				comp[ce.FieldIndex("code")], comp[ce.FieldIndex("system_code")], comp[ce.FieldIndex("kind")] = "C-OK-SRV2", "S-OK", "server"
				cs := mamori.EntityByName("component_software")
				sw := make(mamori.Record, len(cs.Fields))
				sw[cs.FieldIndex("component_code")], sw[cs.FieldIndex("vendor")], sw[cs.FieldIndex("product")], sw[cs.FieldIndex("version")] = "C-OK-SRV2", "example", "twocves", "1.9.0"
				err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
					return errors.Join(l.Put(ce, []mamori.Record{comp}), l.Put(cs, []mamori.Record{sw}),
						l.Put(store.VulnMatchesTable, []mamori.Record{m(first, "CVE-2099-0022 GO-2099-0021"), m(second, "GO-2099-0021")}),
						l.Put(store.KEVTable, []mamori.Record{{"CVE-2099-0022", "Example", "twocves", "Example twocves", "2026-10-01", "2026-10-22", nil, "Unknown", nil, nil}}))
				})
				if err != nil {
					t.Fatal(err)
				}
				// The report reached by the second CVE shows the whole
				// exposure (both components), nationally or for the system.
				for _, sc := range []match.Scope{{Vuln: "CVE-2099-0022"}, {System: "S-OK", Vuln: "cve-2099-0022"}} {
					rep, err := match.BuildReport(t.Context(), s, sc)
					if err != nil {
						t.Fatal(err)
					}
					if len(rep.Exposures) != 1 || rep.Exposures[0].Components != 2 || rep.Exposures[0].KEVDue != "2026-10-22" {
						t.Errorf("report %+v: %+v, want CVE-2099-0021 on 2 components, KEV due 2026-10-22", sc, rep.Exposures)
					}
				}
				got, _ := statuses(t, t.Context(), s, Options{Today: "2026-11-01"})
				if st := got[[2]string{"VUL-02", "S-OK"}]; st != Fail {
					t.Errorf("VUL-02(S-OK) = %v, want fail: the second CVE's KEV deadline passed with nothing done", st)
				}
				if err := s.PutCountermeasure(t.Context(), store.Countermeasure{SystemCode: "S-OK", VulnID: "CVE-2099-0022", Kind: "planned", DueOn: "2026-12-31", RecordedOn: "2026-10-15"}); err != nil {
					t.Fatal(err)
				}
				got, _ = statuses(t, t.Context(), s, Options{Today: "2026-11-01"})
				for _, c := range []string{"VUL-01", "VUL-02"} {
					if st := got[[2]string{c, "S-OK"}]; st != Pass {
						t.Errorf("%s(S-OK) = %v after a plan under the alias, want pass", c, st)
					}
				}
			})
		})
	}
}
