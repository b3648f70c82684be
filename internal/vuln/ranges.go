package vuln

import (
	"errors"
	"fmt"
	"strings"

	"mamori"
)

// The store keeps OSV ranges as text the matcher splits without a JSON
// parser: one range per line, "TYPE" then tab-separated kind/version
// pairs ("SEMVER\tintroduced\t0\tfixed\t1.2.3"); versions one per line.

// EncodeRanges writes ranges in the store's form.
func EncodeRanges(rs []Range) (string, error) {
	var b strings.Builder
	for i, r := range rs {
		if err := clean(r.Type); err != nil {
			return "", fmt.Errorf("range %d type: %w", i, err)
		}
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(r.Type)
		for j, e := range r.Events {
			kind, v := e.kind()
			if kind == "" {
				return "", fmt.Errorf("range %d event %d: no introduced, fixed, last_affected or limit", i, j)
			}
			if err := clean(v); err != nil {
				return "", fmt.Errorf("range %d event %d: %w", i, j, err)
			}
			b.WriteString("\t" + kind + "\t" + v)
		}
	}
	return b.String(), nil
}

func (e Event) kind() (string, string) {
	switch {
	case e.Introduced != "":
		return "introduced", e.Introduced
	case e.Fixed != "":
		return "fixed", e.Fixed
	case e.LastAffected != "":
		return "last_affected", e.LastAffected
	case e.Limit != "":
		return "limit", e.Limit
	}
	return "", ""
}

// DecodeRanges reads ranges written by EncodeRanges.
func DecodeRanges(s string) ([]Range, error) {
	if s == "" {
		return nil, nil
	}
	var out []Range
	for line := range strings.SplitSeq(s, "\n") {
		f := strings.Split(line, "\t")
		if len(f)%2 != 1 {
			return nil, fmt.Errorf("vuln: malformed stored range %q", mamori.Excerpt(line))
		}
		r := Range{Type: f[0]}
		for i := 1; i < len(f); i += 2 {
			var e Event
			switch f[i] {
			case "introduced":
				e.Introduced = f[i+1]
			case "fixed":
				e.Fixed = f[i+1]
			case "last_affected":
				e.LastAffected = f[i+1]
			case "limit":
				e.Limit = f[i+1]
			default:
				return nil, fmt.Errorf("vuln: malformed stored range %q", mamori.Excerpt(line))
			}
			r.Events = append(r.Events, e)
		}
		out = append(out, r)
	}
	return out, nil
}

// EncodeVersions writes an explicit version list, one per line.
func EncodeVersions(vs []string) (string, error) {
	for i, v := range vs {
		if err := clean(v); err != nil {
			return "", fmt.Errorf("version %d: %w", i, err)
		}
	}
	return strings.Join(vs, "\n"), nil
}

// DecodeVersions reads a list written by EncodeVersions.
func DecodeVersions(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, "\n")
}

func clean(s string) error {
	if strings.ContainsAny(s, "\t\n\r") {
		return errors.New("contains a tab or line break: " + fmt.Sprintf("%q", mamori.Excerpt(s)))
	}
	return nil
}
