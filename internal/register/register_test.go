package register_test

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// fixture synthesises n records of every entity, with every field set and
// each record's references pointing at the record of the same index, so a
// round trip exercises every column of every type. Texts carry commas,
// quotes, line breaks and HTML-special characters to test quoting.
func fixture(n int) map[string][]mamori.Record {
	out := map[string][]mamori.Record{}
	for _, e := range mamori.Entities {
		for i := range n {
			r := make(mamori.Record, len(e.Fields))
			for fi, f := range e.Fields {
				switch {
				case f.Ref == e.Name: // organizations.parent_code: a chain
					if i > 0 {
						r[fi] = fmt.Sprintf("%s-%d", e.Name, i-1)
					}
				case f.Ref != "":
					r[fi] = fmt.Sprintf("%s-%d", f.Ref, i)
				case e.Name == "register_items" && f.Column == "field":
					r[fi] = mamori.EntityByName("systems").Fields[i].Column // a column of systems, as the import requires
				case e.Name == "incidents" && strings.HasSuffix(f.Column, "_time"):
					r[fi] = fmt.Sprintf("%02d:30", 9+i) // a timeline's times are times of day
				case f.Type == mamori.Code:
					r[fi] = fmt.Sprintf("%s-%d", e.Name, i)
				case f.Type == mamori.Text:
					r[fi] = fmt.Sprintf("%s「%d」, \"引用\" <b>&\n二行目", f.JA, i)
				case f.Type == mamori.Enum:
					r[fi] = f.Enum[i%len(f.Enum)].Code
				case f.Type == mamori.Bool:
					r[fi] = i%2 == 0
				case f.Type == mamori.Date:
					r[fi] = fmt.Sprintf("2019-04-%02d", 28+i)
				case f.Type == mamori.FiscalYear:
					r[fi] = int64(2018 + i)
				case f.Type == mamori.Money:
					r[fi] = int64(856390000 + i)
				case f.Type == mamori.Integer:
					r[fi] = f.Min + int64(i)
					if f.Max > 0 {
						r[fi] = f.Min + int64(i)%(f.Max-f.Min+1)
					}
				}
			}
			out[e.Name] = append(out[e.Name], r)
		}
	}
	return out
}

func loadFixture(t testing.TB, s *store.Store, data map[string][]mamori.Record) {
	t.Helper()
	err := s.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		for _, e := range mamori.Entities {
			if err := l.Put(e, data[e.Name]); err != nil {
				return fmt.Errorf("%s: %w", e.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("load fixture: %v", err)
	}
}

// exported is one export: the bytes of each file it wrote, by base name.
type exported map[string][]byte

func export(t *testing.T, s *store.Store, f register.Format) exported {
	t.Helper()
	if f == register.CSV {
		dir := t.TempDir()
		if err := register.ExportCSV(t.Context(), s, dir); err != nil {
			t.Fatalf("ExportCSV: %v", err)
		}
		out := exported{}
		ents, _ := os.ReadDir(dir)
		for _, de := range ents {
			b, err := os.ReadFile(filepath.Join(dir, de.Name()))
			if err != nil {
				t.Fatal(err)
			}
			out[de.Name()] = b
		}
		return out
	}
	var buf bytes.Buffer
	if err := register.Export(t.Context(), s, f, &buf); err != nil {
		t.Fatalf("Export(%s): %v", f, err)
	}
	return exported{"register." + string(f): buf.Bytes()}
}

func (x exported) inputs() []register.Input {
	var in []register.Input
	for name, b := range x {
		in = append(in, register.Input{Name: name, Data: b})
	}
	slices.SortFunc(in, func(a, b register.Input) int { return strings.Compare(a.Name, b.Name) })
	return in
}

// grid reads a workbook as sheet -> rows of cells, the way the tests compare
// workbooks (the zip bytes carry timestamps).
func grid(t *testing.T, b []byte) map[string][][]string {
	t.Helper()
	f, err := excelize.OpenReader(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	out := map[string][][]string{}
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			t.Fatal(err)
		}
		out[name] = rows
	}
	return out
}

func TestRoundTrip(t *testing.T) {
	data := fixture(3)
	for _, format := range []register.Format{register.JSON, register.CSV, register.XLSX} {
		t.Run(string(format), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, s *store.Store) {
				loadFixture(t, s, data)
				first := export(t, s, format)

				empty := storetest.OpenSQLite(t)
				if s.Dialect() == store.Postgres {
					empty = storetest.OpenPostgres(t)
				}
				res, err := register.Import(t.Context(), empty, first.inputs())
				if err != nil {
					t.Fatalf("Import: %v", err)
				}
				if got := res.Written["components"]; got != 3 {
					t.Errorf("Import wrote %d components, want 3", got)
				}
				second := export(t, empty, format)
				if format == register.XLSX {
					if diff := cmp.Diff(grid(t, first["register.xlsx"]), grid(t, second["register.xlsx"])); diff != "" {
						t.Errorf("xlsx round trip differs (-first +second):\n%s", diff)
					}
				}
				// Byte for byte too, workbooks included.
				if diff := cmp.Diff(first, second); diff != "" {
					t.Errorf("%s round trip differs (-first +second):\n%s", format, diff)
				}
				if diff := cmp.Diff(storetest.Snapshot(t, s), storetest.Snapshot(t, empty)); diff != "" {
					t.Errorf("stores differ after round trip (-original +imported):\n%s", diff)
				}
				// Importing the same files again changes nothing (natural-key upsert).
				if _, err := register.Import(t.Context(), empty, first.inputs()); err != nil {
					t.Fatalf("re-Import: %v", err)
				}
				if diff := cmp.Diff(storetest.Snapshot(t, s), storetest.Snapshot(t, empty)); diff != "" {
					t.Errorf("re-import changed the store:\n%s", diff)
				}
			})
		})
	}
}

// TestBadRowsChangeNothing is the acceptance check: a workbook with
// three bad rows is refused as a whole, every bad place is named, and the
// store keeps exactly what it had.
func TestBadRowsChangeNothing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		loadFixture(t, s, fixture(2))
		x := export(t, s, register.XLSX)
		f, err := excelize.OpenReader(bytes.NewReader(x["register.xlsx"]))
		if err != nil {
			t.Fatal(err)
		}
		// A valid change that must not be written either...
		set := func(sheet, cell, v string) {
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				t.Fatal(err)
			}
		}
		set("組織", "D2", "名称を変更")
		// ...and three bad rows: an unknown kind, an impossible date, a dangling reference.
		set("組織", "C3", "省庁ではない")
		set("情報システム", "AF2", "令和7年2月30日")
		set("構成要素", "B3", "NO-SUCH-SYSTEM")
		var buf bytes.Buffer
		if _, err := f.WriteTo(&buf); err != nil {
			t.Fatal(err)
		}
		before := storetest.Snapshot(t, s)
		_, err = register.Import(t.Context(), s, []register.Input{{Name: "bad.xlsx", Data: buf.Bytes()}})
		problems, ok := errors.AsType[mamori.Problems](err)
		if !ok {
			t.Fatalf("Import error = %v, want mamori.Problems", err)
		}
		var got []string
		for _, p := range problems {
			got = append(got, fmt.Sprintf("%s/%d/%s", p.Loc.Sheet, p.Loc.Row, p.Loc.Value))
		}
		want := []string{"組織/3/省庁ではない", "情報システム/2/令和7年2月30日", "構成要素/3/NO-SUCH-SYSTEM"}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("problems (-want +got):\n%s\nfull: %v", diff, err)
		}
		for _, p := range problems {
			if p.MessageJA == "" || p.Message == "" {
				t.Errorf("problem %v lacks a Japanese or English message", p)
			}
		}
		if diff := cmp.Diff(before, storetest.Snapshot(t, s)); diff != "" {
			t.Errorf("a refused import changed the store:\n%s", diff)
		}
	})
}

func TestHeaderProblems(t *testing.T) {
	s := storetest.OpenSQLite(t)
	csv := "組織コード,名称,謎の列\nA,本省\n"
	_, err := register.Import(t.Context(), s, []register.Input{{Name: "organizations.csv", Data: []byte(csv)}})
	problems, ok := errors.AsType[mamori.Problems](err)
	if !ok || len(problems) != 2 {
		t.Fatalf("Import = %v, want 2 problems (unknown header, missing 種別)", err)
	}
	if !strings.Contains(problems[0].Error(), "column C") || !strings.Contains(problems[1].MessageJA, "種別") {
		t.Errorf("problems = %v / %s", problems, problems[1].MessageJA)
	}
	_, err = register.Import(t.Context(), s, []register.Input{{Name: "unknown.csv", Data: []byte(csv)}})
	if err == nil || !strings.Contains(err.Error(), "unknown") {
		t.Errorf("Import(unknown.csv) = %v, want an error naming the file", err)
	}
}

func TestShiftJISAndLabels(t *testing.T) {
	s := storetest.OpenSQLite(t)
	text := "組織コード,上位組織コード,種別,名称,対策基準改定日,CSIRT文書化\r\n" +
		"M01,,府省庁,総務省,平成31年4月1日,○\r\n" +
		"M01-C,M01,本府省庁等,総務省本省,R02.06.23,いいえ\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := register.Import(t.Context(), s, []register.Input{{Name: "組織.csv", Data: []byte(sjis)}}); err != nil {
		t.Fatalf("Import Shift_JIS: %v", err)
	}
	r, err := s.Get(t.Context(), mamori.EntityByName("organizations"), "M01-C")
	if err != nil {
		t.Fatal(err)
	}
	want := make(mamori.Record, len(mamori.EntityByName("organizations").Fields))
	copy(want, mamori.Record{"M01-C", "M01", "central", "総務省本省", nil, nil, "2020-06-23", nil, nil, false})
	if diff := cmp.Diff(want, r); diff != "" {
		t.Errorf("imported record (-want +got):\n%s", diff)
	}
}

func TestJSONProblems(t *testing.T) {
	s := storetest.OpenSQLite(t)
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `{`, "not valid JSON"},
		{"wrong format", `{"format":"x","version":1}`, `"format"`},
		{"unknown entity", `{"format":"mamori-register","version":1,"things":[]}`, "unknown register entity"},
		{"unknown field", `{"format":"mamori-register","version":1,"organizations":[{"code":"A","kind":"ministry","name":"x","colour":1}]}`, "unknown field"},
		{"number for text", `{"format":"mamori-register","version":1,"organizations":[{"code":"A","kind":"ministry","name":3}]}`, "number is not allowed"},
		{"missing required", `{"format":"mamori-register","version":1,"organizations":[{"code":"A","kind":"ministry"}]}`, "required value is empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := register.Import(t.Context(), s, []register.Input{{Name: "b.json", Data: []byte(tc.in)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import(%s) = %v, want error containing %q", tc.in, err, tc.want)
			}
		})
	}
}

func TestTemplate(t *testing.T) {
	var buf bytes.Buffer
	if err := register.Template(&buf); err != nil {
		t.Fatal(err)
	}
	g := grid(t, buf.Bytes())
	if len(g) != len(mamori.Entities) {
		t.Errorf("template has %d sheets, want %d", len(g), len(mamori.Entities))
	}
	sys := g["情報システム"]
	if len(sys) != 2 || sys[0][0] != "台帳番号" || !strings.HasPrefix(sys[1][0], "※必須") {
		t.Errorf("情報システム sheet = %v", sys)
	}
	// The template imports cleanly: its explanatory rows are skipped.
	s := storetest.OpenSQLite(t)
	res, err := register.Import(t.Context(), s, []register.Input{{Name: "template.xlsx", Data: buf.Bytes()}})
	if err != nil {
		t.Fatalf("Import(template) = %v", err)
	}
	for name, n := range res.Written {
		if n != 0 {
			t.Errorf("template wrote %d %s", n, name)
		}
	}
}

// TestPartialColumnsKeepStoredValues: a sheet that leaves out optional
// columns updates the columns it has and keeps the rest.
func TestPartialColumnsKeepStoredValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		full := "組織コード,種別,名称,英語名称,CSIRT文書化\nM01,府省庁,総務省,MIC,はい\n"
		partial := "組織コード,種別,名称\nM01,府省庁,総務省(改)\n"
		for _, in := range []string{full, partial} {
			if _, err := register.Import(t.Context(), s, []register.Input{{Name: "organizations.csv", Data: []byte(in)}}); err != nil {
				t.Fatal(err)
			}
		}
		r, err := s.Get(t.Context(), mamori.EntityByName("organizations"), "M01")
		if err != nil {
			t.Fatal(err)
		}
		e := mamori.EntityByName("organizations")
		if r[e.FieldIndex("name")] != "総務省(改)" || r[e.FieldIndex("name_en")] != "MIC" || r[e.FieldIndex("csirt_documented")] != true {
			t.Errorf("after partial import: %v", r)
		}
	})
}

func TestCellChecks(t *testing.T) {
	s := storetest.OpenSQLite(t)
	for _, tc := range []struct{ name, csv, want string }{
		{"control character", "組織コード,種別,名称\nA,府省庁,\"a\x01b\"\n", "control characters"},
		{"bare number as date in csv", "組織コード,種別,名称,対策基準改定日\nA,府省庁,x,2025\n", "not a date"},
		{"out of range", "台帳番号,所管組織コード,情報システム名,台帳記載,区分,稼働状況,機密性\nS,A,x,はい,情報システム,稼働中,4\n", "between 1 and 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			name := "organizations.csv"
			if strings.HasPrefix(tc.csv, "台帳番号") {
				name = "systems.csv"
			}
			_, err := register.Import(t.Context(), s, []register.Input{{Name: name, Data: []byte(tc.csv)}})
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Import = %v, want error containing %q", err, tc.want)
			}
		})
	}
}

// TestExcelDateCells: a date typed into Excel is stored as a serial day
// number with a date format; the importer reads it as that date.
func TestExcelDateCells(t *testing.T) {
	f := excelize.NewFile()
	if err := f.SetSheetName("Sheet1", "組織"); err != nil {
		t.Fatal(err)
	}
	for cell, v := range map[string]any{"A1": "組織コード", "B1": "種別", "C1": "名称", "D1": "対策基準改定日",
		"A2": "A", "B2": "府省庁", "C2": "総務省", "D2": time.Date(2019, 5, 1, 0, 0, 0, 0, time.UTC)} {
		if err := f.SetCellValue("組織", cell, v); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if _, err := f.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	s := storetest.OpenSQLite(t)
	if _, err := register.Import(t.Context(), s, []register.Input{{Name: "dates.xlsx", Data: buf.Bytes()}}); err != nil {
		t.Fatal(err)
	}
	r, err := s.Get(t.Context(), mamori.EntityByName("organizations"), "A")
	if err != nil {
		t.Fatal(err)
	}
	if got := r[mamori.EntityByName("organizations").FieldIndex("policy_revised_on")]; got != "2019-05-01" {
		t.Errorf("Excel date cell imported as %v, want 2019-05-01", got)
	}
}
