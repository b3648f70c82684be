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

// treeStore holds the government GOV, its ministries MA (with the bureau
// MA-1 and its office MA-1-1) and MB, on the store given.
func treeStore(t *testing.T, s *store.Store) {
	t.Helper()
	csv := map[string]string{
		"organizations.csv": "code,parent_code,kind,name\n" +
			"GOV,,government,政府\nMA,GOV,ministry,甲省\nMA-1,MA,central,甲省第一局\nMA-1-1,MA-1,branch,甲省第一局支局\nMB,GOV,ministry,乙省\n",
	}
	if _, err := register.Import(t.Context(), s, inputs(csv)); err != nil {
		t.Fatalf("load the fixture: %v", err)
	}
}

// inMATree is the scope of an administrator of ministry MA.
func inMATree(org string) bool { return org == "MA" || strings.HasPrefix(org, "MA-") }

// TestImportOrganizationTree: an import may neither close a parent cycle
// (through stored organizations or within the input alone) nor, for an
// importer whose scope is a subtree, move an organization above or out of
// that subtree. The refusal names the row, the column and the codes, and
// nothing is written. Issue 12, item 1.
func TestImportOrganizationTree(t *testing.T) {
	for _, tc := range []struct {
		name   string
		scoped bool
		files  map[string]string
		// want lists, per problem, substrings it must hold; none: accepted.
		want [][]string
	}{
		// The reproduction: a ministry's administrator puts the ministry
		// under its own bureau.
		{"ministry under its own bureau", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,MA-1,ministry,甲省\n"},
			[][]string{{"row 2", "上位組織コード", "MA", "parent"}}},
		{"ministry under its own bureau, whole government", false, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,MA-1,ministry,甲省\n"},
			[][]string{{"row 2", "上位組織コード", `"MA-1"`, "MA → MA-1 → MA", "循環"}}},
		{"deeper cycle through stored organizations", false, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-1,MA-1-1,central,甲省第一局\n"},
			[][]string{{"row 2", "MA-1 → MA-1-1 → MA-1"}}},
		{"own parent", false, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMB,MB,ministry,乙省\n"},
			[][]string{{"row 2", "MB → MB"}}},
		{"cycle within one batch of new organizations", false, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nX1,X2,central,新局一\nX2,X3,central,新局二\nX3,X1,central,新局三\n"},
			[][]string{{"row 2", "X1 → X2 → X3 → X1"}}},
		{"cycle within one batch, stored and new", false, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMB,N1,ministry,乙省\nN1,MB,central,新局\n"},
			[][]string{{"row 2", "MB → N1 → MB"}}},
		{"cycle within one batch, scoped", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-1,MA-1-1,central,甲省第一局\nMA-1-1,MA-1,branch,甲省第一局支局\n"},
			[][]string{{"row 2", "MA-1 → MA-1-1 → MA-1"}}},
		{"moving the ministry to another ministry", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,MB,ministry,甲省\n"},
			[][]string{{"row 2", "上位組織コード", `組織「MA」`}}},
		{"moving the ministry to the top", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,,ministry,甲省\n"},
			[][]string{{"row 2", `組織「MA」`}}},
		{"moving a bureau out of the ministry", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-1,GOV,central,甲省第一局\n"},
			[][]string{{"row 2", "上位組織コード", "組織「GOV」への取込み権限がありません"}}},
		{"moving an office under the ministry", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-1-1,MA,branch,甲省支局\n"}, nil},
		{"moving an office under a new bureau", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA-2,MA,central,甲省第二局\nMA-1-1,MA-2,branch,甲省第二局支局\n"}, nil},
		{"renaming the ministry", true, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,GOV,ministry,甲省(改称)\n"}, nil},
		{"moving a ministry, whole government", false, map[string]string{
			"organizations.csv": "code,parent_code,kind,name\nMA,MB,ministry,甲省\n"}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				treeStore(t, s)
				before := storetest.Snapshot(t, s)
				opts := register.Options{}
				if tc.scoped {
					opts = register.Options{Allow: inMATree, AllowOrganizations: inMATree}
				}
				_, err := register.ImportScoped(t.Context(), s, inputs(tc.files), opts)
				if tc.want == nil {
					if err != nil {
						t.Fatalf("ImportScoped: %v", err)
					}
					assertNoCycle(t, s)
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
				}
				if after := storetest.Snapshot(t, s); !maps.EqualFunc(before, after, slices.Equal) {
					t.Errorf("a refused import changed the store")
				}
				assertNoCycle(t, s)
			})
		})
	}
}

func assertNoCycle(t *testing.T, s *store.Store) {
	t.Helper()
	cycles, err := s.OrgCycles(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if len(cycles) > 0 {
		t.Errorf("the store holds organization cycles: %v", cycles)
	}
	sub, total, err := s.Subtrees(t.Context(), "GOV")
	if err != nil {
		t.Fatal(err)
	}
	if len(sub) != total {
		t.Errorf("GOV's subtree has %d of %d organizations", len(sub), total)
	}
}
