package jvn

import (
	"fmt"
	"strings"

	"mamori"
)

// cpe22To23 converts a CPE 2.2 URI, as JVN writes it
// ("cpe:/a:vendor:product[:version[:update[:edition[:language]]]]"), to a
// CPE 2.3 formatted string, following NISTIR 7695: unbind the URI
// (section 6.1.3) and bind the result as a formatted string (6.2.2).
//
// Empty and missing components become ANY ("*"), "-" stays NA, %xx is
// decoded, and characters other than letters, digits, "_", "." and "-"
// are escaped with a backslash, so
// "cpe:/a:rockwellautomation:industrial_data_center_%28idc%29_with_veeam"
// becomes "cpe:2.3:a:rockwellautomation:industrial_data_center_\(idc\)_with_veeam:*:*:*:*:*:*:*:*".
// A packed edition ("~edition~sw_edition~target_sw~target_hw~other") is
// unpacked into the 2.3 extended attributes.
func cpe22To23(uri string) (string, error) {
	if len(uri) < 5 || !strings.EqualFold(uri[:5], "cpe:/") {
		return "", fmt.Errorf("cpe %q does not start with cpe:/", mamori.Excerpt(uri))
	}
	comps := strings.Split(uri[5:], ":")
	if len(comps) > 7 {
		return "", fmt.Errorf("cpe %q has %d components, at most 7 allowed", mamori.Excerpt(uri), len(comps))
	}
	// part, vendor, product, version, update, edition, language,
	// sw_edition, target_sw, target_hw, other
	var attrs [11]string
	for i := range attrs {
		attrs[i] = "*"
	}
	for i, c := range comps {
		if i == 5 && strings.HasPrefix(c, "~") {
			packed := strings.Split(c, "~")
			if len(packed) != 6 {
				return "", fmt.Errorf("cpe %q: packed edition %q does not have 5 fields", mamori.Excerpt(uri), mamori.Excerpt(c))
			}
			for j, p := range packed[1:] {
				v, err := decodeComponent(p)
				if err != nil {
					return "", fmt.Errorf("cpe %q: %w", mamori.Excerpt(uri), err)
				}
				// edition, then sw_edition … other at 7..10.
				idx := 5
				if j > 0 {
					idx = 6 + j
				}
				attrs[idx] = v
			}
			continue
		}
		v, err := decodeComponent(c)
		if err != nil {
			return "", fmt.Errorf("cpe %q: %w", mamori.Excerpt(uri), err)
		}
		attrs[i] = v
	}
	switch attrs[0] {
	case "a", "o", "h", "*":
	default:
		return "", fmt.Errorf("cpe %q: part %q is not a, o or h", mamori.Excerpt(uri), mamori.Excerpt(attrs[0]))
	}
	return "cpe:2.3:" + strings.Join(attrs[:], ":"), nil
}

// decodeComponent turns one URI component into its formatted-string form.
func decodeComponent(s string) (string, error) {
	switch s {
	case "":
		return "*", nil
	case "-":
		return "-", nil
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '%' {
			if err := writeFS(&b, c); err != nil {
				return "", err
			}
			continue
		}
		if i+2 >= len(s) {
			return "", fmt.Errorf("truncated percent escape in %q", mamori.Excerpt(s))
		}
		v, ok := unhex(s[i+1], s[i+2])
		if !ok {
			return "", fmt.Errorf("bad percent escape %q in %q", mamori.Excerpt(s[i:i+3]), mamori.Excerpt(s))
		}
		first, last := i == 0, i+3 == len(s)
		i += 2
		switch v {
		case 0x01, 0x02:
			// %01 and %02 are the URI forms of the wildcards "?" and "*";
			// NISTIR 7695 allows them only at either end of a value.
			if !first && !last {
				return "", fmt.Errorf("embedded wildcard %%%02x in %q", v, mamori.Excerpt(s))
			}
			b.WriteByte("?*"[v-1])
		default:
			if err := writeFS(&b, v); err != nil {
				return "", err
			}
		}
	}
	return b.String(), nil
}

// writeFS appends one literal character in formatted-string form.
func writeFS(b *strings.Builder, c byte) error {
	switch {
	case 'A' <= c && c <= 'Z':
		// CPE names compare case-insensitively; NISTIR 7695 keeps them in
		// lower case.
		b.WriteByte(c + ('a' - 'A'))
	case 'a' <= c && c <= 'z', '0' <= c && c <= '9', c == '_', c == '.', c == '-':
		b.WriteByte(c)
	case c > ' ' && c < 0x7f:
		b.WriteByte('\\')
		b.WriteByte(c)
	default:
		return fmt.Errorf("character %q is not allowed in a CPE", c)
	}
	return nil
}

func unhex(hi, lo byte) (byte, bool) {
	h, ok1 := hexValue(hi)
	l, ok2 := hexValue(lo)
	return h<<4 | l, ok1 && ok2
}

func hexValue(c byte) (byte, bool) {
	switch {
	case '0' <= c && c <= '9':
		return c - '0', true
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10, true
	case 'A' <= c && c <= 'F':
		return c - 'A' + 10, true
	}
	return 0, false
}
