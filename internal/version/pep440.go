package version

import (
	"cmp"
	"regexp"
	"strings"
)

// PEP440 orders Python package versions as PEP 440 and the packaging
// library do: epochs ("1!2.0"), pre-releases with their alternate spellings
// (alpha/a, beta/b, c/rc/pre/preview), post-releases (".post1", "-1",
// "rev", "r"), dev releases, local labels ("+ubuntu1"), "_", "-" and "."
// as interchangeable separators, and any letter case.
var PEP440 Scheme = pep440Scheme{}

type pep440Scheme struct{}

func (pep440Scheme) Name() string { return "pep440" }

// pep440Pattern is PEP 440's appendix B expression (VERSION_PATTERN in the
// packaging library), anchored and case-insensitive.
var pep440Pattern = regexp.MustCompile(`(?i)^\s*v?` +
	`(?:(?P<epoch>[0-9]+)!)?` +
	`(?P<release>[0-9]+(?:\.[0-9]+)*)` +
	`(?P<pre>[-_.]?(?P<pre_l>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?P<pre_n>[0-9]+)?)?` +
	`(?P<post>(?:-(?P<post_n1>[0-9]+))|(?:[-_.]?(?P<post_l>post|rev|r)[-_.]?(?P<post_n2>[0-9]+)?))?` +
	`(?P<dev>[-_.]?(?P<dev_l>dev)[-_.]?(?P<dev_n>[0-9]+)?)?` +
	`(?:\+(?P<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?\s*$`)

var pep440Group = func() map[string]int {
	m := map[string]int{}
	for i, name := range pep440Pattern.SubexpNames() {
		if name != "" {
			m[name] = i
		}
	}
	return m
}()

// Pre-release phases. pep440NoPre sorts a final release above every
// pre-release; pep440DevOnly puts "1.0.dev0" below "1.0a0" as packaging does.
const (
	pep440DevOnly int8 = -1
	pep440Alpha   int8 = 0
	pep440Beta    int8 = 1
	pep440RC      int8 = 2
	pep440NoPre   int8 = 3
)

// pep440Local is one dot-separated part of a local label: numbers sort
// above strings.
type pep440Local struct {
	numeric bool
	num     number
	str     string
}

type pep440Version struct {
	s       string
	epoch   number
	release []number // trailing zeros removed: 1.0 == 1.0.0
	pre     int8
	preN    number
	hasPost bool
	postN   number
	hasDev  bool
	devN    number
	local   []pep440Local
}

func (pep440Scheme) Parse(s string) (Version, error) {
	if strings.TrimSpace(s) == "" {
		return nil, ErrEmpty
	}
	m := pep440Pattern.FindStringSubmatch(s)
	if m == nil {
		return nil, errorf("pep440", s, "not a PEP 440 version")
	}
	group := func(name string) string { return m[pep440Group[name]] }
	v := pep440Version{s: s, pre: pep440NoPre}
	if e := group("epoch"); e != "" {
		v.epoch = parseNumber(e)
	}
	for _, p := range strings.Split(group("release"), ".") {
		v.release = append(v.release, parseNumber(p))
	}
	for len(v.release) > 0 && v.release[len(v.release)-1].isZero() {
		v.release = v.release[:len(v.release)-1]
	}
	if l := strings.ToLower(group("pre_l")); l != "" {
		switch l {
		case "a", "alpha":
			v.pre = pep440Alpha
		case "b", "beta":
			v.pre = pep440Beta
		default: // c, rc, pre, preview
			v.pre = pep440RC
		}
		v.preN = parseDigits(group("pre_n"))
	}
	if group("post") != "" {
		v.hasPost = true
		v.postN = parseDigits(group("post_n1") + group("post_n2"))
	}
	if group("dev") != "" {
		v.hasDev = true
		v.devN = parseDigits(group("dev_n"))
	}
	if v.pre == pep440NoPre && !v.hasPost && v.hasDev {
		v.pre = pep440DevOnly
	}
	if local := group("local"); local != "" {
		for _, part := range strings.FieldsFunc(strings.ToLower(local), func(r rune) bool {
			return r == '.' || r == '-' || r == '_'
		}) {
			if allDigits(part) {
				v.local = append(v.local, pep440Local{numeric: true, num: parseNumber(part)})
			} else {
				v.local = append(v.local, pep440Local{str: part})
			}
		}
	}
	return v, nil
}

// parseDigits reads an optional number; absent means 0 ("1.0a" == "1.0a0").
func parseDigits(s string) number {
	if s == "" {
		return number{}
	}
	return parseNumber(s)
}

func (v pep440Version) String() string { return v.s }

func (v pep440Version) Compare(other Version) int {
	o, ok := other.(pep440Version)
	if !ok {
		return mismatched(v, other)
	}
	if c := v.epoch.compare(o.epoch); c != 0 {
		return c
	}
	for i := 0; i < len(v.release) || i < len(o.release); i++ {
		var a, b number
		if i < len(v.release) {
			a = v.release[i]
		}
		if i < len(o.release) {
			b = o.release[i]
		}
		if c := a.compare(b); c != 0 {
			return c
		}
	}
	if c := cmp.Compare(v.pre, o.pre); c != 0 {
		return c
	}
	if v.pre != pep440NoPre && v.pre != pep440DevOnly {
		if c := v.preN.compare(o.preN); c != 0 {
			return c
		}
	}
	// No post-release sorts below any post-release.
	if v.hasPost != o.hasPost {
		return boolOrder(v.hasPost)
	}
	if c := v.postN.compare(o.postN); c != 0 {
		return c
	}
	// No dev release sorts above any dev release.
	if v.hasDev != o.hasDev {
		return -boolOrder(v.hasDev)
	}
	if c := v.devN.compare(o.devN); c != 0 {
		return c
	}
	return compareLocal(v.local, o.local)
}

// boolOrder is +1 when the receiver has the property the other lacks.
func boolOrder(has bool) int {
	if has {
		return 1
	}
	return -1
}

// compareLocal orders local labels: none below any, then part by part with
// numbers above strings, and a longer label above its prefix.
func compareLocal(a, b []pep440Local) int {
	for i := 0; i < len(a) && i < len(b); i++ {
		x, y := a[i], b[i]
		var c int
		switch {
		case x.numeric && y.numeric:
			c = x.num.compare(y.num)
		case x.numeric:
			c = 1
		case y.numeric:
			c = -1
		default:
			c = cmp.Compare(x.str, y.str)
		}
		if c != 0 {
			return c
		}
	}
	return cmp.Compare(len(a), len(b))
}
