package app_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/oscal"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

const nistModerate = "../../../shared/data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json"

// userCatalog returns the embedded baseline renamed: catalog ID id and
// every control prefixed with "x", so its automated controls collide with
// no other catalog's. edit, if not nil, changes the first control.
func userCatalog(t *testing.T, id string, edit func(ctl map[string]any)) []byte {
	t.Helper()
	data, err := catalog.BuiltinJSON("unified-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	data = regexp.MustCompile(`"id": "([a-z]+)-`).ReplaceAll(data, []byte(`"id": "x$1-`))
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	cat := doc["catalog"].(map[string]any)
	for _, p := range cat["metadata"].(map[string]any)["props"].([]any) {
		if p.(map[string]any)["name"] == "catalog-id" {
			p.(map[string]any)["value"] = id
		}
	}
	cat["metadata"].(map[string]any)["title"] = "User catalog " + id
	if edit != nil {
		edit(cat["groups"].([]any)[0].(map[string]any)["controls"].([]any)[0].(map[string]any))
	}
	out, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func writeFile(t *testing.T, dir, name string, data []byte) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestCatalogUsage(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"catalog"}, "needs a subcommand"},
		{[]string{"catalog", "frob"}, `unknown catalog subcommand "frob"`},
		{[]string{"catalog", "show"}, "catalog show takes 1 argument(s), got 0"},
		{[]string{"catalog", "set", "unified", "LOG-02", "days"}, "catalog set takes 4 argument(s), got 3"},
		{[]string{"catalog", "list", "--out", "x.json"}, "--out is for catalog export only"},
		{[]string{"catalog", "export", "unified", "--id", "x"}, "--id is for catalog import only"},
		{[]string{"catalog", "list", "--bogus"}, "bogus"},
	} {
		r := run(t, nil, append([]string{"--db", db}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("mamori %v = exit %d, stderr %q; want exit 2 containing %q", tc.args, r.code, r.stderr, tc.want)
		}
	}
	if r := run(t, nil, "catalog", "--help"); r.code != 0 || !strings.Contains(r.stderr, "import FILE") {
		t.Errorf("catalog --help = %+v", r)
	}
}

// TestCatalogCLI drives catalogs through the command line on each store:
// list, import (good, bad, embedded, again), export, set and unset, and a
// check that uses the imported catalog and the stored override.
func TestCatalogCLI(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			mamori := func(args ...string) result {
				t.Helper()
				return run(t, nil, append([]string{"--db", db}, args...)...)
			}
			list := mamori("catalog", "list")
			if list.code != 0 || !regexp.MustCompile(`(?m)^unified .* 46 +46 +0 +embedded$`).MatchString(list.stdout) ||
				!regexp.MustCompile(`(?m)^lg .* 16 +16 +0 +embedded$`).MatchString(list.stdout) {
				t.Fatalf("catalog list = %+v", list)
			}

			// Bad catalogs: exit 1, the catalog, control and field named, nothing stored.
			bad := []struct {
				name string
				edit func(map[string]any)
				want []string
			}{
				{"target", func(ctl map[string]any) {
					for _, p := range ctl["props"].([]any) {
						if p.(map[string]any)["name"] == "target" {
							p.(map[string]any)["value"] = "planet"
						}
					}
				}, []string{"bad-target.json", "XREG-01", "target", "planet"}},
				{"cel", func(ctl map[string]any) {
					for _, p := range ctl["parts"].([]any) {
						if n := p.(map[string]any)["name"]; n == "check" || n == "criterion" {
							p.(map[string]any)["prose"] = "system.in_registr"
						}
					}
				}, []string{"catalog mine", "XREG-01", "criterion flagged", "in_registr"}},
				{"schema", func(ctl map[string]any) { delete(ctl, "title") }, []string{"bad-schema.json", "control XREG-01", "not a valid OSCAL catalog", "/catalog/groups/0/controls/0"}},
			}
			for _, b := range bad {
				f := writeFile(t, dir, "bad-"+b.name+".json", userCatalog(t, "mine", b.edit))
				r := mamori("catalog", "import", f)
				if r.code != 1 {
					t.Errorf("import bad %s = exit %d, want 1; stderr %s", b.name, r.code, r.stderr)
				}
				for _, w := range b.want {
					if !strings.Contains(r.stderr, w) {
						t.Errorf("import bad %s: stderr lacks %q:\n%s", b.name, w, r.stderr)
					}
				}
			}
			if again := mamori("catalog", "list"); again.stdout != list.stdout {
				t.Errorf("refused imports changed the list:\n%s", again.stdout)
			}
			if r := mamori("catalog", "import", filepath.Join(dir, "missing.json")); r.code != 1 || !strings.Contains(r.stderr, "missing.json") {
				t.Errorf("import missing file = %+v", r)
			}

			// An embedded catalog cannot be replaced.
			emb, _ := catalog.BuiltinJSON("unified-baseline.json")
			if r := mamori("catalog", "import", writeFile(t, dir, "unified.json", emb)); r.code != 1 || !strings.Contains(r.stderr, "embedded") {
				t.Errorf("import embedded = %+v", r)
			}
			// Automated control IDs must not collide with another catalog's.
			clash := regexp.MustCompile(`"value": "unified"`).ReplaceAll(emb, []byte(`"value": "clash"`))
			if r := mamori("catalog", "import", writeFile(t, dir, "clash.json", clash)); r.code != 1 || !strings.Contains(r.stderr, `control REG-01: ID already used by catalog "unified"`) {
				t.Errorf("import clash = %+v", r)
			}

			// A good user catalog; importing it twice is the same as once.
			good := writeFile(t, dir, "mine.json", userCatalog(t, "mine", nil))
			for range 2 {
				if r := mamori("catalog", "import", good); r.code != 0 || !strings.Contains(r.stdout, "imported catalog mine") {
					t.Fatalf("import good = %+v", r)
				}
			}
			list2 := mamori("catalog", "list")
			if n := strings.Count(list2.stdout, "\nmine "); n != 1 || !regexp.MustCompile(`(?m)^mine .* 46 +46 +0 +imported$`).MatchString(list2.stdout) {
				t.Errorf("list after import = %s", list2.stdout)
			}
			// It exports byte for byte, to a file or standard output, and the export is valid OSCAL.
			out := filepath.Join(dir, "export.json")
			if r := mamori("catalog", "export", "mine", "--out", out); r.code != 0 {
				t.Fatalf("export = %+v", r)
			}
			exported, _ := os.ReadFile(out)
			src, _ := os.ReadFile(good)
			if string(exported) != string(src) {
				t.Errorf("export differs from the imported document")
			}
			for _, id := range []string{"unified", "lg", "mine"} {
				r := mamori("catalog", "export", id)
				if err := oscal.Validate([]byte(r.stdout)); r.code != 0 || err != nil {
					t.Errorf("export %s = exit %d, Validate = %v", id, r.code, err)
				}
			}
			if r := mamori("catalog", "export", "nope"); r.code != 1 || !strings.Contains(r.stderr, `no catalog "nope"`) {
				t.Errorf("export nope = %+v", r)
			}

			// Overrides: type-checked, persisted, shown, used by check, removable.
			if r := mamori("catalog", "set", "unified", "log-02", "days", "thirty"); r.code != 1 || !strings.Contains(r.stderr, "LOG-02") || !strings.Contains(r.stderr, "integer") {
				t.Errorf("set non-integer = %+v", r)
			}
			if r := mamori("catalog", "set", "unified", "LOG-02", "weeks", "3"); r.code != 1 || !strings.Contains(r.stderr, "no such parameter") {
				t.Errorf("set unknown param = %+v", r)
			}
			if r := mamori("catalog", "set", "unified", "log-02", "days", "30"); r.code != 0 || !strings.Contains(r.stdout, "LOG-02 days = 30 (default 90)") {
				t.Errorf("set = %+v", r)
			}
			if r := mamori("catalog", "show", "unified"); r.code != 0 || !strings.Contains(r.stdout, "days=30 (default 90)") {
				t.Errorf("show after set = %+v", r)
			}
			if r := mamori("catalog", "set", "mine", "xlog-02", "days", "45"); r.code != 0 {
				t.Errorf("set on user catalog = %+v", r)
			}
			// Re-importing keeps an override the new version still accepts.
			if r := mamori("catalog", "import", good); r.code != 0 {
				t.Fatalf("re-import = %+v", r)
			}
			if r := mamori("catalog", "show", "mine"); !strings.Contains(r.stdout, "days=45 (default 90)") {
				t.Errorf("override lost on re-import:\n%s", r.stdout)
			}

			if data, err := os.ReadFile(nistModerate); err == nil {
				f := writeFile(t, dir, "NIST-moderate.json", data)
				if r := mamori("catalog", "import", "--id", "nist-moderate", f); r.code != 0 || !strings.Contains(r.stdout, "287 controls (0 automated, 287 manual)") {
					t.Fatalf("import NIST = %+v", r)
				}
				if r := mamori("catalog", "import", f, "--id", "Bad ID"); r.code != 1 || !strings.Contains(r.stderr, "lower-case") {
					t.Errorf("import with a bad ID = %+v", r)
				}
				if r := mamori("catalog", "show", "nist-moderate"); r.code != 0 || !strings.Contains(r.stdout, "AC-2 ") || !strings.Contains(r.stdout, "manual") {
					t.Errorf("show NIST = %+v", r)
				}
			} else {
				t.Logf("NIST catalog not available: %v", err)
			}

			r := mamori("check", "--format", "json", "--today", "2026-04-01")
			if r.code != 0 {
				t.Fatalf("check = %+v", r)
			}
			var rep struct {
				Controls []struct{ ID string }
			}
			if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
				t.Fatal(err)
			}
			ids := map[string]bool{}
			for _, c := range rep.Controls {
				ids[c.ID] = true
			}
			// Embedded and imported automated controls ran; NIST's manual ones were skipped.
			if !ids["LOG-02"] || !ids["XLOG-02"] || ids["AC-2"] || len(rep.Controls) != 46+16+46 {
				t.Errorf("check ran %d controls: %v", len(rep.Controls), ids)
			}
			// The assessment records the imported catalog and the overrides in force.
			st, err := store.Open(t.Context(), db)
			if err != nil {
				t.Fatal(err)
			}
			a, err := st.AssessmentForExport(t.Context(), "")
			st.Close()
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(a.Catalogs, `{"id":"mine","version":"2026.12-1"}`) ||
				!strings.Contains(a.Params, `"LOG-02":{"days":"30"}`) || !strings.Contains(a.Params, `"XLOG-02":{"days":"45"}`) {
				t.Errorf("assessment catalogs %s, params %.300s", a.Catalogs, a.Params)
			}
			if r := mamori("catalog", "unset", "unified", "LOG-02", "days"); r.code != 0 {
				t.Errorf("unset = %+v", r)
			}
			if r := mamori("catalog", "unset", "unified", "LOG-02", "days"); r.code != 1 || !strings.Contains(r.stderr, "not overridden") {
				t.Errorf("unset twice = %+v", r)
			}
			if r := mamori("catalog", "show", "unified"); strings.Contains(r.stdout, "(default 90)") {
				t.Errorf("show after unset still shows an override")
			}
		})
	}
}

// TestReportOSCALCLI: demo data, a check, then both OSCAL documents through
// the command line, with their usage errors.
func TestReportOSCALCLI(t *testing.T) {
	for dialect, db := range storetest.DSNs(t) {
		t.Run(dialect, func(t *testing.T) {
			dir := t.TempDir()
			mamori := func(args ...string) result {
				t.Helper()
				return run(t, nil, append([]string{"--db", db}, args...)...)
			}
			for _, tc := range []struct {
				args []string
				want string
			}{
				{[]string{"report", "oscal"}, `--kind ""`},
				{[]string{"report", "oscal", "--kind", "ssp"}, `--kind "ssp"`},
				{[]string{"report", "oscal", "--kind", "poam", "--org", "A", "--system", "B"}, "not both"},
				{[]string{"report", "oscal", "--kind", "poam", "--assessment", "X"}, "assessment-results only"},
				{[]string{"report", "oscal", "extra", "--kind", "poam"}, "takes no arguments"},
			} {
				if r := mamori(tc.args...); r.code != 2 || !strings.Contains(r.stderr, tc.want) {
					t.Errorf("mamori %v = exit %d, stderr %q; want exit 2 containing %q", tc.args, r.code, r.stderr, tc.want)
				}
			}
			if r := mamori("report", "oscal", "--kind", "poam"); r.code != 1 || !strings.Contains(r.stderr, "mamori check") {
				t.Errorf("report oscal before any check = %+v", r)
			}
			if r := mamori("demo", "--scale", "small", "--no-serve"); r.code != 0 {
				t.Fatalf("demo = %+v", r)
			}
			if r := mamori("check", "--today", "2026-11-01"); r.code != 0 {
				t.Fatalf("check = %+v", r)
			}
			for _, kind := range []string{"assessment-results", "poam"} {
				out := filepath.Join(dir, kind+".json")
				r := mamori("report", "oscal", "--kind", kind, "--out", out)
				if r.code != 0 {
					t.Fatalf("report oscal --kind %s = %+v", kind, r)
				}
				data, _ := os.ReadFile(out)
				if err := oscal.Validate(data); err != nil {
					t.Errorf("%s does not validate: %v", kind, err)
				}
				// Standard output carries the same bytes.
				if again := mamori("report", "oscal", "--kind", kind); again.stdout != string(data) {
					t.Errorf("%s: a second export differs", kind)
				}
			}
			if r := mamori("report", "oscal", "--kind", "assessment-results", "--org", "NOPE"); r.code != 1 || !strings.Contains(r.stderr, "NOPE") {
				t.Errorf("report oscal --org NOPE = %+v", r)
			}
		})
	}
}

// TestStoredCatalogs exercises the store's catalog and override methods
// directly on each database.
func TestStoredCatalogs(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		if _, err := s.StoredCatalogByID(ctx, "mine"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("StoredCatalogByID(missing) = %v, want NotFound", err)
		}
		at := time.Date(2026, 11, 23, 7, 0, 0, 123456000, time.UTC)
		c := store.StoredCatalog{ID: "mine", Title: "t", Version: "1", Source: `{"catalog":{}}`, ImportedAt: at}
		keep := store.ParamOverride{CatalogID: "mine", ControlID: "X-01", ParamID: "days", Value: "30"}
		gone := store.ParamOverride{CatalogID: "mine", ControlID: "X-02", ParamID: "days", Value: "7"}
		for _, p := range []store.ParamOverride{keep, gone, {CatalogID: "mine", ControlID: "X-01", ParamID: "days", Value: "31"}} {
			if err := s.SetParam(ctx, p); err != nil {
				t.Fatal(err)
			}
		}
		keep.Value = "31" // the second SetParam replaced the first
		for range 2 {
			if err := s.ImportCatalog(ctx, c, []store.ParamOverride{gone}); err != nil {
				t.Fatalf("ImportCatalog = %v", err)
			}
		}
		got, err := s.StoredCatalogs(ctx)
		if err != nil || len(got) != 1 || got[0] != c {
			t.Errorf("StoredCatalogs = %+v, %v; want [%+v]", got, err, c)
		}
		params, err := s.ParamOverrides(ctx)
		if err != nil || len(params) != 1 || params[0] != keep {
			t.Errorf("ParamOverrides = %+v, %v; want [%+v]", params, err, keep)
		}
		if err := s.UnsetParam(ctx, "mine", "X-01", "days"); err != nil {
			t.Errorf("UnsetParam = %v", err)
		}
		if err := s.UnsetParam(ctx, "mine", "X-01", "days"); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("UnsetParam twice = %v, want NotFound", err)
		}
	})
}
