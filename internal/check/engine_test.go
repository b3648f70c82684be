package check

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/catalog"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

func oneControl(target, applies, check string) []*catalog.Catalog {
	return []*catalog.Catalog{{ID: "test", Controls: []*catalog.Control{{
		ID: "TST-01", OSCALID: "tst-01", Catalog: "test", Target: target, Severity: "low",
		Applies: applies, Check: check, Params: map[string]catalog.Param{"days": {ID: "days", Default: "90", Value: "90"}},
	}}}}
}

func TestCompileErrors(t *testing.T) {
	tests := []struct {
		name, target, applies, check, want string
	}{
		{"typo", "system", "", "has(system.sytem_id)", `system has no field "sytem_id" (offset 4)`},
		{"typo in applies", "system", "system.in_regster", "true", `applies: system has no field "in_regster"`},
		{"syntax", "system", "", "system.in_register &&", "check: expression error"},
		{"type", "system", "", "days_since(1) > 3", "check: expression error"},
		{"not bool", "contract", "", "size(contract.clauses)", "expression must be a bool"},
		{"fy only for organization-fy", "organization", "", "fy == 2025", "undeclared reference to 'fy'"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := New(oneControl(tt.target, tt.applies, tt.check), "2026-11-01")
			if err == nil || !strings.Contains(err.Error(), tt.want) || !strings.Contains(err.Error(), "control TST-01") {
				t.Fatalf("New(%q) = %v, want an error naming TST-01 and containing %q", tt.check, err, tt.want)
			}
		})
	}
	if _, err := New(oneControl("organization-fy", "", "org.plans.exists(p, p.fiscal_year == fy) || params.days > 1"), "2026-11-01"); err != nil {
		t.Errorf("New(valid) = %v", err)
	}
}

// TestRuntimeError: a check that fails at run time on one target is an
// error for that target only.
func TestRuntimeError(t *testing.T) {
	s := storetest.OpenSQLite(t)
	load(t, s)
	cats := oneControl("system", "", "days_since(system.last_access_review) < 1000")
	rep, err := Run(t.Context(), s, cats, Options{Today: "2026-11-01"})
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	sm := rep.Summaries[0]
	if sm.Pass != 1 || sm.Errors != 8 {
		t.Errorf("Run: pass %d errors %d, want 1 and 8 (only S-OK has a review)", sm.Pass, sm.Errors)
	}
}

// TestFindingLifecycle: a re-run keeps first_seen, resolves what now passes,
// reopens what fails again with a new first_seen; re-checking one system
// touches only its findings.
func TestFindingLifecycle(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		load(t, s)
		cats := oneControl("system", "", "system.itbcp_plan_count > 0 || system.code == params.pass")
		cats[0].Controls[0].Params["pass"] = catalog.Param{ID: "pass", Value: ""}
		run := func(today, pass string, opts Options) {
			t.Helper()
			cats[0].Controls[0].Params["pass"] = catalog.Param{ID: "pass", Value: pass}
			opts.Today = today
			if _, err := Run(ctx, s, cats, opts); err != nil {
				t.Fatalf("Run(%s) = %v", today, err)
			}
		}
		find := func(code string) store.Finding {
			t.Helper()
			fs, err := s.Findings(ctx, store.FindingFilter{ControlID: "TST-01"})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range fs {
				if f.TargetCode == code {
					return f
				}
			}
			t.Fatalf("no finding for %s", code)
			return store.Finding{}
		}
		run("2026-11-01", "", Options{})
		if f := find("S-NG"); f.Status != "open" || f.FirstSeen != "2026-11-01" || !strings.Contains(f.Evidence, `"itbcp_plan_count":0`) {
			t.Fatalf("first run: %+v", f)
		}
		run("2026-11-02", "", Options{})
		if f := find("S-NG"); f.Status != "open" || f.FirstSeen != "2026-11-01" || f.LastSeen != "2026-11-02" {
			t.Fatalf("second run: %+v, want first_seen kept", f)
		}
		run("2026-11-03", "S-NG", Options{})
		if f := find("S-NG"); f.Status != "resolved" || f.ResolvedOn != "2026-11-03" {
			t.Fatalf("third run: %+v, want resolved", f)
		}
		run("2026-11-04", "", Options{})
		if f := find("S-NG"); f.Status != "open" || f.FirstSeen != "2026-11-04" || f.ResolvedOn != "" {
			t.Fatalf("fourth run: %+v, want reopened with a new first_seen", f)
		}
		// Re-checking S-UNREG alone (now passing) leaves S-NG's finding alone.
		run("2026-11-05", "S-UNREG", Options{System: "S-UNREG"})
		if f := find("S-NG"); f.Status != "open" || f.LastSeen != "2026-11-04" {
			t.Fatalf("system re-check touched another system: %+v", f)
		}
		if f := find("S-UNREG"); f.Status != "resolved" || f.ResolvedOn != "2026-11-05" {
			t.Fatalf("system re-check: %+v, want resolved", f)
		}
	})
}

// TestDemo: on the small demo, every control with a planted defect finds
// some, a second run keeps first_seen, and re-checking one system is scoped.
func TestDemo(t *testing.T) {
	ctx := t.Context()
	s := storetest.OpenSQLite(t)
	if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := Run(ctx, s, cats, Options{Today: "2026-11-01"})
	if err != nil {
		t.Fatalf("Run = %v", err)
	}
	// Controls whose defects the generator plants by quota (at least one
	// whenever anything is eligible), so the small data set must show them.
	planted := []string{"REG-01", "REG-02", "REG-03", "REG-04", "IAM-01", "IAM-04", "LOG-01", "LOG-02", "LOG-03",
		"BCP-01", "BCP-02", "BCP-03", "OUT-01", "OUT-02", "OUT-03", "OUT-04", "OUT-05", "OUT-06", "OUT-07", "CLD-01", "CLD-02",
		"PLN-01", "PLN-02", "PLN-03", "PLN-06", "GOV-02", "GOV-04", "GOV-06", "VUL-04", "LG-08", "LG-09", "LG-10", "LG-11", "LG-12", "LG-13", "LG-14"}
	fails := map[string]int64{}
	for _, sm := range rep.Summaries {
		fails[sm.Control.ID] = sm.Fail
		if sm.Errors > 0 {
			t.Errorf("%s: %d errors, first on %s: %s", sm.Control.ID, sm.Errors, sm.FirstErrAt, sm.FirstErr)
		}
	}
	for _, id := range planted {
		if fails[id] == 0 {
			t.Errorf("%s: no failures, but the demo plants some", id)
		}
	}
	before, err := s.Findings(ctx, store.FindingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Run(ctx, s, cats, Options{Today: "2026-11-08"}); err != nil {
		t.Fatalf("second Run = %v", err)
	}
	after, err := s.Findings(ctx, store.FindingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	// A week later more reviews are overdue, so findings may be added; the
	// ones already open keep their first_seen.
	afterBy := map[[2]string]store.Finding{}
	for _, f := range after {
		afterBy[[2]string{f.ControlID, f.TargetCode}] = f
	}
	for _, b := range before {
		f := afterBy[[2]string{b.ControlID, b.TargetCode}]
		if f.FirstSeen != b.FirstSeen || f.LastSeen != "2026-11-08" || f.Status != "open" {
			t.Fatalf("second run: %+v, want first_seen %s kept", f, b.FirstSeen)
		}
	}
	// Re-check one failing system: only its system and component controls run.
	var sys string
	for _, f := range after {
		if f.TargetType == store.TargetSystem {
			sys = f.TargetCode
			break
		}
	}
	rep, err = Run(ctx, s, cats, Options{Today: "2026-11-09", System: sys})
	if err != nil {
		t.Fatalf("Run(system %s) = %v", sys, err)
	}
	for _, sm := range rep.Summaries {
		if sm.Control.Target != "system" && sm.Control.Target != "component" {
			t.Errorf("system re-check ran %s (%s)", sm.Control.ID, sm.Control.Target)
		}
		if n := sm.Pass + sm.Fail + sm.NA + sm.Unknown + sm.Errors; sm.Control.Target == "system" && n != 1 {
			t.Errorf("system re-check: %s saw %d targets, want 1", sm.Control.ID, n)
		}
	}
	final, err := s.Findings(ctx, store.FindingFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range final {
		if f.LastSeen == "2026-11-09" && f.TargetCode != sys && f.TargetType == store.TargetSystem {
			t.Errorf("system re-check of %s touched %+v", sys, f)
		}
	}
}

// TestSaveAtomic: a failure while storing leaves no partial assessment.
func TestSaveAtomic(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		a := store.Assessment{ID: "A1", StartedAt: time.Now(), FinishedAt: time.Now(), ReferenceDate: "2026-11-01",
			Catalogs: "[]", Params: "{}", Scope: "{}"}
		fails := []store.FindingInput{
			{ControlID: "X-01", TargetType: "system", TargetCode: "S1", OrgCode: "O", Severity: "high", Evidence: "{}"},
			{ControlID: "X-01", TargetType: "system", TargetCode: "S2", OrgCode: "O", Severity: "extreme", Evidence: "{}"},
		}
		err := s.SaveAssessment(ctx, a, []store.ControlResult{{ControlID: "X-01", Fail: 2}}, nil, store.FindingScope{Controls: []string{"X-01"}}, fails)
		if err == nil {
			t.Fatal("SaveAssessment(bad severity) = nil, want an error")
		}
		if fs, _ := s.Findings(ctx, store.FindingFilter{}); len(fs) != 0 {
			t.Errorf("after a failed save: %d findings, want 0", len(fs))
		}
		if rs, _ := s.Results(ctx, "A1"); len(rs) != 0 {
			t.Errorf("after a failed save: %d results, want 0", len(rs))
		}
	})
}

func TestAddCalendarMonths(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"2026-03-31", -1, "2026-02-28"},
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2026-12-15", 1, "2027-01-15"},
		{"2026-05-31", -12, "2025-05-31"},
	} {
		d, _ := parseDate(c.in)
		if got := addCalendarMonths(d, c.n).Format("2006-01-02"); got != c.want {
			t.Errorf("addCalendarMonths(%s, %d) = %s, want %s", c.in, c.n, got, c.want)
		}
	}
}
