package version

import (
	"cmp"
	"strconv"
)

// number is a non-negative decimal of any length. Values that fit in a
// uint64 are compared as integers; longer ones (commit dates glued together,
// build stamps) keep their digits so that no input overflows.
type number struct {
	n   uint64
	big string // digits without leading zeros when the value exceeds uint64
}

// parseNumber reads a string of ASCII digits.
func parseNumber(digits string) number {
	i := 0
	for i < len(digits)-1 && digits[i] == '0' {
		i++
	}
	digits = digits[i:]
	if len(digits) <= 19 {
		n, err := strconv.ParseUint(digits, 10, 64)
		if err == nil {
			return number{n: n}
		}
	}
	return number{big: digits}
}

func (a number) isZero() bool { return a.big == "" && a.n == 0 }

func (a number) compare(b number) int {
	switch {
	case a.big == "" && b.big == "":
		return cmp.Compare(a.n, b.n)
	case a.big == "":
		return -1
	case b.big == "":
		return 1
	case len(a.big) != len(b.big):
		return cmp.Compare(len(a.big), len(b.big))
	}
	return cmp.Compare(a.big, b.big)
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isLetter(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }

func isAlnum(c byte) bool { return isDigit(c) || isLetter(c) }

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}
