package app

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"mamori"
)

// limitFlags adds the flags that bound an import (issue 12, item 6) to fs
// and returns the limits they set once fs is parsed, or a usage error.
func limitFlags(fs *flag.FlagSet) func() (mamori.Limits, error) {
	l := mamori.DefaultLimits()
	fs.Var(byteSize{&l.FileBytes}, "max-file-size", "largest file to import or upload (KiB, MiB, GiB)")
	fs.Var(byteSize{&l.UnzippedBytes}, "max-unzipped-size", "largest total of an .xlsx workbook's parts once decompressed (KiB, MiB, GiB)")
	fs.IntVar(&l.ZipEntries, "max-zip-entries", l.ZipEntries, "most entries of an .xlsx workbook's zip")
	fs.IntVar(&l.Rows, "max-rows", l.Rows, "most rows of a sheet or CSV file, records of a JSON array")
	fs.IntVar(&l.Cells, "max-cells", l.Cells, "most cells of a row, fields of a JSON record")
	fs.IntVar(&l.CellChars, "max-cell-chars", l.CellChars, "most characters of a cell or JSON string")
	fs.IntVar(&l.Depth, "max-depth", l.Depth, "deepest nesting of JSON arrays and objects")
	fs.DurationVar(&l.Time, "max-time", l.Time, "longest an import may run")
	return func() (mamori.Limits, error) {
		if l.FileBytes <= 0 || l.UnzippedBytes <= 0 || l.ZipEntries <= 0 || l.Rows <= 0 || l.Cells <= 0 || l.CellChars <= 0 || l.Depth <= 0 || l.Time <= 0 {
			return l, &UsageError{"every --max-… limit must be positive"}
		}
		return l, nil
	}
}

// byteSize is a flag holding a size such as 64MiB.
type byteSize struct{ p *int64 }

func (b byteSize) String() string {
	if b.p == nil {
		return ""
	}
	return strings.ReplaceAll(mamori.Bytes(*b.p), " ", "")
}

func (b byteSize) Set(s string) error {
	n, err := parseBytes(s)
	if err != nil {
		return err
	}
	*b.p = n
	return nil
}

// readLimited reads a file named on the command line within lim's size
// (and, for JSON, depth), naming the file in a refusal.
func readLimited(path string, lim mamori.Limits) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: path}, Message: "cannot read the file",
			MessageJA: "ファイルを読めません", Err: err}
	}
	defer f.Close()
	data, err := lim.ReadAll(f)
	if err == nil && strings.HasSuffix(strings.ToLower(path), ".json") {
		err = lim.CheckJSONDepth(data)
	}
	if e, ok := err.(*mamori.Error); ok {
		e.Loc.File = path
		return nil, e
	}
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	return data, nil
}
