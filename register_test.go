package mamori_test

import (
	"slices"
	"testing"
	"unicode/utf8"

	"mamori"
)

// TestEntitiesAreConsistent guards the register definition that the schema,
// importers, exporters and the demo all read.
func TestEntitiesAreConsistent(t *testing.T) {
	seen := map[string]int{}
	sheets := map[string]bool{}
	for i, e := range mamori.Entities {
		if _, dup := seen[e.Name]; dup {
			t.Errorf("entity %s defined twice", e.Name)
		}
		seen[e.Name] = i
		if utf8.RuneCountInString(e.JA) > 31 || sheets[e.JA] {
			t.Errorf("%s: sheet name %q too long or not unique (Excel allows 31 characters)", e.Name, e.JA)
		}
		sheets[e.JA] = true
		if len(e.KeyFields()) == 0 {
			t.Errorf("%s has no natural key", e.Name)
		}
		cols, ja, en := map[string]bool{}, map[string]bool{}, map[string]bool{}
		for _, f := range e.Fields {
			if cols[f.Column] || ja[f.JA] || en[f.EN] {
				t.Errorf("%s.%s: column, Japanese or English header repeated", e.Name, f.Column)
			}
			cols[f.Column], ja[f.JA], en[f.EN] = true, true, true
			if f.Type == mamori.Enum {
				var codes []string
				for _, v := range f.Enum {
					codes = append(codes, v.Code)
				}
				slices.Sort(codes)
				if len(slices.Compact(codes)) != len(f.Enum) || len(f.Enum) == 0 {
					t.Errorf("%s.%s: enum codes empty or repeated", e.Name, f.Column)
				}
			}
			if f.Ref == "" {
				continue
			}
			target := mamori.EntityByName(f.Ref)
			switch {
			case target == nil:
				t.Errorf("%s.%s refers to unknown entity %s", e.Name, f.Column, f.Ref)
			case len(target.KeyFields()) != 1 || target.KeyFields()[0].Column != "code":
				t.Errorf("%s.%s refers to %s, whose key is not a single code", e.Name, f.Column, f.Ref)
			case f.Ref != e.Name && seen[f.Ref] >= i:
				t.Errorf("%s is listed before %s, which it refers to", e.Name, f.Ref)
			}
		}
	}
}

func TestFieldMandatory(t *testing.T) {
	e := mamori.EntityByName("image_software")
	for col, want := range map[string]bool{"image_code": true, "vendor": false, "product": true, "cpe": false} {
		if got := e.Field(col).Mandatory(); got != want {
			t.Errorf("image_software.%s Mandatory() = %v, want %v", col, got, want)
		}
	}
}
