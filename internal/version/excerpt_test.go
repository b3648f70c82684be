package version

import (
	"strings"
	"testing"
)

// TestHugeInputShortError: an error quotes at most the start of a value
// (issue 12, item 7).
func TestHugeInputShortError(t *testing.T) {
	huge := strings.Repeat("長", 400_000)
	for _, eco := range []string{"npm", "Debian", "Red Hat", "PyPI", "Maven"} {
		for _, in := range []string{huge, "1.0-" + huge, "1." + huge, "1.0+" + huge + "!"} {
			_, err := Compare(For(eco), in, "1.0")
			if err != nil && len(err.Error()) > 4<<10 {
				t.Errorf("Compare(%s, %.20s…) = error of %d bytes, want under 4 KiB", eco, in, len(err.Error()))
			}
		}
	}
}
