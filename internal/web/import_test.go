package web_test

import (
	"bytes"
	"flag"
	"io"
	"log/slog"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/web"
)

var updateE2E = flag.Bool("update-e2e", false, "rewrite e2e/testdata/bad-register.xlsx")

// e2eWorkbook is the workbook the browser test uploads.
var e2eWorkbook = filepath.Join("..", "..", "e2e", "testdata", "bad-register.xlsx")

// importSession creates a user holding the given grants ("role@ORG") and a
// live full session (a second factor as after enrolment where the role
// needs one), and returns a handler sending its cookie.
func importSession(t *testing.T, s *store.Store, h http.Handler, name string, grants ...string) http.Handler {
	t.Helper()
	return withSession(h, grantedSession(t, s, name, grants...))
}

// upload posts one file as the import form does.
func upload(t *testing.T, h http.Handler, target, name string, data []byte) *httptest.ResponseRecorder {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, err := mw.CreateFormFile("workbook", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	req := httptest.NewRequest("POST", target, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// workbook builds an .xlsx with one sheet per entry: the sheet name, then
// the header row and the data rows.
func workbook(t *testing.T, sheets ...[][]string) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	for i, sh := range sheets {
		name := sh[0][0]
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				t.Fatal(err)
			}
		} else if _, err := f.NewSheet(name); err != nil {
			t.Fatal(err)
		}
		for r, row := range sh[1:] {
			for c, v := range row {
				cell, _ := excelize.CoordinatesToCellName(c+1, r+1)
				if err := f.SetCellStr(name, cell, v); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var systemHeader = []string{"台帳番号", "所管組織コード", "情報システム名", "台帳記載", "区分", "稼働状況", "稼働開始日"}

// badWorkbook has three systems, each wrong in one way: an organization
// that does not exist, a class that is not one, a date that is not one.
// Every other value is valid, so each row makes exactly one problem,
// whatever the register holds.
func badWorkbook(t *testing.T) []byte {
	return workbook(t, [][]string{{"情報システム"}, systemHeader,
		{"E2E-BAD-1", "NO-SUCH-ORG-E2E", "組織違いのシステム", "はい", "情報システム", "稼働中", "2024-04-01"},
		{"E2E-BAD-2", "NO-SUCH-ORG-E2E", "区分違いのシステム", "はい", "存在しない区分", "稼働中", "2024-04-01"},
		{"E2E-BAD-3", "NO-SUCH-ORG-E2E", "日付違いのシステム", "はい", "情報システム", "稼働中", "2024-13-45"},
	})
}

var problemsTable = regexp.MustCompile(`(?s)<table class="[^"]*\bproblems\b[^"]*">.*?<tbody>(.*?)</tbody>`)

// problemRows returns the rows of the problems table.
func problemRows(t *testing.T, body string) []string {
	t.Helper()
	m := problemsTable.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no problems table in\n%s", clipBody(body))
	}
	return strings.Split(m[1], "<tr>")[1:]
}

func registerCounts(t *testing.T, s *store.Store) map[string]int64 {
	t.Helper()
	c, err := s.Counts(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func auditOf(t *testing.T, s *store.Store, actor, action string) []store.AuditEntry {
	t.Helper()
	es, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Actor: actor, Action: action})
	if err != nil {
		t.Fatal(err)
	}
	return es
}

// TestImportPage: the form, the template download, and English headings.
func TestImportPage(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@ORG-A")
	rec := do(h, "GET", "/import", "", nil)
	if rec.Code != 200 {
		t.Fatalf("GET /import = %d\n%s", rec.Code, clipBody(rec.Body.String()))
	}
	body := rec.Body.String()
	for _, want := range []string{`enctype="multipart/form-data"`, `<label for="workbook">`, `type="file" id="workbook" name="workbook"`,
		`<button type="submit">`, `href="/import/template"`, "台帳の取込み", `aria-current="page">取込み`} {
		if !strings.Contains(body, want) {
			t.Errorf("import page lacks %q", want)
		}
	}
	en := do(h, "GET", "/import?lang=en", "", nil).Body.String()
	for _, want := range []string{"Import the register", "File to import", "Download the blank template"} {
		if !strings.Contains(en, want) {
			t.Errorf("English import page lacks %q", want)
		}
	}
	if s := japaneseIn(strings.ReplaceAll(en, `lang="ja">日本語`, "")); s != "" {
		t.Errorf("English import page has Japanese text: %s", s)
	}

	rec = do(h, "GET", "/import/template", "", nil)
	if rec.Code != 200 || !strings.HasPrefix(rec.Header().Get("Content-Disposition"), "attachment;") ||
		!bytes.HasPrefix(rec.Body.Bytes(), []byte("PK")) {
		t.Fatalf("GET /import/template = %d %v, body %.20q", rec.Code, rec.Header(), rec.Body.String())
	}
	if n := len(auditOf(t, s, "officer", "export")); n != 1 {
		t.Errorf("template download: %d export entries in the audit trail, want 1", n)
	}
	// The template itself imports cleanly: it writes nothing.
	rec = upload(t, h, "/import", "template.xlsx", rec.Body.Bytes())
	if rec.Code != 200 || !strings.Contains(rec.Body.String(), "0件を書き込みました") {
		t.Errorf("importing the blank template = %d\n%s", rec.Code, clipBody(rec.Body.String()))
	}
}

// TestImportGood: a valid workbook is written and the import recorded.
func TestImportGood(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@ORG-A")
		data := workbook(t,
			[][]string{{"情報システム"}, systemHeader,
				{"S900", "ORG-A", "新規システム", "はい", "情報システム", "稼働中", "令和6年4月1日"},
				{"S901", "ORG-B", "局のシステム", "はい", "情報システム", "稼働中", ""}},
			[][]string{{"構成要素"}, {"機器番号", "台帳番号", "種別"}, {"K9900", "S001", "サーバ"}})
		rec := upload(t, h, "/import", "register.xlsx", data)
		body := rec.Body.String()
		if rec.Code != 200 {
			t.Fatalf("upload = %d\n%s", rec.Code, clipBody(body))
		}
		for _, want := range []string{"「register.xlsx」から3件を書き込みました", "<th scope=\"row\">情報システム</th><td class=\"num\">2</td>",
			"<th scope=\"row\">構成要素</th><td class=\"num\">1</td>"} {
			if !strings.Contains(body, want) {
				t.Errorf("result page lacks %q\n%s", want, clipBody(body))
			}
		}
		if _, err := s.Get(t.Context(), mamori.EntityByName("systems"), "S901"); err != nil {
			t.Errorf("S901 not written: %v", err)
		}
		es := auditOf(t, s, "officer", "import")
		// Filed under both organizations it wrote: S900 is ORG-A's, S901 its bureau's.
		if len(es) != 1 || es[0].Target != "register/register.xlsx" || !slices.Equal(es[0].Orgs, []string{"ORG-A", "ORG-B"}) ||
			!strings.Contains(es[0].Detail, `"systems":2`) || !strings.Contains(es[0].Detail, `"components":1`) {
			t.Errorf("audit entries %+v, want one import of register.xlsx with its counts", es)
		}
	})
}

// TestImportBadRows: three bad rows, three problems in the table, and
// nothing written.
func TestImportBadRows(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@ORG-A")
		before := registerCounts(t, s)
		data := workbook(t, [][]string{{"情報システム"}, systemHeader,
			{"S910", "ORG-A", "良い行", "はい", "情報システム", "稼働中", ""},
			{"S911", "ORG-A", "区分違い", "はい", "存在しない区分", "稼働中", ""},
			{"S912", "ORG-A", "日付違い", "はい", "情報システム", "稼働中", "2024-13-45"},
			{"S913", "ORG-A", "", "はい", "情報システム", "稼働中", ""},
		})
		rec := upload(t, h, "/import", "bad.xlsx", data)
		body := rec.Body.String()
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("upload = %d, want 422\n%s", rec.Code, clipBody(body))
		}
		rows := problemRows(t, body)
		if len(rows) != 3 {
			t.Fatalf("%d problem rows, want 3:\n%s", len(rows), strings.Join(rows, "\n"))
		}
		for i, want := range []string{"存在しない区分", "2024-13-45", "情報システム名"} {
			if !strings.Contains(rows[i], `<td class="num">`+string(rune('3'+i))+`</td>`) || !strings.Contains(rows[i], want) {
				t.Errorf("problem row %d = %s, want row %d and %q", i, rows[i], i+3, want)
			}
		}
		if !strings.Contains(body, "「bad.xlsx」に3件の誤りがあります。何も書き込んでいません。") {
			t.Errorf("no count and no-write sentence in\n%s", clipBody(body))
		}
		if after := registerCounts(t, s); !maps.Equal(before, after) {
			t.Errorf("a refused import changed the store: %v → %v", before, after)
		}
		if es := auditOf(t, s, "officer", "import"); len(es) != 0 {
			t.Errorf("a refused import was recorded as done: %+v", es)
		}
		en := upload(t, h, "/import?lang=en", "bad.xlsx", data).Body.String()
		for _, want := range []string{"Import refused", "has 3 problems. Nothing was written", "Sheet, file or JSON array", "Reason"} {
			if !strings.Contains(en, want) {
				t.Errorf("English problems page lacks %q", want)
			}
		}
	})
}

// TestImportForbidden: a viewer may not see, download or post.
func TestImportForbidden(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "viewer", "viewer@ORG-A", "viewer@ORG-C")
	before := registerCounts(t, s)
	for _, rec := range []*httptest.ResponseRecorder{
		do(h, "GET", "/import", "", nil),
		do(h, "GET", "/import/template", "", nil),
		upload(t, h, "/import", "register.xlsx", workbook(t, [][]string{{"情報システム"}, systemHeader,
			{"S920", "ORG-A", "閲覧者の取込み", "はい", "情報システム", "稼働中", ""}})),
	} {
		if rec.Code != http.StatusForbidden {
			t.Errorf("viewer got %d, want 403\n%s", rec.Code, clipBody(rec.Body.String()))
		}
	}
	if after := registerCounts(t, s); !maps.Equal(before, after) {
		t.Errorf("a viewer changed the store: %v → %v", before, after)
	}
}

// TestImportOtherMinistry: an officer of ORG-A (and its bureau ORG-B) may
// not write ORG-C's data, and the refusal does not show what ORG-C holds.
func TestImportOtherMinistry(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		fixture(t, s)
		h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@ORG-A")
		before := registerCounts(t, s)
		for _, tc := range []struct {
			name  string
			data  []byte
			want  string
			never []string
		}{
			{"system of ORG-C", workbook(t, [][]string{{"情報システム"}, systemHeader,
				{"S930", "ORG-A", "自省のシステム", "はい", "情報システム", "稼働中", ""},
				{"S931", "ORG-C", "他省のシステム", "はい", "情報システム", "稼働中", ""}}),
				"組織「ORG-C」への取込み権限がありません", []string{"デジタル庁"}},
			{"component on ORG-C's system", workbook(t, [][]string{{"構成要素"}, {"機器番号", "台帳番号", "種別"},
				{"K9930", "S003", "サーバ"}}),
				"台帳番号「S003」に該当する情報システムがありません", []string{"ORG-C", "デジタル庁", "通話録音装置"}},
			{"taking over ORG-C's system", workbook(t, [][]string{{"情報システム"}, systemHeader,
				{"S003", "ORG-A", "乗っ取り", "はい", "情報システム", "稼働中", ""}}),
				"取込み権限のない組織で使われています", []string{"ORG-C", "デジタル庁", "通話録音装置"}},
		} {
			t.Run(tc.name, func(t *testing.T) {
				rec := upload(t, h, "/import", "register.xlsx", tc.data)
				body := rec.Body.String()
				if rec.Code != http.StatusUnprocessableEntity {
					t.Fatalf("upload = %d, want 422\n%s", rec.Code, clipBody(body))
				}
				if rows := problemRows(t, body); len(rows) != 1 || !strings.Contains(rows[0], tc.want) {
					t.Errorf("problems %q, want one saying %q", rows, tc.want)
				}
				for _, n := range tc.never {
					if strings.Contains(body, n) {
						t.Errorf("the refusal shows %q\n%s", n, clipBody(body))
					}
				}
				if after := registerCounts(t, s); !maps.Equal(before, after) {
					t.Errorf("a refused import changed the store: %v → %v", before, after)
				}
			})
		}
	})
}

// TestImportBadFile: a file of another kind, no file, an empty file and
// one over the size limit each get a clear message and write nothing.
func TestImportBadFile(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	h := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@ORG-A")
	before := registerCounts(t, s)
	rec := upload(t, h, "/import", "台帳.txt", []byte("code\n"))
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "「台帳.txt」は取り込める形式ではありません") {
		t.Errorf("a .txt file = %d\n%s", rec.Code, clipBody(rec.Body.String()))
	}
	rec = upload(t, h, "/import", "empty.csv", nil)
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "「empty.csv」は空のファイルです") {
		t.Errorf("an empty file = %d\n%s", rec.Code, clipBody(rec.Body.String()))
	}
	rec = do(h, "POST", "/import", "", map[string][]string{"x": {"y"}})
	if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), "取り込むファイルを選んでください") {
		t.Errorf("no file = %d\n%s", rec.Code, clipBody(rec.Body.String()))
	}
	// Over the limit: the body streams, the server stops reading at 64 MiB.
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	if _, err := mw.CreateFormFile("workbook", "huge.csv"); err != nil {
		t.Fatal(err)
	}
	tail := "\r\n--" + mw.Boundary() + "--\r\n"
	body := io.MultiReader(&head, io.LimitReader(zeros{}, 65<<20), strings.NewReader(tail))
	req := httptest.NewRequest("POST", "/import", body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	big := httptest.NewRecorder()
	h.ServeHTTP(big, req)
	if big.Code != http.StatusRequestEntityTooLarge || !strings.Contains(big.Body.String(), "ファイルが大きすぎます（上限 64 MiB）") {
		t.Errorf("a 65 MiB file = %d\n%s", big.Code, clipBody(big.Body.String()))
	}
	if after := registerCounts(t, s); !maps.Equal(before, after) {
		t.Errorf("a refused upload changed the store: %v → %v", before, after)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = '0'
	}
	return len(p), nil
}

// TestWriteE2EWorkbook keeps the browser test's workbook honest: uploaded
// by an administrator over every organization (as the browser test does)
// or by a ministry's officer, it makes exactly its three problems and
// writes nothing. With -update-e2e it first rewrites the file.
func TestWriteE2EWorkbook(t *testing.T) {
	if *updateE2E {
		if err := os.MkdirAll(filepath.Dir(e2eWorkbook), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(e2eWorkbook, badWorkbook(t), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(e2eWorkbook)
	if err != nil {
		t.Fatalf("%v (go test ./internal/web -run TestWriteE2EWorkbook -update-e2e writes it)", err)
	}
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	base := web.New(s, slog.New(slog.DiscardHandler), "test")
	before := registerCounts(t, s)
	for _, h := range []http.Handler{
		importSession(t, s, base, "central", "central_admin@ORG-A", "central_admin@ORG-C"),
		importSession(t, s, base, "officer", "system_officer@ORG-A"),
	} {
		rec := upload(t, h, "/import", filepath.Base(e2eWorkbook), data)
		if rec.Code != http.StatusUnprocessableEntity {
			t.Fatalf("upload = %d, want 422\n%s", rec.Code, clipBody(rec.Body.String()))
		}
		rows := problemRows(t, rec.Body.String())
		want := []string{"NO-SUCH-ORG-E2E", "存在しない区分", "2024-13-45"}
		if len(rows) != len(want) {
			t.Fatalf("%d problems, want %d:\n%s", len(rows), len(want), strings.Join(rows, "\n"))
		}
		for i, w := range want {
			if !strings.Contains(rows[i], w) {
				t.Errorf("problem %d = %s, want %q", i, rows[i], w)
			}
		}
	}
	if after := registerCounts(t, s); !maps.Equal(before, after) {
		t.Errorf("the bad workbook changed the store: %v → %v", before, after)
	}
}

// TestImportLimits: an upload over a limit answers 413 naming the limit and
// its value, and writes nothing; the limits are the server's (issue 12,
// item 6). A file's name is quoted by its first characters only (item 7).
func TestImportLimits(t *testing.T) {
	s := storetest.OpenSQLite(t)
	fixture(t, s)
	before := registerCounts(t, s)
	deflt := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test"), "officer", "system_officer@ORG-A")
	small := importSession(t, s, web.New(s, slog.New(slog.DiscardHandler), "test",
		web.WithLimits(mamori.Limits{FileBytes: 1 << 20, UnzippedBytes: 4 << 10})), "officer2", "system_officer@ORG-A")
	deep := `{"format":"mamori-register","version":1,"systems":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + "}"
	for _, tc := range []struct {
		name string
		h    http.Handler
		file string
		data []byte
		want string
	}{
		{"depth", deflt, "deep.json", []byte(deep), "JSON の入れ子が上限 64 段を超えています"},
		{"file size", small, "big.csv", bytes.Repeat([]byte("0123456789\n"), 200_000), "ファイルが大きすぎます（上限 1 MiB）"},
		{"unzipped", small, "register.xlsx", workbook(t, [][]string{{"情報システム"}, systemHeader}), "展開後のサイズが上限 4 KiB を超えています"},
	} {
		rec := upload(t, tc.h, "/import", tc.file, tc.data)
		if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), tc.want) {
			t.Errorf("%s: upload = %d, want 413 with %q\n%s", tc.name, rec.Code, tc.want, clipBody(rec.Body.String()))
		}
	}
	long := strings.Repeat("台帳", 50_000) + ".txt"
	rec := upload(t, deflt, "/import", long, []byte("x"))
	if rec.Code != http.StatusBadRequest || rec.Body.Len() > 64<<10 || !strings.Contains(rec.Body.String(), "台帳台帳台帳…") {
		t.Errorf("a 300 KB file name = %d, %d bytes, want 400 quoting its start\n%s", rec.Code, rec.Body.Len(), clipBody(rec.Body.String()))
	}
	if after := registerCounts(t, s); !maps.Equal(before, after) {
		t.Errorf("a refused upload changed the store: %v → %v", before, after)
	}
}

// countingBody counts what the server reads of a request body.
type countingBody struct {
	r io.Reader
	n int64
}

func (c *countingBody) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}

// TestFormBodyBounded: a form other than the import reads at most a small
// body; a multipart sign-in of 20 MiB used to be read whole, spilling to
// temporary files (issue 12, item 6).
func TestFormBodyBounded(t *testing.T) {
	s := storetest.OpenSQLite(t)
	h := web.New(s, slog.New(slog.DiscardHandler), "test")
	var head bytes.Buffer
	mw := multipart.NewWriter(&head)
	fw, err := mw.CreateFormField("name")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write([]byte("someone"))
	fw, err = mw.CreateFormFile("junk", "junk.bin")
	if err != nil {
		t.Fatal(err)
	}
	body := &countingBody{r: io.MultiReader(&head, io.LimitReader(zeros{}, 20<<20), strings.NewReader("\r\n--"+mw.Boundary()+"--\r\n"))}
	req := httptest.NewRequest("POST", "/login", body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if body.n > 1<<20 {
		t.Errorf("POST /login read %d bytes of a 20 MiB body, want at most 1 MiB", body.n)
	}
	if rec.Code < 400 {
		t.Errorf("POST /login with a 20 MiB body = %d, want a refusal", rec.Code)
	}
}
