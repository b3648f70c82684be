package kev

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/vuln"
)

// FuzzDecode feeds arbitrary bytes to Decode: no panics, and either an
// error naming the file or entries that passed validation.
func FuzzDecode(f *testing.F) {
	data, err := os.ReadFile(filepath.Join("testdata", "kev_sample.json"))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add(data[:len(data)/3])
	f.Add([]byte(`{"catalogVersion":"1","dateReleased":"2025-01-01T00:00:00Z","count":0,"vulnerabilities":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		calls := 0
		cat, err := Decode(bytes.NewReader(data), "fuzz.json", func(k *vuln.KEV) error {
			calls++
			if !cveID.MatchString(k.CVE) || len(k.DateAdded) != 10 || len(k.DueDate) != 10 {
				t.Errorf("invalid entry delivered: %+v", k)
			}
			return nil
		})
		if cat.Count != calls {
			t.Errorf("Catalog.Count = %d, fn called %d times", cat.Count, calls)
		}
		if err != nil {
			var re *vuln.RecordError
			if errors.As(err, &re) {
				if re.File != "fuzz.json" || re.Record == "" {
					t.Errorf("RecordError %+v does not name file and record", re)
				}
			} else if !strings.HasPrefix(err.Error(), "kev: fuzz.json: ") {
				t.Errorf("error %q does not start with the package and file name", err)
			}
		}
	})
}
