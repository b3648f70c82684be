package app_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mamori/internal/app"
	"mamori/internal/store"
)

type result struct {
	code           int
	stdout, stderr string
}

// run runs the command line in-process, as cmd/mamori does.
func run(t *testing.T, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	e := &app.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb, Getenv: testGetenv(env, args)}
	err := app.Run(t.Context(), e, args)
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		errb.WriteString(app.Describe(err))
	}
	return result{app.ExitCode(err), out.String(), errb.String()}
}

// testGetenv returns env's values and, for a PostgreSQL database, which has
// no file to keep the audit key file beside, a key file of that database's
// own (its DSN names a schema made for one test) unless env holds the
// variable (even empty).
func testGetenv(env map[string]string, args []string) func(string) string {
	db := env[app.EnvDB]
	for i, a := range args {
		if a == "--db" && i+1 < len(args) {
			db = args[i+1]
		}
	}
	return func(k string) string {
		if _, set := env[k]; k == app.EnvAuditKeyFile && !set && store.IsPostgresDSN(db) {
			sum := sha256.Sum256([]byte(db))
			return filepath.Join(os.TempDir(), "mamori-test-audit-keys", hex.EncodeToString(sum[:8]))
		}
		return env[k]
	}
}

func TestUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{nil, 2, "Commands:"},
		{[]string{"frobnicate"}, 2, `unknown command "frobnicate"`},
		{[]string{"--help"}, 0, "Commands:"},
		{[]string{"import", "--help"}, 0, "Usage: mamori import"},
		{[]string{"import"}, 2, "at least one file"},
		{[]string{"export", "--format", "pdf"}, 2, "unknown format"},
		{[]string{"export", "--format", "csv"}, 2, "needs --out"},
		{[]string{"demo", "--scale", "galactic"}, 2, "galactic"},
		{[]string{"serve", "--bogus"}, 2, "bogus"},
	} {
		r := run(t, nil, tc.args...)
		if r.code != tc.code || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("mamori %v = exit %d, stderr %q; want exit %d containing %q", tc.args, r.code, r.stderr, tc.code, tc.want)
		}
	}
	if r := run(t, nil, "version"); r.code != 0 || !strings.HasPrefix(r.stdout, "mamori ") {
		t.Errorf("mamori version = %+v", r)
	}
}

// TestImportExportCLI drives the register through the command line: a
// template, an import with three bad rows that must change nothing, a good
// import, and exports in each format, with the database taken from --db or
// from MAMORI_DB.
func TestImportExportCLI(t *testing.T) {
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
	good := write("systems.csv", "台帳番号,所管組織コード,情報システム名,台帳記載,区分,稼働状況,稼働開始日\n"+
		"S1,M01-C,人事給与システム,はい,情報システム,稼働中,令和元年5月1日\n")
	bad := write("systems-bad.json", `{"format":"mamori-register","version":1,"systems":[
  {"code":"S1","org_code":"M01-C","name":"変更されてはならない","in_register":true,"class":"information_system","status":"operating"},
  {"code":"S2","org_code":"NOPE","name":"x","in_register":true,"class":"information_system","status":"operating"},
  {"code":"S3","org_code":"M01","name":"y","in_register":"maybe","class":"information_system","status":"operating"},
  {"code":"S4","org_code":"M01","name":"z","in_register":true,"class":"information_system","status":"broken"}]}`)

	if r := run(t, nil, "--db", db, "import", orgs, good); r.code != 0 || !strings.Contains(r.stdout, "imported 3 records") {
		t.Fatalf("import good = %+v", r)
	}
	before := run(t, nil, "--db", db, "export", "--format", "json")
	r := run(t, nil, "--db", db, "import", bad)
	if r.code != 1 {
		t.Fatalf("import bad = exit %d, want 1; stderr %s", r.code, r.stderr)
	}
	for _, want := range []string{"3 problem(s)", "record 2", "record 3", "record 4", "2件目", `"NOPE"`, "maybe", "broken", "何も書き込んでいません"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("import bad stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	// MAMORI_DB names the same database.
	after := run(t, map[string]string{app.EnvDB: db}, "export", "--format", "json")
	if before.code != 0 || after.stdout != before.stdout {
		t.Errorf("refused import changed the store:\nbefore %s\nafter %s", before.stdout, after.stdout)
	}
	if !strings.Contains(after.stdout, `"name":"人事給与システム"`) {
		t.Errorf("export lacks the imported system:\n%s", after.stdout)
	}

	xlsx := filepath.Join(dir, "out.xlsx")
	if r := run(t, nil, "--db", db, "export", "--format", "xlsx", "--out", xlsx); r.code != 0 {
		t.Fatalf("export xlsx = %+v", r)
	}
	// Without --format, an .xlsx --out is a workbook (it used to be JSON
	// under that name); a --format that contradicts the name is refused.
	guessed := filepath.Join(dir, "台帳.xlsx")
	if r := run(t, nil, "--db", db, "export", "--out", guessed); r.code != 0 {
		t.Fatalf("export --out 台帳.xlsx = %+v", r)
	}
	if data, err := os.ReadFile(guessed); err != nil || !bytes.HasPrefix(data, []byte("PK")) {
		t.Errorf("export --out 台帳.xlsx wrote no workbook (%v)", err)
	}
	if r := run(t, nil, "--db", db, "export", "--format", "json", "--out", filepath.Join(dir, "x.xlsx")); r.code != 2 || !strings.Contains(r.stderr, "does not fit") {
		t.Errorf("export --format json --out x.xlsx = %+v, want a usage error", r)
	}
	csvDir := filepath.Join(dir, "csv")
	if r := run(t, nil, "--db", db, "export", "--format", "csv", "--out", csvDir); r.code != 0 {
		t.Fatalf("export csv = %+v", r)
	}
	if _, err := os.Stat(filepath.Join(csvDir, "systems.csv")); err != nil {
		t.Errorf("csv export: %v", err)
	}
	tmpl := filepath.Join(dir, "template.xlsx")
	if r := run(t, nil, "export", "--template", "--out", tmpl); r.code != 0 {
		t.Fatalf("export --template = %+v", r)
	}
	// The exported workbook imports into a new database and exports the same JSON.
	db2 := filepath.Join(dir, "m2.db")
	if r := run(t, nil, "--db", db2, "import", xlsx); r.code != 0 {
		t.Fatalf("import exported xlsx = %+v", r)
	}
	if again := run(t, nil, "--db", db2, "export", "--format", "json"); again.stdout != before.stdout {
		t.Errorf("xlsx round trip through the CLI differs")
	}
	if r := run(t, nil, "--db", db, "migrate"); r.code != 0 || !regexp.MustCompile(`^schema version (\d+) of (\d+) \(sqlite\)`).MatchString(r.stdout) {
		t.Errorf("migrate = %+v", r)
	} else if m := regexp.MustCompile(`(\d+) of (\d+)`).FindStringSubmatch(r.stdout); m[1] != m[2] {
		t.Errorf("migrate left the schema at %s of %s", m[1], m[2])
	}
	if r := run(t, nil, "--db", db, "import", filepath.Join(dir, "missing.csv")); r.code != 1 || !strings.Contains(r.stderr, "missing.csv") {
		t.Errorf("import missing file = %+v", r)
	}
}
