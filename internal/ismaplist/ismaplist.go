// Package ismaplist reads the cloud service lists the ISMAP operator
// publishes (the ISMAP list and the ISMAP-LIU list, as an Excel workbook or
// a CSV file) into entries: registration number, service, provider, the
// date of registration and the end of its validity. It knows nothing of
// the register or the database: it finds the header row by its column
// names below the notes the operator puts above it, reads every row, and
// refuses the whole file, naming the file, sheet, row and column, when one
// row is wrong.
package ismaplist

import (
	"context"
	"fmt"
	"math"
	"path"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"mamori"
	"mamori/internal/sheet"
	"mamori/internal/wareki"
)

// Kind is which list a file is: the two lists are published separately.
type Kind string

// The lists.
const (
	ISMAP Kind = "ismap"     // ISMAPクラウドサービスリスト
	LIU   Kind = "ismap_liu" // ISMAP-LIUクラウドサービスリスト
)

// ParseKind reads a kind as the command line and the forms give it
// (ismap, ismap-liu, ismap_liu, case-insensitive).
func ParseKind(s string) (Kind, error) {
	switch strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), "-", "_") {
	case "ismap":
		return ISMAP, nil
	case "ismap_liu", "liu":
		return LIU, nil
	}
	return "", mamori.Errorf(mamori.Invalid, "リストの種類「%s」は ismap か ismap-liu です", "list kind %q: want ismap or ismap-liu", mamori.Excerpt(s))
}

// Label is the list's name as people write it.
func (k Kind) Label() string {
	if k == LIU {
		return "ISMAP-LIU"
	}
	return "ISMAP"
}

// Entry is one service on a list.
type Entry struct {
	Row                int    // the row of the file it was read from
	RegistrationNumber string // as published, width-normalised
	Service, Provider  string
	RegisteredOn       string // YYYY-MM-DD, "" when the list has no such column
	ValidUntil         string // YYYY-MM-DD
}

// Key is the entry's registration number normalised for matching (Key).
func (e Entry) Key() string { return Key(e.RegistrationNumber) }

// List is one file read.
type List struct {
	Sheet     string // the sheet the entries were on ("" for CSV)
	HeaderRow int
	// AsOf is the date the notes above the header say the list is as of
	// (「2026年10月1日時点」), "" when they do not say.
	AsOf    string
	Entries []Entry
}

// MaxEntries bounds the entries of one list. The ISMAP list held a few
// hundred services in 2026; a file of more is not a list.
const MaxEntries = 20_000

// headerSearchRows is how far down the header is looked for: the operator
// puts a title and a few notes above it.
const headerSearchRows = 30

// column is one column the reader knows, with the names it goes by.
type column struct {
	id       string
	ja, en   string
	names    []string
	required bool
}

// columns are the list's columns. The names are those of the published
// lists and their plain variants, compared after Key-style folding of
// width and white space (an Excel header often breaks a line inside).
var columns = []column{
	{"number", "登録番号", "registration number", []string{"登録番号", "サービス登録番号"}, true},
	{"service", "クラウドサービスの名称", "service name", []string{"クラウドサービスの名称", "クラウドサービス名称", "クラウドサービス名", "サービス名称", "サービス名"}, true},
	{"provider", "クラウドサービス事業者の名称", "provider", []string{"クラウドサービス事業者の名称", "クラウドサービス事業者名", "クラウドサービス事業者", "事業者の名称", "事業者名"}, true},
	{"registered", "登録日", "registered on", []string{"登録日", "登録年月日", "登録決定日"}, false},
	{"valid", "有効期限", "valid until", []string{"有効期限", "登録の有効期限", "有効期間満了日", "有効期間"}, true},
}

// Parse reads a list file named name (its extension decides: .xlsx or
// .csv; CSV may be UTF-8 with or without a byte-order mark, or Shift_JIS).
// Every problem found is returned at once as mamori.Problems; a refusal
// for a limit is a *mamori.Error wrapping mamori.ErrLimit.
func Parse(ctx context.Context, name string, data []byte, lim mamori.Limits) (*List, error) {
	var tables []sheet.Table
	fromSheet := false
	switch strings.ToLower(path.Ext(name)) {
	case ".xlsx":
		ts, err := sheet.ReadXLSX(ctx, data, lim)
		if err != nil {
			return nil, located(err, name)
		}
		tables, fromSheet = ts, true
	case ".csv":
		t, err := sheet.ReadCSV(ctx, data, "", lim)
		if err != nil {
			return nil, located(err, name)
		}
		tables = []sheet.Table{t}
	default:
		return nil, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
			Message: "a list is an .xlsx or .csv file", MessageJA: "リストは .xlsx か .csv のファイルです"}
	}
	for _, t := range tables {
		rows := append([]sheet.Row{{Num: 1, Cells: t.Header}}, t.Rows...)
		h, cols, ok := findHeader(rows)
		if !ok {
			continue
		}
		return readEntries(name, t.Name, rows, h, cols, fromSheet)
	}
	var names []string
	for _, c := range columns {
		if c.required {
			names = append(names, c.ja)
		}
	}
	return nil, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name},
		Message:   fmt.Sprintf("no header row with the columns %s in the first %d rows of any sheet", strings.Join(names, ", "), headerSearchRows),
		MessageJA: fmt.Sprintf("どのシートの先頭%d行にも列 %s の見出し行がありません", headerSearchRows, strings.Join(names, "・"))}
}

// located adds the file name to an error of package sheet.
func located(err error, name string) error {
	if e, ok := err.(*mamori.Error); ok {
		e.Loc.File = name
		return e
	}
	return &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: name}, Message: err.Error(),
		MessageJA: "ファイルを読めません: " + mamori.Excerpt(err.Error())}
}

// findHeader returns the index in rows of the header row and, per column
// id, its cell index.
func findHeader(rows []sheet.Row) (int, map[string]int, bool) {
	for i, r := range rows {
		if i >= headerSearchRows {
			break
		}
		cols := map[string]int{}
		for j, cell := range r.Cells {
			h := fold(cell)
			for _, c := range columns {
				if _, seen := cols[c.id]; seen {
					continue
				}
				for _, n := range c.names {
					if h == fold(n) {
						cols[c.id] = j
					}
				}
			}
		}
		complete := true
		for _, c := range columns {
			if _, ok := cols[c.id]; c.required && !ok {
				complete = false
			}
		}
		if complete {
			return i, cols, true
		}
	}
	return 0, nil, false
}

func readEntries(file, sheetName string, rows []sheet.Row, h int, cols map[string]int, fromSheet bool) (*List, error) {
	l := &List{Sheet: sheetName, HeaderRow: rows[h].Num, AsOf: asOf(rows[:h])}
	var probs mamori.Problems
	bad := func(row int, c column, val, ja, en string) {
		if len(probs) >= 50 {
			return
		}
		probs = append(probs, &mamori.Error{Kind: mamori.Invalid,
			Loc:     mamori.Loc{File: file, Sheet: sheetName, Row: row, Column: sheet.ColumnName(cols[c.id]) + "「" + c.ja + "」", Value: val},
			Message: en, MessageJA: ja})
	}
	col := func(id string) column {
		for _, c := range columns {
			if c.id == id {
				return c
			}
		}
		panic("ismaplist: unknown column " + id)
	}
	seen := map[string]int{}
	for _, r := range rows[h+1:] {
		if r.Blank() {
			continue
		}
		if len(l.Entries) >= MaxEntries {
			return nil, &mamori.Error{Kind: mamori.Invalid, Err: mamori.ErrLimit, Loc: mamori.Loc{File: file, Sheet: sheetName, Row: r.Num},
				Message: fmt.Sprintf("more than %d services: not a cloud service list", MaxEntries), MessageJA: fmt.Sprintf("%d件を超えています。クラウドサービスリストではありません", MaxEntries)}
		}
		cell := func(id string) string {
			i, ok := cols[id]
			if !ok {
				return ""
			}
			return clean(r.Cell(i))
		}
		e := Entry{Row: r.Num, RegistrationNumber: cell("number"), Service: cell("service"), Provider: cell("provider")}
		n := len(probs)
		for _, id := range []string{"number", "service", "provider"} {
			if cell(id) == "" {
				bad(r.Num, col(id), "", "空欄です", "is blank")
			}
		}
		if k := Key(e.RegistrationNumber); k != "" {
			if prev, dup := seen[k]; dup {
				bad(r.Num, col("number"), e.RegistrationNumber, fmt.Sprintf("%d行目と同じ登録番号です", prev), fmt.Sprintf("same registration number as row %d", prev))
			}
			seen[k] = r.Num
		}
		for _, d := range []struct {
			id  string
			dst *string
		}{{"registered", &e.RegisteredOn}, {"valid", &e.ValidUntil}} {
			v := cell(d.id)
			if v == "" {
				if col(d.id).required {
					bad(r.Num, col(d.id), "", "空欄です", "is blank")
				}
				continue
			}
			t, ok := parseDate(v, fromSheet)
			if !ok {
				bad(r.Num, col(d.id), v, "日付として読めません(例: 2026-10-01、令和8年10月1日)", "not a date (e.g. 2026-10-01 or 令和8年10月1日)")
				continue
			}
			*d.dst = t
		}
		if e.RegisteredOn != "" && e.ValidUntil != "" && e.ValidUntil < e.RegisteredOn {
			bad(r.Num, col("valid"), e.ValidUntil, "登録日より前です", "is before the registration date")
		}
		if len(probs) == n {
			l.Entries = append(l.Entries, e)
		}
	}
	if len(probs) > 0 {
		return nil, probs
	}
	if len(l.Entries) == 0 {
		return nil, &mamori.Error{Kind: mamori.Invalid, Loc: mamori.Loc{File: file, Sheet: sheetName, Row: l.HeaderRow},
			Message: "no services below the header row", MessageJA: "見出し行の下にサービスがありません"}
	}
	return l, nil
}

// excelEpoch is day 0 of Excel's 1900 date system as Excel counts it
// (starting at 1899-12-30 absorbs its leap-year 1900).
var excelEpoch = time.Date(1899, 12, 30, 0, 0, 0, 0, time.UTC)

// parseDate reads a date cell: an Excel serial day number from a workbook,
// or any form package wareki reads (ISO, 2026/10/1, 令和8年10月1日, R8.10.1).
func parseDate(s string, fromSheet bool) (string, bool) {
	if fromSheet {
		intPart, _, _ := strings.Cut(s, ".")
		if len(intPart) > 0 && len(intPart) <= 5 {
			if f, err := strconv.ParseFloat(s, 64); err == nil && f >= 1 {
				return excelEpoch.AddDate(0, 0, int(math.Floor(f))).Format(time.DateOnly), true
			}
		}
	}
	s = strings.TrimSuffix(strings.TrimSuffix(s, "まで"), "迄")
	t, _, err := wareki.ParseDate(s)
	if err != nil {
		return "", false
	}
	return t.Format(time.DateOnly), true
}

// asOfDate finds a date in a note such as 「令和8年10月1日時点」 or
// 「更新日：2026/10/01」.
var asOfDate = regexp.MustCompile(`((?:令和|平成|R|H)?[0-9元]{1,4}[年./\-][0-9]{1,2}[月./\-][0-9]{1,2}日?)`)

// asOf reads the list's date from the notes above the header: the first
// cell that says 時点, 現在 or 更新 and holds a date.
func asOf(notes []sheet.Row) string {
	for _, r := range notes {
		for _, c := range r.Cells {
			c = norm.NFKC.String(c)
			if !strings.Contains(c, "時点") && !strings.Contains(c, "現在") && !strings.Contains(c, "更新") {
				continue
			}
			if m := asOfDate.FindString(strings.ReplaceAll(c, " ", "")); m != "" {
				if t, _, err := wareki.ParseDate(m); err == nil {
					return t.Format(time.DateOnly)
				}
			}
		}
	}
	return ""
}

// clean trims a cell and folds full-width letters and digits (ＡＢＣ１２３)
// to their ASCII forms, as the lists mix both.
func clean(s string) string {
	return strings.TrimSpace(norm.NFKC.String(s))
}

// fold is Key for header names: width and case folded, white space removed.
func fold(s string) string { return Key(s) }

// Key normalises a registration number for matching (mamori.ListKey).
func Key(s string) string { return mamori.ListKey(s) }

// NameKey is the key for matching a service without a registration
// number (mamori.ListNameKey).
func NameKey(provider, service string) string { return mamori.ListNameKey(provider, service) }
