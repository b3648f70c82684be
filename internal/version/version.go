// Package version orders version strings the way each package ecosystem does
// and evaluates the version ranges found in NVD and OSV records.
//
// Parsing is done once: a Version holds a pre-split form so that Compare
// allocates nothing. The matcher parses every installed and every bound
// version once and then compares them many times.
package version

import (
	"errors"
	"fmt"
	"strings"

	"mamori"
)

// Scheme orders versions of one ecosystem.
type Scheme interface {
	// Name is a short lowercase identifier such as "pep440" or "debian".
	Name() string
	// Parse returns an error for a string that is not a version of this scheme.
	Parse(s string) (Version, error)
}

// Version is a parsed version. Compare is only meaningful between versions
// of the same Scheme.
type Version interface {
	// Compare returns -1, 0 or +1.
	Compare(other Version) int
	// String returns the input as given.
	String() string
}

// ErrEmpty is wrapped by Parse errors for a blank string.
var ErrEmpty = errors.New("version: empty version")

// Compare parses both strings with s and compares them; it is meant for tests
// and one-off use, not for hot loops.
func Compare(s Scheme, a, b string) (int, error) {
	va, err := s.Parse(a)
	if err != nil {
		return 0, err
	}
	vb, err := s.Parse(b)
	if err != nil {
		return 0, err
	}
	return va.Compare(vb), nil
}

// For returns the scheme for an OSV ecosystem name ("PyPI", "Debian:11",
// "Ubuntu:22.04:LTS", "Red Hat", ...) or a purl type ("pypi", "deb", "rpm",
// ...). Matching is case-insensitive and anything after the first ":" (the
// release) is ignored. Unknown names get Generic.
func For(ecosystem string) Scheme {
	name, _, _ := strings.Cut(ecosystem, ":")
	name = strings.ToLower(strings.TrimSpace(name))
	if s, ok := schemes[name]; ok {
		return s
	}
	return Generic
}

// schemes maps lowercase OSV ecosystem names and purl types to schemes.
var schemes = map[string]Scheme{
	// Go modules and the standard library.
	"go": Go, "golang": Go,
	"npm":  NPM,
	"pypi": PEP440, "python": PEP440,
	"maven": Maven,
	// dpkg-based distributions.
	"debian": Debian, "ubuntu": Debian, "deb": Debian,
	// rpm-based distributions, named as in the OSV ecosystem list.
	"rpm": RPM, "red hat": RPM, "redhat": RPM, "rhel": RPM, "rocky linux": RPM,
	"almalinux": RPM, "suse": RPM, "opensuse": RPM, "mageia": RPM,
	"openeuler": RPM, "fedora": RPM, "centos": RPM, "amazon linux": RPM,
	"oracle linux": RPM, "azure linux": RPM, "photon os": RPM,
	// apk-based distributions; "alpine" is what older syft writes as purl type.
	"alpine": APK, "apk": APK, "wolfi": APK, "chainguard": APK,
	"alpaquita": APK, "bellsoft hardened containers": APK, "minimos": APK,
	"crates.io": SemVer, "cargo": SemVer,
	"hex": SemVer, "pub": SemVer, "swifturl": SemVer, "swift": SemVer,
	"bitnami":   SemVer,
	"nuget":     NuGet,
	"packagist": Composer, "composer": Composer,
	"rubygems": RubyGems, "gem": RubyGems,
	"generic": Generic,
}

// errorf builds a package-prefixed parse error naming the scheme and value.
func errorf(scheme, s, format string, args ...any) error {
	for i, a := range args {
		if x, ok := a.(string); ok {
			args[i] = mamori.Excerpt(x) // a part of s
		}
	}
	return fmt.Errorf("version: %s %q: %s", scheme, mamori.Excerpt(s), fmt.Sprintf(format, args...))
}

// mismatched orders two versions of different schemes. It exists so that a
// mistake in the caller gives a stable, if meaningless, answer instead of a
// panic: both strings are compared as Generic versions.
func mismatched(a, b Version) int {
	va, errA := Generic.Parse(a.String())
	vb, errB := Generic.Parse(b.String())
	switch {
	case errA != nil && errB != nil:
		return strings.Compare(a.String(), b.String())
	case errA != nil:
		return -1
	case errB != nil:
		return 1
	}
	return va.Compare(vb)
}
