package store

import "testing"

// TestMonthOrMore: periods are calendar months (seed 002's 「1か月以上」),
// not 30 days.
func TestMonthOrMore(t *testing.T) {
	for _, c := range []struct {
		granted, expires string
		want             bool
	}{
		{"2026-02-01", "2026-03-01", true},  // exactly a month, though only 28 days
		{"2026-01-01", "2026-01-31", false}, // 30 days, less than a month
		{"2026-01-31", "2026-02-28", true},  // to the end of a shorter month
		{"2026-01-31", "2026-02-27", false},
		{"2024-01-31", "2024-02-29", true}, // leap year
		{"2026-03-15", "2026-04-14", false},
		{"2026-03-15", "2026-04-15", true},
		{"bad", "2026-04-15", false},
	} {
		if got := monthOrMore(c.granted, c.expires); got != c.want {
			t.Errorf("monthOrMore(%s, %s) = %t, want %t", c.granted, c.expires, got, c.want)
		}
	}
}

// TestTerminalState: terminals that decide a measure win over the answers;
// where they do not, the answers decide; neither leaves it unknown.
func TestTerminalState(t *testing.T) {
	for _, c := range []struct {
		counts              terminalCounts
		introduced, allTerm any
		want                string
	}{
		{terminalCounts{3, 3, 0}, false, nil, "all"},
		{terminalCounts{3, 0, 3}, true, true, "none"},
		{terminalCounts{3, 1, 1}, nil, nil, "partial"},
		{terminalCounts{2, 0, 0}, true, false, "partial"},
		{terminalCounts{2, 0, 0}, true, true, "all"},
		{terminalCounts{2, 0, 0}, false, nil, "none"},
		{terminalCounts{2, 0, 0}, true, nil, ""},
		{terminalCounts{0, 0, 0}, nil, nil, ""},
		{terminalCounts{2, 1, 0}, false, nil, "partial"},
	} {
		if got := c.counts.state(c.introduced, c.allTerm); got != c.want {
			t.Errorf("%+v.state(%v, %v) = %q, want %q", c.counts, c.introduced, c.allTerm, got, c.want)
		}
	}
}
