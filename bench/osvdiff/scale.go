package main

// The scale benchmark's halves (bench/scale/run.sh drives them):
//
//	osvdiff gen -records DIR -n N [-per 350] [-seed 1] -out DIR [SBOM...]
//	osvdiff triples -records DIR -register register.json -osv DIR -mamori REPORT.json
//
// gen writes a register (one organization, N systems with one component
// each) and one CycloneDX SBOM per component, named after it. The Go
// modules come from the OSV records and from the golang purls of the given
// SBOMs; their versions sit on every range boundary of the records and just
// beside them. The same arguments always give the same files.
//
// triples reduces both tools' answers to (SBOM, package, GO id) triples and
// says whether the two sets are identical; the referee (verdict) gives a
// third opinion on each difference.

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ---- gen ----------------------------------------------------------------------

// modver is one candidate (module, version); version without the "v".
type modver struct{ mod, ver string }

// pseudoTime is the timestamp layout of a Go pseudo-version.
const pseudoTime = "20060102150405"

func cmdGen(args []string) error {
	fs := flag.NewFlagSet("gen", flag.ExitOnError)
	recDir := fs.String("records", "", "folder of OSV Go records")
	n := fs.Int("n", 200, "number of SBOMs (and systems)")
	per := fs.Int("per", 350, "Go modules per SBOM")
	seed := fs.Uint64("seed", 1, "random seed")
	out := fs.String("out", "", "folder to write register.json and sboms/ into")
	fs.Parse(args)
	if *recDir == "" || *out == "" || *n < 1 || *per < 1 {
		usage()
	}
	rs, err := loadRecords(*recDir)
	if err != nil {
		return err
	}
	rng := rand.New(rand.NewPCG(*seed, 0x6d616d6f7269))
	cands, modules := candidates(rs, rng)
	fromSBOMs := 0
	for _, p := range fs.Args() {
		pkgs, err := sbomGoPackages(p)
		if err != nil {
			return err
		}
		for _, pk := range pkgs {
			// "(devel)" and unversioned main modules have no comparable
			// version: the tools differ there by design (README class B).
			if _, ok := parseSemver(pk.version); !ok || pk.name == "stdlib" {
				continue
			}
			mv := modver{pk.name, strings.TrimPrefix(pk.version, "v")}
			if !cands[mv] {
				cands[mv] = true
				fromSBOMs++
			}
			if !slices.Contains(modules, pk.name) {
				modules = append(modules, pk.name)
			}
		}
	}
	list := make([]modver, 0, len(cands))
	for mv := range cands {
		list = append(list, mv)
	}
	slices.SortFunc(list, func(a, b modver) int {
		if c := strings.Compare(a.mod, b.mod); c != 0 {
			return c
		}
		return strings.Compare(a.ver, b.ver)
	})
	rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
	if *per > len(modules) {
		return fmt.Errorf("-per %d: only %d modules", *per, len(modules))
	}

	// Deal every candidate once, round robin, to an SBOM that lacks its
	// module (one version of a module per build, as Go's MVS gives); then
	// fill each SBOM up to -per with random candidates.
	boms := make([]map[string]string, *n)
	for i := range boms {
		boms[i] = map[string]string{}
	}
	next := 0
	for _, mv := range list {
		for try := 0; try < *n; try++ {
			b := boms[(next+try)%*n]
			if len(b) < *per && b[mv.mod] == "" {
				b[mv.mod] = mv.ver
				next = (next + try + 1) % *n
				break
			}
		}
	}
	for _, b := range boms {
		for len(b) < *per {
			mv := list[rng.IntN(len(list))]
			if b[mv.mod] == "" {
				b[mv.mod] = mv.ver
			}
		}
	}

	sbomDir := filepath.Join(*out, "sboms")
	if err := os.RemoveAll(sbomDir); err != nil {
		return err
	}
	if err := os.MkdirAll(sbomDir, 0o755); err != nil {
		return err
	}
	type org struct {
		Code string `json:"code"`
		Kind string `json:"kind"`
		Name string `json:"name"`
	}
	type system struct {
		Code       string `json:"code"`
		OrgCode    string `json:"org_code"`
		Name       string `json:"name"`
		InRegister bool   `json:"in_register"`
		Class      string `json:"class"`
		Status     string `json:"status"`
	}
	type component struct {
		Code       string `json:"code"`
		SystemCode string `json:"system_code"`
		Kind       string `json:"kind"`
	}
	reg := struct {
		Format        string      `json:"format"`
		Version       int         `json:"version"`
		Organizations []org       `json:"organizations"`
		Systems       []system    `json:"systems"`
		Components    []component `json:"components"`
	}{Format: "mamori-register", Version: 1, Organizations: []org{{"BENCH", "ministry", "ベンチマーク省"}}}
	total := 0
	covered := map[modver]bool{}
	for i, b := range boms {
		sys := fmt.Sprintf("BENCH-S%04d", i+1)
		comp := sys + "-AP"
		reg.Systems = append(reg.Systems, system{sys, "BENCH", fmt.Sprintf("業務システム %d", i+1), true, "information_system", "operating"})
		reg.Components = append(reg.Components, component{comp, sys, "server"})
		mods := slices.Sorted(func(yield func(string) bool) {
			for m := range b {
				if !yield(m) {
					return
				}
			}
		})
		var pkgs []pkg
		for _, m := range mods {
			pkgs = append(pkgs, pkg{m, "v" + b[m]})
			covered[modver{m, b[m]}] = true
		}
		total += len(pkgs)
		if err := writeCDX(filepath.Join(sbomDir, comp+".cdx.json"), comp, pkgs); err != nil {
			return err
		}
	}
	rb, err := json.MarshalIndent(reg, "", " ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(*out, "register.json"), append(rb, '\n'), 0o644); err != nil {
		return err
	}
	fmt.Printf("generated %d SBOMs, %d components (%d distinct (module, version) of %d candidates: %d modules, %d candidates from the SBOMs given), seed %d\n",
		*n, total, len(covered), len(list), len(modules), fromSBOMs, *seed)
	return nil
}

// candidates lists, for every Go module an OSV record names, each version
// on a range boundary (introduced, fixed, last_affected) and beside it: the
// release just below and just above, a pre-release below, pseudo-versions
// just below and above, and the +incompatible form where the boundary has
// it. "stdlib" and "toolchain" are left out: they are not modules an SBOM
// lists with a golang purl of that name and a "v" version.
func candidates(rs *records, rng *rand.Rand) (map[modver]bool, []string) {
	out := map[modver]bool{}
	var modules []string
	hash := func() string {
		const hex = "0123456789abcdef"
		b := make([]byte, 12)
		for i := range b {
			b[i] = hex[rng.IntN(16)]
		}
		return string(b)
	}
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range rs.byID {
			if !yield(id) {
				return
			}
		}
	})
	seenMod := map[string]bool{}
	for _, id := range ids {
		r := rs.byID[id]
		for _, a := range r.Affected {
			m := a.Package.Name
			if a.Package.Ecosystem != "Go" || m == "stdlib" || m == "toolchain" {
				continue
			}
			if !seenMod[m] {
				seenMod[m] = true
				modules = append(modules, m)
			}
			add := func(v string) {
				if _, ok := parseSemver(v); ok {
					out[modver{m, v}] = true
				}
			}
			var bounds []string
			for _, rg := range a.Ranges {
				for _, e := range rg.Events {
					bounds = append(bounds, e.Introduced, e.Fixed, e.LastAffected)
				}
			}
			bounds = append(bounds, a.Versions...)
			for _, b := range bounds {
				switch b {
				case "":
					continue
				case "0":
					// Below every release: an untagged commit.
					add("0.0.0-20190101000000-" + hash())
					add("0.0.1")
					continue
				}
				for _, v := range beside(b, hash) {
					add(v)
				}
			}
		}
	}
	return out, modules
}

// beside returns b itself and the versions just below and just above it.
func beside(b string, hash func() string) []string {
	core, build, _ := strings.Cut(b, "+")
	if build != "" {
		build = "+" + build
	}
	out := []string{b}
	num, pre, hasPre := strings.Cut(core, "-")
	parts := strings.Split(num, ".")
	if len(parts) != 3 {
		return out
	}
	var n [3]int64
	for i, p := range parts {
		x, err := strconv.ParseInt(p, 10, 64)
		if err != nil {
			return out
		}
		n[i] = x
	}
	v := func(a, b, c int64, pre string) string {
		s := fmt.Sprintf("%d.%d.%d", a, b, c)
		if pre != "" {
			s += "-" + pre
		}
		return s + build
	}
	if hasPre {
		// A pseudo-version (…-YYYYMMDDhhmmss-hash, or …-0.YYYYMMDDhhmmss-hash):
		// the commits one second before and after. Any other pre-release:
		// the release it precedes.
		fields := strings.Split(pre, "-")
		if len(fields) >= 2 {
			ts := fields[len(fields)-2]
			prefix := ""
			if i := strings.LastIndexByte(ts, '.'); i >= 0 {
				prefix, ts = ts[:i+1], ts[i+1:]
			}
			if t, err := time.Parse(pseudoTime, ts); err == nil {
				head := strings.Join(fields[:len(fields)-2], "-")
				mk := func(t time.Time) string {
					p := prefix + t.Format(pseudoTime) + "-" + hash()
					if head != "" {
						p = head + "-" + p
					}
					return v(n[0], n[1], n[2], p)
				}
				return append(out, mk(t.Add(-time.Second)), mk(t.Add(time.Second)))
			}
		}
		return append(out, v(n[0], n[1], n[2], ""))
	}
	stamp := "0." + time.Date(2021, 6, 1, 12, 0, 0, 0, time.UTC).Format(pseudoTime) + "-" + hash()
	out = append(out,
		v(n[0], n[1], n[2]+1, ""),    // the next patch release
		v(n[0], n[1], n[2], "rc.1"),  // a release candidate of b
		v(n[0], n[1], n[2], stamp),   // a commit before b's tag, after the release below
		v(n[0], n[1], n[2]+1, stamp)) // a commit after b's tag
	if n[2] > 0 {
		out = append(out, v(n[0], n[1], n[2]-1, ""))
	} else if n[1] > 0 {
		out = append(out, v(n[0], n[1]-1, 9, ""))
	}
	return out
}

// writeCDX writes a CycloneDX 1.5 SBOM of Go modules, named as the
// module path, as osvdiff cdx does.
func writeCDX(path, name string, pkgs []pkg) error {
	type comp struct {
		Type    string `json:"type"`
		BOMRef  string `json:"bom-ref,omitempty"`
		Name    string `json:"name"`
		Version string `json:"version,omitempty"`
		PURL    string `json:"purl,omitempty"`
	}
	doc := struct {
		BOMFormat    string `json:"bomFormat"`
		SpecVersion  string `json:"specVersion"`
		SerialNumber string `json:"serialNumber"`
		Version      int    `json:"version"`
		Metadata     struct {
			Timestamp string `json:"timestamp"`
			Component comp   `json:"component"`
		} `json:"metadata"`
		Components []comp `json:"components"`
	}{BOMFormat: "CycloneDX", SpecVersion: "1.5", Version: 1}
	doc.SerialNumber = fmt.Sprintf("urn:uuid:00000000-0000-4000-8000-%012x", fnv(name))
	doc.Metadata.Timestamp = "2026-01-01T00:00:00Z"
	doc.Metadata.Component = comp{Type: "application", Name: name, Version: "1.0.0"}
	for _, p := range pkgs {
		u := "pkg:golang/" + p.name + "@" + url.PathEscape(p.version)
		doc.Components = append(doc.Components, comp{Type: "library", BOMRef: u, Name: p.name, Version: p.version, PURL: u})
	}
	b, err := json.MarshalIndent(doc, "", " ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(b, '\n'), 0o644)
}

func fnv(s string) uint64 {
	h := uint64(14695981039346656037)
	for _, c := range []byte(s) {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return h & 0xffffffffffff
}

// ---- triples ------------------------------------------------------------------

// names reports whether r names the Go module exactly (case-sensitive).
func names(r *osvRecord, module string) bool {
	for _, a := range r.Affected {
		if a.Package.Ecosystem == "Go" && a.Package.Name == module {
			return true
		}
	}
	return false
}

// sbomTriple is one finding on one SBOM: triple.key() with the SBOM before it.
type sbomTriple struct {
	sbom string
	t    triple
}

func (s sbomTriple) key() string { return s.sbom + " " + s.t.key() }

// sbomOf names an SBOM by its file name without the SBOM suffix: the
// component's code.
func sbomOf(path string) string {
	b := filepath.Base(path)
	for _, suf := range []string{".cdx.json", ".spdx.json", ".json", ".cdx.xml", ".xml"} {
		if strings.HasSuffix(b, suf) {
			return strings.TrimSuffix(b, suf)
		}
	}
	return b
}

func cmdTriples(args []string) error {
	fs := flag.NewFlagSet("triples", flag.ExitOnError)
	recDir := fs.String("records", "", "folder of the OSV records both tools used")
	regPath := fs.String("register", "", "register.json written by gen (system -> component)")
	sbomDir := fs.String("sboms", "", "folder of the SBOMs (for the referee)")
	osvDir := fs.String("osv", "", "folder of osv-scanner --format json outputs (*.json)")
	mamPath := fs.String("mamori", "", "mamori vuln report --format json output")
	fs.Parse(args)
	if *recDir == "" || *regPath == "" || *osvDir == "" || *mamPath == "" {
		usage()
	}
	rs, err := loadRecords(*recDir)
	if err != nil {
		return err
	}
	var reg struct {
		Components []struct {
			Code       string `json:"code"`
			SystemCode string `json:"system_code"`
		} `json:"components"`
	}
	b, err := os.ReadFile(*regPath)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(b, &reg); err != nil {
		return err
	}
	compOf := map[string]string{}
	for _, c := range reg.Components {
		compOf[c.SystemCode] = c.Code
	}

	// osv-scanner: results[].source.path names the SBOM.
	osvSet := map[string]sbomTriple{}
	outs, err := filepath.Glob(filepath.Join(*osvDir, "*.json"))
	if err != nil {
		return err
	}
	var notes []string
	for _, o := range outs {
		b, err := os.ReadFile(o)
		if err != nil {
			return err
		}
		var doc struct {
			Results []struct {
				Source struct {
					Path string `json:"path"`
				} `json:"source"`
				Packages []struct {
					Package struct {
						Name, Version, Ecosystem string
					} `json:"package"`
					Vulnerabilities []struct {
						ID string `json:"id"`
					} `json:"vulnerabilities"`
				} `json:"packages"`
			} `json:"results"`
		}
		if len(strings.TrimSpace(string(b))) > 0 {
			if err := json.Unmarshal(b, &doc); err != nil {
				return fmt.Errorf("%s: %w", o, err)
			}
		}
		for _, r := range doc.Results {
			sb := sbomOf(r.Source.Path)
			for _, p := range r.Packages {
				if p.Package.Ecosystem != "Go" {
					notes = append(notes, fmt.Sprintf("osv-scanner: ignored non-Go finding %s %s %s", p.Package.Ecosystem, p.Package.Name, p.Package.Version))
					continue
				}
				for _, v := range p.Vulnerabilities {
					id := rs.goID(v.ID)
					if id == "" {
						id = v.ID
					}
					st := sbomTriple{sb, triple{p.Package.Name, p.Package.Version, id}}
					osvSet[st.key()] = st
				}
			}
		}
	}

	// mamori: one exposure per (system, vulnerability); software lists every
	// affected package ("name version", several joined by ", " in one
	// entry or as several entries) and advisories every record that hit.
	// Each package is paired with the GO- advisories whose record names it.
	// The report can be large (3.5 million exposures at N=2000): read
	// the exposures one at a time.
	type exposure struct {
		System     string   `json:"system"`
		Vuln       string   `json:"vuln"`
		Software   []string `json:"software"`
		Advisories string   `json:"advisories"`
	}
	var exposures []exposure
	mf, err := os.Open(*mamPath)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bufio.NewReaderSize(mf, 1<<20))
	err = eachInArray(dec, "exposures", func() error {
		var e exposure
		if err := dec.Decode(&e); err != nil {
			return err
		}
		exposures = append(exposures, e)
		return nil
	})
	mf.Close()
	if err != nil {
		return fmt.Errorf("%s: %w", *mamPath, err)
	}
	mamSet := map[string]sbomTriple{}
	unpaired := 0
	for _, e := range exposures {
		sb := compOf[e.System]
		if sb == "" {
			notes = append(notes, "mamori: exposure on a system not in the register: "+e.System)
			sb = e.System
		}
		var goIDs []string
		for _, id := range strings.Fields(e.Advisories) {
			if g := rs.goID(id); g != "" && !slices.Contains(goIDs, g) {
				goIDs = append(goIDs, g)
			}
		}
		if len(goIDs) == 0 {
			notes = append(notes, fmt.Sprintf("mamori: %s on %s has no GO- advisory (%s)", e.Vuln, sb, e.Advisories))
			continue
		}
		paired := map[string]bool{}
		for _, nv := range softwareOf(e.Software) {
			name, ver := nv[0], nv[1]
			n := 0
			for _, id := range goIDs {
				if r := rs.byID[id]; r != nil && names(r, name) {
					st := sbomTriple{sb, triple{name, ver, id}}
					mamSet[st.key()] = st
					paired[id] = true
					n++
				}
			}
			if n == 0 {
				// A package no advisory of the exposure names: kept, so
				// that it shows as a difference.
				st := sbomTriple{sb, triple{name, ver, "?" + strings.Join(goIDs, "+")}}
				mamSet[st.key()] = st
				unpaired++
			}
		}
		for _, id := range goIDs {
			if !paired[id] {
				st := sbomTriple{sb, triple{"?", "?", id}}
				mamSet[st.key()] = st
				unpaired++
			}
		}
	}

	var onlyO, onlyM []string
	both := 0
	for k := range osvSet {
		if _, ok := mamSet[k]; ok {
			both++
		} else {
			onlyO = append(onlyO, k)
		}
	}
	for k := range mamSet {
		if _, ok := osvSet[k]; !ok {
			onlyM = append(onlyM, k)
		}
	}
	slices.Sort(onlyO)
	slices.Sort(onlyM)
	sboms := map[string]bool{}
	pkgs := map[string]bool{}
	ids := map[string]bool{}
	for _, st := range osvSet {
		sboms[st.sbom] = true
		pkgs[strings.ToLower(st.t.name)+"@"+strings.TrimPrefix(st.t.version, "v")] = true
		ids[st.t.id] = true
	}
	slices.Sort(notes)
	notes = slices.Compact(notes)
	for i, n := range notes {
		if i == 20 {
			fmt.Printf("note: … %d more notes\n", len(notes)-20)
			break
		}
		fmt.Println("note:", n)
	}
	fmt.Printf("osv-scanner: %d (SBOM, package, GO id) triples on %d SBOMs, %d (package, version), %d GO ids\n", len(osvSet), len(sboms), len(pkgs), len(ids))
	fmt.Printf("mamori:      %d triples (%d package/advisory pairs left unpaired)\n", len(mamSet), unpaired)
	fmt.Printf("both:        %d; only osv-scanner %d; only mamori %d\n", both, len(onlyO), len(onlyM))

	// The referee on every difference, and on the whole inventory when the
	// SBOMs are given.
	show := func(title string, ks []string, set map[string]sbomTriple) {
		for i, k := range ks {
			if i == 30 {
				fmt.Printf("  … %d more\n", len(ks)-30)
				break
			}
			st := set[k]
			v := "no such record"
			if r := rs.byID[st.t.id]; r != nil {
				aff, ranges, ok := verdict(r, st.t.name, st.t.version)
				v = fmt.Sprintf("referee: affected=%v semver=%v %s", aff, ok, ranges)
			}
			fmt.Printf("  %s: %s %s %s  %s\n", st.sbom, st.t.name, st.t.version, st.t.id, v)
		}
	}
	if len(onlyO) > 0 {
		fmt.Println("only osv-scanner:")
		show("only osv-scanner", onlyO, osvSet)
	}
	if len(onlyM) > 0 {
		fmt.Println("only mamori:")
		show("only mamori", onlyM, mamSet)
	}
	refNote := ""
	if *sbomDir != "" {
		files, err := filepath.Glob(filepath.Join(*sbomDir, "*.json"))
		if err != nil {
			return err
		}
		ref := 0
		missed := 0
		var missedList []string
		for _, f := range files {
			ps, err := sbomGoPackages(f)
			if err != nil {
				return err
			}
			sb := sbomOf(f)
			for _, p := range ps {
				for _, r := range rs.byName[strings.ToLower(p.name)] {
					// Module paths are case-sensitive: github.com/0xJacky/Nginx-UI
					// is not the github.com/0xJacky/nginx-ui that a record names.
					if r.Withdrawn != "" || !names(r, p.name) {
						continue
					}
					if aff, _, _ := verdict(r, p.name, p.version); aff {
						ref++
						st := sbomTriple{sb, triple{p.name, p.version, r.ID}}
						if _, ok := osvSet[st.key()]; !ok {
							if _, ok := mamSet[st.key()]; !ok {
								missed++
								_, ranges, _ := verdict(r, p.name, p.version)
								missedList = append(missedList, fmt.Sprintf("  %s: %s %s %s  %s", sb, p.name, p.version, r.ID, ranges))
							}
						}
					}
				}
			}
		}
		if len(missedList) > 0 {
			slices.Sort(missedList)
			fmt.Println("missed by both (the referee says affected), first 10:")
			for _, m := range missedList[:min(10, len(missedList))] {
				fmt.Println(m)
			}
		}
		refNote = fmt.Sprintf("; referee %d triples, %d missed by both", ref, missed)
	}
	identical := len(onlyO) == 0 && len(onlyM) == 0
	fmt.Printf("RESULT\ttriples=%d\tosv=%d\tmamori=%d\tidentical=%v%s\n", both, len(osvSet), len(mamSet), identical, refNote)
	if !identical {
		os.Exit(3)
	}
	return nil
}

// eachInArray walks dec, a JSON object, to its member name, an array, and
// calls each once per element with the decoder before that element.
func eachInArray(dec *json.Decoder, name string, each func() error) error {
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return fmt.Errorf("not a JSON object (%v)", err)
	}
	for dec.More() {
		t, err := dec.Token()
		if err != nil {
			return err
		}
		if t != name {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if t, err := dec.Token(); err != nil || t == nil {
			return err // null: no element
		} else if t != json.Delim('[') {
			return fmt.Errorf("%s is not an array", name)
		}
		for dec.More() {
			if err := each(); err != nil {
				return err
			}
		}
		_, err = dec.Token()
		return err
	}
	return nil
}
