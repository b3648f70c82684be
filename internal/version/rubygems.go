package version

import (
	"cmp"
	"regexp"
	"strings"
)

// RubyGems orders gem versions as Gem::Version does: the version splits
// into numbers and letter runs ("1.0.0.rc1" is 1, 0, 0, "rc", 1; "-" means
// ".pre."), any letter makes a pre-release, trailing zeros of the release
// part and of the pre-release part do not count, letters sort below
// numbers, and letter runs compare byte by byte.
var RubyGems Scheme = rubyGemsScheme{}

type rubyGemsScheme struct{}

func (rubyGemsScheme) Name() string { return "rubygems" }

// rubyGemsPattern is Gem::Version::ANCHORED_VERSION_PATTERN.
var rubyGemsPattern = regexp.MustCompile(`^\s*[0-9]+(?:\.[0-9a-zA-Z]+)*(?:-[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*)?\s*$`)

var rubyGemsSegment = regexp.MustCompile(`[0-9]+|[a-zA-Z]+`)

type rubyGemsSegmentValue struct {
	numeric bool
	num     number
	str     string
}

type rubyGemsVersion struct {
	s        string
	segments []rubyGemsSegmentValue // Gem::Version#canonical_segments
}

func (rubyGemsScheme) Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, ErrEmpty
	}
	if !rubyGemsPattern.MatchString(t) {
		return nil, errorf("rubygems", s, "malformed version number string")
	}
	t = strings.ReplaceAll(t, "-", ".pre.")
	var release, pre []rubyGemsSegmentValue
	for _, seg := range rubyGemsSegment.FindAllString(t, -1) {
		var sv rubyGemsSegmentValue
		if isDigit(seg[0]) {
			sv = rubyGemsSegmentValue{numeric: true, num: parseNumber(seg)}
		} else {
			sv = rubyGemsSegmentValue{str: seg}
		}
		if pre == nil && sv.numeric {
			release = append(release, sv)
		} else {
			pre = append(pre, sv)
		}
	}
	segments := append(trimRubyZeros(release), trimRubyZeros(pre)...)
	return rubyGemsVersion{s: s, segments: segments}, nil
}

func trimRubyZeros(segs []rubyGemsSegmentValue) []rubyGemsSegmentValue {
	for len(segs) > 0 && segs[len(segs)-1].numeric && segs[len(segs)-1].num.isZero() {
		segs = segs[:len(segs)-1]
	}
	return segs
}

func (v rubyGemsVersion) String() string { return v.s }

func (v rubyGemsVersion) Compare(other Version) int {
	o, ok := other.(rubyGemsVersion)
	if !ok {
		return mismatched(v, other)
	}
	zero := rubyGemsSegmentValue{numeric: true}
	for i := 0; i < len(v.segments) || i < len(o.segments); i++ {
		a, b := zero, zero
		if i < len(v.segments) {
			a = v.segments[i]
		}
		if i < len(o.segments) {
			b = o.segments[i]
		}
		var c int
		switch {
		case a.numeric && b.numeric:
			c = a.num.compare(b.num)
		case a.numeric:
			c = 1
		case b.numeric:
			c = -1
		default:
			c = cmp.Compare(a.str, b.str)
		}
		if c != 0 {
			return c
		}
	}
	return 0
}
