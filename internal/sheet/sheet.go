// Package sheet reads and writes tables of text cells as .xlsx workbooks and
// .csv files, the formats a government office exchanges registers in. It knows
// nothing of mamori's entities: it deals in sheet names, header rows and data
// rows, and leaves their meaning to its caller. CSV input may be UTF-8 (with
// or without a byte-order mark) or Shift_JIS, which Excel in Japan writes;
// CSV output is UTF-8 with a BOM so Excel opens it correctly.
package sheet

import (
	"archive/zip"
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/transform"
)

// Table is one sheet of a workbook or one CSV file: a header row and data rows.
type Table struct {
	Name   string // the sheet name, or the CSV file's base name without extension
	Header []string
	Rows   []Row
}

// Row is a data row with its 1-based row number as the user sees it in
// Excel (the header is row 1).
type Row struct {
	Num   int
	Cells []string
}

// Cell returns the i-th cell of the row, or "" past its end (spreadsheets
// drop trailing empty cells).
func (r Row) Cell(i int) string {
	if i < len(r.Cells) {
		return r.Cells[i]
	}
	return ""
}

// Blank reports whether every cell of the row is empty or white space.
func (r Row) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}

// ColumnName returns the spreadsheet column letter for a 0-based index: A, B, … Z, AA.
func ColumnName(i int) string {
	name, err := excelize.ColumnNumberToName(i + 1)
	if err != nil {
		return fmt.Sprint(i + 1)
	}
	return name
}

// MaxXLSXBytes bounds the uncompressed size of a workbook we agree to read,
// so a crafted zip cannot exhaust memory.
const MaxXLSXBytes = 2 << 30

// ReadXLSX reads every sheet of a workbook. Cells are returned raw, without
// number formats applied: a date typed into Excel arrives as its serial day
// number, which the caller converts.
func ReadXLSX(r io.Reader) ([]Table, error) {
	f, err := excelize.OpenReader(r, excelize.Options{UnzipSizeLimit: MaxXLSXBytes})
	if err != nil {
		return nil, fmt.Errorf("not a readable .xlsx workbook: %w", err)
	}
	defer f.Close()
	var tables []Table
	for _, name := range f.GetSheetList() {
		t := Table{Name: name}
		rows, err := f.Rows(name)
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		num := 0
		for rows.Next() {
			num++
			cells, err := rows.Columns(excelize.Options{RawCellValue: true})
			if err != nil {
				rows.Close()
				return nil, fmt.Errorf("sheet %s row %d: %w", name, num, err)
			}
			if num == 1 {
				t.Header = cells
				continue
			}
			t.Rows = append(t.Rows, Row{Num: num, Cells: cells})
		}
		err = errors.Join(rows.Error(), rows.Close())
		if err != nil {
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// decodeText returns the input as UTF-8: a UTF-8 BOM is dropped, valid UTF-8
// is kept, and anything else is decoded as Shift_JIS (Windows code page 932).
func decodeText(data []byte) ([]byte, error) {
	if bytes.HasPrefix(data, utf8BOM) {
		return data[len(utf8BOM):], nil
	}
	if utf8.Valid(data) {
		return data, nil
	}
	out, _, err := transform.Bytes(japanese.ShiftJIS.NewDecoder(), data)
	if err != nil {
		return nil, fmt.Errorf("neither UTF-8 nor Shift_JIS text: %w", err)
	}
	return out, nil
}

// ReadCSV reads a CSV file whose first record is the header. Row numbers
// are those Excel shows: blank lines count as rows, and a quoted cell that
// spans several lines is one row. One leading apostrophe, which WriteCSV
// adds to cells Excel would otherwise run as formulas, is removed.
func ReadCSV(r io.Reader, name string) (Table, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return Table{}, err
	}
	data, err = decodeText(data)
	if err != nil {
		return Table{}, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // a short row is reported by the caller with its place, not refused here
	t := Table{Name: name}
	row := 0     // Excel row of the last record read
	endLine := 0 // text line on which the last record ended
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Table{}, err
		}
		startLine, _ := cr.FieldPos(0)
		row += startLine - endLine // blank lines the reader skipped are rows too
		endLine = 1 + bytes.Count(data[:cr.InputOffset()], []byte("\n"))
		if cr.InputOffset() > 0 && data[cr.InputOffset()-1] == '\n' {
			endLine--
		}
		for i, c := range rec {
			rec[i] = unguard(c)
		}
		if t.Header == nil {
			t.Header = rec
			row = 1
			continue
		}
		t.Rows = append(t.Rows, Row{Num: row, Cells: rec})
	}
	if t.Header == nil {
		return Table{}, errors.New("empty file: no header row")
	}
	return t, nil
}

// guard protects a cell from being run as a formula when the CSV file is
// opened in a spreadsheet (CSV injection): a cell starting with one of
// = + - @ tab or CR, or with an apostrophe, gets a leading apostrophe.
func guard(c string) string {
	if c != "" && strings.ContainsRune("=+-@\t\r'", rune(c[0])) {
		return "'" + c
	}
	return c
}

// unguard undoes guard.
func unguard(c string) string {
	if len(c) > 1 && c[0] == '\'' && strings.ContainsRune("=+-@\t\r'", rune(c[1])) {
		return c[1:]
	}
	return c
}

// WriteCSV writes a header and rows as UTF-8 CSV with a byte-order mark and
// CRLF line ends, which is what Excel expects.
func WriteCSV(w io.Writer, header []string, rows func(yield func([]string) error) error) error {
	bw := bufio.NewWriter(w)
	if _, err := bw.Write(utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(bw)
	cw.UseCRLF = true
	if err := cw.Write(header); err != nil {
		return err
	}
	guarded := make([]string, 0, len(header))
	err := rows(func(cells []string) error {
		guarded = guarded[:0]
		for _, c := range cells {
			guarded = append(guarded, guard(c))
		}
		return cw.Write(guarded)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return bw.Flush()
}

// Workbook builds an .xlsx file sheet by sheet, streaming rows so that a
// large register does not have to be held in memory twice.
type Workbook struct {
	f      *excelize.File
	first  bool
	header int
	note   int
}

// NewWorkbook starts an empty workbook.
func NewWorkbook() (*Workbook, error) {
	f := excelize.NewFile()
	header, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Bold: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return nil, err
	}
	note, err := f.NewStyle(&excelize.Style{
		Font:      &excelize.Font{Italic: true, Color: "595959"},
		Alignment: &excelize.Alignment{WrapText: true, Vertical: "top"},
	})
	if err != nil {
		return nil, err
	}
	return &Workbook{f: f, first: true, header: header, note: note}, nil
}

// AddSheet appends a sheet with a bold, frozen header row and the rows that
// the rows function yields. A note row, if given, follows the header in
// italics (the template's explanatory row).
func (wb *Workbook) AddSheet(name string, header, note []string, widths []float64, rows func(yield func([]string) error) error) error {
	if wb.first {
		if err := wb.f.SetSheetName("Sheet1", name); err != nil {
			return err
		}
		wb.first = false
	} else if _, err := wb.f.NewSheet(name); err != nil {
		return err
	}
	sw, err := wb.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	for i, w := range widths {
		if err := sw.SetColWidth(i+1, i+1, w); err != nil {
			return err
		}
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	cells := func(vals []string, style int) []any {
		out := make([]any, len(vals))
		for i, v := range vals {
			c := excelize.Cell{Value: v}
			if style != 0 {
				c.StyleID = style
			}
			out[i] = c
		}
		return out
	}
	if err := sw.SetRow("A1", cells(header, wb.header)); err != nil {
		return err
	}
	num := 1
	if note != nil {
		num++
		if err := sw.SetRow("A2", cells(note, wb.note)); err != nil {
			return err
		}
	}
	err = rows(func(vals []string) error {
		num++
		cell, err := excelize.CoordinatesToCellName(1, num)
		if err != nil {
			return err
		}
		return sw.SetRow(cell, cells(vals, 0))
	})
	if err != nil {
		return err
	}
	return sw.Flush()
}

// WriteTo writes the workbook. The same content always gives the same
// bytes: the zip entries, which the library writes in map order, are put
// in name order with a fixed time stamp, so an export can be compared or
// checksummed as a file.
func (wb *Workbook) WriteTo(w io.Writer) (int64, error) {
	defer wb.f.Close()
	buf, err := wb.f.WriteToBuffer()
	if err != nil {
		return 0, err
	}
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		return 0, err
	}
	files := slices.Clone(zr.File)
	slices.SortFunc(files, func(a, b *zip.File) int { return strings.Compare(a.Name, b.Name) })
	cw := &countingWriter{w: w}
	zw := zip.NewWriter(cw)
	for _, f := range files {
		hdr := &zip.FileHeader{Name: f.Name, Method: zip.Deflate, Modified: zipEpoch}
		dst, err := zw.CreateHeader(hdr)
		if err != nil {
			return cw.n, err
		}
		src, err := f.Open()
		if err != nil {
			return cw.n, err
		}
		_, err = io.Copy(dst, src)
		src.Close()
		if err != nil {
			return cw.n, err
		}
	}
	return cw.n, zw.Close()
}

// zipEpoch is the time stamp of every entry of a written workbook.
var zipEpoch = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
