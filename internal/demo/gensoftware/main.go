//go:build ignore

// Command gensoftware builds internal/demo/software.tsv, a sample of real
// software product/version pairs with their CPE 2.3 names and purls, drawn
// from public example SBOMs (CycloneDX JSON and SPDX 2.2/2.3 JSON).
//
// It is run by hand, once, from the repository root. Because of the ignore
// build tag it is run by file name:
//
//	go run ./internal/demo/gensoftware/main.go -data ../shared/data/vuln -out internal/demo/software.tsv
//
// mamori never reads the SBOM data set at run time; only the generated TSV is
// embedded. See internal/demo/SOFTWARE_SOURCES.md for provenance and licences.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// maxRows is the size above which a subset is selected; targetRows is the
// size of that subset.
const (
	maxRows    = 3000
	targetRows = 2500
)

// wellKnown lists products that are always kept when a subset is selected. A
// product matches a keyword when it equals it, or starts with it followed by a
// non-letter (so "openssh-server", "python3.9", "log4j-core", "libc6" match,
// but "bashful" does not). Keywords in exactOnly must match exactly.
var wellKnown = []string{
	"openssl", "libssl", "openssh", "nginx", "httpd", "apache2", "apache",
	"redis", "mongodb", "mongo", "openjdk", "python", "php", "node", "nodejs",
	"postgresql", "mysql", "bash", "glibc", "libc6", "libc", "curl", "libcurl",
	"zlib", "zlib1g", "log4j", "spring", "jackson", "tomcat", "keycloak",
	"haproxy", "memcached", "vault", "kong", "neo4j",
}

var exactOnly = map[string]bool{"node": true, "apache": true, "mongo": true, "libc": true}

// noVersion holds placeholder versions that count as no version (Go's
// "(devel)" for main modules built from a checkout, SPDX's NOASSERTION).
var noVersion = map[string]bool{"(DEVEL)": true, "NOASSERTION": true, "NONE": true, "UNKNOWN": true}

type row struct {
	vendor, product, version, cpe, purl, ecosystem, source string
}

func main() {
	data := flag.String("data", "../shared/data/vuln", "directory of the public vulnerability data set")
	out := flag.String("out", "internal/demo/software.tsv", "output TSV file")
	flag.Parse()

	type srcDir struct {
		dir  string
		spdx bool
	}
	dirs := []srcDir{
		{filepath.Join(*data, "cyclonedx", "sbom"), false},
		{filepath.Join(*data, "sbom-guac", "cdx-1.4"), false},
		{filepath.Join(*data, "sbom-guac", "spdx-2.2"), true},
		{filepath.Join(*data, "spdx"), true},
	}

	var rows []row
	seen := map[[3]string]bool{}
	for _, d := range dirs {
		files, err := filepath.Glob(filepath.Join(d.dir, "*.json"))
		if err != nil {
			fatal(err)
		}
		if len(files) == 0 {
			fatal(fmt.Errorf("no JSON files in %s", d.dir))
		}
		sort.Strings(files)
		for _, f := range files {
			var got []row
			var err error
			if d.spdx {
				got, err = readSPDX(f)
			} else {
				got, err = readCycloneDX(f)
			}
			if err != nil {
				fatal(fmt.Errorf("%s: %w", f, err))
			}
			for _, r := range got {
				k := [3]string{r.product, r.version, r.purl}
				if seen[k] {
					continue
				}
				seen[k] = true
				rows = append(rows, r)
			}
		}
	}
	sortRows(rows)
	total := len(rows)
	fmt.Fprintf(os.Stderr, "unique rows: %d\n", total)
	if total > maxRows {
		rows = selectSubset(rows, targetRows)
		sortRows(rows)
		fmt.Fprintf(os.Stderr, "selected subset: %d rows\n", len(rows))
	}

	counts := map[string]int{}
	for _, r := range rows {
		counts[r.ecosystem]++
	}
	ecos := make([]string, 0, len(counts))
	for e := range counts {
		ecos = append(ecos, e)
	}
	sort.Strings(ecos)
	for _, e := range ecos {
		fmt.Fprintf(os.Stderr, "  %-10s %5d\n", e, counts[e])
	}

	if err := writeTSV(*out, rows); err != nil {
		fatal(err)
	}
	fmt.Fprintf(os.Stderr, "wrote %d rows to %s\n", len(rows), *out)
}

func fatal(err error) {
	fmt.Fprintln(os.Stderr, "gensoftware:", err)
	os.Exit(1)
}

// readCycloneDX reads the components (and any nested components) of a
// CycloneDX JSON SBOM.
func readCycloneDX(path string) ([]row, error) {
	type component struct {
		Name       string      `json:"name"`
		Version    string      `json:"version"`
		CPE        string      `json:"cpe"`
		Purl       string      `json:"purl"`
		Components []component `json:"components"`
	}
	var doc struct {
		Metadata struct {
			Component *component `json:"component"`
		} `json:"metadata"`
		Components []component `json:"components"`
	}
	if err := readJSON(path, &doc); err != nil {
		return nil, err
	}
	src := filepath.Base(path)
	var rows []row
	var walk func([]component)
	walk = func(cs []component) {
		for _, c := range cs {
			cpe := ""
			if strings.HasPrefix(c.CPE, "cpe:2.3:") {
				cpe = c.CPE
			}
			if r, ok := makeRow(c.Name, c.Version, cpe, c.Purl, src); ok {
				rows = append(rows, r)
			}
			walk(c.Components)
		}
	}
	// The SBOM's subject (metadata.component) is itself a real product
	// version when it carries a purl or CPE (container images do not).
	if doc.Metadata.Component != nil {
		walk([]component{*doc.Metadata.Component})
	}
	walk(doc.Components)
	return rows, nil
}

// readSPDX reads the packages of an SPDX 2.2/2.3 JSON SBOM.
func readSPDX(path string) ([]row, error) {
	var doc struct {
		Packages []struct {
			Name         string `json:"name"`
			VersionInfo  string `json:"versionInfo"`
			ExternalRefs []struct {
				ReferenceType    string `json:"referenceType"`
				ReferenceLocator string `json:"referenceLocator"`
			} `json:"externalRefs"`
		} `json:"packages"`
	}
	if err := readJSON(path, &doc); err != nil {
		return nil, err
	}
	src := filepath.Base(path)
	var rows []row
	for _, p := range doc.Packages {
		var cpe, purl string
		for _, ref := range p.ExternalRefs {
			loc := strings.TrimSpace(ref.ReferenceLocator)
			switch ref.ReferenceType {
			case "cpe23Type":
				if cpe == "" && strings.HasPrefix(loc, "cpe:2.3:") {
					cpe = loc
				}
			case "purl":
				if purl == "" {
					purl = loc
				}
			}
		}
		if r, ok := makeRow(p.Name, p.VersionInfo, cpe, purl, src); ok {
			rows = append(rows, r)
		}
	}
	return rows, nil
}

func readJSON(path string, v any) error {
	b, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
}

func makeRow(name, version, cpe, purl, src string) (row, bool) {
	name, version = clean(name), clean(version)
	cpe, purl = clean(cpe), clean(purl)
	if noVersion[strings.ToUpper(version)] {
		version = ""
	}
	// A CPE naming a different version describes some other product (the
	// SPDX spec example pairs glibc 2.11.1 with a Spring Framework 4.1.0
	// CPE); drop it rather than mislabel the package.
	if cv := cpeField(cpe, 5); cv != "" && cv != "*" && cv != "-" && cv != version {
		cpe = ""
	}
	if name == "" || version == "" || (cpe == "" && purl == "") {
		return row{}, false
	}
	if purl != "" && !strings.HasPrefix(purl, "pkg:") {
		purl = ""
		if cpe == "" {
			return row{}, false
		}
	}
	ptype, pns := parsePurl(purl)
	vendor := cpeVendor(cpe)
	if vendor == "" {
		vendor = pns
	}
	eco := ptype
	if eco == "" {
		eco = "generic"
	}
	return row{
		vendor:    clean(vendor),
		product:   name,
		version:   version,
		cpe:       cpe,
		purl:      purl,
		ecosystem: eco,
		source:    clean(src),
	}, true
}

// clean strips tabs and line breaks, which would break the TSV.
func clean(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', '\n', '\r':
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// parsePurl returns the type and the (percent-decoded) namespace of a purl
// pkg:type/namespace/name@version?qualifiers#subpath.
func parsePurl(p string) (typ, ns string) {
	if !strings.HasPrefix(p, "pkg:") {
		return "", ""
	}
	s := strings.TrimPrefix(p, "pkg:")
	s = strings.TrimLeft(s, "/")
	if i := strings.IndexAny(s, "?#"); i >= 0 {
		s = s[:i]
	}
	slash := strings.IndexByte(s, '/')
	if slash < 0 {
		return strings.ToLower(s), ""
	}
	typ = strings.ToLower(s[:slash])
	rest := s[slash+1:]
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[:at]
	}
	rest = strings.Trim(rest, "/")
	if i := strings.LastIndexByte(rest, '/'); i >= 0 {
		ns = rest[:i]
		if u, err := url.PathUnescape(ns); err == nil {
			ns = u
		}
	}
	return typ, ns
}

// cpeVendor returns the vendor field of a CPE 2.3 formatted string, or "" if
// it is absent or a wildcard.
func cpeVendor(cpe string) string {
	v := cpeField(cpe, 3)
	if v == "*" || v == "-" {
		return ""
	}
	return v
}

// cpeField returns field i (unescaped) of a CPE 2.3 formatted string
// cpe:2.3:part:vendor:product:version:..., or "" if it is absent.
func cpeField(cpe string, i int) string {
	if !strings.HasPrefix(cpe, "cpe:2.3:") {
		return ""
	}
	var fields []string
	var cur strings.Builder
	esc := false
	for _, r := range cpe {
		switch {
		case esc:
			cur.WriteRune(r)
			esc = false
		case r == '\\':
			esc = true
		case r == ':':
			fields = append(fields, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	fields = append(fields, cur.String())
	if i >= len(fields) {
		return ""
	}
	return fields[i]
}

func sortRows(rows []row) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.ecosystem != b.ecosystem {
			return a.ecosystem < b.ecosystem
		}
		if a.product != b.product {
			return a.product < b.product
		}
		if a.version != b.version {
			return a.version < b.version
		}
		if a.purl != b.purl {
			return a.purl < b.purl
		}
		if a.source != b.source {
			return a.source < b.source
		}
		return a.cpe < b.cpe
	})
}

// isWellKnown reports whether product (or, for path-like names such as Go
// modules, its last path element) matches one of the wellKnown keywords.
func isWellKnown(product string) bool {
	p := strings.ToLower(product)
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		p = p[i+1:]
	}
	for _, k := range wellKnown {
		if p == k {
			return true
		}
		if exactOnly[k] {
			continue
		}
		if strings.HasPrefix(p, k) && len(p) > len(k) {
			c := p[len(k)]
			if !(c >= 'a' && c <= 'z') {
				return true
			}
		}
	}
	return false
}

// selectSubset picks about target rows from rows (sorted by ecosystem,
// product, version). Rows for well-known products are always kept. The rest of
// the budget is shared between ecosystems by water-filling, so small
// ecosystems are kept whole; within an ecosystem, rows are taken evenly spaced
// across the sorted list, preferring one row per distinct product first.
func selectSubset(rows []row, target int) []row {
	keep := make([]bool, len(rows))
	byEco := map[string][]int{}
	var ecos []string
	kept := 0
	for i, r := range rows {
		if isWellKnown(r.product) {
			keep[i] = true
			kept++
			continue
		}
		if _, ok := byEco[r.ecosystem]; !ok {
			ecos = append(ecos, r.ecosystem)
		}
		byEco[r.ecosystem] = append(byEco[r.ecosystem], i)
	}
	budget := target - kept
	if budget < len(ecos) {
		budget = len(ecos)
	}

	// Water-filling: ecosystems smaller than the fair share are kept whole.
	quota := map[string]int{}
	open := append([]string(nil), ecos...)
	for len(open) > 0 {
		share := budget / len(open)
		var next []string
		progressed := false
		for _, e := range open {
			if n := len(byEco[e]); n <= share {
				quota[e] = n
				budget -= n
				progressed = true
			} else {
				next = append(next, e)
			}
		}
		open = next
		if !progressed {
			extra := budget - share*len(open)
			for i, e := range open {
				quota[e] = share
				if i < extra {
					quota[e]++
				}
			}
			break
		}
	}

	for _, e := range ecos {
		for _, i := range pickVaried(rows, byEco[e], quota[e]) {
			keep[i] = true
		}
	}
	var out []row
	for i, r := range rows {
		if keep[i] {
			out = append(out, r)
		}
	}
	return out
}

// pickVaried returns n of the indices idx (in sorted row order): first one row
// per distinct product (evenly spaced if there are more products than n), then
// evenly spaced picks among the remaining rows.
func pickVaried(rows []row, idx []int, n int) []int {
	if n >= len(idx) {
		return idx
	}
	var firsts, others []int
	for k, i := range idx {
		if k == 0 || rows[idx[k-1]].product != rows[i].product {
			firsts = append(firsts, i)
		} else {
			others = append(others, i)
		}
	}
	if n <= len(firsts) {
		return evenly(firsts, n)
	}
	return append(firsts, evenly(others, n-len(firsts))...)
}

func evenly(idx []int, n int) []int {
	if n >= len(idx) {
		return idx
	}
	out := make([]int, 0, n)
	for k := 0; k < n; k++ {
		out = append(out, idx[k*len(idx)/n])
	}
	return out
}

func writeTSV(path string, rows []row) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	fmt.Fprintln(w, "vendor\tproduct\tversion\tcpe23\tpurl\tecosystem\tsource")
	for _, r := range rows {
		fmt.Fprintln(w, strings.Join([]string{
			r.vendor, r.product, r.version, r.cpe, r.purl, r.ecosystem, r.source,
		}, "\t"))
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
