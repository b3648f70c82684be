package register

import (
	"math"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/width"

	"mamori"
	"mamori/internal/wareki"
	"mamori/internal/yen"
)

// excelEpoch is day 0 of Excel's 1900 date system as Excel counts it (it
// wrongly treats 1900 as a leap year, so serials from 61 on are off by one
// from the naive count; starting at 1899-12-30 absorbs that).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// MaxTextLength is the longest text a cell may hold: Excel's own limit, so
// that whatever is imported can be exported to a workbook unchanged.
const MaxTextLength = 32767

// parseCell turns the text of a cell into the Record value for field f. It
// returns nil for an empty cell. fromSheet says the cell came from a
// workbook, where a date may arrive as Excel's serial day number. Warnings
// are for values accepted with a doubt (a 平成 year that never existed); err
// says in both languages why a value was refused.
func parseCell(f *mamori.Field, raw string, fromSheet bool) (v any, warnings []warning, err *mamori.Error) {
	s := strings.TrimSpace(raw)
	if s == "" {
		return nil, nil, nil
	}
	bad := func(ja, en string, args ...any) (any, []warning, *mamori.Error) {
		return nil, nil, mamori.Errorf(mamori.Invalid, ja, en, args...)
	}
	for _, r := range s {
		// Control characters other than tab and line breaks have no place
		// in a register, PostgreSQL refuses NUL, and xlsx cannot hold them.
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return bad("制御文字は使えません", "control characters are not allowed")
		}
	}
	if utf8.RuneCountInString(s) > MaxTextLength {
		return bad("%d 文字を超えています", "longer than %d characters", MaxTextLength)
	}
	switch f.Type {
	case mamori.Text:
		return s, nil, nil
	case mamori.Code:
		for _, r := range s {
			if unicode.IsControl(r) || unicode.IsSpace(r) {
				return bad("コードに空白や制御文字は使えません", "a code may not contain spaces or control characters")
			}
		}
		return s, nil, nil
	case mamori.Enum:
		if ev, ok := f.EnumByLabel(s); ok {
			return ev.Code, nil, nil
		}
		if ev, ok := f.EnumByLabel(width.Fold.String(s)); ok {
			return ev.Code, nil, nil
		}
		var ja, en []string
		for _, ev := range f.Enum {
			ja = append(ja, ev.JA)
			en = append(en, ev.Code)
		}
		return nil, nil, &mamori.Error{Kind: mamori.Invalid,
			MessageJA: "次のいずれかを指定してください: " + strings.Join(ja, "、"),
			Message:   "must be one of: " + strings.Join(en, ", ")}
	case mamori.Bool:
		switch strings.ToLower(width.Fold.String(s)) {
		case "はい", "○", "〇", "◯", "有", "あり", "済", "true", "yes", "y", "1":
			return true, nil, nil
		case "いいえ", "×", "✕", "無", "なし", "未", "false", "no", "n", "0", "-":
			return false, nil, nil
		}
		return bad("はい/いいえ で指定してください", "must be yes or no (はい/いいえ)")
	case mamori.Integer:
		n, perr := strconv.ParseInt(strings.ReplaceAll(width.Fold.String(s), ",", ""), 10, 64)
		if perr != nil {
			return bad("整数ではありません", "not a whole number")
		}
		if f.Min != 0 || f.Max != 0 {
			if n < f.Min || (f.Max > 0 && n > f.Max) {
				if f.Max > 0 {
					return bad("%d から %d の範囲で指定してください", "must be between %d and %d", f.Min, f.Max)
				}
				return bad("%d 以上で指定してください", "must be at least %d", f.Min)
			}
		} else if n < 0 {
			return bad("負の数は指定できません", "must not be negative")
		}
		return n, nil, nil
	case mamori.Money:
		a, perr := yen.Parse(s)
		if perr != nil {
			return bad("金額として読めません(例: 856390000、8億5639万円)", "not an amount of yen (e.g. 856390000 or 8億5639万円)")
		}
		var ws []warning
		if a.Approx {
			ws = append(ws, warning{ja: "「余」「約」の付いた金額です。書かれた数字の分を記録しました",
				en: "approximate amount (余/約) stored as its stated part"})
		}
		return a.Yen, ws, nil
	case mamori.FiscalYear:
		fy, wws, perr := wareki.ParseFiscalYear(s)
		if perr != nil {
			return bad("年度として読めません(例: 2025、令和7年度)", "not a fiscal year (e.g. 2025 or 令和7年度)")
		}
		return int64(fy), warningTexts(wws), nil
	case mamori.Date:
		if t, ok := excelSerial(s); ok && fromSheet {
			return t.Format(time.DateOnly), nil, nil
		}
		t, wws, perr := wareki.ParseDate(s)
		if perr != nil {
			return bad("日付として読めません(例: 2025-04-01、令和7年4月1日)", "not a date (e.g. 2025-04-01 or 令和7年4月1日)")
		}
		return t.Format(time.DateOnly), warningTexts(wws), nil
	}
	return bad("未対応の型です", "unsupported field type %v", f.Type)
}

// warning is a value accepted with a doubt, said in both languages.
type warning struct{ ja, en string }

func warningTexts(ws []wareki.Warning) []warning {
	var out []warning
	for _, w := range ws {
		out = append(out, warning{ja: w.MessageJA, en: w.Message})
	}
	return out
}

// excelSerial recognises a date cell read raw from a workbook: Excel stores
// dates as a day count, which arrives as a number of at most five digits
// (serial 99999 is in the year 2173), possibly with a time fraction.
func excelSerial(s string) (time.Time, bool) {
	intPart, _, _ := strings.Cut(s, ".")
	if len(intPart) == 0 || len(intPart) > 5 {
		return time.Time{}, false
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f < 1 {
		return time.Time{}, false
	}
	return excelEpoch.AddDate(0, 0, int(math.Floor(f))), true
}

// formatCell renders a Record value for a spreadsheet or CSV cell: enum
// values by their Japanese label, booleans as はい/いいえ, dates in ISO form.
// parseCell reads every output of formatCell back to the same value.
func formatCell(f *mamori.Field, v any) string {
	if v == nil {
		return ""
	}
	switch x := v.(type) {
	case string:
		if f.Type == mamori.Enum {
			if ev, ok := f.EnumByCode(x); ok {
				return ev.JA
			}
		}
		return x
	case bool:
		if x {
			return "はい"
		}
		return "いいえ"
	case int64:
		return strconv.FormatInt(x, 10)
	}
	return ""
}
