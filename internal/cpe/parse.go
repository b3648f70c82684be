package cpe

import (
	"fmt"
	"strings"

	"mamori"
)

const (
	prefixFS  = "cpe:2.3:"
	prefixURI = "cpe:/"
)

// SyntaxError reports a CPE name that cannot be read. Attr and Value name
// the offending component when the problem lies in one.
type SyntaxError struct {
	Input  string // the name as given
	Attr   string // WFN attribute name such as "version"; empty if the whole name is at fault
	Value  string // the component as written
	Reason string
}

// Error names the input, and the attribute and component when known.
func (e *SyntaxError) Error() string {
	if e.Attr == "" {
		return fmt.Sprintf("cpe: %q: %s", mamori.Excerpt(e.Input), e.Reason)
	}
	return fmt.Sprintf("cpe: %q: %s %q: %s", mamori.Excerpt(e.Input), e.Attr, mamori.Excerpt(e.Value), e.Reason)
}

// Parse reads a CPE 2.3 formatted string ("cpe:2.3:a:vendor:product:...").
// All 13 colon-separated components are required, as NISTIR 7695 §6.2
// demands; a shorter or longer name is an error, because padding would
// guess at what the writer meant. The "cpe:2.3:" prefix is matched without
// regard to case. Components follow NISTIR 7695 §6.2.3: "*" is ANY, "-" is
// NA, a backslash quotes the next character, an unquoted "*" or "?" is a
// wildcard (allowed only at either end), and any other unquoted
// punctuation is taken literally. The result is normalised as the package
// comment describes.
func Parse(s string) (Name, error) {
	if len(s) < len(prefixFS) || !strings.EqualFold(s[:len(prefixFS)], prefixFS) {
		return Name{}, &SyntaxError{Input: s, Reason: `does not start with "cpe:2.3:"`}
	}
	var n Name
	rest := s[len(prefixFS):]
	for i, a := range n.attrs() {
		comp, tail, found := cutUnquotedColon(rest)
		last := i == len(attrNames)-1
		if found == last {
			return Name{}, &SyntaxError{Input: s, Reason: fmt.Sprintf("has %d components, want 13", countComponents(s))}
		}
		v, err := parseComponentFS(comp)
		if err == nil {
			err = checkAttr(i, v)
		}
		if err != nil {
			return Name{}, &SyntaxError{Input: s, Attr: attrNames[i], Value: comp, Reason: err.Error()}
		}
		*a = v
		rest = tail
	}
	return n, nil
}

// MustParse is like ParseAny (either form) but panics if s cannot be
// read. It is for names written into code and tests.
func MustParse(s string) Name {
	n, err := ParseAny(s)
	if err != nil {
		panic(err)
	}
	return n
}

// ParseAny reads either form: a CPE 2.3 formatted string (Parse) or a CPE
// 2.2 URI (ParseURI), told apart by their prefixes.
func ParseAny(s string) (Name, error) {
	if len(s) >= len(prefixURI) && strings.EqualFold(s[:len(prefixURI)], prefixURI) {
		return ParseURI(s)
	}
	return Parse(s)
}

// cutUnquotedColon splits s at its first colon not quoted by a backslash.
func cutUnquotedColon(s string) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case ':':
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// countComponents counts the components of a formatted string for an
// error message.
func countComponents(s string) int {
	n := 1
	for {
		_, rest, found := cutUnquotedColon(s)
		if !found {
			return n
		}
		n++
		s = rest
	}
}

// token is one character of a value after unescaping: a literal character,
// or an unquoted wildcard ("*" or "?").
type token struct {
	c    byte
	wild bool
}

// parseComponentFS unbinds one formatted-string component (NISTIR 7695
// §6.2.3.1 unbind_value_fs).
func parseComponentFS(comp string) (Attr, error) {
	switch comp {
	case "*":
		return Any(), nil
	case "-":
		return NA(), nil
	case "":
		return Attr{}, errorf("empty; write \"*\" for ANY")
	}
	toks := make([]token, 0, len(comp))
	for i := 0; i < len(comp); i++ {
		c := comp[i]
		if !isPrintable(c) {
			return Attr{}, errorf("character %q at byte %d is not printable ASCII", c, i)
		}
		switch c {
		case '\\':
			i++
			if i == len(comp) {
				return Attr{}, errorf("ends with an unfinished escape")
			}
			if !isPrintable(comp[i]) {
				return Attr{}, errorf("character %q at byte %d is not printable ASCII", comp[i], i)
			}
			toks = append(toks, token{c: toLowerASCII(comp[i])})
		case '*', '?':
			toks = append(toks, token{c: c, wild: true})
		default:
			toks = append(toks, token{c: toLowerASCII(c)})
		}
	}
	return buildAttr(toks)
}

// buildAttr turns unescaped tokens into an Attr, enforcing NISTIR 7695
// §5.3.2: wildcards only at the start or end, each end either one "*" or a
// run of "?".
func buildAttr(toks []token) (Attr, error) {
	first, last := -1, -1
	for i, t := range toks {
		if !t.wild {
			if first < 0 {
				first = i
			}
			last = i
		}
	}
	if first < 0 {
		// Nothing but wildcards.
		lead, ok := wildcardRun(toks)
		if !ok || lead == 0 {
			return Attr{}, errorf("wildcards %q must be one \"*\" or a run of \"?\"", mamori.Excerpt(tokensText(toks)))
		}
		if lead == star {
			return Any(), nil
		}
		return Attr{kind: kindValue, lead: lead}, nil
	}
	lead, ok := wildcardRun(toks[:first])
	if !ok {
		return Attr{}, errorf("leading wildcards %q must be one \"*\" or a run of \"?\"", mamori.Excerpt(tokensText(toks[:first])))
	}
	trail, ok := wildcardRun(toks[last+1:])
	if !ok {
		return Attr{}, errorf("trailing wildcards %q must be one \"*\" or a run of \"?\"", mamori.Excerpt(tokensText(toks[last+1:])))
	}
	body := make([]byte, 0, last+1-first)
	for _, t := range toks[first : last+1] {
		if t.wild {
			return Attr{}, errorf("unquoted %q inside the value; quote it with a backslash", t.c)
		}
		body = append(body, t.c)
	}
	return Attr{kind: kindValue, body: string(body), lead: lead, trail: trail}, nil
}

// wildcardRun counts a run of wildcard tokens as lead/trail: 0 for none,
// star for a single "*", n for n "?". ok is false for any other mix.
func wildcardRun(toks []token) (n int, ok bool) {
	if len(toks) == 1 && toks[0].c == '*' {
		return star, true
	}
	for _, t := range toks {
		if t.c != '?' {
			return 0, false
		}
	}
	return len(toks), true
}

func tokensText(toks []token) string {
	b := make([]byte, len(toks))
	for i, t := range toks {
		b[i] = t.c
	}
	return string(b)
}

// checkAttr applies the per-attribute rules beyond the value syntax: the
// part must be a, o, h or ANY (NISTIR 7695 §5.3.3.1).
func checkAttr(i int, a Attr) error {
	if i != 0 || a.IsAny() {
		return nil
	}
	if a.kind == kindValue && !a.HasWildcards() && (a.body == "a" || a.body == "o" || a.body == "h") {
		return nil
	}
	return errorf(`must be "a", "o", "h" or "*"`)
}

// reason is the detail of a SyntaxError before the input and component
// are known.
type reason string

func (r reason) Error() string { return string(r) }

func errorf(format string, args ...any) error {
	return reason(fmt.Sprintf(format, args...))
}
