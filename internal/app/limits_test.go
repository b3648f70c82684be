package app_test

import (
	"archive/zip"
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestImportLimitsCLI: the command line's imports (register files, SBOMs,
// catalogs) are bounded by flags, and a refusal names the limit, its value
// and its flag (issue 12, item 6).
func TestImportLimitsCLI(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "m.db")
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	orgs := write("organizations.csv", "組織コード,上位組織コード,種別,名称\nM01,,府省庁,総務省\nM01-C,M01,本府省庁等,総務省本省\n")
	deep := strings.Repeat("[", 100) + strings.Repeat("]", 100)
	systems := write("systems.csv", "台帳番号,所管組織コード,情報システム名,台帳記載,区分,稼働状況\nS1,M01-C,人事給与システム,はい,情報システム,稼働中\n")
	components := write("components.csv", "機器番号,台帳番号,種別\nC1,S1,サーバ\n")
	if r := run(t, nil, "--db", db, "import", orgs, systems, components); r.code != 0 {
		t.Fatalf("import = %+v", r)
	}
	var zipped bytes.Buffer
	zw := zip.NewWriter(&zipped)
	for _, name := range []string{"a", "b", "c"} {
		if _, err := zw.Create(name); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	entries := write("entries.xlsx", zipped.String())
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"import", "--max-zip-entries", "2", entries}, "more entries in the workbook's zip than the limit of 2 (--max-zip-entries)"},
		{[]string{"import", "--max-file-size", "100", orgs}, "file size exceeds the limit of 100 B (--max-file-size)"},
		{[]string{"import", "--max-rows", "1", orgs}, "more rows than the limit of 1 (--max-rows)"},
		{[]string{"import", "--max-cells", "3", orgs}, "more cells in one row than the limit of 3 (--max-cells)"},
		{[]string{"import", write("deep.json", `{"format":"mamori-register","version":1,"systems":`+deep+`}`)},
			"JSON の入れ子が上限 64 段を超えています(--max-depth)"},
		{[]string{"import", "--max-depth", "2", "--component", "C1", write("deep.cdx.json", `{"bomFormat":"CycloneDX","components":[{"name":"a"}]}`)},
			"JSON nested deeper than the limit of 2 (--max-depth)"},
		{[]string{"import", "--max-file-size", "10", "--component", "C1", write("big.cdx.json", `{"bomFormat":"CycloneDX"}`)},
			"file size exceeds the limit of 10 B (--max-file-size)"},
		{[]string{"catalog", "import", write("deep-catalog.json", `{"catalog":`+deep+`}`)},
			"JSON nested deeper than the limit of 64 (--max-depth)"},
		{[]string{"catalog", "import", "--max-file-size", "10", write("big-catalog.json", `{"catalog":{}}`)},
			"file size exceeds the limit of 10 B (--max-file-size)"},
	} {
		r := run(t, nil, append([]string{"--db", db}, tc.args...)...)
		if r.code != 1 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("mamori %s = exit %d, stderr %q; want exit 1 saying %q", strings.Join(tc.args, " "), r.code, r.stderr, tc.want)
		}
	}
	for _, bad := range [][]string{{"--max-rows", "0"}, {"--max-zip-entries", "0"}, {"--max-file-size", "lots"}, {"--max-time", "-1s"}} {
		if r := run(t, nil, append(append([]string{"import"}, bad...), orgs)...); r.code != 2 {
			t.Errorf("mamori import %v = exit %d, want 2 (usage)", bad, r.code)
		}
	}
	if r := run(t, nil, "--db", db, "import", "--max-rows", "2", "--max-file-size", "1KiB", orgs); r.code != 0 {
		t.Errorf("import within the limits = %+v", r)
	}
}
