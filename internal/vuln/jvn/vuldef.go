package jvn

import (
	"encoding/xml"
	"fmt"
	"strings"

	"mamori/internal/vuln"

	"mamori"
)

// vulinfo is one VULDEF Vulinfo element (VULDEF 3.2 as MyJVN
// getVulnDetailInfo returns it).
type vulinfo struct {
	ID   string `xml:"VulinfoID"`
	Data struct {
		Title              string         `xml:"Title"`
		Overview           string         `xml:"VulinfoDescription>Overview"`
		Affected           []affectedItem `xml:"Affected>AffectedItem"`
		CVSS               []vuldefCVSS   `xml:"Impact>Cvss"`
		Related            []relatedItem  `xml:"Related>RelatedItem"`
		DateFirstPublished string         `xml:"DateFirstPublished"`
		DateLastUpdated    string         `xml:"DateLastUpdated"`
		DatePublic         string         `xml:"DatePublic"`
	} `xml:"VulinfoData"`
}

// affectedItem is one vendor product. An item may list several
// VersionNumber statements ("7.7", "8.0" …) and, rarely, several CPEs.
type affectedItem struct {
	Name          string      `xml:"Name"`
	ProductName   string      `xml:"ProductName"`
	CPEs          []vuldefCPE `xml:"Cpe"`
	VersionNumber []string    `xml:"VersionNumber"`
}

type vuldefCPE struct {
	Version string `xml:"version,attr"`
	Name    string `xml:",chardata"`
}

type vuldefCVSS struct {
	Version  string `xml:"version,attr"`
	Severity string `xml:"Severity"`
	Base     string `xml:"Base"`
	Vector   string `xml:"Vector"`
}

// relatedItem is a reference. type="advisory" with the CVE programme's
// name carries a CVE id; type="cwe" carries a CWE id.
type relatedItem struct {
	Type      string `xml:"type,attr"`
	Name      string `xml:"Name"`
	VulinfoID string `xml:"VulinfoID"`
	URL       string `xml:"URL"`
}

// cveSourceNames are the RelatedItem names under which VULDEF lists CVE
// ids; NVD entries repeat the same ids and are only references.
var cveSourceNames = map[string]bool{
	"Common Vulnerabilities and Exposures (CVE)": true,
	"CVE": true,
}

func decodeVulinfo(dec *xml.Decoder, start *xml.StartElement, file string, n int) (*vuln.Advisory, *vuln.RecordError) {
	var v vulinfo
	if err := dec.DecodeElement(&v, start); err != nil {
		return nil, &vuln.RecordError{File: file, Record: fmt.Sprintf("Vulinfo %d", n), Err: fmt.Errorf("jvn: %w", err)}
	}
	a, field, err := v.advisory()
	if err != nil {
		record := strings.TrimSpace(v.ID)
		if record == "" {
			record = fmt.Sprintf("Vulinfo %d", n)
		}
		return nil, &vuln.RecordError{File: file, Record: record, Field: field, Err: err}
	}
	return a, nil
}

// advisory maps the Vulinfo; on error it also names the failing field.
func (v *vulinfo) advisory() (*vuln.Advisory, string, error) {
	id := strings.TrimSpace(v.ID)
	if err := checkID(id); err != nil {
		return nil, "VulinfoID", err
	}
	d := &v.Data
	a := &vuln.Advisory{
		ID:          id,
		Source:      vuln.SourceJVN,
		Title:       strings.TrimSpace(d.Title),
		Description: strings.TrimSpace(d.Overview),
	}
	// DateFirstPublished is when JVN published the entry; DatePublic (the
	// vendor's disclosure) stands in when it is missing.
	published, field := d.DateFirstPublished, "DateFirstPublished"
	if strings.TrimSpace(published) == "" {
		published, field = d.DatePublic, "DatePublic"
	}
	var err error
	if a.Published, err = parseTime(published); err != nil {
		return nil, field, err
	}
	if a.Modified, err = parseTime(d.DateLastUpdated); err != nil {
		return nil, "DateLastUpdated", err
	}
	for i, r := range d.Related {
		relID := strings.TrimSpace(r.VulinfoID)
		switch strings.TrimSpace(r.Type) {
		case "advisory":
			if cveSourceNames[strings.TrimSpace(r.Name)] {
				if err := checkCVE(relID); err != nil {
					return nil, fmt.Sprintf("RelatedItem[%d]", i), err
				}
				a.Aliases = appendUnique(a.Aliases, relID)
			}
		case "cwe":
			if reCWEID.MatchString(relID) {
				a.CWEs = appendUnique(a.CWEs, relID)
			}
			continue // the URL is the CWE catalogue, not a reference
		}
		a.References = appendUnique(a.References, strings.TrimSpace(r.URL))
	}
	for i, item := range d.Affected {
		products, err := item.products()
		if err != nil {
			return nil, fmt.Sprintf("AffectedItem[%d]", i), err
		}
		a.Products = append(a.Products, products...)
	}
	for i, c := range d.CVSS {
		if emptyCVSS(c.Base, c.Vector, c.Severity) {
			continue
		}
		score, err := parseScore(c.Base)
		if err != nil {
			return nil, fmt.Sprintf("Cvss[%d]", i), err
		}
		vector := strings.TrimSpace(c.Vector)
		version, err := cvssVersion(c.Version, vector)
		if err != nil {
			return nil, fmt.Sprintf("Cvss[%d]", i), err
		}
		a.CVSS = append(a.CVSS, vuln.CVSS{
			Version:  version,
			Score:    score,
			Vector:   vector,
			Severity: strings.TrimSpace(c.Severity),
			Source:   "JVN",
		})
	}
	if len(a.CVSS) == 1 {
		a.CVSS[0].Primary = true
	}
	return a, "", nil
}

// products yields one Product per CPE and version statement, so each
// carries a single statement that ParseVersionText can read. An item
// without a CPE is kept for display with an empty CPE.
func (item affectedItem) products() ([]vuln.Product, error) {
	var cpes []string
	for _, c := range item.CPEs {
		if strings.TrimSpace(c.Name) == "" {
			continue // an empty Cpe element says no more than a missing one
		}
		if v := strings.TrimSpace(c.Version); v != "" && v != "2.2" && v != "2.3" {
			return nil, fmt.Errorf("jvn: cpe version %q is not 2.2", mamori.Excerpt(c.Version))
		}
		cpe, err := convertCPE(c.Name)
		if err != nil {
			return nil, err
		}
		cpes = append(cpes, cpe)
	}
	if len(cpes) == 0 {
		cpes = []string{""}
	}
	versions := []string{""}
	if len(item.VersionNumber) > 0 {
		versions = versions[:0]
		for _, v := range item.VersionNumber {
			versions = append(versions, strings.TrimSpace(v))
		}
	}
	out := make([]vuln.Product, 0, len(cpes)*len(versions))
	for _, cpe := range cpes {
		for _, version := range versions {
			out = append(out, vuln.Product{
				CPE:     cpe,
				Vendor:  strings.TrimSpace(item.Name),
				Name:    strings.TrimSpace(item.ProductName),
				Version: version,
			})
		}
	}
	return out, nil
}
