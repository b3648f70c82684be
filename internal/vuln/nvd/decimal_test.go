package nvd

import (
	"testing"
	"time"
)

func TestScoreTenths(t *testing.T) {
	tests := []struct {
		in      string
		want    int
		wantErr bool
	}{
		{"9.8", 98, false},
		{"7.5", 75, false},
		{"10.0", 100, false},
		{"10", 100, false},
		{"0.0", 0, false},
		{"5", 50, false},
		{"4.45", 45, false}, // half rounds away from zero on the text
		{"4.44", 44, false},
		{"9.95", 100, false},
		{"0.05", 1, false},
		{"6.449", 64, false}, // only the hundredths digit decides
		{"10.05", 0, true},
		{"10.1", 0, true},
		{"11", 0, true},
		{"98", 0, true},
		{"-1.0", 0, true},
		{"", 0, true},
		{"9.", 0, true},
		{".5", 0, true},
		{"9.8e0", 0, true},
		{"nine", 0, true},
		{"99999999999999999999", 0, true},
	}
	for _, tt := range tests {
		got, err := scoreTenths(tt.in)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("scoreTenths(%q) = %d, %v, want %d, error %v", tt.in, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestParseTime(t *testing.T) {
	tests := []struct {
		in   string
		want string // RFC 3339 in UTC; empty means an error
	}{
		{"2024-11-18T16:15:11.683", "2024-11-18T16:15:11.683Z"},          // API 2.0, no zone
		{"2018-01-10T22:29Z", "2018-01-10T22:29:00Z"},                    // 1.1 feed
		{"2024-04-05T17:48:13.286000+00:00", "2024-04-05T17:48:13.286Z"}, // override annotation
		{"2024-08-12T13:42:04.196708", "2024-08-12T13:42:04.196708Z"},
		{"2025-01-16T01:49:04+09:00", "2025-01-15T16:49:04Z"},
		{"2024-11-11T00:00:00", "2024-11-11T00:00:00Z"},
		{"2024-11-11", "2024-11-11T00:00:00Z"},
		{"18/11/2024", ""},
		{"", ""},
		{"2024-13-01T00:00:00", ""},
	}
	for _, tt := range tests {
		got, err := parseTime(tt.in)
		if tt.want == "" {
			if err == nil {
				t.Errorf("parseTime(%q) = %v, want an error", tt.in, got)
			}
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if err != nil || !got.Equal(want) || got.Location() != time.UTC {
			t.Errorf("parseTime(%q) = %v, %v, want %v", tt.in, got, err, want)
		}
	}
}
