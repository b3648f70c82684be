package osv

import "testing"

func TestCVSS3BaseScore(t *testing.T) {
	tests := []struct {
		vector  string
		tenths  int
		version string
	}{
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", 98, "3.1"},               // CVE-2022-22965 Spring4Shell
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", 100, "3.1"},              // CVE-2021-44228 Log4Shell
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", 75, "3.1"},               // CVE-2022-25883 semver ReDoS
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N", 75, "3.1"},               // CVE-2014-0160 Heartbleed (NVD rescore)
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H", 99, "3.1"},               // scope changed, PR:L weight 0.68
		{"CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N", 54, "3.1"},               // typical stored XSS
		{"CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", 61, "3.0"},               // JVNDB-2022-000097 reflected XSS
		{"CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H", 78, "3.0"},               // JVNDB-2023-028576
		{"CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N", 16, "3.1"},               // smallest non-zero region
		{"CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:C/C:N/I:N/A:N", 0, "3.1"},                // no impact
		{"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/E:P/RL:O/RC:C", 98, "3.1"}, // temporal metrics ignored
		{"CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:N", 38, "3.1"},
	}
	for _, tt := range tests {
		t.Run(tt.vector, func(t *testing.T) {
			got, version, err := cvss3BaseScore(tt.vector)
			if err != nil {
				t.Fatal(err)
			}
			if got != tt.tenths || version != tt.version {
				t.Errorf("cvss3BaseScore = %d, %q; want %d, %q", got, version, tt.tenths, tt.version)
			}
		})
	}
}

func TestCVSS3BaseScoreErrors(t *testing.T) {
	for _, vector := range []string{
		"",
		"AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // no prefix
		"CVSS:2.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H",      // wrong version
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H",          // A missing
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:X",      // bad value
		"CVSS:3.1/AV:N/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", // repeated
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/ZZ:1", // unknown metric
		"CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H/",     // empty metric
	} {
		if got, _, err := cvss3BaseScore(vector); err == nil {
			t.Errorf("cvss3BaseScore(%q) = %d, want an error", vector, got)
		}
	}
}

func TestRoundUp31(t *testing.T) {
	// The specification's own examples (CVSS v3.1, appendix A).
	tests := map[float64]int{4.000000000000001: 40, 4.02: 41, 4.0: 40, 0: 0, 9.99: 100}
	for in, want := range tests {
		if got := roundUp31(in); got != want {
			t.Errorf("roundUp31(%v) = %d, want %d", in, got, want)
		}
	}
}
