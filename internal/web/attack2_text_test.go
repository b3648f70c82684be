package web_test

import (
	"log/slog"
	"net/url"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestAttack2NoTextNo500: paths, queries and form fields that are not
// text (bytes that are not UTF-8) are refused or found missing on both
// stores, never a 500 from PostgreSQL's refusal to compare them.
func TestAttack2NoTextNo500(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "officer-ma", "org_security@MA")
		for _, p := range []string{"/systems/%FF", "/workflows/%FF", "/inspections/%FF", "/findings?target=%FF", "/register/systems?q=%FF",
			"/systems?q=%FF", "/register/components?q=%FF", "/register/system_costs?q=%FF", "/workflows?q=%FF", "/audit?target=%FF", "/dashboard?org=%FF"} {
			res := do(h, "GET", p, officer, nil)
			if res.Code >= 500 {
				t.Errorf("GET %s = %d", p, res.Code)
			}
		}
		for _, c := range []struct {
			p string
			f url.Values
		}{
			{"/findings/remediation", url.Values{"control": {"\xff"}, "target": {"\xff"}}},
			{"/systems/SYS-ZZMAZZ/remediation", url.Values{"vuln": {"\xff"}}},
			{"/inspections", url.Values{"scope": {"stage"}, "project": {"\xff"}, "stage": {"requirements"}}},
			{"/inspections", url.Values{"scope": {"fy"}, "org": {"\xff"}, "fiscal_year": {"2026"}}},
			{"/workflows", url.Values{"kind": {"conformity_check"}, "subject": {"\xff"}, "org": {"\xff"}}},
			{"/workflows", url.Values{"kind": {"conformity_check"}, "subject": {"x"}, "org": {"MA"}, "detail-contract_code": {"\xff"}, "detail-planned_contract_on": {"2027-01-01"}}},
			{"/register/new/systems", url.Values{"code": {"\xff"}, "org_code": {"\xff"}}},
		} {
			res := do(h, "POST", c.p, officer, c.f)
			if res.Code >= 500 {
				t.Errorf("POST %s %v = %d", c.p, c.f, res.Code)
			}
		}
	})
}
