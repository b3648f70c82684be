package match_test

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// The truth set (testdata/truth, see its README): the 87 CISA KEV entries
// of 2018 with their NVD 1.1 records, hand-written NVD 2.0, OSV and JVN
// records for the known matcher traps, and labels.tsv saying, per case
// (one standard image), whether a vulnerability is on it.
const truthDir = "testdata/truth"

// truthRow is one line of labels.tsv: one installed product of a case.
type truthRow struct {
	line                                int
	vendor, product, version, cpe, purl string
	path, vuln                          string
	expected                            bool
	note                                string
}

// truthCase is one image: its software, and the vulnerability it has or not.
type truthCase struct {
	name     string
	path     string // cpe, purl or jvn: the path the verdict is expected from
	vuln     string
	expected bool
	note     string
	rows     []truthRow
}

func readLabels(t *testing.T) []*truthCase {
	t.Helper()
	f, err := os.Open(filepath.Join(truthDir, "labels.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<16), 1<<20)
	want := []string{"case", "path", "vendor", "product", "version", "cpe", "purl", "vuln_id", "expected", "note"}
	byName := map[string]*truthCase{}
	var out []*truthCase
	for n := 1; sc.Scan(); n++ {
		cols := strings.Split(sc.Text(), "\t")
		if len(cols) != len(want) {
			t.Fatalf("labels.tsv:%d: %d columns, want %d", n, len(cols), len(want))
		}
		if n == 1 {
			if !slices.Equal(cols, want) {
				t.Fatalf("labels.tsv: header %q, want %q", cols, want)
			}
			continue
		}
		if cols[8] != "0" && cols[8] != "1" {
			t.Fatalf("labels.tsv:%d: expected %q is not 0 or 1", n, cols[8])
		}
		switch cols[1] {
		case match.PathCPE, match.PathPURL, match.PathJVN:
		default:
			t.Fatalf("labels.tsv:%d: path %q", n, cols[1])
		}
		r := truthRow{line: n, path: cols[1], vendor: cols[2], product: cols[3], version: cols[4], cpe: cols[5], purl: cols[6],
			vuln: cols[7], expected: cols[8] == "1", note: cols[9]}
		c := byName[cols[0]]
		if c == nil {
			c = &truthCase{name: cols[0], path: r.path, vuln: r.vuln, expected: r.expected, note: r.note}
			byName[c.name] = c
			out = append(out, c)
		} else if c.path != r.path || c.vuln != r.vuln || c.expected != r.expected {
			t.Fatalf("labels.tsv:%d: case %s: path, vuln_id and expected differ from its first row", n, c.name)
		}
		c.rows = append(c.rows, r)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// record builds a record of e from named values.
func record(t *testing.T, e *mamori.Entity, vals map[string]any) mamori.Record {
	t.Helper()
	rec := make(mamori.Record, len(e.Fields))
	for k, v := range vals {
		i := e.FieldIndex(k)
		if i < 0 {
			t.Fatalf("%s has no field %s", e.Name, k)
		}
		rec[i] = v
	}
	return rec
}

func orNil(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// loadCases writes one organization, and per case a system, an image with
// the case's software and a server component running the image.
func loadCases(t *testing.T, st *store.Store, cases []*truthCase) {
	t.Helper()
	put := map[string][]mamori.Record{}
	ent := func(name string) *mamori.Entity { return mamori.EntityByName(name) }
	add := func(name string, vals map[string]any) { put[name] = append(put[name], record(t, ent(name), vals)) }
	add("organizations", map[string]any{"code": "TRUTH", "kind": "government", "name": "真値集合"})
	for _, c := range cases {
		add("systems", map[string]any{"code": "S-" + c.name, "org_code": "TRUTH", "name": c.name, "in_register": true,
			"class": "information_system", "status": "operating"})
		add("images", map[string]any{"code": "I-" + c.name, "org_code": "TRUTH", "name": c.name})
		for _, r := range c.rows {
			add("image_software", map[string]any{"image_code": "I-" + c.name, "vendor": r.vendor, "product": r.product,
				"version": r.version, "cpe": orNil(r.cpe), "purl": orNil(r.purl)})
		}
		add("components", map[string]any{"code": "C-" + c.name, "system_code": "S-" + c.name, "kind": "server", "image_code": "I-" + c.name})
	}
	err := st.Load(t.Context(), store.LoadOptions{}, func(l *store.Loader) error {
		for _, name := range []string{"organizations", "systems", "images", "image_software", "components"} {
			if err := l.Put(ent(name), put[name]); err != nil {
				return fmt.Errorf("%s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("load cases: %v", err)
	}
}

// importTruthFeeds imports every feed of the truth set; none may report a
// problem.
func importTruthFeeds(t *testing.T, st *store.Store) {
	t.Helper()
	for _, f := range []struct {
		name    string
		records int
	}{
		{"nvdcve-1.1-2018-kev.json.gz", 87}, {"traps-nvd20.jsonl", 13}, {"osv", 17}, {"jvn-traps.rdf", 3}, {"kev-2018.json", 87},
	} {
		res, err := feed.ImportPath(t.Context(), st, filepath.Join(truthDir, f.name), feed.Options{Now: truthDay(0)})
		if err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
		if err := res.Err(); err != nil {
			t.Fatalf("import %s: %v", f.name, err)
		}
		if res.Records != f.records {
			t.Fatalf("import %s: %d records, want %d", f.name, res.Records, f.records)
		}
	}
}

func truthDay(n int) time.Time { return time.Date(2026, 11, 2+n, 9, 0, 0, 0, time.UTC) }

// knownMisses are labelled cases the matcher is known to get wrong, with
// where the fault lies. They count in the figures (the figures are what
// the matcher does) but do not fail the test; a known miss that starts
// passing does, so that this list only shrinks.
var knownMisses = map[string]string{}

// score counts one path's verdicts.
type score struct{ tp, fp, fn, tn int }

func (s score) precision() string { return ratio(s.tp, s.tp+s.fp) }
func (s score) recall() string    { return ratio(s.tp, s.tp+s.fn) }

func ratio(a, b int) string {
	if b == 0 {
		return "—"
	}
	return fmt.Sprintf("%.3f", float64(a)/float64(b))
}

// TestTruthSet matches the labelled inventory against the truth feeds on
// both stores and fails on any case the matcher gets wrong: an expected
// vulnerability missed, an unexpected one found, or one found through
// another path than labelled. It logs precision and recall per path.
func TestTruthSet(t *testing.T) {
	cases := readLabels(t)
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		start := time.Now()
		loadCases(t, st, cases)
		importTruthFeeds(t, st)
		loaded := time.Since(start)
		res, err := match.Run(ctx, st, match.Options{Now: truthDay(0)})
		if err != nil {
			t.Fatalf("match.Run: %v", err)
		}
		if len(res.Problems) > 0 {
			t.Errorf("inventory problems: %q", res.Problems)
		}
		ms, err := st.Matches(ctx, store.MatchFilter{OwnerKind: store.OwnerImage, OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		byImage := map[string][]store.Match{}
		for _, m := range ms {
			byImage[m.OwnerCode] = append(byImage[m.OwnerCode], m)
		}
		scores := map[string]*score{match.PathCPE: {}, match.PathPURL: {}, match.PathJVN: {}}
		var wrong []string
		confidence := map[string]int{} // of each case's match
		for _, c := range cases {
			before := len(wrong)
			var hit *store.Match
			for i, m := range byImage["I-"+c.name] {
				if slices.Contains(m.IDs(), c.vuln) {
					hit = &byImage["I-"+c.name][i]
					break
				}
			}
			if hit != nil {
				confidence[c.name] = hit.Confidence
			}
			s := scores[c.path]
			switch {
			case c.expected && hit != nil:
				s.tp++
				if hit.Path != c.path {
					wrong = append(wrong, fmt.Sprintf("%s: %s found through %s (%s), labelled %s — %s", c.name, c.vuln, hit.Path, hit.Detail, c.path, c.note))
				}
				if c.path == match.PathJVN && hit.Confidence > 40 {
					wrong = append(wrong, fmt.Sprintf("%s: JVN vendor/product match at confidence %d, want at most 40", c.name, hit.Confidence))
				}
				// A match that read an attribute the inventory left
				// unstated, or a version written otherwise, is shown at
				// its own, lower confidence, and says why; an exact CPE
				// match never is.
				unstated := strings.Contains(hit.Detail, match.LowerConfidence)
				switch {
				case strings.HasPrefix(c.name, "anyhost-") && (hit.Confidence != match.ConfidenceUnstated || !unstated):
					wrong = append(wrong, fmt.Sprintf("%s: %s at confidence %d (%s), want %d saying why", c.name, c.vuln, hit.Confidence, hit.Detail, match.ConfidenceUnstated))
				case !strings.HasPrefix(c.name, "anyhost-") && c.path == match.PathCPE && unstated:
					wrong = append(wrong, fmt.Sprintf("%s: %s matched only approximately (%s), but the inventory states it exactly", c.name, c.vuln, hit.Detail))
				}
			case c.expected:
				s.fn++
				wrong = append(wrong, fmt.Sprintf("%s: missed %s (expected 1) — %s", c.name, c.vuln, c.note))
			case hit != nil:
				s.fp++
				wrong = append(wrong, fmt.Sprintf("%s: found %s via %s %q (expected 0) — %s", c.name, c.vuln, hit.Path, hit.Detail, c.note))
			default:
				s.tn++
			}
			if why, known := knownMisses[c.name]; known {
				if len(wrong) == before {
					wrong = append(wrong, fmt.Sprintf("%s: listed in knownMisses (%s) but now right: remove it from the list", c.name, why))
				} else {
					t.Logf("known matcher fault, not a label error: %s [%s]", wrong[before], why)
					wrong = wrong[:before]
				}
			}
		}
		for name := range knownMisses {
			if !slices.ContainsFunc(cases, func(c *truthCase) bool { return c.name == name }) {
				wrong = append(wrong, "knownMisses names "+name+", which labels.tsv does not have")
			}
		}
		// The report and its search find every expected case by the
		// labelled identifier, whichever name the match carries.
		for _, c := range cases {
			rep, err := match.BuildReport(ctx, st, match.Scope{System: "S-" + c.name, Vuln: c.vuln})
			if err != nil {
				t.Fatal(err)
			}
			if found := len(rep.Exposures) > 0; found != c.expected {
				wrong = append(wrong, fmt.Sprintf("%s: vuln report --system S-%s --vuln %s finds %d exposures, want expected=%v", c.name, c.name, c.vuln, len(rep.Exposures), c.expected))
			}
			// --min-confidence 80 leaves out exactly the weaker matches:
			// through unstated attributes (70), JVN, made-up CPEs.
			if rep, err = match.BuildReport(ctx, st, match.Scope{System: "S-" + c.name, Vuln: c.vuln, MinConfidence: match.ConfidenceExact}); err != nil {
				t.Fatal(err)
			}
			if found, want := len(rep.Exposures) > 0, c.expected && confidence[c.name] >= match.ConfidenceExact; found != want {
				wrong = append(wrong, fmt.Sprintf("%s: vuln report --vuln %s --min-confidence %d finds %d exposures, want found=%v", c.name, c.vuln, match.ConfidenceExact, len(rep.Exposures), want))
			}
		}
		var all score
		var b strings.Builder
		fmt.Fprintf(&b, "truth set: %d cases, %d inventory rows, %d open matches on their images; load+import %v, match %v (matching %v)\n",
			len(cases), res.Items, len(ms), loaded.Round(time.Millisecond), res.Elapsed.Round(time.Millisecond), res.MatchElapsed.Round(time.Microsecond))
		fmt.Fprintf(&b, "%-8s %5s %5s %5s %5s %9s %9s\n", "path", "TP", "FP", "FN", "TN", "precision", "recall")
		for _, p := range []string{match.PathCPE, match.PathPURL, match.PathJVN} {
			s := *scores[p]
			all.tp, all.fp, all.fn, all.tn = all.tp+s.tp, all.fp+s.fp, all.fn+s.fn, all.tn+s.tn
			fmt.Fprintf(&b, "%-8s %5d %5d %5d %5d %9s %9s\n", p, s.tp, s.fp, s.fn, s.tn, s.precision(), s.recall())
		}
		fmt.Fprintf(&b, "%-8s %5d %5d %5d %5d %9s %9s", "overall", all.tp, all.fp, all.fn, all.tn, all.precision(), all.recall())
		t.Log("\n" + b.String())
		if all.tp+all.fn == 0 || all.fp+all.tn == 0 {
			t.Fatal("the truth set needs both affected and unaffected cases")
		}
		for _, w := range wrong {
			t.Error(w)
		}
	})
}

// TestMatchReopensAndCloses follows one image through a patch and a
// rollback: the match opens, closes on the day the fixed version is
// recorded, and opens again when the vulnerable version comes back.
//
// The image_software key includes the version column and the store has no
// way to remove one image's software row, so the row keeps its register
// version ("1") and the change is to its CPE, which carries the exact
// build the matcher compares.
func TestMatchReopensAndCloses(t *testing.T) {
	storetest.Each(t, func(t *testing.T, st *store.Store) {
		ctx := t.Context()
		res, err := feed.ImportPath(ctx, st, filepath.Join(truthDir, "traps-nvd20.jsonl"), feed.Options{Now: truthDay(0)})
		if err != nil {
			t.Fatal(err)
		}
		if err := res.Err(); err != nil {
			t.Fatal(err)
		}
		c := &truthCase{name: "patch", rows: []truthRow{{vendor: "mamori_test", product: "bounded_product", version: "1"}}}
		install := func(build string) {
			t.Helper()
			c.rows[0].cpe = "cpe:2.3:a:mamori_test:bounded_product:" + build + ":*:*:*:*:*:*:*"
			loadCases(t, st, []*truthCase{c})
		}
		const vuln = "CVE-2099-0004" // bounded_product < 2.0
		run := func(day int) (store.Match, bool, *match.Result) {
			t.Helper()
			res, err := match.Run(ctx, st, match.Options{Now: truthDay(day)})
			if err != nil {
				t.Fatal(err)
			}
			ms, err := st.Matches(ctx, store.MatchFilter{OwnerKind: store.OwnerImage, OwnerCode: "I-patch", VulnID: vuln})
			if err != nil {
				t.Fatal(err)
			}
			if len(ms) > 1 {
				t.Fatalf("%d rows for one match", len(ms))
			}
			if len(ms) == 0 {
				return store.Match{}, false, res
			}
			return ms[0], true, res
		}
		day := func(n int) string { return truthDay(n).Format(time.DateOnly) }

		install("1.9")
		m, ok, r := run(1)
		if !ok || m.ClosedOn != "" || m.FirstSeen != day(1) || m.LastSeen != day(1) || r.Run.Opened != 1 {
			t.Fatalf("day 1 (1.9 installed): match %+v found=%v run %+v, want open since %s", m, ok, r.Run, day(1))
		}
		m, ok, r = run(2) // nothing changed: still open, seen again
		if !ok || m.ClosedOn != "" || m.FirstSeen != day(1) || m.LastSeen != day(2) || r.Run.Known != 1 {
			t.Fatalf("day 2 (unchanged): match %+v run %+v, want open since %s, last seen %s", m, r.Run, day(1), day(2))
		}
		install("2.0")
		m, ok, r = run(3)
		if !ok || m.ClosedOn != day(3) || m.FirstSeen != day(1) || r.Run.Closed != 1 {
			t.Fatalf("day 3 (2.0 installed): match %+v run %+v, want closed on %s", m, r.Run, day(3))
		}
		m, ok, r = run(4) // still fixed: stays closed on the day it closed
		if !ok || m.ClosedOn != day(3) || r.Run.Closed != 0 {
			t.Fatalf("day 4 (unchanged): match %+v run %+v, want still closed on %s", m, r.Run, day(3))
		}
		install("1.9")
		m, ok, r = run(5)
		if !ok || m.ClosedOn != "" || m.FirstSeen != day(5) || m.LastSeen != day(5) || r.Run.Reopened != 1 {
			t.Fatalf("day 5 (1.9 back): match %+v run %+v, want reopened on %s", m, r.Run, day(5))
		}
		open, err := st.Matches(ctx, store.MatchFilter{OpenOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		if len(open) != 1 || open[0].VulnID != vuln {
			t.Fatalf("open matches %+v, want only %s", open, vuln)
		}
	})
}

// TestTruthSubsetProvenance checks that the extracted NVD and KEV files
// hold exactly the 2018 KEV entries of the shared copies, unchanged. The
// truth test itself reads only testdata.
func TestTruthSubsetProvenance(t *testing.T) {
	const shared = "../../../shared/data/vuln"
	nvdPath := filepath.Join(shared, "nvd", "nvdcve-1.1-2018.json.gz")
	kevPath := filepath.Join(shared, "kev", "known_exploited_vulnerabilities.json")
	for _, p := range []string{nvdPath, kevPath} {
		if _, err := os.Stat(p); err != nil {
			t.Skipf("shared data not here: %v", err)
		}
	}
	if testing.Short() {
		t.Skip("reads the 76 MB NVD 2018 feed")
	}
	readJSON := func(path string, v any) {
		t.Helper()
		f, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		var r = bufio.NewReader(f)
		if strings.HasSuffix(path, ".gz") {
			zr, err := gzip.NewReader(r)
			if err != nil {
				t.Fatal(err)
			}
			defer zr.Close()
			r = bufio.NewReader(zr)
		}
		if err := json.NewDecoder(r).Decode(v); err != nil {
			t.Fatalf("%s: %v", path, err)
		}
	}
	type kevFile struct {
		Count           int              `json:"count"`
		Vulnerabilities []map[string]any `json:"vulnerabilities"`
	}
	var kevAll, kevSub kevFile
	readJSON(kevPath, &kevAll)
	readJSON(filepath.Join(truthDir, "kev-2018.json"), &kevSub)
	var want []map[string]any
	ids := map[string]bool{}
	for _, v := range kevAll.Vulnerabilities {
		if id, _ := v["cveID"].(string); strings.HasPrefix(id, "CVE-2018-") {
			want = append(want, v)
			ids[id] = true
		}
	}
	if len(want) != 87 || kevSub.Count != len(kevSub.Vulnerabilities) || !reflect.DeepEqual(kevSub.Vulnerabilities, want) {
		t.Errorf("kev-2018.json: count %d, %d entries; want the %d CVE-2018 entries of the shared catalog unchanged",
			kevSub.Count, len(kevSub.Vulnerabilities), len(want))
	}
	type nvdFile struct {
		Number string           `json:"CVE_data_numberOfCVEs"`
		Items  []map[string]any `json:"CVE_Items"`
	}
	var nvdAll, nvdSub nvdFile
	readJSON(nvdPath, &nvdAll)
	readJSON(filepath.Join(truthDir, "nvdcve-1.1-2018-kev.json.gz"), &nvdSub)
	var items []map[string]any
	for _, it := range nvdAll.Items {
		id := it["cve"].(map[string]any)["CVE_data_meta"].(map[string]any)["ID"].(string)
		if ids[id] {
			items = append(items, it)
		}
	}
	if nvdSub.Number != fmt.Sprint(len(nvdSub.Items)) || len(items) != 87 || !reflect.DeepEqual(nvdSub.Items, items) {
		t.Errorf("nvdcve-1.1-2018-kev.json.gz: numberOfCVEs %s, %d items; want the %d KEV records of the shared feed unchanged",
			nvdSub.Number, len(nvdSub.Items), len(items))
	}
}
