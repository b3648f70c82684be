package store_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestLoadViewSplit checks that reading a view in parallel key ranges yields
// exactly the rows of one sequential read.
func TestLoadViewSplit(t *testing.T) {
	ctx := t.Context()
	s := storetest.OpenSQLite(t)
	if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	load := func(target string) []store.ViewRow {
		var out []store.ViewRow
		if err := s.LoadView(ctx, target, store.ViewScope{}, func(rows []store.ViewRow) error {
			out = append(out, rows...)
			return nil
		}); err != nil {
			t.Fatalf("LoadView(%s): %v", target, err)
		}
		slices.SortFunc(out, func(a, b store.ViewRow) int { return strings.Compare(a.Code, b.Code) })
		return out
	}
	for _, target := range store.Targets() {
		want := load(target)
		restore := store.SplitViews(3)
		got := load(target)
		restore()
		if len(want) == 0 {
			t.Errorf("%s: no rows in the demo", target)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: split read differs: %d rows, want %d", target, len(got), len(want))
		}
	}
}
