package oscal

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// FuzzDecodeCatalog checks that DecodeCatalog never panics, that every
// error it returns is located, and that whatever it accepts encodes and
// decodes back to the same catalog.
func FuzzDecodeCatalog(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil {
		f.Fatal(err)
	}
	for _, name := range files {
		data, err := os.ReadFile(name)
		if err != nil {
			f.Fatal(err)
		}
		// Large seeds (the 61 KB NIST excerpt) make every execution and
		// every minimization slow enough to stall the fuzzer; the decoder
		// sees the same shapes in the small files.
		if len(data) > 16<<10 {
			continue
		}
		f.Add(data)
	}
	for _, s := range []string{
		minimalCatalog,
		`{"catalog": {"uuid": "u", "metadata": {"title": "t"}, "groups": [{"title": "g", "groups": [{"title": "h"}]}]}}`,
		`{"catalog": {"metadata": {"last-modified": "2026-11-22T00:00:00+09:00"}}}`,
		`{"catalog": {"controls": [{"id": "c", "controls": [{"id": "d", "contorls": []}]}]}}`,
		`{"$schema": "x", "catalog": {}}`,
		`{"catalog": {"back-matter": {"resources": [{"uuid": "u", "base64": {"value": "AA=="}}]}}}`,
		`{"catalog": {"controls": [{"params": [{"select": {"choice": ["a"]}}]}]}}`,
		`{"catalog": null}`, `[]`, `"catalog"`, `{`, ``, `{"catalog": {}} x`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		cat, err := DecodeCatalog(bytes.NewReader(data))
		if err != nil {
			de, ok := err.(*DecodeError)
			if !ok {
				t.Fatalf("DecodeCatalog error %T %v, want *DecodeError", err, err)
			}
			if de.Line < 1 || de.Column < 1 || de.Offset < 0 || de.Offset > int64(len(data)) {
				t.Fatalf("DecodeCatalog error position %d:%d (offset %d of %d): %v", de.Line, de.Column, de.Offset, len(data), err)
			}
			return
		}
		out, err := Marshal(&Document{Catalog: cat})
		if err != nil {
			t.Fatalf("Marshal(decoded) = %v", err)
		}
		back, err := DecodeCatalog(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("DecodeCatalog(Marshal(decoded)) = %v\n%s", err, out)
		}
		if diff := cmp.Diff(cat, back, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("round trip differs (-first +second):\n%s", diff)
		}
		_ = cat.AllControls()
	})
}
