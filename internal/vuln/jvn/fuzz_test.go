package jvn

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"mamori/internal/vuln"
)

// FuzzDecode checks that no document makes Decode panic and that every
// advisory it delivers holds the invariants later stages rely on.
func FuzzDecode(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join("testdata", "*.*"))
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		format, err := Decode(bytes.NewReader(data), "fuzz.xml", func(a *vuln.Advisory) error {
			if !reJVNDBID.MatchString(a.ID) || a.Source != vuln.SourceJVN {
				t.Fatalf("bad id or source: %q %q", a.ID, a.Source)
			}
			for _, alias := range a.Aliases {
				if !reCVEID.MatchString(alias) {
					t.Fatalf("alias %q is not a CVE id", alias)
				}
			}
			for _, p := range a.Products {
				if p.CPE != "" && (!strings.HasPrefix(p.CPE, "cpe:2.3:") || !utf8.ValidString(p.CPE)) {
					t.Fatalf("CPE %q is not a 2.3 formatted string", p.CPE)
				}
			}
			for _, c := range a.CVSS {
				if c.Score < 0 || c.Score > 100 {
					t.Fatalf("score %d out of range", c.Score)
				}
				switch c.Version {
				case "2.0", "3.0", "3.1", "4.0":
				default:
					t.Fatalf("CVSS version %q", c.Version)
				}
			}
			return nil
		})
		if err == nil && format != FormatJVNRSS && format != FormatVULDEF {
			t.Fatalf("no error but format %q", format)
		}
	})
}

// FuzzParseVersionText checks that ParseVersionText never panics and that
// whatever it accepts is a consistent set of bounds made of versions.
func FuzzParseVersionText(f *testing.F) {
	for _, s := range []string{
		"1.2.3 およびそれ以前", "2.0.0 から 2.3.1 まで", "3.5.1 より前のバージョン", "10.2 以降",
		"8.0 以上 8.5.2 未満", "１．２．３　以前", "v6 R4 およびそれ以前のバージョン", "8.1", "全てのバージョン", "Ver.2.1.0",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		b, ok := ParseVersionText(s)
		if !ok {
			if b != (Bounds{}) {
				t.Fatalf("ok false but bounds %+v", b)
			}
			return
		}
		values := []string{b.Exact, b.StartIncluding, b.StartExcluding, b.EndIncluding, b.EndExcluding}
		set := 0
		for _, v := range values {
			if v == "" {
				continue
			}
			set++
			if !reExact.MatchString(v) || !hasDigit(v) {
				t.Fatalf("ParseVersionText(%q) bound %q is not a version", s, v)
			}
		}
		if set == 0 || (b.Exact != "" && set != 1) || (b.EndIncluding != "" && b.EndExcluding != "") {
			t.Fatalf("ParseVersionText(%q) = inconsistent %+v", s, b)
		}
	})
}
