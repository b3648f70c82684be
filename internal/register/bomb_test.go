package register_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"maps"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// zipBomb returns an .xlsx workbook whose one sheet decompresses to about
// size bytes of rows (`<row><c><v>1</v></c></row>` over and over) from a
// thousandth of that. The deflate stream repeats one compressed block of
// rows: a fresh compressor's block refers only to itself, so it can be
// replayed. declared is the size the zip entry claims (0: the true one).
func zipBomb(t testing.TB, size, declared int64) []byte {
	t.Helper()
	f := excelize.NewFile()
	var base bytes.Buffer
	if err := f.Write(&base); err != nil {
		t.Fatal(err)
	}
	deflate := func(s string) []byte {
		var b bytes.Buffer
		w, _ := flate.NewWriter(&b, flate.BestCompression)
		w.Write([]byte(s))
		w.Flush()
		return b.Bytes()
	}
	head := `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` +
		`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>`
	tail := `</sheetData></worksheet>`
	chunk := strings.Repeat(`<row><c><v>1</v></c></row>`, 40_000)
	n := (size - int64(len(head)+len(tail))) / int64(len(chunk))
	var body bytes.Buffer
	body.Write(deflate(head))
	crc := crc32.Update(0, crc32.IEEETable, []byte(head))
	zchunk := deflate(chunk)
	for range n {
		body.Write(zchunk)
		crc = crc32.Update(crc, crc32.IEEETable, []byte(chunk))
	}
	var end bytes.Buffer
	w, _ := flate.NewWriter(&end, flate.BestCompression)
	w.Write([]byte(tail))
	w.Close()
	body.Write(end.Bytes())
	crc = crc32.Update(crc, crc32.IEEETable, []byte(tail))
	real := int64(len(head)+len(tail)) + n*int64(len(chunk))
	if declared == 0 {
		declared = real
	}

	zr, err := zip.NewReader(bytes.NewReader(base.Bytes()), int64(base.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, zf := range zr.File {
		if zf.Name == "xl/worksheets/sheet1.xml" {
			w, err := zw.CreateRaw(&zip.FileHeader{Name: zf.Name, Method: zip.Deflate, CRC32: crc,
				CompressedSize64: uint64(body.Len()), UncompressedSize64: uint64(declared)})
			if err != nil {
				t.Fatal(err)
			}
			w.Write(body.Bytes())
			continue
		}
		if err := zw.Copy(zf); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// TestImportZipBomb: a small workbook that decompresses to hundreds of
// megabytes is refused before it is decompressed, naming the limit, with
// little memory. One of 2.9 MB once took the server to 3.9 GB (issue 12,
// item 6). A workbook whose entry claims less than it holds is refused too.
func TestImportZipBomb(t *testing.T) {
	s := storetest.OpenSQLite(t)
	for _, tc := range []struct {
		name           string
		size, declared int64
		want           string
	}{
		{"honest", 300 << 20, 0, "展開後のサイズが上限 200 MiB を超えています"},
		{"lying", 300 << 20, 1 << 20, "Excelファイル(.xlsx)として読めません"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bomb := zipBomb(t, tc.size, tc.declared)
			t.Logf("%d KiB compressed, %d MiB decompressed", len(bomb)>>10, tc.size>>20)
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_, err := register.Import(t.Context(), s, []register.Input{{Name: "bomb.xlsx", Data: bomb}})
			runtime.ReadMemStats(&after)
			probs, ok := errors.AsType[mamori.Problems](err)
			if !ok || len(probs) != 1 || !strings.Contains(probs[0].Bilingual(), tc.want) {
				t.Errorf("Import(bomb) = %v, want one problem saying %q", err, tc.want)
			}
			if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 64<<20 {
				t.Errorf("Import(bomb) allocated %d MiB, want under 64 MiB", alloc>>20)
			}
		})
	}
}

// TestImportStops: an import stops at its time limit, with a refusal that
// names it, and as soon as its context ends (the request has gone); it
// writes nothing either way (issue 12, item 6).
func TestImportStops(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		var csv strings.Builder
		csv.WriteString("組織コード,上位組織コード,種別,名称\n")
		for i := range 5000 {
			fmt.Fprintf(&csv, "M%05d,,府省庁,省%d\n", i, i)
		}
		in := []register.Input{{Name: "organizations.csv", Data: []byte(csv.String())}}
		before, err := s.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		_, err = register.ImportScoped(t.Context(), s, in, register.Options{Limits: mamori.Limits{Time: time.Nanosecond}})
		if !errors.Is(err, mamori.ErrLimit) || !strings.Contains(err.(*mamori.Error).Bilingual(), "処理時間が上限 1ns を超えました(--max-time)") {
			t.Errorf("ImportScoped(1ns) = %v, want the time limit", err)
		}
		ctx, cancel := context.WithCancel(t.Context())
		cancel()
		if _, err := register.Import(ctx, s, in); !errors.Is(err, context.Canceled) {
			t.Errorf("Import(cancelled) = %v, want %v", err, context.Canceled)
		}
		after, err := s.Counts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if !maps.Equal(before, after) {
			t.Errorf("a stopped import changed the store: %v → %v", before, after)
		}
		if _, err := register.Import(t.Context(), s, in); err != nil {
			t.Errorf("Import = %v", err)
		}
	})
}

// TestImportJSONLimits: a JSON bundle is bounded in depth, records and
// fields per record.
func TestImportJSONLimits(t *testing.T) {
	s := storetest.OpenSQLite(t)
	lim := mamori.Limits{Rows: 2, Cells: 3, Depth: 4}
	for _, tc := range []struct{ data, want string }{
		{`{"format":"mamori-register","version":1,"systems":[[[[1]]]]}`, "JSON nested deeper than the limit of 4 (--max-depth)"},
		{`{"format":"mamori-register","version":1,"systems":[{},{},{}]}`, "more rows than the limit of 2 (--max-rows)"},
		{`{"format":"mamori-register","version":1,"systems":[{"a":1,"b":2,"c":3,"d":4}]}`, "record 1: more cells in one row than the limit of 3 (--max-cells)"},
	} {
		_, err := register.ImportScoped(t.Context(), s, []register.Input{{Name: "b.json", Data: []byte(tc.data)}}, register.Options{Limits: lim})
		probs, _ := errors.AsType[mamori.Problems](err)
		if len(probs) != 1 || !errors.Is(probs[0], mamori.ErrLimit) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("ImportScoped(%s) = %v, want %q", tc.data, err, tc.want)
		}
	}
}
