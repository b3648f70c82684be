package sbom

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"

	"mamori"
)

// Format names reported in BOM.Format.
const (
	FormatCycloneDX = "CycloneDX"
	FormatSPDX      = "SPDX"
)

// maxInputBytes bounds how much of a document Decode reads. The largest real
// SBOM in the corpus is 4 MB; the limit only protects the process from a
// runaway upload.
const maxInputBytes = 256 << 20

// Package is one piece of installed software from an SBOM, normalised for
// matching.
type Package struct {
	// Ecosystem is the purl type, normalised ("alpine" becomes "apk"), or ""
	// when the record has no purl.
	Ecosystem string
	// Namespace is the unescaped purl namespace, such as "symfony",
	// "org.apache.logging.log4j" or, for OS packages, the distro vendor.
	Namespace string
	// Name is the name OSV uses for the ecosystem, built from the purl:
	// "symfony/http-foundation" (composer), "org.apache.logging.log4j:log4j-core"
	// (maven), "github.com/gin-gonic/gin" (golang), "@angular/core" (npm), the
	// PEP 503 name for pypi, and the plain name for deb, rpm, apk and the
	// rest. Without a purl it is the component name.
	Name string
	// Version is the purl version (with an rpm "epoch" qualifier folded in as
	// "epoch:version"), else the component or package version, kept exactly.
	Version string
	// PURL is packageurl-go's canonical form of the purl (qualifiers sorted,
	// components percent-encoded), with the golang case kept and the legacy
	// "alpine" type written "apk"; "" when there is none.
	PURL string
	// CPEs are the CPE 2.3 formatted strings or CPE 2.2 URIs given for the
	// package, unchanged.
	CPEs []string
	// Distro is the purl "distro" qualifier (such as "debian-11"), which OS
	// package matching needs to pick the right distro feed.
	Distro string
	// DisplayName is the component name as written, for display only.
	DisplayName string
	// Ref is the bom-ref or SPDXID (or an index path when neither is given),
	// for messages.
	Ref string
}

// BOM is a parsed SBOM.
type BOM struct {
	// Format is FormatCycloneDX or FormatSPDX.
	Format string
	// SpecVersion is the specification version, such as "1.4" or "2.3".
	SpecVersion string
	// Name is the subject's name: metadata.component for CycloneDX, the
	// document name for SPDX.
	Name string
	// Packages are the installed packages, in document order, deduplicated.
	Packages []Package
}

// Problem describes one record, or one value in it, that Decode skipped.
type Problem struct {
	// File is the name passed to Decode.
	File string
	// Record is the bom-ref or SPDXID, or an index path such as
	// "components[3].components[0]" when the record has none.
	Record string
	// Field is the field that was wrong, such as "purl", "cpe" or "name".
	Field string
	// Value is the offending value as written.
	Value string
	// Err says what is wrong with Value.
	Err error
}

// Error implements error.
func (p *Problem) Error() string {
	return fmt.Sprintf("sbom: %s: %s: %s %q: %v", p.File, mamori.Excerpt(p.Record), p.Field, mamori.Excerpt(p.Value), p.Err)
}

// Unwrap returns the underlying cause.
func (p *Problem) Unwrap() error { return p.Err }

// ErrNotSBOM is wrapped by the error Decode returns for content that is not a
// CycloneDX or SPDX document.
var ErrNotSBOM = errors.New("not a CycloneDX or SPDX document")

// ErrUnsupportedVersion is wrapped by the error Decode returns for a
// CycloneDX or SPDX document outside the supported spec versions.
var ErrUnsupportedVersion = errors.New("unsupported spec version")

// Decode detects the format (CycloneDX JSON, CycloneDX XML, SPDX JSON) from
// the content of r and parses it; name is used in messages only.
//
// Problems are collected, not stopped at: the returned problems are the
// records or values that were skipped (broken purl, malformed CPE, missing
// name). A document that is not an SBOM, or whose spec version is outside
// CycloneDX 1.2–1.6 or SPDX 2.2–2.3, is an error, and then the BOM is nil.
func Decode(r io.Reader, name string) (*BOM, []*Problem, error) {
	data, err := io.ReadAll(io.LimitReader(r, maxInputBytes+1))
	if err != nil {
		return nil, nil, fmt.Errorf("sbom: %s: read: %w", name, err)
	}
	if len(data) > maxInputBytes {
		return nil, nil, fmt.Errorf("sbom: %s: larger than %d bytes", name, maxInputBytes)
	}
	body := bytes.TrimLeft(bytes.TrimPrefix(data, []byte("\xef\xbb\xbf")), " \t\r\n")
	var bom *BOM
	var problems []*Problem
	switch {
	case len(body) == 0:
		return nil, nil, fmt.Errorf("sbom: %s: empty document: %w", name, ErrNotSBOM)
	case body[0] == '{':
		bom, problems, err = decodeJSON(body, name)
	case body[0] == '<':
		bom, problems, err = decodeCycloneDXXML(body, name)
	case bytes.HasPrefix(body, []byte("SPDXVersion:")):
		// Tag-value is a legal SPDX serialisation, so say what to do
		// instead of calling it "not an SBOM".
		return nil, nil, fmt.Errorf("sbom: %s: SPDX tag-value is not supported, convert it to SPDX JSON: %w", name, ErrNotSBOM)
	default:
		return nil, nil, fmt.Errorf("sbom: %s: content starts with neither { nor <: %w", name, ErrNotSBOM)
	}
	if err != nil {
		return nil, nil, err
	}
	bom.Packages = dedupe(bom.Packages)
	return bom, problems, nil
}

// jsonProbe holds the top-level members that tell SBOM formats apart.
type jsonProbe struct {
	BOMFormat   string          `json:"bomFormat"`
	SpecVersion json.RawMessage `json:"specVersion"`
	SPDXVersion json.RawMessage `json:"spdxVersion"`
}

// decodeJSON tells CycloneDX JSON from SPDX JSON and parses either.
func decodeJSON(data []byte, file string) (*BOM, []*Problem, error) {
	var probe jsonProbe
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, nil, fmt.Errorf("sbom: %s: invalid JSON: %w", file, err)
	}
	switch {
	case probe.BOMFormat == FormatCycloneDX:
		version, err := versionText(file, "specVersion", probe.SpecVersion)
		if err != nil {
			return nil, nil, err
		}
		return decodeCycloneDXJSON(data, file, version)
	case probe.SPDXVersion != nil:
		version, err := versionText(file, "spdxVersion", probe.SPDXVersion)
		if err != nil {
			return nil, nil, err
		}
		return decodeSPDX(data, file, version)
	case probe.BOMFormat != "":
		return nil, nil, fmt.Errorf("sbom: %s: bomFormat %q: %w", file, mamori.Excerpt(probe.BOMFormat), ErrNotSBOM)
	}
	return nil, nil, fmt.Errorf("sbom: %s: no bomFormat or spdxVersion member: %w", file, ErrNotSBOM)
}

// versionText returns the string value of a version member. Both schemas
// require a string, so a number such as 1.4 is reported as an unsupported
// version rather than as a type mismatch deep inside the decoder.
func versionText(file, member string, raw json.RawMessage) (string, error) {
	if raw == nil {
		return "", nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("sbom: %s: %s %.40s is not a string: %w", file, member, raw, ErrUnsupportedVersion)
	}
	return s, nil
}

// dedupe merges packages with the same ecosystem, name and version, keeping
// the first one's other fields and the union of their CPEs in order.
func dedupe(pkgs []Package) []Package {
	type key struct{ ecosystem, name, version string }
	first := make(map[key]int, len(pkgs))
	out := pkgs[:0]
	for _, p := range pkgs {
		k := key{p.Ecosystem, p.Name, p.Version}
		i, seen := first[k]
		if !seen {
			first[k] = len(out)
			out = append(out, p)
			continue
		}
		for _, c := range p.CPEs {
			out[i].CPEs = appendNew(out[i].CPEs, c)
		}
	}
	return out
}

// appendNew appends s to list unless list already holds it.
func appendNew(list []string, s string) []string {
	if slices.Contains(list, s) {
		return list
	}
	return append(list, s)
}
