package oscal

import (
	"fmt"
	"strings"
	"testing"
)

// TestHugeValueShortError: a decoding error quotes at most the start of a
// value (issue 12, item 7).
func TestHugeValueShortError(t *testing.T) {
	huge := strings.Repeat("長", 400_000)
	for _, doc := range []string{
		`{"catalog":{"` + huge + `":1}}`,
		`{"catalog":{"uuid":"74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724","metadata":{"title":"t","last-modified":"` + huge + `","version":"1","oscal-version":"1.1.2"}}}`,
	} {
		_, err := DecodeCatalog(strings.NewReader(doc))
		if err == nil {
			err = Validate([]byte(doc))
		}
		if err == nil {
			t.Errorf("DecodeCatalog(%.40s…) = nil error", doc)
		} else if len(err.Error()) > 4<<10 {
			t.Errorf("DecodeCatalog(%.40s…): error of %d bytes, want one under 4 KiB", doc, len(err.Error()))
		}
	}
	doc := `{"catalog":{"uuid":"` + huge + `","metadata":{"title":"t","last-modified":"2024-01-01T00:00:00Z","version":"1","oscal-version":"1.1.2"}}}`
	if err := Validate([]byte(doc)); err == nil || len(err.Error()) > 4<<10 {
		t.Errorf("Validate(a huge uuid) = %d bytes of error, want some under 4 KiB", len(fmt.Sprint(err)))
	}
}
