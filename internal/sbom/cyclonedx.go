package sbom

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	cdx "github.com/CycloneDX/cyclonedx-go"

	"mamori"
)

// cycloneDXNamespacePrefix starts every CycloneDX XML namespace; the spec
// version follows it ("http://cyclonedx.org/schema/bom/1.2").
const cycloneDXNamespacePrefix = "http://cyclonedx.org/schema/bom/"

// syftCPEProperty is the property under which syft lists the CPEs it
// guessed beyond the first, which goes in the cpe field.
const syftCPEProperty = "syft:cpe23"

// supportedCycloneDX lists the spec versions Decode reads. 1.0 and 1.1
// predate purl and bom-ref; 1.7 and later are refused until their changes
// have been checked against this walk.
var supportedCycloneDX = map[string]bool{"1.2": true, "1.3": true, "1.4": true, "1.5": true, "1.6": true}

// inventoryTypes are the CycloneDX component types that are installed
// software. A component without a type is kept too, since it cannot be told
// apart from a library.
var inventoryTypes = map[cdx.ComponentType]bool{
	"":                            true,
	cdx.ComponentTypeLibrary:      true,
	cdx.ComponentTypeApplication:  true,
	cdx.ComponentTypeFramework:    true,
	cdx.ComponentTypeOS:           true,
	cdx.ComponentTypeContainer:    true,
	cdx.ComponentTypeFirmware:     true,
	cdx.ComponentTypePlatform:     true,
	cdx.ComponentTypeDeviceDriver: true,
}

// checkCycloneDXVersion returns an error naming version unless Decode
// supports it.
func checkCycloneDXVersion(file, version string) error {
	if !supportedCycloneDX[version] {
		return fmt.Errorf("sbom: %s: CycloneDX spec version %q, want 1.2 to 1.6: %w", file, mamori.Excerpt(version), ErrUnsupportedVersion)
	}
	return nil
}

// decodeCycloneDXJSON parses a CycloneDX JSON document whose specVersion
// member reads version.
func decodeCycloneDXJSON(data []byte, file, version string) (*BOM, []*Problem, error) {
	if err := checkCycloneDXVersion(file, version); err != nil {
		return nil, nil, err
	}
	var doc cdx.BOM
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("sbom: %s: CycloneDX JSON: %w", file, err)
	}
	return fromCycloneDX(&doc, file, version)
}

// decodeCycloneDXXML parses a CycloneDX XML document, taking the spec
// version from the root element's namespace as the schema defines it.
func decodeCycloneDXXML(data []byte, file string) (*BOM, []*Problem, error) {
	root, err := xmlRoot(data)
	if err != nil {
		return nil, nil, fmt.Errorf("sbom: %s: %w: %w", file, ErrNotSBOM, err)
	}
	version, isCycloneDX := strings.CutPrefix(root.Space, cycloneDXNamespacePrefix)
	if root.Local != "bom" || !isCycloneDX {
		return nil, nil, fmt.Errorf("sbom: %s: XML root <%s xmlns=%q> is not a CycloneDX bom: %w", file, mamori.Excerpt(root.Local), mamori.Excerpt(root.Space), ErrNotSBOM)
	}
	if err := checkCycloneDXVersion(file, version); err != nil {
		return nil, nil, err
	}
	var doc cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatXML).Decode(&doc); err != nil {
		return nil, nil, fmt.Errorf("sbom: %s: CycloneDX XML: %w", file, err)
	}
	return fromCycloneDX(&doc, file, version)
}

// xmlRoot returns the name of the first element in data.
func xmlRoot(data []byte) (xml.Name, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return xml.Name{}, errors.New("XML has no root element")
		}
		if err != nil {
			return xml.Name{}, fmt.Errorf("invalid XML: %w", err)
		}
		if start, ok := tok.(xml.StartElement); ok {
			return start.Name, nil
		}
	}
}

// fromCycloneDX turns a decoded CycloneDX document into a BOM.
func fromCycloneDX(doc *cdx.BOM, file, version string) (*BOM, []*Problem, error) {
	bom := &BOM{Format: FormatCycloneDX, SpecVersion: version}
	if doc.Metadata != nil && doc.Metadata.Component != nil {
		bom.Name = doc.Metadata.Component.Name
	}
	w := cycloneDXWalker{file: file, bom: bom}
	if doc.Components != nil {
		w.walk(*doc.Components, "components")
	}
	return bom, w.problems, nil
}

// cycloneDXWalker collects packages and problems from a component tree.
type cycloneDXWalker struct {
	file     string
	bom      *BOM
	problems []*Problem
}

// walk visits components and, depth first, everything nested in them.
func (w *cycloneDXWalker) walk(components []cdx.Component, path string) {
	for i := range components {
		c := &components[i]
		at := path + "[" + strconv.Itoa(i) + "]"
		if inventoryTypes[c.Type] {
			w.add(c, at)
		}
		if c.Components != nil {
			w.walk(*c.Components, at+".components")
		}
	}
}

// add records c as a package unless it is unusable.
func (w *cycloneDXWalker) add(c *cdx.Component, at string) {
	ref := c.BOMRef
	if ref == "" {
		ref = at
	}
	p := Package{DisplayName: c.Name, Ref: ref}
	switch {
	case c.PackageURL != "":
		if err := applyPURL(&p, c.PackageURL, c.Version); err != nil {
			w.problem(ref, "purl", c.PackageURL, err)
			return
		}
	case c.Name == "":
		w.problem(ref, "name", "", errors.New("component has neither purl nor name"))
		return
	default:
		p.Name, p.Version = c.Name, c.Version
	}
	if c.CPE != "" {
		p.CPEs = w.keepCPE(p.CPEs, ref, c.CPE)
	}
	if c.Properties != nil {
		for _, prop := range *c.Properties {
			if prop.Name == syftCPEProperty {
				p.CPEs = w.keepCPE(p.CPEs, ref, prop.Value)
			}
		}
	}
	w.bom.Packages = append(w.bom.Packages, p)
}

// keepCPE appends cpe to cpes if it is well formed and new, and records a
// problem otherwise.
func (w *cycloneDXWalker) keepCPE(cpes []string, ref, cpe string) []string {
	if err := checkCPE(cpe); err != nil {
		w.problem(ref, "cpe", cpe, err)
		return cpes
	}
	return appendNew(cpes, cpe)
}

// problem records a skipped record or value.
func (w *cycloneDXWalker) problem(ref, field, value string, err error) {
	w.problems = append(w.problems, &Problem{File: w.file, Record: ref, Field: field, Value: value, Err: err})
}
