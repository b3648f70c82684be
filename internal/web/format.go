package web

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"mamori"
	"mamori/internal/i18n"
)

// field returns the value of column in rec, a record of e, or nil.
func field(e *mamori.Entity, rec mamori.Record, column string) any {
	i := e.FieldIndex(column)
	if i < 0 || i >= len(rec) {
		return nil
	}
	return rec[i]
}

// str returns a Text, Code, Enum or Date value of rec as a string; "" when absent.
func str(e *mamori.Entity, rec mamori.Record, column string) string {
	s, _ := field(e, rec, column).(string)
	return s
}

// showIn renders the value of column in rec for a person in l's language;
// "" when absent.
func showIn(l *i18n.Localizer, e *mamori.Entity, rec mamori.Record, column string) string {
	f := e.Field(column)
	if f == nil {
		return ""
	}
	return displayIn(l, f, field(e, rec, column))
}

// displayIn renders a value of f for a person in l's language: an enum by
// its label, a boolean as yes or no, money in 億/万円 (¥ with separators in
// English), a fiscal year and a date in both calendars. It returns "" for an
// absent value.
func displayIn(l *i18n.Localizer, f *mamori.Field, v any) string {
	if v == nil {
		return ""
	}
	switch f.Type {
	case mamori.Enum:
		if s, ok := v.(string); ok {
			if ev, ok := f.EnumByCode(s); ok {
				return l.Pick(ev.JA, ev.EN)
			}
			return s
		}
	case mamori.Bool:
		if b, ok := v.(bool); ok {
			return l.YesNo(b)
		}
	case mamori.Money:
		if n, ok := v.(int64); ok {
			return l.Money(n)
		}
	case mamori.FiscalYear:
		if n, ok := v.(int64); ok {
			return l.FiscalYear(int(n))
		}
	case mamori.Date:
		if s, ok := v.(string); ok {
			return l.DateString(s)
		}
	case mamori.Integer:
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10)
		}
	}
	return fmt.Sprint(v)
}

// show renders the value of column in rec for a person, in Japanese; "" when absent.
// It keeps the plain forms (1,234円, 2025年度) for pages not yet localized;
// a localized page uses showIn.
func show(e *mamori.Entity, rec mamori.Record, column string) string {
	f := e.Field(column)
	if f == nil {
		return ""
	}
	return display(f, field(e, rec, column))
}

// display renders a value of f for a person, in Japanese: an enum by its
// label, a boolean as はい/いいえ, money with separators and 円, a fiscal year
// as 2025年度. It returns "" for an absent value. It is the plain Japanese
// form of displayIn, for pages not yet localized.
func display(f *mamori.Field, v any) string {
	if v == nil {
		return ""
	}
	switch f.Type {
	case mamori.Enum:
		if s, ok := v.(string); ok {
			if ev, ok := f.EnumByCode(s); ok {
				return ev.JA
			}
			return s
		}
	case mamori.Bool:
		if b, ok := v.(bool); ok {
			if b {
				return "はい"
			}
			return "いいえ"
		}
	case mamori.Money:
		if n, ok := v.(int64); ok {
			return groupDigits(n) + "円"
		}
	case mamori.FiscalYear:
		if n, ok := v.(int64); ok {
			return fmt.Sprintf("%d年度", n)
		}
	case mamori.Integer:
		if n, ok := v.(int64); ok {
			return strconv.FormatInt(n, 10)
		}
	}
	return fmt.Sprint(v)
}

// groupDigits writes n with a comma between groups of three digits.
func groupDigits(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if s[0] == '-' {
		sign, s = "-", s[1:]
	}
	if len(s) <= 3 {
		return sign + s
	}
	b := make([]byte, 0, len(s)+len(s)/3)
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			b = append(b, ',')
		}
		b = append(b, s[i])
	}
	return sign + string(b)
}

// clip shortens s to at most n runes, for echoing user input in a message.
func clip(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}
