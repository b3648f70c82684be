package api_test

import (
	"encoding/json"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestProjectsAPI: each ministry sees its own projects and their
// governance view, never the other's (list, detail, a filter on the other's
// organization), every response matches openapi.yaml, and ministry A's
// officer cannot write B's governance records through the register routes
// (a plan item, a survey answer, a share of B's contract, usage of B's
// system) nor point A's records at B's.
func TestProjectsAPI(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		read := fixture(t, st)
		tok := writeTokens(t, st)
		err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			put := func(entity string, rs ...map[string]any) error {
				var recs []mamori.Record
				for _, r := range rs {
					recs = append(recs, rec(entity, r))
				}
				return l.Put(mamori.EntityByName(entity), recs)
			}
			for _, step := range []func() error{
				func() error {
					return put("projects", map[string]any{"code": "PA", "org_code": "A-C", "name": "甲事業", "plan_documented_on": "2025-01-01"},
						map[string]any{"code": "PB", "org_code": "B-C", "name": "乙事業", "go_live_on": "2024-04-01"})
				},
				func() error {
					return put("plan_items", map[string]any{"code": "PA-I1", "project_code": "PA", "kind": "function", "title": "甲機能"})
				},
				func() error {
					return put("contracts", map[string]any{"code": "KB", "org_code": "B-C", "kind": "lease", "title": "乙賃貸借", "vendor": "V社", "project_code": "PB"})
				},
				func() error {
					return put("contract_amounts", map[string]any{"contract_code": "KB", "fiscal_year": int64(2025), "amount": int64(900), "paid": int64(900)})
				},
				func() error {
					return put("capability_usage", map[string]any{"system_code": "SB1", "month": "2025-05-01", "orgs_for_purpose": int64(0)})
				},
			} {
				if err := step(); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		h := api.New(st, nil)
		router := validator(t)
		for _, tc := range []struct {
			who, path string
			want      int
			has       []string
			hasNo     []string
		}{
			{"alice", "/api/v1/projects", 200, []string{`"total": 1`, "PA", "甲事業"}, []string{"PB", "乙"}},
			{"bob", "/api/v1/projects", 200, []string{`"total": 1`, "PB", `"paid": 900`}, []string{"PA", "甲"}},
			{"alice", "/api/v1/projects?org=B-C", 404, nil, []string{"PB"}},
			{"alice", "/api/v1/projects/PA", 200, []string{"PA-I1", "甲機能"}, []string{"乙"}},
			{"alice", "/api/v1/projects/PB", 404, []string{"PB"}, []string{"乙事業", "KB"}},
			{"bob", "/api/v1/projects/PB", 200, []string{"KB", "乙賃貸借"}, []string{"甲"}},
			{"carol", "/api/v1/projects", 200, []string{`"total": 0`}, []string{"PA", "PB"}},
			{"dave", "/api/v1/projects", 200, []string{`"total": 2`}, nil},
		} {
			code, body := get(t, h, router, read[tc.who], tc.path)
			if code != tc.want {
				t.Errorf("%s GET %s = %d, want %d\n%s", tc.who, tc.path, code, tc.want, body)
			}
			for _, s := range tc.has {
				if !contains(body, s) {
					t.Errorf("%s GET %s lacks %q\n%s", tc.who, tc.path, s, body)
				}
			}
			for _, s := range tc.hasNo {
				if contains(body, s) {
					t.Errorf("%s GET %s shows %q\n%s", tc.who, tc.path, s, body)
				}
			}
		}
		// Writes across the tree, through the register routes.
		for _, w := range []struct{ entity, body string }{
			{"plan_items", `{"code": "PB-I9", "project_code": "PB", "kind": "機能", "title": "乗っ取り"}`},
			{"plan_items", `{"code": "PA-I9", "project_code": "PA", "kind": "機能", "title": "他省の取組", "covers_project_code": "PB"}`},
			{"contract_systems", `{"contract_code": "KB", "system_code": "SA1", "share_amount": "1000"}`},
			{"capability_usage", `{"system_code": "SB1", "month": "2025-06-01", "orgs_for_purpose": "5"}`},
			{"surveys", `{"code": "SV9", "org_code": "B-C", "title": "他省の調査", "sent_on": "2025-01-01"}`},
			{"investment_records", `{"project_code": "PB", "kind": "需要の把握", "recorded_on": "2025-01-01", "title": "偽の記録"}`},
			{"budget_contracts", `{"budget_code": "X", "contract_code": "KB"}`},
		} {
			res := send(t, h, nil, tok["officer-a/write"], "POST", "/api/v1/register/"+w.entity, w.body, nil)
			if res.Code < 400 || res.Code >= 500 {
				t.Errorf("officer A POST %s %s = %d, want a refusal\n%s", w.entity, w.body, res.Code, res.Body.String())
			}
		}
		d, ok, err := st.Project(t.Context(), "PB")
		if err != nil || !ok || len(d.Items) != 0 || len(d.CoveredBy) != 0 || len(d.Usage) != 0 || len(d.Surveys) != 0 || len(d.Records) != 0 {
			b, _ := json.Marshal(d)
			t.Errorf("PB after the attempts: %s (%v)", b, err)
		}
	})
}

func contains(s, sub string) bool { return strings.Contains(s, sub) }
