package app

import "testing"

func TestParseBytes(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		ok   bool
	}{{"1280MiB", 1280 << 20, true}, {"2GiB", 2 << 30, true}, {"512KiB", 512 << 10, true}, {"1000", 1000, true}, {"0", 0, true},
		{"-1MiB", 0, false}, {"lots", 0, false}, {"1.5GiB", 0, false}} {
		got, err := parseBytes(c.in)
		if (err == nil) != c.ok || got != c.want {
			t.Errorf("parseBytes(%q) = %d, %v; want %d, ok %t", c.in, got, err, c.want, c.ok)
		}
	}
}
