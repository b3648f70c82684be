package version

import (
	"cmp"
	"strings"
)

// Maven orders Maven versions as org.apache.maven.artifact.versioning.
// ComparableVersion does in Maven 3.9 (without the 4.0 "combination"
// items): "." and "-" separate items and so does a change between digits
// and letters; a "-" or a letter run opens a nested list, which sorts below
// a number at the same position; trailing zeros, "" and empty lists are
// dropped ("1.0" == "1" == "1-0"); qualifiers sort
// alpha < beta < milestone < rc = cr < snapshot < "" = ga = final = release
// < sp < unknown words (alphabetical); "a1", "b1", "m1" mean alpha-1,
// beta-1, milestone-1. A qualifier after a "." that is followed by a digit
// or ends the version is read as if after a "-" (MNG-7644, Maven 3.9.0:
// "1.0.0.RC1" < "1.0.0-RC2" and "2.0.a" == "2-a"); Maven 3.8 and earlier,
// and libraries that follow them, put "1.0.0.Alpha2" above "1-1".
//
// Like ComparableVersion, the order is not transitive for some odd strings
// that start with letters or mix qualifiers and sub-lists ("A" < "0rC" <
// "0" < "A"); real release versions are not affected.
var Maven Scheme = mavenScheme{}

type mavenScheme struct{}

func (mavenScheme) Name() string { return "maven" }

type mavenKind uint8

const (
	mavenInt mavenKind = iota
	mavenString
	mavenList
)

// mavenItem is one ComparableVersion item.
type mavenItem struct {
	kind mavenKind
	num  number
	// rank is the qualifier's index among the known qualifiers, or
	// mavenUnknown; word breaks ties between unknown qualifiers.
	rank int8
	word string
	list []mavenItem
}

// mavenQualifiers are ComparableVersion's known qualifiers in order.
var mavenQualifiers = map[string]int8{
	"alpha": 0, "beta": 1, "milestone": 2, "rc": 3, "cr": 3, "snapshot": 4,
	"": 5, "ga": 5, "final": 5, "release": 5,
	"sp": 6,
}

const (
	mavenRelease int8 = 5
	mavenUnknown int8 = 7
)

type mavenVersion struct {
	s     string
	items []mavenItem
}

func newMavenString(word string, followedByDigit bool) mavenItem {
	if followedByDigit && len(word) == 1 {
		switch word {
		case "a":
			word = "alpha"
		case "b":
			word = "beta"
		case "m":
			word = "milestone"
		}
	}
	if rank, ok := mavenQualifiers[word]; ok {
		return mavenItem{kind: mavenString, rank: rank}
	}
	return mavenItem{kind: mavenString, rank: mavenUnknown, word: word}
}

func newMavenItem(isDigit bool, buf string) mavenItem {
	if isDigit {
		return mavenItem{kind: mavenInt, num: parseNumber(buf)}
	}
	return newMavenString(buf, false)
}

func (it mavenItem) isNull() bool {
	switch it.kind {
	case mavenInt:
		return it.num.isZero()
	case mavenString:
		return it.rank == mavenRelease
	}
	return len(it.list) == 0
}

// mavenBuilder mirrors ComparableVersion.parseVersion: a stack of open
// lists, where each new list is appended to its parent when closed.
type mavenBuilder struct {
	stack [][]mavenItem
}

func (b *mavenBuilder) add(it mavenItem) {
	top := len(b.stack) - 1
	b.stack[top] = append(b.stack[top], it)
}

func (b *mavenBuilder) empty() bool { return len(b.stack[len(b.stack)-1]) == 0 }

// open starts a nested list inside the current one.
func (b *mavenBuilder) open() { b.stack = append(b.stack, nil) }

// close normalizes every open list and folds it into its parent.
func (b *mavenBuilder) close() []mavenItem {
	for len(b.stack) > 1 {
		top := mavenNormalize(b.stack[len(b.stack)-1])
		b.stack = b.stack[:len(b.stack)-1]
		b.add(mavenItem{kind: mavenList, list: top})
	}
	return mavenNormalize(b.stack[0])
}

// mavenNormalize drops null items from the end, looking through trailing
// lists as ListItem.normalize does.
func mavenNormalize(items []mavenItem) []mavenItem {
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].isNull() {
			items = append(items[:i], items[i+1:]...)
		} else if items[i].kind != mavenList {
			break
		}
	}
	return items
}

func (mavenScheme) Parse(s string) (Version, error) {
	t := strings.ToLower(strings.TrimSpace(s))
	if t == "" {
		return nil, ErrEmpty
	}
	b := &mavenBuilder{stack: [][]mavenItem{nil}}
	inDigits := false
	start := 0
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '.' || c == '-':
			if i == start {
				b.add(mavenItem{kind: mavenInt})
			} else {
				b.add(newMavenItem(inDigits, t[start:i]))
			}
			start = i + 1
			if c == '-' {
				b.open()
			}
		case isDigit(c):
			if !inDigits && i > start {
				// "1.0.0.X1 < 1.0.0-X2": a qualifier opens a list.
				if !b.empty() {
					b.open()
				}
				b.add(newMavenString(t[start:i], true))
				start = i
				b.open()
			}
			inDigits = true
		default:
			if inDigits && i > start {
				b.add(newMavenItem(true, t[start:i]))
				start = i
				b.open()
			}
			inDigits = false
		}
	}
	if len(t) > start {
		// Treat ".X" as "-X" for any trailing qualifier X.
		if !inDigits && !b.empty() {
			b.open()
		}
		b.add(newMavenItem(inDigits, t[start:]))
	}
	return mavenVersion{s: s, items: b.close()}, nil
}

func (v mavenVersion) String() string { return v.s }

func (v mavenVersion) Compare(other Version) int {
	o, ok := other.(mavenVersion)
	if !ok {
		return mismatched(v, other)
	}
	return compareMavenLists(v.items, o.items)
}

func compareMavenLists(a, b []mavenItem) int {
	for i := 0; i < len(a) || i < len(b); i++ {
		var c int
		switch {
		case i >= len(a):
			c = -b[i].compareNull()
		case i >= len(b):
			c = a[i].compareNull()
		default:
			c = a[i].compare(b[i])
		}
		if c != 0 {
			return c
		}
	}
	return 0
}

// compareNull compares an item with a missing one.
func (it mavenItem) compareNull() int {
	switch it.kind {
	case mavenInt:
		if it.num.isZero() {
			return 0
		}
		return 1
	case mavenString:
		return cmp.Compare(it.rank, mavenRelease)
	}
	if len(it.list) == 0 {
		return 0
	}
	return it.list[0].compareNull()
}

// compare follows the Item.compareTo rules: int > list > string at the
// same position.
func (it mavenItem) compare(o mavenItem) int {
	if it.kind != o.kind {
		return cmp.Compare(mavenKindOrder[it.kind], mavenKindOrder[o.kind])
	}
	switch it.kind {
	case mavenInt:
		return it.num.compare(o.num)
	case mavenString:
		if it.rank != o.rank {
			return cmp.Compare(it.rank, o.rank)
		}
		return cmp.Compare(it.word, o.word)
	}
	return compareMavenLists(it.list, o.list)
}

// mavenKindOrder ranks item kinds against each other: a qualifier is below
// a list ("1-sp" < "1-1"), which is below a number ("1-1" < "1.1").
var mavenKindOrder = [...]int8{mavenInt: 2, mavenString: 0, mavenList: 1}
