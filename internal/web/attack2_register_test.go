package web_test

import (
	"log/slog"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestAttack2RegisterOddKeys: a record's address that is no text (bytes
// that are not UTF-8, a NUL, a broken escape) addresses no record, on
// both stores: 404 as a missing record, never a store error.
func TestAttack2RegisterOddKeys(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "officer-ma", "system_officer@MA")
		for _, p := range []string{"/register/systems/%FF", "/register/systems/SYS%00", "/register/systems/%E3%81",
			"/register/system_costs/%FF/2025/operation", "/register/organizations/%C0%AF"} {
			for _, m := range []string{"GET", "POST"} {
				res := do(h, m, p, officer, nil)
				if res.Code != 404 {
					t.Errorf("%s %s = %d, want 404\n%s", m, p, res.Code, clipBody(res.Body.String()))
				}
			}
		}
	})
}
