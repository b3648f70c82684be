package register_test

import (
	"errors"
	"maps"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// xrefFixture loads two ministries, MA and MB, each with a person, a
// project, a standard image, a system and a component, and the shared
// data that belongs to no ministry: a cloud service and an image without
// an organization (the central catalogue).
func xrefFixture(t *testing.T, s *store.Store) {
	t.Helper()
	csv := map[string]string{
		"organizations.csv": "code,parent_code,kind,name\n" +
			"GOV,,government,政府\nMA,GOV,ministry,甲省\nMA-1,MA,central,甲省第一局\nMB,GOV,ministry,乙省\n",
		"people.csv":         "code,org_code,name,status\nPA,MA,甲野太郎,active\nPB,MB,乙川花子,active\n",
		"projects.csv":       "code,org_code,name\nJA,MA,甲事業\nJB,MB,乙秘密事業\n",
		"images.csv":         "code,org_code,name\nIA,MA,甲標準イメージ\nIB,MB,乙標準イメージ\nIS,,共通標準イメージ\n",
		"image_software.csv": "image_code,product\nIA,甲ソフト\nIB,乙秘密ソフト\nIS,共通ソフト\n",
		"systems.csv": "code,org_code,name,in_register,class,status\n" +
			"SA,MA,甲システム,true,information_system,operating\nSB,MB,乙秘密システム,true,information_system,operating\n",
		"components.csv":     "code,system_code,kind\nKA,SA,server\nKB,SB,server\n",
		"cloud_services.csv": "code,provider,name,ismap_status\nCS1,事業者,共通クラウド,ismap\n",
	}
	if _, err := register.Import(t.Context(), s, inputs(csv)); err != nil {
		t.Fatalf("load the fixture: %v", err)
	}
}

// TestImportOptionalRefsInScope: a system officer of MA may point A's
// records at A's people, projects, images and systems, and at shared data,
// but a reference to MB's answers exactly as a code that does not exist
// (same message, apart from the code itself), so B's sequential codes
// cannot be harvested through imports.
func TestImportOptionalRefsInScope(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		xrefFixture(t, s)
		sys := "code,org_code,name,in_register,class,status,security_officer_code,cloud_manager_code,project_code,cloud_service_code\n"
		for _, tc := range []struct {
			name   string
			files  map[string]string
			target string // the entity refused, "" when the import is accepted
		}{
			{"own people, project and shared cloud service", map[string]string{
				"systems.csv": sys + "SA2,MA-1,新システム,true,information_system,operating,PA,PA,JA,CS1\n"}, ""},
			{"own and shared images", map[string]string{
				"components.csv": "code,system_code,kind,image_code\nKA2,SA,server,IA\nKA3,SA,server,IS\n"}, ""},
			{"own system in a sighting, an incident, an audit finding", map[string]string{
				"system_sightings.csv": "code,org_code,source,system_code\nX1,MA,contract,SA\n",
				"incidents.csv":        "code,org_code,category,detected_on,system_code\nINC1,MA,malware,2026-01-05,SA\n",
				"audits.csv":           "code,org_code,fiscal_year,kind\nAU1,MA,2025,planned\n",
				"audit_findings.csv":   "audit_code,item_no,title,raised_on,system_code\nAU1,1,指摘,2026-01-05,SA\n",
			}, ""},
			{"other ministry's security officer", map[string]string{
				"systems.csv": sys + "SA2,MA,新システム,true,information_system,operating,PB,,,\n"}, "people"},
			{"other ministry's cloud manager", map[string]string{
				"systems.csv": sys + "SA,MA,甲システム,true,information_system,operating,,PB,,\n"}, "people"},
			{"other ministry's project", map[string]string{
				"systems.csv": sys + "SA,MA,甲システム,true,information_system,operating,,,JB,\n"}, "projects"},
			{"other ministry's image", map[string]string{
				"components.csv": "code,system_code,kind,image_code\nKA,SA,server,IB\n"}, "images"},
			{"other ministry's system in a sighting", map[string]string{
				"system_sightings.csv": "code,org_code,source,system_code\nX2,MA,contract,SB\n"}, "systems"},
			{"other ministry's system in an incident", map[string]string{
				"incidents.csv": "code,org_code,category,detected_on,system_code\nINC2,MA,malware,2026-01-05,SB\n"}, "systems"},
			{"other ministry's person on an account", map[string]string{
				"accounts.csv": "system_code,name,enabled,person_code\nSA,user1,true,PB\n"}, "people"},
			{"other ministry's person approving a contract", map[string]string{
				"contracts.csv": "code,org_code,kind,title,vendor,cloud_approved_by,project_code\nCA,MA,cloud,契約,業者,PB,\n"}, "people"},
			{"other ministry's project in a budget item", map[string]string{
				"budget_items.csv": "code,org_code,fiscal_year,kind,title,amount,project_code\nBA,MA,2025,request,予算,1000,JB\n"}, "projects"},
			{"other ministry's person approving an export", map[string]string{
				"export_exceptions.csv": "code,component_code,granted_on,person_code,approved_by\nE1,KA,2026-01-05,PA,PB\n"}, "people"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				before := registerCounts(t, s)
				_, err := register.ImportScoped(t.Context(), s, inputs(tc.files), register.Options{Allow: inMA})
				if tc.target == "" {
					if err != nil {
						t.Fatalf("ImportScoped: %v", err)
					}
					return
				}
				got, ok := errors.AsType[mamori.Problems](err)
				if !ok || len(got) != 1 {
					t.Fatalf("ImportScoped = %v, want one problem", err)
				}
				if after := registerCounts(t, s); !maps.Equal(before, after) {
					t.Errorf("a refused import changed the store: %v → %v", before, after)
				}
				// The same file with the code of nothing at all.
				ghost := map[string]string{}
				for name, data := range tc.files {
					for _, c := range []string{"PB", "JB", "IB", "SB"} {
						data = strings.ReplaceAll(data, ","+c+",", ",ZZ9,")
						data = strings.ReplaceAll(data, ","+c+"\n", ",ZZ9\n")
					}
					ghost[name] = data
				}
				_, gerr := register.ImportScoped(t.Context(), s, inputs(ghost), register.Options{Allow: inMA})
				want, ok := errors.AsType[mamori.Problems](gerr)
				if !ok || len(want) != 1 {
					t.Fatalf("with a code that does not exist: %v, want one problem", gerr)
				}
				mask := func(p *mamori.Error) string {
					text := p.Error() + " | " + p.Bilingual()
					for _, c := range []string{"PB", "JB", "IB", "SB", "ZZ9"} {
						text = strings.ReplaceAll(text, `"`+c+`"`, "«code»")
						text = strings.ReplaceAll(text, "「"+c+"」", "«code»")
						text = strings.ReplaceAll(text, "="+c, "=«code»")
						text = strings.ReplaceAll(text, " "+c, " «code»")
					}
					return text
				}
				if g, w := mask(got[0]), mask(want[0]); g != w {
					t.Errorf("another ministry's record answers\n  %s\nbut a missing one\n  %s", g, w)
				}
				if !strings.Contains(got[0].MessageJA, "該当する"+mamori.EntityByName(tc.target).JA+"がありません") {
					t.Errorf("problem %q, want the message of a missing %s", got[0].MessageJA, tc.target)
				}
			})
		}
	})
}

// TestImportOptionalRefAndOwner: a row that names another ministry as its
// organization and a person who does not exist gets both problems, as
// before references were kept in scope.
func TestImportOptionalRefAndOwner(t *testing.T) {
	s := storetest.OpenSQLite(t)
	xrefFixture(t, s)
	files := map[string]string{"systems.csv": "code,org_code,name,in_register,class,status,security_officer_code\nSX,MB,x,true,information_system,operating,ZZ9\n"}
	_, err := register.ImportScoped(t.Context(), s, inputs(files), register.Options{Allow: inMA})
	probs, ok := errors.AsType[mamori.Problems](err)
	if !ok || len(probs) != 2 {
		t.Fatalf("ImportScoped = %v, want two problems", err)
	}
	if !strings.Contains(probs[0].MessageJA, "該当する職員がありません") || !strings.Contains(probs[1].MessageJA, "組織「MB」への取込み権限がありません") {
		t.Errorf("problems %v", probs)
	}
}
