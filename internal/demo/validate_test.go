package demo

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"mamori"
)

// validateRecord checks one record against its entity the way the register
// defines it (see mamori.Record): a value per field, of the Go type its
// FieldType calls for, present where mandatory, an enum code from the list,
// an integer within its bounds, a real calendar date.
func validateRecord(e *mamori.Entity, r mamori.Record) error {
	if len(r) != len(e.Fields) {
		return fmt.Errorf("%s: %d values, want %d", e.Name, len(r), len(e.Fields))
	}
	for i := range e.Fields {
		f := &e.Fields[i]
		if err := validateValue(f, r[i]); err != nil {
			return fmt.Errorf("%s.%s: %w", e.Name, f.Column, err)
		}
	}
	return nil
}

func validateValue(f *mamori.Field, v any) error {
	if v == nil {
		if f.Mandatory() {
			return fmt.Errorf("required value missing")
		}
		return nil
	}
	switch f.Type {
	case mamori.Text, mamori.Code, mamori.Enum, mamori.Date:
		s, ok := v.(string)
		if !ok {
			return fmt.Errorf("%T value %v, want string", v, v)
		}
		// The empty string stands for "unknown" only in free-text key parts.
		if s == "" && !(f.Type == mamori.Text && f.Key) {
			return fmt.Errorf("empty string")
		}
		switch f.Type {
		case mamori.Code:
			if strings.TrimSpace(s) != s || strings.IndexFunc(s, unicode.IsControl) >= 0 {
				return fmt.Errorf("code %q has spaces around it or control characters", s)
			}
		case mamori.Enum:
			if _, ok := f.EnumByCode(s); !ok {
				return fmt.Errorf("%q is not an enum code", s)
			}
		case mamori.Date:
			t, err := time.Parse(time.DateOnly, s)
			if err != nil || t.Format(time.DateOnly) != s {
				return fmt.Errorf("%q is not a YYYY-MM-DD date", s)
			}
		}
	case mamori.Integer, mamori.Money, mamori.FiscalYear:
		n, ok := v.(int64)
		if !ok {
			return fmt.Errorf("%T value %v, want int64", v, v)
		}
		switch f.Type {
		case mamori.Money:
			if n < 0 {
				return fmt.Errorf("negative amount %d", n)
			}
		case mamori.FiscalYear:
			if n < 1989 || n > 2100 {
				return fmt.Errorf("fiscal year %d out of range", n)
			}
		default:
			// Both bounds zero: unbounded. A zero Max with a non-zero Min is a
			// lower bound only (audit_findings.item_no is 1 or more).
			if (f.Min != 0 || f.Max != 0) && (n < f.Min || (f.Max != 0 && n > f.Max)) {
				return fmt.Errorf("%d outside [%d, %d]", n, f.Min, f.Max)
			}
		}
	case mamori.Bool:
		if _, ok := v.(bool); !ok {
			return fmt.Errorf("%T value %v, want bool", v, v)
		}
	default:
		return fmt.Errorf("unknown field type %v", f.Type)
	}
	return nil
}
