package app_test

import (
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mamori/internal/demo"
	"mamori/internal/store/storetest"
)

// failing reads "N / M" for a control from mamori check's table.
func failing(t *testing.T, out, control string) int {
	t.Helper()
	m := regexp.MustCompile(`(?m)^` + control + `\s.*?\s(\d+) / (\d+)\s`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no %s line in:\n%s", control, out)
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestVulnDemo: a fresh demo carries real advisories for its software,
// matches, and countermeasures, so VUL-01/02 find the planted gaps and
// VUL-03 finds nothing stale; a countermeasure recorded on the command
// line shows in the report.
func TestVulnDemo(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", "2026-11-01", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, "vulnerability matches") {
		t.Fatalf("demo = %+v", r)
	}
	r = run(t, nil, "check", "--db", db, "--today", "2026-11-01")
	if r.code != 0 {
		t.Fatalf("check = %+v", r)
	}
	if failing(t, r.stdout, "VUL-01") == 0 || failing(t, r.stdout, "VUL-02") == 0 || failing(t, r.stdout, "VUL-03") != 0 {
		t.Errorf("VUL-01/02 should find the planted gaps and VUL-03 none:\n%s", r.stdout)
	}
	r = run(t, nil, "vuln", "report", "--db", db, "--format", "json")
	if r.code != 0 {
		t.Fatalf("vuln report = %+v", r)
	}
	var rep struct {
		Exposures []struct {
			System, Vuln, Countermeasure, Path, FirstSeen string
			Confidence                                    int
		}
	}
	if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
		t.Fatal(err)
	}
	var target [2]string
	for _, e := range rep.Exposures {
		if e.Confidence <= 0 || e.Path == "" {
			t.Errorf("exposure without path or confidence: %+v", e)
		}
		if e.Countermeasure == "" && target[0] == "" {
			target = [2]string{e.System, e.Vuln}
		}
	}
	if len(rep.Exposures) == 0 || target[0] == "" {
		t.Fatalf("want exposures, some without countermeasure: %d", len(rep.Exposures))
	}
	if r := run(t, nil, "vuln", "countermeasure", "--db", db, "--system", target[0], "--vuln", target[1], "--kind", "planned"); r.code != 2 || !strings.Contains(r.stderr, "--due") {
		t.Errorf("planned without --due = %+v", r)
	}
	r = run(t, nil, "vuln", "countermeasure", "--db", db, "--system", target[0], "--vuln", target[1], "--kind", "accepted", "--approver", "CISO")
	if r.code != 0 {
		t.Fatalf("countermeasure = %+v", r)
	}
	r = run(t, nil, "vuln", "report", "--db", db, "--system", target[0])
	if r.code != 0 || !regexp.MustCompile(regexp.QuoteMeta(target[1])+`.*accepted`).MatchString(r.stdout) {
		t.Errorf("report after countermeasure:\n%s", r.stdout)
	}
	// The countermeasure is in the audit trail, which verifies.
	if r := run(t, nil, "audit", "list", "--db", db, "--action", "write"); r.code != 0 || !strings.Contains(r.stdout, "countermeasures/"+target[0]) {
		t.Errorf("audit list = %+v", r)
	}
	if r := run(t, nil, "audit", "verify", "--db", db); r.code != 0 {
		t.Errorf("audit verify = %+v", r)
	}
	// Re-matching changes nothing: every match is known.
	r = run(t, nil, "vuln", "match", "--db", db)
	if r.code != 0 || !strings.Contains(r.stdout, " 0 new, 0 reopened, 0 closed") {
		t.Errorf("second match = %+v", r)
	}
}

// TestVulnImportBadFiles: a feed in the wrong schema version, cut short or
// with trailing garbage is reported naming the file (and the record) and
// imports nothing, not even the records before the cut; a good file
// beside it still imports.
func TestVulnImportBadFiles(t *testing.T) {
	db := filepath.Join(t.TempDir(), "v.db")
	td := "../vuln/nvd/testdata/"
	r := run(t, nil, "vuln", "import", "--db", db, td+"wrong_version.json", td+"page20.json")
	if r.code != 1 || !strings.Contains(r.stderr, "wrong_version.json") || !strings.Contains(r.stdout, "page20.json: nvd nvd-2.0, 4 records") {
		t.Fatalf("import = %+v", r)
	}
	r = run(t, nil, "vuln", "import", "--db", db, td+"truncated.json")
	if r.code != 1 || !strings.Contains(r.stderr, "truncated.json") || !strings.Contains(r.stderr, "nothing was written") ||
		!strings.Contains(r.stderr, "何も書き込んでいません") {
		t.Errorf("truncated = %+v", r)
	}
	r = run(t, nil, "vuln", "status", "--db", db)
	if r.code != 0 || strings.Contains(r.stdout, "wrong_version.json") || strings.Contains(r.stdout, "truncated.json") || !strings.Contains(r.stdout, "page20.json") {
		t.Errorf("status = %+v", r)
	}
	for _, f := range []string{"../sbom/testdata/not-sbom.xml", "../sbom/testdata/laravel-trimmed.cdx-1.4.json"} {
		r = run(t, nil, "vuln", "import", "--db", db, f)
		if r.code != 1 || !strings.Contains(r.stderr, filepath.Base(f)) {
			t.Errorf("not a feed %s = %+v", f, r)
		}
	}
}

// TestImportSBOM puts an SBOM's packages on a component, names them from
// their purls, and reports (and leaves out) records with a broken purl.
func TestImportSBOM(t *testing.T) {
	db := filepath.Join(t.TempDir(), "demo.db")
	if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--db", db); r.code != 0 {
		t.Fatalf("demo = %+v", r)
	}
	const comp = "A05-S00001-SV001"
	r := run(t, nil, "import", "--db", db, "--component", comp, "../sbom/testdata/laravel-trimmed.cdx-1.4.json")
	if r.code != 0 || !strings.Contains(r.stdout, "component "+comp) {
		t.Fatalf("import sbom = %+v", r)
	}
	out := filepath.Join(t.TempDir(), "reg.json")
	if r := run(t, nil, "export", "--db", db, "--format", "json", "--out", out); r.code != 0 {
		t.Fatalf("export = %+v", r)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"product":"symfony/http-foundation","version":"v5.4.16"`) {
		t.Errorf("export lacks the purl-named package symfony/http-foundation")
	}
	if r := run(t, nil, "audit", "list", "--db", db, "--action", "export", "--format", "json"); !strings.Contains(r.stdout, "reg.json") {
		t.Errorf("the export is not in the audit trail: %+v", r)
	}
	r = run(t, nil, "import", "--db", db, "--component", comp, "../sbom/testdata/broken-purl.cdx.json")
	if r.code != 1 || !strings.Contains(r.stderr, "skipped") || !strings.Contains(r.stderr, "broken-purl.cdx.json") {
		t.Errorf("broken purl = %+v", r)
	}
	if r := run(t, nil, "import", "--db", db, "--component", "NO-SUCH", "../sbom/testdata/laravel-trimmed.cdx-1.4.json"); r.code != 1 {
		t.Errorf("unknown component = %+v", r)
	}
}

// TestVulnSync fetches an NVD API 2.0 result in pages from a local server,
// following startIndex to the end.
func TestVulnSync(t *testing.T) {
	data, err := os.ReadFile("../vuln/nvd/testdata/page20.json")
	if err != nil {
		t.Fatal(err)
	}
	var page map[string]json.RawMessage
	if err := json.Unmarshal(data, &page); err != nil {
		t.Fatal(err)
	}
	var vulns []json.RawMessage
	if err := json.Unmarshal(page["vulnerabilities"], &vulns); err != nil {
		t.Fatal(err)
	}
	var starts []int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start, _ := strconv.Atoi(r.URL.Query().Get("startIndex"))
		starts = append(starts, start)
		end := min(start+3, len(vulns))
		p := map[string]any{"resultsPerPage": end - start, "startIndex": start, "totalResults": len(vulns),
			"format": "NVD_CVE", "version": "2.0", "timestamp": "2025-10-22T08:15:00.123", "vulnerabilities": vulns[start:end]}
		json.NewEncoder(w).Encode(p)
	}))
	defer srv.Close()
	db := filepath.Join(t.TempDir(), "v.db")
	r := run(t, nil, "vuln", "sync", "--db", db, "--from", srv.URL+"/rest/json/cves/2.0")
	if r.code != 0 || len(starts) != 2 || starts[1] != 3 {
		t.Fatalf("sync = %+v, pages %v", r, starts)
	}
	r = run(t, nil, "vuln", "status", "--db", db)
	if !strings.Contains(r.stdout, "advisories") && !strings.Contains(r.stdout, "nvd 4") {
		t.Errorf("status after sync:\n%s", r.stdout)
	}
	if r := run(t, nil, "vuln", "sync", "--db", db, "--from", srv.URL+"/missing", "--from", "ftp://x"); r.code == 0 {
		t.Errorf("bad sources = %+v", r)
	}
	// A feed file that arrives cut short stores nothing and says so.
	cut := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(data[:len(data)*2/3])
	}))
	defer cut.Close()
	db2 := filepath.Join(t.TempDir(), "v2.db")
	r = run(t, nil, "vuln", "sync", "--db", db2, "--from", cut.URL+"/page.json")
	if r.code != 1 || !strings.Contains(r.stderr, "何も書き込んでいません") || !strings.Contains(r.stderr, "nothing was written") {
		t.Errorf("sync of a cut file = %+v", r)
	}
	if r := run(t, nil, "vuln", "status", "--db", db2); strings.Contains(r.stdout, "page.json") {
		t.Errorf("a cut file was recorded as imported:\n%s", r.stdout)
	}
}

// TestImportSBOMDir puts a folder of SBOMs on the components their names
// give, in one transaction with one audit entry per component, and writes
// nothing when a component is unknown, a file does not decode or a name is
// not an SBOM's.
func TestImportSBOMDir(t *testing.T) {
	for _, name := range []string{"sqlite", "postgres"} {
		t.Run(name, func(t *testing.T) {
			db := filepath.Join(t.TempDir(), "r.db")
			if name == "postgres" {
				db = storetest.PostgresDSN(t) // skips without a server
			}
			testImportSBOMDir(t, db)
		})
	}
}

func testImportSBOMDir(t *testing.T, db string) {
	tmp := t.TempDir()
	reg := filepath.Join(tmp, "reg.json")
	if err := os.WriteFile(reg, []byte(`{"format":"mamori-register","version":1,
		"organizations":[{"code":"O1","kind":"ministry","name":"省"}],
		"systems":[{"code":"S1","org_code":"O1","name":"業務","in_register":true,"class":"information_system","status":"operating"}],
		"components":[{"code":"S1-AP","system_code":"S1","kind":"server"},{"code":"S1-DB.1","system_code":"S1","kind":"server"}]}`), 0o644); err != nil {
		t.Fatal(err)
	}
	if r := run(t, nil, "import", "--db", db, reg); r.code != 0 {
		t.Fatalf("register = %+v", r)
	}
	laravel, err := os.ReadFile("../sbom/testdata/laravel-trimmed.cdx-1.4.json")
	if err != nil {
		t.Fatal(err)
	}
	alpine, err := os.ReadFile("../sbom/testdata/syft-alpine-trimmed.spdx-2.2.json")
	if err != nil {
		t.Fatal(err)
	}
	dir := func(files map[string][]byte) string {
		d := t.TempDir()
		for name, data := range files {
			p := filepath.Join(d, name)
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(p, data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		return d
	}
	software := func() string {
		out := filepath.Join(t.TempDir(), "reg.json")
		if r := run(t, nil, "export", "--db", db, "--format", "json", "--out", out); r.code != 0 {
			t.Fatalf("export = %+v", r)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Software []struct {
				Component string `json:"component_code"`
				Product   string `json:"product"`
				Source    string `json:"source"`
			} `json:"component_software"`
		}
		if err := json.Unmarshal(data, &doc); err != nil {
			t.Fatal(err)
		}
		n := map[string]int{}
		for _, s := range doc.Software {
			n[s.Component+" "+s.Source]++
		}
		var parts []string
		for _, k := range slices.Sorted(maps.Keys(n)) {
			parts = append(parts, fmt.Sprintf("%s=%d", k, n[k]))
		}
		return strings.Join(parts, " ")
	}

	// A file per component (the code holds a dot), and a subfolder whose
	// files all go onto its component; dot files are passed over.
	good := dir(map[string][]byte{"S1-AP.cdx.json": laravel, "S1-DB.1/os.spdx.json": alpine, "S1-DB.1/app.json": laravel, ".DS_Store": nil})
	r := run(t, nil, "import", "--db", db, "--sboms", good)
	if r.code != 0 || !strings.Contains(r.stdout, "component S1-AP: ") || !strings.Contains(r.stdout, "component S1-DB.1: ") ||
		!strings.Contains(r.stdout, "2 components") {
		t.Fatalf("import --sboms = %+v", r)
	}
	want := software()
	if !strings.Contains(want, "S1-AP S1-AP.cdx.json=") || !strings.Contains(want, "S1-DB.1 app.json=") || !strings.Contains(want, "S1-DB.1 os.spdx.json=") {
		t.Fatalf("software after import --sboms: %s", want)
	}
	// Filed under the system's organization, so that its own auditor
	// finds them.
	r = run(t, nil, "audit", "list", "--db", db, "--action", "import", "--org", "O1", "--format", "json")
	if !strings.Contains(r.stdout, "component_software/S1-AP") || !strings.Contains(r.stdout, "component_software/S1-DB.1") {
		t.Errorf("audit trail lacks an entry per component filed under O1: %+v", r)
	}
	if r := run(t, nil, "audit", "verify", "--db", db); r.code != 0 {
		t.Errorf("audit verify = %+v", r)
	}

	// Refused whole: nothing of the good files is written.
	for name, files := range map[string]map[string][]byte{
		"unknown component": {"S1-AP.cdx.json": alpine, "NO-SUCH.cdx.json": laravel},
		"not an SBOM":       {"S1-AP.cdx.json": alpine, "S1-DB.1.json": []byte(`{"hello": 1}`)},
		"not an SBOM name":  {"S1-AP.cdx.json": alpine, "README.txt": []byte("x")},
		"folder too deep":   {"S1-AP.cdx.json": alpine, "S1-DB.1/x/y.json": laravel},
	} {
		d := dir(files)
		r := run(t, nil, "import", "--db", db, "--sboms", d)
		if r.code == 0 {
			t.Errorf("%s: import --sboms = %+v", name, r)
			continue
		}
		bad := map[string]string{"unknown component": "NO-SUCH.cdx.json", "not an SBOM": "S1-DB.1.json",
			"not an SBOM name": "README.txt", "folder too deep": filepath.Join("S1-DB.1", "x")}[name]
		if !strings.Contains(r.stderr, bad) {
			t.Errorf("%s: the error does not name %s: %s", name, bad, r.stderr)
		}
		if got := software(); got != want {
			t.Errorf("%s: software changed though the import was refused:\n got %s\nwant %s", name, got, want)
		}
	}
	if r := run(t, nil, "import", "--db", db, "--sboms", good, "--component", "S1-AP"); r.code != 2 {
		t.Errorf("--sboms with --component = %+v", r)
	}
	if r := run(t, nil, "import", "--db", db, "--sboms", t.TempDir()); r.code != 1 || !strings.Contains(r.stderr, "no SBOM") {
		t.Errorf("empty folder = %+v", r)
	}

	// A broken purl: reported with its file, left out, the rest written.
	broken, err := os.ReadFile("../sbom/testdata/broken-purl.cdx.json")
	if err != nil {
		t.Fatal(err)
	}
	r = run(t, nil, "import", "--db", db, "--sboms", dir(map[string][]byte{"S1-AP.cdx.json": broken, "S1-DB.1.cdx.json": laravel}))
	if r.code != 1 || !strings.Contains(r.stderr, "skipped") || !strings.Contains(r.stderr, "S1-AP.cdx.json") {
		t.Errorf("broken purl = %+v", r)
	}
	if got := software(); !strings.Contains(got, "S1-DB.1 S1-DB.1.cdx.json=") || strings.Contains(got, "os.spdx.json") {
		t.Errorf("software after a batch with a broken purl: %s", got)
	}
}

// TestVulnDemoFacts: every CVE matched on the small demo shows a CVSS
// score taken from some published record of it, and the KEV and EPSS
// figures of the real lists the demo embeds (issue 13, item 9).
func TestVulnDemoFacts(t *testing.T) {
	// No record of this CVE carries a CVSS score: OpenSSL rates it Low in
	// words, CISA-ADP gave only an SSVC decision and the NVD never analysed
	// it.
	unscored := map[string]bool{"CVE-2024-9143": true}
	// Scored by FIRST on the score date, but their series could not be read
	// from the mirror the EPSS file is cut from.
	noEPSS := map[string]bool{"CVE-2022-41723": true, "CVE-2022-41727": true}

	feeds, err := demo.Feeds()
	if err != nil {
		t.Fatal(err)
	}
	kevListed, epssListed, published := map[string]bool{}, map[string]bool{}, map[string]string{}
	scoreDate := ""
	for _, f := range feeds {
		switch {
		case strings.HasPrefix(f.Name, "kev"):
			var cat struct{ Vulnerabilities []struct{ CveID string } }
			if err := json.Unmarshal(f.Data, &cat); err != nil {
				t.Fatal(err)
			}
			for _, v := range cat.Vulnerabilities {
				kevListed[v.CveID] = true
			}
		case strings.HasPrefix(f.Name, "epss"):
			for _, line := range strings.Split(string(f.Data), "\n") {
				if m := regexp.MustCompile(`score_date:(\d{4}-\d{2}-\d{2})`).FindStringSubmatch(line); m != nil {
					scoreDate = m[1]
				}
				if id, _, ok := strings.Cut(line, ","); ok && strings.HasPrefix(id, "CVE-") {
					epssListed[id] = true
				}
			}
		case strings.HasPrefix(f.Name, "nvd-2.0"):
			var page struct {
				Vulnerabilities []struct {
					CVE struct{ ID, Published string }
				}
			}
			if err := json.Unmarshal(f.Data, &page); err != nil {
				t.Fatal(err)
			}
			for _, v := range page.Vulnerabilities {
				published[v.CVE.ID] = v.CVE.Published
			}
		}
	}
	if len(kevListed) == 0 || len(epssListed) == 0 || scoreDate == "" {
		t.Fatalf("embedded feeds: %d KEV entries, %d EPSS scores, score date %q", len(kevListed), len(epssListed), scoreDate)
	}

	for _, scale := range []string{"small", "city"} {
		db := filepath.Join(t.TempDir(), scale+".db")
		if r := run(t, nil, "demo", "--scale", scale, "--no-serve", "--today", "2026-11-01", "--db", db); r.code != 0 {
			t.Fatalf("demo --scale %s = %+v", scale, r)
		}
		r := run(t, nil, "vuln", "report", "--db", db, "--format", "json")
		if r.code != 0 {
			t.Fatalf("vuln report (%s) = %+v", scale, r)
		}
		var rep struct {
			Exposures []struct {
				Vuln         string
				CVSS3, CVSS4 float64
				KEVDue       string `json:"kev_due"`
				EPSS         float64
			}
		}
		if err := json.Unmarshal([]byte(r.stdout), &rep); err != nil {
			t.Fatal(err)
		}
		cves, scored, kev, epss := map[string]bool{}, 0, 0, 0
		for _, e := range rep.Exposures {
			if !strings.HasPrefix(e.Vuln, "CVE-") || cves[e.Vuln] {
				continue
			}
			cves[e.Vuln] = true
			if e.CVSS3 != 0 || e.CVSS4 != 0 {
				scored++
			} else if !unscored[e.Vuln] {
				t.Errorf("%s (%s demo): no CVSS score", e.Vuln, scale)
			}
			if kevListed[e.Vuln] != (e.KEVDue != "") {
				t.Errorf("%s: KEV due %q, in the KEV catalog %v", e.Vuln, e.KEVDue, kevListed[e.Vuln])
			}
			if e.KEVDue != "" {
				kev++
			}
			if epssListed[e.Vuln] != (e.EPSS > 0) {
				t.Errorf("%s: EPSS %v, in the EPSS file %v", e.Vuln, e.EPSS, epssListed[e.Vuln])
			}
			if e.EPSS > 0 {
				epss++
			}
			// The EPSS file holds every CVE published by its score date.
			if p, ok := published[e.Vuln]; (!ok || p[:10] <= scoreDate) && !epssListed[e.Vuln] && !noEPSS[e.Vuln] {
				t.Errorf("%s (published %q) is missing from the EPSS scores of %s", e.Vuln, p, scoreDate)
			}
		}
		if len(cves) < 20 || kev == 0 || epss < len(cves)/2 {
			t.Errorf("%s demo: %d CVEs matched, %d with KEV, %d with EPSS", scale, len(cves), kev, epss)
		}
		t.Logf("%d CVEs matched on the %s demo: %d with a score, %d in KEV, %d with EPSS (%s)", len(cves), scale, scored, kev, epss, scoreDate)
	}
}
