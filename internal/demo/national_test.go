package demo

import (
	"flag"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var (
	national      = flag.Bool("national", false, "generate the national scale once and report its time and size")
	nationalStore = flag.String("national.store", "sqlite", "store for -national: sqlite or postgres (needs "+storetest.EnvPostgres+")")
)

// TestNational generates the national data set, for measuring; it runs only
// with -national:
//
//	go test ./internal/demo -run TestNational -national -v -timeout 30m
//	go test ./internal/demo -run TestNational -national -national.store postgres -v -timeout 30m
func TestNational(t *testing.T) {
	if !*national {
		t.Skip("run with -national")
	}
	dsn := filepath.Join(t.TempDir(), "national.db")
	if *nationalStore == "postgres" {
		dsn = storetest.PostgresDSN(t)
	}
	s, err := store.Open(t.Context(), dsn)
	if err != nil {
		t.Fatalf("store.Open: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatalf("Migrate: %v", err)
	}
	st, err := Generate(t.Context(), s, Options{Scale: National, Seed: 1})
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	var total int64
	names := make([]string, 0, len(st.Counts))
	for _, e := range mamori.Entities {
		names = append(names, e.Name)
	}
	slices.Sort(names)
	for _, n := range names {
		t.Logf("%-24s %10d", n, st.Counts[n])
		total += st.Counts[n]
	}
	t.Logf("national into %s: %d records in %v (%.0f records/s)", *nationalStore, total, st.Elapsed, float64(total)/st.Elapsed.Seconds())
	if *nationalStore != "postgres" {
		// The WAL still holds the load until the last connection closes and
		// checkpoints it, so report both files.
		size := func(p string) float64 {
			fi, err := os.Stat(p)
			if err != nil {
				return 0
			}
			return float64(fi.Size()) / (1 << 20)
		}
		t.Logf("SQLite file: %.1f MiB, WAL %.1f MiB", size(dsn), size(dsn+"-wal"))
	}
}
