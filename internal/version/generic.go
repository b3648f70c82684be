package version

import (
	"cmp"
	"strings"
)

// Generic orders free-form version strings such as the version field of an
// NVD CPE. It never rejects a non-empty string other than the CPE wildcards
// "*" and "-": a best-effort order beats dropping a record.
//
// The string is split into runs of digits and runs of letters; every other
// character separates runs. Runs are compared position by position, a
// missing run counting as the number 0, with this order between kinds:
//
//	pre-release word < 0 < other word < 1 < 2 < ...
//
// so "1.0" == "1.0.0", "1.0-rc1" < "1.0" (rc, alpha, beta, pre, dev,
// snapshot, milestone mark pre-releases), "2.8.123" < "2.8.123e" <
// "2.8.124", "1.0.2k" < "1.0.2l" < "1.1.0", and a hotfix "10.2.12-h1" >
// "10.2.12". Letters compare case-insensitively; a leading "v" is dropped.
var Generic Scheme = genericScheme{}

type genericScheme struct{}

func (genericScheme) Name() string { return "generic" }

// Token classes, in ascending order.
const (
	genericPre  = iota // a pre-release word: rc, beta, ...
	genericZero        // the number 0, also standing for a missing token
	genericWord        // any other word
	genericNum         // a positive number
)

type genericToken struct {
	class uint8
	rank  int8 // order among pre-release words
	num   number
	word  string
}

// genericPreRanks orders the words that mark a pre-release.
var genericPreRanks = map[string]int8{
	"dev":       0,
	"snapshot":  0,
	"alpha":     1,
	"beta":      2,
	"milestone": 3,
	"pre":       4,
	"preview":   4,
	"rc":        5,
	"cr":        5,
}

type genericVersion struct {
	s      string
	tokens []genericToken
}

func (genericScheme) Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	switch t {
	case "":
		return nil, ErrEmpty
	case "*", "-":
		return nil, errorf("generic", s, "a CPE wildcard is not a version")
	}
	t = strings.ToLower(t)
	if len(t) > 1 && t[0] == 'v' && isDigit(t[1]) {
		t = t[1:]
	}
	var tokens []genericToken
	for i := 0; i < len(t); {
		c := t[i]
		j := i + 1
		switch {
		case isDigit(c):
			for j < len(t) && isDigit(t[j]) {
				j++
			}
			n := parseNumber(t[i:j])
			class := uint8(genericNum)
			if n.isZero() {
				class = genericZero
			}
			tokens = append(tokens, genericToken{class: class, num: n})
		case isLetter(c) || c >= 0x80:
			for j < len(t) && (isLetter(t[j]) || t[j] >= 0x80) {
				j++
			}
			word := t[i:j]
			if rank, ok := genericPreRanks[word]; ok {
				// "1.0.0-beta" and "1.0-beta" are the same pre-release:
				// zeros right before the word do not count.
				for len(tokens) > 0 && tokens[len(tokens)-1].class == genericZero {
					tokens = tokens[:len(tokens)-1]
				}
				tokens = append(tokens, genericToken{class: genericPre, rank: rank, word: word})
			} else {
				tokens = append(tokens, genericToken{class: genericWord, word: word})
			}
		}
		i = j
	}
	// Trailing zeros equal the padding; dropping them shortens compares.
	for len(tokens) > 0 && tokens[len(tokens)-1].class == genericZero {
		tokens = tokens[:len(tokens)-1]
	}
	return genericVersion{s: s, tokens: tokens}, nil
}

func (v genericVersion) String() string { return v.s }

func (v genericVersion) Compare(other Version) int {
	o, ok := other.(genericVersion)
	if !ok {
		return mismatched(v, other)
	}
	for i := 0; i < len(v.tokens) || i < len(o.tokens); i++ {
		a, b := &genericPadding, &genericPadding
		if i < len(v.tokens) {
			a = &v.tokens[i]
		}
		if i < len(o.tokens) {
			b = &o.tokens[i]
		}
		if c := a.compare(b); c != 0 {
			return c
		}
	}
	return 0
}

// genericPadding stands for the tokens missing from the shorter version.
var genericPadding = genericToken{class: genericZero}

func (a *genericToken) compare(b *genericToken) int {
	if a.class != b.class {
		return cmp.Compare(a.class, b.class)
	}
	switch a.class {
	case genericPre:
		if a.rank != b.rank {
			return cmp.Compare(a.rank, b.rank)
		}
		return cmp.Compare(a.word, b.word)
	case genericWord:
		return cmp.Compare(a.word, b.word)
	case genericNum:
		return a.num.compare(b.num)
	}
	return 0
}
