package yen_test

import (
	"testing"

	"mamori/internal/yen"
)

// FuzzParse checks Parse never panics, never returns a negative amount, and
// that whatever it accepts survives Format and FormatPlain.
func FuzzParse(f *testing.F) {
	for _, tt := range parseTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		a, err := yen.Parse(s)
		if err != nil {
			if a != (yen.Amount{}) {
				t.Errorf("Parse(%q) = %#v with error %v, want the zero Amount", s, a, err)
			}
			return
		}
		if a.Yen < 0 {
			t.Fatalf("Parse(%q) = %#v, want a non-negative amount", s, a)
		}
		formatted := yen.Format(a)
		if got, err := yen.Parse(formatted); err != nil || got != a {
			t.Errorf("Parse(%q) = %#v, %v, want %#v (round trip of %q)", formatted, got, err, a, s)
		}
		plain := yen.FormatPlain(a.Yen)
		if got, err := yen.Parse(plain); err != nil || got != (yen.Amount{Yen: a.Yen}) {
			t.Errorf("Parse(%q) = %#v, %v, want %d (round trip of %q)", plain, got, err, a.Yen, s)
		}
	})
}
