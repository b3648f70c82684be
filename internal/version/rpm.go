package version

import (
	"cmp"
	"strings"
)

// RPM orders [epoch:]version[-release] strings as rpm does (Red Hat,
// Rocky, Alma, SUSE, ...): a missing epoch is 0, and version and release
// are compared by rpmvercmp, where runs of digits and runs of letters are
// compared one by one (numbers above letters), other characters only
// separate, "~" sorts before everything ("1.0~rc1" < "1.0") and "^" after
// the end of the string but before anything else ("1.0" < "1.0^git1" <
// "1.0.1"). A missing release sorts below any release, which keeps the
// order total where rpm itself would skip the release.
var RPM Scheme = rpmScheme{}

type rpmScheme struct{}

func (rpmScheme) Name() string { return "rpm" }

type rpmVersion struct {
	s       string
	epoch   number
	version string
	release string
}

func (rpmScheme) Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, ErrEmpty
	}
	v := rpmVersion{s: s}
	if e, rest, ok := strings.Cut(t, ":"); ok {
		if e != "" && !allDigits(e) {
			return nil, errorf("rpm", s, "epoch %q is not a number", e)
		}
		v.epoch = parseDigits(e)
		t = rest
	}
	v.version = t
	if i := strings.LastIndexByte(t, '-'); i >= 0 {
		v.version, v.release = t[:i], t[i+1:]
	}
	if v.version == "" {
		return nil, errorf("rpm", s, "empty version")
	}
	return v, nil
}

func (v rpmVersion) String() string { return v.s }

func (v rpmVersion) Compare(other Version) int {
	o, ok := other.(rpmVersion)
	if !ok {
		return mismatched(v, other)
	}
	if c := v.epoch.compare(o.epoch); c != 0 {
		return c
	}
	if c := rpmvercmp(v.version, o.version); c != 0 {
		return c
	}
	return rpmvercmp(v.release, o.release)
}

// rpmvercmp is rpm's rpmio/rpmvercmp.c, including the "^" rule of rpm 4.15.
func rpmvercmp(a, b string) int {
	if a == b {
		return 0
	}
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		for i < len(a) && !isAlnum(a[i]) && a[i] != '~' && a[i] != '^' {
			i++
		}
		for j < len(b) && !isAlnum(b[j]) && b[j] != '~' && b[j] != '^' {
			j++
		}
		moreA, moreB := i < len(a), j < len(b)
		tildeA, tildeB := moreA && a[i] == '~', moreB && b[j] == '~'
		if tildeA || tildeB {
			if !tildeA {
				return 1
			}
			if !tildeB {
				return -1
			}
			i++
			j++
			continue
		}
		caretA, caretB := moreA && a[i] == '^', moreB && b[j] == '^'
		if caretA || caretB {
			switch {
			case !moreA:
				return -1
			case !moreB:
				return 1
			case !caretA:
				return 1
			case !caretB:
				return -1
			}
			i++
			j++
			continue
		}
		if !moreA || !moreB {
			break
		}
		endA, endB := i, j
		numeric := isDigit(a[i])
		if numeric {
			for endA < len(a) && isDigit(a[endA]) {
				endA++
			}
			for endB < len(b) && isDigit(b[endB]) {
				endB++
			}
		} else {
			for endA < len(a) && isLetter(a[endA]) {
				endA++
			}
			for endB < len(b) && isLetter(b[endB]) {
				endB++
			}
		}
		if endB == j {
			// Segments of different kinds: a number is newer than letters.
			if numeric {
				return 1
			}
			return -1
		}
		segA, segB := a[i:endA], b[j:endB]
		if numeric {
			segA, segB = strings.TrimLeft(segA, "0"), strings.TrimLeft(segB, "0")
			if len(segA) != len(segB) {
				return cmp.Compare(len(segA), len(segB))
			}
		}
		if c := strings.Compare(segA, segB); c != 0 {
			return c
		}
		i, j = endA, endB
	}
	switch {
	case i >= len(a) && j >= len(b):
		return 0
	case i >= len(a):
		return -1
	}
	return 1
}
