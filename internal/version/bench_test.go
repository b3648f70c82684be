package version

import "testing"

// BenchmarkCompare measures Compare on pre-parsed versions, the matcher's
// hot loop.
func BenchmarkCompare(b *testing.B) {
	cases := []struct {
		scheme Scheme
		a, b   string
	}{
		{Generic, "2.8.123e", "2.8.124"},
		{Generic, "10.2.12-h1", "10.2.12"},
		{SemVer, "1.0.0-beta.11", "1.0.0-rc.1"},
		{SemVer, "2.14.1", "2.15.0"},
		{Go, "v0.0.0-20201130134442-10cb98267c6c", "v0.0.0-20250519205859-65aec10162f6"},
		{PEP440, "1.0b2.post345.dev456", "1.0b2.post345"},
		{Maven, "2.15.0-rc1", "2.15.0"},
		{Debian, "1:8.9p1-3ubuntu0.1", "1:8.9p1-3ubuntu0.10"},
		{RPM, "1:1.1.1k-5.el8_5", "1:1.1.1k-12.el8_9"},
		{APK, "3.1.4-r1", "3.1.4-r5"},
		{RubyGems, "7.0.0.rc1", "7.0.0"},
		{Composer, "v6.0.0-RC1", "v6.0.0"},
	}
	for _, c := range cases {
		x, y := mustParse(b, c.scheme, c.a), mustParse(b, c.scheme, c.b)
		b.Run(c.scheme.Name()+"/"+c.a, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				x.Compare(y)
			}
		})
	}
}

// BenchmarkParse measures the one-time parse per version.
func BenchmarkParse(b *testing.B) {
	for _, s := range []Scheme{Generic, SemVer, PEP440, Maven, Debian} {
		b.Run(s.Name(), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				s.Parse("1.2.3-rc1")
			}
		})
	}
}
