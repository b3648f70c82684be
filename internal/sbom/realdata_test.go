package sbom

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// corpus is the shared SBOM corpus (see the data set's SOURCES.md). Tests
// that read it skip when it is absent.
const corpus = "../../../shared/data/vuln"

// wantPackages is the number of distinct packages in each corpus file,
// counted with jq (distinct purl without qualifiers, else name@version, over
// software-typed components or SPDX packages) and cross-checked in TestCorpus by a generic
// map walk that does not use this package's code.
var wantPackages = map[string]int{
	"cyclonedx/sbom/cern-lhc-vdm-editor-e564943.cdx.json": 43,
	"cyclonedx/sbom/dropwizard-1.3.15.cdx.json":           167,
	"cyclonedx/sbom/juice-shop-11.1.2.cdx.json":           840,
	// 903 components: the ?classifier=tests test-jar of
	// integration-arquillian-tests-base merges with its jar.
	"cyclonedx/sbom/keycloak-10.0.2.cdx.json":                 902,
	"cyclonedx/sbom/laravel-7.12.0.cdx-1.4.json":              62,
	"cyclonedx/sbom/proton-bridge-1.8.0.cdx.json":             201,
	"cyclonedx/sbom/protonmail-webclient-v4-0912dff.cdx.json": 883,
	"sbom-guac/cdx-1.4/alpine.cdx.json":                       15,
	"sbom-guac/cdx-1.4/debian.cdx.json":                       97,
	"sbom-guac/cdx-1.4/nginx.cdx.json":                        144,
	"sbom-guac/cdx-1.4/python.cdx.json":                       431,
	"sbom-guac/cdx-1.4/ubuntu.cdx.json":                       102,
	"cyclonedx/cbom-1.6/Algorithm_bom.json":                   0,
	"cyclonedx/cbom-1.6/Certificate_bom.json":                 0,
	"cyclonedx/cbom-1.6/Example-With-Dependencies_bom.json":   2,
	"cyclonedx/cbom-1.6/Key_bom.json":                         0,
	"cyclonedx/cbom-1.6/Protocol_bom.json":                    0,
	"cyclonedx/vex/bom.json":                                  3,
	"sbom-guac/spdx-2.2/alpine.spdx.json":                     14,
	"sbom-guac/spdx-2.2/composer.spdx.json":                   72,
	"sbom-guac/spdx-2.2/debian.spdx.json":                     96,
	"sbom-guac/spdx-2.2/haproxy.spdx.json":                    97,
	"sbom-guac/spdx-2.2/httpd.spdx.json":                      117,
	"sbom-guac/spdx-2.2/kong.spdx.json":                       40,
	"sbom-guac/spdx-2.2/memcached.spdx.json":                  100,
	"sbom-guac/spdx-2.2/mongo.spdx.json":                      173,
	"sbom-guac/spdx-2.2/neo4j.spdx.json":                      320,
	"sbom-guac/spdx-2.2/nginx.spdx.json":                      143,
	"sbom-guac/spdx-2.2/openjdk.spdx.json":                    112,
	"sbom-guac/spdx-2.2/photon.spdx.json":                     36,
	"sbom-guac/spdx-2.2/redis.spdx.json":                      99,
	"sbom-guac/spdx-2.2/ubuntu.spdx.json":                     101,
	"sbom-guac/spdx-2.2/vault.spdx.json":                      348,
	"spdx/SPDXJSONExample-v2.3.spdx.json":                     4,
}

// corpusFiles returns every JSON file TestCorpus reads, skipping the test
// when the corpus is absent.
func corpusFiles(t *testing.T) []string {
	t.Helper()
	if _, err := os.Stat(corpus); err != nil {
		t.Skipf("corpus %s absent: %v", corpus, err)
	}
	var files []string
	for _, pattern := range []string{
		"cyclonedx/sbom/*.json", "cyclonedx/vex/*.json", "cyclonedx/cbom-1.6/*.json",
		"sbom-guac/cdx-1.4/*.json", "sbom-guac/spdx-2.2/*.json", "spdx/*.json",
	} {
		matches, err := filepath.Glob(filepath.Join(corpus, pattern))
		if err != nil {
			t.Fatal(err)
		}
		files = append(files, matches...)
	}
	if len(files) == 0 {
		t.Skipf("corpus %s holds no SBOMs", corpus)
	}
	return files
}

func TestCorpus(t *testing.T) {
	for _, path := range corpusFiles(t) {
		rel, _ := filepath.Rel(corpus, path)
		t.Run(rel, func(t *testing.T) {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			bom, problems, err := Decode(bytes.NewReader(data), rel)
			if err != nil {
				t.Fatalf("Decode(%s) error: %v", rel, err)
			}
			for _, p := range problems {
				t.Errorf("Decode(%s) problem: %v", rel, p)
			}
			checkBOM(t, bom, problems, rel)
			want := wantPackages[rel] // VEX documents without components: 0
			if got := len(bom.Packages); got != want {
				t.Errorf("Decode(%s) = %d packages, want %d", rel, got, want)
			}
			count := countByWalk(t, data)
			if got := len(bom.Packages); got != count.packages {
				t.Errorf("Decode(%s) = %d packages, map walk counts %d", rel, got, count.packages)
			}
			cpes := 0
			for _, p := range bom.Packages {
				cpes += len(p.CPEs)
				if p.Name == "" {
					t.Errorf("Decode(%s): package %s has no name", rel, p.Ref)
				}
			}
			if cpes != count.cpes {
				t.Errorf("Decode(%s) = %d CPEs, map walk counts %d", rel, cpes, count.cpes)
			}
		})
	}
}

// walkCount is what countByWalk found.
type walkCount struct{ packages, cpes int }

// countByWalk counts distinct packages, and distinct CPEs per package, by
// walking the document as generic JSON, independently of Decode: the key is
// the purl without qualifiers, else name@version.
func countByWalk(t *testing.T, data []byte) walkCount {
	t.Helper()
	// Only the two inventory arrays are decoded, as generic JSON; syft's
	// files[] would triple the time spent here.
	var doc struct {
		Components []any `json:"components"`
		Packages   []any `json:"packages"`
	}
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	cpesByKey := map[string]map[string]bool{}
	add := func(purl, name, version string, cpes []string) {
		key := name + "@" + version
		if purl != "" {
			key, _, _ = strings.Cut(purl, "?")
		}
		if cpesByKey[key] == nil {
			cpesByKey[key] = map[string]bool{}
		}
		for _, c := range cpes {
			cpesByKey[key][c] = true
		}
	}
	skipTypes := map[string]bool{"file": true, "data": true, "device": true, "machine-learning-model": true, "cryptographic-asset": true}
	var walk func(list []any)
	walk = func(list []any) {
		for _, item := range list {
			c := item.(map[string]any)
			if !skipTypes[str(c["type"])] {
				var cpes []string
				if cpe := str(c["cpe"]); cpe != "" {
					cpes = append(cpes, cpe)
				}
				for _, prop := range list0(c["properties"]) {
					if pm := prop.(map[string]any); pm["name"] == "syft:cpe23" {
						cpes = append(cpes, str(pm["value"]))
					}
				}
				add(str(c["purl"]), str(c["name"]), str(c["version"]), cpes)
			}
			walk(list0(c["components"]))
		}
	}
	walk(doc.Components)
	for _, item := range doc.Packages {
		p := item.(map[string]any)
		purl := ""
		var cpes []string
		for _, ref := range list0(p["externalRefs"]) {
			r := ref.(map[string]any)
			switch r["referenceType"] {
			case "purl":
				purl = str(r["referenceLocator"])
			case "cpe23Type", "cpe22Type":
				cpes = append(cpes, str(r["referenceLocator"]))
			}
		}
		add(purl, str(p["name"]), str(p["versionInfo"]), cpes)
	}
	var count walkCount
	for _, cpes := range cpesByKey {
		count.packages++
		count.cpes += len(cpes)
	}
	return count
}

// str returns v as a string, or "" when it is not one.
func str(v any) string {
	s, _ := v.(string)
	return s
}

// list0 returns v as a JSON array, or nil when it is not one.
func list0(v any) []any {
	l, _ := v.([]any)
	return l
}

// TestCorpusPackages checks single packages of the real SBOMs, chosen for
// the traps they hold.
func TestCorpusPackages(t *testing.T) {
	tests := []struct {
		file string
		ref  string
		want Package // CPEs are compared by count only
		cpes int
	}{
		{
			// osv-scanner looks this one up as "http-foundation".
			file: "cyclonedx/sbom/laravel-7.12.0.cdx-1.4.json", ref: "symfony/http-foundation-5.4.16.0",
			want: Package{Ecosystem: "composer", Namespace: "symfony", Name: "symfony/http-foundation", Version: "v5.4.16", PURL: "pkg:composer/symfony/http-foundation@v5.4.16", DisplayName: "http-foundation"},
		},
		{
			file: "cyclonedx/sbom/proton-bridge-1.8.0.cdx.json", ref: "pkg:golang/github.com/BurntSushi/toml@v0.3.1",
			want: Package{Ecosystem: "golang", Namespace: "github.com/BurntSushi", Name: "github.com/BurntSushi/toml", Version: "v0.3.1", PURL: "pkg:golang/github.com/BurntSushi/toml@v0.3.1", DisplayName: "github.com/BurntSushi/toml"},
		},
		{
			file: "cyclonedx/sbom/protonmail-webclient-v4-0912dff.cdx.json", ref: "pkg:npm/%40types/node@14.0.24",
			want: Package{Ecosystem: "npm", Namespace: "@types", Name: "@types/node", Version: "14.0.24", PURL: "pkg:npm/%40types/node@14.0.24", DisplayName: "node"},
		},
		{
			file: "sbom-guac/spdx-2.2/debian.spdx.json", ref: "SPDXRef-f277da72145fb122",
			want: Package{Ecosystem: "deb", Namespace: "debian", Name: "bsdutils", Version: "1:2.36.1-8+deb11u1", Distro: "debian-11", PURL: "pkg:deb/debian/bsdutils@1:2.36.1-8%2Bdeb11u1?arch=amd64&distro=debian-11&upstream=util-linux%402.36.1-8%2Bdeb11u1", DisplayName: "bsdutils"},
			cpes: 1,
		},
		{
			file: "sbom-guac/spdx-2.2/openjdk.spdx.json", ref: "SPDXRef-9a4b52d06738de47",
			want: Package{Ecosystem: "rpm", Namespace: "ol", Name: "gmp", Version: "1:6.1.2-10.el8", Distro: "ol-8.6", PURL: "pkg:rpm/ol/gmp@6.1.2-10.el8?arch=x86_64&distro=ol-8.6&epoch=1&upstream=gmp-6.1.2-10.el8.src.rpm", DisplayName: "gmp"},
			cpes: 2,
		},
		{
			// Described by the document but real software: kept.
			file: "spdx/SPDXJSONExample-v2.3.spdx.json", ref: "SPDXRef-Package",
			want: Package{Name: "glibc", Version: "2.11.1", DisplayName: "glibc"},
			cpes: 1,
		},
		{
			file: "spdx/SPDXJSONExample-v2.3.spdx.json", ref: "SPDXRef-fromDoap-0",
			want: Package{Ecosystem: "maven", Namespace: "org.apache.jena", Name: "org.apache.jena:apache-jena", Version: "3.12.0", PURL: "pkg:maven/org.apache.jena/apache-jena@3.12.0", DisplayName: "Jena"},
		},
	}
	boms := map[string]*BOM{}
	for _, tt := range tests {
		bom, ok := boms[tt.file]
		if !ok {
			data, err := os.ReadFile(filepath.Join(corpus, tt.file))
			if os.IsNotExist(err) {
				t.Skipf("corpus file %s absent", tt.file)
			}
			if err != nil {
				t.Fatal(err)
			}
			if bom, _, err = Decode(bytes.NewReader(data), tt.file); err != nil {
				t.Fatalf("Decode(%s) error: %v", tt.file, err)
			}
			boms[tt.file] = bom
		}
		var got *Package
		for i := range bom.Packages {
			if bom.Packages[i].Ref == tt.ref {
				got = &bom.Packages[i]
			}
		}
		if got == nil {
			t.Errorf("Decode(%s): no package %s", tt.file, tt.ref)
			continue
		}
		if len(got.CPEs) != tt.cpes {
			t.Errorf("Decode(%s) %s has %d CPEs, want %d", tt.file, tt.ref, len(got.CPEs), tt.cpes)
		}
		have := *got
		have.CPEs, have.Ref = nil, ""
		if diff := cmp.Diff(tt.want, have); diff != "" {
			t.Errorf("Decode(%s) %s (-want +got):\n%s", tt.file, tt.ref, diff)
		}
	}
}

// BenchmarkDecode measures ingest of the keycloak SBOM (CycloneDX 1.2 JSON,
// 903 components, 2.2 MB).
func BenchmarkDecode(b *testing.B) {
	const file = "cyclonedx/sbom/keycloak-10.0.2.cdx.json"
	data, err := os.ReadFile(filepath.Join(corpus, file))
	if err != nil {
		b.Skipf("corpus file %s absent: %v", file, err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	packages := 0
	for b.Loop() {
		bom, _, err := Decode(bytes.NewReader(data), file)
		if err != nil {
			b.Fatal(err)
		}
		packages = len(bom.Packages)
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*packages), "ns/package")
}
