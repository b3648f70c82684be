package ismaplist_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/encoding/japanese"

	"mamori"
	"mamori/internal/ismaplist"
)

// publishedCSV mirrors the published list: a title and notes above the
// header, the header's names as the operator writes them (one broken over
// two lines, as Excel exports it), full-width numbers and wareki dates
// beside ISO ones.
const publishedCSV = "ISMAPクラウドサービスリスト,,,,,\n" +
	"令和8年10月1日時点,,,,,\n" +
	"※登録の有効期限は、監査の対象期間の末日の翌日から起算して1年4か月を経過する日までです。,,,,,\n" +
	",,,,,\n" +
	"登録番号,\"クラウドサービスの\n名称\",クラウドサービス事業者の名称,言明の対象範囲,登録日,有効期限\n" +
	"C20-0001-1,Ａクラウド基盤,株式会社エー,IaaS,2021-03-12,2027-06-30\n" +
	"Ｃ２１－００４５－２,Ｂ文書管理,Ｂ株式会社,SaaS,令和3年9月1日,令和9年3月31日\n" +
	"C22-0100-1,Cメール,C合同会社,SaaS,2022/4/1,2026/9/30\n"

func TestParseCSV(t *testing.T) {
	ctx := context.Background()
	sjis, err := japanese.ShiftJIS.NewEncoder().Bytes([]byte(publishedCSV))
	if err != nil {
		t.Fatal(err)
	}
	for name, data := range map[string][]byte{
		"utf8":  []byte(publishedCSV),
		"bom":   append([]byte("\xef\xbb\xbf"), publishedCSV...),
		"sjis":  sjis,
		"crlf":  []byte(strings.ReplaceAll(publishedCSV, "\n", "\r\n")),
		"xlsx":  workbook(t, publishedCSV, false),
		"xlsx2": workbook(t, publishedCSV, true),
	} {
		t.Run(name, func(t *testing.T) {
			file := "ismap.csv"
			if strings.HasPrefix(name, "xlsx") {
				file = "ismap.xlsx"
			}
			l, err := ismaplist.Parse(ctx, file, data, mamori.Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if l.AsOf != "2026-10-01" || l.HeaderRow != 5 || len(l.Entries) != 3 {
				t.Fatalf("as of %q, header row %d, %d entries", l.AsOf, l.HeaderRow, len(l.Entries))
			}
			if a := l.Entries[0]; a.ValidUntil != "2027-06-30" || a.RegisteredOn != "2021-03-12" {
				t.Errorf("entry %+v", a)
			}
			b := l.Entries[1]
			if b.RegistrationNumber != "C21-0045-2" || b.Service != "B文書管理" || b.Provider != "B株式会社" ||
				b.RegisteredOn != "2021-09-01" || b.ValidUntil != "2027-03-31" || b.Row != 7 {
				t.Errorf("entry %+v", b)
			}
			if c := l.Entries[2]; c.ValidUntil != "2026-09-30" || c.RegisteredOn != "2022-04-01" {
				t.Errorf("entry %+v", c)
			}
		})
	}
}

// workbook writes the CSV's rows to an .xlsx whose first sheet is a cover
// page without the list; dates are typed as Excel dates when serial.
func workbook(t *testing.T, csvText string, serial bool) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	f.SetCellValue("Sheet1", "A1", "表紙")
	if _, err := f.NewSheet("リスト"); err != nil {
		t.Fatal(err)
	}
	rows := strings.Split(strings.TrimSuffix(strings.ReplaceAll(csvText, "\"クラウドサービスの\n名称\"", "クラウドサービスの¶名称"), "\n"), "\n")
	for i, line := range rows {
		for j, v := range strings.Split(line, ",") {
			cell, _ := excelize.CoordinatesToCellName(j+1, i+1)
			if serial && (j == 4 || j == 5) && i > 4 && strings.HasPrefix(v, "20") && strings.Contains(v, "-") {
				f.SetCellValue("リスト", cell, mustDate(t, v))
				continue
			}
			if v != "" {
				f.SetCellValue("リスト", cell, strings.ReplaceAll(v, "¶", "\n"))
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseRefusals(t *testing.T) {
	ctx := context.Background()
	head := "令和8年10月1日時点\n登録番号,クラウドサービスの名称,クラウドサービス事業者の名称,登録日,有効期限\n"
	for name, c := range map[string]struct {
		file, text string
		want       []string
	}{
		"no header":    {"a.csv", "番号,名前\n1,x\n", []string{"a.csv", "登録番号"}},
		"blank number": {"b.csv", head + ",S,P,2021-01-01,2027-01-01\n", []string{"b.csv", "row 3", "column A「登録番号」", "is blank"}},
		"bad date":     {"c.csv", head + "C1,S,P,2021-01-01,いつか\n", []string{"row 3", "column E「有効期限」", `value "いつか"`, "not a date"}},
		"duplicate":    {"d.csv", head + "C1,S,P,2021-01-01,2027-01-01\nｃ１,T,Q,2021-01-01,2027-01-01\n", []string{"row 4", "same registration number as row 3"}},
		"backwards":    {"e.csv", head + "C1,S,P,2027-01-01,2021-01-01\n", []string{"row 3", "before the registration date"}},
		"empty":        {"f.csv", head, []string{"no services"}},
		"extension":    {"g.txt", head, []string{"g.txt", ".xlsx or .csv"}},
		"no validity":  {"h.csv", head + "C1,S,P,2021-01-01,\n", []string{"column E「有効期限」", "is blank"}},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ismaplist.Parse(ctx, c.file, []byte(c.text), mamori.Limits{})
			if err == nil {
				t.Fatal("accepted")
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%v: does not say %q", err, w)
				}
			}
			if mamori.KindOf(firstErr(err)) != mamori.Invalid {
				t.Errorf("kind %v", mamori.KindOf(err))
			}
		})
	}
}

func firstErr(err error) error {
	var p mamori.Problems
	if errors.As(err, &p) && len(p) > 0 {
		return p[0]
	}
	return err
}

func TestParseLimits(t *testing.T) {
	_, err := ismaplist.Parse(context.Background(), "big.csv", []byte(publishedCSV), mamori.Limits{FileBytes: 100})
	if !errors.Is(err, mamori.ErrLimit) {
		t.Errorf("%v: not a limit refusal", err)
	}
}

func TestKey(t *testing.T) {
	for in, want := range map[string]string{
		"Ｃ２１－００４５－２":    "C21-0045-2",
		" c21 ‐0045‐2 ": "C21-0045-2",
		"C21ー0045ー2":    "C21-0045-2",
	} {
		if got := ismaplist.Key(in); got != want {
			t.Errorf("Key(%q) = %q, want %q", in, got, want)
		}
	}
	if ismaplist.NameKey("Ｂ株式会社", "Ｂ文書 管理") != ismaplist.NameKey("B株式会社", "B文書管理") {
		t.Error("name keys differ by width and spaces")
	}
	if ismaplist.NameKey("A", "BC") == ismaplist.NameKey("AB", "C") {
		t.Error("provider and service run together")
	}
}

func TestParseKind(t *testing.T) {
	for in, want := range map[string]ismaplist.Kind{"ismap": ismaplist.ISMAP, "ISMAP-LIU": ismaplist.LIU, "ismap_liu": ismaplist.LIU} {
		if k, err := ismaplist.ParseKind(in); err != nil || k != want {
			t.Errorf("ParseKind(%q) = %q, %v", in, k, err)
		}
	}
	if _, err := ismaplist.ParseKind("iso27001"); err == nil {
		t.Error("accepted iso27001")
	}
}

// FuzzParse: any bytes as CSV or workbook give a list or an error, never
// a panic, and every entry it gives is complete.
func FuzzParse(f *testing.F) {
	f.Add([]byte(publishedCSV), false)
	f.Add([]byte("登録番号,クラウドサービス名,事業者名,有効期限\nX,Y,Z,R8.1.1\n"), false)
	f.Add([]byte("PK\x03\x04"), true)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		name := "f.csv"
		if xlsx {
			name = "f.xlsx"
		}
		l, err := ismaplist.Parse(context.Background(), name, data, mamori.Limits{FileBytes: 1 << 20, Rows: 1000})
		if err != nil {
			return
		}
		for _, e := range l.Entries {
			if e.Key() == "" || e.Service == "" || e.Provider == "" || len(e.ValidUntil) != 10 {
				t.Fatalf("incomplete entry %+v", e)
			}
		}
	})
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}
