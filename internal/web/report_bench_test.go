package web_test

import (
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"html"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/web"
)

var reportScale = flag.String("report-scale", "small", "demo scale BenchmarkReportPage generates when -bench-db is not set (small, city, national)")

// BenchmarkReportPage measures the audit report inside the site as a
// whole-government viewer: the first request (which builds the report),
// then the page in each language and the lists behind its largest number,
// printing each page's size and its latency percentiles. It runs on
// -bench-db (a checked demo database), or generates the demo at
// -report-scale into a temporary SQLite file and checks it:
//
//	go test ./internal/web -run '^$' -bench ReportPage -benchtime 200x -report-scale national -timeout 30m
//
// Target on the national demo: the page under 500 KB, p99 under 300 ms.
func BenchmarkReportPage(b *testing.B) {
	ctx := b.Context()
	dsn := *benchDB
	if dsn == "" {
		scale, err := demo.ParseScale(*reportScale)
		if err != nil {
			b.Fatal(err)
		}
		dsn = filepath.Join(b.TempDir(), "demo.db")
		st, err := store.Open(ctx, dsn)
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Migrate(ctx); err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if _, err := demo.Generate(ctx, st, demo.Options{Scale: scale}); err != nil {
			b.Fatal(err)
		}
		cats, err := catalog.Builtin()
		if err != nil {
			b.Fatal(err)
		}
		if _, err := check.Run(ctx, st, cats, check.Options{}); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("%s demo generated and checked in %s\n", *reportScale, time.Since(start).Round(time.Second))
		st.Close()
	}
	st, err := store.Open(ctx, dsn)
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	// A viewer of the whole government: a grant on every root.
	var grants []store.RoleGrant
	orgs := mamori.EntityByName("organizations")
	if err := st.Dump(ctx, orgs, func(r mamori.Record) error {
		if r[orgs.FieldIndex("parent_code")] == nil {
			grants = append(grants, store.RoleGrant{Role: "viewer", OrgCode: r[orgs.FieldIndex("code")].(string)})
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	name := fmt.Sprintf("bench-report-%d", time.Now().UnixNano())
	now := time.Now()
	if err := auth.CreateUser(ctx, st, auth.NewUser{Name: name, Password: "correct horse battery staple", Grants: grants}, now); err != nil {
		b.Fatal(err)
	}
	secret := "bench-" + name
	sum := sha256.Sum256([]byte(secret))
	if err := st.CreateSession(ctx, store.Session{IDHash: hex.EncodeToString(sum[:]), UserName: name, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(24 * time.Hour)}); err != nil {
		b.Fatal(err)
	}
	h := web.New(st, slog.New(slog.DiscardHandler), "bench")
	get := func(path string) (int, int, time.Duration) {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("GET", path, nil)
		req.Header.Set("Cookie", "mamori_session="+secret)
		start := time.Now()
		h.ServeHTTP(rec, req)
		return rec.Code, rec.Body.Len(), time.Since(start)
	}
	code, size, first := get("/report")
	if code != 200 {
		b.Fatalf("GET /report = %d", code)
	}
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	fmt.Printf("first /report (builds the report): %s, %d bytes; heap in use after: %d MiB\n", first.Round(time.Millisecond), size, ms.HeapInuse>>20)

	pages := []string{"/report", "/report?lang=en"}
	if list, rows := largestList(h, secret); list != "" {
		fmt.Printf("largest list: %d rows (%s)\n", rows, list)
		pages = append(pages, list, fmt.Sprintf("%s&page=%d", list, (rows+49)/50))
	}
	for _, p := range pages {
		b.Run(p, func(b *testing.B) {
			var lat []time.Duration
			bytes := 0
			for b.Loop() {
				code, n, d := get(p)
				if code != 200 {
					b.Fatalf("GET %s = %d", p, code)
				}
				lat, bytes = append(lat, d), n
			}
			slices.Sort(lat)
			pct := func(q float64) time.Duration { return lat[min(len(lat)-1, int(q*float64(len(lat))))] }
			b.ReportMetric(float64(bytes), "page-bytes")
			b.ReportMetric(float64(pct(0.50).Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(pct(0.99).Microseconds())/1000, "p99-ms")
			b.Logf("%s: %d bytes (%.0f KB), %d requests, p50 %s, p99 %s, max %s", p, bytes, float64(bytes)/1024, len(lat),
				pct(0.50).Round(10*time.Microsecond), pct(0.99).Round(10*time.Microsecond), lat[len(lat)-1].Round(10*time.Microsecond))
		})
	}
}

// largestList returns the link of the report page's number with the most
// rows behind it.
func largestList(h http.Handler, secret string) (string, int) {
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("GET", "/report", nil)
	req.Header.Set("Cookie", "mamori_session="+secret)
	h.ServeHTTP(rec, req)
	best, most := "", -1
	for _, m := range listLink.FindAllStringSubmatch(rec.Body.String(), -1) {
		if n, _ := strconv.Atoi(strings.ReplaceAll(m[2], ",", "")); n > most {
			best, most = html.UnescapeString(m[1]), n
		}
	}
	return best, most
}
