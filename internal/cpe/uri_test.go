package cpe

import (
	"errors"
	"strings"
	"testing"
)

func TestParseURI(t *testing.T) {
	for _, line := range readLines(t, "testdata/uris.txt") {
		uri, want, ok := strings.Cut(line, "\t")
		if !ok {
			t.Fatalf("testdata/uris.txt: line %q has no tab", line)
		}
		n, err := ParseURI(uri)
		if err != nil {
			t.Errorf("ParseURI(%q) = %v", uri, err)
			continue
		}
		if got := n.String(); got != want {
			t.Errorf("ParseURI(%q) = %q, want %q", uri, got, want)
		}
		// The converted name must read back the same through Parse.
		if back, err := Parse(want); err != nil || back != n {
			t.Errorf("Parse(%q) = %#v, %v, want %#v", want, back, err, n)
		}
	}
}

func TestParseURIAttrs(t *testing.T) {
	n, err := ParseURI("cpe:/a:hp:insight_diagnostics:7.4.0.1570::~~online~win2003~x64~")
	if err != nil {
		t.Fatal(err)
	}
	want := Name{Part: val("a"), Vendor: val("hp"), Product: val("insight_diagnostics"), Version: val("7.4.0.1570"),
		SwEdition: val("online"), TargetSw: val("win2003"), TargetHw: val("x64")}
	if n != want {
		t.Errorf("ParseURI = %#v, want %#v", n, want)
	}
	n, err = ParseURI("cpe:/a:microsoft:internet_explorer:8.%02:sp%01")
	if err != nil {
		t.Fatal(err)
	}
	if n.Version != wild(0, "8.", star) || n.Update != wild(0, "sp", 1) {
		t.Errorf("ParseURI wildcards: version %#v, update %#v, want 8.* and sp?", n.Version, n.Update)
	}
}

func TestParseURIErrors(t *testing.T) {
	tests := []struct {
		in   string
		attr string
	}{
		{"", ""},
		{"cpe:2.3:a:apache:http_server:*:*:*:*:*:*:*:*", ""},
		{"cpe:/a:apache:http_server:2.4:::en:extra", ""},
		{"cpe:/x:apache:http_server", "part"},
		{"cpe:/a:apache:http_server:1.%02.0", "version"},
		{"cpe:/a:apache:http_server:%01%02x", "version"},
		{"cpe:/a:apache:http_server:1.0%2", "version"},
		{"cpe:/a:apache:http_server:1.0%zz", "version"},
		{"cpe:/a:apache:http_server:1.0%00", "version"},
		{"cpe:/a:apache:http_server:1.0%20", "version"},
		{"cpe:/a:apache:http server", "product"},
		{"cpe:/a:apache:http_server:2.4::~a~b~c~d:en", "edition"},
		{"cpe:/a:apache:http_server:2.4::~a~b~c~d~e~f", "edition"},
		{"cpe:/a:apache:http_server:2.4::~a~b%02c~d~e~", "sw_edition"},
	}
	for _, tt := range tests {
		n, err := ParseURI(tt.in)
		if err == nil {
			t.Errorf("ParseURI(%q) = %v, want an error", tt.in, n)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) || se.Attr != tt.attr {
			t.Errorf("ParseURI(%q) error %v, want a *SyntaxError naming %q", tt.in, err, tt.attr)
		}
		if !strings.HasPrefix(err.Error(), "cpe: ") {
			t.Errorf("ParseURI(%q) error %q, want the \"cpe: \" prefix", tt.in, err)
		}
	}
}
