package version

import "strings"

// Debian orders dpkg versions, [epoch:]upstream[-revision], as
// dpkg --compare-versions does: epochs as numbers, then upstream and
// revision by dpkg's verrevcmp, in which "~" sorts before everything, even
// the end of the string ("1.0~rc1" < "1.0"), letters sort before other
// characters and digit runs compare as numbers. A missing revision equals
// "0". Ubuntu uses the same rules.
var Debian Scheme = debianScheme{}

type debianScheme struct{}

func (debianScheme) Name() string { return "debian" }

type debianVersion struct {
	s        string
	epoch    number
	upstream string
	revision string
}

func (debianScheme) Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, ErrEmpty
	}
	v := debianVersion{s: s}
	if e, rest, ok := strings.Cut(t, ":"); ok {
		if !allDigits(e) {
			return nil, errorf("debian", s, "epoch %q is not a number", e)
		}
		v.epoch = parseNumber(e)
		t = rest
	}
	v.upstream = t
	if i := strings.LastIndexByte(t, '-'); i >= 0 {
		v.upstream, v.revision = t[:i], t[i+1:]
		if v.revision == "" {
			return nil, errorf("debian", s, "empty revision")
		}
	}
	if v.upstream == "" {
		return nil, errorf("debian", s, "empty upstream version")
	}
	for i := 0; i < len(v.upstream); i++ {
		if c := v.upstream[i]; !isAlnum(c) && !strings.ContainsRune(".+~-:", rune(c)) {
			return nil, errorf("debian", s, "character %q not allowed in upstream version", c)
		}
	}
	for i := 0; i < len(v.revision); i++ {
		if c := v.revision[i]; !isAlnum(c) && !strings.ContainsRune(".+~", rune(c)) {
			return nil, errorf("debian", s, "character %q not allowed in revision", c)
		}
	}
	return v, nil
}

func (v debianVersion) String() string { return v.s }

func (v debianVersion) Compare(other Version) int {
	o, ok := other.(debianVersion)
	if !ok {
		return mismatched(v, other)
	}
	if c := v.epoch.compare(o.epoch); c != 0 {
		return c
	}
	if c := verrevcmp(v.upstream, o.upstream); c != 0 {
		return c
	}
	return verrevcmp(v.revision, o.revision)
}

// debianOrder is dpkg's order(): "~" below the end of the string, the end
// and digits next, then letters, then everything else.
func debianOrder(s string, i int) int {
	if i >= len(s) {
		return 0
	}
	c := s[i]
	switch {
	case isDigit(c):
		return 0
	case isLetter(c):
		return int(c)
	case c == '~':
		return -1
	}
	return int(c) + 256
}

// verrevcmp is dpkg's lib/dpkg/version.c verrevcmp.
func verrevcmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		firstDiff := 0
		for (i < len(a) && !isDigit(a[i])) || (j < len(b) && !isDigit(b[j])) {
			ac, bc := debianOrder(a, i), debianOrder(b, j)
			if ac != bc {
				return sign(ac - bc)
			}
			i++
			j++
		}
		for i < len(a) && a[i] == '0' {
			i++
		}
		for j < len(b) && b[j] == '0' {
			j++
		}
		for i < len(a) && j < len(b) && isDigit(a[i]) && isDigit(b[j]) {
			if firstDiff == 0 {
				firstDiff = int(a[i]) - int(b[j])
			}
			i++
			j++
		}
		if i < len(a) && isDigit(a[i]) {
			return 1
		}
		if j < len(b) && isDigit(b[j]) {
			return -1
		}
		if firstDiff != 0 {
			return sign(firstDiff)
		}
	}
	return 0
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}
