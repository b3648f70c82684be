package register_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// editFixture loads two ministries, a system and a contract of each, into s.
func editFixture(t *testing.T, s *store.Store) {
	t.Helper()
	csv := map[string]string{
		"organizations.csv": "code,parent_code,kind,name\n" +
			"GOV,,government,政府\nMA,GOV,ministry,甲省\nMA-1,MA,central,甲省第一局\nMB,GOV,ministry,乙省\n",
		"systems.csv": "code,org_code,name,in_register,class,status\n" +
			"SA,MA,甲システム,true,information_system,operating\nSB,MB,乙システム,true,information_system,operating\n",
		"contracts.csv": "code,org_code,kind,title,vendor,total_amount\n" +
			"CA,MA,maintenance,甲保守,甲社,1000\nCB,MB,maintenance,乙保守,乙社,2000\n",
		"cloud_services.csv": "code,provider,name,ismap_status\nCS1,事業者,サービス,ismap\n",
		"projects.csv":       "code,org_code,name\nPB,MB,乙プロジェクト\n",
	}
	if _, err := register.Import(t.Context(), s, inputs(csv)); err != nil {
		t.Fatalf("load the fixture: %v", err)
	}
}

var contractsEntity = mamori.EntityByName("contracts")

// values renders a record's fields as the editor sends them.
func values(kv map[string]any) map[string]json.RawMessage {
	out := map[string]json.RawMessage{}
	for k, v := range kv {
		out[k], _ = json.Marshal(v)
	}
	return out
}

func stored(t *testing.T, s *store.Store, e *mamori.Entity, key ...any) mamori.Record {
	t.Helper()
	rec, err := s.GetByKey(t.Context(), e, key)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

func maOpts() register.EditOptions {
	return register.EditOptions{Options: register.Options{Allow: inMA}, Actor: "clerk", Via: "test", Home: []string{"MA"}}
}

func contractValues(code, org, title string) map[string]json.RawMessage {
	return values(map[string]any{"code": code, "org_code": org, "kind": "保守", "title": title, "vendor": "甲社",
		"contracted_on": "令和7年4月1日", "total_amount": "1,500", "multi_year": "いいえ"})
}

func TestSaveCreateUpdate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		editFixture(t, s)
		ctx := t.Context()
		// Create, with the import's readings: a Japanese era date, a label,
		// an amount with commas.
		sv, err := register.Save(ctx, s, register.Edit{Entity: contractsEntity, Values: contractValues("CA2", "MA-1", "新契約")}, maOpts())
		if err != nil {
			t.Fatalf("create: %v", err)
		}
		rec := stored(t, s, contractsEntity, "CA2")
		if rec == nil || rec[contractsEntity.FieldIndex("contracted_on")] != "2025-04-01" || rec[contractsEntity.FieldIndex("kind")] != "maintenance" ||
			rec[contractsEntity.FieldIndex("total_amount")] != int64(1500) {
			t.Fatalf("stored %v", rec)
		}
		if sv.Version != register.Version(contractsEntity, rec) || !sv.Created {
			t.Errorf("saved version %s, stored record's %s, created %v", sv.Version, register.Version(contractsEntity, rec), sv.Created)
		}
		// Creating it again: refused, not an overwrite.
		_, err = register.Save(ctx, s, register.Edit{Entity: contractsEntity, Values: contractValues("CA2", "MA", "上書き")}, maOpts())
		if !errors.Is(err, register.ErrExists) || mamori.KindOf(err) != mamori.Conflict {
			t.Fatalf("second create: %v", err)
		}
		// Update with the version read; a field left out is emptied.
		v := contractValues("CA2", "MA-1", "改題")
		delete(v, "total_amount")
		sv2, err := register.Save(ctx, s, register.Edit{Entity: contractsEntity, Key: []string{"CA2"}, Version: sv.Version, Values: v}, maOpts())
		if err != nil {
			t.Fatalf("update: %v", err)
		}
		rec = stored(t, s, contractsEntity, "CA2")
		if rec[contractsEntity.FieldIndex("title")] != "改題" || rec[contractsEntity.FieldIndex("total_amount")] != nil {
			t.Errorf("after update %v", rec)
		}
		if sv2.Version == sv.Version || sv2.Version != register.Version(contractsEntity, rec) {
			t.Errorf("versions %s → %s, stored %s", sv.Version, sv2.Version, register.Version(contractsEntity, rec))
		}
		if strings.Join(sv2.Changed, ",") != "title,total_amount" {
			t.Errorf("changed %v", sv2.Changed)
		}
		// A stale version: refused, nothing changed.
		_, err = register.Save(ctx, s, register.Edit{Entity: contractsEntity, Key: []string{"CA2"}, Version: sv.Version, Values: contractValues("CA2", "MA-1", "古い版")}, maOpts())
		if !errors.Is(err, register.ErrStale) || mamori.KindOf(err) != mamori.Conflict {
			t.Fatalf("stale: %v", err)
		}
		if me, _ := errors.AsType[*mamori.Error](err); me == nil || !strings.Contains(me.MessageJA, "他の人が変更しました") {
			t.Errorf("stale message: %v", err)
		}
		if got := stored(t, s, contractsEntity, "CA2"); register.Version(contractsEntity, got) != sv2.Version {
			t.Errorf("a stale save changed the record: %v", got)
		}
		// The key is not a value to edit.
		_, err = register.Save(ctx, s, register.Edit{Entity: contractsEntity, Key: []string{"CA2"}, Version: sv2.Version, Values: contractValues("CA3", "MA-1", "別")}, maOpts())
		if ps, ok := errors.AsType[mamori.Problems](err); !ok || ps[0].Loc.Column != "code" {
			t.Errorf("key change: %v", err)
		}
		// No version: refused.
		if _, err := register.Save(ctx, s, register.Edit{Entity: contractsEntity, Key: []string{"CA2"}, Values: contractValues("CA2", "MA-1", "x")}, maOpts()); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("no version: %v", err)
		}
		// Saves and refusals are in the audit trail.
		es, _, err := s.AuditEntries(ctx, store.AuditFilter{Target: "register/contracts/CA2"})
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		writes := 0
		for _, e := range es {
			acts = append(acts, e.Action)
			if e.Action == audit.Write {
				writes++
			}
		}
		if writes != 2 || !strings.Contains(strings.Join(acts, " "), register.WriteRefused) {
			t.Errorf("audit actions %v", acts)
		}
	})
}

func TestSaveRefusesBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		editFixture(t, s)
		ctx := t.Context()
		before := storetest.Snapshot(t, s)
		rec := stored(t, s, contractsEntity, "CA")
		ver := register.Version(contractsEntity, rec)
		for _, tc := range []struct {
			name   string
			edit   register.Edit
			column string // where the problem is placed; "" when not a value's
			kind   mamori.Kind
		}{
			{"bad date", register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
				Values: values(map[string]any{"org_code": "MA", "kind": "保守", "title": "t", "vendor": "v", "start_on": "昨日"})}, "start_on", mamori.Invalid},
			{"missing required", register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
				Values: values(map[string]any{"org_code": "MA", "kind": "保守", "vendor": "v"})}, "title", mamori.Invalid},
			{"unknown enum", register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
				Values: values(map[string]any{"org_code": "MA", "kind": "なにか", "title": "t", "vendor": "v"})}, "kind", mamori.Invalid},
			{"moved to another ministry", register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
				Values: values(map[string]any{"org_code": "MB", "kind": "保守", "title": "t", "vendor": "v"})}, "org_code", mamori.Invalid},
			{"another ministry's reference", register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
				Values: values(map[string]any{"org_code": "MA", "kind": "保守", "title": "t", "vendor": "v", "project_code": "PB"})}, "project_code", mamori.Invalid},
			{"another ministry's record", register.Edit{Entity: contractsEntity, Key: []string{"CB"}, Version: "v1-x",
				Values: values(map[string]any{"org_code": "MA", "kind": "保守", "title": "t", "vendor": "v"})}, "", mamori.Invalid},
			{"create in another ministry", register.Edit{Entity: contractsEntity,
				Values: values(map[string]any{"code": "CB9", "org_code": "MB", "kind": "保守", "title": "t", "vendor": "v"})}, "org_code", mamori.Invalid},
			{"unknown field", register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
				Values: values(map[string]any{"org_code": "MA", "kind": "保守", "title": "t", "vendor": "v", "colour": "red"})}, "colour", mamori.Invalid},
			{"shared data", register.Edit{Entity: mamori.EntityByName("cloud_services"), Key: []string{"CS1"}, Version: "v1-x",
				Values: values(map[string]any{"provider": "p", "name": "n", "ismap_status": "ismap"})}, "", mamori.Invalid},
			{"bad key", register.Edit{Entity: contractsEntity, Key: []string{"CA", "x"}, Version: ver}, "", mamori.NotFound},
		} {
			_, err := register.Save(ctx, s, tc.edit, maOpts())
			kind := mamori.KindOf(err)
			if _, ok := errors.AsType[mamori.Problems](err); ok {
				kind = mamori.Invalid
			}
			if kind != tc.kind {
				t.Errorf("%s: %v, want kind %v", tc.name, err, tc.kind)
				continue
			}
			if tc.column != "" {
				ps, _ := errors.AsType[mamori.Problems](err)
				found := false
				for _, p := range ps {
					found = found || p.Loc.Column == tc.column
				}
				if !found {
					t.Errorf("%s: problems %v, want one at %s", tc.name, err, tc.column)
				}
			}
		}
		after := storetest.Snapshot(t, s)
		for _, e := range mamori.Entities {
			if fmt.Sprint(before[e.Name]) != fmt.Sprint(after[e.Name]) {
				t.Errorf("refused saves changed %s", e.Name)
			}
		}
	})
}

// TestSaveConcurrent: two editors save one record read at one version at
// once; exactly one wins, the other is told, on both stores. Two creates
// of one key likewise.
func TestSaveConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		editFixture(t, s)
		ctx := t.Context()
		for round := range 5 {
			ver := register.Version(contractsEntity, stored(t, s, contractsEntity, "CA"))
			code := fmt.Sprintf("CN%d", round)
			var wg sync.WaitGroup
			errs := make([]error, 4)
			for i := range 2 {
				wg.Go(func() {
					_, errs[i] = register.Save(ctx, s, register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: ver,
						Values: contractValues("CA", "MA", fmt.Sprintf("editor %d round %d", i, round))}, maOpts())
				})
				wg.Go(func() {
					_, errs[2+i] = register.Save(ctx, s, register.Edit{Entity: contractsEntity,
						Values: contractValues(code, "MA", fmt.Sprintf("creator %d", i))}, maOpts())
				})
			}
			wg.Wait()
			for pair, want := range []error{register.ErrStale, register.ErrExists} {
				a, b := errs[2*pair], errs[2*pair+1]
				if (a == nil) == (b == nil) {
					t.Fatalf("round %d: both or neither won: %v / %v", round, a, b)
				}
				if lost := errors.Join(a, b); !errors.Is(lost, want) {
					t.Errorf("round %d: the loser was told %v, want %v", round, lost, want)
				}
			}
		}
	})
}

func TestParseKey(t *testing.T) {
	costs := mamori.EntityByName("system_costs")
	k, err := register.ParseKey(costs, []string{"SA", "2025", "operation"})
	if err != nil || k[1] != int64(2025) || k[2] != "operation" {
		t.Fatalf("%v %v", k, err)
	}
	for _, bad := range [][]string{{"SA"}, {"SA", "x", "operation"}, {"SA", "2025", "nothing"}, {"", "2025", "operation"}} {
		if _, err := register.ParseKey(costs, bad); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("%v: %v", bad, err)
		}
	}
	if got := register.KeyParts(costs, mamori.Record{"SA", int64(2025), "operation", int64(5)}); strings.Join(got, "/") != "SA/2025/operation" {
		t.Errorf("key parts %v", got)
	}
}

// TestOwnedFilter: a list within a scope holds the records that belong
// there, through their owners, and shared data; nothing of another ministry.
func TestOwnedFilter(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		editFixture(t, s)
		if _, err := register.Import(t.Context(), s, inputs(map[string]string{
			"components.csv":        "code,system_code,kind\nKA,SA,server\nKB,SB,server\n",
			"export_exceptions.csv": "code,component_code,granted_on\nXA,KA,2025-04-01\nXB,KB,2025-04-01\n",
		})); err != nil {
			t.Fatal(err)
		}
		for name, want := range map[string]string{"contracts": "CA", "components": "KA", "export_exceptions": "XA", "cloud_services": "CS1", "projects": ""} {
			e := mamori.EntityByName(name)
			recs, n, err := s.Find(t.Context(), e, store.Filter{Owned: &store.Owned{Orgs: []string{"MA", "MA-1"}, Owners: register.OwnerFields}})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range recs {
				got = append(got, r[0].(string))
			}
			if strings.Join(got, ",") != want || n != len(got) {
				t.Errorf("%s in MA: %v (%d), want %s", name, got, n, want)
			}
		}
	})
}

// TestSaveAuditFiling: a save over the whole government is filed under
// the organizations the record belongs to (as stored and as saved), not
// under every organization, whose auditors would learn another ministry's
// codes; shared data is everyone's.
func TestSaveAuditFiling(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		editFixture(t, s)
		ctx := t.Context()
		whole := register.EditOptions{Actor: "boss", Via: "test"}
		rec := stored(t, s, contractsEntity, "CA")
		if _, err := register.Save(ctx, s, register.Edit{Entity: contractsEntity, Key: []string{"CA"}, Version: register.Version(contractsEntity, rec),
			Values: contractValues("CA", "MB", "乙省へ移管")}, whole); err != nil {
			t.Fatal(err)
		}
		cs := mamori.EntityByName("cloud_services")
		cur := stored(t, s, cs, "CS1")
		if _, err := register.Save(ctx, s, register.Edit{Entity: cs, Key: []string{"CS1"}, Version: register.Version(cs, cur),
			Values: values(map[string]any{"provider": "事業者", "name": "改称", "ismap_status": "ismap"})}, whole); err != nil {
			t.Fatal(err)
		}
		for target, want := range map[string]string{"register/contracts/CA": "MA MB", "register/cloud_services/CS1": store.AuditEveryOrg} {
			es, _, err := s.AuditEntries(ctx, store.AuditFilter{Target: target, Action: audit.Write})
			if err != nil {
				t.Fatal(err)
			}
			if len(es) != 1 || strings.Join(es[0].Orgs, " ") != want {
				t.Errorf("%s filed under %v, want %s", target, es, want)
			}
		}
		// The capped count the index shows.
		n, more, err := s.CountUpTo(ctx, contractsEntity, store.Filter{}, 1)
		if err != nil || n != 1 || !more {
			t.Errorf("CountUpTo(1) = %d %v %v", n, more, err)
		}
		n, more, err = s.CountUpTo(ctx, contractsEntity, store.Filter{Owned: &store.Owned{Orgs: []string{"MB"}, Owners: register.OwnerFields}}, 10)
		if err != nil || n != 2 || more {
			t.Errorf("CountUpTo(MB, 10) = %d %v %v", n, more, err)
		}
	})
}
