package version

import (
	"cmp"
	"strings"
)

// APK orders Alpine (and Wolfi, Chainguard) package versions, which follow
// Gentoo's scheme: number{.number}[letter]{_suffix[number]}[-rnumber].
// The pre-release suffixes _alpha < _beta < _pre < _rc sort before the
// release and _cvs < _svn < _git < _hg < _p after it; "-rN" is the package
// revision. A dotted part with a leading zero compares as a string
// ("1.01" < "1.1", "8.2.0" < "8.2.001"), as apk-tools 3 does. apk-tools 2
// counted the leading zeros instead, which orders two parts differently
// only when one is all zeros and the other has more leading zeros
// ("8.2.0" > "8.2.001" there) or when both have as many leading zeros
// before numbers of different lengths ("1.09" < "1.010" there).
// apk-tools before 2.12.12 also put "1.0_alpha" above "1.0"; that quirk is
// not kept.
//
// apk-tools 2 also accepts a number right after the letter
// ("3.3.3p1-r3", libretls in Alpine 3.14) and compares it as a number;
// apk-tools 3 refuses such versions, so no other order exists for them and
// mamori takes apk-tools 2's. Strings outside the scheme are errors.
var APK Scheme = apkScheme{}

type apkScheme struct{}

func (apkScheme) Name() string { return "apk" }

// Token kinds in apk-tools' order. When two versions agree up to the point
// where their token kinds differ, the one with the later kind is older
// ("1.0a" < "1.0.1", "1.0-r1" < "1.0a", "1.0" < "1.0-r1"), except that a
// pre-release suffix always makes its version older.
const (
	apkInitialDigit int8 = iota
	apkDigit
	apkLetter
	apkSuffix
	apkSuffixNo
	apkRevisionNo
	apkEnd
)

var (
	apkPreSuffixes  = []string{"alpha", "beta", "pre", "rc"}
	apkPostSuffixes = []string{"cvs", "svn", "git", "hg", "p"}
)

// apkToken is one part of a version. A dotted number keeps its digits for
// the leading-zero rule (a number after a letter has none: apk-tools 2
// compares it as a number); suffixes carry their rank (negative for
// pre-releases).
type apkToken struct {
	kind   int8
	digits string
	num    number
	rank   int
}

type apkVersion struct {
	s      string
	tokens []apkToken // ends with an apkEnd token
}

func (apkScheme) Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, ErrEmpty
	}
	tokens, ok := apkTokenize(t)
	if !ok {
		return nil, errorf("apk", s, "not an apk version")
	}
	return apkVersion{s: s, tokens: tokens}, nil
}

func apkTokenize(s string) ([]apkToken, bool) {
	pos := 0
	digits := func() string {
		start := pos
		for pos < len(s) && isDigit(s[pos]) {
			pos++
		}
		return s[start:pos]
	}
	first := digits()
	if first == "" {
		return nil, false
	}
	tokens := []apkToken{{kind: apkInitialDigit, digits: first, num: parseNumber(first)}}
	last := apkInitialDigit
	for pos < len(s) {
		c := s[pos]
		var tok apkToken
		switch {
		case c == '.' && last <= apkDigit:
			pos++
			d := digits()
			if d == "" {
				return nil, false
			}
			tok = apkToken{kind: apkDigit, digits: d, num: parseNumber(d)}
		case 'a' <= c && c <= 'z' && last <= apkDigit:
			pos++
			tok = apkToken{kind: apkLetter, rank: int(c)}
		case isDigit(c) && last == apkLetter:
			// apk-tools 2's next_token: a digit after the letter starts
			// another number ("3.3.3p1").
			tok = apkToken{kind: apkDigit, num: parseNumber(digits())}
		case c == '_' && last <= apkSuffixNo:
			pos++
			rank, n := apkSuffixRank(s[pos:])
			if n == 0 {
				return nil, false
			}
			pos += n
			tokens = append(tokens, apkToken{kind: apkSuffix, rank: rank})
			last = apkSuffix
			if d := digits(); d != "" {
				tokens = append(tokens, apkToken{kind: apkSuffixNo, digits: d, num: parseNumber(d)})
				last = apkSuffixNo
			}
			continue
		case c == '-' && pos+1 < len(s) && s[pos+1] == 'r' && last < apkRevisionNo:
			pos += 2
			d := digits()
			if d == "" {
				return nil, false
			}
			tok = apkToken{kind: apkRevisionNo, digits: d, num: parseNumber(d)}
		default:
			return nil, false
		}
		tokens = append(tokens, tok)
		last = tok.kind
	}
	return append(tokens, apkToken{kind: apkEnd}), true
}

// apkSuffixRank returns a suffix's rank (negative for pre-releases) and
// length, or a zero length for an unknown suffix.
func apkSuffixRank(s string) (int, int) {
	for i, suffix := range apkPreSuffixes {
		if strings.HasPrefix(s, suffix) {
			return i - len(apkPreSuffixes), len(suffix)
		}
	}
	for i, suffix := range apkPostSuffixes {
		if strings.HasPrefix(s, suffix) {
			return i, len(suffix)
		}
	}
	return 0, 0
}

func (v apkVersion) String() string { return v.s }

func (v apkVersion) Compare(other Version) int {
	o, ok := other.(apkVersion)
	if !ok {
		return mismatched(v, other)
	}
	i := 0
	for ; v.tokens[i].kind == o.tokens[i].kind && v.tokens[i].kind != apkEnd; i++ {
		if c := v.tokens[i].compare(&o.tokens[i]); c != 0 {
			return c
		}
	}
	a, b := &v.tokens[i], &o.tokens[i]
	switch {
	case a.kind == b.kind:
		return 0
	case a.kind == apkSuffix && a.rank < 0:
		return -1
	case b.kind == apkSuffix && b.rank < 0:
		return 1
	}
	return -cmp.Compare(a.kind, b.kind)
}

// compare orders two tokens of the same kind.
func (a *apkToken) compare(b *apkToken) int {
	switch a.kind {
	case apkLetter, apkSuffix:
		return cmp.Compare(a.rank, b.rank)
	case apkDigit:
		if a.digits != "" && b.digits != "" && (a.digits[0] == '0' || b.digits[0] == '0') {
			return strings.Compare(a.digits, b.digits)
		}
	}
	return a.num.compare(b.num)
}
