package nvd

import (
	"fmt"
	"regexp"
	"time"

	"mamori"
)

// scoreTenths converts a CVSS base score written as decimal text ("9.8",
// "7.5", "10.0", "5") to tenths. It works on the text, not on a float64, so
// that "7.5" is exactly 75 and a value such as "4.45" rounds half away from
// zero to 45 instead of whatever the nearest binary fraction gives.
func scoreTenths(text string) (int, error) {
	if text == "" {
		return 0, fmt.Errorf("nvd: empty score")
	}
	i := 0
	whole := 0
	for i < len(text) && text[i] >= '0' && text[i] <= '9' {
		whole = whole*10 + int(text[i]-'0')
		if whole > 10 {
			return 0, fmt.Errorf("nvd: score %q out of range 0-10", mamori.Excerpt(text))
		}
		i++
	}
	if i == 0 {
		return 0, fmt.Errorf("nvd: score %q is not a decimal number", mamori.Excerpt(text))
	}
	tenths := whole * 10
	if i < len(text) {
		if text[i] != '.' || i+1 == len(text) {
			return 0, fmt.Errorf("nvd: score %q is not a decimal number", mamori.Excerpt(text))
		}
		for j, c := range []byte(text[i+1:]) {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("nvd: score %q is not a decimal number", mamori.Excerpt(text))
			}
			switch j {
			case 0:
				tenths += int(c - '0')
			case 1:
				if c >= '5' {
					tenths++
				}
			}
		}
	}
	if tenths > 100 {
		return 0, fmt.Errorf("nvd: score %q out of range 0-10", mamori.Excerpt(text))
	}
	return tenths, nil
}

// timeLayouts are the timestamp spellings seen in NVD data: the 2.0 API
// writes local-less "2024-11-18T16:15:11.683" (UTC by NVD's documentation),
// the 1.1 feed "2018-01-10T22:29Z", and the override annotations RFC 3339
// with an offset or, now and then, without one. time.Parse accepts a
// fractional second after the seconds field even when the layout has none.
var timeLayouts = []string{
	time.RFC3339,
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02",
}

// parseTime reads one NVD timestamp; a value without a zone is UTC.
func parseTime(text string) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.Parse(layout, text); err == nil {
			return t.UTC(), nil
		}
	}
	return time.Time{}, fmt.Errorf("nvd: bad timestamp %q", mamori.Excerpt(text))
}

// cveID is the shape of a CVE identifier (CVE JSON 5 schema: four-digit
// year, at least four digits of sequence).
var cveID = regexp.MustCompile(`^CVE-[0-9]{4}-[0-9]{4,}$`)

// kevDate is CISA's date format for cisaExploitAdd and cisaActionDue.
const kevDate = "2006-01-02"
