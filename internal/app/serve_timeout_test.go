package app

import (
	"testing"
	"time"

	"mamori"
)

// An import the time limit allows must not lose its answer to the server's
// write timeout.
func TestWriteTimeoutCoversImportLimit(t *testing.T) {
	for _, tc := range []struct {
		lim  time.Duration
		want time.Duration
	}{
		{0, mamori.Limits{}.OrDefault().Time + time.Minute},
		{time.Minute, 5 * time.Minute},
		{30 * time.Minute, 31 * time.Minute},
	} {
		if got := writeTimeout(mamori.Limits{Time: tc.lim}); got != tc.want {
			t.Errorf("writeTimeout(--max-time %v) = %v, want %v", tc.lim, got, tc.want)
		}
	}
}
