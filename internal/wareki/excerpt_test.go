package wareki_test

import (
	"strings"
	"testing"

	"mamori/internal/wareki"
)

// TestHugeInputShortError: an error quotes at most the start of a value
// (issue 12, item 7).
func TestHugeInputShortError(t *testing.T) {
	huge := strings.Repeat("長", 400_000)
	for _, in := range []string{huge, "令和" + huge, "令和7年" + huge, "2025-04-01" + huge} {
		_, _, err := wareki.ParseDate(in)
		if err == nil || len(err.Error()) > 4<<10 {
			if err == nil {
				err = errNone
			}
			t.Errorf("ParseDate(%.20s…): error of %d bytes, want one under 4 KiB", in, len(err.Error()))
		}
		_, _, err = wareki.ParseFiscalYear(in)
		if err == nil || len(err.Error()) > 4<<10 {
			if err == nil {
				err = errNone
			}
			t.Errorf("ParseFiscalYear(%.20s…): error of %d bytes, want one under 4 KiB", in, len(err.Error()))
		}
	}
}

type noError struct{}

func (noError) Error() string { return "no error" }

var errNone error = noError{}
