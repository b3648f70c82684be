package version

import "testing"

func TestGenericOrder(t *testing.T) {
	// Real NVD version strings, ascending.
	checkAscending(t, Generic, []string{
		"0.9.8", "0.9.8a", "0.9.8zh", "1.0.0-beta1", "1.0.0-beta2", "1.0.0-rc1", "1.0.0",
		"1.0.1", "1.0.2", "1.0.2k", "1.0.2l", "1.1.0", "1.1.1w",
	})
	// grype#2259: a fix in 4.0.6 must not flag 4.1.3.
	checkAscending(t, Generic, []string{"4.0.5", "4.0.6", "4.1.0", "4.1.3"})
	// grype#2803: gSOAP letter releases.
	checkAscending(t, Generic, []string{"2.8.122", "2.8.123", "2.8.123e", "2.8.123f", "2.8.124"})
	// PAN-OS hotfixes.
	checkAscending(t, Generic, []string{"10.2.11", "10.2.12", "10.2.12-h1", "10.2.12-h2", "10.2.12-h10", "10.2.13"})
	checkAscending(t, Generic, []string{
		"5.0-alpha", "5.0-beta", "5.0-rc1", "5.0-rc2", "5.0", "5.0a", "5.0.1", "5.0.10", "5.1",
	})
	checkAscending(t, Generic, []string{"2.4.9", "2.4.10", "2.4.58", "2.10", "10.0", "20230101"})
	checkAscending(t, Generic, []string{"1.0", "1.0.0.0.1", "1.0a", "1.0.1"})
	// Numbers too long for 64 bits still order.
	checkAscending(t, Generic, []string{"1.99999999999999999999", "1.100000000000000000000"})
}

func TestGenericEqual(t *testing.T) {
	checkEqual(t, Generic, [][]string{
		{"1.0", "1.0.0", "1", "v1.0", "V1.0.0", " 1.0 ", "1-0", "1_0_0", "1.00"},
		{"1.0.0-beta", "1.0-beta", "1.0.0beta", "1.0 Beta", "1.0.0.BETA"},
		{"2.8.123e", "2.8.123E", "2.8.123-e"},
		{"1.7.0_45", "1.7.0.45", "1.7.0 45"},
	})
}

func TestGenericInvalid(t *testing.T) {
	checkInvalid(t, Generic, []string{"", " ", "*", "-"})
	// Anything else has some order.
	for _, s := range []string{"...", "日本語", "--", "v", "**", "a b c"} {
		if _, err := Generic.Parse(s); err != nil {
			t.Errorf("Generic.Parse(%q): %v", s, err)
		}
	}
}

func FuzzGeneric(f *testing.F) {
	seeds := [][3]string{
		{"1.0", "1.0.0", "1.0a"}, {"2.8.123", "2.8.123e", "2.8.124"}, {"1.0.2k", "1.0.2l", "1.1.0"},
		{"10.2.12", "10.2.12-h1", "10.2.12.1"}, {"1.0-rc1", "1.0.0-rc1", "1.0.0.1"},
		{"v1", "0", "00"}, {"1.0beta", "1.0.0.0", "1.0.0beta"}, {"", "*", "-"},
	}
	for _, s := range seeds {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		checkProperties(t, Generic, a, b, c)
	})
}
