package app

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"time"

	"mamori/internal/audit"
	"mamori/internal/check"
	"mamori/internal/wareki"
)

// runCheck evaluates the catalogs' controls and stores the assessment.
// Findings are the product, not an error: the exit status is 0 whenever the
// assessment was stored.
func runCheck(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "check", "check [--db DB] [--catalog ID] [--org CODE] [--system CODE] [--format table|json] [--today YYYY-MM-DD] [--fy FROM[..TO]]")
	catID := fs.String("catalog", "", "catalog ID (unified, lg, or an imported one; see mamori catalog list); default all")
	org := fs.String("org", "", "organization code: check it and its descendants")
	system := fs.String("system", "", "system code: re-check one system and its components")
	format := fs.String("format", "table", "output format: table or json")
	today := fs.String("today", "", "reference date YYYY-MM-DD (default today)")
	memLimit := fs.String("memory-limit", "1280MiB", "soft limit of the heap while checking (KiB, MiB, GiB; 0 = none; GOMEMLIMIT wins): a national check stays under 1.5 GiB for about a tenth more time")
	fyRange := fs.String("fy", "", "fiscal years the yearly controls judge: 2023, 令和3年度..令和5年度 or 2021..2023 (default: the reference date's year and the two before)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"check takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("unknown format %q (want table or json)", *format)}
	}
	// Embedded and imported catalogs, with this deployment's overrides.
	s, cats, err := openWithCatalogs(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	if os.Getenv("GOMEMLIMIT") == "" {
		limit, err := parseBytes(*memLimit)
		if err != nil {
			return &UsageError{fmt.Sprintf("--memory-limit %q: %v", *memLimit, err)}
		}
		if limit > 0 {
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(limit))
		}
	}
	opts := check.Options{Org: *org, System: *system, Today: *today}
	if *fyRange != "" {
		years, err := parseFYRange(*fyRange)
		if err != nil {
			return &UsageError{fmt.Sprintf("--fy %q: %v", *fyRange, err)}
		}
		opts.FiscalYears = years
	}
	if *catID != "" {
		opts.Catalogs = []string{*catID}
	}
	rep, err := check.Run(ctx, s, cats, opts)
	if err != nil {
		return err
	}
	// The assessment decides the findings: who ran it, over what, with what.
	orgs := scopeOrgs(ctx, s, *org, *system)
	if err := recordUnder(ctx, env, s, audit.Check, "assessment/"+rep.Assessment.ID, orgs, map[string]any{
		"catalog": *catID, "org": *org, "system": *system, "reference_date": rep.Assessment.ReferenceDate,
		"fiscal_years": rep.Assessment.FiscalYears, "findings": len(rep.Fails), "controls": len(rep.Summaries)}); err != nil {
		return err
	}
	// The remediation items follow the findings: a fixed finding failing
	// again reopens its item.
	rc, err := recheckRemediation(ctx, s, rep.Assessment)
	if err != nil {
		return err
	}
	if *format == "json" {
		type row struct {
			ID            string `json:"id"`
			Title         string `json:"title"`
			TitleEN       string `json:"title_en"`
			Target        string `json:"target"`
			Severity      string `json:"severity"`
			Pass          int64  `json:"pass"`
			Fail          int64  `json:"fail"`
			NotApplicable int64  `json:"not_applicable"`
			Unknown       int64  `json:"unknown"`
			Error         int64  `json:"error"`
			UnknownFails  bool   `json:"unknown_fails"`
		}
		out := struct {
			Assessment    string  `json:"assessment"`
			ReferenceDate string  `json:"reference_date"`
			FiscalYears   []int64 `json:"fiscal_years"`
			Controls      []row   `json:"controls"`
		}{Assessment: rep.Assessment.ID, ReferenceDate: rep.Assessment.ReferenceDate, FiscalYears: rep.Assessment.FiscalYears}
		for _, sm := range rep.Summaries {
			c := sm.Control
			out.Controls = append(out.Controls, row{c.ID, c.Title, c.TitleEN, c.Target, c.Severity, sm.Pass, sm.Fail, sm.NA,
				sm.Unknown, sm.Errors, c.UnknownFails})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "ID\t管理策\t対象\t不適合/該当\t未確認\tエラー")
	for _, sm := range rep.Summaries {
		c := sm.Control
		unknown := fmt.Sprint(sm.Unknown)
		if c.UnknownFails && sm.Unknown > 0 {
			unknown += " (不適合に計上)"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d / %d\t%s\t%d\n", c.ID, c.Title, c.Target, sm.Fail, sm.Applicable(), unknown, sm.Errors)
	}
	tw.Flush()
	if len(rc.Reopened)+len(rc.Passed) > 0 {
		fmt.Fprintf(env.Stdout, "remediation: %d item(s) reopened (failing again), %d noted passing\n", len(rc.Reopened), len(rc.Passed))
	}
	fmt.Fprintf(env.Stdout, "assessment %s (reference date %s, fiscal years %s): %d findings (failures, unknowns and errors) in %s\n",
		rep.Assessment.ID, rep.Assessment.ReferenceDate, fyList(rep.Assessment.FiscalYears), len(rep.Fails), rep.Elapsed.Round(1e6))
	var phases []string
	for _, ph := range rep.Phases {
		phases = append(phases, fmt.Sprintf("%s %s", ph.Name, ph.Elapsed.Round(time.Millisecond)))
	}
	fmt.Fprintf(env.Stdout, "time: %s\n", strings.Join(phases, ", "))
	for _, sm := range rep.Summaries {
		if sm.FirstErr != "" {
			fmt.Fprintf(env.Stderr, "%s: %d error(s), first on %s: %s\n", sm.Control.ID, sm.Errors, sm.FirstErrAt, sm.FirstErr)
		}
	}
	return nil
}

// parseFYRange reads "2023", "令和3年度..令和5年度" or "2021..2023" (also with
// "-" or "〜" between) into the years from first to last.
func parseFYRange(s string) ([]int64, error) {
	from, to := s, s
	for _, sep := range []string{"..", "〜", "~", "－"} {
		if a, b, ok := strings.Cut(s, sep); ok {
			from, to = a, b
			break
		}
	}
	if from == to {
		// "2021-2023": a dash between two plain years.
		if a, b, ok := strings.Cut(s, "-"); ok && len(a) == 4 && len(b) == 4 {
			from, to = a, b
		}
	}
	a, _, err := wareki.ParseFiscalYear(strings.TrimSpace(from))
	if err != nil {
		return nil, err
	}
	b, _, err := wareki.ParseFiscalYear(strings.TrimSpace(to))
	if err != nil {
		return nil, err
	}
	if b < a || b-a > 50 {
		return nil, fmt.Errorf("want an ascending range of at most 50 years")
	}
	var out []int64
	for y := a; y <= b; y++ {
		out = append(out, int64(y))
	}
	return out, nil
}

// fyList writes years as "FY2023–FY2025".
func fyList(ys []int64) string {
	if len(ys) == 0 {
		return "-"
	}
	return fmt.Sprintf("FY%d–FY%d", ys[0], ys[len(ys)-1])
}

// parseBytes reads "1280MiB", "2GiB", "512KiB" or a plain number of bytes.
func parseBytes(s string) (int64, error) {
	s = strings.TrimSpace(s)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"GiB", 1 << 30}, {"MiB", 1 << 20}, {"KiB", 1 << 10}} {
		if v, ok := strings.CutSuffix(s, u.suffix); ok {
			s, mult = v, u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("want a size such as 1280MiB or 2GiB")
	}
	return n * mult, nil
}
