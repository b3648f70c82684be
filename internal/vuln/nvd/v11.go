package nvd

import (
	"fmt"
	"strconv"
	"strings"

	"mamori/internal/vuln"

	"mamori"
)

// item11 is one CVE_Items[] element of the 1.1 feed.
type item11 struct {
	CVE struct {
		Meta struct {
			ID string `json:"ID"`
		} `json:"CVE_data_meta"`
		ProblemType struct {
			Data []struct {
				Description []langString `json:"description"`
			} `json:"problemtype_data"`
		} `json:"problemtype"`
		References struct {
			Data []struct {
				URL string `json:"url"`
			} `json:"reference_data"`
		} `json:"references"`
		Description struct {
			Data []langString `json:"description_data"`
		} `json:"description"`
	} `json:"cve"`
	Configurations struct {
		Nodes []node11 `json:"nodes"`
	} `json:"configurations"`
	Impact struct {
		V3 *struct {
			CVSS cvssData `json:"cvssV3"`
		} `json:"baseMetricV3"`
		V2 *struct {
			CVSS     cvssData `json:"cvssV2"`
			Severity string   `json:"severity"`
		} `json:"baseMetricV2"`
	} `json:"impact"`
	PublishedDate    string `json:"publishedDate"`
	LastModifiedDate string `json:"lastModifiedDate"`
}

// node11 is a 1.1 configuration node, which may nest children.
type node11 struct {
	Operator string       `json:"operator"`
	Negate   bool         `json:"negate"`
	Children []node11     `json:"children"`
	CPEMatch []cpeMatch11 `json:"cpe_match"`
}

// cpeMatch11 is a 1.1 cpe_match entry; its cpe_name expansion is dropped
// because 2.0 has none and the matcher evaluates the criteria itself.
type cpeMatch11 struct {
	Vulnerable            bool   `json:"vulnerable"`
	CPE23URI              string `json:"cpe23Uri"`
	VersionStartIncluding string `json:"versionStartIncluding"`
	VersionStartExcluding string `json:"versionStartExcluding"`
	VersionEndIncluding   string `json:"versionEndIncluding"`
	VersionEndExcluding   string `json:"versionEndExcluding"`
}

// nvdSource is who scored every CVSS entry of the 1.1 feed: that feed
// carried only NVD's own analysis.
const nvdSource = "nvd@nist.gov"

// feed11 walks a 1.1 year feed, decoding CVE_Items[] one element at a time.
func (d *decoder) feed11() error {
	if err := d.expectDelim('{', "top level"); err != nil {
		return err
	}
	declared := -1
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
		case "CVE_data_version":
			var version string
			if err := d.scalar(key, &version); err != nil {
				return err
			}
			if version != "4.0" {
				return fmt.Errorf("nvd: %s: wrong schema version %q, want CVE_data_version \"4.0\"", d.name, mamori.Excerpt(version))
			}
		case "CVE_data_numberOfCVEs":
			var text string
			if err := d.scalar(key, &text); err != nil {
				return err
			}
			n, err := strconv.Atoi(text)
			if err != nil || n < 0 {
				return fmt.Errorf("nvd: %s: CVE_data_numberOfCVEs %q is not a count", d.name, mamori.Excerpt(text))
			}
			declared = n
		case "CVE_data_timestamp":
			var stamp string
			if err := d.scalar(key, &stamp); err != nil {
				return err
			}
			t, err := parseTime(stamp)
			if err != nil {
				return fmt.Errorf("nvd: %s: CVE_data_timestamp: %w", d.name, err)
			}
			d.info.Timestamp = t
		case "CVE_Items":
			sawList = true
			if err := d.array(key, d.item11); err != nil {
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
		return fmt.Errorf("nvd: %s: no CVE_Items array", d.name)
	}
	// The feed states its own size; a mismatch means a cut or spliced file
	// that still happens to be valid JSON.
	if held := d.info.Records + len(d.skipped); declared >= 0 && declared != held {
		return fmt.Errorf("nvd: %s: CVE_data_numberOfCVEs says %d, file holds %d", d.name, declared, held)
	}
	return nil
}

// item11 decodes, converts and emits one CVE_Items[] element.
func (d *decoder) item11() error {
	var it item11
	if err := d.dec.Decode(&it); err != nil {
		return d.unusable(d.decodeError(err))
	}
	a, err := d.convert11(&it)
	if err != nil {
		return d.unusable(err)
	}
	return d.emit(a)
}

// convert11 maps a 1.1 item onto the 2.0-shaped Advisory.
func (d *decoder) convert11(it *item11) (*vuln.Advisory, error) {
	id := it.CVE.Meta.ID
	record := id
	if record == "" {
		record = d.item()
	}
	fail := func(field string, err error) error {
		return &vuln.RecordError{File: d.name, Record: record, Field: field, Err: err}
	}
	if !cveID.MatchString(id) {
		return nil, fail("CVE_data_meta.ID", fmt.Errorf("nvd: bad CVE id %q", mamori.Excerpt(id)))
	}
	a := &vuln.Advisory{ID: id, Source: vuln.SourceNVD}
	var err error
	if a.Published, err = optionalTime(it.PublishedDate, true); err != nil {
		return nil, fail("publishedDate", err)
	}
	if a.Modified, err = optionalTime(it.LastModifiedDate, true); err != nil {
		return nil, fail("lastModifiedDate", err)
	}
	a.Description = english(it.CVE.Description.Data)
	// 1.1 has no vulnStatus; NVD marked rejected CVEs only by this prefix
	// of the description. Treat them like 2.0 "Rejected" records.
	if strings.HasPrefix(a.Description, "** REJECT **") {
		a.Withdrawn = a.Modified
	}
	for _, p := range it.CVE.ProblemType.Data {
		a.CWEs = appendCWEs(a.CWEs, p.Description)
	}
	for _, r := range it.CVE.References.Data {
		a.References = appendUnique(a.References, r.URL)
	}
	if v3 := it.Impact.V3; v3 != nil {
		c, err := cvss11(v3.CVSS, v3.CVSS.BaseSeverity)
		if err != nil {
			return nil, fail("impact.baseMetricV3", err)
		}
		a.CVSS = append(a.CVSS, c)
	}
	if v2 := it.Impact.V2; v2 != nil {
		c, err := cvss11(v2.CVSS, v2.Severity)
		if err != nil {
			return nil, fail("impact.baseMetricV2", err)
		}
		a.CVSS = append(a.CVSS, c)
	}
	for i, n := range it.Configurations.Nodes {
		conf, err := convertNode11(n)
		if err != nil {
			return nil, fail(fmt.Sprintf("configurations.nodes[%d]", i), err)
		}
		a.Configurations = append(a.Configurations, conf)
	}
	return a, nil
}

// cvss11 converts one 1.1 score. Each is the only score of its version in
// the record, so it is the primary one.
func cvss11(data cvssData, severity string) (vuln.CVSS, error) {
	score, err := scoreTenths(data.BaseScore.String())
	if err != nil {
		return vuln.CVSS{}, err
	}
	return vuln.CVSS{
		Version:  data.Version,
		Score:    score,
		Vector:   data.VectorString,
		Severity: severity,
		Source:   nvdSource,
		Primary:  true,
	}, nil
}

// convertNode11 turns one top-level 1.1 node into a 2.0 configuration.
//
// 1.1 has no configuration-level operator; it nests instead. In the real
// feeds (2018: 35,559 top-level nodes) children appear only one level deep,
// under an AND node with no cpe_match of its own: that is the "running
// on/with" form, and it becomes Configuration{Operator: "AND"} whose nodes
// are the children. A node without children becomes a configuration with
// that single node. Anything deeper (grandchildren, or a node with both
// children and cpe_match) cannot be written in the 2.0 model without
// changing its meaning, so it is an error rather than a guess.
func convertNode11(n node11) (vuln.Configuration, error) {
	if len(n.Children) == 0 {
		node, err := leaf11(n)
		if err != nil {
			return vuln.Configuration{}, err
		}
		return vuln.Configuration{Nodes: []vuln.Node{node}}, nil
	}
	if len(n.CPEMatch) > 0 {
		return vuln.Configuration{}, fmt.Errorf("nvd: node has both children and cpe_match")
	}
	if err := checkOperator(n.Operator); err != nil {
		return vuln.Configuration{}, err
	}
	conf := vuln.Configuration{Operator: n.Operator, Negate: n.Negate}
	for _, child := range n.Children {
		if len(child.Children) > 0 {
			return vuln.Configuration{}, fmt.Errorf("nvd: children nested deeper than one level")
		}
		node, err := leaf11(child)
		if err != nil {
			return vuln.Configuration{}, err
		}
		conf.Nodes = append(conf.Nodes, node)
	}
	return conf, nil
}

// leaf11 converts a node without children.
func leaf11(n node11) (vuln.Node, error) {
	if err := checkOperator(n.Operator); err != nil {
		return vuln.Node{}, err
	}
	if len(n.CPEMatch) == 0 {
		return vuln.Node{}, fmt.Errorf("nvd: node has no cpe_match entries")
	}
	node := vuln.Node{Operator: n.Operator, Negate: n.Negate}
	for _, m := range n.CPEMatch {
		match := vuln.CPEMatch{
			Vulnerable:     m.Vulnerable,
			Criteria:       m.CPE23URI,
			StartIncluding: m.VersionStartIncluding,
			StartExcluding: m.VersionStartExcluding,
			EndIncluding:   m.VersionEndIncluding,
			EndExcluding:   m.VersionEndExcluding,
		}
		if err := checkMatch(match); err != nil {
			return vuln.Node{}, err
		}
		node.Matches = append(node.Matches, match)
	}
	return node, nil
}
