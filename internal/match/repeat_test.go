package match_test

import (
	"path/filepath"
	"testing"

	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestRepeatedRun: a full run over the inventory, feeds and matcher of the
// last run, a full one, repeats it (the open matches are seen again on its
// day, nothing is matched); a changed inventory, a new feed import, a scoped
// run in between or --again match anew.
func TestRepeatedRun(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		c := &truthCase{name: "repeat", rows: []truthRow{{vendor: "mamori_test", product: "bounded_product", version: "1",
			cpe: "cpe:2.3:a:mamori_test:bounded_product:1.9:*:*:*:*:*:*:*"}}}
		loadCases(t, st, []*truthCase{c})
		imp := func() {
			t.Helper()
			if _, err := feed.ImportPath(ctx, st, filepath.Join(truthDir, "traps-nvd20.jsonl"), feed.Options{Now: truthDay(0)}); err != nil {
				t.Fatal(err)
			}
		}
		imp()
		run := func(day int, again bool) *match.Result {
			t.Helper()
			res, err := match.Run(ctx, st, match.Options{Now: truthDay(day), Again: again})
			if err != nil {
				t.Fatal(err)
			}
			return res
		}
		if r := run(1, false); r.Repeats != 0 || r.Run.Opened != 1 {
			t.Fatalf("first run %+v: want one match opened", r.Run)
		}
		r := run(2, false)
		if r.Repeats == 0 || r.Run.Matches != 1 || r.Run.Known != 1 || r.Matches != nil {
			t.Fatalf("second run %+v (repeats %d): want a repeat that knows 1 match", r.Run, r.Repeats)
		}
		ms, err := st.Matches(ctx, store.MatchFilter{OwnerCode: "I-repeat", OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(ms) != 1 || ms[0].LastSeen != truthDay(2).Format("2006-01-02") || ms[0].FirstSeen != truthDay(1).Format("2006-01-02") {
			t.Fatalf("after the repeat: %+v, want first seen day 1, last seen day 2", ms)
		}
		if r := run(3, true); r.Repeats != 0 || r.Run.Known != 1 {
			t.Fatalf("--again run %+v: want a real run", r.Run)
		}
		imp() // the same file again: still an import, the index may differ
		if r := run(4, false); r.Repeats != 0 {
			t.Fatalf("run after a feed import repeated run %d", r.Repeats)
		}
		c.rows[0].cpe = "cpe:2.3:a:mamori_test:bounded_product:2.0:*:*:*:*:*:*:*" // patched
		loadCases(t, st, []*truthCase{c})
		if r := run(5, false); r.Repeats != 0 || r.Run.Closed != 1 {
			t.Fatalf("run after a patch %+v (repeats %d): want the match closed", r.Run, r.Repeats)
		}
		if r := run(6, false); r.Repeats == 0 || r.Run.Matches != 0 {
			t.Fatalf("run after that %+v (repeats %d): want a repeat with no open match", r.Run, r.Repeats)
		}
		// A scoped run since the last full one: the next full run matches.
		if _, err := match.Run(ctx, st, match.Options{Now: truthDay(7), System: "S-repeat"}); err != nil {
			t.Fatal(err)
		}
		if r := run(8, false); r.Repeats != 0 {
			t.Fatalf("full run after a scoped run repeated run %d", r.Repeats)
		}
	})
}
