package cpe

import (
	"fmt"
	"strings"
)

// Attr is one attribute of a CPE name: ANY, NA, or a value. A value from a
// match string may start and end with a wildcard. The zero Attr is ANY,
// which is what an attribute left unsaid means.
//
// Attr is comparable with ==; two Attrs are equal exactly when they are the
// same logical value or the same (lowercase) value with the same wildcards.
type Attr struct {
	kind attrKind
	// body is the value without its wildcards, unescaped and lowercase.
	body string
	// lead and trail are the wildcards before and after body, counted the
	// way NISTIR 7696 compare_strings counts them: 0 for none, -1 for "*",
	// n > 0 for a run of n "?".
	lead, trail int
}

type attrKind uint8

const (
	kindAny attrKind = iota // the zero value, so that an unset attribute is ANY
	kindNA
	kindValue
)

// star is the lead/trail count that stands for an unquoted "*".
const star = -1

// Any returns the logical value ANY ("*"): the attribute may be anything.
func Any() Attr { return Attr{} }

// NA returns the logical value NA ("-"): the attribute does not apply.
func NA() Attr { return Attr{kind: kindNA} }

// Literal returns the value s taken literally: no character in it is a
// wildcard and no escaping is expected. It is folded to lowercase. An empty
// s gives ANY, because an inventory field left blank means "not known".
// Literal is for building inventory names from package fields; use Parse
// for names that are already in CPE syntax. It fails when s holds a
// character a CPE value cannot (anything but printable ASCII without
// spaces); the caller decides how to transliterate, for example a space to
// "_" as the CPE dictionary does.
func Literal(s string) (Attr, error) {
	if s == "" {
		return Any(), nil
	}
	b := []byte(s)
	for i, c := range b {
		if !isPrintable(c) {
			return Attr{}, &SyntaxError{Input: s, Reason: fmt.Sprintf("character %q at byte %d is not printable ASCII", c, i)}
		}
		b[i] = toLowerASCII(c)
	}
	return Attr{kind: kindValue, body: string(b)}, nil
}

// IsAny reports whether a is the logical value ANY.
func (a Attr) IsAny() bool { return a.kind == kindAny }

// IsNA reports whether a is the logical value NA.
func (a Attr) IsNA() bool { return a.kind == kindNA }

// HasWildcards reports whether a is a value with an unquoted "*" or "?".
// Such a value can only be a match criterion: NISTIR 7696 leaves a
// comparison against it undefined when it is the candidate.
func (a Attr) HasWildcards() bool { return a.lead != 0 || a.trail != 0 }

// Value returns the logical value unescaped ("1:2.36.1-8+deb11u1" for the
// formatted-string component "1\:2.36.1-8\+deb11u1"), or "" for ANY and NA.
// Wildcards are included as "*" and "?"; HasWildcards tells them apart
// from literal characters.
func (a Attr) Value() string {
	if a.kind != kindValue {
		return ""
	}
	if !a.HasWildcards() {
		return a.body
	}
	return wildcardText(a.lead) + a.body + wildcardText(a.trail)
}

// String returns the attribute as a formatted-string component: "*" for
// ANY, "-" for NA, otherwise the value escaped per NISTIR 7695 §6.2.
func (a Attr) String() string {
	switch a.kind {
	case kindAny:
		return "*"
	case kindNA:
		return "-"
	}
	var b strings.Builder
	b.Grow(len(a.body) + 4)
	b.WriteString(wildcardText(a.lead))
	if a.body == "-" {
		// A bare "-" would read back as NA.
		b.WriteString(`\-`)
	} else {
		for i := 0; i < len(a.body); i++ {
			c := a.body[i]
			if !isAlnum(c) && c != '_' && c != '.' && c != '-' {
				b.WriteByte('\\')
			}
			b.WriteByte(c)
		}
	}
	b.WriteString(wildcardText(a.trail))
	return b.String()
}

// wildcardText renders a lead/trail count as the wildcard characters.
func wildcardText(n int) string {
	if n == star {
		return "*"
	}
	return strings.Repeat("?", n)
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

// isPrintable reports whether c may appear in a CPE value: printable ASCII
// without the space (NISTIR 7695 §5.3.2).
func isPrintable(c byte) bool { return 0x21 <= c && c <= 0x7e }

func toLowerASCII(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
