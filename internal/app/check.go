package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"mamori/internal/check"
)

// runCheck evaluates the catalogs' controls and stores the assessment.
// Findings are the product, not an error: the exit status is 0 whenever the
// assessment was stored.
func runCheck(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "check", "check [--db DB] [--catalog ID] [--org CODE] [--system CODE] [--format table|json] [--today YYYY-MM-DD]")
	catID := fs.String("catalog", "", "catalog ID (unified, lg, or an imported one; see mamori catalog list); default all")
	org := fs.String("org", "", "organization code: check it and its descendants")
	system := fs.String("system", "", "system code: re-check one system and its components")
	format := fs.String("format", "table", "output format: table or json")
	today := fs.String("today", "", "reference date YYYY-MM-DD (default today)")
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
	opts := check.Options{Org: *org, System: *system, Today: *today}
	if *catID != "" {
		opts.Catalogs = []string{*catID}
	}
	rep, err := check.Run(ctx, s, cats, opts)
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
			Error         int64  `json:"error"`
		}
		out := struct {
			Assessment    string `json:"assessment"`
			ReferenceDate string `json:"reference_date"`
			Controls      []row  `json:"controls"`
		}{Assessment: rep.Assessment.ID, ReferenceDate: rep.Assessment.ReferenceDate}
		for _, sm := range rep.Summaries {
			c := sm.Control
			out.Controls = append(out.Controls, row{c.ID, c.Title, c.TitleEN, c.Target, c.Severity, sm.Pass, sm.Fail, sm.NA, sm.Errors})
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "ID\t管理策\t対象\t不適合/該当\tエラー")
	for _, sm := range rep.Summaries {
		c := sm.Control
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d / %d\t%d\n", c.ID, c.Title, c.Target, sm.Fail, sm.Applicable(), sm.Errors)
	}
	tw.Flush()
	fmt.Fprintf(env.Stdout, "assessment %s (reference date %s): %d findings in %s\n",
		rep.Assessment.ID, rep.Assessment.ReferenceDate, len(rep.Fails), rep.Elapsed.Round(1e6))
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
