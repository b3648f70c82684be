package cpe_test

import (
	"strings"
	"testing"

	"mamori/internal/cpe"
)

// TestHugeInputShortError: an error quotes at most the start of a value
// (issue 12, item 7).
func TestHugeInputShortError(t *testing.T) {
	huge := strings.Repeat("長", 400_000)
	for _, in := range []string{"cpe:2.3:a:" + huge + ":x:1:*:*:*:*:*:*:*", "cpe:2.3:a:v:p:1:*:*:*:*:*:*:*" + huge, "cpe:/a:" + huge + "%zz"} {
		_, err := cpe.ParseAny(in)
		if err == nil || len(err.Error()) > 4<<10 {
			if err == nil {
				err = errNone
			}
			t.Errorf("ParseAny(%.40s…) = error of %d bytes, want one under 4 KiB", in, len(err.Error()))
		}
	}
}

type noError struct{}

func (noError) Error() string { return "no error" }

var errNone error = noError{}
