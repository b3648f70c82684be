// Package yen parses and formats amounts of Japanese yen as they are written
// in Japanese public documents: 「856,390,000円」, 「8億5639万余円」,
// 「三千万円」. That is its one job; it imports only the standard library and
// the root package mamori (for Excerpt, which bounds the values its errors
// quote), and must not import any other mamori package.
//
// Amounts are whole, non-negative numbers of yen held in an int64. The
// mark 余 ("and change": the figure was truncated) and the words 約
// ("about") and 程度 ("around") all set Amount.Approx; the package does not
// tell them apart, and Format writes 余.
package yen

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"mamori"
)

// Amount is a sum of money in yen.
type Amount struct {
	Yen    int64 // the figure as written: 8億5639万余円 is 856,390,000
	Approx bool  // the text marked the figure as approximate (余, 約, 程度)
}

// String returns Format(a).
func (a Amount) String() string { return Format(a) }

// The large units (大数) of the myriad system: each is 10,000 times the next.
const (
	man = 10_000            // 万
	oku = 100_000_000       // 億
	cho = 1_000_000_000_000 // 兆
)

// units maps each large unit to its value, largest first.
var units = []struct {
	r     rune
	value int64
}{
	{'兆', cho},
	{'億', oku},
	{'万', man},
}

func unitValue(r rune) int64 {
	for _, u := range units {
		if u.r == r {
			return u.value
		}
	}
	return 0
}

// kanjiDigits maps kanji numerals to digits; 〇 and 零 are both zero.
var kanjiDigits = map[rune]int64{
	'〇': 0, '零': 0, '一': 1, '二': 2, '三': 3, '四': 4,
	'五': 5, '六': 6, '七': 7, '八': 8, '九': 9,
}

// smallUnits are the multipliers inside a group of four digits.
var smallUnits = map[rune]int64{'十': 10, '百': 100, '千': 1000}

// Parse parses an amount of yen. It accepts:
//
//	856390000   856,390,000   856,390,000円   ¥1,000   ￥856,390,000
//	8億5639万円   8億5639万余円   8億5639万円余   20億0685万余円
//	1兆2億円   1,234万円   1.5億円   3千万円   三千万円   千五百円
//	約8億円   8,100万円程度   8439 億 7577 万円
//
// Digits, commas and the yen sign may be full-width; a backslash is read
// as a yen sign, since byte 0x5C shows as ¥ in Shift_JIS text. 円 is
// optional. Spaces
// around the parts are ignored (PDF text has 「8439 億 7577 万円」) but
// not inside a number. Groups after the first large unit must be below
// 10,000 (「8億12345万」 is an error); the first may be any size
// (「8439億」, 「1,234万」). A decimal point is allowed only in the leading
// figure before a unit, and only if the result is a whole number of yen.
// Negative amounts (-, ▲, △), amounts past the int64 range, the empty
// string and anything else are errors naming the input.
func Parse(s string) (Amount, error) {
	fail := func(format string, args ...any) (Amount, error) {
		return Amount{}, fmt.Errorf("yen: parsing %q: %s", mamori.Excerpt(s), fmt.Sprintf(format, args...))
	}
	if !utf8.ValidString(s) {
		return fail("invalid UTF-8")
	}
	body := normalize(s)
	if body == "" {
		return fail("empty input")
	}
	var a Amount
	if rest, ok := cutPrefix(body, "約"); ok {
		body, a.Approx = rest, true
	}
	body, _ = cutPrefix(body, "¥")
	if r, _ := utf8.DecodeRuneInString(body); strings.ContainsRune("-−▲△", r) {
		return fail("negative amounts are not accepted")
	}
	if rest, ok := cutSuffix(body, "程度"); ok {
		body, a.Approx = rest, true
	}
	// 余 may come before or after 円, but only once.
	marks := 0
	if rest, ok := cutSuffix(body, "余"); ok {
		body, marks = rest, marks+1
	}
	body, _ = cutSuffix(body, "円")
	if rest, ok := cutSuffix(body, "余"); ok {
		body, marks = rest, marks+1
	}
	if marks > 1 {
		return fail("余 appears twice")
	}
	if marks > 0 {
		a.Approx = true
	}
	if body == "" {
		return fail("no figure")
	}

	// Split at the large units, which must come in decreasing order.
	var total int64
	last := int64(math.MaxInt64) // the previous unit
	first := true                // no group parsed yet
	decimal := false             // the leading group had a decimal point
	for body != "" {
		i := strings.IndexFunc(body, func(r rune) bool { return unitValue(r) != 0 })
		group, unit, unitChar := body, int64(1), ""
		if i >= 0 {
			r, size := utf8.DecodeRuneInString(body[i:])
			group, unit, unitChar = body[:i], unitValue(r), string(r)
			body = body[i+size:]
		} else {
			body = ""
		}
		group = strings.Trim(group, " ")
		if group == "" {
			if unit == 1 {
				break // nothing after the last unit
			}
			return fail("%s has no figure before it", unitChar)
		}
		if unit >= last {
			return fail("%s comes after a smaller or equal unit", unitChar)
		}
		if decimal {
			return fail("a figure with a decimal point cannot be followed by %q", mamori.Excerpt(group))
		}
		var v int64
		var reason string
		if strings.Contains(group, ".") {
			if !first || unit == 1 {
				return fail("a decimal point needs a unit (万, 億, 兆) and must lead the amount, as in 1.5億円")
			}
			v, reason = decimalTimes(group, unit)
			decimal = true
		} else {
			v, reason = parseGroup(group)
			// Below the leading group, each group counts units of the
			// next size down, so 10,000 of them would be the unit above.
			if reason == "" && !first && v >= man {
				reason = fmt.Sprintf("%d is too large to come after a larger unit", v)
			}
			if reason == "" {
				if v > math.MaxInt64/unit {
					reason = "amount is too large"
				}
				v *= unit
			}
		}
		if reason != "" {
			return fail("%s", reason)
		}
		if total > math.MaxInt64-v {
			return fail("amount is too large")
		}
		total += v
		last, first = unit, false
	}
	if first {
		return fail("no figure")
	}
	a.Yen = total
	return a, nil
}

// normalize folds full-width ASCII to ASCII, the full-width yen sign and
// the backslash to ¥, every kind of space to an ASCII space, and trims.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		case r == '￥':
			r = '¥'
		case unicode.IsSpace(r):
			r = ' '
		}
		if r == '\\' {
			r = '¥'
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// cutPrefix is strings.CutPrefix followed by trimming spaces.
func cutPrefix(s, prefix string) (string, bool) {
	rest, ok := strings.CutPrefix(s, prefix)
	return strings.TrimLeft(rest, " "), ok
}

// cutSuffix is strings.CutSuffix followed by trimming spaces.
func cutSuffix(s, suffix string) (string, bool) {
	rest, ok := strings.CutSuffix(s, suffix)
	return strings.TrimRight(rest, " "), ok
}

// parseGroup parses the figure in front of one large unit (or the
// remainder after the last): Arabic digits with optional thousands commas
// ("1,234"), kanji or Arabic digits with 千百十 ("三千", "3千500", "千五百"),
// or kanji digits written positionally ("二〇〇"). It returns a reason on
// failure.
func parseGroup(g string) (int64, string) {
	if strings.ContainsRune(g, ' ') {
		return 0, fmt.Sprintf("space inside the figure %q", mamori.Excerpt(g))
	}
	if strings.Trim(g, "0123456789,") == "" {
		return parseArabic(g)
	}
	// A figure with 千百十 is below 10,000: terms of digit × multiplier in
	// decreasing order, then an optional remainder below the last one.
	var total int64
	lastMult := int64(man)
	coef := int64(-1) // digits since the last multiplier; -1 means none
	for _, r := range g {
		d, isDigit := kanjiDigits[r]
		if r >= '0' && r <= '9' {
			d, isDigit = int64(r-'0'), true
		}
		if isDigit {
			if coef < 0 {
				coef = 0
			}
			coef = coef*10 + d
			if coef >= man {
				return 0, fmt.Sprintf("figure %q is too long", g)
			}
			continue
		}
		m, ok := smallUnits[r]
		if !ok {
			return 0, fmt.Sprintf("unexpected %q", r)
		}
		if m >= lastMult {
			return 0, fmt.Sprintf("%c is out of order in %q", r, mamori.Excerpt(g))
		}
		c := coef
		if c < 0 {
			c = 1 // 千 alone is one thousand
		}
		if c < 1 || c > 9 {
			return 0, fmt.Sprintf("%c must follow a single digit 1–9 in %q", r, mamori.Excerpt(g))
		}
		total += c * m
		lastMult, coef = m, -1
	}
	if coef >= 0 {
		if coef >= lastMult {
			return 0, fmt.Sprintf("%d is too large after %q", coef, mamori.Excerpt(g))
		}
		total += coef
	}
	return total, ""
}

// parseArabic parses ASCII digits, checking that any commas separate
// groups of three.
func parseArabic(g string) (int64, string) {
	if strings.Contains(g, ",") {
		parts := strings.Split(g, ",")
		for i, p := range parts {
			if p == "" || len(p) > 3 || (i > 0 && len(p) != 3) {
				return 0, fmt.Sprintf("misplaced comma in %q", mamori.Excerpt(g))
			}
		}
		g = strings.Join(parts, "")
	}
	v, err := strconv.ParseInt(g, 10, 64)
	if err != nil {
		return 0, "amount is too large" // only range errors remain
	}
	return v, ""
}

// decimalTimes returns the decimal figure g ("1.5", "1,234.56") times
// unit, exactly, or a reason why that is not a whole number of yen.
func decimalTimes(g string, unit int64) (int64, string) {
	intPart, frac, _ := strings.Cut(g, ".")
	if intPart == "" || frac == "" || strings.Trim(frac, "0123456789") != "" {
		return 0, fmt.Sprintf("malformed decimal %q", mamori.Excerpt(g))
	}
	whole, reason := parseArabic(intPart)
	if reason != "" {
		return 0, reason
	}
	frac = strings.TrimRight(frac, "0")
	// unit is a power of ten; the fraction must not go below one yen.
	scale := unit
	for range len(frac) {
		if scale%10 != 0 {
			return 0, fmt.Sprintf("%q is a fraction of a yen", g)
		}
		scale /= 10
	}
	var f int64
	if frac != "" {
		f, _ = strconv.ParseInt(frac, 10, 64) // at most 12 digits: fits
	}
	if whole > (math.MaxInt64-f*scale)/unit {
		return 0, "amount is too large"
	}
	return whole*unit + f*scale, ""
}

// Format writes a in the style of Board of Audit reports: the largest
// units 兆, 億 and 万 with Arabic figures, no unit for a remainder under
// 10,000, 余 before 円 if the amount is approximate: 「8億5639万余円」,
// 「1兆2億円」, 「1234円」. Groups are not zero-padded (20億0685万余円 is
// written 20億685万余円). Zero is 「0円」, or 「約0円」 if approximate, since
// "zero and change" would mean something else. A negative amount, which
// Parse never returns, gets a leading "-". The result always parses back
// to a.
func Format(a Amount) string {
	var b strings.Builder
	u := uint64(a.Yen)
	if a.Yen < 0 {
		b.WriteByte('-')
		u = -u // two's complement: correct for math.MinInt64 too
	}
	if u == 0 {
		if a.Approx {
			return "約0円"
		}
		return "0円"
	}
	parts := []struct {
		v    uint64
		unit string
	}{
		{u / cho, "兆"},
		{u / oku % man, "億"},
		{u / man % man, "万"},
		{u % man, ""},
	}
	for _, p := range parts {
		if p.v != 0 {
			b.WriteString(strconv.FormatUint(p.v, 10))
			b.WriteString(p.unit)
		}
	}
	if a.Approx {
		b.WriteString("余")
	}
	b.WriteString("円")
	return b.String()
}

// FormatPlain writes yen with thousands commas and no unit: 「856,390,000」.
func FormatPlain(yen int64) string {
	u := uint64(yen)
	sign := ""
	if yen < 0 {
		sign, u = "-", -u
	}
	digits := strconv.FormatUint(u, 10)
	var b strings.Builder
	b.WriteString(sign)
	for i, c := range digits {
		if i > 0 && (len(digits)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}
