package app_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestTrainingCommands: training list and show on the small demo, the
// rates per body and in total, a course's people, and clear refusals of a
// course that does not exist and a fiscal year that is none.
func TestTrainingCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", "2026-12-01", "--db", db); r.code != 0 {
		t.Fatalf("demo = %d\n%s", r.code, r.stderr)
	}
	r := run(t, nil, "--db", db, "training", "list", "--fy", "令和7年度")
	if r.code != 0 || !strings.Contains(r.stdout, "M03-TR2025-GEN") || !strings.Contains(r.stdout, "total") ||
		strings.Contains(r.stdout, "TR2024") {
		t.Fatalf("training list = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	// The plan that delivered nothing: required, none attended.
	if !strings.Contains(r.stdout, "P21-M0001-TR2025-GEN") {
		t.Errorf("no undelivered course in the list:\n%s", r.stdout)
	}
	r = run(t, nil, "--db", db, "training", "list", "--format", "json", "--org", "M03")
	// The courses' keys are written like the totals' (and the API's), not
	// as Go's field names.
	if r.code != 0 || !strings.Contains(r.stdout, `"attendance_permille"`) || strings.Contains(r.stdout, "P21") ||
		!strings.Contains(r.stdout, `"org_code": "M03"`) || !strings.Contains(r.stdout, `"delivered_from"`) || strings.Contains(r.stdout, `"OrgCode"`) {
		t.Errorf("training list --format json --org M03 = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "--db", db, "training", "show", "M03-TR2025-GEN")
	if r.code != 0 || !strings.Contains(r.stdout, "must attend: M03 and its subtree, all staff") || !strings.Contains(r.stdout, "M03-P0001") {
		t.Errorf("training show = %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if r := run(t, nil, "--db", db, "training", "show", "NO-SUCH"); r.code != 1 || !strings.Contains(r.stderr, "NO-SUCH") {
		t.Errorf("training show NO-SUCH = %d\n%s", r.code, r.stderr)
	}
	if r := run(t, nil, "--db", db, "training", "list", "--fy", "someday"); r.code != 2 || !strings.Contains(r.stderr, "--fy") {
		t.Errorf("training list --fy someday = %d\n%s", r.code, r.stderr)
	}
}
