package yen_test

import (
	"strings"
	"testing"

	"mamori/internal/yen"
)

// TestHugeInputShortError: an error quotes at most the start of a value
// (issue 12, item 7).
func TestHugeInputShortError(t *testing.T) {
	huge := strings.Repeat("長", 400_000)
	for _, in := range []string{huge, "1" + huge, "1億" + huge, "1.5" + huge} {
		_, err := yen.Parse(in)
		if err == nil || len(err.Error()) > 4<<10 {
			if err == nil {
				err = errNone
			}
			t.Errorf("Parse(%.20s…): error of %d bytes, want one under 4 KiB", in, len(err.Error()))
		}
	}
}

type noError struct{}

func (noError) Error() string { return "no error" }

var errNone error = noError{}
