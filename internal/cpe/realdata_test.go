package cpe

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sharedData is the public test corpus beside the repository (see its
// SOURCES.md). Tests that read it skip when it is absent.
const sharedData = "../../../shared/data/vuln"

// TestRealDataRoundTrip reads every CPE in the shipped SBOMs and NVD
// feeds and checks that each parses and that String gives it back. The
// only normalisation the data needs is lowercasing (some syft CPEs carry
// vendors such as "Azure").
func TestRealDataRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("reads about 110 MB of feeds; skipped in -short mode")
	}
	if _, err := os.Stat(sharedData); err != nil {
		t.Skipf("shared data absent: %v", err)
	}
	sources := []struct {
		glob string
		read func(t *testing.T, path string) []string
	}{
		{"sbom-guac/spdx-2.2/*.json", cpesInJSON},
		{"sbom-guac/cdx-1.4/*.json", cpesInJSON},
		{"cyclonedx/sbom/*.json", cpesInJSON},
		{"spdx/*.json", cpesInJSON},
		{"nvd/anchore-nvd-overrides-*.jsonl", cpesInJSONLines},
		{"nvd/nvdcve-1.1-*.json.gz", cpesInFeed},
	}
	for _, src := range sources {
		paths, err := filepath.Glob(filepath.Join(sharedData, src.glob))
		if err != nil {
			t.Fatal(err)
		}
		if len(paths) == 0 {
			t.Logf("%s: no files, skipped", src.glob)
			continue
		}
		for _, path := range paths {
			t.Run(filepath.Base(path), func(t *testing.T) {
				t.Parallel()
				cpes := src.read(t, path)
				seen := make(map[string]bool, len(cpes))
				for _, s := range cpes {
					if seen[s] {
						continue
					}
					seen[s] = true
					n, err := ParseAny(s)
					if err != nil {
						t.Errorf("ParseAny(%q) = %v", s, err)
						continue
					}
					if got, want := n.String(), strings.ToLower(s); got != want {
						t.Errorf("ParseAny(%q).String() = %q, want %q", s, got, want)
					}
				}
				t.Logf("%d CPEs, %d distinct", len(cpes), len(seen))
			})
		}
	}
}

// cpesInJSON walks a whole JSON document and collects CPE values from the
// fields that carry them: CycloneDX "cpe", NVD "criteria"/"cpe23Uri", and
// SPDX externalRefs whose referenceType is "cpe23Type" or "cpe22Type".
func cpesInJSON(t *testing.T, path string) []string {
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return cpesInDocument(t, path, data)
}

func cpesInDocument(t *testing.T, path string, data []byte) []string {
	var doc any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case []any:
			for _, e := range v {
				walk(e)
			}
		case map[string]any:
			if rt, _ := v["referenceType"].(string); rt == "cpe23Type" || rt == "cpe22Type" {
				if s, ok := v["referenceLocator"].(string); ok {
					out = append(out, s)
				}
			}
			for k, e := range v {
				if s, ok := e.(string); ok && (k == "cpe" || k == "criteria" || k == "cpe23Uri") {
					out = append(out, s)
					continue
				}
				walk(e)
			}
		}
	}
	walk(doc)
	return out
}

func cpesInJSONLines(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var out []string
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 16<<20)
	for sc.Scan() {
		out = append(out, cpesInDocument(t, path, sc.Bytes())...)
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return out
}

// cpesInFeed streams a gzipped NVD 1.1 year feed. The feed is pretty
// printed with one field per line, so scanning lines for "cpe23Uri" avoids
// decoding 76 MB of JSON.
func cpesInFeed(t *testing.T, path string) []string {
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	key := []byte(`"cpe23Uri" : `)
	var out []string
	r := bufio.NewReaderSize(zr, 1<<20)
	for {
		line, err := r.ReadSlice('\n')
		if i := bytes.Index(line, key); i >= 0 {
			v := bytes.TrimRight(line[i+len(key):], ",\r\n")
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				t.Fatalf("%s: line %q: %v", path, line, err)
			}
			out = append(out, s)
		}
		if err == io.EOF {
			break
		}
		if err != nil && err != bufio.ErrBufferFull {
			t.Fatalf("%s: %v", path, err)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s: no cpe23Uri found", path)
	}
	return out
}
