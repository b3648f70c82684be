package register_test

import (
	"errors"
	"maps"
	"slices"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// scopeStore holds two ministries under the government: MA (with its
// bureau MA-1) and MB, a system and a component of each ministry, and a
// cloud service that belongs to no one.
func scopeStore(t *testing.T) *store.Store {
	t.Helper()
	s := storetest.OpenSQLite(t)
	csv := map[string]string{
		"organizations.csv": "code,parent_code,kind,name\n" +
			"GOV,,government,政府\nMA,GOV,ministry,甲省\nMA-1,MA,central,甲省第一局\nMB,GOV,ministry,乙省\n",
		"systems.csv": "code,org_code,name,in_register,class,status\n" +
			"SA,MA,甲システム,true,information_system,operating\nSB,MB,乙システム,true,information_system,operating\n",
		"components.csv":     "code,system_code,kind\nKA,SA,server\nKB,SB,server\n",
		"cloud_services.csv": "code,provider,name,ismap_status\nCS1,事業者,サービス,ismap\n",
	}
	if _, err := register.Import(t.Context(), s, inputs(csv)); err != nil {
		t.Fatalf("load the fixture: %v", err)
	}
	return s
}

func inputs(files map[string]string) []register.Input {
	var out []register.Input
	for _, name := range slices.Sorted(maps.Keys(files)) {
		out = append(out, register.Input{Name: name, Data: []byte(files[name])})
	}
	return out
}

// inMA is the scope of a user of ministry MA.
func inMA(org string) bool { return org == "MA" || org == "MA-1" }

// registerCounts sums up the store, to show a refused import wrote nothing.
func registerCounts(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	c, err := s.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestImportScope(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string]string
		// want lists, per problem, substrings its location and messages
		// must hold; none: the import is accepted.
		want [][]string
	}{
		{"own system", map[string]string{"systems.csv": "code,org_code,name,in_register,class,status\nSA2,MA-1,新システム,true,information_system,operating\n"}, nil},
		{"own component and its new system", map[string]string{
			"systems.csv":    "code,org_code,name,in_register,class,status\nSA3,MA,新システム,true,information_system,operating\n",
			"components.csv": "code,system_code,kind\nKA3,SA3,server\nKA4,SA,server\n",
		}, nil},
		{"new organization under own, with its system", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-2,MA,central,甲省第二局\nMA-2-1,MA-2,branch,甲省第二局支局\n",
			"systems.csv":       "code,org_code,name,in_register,class,status\nSA4,MA-2-1,支局システム,true,information_system,operating\n",
		}, nil},
		{"update own organization, parent unchanged", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,GOV,ministry,甲省(改称)\n",
		}, nil},
		// The Board's facts added for issue 10: sightings, subsidies and
		// update histories belong to their organization (or component).
		{"own sighting, subsidy and update history", map[string]string{
			"system_sightings.csv":  "code,org_code,source,system_name\nX1,MA-1,contract,台帳外システム\n",
			"subsidies.csv":         "code,org_code,fiscal_year,program,amount\nSUB1,MA,2016,robustness,1000000\n",
			"component_updates.csv": "component_code,kind,applied_on\nKA,patch,2026-01-05\n",
		}, nil},
		{"sighting at another ministry", map[string]string{
			"system_sightings.csv": "code,org_code,source,system_name\nX2,MB,contract,他省の台帳外システム\n",
		}, [][]string{{"row 2", `"MB"`, "組織「MB」への取込み権限がありません"}}},
		{"subsidy to another ministry", map[string]string{
			"subsidies.csv": "code,org_code,fiscal_year,program\nSUB2,MB,2016,security_cloud\n",
		}, [][]string{{"row 2", `"MB"`, "組織「MB」への取込み権限がありません"}}},
		{"update history of another ministry's component", map[string]string{
			"component_updates.csv": "component_code,kind,applied_on\nKB,patch,2026-01-05\n",
		}, [][]string{{"row 2", "KB", "該当する構成要素がありません"}}},
		{"other ministry's organization code", map[string]string{
			"systems.csv": "code,org_code,name,in_register,class,status\nSX,MB,他省のシステム,true,information_system,operating\n",
		}, [][]string{{"row 2", "所管組織コード", `"MB"`, "組織「MB」への取込み権限がありません", "you may not import into organization"}}},
		{"component on another ministry's stored system", map[string]string{
			"components.csv": "code,system_code,kind\nKX,SB,server\n",
		}, [][]string{{"row 2", "SB", "台帳番号「SB」に該当する情報システムがありません", `no systems record with code "SB"`}}},
		{"cost of another ministry's system", map[string]string{
			"system_costs.csv": "system_code,fiscal_year,kind,amount\nSB,2025,operation,1000\n",
		}, [][]string{{"row 2", "SB", "該当する情報システムがありません"}}},
		{"taking over another ministry's system code", map[string]string{
			"systems.csv": "code,org_code,name,in_register,class,status\nSB,MA,乗っ取り,true,information_system,operating\n",
		}, [][]string{{"row 2", `"SB"`, "取込み権限のない組織で使われています"}}},
		{"moving a component to another ministry's system", map[string]string{
			"components.csv": "code,system_code,kind\nKA,SB,server\n",
		}, [][]string{{"row 2", "SB", "該当する情報システムがありません"}}},
		{"new organization under another ministry", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMB-9,MB,central,乙省新局\n",
		}, [][]string{{"row 2", "上位組織コード", "組織「MB」への取込み権限がありません"}}},
		{"new top-level organization", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nNEW,,ministry,新省\n",
		}, [][]string{{"row 2", "組織「NEW」への取込み権限がありません"}}},
		{"editing another ministry", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMB,GOV,ministry,乙省(改称)\n",
		}, [][]string{{"row 2", "組織「MB」への取込み権限がありません"}}},
		{"moving own bureau under another ministry", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-1,MB,central,甲省第一局\n",
		}, [][]string{{"row 2", "上位組織コード", "組織「MB」への取込み権限がありません"}}},
		{"unknown organization, reported once", map[string]string{
			"systems.csv": "code,org_code,name,in_register,class,status\nSX,NOPE,不明,true,information_system,operating\n",
		}, [][]string{{"row 2", "該当する組織がありません"}}},
		{"new organization under an unknown one, reported once", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nNEW,NOPE,central,新局\n",
		}, [][]string{{"row 2", "該当する組織がありません"}}},
		{"shared catalogue", map[string]string{
			"cloud_services.csv": "code,provider,name,ismap_status\nCS2,事業者,サービス2,ismap\n",
		}, [][]string{{"row 2", "全組織の管理者のみ取り込めます", "belong to no organization"}}},
		{"several at once", map[string]string{
			"systems.csv": "code,org_code,name,in_register,class,status\n" +
				"SA5,MA,自省,true,information_system,operating\n" +
				"SX1,MB,他省,true,information_system,operating\n" +
				"SX2,MB,他省2,true,information_system,operating\n",
			"cloud_services.csv": "code,provider,name,ismap_status\nCS3,事業者,サービス3,ismap\n",
		}, [][]string{{"cloud_services.csv", "row 2"}, {"systems.csv", "row 3", "MB"}, {"systems.csv", "row 4", "MB"}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := scopeStore(t)
			before := registerCounts(t, s)
			res, err := register.ImportScoped(t.Context(), s, inputs(tc.files), register.Options{Allow: inMA})
			if tc.want == nil {
				if err != nil {
					t.Fatalf("ImportScoped: %v", err)
				}
				var n int64
				for _, c := range res.Written {
					n += c
				}
				if n == 0 {
					t.Errorf("nothing written: %v", res.Written)
				}
				return
			}
			probs, ok := errors.AsType[mamori.Problems](err)
			if !ok {
				t.Fatalf("ImportScoped = %v, want problems", err)
			}
			if len(probs) != len(tc.want) {
				t.Fatalf("%d problems, want %d:\n%v", len(probs), len(tc.want), probs)
			}
			for i, p := range probs {
				text := p.Error() + " " + p.Bilingual()
				for _, w := range tc.want[i] {
					if !strings.Contains(text, w) {
						t.Errorf("problem %d %q lacks %q", i, text, w)
					}
				}
				if p.MessageJA == "" || p.Message == "" {
					t.Errorf("problem %d lacks a language: %+v", i, p)
				}
			}
			// Data reached only through the store must not name the
			// organization it belongs to.
			if !strings.Contains(strings.Join(slices.Collect(maps.Values(tc.files)), ""), "MB") {
				if strings.Contains(probs.Error(), "MB") {
					t.Errorf("problems name another ministry not in the input: %v", probs)
				}
			}
			if after := registerCounts(t, s); !maps.Equal(before, after) {
				t.Errorf("a refused import changed the store: %v → %v", before, after)
			}
		})
	}
}

// TestImportUnscoped: without Allow (an administrator over every
// organization) the same records go in.
func TestImportUnscoped(t *testing.T) {
	s := scopeStore(t)
	files := map[string]string{
		"systems.csv":        "code,org_code,name,in_register,class,status\nSX,MB,他省のシステム,true,information_system,operating\n",
		"cloud_services.csv": "code,provider,name,ismap_status\nCS2,事業者,サービス2,ismap\n",
		"organizations.csv":  "code,parent_code,kind,name\nNEW,,ministry,新省\n",
	}
	res, err := register.ImportScoped(t.Context(), s, inputs(files), register.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Written["systems"] != 1 || res.Written["cloud_services"] != 1 || res.Written["organizations"] != 1 {
		t.Errorf("written %v", res.Written)
	}
}

// TestImportOrganizationsNeedAdministrator: with AllowOrganizations
// narrower than Allow (a system officer, not an administrator), the
// importer may load systems of its ministry but not create, change or move
// its organizations.
func TestImportOrganizationsNeedAdministrator(t *testing.T) {
	none := func(string) bool { return false }
	for _, tc := range []struct {
		name  string
		files map[string]string
		ok    bool
	}{
		{"a system of its own ministry", map[string]string{
			"systems.csv": "code,org_code,name,in_register,class,status\nSA9,MA-1,新システム,true,information_system,operating\n"}, true},
		{"a new bureau", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-2,MA,central,甲省第二局\n"}, false},
		{"renaming its bureau", map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-1,MA,central,甲省第一局（改）\n"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := scopeStore(t)
			before := registerCounts(t, s)
			_, err := register.ImportScoped(t.Context(), s, inputs(tc.files), register.Options{Allow: inMA, AllowOrganizations: none})
			if tc.ok {
				if err != nil {
					t.Fatalf("ImportScoped: %v", err)
				}
				return
			}
			if _, ok := errors.AsType[mamori.Problems](err); !ok {
				t.Fatalf("ImportScoped = %v, want problems", err)
			}
			if after := registerCounts(t, s); !maps.Equal(before, after) {
				t.Errorf("a refused import wrote: %v -> %v", before, after)
			}
			// The same file from an administrator of the ministry goes in.
			if _, err := register.ImportScoped(t.Context(), s, inputs(tc.files), register.Options{Allow: inMA, AllowOrganizations: inMA}); err != nil {
				t.Errorf("as an administrator: %v", err)
			}
		})
	}
}
