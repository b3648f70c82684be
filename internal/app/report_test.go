package app_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDemoCheckReport runs the README's sequence on a fresh database:
// small demo without serving, check, then the audit report in each format.
func TestDemoCheckReport(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "demo.db")
	if r := run(t, nil, "--db", db, "report", "audit", "--format", "md"); r.code != 1 || !strings.Contains(r.stderr, "mamori check") {
		t.Errorf("report before any check = %+v, want exit 1 telling to run mamori check", r)
	}
	if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--db", db); r.code != 0 {
		t.Fatalf("demo = %+v", r)
	}
	r := run(t, nil, "--db", db, "check", "--today", "2026-11-01")
	if r.code != 0 || !strings.Contains(r.stdout, "REG-03") {
		t.Fatalf("check = %+v", r)
	}
	md := run(t, nil, "--db", db, "report", "audit", "--format", "md")
	if md.code != 0 || !strings.Contains(md.stdout, "機関の") || !strings.Contains(md.stdout, "システム") {
		t.Errorf("report audit md = exit %d, stderr %s\n%s", md.code, md.stderr, md.stdout)
	}
	html := run(t, nil, "--db", db, "report", "audit", "--format", "html")
	if html.code != 0 || !strings.Contains(html.stdout, "<html") {
		t.Errorf("report audit html = exit %d, %s", html.code, html.stderr)
	}
	xlsx := filepath.Join(dir, "audit.xlsx")
	if r := run(t, nil, "--db", db, "report", "audit", "--format", "xlsx", "--out", xlsx); r.code != 0 {
		t.Errorf("report audit xlsx = %+v", r)
	} else if fi, err := os.Stat(xlsx); err != nil || fi.Size() == 0 {
		t.Errorf("xlsx report: %v", err)
	}
	if r := run(t, nil, "--db", db, "report", "audit", "--fy", "令和8年度", "--format", "json"); r.code != 0 || !strings.HasPrefix(strings.TrimSpace(r.stdout), "{") {
		t.Errorf("report audit json = %+v", r)
	}
	if r := run(t, nil, "--db", db, "report", "bogus"); r.code != 2 {
		t.Errorf("report bogus = %+v, want exit 2", r)
	}
}
