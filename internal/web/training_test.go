package web_test

import (
	"log/slog"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestTrainingPages: the list shows the viewer's course with its rates in
// both languages, the course page its people with their scores, and a
// course of another ministry answers 404 naming nothing of it.
func TestTrainingPages(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		treeFixture(t, s)
		h := web.New(s, slog.New(slog.DiscardHandler), "test")
		secret := roleSession(t, s, "viewer-ma", "viewer", "MA")
		rec := do(h, "GET", "/training?fy=2025", secret, nil)
		body := rec.Body.String()
		if rec.Code != 200 || !strings.Contains(body, "ZZMAZZの研修") || !strings.Contains(body, "100.0%") || strings.Contains(body, "ZZMBZZ") ||
			!strings.Contains(body, "<svg") {
			t.Fatalf("/training = %d\n%s", rec.Code, body)
		}
		if rec := do(h, "GET", "/training?fy=2025&lang=en", secret, nil); rec.Code != 200 || !strings.Contains(rec.Body.String(), "Comprehension pass rate") {
			t.Errorf("/training in English = %d\n%s", rec.Code, rec.Body.String())
		}
		rec = do(h, "GET", "/training/TR-ZZMAZZ", secret, nil)
		if body := rec.Body.String(); rec.Code != 200 || !strings.Contains(body, "ZZMAZZ職員") || !strings.Contains(body, ">80<") {
			t.Errorf("/training/TR-ZZMAZZ = %d\n%s", rec.Code, body)
		}
		// A deployment's own threshold (catalog set) is the one the page marks.
		if err := s.SetParam(t.Context(), store.ParamOverride{CatalogID: "unified", ControlID: "PLN-08", ParamID: "min_pass_percent", Value: "101"}); err != nil {
			t.Fatal(err)
		}
		if body := do(h, "GET", "/training?fy=2025", secret, nil).Body.String(); !strings.Contains(body, "合格率101%以上") || strings.Count(body, "基準未満") < 3 {
			t.Errorf("the overridden threshold is not applied\n%s", body)
		}
		if rec := do(h, "GET", "/training/TR-ZZMBZZ", secret, nil); rec.Code != 404 || strings.Contains(rec.Body.String(), "ZZMBZZの研修") {
			t.Errorf("another ministry's course = %d", rec.Code)
		}
	})
}
