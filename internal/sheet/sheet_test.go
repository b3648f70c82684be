package sheet

import (
	"bytes"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"golang.org/x/text/encoding/japanese"

	"mamori"
)

func TestReadCSVEncodings(t *testing.T) {
	text := "台帳番号,名称\r\nS1,\"人事, 給与\"\r\nS2,\"二行\n目\"\r\n"
	sjis, err := japanese.ShiftJIS.NewEncoder().String(text)
	if err != nil {
		t.Fatal(err)
	}
	want := Table{Name: "systems", Header: []string{"台帳番号", "名称"}, Rows: []Row{
		{Num: 2, Cells: []string{"S1", "人事, 給与"}},
		{Num: 3, Cells: []string{"S2", "二行\n目"}},
	}}
	for name, in := range map[string][]byte{
		"utf-8":     []byte(text),
		"utf-8 bom": append([]byte{0xEF, 0xBB, 0xBF}, text...),
		"shift_jis": []byte(sjis),
	} {
		got, err := ReadCSV(t.Context(), in, "systems", mamori.Limits{})
		if err != nil {
			t.Errorf("ReadCSV(%s): %v", name, err)
			continue
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ReadCSV(%s) (-want +got):\n%s", name, diff)
		}
	}
	if _, err := ReadCSV(t.Context(), nil, "x", mamori.Limits{}); err == nil {
		t.Error("ReadCSV(empty) = nil error, want one")
	}
}

func TestCSVAndXLSXRoundTrip(t *testing.T) {
	header := []string{"コード", "名称"}
	rows := [][]string{{"A", "総務省"}, {"B", "=1+1 \"quoted\", comma"}}
	each := func(yield func([]string) error) error {
		for _, r := range rows {
			if err := yield(r); err != nil {
				return err
			}
		}
		return nil
	}
	var csvBuf bytes.Buffer
	if err := WriteCSV(&csvBuf, header, each); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(csvBuf.Bytes(), utf8BOM) || !bytes.Contains(csvBuf.Bytes(), []byte("\r\n")) {
		t.Errorf("WriteCSV output lacks BOM or CRLF: %q", csvBuf.String())
	}
	got, err := ReadCSV(t.Context(), csvBuf.Bytes(), "t", mamori.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(rows, [][]string{got.Rows[0].Cells, got.Rows[1].Cells}); diff != "" {
		t.Errorf("csv round trip (-want +got):\n%s", diff)
	}

	wb, err := NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	if err := wb.AddSheet("組織", header, []string{"※説明", "任意"}, []float64{10, 20}, each); err != nil {
		t.Fatal(err)
	}
	if err := wb.AddSheet("空", header, nil, nil, func(func([]string) error) error { return nil }); err != nil {
		t.Fatal(err)
	}
	var x bytes.Buffer
	if _, err := wb.WriteTo(&x); err != nil {
		t.Fatal(err)
	}
	tables, err := ReadXLSX(t.Context(), x.Bytes(), mamori.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(tables) != 2 || tables[0].Name != "組織" || tables[1].Name != "空" || len(tables[1].Rows) != 0 {
		t.Fatalf("ReadXLSX = %+v", tables)
	}
	want := []Row{{Num: 2, Cells: []string{"※説明", "任意"}}, {Num: 3, Cells: rows[0]}, {Num: 4, Cells: rows[1]}}
	if diff := cmp.Diff(want, tables[0].Rows); diff != "" {
		t.Errorf("xlsx round trip (-want +got):\n%s", diff)
	}
	if _, err := ReadXLSX(t.Context(), []byte("not a zip"), mamori.Limits{}); err == nil {
		t.Error("ReadXLSX(junk) = nil error")
	}
}

func TestColumnName(t *testing.T) {
	for i, want := range map[int]string{0: "A", 25: "Z", 26: "AA", 701: "ZZ"} {
		if got := ColumnName(i); got != want {
			t.Errorf("ColumnName(%d) = %s, want %s", i, got, want)
		}
	}
}

func TestReadCSVRowNumbers(t *testing.T) {
	in := "a,b\n1,x\n\n\n2,\"two\nlines\"\n3,y\n"
	got, err := ReadCSV(t.Context(), []byte(in), "t", mamori.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	var nums []int
	for _, r := range got.Rows {
		nums = append(nums, r.Num)
	}
	// Excel shows: header 1, "1" row 2, blanks 3 and 4, "2" row 5, "3" row 6.
	if diff := cmp.Diff([]int{2, 5, 6}, nums); diff != "" {
		t.Errorf("row numbers (-want +got):\n%s", diff)
	}
}

func TestCSVFormulaGuard(t *testing.T) {
	cells := []string{"=HYPERLINK(\"http://x\")", "+1", "-2", "@SUM(A1)", "'quoted", "''", "plain", "'"}
	var buf bytes.Buffer
	err := WriteCSV(&buf, []string{"h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8"}, func(yield func([]string) error) error { return yield(cells) })
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(buf.String(), "\n=") || strings.Contains(buf.String(), ",=") || strings.Contains(buf.String(), ",+") {
		t.Errorf("unguarded formula in %q", buf.String())
	}
	got, err := ReadCSV(t.Context(), buf.Bytes(), "t", mamori.Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(cells, got.Rows[0].Cells); diff != "" {
		t.Errorf("guard round trip (-want +got):\n%s", diff)
	}
}
