package catalog

import (
	"encoding/json"
	"errors"
	"os"
	"strings"
	"testing"

	"mamori"
	"mamori/internal/oscal"
)

func TestBuiltin(t *testing.T) {
	cats, err := Builtin()
	if err != nil {
		t.Fatalf("Builtin() = %v", err)
	}
	want := map[string]int{"unified": 46, "lg": 16}
	for _, c := range cats {
		if got := len(c.Controls); got != want[c.ID] {
			t.Errorf("catalog %s has %d controls, want %d", c.ID, got, want[c.ID])
		}
		for _, ctl := range c.Controls {
			if ctl.Manual() || ctl.Title == "" || ctl.TitleEN == "" || ctl.Section == "" || ctl.Seed == "" {
				t.Errorf("%s %s: incomplete control %+v", c.ID, ctl.ID, ctl)
			}
			if ctl.ID != strings.ToUpper(ctl.OSCALID) {
				t.Errorf("%s: display ID %s, OSCAL ID %s", c.ID, ctl.ID, ctl.OSCALID)
			}
		}
		delete(want, c.ID)
	}
	if len(want) > 0 {
		t.Errorf("missing catalogs %v", want)
	}
}

// mutate loads the embedded baseline, applies f to its JSON tree and loads it again.
func mutate(t *testing.T, f func(ctl map[string]any)) error {
	t.Helper()
	data, err := BuiltinJSON("unified-baseline.json")
	if err != nil {
		t.Fatal(err)
	}
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	ctl := doc["catalog"].(map[string]any)["groups"].([]any)[0].(map[string]any)["controls"].([]any)[0].(map[string]any)
	f(ctl)
	out, _ := json.Marshal(doc)
	_, err = Load("bad.json", out)
	return err
}

func TestLoadErrors(t *testing.T) {
	setProp := func(name, value string) func(map[string]any) {
		return func(ctl map[string]any) {
			for _, p := range ctl["props"].([]any) {
				if p.(map[string]any)["name"] == name {
					p.(map[string]any)["value"] = value
				}
			}
		}
	}
	tests := []struct {
		name string
		f    func(map[string]any)
		want string
	}{
		{"target", setProp("target", "planet"), "control REG-01: unknown target"},
		{"severity", setProp("severity", "extreme"), "control REG-01: unknown severity"},
		{"unknown property", func(ctl map[string]any) {
			ctl["props"] = append(ctl["props"].([]any), map[string]any{"name": "colour", "ns": oscal.MamoriNamespace, "value": "red"})
		}, "column colour, value \"REG-01\": control REG-01: unknown property"},
		{"not OSCAL", func(ctl map[string]any) { delete(ctl, "title") }, "control REG-01: not a valid OSCAL catalog: /catalog/groups/0/controls/0"},
		{"sentence template", setProp("finding-en", "Seen in {{list \"sighting\" .seen_in"), "control REG-01: the sentence template does not parse"},
		{"schema field", func(ctl map[string]any) { ctl["props"].([]any)[0].(map[string]any)["value"] = " padded" }, "column value, value \"REG-01\": control REG-01: not a valid OSCAL catalog: /catalog/groups/0/controls/0/props/0/value"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := mutate(t, tt.f)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Load = %v, want an error containing %q", err, tt.want)
			}
			if !strings.Contains(err.Error(), "bad.json") {
				t.Errorf("Load = %v, want the catalog named", err)
			}
			if mamori.KindOf(firstErr(err)) != mamori.Invalid {
				t.Errorf("Load = %v, want kind Invalid", err)
			}
		})
	}
}

func firstErr(err error) error {
	var p mamori.Problems
	if errors.As(err, &p) && len(p) > 0 {
		return p[0]
	}
	return err
}

// TestManualImport: NIST's catalog has no mamori parts, so every control
// imports as a manual control.
func TestManualImport(t *testing.T) {
	data, err := os.ReadFile("../../../shared/data/oscal/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json")
	if err != nil {
		t.Skipf("NIST catalog not available: %v", err)
	}
	c, err := Load("nist-moderate.json", data)
	if err != nil {
		t.Fatalf("Load(NIST MODERATE) = %v", err)
	}
	if len(c.Controls) != 287 {
		t.Errorf("NIST MODERATE: %d controls, want 287", len(c.Controls))
	}
	for _, ctl := range c.Controls {
		if !ctl.Manual() {
			t.Fatalf("%s is not manual", ctl.ID)
		}
	}
}

func TestOverride(t *testing.T) {
	cats, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := cats[0]
	if err := c.Override("log-02", "days", "30"); err != nil {
		t.Fatalf("Override = %v", err)
	}
	for _, ctl := range c.Controls {
		if ctl.ID == "LOG-02" && ctl.Params["days"].Value != "30" {
			t.Errorf("LOG-02 days = %q, want 30", ctl.Params["days"].Value)
		}
	}
	for _, bad := range [][3]string{{"LOG-02", "days", "thirty"}, {"LOG-02", "weeks", "3"}, {"XXX-99", "days", "3"}} {
		if err := c.Override(bad[0], bad[1], bad[2]); err == nil {
			t.Errorf("Override(%q) = nil, want an error", bad)
		}
	}
}

func TestValidID(t *testing.T) {
	for id, want := range map[string]bool{"unified": true, "nist-moderate": true, "nist_800.53": true, "x1": true,
		"": false, "Nist": false, "-x": false, "a b": false, "a/b": false, strings.Repeat("a", 65): false} {
		if got := ValidID(id); got != want {
			t.Errorf("ValidID(%q) = %v, want %v", id, got, want)
		}
	}
}

func TestCountsSetIDSource(t *testing.T) {
	cats, err := Builtin()
	if err != nil {
		t.Fatal(err)
	}
	c := cats[0]
	if auto, manual := c.Counts(); auto != 46 || manual != 0 || !c.Embedded || c.Named != true {
		t.Errorf("Counts = %d, %d; Embedded %v, Named %v", auto, manual, c.Embedded, c.Named)
	}
	src, _ := BuiltinJSON("unified-baseline.json")
	if string(c.Source) != string(src) {
		t.Errorf("Source is not the embedded document")
	}
	c.SetID("other")
	if c.ID != "other" || c.Control("reg-01").Catalog != "other" {
		t.Errorf("SetID: catalog %s, control catalog %s", c.ID, c.Control("reg-01").Catalog)
	}
	if c.Control("nope-99") != nil {
		t.Errorf("Control(nope-99) != nil")
	}
}

// TestOverrideBool: a parameter whose default is a boolean takes only a boolean.
func TestOverrideBool(t *testing.T) {
	c := &Catalog{ID: "t", Controls: []*Control{{ID: "T-01", Params: map[string]Param{
		"strict": {ID: "strict", Default: "true", Value: "true"},
		"label":  {ID: "label", Default: "x", Value: "x"}}}}}
	if err := c.Override("t-01", "strict", "yes"); err == nil || !strings.Contains(err.Error(), "true or false") {
		t.Errorf("Override(strict, yes) = %v, want a type error", err)
	}
	if err := c.Override("t-01", "strict", "false"); err != nil {
		t.Errorf("Override(strict, false) = %v", err)
	}
	if err := c.Override("t-01", "label", "anything"); err != nil {
		t.Errorf("Override(label) = %v", err)
	}
}
