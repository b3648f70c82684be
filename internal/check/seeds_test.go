package check

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/catalog"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// seedFixture is one file of testdata/seeds: a small register recorded the
// way an officer would record what a seed document found (blank where the
// seed is silent), and the result the seed implies for each failure.
type seedFixture struct {
	Seed        string          `json:"seed"`
	Today       string          `json:"today"`
	FiscalYears string          `json:"fiscal_years"`
	Register    json.RawMessage `json:"register"`
	Cases       []struct {
		Failure  string   `json:"failure"`
		Control  string   `json:"control"`
		Target   string   `json:"target"`
		Want     string   `json:"want"`
		Criteria []string `json:"criteria"`
	} `json:"cases"`
}

// TestSeedCases imports each seed's fixture through the importer, checks it
// on the seed's date and compares every case, on both stores.
func TestSeedCases(t *testing.T) {
	files, err := filepath.Glob("../../testdata/seeds/*.json")
	if err != nil || len(files) < 5 {
		t.Fatalf("seed fixtures: %v, %d files", err, len(files))
	}
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		var fx seedFixture
		if err := json.Unmarshal(data, &fx); err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		t.Run(filepath.Base(file), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				ctx := t.Context()
				if _, err := register.Import(ctx, s, []register.Input{{Name: filepath.Base(file), Data: fx.Register}}); err != nil {
					t.Fatalf("import: %v", err)
				}
				var years []int64
				from, to, _ := strings.Cut(fx.FiscalYears, "..")
				a, _ := strconv.ParseInt(from, 10, 64)
				b, _ := strconv.ParseInt(to, 10, 64)
				for y := a; y <= b; y++ {
					years = append(years, y)
				}
				got, _ := statuses(t, ctx, s, Options{Today: fx.Today, FiscalYears: years}, cats...)
				findings, err := s.Findings(ctx, store.FindingFilter{Status: "open"})
				if err != nil {
					t.Fatal(err)
				}
				criteria := map[[2]string][]string{}
				for _, f := range findings {
					criteria[[2]string{f.ControlID, f.TargetCode}] = f.Criteria
				}
				for _, c := range fx.Cases {
					st, ok := got[[2]string{c.Control, c.Target}]
					if !ok || st.String() != c.Want {
						t.Errorf("%s: %s(%s) = %v (evaluated %t), want %s", c.Failure, c.Control, c.Target, st, ok, c.Want)
						continue
					}
					if c.Criteria != nil && !slices.Equal(criteria[[2]string{c.Control, c.Target}], c.Criteria) {
						t.Errorf("%s: %s(%s) criteria %v, want %v", c.Failure, c.Control, c.Target, criteria[[2]string{c.Control, c.Target}], c.Criteria)
					}
				}
			})
		})
	}
}
