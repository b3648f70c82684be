package sbom

import (
	"errors"
	"strings"
)

// cpe23Fields is the number of colon-separated fields in a CPE 2.3
// formatted string, "cpe" and "2.3" included (NISTIR 7695 §6.2).
const cpe23Fields = 13

// cpe22MaxFields is the most colon-separated components a CPE 2.2 URI has
// after "cpe:/": part, vendor, product, version, update, edition, language.
const cpe22MaxFields = 7

// checkCPE reports why s is not a usable CPE 2.3 formatted string or CPE 2.2
// URI. It checks shape only; values are kept exactly as given.
func checkCPE(s string) error {
	if strings.ContainsAny(s, " \t\r\n") {
		return errors.New("contains whitespace")
	}
	switch {
	case strings.HasPrefix(s, "cpe:2.3:"):
		fields, err := splitCPE23(s)
		if err != nil {
			return err
		}
		if len(fields) != cpe23Fields {
			return errors.New("CPE 2.3 needs 13 colon-separated fields")
		}
		if !validPart(fields[2]) {
			return errors.New("CPE part must be a, o, h, * or -")
		}
		if fields[3] == "" || fields[4] == "" {
			return errors.New("CPE vendor and product must not be empty")
		}
		return nil
	case strings.HasPrefix(s, "cpe:/"):
		fields := strings.Split(s[len("cpe:/"):], ":")
		if len(fields) > cpe22MaxFields {
			return errors.New("CPE 2.2 URI has more than 7 components")
		}
		if !validPart(fields[0]) || fields[0] == "*" || fields[0] == "-" {
			return errors.New("CPE 2.2 part must be a, o or h")
		}
		return nil
	}
	return errors.New(`CPE must start with "cpe:2.3:" or "cpe:/"`)
}

// validPart reports whether part is a CPE part value.
func validPart(part string) bool {
	switch part {
	case "a", "o", "h", "*", "-":
		return true
	}
	return false
}

// splitCPE23 splits a CPE 2.3 formatted string on the colons that are not
// escaped with a backslash; syft writes epochs as "1\:2.36.1-8".
func splitCPE23(s string) ([]string, error) {
	var fields []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			if i+1 == len(s) {
				return nil, errors.New("CPE ends with a lone backslash")
			}
			i++
		case ':':
			fields = append(fields, s[start:i])
			start = i + 1
		}
	}
	return append(fields, s[start:]), nil
}
