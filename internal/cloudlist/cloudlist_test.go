package cloudlist_test

import (
	"context"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/cloudlist"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

const listCSV = "ISMAPクラウドサービスリスト\n令和8年10月1日時点\n\n" +
	"登録番号,クラウドサービスの名称,クラウドサービス事業者の名称,登録日,有効期限\n" +
	"C21-0001-1,Aクラウド,A社,2021-03-01,2027-06-30\n"

// tree loads a government with two ministries and returns users: a
// central administrator of the whole, one of a ministry only, and a
// ministry's security officer.
func tree(t *testing.T, s *store.Store) map[string]store.User {
	t.Helper()
	ctx := t.Context()
	bundle := `{"format":"mamori-register","version":1,"organizations":[{"code":"GOV","kind":"government","name":"政府"},
		{"code":"M1","parent_code":"GOV","kind":"ministry","name":"一省"},{"code":"M2","parent_code":"GOV","kind":"ministry","name":"二省"}]}`
	if _, err := register.Import(ctx, s, []register.Input{{Name: "org.json", Data: []byte(bundle)}}); err != nil {
		t.Fatal(err)
	}
	users := map[string]store.User{}
	for name, g := range map[string]store.RoleGrant{
		"central": {OrgCode: "GOV", Role: "central_admin"},
		"m1admin": {OrgCode: "M1", Role: "central_admin"},
		"m2sec":   {OrgCode: "M2", Role: "org_security"},
	} {
		u := store.User{Name: name, DisplayName: name, PasswordHash: "x"}
		if err := s.CreateUser(ctx, u); err != nil {
			t.Fatal(err)
		}
		if err := s.GrantRole(ctx, name, g); err != nil {
			t.Fatal(err)
		}
		var err error
		if users[name], err = s.User(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	return users
}

func TestImportAs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		users := tree(t, s)
		req := cloudlist.Request{FileName: "ismap.csv", Data: []byte(listCSV), Kind: "ismap"}
		// A ministry's administrator, however senior, may not change what
		// every ministry is checked against.
		for _, name := range []string{"m1admin", "m2sec"} {
			if _, err := cloudlist.ImportAs(ctx, s, users[name], req); mamori.KindOf(err) != mamori.Forbidden {
				t.Errorf("%s: %v, want forbidden", name, err)
			}
		}
		snap, err := cloudlist.ImportAs(ctx, s, users["central"], req)
		if err != nil {
			t.Fatal(err)
		}
		if snap.AsOf != "2026-10-01" || snap.EntryCount != 1 || len(snap.SHA256) != 64 || snap.ImportedBy != "central" {
			t.Errorf("snapshot %+v", snap)
		}
		// The same list and date again, and a broken file: refused, audited.
		if _, err := cloudlist.ImportAs(ctx, s, users["central"], req); mamori.KindOf(err) != mamori.Conflict {
			t.Errorf("again: %v", err)
		}
		bad := req
		bad.Data, bad.AsOf = []byte(strings.Replace(listCSV, "2027-06-30", "いつか", 1)), "2026-11-01"
		if _, err := cloudlist.ImportAs(ctx, s, users["central"], bad); err == nil || !strings.Contains(err.Error(), "row 5") {
			t.Errorf("bad row: %v", err)
		}
		snaps, err := s.CloudListSnapshots(ctx)
		if err != nil || len(snaps) != 1 {
			t.Errorf("snapshots %v, %v", snaps, err)
		}
		entries, _, err := s.AuditEntries(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		actions := map[string]int{}
		for _, e := range entries {
			if strings.HasPrefix(e.Target, "cloud_lists") {
				actions[e.Action]++
			}
		}
		if actions["import"] != 1 || actions["import_refused"] != 4 {
			t.Errorf("audit actions %v", actions)
		}
	})
}

func TestImportAsOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := context.Background()
		noDate := strings.Replace(listCSV, "令和8年10月1日時点", "", 1)
		_, err := cloudlist.Import(ctx, s, "cli", cloudlist.Request{FileName: "a.csv", Data: []byte(noDate), Kind: "ismap-liu"})
		if err == nil || !strings.Contains(err.Error(), "--as-of") {
			t.Errorf("no date: %v", err)
		}
		snap, err := cloudlist.Import(ctx, s, "cli", cloudlist.Request{FileName: "a.csv", Data: []byte(noDate), Kind: "ismap-liu", AsOf: "R8.4.1"})
		if err != nil || snap.AsOf != "2026-04-01" || snap.Kind != store.CloudListLIU {
			t.Errorf("%+v, %v", snap, err)
		}
	})
}
