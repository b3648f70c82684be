package jvn

import (
	"regexp"
	"strings"

	"golang.org/x/text/width"
)

// Bounds is a version statement turned into range bounds, in the shape of
// an NVD cpeMatch: Exact alone, or any of the start and end bounds.
type Bounds struct {
	Exact          string
	StartIncluding string
	StartExcluding string
	EndIncluding   string
	EndExcluding   string
}

// versionToken is one version as JVN writes it: "1.2.3", "v6", "12.2R1",
// "4.0.0-beta1", "2.4.57_1". It must hold a digit (checked separately);
// spaces are not allowed, so "v6 R4" is left to a person.
const versionToken = `([0-9A-Za-z][0-9A-Za-z._+\-]*)`

var (
	// Words that say "this version and earlier/later". JVN writes
	// "およびそれ以前" most often; "以前" alone and "までの" also occur.
	endIncluding   = `(?:およびそれ以前|及びそれ以前|以前|まで)`
	endExcluding   = `(?:より前|未満)`
	startIncluding = `(?:およびそれ以降|及びそれ以降|以降|以上|から)`

	reBetween     = regexp.MustCompile(`^` + versionToken + ` ?(?:から|以上|およびそれ以降|以降) ?、? ?` + versionToken + ` ?(` + endIncluding + `|` + endExcluding + `)$`)
	reEnd         = regexp.MustCompile(`^` + versionToken + ` ?(` + endIncluding + `|` + endExcluding + `)$`)
	reStart       = regexp.MustCompile(`^` + versionToken + ` ?` + startIncluding + `$`)
	reExact       = regexp.MustCompile(`^` + versionToken + `$`)
	reEndExcluded = regexp.MustCompile(`^` + endExcluding + `$`)

	// Trailing phrases that add nothing to the bound: "… 以前のバージョン",
	// "… 以前の全てのバージョン", "… より前のバージョン".
	versionSuffixes = []string{"の全てのバージョン", "のすべてのバージョン", "の各バージョン", "のバージョン", "バージョン", "版"}
	// Leading words before the version itself: "バージョン 1.2", "Ver.1.2".
	versionPrefixes = []string{"バージョン", "version", "ver.", "ver"}
)

// ParseVersionText interprets JVN's free-text version statements
// (AffectedItem/VersionNumber) as bounds where it can:
//
//	"X およびそれ以前", "X 以前"      → EndIncluding X
//	"X より前", "X 未満"            → EndExcluding X
//	"X から Y まで"                 → StartIncluding X, EndIncluding Y
//	"X 以上 Y 未満"                 → StartIncluding X, EndExcluding Y
//	"X 以降", "X およびそれ以降"      → StartIncluding X
//	"X"                           → Exact X
//
// Full-width digits, letters and spaces are folded to their ASCII forms
// first, and phrases such as "のバージョン" are ignored. Anything else
// (product names, lists, "全てのバージョン") gives ok false: a wrong bound
// would produce a wrong match, while no bound leaves the JVN match at
// vendor/product confidence.
func ParseVersionText(s string) (b Bounds, ok bool) {
	s = normalizeVersionText(s)
	if m := reBetween.FindStringSubmatch(s); m != nil {
		if !hasDigit(m[1]) || !hasDigit(m[2]) {
			return Bounds{}, false
		}
		b.StartIncluding = m[1]
		if reEndExcluded.MatchString(m[3]) {
			b.EndExcluding = m[2]
		} else {
			b.EndIncluding = m[2]
		}
		return b, true
	}
	if m := reEnd.FindStringSubmatch(s); m != nil {
		if !hasDigit(m[1]) {
			return Bounds{}, false
		}
		if reEndExcluded.MatchString(m[2]) {
			b.EndExcluding = m[1]
		} else {
			b.EndIncluding = m[1]
		}
		return b, true
	}
	if m := reStart.FindStringSubmatch(s); m != nil {
		if !hasDigit(m[1]) {
			return Bounds{}, false
		}
		return Bounds{StartIncluding: m[1]}, true
	}
	if m := reExact.FindStringSubmatch(s); m != nil && hasDigit(m[1]) {
		return Bounds{Exact: m[1]}, true
	}
	return Bounds{}, false
}

// normalizeVersionText folds full-width forms, collapses white space to
// single spaces and strips the prefixes and suffixes that carry no bound.
func normalizeVersionText(s string) string {
	s = width.Fold.String(s)
	s = strings.Join(strings.Fields(s), " ")
	for _, suffix := range versionSuffixes {
		if t, ok := strings.CutSuffix(s, suffix); ok {
			s = strings.TrimSpace(t)
			break
		}
	}
	for _, prefix := range versionPrefixes {
		if len(s) > len(prefix) && strings.EqualFold(s[:len(prefix)], prefix) {
			rest := strings.TrimSpace(s[len(prefix):])
			// Only strip "ver" when a version follows, not in "vertex 2".
			if rest != "" && rest[0] >= '0' && rest[0] <= '9' {
				s = rest
			}
			break
		}
	}
	return s
}

func hasDigit(s string) bool {
	return strings.ContainsAny(s, "0123456789")
}
