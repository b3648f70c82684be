package wareki_test

import (
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"mamori/internal/wareki"
)

// date builds the midnight-UTC date the parsers return.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// codes lists the warning codes, for comparing against a table.
func codes(ws []wareki.Warning) []string {
	var cs []string
	for _, w := range ws {
		cs = append(cs, w.Code)
	}
	return cs
}

// Short names for the warning codes in the tables.
const (
	nonexistent = wareki.WarnNonexistentEraYear
	afterEnd    = wareki.WarnAfterEraEnd
)

// dateTest is one row of the ParseDate/ParseMonth tables. want is
// "YYYY-MM-DD"; an empty want means an error containing err is expected.
type dateTest struct {
	in   string
	era  wareki.Era // default era for the ...In variants
	want string
	warn []string
	err  string
}

// dateTests are shared by TestParseDate and the fuzz seed corpus.
var dateTests = []dateTest{
	// Gregorian forms.
	{in: "2025-09-12", want: "2025-09-12"},
	{in: "2025/9/12", want: "2025-09-12"},
	{in: "2025.9.12", want: "2025-09-12"},
	{in: "2025年9月12日", want: "2025-09-12"},
	{in: "  2025年 9月 12日 ", want: "2025-09-12"},
	{in: "２０２５年９月１２日", want: "2025-09-12"},
	{in: "2024-02-29", want: "2024-02-29"},
	{in: "2000-02-29", want: "2000-02-29"},
	{in: "1873-01-01", want: "1873-01-01"},
	{in: "2200-12-31", want: "2200-12-31"},

	// Era forms. From seed 001: 報告を行った年月日 令和7年9月12日.
	{in: "令和7年9月12日", want: "2025-09-12"},
	// From seed 001: 令和7年6月30日以前は内閣サイバーセキュリティセンター.
	{in: "令和7年6月30日", want: "2025-06-30"},
	// From seed 004: 平成20年9月4日.
	{in: "平成20年9月4日", want: "2008-09-04"},
	{in: "令和元年5月1日", want: "2019-05-01"},
	{in: "令和 元年 5月 1日", want: "2019-05-01"},
	{in: "令和1年5月1日", want: "2019-05-01"},
	{in: "令和７年９月１２日", want: "2025-09-12"},
	{in: "令和 7 年 9 月 12 日", want: "2025-09-12"}, // PDF text spacing, as in seed 001's 「令和 3 年度」
	{in: "平成31年4月30日", want: "2019-04-30"},
	{in: "平成元年1月8日", want: "1989-01-08"},
	{in: "昭和64年1月7日", want: "1989-01-07"},
	{in: "昭和元年12月25日", want: "1926-12-25"},
	{in: "大正元年7月30日", want: "1912-07-30"},
	{in: "明治45年7月29日", want: "1912-07-29"},
	{in: "明治6年1月1日", want: "1873-01-01"},

	// JIS X 0301 and its loose variants.
	{in: "R07.09.12", want: "2025-09-12"},
	{in: "R7.9.12", want: "2025-09-12"},
	{in: "r7.9.12", want: "2025-09-12"},
	{in: "R7/9/12", want: "2025-09-12"},
	{in: "令07.09.12", want: "2025-09-12"},
	{in: "H31.04.30", want: "2019-04-30"},
	{in: "H16.04.01", want: "2004-04-01"},
	{in: "R02.06.23", want: "2020-06-23"},
	{in: "Ｒ０７．０９．１２", want: "2025-09-12"},
	{in: "S64.01.07", want: "1989-01-07"},
	{in: "R7年9月12日", want: "2025-09-12"},

	// The trap: years written before the era changed. 平成 counts on.
	{in: "平成31年5月1日", want: "2019-05-01", warn: []string{afterEnd}},
	{in: "H31.05.01", want: "2019-05-01", warn: []string{afterEnd}},
	{in: "平成32年4月1日", want: "2020-04-01", warn: []string{nonexistent}},
	{in: "平成33年3月31日", want: "2021-03-31", warn: []string{nonexistent}},
	{in: "昭和64年1月8日", want: "1989-01-08", warn: []string{afterEnd}},
	{in: "昭和65年3月31日", want: "1990-03-31", warn: []string{nonexistent}},

	// Era dropped after first mention. From seed 000: 標準ガイドラインの施行日である27年4月1日.
	{in: "27年4月1日", era: wareki.Heisei, want: "2015-04-01"},
	{in: "33年3月31日", era: wareki.Heisei, want: "2021-03-31", warn: []string{nonexistent}},
	{in: "令和2年4月1日", era: wareki.Heisei, want: "2020-04-01"},  // an explicit era wins
	{in: "2015年4月1日", era: wareki.Heisei, want: "2015-04-01"}, // four digits are Gregorian
	{in: "元年5月1日", era: wareki.Reiwa, err: "expected a year or an era"},

	// Errors.
	{in: "", err: "empty input"},
	{in: "   ", err: "empty input"},
	{in: "27年4月1日", err: "year 27 has no era"},
	{in: "2025", err: "missing month"},
	{in: "2025-02-30", err: "day 30 does not exist in February 2025"},
	{in: "2023-02-29", err: "day 29 does not exist in February 2023"},
	{in: "1900-02-29", err: "day 29 does not exist"},
	{in: "令和7年2月30日", err: "day 30 does not exist"},
	{in: "2025-13-01", err: "month 13 does not exist"},
	{in: "2025-00-01", err: "month 0 does not exist"},
	{in: "2025-09-00", err: "day 0 does not exist"},
	{in: "令和0年5月1日", err: "era year 0 does not exist"},
	{in: "R00.05.01", err: "era year 0 does not exist"},
	{in: "令和元年4月30日", err: "令和 began on 2019-05-01"},
	{in: "平成元年1月7日", err: "平成 began on 1989-01-08"},
	{in: "1872-12-31", err: "lunisolar"},
	{in: "明治5年12月2日", err: "lunisolar"},
	{in: "0001-01-01", err: "lunisolar"},
	{in: "2201-01-01", err: "after 2200"},
	{in: "令和999年1月1日", err: "after 2200"},
	{in: "2025-09/12", err: `expected "-" before the day`},
	{in: "2025年9月12", err: "expected 日"},
	{in: "2025年9月12日まで", err: `unexpected "まで"`},
	{in: "令和7年9月", err: "expected a one- or two-digit day"},
	{in: "20250912", err: "too long"},
	{in: "2025-123-1", err: "two-digit month"},
	{in: "2025-1-123", err: "two-digit day"},
	{in: "令和", err: "expected a year after the era 令和"},
	{in: "令和七年九月十二日", err: "expected a year after the era 令和"}, // kanji numerals are not supported
	{in: "2 025-09-12", err: "has no era"},
	{in: "Sep 12, 2025", err: "expected a year or an era"},
	{in: "\xff", err: "invalid UTF-8"},
}

func TestParseDate(t *testing.T) {
	for _, tt := range dateTests {
		t.Run(tt.in, func(t *testing.T) {
			var got time.Time
			var warns []wareki.Warning
			var err error
			if tt.era != 0 {
				got, warns, err = wareki.ParseDateIn(tt.in, tt.era)
			} else {
				got, warns, err = wareki.ParseDate(tt.in)
			}
			checkDate(t, "ParseDate", tt, got, warns, err)
		})
	}
}

// checkDate compares one parse result against a table row.
func checkDate(t *testing.T, fn string, tt dateTest, got time.Time, warns []wareki.Warning, err error) {
	t.Helper()
	if tt.want == "" {
		if err == nil {
			t.Fatalf("%s(%q) = %v, want error containing %q", fn, tt.in, got, tt.err)
		}
		// Every error names the input and says what is wrong.
		if !strings.Contains(err.Error(), strconv.Quote(tt.in)) || !strings.Contains(err.Error(), tt.err) {
			t.Errorf("%s(%q) error = %q, want it to quote the input and contain %q", fn, tt.in, err, tt.err)
		}
		return
	}
	if err != nil {
		t.Fatalf("%s(%q) error = %v, want %s", fn, tt.in, err, tt.want)
	}
	if got.Format(time.DateOnly) != tt.want || got.Location() != time.UTC || !got.Equal(got.Truncate(24*time.Hour)) {
		t.Errorf("%s(%q) = %v, want %s midnight UTC", fn, tt.in, got, tt.want)
	}
	if !slices.Equal(codes(warns), tt.warn) {
		t.Errorf("%s(%q) warnings = %v, want codes %v", fn, tt.in, warns, tt.warn)
	}
	for _, w := range warns {
		if w.Message == "" {
			t.Errorf("%s(%q) warning %q has no message", fn, tt.in, w.Code)
		}
	}
}

func TestParseMonth(t *testing.T) {
	tests := []dateTest{
		{in: "2021-03", want: "2021-03-01"},
		{in: "2021/3", want: "2021-03-01"},
		{in: "2021年3月", want: "2021-03-01"},
		{in: "令和3年10月", want: "2021-10-01"},  // seed 003: 令和3年10月時点で719システム
		{in: "平成22年10月", want: "2010-10-01"}, // seed 003: 平成22年10月に日本年金機構システム外部委託実施要領
		{in: "令和元年6月", want: "2019-06-01"},   // seed 000: 令和元年6月
		{in: "平成31年2月", want: "2019-02-01"},  // seed 000: 平成31年2月
		{in: "令和元年5月", want: "2019-05-01"},
		{in: "平成元年1月", want: "1989-01-01"}, // 平成 began within the month
		{in: "H33.3", want: "2021-03-01", warn: []string{nonexistent}},
		{in: "平成31年5月", want: "2019-05-01", warn: []string{afterEnd}},
		// From seed 000: 33年3月までを契約期間として (a 平成28 contract):
		// the trap REGIME §8 describes, really 令和3年3月.
		{in: "33年3月", era: wareki.Heisei, want: "2021-03-01", warn: []string{nonexistent}},
		// From seed 000: 31年3月、契約期間を2年間短縮する変更契約.
		{in: "31年3月", era: wareki.Heisei, want: "2019-03-01"},
		// From seed 003: システム 6億1871万円(令和2年4月～5年10月).
		{in: "5年10月", era: wareki.Reiwa, want: "2023-10-01"},
		{in: "33年3月まで", era: wareki.Heisei, err: `unexpected "まで"`},
		{in: "令和元年4月", err: "令和 began on 2019-05-01"},
		{in: "2021-03-01", err: `unexpected "-01"`},
		{in: "2021年3月1日", err: `unexpected "1日"`},
		{in: "2021年13月", err: "month 13 does not exist"},
		{in: "33年3月", err: "year 33 has no era"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			var got time.Time
			var warns []wareki.Warning
			var err error
			if tt.era != 0 {
				got, warns, err = wareki.ParseMonthIn(tt.in, tt.era)
			} else {
				got, warns, err = wareki.ParseMonth(tt.in)
			}
			checkDate(t, "ParseMonth", tt, got, warns, err)
		})
	}
}

// fyTest is one row of the fiscal-year tables; want 0 means an error
// containing err is expected.
type fyTest struct {
	in   string
	era  wareki.Era
	want wareki.FiscalYear
	warn []string
	err  string
}

var fiscalYearTests = []fyTest{
	{in: "2025", want: 2025},
	{in: "FY2025", want: 2025},
	{in: "fy 2025", want: 2025},
	{in: "ＦＹ２０２５", want: 2025},
	{in: "2025年度", want: 2025},
	{in: "２０２５年度", want: 2025},
	{in: "令和7年度", want: 2025},
	{in: "令和７年度", want: 2025},
	{in: "令和7", want: 2025},
	{in: "令和元年度", want: 2019},
	{in: "平成31年度", want: 2019}, // the same year as 令和元年度
	{in: "R7", want: 2025},
	{in: "R07", want: 2025},
	{in: "R7年度", want: 2025},
	{in: "H30年度", want: 2018},
	{in: "令7年度", want: 2025},
	{in: "昭和63年度", want: 1988},
	{in: "平成元年度", want: 1989},
	{in: "大正15年度", want: 1926},
	{in: "昭和元年度", want: 1926},
	{in: "明治33年度", want: 1900},
	{in: "1900", want: 1900},
	{in: "2200年度", want: 2200},
	// From seed 000: 平成28年度戦略的予算重点方針.
	{in: "平成28年度", want: 2016},
	// From seed 000 and seed 002: 平成27年度補正予算 (with 補正予算 cut off).
	{in: "平成27年度", want: 2015},
	// From seed 000: 令和2年度に予定される政府共通PFの機器の増設.
	{in: "令和2年度", want: 2020},
	// From seed 001: 8439 億 7577 万円(令和 3 年度~ 5 年度), PDF spacing kept.
	{in: "令和 3 年度", want: 2021},

	// The trap: 平成 years past 31 count on, with a warning.
	{in: "平成32年度", want: 2020, warn: []string{nonexistent}},
	{in: "平成33年度", want: 2021, warn: []string{nonexistent}},
	{in: "H32", want: 2020, warn: []string{nonexistent}},
	{in: "昭和64年度", want: 1989, warn: []string{afterEnd}}, // FY1989 began in 平成

	// Era dropped after first mention. From seed 000: 28年度に執行された (after 平成27年度).
	{in: "28年度", era: wareki.Heisei, want: 2016},
	// From seed 000: 30年度末をもってセキュアゾーンを廃止した (末 cut off; see the error case below).
	{in: "30年度", era: wareki.Heisei, want: 2018},
	// From seed 001: 3年度から5年度までの各年度 (a 令和 report).
	{in: "3年度", era: wareki.Reiwa, want: 2021},
	{in: "5年度", era: wareki.Reiwa, want: 2023},
	{in: "33年度", era: wareki.Heisei, want: 2021, warn: []string{nonexistent}},
	{in: "28", era: wareki.Heisei, want: 2016},
	{in: "元年度", era: wareki.Reiwa, err: "expected a year or an era"},
	{in: "2016年度", era: wareki.Heisei, want: 2016},
	{in: "令和2年度", era: wareki.Heisei, want: 2020},
	{in: "30年度末", era: wareki.Heisei, err: `unexpected "末"`},

	// Errors.
	{in: "", err: "empty input"},
	{in: "28年度", err: "year 28 has no era"},
	{in: "25", err: "year 25 has no era"},
	{in: "2025年", err: "calendar year"},
	{in: "令和7年", err: "calendar year"},
	{in: "令和0年度", err: "era year 0 does not exist"},
	{in: "1899", err: "outside the supported range"},
	{in: "明治32年度", err: "outside the supported range"},
	{in: "2201", err: "outside the supported range"},
	{in: "20250", err: "too long"},
	{in: "FY25", err: "four-digit year after FY"},
	{in: "FY2025年度", err: `unexpected "年度"`},
	{in: "2025年度予算", err: `unexpected "予算"`},
	{in: "令和", err: "expected a year after the era 令和"},
	{in: "twenty", err: "expected a year or an era"},
}

func TestParseFiscalYear(t *testing.T) {
	for _, tt := range fiscalYearTests {
		t.Run(tt.in, func(t *testing.T) {
			var got wareki.FiscalYear
			var warns []wareki.Warning
			var err error
			if tt.era != 0 {
				got, warns, err = wareki.ParseFiscalYearIn(tt.in, tt.era)
			} else {
				got, warns, err = wareki.ParseFiscalYear(tt.in)
			}
			if tt.want == 0 {
				if err == nil {
					t.Fatalf("ParseFiscalYear(%q) = %v, want error containing %q", tt.in, got, tt.err)
				}
				if !strings.Contains(err.Error(), strconv.Quote(tt.in)) || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("ParseFiscalYear(%q) error = %q, want it to quote the input and contain %q", tt.in, err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseFiscalYear(%q) error = %v, want %v", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Errorf("ParseFiscalYear(%q) = %v, want %v", tt.in, got, tt.want)
			}
			if !slices.Equal(codes(warns), tt.warn) {
				t.Errorf("ParseFiscalYear(%q) warnings = %v, want codes %v", tt.in, warns, tt.warn)
			}
		})
	}
}

// TestParseFiscalYearInInvalidEra: an unknown default era means none.
func TestParseFiscalYearInInvalidEra(t *testing.T) {
	if got, _, err := wareki.ParseFiscalYearIn("28年度", 0); err == nil {
		t.Errorf("ParseFiscalYearIn(%q, 0) = %v, want error", "28年度", got)
	}
	if got, _, err := wareki.ParseFiscalYearIn("28年度", wareki.Era(99)); err == nil {
		t.Errorf("ParseFiscalYearIn(%q, 99) = %v, want error", "28年度", got)
	}
}

// TestWarningMessage pins the wording a user sees for the trap, so that it
// keeps saying which year the text was read as.
func TestWarningMessage(t *testing.T) {
	_, warns, err := wareki.ParseFiscalYear("平成33年度")
	if err != nil || len(warns) != 1 {
		t.Fatalf("ParseFiscalYear(%q) = %v, %v, want one warning", "平成33年度", warns, err)
	}
	want := "nonexistent-era-year: 平成 has no year 33 (its last year was 31, ending 2019-04-30); read as FY2021 (令和3年度) by counting on"
	if got := warns[0].String(); got != want {
		t.Errorf("ParseFiscalYear(%q) warning = %q, want %q", "平成33年度", got, want)
	}
	if want := "平成に33年はありません(31年の平成31年4月30日まで)。元号が続いたものとして令和3年度(2021年度)と読みました"; warns[0].MessageJA != want {
		t.Errorf("ParseFiscalYear(%q) Japanese warning = %q, want %q", "平成33年度", warns[0].MessageJA, want)
	}
	_, warns, _ = wareki.ParseDate("平成31年5月1日")
	want = "after-era-end: 平成 ended on 2019-04-30; read as 2019-05-01 (令和元年5月1日) by counting on"
	if len(warns) != 1 || warns[0].String() != want {
		t.Errorf("ParseDate(%q) warnings = %v, want [%s]", "平成31年5月1日", warns, want)
	} else if want := "平成は平成31年4月30日に終わっています。元号が続いたものとして令和元年5月1日と読みました"; warns[0].MessageJA != want {
		t.Errorf("ParseDate(%q) Japanese warning = %q, want %q", "平成31年5月1日", warns[0].MessageJA, want)
	}
}

func TestFormatDate(t *testing.T) {
	tests := []struct {
		in   time.Time
		want string
	}{
		{date(2025, time.September, 12), "令和7年9月12日"},
		{date(2019, time.May, 1), "令和元年5月1日"},
		{date(2019, time.April, 30), "平成31年4月30日"},
		{date(2020, time.January, 1), "令和2年1月1日"},
		{date(1989, time.January, 8), "平成元年1月8日"},
		{date(1989, time.January, 7), "昭和64年1月7日"},
		{date(1926, time.December, 25), "昭和元年12月25日"},
		{date(1926, time.December, 24), "大正15年12月24日"},
		{date(1912, time.July, 30), "大正元年7月30日"},
		{date(1912, time.July, 29), "明治45年7月29日"},
		{date(1868, time.October, 23), "明治元年10月23日"},
		{date(1850, time.January, 1), "1850年1月1日"},
		// The wall-clock date in t's own location counts, not UTC.
		{time.Date(2019, time.May, 1, 0, 30, 0, 0, time.FixedZone("JST", 9*3600)), "令和元年5月1日"},
		{time.Date(2019, time.April, 30, 23, 59, 59, 0, time.UTC), "平成31年4月30日"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := wareki.FormatDate(tt.in); got != tt.want {
				t.Errorf("FormatDate(%v) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestEraOf(t *testing.T) {
	tests := []struct {
		in       time.Time
		wantEra  wareki.Era
		wantYear int
	}{
		{date(2025, time.September, 12), wareki.Reiwa, 7},
		{date(2019, time.May, 1), wareki.Reiwa, 1},
		{date(2019, time.April, 30), wareki.Heisei, 31},
		{date(1989, time.January, 8), wareki.Heisei, 1},
		{date(1989, time.January, 7), wareki.Showa, 64},
		{date(1926, time.December, 25), wareki.Showa, 1},
		{date(1912, time.July, 30), wareki.Taisho, 1},
		{date(1900, time.January, 1), wareki.Meiji, 33},
		{date(1868, time.October, 22), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.in.Format(time.DateOnly), func(t *testing.T) {
			e, y := wareki.EraOf(tt.in)
			if e != tt.wantEra || y != tt.wantYear {
				t.Errorf("EraOf(%v) = %v, %d, want %v, %d", tt.in, e, y, tt.wantEra, tt.wantYear)
			}
		})
	}
}

func TestEra(t *testing.T) {
	tests := []struct {
		era           wareki.Era
		name, initial string
		start, end    string // "" for the zero Time
		wantInEras    bool
	}{
		{wareki.Meiji, "明治", "M", "1868-10-23", "1912-07-29", true},
		{wareki.Taisho, "大正", "T", "1912-07-30", "1926-12-24", true},
		{wareki.Showa, "昭和", "S", "1926-12-25", "1989-01-07", true},
		{wareki.Heisei, "平成", "H", "1989-01-08", "2019-04-30", true},
		{wareki.Reiwa, "令和", "R", "2019-05-01", "", true},
		{0, "Era(0)", "", "", "", false},
		{wareki.Era(6), "Era(6)", "", "", "", false},
	}
	dateOrEmpty := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.DateOnly)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tt.era.String(); got != tt.name {
				t.Errorf("Era(%d).String() = %q, want %q", tt.era, got, tt.name)
			}
			if got := tt.era.Initial(); got != tt.initial {
				t.Errorf("%v.Initial() = %q, want %q", tt.era, got, tt.initial)
			}
			if got := dateOrEmpty(tt.era.Start()); got != tt.start {
				t.Errorf("%v.Start() = %q, want %q", tt.era, got, tt.start)
			}
			if got := dateOrEmpty(tt.era.End()); got != tt.end {
				t.Errorf("%v.End() = %q, want %q", tt.era, got, tt.end)
			}
			if got := slices.Contains(wareki.Eras(), tt.era); got != tt.wantInEras {
				t.Errorf("Eras() contains %v = %v, want %v", tt.era, got, tt.wantInEras)
			}
		})
	}
}

func TestFiscalYear(t *testing.T) {
	tests := []struct {
		fy              wareki.FiscalYear
		str, japanese   string
		start, end      string
		wantAtStart     wareki.FiscalYear
		wantDayBeforeFY wareki.FiscalYear
	}{
		{2025, "FY2025", "令和7年度", "2025-04-01", "2026-03-31", 2025, 2024},
		{2021, "FY2021", "令和3年度", "2021-04-01", "2022-03-31", 2021, 2020}, // REGIME §8: 令和3年度
		{2019, "FY2019", "令和元年度", "2019-04-01", "2020-03-31", 2019, 2018},
		{2018, "FY2018", "平成30年度", "2018-04-01", "2019-03-31", 2018, 2017},
		{1989, "FY1989", "平成元年度", "1989-04-01", "1990-03-31", 1989, 1988},
		{1988, "FY1988", "昭和63年度", "1988-04-01", "1989-03-31", 1988, 1987},
		{1900, "FY1900", "明治33年度", "1900-04-01", "1901-03-31", 1900, 1899},
		{1867, "FY1867", "1867年度", "1867-04-01", "1868-03-31", 1867, 1866},
	}
	for _, tt := range tests {
		t.Run(tt.str, func(t *testing.T) {
			if got := tt.fy.String(); got != tt.str {
				t.Errorf("FiscalYear(%d).String() = %q, want %q", int(tt.fy), got, tt.str)
			}
			if got := tt.fy.Japanese(); got != tt.japanese {
				t.Errorf("%v.Japanese() = %q, want %q", tt.fy, got, tt.japanese)
			}
			if got := tt.fy.Start(); got.Format(time.DateOnly) != tt.start || got.Location() != time.UTC {
				t.Errorf("%v.Start() = %v, want %s UTC", tt.fy, got, tt.start)
			}
			if got := tt.fy.End(); got.Format(time.DateOnly) != tt.end || got.Location() != time.UTC {
				t.Errorf("%v.End() = %v, want %s UTC", tt.fy, got, tt.end)
			}
			if got := wareki.FiscalYearOf(tt.fy.Start()); got != tt.wantAtStart {
				t.Errorf("FiscalYearOf(%v) = %v, want %v", tt.fy.Start(), got, tt.wantAtStart)
			}
			// End is inclusive: the last instant of that day is still in the year.
			lastInstant := tt.fy.End().Add(24*time.Hour - time.Nanosecond)
			if got := wareki.FiscalYearOf(lastInstant); got != tt.fy {
				t.Errorf("FiscalYearOf(%v) = %v, want %v", lastInstant, got, tt.fy)
			}
			dayBefore := tt.fy.Start().AddDate(0, 0, -1)
			if got := wareki.FiscalYearOf(dayBefore); got != tt.wantDayBeforeFY {
				t.Errorf("FiscalYearOf(%v) = %v, want %v", dayBefore, got, tt.wantDayBeforeFY)
			}
		})
	}
}

// TestRoundTrip checks every day in the supported range (about 120,000
// dates, fast) formats and parses back, and every supported fiscal year.
func TestRoundTrip(t *testing.T) {
	for d := date(1873, time.January, 1); !d.After(date(2200, time.December, 31)); d = d.AddDate(0, 0, 1) {
		s := wareki.FormatDate(d)
		got, warns, err := wareki.ParseDate(s)
		if err != nil || !got.Equal(d) || len(warns) != 0 {
			t.Fatalf("ParseDate(FormatDate(%v) = %q) = %v, %v, %v, want %v", d, s, got, warns, err, d)
		}
	}
	for fy := wareki.FiscalYear(1900); fy <= 2200; fy++ {
		for _, s := range []string{fy.Japanese(), fy.String()} {
			got, warns, err := wareki.ParseFiscalYear(s)
			if err != nil || got != fy || len(warns) != 0 {
				t.Fatalf("ParseFiscalYear(%q) = %v, %v, %v, want %v", s, got, warns, err, fy)
			}
		}
	}
}
