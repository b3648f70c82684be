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
	// CloudLists are ISMAP list snapshots imported beside the register.
	CloudLists []struct {
		Kind    string `json:"kind"`
		AsOf    string `json:"as_of"`
		Entries []struct {
			Number     string `json:"registration_number"`
			Service    string `json:"service"`
			Provider   string `json:"provider"`
			ValidUntil string `json:"valid_until"`
		} `json:"entries"`
	} `json:"cloud_lists"`
	Cases []struct {
		Failure  string   `json:"failure"`
		Control  string   `json:"control"`
		Target   string   `json:"target"`
		Want     string   `json:"want"`
		Criteria []string `json:"criteria"`
		// Amount, when given, is the finding's amount in yen.
		Amount *int64 `json:"amount"`
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
				for _, l := range fx.CloudLists {
					var es []store.CloudListEntry
					for i, e := range l.Entries {
						es = append(es, store.CloudListEntry{Row: i + 2, RegistrationNumber: e.Number, Service: e.Service, Provider: e.Provider, ValidUntil: e.ValidUntil})
					}
					if _, err := s.AddCloudList(ctx, store.CloudListSnapshot{Kind: l.Kind, AsOf: l.AsOf, FileName: l.Kind + ".xlsx",
						SHA256: strings.Repeat("0", 64), ImportedBy: "seed"}, es); err != nil {
						t.Fatalf("cloud list: %v", err)
					}
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
				amounts := map[[2]string]*int64{}
				for _, f := range findings {
					criteria[[2]string{f.ControlID, f.TargetCode}] = f.Criteria
					amounts[[2]string{f.ControlID, f.TargetCode}] = f.Amount
				}
				for _, c := range fx.Cases {
					st, ok := got[[2]string{c.Control, c.Target}]
					if !ok && c.Want == NotApplicable.String() {
						continue
					}
					if !ok || st.String() != c.Want {
						t.Errorf("%s: %s(%s) = %v (evaluated %t), want %s", c.Failure, c.Control, c.Target, st, ok, c.Want)
						continue
					}
					if c.Criteria != nil && !slices.Equal(criteria[[2]string{c.Control, c.Target}], c.Criteria) {
						t.Errorf("%s: %s(%s) criteria %v, want %v", c.Failure, c.Control, c.Target, criteria[[2]string{c.Control, c.Target}], c.Criteria)
					}
					if c.Amount != nil {
						if a := amounts[[2]string{c.Control, c.Target}]; a == nil || *a != *c.Amount {
							t.Errorf("%s: %s(%s) amount %v, want %d", c.Failure, c.Control, c.Target, a, *c.Amount)
						}
					}
				}
			})
		})
	}
}
