// Command osvdiff is the comparison half of the differential test of
// mamori's purl matcher against osv-scanner (see README.md; run.sh drives
// both tools). It only reads the tools' JSON outputs, the SBOM and the OSV
// records; it imports nothing from mamori and nothing outside the standard
// library.
//
//	osvdiff zip -src DIR -out FILE      zip DIR's OSV records (*.json) as an all.zip
//	osvdiff cdx -sbom F -out G.cdx.json write F's golang purls as a CycloneDX 1.4
//	                                    SBOM whose component names are the full
//	                                    module paths taken from the purls
//	osvdiff compare -label L -sbom F -records DIR -osv OUT.json -mamori REPORT.json [timings]
//	osvdiff gen, osvdiff triples        the scale benchmark's inventory and
//	                                    comparison (scale.go, bench/scale)
//
// compare reduces both outputs to (package, version, advisory) triples,
// keyed on the GO- id (CVE/GHSA ids are mapped to the GO- record that
// aliases them), and prints each side, the intersection and every
// disagreement. A third opinion, the "referee", evaluates every golang
// purl of the SBOM against every OSV record of the folder with a plain
// reading of the OSV schema (SEMVER events, semver 2.0 precedence), so that
// each disagreement comes with the record's ranges and a verdict to check.
package main

import (
	"archive/zip"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	var err error
	switch os.Args[1] {
	case "zip":
		err = cmdZip(os.Args[2:])
	case "compare":
		err = cmdCompare(os.Args[2:])
	case "cdx":
		err = cmdCDX(os.Args[2:])
	case "gen":
		err = cmdGen(os.Args[2:])
	case "triples":
		err = cmdTriples(os.Args[2:])
	default:
		usage()
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "osvdiff:", err)
		os.Exit(1)
	}
}

func usage() {
	fmt.Fprintln(os.Stderr, "usage: osvdiff zip -src DIR -out FILE | osvdiff cdx -sbom F -out G.cdx.json | osvdiff compare -label L -sbom F -records DIR -osv OUT.json -mamori REPORT.json [-t-osv S -t-vimport S -t-import S -t-match S] | osvdiff gen -records DIR -n N -out DIR [SBOM...] | osvdiff triples -records DIR -register F -osv DIR -mamori REPORT.json")
	os.Exit(2)
}

// ---- zip ----------------------------------------------------------------

func cmdZip(args []string) error {
	fs := flag.NewFlagSet("zip", flag.ExitOnError)
	src := fs.String("src", "", "folder of OSV records")
	out := fs.String("out", "", "zip file to write")
	fs.Parse(args)
	if *src == "" || *out == "" {
		usage()
	}
	names, err := filepath.Glob(filepath.Join(*src, "*.json"))
	if err != nil {
		return err
	}
	slices.Sort(names)
	if err := os.MkdirAll(filepath.Dir(*out), 0o755); err != nil {
		return err
	}
	tmp := *out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return err
		}
		w, err := zw.Create(filepath.Base(n))
		if err != nil {
			return err
		}
		if _, err := w.Write(b); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	fmt.Printf("zipped %d records into %s\n", len(names), *out)
	return nil
}

// ---- cdx: the SBOM's golang purls, names normalised from the purl ----------

func cmdCDX(args []string) error {
	fs := flag.NewFlagSet("cdx", flag.ExitOnError)
	in := fs.String("sbom", "", "SBOM to read (CycloneDX or SPDX JSON)")
	out := fs.String("out", "", "CycloneDX file to write (name it *.cdx.json)")
	fs.Parse(args)
	if *in == "" || *out == "" {
		usage()
	}
	pkgs, err := sbomGoPackages(*in)
	if err != nil {
		return err
	}
	type comp struct {
		Type    string `json:"type"`
		BOMRef  string `json:"bom-ref"`
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
		PURL    string `json:"purl"`
	}
	doc := struct {
		BOMFormat   string `json:"bomFormat"`
		SpecVersion string `json:"specVersion"`
		Version     int    `json:"version"`
		Components  []comp `json:"components"`
	}{BOMFormat: "CycloneDX", SpecVersion: "1.4", Version: 1, Components: []comp{}}
	for _, p := range pkgs {
		u := "pkg:golang/" + p.name
		if p.version != "" {
			u += "@" + url.PathEscape(p.version)
		}
		doc.Components = append(doc.Components, comp{Type: "library", BOMRef: u, Name: p.name, Version: p.version, PURL: u})
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(*out, append(b, '\n'), 0o644)
}

// ---- OSV records ----------------------------------------------------------

type osvRecord struct {
	ID        string   `json:"id"`
	Aliases   []string `json:"aliases"`
	Withdrawn string   `json:"withdrawn"`
	Affected  []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
			Name      string `json:"name"`
		} `json:"package"`
		Ranges []struct {
			Type   string `json:"type"`
			Events []struct {
				Introduced   string `json:"introduced"`
				Fixed        string `json:"fixed"`
				LastAffected string `json:"last_affected"`
				Limit        string `json:"limit"`
			} `json:"events"`
		} `json:"ranges"`
		Versions []string `json:"versions"`
	} `json:"affected"`
}

type records struct {
	byID   map[string]*osvRecord
	byName map[string][]*osvRecord // lower-cased Go package name
	alias  map[string]string       // CVE/GHSA -> GO id (first in id order)
}

func loadRecords(dir string) (*records, error) {
	names, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	slices.Sort(names)
	rs := &records{byID: map[string]*osvRecord{}, byName: map[string][]*osvRecord{}, alias: map[string]string{}}
	for _, n := range names {
		b, err := os.ReadFile(n)
		if err != nil {
			return nil, err
		}
		var r osvRecord
		if err := json.Unmarshal(b, &r); err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		rs.byID[r.ID] = &r
		seen := map[string]bool{}
		for _, a := range r.Affected {
			k := strings.ToLower(a.Package.Name)
			if a.Package.Ecosystem == "Go" && !seen[k] {
				seen[k] = true
				rs.byName[k] = append(rs.byName[k], &r)
			}
		}
		for _, a := range r.Aliases {
			if _, ok := rs.alias[a]; !ok {
				rs.alias[a] = r.ID
			}
		}
	}
	return rs, nil
}

// goID maps any advisory id to the GO- record's id ("" if none).
func (rs *records) goID(id string) string {
	if strings.HasPrefix(id, "GO-") {
		return id
	}
	return rs.alias[id]
}

// ---- semver 2.0 (Go module versions, OSV SEMVER ranges) -------------------

type semver struct {
	num [3]int64
	pre []string
}

func parseSemver(s string) (semver, bool) {
	s = strings.TrimPrefix(s, "v")
	if i := strings.IndexByte(s, '+'); i >= 0 {
		s = s[:i] // build metadata ("+incompatible") does not order
	}
	var v semver
	core, pre, hasPre := strings.Cut(s, "-")
	parts := strings.Split(core, ".")
	if len(parts) != 3 {
		return v, false
	}
	for i, p := range parts {
		n, err := strconv.ParseInt(p, 10, 64)
		if err != nil || p == "" {
			return v, false
		}
		v.num[i] = n
	}
	if hasPre {
		v.pre = strings.Split(pre, ".")
	}
	return v, true
}

func isNum(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

func (a semver) cmp(b semver) int {
	for i := range 3 {
		if a.num[i] != b.num[i] {
			if a.num[i] < b.num[i] {
				return -1
			}
			return 1
		}
	}
	switch {
	case len(a.pre) == 0 && len(b.pre) == 0:
		return 0
	case len(a.pre) == 0:
		return 1
	case len(b.pre) == 0:
		return -1
	}
	for i := 0; i < len(a.pre) && i < len(b.pre); i++ {
		x, y := a.pre[i], b.pre[i]
		if x == y {
			continue
		}
		xn, yn := isNum(x), isNum(y)
		switch {
		case xn && yn:
			if len(x) != len(y) {
				if len(x) < len(y) {
					return -1
				}
				return 1
			}
			return strings.Compare(x, y)
		case xn:
			return -1
		case yn:
			return 1
		default:
			return strings.Compare(x, y)
		}
	}
	switch {
	case len(a.pre) < len(b.pre):
		return -1
	case len(a.pre) > len(b.pre):
		return 1
	}
	return 0
}

// verdict evaluates one record for one installed version, per the OSV
// schema's evaluation of SEMVER events; it returns whether the version is
// affected and the ranges as text.
func verdict(r *osvRecord, name, ver string) (bool, string, bool) {
	v, ok := parseSemver(ver)
	var text []string
	affected := false
	for _, a := range r.Affected {
		if a.Package.Ecosystem != "Go" || !strings.EqualFold(a.Package.Name, name) {
			continue
		}
		for _, lv := range a.Versions {
			text = append(text, "version "+lv)
			if strings.TrimPrefix(lv, "v") == strings.TrimPrefix(ver, "v") {
				affected = true
			}
		}
		for _, rg := range a.Ranges {
			var parts []string
			for _, e := range rg.Events {
				switch {
				case e.Introduced != "":
					parts = append(parts, "introduced "+e.Introduced)
				case e.Fixed != "":
					parts = append(parts, "fixed "+e.Fixed)
				case e.LastAffected != "":
					parts = append(parts, "last_affected "+e.LastAffected)
				case e.Limit != "":
					parts = append(parts, "limit "+e.Limit)
				}
			}
			text = append(text, rg.Type+" ["+strings.Join(parts, ", ")+"]")
			if (rg.Type != "SEMVER" && rg.Type != "ECOSYSTEM") || !ok {
				continue
			}
			// Events in version order; "0" is below everything.
			type ev struct {
				kind string
				at   semver
				zero bool
			}
			var evs []ev
			for _, e := range rg.Events {
				k, s := "", ""
				switch {
				case e.Introduced != "":
					k, s = "i", e.Introduced
				case e.Fixed != "":
					k, s = "f", e.Fixed
				case e.LastAffected != "":
					k, s = "l", e.LastAffected
				default:
					continue
				}
				if s == "0" {
					evs = append(evs, ev{kind: k, zero: true})
					continue
				}
				at, good := parseSemver(s)
				if !good {
					continue
				}
				evs = append(evs, ev{kind: k, at: at})
			}
			slices.SortStableFunc(evs, func(x, y ev) int {
				switch {
				case x.zero && y.zero:
					return 0
				case x.zero:
					return -1
				case y.zero:
					return 1
				}
				return x.at.cmp(y.at)
			})
			in := false
			for _, e := range evs {
				switch e.kind {
				case "i":
					if e.zero || v.cmp(e.at) >= 0 {
						in = true
					}
				case "f":
					if !e.zero && v.cmp(e.at) >= 0 {
						in = false
					}
				case "l":
					if !e.zero && v.cmp(e.at) > 0 {
						in = false
					}
				}
			}
			if in {
				affected = true
			}
		}
	}
	return affected, strings.Join(text, "; "), ok
}

// ---- SBOM purls --------------------------------------------------------------

type pkg struct{ name, version string }

// sbomGoPackages collects every distinct golang purl anywhere in the SBOM
// (CycloneDX components and SPDX externalRefs alike).
func sbomGoPackages(path string) ([]pkg, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc any
	if err := json.Unmarshal(b, &doc); err != nil {
		return nil, err
	}
	seen := map[pkg]bool{}
	var out []pkg
	var walk func(any)
	walk = func(x any) {
		switch t := x.(type) {
		case map[string]any:
			for _, v := range t {
				walk(v)
			}
		case []any:
			for _, v := range t {
				walk(v)
			}
		case string:
			if !strings.HasPrefix(t, "pkg:golang/") {
				return
			}
			s := strings.TrimPrefix(t, "pkg:golang/")
			if i := strings.IndexByte(s, '#'); i >= 0 {
				s = s[:i]
			}
			if i := strings.IndexByte(s, '?'); i >= 0 {
				s = s[:i]
			}
			name, ver := s, ""
			if i := strings.LastIndexByte(s, '@'); i >= 0 {
				name, ver = s[:i], s[i+1:]
			}
			if u, err := url.PathUnescape(name); err == nil {
				name = u
			}
			if u, err := url.PathUnescape(ver); err == nil {
				ver = u
			}
			p := pkg{name, ver}
			if !seen[p] {
				seen[p] = true
				out = append(out, p)
			}
		}
	}
	walk(doc)
	return out, nil
}

// ---- the tools' outputs -------------------------------------------------------

// triple is one finding; the key lower-cases the name and drops a "v".
type triple struct{ name, version, id string }

func (t triple) key() string {
	return strings.ToLower(t.name) + "@" + strings.TrimPrefix(t.version, "v") + " " + t.id
}

type osvOutput struct {
	Results []struct {
		Packages []struct {
			Package struct {
				Name      string `json:"name"`
				Version   string `json:"version"`
				Ecosystem string `json:"ecosystem"`
			} `json:"package"`
			Vulnerabilities []struct {
				ID      string   `json:"id"`
				Aliases []string `json:"aliases"`
			} `json:"vulnerabilities"`
		} `json:"packages"`
	} `json:"results"`
}

func osvTriples(path string, rs *records) ([]triple, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var o osvOutput
	if len(strings.TrimSpace(string(b))) > 0 {
		if err := json.Unmarshal(b, &o); err != nil {
			return nil, nil, fmt.Errorf("%s: %w", path, err)
		}
	}
	var out []triple
	var notes []string
	for _, r := range o.Results {
		for _, p := range r.Packages {
			if p.Package.Ecosystem != "Go" {
				notes = append(notes, fmt.Sprintf("ignored non-Go finding: %s %s %s", p.Package.Ecosystem, p.Package.Name, p.Package.Version))
				continue
			}
			for _, v := range p.Vulnerabilities {
				id := rs.goID(v.ID)
				if id == "" {
					notes = append(notes, "osv-scanner id without a GO- record: "+v.ID)
					id = v.ID
				}
				out = append(out, triple{p.Package.Name, p.Package.Version, id})
			}
		}
	}
	return out, notes, nil
}

type mamoriReport struct {
	Exposures []struct {
		Vuln       string   `json:"vuln"`
		Software   []string `json:"software"`
		Path       string   `json:"path"`
		Advisories string   `json:"advisories"`
	} `json:"exposures"`
}

func mamoriTriples(path string, rs *records) ([]triple, []string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, nil, err
	}
	var m mamoriReport
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	var out []triple
	var notes []string
	for _, e := range m.Exposures {
		if len(e.Software) > 1 {
			notes = append(notes, fmt.Sprintf("%s lists %d software entries; each is paired with each advisory", e.Vuln, len(e.Software)))
		}
		ids := strings.Fields(e.Advisories)
		if len(ids) == 0 {
			ids = []string{e.Vuln}
		}
		var goIDs []string
		for _, id := range ids {
			if g := rs.goID(id); g != "" && !slices.Contains(goIDs, g) {
				goIDs = append(goIDs, g)
			}
		}
		if len(goIDs) == 0 {
			// Not an OSV Go match: the demo data set carries a sample
			// of NVD records, and the SBOM's CPEs meet some of them.
			notes = append(notes, fmt.Sprintf("left out: mamori %s match %s on %s (%s), no GO- advisory", e.Path, e.Vuln, strings.Join(e.Software, ", "), e.Advisories))
			continue
		}
		for _, nv := range softwareOf(e.Software) {
			for _, id := range goIDs {
				out = append(out, triple{nv[0], nv[1], id})
			}
		}
	}
	return out, notes, nil
}

// softwareOf splits an exposure's software into (name, version) pairs.
// Each entry is one match's software, which names every affected package
// of its owner joined by ", " ("github.com/jackc/pgx v3.3.0+incompatible,
// github.com/jackc/pgx/v4 v4.17.0"); within a package the version follows
// the last space. Splitting on the last space alone made one package of
// "pgx v3.3.0+incompatible, github.com/jackc/pgx/v4" at "v4.17.0".
func softwareOf(entries []string) [][2]string {
	var out [][2]string
	for _, entry := range entries {
		for sw := range strings.SplitSeq(entry, ", ") {
			name, ver := sw, ""
			if i := strings.LastIndexByte(sw, ' '); i >= 0 {
				name, ver = sw[:i], sw[i+1:]
			}
			out = append(out, [2]string{name, ver})
		}
	}
	return out
}

// ---- compare ---------------------------------------------------------------------

func set(ts []triple) map[string]triple {
	m := map[string]triple{}
	for _, t := range ts {
		m[t.key()] = t
	}
	return m
}

func sortedKeys(m map[string]triple) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func secs(s string) float64 {
	f, _ := strconv.ParseFloat(s, 64)
	return f
}

func cmdCompare(args []string) error {
	fs := flag.NewFlagSet("compare", flag.ExitOnError)
	label := fs.String("label", "", "name of the SBOM in the output")
	sbomPath := fs.String("sbom", "", "the SBOM both tools read")
	recDir := fs.String("records", "", "folder of the OSV records both tools used")
	osvPath := fs.String("osv", "", "osv-scanner --format json output")
	mamPath := fs.String("mamori", "", "mamori vuln report --format json output")
	tOSV := fs.String("t-osv", "", "osv-scanner wall time, seconds")
	tVImport := fs.String("t-vimport", "", "mamori vuln import (OSV folder) wall time, seconds")
	tImport := fs.String("t-import", "", "mamori import --component (SBOM) wall time, seconds")
	tMatch := fs.String("t-match", "", "mamori vuln match wall time, seconds")
	fs.Parse(args)
	if *sbomPath == "" || *recDir == "" || *osvPath == "" || *mamPath == "" {
		usage()
	}
	if *label == "" {
		*label = filepath.Base(*sbomPath)
	}
	rs, err := loadRecords(*recDir)
	if err != nil {
		return err
	}
	pkgs, err := sbomGoPackages(*sbomPath)
	if err != nil {
		return err
	}
	ot, onotes, err := osvTriples(*osvPath, rs)
	if err != nil {
		return err
	}
	mt, mnotes, err := mamoriTriples(*mamPath, rs)
	if err != nil {
		return err
	}
	// The referee: every golang purl against every record naming it.
	var rt []triple
	unparsable := 0
	for _, p := range pkgs {
		if _, ok := parseSemver(p.version); !ok {
			unparsable++
		}
		for _, r := range rs.byName[strings.ToLower(p.name)] {
			if r.Withdrawn != "" {
				continue
			}
			if aff, _, _ := verdict(r, p.name, p.version); aff {
				rt = append(rt, triple{p.name, p.version, r.ID})
			}
		}
	}
	os_, ms, rfs := set(ot), set(mt), set(rt)
	both := map[string]triple{}
	onlyO, onlyM, missed := map[string]triple{}, map[string]triple{}, map[string]triple{}
	for k, t := range os_ {
		if _, ok := ms[k]; ok {
			both[k] = t
		} else {
			onlyO[k] = t
		}
	}
	for k, t := range ms {
		if _, ok := os_[k]; !ok {
			onlyM[k] = t
		}
	}
	for k, t := range rfs {
		_, a := os_[k]
		_, b := ms[k]
		if !a && !b {
			missed[k] = t
		}
	}
	pkgKey := func(m map[string]triple) int {
		ps := map[string]bool{}
		for _, t := range m {
			ps[strings.ToLower(t.name)+"@"+strings.TrimPrefix(t.version, "v")] = true
		}
		return len(ps)
	}
	fmt.Printf("== %s (%s)\n", *label, filepath.Base(*sbomPath))
	fmt.Printf("golang purls in the SBOM: %d distinct (name, version), %d with a version that is not semver\n", len(pkgs), unparsable)
	fmt.Printf("osv-scanner: %d (package, version, advisory) triples on %d packages\n", len(os_), pkgKey(os_))
	fmt.Printf("mamori:      %d triples on %d packages\n", len(ms), pkgKey(ms))
	fmt.Printf("both:        %d\n", len(both))
	fmt.Printf("referee:     %d triples (own reading of the OSV ranges)\n", len(rfs))
	// The same at advisory level: which GO- ids each tool reports at all,
	// whatever package it pins them on.
	idsOf := func(m map[string]triple) map[string]bool {
		out := map[string]bool{}
		for _, t := range m {
			out[t.id] = true
		}
		return out
	}
	oi, mi := idsOf(os_), idsOf(ms)
	var idBoth, idOnlyO, idOnlyM []string
	for id := range oi {
		if mi[id] {
			idBoth = append(idBoth, id)
		} else {
			idOnlyO = append(idOnlyO, id)
		}
	}
	for id := range mi {
		if !oi[id] {
			idOnlyM = append(idOnlyM, id)
		}
	}
	slices.Sort(idOnlyO)
	slices.Sort(idOnlyM)
	fmt.Printf("advisory ids: osv-scanner %d, mamori %d, both %d, only osv-scanner %d, only mamori %d\n", len(oi), len(mi), len(idBoth), len(idOnlyO), len(idOnlyM))
	if len(idOnlyO) > 0 && len(idOnlyO) <= 40 {
		fmt.Printf("  ids only osv-scanner: %s\n", strings.Join(idOnlyO, " "))
	}
	if len(idOnlyM) > 0 && len(idOnlyM) <= 40 {
		fmt.Printf("  ids only mamori: %s\n", strings.Join(idOnlyM, " "))
	}
	for _, n := range append(onotes, mnotes...) {
		fmt.Println("note:", n)
	}
	inSBOM := map[string]bool{}
	for _, p := range pkgs {
		inSBOM[strings.ToLower(p.name)+"@"+strings.TrimPrefix(p.version, "v")] = true
	}
	// asNamed finds the SBOM purls a tool's package name may stand for
	// (same version, name ending in "/"+name).
	asNamed := func(t triple) string {
		var cands []string
		for _, p := range pkgs {
			if strings.TrimPrefix(p.version, "v") == strings.TrimPrefix(t.version, "v") &&
				(strings.HasSuffix(strings.ToLower(p.name), "/"+strings.ToLower(t.name)) || (t.name == "stdlib" && strings.HasSuffix(p.name, "/go"))) {
				cands = append(cands, p.name+" "+p.version)
			}
		}
		return strings.Join(cands, ", ")
	}
	explain := func(title string, m map[string]triple) {
		fmt.Printf("%s: %d\n", title, len(m))
		// Packages the SBOM does not name: one line per package.
		absent := map[string][]string{}
		first := map[string]triple{}
		var absentOrder []string
		for _, k := range sortedKeys(m) {
			t := m[k]
			if !inSBOM[strings.ToLower(t.name)+"@"+strings.TrimPrefix(t.version, "v")] {
				pk := t.name + " " + t.version
				if absent[pk] == nil {
					absentOrder = append(absentOrder, pk)
					first[pk] = t
				}
				absent[pk] = append(absent[pk], t.id)
				continue
			}
			r := rs.byID[t.id]
			if r == nil {
				fmt.Printf("  %s %s %s  (no such record)\n", t.name, t.version, t.id)
				continue
			}
			aff, ranges, ok := verdict(r, t.name, t.version)
			v := "referee: not affected"
			switch {
			case !ok:
				v = "referee: version is not semver"
			case aff:
				v = "referee: affected"
			}
			if r.Withdrawn != "" {
				v += " (record withdrawn " + r.Withdrawn + ")"
			}
			if ranges == "" {
				ranges = "record names no Go package " + t.name
			}
			fmt.Printf("  %s %s %s  %s  %s\n", t.name, t.version, t.id, v, ranges)
		}
		for _, pk := range absentOrder {
			t, ids := first[pk], absent[pk]
			fmt.Printf("  %s %s: %d advisories (%s ... %s)  referee: the SBOM has no golang purl %s@%s; it has %s\n",
				t.name, t.version, len(ids), ids[0], ids[len(ids)-1], t.name, t.version, asNamed(t))
		}
	}
	// The intersection, one line per package; with the two lists below it
	// gives each tool's whole set.
	fmt.Printf("both, by package:\n")
	byPkg := map[string][]string{}
	var pkgOrder []string
	for _, k := range sortedKeys(both) {
		t := both[k]
		pk := t.name + " " + t.version
		if byPkg[pk] == nil {
			pkgOrder = append(pkgOrder, pk)
		}
		byPkg[pk] = append(byPkg[pk], t.id)
	}
	for _, pk := range pkgOrder {
		fmt.Printf("  %s: %s\n", pk, strings.Join(byPkg[pk], " "))
	}
	explain("only osv-scanner", onlyO)
	explain("only mamori", onlyM)
	explain("missed by both (referee says affected)", missed)
	agreeRef := 0
	for k := range both {
		if _, ok := rfs[k]; ok {
			agreeRef++
		}
	}
	fmt.Printf("intersection confirmed by the referee: %d of %d\n", agreeRef, len(both))
	o, vi, im, ma := secs(*tOSV), secs(*tVImport), secs(*tImport), secs(*tMatch)
	if o > 0 || im > 0 {
		fmt.Printf("wall time: osv-scanner %.3f s; mamori SBOM import %.3f s + match %.3f s = %.3f s (OSV feed import, once per DB: %.3f s)\n", o, im, ma, im+ma, vi)
		if im+ma > 0 {
			fmt.Printf("ratio osv-scanner / mamori(import+match) = %.2f; including the feed import = %.2f\n", o/(im+ma), o/(vi+im+ma))
		}
	}
	ratio := 0.0
	if im+ma > 0 {
		ratio = o / (im + ma)
	}
	fmt.Printf("SUMMARY\t%s\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d/%d/%d\t%.3f\t%.3f\t%.3f\t%.3f\t%.2f\n", *label, len(pkgs), len(os_), len(ms), len(both), len(onlyO), len(onlyM), len(missed), len(rfs), len(oi), len(mi), len(idBoth), o, vi, im, ma, ratio)
	return nil
}
