package feed_test

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"mamori"
	"mamori/internal/feed"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var samples = []struct{ path, kind string }{
	{"../vuln/nvd/testdata/page20.json", feed.KindNVD},
	{"../vuln/nvd/testdata/feed11.json", feed.KindNVD},
	{"../vuln/nvd/testdata/overrides.jsonl", feed.KindNVD},
	{"../vuln/jvn/testdata/jvndb_new.rdf", feed.KindJVN},
	{"../vuln/jvn/testdata/getVulnDetailInfo_hnd_JVNDB-2018-009328.xml", feed.KindJVN},
	{"../vuln/osv/testdata/GO-2020-0001.json", feed.KindOSV},
	{"../vuln/osv/testdata", feed.KindOSV},
	{"../vuln/kev/testdata/kev_sample.json", feed.KindKEV},
	{"../vuln/epss/testdata/epss_scores-2026-09-29.csv", feed.KindEPSS},
}

// TestImportEveryKind imports a sample of every feed format, detects its
// kind from the content, and imports it a second time without changing
// the index (advisories replace themselves).
func TestImportEveryKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		var first map[string]int64
		for round := range 2 {
			for _, s := range samples {
				res, err := feed.ImportPath(ctx, st, s.path, feed.Options{Now: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
				if err != nil {
					if s.path == "../vuln/osv/testdata" {
						continue // holds deliberately bad records; see TestImportKeepsGoodRecords
					}
					t.Fatalf("%s: %v", s.path, err)
				}
				if res.Kind != s.kind || res.Records == 0 {
					t.Errorf("%s: kind %s, %d records; want %s", s.path, res.Kind, res.Records, s.kind)
				}
			}
			counts, err := st.AdvisoryCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if round == 0 {
				first = counts
				for _, k := range []string{"nvd", "nvd-override", "jvn", "osv", "cpe_criteria", "affected_packages", "affected_products", "kev_entries", "epss_scores"} {
					if counts[k] == 0 {
						t.Errorf("nothing stored for %s: %v", k, counts)
					}
				}
			} else if diff := cmp.Diff(first, counts); diff != "" {
				t.Errorf("a second import changed the index (-first +second):\n%s", diff)
			}
		}
	})
}

// TestImportRefusesBadFiles: a file in the wrong schema version, or one
// that is no feed at all, stores nothing, and its error names the file.
func TestImportRefusesBadFiles(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, p := range []string{"../vuln/nvd/testdata/wrong_version.json", "../sbom/testdata/cdx-1.6.xml", "../sbom/testdata/laravel-trimmed.cdx-1.4.json"} {
			_, err := feed.ImportPath(t.Context(), st, p, feed.Options{})
			if err == nil || !strings.Contains(err.Error(), filepath.Base(p)) {
				t.Errorf("%s: err = %v, want one naming the file", p, err)
			}
		}
		counts, err := st.AdvisoryCounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for k, n := range counts {
			if n != 0 {
				t.Errorf("%s: %d rows after refused imports", k, n)
			}
		}
		if imports, _ := st.FeedImports(t.Context()); len(imports) != 0 {
			t.Errorf("refused imports were recorded: %+v", imports)
		}
	})
}

// TestImportKeepsGoodRecords: records that are whole but unusable are
// skipped and named; the others are stored.
func TestImportKeepsGoodRecords(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		res, err := feed.ImportPath(t.Context(), st, "../vuln/osv/testdata", feed.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Records == 0 || res.Err() == nil {
			t.Errorf("osv folder with bad records: %d records, problems %v", res.Records, res.Err())
		}
		res, err = feed.ImportPath(t.Context(), st, "../vuln/jvn/testdata/bad-items.rdf", feed.Options{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Records == 0 || res.Err() == nil {
			t.Errorf("jvn items with bad fields: %d records, problems %v", res.Records, res.Err())
		}
		// A whole NVD record with a date NVD never writes is skipped and
		// named; the three others of the page are kept.
		page, err := os.ReadFile("../vuln/nvd/testdata/page20.json")
		if err != nil {
			t.Fatal(err)
		}
		page = bytes.Replace(page, []byte(`"2024-11-18T16:15:11.683"`), []byte(`"18/11/2024"`), 1)
		res, err = feed.Import(t.Context(), st, bytes.NewReader(page), int64(len(page)), "page-bad-date.json", feed.Options{})
		if err != nil {
			t.Fatalf("nvd page with one bad record: %v", err)
		}
		if res.Records != 3 || res.Err() == nil || !strings.Contains(res.Err().Error(), "CVE-2024-0012") {
			t.Errorf("nvd page with one bad record: %d records, problems %v; want 3 kept and CVE-2024-0012 named", res.Records, res.Err())
		}
	})
}

// TestImportDamagedStoresNothing: a feed file that cannot be read to its
// end (cut short, broken in the middle, garbage after the end, a gzip
// stream cut or corrupted) stores nothing, not even the whole records
// before the damage, and its error says that nothing was written.
func TestImportDamagedStoresNothing(t *testing.T) {
	read := func(p string) []byte {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		return data
	}
	gz := func(data []byte) []byte {
		var b bytes.Buffer
		zw := gzip.NewWriter(&b)
		zw.Write(data)
		zw.Close()
		return b.Bytes()
	}
	page := read("../vuln/nvd/testdata/page20.json")
	osvArray := []byte("[" + string(read("../vuln/osv/testdata/GO-2020-0001.json")) + "," + string(read("../vuln/osv/testdata/GO-2022-0617.json")) + "]")
	rss := read("../vuln/jvn/testdata/jvndb_new.rdf")
	badCRC := gz(page)
	badCRC[len(badCRC)-6] ^= 0xff // the CRC-32 in the gzip trailer
	cases := []struct {
		name string
		data []byte
	}{
		{"truncated.json", read("../vuln/nvd/testdata/truncated.json")},
		{"trailing_garbage.json", read("../vuln/nvd/testdata/trailing_garbage.json")},
		{"page-cut.json.gz", gz(page)[:len(gz(page))*3/4]},
		{"page-crc.json.gz", badCRC},
		{"page-then-gzip-garbage.json.gz", append(gz(page), "garbage"...)},
		{"page-broken.json", bytes.Replace(page, []byte(`"id": "CVE-2024-0082"`), []byte(`"id": "CVE-2024-0082",,`), 1)},
		{"osv-cut.json", osvArray[:len(osvArray)-200]},
		{"osv-garbage.json", append(append([]byte{}, osvArray...), " ]}garbage"...)},
		{"osv-cut.json.gz", gz(osvArray)[:len(gz(osvArray))-40]},
		{"jvn-cut.rdf", rss[:len(rss)*2/3]},
		{"jvn-cut.rdf.gz", gz(rss)[:len(gz(rss))*2/3]},
	}
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		for _, c := range cases {
			res, err := feed.Import(t.Context(), st, bytes.NewReader(c.data), int64(len(c.data)), c.name, feed.Options{})
			if err == nil {
				t.Errorf("%s: imported %d records with problems %v; want the file refused", c.name, res.Records, res.Err())
				continue
			}
			me, ok := errors.AsType[*mamori.Error](err)
			if !ok {
				t.Errorf("%s: err = %T %v, want a *mamori.Error", c.name, err, err)
				continue
			}
			msg := me.Bilingual()
			for _, want := range []string{c.name, "何も書き込んでいません", "nothing was written"} {
				if !strings.Contains(msg, want) {
					t.Errorf("%s: error %q does not say %q", c.name, msg, want)
				}
			}
		}
		counts, err := st.AdvisoryCounts(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		for k, n := range counts {
			if n != 0 {
				t.Errorf("%s: %d rows stored from damaged files", k, n)
			}
		}
		if imports, _ := st.FeedImports(t.Context()); len(imports) != 0 {
			t.Errorf("damaged files were recorded as imported: %+v", imports)
		}
	})
}

// TestImportGzip: a gzipped feed is detected and read.
func TestImportGzip(t *testing.T) {
	data, err := os.ReadFile("../vuln/nvd/testdata/page20.json")
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := gzip.NewWriter(&b)
	zw.Write(data)
	zw.Close()
	st := storetest.OpenSQLite(t)
	res, err := feed.Import(t.Context(), st, &b, int64(b.Len()), "page.json.gz", feed.Options{})
	if err != nil || res.Records != 4 {
		t.Fatalf("gzip import = %+v, %v", res, err)
	}
}

const nvd2018 = "../../../shared/data/vuln/nvd/nvdcve-1.1-2018.json.gz"

// BenchmarkImportNVD2018 imports the real 2018 NVD year feed (16,591 CVEs)
// into a fresh SQLite store per iteration and reports raw MB/s and the
// heap in use after the import.
func BenchmarkImportNVD2018(b *testing.B) {
	benchImport(b, nvd2018)
}

// BenchmarkImportOSVGo imports the Go vulnerability database (4,291 OSV
// records) as a folder.
func BenchmarkImportOSVGo(b *testing.B) {
	benchImport(b, "../../../shared/data/osv-go")
}

func benchImport(b *testing.B, path string) {
	info, err := os.Stat(path)
	if err != nil {
		b.Skipf("public data absent: %v", err)
	}
	raw := info.Size()
	if strings.HasSuffix(path, ".gz") {
		f, _ := os.Open(path)
		zr, _ := gzip.NewReader(f)
		var n int64
		buf := make([]byte, 1<<20)
		for {
			k, err := zr.Read(buf)
			n += int64(k)
			if err != nil {
				break
			}
		}
		f.Close()
		raw = n
	} else if info.IsDir() {
		raw = 0
		filepath.Walk(path, func(_ string, fi os.FileInfo, _ error) error {
			if fi != nil && !fi.IsDir() {
				raw += fi.Size()
			}
			return nil
		})
	}
	b.SetBytes(raw)
	var records int
	for b.Loop() {
		b.StopTimer()
		st, err := store.Open(b.Context(), filepath.Join(b.TempDir(), "b.db"))
		if err != nil {
			b.Fatal(err)
		}
		if err := st.Migrate(b.Context()); err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		res, err := feed.ImportPath(b.Context(), st, path, feed.Options{})
		if err != nil {
			b.Fatal(err)
		}
		records = res.Records
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(records), "records")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "MiB-heap-inuse")
}

// TestImportOSVZip: an OSV all.zip, detected by its magic number.
func TestImportOSVZip(t *testing.T) {
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, name := range []string{"GO-2020-0001.json", "GO-2022-0617.json"} {
		data, err := os.ReadFile("../vuln/osv/testdata/" + name)
		if err != nil {
			t.Fatal(err)
		}
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	st := storetest.OpenSQLite(t)
	res, err := feed.Import(t.Context(), st, &b, int64(b.Len()), "all.zip", feed.Options{})
	if err != nil || res.Kind != feed.KindOSV || res.Records != 2 || res.Err() != nil {
		t.Fatalf("zip import = %+v, %v", res, err)
	}
}
