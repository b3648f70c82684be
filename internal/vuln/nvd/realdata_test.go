package nvd

import (
	"bytes"
	"compress/gzip"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"mamori/internal/vuln"
)

// sharedNVD is the shared corpus of real NVD files (see its SOURCES.md).
// Tests over it skip when it is absent, as on a checkout without the data.
const sharedNVD = "../../../../shared/data/vuln/nvd"

// openShared opens a shared data file or skips the test.
func openShared(tb testing.TB, name string) *os.File {
	tb.Helper()
	f, err := os.Open(filepath.Join(sharedNVD, name))
	if os.IsNotExist(err) {
		tb.Skipf("%s not present", name)
	}
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { f.Close() })
	return f
}

// feedCounts tallies what a decoded file holds.
type feedCounts struct {
	records, withConfigs, configs, andConfigs, nodes, matches int
	vulnerable, platform, ranges, kev, withdrawn              int
}

func (c *feedCounts) add(a *vuln.Advisory) {
	c.records++
	if len(a.Configurations) > 0 {
		c.withConfigs++
	}
	if a.KEV != nil {
		c.kev++
	}
	if !a.Withdrawn.IsZero() {
		c.withdrawn++
	}
	for _, conf := range a.Configurations {
		c.configs++
		if conf.Operator == "AND" {
			c.andConfigs++
		}
		for _, n := range conf.Nodes {
			c.nodes++
			for _, m := range n.Matches {
				c.matches++
				if m.Vulnerable {
					c.vulnerable++
				} else {
					c.platform++
				}
				if m.StartIncluding != "" || m.StartExcluding != "" || m.EndIncluding != "" || m.EndExcluding != "" {
					c.ranges++
				}
			}
		}
	}
}

// heapInuse reads the live heap after a collection.
func heapInuse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapInuse
}

// TestDecodeReal2018 reads the complete 2018 1.1 feed (76.4 MB of JSON) and
// checks the counts measured independently in VULN.md §2, and that memory
// stays flat while streaming.
func TestDecodeReal2018(t *testing.T) {
	f := openShared(t, "nvdcve-1.1-2018.json.gz")
	base := heapInuse()
	var peak uint64
	var got feedCounts
	info, err := Decode(f, "nvdcve-1.1-2018.json.gz", func(a *vuln.Advisory) error {
		got.add(a)
		if got.records%2000 == 0 {
			var ms runtime.MemStats
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
		return nil
	})
	if err != nil {
		t.Fatalf("Decode() error: %v", err)
	}
	if info.Format != Format11 || info.Records != 16591 || info.Timestamp.Format("2006-01-02T15:04Z") != "2021-09-11T07:06Z" {
		t.Errorf("Decode() info = %+v, want nvd-1.1, 16591 records, 2021-09-11T07:06Z", info)
	}
	// 1.1 counts every node, the AND parents included: 71,969 nodes of
	// which 18,206 are AND. 18,205 of those parents become AND
	// configurations and drop out as nodes (71,969 - 18,205 = 53,764); the
	// one AND node without children stays a node.
	want := feedCounts{
		records: 16591, withConfigs: 15617, configs: 35559, andConfigs: 18205, nodes: 53764,
		matches: 107245, vulnerable: 78889, platform: 28356, ranges: 24773,
		withdrawn: 973, // descriptions starting "** REJECT **"
	}
	if got != want {
		t.Errorf("Decode() counts = %+v\nwant %+v", got, want)
	}
	// Without streaming the parsed tree of this file alone would take
	// several hundred MB; 64 MB leaves room for GC slack, nothing more.
	if peak > base && peak-base > 64<<20 {
		t.Errorf("heap in use grew by %d MB while decoding, want < 64 MB", (peak-base)>>20)
	}
	t.Logf("heap in use: base %d MB, peak %d MB", base>>20, peak>>20)
}

// TestDecodeRealOthers checks the other shared files against counts taken
// from them independently (VULN.md §2 and SOURCES.md).
func TestDecodeRealOthers(t *testing.T) {
	tests := []struct {
		file   string
		format Format
		want   feedCounts
	}{
		{"anchore-nvd-overrides-2024.jsonl", Format20Lines, feedCounts{records: 8802, matches: 20962}},
		{"anchore-nvd-overrides-2025.jsonl", Format20Lines, feedCounts{records: 7784, matches: 18040}},
		{"nvdcve-1.1-2025-partial-20250515.json.gz", Format11, feedCounts{records: 12137, withConfigs: 3429, matches: 19531}},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			f := openShared(t, tt.file)
			var got feedCounts
			info, err := Decode(f, tt.file, func(a *vuln.Advisory) error {
				if a.Source == vuln.SourceNVDOverride && tt.format != Format20Lines {
					t.Errorf("%s: source %s in a %s file", a.ID, a.Source, tt.format)
				}
				got.add(a)
				return nil
			})
			if err != nil {
				t.Fatalf("Decode() error: %v", err)
			}
			if info.Format != tt.format || info.Records != tt.want.records {
				t.Errorf("Decode() info = %+v, want %s with %d records", info, tt.format, tt.want.records)
			}
			if got.records != tt.want.records || got.matches != tt.want.matches ||
				(tt.want.withConfigs != 0 && got.withConfigs != tt.want.withConfigs) {
				t.Errorf("Decode() counts = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// BenchmarkDecode2018 measures parsing speed over the raw 2018 feed, with
// decompression done beforehand so that MB/s is the JSON work alone.
func BenchmarkDecode2018(b *testing.B) {
	f := openShared(b, "nvdcve-1.1-2018.json.gz")
	zr, err := gzip.NewReader(f)
	if err != nil {
		b.Fatal(err)
	}
	raw, err := io.ReadAll(zr)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		info, err := Decode(bytes.NewReader(raw), "2018", func(*vuln.Advisory) error { return nil })
		if err != nil || info.Records != 16591 {
			b.Fatalf("Decode() = %+v, %v", info, err)
		}
	}
}
