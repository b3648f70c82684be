package web_test

import (
	"log/slog"
	"strings"
	"testing"

	"mamori/internal/register"
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

// TestAttack2RegisterLongRecordSaved: a record may hold texts as long as a
// workbook's cell (a system's configuration written out at length), which
// the import stores; its editor's form is then far beyond the 64 KiB other
// forms are bounded by. Before, such a record could not be saved in the
// browser at all ("the form cannot be read"); the bound now follows the
// entity's fields, for a user who may write the record, and a form beyond
// it is refused as too large.
func TestAttack2RegisterLongRecordSaved(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		officer := grantedSession(t, s, "officer-ma", "system_officer@MA")
		viewer := grantedSession(t, s, "viewer-ma", "viewer@MA")
		own := "/register/systems/SYS-ZZMAZZ"
		rec := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ")
		form := recordForm(systemsEntity, rec, register.Version(systemsEntity, rec))
		long := strings.Repeat("構成", 10000)
		form.Set("configuration", long)
		if len(form.Encode()) <= 64<<10 {
			t.Fatalf("the form is only %d bytes", len(form.Encode()))
		}
		wantCode(t, do(h, "POST", own, viewer, form), 403, "a viewer's long form")
		res := do(h, "POST", own, officer, form)
		wantCode(t, res, 303, "a long configuration")
		saved := storedRecord(t, s, systemsEntity, "SYS-ZZMAZZ")
		if saved[systemsEntity.FieldIndex("configuration")] != long {
			t.Errorf("configuration not saved")
		}
		form.Set("version", register.Version(systemsEntity, saved))
		form.Set("padding", strings.Repeat("x", 64<<20))
		wantCode(t, do(h, "POST", own, officer, form), 413, "a form beyond every field's bound")
		wantCode(t, do(h, "POST", "/register/new/systems", officer, form), 413, "a new record's form beyond every field's bound")
		wantCode(t, do(h, "POST", "/register/new/systems", viewer, form), 403, "a viewer's large new record")
	})
}
