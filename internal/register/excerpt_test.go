package register_test

import (
	"errors"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/register"
	"mamori/internal/store/storetest"
)

// TestHugeValueShortMessage: a refused value is quoted by a short prefix
// only. A 2 MB cell used to come back twice, in Japanese and in English, in
// every message naming it (issue 12, item 7).
func TestHugeValueShortMessage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	// Under the limit on a cell's length (32,767 characters), so every
	// check sees the values; 90 KB of UTF-8 each.
	huge := strings.Repeat("長", 30_000)
	for name, data := range map[string]string{
		// An unknown header, a code too long, a reference to nothing, a name too long.
		"systems.csv": "台帳番号,所管組織コード,情報システム名,台帳記載,区分,稼働状況," + huge + "\r\n" +
			huge + "," + huge + "," + huge + ",はい,その他,稼働中,\r\n" +
			"S2," + huge + ",名称,はい,その他,稼働中,\r\n",
		// A 2.1 MB cell is refused by the limit, which quotes no value.
		"components.csv": "構成要素番号,名称\r\nC1," + strings.Repeat("長", 700_000) + "\r\n",
		"bundle.json": `{"format":"mamori-register","version":1,"systems":[{"code":"S1","org_code":"` + huge +
			`","name":"` + huge + `","in_register":"` + huge + `","class":"` + huge + `"}],"` + huge + `":[]}`,
	} {
		_, err := register.Import(t.Context(), s, []register.Input{{Name: name, Data: []byte(data)}})
		probs, ok := errors.AsType[mamori.Problems](err)
		if !ok {
			t.Fatalf("Import(%s) = %v, want problems", name, err)
		}
		if len(probs) < 3 && name != "components.csv" {
			t.Errorf("Import(%s): %d problems, want at least 3: %v", name, len(probs), err)
		}
		var text strings.Builder
		for _, p := range probs {
			text.WriteString(p.Bilingual())
			text.WriteString(p.Loc.Value)
			text.WriteString("\n")
		}
		text.WriteString(err.Error())
		if n := text.Len(); n > 8<<10 {
			t.Errorf("Import(%s): %d problems in %d bytes of text, want under 8 KiB; begins %.300s", name, len(probs), n, text.String())
		}
		if name == "components.csv" && !strings.Contains(text.String(), "セルの文字数が上限 32,767 文字を超えています") {
			t.Errorf("Import(%s): the limit is not named: %.300s", name, text.String())
		}
		if !strings.Contains(text.String(), "長長長長長長長長…") && name != "components.csv" {
			t.Errorf("Import(%s): the value's prefix is not quoted: %.300s", name, text.String())
		}
	}
}
