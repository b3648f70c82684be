package app_test

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// demoVulnUncountered returns a demo system and a vulnerability open on
// it with no countermeasure.
func demoVulnUncountered(t *testing.T, db string) (system, vuln string) {
	t.Helper()
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	matches, err := st.Matches(t.Context(), store.MatchFilter{OpenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range matches {
		uses, err := st.OwnerUsesOf(t.Context(), [][2]string{{m.OwnerKind, m.OwnerCode}})
		if err != nil {
			t.Fatal(err)
		}
		for _, u := range uses {
			cms, err := st.CountermeasuresOf(t.Context(), []string{u.SystemCode})
			if err != nil {
				t.Fatal(err)
			}
			if !slices.ContainsFunc(cms, func(c store.Countermeasure) bool { return slices.Contains(m.IDs(), c.VulnID) }) {
				return u.SystemCode, m.VulnID
			}
		}
	}
	t.Fatal("no open vulnerability without a countermeasure in the demo")
	return "", ""
}

// TestVulnMatchReopens: a vulnerability's item resolved with no
// countermeasure is reopened by mamori when vuln match still finds the
// vulnerability on the system, on both stores.
func TestVulnMatchReopens(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", "2026-11-01", "--db", db); r.code != 0 {
				t.Fatalf("demo = %+v", r)
			}
			system, vuln := demoVulnUncountered(t, db)
			wf := func(args ...string) result { return run(t, nil, append([]string{"--db", db, "workflow"}, args...)...) }
			r := wf("open", "--as", "admin", "--vuln", vuln, "--system", system)
			m := regexp.MustCompile(`item (\d+) opened`).FindStringSubmatch(r.stdout)
			if r.code != 0 || m == nil {
				t.Fatalf("open --vuln = %+v", r)
			}
			id := m[1]
			for i, s := range [][]string{
				{"--as", "admin", "--transition", "assign", "--assignee", "admin"},
				{"--as", "admin", "--transition", "start"},
				{"--as", "admin", "--transition", "resolve"},
			} {
				args := append([]string{"act", id, "--version", fmt.Sprint(i + 1)}, s...)
				if r := wf(args...); r.code != 0 {
					t.Fatalf("%v = %+v", args, r)
				}
			}
			r = run(t, nil, "--db", db, "vuln", "match", "--system", system)
			if r.code != 0 || !strings.Contains(r.stdout, "remediation: 1 item(s) reopened") {
				t.Fatalf("vuln match = exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			if r := wf("show", id); r.code != 0 || !strings.Contains(r.stdout, "in_progress") || !strings.Contains(r.stdout, "recheck_failed") {
				t.Errorf("the item after vuln match = %+v", r)
			}
		})
	}
}
