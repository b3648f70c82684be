package app_test

import (
	"fmt"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/app"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestVulnRemediation: a vulnerability matched on a demo system is opened
// as a remediation item from the command line, taken to resolved with a
// countermeasure, which the vulnerability register then records; the
// existing countermeasure command is unchanged.
func TestVulnRemediation(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", "2026-11-01", "--db", db); r.code != 0 {
		t.Fatalf("demo = %+v", r)
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	ministry, err := st.User(t.Context(), "security")
	if err != nil {
		t.Fatal(err)
	}
	orgs, _, err := st.Subtrees(t.Context(), ministry.Grants[0].OrgCode)
	if err != nil {
		t.Fatal(err)
	}
	matches, err := st.Matches(t.Context(), store.MatchFilter{OwnerKind: store.OwnerComponent, OpenOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	comps, sys := mamori.EntityByName("components"), mamori.EntityByName("systems")
	var system, vuln string
	for _, m := range matches {
		c, err := st.Get(t.Context(), comps, m.OwnerCode)
		if err != nil {
			continue
		}
		code, _ := c[comps.FieldIndex("system_code")].(string)
		s, err := st.Get(t.Context(), sys, code)
		if err != nil {
			continue
		}
		if org, _ := s[sys.FieldIndex("org_code")].(string); orgs[org] {
			system, vuln = code, m.VulnID
			break
		}
	}
	st.Close()
	if system == "" {
		t.Fatal("no open vulnerability on a system of the demo ministry")
	}
	wf := func(args ...string) result { return run(t, nil, append([]string{"--db", db, "workflow"}, args...)...) }
	r := wf("open", "--as", "security", "--vuln", vuln, "--system", system)
	m := regexp.MustCompile(`item (\d+) opened: .* severity (\w+), due`).FindStringSubmatch(r.stdout)
	if r.code != 0 || m == nil {
		t.Fatalf("open --vuln = %+v", r)
	}
	id := m[1]
	if r := wf("open", "--as", "security", "--vuln", vuln, "--system", system); r.code == 0 || !strings.Contains(r.stderr, "already has remediation item "+id) {
		t.Errorf("a second item for the vulnerability = %+v", r)
	}
	if r := wf("open", "--as", "security", "--vuln", "CVE-1999-0000", "--system", system); r.code == 0 || !strings.Contains(r.stderr, "no open match") {
		t.Errorf("an unmatched vulnerability = %+v", r)
	}
	// The assignment tells the assignee: a webhook is queued.
	hook := map[string]string{app.EnvWebhookSecret: "app-test-webhook-secret-0123456789"}
	if r := run(t, hook, "--db", db, "workflow", "act", id, "--version", "1", "--as", "security", "--transition", "assign",
		"--assignee", "officer", "--webhook-url", "http://127.0.0.1:9/hook"); r.code != 0 {
		t.Fatalf("assign = %+v", r)
	}
	if r := run(t, nil, "--db", db, "notify", "list"); r.code != 0 || !strings.Contains(r.stdout, "assignment") {
		t.Errorf("notify list after the assignment = %+v", r)
	}
	for i, s := range [][]string{
		{"--as", "officer", "--transition", "start"},
		{"--as", "officer", "--transition", "resolve", "--detail", "countermeasure=patched"},
	} {
		args := append([]string{"act", id, "--version", fmt.Sprint(i + 2)}, s...)
		if r := wf(args...); r.code != 0 {
			t.Fatalf("%v = %+v", args, r)
		}
	}
	if r := wf("act", id, "--version", "4", "--as", "security", "--transition", "reopen", "--detail", "countermeasure=bogus"); r.code == 0 {
		t.Errorf("a countermeasure on reopen = %+v", r)
	}
	r = run(t, nil, "--db", db, "vuln", "report", "--system", system)
	if r.code != 0 || !regexp.MustCompile(vuln+`.*patched`).MatchString(r.stdout) {
		t.Errorf("vuln report after the item was resolved = %+v", r)
	}
	st, err = store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cms, err := st.CountermeasuresOf(t.Context(), []string{system})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, c := range cms {
		found = found || (c.VulnID == vuln && c.Kind == "patched" && strings.Contains(c.Note, "remediation item "+id))
	}
	if !found {
		t.Errorf("the register records no countermeasure from item %s: %+v", id, cms)
	}
}

// TestCheckReopens: mamori check after the demo finds the findings of the
// demo's resolved and closed items still failing (the demo fixed nothing),
// and reopens those items as mamori, on both stores.
func TestCheckReopens(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", "2026-11-01", "--db", db); r.code != 0 {
				t.Fatalf("demo = %+v", r)
			}
			r := run(t, nil, "--db", db, "check", "--today", "2026-11-01")
			if r.code != 0 || !strings.Contains(r.stdout, "remediation: 2 item(s) reopened") {
				t.Fatalf("check = exit %d\n%s%s", r.code, r.stdout, r.stderr)
			}
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			defer st.Close()
			items, err := st.WorkflowItems(t.Context(), store.WorkflowFilter{Kind: "remediation"})
			if err != nil {
				t.Fatal(err)
			}
			reopened := 0
			for _, it := range items {
				evs, err := st.WorkflowEvents(t.Context(), it.ID)
				if err != nil {
					t.Fatal(err)
				}
				last := evs[len(evs)-1]
				if last.Transition == "recheck_failed" {
					reopened++
					if last.Actor != "mamori" || it.State != "in_progress" || !strings.Contains(last.Comment, "failing again") {
						t.Errorf("item %d after the re-check: %s, %+v", it.ID, it.State, last)
					}
				}
				if it.State == "resolved" || it.State == "closed" {
					t.Errorf("item %d is still %s though its finding fails", it.ID, it.State)
				}
			}
			if reopened != 2 {
				t.Errorf("%d items reopened, want 2", reopened)
			}
			// A second check reopens nothing more.
			if r := run(t, nil, "--db", db, "check", "--today", "2026-11-01"); r.code != 0 || strings.Contains(r.stdout, "reopened") {
				t.Errorf("a second check = exit %d\n%s", r.code, r.stdout)
			}
		})
	}
}
