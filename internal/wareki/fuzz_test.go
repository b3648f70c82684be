package wareki_test

import (
	"testing"
	"time"

	"mamori/internal/wareki"
)

// FuzzParseDate checks ParseDate never panics and that whatever it accepts
// survives a round trip through FormatDate and through ISO 8601.
func FuzzParseDate(f *testing.F) {
	for _, tt := range dateTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, warns, err := wareki.ParseDate(s)
		if err != nil {
			if len(warns) != 0 || !d.IsZero() {
				t.Errorf("ParseDate(%q) = %v, %v with error %v, want zero values", s, d, warns, err)
			}
			return
		}
		if d.Location() != time.UTC || !d.Equal(d.Truncate(24*time.Hour)) {
			t.Errorf("ParseDate(%q) = %v, want midnight UTC", s, d)
		}
		for _, again := range []string{wareki.FormatDate(d), d.Format(time.DateOnly)} {
			got, warns, err := wareki.ParseDate(again)
			if err != nil || !got.Equal(d) || len(warns) != 0 {
				t.Errorf("ParseDate(%q) = %v, %v, %v, want %v (round trip of %q)", again, got, warns, err, d, s)
			}
		}
		// The era-dropped variant must agree on anything ParseDate accepts.
		if got, _, err := wareki.ParseDateIn(s, wareki.Heisei); err != nil || !got.Equal(d) {
			t.Errorf("ParseDateIn(%q, 平成) = %v, %v, want %v", s, got, err, d)
		}
	})
}

// FuzzParseMonth checks ParseMonth never panics and returns a first day of
// a month that formats back.
func FuzzParseMonth(f *testing.F) {
	for _, s := range []string{"2021-03", "平成33年3月", "令和元年5月", "H31.5", "2021年3月1日"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		d, _, err := wareki.ParseMonth(s)
		if err != nil {
			return
		}
		if d.Day() != 1 {
			t.Errorf("ParseMonth(%q) = %v, want a first day of month", s, d)
		}
		again := d.Format("2006-01")
		if got, warns, err := wareki.ParseMonth(again); err != nil || !got.Equal(d) || len(warns) != 0 {
			t.Errorf("ParseMonth(%q) = %v, %v, %v, want %v (round trip of %q)", again, got, warns, err, d, s)
		}
	})
}

// FuzzParseFiscalYear checks ParseFiscalYear never panics and that whatever
// it accepts survives a round trip through Japanese and String.
func FuzzParseFiscalYear(f *testing.F) {
	for _, tt := range fiscalYearTests {
		f.Add(tt.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fy, warns, err := wareki.ParseFiscalYear(s)
		if err != nil {
			if len(warns) != 0 || fy != 0 {
				t.Errorf("ParseFiscalYear(%q) = %v, %v with error %v, want zero values", s, fy, warns, err)
			}
			return
		}
		if fy < 1900 || fy > 2200 {
			t.Errorf("ParseFiscalYear(%q) = %v, outside 1900–2200", s, fy)
		}
		for _, again := range []string{fy.Japanese(), fy.String()} {
			got, warns, err := wareki.ParseFiscalYear(again)
			if err != nil || got != fy || len(warns) != 0 {
				t.Errorf("ParseFiscalYear(%q) = %v, %v, %v, want %v (round trip of %q)", again, got, warns, err, fy, s)
			}
		}
		if got := wareki.FiscalYearOf(fy.Start()); got != fy {
			t.Errorf("FiscalYearOf(%v.Start()) = %v, want %v", fy, got, fy)
		}
		if got := wareki.FiscalYearOf(fy.End()); got != fy {
			t.Errorf("FiscalYearOf(%v.End()) = %v, want %v", fy, got, fy)
		}
	})
}
