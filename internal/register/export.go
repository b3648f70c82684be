package register

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/sheet"
	"mamori/internal/store"
)

// headers returns the Japanese column headers of e, which is what a person
// in a Japanese office reads; the importer accepts English headers too.
func headers(e *mamori.Entity) []string {
	h := make([]string, len(e.Fields))
	for i, f := range e.Fields {
		h[i] = f.JA
	}
	return h
}

func widths(e *mamori.Entity) []float64 {
	w := make([]float64, len(e.Fields))
	for i, f := range e.Fields {
		switch f.Type {
		case mamori.Bool, mamori.FiscalYear, mamori.Integer:
			w[i] = 10
		case mamori.Date, mamori.Money, mamori.Code:
			w[i] = 14
		default:
			w[i] = 22
		}
	}
	return w
}

// rowsOf streams the stored records of e as formatted cells.
func rowsOf(ctx context.Context, st *store.Store, e *mamori.Entity) func(yield func([]string) error) error {
	return func(yield func([]string) error) error {
		cells := make([]string, len(e.Fields))
		return st.Dump(ctx, e, func(r mamori.Record) error {
			for i := range e.Fields {
				cells[i] = formatCell(&e.Fields[i], r[i])
			}
			return yield(cells)
		})
	}
}

// Export writes the whole register to w as a workbook (xlsx) or a bundle
// (json). CSV needs a directory: see ExportCSV.
func Export(ctx context.Context, st *store.Store, format Format, w io.Writer) error {
	switch format {
	case JSON:
		return writeJSON(ctx, st, w)
	case XLSX:
		wb, err := sheet.NewWorkbook()
		if err != nil {
			return err
		}
		for _, e := range mamori.Entities {
			if err := wb.AddSheet(e.JA, headers(e), nil, widths(e), rowsOf(ctx, st, e)); err != nil {
				return fmt.Errorf("register: export %s: %w", e.Name, err)
			}
		}
		_, err = wb.WriteTo(w)
		return err
	case CSV:
		return mamori.Errorf(mamori.Invalid, "CSV は出力先ディレクトリを指定してください", "csv export needs an output directory")
	}
	return mamori.Errorf(mamori.Invalid, "形式「%s」には対応していません", "unknown format %q", format)
}

// ExportCSV writes one CSV file per entity, named after its table, into dir
// (created if needed). Files are written to temporary names and renamed, so
// a failure never leaves a half-written file under a real name.
func ExportCSV(ctx context.Context, st *store.Store, dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for _, e := range mamori.Entities {
		path := filepath.Join(dir, e.Name+".csv")
		err := WriteFile(path, func(w io.Writer) error { return sheet.WriteCSV(w, headers(e), rowsOf(ctx, st, e)) })
		if err != nil {
			return fmt.Errorf("register: export %s: %w", path, err)
		}
	}
	return nil
}

// WriteFile writes a file by way of a temporary file in the same directory,
// renamed into place only when write succeeds, so a failed export never
// leaves a truncated file under the name asked for.
func WriteFile(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".mamori-export-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	err = write(tmp)
	// CreateTemp makes the file private (0600); an export is an ordinary file.
	err = errors.Join(err, tmp.Close(), os.Chmod(tmp.Name(), 0o644))
	if err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Template writes an empty workbook: every sheet with its headers and one
// explanatory row (starting with ※, which the importer skips) saying for
// each column whether it is required, what it holds, and an example.
func Template(w io.Writer) error {
	wb, err := sheet.NewWorkbook()
	if err != nil {
		return err
	}
	for _, e := range mamori.Entities {
		note := make([]string, len(e.Fields))
		for i := range e.Fields {
			note[i] = hint(&e.Fields[i])
		}
		note[0] = "※" + note[0]
		if err := wb.AddSheet(e.JA, headers(e), note, widths(e), func(yield func([]string) error) error { return defaults(e, yield) }); err != nil {
			return err
		}
	}
	_, err = wb.WriteTo(w)
	return err
}

// defaults lists, as explanatory rows (※, skipped on import), the reference
// data migrate seeds for an entity: the clause list and the register
// items, so whoever fills the template sees the codes the checks know.
func defaults(e *mamori.Entity, yield func([]string) error) error {
	switch e.Name {
	case "clause_defs":
		for _, c := range mamori.DefaultClauses {
			if err := yield([]string{"※" + c.Code, c.Group, c.Name, c.NameEN}); err != nil {
				return err
			}
		}
	case "incident_classes":
		for _, c := range mamori.DefaultIncidentClasses {
			if err := yield([]string{"※" + c.Code, c.Name, c.NameEN}); err != nil {
				return err
			}
		}
	case "register_items":
		for _, it := range mamori.DefaultRegisterItems {
			cloud := "いいえ"
			if it.CloudOnly {
				cloud = "はい"
			}
			if err := yield([]string{"※R5", strconv.FormatInt(it.No, 10), it.Field, it.Name, cloud}); err != nil {
				return err
			}
		}
	}
	return nil
}

// hint explains a field for the template's explanatory row.
func hint(f *mamori.Field) string {
	var parts []string
	if f.Mandatory() {
		parts = append(parts, "必須")
	} else {
		parts = append(parts, "任意")
	}
	switch f.Type {
	case mamori.Text:
		parts = append(parts, "文字列")
	case mamori.Code:
		parts = append(parts, "コード(空白不可)")
	case mamori.Integer:
		switch {
		case f.Max > 0:
			parts = append(parts, fmt.Sprintf("整数 %d〜%d", f.Min, f.Max))
		case f.Min > 0:
			parts = append(parts, fmt.Sprintf("%d以上の整数", f.Min))
		default:
			parts = append(parts, "0以上の整数")
		}
	case mamori.Money:
		parts = append(parts, "金額(円) 例: 856390000 / 8億5639万円")
	case mamori.Date:
		parts = append(parts, "日付 例: 2025-04-01 / 令和7年4月1日")
	case mamori.FiscalYear:
		parts = append(parts, "年度 例: 2025 / 令和7年度")
	case mamori.Bool:
		parts = append(parts, "はい / いいえ")
	case mamori.Enum:
		var labels []string
		for _, v := range f.Enum {
			labels = append(labels, v.JA)
		}
		parts = append(parts, "選択: "+strings.Join(labels, " / "))
	}
	if f.Ref != "" {
		parts = append(parts, "「"+mamori.EntityByName(f.Ref).JA+"」シートのコード")
	}
	if f.Hint != "" {
		parts = append(parts, f.Hint)
	}
	return strings.Join(parts, "。")
}
