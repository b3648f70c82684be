package match

import (
	"testing"

	"mamori/internal/store"
)

// TestApplyFacts: an exposure's facts come from every identifier it
// answers to: its own title first, the highest score with that score's
// severity, the earliest KEV deadline, the highest EPSS.
func TestApplyFacts(t *testing.T) {
	facts := map[string]*store.VulnFacts{
		// Its own record: CVSS 4.0 only, critical.
		"CVE-2099-0001": {ID: "CVE-2099-0001", Title: "own", CVSS4: 93, Severity: "CRITICAL", EPSS: 100},
		// An alias with a lower CVSS 3.1 score and a KEV entry.
		"CVE-2099-0002": {ID: "CVE-2099-0002", Title: "alias", CVSS3: 53, Severity: "MEDIUM", KEVDue: "2026-10-22", EPSS: 5000},
		"GHSA-x":        {ID: "GHSA-x", KEVDue: "2026-11-30", EPSS: -1},
	}
	e := Exposure{VulnID: "CVE-2099-0001", Aliases: []string{"CVE-2099-0002", "GHSA-x"}}
	e.applyFacts(facts)
	if e.Title != "own" || e.Severity != "CRITICAL" || e.CVSS4 != 9.3 || e.CVSS3 != 5.3 || e.KEVDue != "2026-10-22" || e.EPSS != 0.05 {
		t.Errorf("exposure %+v: want own title, CRITICAL with CVSS4 9.3 and CVSS3 5.3, KEV due 2026-10-22, EPSS 0.05", e)
	}
	// The alias scores higher: its severity wins.
	facts["CVE-2099-0002"].CVSS3, facts["CVE-2099-0002"].Severity = 98, "CRITICAL"
	facts["CVE-2099-0001"].CVSS4, facts["CVE-2099-0001"].Severity = 51, "MEDIUM"
	e = Exposure{VulnID: "CVE-2099-0001", Aliases: []string{"CVE-2099-0002"}}
	e.applyFacts(facts)
	if e.Severity != "CRITICAL" || e.CVSS3 != 9.8 {
		t.Errorf("exposure %+v: want CRITICAL from the alias's 9.8", e)
	}
}
