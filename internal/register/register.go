// Package register imports and exports mamori's register — organizations,
// systems, components, contracts, plans and the rest — as .xlsx workbooks
// (one sheet per entity, Japanese headers), .csv files (one entity per file)
// and a JSON bundle whose JSON Schema ships with mamori.
//
// An import is all or nothing: every file is parsed and every row validated,
// every problem is collected with its file, sheet, row, column and value, and
// only when there are none is everything written, in one transaction, as
// upserts on natural keys (so importing the same files twice changes nothing).
// It imports mamori, internal/store, internal/sheet, the value parsers and
// internal/audit, which records the saves of the register editor (edit.go).
package register

import (
	"strings"

	"golang.org/x/text/width"

	"mamori"
)

// Format is an import/export file format.
type Format string

// The formats.
const (
	XLSX Format = "xlsx"
	CSV  Format = "csv"
	JSON Format = "json"
)

// ParseFormat checks a format name given by a user.
func ParseFormat(s string) (Format, error) {
	switch f := Format(strings.ToLower(s)); f {
	case XLSX, CSV, JSON:
		return f, nil
	}
	return "", mamori.Errorf(mamori.Invalid, "形式「%s」には対応していません(xlsx, csv, json)", "unknown format %q (want xlsx, csv or json)", s)
}

// fold normalises a name for matching headers and sheet names: full-width
// ASCII becomes half-width, case and surrounding space are ignored.
func fold(s string) string {
	return strings.ToLower(strings.TrimSpace(width.Fold.String(s)))
}

// entityByLabel finds the entity a sheet or file is for: by table name,
// Japanese sheet name or English name.
func entityByLabel(name string) *mamori.Entity {
	n := fold(name)
	for _, e := range mamori.Entities {
		if n == e.Name || n == fold(e.JA) || n == fold(e.EN) {
			return e
		}
	}
	return nil
}

// fieldByHeader finds the field a header cell names: by Japanese header,
// English header or column name.
func fieldByHeader(e *mamori.Entity, header string) int {
	h := fold(header)
	for i, f := range e.Fields {
		if h == fold(f.JA) || h == fold(f.EN) || h == f.Column {
			return i
		}
	}
	return -1
}

// keyOf renders a record's natural key as one comparable string.
func keyOf(e *mamori.Entity, r mamori.Record) string {
	var b strings.Builder
	for i, f := range e.Fields {
		if f.Key {
			b.WriteString(formatCell(&f, r[i]))
			b.WriteByte(0)
		}
	}
	return b.String()
}

// keyText renders a record's natural key for a person.
func keyText(e *mamori.Entity, r mamori.Record) string {
	var parts []string
	for i, f := range e.Fields {
		if f.Key {
			parts = append(parts, formatCell(&f, r[i]))
		}
	}
	return strings.Join(parts, " / ")
}
