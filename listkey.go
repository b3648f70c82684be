package mamori

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// ListKey normalises an ISMAP registration number (or a name) for
// matching a register's cloud service to the published lists: NFKC
// (full-width to half-width), upper case, white space removed and every
// dash-like character (‐ – — − ー ｰ) read as a hyphen, so that
// 「Ｃ２１－００４５－１」, "c21-0045-1" and "C21 ‐0045‐1" are one number.
// It lives here because both the list reader and the store's checks
// match by it.
func ListKey(s string) string {
	s = norm.NFKC.String(s)
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
			continue
		case r == '‐' || r == '‑' || r == '‒' || r == '–' || r == '—' || r == '―' || r == '−' || r == 'ー' || r == 'ｰ':
			b.WriteByte('-')
		default:
			b.WriteRune(unicode.ToUpper(r))
		}
	}
	return b.String()
}

// ListNameKey is the key for matching a service that has no registration
// number: its provider and its name, each folded as ListKey folds them.
// Only an exact match of both counts; a near one leaves the service
// unconfirmed.
func ListNameKey(provider, service string) string {
	return ListKey(provider) + "\x1f" + ListKey(service)
}
