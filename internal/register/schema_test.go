package register

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

var update = flag.Bool("update", false, "rewrite golden files and the shipped JSON Schema")

const shippedSchema = "../../docs/register.schema.json"

// TestShippedSchemaIsCurrent keeps the schema in docs/ in step with the
// register; run with -update after changing an entity.
func TestShippedSchemaIsCurrent(t *testing.T) {
	want := JSONSchema()
	if *update {
		if err := os.WriteFile(shippedSchema, want, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(shippedSchema)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s is out of date: run go test ./internal/register -run TestShippedSchemaIsCurrent -update", shippedSchema)
	}
}

// TestSchemaNullClears: the schema allows null for an optional field, which
// the import reads as "clear the stored value", and refuses it for a
// required one.
func TestSchemaNullClears(t *testing.T) {
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(JSONSchema()))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("register.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	sch, err := c.Compile("register.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	for in, valid := range map[string]bool{
		`{"format":"mamori-register","version":1,"organizations":[{"code":"M01","kind":"ministry","name":"総務省","name_en":null,"csirt_documented":null,"parent_code":null}]}`: true,
		`{"format":"mamori-register","version":1,"organizations":[{"code":"M01","kind":"ministry","name":null}]}`:                                                            false,
		`{"format":"mamori-register","version":1,"organizations":[{"code":"M01","kind":null,"name":"総務省"}]}`:                                                                 false,
	} {
		v, err := jsonschema.UnmarshalJSON(strings.NewReader(in))
		if err != nil {
			t.Fatal(err)
		}
		if err := sch.Validate(v); (err == nil) != valid {
			t.Errorf("Validate(%s) = %v, want valid %v", in, err, valid)
		}
	}
}
