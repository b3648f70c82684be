package epss

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
// error naming the file or rows that passed validation.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.csv"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte("cve,epss\nCVE-2021-44228,9.7565e-01\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := Decode(bytes.NewReader(data), "fuzz.csv", func(e vuln.EPSS) error {
			if !cveID.MatchString(e.CVE) || e.Score < 0 || e.Score > 100000 || e.Percentile < 0 || e.Percentile > 100000 {
				t.Errorf("invalid row delivered: %+v", e)
			}
			return nil
		})
		if err != nil {
			var re *vuln.RecordError
			if errors.As(err, &re) {
				if re.File != "fuzz.csv" || !strings.HasPrefix(re.Record, "line ") {
					t.Errorf("RecordError %+v does not name file and line", re)
				}
			} else if !strings.HasPrefix(err.Error(), "epss: fuzz.csv: ") {
				t.Errorf("error %q does not start with the package and file name", err)
			}
		}
	})
}
