package sbom

import (
	"strings"
	"testing"
)

// TestHugeValueShortError: an error or problem quotes at most the start of
// a value from the SBOM (issue 12, item 7).
func TestHugeValueShortError(t *testing.T) {
	huge := strings.Repeat("長", 400_000)
	for _, doc := range []string{
		`{"bomFormat":"CycloneDX","specVersion":"1.5","components":[{"bom-ref":"` + huge + `","name":"a","version":"1","purl":"pkg:npm/` + huge + `%zz@1"}]}`,
		`{"bomFormat":"CycloneDX","specVersion":"` + huge + `"}`,
		`{"bomFormat":"` + huge + `"}`,
		`{"spdxVersion":"` + huge + `"}`,
	} {
		_, probs, err := Decode(strings.NewReader(doc), "x.json")
		n := 0
		if err != nil {
			n += len(err.Error())
		}
		for _, p := range probs {
			n += len(p.Error())
		}
		if (err == nil && len(probs) == 0) || n > 4<<10 {
			t.Errorf("Decode(%.60s…) = %d problems, error %v: %d bytes of text, want some under 4 KiB", doc, len(probs), err != nil, n)
		}
	}
}
