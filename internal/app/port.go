package app

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/register"
)

func runImport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "import", "import [--db DB] FILE... | import --component CODE SBOM... | import --sboms DIR\n\n"+
		"Reads .xlsx workbooks (one sheet per entity, Japanese or English headers), .csv files\n"+
		"(one entity per file, named after it: systems.csv or 情報システム.csv; UTF-8 or Shift_JIS)\n"+
		"and .json bundles (docs/register.schema.json). Nothing is written unless every row of\n"+
		"every file is valid; records are upserted on their natural keys.\n\n"+
		"With --component, the files are SBOMs (CycloneDX 1.2–1.6 JSON or XML, SPDX 2.2/2.3 JSON)\n"+
		"whose packages replace the component's installed software; package names come from\n"+
		"their purls. Records with a broken purl or CPE are reported and left out.\n\n"+
		"With --sboms, every SBOM of the folder goes onto the component its name gives:\n"+
		"DIR/CODE.cdx.json (.spdx.json, .cdx.xml, .json, .xml) onto component CODE, and every\n"+
		"such file in a subfolder DIR/CODE/ too. Names starting with \".\" are passed over; any\n"+
		"other file is refused. Unless every component exists and every file can be read,\n"+
		"nothing is written; all components are replaced in one transaction.")
	component := fs.String("component", "", "put the SBOMs' packages on this component")
	sboms := fs.String("sboms", "", "a folder of SBOMs named after their components (CODE.cdx.json, CODE/…)")
	limits := limitFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	// The time limit holds for the whole command, reading included.
	ctx, cancel := lim.WithTimeLimit(ctx)
	defer cancel()
	if *sboms != "" {
		if *component != "" || fs.NArg() > 0 {
			return &UsageError{"--sboms takes a folder and no other file or --component"}
		}
		sets, err := sbomDir(*sboms)
		if err != nil {
			return err
		}
		s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
		if err != nil {
			return err
		}
		defer s.Close()
		return importSBOMs(ctx, env, s, sets, lim)
	}
	if fs.NArg() == 0 {
		fs.Usage()
		return &UsageError{"import needs at least one file"}
	}
	if *component != "" {
		s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
		if err != nil {
			return err
		}
		defer s.Close()
		return importSBOMs(ctx, env, s, []sbomSet{{component: *component, paths: fs.Args()}}, lim)
	}
	var inputs []register.Input
	for _, path := range fs.Args() {
		data, err := readLimited(path, lim)
		if err != nil {
			return err
		}
		inputs = append(inputs, register.Input{Name: path, Data: data})
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	res, err := register.ImportScoped(ctx, s, inputs, register.Options{Limits: lim})
	for _, w := range res.Warnings {
		fmt.Fprintf(env.Stderr, "warning: %s\n", w.Bilingual())
	}
	var names []string
	for _, in := range inputs {
		names = append(names, filepath.Base(in.Name))
	}
	if err != nil && ctx.Err() == nil {
		// A refused import is evidence too: what was attempted, and why not.
		if rerr := recordEvery(ctx, env, s, audit.ImportRefused, strings.Join(names, ", "), audit.Reasons(err)); rerr != nil {
			return errors.Join(err, rerr)
		}
	}
	if _, invalid := errors.AsType[mamori.Problems](err); invalid {
		fmt.Fprintln(env.Stderr, "取り込みを中止しました。何も書き込んでいません。 / import refused; nothing was written.")
	}
	if err != nil {
		return err
	}
	var total int64
	var parts []string
	for _, e := range mamori.Entities {
		if n := res.Written[e.Name]; n > 0 {
			total += n
			parts = append(parts, fmt.Sprintf("%s %d", e.Name, n))
		}
	}
	fmt.Fprintf(env.Stdout, "imported %d records: %s\n", total, strings.Join(parts, ", "))
	return recordEvery(ctx, env, s, audit.Import, strings.Join(names, ", "), res.Written)
}

func runExport(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "export", "export [--db DB] [--format xlsx|csv|json] [--out PATH] | export --template --out FILE.xlsx")
	format := fs.String("format", "", "xlsx, csv or json (default: from --out's extension, else json)")
	out := fs.String("out", "", "output file (xlsx, json; default standard output) or directory (csv, required)")
	template := fs.Bool("template", false, "write an empty workbook with headers and one explanatory row per sheet")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"export takes no arguments (use --out)"}
	}
	if *template {
		return writeOutput(env, *out, register.Template)
	}
	if *format == "" {
		// --out 台帳.xlsx means a workbook, not JSON under that name.
		switch strings.ToLower(filepath.Ext(*out)) {
		case ".xlsx":
			*format = "xlsx"
		default:
			*format = "json"
		}
	} else if ext := strings.ToLower(filepath.Ext(*out)); (ext == ".xlsx" || ext == ".json") && ext != "."+*format {
		return &UsageError{fmt.Sprintf("--format %s does not fit --out %s", *format, filepath.Base(*out))}
	}
	f, err := register.ParseFormat(*format)
	if err != nil {
		return &UsageError{err.Error()}
	}
	if f == register.CSV && *out == "" {
		return &UsageError{"--format csv needs --out DIRECTORY"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	if f == register.CSV {
		err = register.ExportCSV(ctx, s, *out)
	} else {
		err = writeOutput(env, *out, func(w io.Writer) error { return register.Export(ctx, s, f, w) })
	}
	if err != nil {
		return err
	}
	// An export takes the register out of mamori: who took it, and where.
	target := *out
	if target == "" {
		target = "stdout"
	}
	return recordEvery(ctx, env, s, audit.Export, target, map[string]string{"format": *format})
}

// writeOutput writes to standard output, or to a file that appears only
// once it is complete (register.WriteFile).
func writeOutput(env *Env, path string, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		bw := bufio.NewWriterSize(env.Stdout, 1<<16)
		if err := write(bw); err != nil {
			return err
		}
		return bw.Flush()
	}
	return register.WriteFile(path, write)
}
