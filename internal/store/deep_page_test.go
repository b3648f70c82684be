package store_test

import (
	"fmt"
	"slices"
	"testing"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestFindDeepPage: a page past the deep-paging threshold (read by key
// first) holds exactly the rows the plain query would, for every order and
// with a filter, on both stores.
func TestFindDeepPage(t *testing.T) {
	sys := mamori.EntityByName("systems")
	orgs := mamori.EntityByName("organizations")
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(orgs, []mamori.Record{
				rec(orgs, map[string]any{"code": "O1", "kind": "ministry", "name": "一省"}),
				rec(orgs, map[string]any{"code": "O2", "kind": "ministry", "name": "二省"}),
			}); err != nil {
				return err
			}
			var recs []mamori.Record
			for i := range 2500 {
				org, status := "O1", "operating"
				if i%3 == 0 {
					org, status = "O2", "planned"
				}
				r := map[string]any{"code": fmt.Sprintf("S%05d", i), "org_code": org,
					"name": fmt.Sprintf("システム%04d", (i*7919)%2500), "in_register": true, "class": "information_system", "status": status}
				if i%4 != 0 {
					r["system_id"] = fmt.Sprintf("SID-%05d", 2500-i)
				}
				recs = append(recs, rec(sys, r))
			}
			return l.Put(sys, recs)
		})
		if err != nil {
			t.Fatal(err)
		}
		codes := func(recs []mamori.Record) []string {
			var out []string
			for _, r := range recs {
				out = append(out, r[sys.FieldIndex("code")].(string))
			}
			return out
		}
		for _, f := range []store.Filter{
			{},
			{Sort: "name"},
			{Sort: "name", Desc: true},
			{Sort: "status", Desc: true},
			{Sort: "system_id"},
			{Sort: "system_id", Desc: true},
			{Where: map[string]string{"status": "operating"}, Sort: "name"},
			{In: map[string][]string{"org_code": {"O2"}}, Search: "システム"},
		} {
			all, total, err := s.Find(t.Context(), sys, f)
			if err != nil {
				t.Fatal(err)
			}
			// Both stores put systems without a SystemID first in
			// ascending order and last in descending order.
			if f.Sort == "system_id" {
				first, last := all[0][sys.FieldIndex("system_id")], all[len(all)-1][sys.FieldIndex("system_id")]
				if (first == nil) == f.Desc || (last == nil) != f.Desc {
					t.Errorf("sort by system_id desc=%v: first %v, last %v", f.Desc, first, last)
				}
			}
			for _, off := range []int{999, 1000, 1200, total - 10} {
				if off < 0 {
					continue
				}
				page := f
				page.Limit, page.Offset = 50, off
				got, n, err := s.Find(t.Context(), sys, page)
				if err != nil {
					t.Fatal(err)
				}
				want := codes(all[min(off, len(all)):min(off+50, len(all))])
				if n != total || !slices.Equal(codes(got), want) {
					t.Errorf("filter %+v offset %d: %d rows %v…, want %d rows %v…", f, off, len(got), head(codes(got)), len(want), head(want))
				}
			}
		}
	})
}

func head(s []string) []string { return s[:min(3, len(s))] }

// TestFindCountAfterLoad: a paged list's cached count is dropped by a load.
func TestFindCountAfterLoad(t *testing.T) {
	sys := mamori.EntityByName("systems")
	orgs := mamori.EntityByName("organizations")
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		put := func(e *mamori.Entity, r mamori.Record) {
			t.Helper()
			if err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error { return l.Put(e, []mamori.Record{r}) }); err != nil {
				t.Fatal(err)
			}
		}
		put(orgs, rec(orgs, map[string]any{"code": "O1", "kind": "ministry", "name": "一省"}))
		for i, want := range []int{1, 2} {
			put(sys, rec(sys, map[string]any{"code": fmt.Sprintf("S%d", i), "org_code": "O1", "name": "x",
				"in_register": true, "class": "information_system", "status": "operating"}))
			if _, n, err := s.Find(t.Context(), sys, store.Filter{Limit: 50}); err != nil || n != want {
				t.Errorf("after %d loads: total %d (%v), want %d", i+1, n, err, want)
			}
		}
	})
}
