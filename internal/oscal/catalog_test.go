package oscal

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// sharedOSCAL is NIST's published OSCAL content, outside the module; tests
// that need it skip when it is absent.
const sharedOSCAL = "../../../shared/data/oscal"

func readShared(t *testing.T, name string) []byte {
	t.Helper()
	data, err := readSharedB(name)
	if errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not present: %v", name, err)
	}
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func readSharedB(name string) ([]byte, error) {
	return os.ReadFile(filepath.Join(sharedOSCAL, name))
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// asJSON decodes data into generic values, to compare documents by content.
func asJSON(t *testing.T, data []byte) any {
	t.Helper()
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		t.Fatal(err)
	}
	return v
}

// TestNISTCatalogs reads NIST's resolved SP 800-53 baselines as NIST
// publishes them, checks what was read, and checks that re-encoding loses
// nothing and still validates.
func TestNISTCatalogs(t *testing.T) {
	tests := []struct {
		name     string
		file     string
		shared   bool
		groups   int
		controls int
		ac2Enh   []string
	}{
		{
			name: "MODERATE", file: "NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json", shared: true,
			groups: 18, controls: 287,
			ac2Enh: []string{"ac-2.1", "ac-2.2", "ac-2.3", "ac-2.4", "ac-2.5", "ac-2.13"},
		},
		{
			name: "LOW", file: "NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json", shared: true,
			groups: 18, controls: 149,
			ac2Enh: nil,
		},
		{
			name: "excerpt", file: "nist-800-53-moderate-ac-2-excerpt.json",
			groups: 1, controls: 2,
			ac2Enh: []string{"ac-2.1"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data []byte
			if tt.shared {
				data = readShared(t, tt.file)
			} else {
				data = readTestdata(t, tt.file)
			}
			cat, err := DecodeCatalog(bytes.NewReader(data))
			if err != nil {
				t.Fatalf("DecodeCatalog(%s) = %v", tt.file, err)
			}
			if got := cat.Metadata.OSCALVersion; got != OSCALVersion {
				t.Errorf("oscal-version = %q, want %q", got, OSCALVersion)
			}
			if got := len(cat.Groups); got != tt.groups {
				t.Errorf("len(groups) = %d, want %d", got, tt.groups)
			}
			all := cat.AllControls()
			if len(all) != tt.controls {
				t.Errorf("len(AllControls()) = %d, want %d", len(all), tt.controls)
			}

			ac2 := cat.ControlByID("ac-2")
			if ac2 == nil {
				t.Fatal(`ControlByID("ac-2") = nil`)
			}
			if ac2.Title != "Account Management" {
				t.Errorf("ac-2 title = %q, want %q", ac2.Title, "Account Management")
			}
			if got, ok := ac2.Prop("", "label"); got != "AC-02" || !ok {
				t.Errorf(`ac-2 Prop("", "label") = %q, %v, want "AC-02", true`, got, ok)
			}
			if got, ok := ac2.Prop(OSCALNamespace, "sort-id"); got != "ac-02" || !ok {
				t.Errorf(`ac-2 Prop(OSCALNamespace, "sort-id") = %q, %v, want "ac-02", true`, got, ok)
			}
			if len(ac2.Params) != 10 {
				t.Errorf("len(ac-2 params) = %d, want 10", len(ac2.Params))
			}
			p := ac2.Param("ac-02_odp.01")
			if p == nil {
				t.Fatal(`ac-2 Param("ac-02_odp.01") = nil`)
			}
			if p.Label != "prerequisites and criteria" {
				t.Errorf("ac-02_odp.01 label = %q", p.Label)
			}
			if got, _ := p.Prop("", "alt-identifier"); got != "ac-2_prm_1" {
				t.Errorf(`ac-02_odp.01 Prop("", "alt-identifier") = %q, want "ac-2_prm_1"`, got)
			}
			var enh []string
			for _, c := range ac2.Controls {
				enh = append(enh, c.ID)
			}
			if diff := cmp.Diff(tt.ac2Enh, enh); diff != "" {
				t.Errorf("ac-2 enhancements (-want +got):\n%s", diff)
			}
			// Depth first: ac-2's enhancements follow it directly.
			for i, c := range all {
				if c.ID == "ac-2" && len(tt.ac2Enh) > 0 && all[i+1].ID != tt.ac2Enh[0] {
					t.Errorf("AllControls: after ac-2 comes %s, want %s", all[i+1].ID, tt.ac2Enh[0])
				}
			}

			if err := Validate(data); err != nil {
				t.Fatalf("Validate(NIST %s) = %v", tt.name, err)
			}
			out, err := Marshal(&Document{Catalog: cat})
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(asJSON(t, data), asJSON(t, out)); diff != "" {
				t.Errorf("re-encoded catalog differs from NIST's (-nist +ours):\n%s", diff)
			}
			if err := Validate(out); err != nil {
				t.Errorf("Validate(re-encoded) = %v", err)
			}
		})
	}
}

func TestMamoriCatalog(t *testing.T) {
	data := readTestdata(t, "mamori-catalog.json")
	if err := Validate(data); err != nil {
		t.Fatalf("Validate(mamori-catalog.json) = %v", err)
	}
	cat, err := DecodeCatalog(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range cat.AllControls() {
		ids = append(ids, c.ID)
	}
	if diff := cmp.Diff([]string{"reg-01", "reg-01.1", "reg-02"}, ids); diff != "" {
		t.Errorf("AllControls() IDs (-want +got):\n%s", diff)
	}
	reg1 := cat.ControlByID("reg-01")
	props := []struct {
		ns, name string
		want     string
		ok       bool
	}{
		{MamoriNamespace, "check", "system.register_age_days <= params.max_days", true},
		{MamoriNamespace, "target-type", "system", true},
		{MamoriNamespace, "standard-section", "統一基準 2.1.1(1)", true},
		{"", "label", "REG-01", true},
		{OSCALNamespace, "label", "REG-01", true},
		{"", "check", "", false},              // in mamori's namespace, not OSCAL's
		{MamoriNamespace, "label", "", false}, // in OSCAL's namespace, not mamori's
	}
	for _, p := range props {
		got, ok := reg1.Prop(p.ns, p.name)
		if got != p.want || ok != p.ok {
			t.Errorf("Prop(%q, %q) = %q, %v, want %q, %v", p.ns, p.name, got, ok, p.want, p.ok)
		}
	}
	if diff := cmp.Diff([]string{"seed-01", "seed-07"}, reg1.PropValues(MamoriNamespace, "seed")); diff != "" {
		t.Errorf("PropValues(seed) (-want +got):\n%s", diff)
	}
	if got := reg1.PropValues(MamoriNamespace, "absent"); got != nil {
		t.Errorf("PropValues(absent) = %q, want nil", got)
	}
	if got := reg1.Param("reg-01_max-days").Values; !cmp.Equal(got, []string{"365"}) {
		t.Errorf("reg-01_max-days values = %q", got)
	}
	if got := cat.ControlByID("nope"); got != nil {
		t.Errorf(`ControlByID("nope") = %v, want nil`, got)
	}

	// Encoding: two-space indentation, a trailing newline, & < > kept.
	out, err := Marshal(&Document{Catalog: cat})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(out, []byte("{\n  \"catalog\": {\n    \"uuid\"")) || !bytes.HasSuffix(out, []byte("}\n")) || bytes.HasSuffix(out, []byte("\n\n")) {
		t.Errorf("Marshal: want 2-space indentation and one trailing newline, got:\n%.80s ... %q", out, out[len(out)-10:])
	}
	if !bytes.Contains(out, []byte("<= params.max_days")) {
		t.Errorf("Marshal escaped < in a property value")
	}
	if diff := cmp.Diff(asJSON(t, data), asJSON(t, out)); diff != "" {
		t.Errorf("re-encoded catalog differs (-file +ours):\n%s", diff)
	}
}

// TestAllControlsOrder covers catalog-level controls and nested groups.
func TestAllControlsOrder(t *testing.T) {
	cat := &Catalog{
		Controls: []Control{{ID: "top", Controls: []Control{{ID: "top.1", Controls: []Control{{ID: "top.1.a"}}}}}},
		Groups: []Group{
			{Controls: []Control{{ID: "g1-c1"}}, Groups: []Group{{Controls: []Control{{ID: "g1.1-c1"}}}}},
			{Controls: []Control{{ID: "g2-c1", Controls: []Control{{ID: "g2-c1.1"}}}, {ID: "g2-c2"}}},
		},
	}
	var ids []string
	for _, c := range cat.AllControls() {
		ids = append(ids, c.ID)
	}
	want := []string{"top", "top.1", "top.1.a", "g1-c1", "g1.1-c1", "g2-c1", "g2-c1.1", "g2-c2"}
	if diff := cmp.Diff(want, ids); diff != "" {
		t.Errorf("AllControls() (-want +got):\n%s", diff)
	}
	// The pointers point into the catalog.
	cat.AllControls()[2].Title = "changed"
	if got := cat.Controls[0].Controls[0].Controls[0].Title; got != "changed" {
		t.Errorf("AllControls() returned copies: title = %q", got)
	}
	if got := (&Catalog{}).AllControls(); len(got) != 0 {
		t.Errorf("empty catalog: AllControls() = %v", got)
	}
}

// TestDecodeCatalogErrors checks that strict decoding names what is wrong
// and where.
func TestDecodeCatalogErrors(t *testing.T) {
	const head = `{"catalog": {"uuid": "2f28ef3f-d886-565c-abb5-49d0a826eeb4",
  "metadata": {"title": "t", "last-modified": "2026-11-22T00:00:00Z", "version": "1", "oscal-version": "1.1.2"},
`
	tests := []struct {
		name    string
		in      string
		pointer string
		line    int
		column  int
		msg     string
	}{
		{
			name:    "unknown field in control",
			in:      head + `  "groups": [{"title": "g", "controls": [{"id": "c1", "title": "c", "contorls": []}]}]}}`,
			pointer: "/catalog/groups/0/controls/0/contorls", line: 3, column: 69,
			msg: `unknown field "contorls"`,
		},
		{
			name:    "field name differs in case",
			in:      head + `  "groups": [{"Title": "g"}]}}`,
			pointer: "/catalog/groups/0/Title", line: 3, column: 15,
			msg: `unknown field "Title"`,
		},
		{
			name:    "unknown field in metadata",
			in:      strings.Replace(head, `"version": "1"`, `"verison": "1"`, 1) + `  "controls": [{"id": "c", "title": "c"}]}}`,
			pointer: "/catalog/metadata/verison", line: 2,
			msg: `unknown field "verison"`,
		},
		{
			name:    "unknown field in property",
			in:      head + `  "controls": [{"id": "c", "title": "c", "props": [{"name": "n", "value": "v", "namespace": "x"}]}]}}`,
			pointer: "/catalog/controls/0/props/0/namespace", line: 3,
			msg: `unknown field "namespace"`,
		},
		{
			name:    "duplicate field",
			in:      head + `  "controls": [{"id": "c", "title": "c", "id": "d"}]}}`,
			pointer: "/catalog/controls/0/id", line: 3, column: 42,
			msg: `duplicate field "id"`,
		},
		{
			name:    "null",
			in:      head + `  "controls": [{"id": "c", "title": null}]}}`,
			pointer: "/catalog/controls/0/title", line: 3, column: 37,
			msg: "null is not allowed",
		},
		{
			name:    "object for array",
			in:      head + `  "controls": {"id": "c", "title": "c"}}}`,
			pointer: "/catalog/controls", line: 3, column: 15,
			msg: "want an array, found an object",
		},
		{
			name:    "number for string",
			in:      head + `  "controls": [{"id": 7, "title": "c"}]}}`,
			pointer: "/catalog/controls/0/id", line: 3, column: 23,
			msg: "want a string, found a number",
		},
		{
			name:    "bad date-time",
			in:      strings.Replace(head, "2026-11-22T00:00:00Z", "2026-11-22", 1) + `  "controls": [{"id": "c", "title": "c"}]}}`,
			pointer: "/catalog/metadata/last-modified", line: 2,
			msg: `"2026-11-22" is not an RFC 3339 date-time`,
		},
		{
			name:    "syntax error",
			in:      head + `  "controls": [{"id": "c", "title": "c",}]}}`,
			pointer: "/catalog/controls/0", line: 3, column: 41, // the enclosing value
			msg: "invalid character '}'",
		},
		{
			name:    "truncated",
			in:      head + `  "controls": [{"id": "c"`,
			pointer: "/catalog/controls/0", line: 3, column: 26,
			msg: "unexpected end of input",
		},
		{
			name: "trailing data",
			in:   head + `  "controls": [{"id": "c", "title": "c"}]}} {}`,
			line: 3, column: 45,
			msg: "unexpected data after the document",
		},
		{
			name:    "not a catalog",
			in:      `{"profile": {}}`,
			pointer: "/profile", line: 1, column: 2,
			msg: `unknown field "profile"`,
		},
		{
			name: "no catalog member",
			in:   `{"$schema": "x"}`,
			line: 1, column: 1,
			msg: `no "catalog" member`,
		},
		{
			name: "empty input",
			in:   ``,
			line: 1, column: 1,
			msg: "unexpected end of input",
		},
		{
			name:    "position counts characters",
			in:      `{"catalog": {"metadata": {"title": "統一基準", "x": 1}}}`,
			pointer: "/catalog/metadata/x", line: 1, column: 44,
			msg: `unknown field "x"`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cat, err := DecodeCatalog(strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("DecodeCatalog = %+v, nil, want error", cat)
			}
			var de *DecodeError
			if !errors.As(err, &de) {
				t.Fatalf("DecodeCatalog error = %T %v, want *DecodeError", err, err)
			}
			if de.Pointer != tt.pointer {
				t.Errorf("Pointer = %q, want %q (%v)", de.Pointer, tt.pointer, err)
			}
			if de.Line != tt.line || (tt.column != 0 && de.Column != tt.column) {
				t.Errorf("position = %d:%d, want %d:%d (%v)", de.Line, de.Column, tt.line, tt.column, err)
			}
			if !strings.Contains(err.Error(), tt.msg) {
				t.Errorf("error = %q, want it to contain %q", err, tt.msg)
			}
			if tt.pointer != "" && !strings.Contains(err.Error(), tt.pointer) {
				t.Errorf("error = %q, want it to name %q", err, tt.pointer)
			}
		})
	}
}

func BenchmarkDecodeCatalogMODERATE(b *testing.B) {
	data, err := readSharedB("NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json")
	if err != nil {
		b.Skip(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if _, err := DecodeCatalog(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
