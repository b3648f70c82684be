package check

import (
	"context"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/i18n"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// addCloudList stores one snapshot of a list as an import would.
func addCloudList(t *testing.T, s *store.Store, kind, asOf string, entries ...store.CloudListEntry) {
	t.Helper()
	for i := range entries {
		entries[i].Row = i + 2
		if entries[i].Service == "" {
			entries[i].Service, entries[i].Provider = "サービス"+entries[i].RegistrationNumber, "事業者"
		}
	}
	if _, err := s.AddCloudList(t.Context(), store.CloudListSnapshot{Kind: kind, AsOf: asOf, FileName: kind + ".csv",
		SHA256: strings.Repeat("0", 64), ImportedBy: "test"}, entries); err != nil {
		t.Fatal(err)
	}
}

// loadCloudLists gives the controls fixture the lists CLD-03 reads: CS-OK
// is on the ISMAP list, CS-NG (numbered) on neither.
func loadCloudLists(t *testing.T, s *store.Store) {
	t.Helper()
	addCloudList(t, s, store.CloudListISMAP, "2026-10-01", store.CloudListEntry{RegistrationNumber: "C21-0001-1", ValidUntil: "2027-12-31"})
	addCloudList(t, s, store.CloudListLIU, "2026-10-01", store.CloudListEntry{RegistrationNumber: "L23-0001-1", ValidUntil: "2027-12-31"})
}

// TestCloudLists: CLD-03 read from the imported lists, each case entered
// as an officer would record it (a number where the contract states one,
// blank where it does not).
func TestCloudLists(t *testing.T) {
	services := []row{
		// On the newest ISMAP list, its number typed in full width.
		{"code": "CS-LISTED", "provider": "A社", "name": "Aクラウド", "ismap_status": "ismap", "registration_number": "Ｃ２１－０００１－１"},
		// On the older list only: dropped.
		{"code": "CS-DROPPED", "provider": "B社", "name": "Bクラウド", "ismap_status": "ismap", "registration_number": "C21-0002-1"},
		// On the list, but its registration ran out before the check date.
		{"code": "CS-EXPIRED", "provider": "C社", "name": "Cメール", "ismap_status": "ismap", "registration_number": "C22-0003-1"},
		// No number: matched by exact provider and name on the LIU list.
		{"code": "CS-NAMED", "provider": "Ｄ株式会社", "name": "D 日程調整", "ismap_status": "ismap_liu"},
		// No number and no exact name on any list: unconfirmed, not a pass.
		{"code": "CS-NONUM", "provider": "E社", "name": "E文書", "ismap_status": "ismap"},
		// No number, on no list, and recorded as listed nowhere: the claim
		// confirms what the lists show.
		{"code": "CS-NONE", "provider": "G社", "name": "G掲示板", "ismap_status": "none"},
		// A number on no list, the officer claiming it is listed.
		{"code": "CS-UNLISTED", "provider": "F社", "name": "Fストレージ", "ismap_status": "ismap", "registration_number": "C99-9999-9"},
	}
	contracts := []row{}
	for _, c := range []struct{ code, org, cs string }{
		{"K-LISTED", "MUNI-OK", "CS-LISTED"}, {"K-DROP-1", "MUNI-OK", "CS-DROPPED"}, {"K-DROP-2", "MUNI-NG", "CS-DROPPED"},
		{"K-EXPIRED", "MUNI-OK", "CS-EXPIRED"}, {"K-NAMED", "MUNI-OK", "CS-NAMED"}, {"K-NONUM", "MUNI-OK", "CS-NONUM"},
		{"K-UNLISTED", "MUNI-NG", "CS-UNLISTED"}, {"K-NONE", "MUNI-NG", "CS-NONE"},
	} {
		contracts = append(contracts, row{"code": c.code, "org_code": c.org, "kind": "cloud", "title": "利用 " + c.code, "vendor": "X社", "cloud_service_code": c.cs})
	}
	load := func(t *testing.T, s *store.Store) {
		err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			for _, f := range []struct {
				entity string
				rows   []row
			}{
				{"organizations", []row{{"code": "GOV", "kind": "government", "name": "政府"},
					{"code": "MUNI-OK", "parent_code": "GOV", "kind": "municipality", "name": "良市"},
					{"code": "MUNI-NG", "parent_code": "GOV", "kind": "municipality", "name": "悪市"}}},
				{"cloud_services", services}, {"contracts", contracts},
			} {
				e := mamori.EntityByName(f.entity)
				var recs []mamori.Record
				for _, r := range f.rows {
					rec := make(mamori.Record, len(e.Fields))
					for k, v := range r {
						rec[e.FieldIndex(k)] = v
					}
					recs = append(recs, rec)
				}
				if err := l.Put(e, recs); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		load(t, s)
		opts := Options{Today: "2026-11-01"}

		// No list imported: every contract is unconfirmed, whatever the
		// register claims.
		got, _ := statuses(t, ctx, s, opts)
		for _, k := range []string{"K-LISTED", "K-DROP-1", "K-EXPIRED", "K-NAMED", "K-UNLISTED"} {
			if st := got[[2]string{"CLD-03", k}]; st != Unknown {
				t.Errorf("no list: CLD-03(%s) = %v, want unknown", k, st)
			}
		}

		addCloudList(t, s, store.CloudListISMAP, "2026-04-01",
			store.CloudListEntry{RegistrationNumber: "C21-0001-1", ValidUntil: "2027-06-30"},
			store.CloudListEntry{RegistrationNumber: "C21-0002-1", ValidUntil: "2027-06-30"},
			store.CloudListEntry{RegistrationNumber: "C22-0003-1", ValidUntil: "2026-09-30"})
		// Only the ISMAP list: a numbered service on neither is unconfirmed
		// until the LIU list is in too; the dropped one already fails.
		addCloudList(t, s, store.CloudListISMAP, "2026-10-01",
			store.CloudListEntry{RegistrationNumber: "c21-0001-1", ValidUntil: "2027-12-31"},
			store.CloudListEntry{RegistrationNumber: "C22-0003-1", ValidUntil: "2026-09-30"})
		got, _ = statuses(t, ctx, s, opts)
		for _, k := range []string{"K-UNLISTED", "K-NONE"} {
			if st := got[[2]string{"CLD-03", k}]; st != Unknown {
				t.Errorf("ISMAP list only: CLD-03(%s) = %v, want unknown", k, st)
			}
		}
		addCloudList(t, s, store.CloudListLIU, "2026-10-01",
			store.CloudListEntry{RegistrationNumber: "L23-0007-1", Provider: "D株式会社", Service: "D日程調整", ValidUntil: "2027-03-31"})

		got, _ = statuses(t, ctx, s, opts)
		for k, want := range map[string]Status{
			"K-LISTED": Pass, "K-NAMED": Pass,
			"K-DROP-1": Fail, "K-DROP-2": Fail, "K-EXPIRED": Fail, "K-UNLISTED": Fail, "K-NONE": Fail,
			"K-NONUM": Unknown,
		} {
			if st := got[[2]string{"CLD-03", k}]; st != want {
				t.Errorf("CLD-03(%s) = %v, want %v", k, st, want)
			}
		}
		sentences := findingSentences(t, ctx, s)
		for k, want := range map[string][]string{
			"K-DROP-1":   {"ISMAPのリストから外れています", "令和8年4月1日（2026-04-01）時点", "令和8年10月1日（2026-10-01）時点", "dropped off the ISMAP list", "not as of"},
			"K-DROP-2":   {"ISMAPのリストから外れています"},
			"K-EXPIRED":  {"有効期限が切れています", "有効期限：令和8年9月30日", "listing has expired"},
			"K-UNLISTED": {"登録されていません", "台帳の記録（ISMAP）はリストと一致しません", "disagrees with the lists"},
		} {
			for _, w := range want {
				if !strings.Contains(sentences[k], w) {
					t.Errorf("finding on %s: %q does not say %q", k, sentences[k], w)
				}
			}
		}
		st, err := s.CloudListStatuses(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if c := st["CS-NAMED"]; c.MatchedBy != "name" || c.Kind != store.CloudListLIU || c.ClaimDiffers != "" {
			t.Errorf("CS-NAMED: %+v", c)
		}
		if c := st["CS-DROPPED"]; !c.Dropped() || c.LastListedOn != "2026-04-01" || c.AsOf != "2026-10-01" {
			t.Errorf("CS-DROPPED: %+v", c)
		}
	})
}

// findingSentences renders each stored CLD-03 finding in both languages,
// by contract.
func findingSentences(t *testing.T, ctx context.Context, s *store.Store) map[string]string {
	t.Helper()
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	var ctl *catalog.Control
	for _, c := range cats {
		if x := c.Control("CLD-03"); x != nil {
			ctl = x
		}
	}
	fs, err := s.Findings(ctx, store.FindingFilter{ControlID: "CLD-03"})
	if err != nil {
		t.Fatal(err)
	}
	bundle := i18n.MustNew()
	out := map[string]string{}
	for _, f := range fs {
		cf := catalog.Finding{Result: f.Result, TargetCode: f.TargetCode, Evidence: f.Evidence}
		out[f.TargetCode] = ctl.Sentence(bundle.For(i18n.JA), nil, cf) + " / " + ctl.Sentence(bundle.For(i18n.EN), nil, cf)
	}
	return out
}

func TestAddCloudListRefusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		snap := store.CloudListSnapshot{Kind: store.CloudListISMAP, AsOf: "2026-10-01", FileName: "a.csv", SHA256: strings.Repeat("a", 64), ImportedBy: "t"}
		e := []store.CloudListEntry{{Row: 2, RegistrationNumber: "C1", Service: "S", Provider: "P", ValidUntil: "2027-01-01"}}
		if _, err := s.AddCloudList(ctx, snap, append(e, store.CloudListEntry{Row: 3, RegistrationNumber: "ｃ１", Service: "T", Provider: "Q", ValidUntil: "2027-01-01"})); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("duplicate number: %v", err)
		}
		if _, err := s.AddCloudList(ctx, snap, e); err != nil {
			t.Fatal(err)
		}
		if _, err := s.AddCloudList(ctx, snap, e); mamori.KindOf(err) != mamori.Conflict {
			t.Errorf("same list and date again: %v", err)
		}
		snaps, err := s.CloudListSnapshots(ctx)
		if err != nil || len(snaps) != 1 || snaps[0].EntryCount != 1 {
			t.Errorf("snapshots %+v, %v: a refused import left something", snaps, err)
		}
	})
}
