package yen_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/yen"
)

// parseTests are shared by TestParse and the fuzz seed corpus. An empty
// err means the parse must succeed with want.
var parseTests = []struct {
	in   string
	want yen.Amount
	err  string
}{
	// Plain figures.
	{in: "856390000", want: yen.Amount{Yen: 856390000}},
	{in: "856,390,000", want: yen.Amount{Yen: 856390000}},
	{in: "856,390,000円", want: yen.Amount{Yen: 856390000}},
	{in: "￥856,390,000", want: yen.Amount{Yen: 856390000}},
	{in: "¥1,000", want: yen.Amount{Yen: 1000}},
	{in: "¥ 1,000 円", want: yen.Amount{Yen: 1000}},
	{in: `\1,000`, want: yen.Amount{Yen: 1000}}, // Shift_JIS 0x5C read as ASCII
	{in: "８５６，３９０，０００円", want: yen.Amount{Yen: 856390000}},
	{in: "　1,000円　", want: yen.Amount{Yen: 1000}},
	{in: "0", want: yen.Amount{}},
	{in: "0円", want: yen.Amount{}},
	{in: "9223372036854775807", want: yen.Amount{Yen: math.MaxInt64}},
	{in: "9,223,372,036,854,775,807円", want: yen.Amount{Yen: math.MaxInt64}},

	// Large units, as in Board of Audit reports.
	// From seed 000: 契約額8億5639万余円.
	{in: "8億5639万余円", want: yen.Amount{Yen: 856390000, Approx: true}},
	{in: "8億5639万円", want: yen.Amount{Yen: 856390000}},
	{in: "8億5639万円余", want: yen.Amount{Yen: 856390000, Approx: true}},
	{in: "８億５６３９万余円", want: yen.Amount{Yen: 856390000, Approx: true}},
	// From seed 000: 18億8709万余円.
	{in: "18億8709万余円", want: yen.Amount{Yen: 1887090000, Approx: true}},
	// From seed 000: 契約額20億0685万余円 (a zero-padded group).
	{in: "20億0685万余円", want: yen.Amount{Yen: 2006850000, Approx: true}},
	// From seed 000: 変更後契約額16億6486万余円.
	{in: "16億6486万余円", want: yen.Amount{Yen: 1664860000, Approx: true}},
	// From seed 000: うちセキュアゾーンに係る費用相当額3億5948万余円.
	{in: "3億5948万余円", want: yen.Amount{Yen: 359480000, Approx: true}},
	// From seed 002: 強化対策費補助金として254億9859万円.
	{in: "254億9859万円", want: yen.Amount{Yen: 25498590000}},
	// From seed 002: 総額510億円.
	{in: "510億円", want: yen.Amount{Yen: 51000000000}},
	// From seed 002: 事業費3780万円, 972万円.
	{in: "3780万円", want: yen.Amount{Yen: 37800000}},
	{in: "972万円", want: yen.Amount{Yen: 9720000}},
	// From seed 003: 6億1871万円(令和2年4月～5年10月).
	{in: "6億1871万円", want: yen.Amount{Yen: 618710000}},
	// From seed 004: 情報政策関連予算は8,100万円程度.
	{in: "8,100万円程度", want: yen.Amount{Yen: 81000000, Approx: true}},
	// From seed 004: 300万円.
	{in: "300万円", want: yen.Amount{Yen: 3000000}},
	// From seed 001: (1) 8439 億 7577 万円 (PDF text spacing).
	{in: "8439 億 7577 万円", want: yen.Amount{Yen: 843975770000}},
	// From seed 001: (2) 362 億 1604 万円.
	{in: "362 億 1604 万円", want: yen.Amount{Yen: 36216040000}},
	{in: "1兆2億円", want: yen.Amount{Yen: 1000200000000}},
	{in: "23億3000万円", want: yen.Amount{Yen: 2330000000}},
	{in: "5000万円", want: yen.Amount{Yen: 50000000}},
	{in: "5000万", want: yen.Amount{Yen: 50000000}},
	{in: "1,234万円", want: yen.Amount{Yen: 12340000}},
	{in: "12345万円", want: yen.Amount{Yen: 123450000}}, // the leading group may exceed 9999
	{in: "1億2345万6789円", want: yen.Amount{Yen: 123456789}},
	{in: "1億6789円", want: yen.Amount{Yen: 100006789}},
	{in: "1億5,639万円", want: yen.Amount{Yen: 156390000}},
	{in: "9223372兆368億5477万5807円", want: yen.Amount{Yen: math.MaxInt64}},

	// Decimals before a unit.
	{in: "1.5億円", want: yen.Amount{Yen: 150000000}},
	{in: "1.50億円", want: yen.Amount{Yen: 150000000}},
	{in: "0.5万円", want: yen.Amount{Yen: 5000}},
	{in: "1,234.5万円", want: yen.Amount{Yen: 12345000}},
	{in: "2.3456789012兆円", want: yen.Amount{Yen: 2345678901200}},
	{in: "１．５億円", want: yen.Amount{Yen: 150000000}},

	// Kanji numerals, and Arabic digits with 千百十.
	{in: "三千万円", want: yen.Amount{Yen: 30000000}},
	{in: "千五百円", want: yen.Amount{Yen: 1500}},
	{in: "一億二千三百四十五万六千七百八十九円", want: yen.Amount{Yen: 123456789}},
	{in: "十億円", want: yen.Amount{Yen: 1000000000}},
	{in: "百万円", want: yen.Amount{Yen: 1000000}},
	{in: "二十万円", want: yen.Amount{Yen: 200000}},
	{in: "五億円余", want: yen.Amount{Yen: 500000000, Approx: true}},
	{in: "二〇〇万円", want: yen.Amount{Yen: 2000000}},
	{in: "〇円", want: yen.Amount{}},
	{in: "3千万円", want: yen.Amount{Yen: 30000000}},
	{in: "1億5千万円", want: yen.Amount{Yen: 150000000}},
	{in: "3千500万円", want: yen.Amount{Yen: 35000000}},
	{in: "千余円", want: yen.Amount{Yen: 1000, Approx: true}},

	// Approximate.
	{in: "約8億円", want: yen.Amount{Yen: 800000000, Approx: true}},
	{in: "約 1,000 円", want: yen.Amount{Yen: 1000, Approx: true}},
	{in: "約¥1,000", want: yen.Amount{Yen: 1000, Approx: true}},
	{in: "約0円", want: yen.Amount{Approx: true}},
	{in: "約8億5639万余円程度", want: yen.Amount{Yen: 856390000, Approx: true}},
	{in: "1234余円", want: yen.Amount{Yen: 1234, Approx: true}},

	// Errors.
	{in: "", err: "empty input"},
	{in: "   ", err: "empty input"},
	{in: "円", err: "no figure"},
	{in: "万円", err: "万 has no figure before it"},
	{in: "約", err: "no figure"},
	{in: "¥", err: "no figure"},
	{in: "-1000", err: "negative"},
	{in: "−1,000円", err: "negative"},
	{in: "▲1,000", err: "negative"},
	{in: "¥-1,000", err: "negative"},
	{in: "9223372036854775808", err: "too large"},
	{in: "10000000兆円", err: "too large"},
	{in: "9223372兆368億5477万5808円", err: "too large"},
	{in: "99999999999999999999999円", err: "too large"},
	{in: "92233721兆円", err: "too large"},
	{in: "abc", err: `unexpected 'a'`},
	{in: "12a", err: `unexpected 'a'`},
	{in: "8億x円", err: `unexpected 'x'`},
	{in: "856 390 000", err: "space inside the figure"},
	{in: "1,00", err: "misplaced comma"},
	{in: "1000,000", err: "misplaced comma"},
	{in: ",100", err: "misplaced comma"},
	{in: "1万2億円", err: "億 comes after a smaller or equal unit"},
	{in: "922万3372兆", err: "兆 comes after a smaller"},
	{in: "1万2万円", err: "万 comes after a smaller or equal unit"},
	{in: "8億12345万円", err: "12345 is too large to come after a larger unit"},
	{in: "1億10000円", err: "too large to come after a larger unit"},
	{in: "8億余5639万円", err: `unexpected '余'`},
	{in: "8億5639万余円余", err: "余 appears twice"},
	{in: "1000.5円", err: "decimal point needs a unit"},
	{in: "1億0.5万円", err: "decimal point needs a unit"},
	{in: "1.5億3000万円", err: "cannot be followed by"},
	{in: "0.00001万円", err: "fraction of a yen"},
	{in: "1.億円", err: "malformed decimal"},
	{in: ".5億円", err: "malformed decimal"},
	{in: "1.2.3億円", err: "malformed decimal"},
	{in: "15百円", err: "must follow a single digit"},
	{in: "〇千円", err: "must follow a single digit"},
	{in: "百千円", err: "千 is out of order"},
	{in: "千1500円", err: "too large after"},
	{in: "一二三四五万円", err: "too long"},
	{in: "1円2", err: `unexpected '円'`},
	{in: "1億円超", err: `unexpected '円'`},
	{in: "1京円", err: `unexpected '京'`},
	{in: "\xff", err: "invalid UTF-8"},
}

func TestParse(t *testing.T) {
	for _, tt := range parseTests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := yen.Parse(tt.in)
			if tt.err != "" {
				if err == nil {
					t.Fatalf("Parse(%q) = %v, want error containing %q", tt.in, got, tt.err)
				}
				// Every error names the input and says what is wrong.
				if !strings.Contains(err.Error(), strconv.Quote(tt.in)) || !strings.Contains(err.Error(), tt.err) {
					t.Errorf("Parse(%q) error = %q, want it to quote the input and contain %q", tt.in, err, tt.err)
				}
				if got != (yen.Amount{}) {
					t.Errorf("Parse(%q) = %#v with an error, want the zero Amount", tt.in, got)
				}
				return
			}
			if err != nil {
				t.Fatalf("Parse(%q) error = %v, want %#v", tt.in, err, tt.want)
			}
			if got != tt.want {
				t.Errorf("Parse(%q) = %#v, want %#v", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormat(t *testing.T) {
	tests := []struct {
		in   yen.Amount
		want string
	}{
		{yen.Amount{Yen: 856390000, Approx: true}, "8億5639万余円"}, // seed 000
		{yen.Amount{Yen: 856390000}, "8億5639万円"},
		{yen.Amount{Yen: 1887090000, Approx: true}, "18億8709万余円"}, // seed 000
		{yen.Amount{Yen: 2006850000, Approx: true}, "20億685万余円"},  // seed 000 writes 20億0685万余円
		{yen.Amount{Yen: 25498590000}, "254億9859万円"},              // seed 002
		{yen.Amount{Yen: 51000000000}, "510億円"},                   // seed 002
		{yen.Amount{Yen: 1000200000000}, "1兆2億円"},
		{yen.Amount{Yen: 123456789}, "1億2345万6789円"},
		{yen.Amount{Yen: 100006789}, "1億6789円"},
		{yen.Amount{Yen: 1234}, "1234円"},
		{yen.Amount{Yen: 1234, Approx: true}, "1234余円"},
		{yen.Amount{Yen: 10000}, "1万円"},
		{yen.Amount{}, "0円"},
		{yen.Amount{Approx: true}, "約0円"},
		{yen.Amount{Yen: math.MaxInt64}, "9223372兆368億5477万5807円"},
		{yen.Amount{Yen: -1234}, "-1234円"},
		{yen.Amount{Yen: math.MinInt64}, "-9223372兆368億5477万5808円"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := yen.Format(tt.in); got != tt.want {
				t.Errorf("Format(%#v) = %q, want %q", tt.in, got, tt.want)
			}
			if got := tt.in.String(); got != tt.want {
				t.Errorf("%#v.String() = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFormatPlain(t *testing.T) {
	tests := []struct {
		in   int64
		want string
	}{
		{856390000, "856,390,000"},
		{0, "0"},
		{1, "1"},
		{999, "999"},
		{1000, "1,000"},
		{81000000, "81,000,000"}, // seed 004: 8,100万円
		{100000, "100,000"},
		{math.MaxInt64, "9,223,372,036,854,775,807"},
		{-1000, "-1,000"},
		{math.MinInt64, "-9,223,372,036,854,775,808"},
	}
	for _, tt := range tests {
		t.Run(tt.want, func(t *testing.T) {
			if got := yen.FormatPlain(tt.in); got != tt.want {
				t.Errorf("FormatPlain(%d) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// TestFormatRoundTrip checks that Format and FormatPlain parse back for
// amounts around every unit boundary.
func TestFormatRoundTrip(t *testing.T) {
	var amounts []int64
	for p := int64(1); p <= math.MaxInt64/10; p *= 10 {
		amounts = append(amounts, p-1, p, p+1, 3*p+7)
	}
	amounts = append(amounts, math.MaxInt64, math.MaxInt64-1, 856390000, 2006850000)
	for _, y := range amounts {
		for _, approx := range []bool{false, true} {
			a := yen.Amount{Yen: y, Approx: approx}
			s := yen.Format(a)
			if got, err := yen.Parse(s); err != nil || got != a {
				t.Errorf("Parse(Format(%#v) = %q) = %#v, %v, want %#v", a, s, got, err, a)
			}
		}
		s := yen.FormatPlain(y)
		if got, err := yen.Parse(s); err != nil || got != (yen.Amount{Yen: y}) {
			t.Errorf("Parse(FormatPlain(%d) = %q) = %#v, %v, want %d", y, s, got, err, y)
		}
	}
}
