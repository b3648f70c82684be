package store_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var (
	orgs    = mamori.EntityByName("organizations")
	systems = mamori.EntityByName("systems")
)

// rec builds a record of e from column values; unnamed columns are nil.
func rec(e *mamori.Entity, vals map[string]any) mamori.Record {
	r := make(mamori.Record, len(e.Fields))
	for col, v := range vals {
		i := e.FieldIndex(col)
		if i < 0 {
			panic("no column " + col)
		}
		r[i] = v
	}
	return r
}

func org(code, parent, name string) mamori.Record {
	var p any
	if parent != "" {
		p = parent
	}
	return rec(orgs, map[string]any{"code": code, "parent_code": p, "kind": "ministry", "name": name,
		"policy_revised_on": "2024-04-01", "csirt_documented": true})
}

func system(code, org string) mamori.Record {
	return rec(systems, map[string]any{"code": code, "org_code": org, "name": "人事給与システム " + code,
		"in_register": true, "class": "information_system", "status": "operating", "confidentiality": int64(2),
		"go_live_on": "2019-05-01", "personal_info": false})
}

func dump(t *testing.T, s *store.Store, e *mamori.Entity) []mamori.Record {
	t.Helper()
	var out []mamori.Record
	if err := s.Dump(t.Context(), e, func(r mamori.Record) error { out = append(out, r); return nil }); err != nil {
		t.Fatalf("Dump(%s): %v", e.Name, err)
	}
	return out
}

func TestLoadAndDump(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		// The child is listed before its parent: the self-reference is deferred to commit.
		in := []mamori.Record{org("B", "A", "子"), org("A", "", "親")}
		err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(orgs, in); err != nil {
				return err
			}
			return l.Put(systems, []mamori.Record{system("S2", "B"), system("S1", "A")})
		})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		got := dump(t, s, orgs)
		want := []mamori.Record{in[1], in[0]}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("Dump(organizations) mismatch (-want +got):\n%s", diff)
		}
		gotSys := dump(t, s, systems)
		if diff := cmp.Diff([]mamori.Record{system("S1", "A"), system("S2", "B")}, gotSys); diff != "" {
			t.Errorf("Dump(systems) mismatch (-want +got):\n%s", diff)
		}
	})
}

func TestLoadIsIdempotentUpsert(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		load := func(recs ...mamori.Record) {
			t.Helper()
			if err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error { return l.Put(orgs, recs) }); err != nil {
				t.Fatalf("Load: %v", err)
			}
		}
		load(org("A", "", "旧名称"))
		load(org("A", "", "新名称"), org("C", "A", "追加"))
		load(org("A", "", "新名称"), org("C", "A", "追加"))
		got := dump(t, s, orgs)
		want := []mamori.Record{org("A", "", "新名称"), org("C", "A", "追加")}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("after reloads (-want +got):\n%s", diff)
		}
		// An entity made only of key columns upserts with DO NOTHING.
		err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(mamori.EntityByName("clause_defs"), []mamori.Record{{"V1", "vendor7", "目的外利用の禁止", nil}})
		})
		if err != nil {
			t.Fatalf("Load clause_defs: %v", err)
		}
	})
}

func TestLoadRollsBackEverything(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error { return l.Put(orgs, []mamori.Record{org("A", "", "親")}) }); err != nil {
			t.Fatalf("Load: %v", err)
		}
		before := storetest.Snapshot(t, s)
		boom := errors.New("boom")
		err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(orgs, []mamori.Record{org("A", "", "変更"), org("Z", "", "新規")}); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Load error = %v, want boom", err)
		}
		// A dangling reference is refused by the database itself, at the latest on commit.
		err = s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(systems, []mamori.Record{system("S1", "NOPE")})
		})
		if mamori.KindOf(err) != mamori.Invalid {
			t.Fatalf("Load dangling reference: err = %v (kind %v), want kind invalid", err, mamori.KindOf(err))
		}
		if diff := cmp.Diff(before, storetest.Snapshot(t, s)); diff != "" {
			t.Errorf("store changed by failed loads (-before +after):\n%s", diff)
		}
	})
}

func TestCheckConstraints(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		r := org("A", "", "親")
		r[orgs.FieldIndex("kind")] = "nonsense"
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error { return l.Put(orgs, []mamori.Record{r}) })
		if mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("Load bad enum: err = %v, want kind invalid", err)
		}
	})
}

func TestFreshLoadAndFind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		var syss []mamori.Record
		for i := range 1000 {
			syss = append(syss, system(fmt.Sprintf("S%04d", i), "A"))
		}
		err := s.Load(ctx, store.LoadOptions{Fresh: true}, func(l *store.Loader) error {
			if err := l.Put(orgs, []mamori.Record{org("A", "", "親")}); err != nil {
				return err
			}
			return l.Put(systems, syss)
		})
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		n, err := s.Count(ctx, systems)
		if err != nil || n != 1000 {
			t.Fatalf("Count = %d, %v; want 1000", n, err)
		}
		page, total, err := s.Find(ctx, systems, store.Filter{Where: map[string]string{"org_code": "A"}, Limit: 10, Offset: 5})
		if err != nil || total != 1000 || len(page) != 10 {
			t.Fatalf("Find = %d records, total %d, %v; want 10 of 1000", len(page), total, err)
		}
		codes := []string{}
		for _, r := range page {
			codes = append(codes, r[0].(string))
		}
		if !slices.IsSorted(codes) {
			t.Errorf("Find page not in key order: %v", codes)
		}
		_, total, err = s.Find(ctx, systems, store.Filter{Search: "給与システム s0042"})
		if err != nil || total != 1 {
			t.Errorf("Find(search) total = %d, %v; want 1", total, err)
		}
		if _, err := s.Get(ctx, systems, "missing"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("Get(missing) err = %v, want not found", err)
		}
		found, err := s.ExistingCodes(ctx, systems, []string{"S0001", "zz", "S0999"})
		if err != nil || !found["S0001"] || !found["S0999"] || found["zz"] {
			t.Errorf("ExistingCodes = %v, %v", found, err)
		}
	})
}

// TestSchemaMatchesRegister keeps the frozen migrations and the register
// definition in package mamori in step: every field must be a column.
func TestSchemaMatchesRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		for _, e := range mamori.Entities {
			if _, _, err := s.Find(context.Background(), e, store.Filter{Limit: 1}); err != nil {
				t.Errorf("%s: %v", e.Name, err)
			}
		}
		cur, latest, err := s.SchemaVersion(t.Context())
		if err != nil || cur != latest || cur == 0 {
			t.Errorf("SchemaVersion = %d, %d, %v", cur, latest, err)
		}
	})
}

func TestPutColumnsKeepsOtherFields(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		full := org("A", "", "旧名称")
		if err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error { return l.Put(orgs, []mamori.Record{full}) }); err != nil {
			t.Fatal(err)
		}
		// Only code, kind and name are given: the stored policy date and CSIRT flag stay.
		update := make([]bool, len(orgs.Fields))
		partial := make(mamori.Record, len(orgs.Fields))
		for _, col := range []string{"code", "kind", "name"} {
			i := orgs.FieldIndex(col)
			update[i], partial[i] = true, full[i]
		}
		partial[orgs.FieldIndex("name")] = "新名称"
		newRec := append(mamori.Record(nil), partial...)
		newRec[0] = "B"
		err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			return l.PutColumns(orgs, update, []mamori.Record{partial, newRec})
		})
		if err != nil {
			t.Fatal(err)
		}
		want := append(mamori.Record(nil), full...)
		want[orgs.FieldIndex("name")] = "新名称"
		if diff := cmp.Diff([]mamori.Record{want, newRec}, dump(t, s, orgs)); diff != "" {
			t.Errorf("after partial upsert (-want +got):\n%s", diff)
		}
	})
}

// TestFailedPutNeverCommits: a caller that ignores a Put error must not get
// a successful Load, on either database (PostgreSQL silently turns COMMIT of
// an aborted transaction into ROLLBACK).
func TestFailedPutNeverCommits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		bad := org("X", "", "x")
		bad[orgs.FieldIndex("kind")] = "nonsense"
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			_ = l.Put(orgs, []mamori.Record{bad})
			_ = l.Put(orgs, []mamori.Record{org("A", "", "ok")})
			return nil
		})
		if err == nil {
			t.Fatal("Load = nil after a failed Put, want the Put's error")
		}
		if n, _ := s.Count(t.Context(), orgs); n != 0 {
			t.Errorf("%d organizations stored after a failed load", n)
		}
	})
}

// TestFreshLoadRestoresSchema: a fresh load drops secondary indexes (and on
// PostgreSQL foreign keys) while it runs; whether it succeeds or fails, the
// schema afterwards is the migrated one, and a dangling reference is caught.
func TestFreshLoadRestoresSchema(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		before, err := store.SecondaryIndexCount(ctx, s)
		if err != nil || before == 0 {
			t.Fatalf("secondary indexes after migration = %d, %v", before, err)
		}
		err = s.Load(ctx, store.LoadOptions{Fresh: true}, func(l *store.Loader) error {
			if err := l.Put(orgs, []mamori.Record{org("A", "", "親")}); err != nil {
				return err
			}
			return l.Put(systems, []mamori.Record{system("S1", "A"), system("S2", "NOPE")})
		})
		if mamori.KindOf(err) != mamori.Invalid {
			t.Fatalf("fresh load with a dangling reference: err = %v, want kind invalid", err)
		}
		if n, _ := s.Count(ctx, orgs); n != 0 {
			t.Errorf("failed fresh load left %d organizations", n)
		}
		err = s.Load(ctx, store.LoadOptions{Fresh: true}, func(l *store.Loader) error {
			if err := l.Put(orgs, []mamori.Record{org("A", "", "親")}); err != nil {
				return err
			}
			return l.Put(systems, []mamori.Record{system("S1", "A")})
		})
		if err != nil {
			t.Fatalf("fresh load: %v", err)
		}
		// The references are enforced again after the load.
		err = s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error {
			return l.Put(systems, []mamori.Record{system("S3", "NOPE")})
		})
		if mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("after fresh load, dangling reference: err = %v, want kind invalid", err)
		}
		// And the secondary indexes the load dropped are back.
		if n, err := store.SecondaryIndexCount(ctx, s); err != nil || n != before {
			t.Errorf("secondary indexes after fresh loads = %d, %v; want %d", n, err, before)
		}
	})
}

// TestReferenceDataSeeded: migrate seeds the clause list and register items
// exactly as package mamori lists them (the template shows that list).
func TestReferenceDataSeeded(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		clauses := dump(t, s, mamori.EntityByName("clause_defs"))
		var want []mamori.Record
		for _, c := range mamori.DefaultClauses {
			want = append(want, mamori.Record{c.Code, c.Group, c.Name, c.NameEN})
		}
		slices.SortFunc(want, func(a, b mamori.Record) int { return strings.Compare(a[0].(string), b[0].(string)) })
		if diff := cmp.Diff(want, clauses); diff != "" {
			t.Errorf("clause_defs (-mamori +store):\n%s", diff)
		}
		items := dump(t, s, mamori.EntityByName("register_items"))
		want = nil
		for _, it := range mamori.DefaultRegisterItems {
			want = append(want, mamori.Record{"R5", it.No, it.Field, it.Name, it.CloudOnly})
		}
		if diff := cmp.Diff(want, items); diff != "" {
			t.Errorf("register_items (-mamori +store):\n%s", diff)
		}
	})
}

// TestLatestAssessmentPrefersWholeRegister: the whole government's figures
// come from the latest whole-register assessment, whatever later checks of
// one subtree or one system there were.
func TestLatestAssessmentPrefersWholeRegister(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		save := func(id, day, scope string) {
			at, _ := time.Parse(time.DateOnly, day)
			err := s.SaveAssessment(ctx, store.Assessment{ID: id, StartedAt: at, FinishedAt: at, ReferenceDate: day,
				Catalogs: "[]", Params: "{}", Scope: scope}, []store.ControlResult{{ControlID: "X-01", Pass: 1}}, nil,
				store.FindingScope{Controls: []string{"X-01"}, Targets: map[string]bool{}}, nil)
			if err != nil {
				t.Fatal(err)
			}
		}
		save("A-whole", "2026-11-01", `{"org":"","system":""}`)
		save("B-org", "2026-11-02", `{"org":"M03","system":""}`)
		save("C-system", "2026-11-03", `{"org":"","system":"S1"}`)
		a, ok, err := s.LatestAssessment(ctx, "", "")
		if err != nil || !ok || a.ID != "A-whole" {
			t.Errorf("LatestAssessment = %s, %t, %v; want A-whole", a.ID, ok, err)
		}
		if !a.WholeScope() {
			t.Errorf("A-whole.WholeScope() = false")
		}
		save("D-whole", "2026-11-04", `{"org":"","system":""}`)
		if a, _, _ := s.LatestAssessment(ctx, "", ""); a.ID != "D-whole" {
			t.Errorf("LatestAssessment = %s, want the newer whole-register D-whole", a.ID)
		}
	})
}
