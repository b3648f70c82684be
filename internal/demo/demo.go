// Package demo generates a realistic, deterministic data set of Japanese
// government information systems — ministries and their branches,
// independent agencies, prefectures and municipalities, with their systems,
// components, software images, contracts, plans, audits and the rest of the
// register — seeded with the defects the Board of Audit and the other seed
// documents found, at their observed rates, so that every check has
// something realistic to find. It is used by `mamori demo`, by tests and by
// benchmarks.
//
// The same seed, scale and reference date always give byte-identical data.
// Generation writes straight into a store in one transaction, chunk by chunk,
// so memory stays bounded at the national scale (3,000,000 components).
package demo

import (
	"context"
	"strings"
	"time"

	"mamori"
	"mamori/internal/store"
)

// Scale is the size of the generated data set.
type Scale string

// The scales.
const (
	// Small is one ministry with its central office and two branches, one
	// agency, and one prefecture with three municipalities: about 10
	// organizations, 60 systems and 600 components. Tests use it.
	Small Scale = "small"
	// City is a prefecture with its 42 municipalities, a ministry with its
	// branches and three agencies: about 60 organizations, 3,000 systems and
	// 40,000 components.
	City Scale = "city"
	// National is the whole of Japan: about 1,900 organizations, 200,000
	// systems and 3,000,000 components.
	National Scale = "national"
)

// Options control a generation.
type Options struct {
	Scale Scale
	Seed  uint64
	// Today is the reference date that "recent" and "stale" are measured
	// from; the zero value means 2026-11-01. Only its calendar date counts.
	Today time.Time
}

// Stats report what a generation wrote.
type Stats struct {
	Counts  map[string]int64 // records per entity
	Elapsed time.Duration
}

// defaultToday is the reference date used when Options.Today is zero.
func defaultToday() time.Time { return time.Date(2026, time.November, 1, 0, 0, 0, 0, time.UTC) }

// ParseScale parses a scale name: small, city or national.
func ParseScale(s string) (Scale, error) {
	switch sc := Scale(strings.ToLower(strings.TrimSpace(s))); sc {
	case Small, City, National:
		return sc, nil
	}
	return "", mamori.Errorf(mamori.Invalid, "規模「%s」は指定できません（small、city、national のいずれか）",
		"unknown scale %q (want small, city or national)", s)
}

// Generate fills an empty store with a generated data set, in one
// transaction: on any error or cancellation nothing is written.
func Generate(ctx context.Context, s *store.Store, opts Options) (Stats, error) {
	start := time.Now()
	scale, err := ParseScale(string(opts.Scale))
	if err != nil {
		return Stats{}, err
	}
	counts, err := s.Counts(ctx)
	if err != nil {
		return Stats{}, err
	}
	for _, e := range mamori.Entities {
		if n := counts[e.Name]; n > 0 && !e.Reference {
			return Stats{}, mamori.Errorf(mamori.Conflict, "データベースが空ではありません（%s: %d件）。デモデータは空のデータベースにのみ生成できます",
				"the database is not empty (%s has %d records); demo data can only be generated into an empty database", e.JA, n)
		}
	}
	sw, err := loadSoftware()
	if err != nil {
		return Stats{}, err
	}
	today := opts.Today
	if today.IsZero() {
		today = defaultToday()
	}
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	w := &world{scale: scale, seed: opts.Seed, dates: newDateCache(today), sw: sw}
	w.curFY = today.Year()
	if today.Month() < time.April {
		w.curFY--
	}
	w.build()
	if err := ctx.Err(); err != nil {
		return Stats{}, err
	}
	var written map[string]int64
	err = s.Load(ctx, store.LoadOptions{Fresh: true}, func(l *store.Loader) error {
		if err := w.emit(ctx, l); err != nil {
			return err
		}
		written = l.Written()
		return nil
	})
	if err != nil {
		return Stats{}, err
	}
	if err := w.cloudLists(ctx, s); err != nil {
		return Stats{}, err
	}
	st := Stats{Counts: make(map[string]int64, len(mamori.Entities)), Elapsed: time.Since(start)}
	for _, e := range mamori.Entities {
		st.Counts[e.Name] = written[e.Name]
	}
	return st, nil
}
