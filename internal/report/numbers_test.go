package report

import (
	"bytes"
	"strings"
	"testing"
)

// TestCountsHaveSeparators: the HTML and Markdown reports, read by people,
// write counts with thousands separators in their tables and notes, as the
// sentences already do («58 / 1,621», not «58 / 1621»).
func TestCountsHaveSeparators(t *testing.T) {
	tiers := []TierCount{{Tier: "central", JA: "本府省庁等", EN: "Central offices", Orgs: 58, Targets: 1621}}
	r := &Report{FiscalYear: 2026, FiscalYearJA: "令和8年度", Controls: []Control{{
		ID: "OUT-01", Title: "仕様書7事項の欠落", TitleEN: "Missing items", Target: "contract", Unit: "契約", UnitEN: "contracts",
		Tiers: tiers, Orgs: 58, Targets: 1621, Failed: Count{Orgs: 58, Targets: 1621, Tiers: tiers},
		Applicable: Count{Orgs: 1200, Targets: 13286, Tiers: []TierCount{{Tier: "central", Orgs: 1200, Targets: 13286}}},
		Fail:       1621, ApplicableTargets: 13286, ShareUnit: "契約", ShareUnitEN: "contracts",
		Years: []YearCount{{Year: Year{FiscalYear: 2025, JA: "令和7年度"}, Orgs: 1024, Failed: 2048, Unknown: 4096}},
	}}}
	var h, m bytes.Buffer
	if err := r.HTML(&h); err != nil {
		t.Fatal(err)
	}
	if err := r.Markdown(&m); err != nil {
		t.Fatal(err)
	}
	for name, out := range map[string]string{"HTML": h.String(), "Markdown": m.String()} {
		for _, want := range []string{"1,621", "1,200 / 13,286", "13,286", "1,024", "2,048", "4,096"} {
			if !strings.Contains(out, want) {
				t.Errorf("%s report lacks %q", name, want)
			}
		}
		for _, nope := range []string{"1621", "13286", "4096"} {
			if strings.Contains(out, nope) {
				t.Errorf("%s report writes %s without separators", name, nope)
			}
		}
	}
}
