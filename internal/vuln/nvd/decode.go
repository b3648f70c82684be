package nvd

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"mamori/internal/vuln"
)

// Format names the shape of an NVD file.
type Format string

// The shapes Decode recognises.
const (
	// Format20 is a CVE API 2.0 page, or a 2.0 year file of the same shape.
	Format20 Format = "nvd-2.0"
	// Format11 is the retired JSON 1.1 year feed (nvdcve-1.1-YYYY.json).
	Format11 Format = "nvd-1.1"
	// Format20Lines is a stream of 2.0 cve objects, one per line: Anchore's
	// override files, or plain cve objects and {"cve":{…}} wrappers.
	Format20Lines Format = "nvd-2.0-jsonl"
)

// Info describes a decoded file.
type Info struct {
	Format Format
	// Records is the number of CVEs passed to fn.
	Records int
	// Timestamp is the feed timestamp (1.1) or page timestamp (2.0); zero
	// when the file has none, as in the JSON Lines shape.
	Timestamp time.Time
}

// detectWindow is how much of the (decompressed) input is inspected to find
// the first key of the top-level object. Keys come first in every shape, so
// a small window is enough.
const detectWindow = 64 << 10

// Decode reads one NVD file from r, detecting its format from content (not
// the name), calling fn for every CVE in order. A gzip stream (magic 1f 8b)
// is decompressed transparently. name is used only in errors.
//
// A whole record that cannot be converted (bad date, unknown structure,
// empty id) is skipped: decoding goes on, and the error returned at the end
// joins a *vuln.RecordError for each, naming file, CVE id (or "item N"),
// field and value. A truncated file or trailing garbage stops decoding with
// an error naming the file and the last good record position. An error
// returned by fn stops decoding and is returned as is.
//
// A CVE whose vulnStatus is "Rejected" (or, in 1.1, whose description
// starts with "** REJECT **") is still passed to fn, with Withdrawn set to
// its last-modified time, so that a store can delete what it held for that
// id rather than keep a stale copy.
func Decode(r io.Reader, name string, fn func(*vuln.Advisory) error) (Info, error) {
	br, err := openInput(r, name)
	if err != nil {
		return Info{}, err
	}
	format, err := detect(br, name)
	if err != nil {
		return Info{}, err
	}
	d := &decoder{
		dec:  json.NewDecoder(br),
		name: name,
		fn:   fn,
		info: Info{Format: format},
	}
	d.dec.UseNumber()
	switch format {
	case Format20:
		err = d.page20()
	case Format11:
		err = d.feed11()
	default:
		err = d.lines()
	}
	if len(d.skipped) == 0 {
		return d.info, err // fn's error as is
	}
	return d.info, errors.Join(append(d.skipped, err)...)
}

// openInput returns a buffered reader over r, decompressing it when it
// starts with the gzip magic number.
func openInput(r io.Reader, name string) (*bufio.Reader, error) {
	br := bufio.NewReaderSize(r, detectWindow)
	magic, _ := br.Peek(2)
	if len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		zr, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("nvd: %s: bad gzip header: %w", name, err)
		}
		return bufio.NewReaderSize(zr, detectWindow), nil
	}
	return br, nil
}

// pageKeys and feed11Keys are the top-level keys of the 2.0 page and the
// 1.1 feed. Any other first key means the file is a stream of cve objects.
var (
	pageKeys = map[string]bool{
		"resultsPerPage": true, "startIndex": true, "totalResults": true,
		"format": true, "version": true, "timestamp": true, "vulnerabilities": true,
	}
	feed11Keys = map[string]bool{
		"CVE_data_type": true, "CVE_data_format": true, "CVE_data_version": true,
		"CVE_data_numberOfCVEs": true, "CVE_data_timestamp": true, "CVE_Items": true,
	}
)

// detect looks at the first key of the first object without consuming
// input.
func detect(br *bufio.Reader, name string) (Format, error) {
	// A read error with some data in hand (a truncated gzip stream) is left
	// for the JSON decoder to meet again, so that it is reported with the
	// position of the last good record.
	head, err := br.Peek(detectWindow)
	if len(head) == 0 && err != nil && !errors.Is(err, io.EOF) {
		return "", fmt.Errorf("nvd: %s: %w", name, err)
	}
	dec := json.NewDecoder(bytes.NewReader(head))
	tok, err := dec.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			return "", fmt.Errorf("nvd: %s: empty file", name)
		}
		return "", fmt.Errorf("nvd: %s: not JSON: %w", name, err)
	}
	if tok != json.Delim('{') {
		return "", fmt.Errorf("nvd: %s: not an NVD file: starts with %v, want an object", name, tok)
	}
	tok, err = dec.Token()
	if err != nil {
		return "", fmt.Errorf("nvd: %s: not JSON: %w", name, err)
	}
	key, ok := tok.(string)
	if !ok {
		return "", fmt.Errorf("nvd: %s: not an NVD file: empty top-level object", name)
	}
	switch {
	case pageKeys[key]:
		return Format20, nil
	case feed11Keys[key]:
		return Format11, nil
	}
	return Format20Lines, nil
}

// decoder carries the state of one Decode call.
type decoder struct {
	dec    *json.Decoder
	name   string
	fn     func(*vuln.Advisory) error
	info   Info
	lastID string // id of the last record passed to fn, for position errors
	// skipped holds the problems of whole records that could not be used:
	// decoding goes on past them, as it cannot past broken JSON.
	skipped []error
}

// unusable keeps the problem of a whole record that cannot be used and lets
// decoding go on; any other error (broken input, fn's) stops it.
func (d *decoder) unusable(err error) error {
	if _, ok := errors.AsType[*vuln.RecordError](err); ok {
		d.skipped = append(d.skipped, err)
		return nil
	}
	return err
}

// emit hands one converted record to fn.
func (d *decoder) emit(a *vuln.Advisory) error {
	if err := d.fn(a); err != nil {
		return err
	}
	d.info.Records++
	d.lastID = a.ID
	return nil
}

// item names the current record by its position, 1-based.
func (d *decoder) item() string {
	return fmt.Sprintf("item %d", d.info.Records+len(d.skipped)+1)
}

// syntaxError reports malformed or truncated input at the current position.
func (d *decoder) syntaxError(err error) error {
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if d.info.Records == 0 {
		return fmt.Errorf("nvd: %s: malformed before the first record: %w", d.name, err)
	}
	return fmt.Errorf("nvd: %s: malformed or truncated after item %d (%s): %w",
		d.name, d.info.Records, d.lastID, err)
}

// decodeError turns an error from decoding one array element into either a
// RecordError (the element was well-formed JSON of the wrong shape) or a
// syntax error (the input itself is broken).
func (d *decoder) decodeError(err error) error {
	var typeErr *json.UnmarshalTypeError
	if errors.As(err, &typeErr) {
		return &vuln.RecordError{File: d.name, Record: d.item(), Field: typeErr.Field,
			Err: fmt.Errorf("nvd: unexpected JSON %s, want %s", typeErr.Value, typeErr.Type)}
	}
	return d.syntaxError(err)
}

// expectDelim reads the next token and checks that it is want.
func (d *decoder) expectDelim(want json.Delim, what string) error {
	tok, err := d.dec.Token()
	if err != nil {
		return d.syntaxError(err)
	}
	if tok != want {
		return d.syntaxError(fmt.Errorf("%s is %v, want %v", what, tok, want))
	}
	return nil
}

// key reads the next object key, or reports ok false at the closing brace.
func (d *decoder) key() (key string, ok bool, err error) {
	tok, err := d.dec.Token()
	if err != nil {
		return "", false, d.syntaxError(err)
	}
	if tok == json.Delim('}') {
		return "", false, nil
	}
	key, isString := tok.(string)
	if !isString {
		return "", false, d.syntaxError(fmt.Errorf("object key is %v", tok))
	}
	return key, true, nil
}

// skip consumes one value of any kind without keeping it, so that an
// unknown key holding a large array costs no memory.
func (d *decoder) skip() error {
	depth := 0
	for {
		tok, err := d.dec.Token()
		if err != nil {
			return d.syntaxError(err)
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			depth++
		case json.Delim('}'), json.Delim(']'):
			depth--
		}
		if depth == 0 {
			return nil
		}
	}
}

// scalar decodes one small top-level value into v.
func (d *decoder) scalar(field string, v any) error {
	if err := d.dec.Decode(v); err != nil {
		var typeErr *json.UnmarshalTypeError
		if errors.As(err, &typeErr) {
			return fmt.Errorf("nvd: %s: %s: unexpected JSON %s", d.name, field, typeErr.Value)
		}
		return d.syntaxError(err)
	}
	return nil
}

// array streams the elements of the array that comes next, calling each
// with the decoder positioned at an element.
func (d *decoder) array(field string, each func() error) error {
	if err := d.expectDelim('[', field); err != nil {
		return err
	}
	for d.dec.More() {
		if err := each(); err != nil {
			return err
		}
	}
	return d.expectDelim(']', field)
}

// end checks that nothing but white space follows the top-level object.
func (d *decoder) end() error {
	tok, err := d.dec.Token()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err == nil {
		err = fmt.Errorf("trailing data %v", tok)
	}
	return fmt.Errorf("nvd: %s: trailing garbage after item %d (%s): %w",
		d.name, d.info.Records, d.lastID, err)
}
