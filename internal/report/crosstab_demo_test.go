package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/report"
	"mamori/internal/store/storetest"
)

// TestDemoCrossTabContrast: the demo shows the contrasts the Board of Audit
// found (seed 001): systems without a SystemID implement fewer controls, and
// organizations that trained their staff on outsourcing leave fewer
// contracts missing vendor items (OUT-01). The demo's generative model
// produces them; nothing here or there fixes the figures.
func TestDemoCrossTabContrast(t *testing.T) {
	scales := []demo.Scale{demo.Small, demo.City}
	if testing.Short() {
		scales = scales[:1]
	}
	for _, sc := range scales {
		for _, seed := range []uint64{0, 1, 2} {
			if sc == demo.City && seed > 0 {
				continue
			}
			ctx := t.Context()
			s := storetest.OpenSQLite(t)
			if _, err := demo.Generate(ctx, s, demo.Options{Scale: sc, Seed: seed, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
				t.Fatalf("demo: %v", err)
			}
			cats := builtin(t)
			if _, err := check.Run(ctx, s, cats, check.Options{Today: "2026-11-01"}); err != nil {
				t.Fatal(err)
			}
			r, err := report.Build(ctx, s, cats, report.Options{FiscalYear: 2026})
			if err != nil {
				t.Fatal(err)
			}
			rows := func(tab report.CrossTab) map[string]report.CrossRow {
				out := map[string]report.CrossRow{}
				for _, row := range tab.Rows {
					out[row.Group] = row
				}
				return out
			}
			id, tr := rows(r.SystemID), rows(r.Training)
			t.Logf("%s seed %d: SystemID with %d/%d (%.1f%%), without %d/%d (%.1f%%); trained %d/%d (%.1f%%), untrained %d/%d (%.1f%%)", sc, seed,
				id["with"].Failing, id["with"].Applicable, 100*id["with"].Rate, id["without"].Failing, id["without"].Applicable, 100*id["without"].Rate,
				tr["trained"].Failing, tr["trained"].Applicable, 100*tr["trained"].Rate, tr["untrained"].Failing, tr["untrained"].Applicable, 100*tr["untrained"].Rate)
			if id["without"].Applicable == 0 || id["without"].Rate >= id["with"].Rate {
				t.Errorf("%s seed %d: implementation rate without a SystemID %.3f, with %.3f: want lower without", sc, seed, id["without"].Rate, id["with"].Rate)
			}
			if tr["trained"].Applicable == 0 || tr["untrained"].Applicable == 0 || tr["trained"].Rate >= tr["untrained"].Rate {
				t.Errorf("%s seed %d: OUT-01 failing share trained %.3f, untrained %.3f: want lower where trained", sc, seed, tr["trained"].Rate, tr["untrained"].Rate)
			}
		}
	}
}

// TestCrossTabCounts: the cross-tabulations print their counts as whole
// numbers with thousands separators, in the HTML and Markdown reports.
func TestCrossTabCounts(t *testing.T) {
	r := &report.Report{
		SystemID: report.CrossTab{Title: "x", Rows: []report.CrossRow{{Group: "with", JA: "あり", EN: "With", Failing: 3000, Applicable: 12509, Rate: 0.76}}},
		Training: report.CrossTab{Title: "y", Measure: "failing_share", Rows: []report.CrossRow{{Group: "trained", JA: "研修実施", EN: "Trained", Failing: 183, Applicable: 1308, Rate: 0.14}}},
	}
	var md, page bytes.Buffer
	if err := r.Markdown(&md); err != nil {
		t.Fatal(err)
	}
	if err := r.HTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"| 3,000 | 12,509 |", "| 183 | 1,308 |"} {
		if !strings.Contains(md.String(), want) {
			t.Errorf("Markdown lacks %q", want)
		}
	}
	for _, want := range []string{`<td class="n">3,000</td><td class="n">12,509</td>`, `<td class="n">183</td><td class="n">1,308</td>`} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("HTML lacks %q", want)
		}
	}
}
