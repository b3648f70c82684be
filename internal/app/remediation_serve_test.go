package app

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestServeNotifiesAssignment: serve's handler gives its pages and its API
// the notifier, so an assignment over the API queues a notification to
// the assignee; without anything configured, nothing is queued.
func TestServeNotifiesAssignment(t *testing.T) {
	for _, configured := range []bool{true, false} {
		t.Run(fmt.Sprint("configured=", configured), func(t *testing.T) {
			s := storetest.OpenSQLite(t)
			ctx := t.Context()
			e := mamori.EntityByName("organizations")
			r := make(mamori.Record, len(e.Fields))
			r[e.FieldIndex("code")], r[e.FieldIndex("kind")], r[e.FieldIndex("name")] = "M01", "ministry", "総務省"
			if err := s.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error { return l.Put(e, []mamori.Record{r}) }); err != nil {
				t.Fatal(err)
			}
			now := time.Now()
			for name, role := range map[string]string{"sec": "org_security", "fixer@example.go.jp": "system_officer"} {
				if err := auth.CreateUser(ctx, s, auth.NewUser{Name: name, Password: "correct horse battery staple",
					Grants: []store.RoleGrant{{Role: role, OrgCode: "M01"}}}, now); err != nil {
					t.Fatal(err)
				}
			}
			sec, err := s.User(ctx, "sec")
			if err != nil {
				t.Fatal(err)
			}
			wf, err := workflow.New(s, workflow.All()...)
			if err != nil {
				t.Fatal(err)
			}
			it, err := wf.Create(ctx, sec, "remediation", workflow.NewItem{Subject: "FND-1", OrgCode: "M01", Severity: "low"})
			if err != nil {
				t.Fatal(err)
			}
			token, err := auth.IssueToken(ctx, s, "sec", "test", []string{auth.ScopeRead, auth.ScopeWrite}, time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			var cfg notify.Config
			if configured {
				cfg.Webhooks = notify.Webhooks{URLs: []string{"http://127.0.0.1:9/hook"}, Secret: []byte("0123456789abcdef0123")}
			}
			n, err := notify.New(s, cfg)
			if err != nil {
				t.Fatal(err)
			}
			h := handler(s, slog.New(slog.DiscardHandler), workflow.Options{BaseURL: "https://mamori.example.go.jp"}, n)
			req := httptest.NewRequest("POST", fmt.Sprintf("/api/v1/workflows/%d/transitions", it.ID),
				strings.NewReader(`{"transition":"assign","version":1,"assignee":"fixer@example.go.jp"}`))
			req.Header.Set("Authorization", "Bearer "+token)
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				t.Fatalf("assign over the API = %d\n%s", rec.Code, rec.Body.String())
			}
			out, err := s.FindOutbox(ctx, "", 10)
			if err != nil {
				t.Fatal(err)
			}
			want := 0
			if configured {
				want = 1
			}
			link := fmt.Sprintf("https://mamori.example.go.jp/workflows/%d", it.ID)
			if len(out) != want || (want == 1 && (out[0].Kind != "assignment" || !strings.Contains(out[0].Payload, "fixer@example.go.jp") ||
				!strings.Contains(out[0].Payload, link))) {
				t.Errorf("outbox = %+v, want %d assignment", out, want)
			}
		})
	}
}

// TestCheckBaseURL: serve's --base-url takes the address users reach
// mamori at, and nothing that would make a notification's link misleading.
func TestCheckBaseURL(t *testing.T) {
	for raw, want := range map[string]string{
		"":                              "",
		"https://mamori.example.go.jp":  "https://mamori.example.go.jp",
		"https://mamori.example.go.jp/": "https://mamori.example.go.jp",
		"http://10.0.0.5:8080/mamori/":  "http://10.0.0.5:8080/mamori",
	} {
		if got, err := checkBaseURL(raw); err != nil || got != want {
			t.Errorf("checkBaseURL(%q) = %q, %v; want %q", raw, got, err, want)
		}
	}
	for _, raw := range []string{"mamori.example.go.jp", "javascript:alert(1)", "https://", "https://h/?q=1", "https://h/#x",
		"https://user:pw@h", "ftp://h"} {
		if _, err := checkBaseURL(raw); err == nil {
			t.Errorf("checkBaseURL(%q) accepted", raw)
		}
	}
}
