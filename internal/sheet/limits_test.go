package sheet

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"mamori"
)

// workbook returns an .xlsx with one sheet of a header and n rows of cells.
func workbook(t *testing.T, n int, cells ...string) []byte {
	t.Helper()
	wb, err := NewWorkbook()
	if err != nil {
		t.Fatal(err)
	}
	err = wb.AddSheet("s", []string{"a"}, nil, nil, func(yield func([]string) error) error {
		for range n {
			if err := yield(cells); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if _, err := wb.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestReadLimits: each limit refuses, naming itself, its value and the
// place, for workbooks and CSV alike (issue 12, item 6).
func TestReadLimits(t *testing.T) {
	lim := mamori.Limits{FileBytes: 1 << 20, Rows: 100, Cells: 5, CellChars: 10}
	csvRows := func(n int, row string) []byte { return []byte("a\n" + strings.Repeat(row+"\n", n)) }
	for _, tc := range []struct {
		name string
		read func() error
		want string
	}{
		{"xlsx rows", func() error { _, err := ReadXLSX(t.Context(), workbook(t, 101, "x"), lim); return err },
			"sheet s, row 102: more rows than the limit of 100 (--max-rows)"},
		{"xlsx cells", func() error {
			_, err := ReadXLSX(t.Context(), workbook(t, 1, "1", "2", "3", "4", "5", "6"), lim)
			return err
		}, "sheet s, row 2: more cells in one row than the limit of 5 (--max-cells)"},
		{"xlsx cell chars", func() error {
			_, err := ReadXLSX(t.Context(), workbook(t, 1, "x", "長長長長長長長長長長長"), lim)
			return err
		}, "sheet s, row 2, column B: a cell longer than the limit of 10 characters (--max-cell-chars)"},
		{"xlsx unzipped", func() error {
			_, err := ReadXLSX(t.Context(), workbook(t, 1, "x"), mamori.Limits{UnzippedBytes: 1000})
			return err
		}, "decompressed size exceeds the limit of 1000 B (--max-unzipped-size)"},
		{"xlsx zip entries", func() error {
			_, err := ReadXLSX(t.Context(), workbook(t, 1, "x"), mamori.Limits{ZipEntries: 3})
			return err
		}, "more entries in the workbook's zip than the limit of 3 (--max-zip-entries)"},
		{"xlsx file", func() error {
			_, err := ReadXLSX(t.Context(), workbook(t, 1, "x"), mamori.Limits{FileBytes: 1000})
			return err
		}, "file size exceeds the limit of 1000 B (--max-file-size)"},
		{"csv rows", func() error { _, err := ReadCSV(t.Context(), csvRows(101, "x"), "t", lim); return err },
			"row 102: more rows than the limit of 100 (--max-rows)"},
		{"csv cells", func() error { _, err := ReadCSV(t.Context(), csvRows(1, "1,2,3,4,5,6"), "t", lim); return err },
			"row 2: more cells in one row than the limit of 5 (--max-cells)"},
		{"csv cell chars", func() error {
			_, err := ReadCSV(t.Context(), csvRows(1, "x,長長長長長長長長長長長"), "t", lim)
			return err
		}, "row 2, column B: a cell longer than the limit of 10 characters (--max-cell-chars)"},
		{"csv file", func() error {
			_, err := ReadCSV(t.Context(), csvRows(1, strings.Repeat("x", 2<<20)), "t", lim)
			return err
		}, "file size exceeds the limit of 1 MiB (--max-file-size)"},
	} {
		err := tc.read()
		if !errors.Is(err, mamori.ErrLimit) || err.Error() != tc.want {
			t.Errorf("%s: err = %v, want %q", tc.name, err, tc.want)
		}
	}
	// Just under every limit reads.
	if _, err := ReadXLSX(t.Context(), workbook(t, 100, "1", "2", "3", "4", "長長長長長長長長長長"), lim); err != nil {
		t.Errorf("xlsx at the limits: %v", err)
	}
	if _, err := ReadCSV(t.Context(), csvRows(100, "1,2,3,4,長長長長長長長長長長"), "t", lim); err != nil {
		t.Errorf("csv at the limits: %v", err)
	}
}

// TestReadStopsWithContext: reading stops when its context ends, with the
// context's cause (the client gone, or the time limit).
func TestReadStopsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancelCause(t.Context())
	cause := errors.New("client gone")
	cancel(cause)
	if _, err := ReadXLSX(ctx, workbook(t, 10, "x"), mamori.Limits{}); !errors.Is(err, cause) {
		t.Errorf("ReadXLSX(cancelled) = %v, want %v", err, cause)
	}
	if _, err := ReadCSV(ctx, []byte("a\nb\n"), "t", mamori.Limits{}); !errors.Is(err, cause) {
		t.Errorf("ReadCSV(cancelled) = %v, want %v", err, cause)
	}
}

// BenchmarkReadCSV reads a CSV file of 200,000 short lines; row numbers
// were once found by counting every line from the start of the file for
// each record, which took quadratic time.
func BenchmarkReadCSV(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString("a,b\n")
	for i := range 200_000 {
		fmt.Fprintf(&buf, "%d,x\n", i)
	}
	data := buf.Bytes()
	for b.Loop() {
		if _, err := ReadCSV(b.Context(), data, "t", mamori.Limits{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(data))*float64(b.N)/b.Elapsed().Seconds()/1e6, "MB/s")
}

// TestManyZipEntries: a workbook of many empty zip entries (a real one
// has tens) is refused by its count, before any entry is opened or even
// listed: 500,000 of them once took 1.8 s and 600-750 MB per upload, and
// were refused in the end as unreadable without naming a limit.
func TestManyZipEntries(t *testing.T) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	n := mamori.DefaultLimits().ZipEntries * 5
	for i := range n {
		if _, err := zw.CreateHeader(&zip.FileHeader{Name: strconv.Itoa(i), Method: zip.Store}); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := ReadXLSX(t.Context(), data, mamori.Limits{})
	runtime.ReadMemStats(&after)
	want := "more entries in the workbook's zip than the limit of 10,000 (--max-zip-entries)"
	if e, ok := errors.AsType[*mamori.Error](err); !ok || !errors.Is(err, mamori.ErrLimit) || err.Error() != want ||
		!strings.Contains(e.MessageJA, "10,000") {
		t.Errorf("ReadXLSX(%d entries) = %v, want %q", n, err, want)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 1<<20 {
		t.Errorf("refusing %d entries (%d bytes) allocated %d bytes, want under 1 MiB", n, len(data), alloc)
	}
}
