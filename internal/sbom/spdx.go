package sbom

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"mamori"
)

// supportedSPDX lists the spdxVersion values Decode reads: the JSON
// serialisation was first specified in SPDX 2.2, and SPDX 3 is JSON-LD
// with a different model.
var supportedSPDX = map[string]string{"SPDX-2.2": "2.2", "SPDX-2.3": "2.3"}

// syftRootPrefix starts the SPDXID syft (0.80 and later) gives the package
// it adds for the scanned image, directory or file itself.
const syftRootPrefix = "SPDXRef-DocumentRoot-"

// spdxDocument is the part of an SPDX 2.2/2.3 JSON document that holds
// inventory. files[], which is most of a syft document, is left unparsed.
type spdxDocument struct {
	Name              string             `json:"name"`
	DocumentDescribes []string           `json:"documentDescribes"`
	Packages          []spdxPackage      `json:"packages"`
	Relationships     []spdxRelationship `json:"relationships"`
}

// spdxPackage is one entry of packages[].
type spdxPackage struct {
	SPDXID                string            `json:"SPDXID"`
	Name                  string            `json:"name"`
	VersionInfo           string            `json:"versionInfo"`
	PrimaryPackagePurpose string            `json:"primaryPackagePurpose"`
	ExternalRefs          []spdxExternalRef `json:"externalRefs"`
}

// spdxExternalRef is one entry of a package's externalRefs[].
type spdxExternalRef struct {
	ReferenceCategory string `json:"referenceCategory"`
	ReferenceType     string `json:"referenceType"`
	ReferenceLocator  string `json:"referenceLocator"`
}

// spdxRelationship is one entry of relationships[].
type spdxRelationship struct {
	Element          string `json:"spdxElementId"`
	RelationshipType string `json:"relationshipType"`
	Related          string `json:"relatedSpdxElement"`
}

// decodeSPDX parses an SPDX JSON document whose spdxVersion reads version.
func decodeSPDX(data []byte, file, version string) (*BOM, []*Problem, error) {
	short, ok := supportedSPDX[version]
	if !ok {
		return nil, nil, fmt.Errorf("sbom: %s: spdxVersion %q, want SPDX-2.2 or SPDX-2.3: %w", file, mamori.Excerpt(version), ErrUnsupportedVersion)
	}
	var doc spdxDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, nil, fmt.Errorf("sbom: %s: SPDX JSON: %w", file, err)
	}
	bom := &BOM{Format: FormatSPDX, SpecVersion: short, Name: doc.Name}
	described := doc.describedIDs()
	var problems []*Problem
	for i := range doc.Packages {
		sp := &doc.Packages[i]
		if described[sp.SPDXID] && sp.isScanRoot() {
			continue
		}
		p, probs := sp.toPackage(file, i)
		problems = append(problems, probs...)
		if p != nil {
			bom.Packages = append(bom.Packages, *p)
		}
	}
	return bom, problems, nil
}

// describedIDs returns the SPDXIDs the document describes, whether listed in
// documentDescribes (the 2.2 form) or as DESCRIBES relationships (2.3).
func (d *spdxDocument) describedIDs() map[string]bool {
	ids := make(map[string]bool)
	for _, id := range d.DocumentDescribes {
		ids[id] = true
	}
	for _, r := range d.Relationships {
		switch r.RelationshipType {
		case "DESCRIBES":
			ids[r.Related] = true
		case "DESCRIBED_BY":
			ids[r.Element] = true
		}
	}
	return ids
}

// isScanRoot reports whether the package stands for the scanned image or
// directory rather than for software installed in it.
func (sp *spdxPackage) isScanRoot() bool {
	return strings.HasPrefix(sp.SPDXID, syftRootPrefix) || sp.PrimaryPackagePurpose == "CONTAINER"
}

// toPackage converts sp, or returns nil with the problems that made it
// unusable. index is sp's position in packages[], for records without an
// SPDXID.
func (sp *spdxPackage) toPackage(file string, index int) (*Package, []*Problem) {
	ref := sp.SPDXID
	if ref == "" {
		ref = "packages[" + strconv.Itoa(index) + "]"
	}
	problem := func(field, value string, err error) *Problem {
		return &Problem{File: file, Record: ref, Field: field, Value: value, Err: err}
	}
	p := &Package{DisplayName: sp.Name, Ref: ref}
	var problems []*Problem
	purl := ""
	for _, ext := range sp.ExternalRefs {
		switch {
		case isPackageManagerRef(ext) && purl == "":
			purl = ext.ReferenceLocator
		case isCPERef(ext):
			if err := checkCPE(ext.ReferenceLocator); err != nil {
				problems = append(problems, problem("cpe", ext.ReferenceLocator, err))
				continue
			}
			p.CPEs = appendNew(p.CPEs, ext.ReferenceLocator)
		}
	}
	switch {
	case purl != "":
		if err := applyPURL(p, purl, sp.VersionInfo); err != nil {
			return nil, append(problems, problem("purl", purl, err))
		}
	case sp.Name == "":
		return nil, append(problems, problem("name", "", errors.New("package has neither purl nor name")))
	default:
		p.Name, p.Version = sp.Name, sp.VersionInfo
	}
	return p, problems
}

// isPackageManagerRef reports whether ext is a purl. Syft 0.57 writes the
// category as "PACKAGE_MANAGER" although the SPDX 2.2 spec says
// "PACKAGE-MANAGER" (spdx/tools-golang#196).
func isPackageManagerRef(ext spdxExternalRef) bool {
	return (ext.ReferenceCategory == "PACKAGE-MANAGER" || ext.ReferenceCategory == "PACKAGE_MANAGER") &&
		ext.ReferenceType == "purl"
}

// isCPERef reports whether ext is a CPE 2.3 or CPE 2.2 security reference.
func isCPERef(ext spdxExternalRef) bool {
	return ext.ReferenceCategory == "SECURITY" &&
		(ext.ReferenceType == "cpe23Type" || ext.ReferenceType == "cpe22Type")
}
