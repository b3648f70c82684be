package cpe

import (
	"strings"
	"testing"
)

// checkName asserts the invariants of any Name the parsers return, so that
// a fuzzer finds garbage as well as panics: values are lowercase printable
// ASCII, wildcards sit only in the lead/trail counts, the part is a, o, h
// or ANY, and the formatted string reads back to the same Name.
func checkName(t *testing.T, in string, n Name) {
	t.Helper()
	for i, a := range n.attrs() {
		switch a.kind {
		case kindAny, kindNA:
			if a.body != "" || a.lead != 0 || a.trail != 0 {
				t.Fatalf("%q: %s = %#v, a logical value with a body", in, attrNames[i], *a)
			}
		case kindValue:
			if a.body == "" && a.lead <= 0 {
				t.Fatalf("%q: %s = %#v, an empty value", in, attrNames[i], *a)
			}
			if a.lead < star || a.trail < star {
				t.Fatalf("%q: %s = %#v, a bad wildcard count", in, attrNames[i], *a)
			}
			for j := 0; j < len(a.body); j++ {
				if c := a.body[j]; !isPrintable(c) || 'A' <= c && c <= 'Z' {
					t.Fatalf("%q: %s = %#v holds %q", in, attrNames[i], *a, c)
				}
			}
		default:
			t.Fatalf("%q: %s = %#v, an unknown kind", in, attrNames[i], *a)
		}
	}
	if p := n.Part; !p.IsAny() && p != val("a") && p != val("o") && p != val("h") {
		t.Fatalf("%q: part = %#v", in, p)
	}
	s := n.String()
	back, err := Parse(s)
	if err != nil {
		t.Fatalf("%q: Parse(String() = %q) = %v", in, s, err)
	}
	if back != n {
		t.Fatalf("%q: Parse(String() = %q) = %#v, want %#v", in, s, back, n)
	}
	if again := back.String(); again != s {
		t.Fatalf("%q: String() = %q, then %q", in, s, again)
	}
}

// FuzzParse checks that Parse never panics, returns the zero Name with
// every error, and that whatever it accepts survives String and Parse
// unchanged.
func FuzzParse(f *testing.F) {
	for _, s := range readLines(f, "testdata/names.txt") {
		f.Add(s)
	}
	for _, s := range []string{
		`cpe:2.3:a:v:p:2.4.*:*:*:*:*:*:*:*`,
		`cpe:2.3:o:qualcomm:*_firmware:1.?:??:*:*:*:*:*:*`,
		`cpe:2.3:a:v:\*:\?:\\:*:*:*:*:*:*`,
		`cpe:2.3:a:v:p:\-:*:*:*:*:*:*:*`,
		`cpe:2.3:a:v:p:1.0+x:*:*:*:*:*:*:*`,
		`cpe:2.3:a:v:p:2.*.1:*:*:*:*:*:*:*`,
		`cpe:2.3:a:v:p:*:*:*:*:*:*:*:x\`,
		`cpe:2.3:a:v:p`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := Parse(s)
		if err != nil {
			if n != (Name{}) {
				t.Fatalf("Parse(%q) = %#v with error %v, want the zero Name", s, n, err)
			}
			if !strings.HasPrefix(err.Error(), "cpe: ") {
				t.Fatalf("Parse(%q) error %q lacks the package prefix", s, err)
			}
			return
		}
		checkName(t, s, n)
	})
}

// FuzzParseURI checks that ParseURI never panics, returns the zero Name
// with every error, and that what it accepts converts to a formatted
// string that Parse reads back to the same Name.
func FuzzParseURI(f *testing.F) {
	for _, line := range readLines(f, "testdata/uris.txt") {
		uri, _, _ := strings.Cut(line, "\t")
		f.Add(uri)
	}
	for _, s := range []string{
		"cpe:/a:apache:http_server:1.%02.0",
		"cpe:/a:apache:http_server:2.4::~a~b~c~d:en",
		"cpe:/a:apache:http_server:1.0%2",
		"cpe:/a:apache:http_server:%01%01x%02",
		"cpe:/",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		n, err := ParseURI(s)
		if err != nil {
			if n != (Name{}) {
				t.Fatalf("ParseURI(%q) = %#v with error %v, want the zero Name", s, n, err)
			}
			if !strings.HasPrefix(err.Error(), "cpe: ") {
				t.Fatalf("ParseURI(%q) error %q lacks the package prefix", s, err)
			}
			return
		}
		checkName(t, s, n)
	})
}
