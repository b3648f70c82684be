package oscal

import (
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// minimalCatalog is a valid catalog to break in one place per test.
const minimalCatalog = `{
  "catalog": {
    "uuid": "2f28ef3f-d886-565c-abb5-49d0a826eeb4",
    "metadata": {"title": "t", "last-modified": "2026-11-22T09:00:00+09:00", "version": "1", "oscal-version": "1.1.2"},
    "controls": [{"id": "c-1", "title": "c", "props": [{"name": "check", "ns": "urn:mamori:oscal", "value": "true"}]}]
  }
}`

func TestValidate(t *testing.T) {
	tests := []struct {
		name string
		old  string // replaced in minimalCatalog by new; "" = minimalCatalog as is
		new  string
		doc  string // used instead of minimalCatalog when set
		want []Problem
	}{
		{name: "valid"},
		{
			name: "bad uuid",
			old:  `"uuid": "2f28ef3f-d886-565c-abb5-49d0a826eeb4"`, new: `"uuid": "not-a-uuid"`,
			want: []Problem{{Pointer: "/catalog/uuid"}},
		},
		{
			name: "uuid version 1",
			old:  `2f28ef3f-d886-565c`, new: `2f28ef3f-d886-165c`,
			want: []Problem{{Pointer: "/catalog/uuid"}},
		},
		{
			name: "missing required title",
			old:  `"title": "t", `, new: ``,
			want: []Problem{{Pointer: "/catalog/metadata", Message: "title"}},
		},
		{
			name: "property not in the model",
			old:  `"version": "1"`, new: `"version": "1", "colour": "red"`,
			want: []Problem{{Pointer: "/catalog/metadata/colour", Message: "not allowed"}},
		},
		{
			name: "empty array",
			old:  `"controls": [{"id": "c-1", "title": "c", "props": [{"name": "check", "ns": "urn:mamori:oscal", "value": "true"}]}]`, new: `"controls": []`,
			want: []Problem{{Pointer: "/catalog/controls"}},
		},
		{
			name: "ns not a URI",
			old:  `"ns": "urn:mamori:oscal"`, new: `"ns": "mamori"`,
			want: []Problem{{Pointer: "/catalog/controls/0/props/0/ns"}},
		},
		{
			name: "ns an https URL",
			old:  `"ns": "urn:mamori:oscal"`, new: `"ns": "https://mamori.example/ns/oscal"`,
		},
		{
			name: "property value with a line break",
			old:  `"value": "true"`, new: `"value": "a\nb"`,
			want: []Problem{{Pointer: "/catalog/controls/0/props/0/value"}},
		},
		{
			name: "property value with trailing space",
			old:  `"value": "true"`, new: `"value": "true "`,
			want: []Problem{{Pointer: "/catalog/controls/0/props/0/value"}},
		},
		{
			name: "control id not a token",
			old:  `"id": "c-1"`, new: `"id": "1 c"`,
			want: []Problem{{Pointer: "/catalog/controls/0/id"}},
		},
		{
			name: "Japanese token",
			old:  `"id": "c-1"`, new: `"id": "統一基準-2.1"`,
		},
		{
			name: "date without zone",
			old:  `2026-11-22T09:00:00+09:00`, new: `2026-11-22T09:00:00`,
			want: []Problem{{Pointer: "/catalog/metadata/last-modified"}},
		},
		{
			name: "two problems",
			old:  `"uuid": "2f28ef3f-d886-565c-abb5-49d0a826eeb4"`, new: `"uuid": "x", "extra": 1`,
			want: []Problem{{Pointer: "/catalog/extra"}, {Pointer: "/catalog/uuid"}},
		},
		{
			name: "pointer escaping",
			old:  `"version": "1"`, new: `"version": "1", "a/b~c": 1`,
			want: []Problem{{Pointer: "/catalog/metadata/a~1b~0c"}},
		},
		{
			name: "not an object",
			doc:  `[1, 2]`,
			want: []Problem{{Pointer: "", Message: "must be a JSON object"}},
		},
		{
			name: "no model",
			doc:  `{"catalogue": {}}`,
			want: []Problem{{Pointer: "", Message: "no OSCAL model"}},
		},
		{
			name: "two models",
			doc:  `{"catalog": {}, "profile": {}}`,
			want: []Problem{{Pointer: "", Message: "more than one"}},
		},
		{
			name: "profile",
			doc:  `{"profile": {"uuid": "2f28ef3f-d886-565c-abb5-49d0a826eeb4", "metadata": {"title": "t", "last-modified": "2026-11-22T09:00:00Z", "version": "1", "oscal-version": "1.1.2"}}}`,
			want: []Problem{{Pointer: "/profile", Message: "imports"}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			doc := tt.doc
			if doc == "" {
				doc = minimalCatalog
				if tt.old != "" {
					if !strings.Contains(doc, tt.old) {
						t.Fatalf("test bug: %q not in minimalCatalog", tt.old)
					}
					doc = strings.Replace(doc, tt.old, tt.new, 1)
				}
			}
			err := Validate([]byte(doc))
			t.Log(err)
			if tt.want == nil {
				if err != nil {
					t.Fatalf("Validate = %v, want nil", err)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) {
				t.Fatalf("Validate = %T %v, want *ValidationError", err, err)
			}
			var gotPtrs, wantPtrs []string
			for _, p := range ve.Problems {
				gotPtrs = append(gotPtrs, p.Pointer)
			}
			for _, p := range tt.want {
				wantPtrs = append(wantPtrs, p.Pointer)
			}
			if diff := cmp.Diff(wantPtrs, gotPtrs); diff != "" {
				t.Errorf("Validate problem pointers (-want +got):\n%s\nerror: %v", diff, err)
			}
			for i, p := range tt.want {
				if i < len(ve.Problems) && !strings.Contains(ve.Problems[i].Message, p.Message) {
					t.Errorf("problem %d = %q, want it to contain %q", i, ve.Problems[i].Message, p.Message)
				}
				if p.Pointer != "" && !strings.Contains(err.Error(), p.Pointer+": ") {
					t.Errorf("error = %q, want it to name %q", err, p.Pointer)
				}
			}
		})
	}
}

func TestValidateNotJSON(t *testing.T) {
	err := Validate([]byte(`{"catalog": `))
	var ve *ValidationError
	if err == nil || errors.As(err, &ve) {
		t.Fatalf("Validate(truncated JSON) = %v, want a non-ValidationError error", err)
	}
}

// TestValidationErrorMessage checks the summary stays readable with many
// problems.
func TestValidationErrorMessage(t *testing.T) {
	e := &ValidationError{Model: "catalog"}
	for i := range 12 {
		e.add(Problem{Pointer: "/catalog/x" + string(rune('a'+i)), Message: "bad"})
	}
	e.add(Problem{Pointer: "/catalog/xa", Message: "bad"}) // duplicate, dropped
	got := e.Error()
	want := "oscal: catalog does not conform to the OSCAL 1.1.2 schema; /catalog/xa: bad; /catalog/xb: bad; " +
		"/catalog/xc: bad; /catalog/xd: bad; /catalog/xe: bad; /catalog/xf: bad; /catalog/xg: bad; /catalog/xh: bad; " +
		"/catalog/xi: bad; /catalog/xj: bad; and 2 more"
	if got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}

func TestModels(t *testing.T) {
	want := []string{"assessment-plan", "assessment-results", "catalog", "component-definition",
		"plan-of-action-and-milestones", "profile", "system-security-plan"}
	if diff := cmp.Diff(want, Models()); diff != "" {
		t.Errorf("Models() (-want +got):\n%s", diff)
	}
}

// TestSchemaPatterns documents the claim in modelSchemas' comment: every
// pattern of the embedded schema compiles in Go's RE2, so the library's
// default engine is used unchanged.
func TestSchemaPatterns(t *testing.T) {
	var doc any
	if err := json.Unmarshal(completeSchema, &doc); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	var walk func(any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				if s, ok := x.(string); ok && k == "pattern" {
					seen[s] = true
				}
				walk(x)
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(doc)
	if len(seen) != 8 {
		t.Errorf("distinct patterns = %d, want 8 (update the comment on modelSchemas)", len(seen))
	}
	for p := range seen {
		if _, err := regexp.Compile(p); err != nil {
			t.Errorf("regexp.Compile(%q) = %v", p, err)
		}
	}
	if len(completeSchema) != 255640 {
		t.Errorf("embedded schema is %d bytes, want 255640 (see schema/SOURCES.md)", len(completeSchema))
	}
}

func BenchmarkValidateMODERATE(b *testing.B) {
	data, err := readSharedB("NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json")
	if err != nil {
		b.Skip(err)
	}
	if _, err := modelSchemas(); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if err := Validate(data); err != nil {
			b.Fatal(err)
		}
	}
}

// TestValidateConcurrent runs Validate from several goroutines, including
// the first, compiling call (run with -race).
func TestValidateConcurrent(t *testing.T) {
	bad := strings.Replace(minimalCatalog, `"id": "c-1"`, `"id": "1 c"`, 1)
	errs := make(chan error, 16)
	for i := range 16 {
		go func() {
			doc, wantErr := minimalCatalog, false
			if i%2 == 1 {
				doc, wantErr = bad, true
			}
			err := Validate([]byte(doc))
			if (err != nil) != wantErr {
				errs <- fmt.Errorf("goroutine %d: Validate = %v", i, err)
				return
			}
			errs <- nil
		}()
	}
	for range 16 {
		if err := <-errs; err != nil {
			t.Error(err)
		}
	}
}
