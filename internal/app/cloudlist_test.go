package app_test

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestCloudlistCommands: a list imported from the repository's sample
// (the published layout, UTF-8 with a BOM) shows as a snapshot; the same
// list and date again, a wrong kind and a missing file are refused.
func TestCloudlistCommands(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	sample := "../../testdata/cloudlists/ismap-sample.csv"
	r := run(t, nil, "--db", db, "cloudlist", "import", sample, "--kind", "ismap")
	if r.code != 0 || !strings.Contains(r.stdout, "2026-10-01") || !strings.Contains(r.stdout, "3件") {
		t.Fatalf("import: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "--db", db, "cloudlist", "show")
	if r.code != 0 || !strings.Contains(r.stdout, "ismap-sample.csv") || !strings.Contains(r.stdout, "最新/newest") {
		t.Errorf("show: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	r = run(t, nil, "--db", db, "cloudlist", "show", "--format", "json")
	if r.code != 0 || !strings.Contains(r.stdout, `"as_of": "2026-10-01"`) {
		t.Errorf("show json: exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "--kind", "ismap", sample}, 1, "already imported"},
		{[]string{"import", sample, "--kind", "iso"}, 1, "ismap-liu"},
		{[]string{"import", sample}, 2, "--kind"},
		{[]string{"import", "--kind", "ismap", "nothing.csv"}, 1, "nothing.csv"},
		{[]string{"import", "--kind", "ismap", "--as", "nobody", sample}, 1, "nobody"},
		{[]string{"frobnicate"}, 2, "unknown cloudlist command"},
	} {
		r := run(t, nil, append([]string{"--db", db, "cloudlist"}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.want) {
			t.Errorf("cloudlist %v: exit %d, want %d saying %q\n%s", c.args, r.code, c.code, c.want, r.stderr)
		}
	}
}
