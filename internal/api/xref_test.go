package api_test

import (
	"strings"
	"testing"

	"mamori"
	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestAPICrossReferences: ministry A's system names, as stored before
// imports kept references in scope, ministry B's standard image; the image's
// software and vulnerabilities show to no caller of A, and to a caller who
// may see both ministries.
func TestAPICrossReferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		tokens := fixture(t, st)
		err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
			if err := l.Put(mamori.EntityByName("images"), []mamori.Record{rec("images", map[string]any{"code": "IB", "org_code": "B-C", "name": "乙標準イメージ"})}); err != nil {
				return err
			}
			if err := l.Put(mamori.EntityByName("image_software"), []mamori.Record{rec("image_software",
				map[string]any{"image_code": "IB", "vendor": "otsu", "product": "otsu-secret-suite", "version": "1.0"})}); err != nil {
				return err
			}
			if err := l.Put(mamori.EntityByName("components"), []mamori.Record{rec("components",
				map[string]any{"code": "SA1-SV002", "system_code": "SA1", "kind": "server", "image_code": "IB"})}); err != nil {
				return err
			}
			return l.Put(store.VulnMatchesTable, []mamori.Record{{store.OwnerImage, "IB", "CVE-2099-0001", "otsu-secret-suite 1.0",
				"cpe", int64(100), "CVE-2099-0001", nil, "2026-10-01", "2026-11-01", nil, ""}})
		})
		if err != nil {
			t.Fatal(err)
		}
		h := api.New(st, nil)
		router := validator(t)
		for _, tc := range []struct {
			who, path string
			leak      bool
		}{
			{"alice", "/api/v1/systems/SA1", false},
			{"alice", "/api/v1/vulnerabilities", false},
			{"alice", "/api/v1/vulnerabilities?id=CVE-2099-0001", false},
			{"dave", "/api/v1/systems/SA1", true},
			{"dave", "/api/v1/vulnerabilities?id=CVE-2099-0001", true},
		} {
			code, body := get(t, h, router, tokens[tc.who], tc.path)
			if code != 200 {
				t.Fatalf("%s GET %s = %d\n%s", tc.who, tc.path, code, body)
			}
			for _, s := range []string{"otsu-secret-suite", "CVE-2099-0001\""} {
				if strings.Contains(body, s) != tc.leak {
					t.Errorf("%s GET %s: contains %q = %v, want %v\n%s", tc.who, tc.path, s, !tc.leak, tc.leak, body)
				}
			}
		}
	})
}
