package osv

import (
	"os"
	"path/filepath"
	"testing"

	"mamori/internal/vuln"
)

// FuzzDecodeRecord checks that no input makes DecodeRecord panic, and that
// it returns either an error or an advisory that holds the invariants the
// matcher relies on.
func FuzzDecodeRecord(f *testing.F) {
	for _, pattern := range []string{"testdata/*.json", "testdata/bad/*.json"} {
		files, _ := filepath.Glob(pattern)
		for _, file := range files {
			f.Add(readSeed(f, file))
		}
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		a, err := DecodeRecord(data, "fuzz.json")
		if err != nil {
			if _, ok := err.(*vuln.RecordError); !ok {
				t.Fatalf("error %T is not a *vuln.RecordError", err)
			}
			if a != nil {
				t.Fatal("advisory returned with an error")
			}
			return
		}
		if a.ID == "" || a.Source != vuln.SourceOSV {
			t.Fatalf("advisory without id or source: %+v", a)
		}
		for _, p := range a.Packages {
			for _, r := range p.Ranges {
				if r.Type != "SEMVER" && r.Type != "ECOSYSTEM" && r.Type != "GIT" {
					t.Fatalf("range type %q accepted", r.Type)
				}
				for _, e := range r.Events {
					set := 0
					for _, v := range []string{e.Introduced, e.Fixed, e.LastAffected, e.Limit} {
						if v != "" {
							set++
						}
					}
					if set != 1 {
						t.Fatalf("event %+v has %d values", e, set)
					}
				}
			}
		}
		for _, c := range a.CVSS {
			if c.Score < 0 || c.Score > 100 {
				t.Fatalf("score %d out of range", c.Score)
			}
		}
	})
}

func readSeed(f *testing.F, path string) []byte {
	f.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		f.Fatal(err)
	}
	return data
}
