package web

import (
	"fmt"
	"strconv"
	"unicode/utf8"

	"mamori"
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

// show renders the value of column in rec for a person, in Japanese; "" when absent.
func show(e *mamori.Entity, rec mamori.Record, column string) string {
	f := e.Field(column)
	if f == nil {
		return ""
	}
	return display(f, field(e, rec, column))
}

// display renders a value of f for a person, in Japanese: an enum by its
// label, a boolean as はい/いいえ, money with separators and 円, a fiscal year
// as 2025年度. It returns "" for an absent value.
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
