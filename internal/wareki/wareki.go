// Package wareki converts between Japanese era (和暦) dates and fiscal years
// (年度) and the Gregorian calendar, as they are written in Japanese public
// documents. That is its one job; it imports only the standard library and
// the root package mamori (for Excerpt, which bounds the values its errors
// quote), and must not import any other mamori package.
//
// # Eras
//
// A small table holds the eras 明治, 大正, 昭和, 平成 and 令和 with their
// start dates and JIS X 0301 initials (M, T, S, H, R). Year 1 of an era is
// written 元年. Dates are handled as calendar dates only: a time.Time given
// to this package is read through its own Date() (convert to Japan time
// first if that matters), and every time.Time it returns is midnight UTC on
// the date meant.
//
// Supported dates run from 1873-01-01 (明治6年, when Japan adopted the
// Gregorian calendar; earlier 明治 dates are lunisolar and cannot be
// converted by arithmetic) to 2200-12-31. Supported fiscal years run from
// 1900 to 2200.
//
// # Nonexistent era years
//
// Documents written before an era change name later dates in the old era:
// a contract signed in 平成28 runs 「33年3月まで」, meaning March 2021, a month
// that is really 令和3年3月. Such dates are accepted, not rejected. The
// Parse functions count on from the old era (平成32 = 2020, 平成33 = 2021)
// and return a Warning with code WarnNonexistentEraYear. A date in the last
// real year of an ended era but after its end (平成31年5月1日, 昭和64年1月8日)
// is read the same way and warned about with WarnAfterEraEnd. This applies
// to every era that has ended, not just 平成, since documents written before
// 1989 can name 昭和65年 in the same way. A date before an era began
// (令和元年4月30日) is an error, since nobody wrote such dates in advance.
//
// # Fiscal years
//
// A fiscal year (年度) runs from April 1 to March 31 and is named by the
// Gregorian year it starts in: FY2018 is 2018-04-01 … 2019-03-31. FY2019
// began under 平成 and is written both 平成31年度 and 令和元年度; both parse
// to FiscalYear(2019) without a warning, and Japanese() writes 令和元年度.
// In general Japanese() uses the newest era that began in or before the
// fiscal year's first calendar year.
//
// After its first mention a document usually drops the era (「28年度」,
// 「30年度末」 after 「平成28年度」). ParseDateIn, ParseMonthIn and
// ParseFiscalYearIn take that era from the caller; the plain Parse functions
// reject a year without an era unless it has four digits. All Parse
// functions reject trailing words such as 末 or まで: the caller cuts them off
// and decides what they mean.
package wareki

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mamori"
)

// Era is a Japanese imperial era (元号). The zero Era is not an era; it
// stands for "none" (dates before 明治, or no default era).
type Era int

// The eras of the modern calendar, oldest first.
const (
	Meiji Era = iota + 1
	Taisho
	Showa
	Heisei
	Reiwa
)

// eraInfo is one row of the era table.
type eraInfo struct {
	name    string // 令和
	abbrev  string // 令, as in JIS X 0301's 令02.06.23
	initial string // R, as in JIS X 0301's R02.06.23
	start   civil
}

// eras is indexed by Era. The start dates are the Gregorian dates the eras
// began; each era ends the day before the next begins. 明治 formally began
// on 1868-10-23 (applied back to 慶応4年1月1日), but the lunisolar 明治
// years are outside the supported range anyway.
var eras = [...]eraInfo{
	Meiji:  {"明治", "明", "M", civil{1868, time.October, 23}},
	Taisho: {"大正", "大", "T", civil{1912, time.July, 30}},
	Showa:  {"昭和", "昭", "S", civil{1926, time.December, 25}},
	Heisei: {"平成", "平", "H", civil{1989, time.January, 8}},
	Reiwa:  {"令和", "令", "R", civil{2019, time.May, 1}},
}

// Eras returns every era, oldest first.
func Eras() []Era {
	return []Era{Meiji, Taisho, Showa, Heisei, Reiwa}
}

func (e Era) valid() bool { return e >= Meiji && int(e) < len(eras) }

// String returns the era's name, such as "令和", or "Era(n)" for an invalid Era.
func (e Era) String() string {
	if !e.valid() {
		return "Era(" + strconv.Itoa(int(e)) + ")"
	}
	return eras[e].name
}

// Initial returns the era's romaji initial used by JIS X 0301 ("M", "T",
// "S", "H", "R"), or "" for an invalid Era.
func (e Era) Initial() string {
	if !e.valid() {
		return ""
	}
	return eras[e].initial
}

// Start returns the first day of the era (midnight UTC), or the zero Time
// for an invalid Era.
func (e Era) Start() time.Time {
	if !e.valid() {
		return time.Time{}
	}
	return eras[e].start.time()
}

// End returns the last day of the era (midnight UTC). It returns the zero
// Time for the current era, which has no end yet, and for an invalid Era.
func (e Era) End() time.Time {
	end, ok := e.end()
	if !ok {
		return time.Time{}
	}
	return end.time()
}

// end is the last day of e; ok is false for the current era.
func (e Era) end() (civil, bool) {
	if !e.valid() || int(e)+1 >= len(eras) {
		return civil{}, false
	}
	return eras[e+1].start.addDays(-1), true
}

// lastYear is the last era year of e (平成 → 31); ok is false for the
// current era.
func (e Era) lastYear() (int, bool) {
	end, ok := e.end()
	if !ok {
		return 0, false
	}
	return end.y - eras[e].start.y + 1, true
}

// gregorian converts era year n of e to a Gregorian year.
func (e Era) gregorian(n int) int { return eras[e].start.y + n - 1 }

// EraOf returns the era t's date falls in and the year within that era
// (1 for 元年). For dates before 明治 it returns the zero Era and 0.
func EraOf(t time.Time) (Era, int) {
	c := civilOf(t)
	for e := Reiwa; e >= Meiji; e-- {
		if !c.before(eras[e].start) {
			return e, c.y - eras[e].start.y + 1
		}
	}
	return 0, 0
}

// FormatDate formats t's date in the era it falls in, such as
// "令和7年9月12日" or "令和元年5月1日". Dates before 明治 are written in
// the Gregorian calendar ("1850年1月1日"). The output always parses back
// with ParseDate to the same date when it is in the supported range.
func FormatDate(t time.Time) string {
	c := civilOf(t)
	e, n := EraOf(t)
	if e == 0 {
		return fmt.Sprintf("%d年%d月%d日", c.y, c.m, c.d)
	}
	return fmt.Sprintf("%s%s年%d月%d日", e, eraYear(n), c.m, c.d)
}

// eraYear writes era year n, using 元 for the first year.
func eraYear(n int) string {
	if n == 1 {
		return "元"
	}
	return strconv.Itoa(n)
}

// FiscalYear is a Japanese fiscal year (年度), named by the Gregorian year
// it starts in: FiscalYear(2025) runs from 2025-04-01 to 2026-03-31.
type FiscalYear int

// FiscalYearOf returns the fiscal year containing t's date.
func FiscalYearOf(t time.Time) FiscalYear {
	y, m, _ := t.Date()
	if m < time.April {
		return FiscalYear(y - 1)
	}
	return FiscalYear(y)
}

// Start returns April 1 of the fiscal year, midnight UTC.
func (fy FiscalYear) Start() time.Time {
	return time.Date(int(fy), time.April, 1, 0, 0, 0, 0, time.UTC)
}

// End returns March 31 of the following year, midnight UTC. It is the last
// day of the fiscal year, not an exclusive bound: a time later that day is
// still in the fiscal year.
func (fy FiscalYear) End() time.Time {
	return time.Date(int(fy)+1, time.March, 31, 0, 0, 0, 0, time.UTC)
}

// String returns the fiscal year as "FY2025".
func (fy FiscalYear) String() string {
	return "FY" + strconv.Itoa(int(fy))
}

// Japanese returns the fiscal year's Japanese name, such as "令和7年度".
// It uses the newest era that began in or before the fiscal year's first
// calendar year, so FY2019 is "令和元年度" (not 平成31年度) and FY2018 is
// "平成30年度". Years before 明治 are written "1867年度".
func (fy FiscalYear) Japanese() string {
	y := int(fy)
	for e := Reiwa; e >= Meiji; e-- {
		if y >= eras[e].start.y {
			return e.String() + eraYear(y-eras[e].start.y+1) + "年度"
		}
	}
	return strconv.Itoa(y) + "年度"
}

// Warning reports something dubious in an input that was nonetheless
// parsed, such as a 平成 year that never existed.
type Warning struct {
	Code      string // stable, machine-readable: one of the Warn constants
	Message   string // English, for people
	MessageJA string // Japanese, for people
}

// String returns "code: message".
func (w Warning) String() string { return w.Code + ": " + w.Message }

// Warning codes.
const (
	// WarnNonexistentEraYear means the era year is past the era's last
	// year (平成32年 and later); the year was counted on from the era's
	// start.
	WarnNonexistentEraYear = "nonexistent-era-year"
	// WarnAfterEraEnd means the era year existed but the date or fiscal
	// year is after the era ended (平成31年5月1日, 昭和64年度).
	WarnAfterEraEnd = "after-era-end"
)

// Supported ranges; see the package comment for why.
var (
	minDate = civil{1873, time.January, 1}
	maxDate = civil{2200, time.December, 31}
)

const (
	minFiscalYear = 1900
	maxFiscalYear = 2200
)

// civil is a calendar date without time or location.
type civil struct {
	y int
	m time.Month
	d int
}

func civilOf(t time.Time) civil {
	y, m, d := t.Date()
	return civil{y, m, d}
}

func (c civil) time() time.Time { return time.Date(c.y, c.m, c.d, 0, 0, 0, 0, time.UTC) }

func (c civil) before(o civil) bool {
	if c.y != o.y {
		return c.y < o.y
	}
	if c.m != o.m {
		return c.m < o.m
	}
	return c.d < o.d
}

func (c civil) addDays(n int) civil { return civilOf(c.time().AddDate(0, 0, n)) }

func (c civil) String() string { return c.time().Format(time.DateOnly) }

// daysIn returns the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// normalize folds full-width ASCII (０-９, Ｒ, ．, ／ …) to ASCII and every
// kind of space to an ASCII space, since Japanese documents mix the widths
// freely, and trims the result.
func normalize(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= '！' && r <= '～':
			r -= '！' - '!'
		case unicode.IsSpace(r):
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}

// scanner reads tokens from a normalized string, skipping spaces between
// tokens (PDF text often has 「令和 3 年度」) but never inside a number.
type scanner struct {
	s   string
	pos int
}

func (sc *scanner) skipSpace() {
	for sc.pos < len(sc.s) && sc.s[sc.pos] == ' ' {
		sc.pos++
	}
}

func (sc *scanner) eof() bool {
	sc.skipSpace()
	return sc.pos >= len(sc.s)
}

// rest returns the unread text, for error messages.
func (sc *scanner) rest() string {
	sc.skipSpace()
	return sc.s[sc.pos:]
}

// accept consumes lit if it comes next.
func (sc *scanner) accept(lit string) bool {
	sc.skipSpace()
	if strings.HasPrefix(sc.s[sc.pos:], lit) {
		sc.pos += len(lit)
		return true
	}
	return false
}

// acceptFold is accept ignoring ASCII case.
func (sc *scanner) acceptFold(lit string) bool {
	sc.skipSpace()
	if len(sc.s)-sc.pos >= len(lit) && strings.EqualFold(sc.s[sc.pos:sc.pos+len(lit)], lit) {
		sc.pos += len(lit)
		return true
	}
	return false
}

// digits consumes a run of ASCII digits and returns it ("" if none).
func (sc *scanner) digits() string {
	sc.skipSpace()
	start := sc.pos
	for sc.pos < len(sc.s) && sc.s[sc.pos] >= '0' && sc.s[sc.pos] <= '9' {
		sc.pos++
	}
	return sc.s[start:sc.pos]
}

// era consumes an era written as its name (令和), its one-kanji
// abbreviation (令) or its initial (R or r).
func (sc *scanner) era() (Era, bool) {
	sc.skipSpace()
	rest := sc.s[sc.pos:]
	for _, e := range Eras() {
		if strings.HasPrefix(rest, eras[e].name) {
			sc.pos += len(eras[e].name)
			return e, true
		}
	}
	// The short forms only count before a year, so that "Sep 12" is not
	// read as 昭和 followed by junk.
	for _, e := range Eras() {
		if strings.HasPrefix(rest, eras[e].abbrev) && yearFollows(rest[len(eras[e].abbrev):]) {
			sc.pos += len(eras[e].abbrev)
			return e, true
		}
	}
	for _, e := range Eras() {
		if len(rest) > 0 && strings.EqualFold(rest[:1], eras[e].initial) && yearFollows(rest[1:]) {
			sc.pos++
			return e, true
		}
	}
	return 0, false
}

// yearFollows reports whether s starts, after spaces, with a digit or 元.
func yearFollows(s string) bool {
	s = strings.TrimLeft(s, " ")
	return strings.HasPrefix(s, "元") || (s != "" && s[0] >= '0' && s[0] <= '9')
}

// atoi converts a digit run that has already been checked for length.
func atoi(d string) int {
	n, _ := strconv.Atoi(d)
	return n
}

// parseError builds the error every Parse function returns: it names the
// input as given and says what is wrong with it.
func parseError(what, input, format string, args ...any) error {
	return fmt.Errorf("wareki: parsing %s %q: %s", what, mamori.Excerpt(input), fmt.Sprintf(format, args...))
}

// yearSpec is the year part of a date or fiscal year as written.
type yearSpec struct {
	era Era // 0 for a Gregorian year
	n   int // era year, or Gregorian year when era is 0
}

// scanYear reads the year part: an era followed by an era year or 元, or a
// bare number, which is Gregorian if it has four digits and otherwise an
// era year of def. It returns a reason on failure.
func (sc *scanner) scanYear(def Era) (yearSpec, string) {
	if e, ok := sc.era(); ok {
		if sc.accept("元") {
			return yearSpec{e, 1}, ""
		}
		d := sc.digits()
		if d == "" {
			return yearSpec{}, fmt.Sprintf("expected a year after the era %s", e)
		}
		if len(d) > 4 {
			return yearSpec{}, fmt.Sprintf("era year %s is too long", mamori.Excerpt(d))
		}
		return yearSpec{e, atoi(d)}, ""
	}
	d := sc.digits()
	switch {
	case d == "":
		if sc.eof() {
			return yearSpec{}, "empty input"
		}
		return yearSpec{}, fmt.Sprintf("expected a year or an era at %q", mamori.Excerpt(sc.rest()))
	case len(d) == 4:
		return yearSpec{0, atoi(d)}, ""
	case len(d) > 4:
		return yearSpec{}, fmt.Sprintf("year %s is too long", mamori.Excerpt(d))
	case def.valid():
		return yearSpec{def, atoi(d)}, ""
	default:
		return yearSpec{}, fmt.Sprintf("year %s has no era: give the era (such as 令和%s) or a four-digit year", mamori.Excerpt(d), mamori.Excerpt(d))
	}
}

// gregorian resolves the year to a Gregorian year, rejecting era year 0.
func (ys yearSpec) gregorian() (int, string) {
	if ys.era == 0 {
		return ys.n, ""
	}
	if ys.n == 0 {
		return 0, fmt.Sprintf("era year 0 does not exist (the first year of %s is 元年)", ys.era)
	}
	return ys.era.gregorian(ys.n), ""
}

// overrun returns the warning for a date or fiscal year starting at first
// that lies after the end of era e, which was written with era year n.
// It returns nil if first is within the era. read describes what the input
// was read as, for the message.
func overrun(e Era, n int, first civil, read, readJA string) []Warning {
	end, ok := e.end()
	if !ok || !end.before(first) {
		return nil
	}
	endJA := FormatDate(end.time())
	last, _ := e.lastYear()
	if n > last {
		return []Warning{{
			Code:      WarnNonexistentEraYear,
			Message:   fmt.Sprintf("%s has no year %d (its last year was %d, ending %s); read as %s by counting on", e, n, last, end, read),
			MessageJA: fmt.Sprintf("%sに%d年はありません(%d年の%sまで)。元号が続いたものとして%sと読みました", e, n, last, endJA, readJA),
		}}
	}
	return []Warning{{
		Code:      WarnAfterEraEnd,
		Message:   fmt.Sprintf("%s ended on %s; read as %s by counting on", e, end, read),
		MessageJA: fmt.Sprintf("%sは%sに終わっています。元号が続いたものとして%sと読みました", e, endJA, readJA),
	}}
}

// ParseDate parses a date written in one of these forms (digits may be
// full-width, and spaces between parts are ignored):
//
//	2025-09-12   2025/9/12   2025.9.12   2025年9月12日
//	令和7年9月12日   令和元年5月1日   R7年9月12日
//	R07.09.12   R7.9.12   r7/9/12   令07.09.12   H31.04.30
//
// Two-digit years need an era (see ParseDateIn). Impossible dates (2月30日,
// era year 0, a date before its era began, outside 1873–2200) are errors
// naming the input. A date after its era ended (平成33年3月1日) is accepted
// with a Warning; see the package comment. Excel serial day numbers are not
// handled here. The result is midnight UTC.
func ParseDate(s string) (time.Time, []Warning, error) {
	return parseDate("date", s, 0, true)
}

// ParseDateIn is ParseDate for a document whose era is known: a year of one
// to three digits without an era (「27年4月1日」) is a year of era. A
// four-digit year is still Gregorian, and an explicit era still wins.
func ParseDateIn(s string, era Era) (time.Time, []Warning, error) {
	return parseDate("date", s, era, true)
}

// ParseMonth parses a year and month without a day, in the forms ParseDate
// accepts minus the day (2021-03, 2021年3月, 平成33年3月, H33.3), and
// returns the first day of that month. A month before its era began is an
// error; a month wholly after its era ended is accepted with a Warning.
func ParseMonth(s string) (time.Time, []Warning, error) {
	return parseDate("month", s, 0, false)
}

// ParseMonthIn is ParseMonth with a default era for years written without
// one, as in 「33年3月まで」 (after stripping まで) in a 平成 document.
func ParseMonthIn(s string, era Era) (time.Time, []Warning, error) {
	return parseDate("month", s, era, false)
}

// parseDate implements the date and month parsers; withDay says whether a
// day of month is required (date) or forbidden (month).
func parseDate(what, input string, def Era, withDay bool) (time.Time, []Warning, error) {
	fail := func(format string, args ...any) (time.Time, []Warning, error) {
		return time.Time{}, nil, parseError(what, input, format, args...)
	}
	if !utf8.ValidString(input) {
		return fail("invalid UTF-8")
	}
	sc := &scanner{s: normalize(input)}
	ys, reason := sc.scanYear(def)
	if reason != "" {
		return fail("%s", reason)
	}

	// The kanji form is 年…月…日; the numeric form uses one separator
	// throughout, so "2025-09/12" is rejected as a likely typo.
	kanji := sc.accept("年")
	sep := ""
	if !kanji {
		for _, c := range []string{".", "/", "-"} {
			if sc.accept(c) {
				sep = c
				break
			}
		}
		if sep == "" {
			if sc.eof() {
				return fail("missing month")
			}
			return fail("expected 年 or a separator after the year, found %q", mamori.Excerpt(sc.rest()))
		}
	}
	md := sc.digits()
	if md == "" || len(md) > 2 {
		return fail("expected a one- or two-digit month, found %q", mamori.Excerpt(sc.rest()))
	}
	if kanji && !sc.accept("月") {
		return fail("expected 月 after the month, found %q", mamori.Excerpt(sc.rest()))
	}
	dd := ""
	if withDay {
		if !kanji && !sc.accept(sep) {
			return fail("expected %q before the day, found %q", sep, mamori.Excerpt(sc.rest()))
		}
		dd = sc.digits()
		if dd == "" || len(dd) > 2 {
			return fail("expected a one- or two-digit day, found %q", mamori.Excerpt(sc.rest()))
		}
		if kanji && !sc.accept("日") {
			return fail("expected 日 after the day, found %q", mamori.Excerpt(sc.rest()))
		}
	}
	if !sc.eof() {
		return fail("unexpected %q after the %s", mamori.Excerpt(sc.rest()), what)
	}

	y, reason := ys.gregorian()
	if reason != "" {
		return fail("%s", reason)
	}
	// Check the range before building dates: era years can be large.
	if y > maxDate.y {
		return fail("year %d is after %d, the last supported year", y, maxDate.y)
	}
	if y < minDate.y {
		return fail("dates before %s used the lunisolar calendar and are not supported", minDate)
	}
	m := time.Month(atoi(md))
	if m < time.January || m > time.December {
		return fail("month %d does not exist", m)
	}
	first, last := civil{y, m, 1}, civil{y, m, daysIn(y, m)}
	if withDay {
		d := atoi(dd)
		if d < 1 || d > last.d {
			return fail("day %d does not exist in %s %d (it has %d days)", d, m, y, last.d)
		}
		first, last = civil{y, m, d}, civil{y, m, d}
	}
	if first.before(minDate) {
		return fail("dates before %s used the lunisolar calendar and are not supported", minDate)
	}

	var warns []Warning
	if ys.era != 0 {
		if last.before(eras[ys.era].start) {
			return fail("%s began on %s, after this %s", ys.era, eras[ys.era].start, what)
		}
		readJA := FormatDate(first.time())
		if !withDay {
			e, n := EraOf(first.time())
			readJA = fmt.Sprintf("%s%s年%d月", e, eraYear(n), m)
		}
		read := fmt.Sprintf("%s (%s)", first, readJA)
		if !withDay {
			read = fmt.Sprintf("%s (%s)", first.time().Format("2006-01"), readJA)
		}
		warns = overrun(ys.era, ys.n, first, read, readJA)
	}
	return first.time(), warns, nil
}

// ParseFiscalYear parses a fiscal year written in one of these forms
// (digits may be full-width, spaces between parts are ignored):
//
//	2025   FY2025   2025年度
//	令和7年度   令和元年度   平成31年度   R7   H30年度   令和7
//
// 平成31年度 and 令和元年度 are both FY2019. 平成32年度 and later are
// accepted with a Warning (see the package comment). A year without an era
// must have four digits (see ParseFiscalYearIn). A calendar year
// (「2025年」) and trailing text such as 末 in 「30年度末」 are errors, so
// that callers decide what "the end of FY30" means. Fiscal years before
// 1900 or after 2200 are errors.
func ParseFiscalYear(s string) (FiscalYear, []Warning, error) {
	return parseFiscalYear(s, 0)
}

// ParseFiscalYearIn is ParseFiscalYear for a document whose era is known:
// a year of one to three digits without an era (「28年度」 after 「平成28年度」)
// is a year of era. A four-digit year is still Gregorian and an explicit
// era still wins. If era is not a valid Era, it behaves like
// ParseFiscalYear.
func ParseFiscalYearIn(s string, era Era) (FiscalYear, []Warning, error) {
	return parseFiscalYear(s, era)
}

func parseFiscalYear(input string, def Era) (FiscalYear, []Warning, error) {
	fail := func(format string, args ...any) (FiscalYear, []Warning, error) {
		return 0, nil, parseError("fiscal year", input, format, args...)
	}
	if !utf8.ValidString(input) {
		return fail("invalid UTF-8")
	}
	sc := &scanner{s: normalize(input)}
	var ys yearSpec
	if sc.acceptFold("FY") {
		d := sc.digits()
		if len(d) != 4 {
			return fail("expected a four-digit year after FY, found %q", mamori.Excerpt(sc.rest()))
		}
		ys = yearSpec{0, atoi(d)}
	} else {
		var reason string
		ys, reason = sc.scanYear(def)
		if reason != "" {
			return fail("%s", reason)
		}
		if !sc.accept("年度") && sc.accept("年") {
			return fail("年 is a calendar year; a fiscal year is written 年度")
		}
	}
	if !sc.eof() {
		return fail("unexpected %q after the fiscal year", mamori.Excerpt(sc.rest()))
	}
	y, reason := ys.gregorian()
	if reason != "" {
		return fail("%s", reason)
	}
	if y < minFiscalYear || y > maxFiscalYear {
		return fail("fiscal year %d is outside the supported range %d–%d", y, minFiscalYear, maxFiscalYear)
	}
	fy := FiscalYear(y)
	var warns []Warning
	if ys.era != 0 {
		// A fiscal year belongs to an era if it began before the era
		// ended: 平成31年度 began on 2019-04-01, inside 平成.
		warns = overrun(ys.era, ys.n, civilOf(fy.Start()), fmt.Sprintf("%s (%s)", fy, fy.Japanese()), fmt.Sprintf("%s(%d年度)", fy.Japanese(), int(fy)))
	}
	return fy, warns, nil
}
