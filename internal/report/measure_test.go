package report

import "testing"

// TestMeasureText: sums in the Board's words, truncated to 万 with 余 for
// the rest; a sum under 1万円 has no 万 to truncate to and is written in
// full rather than as 「約0円」.
func TestMeasureText(t *testing.T) {
	for _, c := range []struct {
		sum  int64
		want string
	}{
		{0, "0円"},
		{5000, "5000円"},
		{9999, "9999円"},
		{10000, "1万円"},
		{15000, "1万余円"},
		{100005000, "1億余円"},
		{1887095110, "18億8709万余円"},
		{222223876, "2億2222万余円"},
		{1664868123, "16億6486万余円"},
	} {
		if got := measureOf(c.sum, "yen").Text; got != c.want {
			t.Errorf("measureOf(%d).Text = %q, want %q", c.sum, got, c.want)
		}
	}
}
