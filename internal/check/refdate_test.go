package check_test

import (
	"testing"
	"time"

	"mamori/internal/check"
)

// TestReferenceDate: an assessment judges the day in Japan. Before, it took
// the server's zone, so a server on UTC judged yesterday for nine hours of
// every day, while the workflows stamp dates in Japan.
func TestReferenceDate(t *testing.T) {
	for at, want := range map[string]string{
		"2026-12-06T14:59:59Z":      "2026-12-06",
		"2026-12-06T15:00:00Z":      "2026-12-07",
		"2027-03-31T16:00:00Z":      "2027-04-01", // a new fiscal year already
		"2026-12-06T23:00:00-05:00": "2026-12-07",
	} {
		now, err := time.Parse(time.RFC3339, at)
		if err != nil {
			t.Fatal(err)
		}
		if got := check.ReferenceDate(now); got != want {
			t.Errorf("ReferenceDate(%s) = %s, want %s", at, got, want)
		}
	}
}
