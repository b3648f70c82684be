// Package kev reads CISA's Known Exploited Vulnerabilities catalog
// (known_exploited_vulnerabilities.json) into vuln.KEV records, one entry at
// a time.
//
// It imports only the standard library, mamori (Excerpt) and mamori/internal/vuln; it must
// never import another feed parser.
package kev

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"time"

	"mamori/internal/vuln"

	"mamori"
)

// Catalog describes a decoded catalog file.
type Catalog struct {
	Title    string
	Version  string    // catalogVersion, e.g. "2025.08.25"
	Released time.Time // dateReleased
	Count    int       // entries read; equal to the file's own count
}

// entry is one vulnerabilities[] element as CISA writes it
// (known_exploited_vulnerabilities_schema.json).
type entry struct {
	CVEID                      string   `json:"cveID"`
	VendorProject              string   `json:"vendorProject"`
	Product                    string   `json:"product"`
	VulnerabilityName          string   `json:"vulnerabilityName"`
	DateAdded                  string   `json:"dateAdded"`
	ShortDescription           string   `json:"shortDescription"`
	RequiredAction             string   `json:"requiredAction"`
	DueDate                    string   `json:"dueDate"`
	KnownRansomwareCampaignUse string   `json:"knownRansomwareCampaignUse"`
	Notes                      string   `json:"notes"`
	CWEs                       []string `json:"cwes"`
}

// cveID is the shape of a CVE identifier: four-digit year, at least four
// digits of sequence.
var cveID = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

// dateLayout is CISA's format for dateAdded and dueDate.
const dateLayout = "2006-01-02"

// Decode streams CISA's known_exploited_vulnerabilities.json, calling fn per
// entry in file order. A gzip stream is decompressed transparently; name is
// used only in errors.
//
// Each entry must have a CVE id and dateAdded/dueDate dates; a bad entry
// stops decoding with a *vuln.RecordError naming the entry and field. The
// catalog's count must equal the number of entries, so that a cut file that
// is still valid JSON is caught. An error returned by fn stops decoding and
// is returned as is.
func Decode(r io.Reader, name string, fn func(*vuln.KEV) error) (Catalog, error) {
	br := bufio.NewReader(r)
	var in io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return Catalog{}, fmt.Errorf("kev: %s: bad gzip header: %w", name, err)
		}
		in = zr
	}
	d := &decoder{dec: json.NewDecoder(in), name: name, fn: fn}
	err := d.catalog()
	return d.cat, err
}

// decoder carries the state of one Decode call.
type decoder struct {
	dec    *json.Decoder
	name   string
	fn     func(*vuln.KEV) error
	cat    Catalog
	lastID string
}

// catalog walks the top-level object, streaming vulnerabilities[].
func (d *decoder) catalog() error {
	if err := d.delim('{'); err != nil {
		return err
	}
	declared := -1
	seen := map[string]bool{}
	for {
		tok, err := d.dec.Token()
		if err != nil {
			return d.syntaxError(err)
		}
		if tok == json.Delim('}') {
			break
		}
		key, ok := tok.(string)
		if !ok {
			return d.syntaxError(fmt.Errorf("object key is %v", tok))
		}
		seen[key] = true
		switch key {
		case "title":
			err = d.value(key, &d.cat.Title)
		case "catalogVersion":
			err = d.value(key, &d.cat.Version)
		case "dateReleased":
			var text string
			if err = d.value(key, &text); err == nil {
				d.cat.Released, err = time.Parse(time.RFC3339, text)
				if err != nil {
					err = fmt.Errorf("kev: %s: dateReleased %q is not an RFC 3339 time", d.name, mamori.Excerpt(text))
				}
			}
		case "count":
			err = d.value(key, &declared)
			if err == nil && declared < 0 {
				err = fmt.Errorf("kev: %s: count %d is negative", d.name, declared)
			}
		case "vulnerabilities":
			err = d.entries()
		default:
			var skip json.RawMessage
			err = d.value(key, &skip)
		}
		if err != nil {
			return err
		}
	}
	if tok, err := d.dec.Token(); !errors.Is(err, io.EOF) {
		if err == nil {
			err = fmt.Errorf("trailing data %v", tok)
		}
		return fmt.Errorf("kev: %s: trailing garbage after entry %d (%s): %w", d.name, d.cat.Count, d.lastID, err)
	}
	// The schema requires these; without them the file is not a catalog.
	for _, key := range []string{"catalogVersion", "dateReleased", "count", "vulnerabilities"} {
		if !seen[key] {
			return fmt.Errorf("kev: %s: missing %s", d.name, key)
		}
	}
	if declared != d.cat.Count {
		return fmt.Errorf("kev: %s: count says %d, file holds %d entries", d.name, declared, d.cat.Count)
	}
	return nil
}

// entries streams the vulnerabilities array.
func (d *decoder) entries() error {
	if err := d.delim('['); err != nil {
		return err
	}
	for d.dec.More() {
		var e entry
		if err := d.dec.Decode(&e); err != nil {
			var typeErr *json.UnmarshalTypeError
			if errors.As(err, &typeErr) {
				return &vuln.RecordError{File: d.name, Record: fmt.Sprintf("entry %d", d.cat.Count+1), Field: typeErr.Field,
					Err: fmt.Errorf("kev: unexpected JSON %s, want %s", typeErr.Value, typeErr.Type)}
			}
			return d.syntaxError(err)
		}
		k, err := d.convert(&e)
		if err != nil {
			return err
		}
		if err := d.fn(k); err != nil {
			return err
		}
		d.cat.Count++
		d.lastID = k.CVE
	}
	return d.delim(']')
}

// convert validates one entry and maps it onto vuln.KEV.
func (d *decoder) convert(e *entry) (*vuln.KEV, error) {
	record := e.CVEID
	if record == "" {
		record = fmt.Sprintf("entry %d", d.cat.Count+1)
	}
	fail := func(field string, err error) error {
		return &vuln.RecordError{File: d.name, Record: record, Field: field, Err: err}
	}
	if !cveID.MatchString(e.CVEID) {
		return nil, fail("cveID", fmt.Errorf("kev: bad CVE id %q", mamori.Excerpt(e.CVEID)))
	}
	if _, err := time.Parse(dateLayout, e.DateAdded); err != nil {
		return nil, fail("dateAdded", fmt.Errorf("kev: bad date %q", mamori.Excerpt(e.DateAdded)))
	}
	if _, err := time.Parse(dateLayout, e.DueDate); err != nil {
		return nil, fail("dueDate", fmt.Errorf("kev: bad date %q", mamori.Excerpt(e.DueDate)))
	}
	if len(e.CWEs) == 0 {
		e.CWEs = nil // "cwes": [] and a missing key mean the same
	}
	return &vuln.KEV{
		CVE:            e.CVEID,
		VendorProject:  e.VendorProject,
		Product:        e.Product,
		Name:           e.VulnerabilityName,
		DateAdded:      e.DateAdded,
		DueDate:        e.DueDate,
		RequiredAction: e.RequiredAction,
		Ransomware:     e.KnownRansomwareCampaignUse,
		Notes:          e.Notes,
		CWEs:           e.CWEs,
	}, nil
}

// value decodes one top-level value.
func (d *decoder) value(key string, v any) error {
	if err := d.dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("kev: %s: %s: unexpected JSON %s", d.name, key, typeErr.Value)
		}
		return d.syntaxError(err)
	}
	return nil
}

// delim reads the next token and checks that it is want.
func (d *decoder) delim(want json.Delim) error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.syntaxError(err)
	}
	if tok != want {
		return d.syntaxError(fmt.Errorf("found %v, want %v", tok, want))
	}
	return nil
}

// syntaxError reports malformed or truncated input with the position of
// the last good entry.
func (d *decoder) syntaxError(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if d.cat.Count == 0 {
		return fmt.Errorf("kev: %s: malformed before the first entry: %w", d.name, err)
	}
	return fmt.Errorf("kev: %s: malformed or truncated after entry %d (%s): %w", d.name, d.cat.Count, d.lastID, err)
}
