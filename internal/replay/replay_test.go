package replay_test

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/register"
	"mamori/internal/replay"
	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestReplays imports each seed's register the way an officer would (the
// JSON bundle through the importer), checks it on the seed's date and
// compares every number of the audit report with the seed, on both stores.
func TestReplays(t *testing.T) {
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*replay.Replay{replay.Seed001(), replay.Seed002(), replay.Seed000()} {
		t.Run(r.Name, func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				rep := run(t, s, cats, r)
				for _, e := range r.Expect {
					got, err := value(rep, e)
					if err != nil {
						t.Errorf("%s: %v", e.Seed, err)
						continue
					}
					if got != e.Want {
						t.Errorf("%s: %s = %d, want %d", e.Seed, describe(e), got, e.Want)
					}
				}
			})
		})
	}
}

func run(t *testing.T, s *store.Store, cats []*catalog.Catalog, r *replay.Replay) *report.Report {
	t.Helper()
	ctx := t.Context()
	if _, err := register.Import(ctx, s, []register.Input{{Name: "replay.json", Data: r.Bundle}}); err != nil {
		t.Fatalf("import: %v", err)
	}
	for _, l := range r.CloudLists {
		var es []store.CloudListEntry
		for i, e := range l.Entries {
			es = append(es, store.CloudListEntry{Row: i + 2, RegistrationNumber: e.Number, Service: e.Service, Provider: e.Provider, ValidUntil: e.ValidUntil})
		}
		if _, err := s.AddCloudList(ctx, store.CloudListSnapshot{Kind: l.Kind, AsOf: l.AsOf, FileName: l.Kind + ".xlsx",
			SHA256: strings.Repeat("0", 64), ImportedBy: "replay"}, es); err != nil {
			t.Fatalf("cloud list: %v", err)
		}
	}
	var years []int64
	if from, to, ok := strings.Cut(r.FiscalYears, ".."); ok {
		a, _ := strconv.ParseInt(from, 10, 64)
		b, _ := strconv.ParseInt(to, 10, 64)
		for y := a; y <= b; y++ {
			years = append(years, y)
		}
	}
	if _, err := check.Run(ctx, s, cats, check.Options{Today: r.Today, FiscalYears: years}); err != nil {
		t.Fatalf("check: %v", err)
	}
	rep, err := report.Build(ctx, s, cats, report.Options{})
	if err != nil {
		t.Fatalf("report: %v", err)
	}
	return rep
}

func describe(e replay.Expect) string {
	var parts []string
	for _, p := range []struct{ k, v string }{{"control", e.Control}, {"criterion", e.Criterion}, {"tally", e.Tally}, {"tier", e.Tier}} {
		if p.v != "" {
			parts = append(parts, p.k+" "+p.v)
		}
	}
	if e.FiscalYear != 0 {
		parts = append(parts, fmt.Sprintf("FY%d", e.FiscalYear))
	}
	return strings.Join(parts, ", ") + " " + e.What
}

// value reads the number an expectation names from the report.
func value(r *report.Report, e replay.Expect) (int64, error) {
	if program, ok := strings.CutPrefix(e.Control, "subsidy:"); ok {
		for _, sc := range r.Subsidies {
			if sc.Program != program {
				continue
			}
			if e.Tier == "" {
				return int64(sc.Orgs), nil
			}
			for _, t := range sc.Tiers {
				if t.Tier == e.Tier {
					return int64(t.Orgs), nil
				}
			}
		}
		return 0, nil
	}
	if group, ok := strings.CutPrefix(e.Control, "training:"); ok {
		for _, row := range r.Training.Rows {
			if row.Group == group {
				return int64(math.Round(row.Rate * 1000)), nil
			}
		}
		return 0, fmt.Errorf("no training row %s", group)
	}
	var c *report.Control
	for i := range r.Controls {
		if r.Controls[i].ID == e.Control {
			c = &r.Controls[i]
		}
	}
	if c == nil {
		if e.Want == 0 {
			return 0, nil
		}
		return 0, fmt.Errorf("the report has no %s", e.Control)
	}
	cnt := report.Count{Orgs: c.Orgs, Targets: c.Targets, Tiers: c.Tiers}
	var measure *report.Measure = c.Measure
	switch {
	case e.Criterion != "":
		found := false
		for _, cr := range c.Criteria {
			if cr.Key == e.Criterion {
				cnt, measure, found = cr.Failed, cr.Measure, true
			}
		}
		if !found {
			return 0, fmt.Errorf("%s has no criterion %s", e.Control, e.Criterion)
		}
	case e.Tally != "":
		found := false
		for _, tl := range c.Tallies {
			if tl.Key == e.Tally {
				cnt, found = tl.Count, true
			}
		}
		if !found {
			return 0, fmt.Errorf("%s has no tally %s", e.Control, e.Tally)
		}
	case e.FiscalYear != 0:
		for _, y := range c.Years {
			if y.FiscalYear == e.FiscalYear {
				return int64(y.Orgs), nil
			}
		}
		return 0, nil
	}
	switch e.What {
	case "applicable_orgs", "applicable_targets":
		cnt = c.Applicable
	case "conforming_orgs", "conforming_targets":
		cnt = c.Conforming
	case "measure":
		if measure == nil {
			return 0, nil
		}
		return measure.Value, nil
	}
	orgs, targets := cnt.Orgs, cnt.Targets
	if e.Tier != "" {
		orgs, targets = 0, 0
		for _, t := range cnt.Tiers {
			if t.Tier == e.Tier {
				orgs, targets = t.Orgs, t.Targets
			}
		}
	}
	if strings.HasSuffix(e.What, "orgs") {
		return int64(orgs), nil
	}
	return int64(targets), nil
}
