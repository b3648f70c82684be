package main

import (
	"regexp"
	"strings"
)

// accepted is a known difference that is not a fault of mamori: either the
// peer library departs from its ecosystem's specification, or mamori
// parses a string the specification does not allow without changing the
// order of any valid version. A rule explains disagreements on pairs
// (pair) or parse differences (parse); why gives the verdict and the rule
// of the specification.
type accepted struct {
	ecosystem string
	id        string
	why       string
	pair      func(d disagreement) bool
	parse     func(d parseDiff) bool
}

// acceptedList holds every accepted difference; anything else fails.
var acceptedList = []*accepted{
	{
		ecosystem: "npm", id: "v-prefix",
		why: `peer wrong: node-semver's strict grammar is FULLPLAIN = "v?" MAINVERSION PRERELEASE? BUILD? ` +
			`(internal/re.js), so semver.valid("v1.2.3") is "1.2.3"; go-npm-version refuses the "v".`,
		parse: func(d parseDiff) bool { return d.mamoriOK && strings.HasPrefix(d.v, "v") },
	},
	{
		ecosystem: "npm", id: "equals-prefix",
		why: `mamori lenient, order unchanged: "=1.2.3" is refused by node-semver's strict grammar but accepted by its ` +
			`loose grammar (LOOSEPLAIN = "[v=\s]*" ...) and by semver.clean, which npm applies to package.json versions; ` +
			`mamori takes it as 1.2.3.`,
		parse: func(d parseDiff) bool { return d.mamoriOK && strings.HasPrefix(strings.TrimSpace(d.v), "=") },
	},
	{
		ecosystem: "SemVer", id: "leading-zero-prerelease",
		why: `mamori lenient, order unchanged: Semantic Versioning 2.0.0 §9 says numeric pre-release identifiers ` +
			`MUST NOT include leading zeroes, so Masterminds refuses "1.0.0-01"; mamori reads it as 1.0.0-1 rather ` +
			`than drop the record.`,
		parse: func(d parseDiff) bool { return d.mamoriOK && leadingZeroIdent.MatchString(d.v) },
	},
	{
		ecosystem: "SemVer", id: "number-beyond-64-bits",
		why: `peer wrong: Semantic Versioning 2.0.0 §2 sets no upper bound on a version number; Masterminds keeps ` +
			`each in a uint64 and refuses "99999999999999999999.0.0". mamori compares digits of any length.`,
		parse: func(d parseDiff) bool { return d.mamoriOK && longNumber.MatchString(d.v) },
	},
	{
		ecosystem: "SemVer", id: "capital-V-prefix",
		why: `mamori lenient, order unchanged: a "v" prefix is not part of Semantic Versioning 2.0.0 (FAQ: "v1.2.3" ` +
			`is not a semantic version); Masterminds tolerates "v" but not "V", mamori both.`,
		parse: func(d parseDiff) bool { return d.mamoriOK && strings.HasPrefix(d.v, "V") },
	},
	{
		ecosystem: "PyPI", id: "local-label-normalization",
		why: `peer wrong: PEP 440 "Local version segments" normalizes "-" and "_" in a local label to "." ` +
			`("1.0+ubuntu-1" is "1.0+ubuntu.1") and "Case sensitivity" makes letters case-insensitive, so these ` +
			`labels are equal; go-pep440-version compares the label text as written.`,
		pair: func(d disagreement) bool {
			return d.mamori == 0 && strings.Contains(d.a, "+") && strings.Contains(d.b, "+") &&
				normalizeLocal(d.a) == normalizeLocal(d.b)
		},
	},
	{
		ecosystem: "Maven", id: "empty-sublist",
		why: `peer wrong: ComparableVersion normalizes each sub-list when it is closed, innermost first, so "1-0" ` +
			`is [1, [0]] -> [1, []] -> [1] and equals "1" everywhere; go-mvn-version normalizes the outer list ` +
			`before appending the emptied inner one and keeps [1, []], which sorts below any number ("1-0" < "1.0.0.Alpha2").`,
		pair: func(d disagreement) bool {
			return (mavenNullTail.MatchString(d.a) || mavenNullTail.MatchString(d.b)) &&
				peerCompare("Maven", mavenNullTail.ReplaceAllString(d.a, ""), mavenNullTail.ReplaceAllString(d.b, "")) == d.mamori
		},
	},
	{
		ecosystem: "Maven", id: "MNG-7644",
		why: `peer follows Maven before 3.9: since Maven 3.9.0 (MNG-7644) ComparableVersion.parseVersion treats ` +
			`".X" like "-X" for a qualifier X followed by a digit or the end ("1.0.0.X1 < 1.0.0-X2"), so ` +
			`"1.0.0.Alpha2" is 1-alpha-2, below "1". The peer agrees with mamori once ".X" is written "-X".`,
		pair: func(d disagreement) bool {
			return (mavenDotQualifier.MatchString(d.a) || mavenDotQualifier.MatchString(d.b)) &&
				peerCompare("Maven", dotToHyphen(d.a), dotToHyphen(d.b)) == d.mamori
		},
	},
	{
		ecosystem: "Maven", id: "MNG-6572",
		why: `peer wrong: ComparableVersion keeps numbers beyond 63 bits as BigIntegerItem (MNG-6572); ` +
			`go-mvn-version parses them with strconv.Atoi, gets 0 on overflow and finds ` +
			`"1234567890123456789012345678901" equal to "...902".`,
		pair: func(d disagreement) bool { return longNumber.MatchString(d.a + " " + d.b) },
	},
	{
		ecosystem: "Alpine", id: "zero-before-pre-release",
		why: `peer wrong: it ports apk-tools' tokenizer from before 2.12.12 ("version: fix leading zero stripping"), ` +
			`which left a token behind after a dotted "0" and so put "1.0_alpha" above "1.0". apk-tools 2.12.12 and ` +
			`later, and apk-tools 3 (version.c: a pre-release suffix makes a version older), put it below.`,
		pair: func(d disagreement) bool {
			return apkZeroPre.MatchString(d.a+" "+d.b) && !apkLeadingZeros.MatchString(d.a+" "+d.b)
		},
	},
	{
		ecosystem: "Alpine", id: "apk-tools-3-leading-zeros",
		why: `peer follows apk-tools 2: apk-tools 3 ("version: rewrite version lexer to be readable, and fix zero ` +
			`prefix handling") compares a dotted part with a leading zero as a string (version.c token_cmp, as ` +
			`Gentoo's rules do) and added "8.2.0 < 8.2.001" and "8.2.0015 < 8.2.002" to test/unit/version.data; ` +
			`apk-tools 2 and the peer count the leading zeros and then compare the rest as a number, which gives ` +
			`the opposite for these pairs and puts "1.00" below "1.0". mamori follows apk-tools 3. No version in ` +
			`the shipped data has such a part.`,
		pair: func(d disagreement) bool { return apkLeadingZeros.MatchString(d.a + " " + d.b) },
	},
}

var (
	// leadingZeroIdent is a numeric pre-release identifier with a leading zero.
	leadingZeroIdent = regexp.MustCompile(`-(.*\.)?0[0-9]`)
	// longNumber is a number that needs more than 64 bits (Masterminds) or
	// an int (go-mvn-version).
	longNumber = regexp.MustCompile(`[0-9]{19,}`)
	// apkZeroPre is a dotted part of zeros right before a pre-release suffix.
	apkZeroPre = regexp.MustCompile(`\.0+_(alpha|beta|pre|rc)`)
	// apkLeadingZeros is a dotted part with two leading zeros or more.
	apkLeadingZeros = regexp.MustCompile(`\.00`)
)

// normalizeLocal is a PEP 440 version with its local label in normal form.
func normalizeLocal(v string) string {
	public, local, _ := strings.Cut(v, "+")
	return public + "+" + strings.ToLower(strings.NewReplacer("-", ".", "_", ".").Replace(local))
}

// mavenDotQualifier finds a qualifier after a dot that Maven 3.9 reads as
// if after a hyphen: one followed by a digit or ending the version.
var mavenDotQualifier = regexp.MustCompile(`(?i)\.([a-z]+)([0-9]|$)`)

// dotToHyphen writes Maven 3.9's reading of ".X" as "-X" into the string.
func dotToHyphen(v string) string { return mavenDotQualifier.ReplaceAllString(v, "-$1$2") }

// mavenNullTail is a trailing "-0" (or several), which ComparableVersion
// drops.
var mavenNullTail = regexp.MustCompile(`(-0+)+$`)

// peerCompare asks an ecosystem's peer to compare two strings again, for
// rules that explain a difference by rewriting the input; it returns 2
// when the peer refuses either string.
func peerCompare(ecosystem, a, b string) int {
	for _, e := range ecosystems {
		if e.name != ecosystem {
			continue
		}
		pa, errA := e.peer.parse(a)
		pb, errB := e.peer.parse(b)
		if errA != nil || errB != nil {
			return 2
		}
		return sign(e.peer.compare(pa, pb))
	}
	return 2
}

func explainPair(ecosystem string, d disagreement) *accepted {
	for _, a := range acceptedList {
		if a.ecosystem == ecosystem && a.pair != nil && a.pair(d) {
			return a
		}
	}
	return nil
}

func explainParse(ecosystem string, d parseDiff) *accepted {
	for _, a := range acceptedList {
		if a.ecosystem == ecosystem && a.parse != nil && a.parse(d) {
			return a
		}
	}
	return nil
}
