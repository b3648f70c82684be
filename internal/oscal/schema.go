package oscal

import (
	"bytes"
	_ "embed"
	"fmt"
	"slices"
	"strings"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/santhosh-tekuri/jsonschema/v6/kind"

	"mamori"
)

// completeSchema is NIST's OSCAL 1.1.2 complete JSON Schema, unmodified
// (255,640 bytes; public-domain NIST work; provenance in schema/SOURCES.md).
//
//go:embed schema/oscal_complete_schema-1.1.2.json
var completeSchema []byte

// schemaURL is the schema's own $id. The compiler is given the document
// under this URL and never loads anything: nothing is fetched at run time.
const schemaURL = "http://csrc.nist.gov/ns/oscal/1.0/1.1.2/oscal-complete-schema.json"

// modelSchemas compiles, once, one schema per OSCAL model ("catalog",
// "assessment-results", ...): the branches of the complete schema's
// top-level oneOf, each of which requires its model's member. Validating
// against the branch that matches the document's root member, rather than
// against the oneOf, reports the problems of that model only, and not why the
// document is not also a profile, an SSP and so on.
//
// Regular expressions: the library compiles "pattern" with Go's regexp
// (RE2), its default engine, and RE2 accepts all 8 distinct patterns of the
// schema (\p{L}, \p{N}, \S, bounded repeats), so neither the schema nor the
// engine needed changing. The patterns were written for XML Schema, whose
// semantics differ slightly: there "." excludes \r as well as \n and \s is
// exactly [ \t\n\r], while in RE2 "." matches \r and \s also matches \f. So a
// value containing a carriage return or form feed may pass here and fail in
// an XML Schema-based validator; no other difference affects OSCAL's
// patterns. (Japanese white space such as U+3000 is \S in both.)
var modelSchemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(completeSchema))
	if err != nil {
		return nil, fmt.Errorf("oscal: embedded schema: %w", err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(schemaURL, doc); err != nil {
		return nil, fmt.Errorf("oscal: embedded schema: %w", err)
	}
	root, _ := doc.(map[string]any)
	branches, _ := root["oneOf"].([]any)
	m := make(map[string]*jsonschema.Schema)
	for i, b := range branches {
		obj, _ := b.(map[string]any)
		req, _ := obj["required"].([]any)
		if len(req) != 1 {
			return nil, fmt.Errorf("oscal: embedded schema: oneOf/%d does not require exactly one model", i)
		}
		name, _ := req[0].(string)
		sch, err := c.Compile(fmt.Sprintf("%s#/oneOf/%d", schemaURL, i))
		if err != nil {
			return nil, fmt.Errorf("oscal: embedded schema: compile model %q: %w", name, err)
		}
		m[name] = sch
	}
	if len(m) == 0 {
		return nil, fmt.Errorf("oscal: embedded schema: no models in oneOf")
	}
	return m, nil
})

// Models returns the names of the OSCAL models the embedded schema defines
// (the root members of OSCAL documents), sorted.
func Models() []string {
	m, err := modelSchemas()
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(m))
	for name := range m {
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// Validate checks doc, any OSCAL 1.1.2 JSON document (catalog, profile,
// component-definition, system-security-plan, assessment-plan,
// assessment-results or plan-of-action-and-milestones), against the embedded
// NIST schema. The model is chosen by the document's root member. A document
// that does not conform gives a [*ValidationError] naming the JSON pointer
// of every offending value; JSON that does not parse gives another error.
func Validate(doc []byte) error {
	schemas, err := modelSchemas()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		return fmt.Errorf("oscal: validate: not JSON: %w", err)
	}
	obj, ok := inst.(map[string]any)
	if !ok {
		return &ValidationError{Problems: []Problem{{Pointer: "", Message: "an OSCAL document must be a JSON object"}}}
	}
	var found []string
	for k := range obj {
		if _, ok := schemas[k]; ok {
			found = append(found, k)
		}
	}
	slices.Sort(found)
	switch len(found) {
	case 0:
		return &ValidationError{Problems: []Problem{{Pointer: "", Message: "no OSCAL model member; want one of " + strings.Join(Models(), ", ")}}}
	case 1:
	default:
		return &ValidationError{Problems: []Problem{{Pointer: "", Message: "more than one OSCAL model member: " + strings.Join(found, ", ")}}}
	}
	model := found[0]
	err = schemas[model].Validate(inst)
	if err == nil {
		return nil
	}
	ve, ok := err.(*jsonschema.ValidationError)
	if !ok {
		return fmt.Errorf("oscal: validate %s: %w", model, err)
	}
	out := &ValidationError{Model: model}
	collect(ve, out)
	// The library visits an object's members in map order; sort, so the
	// same document always gives the same error.
	slices.SortStableFunc(out.Problems, func(a, b Problem) int { return strings.Compare(a.Pointer, b.Pointer) })
	return out
}

// collect appends the leaves of the library's error tree to out: the
// failed assertions themselves, not the allOf/anyOf/$ref nodes above them.
func collect(e *jsonschema.ValidationError, out *ValidationError) {
	if len(e.Causes) > 0 {
		for _, c := range e.Causes {
			collect(c, out)
		}
		return
	}
	ptr := pointer(e.InstanceLocation)
	msg := e.BasicOutput().Error.String()
	// An unknown member is the offending value itself: point at it.
	if ap, ok := e.ErrorKind.(*kind.AdditionalProperties); ok {
		for _, p := range ap.Properties {
			out.add(Problem{Pointer: ptr + pointer([]string{p}), Message: "property not allowed here"})
		}
		return
	}
	out.add(Problem{Pointer: ptr, Message: msg})
}

// ValidationError lists why a document does not conform to the OSCAL
// schema.
type ValidationError struct {
	// Model is the OSCAL model validated against ("catalog", ...); "" when
	// none could be chosen.
	Model string
	// Problems are sorted by pointer, without duplicates.
	Problems []Problem
}

// Problem is one schema violation.
type Problem struct {
	// Pointer is the JSON pointer (RFC 6901) of the offending value; ""
	// is the whole document.
	Pointer string
	// Message says what is wrong, in the validator's words.
	Message string
}

func (e *ValidationError) add(p Problem) {
	if !slices.Contains(e.Problems, p) {
		e.Problems = append(e.Problems, p)
	}
}

// maxListed bounds the problems Error spells out.
const maxListed = 10

func (e *ValidationError) Error() string {
	var sb strings.Builder
	sb.WriteString("oscal: ")
	if e.Model != "" {
		sb.WriteString(e.Model + " ")
	}
	sb.WriteString("does not conform to the OSCAL " + OSCALVersion + " schema")
	for i, p := range e.Problems {
		if i == maxListed {
			fmt.Fprintf(&sb, "; and %d more", len(e.Problems)-maxListed)
			break
		}
		ptr := mamori.Excerpt(p.Pointer) // member names come from the document
		if ptr == "" {
			ptr = "(document)"
		}
		fmt.Fprintf(&sb, "; %s: %s", ptr, mamori.Excerpt(p.Message)) // the validator may quote a value
	}
	return sb.String()
}
