package mamori_test

import (
	"strings"
	"testing"

	"mamori"
)

func TestExcerpt(t *testing.T) {
	long := strings.Repeat("長", 100)
	for in, want := range map[string]string{
		"":                      "",
		"S001":                  "S001",
		strings.Repeat("a", 64): strings.Repeat("a", 64),
		strings.Repeat("a", 65): strings.Repeat("a", 64) + "…",
		long:                    strings.Repeat("長", 64) + "…",
		strings.Repeat("長", 64): strings.Repeat("長", 64),
		"\xff" + long:           strings.Repeat("長", 63) + "…", // a broken byte counts as a character and is dropped
	} {
		if got := mamori.Excerpt(in); got != want {
			t.Errorf("Excerpt(%.20q…) = %q, want %q", in, got, want)
		}
	}
	loc := mamori.Loc{File: "f.csv", Sheet: long, Row: 2, Column: long, Value: long}
	if s := loc.String() + loc.Japanese(); len(s) > 2000 {
		t.Errorf("Loc of long parts renders in %d bytes", len(s))
	}
}

func TestCheckJSONDepth(t *testing.T) {
	lim := mamori.Limits{Depth: 3}
	for in, ok := range map[string]bool{
		`[[[1]]]`:              true,
		`[[[[1]]]]`:            false,
		`{"a":{"b":[1]}}`:      true,
		`{"a":{"b":[{}]}}`:     false,
		`["[[[[[[", "\"[[[["]`: true, // brackets in strings, an escaped quote
		`[[["\\"],[[]]]]`:      false,
	} {
		err := lim.CheckJSONDepth([]byte(in))
		if (err == nil) != ok {
			t.Errorf("CheckJSONDepth(%s) = %v, want ok %v", in, err, ok)
		}
	}
}

func TestBytes(t *testing.T) {
	for n, want := range map[int64]string{100: "100 B", 1 << 10: "1 KiB", 64 << 20: "64 MiB", 3 << 29: "1.5 GiB"} {
		if got := mamori.Bytes(n); got != want {
			t.Errorf("Bytes(%d) = %s, want %s", n, got, want)
		}
	}
}
