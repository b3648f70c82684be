package cpe

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"testing"
)

// val, wild build expected attributes in tests.
func val(s string) Attr { return Attr{kind: kindValue, body: s} }

func wild(lead int, body string, trail int) Attr {
	return Attr{kind: kindValue, body: body, lead: lead, trail: trail}
}

// readLines returns the non-comment, non-blank lines of a testdata file.
func readLines(t testing.TB, path string) []string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lines = append(lines, line)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return lines
}

func TestParseRealSamples(t *testing.T) {
	for _, s := range readLines(t, "testdata/names.txt") {
		n, err := Parse(s)
		if err != nil {
			t.Errorf("Parse(%q) = %v", s, err)
			continue
		}
		if got, want := n.String(), strings.ToLower(s); got != want {
			t.Errorf("Parse(%q).String() = %q, want %q", s, got, want)
		}
	}
}

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want Name
		str  string // String() of the result; "" means the input itself
	}{
		{
			in:   `cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("bsdutils"), Product: val("bsdutils"), Version: val("1:2.36.1-8+deb11u1")},
		},
		{
			in:   `cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*`,
			want: Name{Part: val("o"), Vendor: val("paloaltonetworks"), Product: val("pan-os"), Version: val("10.2.12"), Update: val("h1")},
		},
		{
			in:   `CPE:2.3:A:Azure:go-autorest\/autorest:v0.11.24:*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("azure"), Product: val("go-autorest/autorest"), Version: val("v0.11.24")},
			str:  `cpe:2.3:a:azure:go-autorest\/autorest:v0.11.24:*:*:*:*:*:*:*`,
		},
		{
			in:   `cpe:2.3:o:apple:macos:-:*:*:*:*:*:*:*`,
			want: Name{Part: val("o"), Vendor: val("apple"), Product: val("macos"), Version: NA()},
		},
		{
			in:   `cpe:2.3:a:acyba:acymailing:*:*:*:*:*:joomla\!:*:*`,
			want: Name{Part: val("a"), Vendor: val("acyba"), Product: val("acymailing"), TargetSw: val("joomla!")},
		},
		{
			in:   `cpe:2.3:*:*:*:*:*:*:*:*:*:*:*`,
			want: Name{},
		},
		{
			in:   `cpe:2.3:a:-:-:-:-:-:-:-:-:-:-`,
			want: Name{Part: val("a"), Vendor: NA(), Product: NA(), Version: NA(), Update: NA(), Edition: NA(), Language: NA(), SwEdition: NA(), TargetSw: NA(), TargetHw: NA(), Other: NA()},
		},
		{
			in:   `cpe:2.3:a:apache:http_server:2.4.*:*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("apache"), Product: val("http_server"), Version: wild(0, "2.4.", star)},
		},
		{
			in:   `cpe:2.3:o:qualcomm:*_firmware:1.?:??:*:*:*:*:*:*`,
			want: Name{Part: val("o"), Vendor: val("qualcomm"), Product: wild(star, "_firmware", 0), Version: wild(0, "1.", 1), Update: wild(2, "", 0)},
		},
		{
			in:   `cpe:2.3:a:v:p:*sp?:?beta*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("v"), Product: val("p"), Version: wild(star, "sp", 1), Update: wild(1, "beta", star)},
		},
		{
			in:   `cpe:2.3:a:donweb:envialosimple\:*:*:*:*:*:*:wordpress:*:*`,
			want: Name{Part: val("a"), Vendor: val("donweb"), Product: wild(0, "envialosimple:", star), TargetSw: val("wordpress")},
		},
		{
			in:   `cpe:2.3:a:v:\*:\?:\\:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("v"), Product: val("*"), Version: val("?"), Update: val(`\`)},
		},
		{
			in:   `cpe:2.3:a:v:p:1\.0\_x\-y:*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("v"), Product: val("p"), Version: val("1.0_x-y")},
			str:  `cpe:2.3:a:v:p:1.0_x-y:*:*:*:*:*:*:*`,
		},
		{
			in:   `cpe:2.3:a:v:p:1.0+x~1:*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("v"), Product: val("p"), Version: val("1.0+x~1")},
			str:  `cpe:2.3:a:v:p:1.0\+x\~1:*:*:*:*:*:*:*`,
		},
		{
			in:   `cpe:2.3:a:v:p:\-:*:*:*:*:*:*:*`,
			want: Name{Part: val("a"), Vendor: val("v"), Product: val("p"), Version: val("-")},
		},
	}
	for _, tt := range tests {
		got, err := Parse(tt.in)
		if err != nil {
			t.Errorf("Parse(%q) = %v", tt.in, err)
			continue
		}
		if got != tt.want {
			t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
		}
		str := tt.str
		if str == "" {
			str = tt.in
		}
		if s := got.String(); s != str {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.in, s, str)
		}
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct {
		in   string
		attr string // SyntaxError.Attr
	}{
		{"", ""},
		{"cpe:/a:apache:http_server", ""},
		{"cpe:2.2:a:apache:http_server:*:*:*:*:*:*:*:*", ""},
		{"cpe:2.3:a:apache:http_server", ""},
		{"cpe:2.3:a:apache:http_server:2.4:*:*:*:*:*:*", ""},
		{"cpe:2.3:a:apache:http_server:2.4:*:*:*:*:*:*:*:*", ""},
		{`cpe:2.3:a:apache:http_server\:2.4:*:*:*:*:*:*:*`, ""},
		{"cpe:2.3:a::http_server:2.4:*:*:*:*:*:*:*", "vendor"},
		{"cpe:2.3:x:apache:http_server:2.4:*:*:*:*:*:*:*", "part"},
		{"cpe:2.3:-:apache:http_server:2.4:*:*:*:*:*:*:*", "part"},
		{"cpe:2.3:?:apache:http_server:2.4:*:*:*:*:*:*:*", "part"},
		{"cpe:2.3:a:apache:http_server:2.*.1:*:*:*:*:*:*:*", "version"},
		{"cpe:2.3:a:apache:http_server:2.?.1:*:*:*:*:*:*:*", "version"},
		{"cpe:2.3:a:apache:http_server:*?2:*:*:*:*:*:*:*", "version"},
		{"cpe:2.3:a:apache:http_server:**:*:*:*:*:*:*:*", "version"},
		{"cpe:2.3:a:apache:http_server:2.4:*:*:*:*:*:*:x\\", "other"},
		{"cpe:2.3:a:apache:http server:2.4:*:*:*:*:*:*:*", "product"},
		{"cpe:2.3:a:apache:http_serv\u00e9r:2.4:*:*:*:*:*:*:*", "product"},
		{"cpe:2.3:a:apache:http_server:2.4\t:*:*:*:*:*:*:*", "version"},
	}
	for _, tt := range tests {
		n, err := Parse(tt.in)
		if err == nil {
			t.Errorf("Parse(%q) = %v, want an error", tt.in, n)
			continue
		}
		if n != (Name{}) {
			t.Errorf("Parse(%q) = %v with error, want the zero Name", tt.in, n)
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) error %v is %T, want *SyntaxError", tt.in, err, err)
			continue
		}
		if se.Attr != tt.attr || se.Input != tt.in {
			t.Errorf("Parse(%q) error names attribute %q of %q, want %q", tt.in, se.Attr, se.Input, tt.attr)
		}
		if msg := err.Error(); !strings.HasPrefix(msg, "cpe: ") || !strings.Contains(msg, strconv.Quote(tt.in)) {
			t.Errorf("Parse(%q) error %q, want it prefixed \"cpe: \" and naming the input", tt.in, msg)
		}
	}
}

func TestParseAny(t *testing.T) {
	tests := []struct{ in, want string }{
		{"cpe:/a:apache:http_server:2.4.57", "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"},
		{"CPE:/a:apache:http_server", "cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*"},
		{"cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*", "cpe:2.3:a:apache:http_server:2.4.57:*:*:*:*:*:*:*"},
	}
	for _, tt := range tests {
		n, err := ParseAny(tt.in)
		if err != nil {
			t.Errorf("ParseAny(%q) = %v", tt.in, err)
			continue
		}
		if got := n.String(); got != tt.want {
			t.Errorf("ParseAny(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
	if _, err := ParseAny("pkg:deb/debian/bsdutils@2.36.1"); err == nil {
		t.Error(`ParseAny("pkg:deb/debian/bsdutils@2.36.1") = nil error, want one`)
	}
}

func TestAttrAccessors(t *testing.T) {
	n := MustParse(`cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:-:*:*:*:*:*:*`)
	tests := []struct {
		a                   Attr
		value, str          string
		isAny, isNA, isWild bool
	}{
		{n.Version, "1:2.36.1-8+deb11u1", `1\:2.36.1-8\+deb11u1`, false, false, false},
		{n.Update, "", "-", false, true, false},
		{n.Edition, "", "*", true, false, false},
		{MustParse("cpe:2.3:a:v:p:10.*:*:*:*:*:*:*:*").Version, "10.*", "10.*", false, false, true},
		{MustParse(`cpe:2.3:a:v:p:10.\*:*:*:*:*:*:*:*`).Version, "10.*", `10.\*`, false, false, false},
	}
	for _, tt := range tests {
		if got := tt.a.Value(); got != tt.value {
			t.Errorf("%#v.Value() = %q, want %q", tt.a, got, tt.value)
		}
		if got := tt.a.String(); got != tt.str {
			t.Errorf("%#v.String() = %q, want %q", tt.a, got, tt.str)
		}
		if tt.a.IsAny() != tt.isAny || tt.a.IsNA() != tt.isNA || tt.a.HasWildcards() != tt.isWild {
			t.Errorf("%#v IsAny, IsNA, HasWildcards = %v, %v, %v, want %v, %v, %v", tt.a,
				tt.a.IsAny(), tt.a.IsNA(), tt.a.HasWildcards(), tt.isAny, tt.isNA, tt.isWild)
		}
	}
}

func TestLiteral(t *testing.T) {
	tests := []struct {
		in   string
		want Attr
	}{
		{"", Any()},
		{"Windows_10", val("windows_10")},
		{"1:2.36.1-8+deb11u1", val("1:2.36.1-8+deb11u1")},
		{"10.*", val("10.*")},
		{"-", val("-")},
	}
	for _, tt := range tests {
		got, err := Literal(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("Literal(%q) = %#v, %v, want %#v", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{"http server", "サーバ", "a\x00b"} {
		if got, err := Literal(in); err == nil {
			t.Errorf("Literal(%q) = %#v, want an error", in, got)
		}
	}
}

func TestKey(t *testing.T) {
	tests := []struct{ in, want string }{
		{`cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:*:*:*:*:*:*:*`, "a:bsdutils:bsdutils"},
		{`cpe:2.3:A:Azure:go-autorest\/autorest:v0.11.24:*:*:*:*:*:*:*`, "a:azure:go-autorest/autorest"},
		{`cpe:2.3:*:*:*:*:*:*:*:*:*:*:*`, "*:*:*"},
		{`cpe:2.3:o:qualcomm:*_firmware:-:*:*:*:*:*:*:*`, "o:qualcomm:*_firmware"},
		{`cpe:/h:nec:-`, "h:nec:-"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.in).Key(); got != tt.want {
			t.Errorf("Key(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
