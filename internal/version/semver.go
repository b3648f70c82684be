package version

import (
	"cmp"
	"strings"
)

// SemVer orders Semantic Versioning 2.0.0 versions (crates.io, Hex, Pub,
// Swift): pre-releases sort before the release, numeric identifiers compare
// as numbers and below alphanumeric ones, build metadata is ignored. It
// tolerates a leading "v" and a missing minor or patch ("1.2" == "1.2.0").
var SemVer Scheme = semverScheme{name: "semver", maxCore: 3}

// Go orders Go module versions. They are semantic versions, and
// pseudo-versions such as v0.0.0-20201130134442-10cb98267c6c already sort
// as pre-releases by their timestamp; "+incompatible" is build metadata and
// is ignored. The "v" is optional so that OSV's "1.6.0" parses too.
var Go Scheme = semverScheme{name: "go", maxCore: 3}

// NPM orders npm versions as node-semver does, also accepting the "=" and
// "v" prefixes that package.json files carry.
var NPM Scheme = semverScheme{name: "npm", maxCore: 3, equalsPrefix: true}

// NuGet orders NuGet versions: up to four numeric parts ("1.0.0.1") and
// pre-release labels compared without regard to case.
var NuGet Scheme = semverScheme{name: "nuget", maxCore: 4, foldCase: true}

type semverScheme struct {
	name         string
	maxCore      int
	equalsPrefix bool
	foldCase     bool
}

func (s semverScheme) Name() string { return s.name }

type semverIdent struct {
	numeric bool
	num     number
	str     string
}

type semverVersion struct {
	s        string
	core     [4]number
	pre      []semverIdent
	foldCase bool
}

func (s semverScheme) Parse(in string) (Version, error) {
	t := strings.TrimSpace(in)
	if t == "" {
		return nil, ErrEmpty
	}
	if s.equalsPrefix {
		t = strings.TrimSpace(strings.TrimPrefix(t, "="))
	}
	if len(t) > 0 && (t[0] == 'v' || t[0] == 'V') {
		t = t[1:]
	}
	if t == "" {
		return nil, errorf(s.name, in, "no version after the prefix")
	}
	v := semverVersion{s: in, foldCase: s.foldCase}
	rest, build, hasBuild := strings.Cut(t, "+")
	if hasBuild {
		for _, id := range strings.Split(build, ".") {
			if !validIdent(id) {
				return nil, errorf(s.name, in, "bad build metadata %q", build)
			}
		}
	}
	core, pre, hasPre := strings.Cut(rest, "-")
	parts := strings.Split(core, ".")
	if len(parts) > s.maxCore {
		return nil, errorf(s.name, in, "more than %d numeric parts", s.maxCore)
	}
	for i, p := range parts {
		if !allDigits(p) {
			return nil, errorf(s.name, in, "part %q is not a number", p)
		}
		v.core[i] = parseNumber(p)
	}
	if hasPre {
		ids := strings.Split(pre, ".")
		v.pre = make([]semverIdent, len(ids))
		for i, id := range ids {
			if !validIdent(id) {
				return nil, errorf(s.name, in, "bad pre-release %q", pre)
			}
			if allDigits(id) {
				v.pre[i] = semverIdent{numeric: true, num: parseNumber(id)}
			} else {
				if s.foldCase {
					id = strings.ToLower(id)
				}
				v.pre[i] = semverIdent{str: id}
			}
		}
	}
	return v, nil
}

// validIdent reports whether id is a non-empty run of [0-9A-Za-z-].
func validIdent(id string) bool {
	if id == "" {
		return false
	}
	for i := 0; i < len(id); i++ {
		if !isAlnum(id[i]) && id[i] != '-' {
			return false
		}
	}
	return true
}

func (v semverVersion) String() string { return v.s }

func (v semverVersion) Compare(other Version) int {
	o, ok := other.(semverVersion)
	if !ok || o.foldCase != v.foldCase {
		return mismatched(v, other)
	}
	for i := range v.core {
		if c := v.core[i].compare(o.core[i]); c != 0 {
			return c
		}
	}
	switch {
	case len(v.pre) == 0 && len(o.pre) == 0:
		return 0
	case len(v.pre) == 0:
		return 1
	case len(o.pre) == 0:
		return -1
	}
	for i := 0; i < len(v.pre) && i < len(o.pre); i++ {
		a, b := v.pre[i], o.pre[i]
		var c int
		switch {
		case a.numeric && b.numeric:
			c = a.num.compare(b.num)
		case a.numeric:
			c = -1
		case b.numeric:
			c = 1
		default:
			c = cmp.Compare(a.str, b.str)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(v.pre), len(o.pre))
}
