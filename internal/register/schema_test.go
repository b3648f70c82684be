package register

import (
	"bytes"
	"flag"
	"os"
	"testing"
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
