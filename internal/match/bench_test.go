package match

import (
	"flag"
	"testing"

	"mamori/internal/store"
)

var benchDB = flag.String("bench-db", "", "database for the match benchmarks (a national demo: mamori demo --scale national --no-serve --db FILE)")

func openBench(b *testing.B) *store.Store {
	if *benchDB == "" {
		b.Skip("needs -bench-db")
	}
	st, err := store.Open(b.Context(), *benchDB)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { st.Close() })
	return st
}

// BenchmarkFind matches every distinct installed product of the data set
// against the index already in the store (reading the index rows the
// inventory reaches, then matching), without writing.
func BenchmarkFind(b *testing.B) {
	st := openBench(b)
	items, _, _, err := loadInventory(b.Context(), st, "")
	if err != nil {
		b.Fatal(err)
	}
	var n int
	var inMemory float64
	for b.Loop() {
		found, t, err := Find(b.Context(), st, items)
		if err != nil {
			b.Fatal(err)
		}
		n, inMemory = len(found), t.Seconds()
	}
	b.ReportMetric(float64(len(items)), "distinct-products")
	b.ReportMetric(float64(n), "matches")
	b.ReportMetric(inMemory*1000, "ms-matching")
}

// BenchmarkRunAll is a full re-match: inventory, index, matching and
// storing what changed (nothing, after the first run).
func BenchmarkRunAll(b *testing.B) {
	st := openBench(b)
	for b.Loop() {
		if _, err := Run(b.Context(), st, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRunSystem re-matches one system's software.
func BenchmarkRunSystem(b *testing.B) {
	st := openBench(b)
	for b.Loop() {
		if _, err := Run(b.Context(), st, Options{System: "P13-M0001-S00001"}); err != nil {
			b.Fatal(err)
		}
	}
}
