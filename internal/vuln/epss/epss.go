// Package epss reads FIRST's Exploit Prediction Scoring System CSV files
// (epss_scores-YYYY-MM-DD.csv[.gz]) into vuln.EPSS records, one row at a
// time.
//
// It imports only the standard library, mamori (Excerpt) and mamori/internal/vuln; it must
// never import another feed parser.
package epss

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"mamori/internal/vuln"

	"mamori"
)

// Model names the EPSS model and the day that produced a file.
type Model struct {
	Version   string    // "v2026.06.15"; empty for files older than the comment line
	ScoreDate time.Time // zero when the file has no comment line
}

// cveID is the shape of a CVE identifier: four-digit year, at least four
// digits of sequence.
var cveID = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

// maxLine bounds one line; real rows are under 40 bytes, so anything near
// this is not an EPSS file.
const maxLine = 4096

// Decode reads a FIRST EPSS CSV (optionally gzip): first line
// "#model_version:v2026.06.15,score_date:2026-09-29T12:00:22Z" (absent in
// old files), header "cve,epss,percentile", then one row per CVE. Scores and
// percentiles become integers in 1e-5 units, converted from the decimal
// text (0.03351 → 3351) so no float rounding creeps in.
//
// The first model's files had no percentile column; the header "cve,epss"
// is accepted and leaves Percentile zero. A bad row stops decoding with a
// *vuln.RecordError naming the line number and field. An error returned by
// fn stops decoding and is returned as is.
func Decode(r io.Reader, name string, fn func(vuln.EPSS) error) (Model, error) {
	br := bufio.NewReader(r)
	var in io.Reader = br
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return Model{}, fmt.Errorf("epss: %s: bad gzip header: %w", name, err)
		}
		in = zr
	}
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 256), maxLine)
	var model Model
	columns := 0
	lineNo := 0
	fail := func(field string, err error) error {
		return &vuln.RecordError{File: name, Record: fmt.Sprintf("line %d", lineNo), Field: field, Err: err}
	}
	for sc.Scan() {
		lineNo++
		line := strings.TrimSuffix(sc.Text(), "\r")
		if lineNo == 1 {
			line = strings.TrimPrefix(line, "\ufeff") // a BOM from a spreadsheet round trip
			if strings.HasPrefix(line, "#") {
				m, field, err := parseComment(line[1:])
				if err != nil {
					return Model{}, fail(field, err)
				}
				model = m
				continue
			}
		}
		if columns == 0 {
			switch line {
			case "cve,epss,percentile":
				columns = 3
			case "cve,epss":
				columns = 2
			default:
				return model, fail("header", fmt.Errorf("epss: header %q, want \"cve,epss,percentile\"", mamori.Excerpt(line)))
			}
			continue
		}
		row, field, err := parseRow(line, columns)
		if err != nil {
			return model, fail(field, err)
		}
		if err := fn(row); err != nil {
			return model, err
		}
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return model, fmt.Errorf("epss: %s: line %d longer than %d bytes", name, lineNo+1, maxLine)
		}
		return model, fmt.Errorf("epss: %s: after line %d: %w", name, lineNo, err)
	}
	if columns == 0 {
		return model, fmt.Errorf("epss: %s: no header line", name)
	}
	return model, nil
}

// parseComment reads "model_version:v2026.06.15,score_date:2026-…Z".
// Unknown keys are ignored so that a new metadata field does not break
// ingestion; the known ones must be well formed.
func parseComment(text string) (Model, string, error) {
	var m Model
	for _, part := range strings.Split(text, ",") {
		key, value, ok := strings.Cut(part, ":")
		if !ok {
			return Model{}, "comment", fmt.Errorf("epss: comment item %q is not key:value", mamori.Excerpt(part))
		}
		switch key {
		case "model_version":
			if value == "" {
				return Model{}, key, fmt.Errorf("epss: empty model_version")
			}
			m.Version = value
		case "score_date":
			t, err := time.Parse(time.RFC3339, value)
			if err != nil {
				return Model{}, key, fmt.Errorf("epss: score_date %q is not an RFC 3339 time", mamori.Excerpt(value))
			}
			m.ScoreDate = t.UTC()
		}
	}
	return m, "", nil
}

// parseRow reads "CVE-1999-0001,0.03351,0.88255".
func parseRow(line string, columns int) (vuln.EPSS, string, error) {
	if line == "" {
		return vuln.EPSS{}, "", fmt.Errorf("epss: empty line")
	}
	fields := strings.Split(line, ",")
	if len(fields) != columns {
		return vuln.EPSS{}, "", fmt.Errorf("epss: %d fields in %q, want %d", len(fields), mamori.Excerpt(line), columns)
	}
	if !cveID.MatchString(fields[0]) {
		return vuln.EPSS{}, "cve", fmt.Errorf("epss: bad CVE id %q", mamori.Excerpt(fields[0]))
	}
	row := vuln.EPSS{CVE: fields[0]}
	var err error
	if row.Score, err = probability(fields[1]); err != nil {
		return vuln.EPSS{}, "epss", err
	}
	if columns == 3 {
		if row.Percentile, err = probability(fields[2]); err != nil {
			return vuln.EPSS{}, "percentile", err
		}
	}
	return row, "", nil
}

// unitDigits is how many decimal places one unit of the result holds:
// 1e-5, the precision FIRST publishes.
const unitDigits = 5

// probability converts a decimal in [0, 1] to 1e-5 units, rounding half away
// from zero on the text. Scientific notation ("4.3e-05") is accepted
// because some exports write small scores that way.
func probability(text string) (int, error) {
	mantissa, exp, hasExp := strings.Cut(text, "e")
	if !hasExp {
		mantissa, exp, hasExp = strings.Cut(text, "E")
	}
	shift := 0
	if hasExp {
		n, err := smallInt(exp)
		if err != nil {
			return 0, fmt.Errorf("epss: %q is not a decimal number", mamori.Excerpt(text))
		}
		shift = n
	}
	whole, frac, _ := strings.Cut(mantissa, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) || (strings.Contains(mantissa, ".") && frac == "") {
		return 0, fmt.Errorf("epss: %q is not a decimal number", mamori.Excerpt(text))
	}
	digits := strings.TrimLeft(whole+frac, "0")
	// point is where the decimal point falls within digits after moving it
	// by the exponent; units keep unitDigits places after it.
	point := len(whole) - (len(whole+frac) - len(digits)) + shift
	keep := point + unitDigits
	if len(digits) == 0 || keep < 0 {
		return 0, nil
	}
	if keep > unitDigits+1 {
		return 0, fmt.Errorf("epss: %q is greater than 1", mamori.Excerpt(text))
	}
	padded := digits
	for len(padded) < keep+1 {
		padded += "0"
	}
	units := 0
	for _, c := range []byte(padded[:keep]) {
		units = units*10 + int(c-'0')
	}
	if padded[keep] >= '5' {
		units++
	}
	if units > 100000 {
		return 0, fmt.Errorf("epss: %q is greater than 1", mamori.Excerpt(text))
	}
	return units, nil
}

// smallInt parses an optionally signed exponent of at most two digits.
func smallInt(s string) (int, error) {
	sign := 1
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	if s == "" || len(s) > 2 || !allDigits(s) {
		return 0, fmt.Errorf("bad exponent")
	}
	n := 0
	for _, c := range []byte(s) {
		n = n*10 + int(c-'0')
	}
	return sign * n, nil
}

func allDigits(s string) bool {
	return len(bytes.TrimLeft([]byte(s), "0123456789")) == 0
}
