package jvn

import (
	"encoding/xml"
	"fmt"
	"strings"

	"mamori/internal/vuln"

	"mamori"
)

// rssItem is one JVNRSS item. Fields are matched by local name only, so
// the sec:, dc: and dcterms: elements are read whichever namespace
// variant the feed declares.
type rssItem struct {
	Title       string         `xml:"title"`
	Link        string         `xml:"link"`
	Description string         `xml:"description"`
	Identifier  string         `xml:"identifier"`
	References  []rssReference `xml:"references"`
	CPEs        []rssCPE       `xml:"cpe"`
	CVSS        []rssCVSS      `xml:"cvss"`
	Date        string         `xml:"date"`
	Issued      string         `xml:"issued"`
	Modified    string         `xml:"modified"`
}

// rssReference is sec:references: source is "CVE", "NVD", "JVN",
// "関連文書" …, or absent for CWE entries, which carry id="CWE-nnn".
type rssReference struct {
	Source string `xml:"source,attr"`
	ID     string `xml:"id,attr"`
	URL    string `xml:",chardata"`
}

type rssCPE struct {
	Version string `xml:"version,attr"`
	Vendor  string `xml:"vendor,attr"`
	Product string `xml:"product,attr"`
	Name    string `xml:",chardata"`
}

type rssCVSS struct {
	Version  string `xml:"version,attr"`
	Score    string `xml:"score,attr"`
	Severity string `xml:"severity,attr"`
	Vector   string `xml:"vector,attr"`
	Type     string `xml:"type,attr"`
}

func decodeRSSItem(dec *xml.Decoder, start *xml.StartElement, file string, n int) (*vuln.Advisory, *vuln.RecordError) {
	var it rssItem
	if err := dec.DecodeElement(&it, start); err != nil {
		return nil, &vuln.RecordError{File: file, Record: fmt.Sprintf("item %d", n), Err: fmt.Errorf("jvn: %w", err)}
	}
	a, field, err := it.advisory()
	if err != nil {
		record := strings.TrimSpace(it.Identifier)
		if record == "" {
			record = fmt.Sprintf("item %d", n)
		}
		return nil, &vuln.RecordError{File: file, Record: record, Field: field, Err: err}
	}
	return a, nil
}

// advisory maps the item; on error it also names the failing field.
func (it *rssItem) advisory() (*vuln.Advisory, string, error) {
	id := strings.TrimSpace(it.Identifier)
	if err := checkID(id); err != nil {
		return nil, "sec:identifier", err
	}
	a := &vuln.Advisory{
		ID:          id,
		Source:      vuln.SourceJVN,
		Title:       strings.TrimSpace(it.Title),
		Description: strings.TrimSpace(it.Description),
	}
	var err error
	if a.Published, err = parseTime(it.Issued); err != nil {
		return nil, "dcterms:issued", err
	}
	modified, field := it.Modified, "dcterms:modified"
	if strings.TrimSpace(modified) == "" {
		modified, field = it.Date, "dc:date"
	}
	if a.Modified, err = parseTime(modified); err != nil {
		return nil, field, err
	}
	a.References = appendUnique(a.References, strings.TrimSpace(it.Link))
	for i, ref := range it.References {
		refID := strings.TrimSpace(ref.ID)
		switch {
		case ref.Source == "CVE":
			if err := checkCVE(refID); err != nil {
				return nil, fmt.Sprintf("sec:references[%d]", i), err
			}
			a.Aliases = appendUnique(a.Aliases, refID)
		case ref.Source == "" && reCWEID.MatchString(refID):
			a.CWEs = appendUnique(a.CWEs, refID)
		}
		// CWE references point at the CWE catalogue, not at the advisory.
		if ref.Source != "" {
			a.References = appendUnique(a.References, strings.TrimSpace(ref.URL))
		}
	}
	for i, c := range it.CPEs {
		if strings.TrimSpace(c.Name) == "" {
			continue // an empty sec:cpe says no more than a missing one
		}
		if v := strings.TrimSpace(c.Version); v != "" && v != "2.2" && v != "2.3" {
			return nil, fmt.Sprintf("sec:cpe[%d]", i), fmt.Errorf("jvn: cpe version %q is not 2.2", mamori.Excerpt(c.Version))
		}
		cpe, err := convertCPE(c.Name)
		if err != nil {
			return nil, fmt.Sprintf("sec:cpe[%d]", i), err
		}
		a.Products = append(a.Products, vuln.Product{
			CPE:    cpe,
			Vendor: strings.TrimSpace(c.Vendor),
			Name:   strings.TrimSpace(c.Product),
		})
	}
	for i, c := range it.CVSS {
		if t := strings.TrimSpace(c.Type); t != "" && t != "Base" {
			continue // temporal or environmental scores are not stored
		}
		if emptyCVSS(c.Score, c.Vector, c.Severity) {
			continue
		}
		score, err := parseScore(c.Score)
		if err != nil {
			return nil, fmt.Sprintf("sec:cvss[%d]", i), err
		}
		vector := strings.TrimSpace(c.Vector)
		version, err := cvssVersion(c.Version, vector)
		if err != nil {
			return nil, fmt.Sprintf("sec:cvss[%d]", i), err
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
