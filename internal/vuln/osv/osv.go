// Package osv reads OSV records (https://ossf.github.io/osv-schema/, schema
// 1.x) into vuln.Advisory: one JSON file, a directory of them, or a zip
// archive such as the all.zip files osv.dev publishes per ecosystem.
//
// Parsing is strict about the parts the matcher relies on (ids, times,
// range events) and ignores the rest (ecosystem_specific,
// database_specific, credits), so a bad range is reported instead of being
// turned into a false positive or a silent miss.
package osv

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"mamori/internal/vuln"

	"mamori"
)

// record mirrors the OSV fields mamori uses. Unknown fields are ignored:
// the schema grows by adding fields, and a 1.x reader must accept them.
type record struct {
	SchemaVersion string      `json:"schema_version"`
	ID            string      `json:"id"`
	Modified      string      `json:"modified"`
	Published     string      `json:"published"`
	Withdrawn     string      `json:"withdrawn"`
	Aliases       []string    `json:"aliases"`
	Summary       string      `json:"summary"`
	Details       string      `json:"details"`
	Severity      []severity  `json:"severity"`
	Affected      []affected  `json:"affected"`
	References    []reference `json:"references"`
}

type severity struct {
	Type  string `json:"type"`
	Score string `json:"score"`
}

type affected struct {
	Package  pkg        `json:"package"`
	Ranges   []osvRange `json:"ranges"`
	Versions []string   `json:"versions"`
}

type pkg struct {
	Ecosystem string `json:"ecosystem"`
	Name      string `json:"name"`
	PURL      string `json:"purl"`
}

type osvRange struct {
	Type string `json:"type"`
	// Events stay raw so that "exactly one key per event" can be checked;
	// a struct would silently merge {"introduced":"0","fixed":"1.2"}.
	Events []map[string]json.RawMessage `json:"events"`
}

type reference struct {
	Type string `json:"type"`
	URL  string `json:"url"`
}

// DecodeRecord parses one OSV JSON record (schema 1.x; any "schema_version"
// 1.x or none is accepted, 2 and later are rejected). name is the file the
// record came from and only labels errors. Every error is a
// *vuln.RecordError naming name and, once known, the record id.
func DecodeRecord(data []byte, name string) (*vuln.Advisory, error) {
	var r record
	if err := json.Unmarshal(data, &r); err != nil {
		// The id may still be readable when a later field is malformed.
		var idOnly struct {
			ID string `json:"id"`
		}
		_ = json.Unmarshal(data, &idOnly)
		return nil, recordError(name, idOnly.ID, "", fmt.Errorf("osv: decode: %w", err))
	}
	a, field, err := convert(&r)
	if err != nil {
		return nil, recordError(name, r.ID, field, err)
	}
	return a, nil
}

func recordError(file, id, field string, err error) *vuln.RecordError {
	return &vuln.RecordError{File: file, Record: id, Field: field, Err: err}
}

// convert validates r and maps it. On error it also returns the field
// that failed, for the RecordError.
func convert(r *record) (*vuln.Advisory, string, error) {
	if err := checkSchemaVersion(r.SchemaVersion); err != nil {
		return nil, "schema_version", err
	}
	if strings.TrimSpace(r.ID) == "" {
		return nil, "id", errors.New("osv: id is empty")
	}
	a := &vuln.Advisory{
		ID:          r.ID,
		Source:      vuln.SourceOSV,
		Aliases:     r.Aliases,
		Title:       r.Summary,
		Description: r.Details,
	}
	var err error
	if r.Modified == "" {
		return nil, "modified", errors.New("osv: modified is missing")
	}
	if a.Modified, err = parseTime("modified", r.Modified); err != nil {
		return nil, "modified", err
	}
	if a.Published, err = parseTime("published", r.Published); err != nil {
		return nil, "published", err
	}
	if a.Withdrawn, err = parseTime("withdrawn", r.Withdrawn); err != nil {
		return nil, "withdrawn", err
	}
	for i, s := range r.Severity {
		c, ok, err := convertSeverity(s)
		if err != nil {
			return nil, fmt.Sprintf("severity[%d]", i), err
		}
		if ok {
			a.CVSS = append(a.CVSS, c)
		}
	}
	if len(a.CVSS) == 1 {
		a.CVSS[0].Primary = true
	}
	for i, af := range r.Affected {
		p, field, err := convertAffected(af)
		if err != nil {
			return nil, fmt.Sprintf("affected[%d]%s", i, field), err
		}
		a.Packages = append(a.Packages, p)
	}
	for _, ref := range r.References {
		if ref.URL != "" {
			a.References = append(a.References, ref.URL)
		}
	}
	return a, "", nil
}

// checkSchemaVersion accepts "", "1", "1.x" and "1.x.y". Records written
// before schema_version existed (most of them until 2023) omit it.
func checkSchemaVersion(v string) error {
	if v == "" {
		return nil
	}
	major, _, _ := strings.Cut(v, ".")
	if major != "1" {
		return fmt.Errorf("osv: unsupported schema_version %q (want 1.x)", mamori.Excerpt(v))
	}
	return nil
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("osv: %s %q is not an RFC 3339 time", field, mamori.Excerpt(s))
	}
	return t.UTC(), nil
}

func convertAffected(af affected) (vuln.Package, string, error) {
	p := vuln.Package{
		Ecosystem: af.Package.Ecosystem,
		Name:      af.Package.Name,
		PURL:      af.Package.PURL,
		Versions:  af.Versions,
	}
	for i, r := range af.Ranges {
		vr, field, err := convertRange(r)
		if err != nil {
			return vuln.Package{}, fmt.Sprintf(".ranges[%d]%s", i, field), err
		}
		p.Ranges = append(p.Ranges, vr)
	}
	return p, "", nil
}

func convertRange(r osvRange) (vuln.Range, string, error) {
	switch r.Type {
	case "SEMVER", "ECOSYSTEM", "GIT":
	default:
		return vuln.Range{}, ".type", fmt.Errorf("osv: range type %q is not SEMVER, ECOSYSTEM or GIT", mamori.Excerpt(r.Type))
	}
	if len(r.Events) == 0 {
		return vuln.Range{}, ".events", errors.New("osv: range has no events")
	}
	vr := vuln.Range{Type: r.Type, Events: make([]vuln.Event, 0, len(r.Events))}
	for i, raw := range r.Events {
		e, err := convertEvent(raw)
		if err != nil {
			return vuln.Range{}, fmt.Sprintf(".events[%d]", i), err
		}
		vr.Events = append(vr.Events, e)
	}
	return vr, "", nil
}

func convertEvent(raw map[string]json.RawMessage) (vuln.Event, error) {
	if len(raw) != 1 {
		keys := make([]string, 0, len(raw))
		for k := range raw {
			keys = append(keys, k)
		}
		return vuln.Event{}, fmt.Errorf("osv: event has %d keys %q, want exactly one", len(raw), mamori.Excerpt(strings.Join(keys, " ")))
	}
	var e vuln.Event
	for k, v := range raw {
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			return vuln.Event{}, fmt.Errorf("osv: event %q value %s is not a string", mamori.Excerpt(k), mamori.Excerpt(string(v)))
		}
		if err := checkEventVersion(k, s); err != nil {
			return vuln.Event{}, err
		}
		switch k {
		case "introduced":
			e.Introduced = s
		case "fixed":
			e.Fixed = s
		case "last_affected":
			e.LastAffected = s
		case "limit":
			e.Limit = s
		default:
			return vuln.Event{}, fmt.Errorf("osv: unknown event %q", mamori.Excerpt(k))
		}
	}
	return e, nil
}

// checkEventVersion rejects values that are not a single version. GHSA once
// exported comparator expressions such as "< 1.2" as event values
// (github/advisory-database#470); read as a version they compare wrongly
// and turn into false positives or misses.
func checkEventVersion(key, s string) error {
	if s == "" {
		return fmt.Errorf("osv: event %q is empty", mamori.Excerpt(key))
	}
	if strings.ContainsAny(s[:1], "<>=!~^") {
		return fmt.Errorf("osv: event %q value %q is a comparator expression, not a version", mamori.Excerpt(key), mamori.Excerpt(s))
	}
	if strings.ContainsAny(s, " \t\r\n,|") {
		return fmt.Errorf("osv: event %q value %q is not a single version", mamori.Excerpt(key), mamori.Excerpt(s))
	}
	return nil
}

// convertSeverity maps one severity[] entry. ok is false for score types
// mamori does not keep (such as "Ubuntu" priority words).
func convertSeverity(s severity) (c vuln.CVSS, ok bool, err error) {
	switch s.Type {
	case "CVSS_V3":
		score, version, err := cvss3BaseScore(s.Score)
		if err != nil {
			return vuln.CVSS{}, false, err
		}
		return vuln.CVSS{Version: version, Score: score, Vector: s.Score, Severity: cvss3Severity(score)}, true, nil
	case "CVSS_V4":
		// The v4 base score comes from a lookup table of macro vectors, not
		// a formula; until that is implemented the score stays unknown (0)
		// rather than guessed.
		if !strings.HasPrefix(s.Score, "CVSS:4.0/") {
			return vuln.CVSS{}, false, fmt.Errorf("osv: CVSS_V4 vector %q does not start with CVSS:4.0/", mamori.Excerpt(s.Score))
		}
		return vuln.CVSS{Version: "4.0", Vector: s.Score}, true, nil
	case "CVSS_V2":
		// Kept for display; v2 scores are not computed.
		if s.Score == "" {
			return vuln.CVSS{}, false, errors.New("osv: CVSS_V2 vector is empty")
		}
		return vuln.CVSS{Version: "2.0", Vector: s.Score}, true, nil
	default:
		return vuln.CVSS{}, false, nil
	}
}
