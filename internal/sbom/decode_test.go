package sbom

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// problemKey is the part of a Problem a test compares.
type problemKey struct{ Record, Field, Value string }

// keysOf returns the comparable part of problems.
func keysOf(problems []*Problem) []problemKey {
	var keys []problemKey
	for _, p := range problems {
		keys = append(keys, problemKey{p.Record, p.Field, p.Value})
	}
	return keys
}

// decodeFile decodes a testdata file.
func decodeFile(t *testing.T, name string) (*BOM, []*Problem, error) {
	t.Helper()
	f, err := os.Open(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	return Decode(f, name)
}

func TestDecode(t *testing.T) {
	tests := []struct {
		file         string
		format, spec string
		name         string
		packages     []Package
		problems     []problemKey
	}{
		{
			file: "cdx-1.2.xml", format: FormatCycloneDX, spec: "1.2", name: "portal",
			packages: []Package{
				{
					Ecosystem: "maven", Namespace: "org.apache.logging.log4j", Name: "org.apache.logging.log4j:log4j-core", Version: "2.14.1",
					PURL: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
					CPEs: []string{"cpe:2.3:a:apache:log4j:2.14.1:*:*:*:*:*:*:*"}, DisplayName: "log4j-core",
					Ref: "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1?type=jar",
				},
				{
					// Nested under log4j-core.
					Ecosystem: "maven", Namespace: "com.lmax", Name: "com.lmax:disruptor", Version: "3.4.2",
					PURL: "pkg:maven/com.lmax/disruptor@3.4.2?type=jar", DisplayName: "disruptor",
					Ref: "pkg:maven/com.lmax/disruptor@3.4.2?type=jar",
				},
				{
					Ecosystem: "npm", Namespace: "@angular", Name: "@angular/core", Version: "11.0.0",
					PURL: "pkg:npm/%40angular/core@11.0.0", DisplayName: "core", Ref: "pkg:npm/%40angular/core@11.0.0",
				},
				// The type="file" component is not inventory.
			},
		},
		{
			file: "cdx-1.6.xml", format: FormatCycloneDX, spec: "1.6", name: "registry.example.go.jp/portal",
			packages: []Package{
				{
					Ecosystem: "deb", Namespace: "debian", Name: "openssl", Version: "3.0.11-1~deb12u2",
					PURL: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12",
					CPEs: []string{
						`cpe:2.3:a:openssl:openssl:3.0.11-1\~deb12u2:*:*:*:*:*:*:*`,
						`cpe:2.3:a:openssl_project:openssl:3.0.11-1\~deb12u2:*:*:*:*:*:*:*`, // syft:cpe23 property
					},
					Distro: "debian-12", DisplayName: "openssl",
					Ref: "pkg:deb/debian/openssl@3.0.11-1~deb12u2?arch=amd64&distro=debian-12&package-id=1f0b0c8a1e3c2d4e",
				},
				{
					Ecosystem: "deb", Namespace: "debian", Name: "libc6", Version: "2.36-9+deb12u4",
					PURL:   "pkg:deb/debian/libc6@2.36-9%2Bdeb12u4?arch=amd64&distro=debian-12&upstream=glibc",
					CPEs:   []string{`cpe:2.3:a:libc6:libc6:2.36-9\+deb12u4:*:*:*:*:*:*:*`},
					Distro: "debian-12", DisplayName: "libc6",
					Ref: "pkg:deb/debian/libc6@2.36-9+deb12u4?arch=amd64&upstream=glibc&distro=debian-12&package-id=6d8d3e5e0c3b1a2f",
				},
				{
					Ecosystem: "golang", Namespace: "github.com/gin-gonic", Name: "github.com/gin-gonic/gin", Version: "v1.9.1",
					PURL: "pkg:golang/github.com/gin-gonic/gin@v1.9.1", CPEs: []string{"cpe:2.3:a:gin-gonic:gin:v1.9.1:*:*:*:*:*:*:*"},
					DisplayName: "github.com/gin-gonic/gin", Ref: "pkg:golang/github.com/gin-gonic/gin@v1.9.1?package-id=0c9e8f7a6b5d4c3e",
				},
				{
					Ecosystem: "golang", Namespace: "github.com/BurntSushi", Name: "github.com/BurntSushi/toml", Version: "v1.3.2",
					PURL:        "pkg:golang/github.com/BurntSushi/toml@v1.3.2",
					DisplayName: "github.com/BurntSushi/toml", Ref: "pkg:golang/github.com/BurntSushi/toml@v1.3.2?package-id=2a3b4c5d6e7f8091",
				},
				{
					Ecosystem: "pypi", Name: "django-rest-framework", Version: "3.14.0",
					PURL:        "pkg:pypi/django-rest.framework@3.14.0",
					DisplayName: "Django_Rest.Framework", Ref: "pkg:pypi/Django_Rest.Framework@3.14.0?package-id=9f8e7d6c5b4a3921",
				},
				{Name: "debian", Version: "12", DisplayName: "debian", Ref: "os:debian"},
				{
					Name: "UNIVERGE IX2215 firmware", Version: "10.2.16", CPEs: []string{"cpe:/o:nec:univerge_ix2215_firmware:10.2.16"},
					DisplayName: "UNIVERGE IX2215 firmware", Ref: "fw:ix2215",
				},
				// The device and the cryptographic asset are not software.
			},
		},
		{
			file: "laravel-trimmed.cdx-1.4.json", format: FormatCycloneDX, spec: "1.4", name: "cyclonedx-php-composer-demo",
			packages: []Package{
				{
					Ecosystem: "composer", Namespace: "laravel", Name: "laravel/framework", Version: "v7.30.6",
					PURL: "pkg:composer/laravel/framework@v7.30.6", DisplayName: "framework", Ref: "laravel/framework-7.30.6.0",
				},
				{
					Ecosystem: "composer", Namespace: "symfony", Name: "symfony/console", Version: "v5.4.16",
					PURL: "pkg:composer/symfony/console@v5.4.16", DisplayName: "console", Ref: "symfony/console-5.4.16.0",
				},
				{
					Ecosystem: "composer", Namespace: "symfony", Name: "symfony/http-foundation", Version: "v5.4.16",
					PURL: "pkg:composer/symfony/http-foundation@v5.4.16", DisplayName: "http-foundation", Ref: "symfony/http-foundation-5.4.16.0",
				},
			},
		},
		{
			file: "syft-alpine-trimmed.cdx-1.4.json", format: FormatCycloneDX, spec: "1.4", name: "docker.io/library/alpine:latest",
			packages: []Package{
				{
					Ecosystem: "apk", Name: "apk-tools", Version: "2.12.9-r3",
					PURL: "pkg:apk/apk-tools@2.12.9-r3?arch=x86_64&distro=alpine-3.16.2&upstream=apk-tools",
					CPEs: []string{
						"cpe:2.3:a:apk-tools:apk-tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk-tools:apk_tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk_tools:apk-tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk_tools:apk_tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk:apk-tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk:apk_tools:2.12.9-r3:*:*:*:*:*:*:*",
					},
					Distro: "alpine-3.16.2", DisplayName: "apk-tools",
					Ref: "pkg:alpine/apk-tools@2.12.9-r3?arch=x86_64&upstream=apk-tools&distro=alpine-3.16.2&package-id=9bb9cb82a4ce72b1",
				},
				{
					Ecosystem: "apk", Name: "musl", Version: "1.2.3-r0",
					PURL:   "pkg:apk/musl@1.2.3-r0?arch=x86_64&distro=alpine-3.16.2&upstream=musl",
					CPEs:   []string{"cpe:2.3:a:musl:musl:1.2.3-r0:*:*:*:*:*:*:*"},
					Distro: "alpine-3.16.2", DisplayName: "musl",
					Ref: "pkg:alpine/musl@1.2.3-r0?arch=x86_64&upstream=musl&distro=alpine-3.16.2&package-id=ec1d619a28263eb0",
				},
				// Syft's operating-system component has no bom-ref.
				{Name: "alpine", Version: "3.16.2", DisplayName: "alpine", Ref: "components[2]"},
			},
		},
		{
			file: "syft-alpine-trimmed.spdx-2.2.json", format: FormatSPDX, spec: "2.2", name: "docker.io/library/alpine-latest",
			packages: []Package{
				{
					Ecosystem: "apk", Name: "apk-tools", Version: "2.12.9-r3",
					PURL: "pkg:apk/apk-tools@2.12.9-r3?arch=x86_64&distro=alpine-3.16.2&upstream=apk-tools",
					CPEs: []string{
						"cpe:2.3:a:apk-tools:apk-tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk-tools:apk_tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk_tools:apk-tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk_tools:apk_tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk:apk-tools:2.12.9-r3:*:*:*:*:*:*:*",
						"cpe:2.3:a:apk:apk_tools:2.12.9-r3:*:*:*:*:*:*:*",
					},
					Distro: "alpine-3.16.2", DisplayName: "apk-tools", Ref: "SPDXRef-9bb9cb82a4ce72b1",
				},
				{
					Ecosystem: "apk", Name: "musl", Version: "1.2.3-r0",
					PURL:   "pkg:apk/musl@1.2.3-r0?arch=x86_64&distro=alpine-3.16.2&upstream=musl",
					CPEs:   []string{"cpe:2.3:a:musl:musl:1.2.3-r0:*:*:*:*:*:*:*"},
					Distro: "alpine-3.16.2", DisplayName: "musl", Ref: "SPDXRef-ec1d619a28263eb0",
				},
			},
		},
		{
			file: "broken-purl.cdx.json", format: FormatCycloneDX, spec: "1.5", name: "portal",
			packages: []Package{
				{
					Ecosystem: "npm", Name: "lodash", Version: "4.17.21", PURL: "pkg:npm/lodash@4.17.21",
					DisplayName: "lodash", Ref: "lodash",
				},
			},
			problems: []problemKey{
				{"scope-without-name", "purl", "pkg:npm/@4.17.21"},
				{"no-scheme", "purl", "npm/express@4.18.2"},
				{"bad-escape", "purl", "pkg:npm/qs%zz@6.11.0"},
				{"anonymous", "name", ""},
			},
		},
		{
			file: "malformed-cpe.spdx.json", format: FormatSPDX, spec: "2.3", name: "registry.example.go.jp/portal",
			packages: []Package{
				// The image root is skipped; the two openssl records merge.
				{
					Ecosystem: "rpm", Namespace: "redhat", Name: "openssl", Version: "1:3.0.7-27.el9",
					PURL: "pkg:rpm/redhat/openssl@3.0.7-27.el9?arch=x86_64&distro=rhel-9.4&epoch=1",
					CPEs: []string{
						`cpe:2.3:a:openssl:openssl:1\:3.0.7-27.el9:*:*:*:*:*:*:*`,
						"cpe:/a:openssl:openssl:3.0.7",
						`cpe:2.3:a:redhat:openssl:1\:3.0.7-27.el9:*:*:*:*:*:*:*`,
					},
					Distro: "rhel-9.4", DisplayName: "openssl", Ref: "SPDXRef-Package-rpm-openssl-1a2b3c",
				},
				{
					Name: "Apache Tomcat", Version: "9.0.85", CPEs: []string{"cpe:2.3:a:apache:tomcat:9.0.85:*:*:*:*:*:*:*"},
					DisplayName: "Apache Tomcat", Ref: "SPDXRef-Package-tomcat",
				},
			},
			problems: []problemKey{
				{"SPDXRef-Package-rpm-openssl-1a2b3c", "cpe", "cpe:2.3:a:openssl:openssl"},
				{"SPDXRef-Package-rpm-openssl-4d5e6f", "cpe", "openssl 3.0.7"},
				{"SPDXRef-Package-nameless", "name", ""},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			bom, problems, err := decodeFile(t, tt.file)
			if err != nil {
				t.Fatalf("Decode(%s) error: %v", tt.file, err)
			}
			if bom.Format != tt.format || bom.SpecVersion != tt.spec || bom.Name != tt.name {
				t.Errorf("Decode(%s) = %s %s %q, want %s %s %q", tt.file, bom.Format, bom.SpecVersion, bom.Name, tt.format, tt.spec, tt.name)
			}
			if diff := cmp.Diff(tt.packages, bom.Packages); diff != "" {
				t.Errorf("Decode(%s) packages (-want +got):\n%s", tt.file, diff)
			}
			if diff := cmp.Diff(tt.problems, keysOf(problems)); diff != "" {
				t.Errorf("Decode(%s) problems (-want +got):\n%s", tt.file, diff)
			}
			for _, p := range problems {
				if p.File != tt.file || p.Err == nil {
					t.Errorf("Decode(%s) problem %+v, want File %q and a cause", tt.file, p, tt.file)
				}
			}
		})
	}
}

func TestDecodeRejects(t *testing.T) {
	tests := []struct {
		name    string
		content string // used when file is ""
		file    string
		want    error
		wantMsg string
	}{
		{name: "CycloneDX 1.1 XML", file: "unsupported-1.1.cdx.xml", want: ErrUnsupportedVersion, wantMsg: `"1.1"`},
		{name: "CycloneDX 1.7 JSON", file: "unsupported-1.7.cdx.json", want: ErrUnsupportedVersion, wantMsg: `"1.7"`},
		{name: "SPDX 2.1", file: "unsupported-2.1.spdx.json", want: ErrUnsupportedVersion, wantMsg: `"SPDX-2.1"`},
		{name: "OSV record", file: "not-sbom.json", want: ErrNotSBOM, wantMsg: "not-sbom.json"},
		{name: "Maven POM", file: "not-sbom.xml", want: ErrNotSBOM, wantMsg: "project"},
		{name: "empty", content: "", want: ErrNotSBOM, wantMsg: "empty"},
		{name: "blank", content: " \n\t", want: ErrNotSBOM, wantMsg: "empty"},
		{name: "text", content: "hello", want: ErrNotSBOM, wantMsg: "neither { nor <"},
		{name: "JSON array", content: "[]", want: ErrNotSBOM, wantMsg: "neither { nor <"},
		{name: "truncated JSON", content: `{"bomFormat":"CycloneDX"`, wantMsg: "invalid JSON"},
		{name: "truncated XML", content: `<bom xmlns="http://cyclonedx.org/schema/bom/1.4"`, want: ErrNotSBOM, wantMsg: "invalid XML"},
		{name: "XML without root", content: `<?xml version="1.0"?>`, want: ErrNotSBOM, wantMsg: "no root"},
		{name: "XML bom without namespace", content: `<bom version="1"></bom>`, want: ErrNotSBOM, wantMsg: "bom"},
		{name: "tag-value SPDX", content: "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\n", want: ErrNotSBOM, wantMsg: "tag-value"},
		{name: "other bomFormat", content: `{"bomFormat":"SWID","specVersion":"1.4"}`, want: ErrNotSBOM, wantMsg: `"SWID"`},
		{name: "CycloneDX numeric version", content: `{"bomFormat":"CycloneDX","specVersion":1.4}`, want: ErrUnsupportedVersion, wantMsg: "specVersion 1.4 is not a string"},
		{name: "CycloneDX without version", content: `{"bomFormat":"CycloneDX"}`, want: ErrUnsupportedVersion, wantMsg: `""`},
		{name: "SPDX null version", content: `{"spdxVersion":null}`, want: ErrUnsupportedVersion, wantMsg: `spdxVersion ""`},
		{name: "SPDX 3 version string", content: `{"spdxVersion":"SPDX-3.0"}`, want: ErrUnsupportedVersion, wantMsg: "SPDX-3.0"},
		{name: "CycloneDX wrong member type", content: `{"bomFormat":"CycloneDX","specVersion":"1.4","components":{}}`, wantMsg: "CycloneDX JSON"},
		{name: "SPDX wrong member type", content: `{"spdxVersion":"SPDX-2.3","packages":"none"}`, wantMsg: "SPDX JSON"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var (
				bom      *BOM
				problems []*Problem
				err      error
			)
			if tt.file != "" {
				bom, problems, err = decodeFile(t, tt.file)
			} else {
				bom, problems, err = Decode(strings.NewReader(tt.content), "input.json")
			}
			if err == nil {
				t.Fatalf("Decode(%s) = %+v, want error", tt.name, bom)
			}
			if bom != nil || problems != nil {
				t.Errorf("Decode(%s) returned a BOM or problems with error %v", tt.name, err)
			}
			if tt.want != nil && !errors.Is(err, tt.want) {
				t.Errorf("Decode(%s) error = %v, want %v", tt.name, err, tt.want)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "sbom: ") || !strings.Contains(msg, tt.wantMsg) {
				t.Errorf("Decode(%s) error = %q, want prefix %q and %q in it", tt.name, msg, "sbom: ", tt.wantMsg)
			}
		})
	}
}

// TestCycloneDXXMLNamespaces checks that the spec version of an XML BOM is
// read from its namespace, which is the only place XML states it.
func TestCycloneDXXMLNamespaces(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "cdx-1.2.xml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		version string
		ok      bool
	}{
		{"1.0", false}, {"1.1", false}, {"1.2", true}, {"1.3", true}, {"1.4", true}, {"1.5", true}, {"1.6", true}, {"1.7", false},
	} {
		doc := strings.Replace(string(data), "http://cyclonedx.org/schema/bom/1.2", "http://cyclonedx.org/schema/bom/"+tt.version, 1)
		bom, _, err := Decode(strings.NewReader(doc), "bom-"+tt.version+".xml")
		switch {
		case tt.ok && err != nil:
			t.Errorf("Decode(CycloneDX %s XML) error: %v", tt.version, err)
		case tt.ok && (bom.SpecVersion != tt.version || len(bom.Packages) != 3):
			t.Errorf("Decode(CycloneDX %s XML) = version %s, %d packages, want %s, 3", tt.version, bom.SpecVersion, len(bom.Packages), tt.version)
		case !tt.ok && !errors.Is(err, ErrUnsupportedVersion):
			t.Errorf("Decode(CycloneDX %s XML) error = %v, want %v", tt.version, err, ErrUnsupportedVersion)
		case !tt.ok && !strings.Contains(err.Error(), `"`+tt.version+`"`):
			t.Errorf("Decode(CycloneDX %s XML) error = %v, want the version named", tt.version, err)
		}
	}
}

// TestDecodeByteOrderMark checks that a UTF-8 byte order mark, which
// Windows tools write, does not hide the format.
func TestDecodeByteOrderMark(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "laravel-trimmed.cdx-1.4.json"))
	if err != nil {
		t.Fatal(err)
	}
	bom, _, err := Decode(strings.NewReader("\xef\xbb\xbf"+string(data)), "bom.json")
	if err != nil || len(bom.Packages) != 3 {
		t.Fatalf("Decode(BOM-prefixed JSON) = %v, %v, want 3 packages", bom, err)
	}
}

// failingReader fails every read.
type failingReader struct{}

func (failingReader) Read([]byte) (int, error) { return 0, io.ErrUnexpectedEOF }

func TestDecodeReadError(t *testing.T) {
	_, _, err := Decode(failingReader{}, "upload.json")
	if !errors.Is(err, io.ErrUnexpectedEOF) || !strings.Contains(err.Error(), "upload.json") {
		t.Errorf("Decode(failing reader) error = %v, want %v naming upload.json", err, io.ErrUnexpectedEOF)
	}
}

func TestProblemError(t *testing.T) {
	cause := errors.New("purl is missing name")
	p := &Problem{File: "bom.json", Record: "components[2]", Field: "purl", Value: "pkg:npm/@1.0", Err: cause}
	want := `sbom: bom.json: components[2]: purl "pkg:npm/@1.0": purl is missing name`
	if got := p.Error(); got != want {
		t.Errorf("Problem.Error() = %q, want %q", got, want)
	}
	if !errors.Is(p, cause) {
		t.Errorf("errors.Is(Problem, cause) = false, want true")
	}
}
