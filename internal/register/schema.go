package register

import (
	"encoding/json"
	"fmt"

	"mamori"
)

// JSONSchema returns the JSON Schema (draft 2020-12) of the register bundle
// in its canonical form, the form Export writes: enum codes, ISO dates,
// numbers for numbers. The importer is more lenient in form (it also takes
// Japanese labels, era dates and numbers written as strings) and stricter in
// substance: it also checks that dates exist and that references resolve.
// The copy shipped in
// docs/register.schema.json is checked against this function by the tests.
func JSONSchema() []byte {
	entities := map[string]any{}
	order := []string{}
	for _, e := range mamori.Entities {
		props := map[string]any{}
		var required []string
		for _, f := range e.Fields {
			p := map[string]any{"title": f.JA, "description": f.EN}
			switch f.Type {
			case mamori.Text:
				p["type"] = "string"
				p["maxLength"] = MaxTextLength
				if f.Mandatory() {
					p["minLength"] = 1
				}
			case mamori.Code:
				p["type"] = "string"
				p["pattern"] = `^[^\s]+$`
				p["maxLength"] = MaxTextLength
			case mamori.Enum:
				var codes []string
				for _, v := range f.Enum {
					codes = append(codes, v.Code)
				}
				p["enum"] = codes
			case mamori.Date:
				p["type"] = "string"
				p["pattern"] = `^[0-9]{4}-[0-9]{2}-[0-9]{2}$`
				p["format"] = "date"
			case mamori.Bool:
				p["type"] = "boolean"
			case mamori.FiscalYear:
				p["type"] = "integer"
				p["minimum"] = 1900
				p["maximum"] = 2200
			case mamori.Money:
				p["type"] = "integer"
				p["minimum"] = 0
			case mamori.Integer:
				p["type"] = "integer"
				p["minimum"] = f.Min
				if f.Max > 0 {
					p["maximum"] = f.Max
				}
			}
			if f.Ref != "" {
				p["description"] = fmt.Sprintf("%s (code of a record in %s)", f.EN, f.Ref)
			}
			if !f.Mandatory() {
				// An optional field left out keeps the stored value; null
				// clears it.
				if t, ok := p["type"].(string); ok {
					p["type"] = []string{t, "null"}
				}
				if codes, ok := p["enum"].([]string); ok {
					vs := make([]any, 0, len(codes)+1)
					for _, c := range codes {
						vs = append(vs, c)
					}
					p["enum"] = append(vs, nil)
				}
			}
			props[f.Column] = p
			if f.Mandatory() {
				required = append(required, f.Column)
			}
		}
		obj := map[string]any{"type": "object", "additionalProperties": false, "properties": props}
		if len(required) > 0 {
			obj["required"] = required
		}
		entities[e.Name] = map[string]any{"title": e.JA, "description": e.EN, "type": "array", "items": obj}
		order = append(order, e.Name)
	}
	entities["format"] = map[string]any{"const": BundleFormat}
	entities["version"] = map[string]any{"const": BundleVersion}
	entities["$schema"] = map[string]any{"type": "string"}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "urn:mamori:register-bundle:1",
		"title":                "mamori register bundle",
		"description":          "The register of information systems and everything attached to them, as mamori imports and exports it. Each entity is an array of records keyed by column name; absent values are omitted. Entities, in load order: " + fmt.Sprint(order),
		"type":                 "object",
		"required":             []string{"format", "version"},
		"additionalProperties": false,
		"properties":           entities,
	}
	out, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		panic(err) // only maps, strings and numbers: cannot fail
	}
	return append(out, '\n')
}
