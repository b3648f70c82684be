package check

import (
	"context"
	"flag"
	"testing"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/store"
)

// benchDB names an existing database to benchmark on, for example one made by
// "mamori demo --scale national --no-serve --db /tmp/n.db". Scale runs are
// behind this flag so "go test ./..." stays fast.
var benchDB = flag.String("bench-db", "", "database for BenchmarkCheck (SQLite path or postgres:// DSN)")

// BenchmarkCheck runs a full assessment (load, evaluate, store) on -bench-db,
// and one system re-check, reporting targets per second.
func BenchmarkCheck(b *testing.B) {
	if *benchDB == "" {
		b.Skip("-bench-db not set")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, *benchDB)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if err := s.Migrate(ctx); err != nil {
		b.Fatal(err)
	}
	cats, err := catalog.Builtin()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("full", func(b *testing.B) {
		var fails int
		for b.Loop() {
			rep, err := Run(ctx, s, cats, Options{Today: "2026-11-01"})
			if err != nil {
				b.Fatal(err)
			}
			fails = len(rep.Fails)
			b.Logf("phases: %v total %v", rep.Phases, rep.Elapsed)
		}
		b.ReportMetric(float64(fails), "findings")
	})
	// "system" is the first system, which in the demo data is a fleet of
	// about 12,000 terminals; "system-typical" is the first with at most 50
	// components, like most systems.
	var sys, typical string
	var codes []string
	err = s.Dump(ctx, mamori.EntityByName("systems"), func(r mamori.Record) error {
		if len(codes) < 200 {
			codes = append(codes, r[0].(string))
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	sys = codes[0]
	for _, c := range codes {
		n := 0
		if err := s.LoadView(ctx, store.TargetComponent, store.ViewScope{System: c, Fields: map[string]bool{}}, func(rows []store.ViewRow) error { n += len(rows); return nil }); err != nil {
			b.Fatal(err)
		}
		if n > 0 && n <= 50 {
			typical = c
			break
		}
	}
	for _, c := range []struct{ name, code string }{{"system", sys}, {"system-typical", typical}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				rep, err := Run(ctx, s, cats, Options{Today: "2026-11-01", System: c.code})
				if err != nil {
					b.Fatal(err)
				}
				b.Logf("%s phases: %v total %v", c.code, rep.Phases, rep.Elapsed)
			}
		})
	}
}

// BenchmarkLoadView times the store's view loads alone, per target type.
func BenchmarkLoadView(b *testing.B) {
	if *benchDB == "" {
		b.Skip("-bench-db not set")
	}
	ctx := context.Background()
	s, err := store.Open(ctx, *benchDB)
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	for _, target := range store.Targets() {
		b.Run(target, func(b *testing.B) {
			var n int
			for b.Loop() {
				n = 0
				if err := s.LoadView(ctx, target, store.ViewScope{}, func(rows []store.ViewRow) error { n += len(rows); return nil }); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(n), "rows")
		})
	}
}
