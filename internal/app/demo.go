package app

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/demo"
	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
)

// DefaultDemoDB is the SQLite file the demo uses unless told otherwise, kept
// apart from DefaultDB so trying the demo never touches a real register.
const DefaultDemoDB = "mamori-demo.db"

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "demo", "demo [--db DB] [--scale small|city|national] [--seed N] [--today YYYY-MM-DD] [--no-serve] [--addr HOST:PORT]\n\n"+
		"Generates a deterministic, realistic data set (a government with ministries, branches,\n"+
		"prefectures and municipalities) into the database if it is empty, then serves it.")
	scale := fs.String("scale", "city", "small, city or national")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same data")
	today := fs.String("today", "", "reference date the data's ages are measured from (default today); the same seed and date give the same data")
	noServe := fs.Bool("no-serve", false, "only generate the data")
	addr := fs.String("addr", DefaultAddr, "address to listen on")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"demo takes no arguments"}
	}
	sc, err := demo.ParseScale(*scale)
	if err != nil {
		return &UsageError{err.Error()}
	}
	// Stale patches, overdue reviews and expired certificates are planted
	// relative to this date, so the demo reads as current when checked today.
	ref := time.Now().UTC().Truncate(24 * time.Hour)
	if *today != "" {
		if ref, err = time.Parse(time.DateOnly, *today); err != nil {
			return &UsageError{fmt.Sprintf("--today %q: want YYYY-MM-DD", *today)}
		}
	}
	s, err := openStore(ctx, dsn(env, *db, DefaultDemoDB))
	if err != nil {
		return err
	}
	defer s.Close()
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	var existing int64
	for _, n := range counts {
		existing += n
	}
	if existing > 0 {
		if *noServe {
			return mamori.Errorf(mamori.Conflict, "データベースは空ではありません(%d 件)。新しいファイルを指定してください",
				"the database is not empty (%d records); give a new file with --db", existing)
		}
		fmt.Fprintf(env.Stdout, "mamori: using existing data (%d records)\n", existing)
		return serve(ctx, env, s, *addr)
	}
	start := time.Now()
	stats, err := demo.Generate(ctx, s, demo.Options{Scale: sc, Seed: *seed, Today: ref})
	if err != nil {
		return err
	}
	var parts []string
	for _, e := range []string{"organizations", "systems", "components", "contracts"} {
		parts = append(parts, fmt.Sprintf("%s %d", e, stats.Counts[e]))
	}
	fmt.Fprintf(env.Stdout, "mamori: generated %s demo data in %s: %s\n", sc, time.Since(start).Round(time.Millisecond), strings.Join(parts, ", "))
	if err := demoVulns(ctx, env, s, demo.Options{Seed: *seed, Today: ref}); err != nil {
		return err
	}
	if *noServe {
		return nil
	}
	return serve(ctx, env, s, *addr)
}

// demoVulns imports the demo's embedded feeds, matches its software as of
// the reference date and records its countermeasures, so a fresh demo has
// vulnerabilities to manage (and VUL-01…03 something to find).
func demoVulns(ctx context.Context, env *Env, s *store.Store, opts demo.Options) error {
	start := time.Now()
	feeds, err := demo.Feeds()
	if err != nil {
		return err
	}
	for _, f := range feeds {
		res, err := feed.Import(ctx, s, bytes.NewReader(f.Data), int64(len(f.Data)), f.Name, feed.Options{Now: opts.Today})
		if err != nil {
			return err
		}
		if err := res.Err(); err != nil {
			return err
		}
	}
	imported := time.Now()
	res, err := match.Run(ctx, s, match.Options{Now: opts.Today})
	if err != nil {
		return err
	}
	matched := time.Now()
	n, err := demo.PlantCountermeasures(ctx, s, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "mamori: imported %d demo feeds (%s), %d vulnerability matches (%s), %d countermeasures (%s)\n",
		len(feeds), imported.Sub(start).Round(time.Millisecond), res.Run.Matches, matched.Sub(imported).Round(time.Millisecond),
		n, time.Since(matched).Round(time.Millisecond))
	return nil
}
