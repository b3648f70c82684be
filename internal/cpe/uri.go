package cpe

import (
	"fmt"
	"strings"
)

// uriComponents is how many attributes a CPE 2.2 URI carries: part,
// vendor, product, version, update, edition and language, which are also
// the first seven WFN attributes.
const uriComponents = 7

// Positions of attributes in Name.attrs order.
const (
	editionIndex   = 5
	swEditionIndex = 7
	targetSwIndex  = 8
	targetHwIndex  = 9
	otherIndex     = 10
)

// ParseURI reads a CPE 2.2 URI ("cpe:/a:vendor:product:version:update:
// edition:language") and converts it to a WFN per NISTIR 7695 §6.1.3
// (unbind_uri):
//
//   - components may be omitted from the end or left empty, and then are
//     ANY ("cpe:/a:apache:http_server" has every other attribute ANY);
//     "-" is NA;
//   - "%xx" escapes are decoded ("%2f" is "/"), "%01" is the wildcard "?"
//     and "%02" the wildcard "*";
//   - an edition starting with "~" is the packed form
//     "~edition~sw_edition~target_sw~target_hw~other" and fills those five
//     attributes;
//   - any other printable character is taken literally, which is more
//     lenient than CPE 2.2 but matches how NISTIR 7695 decodes.
//
// The "cpe:/" prefix is matched without regard to case. More than seven
// components is an error.
func ParseURI(s string) (Name, error) {
	if len(s) < len(prefixURI) || !strings.EqualFold(s[:len(prefixURI)], prefixURI) {
		return Name{}, &SyntaxError{Input: s, Reason: `does not start with "cpe:/"`}
	}
	comps := strings.Split(s[len(prefixURI):], ":")
	if len(comps) > uriComponents {
		return Name{}, &SyntaxError{Input: s, Reason: fmt.Sprintf("has %d components after \"cpe:/\", want at most %d", len(comps), uriComponents)}
	}
	var n Name
	attrs := n.attrs()
	for at, comp := range comps {
		if at == editionIndex && strings.HasPrefix(comp, "~") {
			if err := unpackEdition(s, comp, &n); err != nil {
				return Name{}, err
			}
			continue
		}
		v, err := parseComponentURI(comp)
		if err == nil {
			err = checkAttr(at, v)
		}
		if err != nil {
			return Name{}, &SyntaxError{Input: s, Attr: attrNames[at], Value: comp, Reason: err.Error()}
		}
		*attrs[at] = v
	}
	return n, nil
}

// packedAttrs are the attributes packed into a CPE 2.2 edition, in order.
var packedAttrs = [5]int{editionIndex, swEditionIndex, targetSwIndex, targetHwIndex, otherIndex}

// unpackEdition fills edition, sw_edition, target_sw, target_hw and other
// from a packed edition "~e~sw~tsw~thw~o" (NISTIR 7695 §6.1.3.3 unpack).
func unpackEdition(input, comp string, n *Name) error {
	parts := strings.Split(comp[1:], "~")
	if len(parts) != len(packedAttrs) {
		return &SyntaxError{Input: input, Attr: "edition", Value: comp,
			Reason: fmt.Sprintf("packed edition has %d fields, want 5 (~edition~sw_edition~target_sw~target_hw~other)", len(parts))}
	}
	attrs := n.attrs()
	for i, p := range parts {
		at := packedAttrs[i]
		v, err := parseComponentURI(p)
		if err != nil {
			return &SyntaxError{Input: input, Attr: attrNames[at], Value: p, Reason: err.Error()}
		}
		*attrs[at] = v
	}
	return nil
}

// parseComponentURI decodes one URI component (NISTIR 7695 §6.1.3.2
// decode).
func parseComponentURI(comp string) (Attr, error) {
	switch comp {
	case "":
		return Any(), nil
	case "-":
		return NA(), nil
	}
	toks := make([]token, 0, len(comp))
	for i := 0; i < len(comp); i++ {
		c := comp[i]
		if !isPrintable(c) {
			return Attr{}, errorf("character %q at byte %d is not printable ASCII", c, i)
		}
		if c != '%' {
			toks = append(toks, token{c: toLowerASCII(c)})
			continue
		}
		if i+2 >= len(comp) || !isHex(comp[i+1]) || !isHex(comp[i+2]) {
			return Attr{}, errorf("%q at byte %d is not a %%xx escape", comp[i:min(i+3, len(comp))], i)
		}
		d := unhex(comp[i+1])<<4 | unhex(comp[i+2])
		i += 2
		switch {
		case d == 0x01:
			toks = append(toks, token{c: '?', wild: true})
		case d == 0x02:
			toks = append(toks, token{c: '*', wild: true})
		case isPrintable(d):
			toks = append(toks, token{c: toLowerASCII(d)})
		default:
			return Attr{}, errorf("escape %q at byte %d is not printable ASCII", comp[i-2:i+1], i-2)
		}
	}
	return buildAttr(toks)
}

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}
