package app

import (
	"context"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/oscalout"
)

// reportSynopsis lists the reports, for "mamori report --help" and a
// report command without a report's name.
const reportSynopsis = `report COMMAND [flags]

Commands:
  audit --format md|html|xlsx|json|csv [--fy YEAR] [--assessment ID] [--out FILE]
                          the Board of Audit's report of a stored assessment
  oscal --kind assessment-results|poam [--org CODE | --system CODE] [--assessment ID] [--out FILE]
                          OSCAL assessment results or POA&M of the stored findings

Run "mamori report audit --help" or "mamori report oscal --help" for a report's flags.`

// runReports dispatches "mamori report audit" and "mamori report oscal";
// without a report's name it lists both.
func runReports(ctx context.Context, env *Env, args []string) error {
	switch reportName(args) {
	case "oscal":
		return runReportOSCAL(ctx, env, args)
	case "":
		fmt.Fprintf(env.Stderr, "Usage: mamori %s\n", reportSynopsis)
		if slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "--help" || a == "-help" || a == "--h" }) {
			return flag.ErrHelp
		}
		return &UsageError{"report needs a report's name: audit or oscal"}
	}
	return runReport(ctx, env, args)
}

func runReportOSCAL(ctx context.Context, env *Env, args []string) error {
	const synopsis = "report oscal --kind assessment-results|poam [--db DB] [--org CODE | --system CODE] [--assessment ID] [--out FILE]"
	fs, db := flags(env, "report oscal", synopsis)
	kind := fs.String("kind", "", "assessment-results or poam")
	org := fs.String("org", "", "organization code: it and its descendants")
	system := fs.String("system", "", "system code: the system and its components (POA&M: also its system-id)")
	id := fs.String("assessment", "", "assessment-results: assessment ID (default: the latest)")
	out := fs.String("out", "", "output file (default standard output)")
	pos, err := parseInterleaved(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return &UsageError{"report oscal takes no arguments"}
	}
	switch {
	case *kind != "assessment-results" && *kind != "poam":
		return &UsageError{fmt.Sprintf("--kind %q: want %s", *kind, strings.Join(oscalout.Kinds, " or "))}
	case *org != "" && *system != "":
		return &UsageError{"give --org or --system, not both"}
	case *kind == "poam" && *id != "":
		// A POA&M lists what is open now, whichever assessment saw it last.
		return &UsageError{"--assessment is for --kind assessment-results only"}
	}
	// Embedded and imported catalogs, with this deployment's overrides.
	s, cats, err := openWithCatalogs(ctx, env, *db)
	if err != nil {
		return err
	}
	defer s.Close()
	titles := oscalout.Titles{}
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if ctl.TitleEN != "" {
				titles[ctl.ID] = ctl.TitleEN
			} else {
				titles[ctl.ID] = ctl.Title
			}
		}
	}
	data, err := oscalout.Export(ctx, s, oscalout.Options{Kind: *kind, Scope: oscalout.Scope{Org: *org, System: *system},
		Assessment: *id, Titles: titles})
	if err != nil {
		return err
	}
	// Recorded before the document leaves, under the organization exported.
	target := *out
	if target == "" {
		target = "stdout"
	}
	orgs := scopeOrgs(ctx, s, *org, *system)
	if err := recordUnder(ctx, env, s, audit.Export, "oscal/"+*kind, orgs, map[string]any{"out": target, "org": *org,
		"system": *system, "assessment": *id, "bytes": len(data)}); err != nil {
		return err
	}
	if *out == "" {
		_, err := env.Stdout.Write(data)
		return err
	}
	if err := writeOutput(env, *out, func(w io.Writer) error { _, err := w.Write(data); return err }); err != nil {
		return &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: *out}, Message: "cannot write the document",
			MessageJA: "文書を書き出せません", Err: err}
	}
	fmt.Fprintf(env.Stdout, "wrote %s to %s\n", *kind, *out)
	return nil
}

// reportName finds the report's name among the arguments: the first that
// is neither a flag nor the value of the global --db, which Run passes
// first.
func reportName(args []string) string {
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--db" || a == "-db":
			i++
		case strings.HasPrefix(a, "-"):
		default:
			return a
		}
	}
	return ""
}
