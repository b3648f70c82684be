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
	"context"
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

	"mamori"
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

// ReadXLSX reads every sheet of a workbook within lim (see mamori.Limits):
// the file's size, the number of its zip entries, the size of its parts
// once decompressed, the rows of a
// sheet, the cells of a row and the characters of a cell. The decompressed
// size is checked twice before the workbook is parsed: the sizes the zip's
// directory declares, and then the sizes its entries really inflate to
// (archive/zip stops an entry at its declared size, which the parser below
// would otherwise take silently as the whole). Either way a zip bomb is
// refused while memory stays small. Cells are returned raw, without number
// formats applied: a date typed into Excel arrives as its serial day
// number, which the caller converts. A refusal for a limit is a
// *mamori.Error wrapping mamori.ErrLimit; the work stops when ctx ends.
func ReadXLSX(ctx context.Context, data []byte, lim mamori.Limits) ([]Table, error) {
	lim = lim.OrDefault()
	if int64(len(data)) > lim.FileBytes {
		return nil, lim.FileTooLarge()
	}
	if err := checkUnzipped(ctx, data, lim); err != nil {
		return nil, err
	}
	f, err := excelize.OpenReader(bytes.NewReader(data), excelize.Options{
		UnzipSizeLimit: lim.UnzippedBytes,
		// Parts larger than this are parsed from a temporary file, not memory.
		UnzipXMLSizeLimit: min(lim.UnzippedBytes, 16<<20),
	})
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
		t.Header, t.Rows, err = readRows(ctx, rows, name, lim)
		err = errors.Join(err, rows.Error(), rows.Close())
		if err != nil {
			if _, ok := errors.AsType[*mamori.Error](err); ok {
				return nil, err
			}
			return nil, fmt.Errorf("sheet %s: %w", name, err)
		}
		tables = append(tables, t)
	}
	return tables, nil
}

// readRows reads one sheet's header and rows within lim. Rows without a
// cell are left out (an empty row element, or a gap the library fills
// before a row numbered far down), but they count towards the limit.
func readRows(ctx context.Context, rows *excelize.Rows, sheet string, lim mamori.Limits) (header []string, out []Row, err error) {
	num := 0
	for rows.Next() {
		num++
		if num%256 == 0 {
			if err := mamori.Stopped(ctx); err != nil {
				return nil, nil, err
			}
		}
		if num > lim.Rows+1 { // the header is not a data row
			return nil, nil, at(lim.TooManyRows(), sheet, num, -1)
		}
		cells, err := rows.Columns(excelize.Options{RawCellValue: true})
		if err != nil {
			return nil, nil, fmt.Errorf("row %d: %w", num, err)
		}
		if err := checkCells(cells, lim); err != nil {
			return nil, nil, at(err.(*limitAt).err, sheet, num, err.(*limitAt).col)
		}
		if num == 1 {
			header = cells
			continue
		}
		if len(cells) > 0 {
			out = append(out, Row{Num: num, Cells: cells})
		}
	}
	return header, out, nil
}

// limitAt is a limit refused at a cell of a row.
type limitAt struct {
	err *mamori.Error
	col int // 0-based, or -1 for the whole row
}

func (l *limitAt) Error() string { return l.err.Error() }

// checkCells refuses a row with more cells than lim.Cells or a cell longer
// than lim.CellChars characters.
func checkCells(cells []string, lim mamori.Limits) error {
	if len(cells) > lim.Cells {
		return &limitAt{lim.TooManyCells(), -1}
	}
	for i, c := range cells {
		// A character is at least one byte, so only a long cell is counted.
		if len(c) > lim.CellChars && utf8.RuneCountInString(c) > lim.CellChars {
			return &limitAt{lim.CellTooLong(), i}
		}
	}
	return nil
}

// at places a limit's refusal at a sheet's row and column (col < 0: the row).
func at(e *mamori.Error, sheet string, row, col int) *mamori.Error {
	e.Loc.Sheet, e.Loc.Row = sheet, row
	if col >= 0 {
		e.Loc.Column = ColumnName(col)
	}
	return e
}

// zipDirectoryHeader is the signature of a zip central directory header.
var zipDirectoryHeader = []byte("PK\x01\x02")

// checkUnzipped refuses a workbook of more than lim.ZipEntries entries,
// and one whose parts decompress to more than lim.UnzippedBytes, first by
// the sizes its directory declares, then by inflating every part into
// nothing: an entry that holds more than it declares is an error of
// archive/zip, and the total is counted again.
func checkUnzipped(ctx context.Context, data []byte, lim mamori.Limits) error {
	// Every entry archive/zip lists has a central directory header starting
	// with this signature, so the signatures in the file bound the entries
	// from above, counted before the directory is read into one value per
	// entry (500,000 empty entries cost 600-750 MB that way). A real
	// workbook has tens of entries; a chance match in compressed data is
	// one in four billion bytes.
	if bytes.Count(data, zipDirectoryHeader) > lim.ZipEntries {
		return lim.TooManyZipEntries()
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("not a readable .xlsx workbook: %w", err)
	}
	var declared uint64
	for _, zf := range zr.File {
		declared += zf.UncompressedSize64
		if declared > uint64(lim.UnzippedBytes) || declared < zf.UncompressedSize64 {
			return lim.UnzippedTooLarge()
		}
	}
	left := lim.UnzippedBytes
	for _, zf := range zr.File {
		if err := mamori.Stopped(ctx); err != nil {
			return err
		}
		rc, err := zf.Open()
		if err != nil {
			return fmt.Errorf("not a readable .xlsx workbook: %s: %w", mamori.Excerpt(zf.Name), err)
		}
		n, err := io.Copy(io.Discard, &ctxReader{ctx: ctx, r: io.LimitReader(rc, left+1)})
		rc.Close()
		if err != nil {
			if ctx.Err() != nil {
				return mamori.Stopped(ctx)
			}
			return fmt.Errorf("not a readable .xlsx workbook: %s: %w", mamori.Excerpt(zf.Name), err)
		}
		if left -= n; left < 0 {
			return lim.UnzippedTooLarge()
		}
	}
	return nil
}

// ctxReader stops reading once ctx ends.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c *ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
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

// ReadCSV reads a CSV file whose first record is the header, within lim
// (the file's size, rows, cells of a row, characters of a cell; a refusal
// wraps mamori.ErrLimit). Row numbers are those Excel shows: blank lines
// count as rows, and a quoted cell that spans several lines is one row. One
// leading apostrophe, which WriteCSV adds to cells Excel would otherwise run
// as formulas, is removed. The work stops when ctx ends.
func ReadCSV(ctx context.Context, data []byte, name string, lim mamori.Limits) (Table, error) {
	lim = lim.OrDefault()
	if int64(len(data)) > lim.FileBytes {
		return Table{}, lim.FileTooLarge()
	}
	data, err := decodeText(data)
	if err != nil {
		return Table{}, err
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1 // a short row is reported by the caller with its place, not refused here
	t := Table{Name: name}
	row := 0      // Excel row of the last record read
	endLine := 0  // text line on which the last record ended
	var off int64 // input offset of the end of the last record
	newlines := 0 // line breaks before off
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := mamori.Stopped(ctx); err != nil {
				return Table{}, err
			}
		}
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return Table{}, err
		}
		startLine, _ := cr.FieldPos(0)
		row += startLine - endLine // blank lines the reader skipped are rows too
		// Lines are counted from the last record on, not from the start
		// of the file each time (which took quadratic time).
		next := cr.InputOffset()
		newlines += bytes.Count(data[off:next], []byte("\n"))
		off = next
		endLine = 1 + newlines
		if next > 0 && data[next-1] == '\n' {
			endLine--
		}
		if n > lim.Rows {
			return Table{}, at(lim.TooManyRows(), "", row, -1)
		}
		if err := checkCells(rec, lim); err != nil {
			return Table{}, at(err.(*limitAt).err, "", row, err.(*limitAt).col)
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
