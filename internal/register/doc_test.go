package register

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"mamori"
)

// referenceDoc renders docs/register.md: every sheet and column a user may
// import, with its type and whether it is required, from the register itself.
func referenceDoc() []byte {
	var b bytes.Buffer
	b.WriteString("# 台帳の項目 / Register reference\n\n")
	b.WriteString("Generated from the register definition (`register.go`) by `go test ./internal/register -update`; do not edit by hand.\n\n")
	b.WriteString("Each entity is a sheet of an .xlsx workbook (sheet name = 日本語名), a .csv file (file name = table name or 日本語名)\n")
	b.WriteString("and an array in the JSON bundle (key = table name; schema: `register.schema.json`). Headers may be given in\n")
	b.WriteString("Japanese, in English or as the column name. Entities are listed in load order. **Key** columns form the natural key\n")
	b.WriteString("that makes re-importing idempotent.\n\n")
	for _, e := range mamori.Entities {
		fmt.Fprintf(&b, "## %s — %s (`%s`)\n\n", e.JA, e.EN, e.Name)
		b.WriteString("| 列 / header | English | column | type | required | notes |\n|---|---|---|---|---|---|\n")
		for _, f := range e.Fields {
			req := ""
			switch {
			case f.Key:
				req = "key"
			case f.Mandatory():
				req = "yes"
			}
			var notes []string
			if f.Ref != "" {
				notes = append(notes, "refers to `"+f.Ref+"`")
			}
			if f.Type == mamori.Enum {
				var vs []string
				for _, v := range f.Enum {
					vs = append(vs, fmt.Sprintf("`%s` %s", v.Code, v.JA))
				}
				notes = append(notes, strings.Join(vs, ", "))
			}
			if f.Type == mamori.Integer && f.Max > 0 {
				notes = append(notes, fmt.Sprintf("%d–%d", f.Min, f.Max))
			}
			fmt.Fprintf(&b, "| %s | %s | `%s` | %s | %s | %s |\n", f.JA, f.EN, f.Column, f.Type, req, strings.Join(notes, "; "))
		}
		b.WriteString("\n")
	}
	return b.Bytes()
}

func TestReferenceDocIsCurrent(t *testing.T) {
	const path = "../../docs/register.md"
	want := referenceDoc()
	if *update {
		if err := os.WriteFile(path, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./internal/register -run TestReferenceDocIsCurrent -update", path)
	}
}
