package sbom

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecode checks that Decode never panics and that it returns either an
// error or a BOM that holds up, never a half-filled result.
func FuzzDecode(f *testing.F) {
	seeds, err := filepath.Glob(filepath.Join("testdata", "*"))
	if err != nil {
		f.Fatal(err)
	}
	for _, path := range seeds {
		if info, err := os.Stat(path); err != nil || info.IsDir() {
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		bom, problems, err := Decode(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if bom != nil || problems != nil {
				t.Fatalf("Decode returned a BOM or problems with error %v", err)
			}
			return
		}
		checkBOM(t, bom, problems, "fuzz.json")
	})
}

// checkBOM fails t unless bom and the problems Decode reported for file
// satisfy Decode's promises.
func checkBOM(t *testing.T, bom *BOM, problems []*Problem, file string) {
	t.Helper()
	if bom == nil {
		t.Fatal("Decode returned neither BOM nor error")
	}
	switch {
	case bom.Format == FormatCycloneDX && supportedCycloneDX[bom.SpecVersion]:
	case bom.Format == FormatSPDX && (bom.SpecVersion == "2.2" || bom.SpecVersion == "2.3"):
	default:
		t.Fatalf("Decode = format %q version %q", bom.Format, bom.SpecVersion)
	}
	type key struct{ ecosystem, name, version string }
	seen := map[key]bool{}
	for _, p := range bom.Packages {
		if p.Name == "" {
			t.Errorf("package %q has no name", p.Ref)
		}
		if p.Ecosystem == typeAlpineLegacy {
			t.Errorf("package %q kept ecosystem %q", p.Ref, p.Ecosystem)
		}
		if (p.PURL == "") != (p.Ecosystem == "") {
			t.Errorf("package %q: purl %q with ecosystem %q", p.Ref, p.PURL, p.Ecosystem)
		}
		for _, c := range p.CPEs {
			if err := checkCPE(c); err != nil {
				t.Errorf("package %q kept bad CPE %q: %v", p.Ref, c, err)
			}
		}
		k := key{p.Ecosystem, p.Name, p.Version}
		if seen[k] {
			t.Errorf("package %v listed twice", k)
		}
		seen[k] = true
	}
	for _, p := range problems {
		if p.File != file || p.Field == "" || p.Err == nil {
			t.Errorf("problem %+v lacks file, field or cause", p)
		}
	}
}
