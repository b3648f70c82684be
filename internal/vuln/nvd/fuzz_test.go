package nvd

import (
	"bytes"
	"compress/gzip"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mamori/internal/vuln"
)

// FuzzDecode feeds arbitrary bytes to Decode. It must never panic, and it
// must either fail with an error that names the file or deliver only
// records that satisfy the invariants the matcher relies on.
func FuzzDecode(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		zw.Write(data)
		zw.Close()
		f.Add(buf.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		calls := 0
		info, err := Decode(bytes.NewReader(data), "fuzz.json", func(a *vuln.Advisory) error {
			calls++
			checkAdvisory(t, a)
			return nil
		})
		if info.Records != calls {
			t.Errorf("Info.Records = %d, fn called %d times", info.Records, calls)
		}
		if err != nil {
			var re *vuln.RecordError
			if errors.As(err, &re) {
				if re.File != "fuzz.json" || re.Record == "" {
					t.Errorf("RecordError %+v does not name file and record", re)
				}
			} else if !strings.HasPrefix(err.Error(), "nvd: fuzz.json: ") {
				t.Errorf("error %q does not start with the package and file name", err)
			}
		}
	})
}

// checkAdvisory asserts what every delivered record must satisfy.
func checkAdvisory(t *testing.T, a *vuln.Advisory) {
	t.Helper()
	if !cveID.MatchString(a.ID) {
		t.Errorf("advisory id %q is not a CVE id", a.ID)
	}
	if a.Source != vuln.SourceNVD && a.Source != vuln.SourceNVDOverride {
		t.Errorf("%s: source %q", a.ID, a.Source)
	}
	for _, c := range a.CVSS {
		if c.Score < 0 || c.Score > 100 {
			t.Errorf("%s: CVSS score %d out of range", a.ID, c.Score)
		}
	}
	for _, conf := range a.Configurations {
		if checkOperator(conf.Operator) != nil || len(conf.Nodes) == 0 {
			t.Errorf("%s: bad configuration %+v", a.ID, conf)
		}
		for _, n := range conf.Nodes {
			if checkOperator(n.Operator) != nil || len(n.Matches) == 0 {
				t.Errorf("%s: bad node %+v", a.ID, n)
			}
			for _, m := range n.Matches {
				if checkMatch(m) != nil {
					t.Errorf("%s: bad match %+v", a.ID, m)
				}
			}
		}
	}
}
