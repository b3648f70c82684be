package web_test

import (
	"log/slog"
	"maps"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// xrefFixture plants, through the store as an import before the scope
// rule did, ministry MA's system SA pointing at ministry MB's person,
// project, standard image, contract and plan, beside MA's own and the
// shared catalogue's data.
func xrefFixture(t *testing.T, s *store.Store) {
	t.Helper()
	put := func(l *store.Loader, entity string, rs ...map[string]any) error {
		var recs []mamori.Record
		for _, r := range rs {
			recs = append(recs, rec(entity, r))
		}
		return l.Put(mamori.EntityByName(entity), recs)
	}
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		steps := []struct {
			entity string
			recs   []map[string]any
		}{
			{"organizations", []map[string]any{{"code": "GOV", "kind": "government", "name": "政府"},
				{"code": "MA", "parent_code": "GOV", "kind": "ministry", "name": "甲省"},
				{"code": "MB", "parent_code": "GOV", "kind": "ministry", "name": "乙省"}}},
			{"people", []map[string]any{{"code": "PA", "org_code": "MA", "name": "甲野太郎", "status": "active"},
				{"code": "PB", "org_code": "MB", "name": "乙川花子", "status": "active"}}},
			{"projects", []map[string]any{{"code": "JB", "org_code": "MB", "name": "乙秘密事業"}}},
			{"cloud_services", []map[string]any{{"code": "CS1", "provider": "事業者", "name": "共通クラウド", "ismap_status": "ismap"}}},
			{"systems", []map[string]any{
				{"code": "SA", "org_code": "MA", "name": "甲システム", "in_register": true, "class": "information_system", "status": "operating",
					"security_officer_code": "PA", "cloud_manager_code": "PB", "project_code": "JB", "cloud_service_code": "CS1"},
				{"code": "SB", "org_code": "MB", "name": "乙秘密システム", "in_register": true, "class": "information_system", "status": "operating"}}},
			{"images", []map[string]any{{"code": "IB", "org_code": "MB", "name": "乙標準イメージ"}, {"code": "IS", "name": "共通標準イメージ"}}},
			{"image_software", []map[string]any{{"image_code": "IB", "vendor": "otsu", "product": "otsu-secret-suite", "version": "1.0"},
				{"image_code": "IS", "vendor": "common", "product": "common-office", "version": "2.0"}}},
			{"components", []map[string]any{{"code": "KA1", "system_code": "SA", "kind": "server", "image_code": "IB"},
				{"code": "KA2", "system_code": "SA", "kind": "server", "image_code": "IS"}}},
			{"contracts", []map[string]any{{"code": "CB", "org_code": "MB", "kind": "maintenance", "title": "乙秘密契約", "vendor": "乙秘密商事"}}},
			{"contract_systems", []map[string]any{{"contract_code": "CB", "system_code": "SA"}}},
			{"plans", []map[string]any{{"code": "PLB", "org_code": "MB", "kind": "audit", "fiscal_year": int64(2025), "title": "乙秘密計画"}}},
			{"plan_systems", []map[string]any{{"plan_code": "PLB", "system_code": "SA"}}},
		}
		for _, st := range steps {
			if err := put(l, st.entity, st.recs...); err != nil {
				return err
			}
		}
		return l.Put(store.VulnMatchesTable, []mamori.Record{
			{store.OwnerImage, "IB", "CVE-2099-0001", "otsu-secret-suite 1.0", "cpe", int64(100), "CVE-2099-0001", nil, "2025-02-01", "2025-03-01", nil, ""},
			{store.OwnerImage, "IS", "CVE-2099-0002", "common-office 2.0", "cpe", int64(100), "CVE-2099-0002", nil, "2025-02-01", "2025-03-01", nil, ""}})
	})
	if err != nil {
		t.Fatalf("load the fixture: %v", err)
	}
}

// TestSystemPageCrossReferences: a viewer of MA sees, on MA's system, the
// codes of MB's person, project, image, contract and plan but none of
// their names, software or vulnerabilities; MA's own and the shared
// catalogue's names show; a viewer of the whole government sees them all.
func TestSystemPageCrossReferences(t *testing.T) {
	secret := []string{"乙川花子", "乙秘密事業", "otsu-secret-suite", "CVE-2099-0001", "乙秘密契約", "乙秘密商事", "乙秘密計画"}
	shown := []string{"甲野太郎", "共通クラウド", "common-office", "CVE-2099-0002", "PB", "JB", "IB", "CB", "PLB"}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		xrefFixture(t, s)
		srv := web.New(s, slog.New(slog.DiscardHandler), "test")
		ma := signIn(t, s, srv, "ma-viewer", "MA")
		body := do(ma, "GET", "/systems/SA", "", nil)
		if body.Code != 200 {
			t.Fatalf("GET /systems/SA = %d", body.Code)
		}
		for _, w := range secret {
			if strings.Contains(body.Body.String(), w) {
				t.Errorf("MA's page shows MB's %q", w)
			}
		}
		for _, w := range shown {
			if !strings.Contains(body.Body.String(), w) {
				t.Errorf("MA's page lacks %q", w)
			}
		}
		all := signIn(t, s, srv, "gov-viewer", "GOV")
		whole := do(all, "GET", "/systems/SA", "", nil).Body.String()
		for _, w := range append(secret, shown...) {
			if !strings.Contains(whole, w) {
				t.Errorf("the whole government's page lacks %q", w)
			}
		}
	})
}

// TestImportOtherMinistryReference: a system officer of MA uploading MA's
// system that names MB's person, project or image gets, on the import
// page, the very table a code that exists nowhere gets, and nothing is
// written.
func TestImportOtherMinistryReference(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		xrefFixture(t, s)
		h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@MA")
		for _, tc := range []struct{ name, file, row, code string }{
			{"person", "systems.csv", "code,org_code,name,in_register,class,status,security_officer_code\nSA,MA,甲システム,true,information_system,operating,%s\n", "PB"},
			{"project", "systems.csv", "code,org_code,name,in_register,class,status,project_code\nSA,MA,甲システム,true,information_system,operating,%s\n", "JB"},
			{"image", "components.csv", "code,system_code,kind,image_code\nKA1,SA,server,%s\n", "IB"},
			{"system", "incidents.csv", "code,org_code,category,detected_on,system_code\nINC1,MA,malware,2026-01-05,%s\n", "SB"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := registerCounts(t, s)
				answer := func(code string) string {
					rec := upload(t, h, "/import", tc.file, []byte(strings.Replace(tc.row, "%s", code, 1)))
					if rec.Code != 422 {
						t.Fatalf("upload with %s = %d, want 422", code, rec.Code)
					}
					rows := problemRows(t, rec.Body.String())
					if len(rows) != 1 {
						t.Fatalf("with %s: problems %q, want one", code, rows)
					}
					return strings.ReplaceAll(rows[0], code, "«code»")
				}
				if got, want := answer(tc.code), answer("ZZ9"); got != want {
					t.Errorf("MB's %s answers\n  %s\nbut a missing code\n  %s", tc.name, got, want)
				}
				if after := registerCounts(t, s); !maps.Equal(before, after) {
					t.Errorf("a refused import changed the store: %v → %v", before, after)
				}
			})
		}
	})
}
