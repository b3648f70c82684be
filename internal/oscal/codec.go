package oscal

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"mamori"
)

// Document is a top-level OSCAL JSON document: exactly one of its models is
// set. Schema is the optional "$schema" member.
type Document struct {
	Schema                    string                     `json:"$schema,omitempty"`
	Catalog                   *Catalog                   `json:"catalog,omitempty"`
	AssessmentResults         *AssessmentResults         `json:"assessment-results,omitempty"`
	PlanOfActionAndMilestones *PlanOfActionAndMilestones `json:"plan-of-action-and-milestones,omitempty"`
}

// Encode writes d as JSON indented by two spaces, with a trailing newline.
// Characters such as <, > and & are written as themselves, not as \u
// escapes, so prose stays readable. It fails unless exactly one model of d
// is set. Encode does not validate; see [Validate].
func Encode(w io.Writer, d *Document) error {
	n := 0
	for _, set := range []bool{d.Catalog != nil, d.AssessmentResults != nil, d.PlanOfActionAndMilestones != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("oscal: encode: a document holds exactly one model, this one holds %d", n)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("oscal: encode: %w", err)
	}
	return nil
}

// Marshal returns the encoding of d that [Encode] writes.
func Marshal(d *Document) ([]byte, error) {
	var buf bytes.Buffer
	if err := Encode(&buf, d); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// catalogDocument is the only shape DecodeCatalog accepts.
type catalogDocument struct {
	Schema  string   `json:"$schema,omitempty"`
	Catalog *Catalog `json:"catalog"`
}

// DecodeCatalog reads one OSCAL catalog document, {"catalog": {...}}, from
// r. It is strict: a member the OSCAL catalog model does not define, a
// member given twice, a null, or a value of the wrong JSON type is an error
// (a [*DecodeError] with line, column and JSON pointer), as is anything
// after the document. It reads all of r; wrap r in an io.LimitReader to
// bound that. DecodeCatalog checks the shape, not the schema's datatypes and
// cardinalities: use [Validate] for those.
func DecodeCatalog(r io.Reader) (*Catalog, error) {
	data, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("oscal: read catalog: %w", err)
	}
	var doc catalogDocument
	if err := decodeStrict(data, &doc); err != nil {
		return nil, err
	}
	if doc.Catalog == nil {
		return nil, &DecodeError{Line: 1, Column: 1, Msg: `not an OSCAL catalog: the document has no "catalog" member`}
	}
	return doc.Catalog, nil
}

// DecodeError is a strict-decoding failure, located in the input.
type DecodeError struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending member or
	// value; "" is the whole document.
	Pointer string
	// Offset is the byte offset of the offending member or value.
	Offset int64
	// Line and Column are 1-based; Column counts characters, not bytes.
	Line, Column int
	// Msg says what is wrong.
	Msg string
}

func (e *DecodeError) Error() string {
	if e.Pointer == "" {
		return fmt.Sprintf("oscal: line %d, column %d: %s", e.Line, e.Column, e.Msg)
	}
	// Member names come from the document: the pointer is quoted by its start.
	return fmt.Sprintf("oscal: line %d, column %d: %s: %s", e.Line, e.Column, mamori.Excerpt(e.Pointer), e.Msg)
}

// decodeStrict decodes data into v (a pointer to a struct) after checking
// every member and value against v's type, and reports the first mismatch
// with its position. encoding/json alone cannot do this: its unknown-field
// error has no position, and it matches member names case-insensitively.
func decodeStrict(data []byte, v any) error {
	w := &walker{data: data, dec: json.NewDecoder(bytes.NewReader(data))}
	w.dec.UseNumber()
	if err := w.value(reflect.TypeOf(v).Elem()); err != nil {
		return err
	}
	start := w.next()
	if _, err := w.dec.Token(); err != io.EOF {
		return w.errorAt(start, "unexpected data after the document")
	}
	// The walk has checked everything DisallowUnknownFields would; this
	// decode cannot fail on members, but keep it strict all the same.
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &DecodeError{Line: 1, Column: 1, Msg: err.Error()}
	}
	return nil
}

// walker walks JSON tokens alongside a Go type.
type walker struct {
	data []byte
	dec  *json.Decoder
	path []string // JSON pointer tokens of the current value
}

var timeType = reflect.TypeFor[time.Time]()

func (w *walker) value(t reflect.Type) error {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	start := w.next()
	tok, err := w.dec.Token()
	if err != nil {
		return w.tokenError(err, start)
	}
	if tok == nil {
		return w.errorAt(start, "null is not allowed in OSCAL")
	}
	switch {
	case t == timeType:
		s, ok := tok.(string)
		if !ok {
			return w.typeError(start, "a date-time string", tok)
		}
		var tm time.Time
		if err := tm.UnmarshalText([]byte(s)); err != nil {
			return w.errorAt(start, fmt.Sprintf("%q is not an RFC 3339 date-time with time zone", mamori.Excerpt(s)))
		}
		return nil
	case t.Kind() == reflect.Struct:
		if tok != json.Delim('{') {
			return w.typeError(start, "an object", tok)
		}
		fields := fieldsOf(t)
		seen := make(map[string]bool)
		for w.dec.More() {
			kstart := w.next()
			ktok, err := w.dec.Token()
			if err != nil {
				return w.tokenError(err, kstart)
			}
			key := ktok.(string) // the decoder guarantees a string in key position
			w.path = append(w.path, key)
			ft, ok := fields[key]
			if !ok {
				return w.errorAt(kstart, fmt.Sprintf("unknown field %q", mamori.Excerpt(key)))
			}
			if seen[key] {
				return w.errorAt(kstart, fmt.Sprintf("duplicate field %q", mamori.Excerpt(key)))
			}
			seen[key] = true
			if err := w.value(ft); err != nil {
				return err
			}
			w.path = w.path[:len(w.path)-1]
		}
		return w.closing(start)
	case t.Kind() == reflect.Slice:
		if tok != json.Delim('[') {
			return w.typeError(start, "an array", tok)
		}
		for i := 0; w.dec.More(); i++ {
			w.path = append(w.path, strconv.Itoa(i))
			if err := w.value(t.Elem()); err != nil {
				return err
			}
			w.path = w.path[:len(w.path)-1]
		}
		return w.closing(start)
	case t.Kind() == reflect.String:
		if _, ok := tok.(string); !ok {
			return w.typeError(start, "a string", tok)
		}
		return nil
	case t.Kind() == reflect.Bool:
		if _, ok := tok.(bool); !ok {
			return w.typeError(start, "true or false", tok)
		}
		return nil
	default:
		// The model has no other kinds; fail loudly if one is added.
		return w.errorAt(start, fmt.Sprintf("internal error: no strict decoding for Go type %v", t))
	}
}

// closing reads the '}' or ']' that ends the object or array begun at start.
func (w *walker) closing(start int64) error {
	if _, err := w.dec.Token(); err != nil {
		return w.tokenError(err, start)
	}
	return nil
}

// next returns the offset of the next token: the decoder's offset moved
// past white space and the ',' and ':' separators, which the decoder only
// consumes when it reads the token after them.
func (w *walker) next() int64 {
	off := w.dec.InputOffset()
	for off < int64(len(w.data)) {
		switch w.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (w *walker) tokenError(err error, start int64) error {
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		return w.errorAt(se.Offset, strings.TrimPrefix(se.Error(), "json: "))
	case err == io.EOF || errors.Is(err, io.ErrUnexpectedEOF):
		return w.errorAt(int64(len(w.data)), "unexpected end of input")
	default:
		return w.errorAt(start, err.Error())
	}
}

func (w *walker) typeError(start int64, want string, tok json.Token) error {
	var got string
	switch tok := tok.(type) {
	case json.Delim:
		if tok == '{' {
			got = "an object"
		} else {
			got = "an array"
		}
	case string:
		got = "a string"
	case json.Number:
		got = "a number"
	case bool:
		got = "a boolean"
	}
	return w.errorAt(start, fmt.Sprintf("want %s, found %s", want, got))
}

func (w *walker) errorAt(off int64, msg string) *DecodeError {
	off = min(max(off, 0), int64(len(w.data)))
	before := w.data[:off]
	line := bytes.Count(before, []byte{'\n'}) + 1
	col := utf8.RuneCount(before[bytes.LastIndexByte(before, '\n')+1:]) + 1
	return &DecodeError{Pointer: pointer(w.path), Offset: off, Line: line, Column: col, Msg: msg}
}

// pointer renders tokens as an RFC 6901 JSON pointer.
func pointer(tokens []string) string {
	var sb strings.Builder
	for _, t := range tokens {
		sb.WriteByte('/')
		sb.WriteString(strings.NewReplacer("~", "~0", "/", "~1").Replace(t))
	}
	return sb.String()
}

var fieldCache sync.Map // reflect.Type -> map[string]reflect.Type

// fieldsOf maps the JSON member names of struct type t to their types. The
// model has no embedded structs and every exported field has a json tag.
func fieldsOf(t reflect.Type) map[string]reflect.Type {
	if m, ok := fieldCache.Load(t); ok {
		return m.(map[string]reflect.Type)
	}
	m := make(map[string]reflect.Type)
	for f := range t.Fields() {
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if name == "-" {
			continue
		}
		if name == "" {
			name = f.Name
		}
		m[name] = f.Type
	}
	fieldCache.Store(t, m)
	return m
}
