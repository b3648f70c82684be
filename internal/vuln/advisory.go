// Package vuln holds mamori's vulnerability model: advisories as every feed
// parser delivers them (NVD, JVN, OSV), the KEV and EPSS side tables, and
// the matcher that joins them to the software inventory.
//
// The feed parsers live in subpackages (vuln/nvd, vuln/jvn, vuln/kev,
// vuln/epss, vuln/osv). They import this package for the types below and
// never each other; this package never imports them.
package vuln

import (
	"fmt"
	"time"
)

// Source names where an advisory came from. It decides the confidence of a
// match: an NVD range is stronger evidence than a JVN vendor/product pair.
type Source string

const (
	SourceNVD         Source = "nvd"          // NVD CVE API 2.0 or a 1.1 year feed
	SourceNVDOverride Source = "nvd-override" // NVD-2.0-shaped override files (CPE configurations added for unanalysed CVEs)
	SourceOSV         Source = "osv"          // an OSV record (Go, GHSA, distro …)
	SourceJVN         Source = "jvn"          // JVN iPedia (MyJVN VULDEF or JVNRSS)
)

// Advisory is one vulnerability record from one feed, normalised. Parsers
// fill what their format carries and leave the rest zero.
type Advisory struct {
	ID        string    // CVE-2018-0101, GO-2020-0001, JVNDB-2024-000001
	Source    Source    //
	Aliases   []string  // other IDs of the same vulnerability (CVE ids of a JVN or OSV record)
	Published time.Time // zero when the feed does not say
	Modified  time.Time //
	Withdrawn time.Time // OSV "withdrawn"; zero when not withdrawn
	Title     string    // JVN title, OSV summary
	// Description in the feed's language: English for NVD and OSV, Japanese
	// for JVN.
	Description string
	CVSS        []CVSS
	CWEs        []string // "CWE-79"
	References  []string // URLs

	// Configurations are NVD's applicability statements (CPE match
	// criteria with version bounds). An advisory is relevant to a product
	// only through a configuration whose every node is satisfied.
	Configurations []Configuration
	// Packages are OSV's affected packages with version ranges.
	Packages []Package
	// Products are JVN's affected products: CPEs (converted to CPE 2.3
	// formatted strings) that usually carry no version, with the feed's
	// free-text version statement when there is one.
	Products []Product

	// KEV is set when an NVD record carries CISA's cisaExploitAdd fields.
	KEV *KEV
}

// CVSS is one score. Score is in tenths (9.8 → 98) so the store keeps
// integers; Version is "2.0", "3.0", "3.1" or "4.0".
type CVSS struct {
	Version  string
	Score    int // tenths
	Vector   string
	Severity string // LOW, MEDIUM, HIGH, CRITICAL as the feed writes it
	Source   string // who scored it (nvd@nist.gov, a CNA's address, "JVN")
	Primary  bool   // NVD's "Primary" type, or the only score a feed gives
}

// Configuration is one NVD configuration: nodes joined by Operator ("AND"
// for "running on/with" statements, "OR" or empty otherwise).
type Configuration struct {
	Operator string
	Negate   bool
	Nodes    []Node
}

// Node is a list of CPE match criteria joined by Operator ("OR" or "AND").
type Node struct {
	Operator string
	Negate   bool
	Matches  []CPEMatch
}

// CPEMatch is one NVD cpeMatch entry. Criteria is a CPE 2.3 formatted
// string; when it has version "*" the four bounds, if any, narrow it.
// Vulnerable false marks a platform ("running on") criterion: it must be
// present for the configuration to hold, but never makes a match alone.
type CPEMatch struct {
	Vulnerable      bool
	Criteria        string
	MatchCriteriaID string
	StartIncluding  string
	StartExcluding  string
	EndIncluding    string
	EndExcluding    string
}

// Package is one OSV affected[] entry.
type Package struct {
	Ecosystem string // OSV ecosystem name as written ("Go", "npm", "PyPI", "Debian:11" …)
	Name      string
	PURL      string
	Ranges    []Range
	Versions  []string // explicitly listed affected versions
}

// Range is one OSV range: events in the feed's order.
type Range struct {
	Type   string // SEMVER, ECOSYSTEM or GIT
	Events []Event
}

// Event is one OSV range event; exactly one field is set.
type Event struct {
	Introduced   string
	Fixed        string
	LastAffected string
	Limit        string
}

// Product is one JVN affected product.
type Product struct {
	CPE     string // CPE 2.3 formatted string (converted from JVN's CPE 2.2 URI)
	Vendor  string // as JVN names it, for display
	Name    string // product name as JVN writes it, for display
	Version string // free text such as "1.2.3 およびそれ以前", may be empty
}

// KEV is one entry of CISA's Known Exploited Vulnerabilities catalog.
type KEV struct {
	CVE            string
	VendorProject  string
	Product        string
	Name           string
	DateAdded      string // YYYY-MM-DD
	DueDate        string // YYYY-MM-DD
	RequiredAction string
	Ransomware     string // knownRansomwareCampaignUse: "Known" or "Unknown"
	Notes          string
	CWEs           []string
}

// EPSS is one FIRST EPSS score. Score and Percentile are in units of 1e-5
// (0.03351 → 3351) so the store keeps integers.
type EPSS struct {
	CVE        string
	Score      int
	Percentile int
}

// RecordError reports a problem with one record of a feed or SBOM file:
// the file, the record (its ID when known, else its position) and why.
type RecordError struct {
	File   string // path or name as the caller gave it
	Record string // "CVE-2018-0101", "item 12", "line 3"
	Field  string // optional: the field inside the record
	Err    error
}

func (e *RecordError) Error() string {
	loc := e.File
	if e.Record != "" {
		loc += ": " + e.Record
	}
	if e.Field != "" {
		loc += ": " + e.Field
	}
	return fmt.Sprintf("%s: %v", loc, e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }
