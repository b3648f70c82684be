package report_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/register"
	"mamori/internal/report"
	"mamori/internal/sheet"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDemoEndToEnd: demo data → check → report. The report's counts must be
// those of the findings table: per control, the distinct failing systems
// (a component's system for component controls), contracts or organizations.
func TestDemoEndToEnd(t *testing.T) {
	ctx := t.Context()
	s := storetest.OpenSQLite(t)
	if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatalf("demo: %v", err)
	}
	cats := builtin(t)
	run, err := check.Run(ctx, s, cats, check.Options{Today: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	r, err := report.Build(ctx, s, cats, report.Options{FiscalYear: 2026})
	if err != nil {
		t.Fatal(err)
	}
	if r.Assessment != run.Assessment.ID {
		t.Fatalf("report of %s, want the assessment just stored %s", r.Assessment, run.Assessment.ID)
	}
	// Components to systems, and systems to organizations, from the register itself.
	systemOf := map[string]string{}
	comps, _, err := s.Find(ctx, mamori.EntityByName("components"), store.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	ce := mamori.EntityByName("components")
	for _, c := range comps {
		systemOf[c[ce.FieldIndex("code")].(string)] = c[ce.FieldIndex("system_code")].(string)
	}
	findings, err := s.Findings(ctx, store.FindingFilter{Status: "open"})
	if err != nil {
		t.Fatal(err)
	}
	unknownFails := map[string]bool{}
	for _, c := range cats {
		for _, k := range c.Controls {
			unknownFails[k.ID] = k.UnknownFails
		}
	}
	// A finding is counted when it fails, or is unknown where the control
	// counts unknowns as failures; the rest are shown apart.
	var counted []store.Finding
	for _, f := range findings {
		if f.Result == store.ResultFail || (f.Result == store.ResultUnknown && unknownFails[f.ControlID]) {
			counted = append(counted, f)
		}
	}
	findings = counted
	want := map[string]map[string]bool{} // control -> counted units
	wantOrgs := map[string]map[string]bool{}
	for _, f := range findings {
		unit := f.TargetCode
		switch f.TargetType {
		case store.TargetComponent:
			unit = systemOf[f.TargetCode]
		case store.TargetOrganization, store.TargetOrganizationFY:
			unit = f.OrgCode
		}
		if want[f.ControlID] == nil {
			want[f.ControlID], wantOrgs[f.ControlID] = map[string]bool{}, map[string]bool{}
		}
		want[f.ControlID][unit] = true
		wantOrgs[f.ControlID][f.OrgCode] = true
	}
	got := map[string]int{}
	for _, c := range r.Controls {
		if c.Targets == 0 {
			continue // only unknowns not counted, or errors
		}
		got[c.ID] = c.Targets
		sum := 0
		for _, tc := range c.Tiers {
			sum += len(tc.TargetList)
			if tc.Targets != len(tc.TargetList) || tc.Orgs != len(tc.OrgList) {
				t.Errorf("%s %s: counts %d/%d but lists of %d/%d", c.ID, tc.Tier, tc.Orgs, tc.Targets, len(tc.OrgList), len(tc.TargetList))
			}
		}
		if sum != c.Targets || c.Orgs != len(wantOrgs[c.ID]) {
			t.Errorf("%s: total %d targets (lists %d), %d orgs; want %d orgs", c.ID, c.Targets, sum, c.Orgs, len(wantOrgs[c.ID]))
		}
		if c.Fail != int64(countFindings(findings, c.ID)) {
			t.Errorf("%s: results say %d failing, findings table %d", c.ID, c.Fail, countFindings(findings, c.ID))
		}
	}
	wantN := map[string]int{}
	for id, units := range want {
		wantN[id] = len(units)
	}
	if diff := cmp.Diff(wantN, got); diff != "" {
		t.Errorf("per-control counted units (-findings table +report):\n%s", diff)
	}
	if len(r.Controls) < 20 {
		t.Errorf("%d controls with failures on the small demo, want the planted ones", len(r.Controls))
	}
	var crossGroups []string
	for _, row := range r.Training.Rows {
		crossGroups = append(crossGroups, row.Group)
	}
	if len(crossGroups) < 2 || crossGroups[0] != "trained" || crossGroups[1] != "untrained" {
		t.Errorf("training cross-tab groups %v, want trained and untrained first", crossGroups)
	}

	var page bytes.Buffer
	if err := r.HTML(&page); err != nil {
		t.Fatal(err)
	}
	checkHTML(t, page.Bytes())

	// The CSV has every control's total row, with the results apart.
	var csvOut bytes.Buffer
	if err := r.CSV(&csvOut); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(csvOut.String(), "\ufeff"))).ReadAll()
	if err != nil {
		t.Fatalf("CSV does not parse: %v", err)
	}
	totals := map[string][]string{}
	for _, row := range rows[1:] {
		if row[2] == "管理策" && row[6] == "計" {
			totals[row[0]] = row
		}
	}
	for _, c := range r.Controls {
		row := totals[c.ID]
		if row == nil || row[8] != strconv.Itoa(c.Targets) || row[12] != strconv.Itoa(c.Unknown.Targets) || row[14] != strconv.Itoa(c.Errors.Targets) {
			t.Errorf("CSV row of %s = %v, want counted %d, unknown %d, errors %d", c.ID, row, c.Targets, c.Unknown.Targets, c.Errors.Targets)
		}
	}

	var wb bytes.Buffer
	if err := r.XLSX(&wb); err != nil {
		t.Fatal(err)
	}
	tables, err := sheet.ReadXLSX(t.Context(), wb.Bytes(), mamori.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	wantSheets := []string{report.SheetSummary, report.SheetCrossTabs, report.SheetCriteria, report.SheetIncidents}
	for _, c := range r.Controls {
		wantSheets = append(wantSheets, report.SheetName(c.ID))
	}
	var names []string
	grids := map[string][][]string{}
	for _, tb := range tables {
		names = append(names, tb.Name)
		g := [][]string{tb.Header}
		for _, row := range tb.Rows {
			g = append(g, row.Cells)
		}
		grids[tb.Name] = g
	}
	if diff := cmp.Diff(wantSheets, names); diff != "" {
		t.Fatalf("sheets (-want +got):\n%s", diff)
	}
	// The incident sheet: one total row per fiscal year, with the count
	// the report's JSON gives.
	years := 0
	for _, row := range grids[report.SheetIncidents][1:] {
		if len(row) > 3 && row[2] == "（全分類）" {
			years++
			if y := r.Incidents[years-1]; row[3] != strconv.Itoa(y.Total) {
				t.Errorf("incident sheet, FY%d: %s incidents, want %d", y.FiscalYear, row[3], y.Total)
			}
		}
	}
	if years != len(r.Incidents) || years == 0 {
		t.Errorf("incident sheet: %d fiscal years, want %d (and some)", years, len(r.Incidents))
	}
	for _, c := range r.Controls {
		wantGrid := [][]string{{"区分", "Tier", "組織コード", "組織名", "コード", "名称", "情報システムID", "件数", "結果", "判定基準"}}
		resultJA := map[string]string{"fail": "不適合", "unknown": "未確認", "error": "エラー"}
		for _, list := range [][]report.TierCount{c.Tiers, c.Unknown.Tiers, c.Errors.Tiers} {
			for _, tc := range list {
				for _, tg := range tc.TargetList {
					wantGrid = append(wantGrid, trimRight([]string{tc.JA, tc.EN, tg.OrgCode, tg.OrgName, tg.Code, tg.Name, tg.SystemID,
						strconv.Itoa(tg.Findings), resultJA[tg.Result], strings.Join(tg.Criteria, " ")}))
				}
			}
		}
		if diff := cmp.Diff(wantGrid, grids[report.SheetName(c.ID)]); diff != "" {
			t.Errorf("sheet %s (-want +got):\n%s", c.ID, diff)
		}
	}
	summary := grids[report.SheetSummary]
	if len(summary) != 2+len(r.Controls) || summary[2][0] != r.Controls[0].ID || summary[2][6] != strconv.Itoa(r.Controls[0].Orgs) {
		t.Errorf("summary sheet: %d rows, first control row %v", len(summary), summary[min(2, len(summary)-1)])
	}
}

// TestTallyUnknown: a tally counts where it holds, and shows apart the
// applicable targets where its evidence is missing. LG-14 "CSIRT set up"
// holds at C1; C2 recorded nothing about a CSIRT (未確認); C3 has none.
func TestTallyUnknown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		reg := `{"format": "mamori-register", "version": 1, "organizations": [
			{"code": "P1", "kind": "prefecture", "name": "甲県", "csirt_established": true, "csirt_documented": true},
			{"code": "C1", "parent_code": "P1", "kind": "municipality", "name": "甲市", "csirt_established": true, "csirt_documented": false},
			{"code": "C2", "parent_code": "P1", "kind": "municipality", "name": "乙市"},
			{"code": "C3", "parent_code": "P1", "kind": "municipality", "name": "丙市", "csirt_established": false, "csirt_documented": false}]}`
		if _, err := register.Import(ctx, s, []register.Input{{Name: "tally.json", Data: []byte(reg)}}); err != nil {
			t.Fatal(err)
		}
		cats := builtin(t)
		if _, err := check.Run(ctx, s, cats, check.Options{Today: "2026-11-01"}); err != nil {
			t.Fatal(err)
		}
		r, err := report.Build(ctx, s, cats, report.Options{})
		if err != nil {
			t.Fatal(err)
		}
		c := control(t, r, "LG-14")
		if len(c.Tallies) != 1 {
			t.Fatalf("LG-14 tallies: %+v", c.Tallies)
		}
		tl := c.Tallies[0]
		if tl.Orgs != 2 || tl.Targets != 2 || tl.Unknown.Orgs != 1 || tl.Unknown.Targets != 1 || tl.Errors.Targets != 0 {
			t.Errorf("LG-14 established: %d/%d holding, %d/%d unknown, %d errors; want 2/2, 1/1, 0",
				tl.Orgs, tl.Targets, tl.Unknown.Orgs, tl.Unknown.Targets, tl.Errors.Targets)
		}
		if !strings.Contains(tl.Sentence, "ほかに未確認 1機関") || !strings.Contains(tl.SentenceEN, "also unknown: 1 organization") {
			t.Errorf("LG-14 tally sentence does not name the unknown:\n%s\n%s", tl.Sentence, tl.SentenceEN)
		}
		var md bytes.Buffer
		if err := r.Markdown(&md); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(md.String(), "| CSIRTを設置 / CSIRT set up | 2 | 2 | 1 | 0 |") {
			t.Errorf("Markdown tally row missing the unknown count:\n%s", md.String())
		}
	})
}

func countFindings(fs []store.Finding, control string) int {
	n := 0
	for _, f := range fs {
		if f.ControlID == control {
			n++
		}
	}
	return n
}

// trimRight drops trailing empty cells, as spreadsheets do.
func trimRight(row []string) []string {
	for len(row) > 0 && row[len(row)-1] == "" {
		row = row[:len(row)-1]
	}
	return row
}

var benchDB = flag.String("bench-db", "", "database for BenchmarkAuditReport (SQLite path or postgres:// DSN); default: a generated small demo")

// BenchmarkAuditReport times building the report of the latest assessment
// (the queries and the counting, not the rendering). With -bench-db it runs
// on that database, which must hold an assessment (mamori check); without,
// on a small demo checked first.
func BenchmarkAuditReport(b *testing.B) {
	ctx := b.Context()
	cats := builtin(b)
	var s *store.Store
	if *benchDB != "" {
		var err error
		if s, err = store.Open(ctx, *benchDB); err != nil {
			b.Fatal(err)
		}
		defer s.Close()
	} else {
		s = storetest.OpenSQLite(b)
		if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
			b.Fatal(err)
		}
		if _, err := check.Run(ctx, s, cats, check.Options{Today: "2026-11-01"}); err != nil {
			b.Fatal(err)
		}
	}
	var findings int
	for b.Loop() {
		r, err := report.Build(ctx, s, cats, report.Options{})
		if err != nil {
			b.Fatal(err)
		}
		findings = 0
		for _, c := range r.Controls {
			findings += int(c.Fail)
		}
	}
	b.ReportMetric(float64(findings), "findings")
}
