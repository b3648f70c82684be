// Package jvn reads JVN iPedia advisories (https://jvndb.jvn.jp/) into
// vuln.Advisory. Two formats are accepted, told apart by the root element:
//
//   - JVNRSS: RSS 1.0 with the sec: module (rdf:RDF root), used by the year
//     feeds jvndb_YYYY.rdf, jvndb_new.rdf and MyJVN getVulnOverviewList.
//     Products carry a CPE 2.2 URI without a version.
//   - VULDEF: MyJVN getVulnDetailInfo (VULDEF-Document root). Products carry
//     a CPE and free-text versions such as "1.2.3 およびそれ以前";
//     ParseVersionText turns those into bounds where it can.
//
// Documents are streamed: one advisory is built per item or Vulinfo, so a
// year feed of tens of thousands of items never sits in memory whole.
package jvn

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/htmlindex"

	"mamori/internal/vuln"

	"mamori"
)

// Format names the document format Decode found.
type Format string

// The formats Decode recognises.
const (
	FormatJVNRSS Format = "jvnrss" // RSS 1.0 with sec: (year feeds, getVulnOverviewList)
	FormatVULDEF Format = "vuldef" // VULDEF-Document (getVulnDetailInfo)
)

// Namespaces, without the scheme: JVN has published both http:// and
// https:// forms, and the sec: module with and without its "3.0/" version.
var (
	rdfSpaces    = []string{"www.w3.org/1999/02/22-rdf-syntax-ns#"}
	rssSpaces    = []string{"purl.org/rss/1.0/", ""}
	vuldefSpaces = []string{"jvn.jp/vuldef/", "jvndb.jvn.jp/schema/vuldef_3.2.xsd"}
	statusSpaces = []string{"jvndb.jvn.jp/myjvn/Status"}
)

func inSpace(space string, known []string) bool {
	space = strings.TrimPrefix(strings.TrimPrefix(space, "https://"), "http://")
	for _, k := range known {
		if space == k || (k != "" && strings.TrimSuffix(space, "/") == strings.TrimSuffix(k, "/")) {
			return true
		}
	}
	return false
}

// maxReportedErrors bounds how many bad records one document reports.
const maxReportedErrors = 50

// Decode reads a JVNRSS or VULDEF document from r, detected from its root
// element, and calls fn once per valid advisory. name labels errors (a
// file name or URL).
//
// A bad item does not stop decoding: the others are still delivered and
// the bad ones are returned together at the end (errors.Join of
// *vuln.RecordError naming name, the JVNDB id or item position, and the
// field). Broken XML, an unknown root element, or a MyJVN error status
// stop decoding. An error returned by fn stops decoding and is returned
// as is.
func Decode(r io.Reader, name string, fn func(*vuln.Advisory) error) (Format, error) {
	dec := xml.NewDecoder(r)
	dec.CharsetReader = charsetReader
	root, err := rootElement(dec)
	if err != nil {
		return "", fmt.Errorf("jvn: %s: %w", name, err)
	}
	var format Format
	switch {
	case root.Name.Local == "RDF" && inSpace(root.Name.Space, rdfSpaces):
		format = FormatJVNRSS
	case root.Name.Local == "VULDEF-Document" && inSpace(root.Name.Space, vuldefSpaces):
		format = FormatVULDEF
	default:
		return "", fmt.Errorf("jvn: %s: root element %q (namespace %q) is neither JVNRSS rdf:RDF nor VULDEF-Document", name, mamori.Excerpt(root.Name.Local), mamori.Excerpt(root.Name.Space))
	}

	var c collector
	n := 0
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return format, fmt.Errorf("jvn: %s: document ends inside the root element", name)
		}
		if err != nil {
			return format, fmt.Errorf("jvn: %s: %w", name, err)
		}
		switch t := tok.(type) {
		case xml.EndElement:
			// Only the root can end here: every child is consumed whole.
			if err := expectEnd(dec); err != nil {
				return format, fmt.Errorf("jvn: %s: %w", name, err)
			}
			return format, c.err()
		case xml.StartElement:
			var a *vuln.Advisory
			var recErr *vuln.RecordError
			switch {
			case format == FormatJVNRSS && t.Name.Local == "item" && inSpace(t.Name.Space, rssSpaces):
				n++
				a, recErr = decodeRSSItem(dec, &t, name, n)
			case format == FormatVULDEF && t.Name.Local == "Vulinfo" && inSpace(t.Name.Space, vuldefSpaces):
				n++
				a, recErr = decodeVulinfo(dec, &t, name, n)
			case t.Name.Local == "Status" && inSpace(t.Name.Space, statusSpaces):
				if err := checkStatus(dec, &t); err != nil {
					return format, fmt.Errorf("jvn: %s: %w", name, err)
				}
				continue
			default:
				// channel, sec:handling and whatever a later schema adds.
				if err := dec.Skip(); err != nil {
					return format, fmt.Errorf("jvn: %s: %w", name, err)
				}
				continue
			}
			if recErr != nil {
				var syntax *xml.SyntaxError
				if errors.As(recErr.Err, &syntax) {
					// The stream cannot be resynchronised after broken XML.
					c.add(recErr)
					return format, c.err()
				}
				c.add(recErr)
				continue
			}
			if err := fn(a); err != nil {
				return format, err
			}
		}
	}
}

// rootElement returns the first start element, skipping the prolog.
func rootElement(dec *xml.Decoder) (xml.StartElement, error) {
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return xml.StartElement{}, errors.New("no root element")
		}
		if err != nil {
			return xml.StartElement{}, err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, nil
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return xml.StartElement{}, errors.New("text before the root element")
			}
		}
	}
}

// expectEnd checks that nothing but white space, comments and processing
// instructions follows the root element; encoding/xml would otherwise
// accept a second root.
func expectEnd(dec *xml.Decoder) error {
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return fmt.Errorf("element %q after the root element", mamori.Excerpt(t.Name.Local))
		case xml.CharData:
			if len(strings.TrimSpace(string(t))) > 0 {
				return errors.New("text after the root element")
			}
		}
	}
}

// status is the MyJVN API status node. retCd 0 means success; otherwise
// errCd and errMsg say why (a bad parameter, too many requests …).
type status struct {
	RetCd  string `xml:"retCd,attr"`
	ErrCd  string `xml:"errCd,attr"`
	ErrMsg string `xml:"errMsg,attr"`
}

func checkStatus(dec *xml.Decoder, start *xml.StartElement) error {
	var s status
	if err := dec.DecodeElement(&s, start); err != nil {
		return err
	}
	if s.RetCd == "" || s.RetCd == "0" {
		return nil
	}
	return fmt.Errorf("MyJVN status retCd=%q errCd=%q: %s", mamori.Excerpt(s.RetCd), mamori.Excerpt(s.ErrCd), s.ErrMsg)
}

func charsetReader(label string, input io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(label)
	if err != nil {
		return nil, fmt.Errorf("unsupported encoding %q", mamori.Excerpt(label))
	}
	return enc.NewDecoder().Reader(input), nil
}

// collector gathers record errors while decoding.
type collector struct {
	errs    []error
	dropped int
}

func (c *collector) add(err error) {
	if len(c.errs) < maxReportedErrors {
		c.errs = append(c.errs, err)
		return
	}
	c.dropped++
}

func (c *collector) err() error {
	switch {
	case len(c.errs) == 0:
		return nil
	case len(c.errs) == 1:
		return c.errs[0]
	}
	errs := c.errs
	if c.dropped > 0 {
		errs = append(errs, fmt.Errorf("jvn: and %d more bad records", c.dropped))
	}
	return errors.Join(errs...)
}

var (
	reJVNDBID = regexp.MustCompile(`^JVNDB-\d{4}-\d{6}$`)
	reCVEID   = regexp.MustCompile(`^CVE-\d{4}-\d{4,}$`)
	reCWEID   = regexp.MustCompile(`^CWE-\d+$`)
	reScore   = regexp.MustCompile(`^(\d{1,2})(?:\.(\d))?$`)
)

// timeLayouts are the forms JVN dates take: full RFC 3339, RFC 3339
// without seconds (jvndb_new.rdf writes "2025-04-11T23:52+09:00"), and a
// bare date.
var timeLayouts = []string{time.RFC3339, "2006-01-02T15:04Z07:00", "2006-01-02"}

func parseTime(s string) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("jvn: %q is not a date", mamori.Excerpt(s))
}

// emptyCVSS reports a CVSS element that carries no score at all, which
// says no more than a missing one and is not an error.
func emptyCVSS(score, vector, severity string) bool {
	return strings.TrimSpace(score) == "" && strings.TrimSpace(vector) == "" && strings.TrimSpace(severity) == ""
}

// parseScore reads a CVSS score such as "9.8" or "10" into tenths.
func parseScore(s string) (int, error) {
	m := reScore.FindStringSubmatch(strings.TrimSpace(s))
	if m == nil {
		return 0, fmt.Errorf("jvn: CVSS score %q is not a number with at most one decimal", mamori.Excerpt(s))
	}
	whole, _ := strconv.Atoi(m[1])
	tenths := whole * 10
	if m[2] != "" {
		tenths += int(m[2][0] - '0')
	}
	if tenths > 100 {
		return 0, fmt.Errorf("jvn: CVSS score %q is above 10", mamori.Excerpt(s))
	}
	return tenths, nil
}

// cvssVersion normalises the version JVN gives, falling back to the
// vector's own prefix when the attribute is missing.
func cvssVersion(version, vector string) (string, error) {
	v := strings.TrimSpace(version)
	if v == "" {
		if p, _, ok := strings.Cut(vector, "/"); ok && strings.HasPrefix(p, "CVSS:") {
			v = strings.TrimPrefix(p, "CVSS:")
		} else if vector != "" {
			v = "2.0" // v2 vectors carry no prefix
		}
	}
	switch v {
	case "2", "2.0":
		return "2.0", nil
	case "3.0", "3.1", "4.0":
		return v, nil
	}
	return "", fmt.Errorf("jvn: CVSS version %q is not 2.0, 3.0, 3.1 or 4.0", mamori.Excerpt(version))
}

// convertCPE turns JVN's CPE (normally a 2.2 URI) into a 2.3 formatted
// string; a value already in 2.3 form is kept.
func convertCPE(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "cpe:2.3:") {
		if strings.Count(s, ":")-strings.Count(s, `\:`) != 12 {
			return "", fmt.Errorf("jvn: cpe %q does not have 13 components", mamori.Excerpt(s))
		}
		return s, nil
	}
	v, err := cpe22To23(s)
	if err != nil {
		return "", fmt.Errorf("jvn: %w", err)
	}
	return v, nil
}

// appendUnique appends s unless it is empty or already present; JVN lists
// the same CVE under several sources (CVE, NVD).
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, x := range list {
		if x == s {
			return list
		}
	}
	return append(list, s)
}

func checkID(id string) error {
	if id == "" {
		return errors.New("jvn: JVNDB id is missing")
	}
	if !reJVNDBID.MatchString(id) {
		return fmt.Errorf("jvn: id %q is not a JVNDB-YYYY-NNNNNN id", mamori.Excerpt(id))
	}
	return nil
}

func checkCVE(id string) error {
	if !reCVEID.MatchString(id) {
		return fmt.Errorf("jvn: %q is not a CVE id", mamori.Excerpt(id))
	}
	return nil
}
