package api_test

import (
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAttackProjectFindingsByCode: a project's page lists the open GOV
// findings of the project, its contracts, budget items and systems. They
// were picked by target code alone, and codes are unique per entity only:
// ministry A's officer who names a new project after ministry B's
// contract, budget item or system (codes B's documents and payments
// print) read B's findings on it, amount and criteria included, on the
// project's page. Found while attacking issue 15.
func TestAttackProjectFindingsByCode(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		read := fixture(t, st)
		tok := writeTokens(t, st)
		err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(mamori.EntityByName("contracts"), []mamori.Record{rec("contracts", map[string]any{"code": "KB",
				"org_code": "B-C", "kind": "lease", "title": "乙賃貸借", "vendor": "V社"})}); err != nil {
				return err
			}
			return l.Put(mamori.EntityByName("budget_items"), []mamori.Record{rec("budget_items", map[string]any{"code": "BB",
				"org_code": "B-C", "fiscal_year": int64(2025), "kind": "initial", "title": "乙予算", "amount": int64(5000)})})
		})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 11, 2, 9, 0, 0, 0, time.UTC)
		secret := int64(777123456)
		err = st.SaveAssessment(t.Context(), store.Assessment{ID: "A2", StartedAt: at, FinishedAt: at, ReferenceDate: "2026-11-02",
			Catalogs: "{}", Params: "{}", Scope: "{}"},
			[]store.ControlResult{{ControlID: "GOV-01", Fail: 1}, {ControlID: "GOV-07", Fail: 1}, {ControlID: "GOV-09", Fail: 1}}, nil,
			store.FindingScope{Controls: []string{"GOV-01", "GOV-07", "GOV-09"}},
			[]store.FindingInput{
				{ControlID: "GOV-01", TargetType: store.TargetContract, TargetCode: "KB", OrgCode: "B-C", Severity: "high",
					Criteria: []string{"no_plan"}, Amount: &secret, Evidence: `{}`},
				{ControlID: "GOV-07", TargetType: store.TargetBudget, TargetCode: "BB", OrgCode: "B-C", Severity: "high",
					Criteria: []string{"no_plan"}, Amount: &secret, Evidence: `{}`},
				{ControlID: "GOV-09", TargetType: store.TargetSystem, TargetCode: "SB1", OrgCode: "B-C", Severity: "medium", Evidence: `{}`},
			})
		if err != nil {
			t.Fatal(err)
		}
		h := api.New(st, nil)
		router := validator(t)
		for _, code := range []string{"KB", "BB", "SB1"} {
			res := send(t, h, nil, tok["officer-a/write"], "POST", "/api/v1/register/projects",
				`{"code": "`+code+`", "org_code": "A-C", "name": "甲の事業`+code+`"}`, nil)
			if res.Code != 201 && res.Code != 200 {
				t.Fatalf("officer A creates project %s = %d %s", code, res.Code, res.Body)
			}
			status, body := get(t, h, router, read["alice"], "/api/v1/projects/"+code)
			if status != 200 {
				t.Fatalf("alice GET project %s = %d %s", code, status, body)
			}
			for _, leak := range []string{"GOV-01", "GOV-07", "GOV-09", "777123456"} {
				if strings.Contains(body, leak) {
					t.Errorf("ministry A's project %s shows ministry B's finding (%s):\n%s", code, leak, body)
				}
			}
		}
		// B's own view of its records is unchanged: the findings are B's.
		fs, err := st.Findings(t.Context(), store.FindingFilter{OrgCode: "B-C"})
		if err != nil || len(fs) < 3 {
			t.Errorf("B's findings: %d, %v", len(fs), err)
		}
	})
}
