// Package oscal holds the OSCAL 1.1.2 document types mamori reads and writes
// (catalog, assessment-results, plan-of-action-and-milestones), their JSON
// codec, and validation against NIST's OSCAL 1.1.2 complete JSON Schema,
// which is embedded. That is its one job. It imports the standard library,
// github.com/santhosh-tekuri/jsonschema/v6 and the root package mamori (for
// Excerpt, which bounds the values its errors quote) only, and must never
// import another mamori package: catalogs, checks and exports build on it,
// not the other way round.
//
// # Types
//
// The structs follow the OSCAL 1.1.2 JSON model: every JSON name is the
// kebab-case name of the schema, optional members carry omitempty (omitzero
// for timestamps), and members the schema requires are always written. The
// catalog model is complete, so that any valid OSCAL catalog decodes without
// loss; the assessment-results and POA&M models cover what mamori exports.
// Timestamps are time.Time, written in RFC 3339 with their offset; the
// schema's date-time pattern accepts only years 1900 to 2999 and the UTC
// offsets real time zones use (Z, +09:00, ...), so a zero time.Time in a
// required timestamp fails validation rather than passing unnoticed.
//
// # Strict decoding
//
// [DecodeCatalog] rejects members the model does not know, duplicated
// members, nulls and values of the wrong JSON type, and reports the line,
// column and JSON pointer of the offending member (a [*DecodeError]), so a
// typo in a hand-written catalog is an error rather than a silently ignored
// field. Unlike encoding/json, member names match exactly: "Title" is not
// "title".
//
// # Schema validation
//
// [Validate] checks any OSCAL JSON document against the embedded schema
// (schema/oscal_complete_schema-1.1.2.json, 255,640 bytes, public-domain NIST
// work; see schema/SOURCES.md). The schema is compiled once, on first use.
// Its 8 distinct regular expressions are all accepted by Go's RE2 engine (the
// library's default), so neither the schema nor the engine is changed; see
// [Validate] for the small semantic differences from XML Schema regexes.
// Failures are a [*ValidationError] whose problems name JSON pointers.
//
// The schema checks structure and datatypes only. OSCAL's Metaschema
// constraints (allowed property names in NIST's namespace, uniqueness of IDs,
// cross references) are not in the JSON Schema and are not checked here.
package oscal
