package register_test

import (
	"errors"
	"regexp"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// importProblems imports the inputs and returns the problems of the
// refusal; it fails the test when the import is accepted.
func importProblems(t *testing.T, s *store.Store, inputs ...register.Input) mamori.Problems {
	t.Helper()
	_, err := register.Import(t.Context(), s, inputs)
	p, ok := errors.AsType[mamori.Problems](err)
	if !ok {
		t.Fatalf("Import = %v, want it refused with problems", err)
	}
	return p
}

func registerItems(t *testing.T, s *store.Store) map[string]string {
	t.Helper()
	e := mamori.EntityByName("register_items")
	out := map[string]string{}
	err := s.Dump(t.Context(), e, func(r mamori.Record) error {
		if r[0] == "R9" {
			out[r[3].(string)] = r[2].(string)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRegisterItemField: register_items.field names a column of the
// systems register. A Japanese header or English header names the same
// column as in a sheet's header row and is stored as the column's name;
// any other name is refused, naming the row and the names allowed, and
// nothing is written.
func TestRegisterItemField(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ok := "基準の版,項番,対応項目,記載事項\nR9,1,管理課室,管理課室\nR9,2,Configuration,システム構成\nR9,3,data_location,情報の保存場所\n"
		if _, err := register.Import(t.Context(), s, []register.Input{{Name: "台帳記載事項.csv", Data: []byte(ok)}}); err != nil {
			t.Fatalf("Import = %v", err)
		}
		want := map[string]string{"管理課室": "managing_section", "システム構成": "configuration", "情報の保存場所": "data_location"}
		if got := registerItems(t, s); !equalMaps(got, want) {
			t.Errorf("register items stored = %v, want %v", got, want)
		}
		bad := "基準の版,項番,対応項目,記載事項\nR9,4,管理部署,管理部署\n"
		p := importProblems(t, s, register.Input{Name: "台帳記載事項.csv", Data: []byte(bad)})
		if len(p) != 1 || p[0].Loc.Row != 2 || p[0].Loc.Value != "管理部署" ||
			!strings.Contains(p[0].MessageJA, "管理課室") || !strings.Contains(p[0].Message, "managing_section") {
			t.Errorf("problems = %v (ja: %v)", p, jaOf(p))
		}
		bundle := `{"format":"mamori-register","version":1,"register_items":[{"edition":"R9","item_no":5,"field":"no_such_field","name":"x"}]}`
		p = importProblems(t, s, register.Input{Name: "b.json", Data: []byte(bundle)})
		if len(p) != 1 || p[0].Loc.Row != 1 || p[0].Loc.Value != "no_such_field" || !strings.Contains(p[0].Message, "managing_section") {
			t.Errorf("problems = %v", p)
		}
		if got := registerItems(t, s); !equalMaps(got, want) {
			t.Errorf("refused imports changed the register items: %v", got)
		}
	})
}

func equalMaps(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func jaOf(p mamori.Problems) []string {
	var out []string
	for _, e := range p {
		out = append(out, e.Bilingual())
	}
	return out
}

// TestJSONOmittedKeepsStoredValues: a JSON record that leaves a field out
// keeps its stored value, as a CSV file without the column does; null or
// "" clears it.
func TestJSONOmittedKeepsStoredValues(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		e := mamori.EntityByName("organizations")
		get := func() mamori.Record {
			t.Helper()
			r, err := s.Get(t.Context(), e, "M01")
			if err != nil {
				t.Fatal(err)
			}
			return r
		}
		imp := func(records string) {
			t.Helper()
			in := `{"format":"mamori-register","version":1,"organizations":[` + records + `]}`
			if _, err := register.Import(t.Context(), s, []register.Input{{Name: "b.json", Data: []byte(in)}}); err != nil {
				t.Fatalf("Import(%s) = %v", records, err)
			}
		}
		imp(`{"code":"M01","kind":"ministry","name":"総務省","name_en":"MIC","csirt_documented":true}`)
		// Two records with different fields in one array: each keeps what it omits.
		imp(`{"code":"M01","kind":"ministry","name":"総務省(改)"},{"code":"M02","kind":"ministry","name":"法務省","name_en":"MOJ"}`)
		r := get()
		if r[e.FieldIndex("name")] != "総務省(改)" || r[e.FieldIndex("name_en")] != "MIC" || r[e.FieldIndex("csirt_documented")] != true {
			t.Errorf("after a record omitting name_en and csirt_documented: %v", r)
		}
		imp(`{"code":"M01","kind":"ministry","name":"総務省","name_en":null,"csirt_documented":""}`)
		r = get()
		if r[e.FieldIndex("name_en")] != nil || r[e.FieldIndex("csirt_documented")] != nil {
			t.Errorf("after null and \"\": %v, want both cleared", r)
		}
	})
}

// TestRejectedRowReferences: a row that refers to a row refused earlier in
// the same import says so, rather than that no such record exists.
func TestRejectedRowReferences(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		orgs := "組織コード,種別,名称\nM01,府省庁,総務省\nHQ01,本省ではない,本省\n"
		people := "職員コード,所属組織コード,氏名,在職状況\nP1,HQ01,山田,在職\nP2,NOPE,田中,在職\n"
		p := importProblems(t, s, register.Input{Name: "organizations.csv", Data: []byte(orgs)},
			register.Input{Name: "people.csv", Data: []byte(people)})
		var hq, nope *mamori.Error
		for _, e := range p {
			switch e.Loc.Value {
			case "HQ01":
				hq = e
			case "NOPE":
				nope = e
			}
		}
		if hq == nil || !strings.Contains(hq.MessageJA, "却下") || !strings.Contains(hq.Message, "rejected above") ||
			!strings.Contains(hq.Message, "organizations.csv") || strings.Contains(hq.Message, "no organization") {
			t.Errorf("reference to the rejected HQ01: %v", hq)
		}
		if nope == nil || !strings.Contains(nope.Message, "no organization") {
			t.Errorf("reference to NOPE, which is nowhere: %v", nope)
		}
	})
}

// englishWord finds Latin words in a Japanese message outside 「」, which
// quote the user's own values, column names and keys.
var (
	quoted      = regexp.MustCompile(`「[^「」]*」`)
	fileName    = regexp.MustCompile(`[\w.-]+\.(csv|json|xlsx|txt)\b`)
	englishWord = regexp.MustCompile(`[A-Za-z][A-Za-z_]+`)
	// allowed are names a Japanese text uses as they are.
	allowed = map[string]bool{"Excel": true, "CSV": true, "JSON": true, "xlsx": true, "csv": true, "json": true,
		"UTF": true, "Shift_JIS": true, "MiB": true, "ID": true, "CPE": true, "IT": true, "BCP": true, "CSIRT": true}
)

// TestJapaneseMessages walks every problem and warning that a set of bad
// inputs produce: the Japanese half (with its location) holds no English,
// quotes a value once, and calls a JSON array an array, not a sheet.
func TestJapaneseMessages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	csv := func(name, text string) register.Input { return register.Input{Name: name, Data: []byte(text)} }
	bundle := func(body string) register.Input {
		return register.Input{Name: "b.json", Data: []byte(`{"format":"mamori-register","version":1,` + body + `}`)}
	}
	cases := [][]register.Input{
		{csv("x.txt", "")},
		{csv("x.xlsx", "not a workbook")},
		{csv("organizations.csv", "")},
		{csv("organizations.csv", "\xff\xfe\x00")},
		{csv("unknown.csv", "a,b\n1,2\n")},
		{csv("organizations.csv", "組織コード,名称,謎の列\nA,本省\n")},
		{csv("organizations.csv", "組織コード,種別,名称,名称\nA,府省庁,x,y\n")},
		{csv("organizations.csv", "組織コード,種別,名称\nA,府省庁,x,extra\nA,府省庁,y\nB,x,\"a\x01b\"\nC,府省庁,\n")},
		{csv("organizations.csv", "組織コード,種別,名称\nM01,府省庁,総務省\nHQ01,本省ではない,本省\n"),
			csv("people.csv", "職員コード,所属組織コード,氏名,在職状況\nP1,HQ01,山田,在職\nP2,NOPE,田中,在職\n")},
		{csv("contracts.csv", "契約番号,年度,金額(円)\nC1,令和99年度,約\n")},
		{csv("system_costs.csv", "台帳番号,年度,区分,金額(円)\nS1,平成33年度,整備経費,8億余円\nS2,令和7年度,整備経費,たくさん\n")},
		{csv("systems.csv", "台帳番号,所管組織コード,情報システム名,台帳記載,区分,稼働状況,稼働開始日\nS1,NOPE,x,はい,情報システム,稼働中,平成33年4月1日\nS2,NOPE,x,かも,x,x,2025-02-30\n")},
		{csv("台帳記載事項.csv", "基準の版,項番,対応項目,記載事項\nR9,1,管理部署,x\nR9,100,name,x\n")},
		{register.Input{Name: "b.json", Data: []byte(`{`)}},
		{register.Input{Name: "b.json", Data: []byte(`[1]`)}},
		{register.Input{Name: "b.json", Data: []byte(`{"format":"x","version":1}`)}},
		{register.Input{Name: "b.json", Data: []byte(`{"format":"mamori-register","version":2}`)}},
		{bundle(`"things":[], "organizations":{}`)},
		{bundle(`"organizations":[{"code":"A","kind":"ministry","name":3,"colour":1},{"code":"B","kind":"省","name":"x","csirt_documented":"maybe"},{"code":"C","kind":"ministry","name":[1]},{"code":"D","kind":"ministry"}]`)},
		{bundle(`"organizations":[{"code":"A","kind":"ministry","name":"x"},{"code":"A","kind":"ministry","name":"y"}],"people":[{"code":"P","org_code":"NOPE","name":"x"}]`)},
		{bundle(`"register_items":[{"edition":"R9","item_no":1,"field":"管理部署","name":"x"}]`)},
	}
	seen := 0
	for _, in := range cases {
		res, err := register.Import(t.Context(), s, in)
		var all []*mamori.Error
		if p, ok := errors.AsType[mamori.Problems](err); ok {
			all = append(all, p...)
		} else if err != nil {
			t.Errorf("Import(%s) = %v, want problems", in[0].Name, err)
		}
		all = append(all, res.Warnings...)
		for _, e := range all {
			seen++
			ja := e.Bilingual()
			ja = ja[:len(ja)-len(" / "+e.Error())]
			rest := quoted.ReplaceAllString(fileName.ReplaceAllString(ja, ""), "")
			for _, w := range englishWord.FindAllString(rest, -1) {
				if !allowed[w] {
					t.Errorf("English %q in the Japanese half %q", w, ja)
				}
			}
			if strings.Contains(ja, "「\"") || strings.Contains(ja, "\"」") || strings.Contains(ja, "\"") {
				t.Errorf("value quoted twice in %q", ja)
			}
			if strings.HasSuffix(e.Loc.File, ".json") && strings.Contains(ja, "シート") {
				t.Errorf("a JSON array called a sheet: %q", ja)
			}
			if e.MessageJA == "" || e.Message == "" {
				t.Errorf("%v lacks a Japanese or English message", e)
			}
		}
	}
	if seen < 30 {
		t.Errorf("only %d messages seen; the cases do not reach the importer's messages", seen)
	}
}
