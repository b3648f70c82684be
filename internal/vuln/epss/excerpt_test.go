package epss

import (
	"strings"
	"testing"

	"mamori/internal/vuln"
)

// TestHugeLineShortError: the longest line is named by its start only (issue
// 12, item 7), whether it spoils the header or one record.
func TestHugeLineShortError(t *testing.T) {
	huge := strings.Repeat("長", (maxLine-100)/3) // as long as a line may be
	for _, in := range []string{
		"#model_version:v2025.03.14,score_date:2026-01-01T00:00:00+0000\ncve,epss,percentile\n" + huge + ",0.1,0.2\n",
		"#model_version:v2025.03.14,score_date:2026-01-01T00:00:00+0000\ncve,epss,percentile\nCVE-2024-0001," + huge + ",0.2\n",
		"#model_version:v2025.03.14,score_date:2026-01-01T00:00:00+0000\n" + huge + "\n",
		"#model_version:v2025.03.14,score_date:" + huge + "\ncve,epss,percentile\n",
	} {
		_, err := Decode(strings.NewReader(in), "scores.csv", func(vuln.EPSS) error { return nil })
		if err == nil || len(err.Error()) > 1<<10 {
			n := 0
			if err != nil {
				n = len(err.Error())
			}
			t.Errorf("Decode(%.80q…) = error of %d bytes, want one under 1 KiB", in, n)
		}
	}
}
