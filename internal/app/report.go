package app

import (
	"context"
	"fmt"
	"io"

	"mamori/internal/audit"
	"mamori/internal/report"
	"mamori/internal/wareki"
)

// runReport writes a report of a stored assessment. Only "audit" exists:
// the Board of Audit's form (DESIGN.md C3).
func runReport(ctx context.Context, env *Env, args []string) error {
	const synopsis = "report audit [--db DB] [--fy YEAR] [--assessment ID] --format md|html|xlsx|json|csv [--out FILE]"
	fs, db := flags(env, "report audit", synopsis)
	fyFlag := fs.String("fy", "", "fiscal year: 2025 or 令和7年度 (default: the latest assessment's)")
	id := fs.String("assessment", "", "assessment ID (default: the latest)")
	format := fs.String("format", "md", "output format: md, html, xlsx, json or csv")
	out := fs.String("out", "", `output file (default standard output; xlsx needs --out, "-" for standard output)`)
	// Flags may come before the report's name (the global --db is passed
	// first) and after it: parse up to "audit", then the rest.
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 || fs.Arg(0) != "audit" {
		return &UsageError{"usage: mamori " + synopsis}
	}
	if err := parse(fs, fs.Args()[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"report audit takes no arguments"}
	}
	switch *format {
	case "md", "html", "json", "csv":
	case "xlsx":
		if *out == "" {
			return &UsageError{`xlsx output needs --out FILE (or --out - for standard output)`}
		}
	default:
		return &UsageError{fmt.Sprintf("unknown format %q (want md, html, xlsx, json or csv)", *format)}
	}
	var opts report.Options
	opts.AssessmentID = *id
	if *fyFlag != "" {
		fy, warns, err := wareki.ParseFiscalYear(*fyFlag)
		if err != nil {
			return &UsageError{fmt.Sprintf("--fy %q: %v", *fyFlag, err)}
		}
		for _, w := range warns {
			fmt.Fprintf(env.Stderr, "--fy %s: %v\n", *fyFlag, w)
		}
		opts.FiscalYear = fy
	}
	// Embedded and imported catalogs, with this deployment's overrides.
	s, cats, err := openWithCatalogs(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	rep, err := report.Build(ctx, s, cats, opts)
	if err != nil {
		return err
	}
	// Recorded before the report leaves: a whole-government document.
	target := *out
	if target == "" || target == "-" {
		target = "stdout"
	}
	if err := recordEvery(ctx, env, s, audit.Export, "report/audit", map[string]any{"format": *format, "out": target,
		"fiscal_year": int(opts.FiscalYear), "assessment": *id}); err != nil {
		return err
	}
	// Through writeOutput, so a failed render leaves no truncated file.
	return writeOutput(env, *out, func(w io.Writer) error {
		switch *format {
		case "json":
			return rep.JSON(w)
		case "html":
			return rep.HTML(w)
		case "xlsx":
			return rep.XLSX(w)
		case "csv":
			return rep.CSV(w)
		}
		return rep.Markdown(w)
	})
}
