package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"log/slog"
	"net/http/httptest"
	"testing"
	"time"

	"mamori/internal/store"
	"mamori/internal/web"
)

var benchDB = flag.String("bench-db", "", "database for BenchmarkPages (SQLite path or postgres:// DSN) with the demo's accounts")

// BenchmarkPages renders the busiest pages in-process on -bench-db as the
// demo's whole-government viewer, to profile a page without the network.
// The load figures over HTTP come from bench/load.
func BenchmarkPages(b *testing.B) {
	if *benchDB == "" {
		b.Skip("-bench-db not set")
	}
	st, err := store.Open(b.Context(), *benchDB)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	secret := "bench-session"
	sum := sha256.Sum256([]byte(secret))
	now := time.Now()
	hash := hex.EncodeToString(sum[:])
	st.DeleteSession(b.Context(), hash)
	if err := st.CreateSession(b.Context(), store.Session{IDHash: hash, UserName: "demo", CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(time.Hour)}); err != nil {
		b.Fatal(err)
	}
	h := web.New(st, slog.New(slog.DiscardHandler), "bench")
	for _, p := range []string{"/dashboard", "/systems", "/systems?page=2000", "/systems/A01-S00001", "/systems/P13-M0001-S00001", "/findings", "/findings?page=500"} {
		b.Run(p, func(b *testing.B) {
			for b.Loop() {
				rec := httptest.NewRecorder()
				req := httptest.NewRequest("GET", p, nil)
				req.Header.Set("Cookie", "mamori_session="+secret)
				h.ServeHTTP(rec, req)
				if rec.Code != 200 {
					b.Fatalf("GET %s = %d", p, rec.Code)
				}
			}
		})
	}
}
