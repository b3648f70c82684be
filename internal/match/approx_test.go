package match_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// Configurations whose shape decides how an approximate satisfaction
// counts (all synthetic, NVD 2.0 records).
const approxRecords = `{"id":"CVE-2099-0201","published":"2026-12-06T00:00:00.000","lastModified":"2026-12-06T00:00:00.000","vulnStatus":"Analyzed","descriptions":[{"lang":"en","value":"SYNTHETIC: one AND node holding the vulnerable product and its x64 platform, in a configuration without operator (NVD 1.1 AND nodes become this)."}],"configurations":[{"nodes":[{"operator":"AND","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:rv:app1:1.0:*:*:*:*:*:*:*"},{"vulnerable":false,"criteria":"cpe:2.3:o:rv:os1:1:*:*:*:*:*:x64:*"}]}]}]}
{"id":"CVE-2099-0202","published":"2026-12-06T00:00:00.000","lastModified":"2026-12-06T00:00:00.000","vulnStatus":"Analyzed","descriptions":[{"lang":"en","value":"SYNTHETIC: an OR of two nodes; the first, exact, does not hold; the second holds only through an unstated target_hw."}],"configurations":[{"operator":"OR","nodes":[{"operator":"AND","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:rv:app2a:1.0:*:*:*:*:*:*:*"},{"vulnerable":false,"criteria":"cpe:2.3:o:rv:absent:1:*:*:*:*:*:*:*"}]},{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:rv:app2c:2.0:*:*:*:*:*:x64:*"}]}]}]}
{"id":"CVE-2099-0203","published":"2026-12-06T00:00:00.000","lastModified":"2026-12-06T00:00:00.000","vulnStatus":"Analyzed","descriptions":[{"lang":"en","value":"SYNTHETIC: an exact x64 server release."}],"configurations":[{"nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:o:rv:server_os:r2:sp1:*:*:*:*:x64:*"}]}]}]}
{"id":"CVE-2099-0204","published":"2026-12-06T00:00:00.000","lastModified":"2026-12-06T00:00:00.000","vulnStatus":"Analyzed","descriptions":[{"lang":"en","value":"SYNTHETIC: a product below 2.0 when not running on the x86 build (a negated platform node)."}],"configurations":[{"operator":"AND","nodes":[{"operator":"OR","negate":false,"cpeMatch":[{"vulnerable":true,"criteria":"cpe:2.3:a:rv:app3:*:*:*:*:*:*:*:*","versionEndExcluding":"2.0"}]},{"operator":"OR","negate":true,"cpeMatch":[{"vulnerable":false,"criteria":"cpe:2.3:o:rv:os3:1:*:*:*:*:*:x86:*"}]}]}]}
`

// TestApproximateConfigurations: a configuration that holds only through
// an unstated attribute says so at confidence 70, whatever the shape of
// its nodes; the hit is named by a criterion of a node that holds; a CPE
// 2.2 edition counts as stated; a negated node is judged exactly.
func TestApproximateConfigurations(t *testing.T) {
	type want struct {
		found  bool
		conf   int
		detail string // a substring of the detail
	}
	cases := []struct {
		name string
		cpes []string
		vuln string
		want want
	}{
		{"and-node-platform-unstated", []string{"cpe:2.3:a:rv:app1:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:rv:os1:1:*:*:*:*:*:*:*"}, "CVE-2099-0201",
			want{true, match.ConfidenceUnstated, "target_hw unstated"}},
		{"and-node-platform-stated", []string{"cpe:2.3:a:rv:app1:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:rv:os1:1:*:*:*:*:*:x64:*"}, "CVE-2099-0201",
			want{true, 90, "app1"}},
		{"or-config-holding-node", []string{"cpe:2.3:a:rv:app2a:1.0:*:*:*:*:*:*:*", "cpe:2.3:a:rv:app2c:2.0:*:*:*:*:*:*:*"}, "CVE-2099-0202",
			want{true, match.ConfidenceUnstated, "app2c"}},
		{"cpe22-edition-states-x86", []string{"cpe:/o:rv:server_os:r2:sp1:x86"}, "CVE-2099-0203", want{false, 0, ""}},
		{"cpe22-no-edition", []string{"cpe:/o:rv:server_os:r2:sp1"}, "CVE-2099-0203", want{true, match.ConfidenceUnstated, "target_hw unstated"}},
		{"negated-platform-unstated", []string{"cpe:2.3:a:rv:app3:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:rv:os3:1:*:*:*:*:*:*:*"}, "CVE-2099-0204",
			want{true, match.ConfidenceUnstated, "negated criterion may apply"}},
		{"negated-platform-x86", []string{"cpe:2.3:a:rv:app3:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:rv:os3:1:*:*:*:*:*:x86:*"}, "CVE-2099-0204", want{false, 0, ""}},
		{"negated-platform-x64", []string{"cpe:2.3:a:rv:app3:1.0:*:*:*:*:*:*:*", "cpe:2.3:o:rv:os3:1:*:*:*:*:*:x64:*"}, "CVE-2099-0204", want{true, 90, "app3"}},
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		var tcs []*truthCase
		for _, c := range cases {
			tc := &truthCase{name: c.name}
			for _, n := range c.cpes {
				tc.rows = append(tc.rows, truthRow{vendor: "rv", product: n, version: "1", cpe: n})
			}
			tcs = append(tcs, tc)
		}
		loadCases(t, st, tcs)
		path := filepath.Join(t.TempDir(), "approx.jsonl")
		if err := os.WriteFile(path, []byte(approxRecords), 0o644); err != nil {
			t.Fatal(err)
		}
		res, err := feed.ImportPath(ctx, st, path, feed.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Err(); err != nil {
			t.Fatal(err)
		}
		if _, err := match.Run(ctx, st, match.Options{Now: truthDay(0)}); err != nil {
			t.Fatal(err)
		}
		for _, c := range cases {
			ms, err := st.Matches(ctx, store.MatchFilter{OwnerCode: "I-" + c.name, VulnID: c.vuln, OpenOnly: true})
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case !c.want.found && len(ms) > 0:
				t.Errorf("%s: found %s at %d (%s), want no match", c.name, c.vuln, ms[0].Confidence, ms[0].Detail)
			case c.want.found && len(ms) == 0:
				t.Errorf("%s: %s not found", c.name, c.vuln)
			case c.want.found && (ms[0].Confidence != c.want.conf || !strings.Contains(ms[0].Detail, c.want.detail)):
				t.Errorf("%s: %s at %d (%s), want %d with %q", c.name, c.vuln, ms[0].Confidence, ms[0].Detail, c.want.conf, c.want.detail)
			}
		}
	})
}
