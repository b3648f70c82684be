package web

import (
	"log/slog"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/i18n"
	"mamori/internal/report"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var chartTotal = regexp.MustCompile(`class="value">(\d+)</text>`)

// TestDashboardUnits: on the demo, the dashboard's bars count what the
// Board's sentence beside them counts (a component's finding as its system,
// an organization's as one organization), for the whole government and, by
// the same rule, for any scope; the table says so in words.
func TestDashboardUnits(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		if _, err := demo.Generate(ctx, st, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			t.Fatal(err)
		}
		cats, err := catalog.Builtin()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := check.Run(ctx, st, cats, check.Options{Today: "2026-11-01"}); err != nil {
			t.Fatal(err)
		}
		s := &server{store: st, log: slog.New(slog.DiscardHandler), i18n: i18n.MustNew(), catalogs: cats}
		whole, err := s.buildDashboard(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		rep, err := report.Build(ctx, st, cats, report.Options{AssessmentID: whole.Assessment})
		if err != nil {
			t.Fatal(err)
		}
		reported := map[string]report.Control{}
		for _, c := range rep.Controls {
			reported[c.ID] = c
		}
		differ := 0
		for _, dc := range whole.Controls {
			sum := 0
			for _, n := range dc.Units {
				sum += n
			}
			if sum != dc.UnitTotal {
				t.Errorf("%s: bars add up to %d, total %d", dc.ID, sum, dc.UnitTotal)
			}
			rc, ok := reported[dc.ID]
			if !ok || dc.Sentence == "" {
				t.Errorf("%s: no Board sentence on the whole-government dashboard", dc.ID)
				continue
			}
			if dc.UnitTotal != rc.Targets {
				t.Errorf("%s: bars count %d, the sentence %d (%s)", dc.ID, dc.UnitTotal, rc.Targets, rc.Sentence)
			}
			for _, tc := range rc.Tiers {
				if got := dc.Units[tierIndex(tc.Tier)]; got != tc.Targets {
					t.Errorf("%s %s: bar %d, sentence %d", dc.ID, tc.Tier, got, tc.Targets)
				}
			}
			if dc.UnitTotal > 0 && (!strings.Contains(dc.Sentence, dc.UnitText) || !strings.Contains(dc.SentenceEN, dc.UnitTextEN)) {
				t.Errorf("%s: the table's %q / %q is not the sentence's count:\n%s\n%s", dc.ID, dc.UnitText, dc.UnitTextEN, dc.Sentence, dc.SentenceEN)
			}
			if dc.Open != dc.UnitTotal {
				differ++
			}
		}
		if differ == 0 {
			t.Error("no control counts fewer units than findings: the demo no longer tells the two apart")
		}
		// The chart draws the units, row by row.
		svg, _, err := dashboardCharts(s.i18n.For(i18n.JA), whole)
		if err != nil {
			t.Fatal(err)
		}
		var drawn, want []int
		for _, m := range chartTotal.FindAllStringSubmatch(string(svg), -1) {
			n, _ := strconv.Atoi(m[1])
			drawn = append(drawn, n)
		}
		for _, dc := range whole.Controls {
			want = append(want, dc.UnitTotal)
		}
		if !slices.Equal(drawn, want) {
			t.Errorf("chart totals %v, want the units %v", drawn, want)
		}
		// Any scope counts the same way (there is no report to copy there):
		// every organization, named, gives the whole government's numbers.
		var orgs []string
		if err := st.Dump(ctx, organizations, func(rec mamori.Record) error {
			orgs = append(orgs, str(organizations, rec, "code"))
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		scoped, err := s.buildDashboard(ctx, orgs)
		if err != nil {
			t.Fatal(err)
		}
		if len(scoped.Controls) != len(whole.Controls) {
			t.Fatalf("scoped dashboard has %d controls, whole %d", len(scoped.Controls), len(whole.Controls))
		}
		for i, dc := range scoped.Controls {
			if w := whole.Controls[i]; dc.ID != w.ID || !slices.Equal(dc.Units, w.Units) {
				t.Errorf("%s: scoped units %v, whole government's %v", dc.ID, dc.Units, w.Units)
			}
		}
	})
}
