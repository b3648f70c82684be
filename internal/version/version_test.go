package version

import (
	"errors"
	"testing"
)

func TestFor(t *testing.T) {
	cases := map[string]Scheme{
		"Go": Go, "golang": Go, "npm": NPM, "PyPI": PEP440, "pypi": PEP440, "Maven": Maven,
		"maven": Maven, "Debian": Debian, "Debian:11": Debian, "Ubuntu": Debian,
		"Ubuntu:22.04:LTS": Debian, "Ubuntu:Pro:18.04:LTS": Debian, "deb": Debian,
		"Alpine": APK, "Alpine:v3.16": APK, "alpine": APK, "apk": APK, "Wolfi": APK,
		"Chainguard": APK, "Red Hat": RPM, "Red Hat:enterprise_linux:8::appstream": RPM,
		"Rocky Linux": RPM, "Rocky Linux:8": RPM, "AlmaLinux": RPM, "AlmaLinux:9": RPM,
		"SUSE": RPM, "SUSE:Linux Enterprise Server 15 SP5": RPM, "openSUSE": RPM, "rpm": RPM,
		"crates.io": SemVer, "cargo": SemVer, "Hex": SemVer, "hex": SemVer, "Pub": SemVer,
		"pub": SemVer, "NuGet": NuGet, "nuget": NuGet, "Packagist": Composer,
		"composer": Composer, "RubyGems": RubyGems, "gem": RubyGems, "generic": Generic,
		"GIT": Generic, "Linux": Generic, "": Generic, "unknown-ecosystem": Generic, " PyPI ": PEP440,
	}
	for name, want := range cases {
		if got := For(name); got != want {
			t.Errorf("For(%q) = %s, want %s", name, got.Name(), want.Name())
		}
	}
}

func TestSchemeNames(t *testing.T) {
	seen := map[string]bool{}
	for _, s := range allSchemes {
		if seen[s.Name()] {
			t.Errorf("two schemes named %q", s.Name())
		}
		seen[s.Name()] = true
	}
}

// allSchemes lists every scheme, for tests that must cover them all.
var allSchemes = []Scheme{Generic, SemVer, Go, NPM, NuGet, PEP440, Maven, Debian, RPM, APK, RubyGems, Composer}

func TestEmpty(t *testing.T) {
	for _, s := range allSchemes {
		for _, in := range []string{"", "   "} {
			v, err := s.Parse(in)
			if err == nil {
				t.Errorf("%s.Parse(%q) = %v, want an error", s.Name(), in, v)
			}
		}
		if _, err := s.Parse(""); !errors.Is(err, ErrEmpty) {
			t.Errorf("%s.Parse(\"\") error %v, want ErrEmpty", s.Name(), err)
		}
	}
}

func TestParseErrorNamesValue(t *testing.T) {
	_, err := PEP440.Parse("french toast")
	if err == nil || err.Error() != `version: pep440 "french toast": not a PEP 440 version` {
		t.Errorf("error = %v", err)
	}
}

func TestCompareAcrossSchemes(t *testing.T) {
	// A caller mistake must not panic, and must still be antisymmetric.
	a := mustParse(t, Debian, "1.0-1")
	b := mustParse(t, SemVer, "1.0.2")
	if ab, ba := a.Compare(b), b.Compare(a); ab != -1 || ba != 1 {
		t.Errorf("cross-scheme compare = %d, %d; want -1, 1", ab, ba)
	}
	// NPM and NuGet share a representation but not a case rule.
	n := mustParse(t, NuGet, "1.0.0-beta")
	m := mustParse(t, NPM, "1.0.0-Beta")
	if nm, mn := n.Compare(m), m.Compare(n); nm != -mn {
		t.Errorf("cross-scheme compare not antisymmetric: %d, %d", nm, mn)
	}
}

func TestCompareHelper(t *testing.T) {
	if got, err := Compare(Generic, "4.0.6", "4.1.3"); err != nil || got != -1 {
		t.Errorf("Compare = %d, %v", got, err)
	}
	if _, err := Compare(SemVer, "1.0.0", "x"); err == nil {
		t.Error("Compare with a bad second version: no error")
	}
	if _, err := Compare(SemVer, "x", "1.0.0"); err == nil {
		t.Error("Compare with a bad first version: no error")
	}
}

// FuzzSchemes checks the order properties of every scheme on the same
// inputs, so that each parser sees the others' tricky strings.
func FuzzSchemes(f *testing.F) {
	for _, s := range [][3]string{
		{"1.0.0-rc.1", "1.0.0", "v1.0.0+build"}, {"1:1.0~rc1-1", "1.0-1", "1.0"},
		{"1.0_alpha1-r0", "1.0-r1", "1.0_p1"}, {"1.0a1.post2.dev3+local.7", "1!0", "1.0c1"},
		{"1-alpha-1", "1.0.0.a", "1-sp2"}, {"1.0.0.pre.rc1", "1.0.a.10", "2.1.x-dev"},
		{"1.0^git1", "1.0~rc1", "10.0001"}, {"", "*", "-"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		for _, s := range allSchemes {
			checkProperties(t, s, a, b, c)
		}
	})
}
