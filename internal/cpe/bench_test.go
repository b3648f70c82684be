package cpe

import "testing"

// BenchmarkMatches measures one criteria/candidate comparison, the inner
// step of CPE matching once an index lookup by Key has found the
// candidates. "full" compares all eleven attributes, the worst case.
func BenchmarkMatches(b *testing.B) {
	cases := []struct {
		name                string
		criteria, candidate string
		version             bool
	}{
		{"full", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", "cpe:2.3:o:paloaltonetworks:pan-os:10.2.12:h1:*:*:*:*:*:*", true},
		{"range-criteria", "cpe:2.3:a:nvidia:cuda_toolkit:*:*:*:*:*:*:*:*", "cpe:2.3:a:nvidia:cuda_toolkit:12.3:*:*:*:*:*:*:*", false},
		{"other-vendor", "cpe:2.3:a:siemens:nx:*:*:*:*:*:*:*:*", "cpe:2.3:a:nrwl:nx:15.0.0:*:*:*:*:*:*:*", false},
		{"wildcard", "cpe:2.3:o:qualcomm:*_firmware:-:*:*:*:*:*:*:*", "cpe:2.3:o:qualcomm:sd820a_firmware:-:*:*:*:*:*:*:*", true},
	}
	for _, c := range cases {
		criteria, candidate := MustParse(c.criteria), MustParse(c.candidate)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if c.version {
					MatchesIncludingVersion(criteria, candidate)
				} else {
					Matches(criteria, candidate)
				}
			}
		})
	}
}

// BenchmarkParse measures reading one formatted string with escapes, the
// cost paid per CPE at import.
func BenchmarkParse(b *testing.B) {
	const s = `cpe:2.3:a:bsdutils:bsdutils:1\:2.36.1-8\+deb11u1:*:*:*:*:*:*:*`
	b.SetBytes(int64(len(s)))
	for b.Loop() {
		if _, err := Parse(s); err != nil {
			b.Fatal(err)
		}
	}
}
