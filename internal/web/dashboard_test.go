package web_test

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

// TestDashboardRefresh: after an assessment the dashboard first serves the
// previous figures, rebuilds in the background, and then shows the new ones.
func TestDashboardRefresh(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "all", "ORG-A", "ORG-C")
	if body := do(h, "GET", "/dashboard", "", nil).Body.String(); !strings.Contains(body, `href="/findings?control=REG-03"`) {
		t.Fatal("dashboard lacks REG-03 before the new assessment")
	}
	// A new whole-register assessment in which REG-03 passes everywhere.
	at := time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC)
	err := s.SaveAssessment(t.Context(), store.Assessment{ID: "A2", StartedAt: at, FinishedAt: at, ReferenceDate: "2025-04-01",
		Catalogs: "{}", Params: "{}", Scope: `{"org":"","system":""}`},
		[]store.ControlResult{{ControlID: "REG-03", Pass: 65}}, nil, store.FindingScope{Controls: []string{"REG-03"}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(10 * time.Second)
	for {
		body := do(h, "GET", "/dashboard", "", nil).Body.String()
		if !strings.Contains(body, `href="/findings?control=REG-03"`) {
			if !strings.Contains(body, "LG-01") {
				t.Fatalf("refreshed dashboard lost LG-01:\n%s", body)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatal("dashboard still shows REG-03 ten seconds after the assessment that resolved it")
		}
		time.Sleep(20 * time.Millisecond)
	}
}
