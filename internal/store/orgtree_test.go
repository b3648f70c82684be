package store_test

import (
	"database/sql"
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// treeFixture loads G with the ministry M, its bureau M-1 and the bureau's
// office M-1-1, and the ministry N.
func treeFixture(t *testing.T, s *store.Store) {
	t.Helper()
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		return l.Put(orgs, []mamori.Record{org("G", "", "政府"), org("M", "G", "甲省"), org("M-1", "M", "甲省第一局"),
			org("M-1-1", "M-1", "甲省第一局支局"), org("N", "G", "乙省")})
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestLoadRefusesOrgCycle: whatever writes organizations, a load that
// leaves one of them its own ancestor is rolled back whole, and the error
// names the cycle. Issue 12, item 1.
func TestLoadRefusesOrgCycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		before := dump(t, s, orgs)
		for _, tc := range []struct {
			name string
			recs []mamori.Record
			want string
		}{
			{"ministry under its office", []mamori.Record{org("M", "M-1-1", "甲省")}, "M → M-1-1 → M-1 → M"},
			{"own parent", []mamori.Record{org("N", "N", "乙省")}, "N → N"},
			{"new pair", []mamori.Record{org("X", "Y", "新"), org("Y", "X", "新")}, "X → Y → X"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
					if err := l.Put(systems, []mamori.Record{system("S1", "N")}); err != nil {
						return err
					}
					return l.Put(orgs, tc.recs)
				})
				if err == nil {
					t.Fatal("Load = nil, want a cycle refused")
				}
				if !errors.Is(err, store.ErrOrgCycle) || mamori.KindOf(err) != mamori.Conflict {
					t.Errorf("Load = %v (kind %v), want ErrOrgCycle, conflict", err, mamori.KindOf(err))
				}
				if e, _ := errors.AsType[*mamori.Error](err); e == nil || !strings.Contains(e.Bilingual(), tc.want) || !strings.Contains(e.MessageJA, "循環") {
					t.Errorf("Load = %v, want the cycle %q named in both languages", err, tc.want)
				}
				if diff := cmp.Diff(before, dump(t, s, orgs)); diff != "" {
					t.Errorf("a refused load changed the organizations:\n%s", diff)
				}
				if n := len(dump(t, s, systems)); n != 0 {
					t.Errorf("a refused load wrote %d systems", n)
				}
			})
		}
		// A move that keeps the tree a tree goes in.
		if err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(orgs, []mamori.Record{org("M-1-1", "N", "乙省支局")})
		}); err != nil {
			t.Errorf("a legal move: %v", err)
		}
	})
}

// plantCycle makes M a child of its own office by SQL, as a store written
// before cycles were refused may hold.
func plantCycle(t *testing.T, dsn string) {
	t.Helper()
	driver := "sqlite"
	if store.IsPostgresDSN(dsn) {
		driver = "pgx"
	}
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`UPDATE organizations SET parent_code = 'M-1-1' WHERE code = 'M'`); err != nil {
		t.Fatal(err)
	}
}

// TestMigrateRefusesOrgCycle: a store whose tree already holds a cycle is
// not migrated into service; the error names the organizations of the
// cycle and the command that repairs it, and SetOrgParent repairs it
// (refusing to close a cycle itself). Issue 12, item 1.
func TestMigrateRefusesOrgCycle(t *testing.T) {
	for dialect, dsn := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			ctx := t.Context()
			s, err := store.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			if err := s.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			treeFixture(t, s)
			plantCycle(t, dsn)

			err = s.Migrate(ctx)
			if !errors.Is(err, store.ErrOrgCycle) {
				t.Fatalf("Migrate = %v, want ErrOrgCycle", err)
			}
			e, _ := errors.AsType[*mamori.Error](err)
			for _, w := range []string{"M → M-1-1 → M-1 → M", "mamori org set-parent", "循環"} {
				if e == nil || !strings.Contains(e.Bilingual(), w) {
					t.Errorf("Migrate = %v, lacks %q", err, w)
				}
			}
			cycles, err := s.OrgCycles(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if want := [][]string{{"M", "M-1-1", "M-1"}}; !cmp.Equal(cycles, want) {
				t.Errorf("OrgCycles = %v, want %v", cycles, want)
			}

			// The repair: refusals first.
			for _, tc := range []struct{ code, parent string }{
				{"M", "M-1"}, {"M-1", "M-1-1"}, {"NOPE", "G"}, {"M", "NOPE"},
			} {
				if err := s.SetOrgParent(ctx, tc.code, tc.parent); err == nil {
					t.Errorf("SetOrgParent(%s, %s) = nil, want an error", tc.code, tc.parent)
				}
			}
			if err := s.SetOrgParent(ctx, "M", "G"); err != nil {
				t.Fatalf("SetOrgParent(M, G): %v", err)
			}
			if err := s.Migrate(ctx); err != nil {
				t.Fatalf("Migrate after the repair: %v", err)
			}
			sub, total, err := s.Subtrees(ctx, "G")
			if err != nil {
				t.Fatal(err)
			}
			if len(sub) != total || !sub["M-1-1"] {
				t.Errorf("after the repair G's subtree has %d of %d organizations", len(sub), total)
			}
		})
	}
}
