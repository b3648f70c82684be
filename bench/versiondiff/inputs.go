package main

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"mamori/internal/version"
)

// inputs holds, per ecosystem, every version string found and the first
// place it was found.
type inputs struct {
	versions map[*ecosystem]map[string]string
	// data marks the versions found in the shared data (the others come
	// only from the repository's fixtures).
	data map[*ecosystem]map[string]bool
	// reading is true while the shared data is read.
	reading bool
	// skipped counts purls of types that no compared ecosystem covers
	// (NuGet, generic, github, ...), by type.
	skipped map[string]int
	files   int
}

func newInputs() *inputs {
	return &inputs{
		versions: map[*ecosystem]map[string]string{},
		data:     map[*ecosystem]map[string]bool{},
		skipped:  map[string]int{},
	}
}

func (in *inputs) add(e *ecosystem, v, source string) {
	if v == "" {
		return
	}
	m := in.versions[e]
	if m == nil {
		m = map[string]string{}
		in.versions[e] = m
	}
	if _, ok := m[v]; !ok {
		m[v] = source
	}
	if in.reading {
		if in.data[e] == nil {
			in.data[e] = map[string]bool{}
		}
		in.data[e][v] = true
	}
}

// readData reads the shipped feeds and SBOMs under dir (shared/data): the
// Go OSV records and the purls of the CycloneDX and SPDX documents.
func (in *inputs) readData(dir string) error {
	in.reading = true
	defer func() { in.reading = false }()
	osvGo := filepath.Join(dir, "osv-go")
	names, err := filepath.Glob(filepath.Join(osvGo, "*.json"))
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return fmt.Errorf("no OSV records in %s", osvGo)
	}
	for _, name := range names {
		if err := in.readOSV(name, "osv-go/"+filepath.Base(name), version.Go); err != nil {
			return err
		}
	}
	for _, sub := range []string{"vuln/cyclonedx", "vuln/sbom-guac", "vuln/spdx"} {
		root := filepath.Join(dir, sub)
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".json") {
				return err
			}
			rel, _ := filepath.Rel(dir, path)
			return in.readPurls(path, filepath.ToSlash(rel))
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// readRepo reads the repository's own fixtures: the OSV records of the
// matcher's truth set and of the version package's tests, and the version
// strings of internal/version's ordering tables.
func (in *inputs) readRepo(root string) error {
	for _, glob := range []string{"internal/match/testdata/truth/osv/*.json", "internal/version/testdata/osv-go/*.json"} {
		names, err := filepath.Glob(filepath.Join(root, glob))
		if err != nil {
			return err
		}
		if len(names) == 0 {
			return fmt.Errorf("no fixtures %s under %s", glob, root)
		}
		for _, name := range names {
			rel, _ := filepath.Rel(root, name)
			if err := in.readOSV(name, filepath.ToSlash(rel), nil); err != nil {
				return err
			}
		}
	}
	tests, err := filepath.Glob(filepath.Join(root, "internal/version/*_test.go"))
	if err != nil {
		return err
	}
	if len(tests) == 0 {
		return fmt.Errorf("no tests in %s/internal/version", root)
	}
	for _, name := range tests {
		if err := in.readTables(name, "internal/version/"+filepath.Base(name)); err != nil {
			return err
		}
	}
	return nil
}

// osvRecord is the part of an OSV record that holds versions.
type osvRecord struct {
	Affected []struct {
		Package struct {
			Ecosystem string `json:"ecosystem"`
		} `json:"package"`
		Ranges []struct {
			Type   string              `json:"type"`
			Events []map[string]string `json:"events"`
		} `json:"ranges"`
		Versions []string `json:"versions"`
	} `json:"affected"`
}

// readOSV adds the versions of an OSV record: its range events and its
// versions lists. scheme, when set, overrides the record's ecosystem.
func (in *inputs) readOSV(path, source string, scheme version.Scheme) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	in.files++
	var rec osvRecord
	if err := json.Unmarshal(data, &rec); err != nil {
		return fmt.Errorf("%s: %w", source, err)
	}
	for _, a := range rec.Affected {
		s := scheme
		if s == nil {
			s = version.For(a.Package.Ecosystem)
		}
		e := ecosystemFor(s)
		if e == nil {
			continue
		}
		for _, r := range a.Ranges {
			if r.Type == "GIT" {
				continue // commit hashes, not versions
			}
			for _, ev := range r.Events {
				for kind, v := range ev {
					if kind == "introduced" && v == "0" {
						continue // OSV's "from the beginning", not a version
					}
					in.add(e, v, source)
				}
			}
		}
		for _, v := range a.Versions {
			in.add(e, v, source)
		}
	}
	return nil
}

// purlPattern finds package URLs anywhere in a document, which covers
// CycloneDX's purl fields and SPDX's externalRefs alike.
var purlPattern = regexp.MustCompile(`pkg:[A-Za-z][A-Za-z0-9.+-]*/[^"\s\\]+`)

// readPurls adds the version of every purl in an SBOM.
func (in *inputs) readPurls(path, source string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	in.files++
	for _, p := range purlPattern.FindAllString(string(data), -1) {
		typ, v, ok := purlVersion(p)
		if !ok {
			continue
		}
		e := ecosystemFor(version.For(typ))
		if e == nil {
			in.skipped[typ]++
			continue
		}
		in.add(e, v, source)
	}
	return nil
}

// purlVersion returns a purl's type and version, with an rpm purl's epoch
// qualifier put in front of the version as rpm writes it ("1:6.1.2-10.el8").
func purlVersion(p string) (typ, v string, ok bool) {
	rest := strings.TrimPrefix(p, "pkg:")
	rest, _, _ = strings.Cut(rest, "#")
	rest, query, _ := strings.Cut(rest, "?")
	typ, rest, _ = strings.Cut(rest, "/")
	typ = strings.ToLower(typ)
	at := strings.LastIndexByte(rest, '@')
	if at < 0 {
		return "", "", false
	}
	v, err := url.PathUnescape(rest[at+1:])
	if err != nil || v == "" {
		return "", "", false
	}
	if typ == "rpm" {
		if q, err := url.ParseQuery(query); err == nil {
			if epoch := q.Get("epoch"); epoch != "" && !strings.Contains(v, ":") {
				v = epoch + ":" + v
			}
		}
	}
	return typ, v, true
}

// tableSchemes names the schemes that internal/version's tests pass to
// their table helpers.
var tableSchemes = map[string]version.Scheme{
	"Go": version.Go, "NPM": version.NPM, "SemVer": version.SemVer, "PEP440": version.PEP440,
	"Maven": version.Maven, "Debian": version.Debian, "RPM": version.RPM, "APK": version.APK,
	"RubyGems": version.RubyGems, "Composer": version.Composer,
}

// tableHelpers are the helpers whose strings are valid versions in a stated
// order. checkInvalid's strings are left out: they are malformed on purpose.
var tableHelpers = map[string]bool{"checkAscending": true, "checkEqual": true, "checkPairs": true}

// readTables adds the string literals passed to the ordering helpers of a
// test file of internal/version, such as checkAscending(t, Debian, ...).
func (in *inputs) readTables(path, source string) error {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
	if err != nil {
		return err
	}
	in.files++
	ast.Inspect(f, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) < 3 {
			return true
		}
		fn, ok := call.Fun.(*ast.Ident)
		if !ok || !tableHelpers[fn.Name] {
			return true
		}
		arg, ok := call.Args[1].(*ast.Ident)
		if !ok {
			return true
		}
		e := ecosystemFor(tableSchemes[arg.Name])
		if e == nil {
			return true
		}
		for _, a := range call.Args[2:] {
			ast.Inspect(a, func(n ast.Node) bool {
				if _, ok := n.(*ast.BinaryExpr); ok {
					return false // "1.0.0." + x: fragments, not versions
				}
				lit, ok := n.(*ast.BasicLit)
				if ok && lit.Kind == token.STRING {
					if s, err := strconv.Unquote(lit.Value); err == nil {
						in.add(e, s, fmt.Sprintf("%s:%d", source, fset.Position(lit.Pos()).Line))
					}
				}
				return true
			})
		}
		return true
	})
	return nil
}

// sorted returns an ecosystem's versions in byte order.
func (in *inputs) sorted(e *ecosystem) []string {
	vs := make([]string, 0, len(in.versions[e]))
	for v := range in.versions[e] {
		vs = append(vs, v)
	}
	sort.Strings(vs)
	return vs
}
