package store_test

import (
	"fmt"
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var components = mamori.EntityByName("components")

// benchLoad loads one organization, 1,000 systems and 20,000 components in
// one transaction into a fresh store per iteration, and reports rows/s.
func benchLoad(b *testing.B, open func(testing.TB) *store.Store, fresh bool) {
	var syss, comps []mamori.Record
	for i := range 1000 {
		code := fmt.Sprintf("S%05d", i)
		syss = append(syss, system(code, "A"))
		for j := range 20 {
			comps = append(comps, rec(components, map[string]any{"code": fmt.Sprintf("%s-C%03d", code, j),
				"system_code": code, "kind": "terminal", "patched_on": "2026-10-01", "second_factor": true}))
		}
	}
	rows := 0
	for b.Loop() {
		b.StopTimer()
		s := open(b)
		b.StartTimer()
		err := s.Load(b.Context(), store.LoadOptions{Fresh: fresh}, func(l *store.Loader) error {
			if err := l.Put(orgs, []mamori.Record{org("A", "", "本省")}); err != nil {
				return err
			}
			if err := l.Put(systems, syss); err != nil {
				return err
			}
			return l.Put(components, comps)
		})
		if err != nil {
			b.Fatal(err)
		}
		rows += 1 + len(syss) + len(comps)
	}
	b.ReportMetric(float64(rows)/b.Elapsed().Seconds(), "rows/s")
}

func BenchmarkLoadSQLite(b *testing.B)         { benchLoad(b, storetest.OpenSQLite, false) }
func BenchmarkLoadPostgresUpsert(b *testing.B) { benchLoad(b, storetest.OpenPostgres, false) }
func BenchmarkLoadPostgresFresh(b *testing.B)  { benchLoad(b, storetest.OpenPostgres, true) }
