package version

import (
	"cmp"
	"regexp"
	"strings"
)

// Composer orders Packagist versions after Composer's VersionParser
// normalisation: an optional "v", up to four numbers ("x" or "*" in a
// branch alias such as "2.1.x-dev" counts as 9999999), then a stability
// suffix, dev < alpha (a) < beta (b) < RC < stable < patch (pl, p), with an
// optional number, and a "-dev" that puts the version just before the same
// version without it. Build metadata after "+" is ignored. Branch names
// ("dev-main") have no order and are rejected.
var Composer Scheme = composerScheme{}

type composerScheme struct{}

func (composerScheme) Name() string { return "composer" }

var composerPattern = regexp.MustCompile(`(?i)^v?([0-9]+)(?:\.([0-9]+|x|\*))?(?:\.([0-9]+|x|\*))?(?:\.([0-9]+|x|\*))?` +
	`(?:[._-]?(stable|beta|b|rc|alpha|a|patch|pl|p)((?:[.-]?[0-9]+)*))?([.-]?dev)?$`)

var composerNumbers = regexp.MustCompile(`[0-9]+`)

// Stability ranks.
const (
	composerDev int8 = iota
	composerAlpha
	composerBeta
	composerRC
	composerStable
	composerPatch
)

var composerStabilities = map[string]int8{
	"alpha": composerAlpha, "a": composerAlpha,
	"beta": composerBeta, "b": composerBeta,
	"rc":     composerRC,
	"stable": composerStable,
	"patch":  composerPatch, "pl": composerPatch, "p": composerPatch,
}

// composerWildcard is what Composer substitutes for "x" in branch aliases.
var composerWildcard = number{n: 9999999}

type composerVersion struct {
	s         string
	core      [4]number
	stability int8
	numbers   []number // after the stability word: "beta2" -> [2]
	dev       bool     // a "-dev" after a stability word: "1.0-beta2-dev"
}

func (composerScheme) Parse(s string) (Version, error) {
	t := strings.TrimSpace(s)
	if t == "" {
		return nil, ErrEmpty
	}
	if strings.HasPrefix(strings.ToLower(t), "dev-") {
		return nil, errorf("composer", s, "a branch has no version order")
	}
	if base, _, ok := strings.Cut(t, "+"); ok {
		t = base
	}
	m := composerPattern.FindStringSubmatch(t)
	if m == nil {
		return nil, errorf("composer", s, "not a Composer version")
	}
	v := composerVersion{s: s, stability: composerStable}
	for i, p := range m[1:5] {
		switch p {
		case "":
			// A missing part is 0, or 9999999 after a wildcard part.
			if i > 0 && v.core[i-1] == composerWildcard {
				v.core[i] = composerWildcard
			}
		case "x", "X", "*":
			v.core[i] = composerWildcard
		default:
			v.core[i] = parseNumber(p)
		}
	}
	dev := m[7] != ""
	if word := strings.ToLower(m[5]); word != "" {
		v.stability = composerStabilities[word]
		for _, n := range composerNumbers.FindAllString(m[6], -1) {
			v.numbers = append(v.numbers, parseNumber(n))
		}
		v.dev = dev
	} else if dev {
		v.stability = composerDev
	}
	return v, nil
}

func (v composerVersion) String() string { return v.s }

func (v composerVersion) Compare(other Version) int {
	o, ok := other.(composerVersion)
	if !ok {
		return mismatched(v, other)
	}
	for i := range v.core {
		if c := v.core[i].compare(o.core[i]); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(v.stability, o.stability); c != 0 {
		return c
	}
	for i := 0; i < len(v.numbers) && i < len(o.numbers); i++ {
		if c := v.numbers[i].compare(o.numbers[i]); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(len(v.numbers), len(o.numbers)); c != 0 {
		return c
	}
	if v.dev != o.dev {
		return -boolOrder(v.dev)
	}
	return 0
}
