package web_test

import (
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"mamori/internal/catalog"
	"mamori/internal/i18n"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

var (
	// templateKey finds {{t "key" …}} and (t "key" …) in a template.
	templateKey = regexp.MustCompile(`(?:\{\{-?|\()\s*t\s+"([^"]+)"`)
	// goKey finds .T("key", …) and .MustT("key", …) in Go code; a key
	// built by concatenation ("area.kind." + x) ends in "+" and is checked
	// through dynamicKeys instead.
	goKey = regexp.MustCompile(`\.(?:MustT|T)\(\s*"([^"]+)"\s*[,)]`)
)

// dynamicKeys are the messages the Go code names by building their keys
// (statusTitles, countermeasure, severity, targetLabel), which the regexps
// cannot see.
func dynamicKeys() []string {
	keys := []string{
		"errors.status.badrequest", "errors.status.unauthorized", "errors.status.forbidden",
		"errors.status.notfound", "errors.status.conflict", "errors.status.internal",
	}
	for _, k := range []string{"patched", "mitigated", "planned", "accepted", "none"} {
		keys = append(keys, "system.cm."+k)
	}
	for _, s := range catalog.Severities {
		keys = append(keys, "findings.severity."+s)
	}
	for _, tt := range catalog.Targets {
		keys = append(keys, "findings.target."+tt)
	}
	return keys
}

// TestCatalogKeysExist checks every message a template or handler asks for
// is in the catalogs, so no page shows a bare message ID.
func TestCatalogKeysExist(t *testing.T) {
	known, err := i18n.Keys()
	if err != nil {
		t.Fatal(err)
	}
	used := map[string][]string{} // key → files using it
	scan := func(pattern string, re *regexp.Regexp) {
		files, err := filepath.Glob(pattern)
		if err != nil || len(files) == 0 {
			t.Fatalf("no files match %s (%v)", pattern, err)
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(data), -1) {
				used[m[1]] = append(used[m[1]], f)
			}
		}
	}
	scan("templates/*.html", templateKey)
	scan("*.go", goKey)
	for _, k := range dynamicKeys() {
		used[k] = append(used[k], "(built in Go)")
	}
	// The scan must see the pages' keys at all, or it would pass vacuously.
	for _, k := range []string{"system.components", "findings.summary.range", "errors.requestid", "system.title", "findings.title"} {
		if used[k] == nil {
			t.Errorf("the scan did not find %q; is the regexp still right?", k)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(used)) {
		if _, found := slices.BinarySearch(known, k); !found {
			files := slices.Compact(slices.Sorted(slices.Values(used[k])))
			t.Errorf("message %q (used in %s) is not in the catalogs", k, strings.Join(files, ", "))
		}
	}
}

// TestConvertedTemplatesHaveNoJapanese checks the converted pages take all
// their text from the catalogs: a Japanese literal would show on the
// English page.
func TestConvertedTemplatesHaveNoJapanese(t *testing.T) {
	for _, name := range []string{"system.html", "findings.html", "error.html", "register.html", "register_list.html", "register_record.html"} {
		data, err := os.ReadFile(filepath.Join("templates", name))
		if err != nil {
			t.Fatal(err)
		}
		if s := japaneseIn(string(data)); s != "" {
			t.Errorf("templates/%s has Japanese text: %s", name, s)
		}
	}
}

// isJapanese reports whether r is a kana, a kanji or Japanese punctuation
// (「」、（） and the other full-width forms).
func isJapanese(r rune) bool {
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana) ||
		r >= 0x3000 && r <= 0x303f || r >= 0xff00 && r <= 0xffef
}

// japaneseIn returns the first Japanese text in s with some context, or "".
func japaneseIn(s string) string {
	i := strings.IndexFunc(s, isJapanese)
	if i < 0 {
		return ""
	}
	return strings.TrimSpace(s[max(0, i-80):min(len(s), i+80)])
}

// fixtureValues are the fixture's own Japanese data, which an English page
// shows as it is. Longer values come first so a value containing another is
// removed whole.
var fixtureValues = []string{
	"人事給与システム保守業務", "人事給与システム", "情報流通行政局", "株式会社テスト", "山田太郎", "デジタル庁", "総務省", "APサーバ",
	"通話録音装置", "電子申請", "特急", "受付",
	// The language switch names Japanese in Japanese, marked lang="ja".
	`lang="ja">日本語`,
}

// TestEnglishPages renders the converted pages in English: their headings
// and labels are English, and nothing Japanese shows but the data itself.
func TestEnglishPages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "admin", "ORG-A", "ORG-C")
	cases := []struct {
		url    string
		status int
		want   []string
	}{
		{"/systems/S001?lang=en", 200, []string{
			`<html lang="en">`, "<title>人事給与システム | System register | mamori</title>",
			`<a href="/systems">System register</a>`,
			`<th scope="row">Register number</th>`, `<th scope="row">Personal information</th>`,
			"<td>Yes</td>", "<td>No</td>", `<a href="/systems?org=ORG-A">総務省 (ORG-A)</a>`, "山田太郎 (P1)",
			"2019-05-01 (Reiwa 1)", `<h2 id="components">Components <span class="count">1–100 of 105 (page 1 of 2)</span></h2>`,
			"<h2 id=\"costs\">Costs</h2>", "FY2025 (Reiwa 7)", "¥12,345,678", "¥1,000,000",
			"<h2 id=\"contracts\">Contracts <span class=\"count\">1 in all</span></h2>",
			`<h2 id="findings">Findings <span class="count">2 open</span></h2>`, ">High<", ">Medium<",
			`<h2 id="vulns">Vulnerabilities <span class="count">1 open</span></h2>`, "KEV due date", "2021-12-24 (Reiwa 3)", "<td>None</td>",
			`<h2 id="software">Software <span class="count">1 in all</span></h2>`, "SBOM K0001",
			"No plans cover this system.",
		}},
		{"/systems/S003?lang=en", 200, []string{
			`<td>No <span class="badge badge-alert">Not in register</span></td>`, "No costs are registered.",
			"No contracts are linked to this system.",
		}},
		{"/systems/S002?lang=en", 200, []string{
			`<span class="none">—</span> <span class="badge badge-warn">No SystemID</span>`, "No components are registered.",
		}},
		{"/findings?lang=en", 200, []string{
			"<title>Findings | mamori</title>", "<h1>Findings</h1>", "Showing 1–2 of 2 (page 1 of 1)",
			`<option value="">Any</option>`, `<option value="open" selected>Open</option>`, "<button type=\"submit\">Filter</button>",
			`<span class="sub">Component</span>`, `<span class="sub">System</span>`, "<th scope=\"col\">Severity</th>",
		}},
		{"/findings?lang=en&org=ORG-A&control=LG-01&status=all", 200, []string{
			"Organization: 総務省 (ORG-A)", "Control: LG-01 ", "Showing 1–1 of 1",
		}},
		{"/findings?lang=en&control=REG-03&org=ORG-C", 200, []string{"0 in all", "No findings match."}},
		{"/systems/NOPE?lang=en", 404, []string{"<h1>Page not found</h1>", `<p class="message">system &#34;NOPE&#34; not found</p>`,
			"Back to the system register"}},
		{"/nowhere?lang=en", 404, []string{"<title>Page not found | mamori</title>", `<p class="message">page not found</p>`}},
		{"/findings?lang=en&status=closed", 400, []string{"<h1>The request is not valid</h1>", "parameter status must be open, resolved or all"}},
	}
	for _, c := range cases {
		rec := do(h, "GET", c.url, "", nil)
		body := rec.Body.String()
		if rec.Code != c.status {
			t.Errorf("GET %s: status %d, want %d", c.url, rec.Code, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q in\n%s", c.url, w, body)
			}
		}
		rest := body
		for _, v := range fixtureValues {
			rest = strings.ReplaceAll(rest, v, "")
		}
		if s := japaneseIn(rest); s != "" {
			t.Errorf("GET %s: Japanese on the English page: %s", c.url, s)
		}
	}
}

// TestJapanesePages checks the same pages in the default language: the
// catalog's Japanese headings, and values in the Japanese forms.
func TestJapanesePages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "admin", "ORG-A", "ORG-C")
	cases := []struct {
		url    string
		status int
		want   []string
	}{
		{"/systems/S001", 200, []string{
			`<html lang="ja">`, `<nav class="breadcrumb" aria-label="パンくずリスト">`,
			`<h2 id="components">構成要素 <span class="count">全105件中 1〜100件目（1/2ページ）</span></h2>`,
			`<h2 id="costs">経費</h2>`, `<h2 id="contracts">契約 <span class="count">全1件</span></h2>`,
			`<h2 id="findings">指摘事項 <span class="count">未解決 2件</span></h2>`,
			`<h2 id="vulns">脆弱性 <span class="count">未解決 1件</span></h2>`,
			`<h2 id="software">ソフトウェア <span class="count">1件</span></h2>`, `<h2 id="plans">計画</h2>`,
			"令和元年5月1日（2019-05-01）", "令和7年度（2025年度）", "1234万5678円", "100万円", ">高<", ">中<",
			"<td>未対応</td>", `<td>はい</td>`,
		}},
		{"/findings", 200, []string{
			"<title>指摘事項 | mamori</title>", "<h1>指摘事項</h1>", "全2件中 1〜2件目を表示（1/1ページ）",
			`<label for="status">状態</label>`, `<button type="submit">絞り込む</button>`, `<span class="sub">構成要素</span>`,
		}},
		{"/systems/NOPE", 404, []string{
			"<h1>ページが見つかりません</h1>", `<p class="message">情報システム「NOPE」は見つかりません</p>`,
			`<p class="en" lang="en">system &#34;NOPE&#34; not found</p>`, "情報システム台帳へ戻る",
		}},
	}
	for _, c := range cases {
		rec := do(h, "GET", c.url, "", nil)
		body := rec.Body.String()
		if rec.Code != c.status {
			t.Errorf("GET %s: status %d, want %d", c.url, rec.Code, c.status)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q in\n%s", c.url, w, body)
			}
		}
	}
}

// TestFindingsFilterOrgName checks the findings filter names its
// organization only to a user who may see it: a guessed code of another
// ministry shows as typed, never with the ministry's name.
func TestFindingsFilterOrgName(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "c", "ORG-C")
	for _, u := range []string{"/findings?org=ORG-A", "/findings?org=ORG-A&lang=en"} {
		body := do(h, "GET", u, "", nil).Body.String()
		if strings.Contains(body, "総務省") || !strings.Contains(body, "ORG-A") {
			t.Errorf("GET %s as a user of ORG-C: want the code ORG-A and not its name:\n%s", u, body)
		}
	}
}

// TestInternalErrorLanguages checks the generic 500 page in both languages:
// its heading and message in the page's language, and the request ID.
func TestInternalErrorLanguages(t *testing.T) {
	s := storetest.OpenSQLite(t)
	h := signIn(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "admin")
	s.Close()
	for _, c := range []struct {
		url     string
		want    []string
		english bool
	}{
		{"/findings?lang=en", []string{"<h1>A server error occurred</h1>", "Something went wrong", "Reference number: <code>"}, true},
		{"/findings", []string{"<h1>サーバでエラーが発生しました</h1>", "処理中に問題が発生しました", `<p class="en" lang="en">Something went wrong`, "受付番号: <code>"}, false},
	} {
		rr := httptest.NewRecorder()
		h.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, c.url, nil))
		body := rr.Body.String()
		if rr.Code != http.StatusInternalServerError {
			t.Errorf("GET %s on a closed store: status %d, want 500", c.url, rr.Code)
		}
		if id := rr.Header().Get("X-Request-Id"); id == "" || !strings.Contains(body, "<code>"+id+"</code>") {
			t.Errorf("GET %s: the page lacks the request ID %q", c.url, id)
		}
		for _, w := range c.want {
			if !strings.Contains(body, w) {
				t.Errorf("GET %s: no %q in\n%s", c.url, w, body)
			}
		}
		if c.english {
			if s := japaneseIn(strings.ReplaceAll(body, `lang="ja">日本語`, "")); s != "" {
				t.Errorf("GET %s: Japanese on the English page: %s", c.url, s)
			}
		}
	}
}
