package nvd

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"mamori/internal/vuln"

	"mamori"
)

// cve20 is the part of a CVE API 2.0 "cve" object that mamori keeps.
type cve20 struct {
	ID             string        `json:"id"`
	Published      string        `json:"published"`
	LastModified   string        `json:"lastModified"`
	VulnStatus     string        `json:"vulnStatus"`
	Descriptions   []langString  `json:"descriptions"`
	Metrics        metrics20     `json:"metrics"`
	Weaknesses     []weakness20  `json:"weaknesses"`
	Configurations []config20    `json:"configurations"`
	References     []reference20 `json:"references"`
	CISAExploitAdd string        `json:"cisaExploitAdd"`
	CISAActionDue  string        `json:"cisaActionDue"`
	CISAAction     string        `json:"cisaRequiredAction"`
	CISAName       string        `json:"cisaVulnerabilityName"`
}

type langString struct {
	Lang  string `json:"lang"`
	Value string `json:"value"`
}

type metrics20 struct {
	V40 []metric20 `json:"cvssMetricV40"`
	V31 []metric20 `json:"cvssMetricV31"`
	V30 []metric20 `json:"cvssMetricV30"`
	V2  []metric20 `json:"cvssMetricV2"`
}

// metric20 covers all four cvssMetric kinds: version 2 keeps its severity
// beside cvssData, versions 3 and 4 inside it.
type metric20 struct {
	Source       string   `json:"source"`
	Type         string   `json:"type"`
	Data         cvssData `json:"cvssData"`
	BaseSeverity string   `json:"baseSeverity"`
}

type cvssData struct {
	Version      string      `json:"version"`
	VectorString string      `json:"vectorString"`
	BaseScore    json.Number `json:"baseScore"`
	BaseSeverity string      `json:"baseSeverity"`
}

type weakness20 struct {
	Description []langString `json:"description"`
}

type config20 struct {
	Operator string   `json:"operator"`
	Negate   bool     `json:"negate"`
	Nodes    []node20 `json:"nodes"`
}

type node20 struct {
	Operator string       `json:"operator"`
	Negate   bool         `json:"negate"`
	CPEMatch []cpeMatch20 `json:"cpeMatch"`
}

type cpeMatch20 struct {
	Vulnerable            bool   `json:"vulnerable"`
	Criteria              string `json:"criteria"`
	MatchCriteriaID       string `json:"matchCriteriaId"`
	VersionStartIncluding string `json:"versionStartIncluding"`
	VersionStartExcluding string `json:"versionStartExcluding"`
	VersionEndIncluding   string `json:"versionEndIncluding"`
	VersionEndExcluding   string `json:"versionEndExcluding"`
}

type reference20 struct {
	URL string `json:"url"`
}

// page20 walks a CVE API 2.0 page, decoding vulnerabilities[] one element
// at a time.
func (d *decoder) page20() error {
	if err := d.expectDelim('{', "top level"); err != nil {
		return err
	}
	// A page without vulnerabilities[] is some other document that happens
	// to share a key with the 2.0 page; reading it as zero CVEs would hide
	// that.
	sawList := false
	for {
		key, ok, err := d.key()
		if err != nil {
			return err
		}
		if !ok {
			break
		}
		switch key {
		case "version":
			// The API writes version before vulnerabilities, so a wrong
			// version stops decoding before any record is emitted.
			var version string
			if err := d.scalar(key, &version); err != nil {
				return err
			}
			// A later schema may move or rename fields this reader relies
			// on; converting it silently would lose configurations.
			if version != "2.0" {
				return fmt.Errorf("nvd: %s: wrong schema version %q, want \"2.0\"", d.name, mamori.Excerpt(version))
			}
		case "format":
			var format string
			if err := d.scalar(key, &format); err != nil {
				return err
			}
			if format != "NVD_CVE" {
				return fmt.Errorf("nvd: %s: format %q is not a CVE list, want \"NVD_CVE\"", d.name, mamori.Excerpt(format))
			}
		case "timestamp":
			var stamp string
			if err := d.scalar(key, &stamp); err != nil {
				return err
			}
			t, err := parseTime(stamp)
			if err != nil {
				return fmt.Errorf("nvd: %s: timestamp: %w", d.name, err)
			}
			d.info.Timestamp = t
		case "vulnerabilities":
			sawList = true
			if err := d.array(key, d.vulnerability20); err != nil {
				return err
			}
		default:
			if err := d.skip(); err != nil {
				return err
			}
		}
	}
	if err := d.end(); err != nil {
		return err
	}
	if !sawList {
		return fmt.Errorf("nvd: %s: no vulnerabilities array", d.name)
	}
	return nil
}

// vulnerability20 decodes and emits one vulnerabilities[] element.
func (d *decoder) vulnerability20() error {
	var wrapper struct {
		CVE *cve20 `json:"cve"`
	}
	if err := d.dec.Decode(&wrapper); err != nil {
		return d.unusable(d.decodeError(err))
	}
	if wrapper.CVE == nil {
		return d.unusable(&vuln.RecordError{File: d.name, Record: d.item(), Field: "cve",
			Err: fmt.Errorf("nvd: element has no cve object")})
	}
	a, err := d.convert20(wrapper.CVE, vuln.SourceNVD, true)
	if err != nil {
		return d.unusable(err)
	}
	return d.emit(a)
}

// convert20 turns one 2.0 cve object into an Advisory. needDates is false
// for override lines, whose dates are optional.
func (d *decoder) convert20(c *cve20, source vuln.Source, needDates bool) (*vuln.Advisory, error) {
	record := c.ID
	if record == "" {
		record = d.item()
	}
	fail := func(field string, err error) error {
		return &vuln.RecordError{File: d.name, Record: record, Field: field, Err: err}
	}
	if !cveID.MatchString(c.ID) {
		return nil, fail("id", fmt.Errorf("nvd: bad CVE id %q", mamori.Excerpt(c.ID)))
	}
	a := &vuln.Advisory{ID: c.ID, Source: source}
	var err error
	if a.Published, err = optionalTime(c.Published, needDates); err != nil {
		return nil, fail("published", err)
	}
	if a.Modified, err = optionalTime(c.LastModified, needDates); err != nil {
		return nil, fail("lastModified", err)
	}
	if c.VulnStatus == "Rejected" {
		a.Withdrawn = a.Modified
	}
	a.Description = english(c.Descriptions)
	if a.CVSS, err = metricsToCVSS(c.Metrics); err != nil {
		return nil, fail("metrics", err)
	}
	for _, w := range c.Weaknesses {
		a.CWEs = appendCWEs(a.CWEs, w.Description)
	}
	for _, r := range c.References {
		a.References = appendUnique(a.References, r.URL)
	}
	for i, cfg := range c.Configurations {
		conf, err := convertConfig20(cfg)
		if err != nil {
			return nil, fail(fmt.Sprintf("configurations[%d]", i), err)
		}
		a.Configurations = append(a.Configurations, conf)
	}
	if c.CISAExploitAdd != "" {
		kev, field, err := kevFromCVE(c)
		if err != nil {
			return nil, fail(field, err)
		}
		a.KEV = kev
	}
	return a, nil
}

// optionalTime parses text, which may be empty only when it is not needed.
func optionalTime(text string, needed bool) (time.Time, error) {
	if text == "" {
		if needed {
			return time.Time{}, fmt.Errorf("nvd: missing timestamp")
		}
		return time.Time{}, nil
	}
	return parseTime(text)
}

// english picks the "en" text; NVD adds machine translations beside it.
func english(texts []langString) string {
	for _, t := range texts {
		if t.Lang == "en" {
			return t.Value
		}
	}
	return ""
}

// appendCWEs adds the CWE ids among values, skipping NVD's placeholders
// NVD-CWE-Other and NVD-CWE-noinfo, which name no weakness.
func appendCWEs(cwes []string, values []langString) []string {
	for _, v := range values {
		if strings.HasPrefix(v.Value, "CWE-") {
			cwes = appendUnique(cwes, v.Value)
		}
	}
	return cwes
}

// appendUnique appends s unless it is empty or already present. Lists here
// are short (a few CWEs or references), so a scan is cheaper than a map.
func appendUnique(list []string, s string) []string {
	if s == "" {
		return list
	}
	for _, have := range list {
		if have == s {
			return list
		}
	}
	return append(list, s)
}

// metricsToCVSS flattens the four metric lists, newest CVSS version first.
func metricsToCVSS(m metrics20) ([]vuln.CVSS, error) {
	var out []vuln.CVSS
	groups := []struct {
		version string
		list    []metric20
	}{{"4.0", m.V40}, {"3.1", m.V31}, {"3.0", m.V30}, {"2.0", m.V2}}
	for _, g := range groups {
		for _, metric := range g.list {
			score, err := scoreTenths(metric.Data.BaseScore.String())
			if err != nil {
				return nil, err
			}
			version := metric.Data.Version
			if version == "" {
				version = g.version
			}
			severity := metric.Data.BaseSeverity
			if severity == "" {
				severity = metric.BaseSeverity
			}
			out = append(out, vuln.CVSS{
				Version:  version,
				Score:    score,
				Vector:   metric.Data.VectorString,
				Severity: severity,
				Source:   metric.Source,
				Primary:  metric.Type == "Primary",
			})
		}
	}
	return out, nil
}

// convertConfig20 copies one configuration, checking the parts the matcher
// depends on: known operators and CPE 2.3 criteria.
func convertConfig20(c config20) (vuln.Configuration, error) {
	if err := checkOperator(c.Operator); err != nil {
		return vuln.Configuration{}, err
	}
	if len(c.Nodes) == 0 {
		return vuln.Configuration{}, fmt.Errorf("nvd: configuration has no nodes")
	}
	conf := vuln.Configuration{Operator: c.Operator, Negate: c.Negate}
	for _, n := range c.Nodes {
		if err := checkOperator(n.Operator); err != nil {
			return vuln.Configuration{}, err
		}
		node := vuln.Node{Operator: n.Operator, Negate: n.Negate}
		for _, m := range n.CPEMatch {
			match := vuln.CPEMatch{
				Vulnerable:      m.Vulnerable,
				Criteria:        m.Criteria,
				MatchCriteriaID: m.MatchCriteriaID,
				StartIncluding:  m.VersionStartIncluding,
				StartExcluding:  m.VersionStartExcluding,
				EndIncluding:    m.VersionEndIncluding,
				EndExcluding:    m.VersionEndExcluding,
			}
			if err := checkMatch(match); err != nil {
				return vuln.Configuration{}, err
			}
			node.Matches = append(node.Matches, match)
		}
		if len(node.Matches) == 0 {
			return vuln.Configuration{}, fmt.Errorf("nvd: node has no cpeMatch entries")
		}
		conf.Nodes = append(conf.Nodes, node)
	}
	return conf, nil
}

// checkOperator accepts the operators NVD uses; an empty one means OR.
func checkOperator(op string) error {
	switch op {
	case "", "AND", "OR":
		return nil
	}
	return fmt.Errorf("nvd: unknown operator %q", mamori.Excerpt(op))
}

// checkMatch rejects criteria that are not CPE 2.3 formatted strings: the
// matcher would otherwise index garbage under a vendor:product key.
func checkMatch(m vuln.CPEMatch) error {
	if !strings.HasPrefix(m.Criteria, "cpe:2.3:") || strings.Count(m.Criteria, ":") < 12 {
		return fmt.Errorf("nvd: criteria %q is not a CPE 2.3 string", mamori.Excerpt(m.Criteria))
	}
	return nil
}

// kevFromCVE builds the KEV side record from the cisa* fields, returning the
// offending field name with an error.
func kevFromCVE(c *cve20) (*vuln.KEV, string, error) {
	if _, err := time.Parse(kevDate, c.CISAExploitAdd); err != nil {
		return nil, "cisaExploitAdd", fmt.Errorf("nvd: bad date %q", mamori.Excerpt(c.CISAExploitAdd))
	}
	if c.CISAActionDue != "" {
		if _, err := time.Parse(kevDate, c.CISAActionDue); err != nil {
			return nil, "cisaActionDue", fmt.Errorf("nvd: bad date %q", mamori.Excerpt(c.CISAActionDue))
		}
	}
	return &vuln.KEV{
		CVE:            c.ID,
		Name:           c.CISAName,
		DateAdded:      c.CISAExploitAdd,
		DueDate:        c.CISAActionDue,
		RequiredAction: c.CISAAction,
	}, "", nil
}
