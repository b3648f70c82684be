package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/replay"
	"mamori/internal/store/storetest"
)

// TestProjectCLI: the secure zone of seed 000, imported and checked, shows
// in `project list` and `project show` with its plan (none), its budget
// carried over, both contracts with the lease's share, the surveys and
// their unconfirmed condition, the months of no use and its GOV findings
// with the seed's amounts, on both stores.
func TestProjectCLI(t *testing.T) {
	bundle := filepath.Join(t.TempDir(), "seed000.json")
	if err := os.WriteFile(bundle, replay.Seed000().Bundle, 0o600); err != nil {
		t.Fatal(err)
	}
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			mamori := func(want int, args ...string) result {
				t.Helper()
				r := run(t, nil, append([]string{"--db", db}, args...)...)
				if r.code != want {
					t.Fatalf("mamori %v = exit %d, want %d\n%s%s", args, r.code, want, r.stdout, r.stderr)
				}
				return r
			}
			mamori(0, "import", bundle)
			mamori(0, "check", "--today", "2019-09-30")
			list := mamori(0, "project", "list")
			for _, want := range []string{"PJ-SZ", "PJ-GCPF", "18億8709万円"} {
				if !strings.Contains(list.stdout, want) {
					t.Errorf("project list lacks %q:\n%s", want, list.stdout)
				}
			}
			show := mamori(0, "project", "show", "PJ-SZ")
			for _, want := range []string{"K-LEASE", "3億5948万円", "2億2222万5000円", "2019-06-30", "FY2016", "supplementary",
				"情報をPCへダウンロードできること", "2018-03  0  0", "GOV-04", "GOV-09  system S-SZ  2億2222万5000円"} {
				if !strings.Contains(show.stdout, want) {
					t.Errorf("project show PJ-SZ lacks %q:\n%s", want, show.stdout)
				}
			}
			var d struct {
				Paid      int64                   `json:"paid"`
				Contracts []struct{ Code string } `json:"contract_list"`
			}
			js := mamori(0, "project", "show", "--format", "json", "PJ-SZ")
			if err := json.Unmarshal([]byte(js.stdout), &d); err != nil || d.Paid != 1887090000 || len(d.Contracts) != 2 {
				t.Errorf("project show --format json: paid %d, %d contracts, %v", d.Paid, len(d.Contracts), err)
			}
			if r := mamori(1, "project", "show", "NOPE"); !strings.Contains(r.stderr, "NOPE") {
				t.Errorf("project show NOPE: %s", r.stderr)
			}
			mamori(2, "project", "show")
			mamori(2, "project", "frobnicate")
		})
	}
}
