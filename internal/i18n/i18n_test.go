package i18n

import (
	"encoding/json"
	"io/fs"
	"regexp"
	"strings"
	"testing"
	"time"
)

func TestCatalogsLoad(t *testing.T) {
	b, err := New()
	if err != nil {
		t.Fatal(err)
	}
	keys, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	if len(keys) == 0 {
		t.Fatal("no messages")
	}
	for _, lang := range Langs {
		for _, k := range keys {
			if _, err := b.For(lang).T(k); err != nil {
				t.Errorf("%s: %v", lang, err)
			}
		}
	}
	if _, err := b.For(JA).T("no.such.message"); err == nil {
		t.Error("a missing message is not an error")
	}
}

func TestFormats(t *testing.T) {
	b := MustNew()
	ja, en := b.For(JA), b.For(EN)
	d := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct{ got, want string }{
		{ja.Date(d), "令和7年4月1日（2025-04-01）"},
		{en.Date(d), "2025-04-01 (Reiwa 7)"},
		{ja.DateString("2019-05-01"), "令和元年5月1日（2019-05-01）"},
		{ja.DateString("2019-04-30"), "平成31年4月30日（2019-04-30）"},
		{ja.DateString("not a date"), "not a date"},
		{ja.DateString(""), ""},
		{ja.FiscalYear(2019), "令和元年度（2019年度）"},
		{ja.FiscalYear(2018), "平成30年度（2018年度）"},
		{en.FiscalYear(2019), "FY2019 (Reiwa 1)"},
		{en.FiscalYear(2018), "FY2018 (Heisei 30)"},
		{ja.Money(856_390_000), "8億5639万円"},
		{ja.Money(1234), "1234円"},
		{en.Money(856_390_000), "¥856,390,000"},
		{ja.Number(1234567), "1,234,567"},
		{en.Percent(0.125), "12.5%"},
		{ja.Percent(0.0003), "0.1%未満"},
		{en.Percent(0.0003), "under 0.1%"},
		{ja.Percent(0), "0.0%"},
		{ja.YesNo(true), "はい"},
		{en.YesNo(false), "No"},
		{en.Pick("閲覧者", "viewer"), "viewer"},
		{en.Pick("閲覧者", ""), "閲覧者"},
		{"政府" + ja.Paren("G") + ja.ListSep() + "岐阜県" + ja.Paren("P21"), "政府（G）、岐阜県（P21）"},
		{"Government" + en.Paren("G") + en.ListSep() + "Gifu" + en.Paren("P21"), "Government (G), Gifu (P21)"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	// Counts in messages are written with separators, and still choose
	// the plural form.
	if s, _ := ja.T("admin.orgs.summary", "Count", 1234, "Depth", 2); s != "1,234組織を表示（2階層下まで）" {
		t.Errorf("ja count = %q", s)
	}
	if s, _ := en.T("admin.orgs.summary", "Count", int64(1234), "Depth", 2); s != "1,234 organizations shown (2 levels down)" {
		t.Errorf("en count = %q", s)
	}
	if s, _ := en.T("admin.orgs.summary", "Count", 1, "Depth", 2); s != "1 organization shown (2 levels down)" {
		t.Errorf("en count of one = %q", s)
	}
	if s, _ := ja.T("layout.nav.systems"); s != "情報システム台帳" {
		t.Errorf("ja nav = %q", s)
	}
	if s, _ := en.T("layout.nav.systems"); s != "System register" {
		t.Errorf("en nav = %q", s)
	}
}

func TestNegotiate(t *testing.T) {
	for _, c := range []struct{ choice, accept, want string }{
		{"", "", JA},
		{"en", "", EN},
		{"fr", "en-GB,en;q=0.8", EN},
		{"", "ja,en;q=0.5", JA},
		{"", "fr-FR", JA},
		{"ja", "en", JA},
		{"", "garbage;;;", JA},
	} {
		if got := Negotiate(c.choice, c.accept); got != c.want {
			t.Errorf("Negotiate(%q, %q) = %q, want %q", c.choice, c.accept, got, c.want)
		}
	}
}

// TestImportMessagesJapanese: the import page's Japanese messages hold no
// English words outside quoted names and template fields, and quote a
// value once.
func TestImportMessagesJapanese(t *testing.T) {
	keys, err := Keys()
	if err != nil {
		t.Fatal(err)
	}
	ja := MustNew().For(JA)
	strip := regexp.MustCompile(`「[^「」]*」|\{\{[^}]*\}\}|\.(xlsx|csv|json)\b`)
	word := regexp.MustCompile(`[A-Za-z]{2,}`)
	allowed := map[string]bool{"Excel": true, "CSV": true, "JSON": true, "MiB": true}
	n := 0
	for _, k := range keys {
		if !strings.HasPrefix(k, "import.") {
			continue
		}
		raw, err := ja.T(k, "File", "x", "Count", 1, "Size", 1)
		if err != nil {
			t.Fatal(err)
		}
		n++
		for _, w := range word.FindAllString(strip.ReplaceAllString(raw, ""), -1) {
			if !allowed[w] {
				t.Errorf("%s: English %q in %q", k, w, raw)
			}
		}
		if strings.Contains(raw, `"`) {
			t.Errorf("%s: ASCII quotes in %q", k, raw)
		}
	}
	if n < 20 {
		t.Errorf("only %d import messages walked", n)
	}
}

// TestEveryMessageTakesAnyCount: a message that shows a {{.Count}} is given
// it and chooses its plural form by it, so one that holds no form for a
// count of one (a plain string, in English) fails the page that shows
// "1 course". Every such message of every language is rendered with the
// counts a page can pass.
func TestEveryMessageTakesAnyCount(t *testing.T) {
	files, err := fs.Glob(localeFS, "locales/*.json")
	if err != nil {
		t.Fatal(err)
	}
	b := MustNew()
	n := 0
	for _, f := range files {
		data, err := localeFS.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]json.RawMessage
		if err := json.Unmarshal(data, &m); err != nil {
			t.Fatal(err)
		}
		lang := JA
		if strings.HasSuffix(f, ".en.json") {
			lang = EN
		}
		for k, raw := range m {
			if !strings.Contains(string(raw), "{{.Count}}") {
				continue
			}
			n++
			for _, c := range []any{0, 1, 2, int64(1), int64(1234)} {
				if _, err := b.For(lang).T(k, "Count", c); err != nil {
					t.Errorf("%s with Count %v: %v", f, c, err)
				}
			}
		}
	}
	if n < 20 {
		t.Errorf("only %d messages with a count walked", n)
	}
}
