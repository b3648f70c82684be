package osv

import (
	"fmt"
	"math"
	"strings"

	"mamori"
)

// cvss3Weights holds the base metric weights of CVSS v3.0 and v3.1
// (specification section 7.4). Privileges Required is special-cased
// because its weight depends on Scope.
var cvss3Weights = map[string]map[string]float64{
	"AV": {"N": 0.85, "A": 0.62, "L": 0.55, "P": 0.2},
	"AC": {"L": 0.77, "H": 0.44},
	"PR": {"N": 0.85, "L": 0.62, "H": 0.27},
	"UI": {"N": 0.85, "R": 0.62},
	"S":  {"U": 0, "C": 0},
	"C":  {"H": 0.56, "L": 0.22, "N": 0},
	"I":  {"H": 0.56, "L": 0.22, "N": 0},
	"A":  {"H": 0.56, "L": 0.22, "N": 0},
}

// cvss3Optional lists the temporal and environmental metrics a vector may
// carry after the base metrics; they do not change the base score.
var cvss3Optional = map[string]bool{
	"E": true, "RL": true, "RC": true, "CR": true, "IR": true, "AR": true,
	"MAV": true, "MAC": true, "MPR": true, "MUI": true, "MS": true,
	"MC": true, "MI": true, "MA": true,
}

// cvss3BaseScore computes the base score, in tenths, of a CVSS v3.0 or
// v3.1 vector such as "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H" (98).
// OSV carries only the vector, and a stored score must not depend on which
// database happened to publish the record.
func cvss3BaseScore(vector string) (tenths int, version string, err error) {
	prefix, rest, _ := strings.Cut(vector, "/")
	switch prefix {
	case "CVSS:3.0":
		version = "3.0"
	case "CVSS:3.1":
		version = "3.1"
	default:
		return 0, "", fmt.Errorf("osv: CVSS_V3 vector %q does not start with CVSS:3.0/ or CVSS:3.1/", mamori.Excerpt(vector))
	}
	values := map[string]string{}
	for part := range strings.SplitSeq(rest, "/") {
		key, val, ok := strings.Cut(part, ":")
		if !ok || val == "" {
			return 0, "", fmt.Errorf("osv: CVSS vector %q: malformed metric %q", mamori.Excerpt(vector), mamori.Excerpt(part))
		}
		if _, dup := values[key]; dup {
			return 0, "", fmt.Errorf("osv: CVSS vector %q: metric %s repeated", mamori.Excerpt(vector), key)
		}
		values[key] = val
		if weights, base := cvss3Weights[key]; base {
			if _, known := weights[val]; !known {
				return 0, "", fmt.Errorf("osv: CVSS vector %q: %s:%s is not a valid value", mamori.Excerpt(vector), key, val)
			}
		} else if !cvss3Optional[key] {
			return 0, "", fmt.Errorf("osv: CVSS vector %q: unknown metric %s", mamori.Excerpt(vector), key)
		}
	}
	for key := range cvss3Weights {
		if _, ok := values[key]; !ok {
			return 0, "", fmt.Errorf("osv: CVSS vector %q: base metric %s missing", mamori.Excerpt(vector), key)
		}
	}

	changed := values["S"] == "C"
	w := func(k string) float64 { return cvss3Weights[k][values[k]] }
	pr := w("PR")
	if changed {
		switch values["PR"] {
		case "L":
			pr = 0.68
		case "H":
			pr = 0.5
		}
	}
	iss := 1 - (1-w("C"))*(1-w("I"))*(1-w("A"))
	var impact float64
	if changed {
		impact = 7.52*(iss-0.029) - 3.25*math.Pow(iss-0.02, 15)
	} else {
		impact = 6.42 * iss
	}
	if impact <= 0 {
		return 0, version, nil
	}
	exploitability := 8.22 * w("AV") * w("AC") * pr * w("UI")
	total := impact + exploitability
	if changed {
		total *= 1.08
	}
	total = math.Min(total, 10)
	if version == "3.0" {
		return int(math.Ceil(total * 10)), version, nil
	}
	return roundUp31(total), version, nil
}

// roundUp31 is the v3.1 Roundup (specification appendix A): it works on an
// integer so that 4.000000000000001 rounds to 4.0 rather than 4.1, the
// floating-point artefact v3.0's plain ceiling suffered from.
func roundUp31(x float64) int {
	i := int(math.Round(x * 100000))
	if i%10000 == 0 {
		return i / 10000
	}
	return i/10000 + 1
}

// cvss3Severity is the qualitative rating of a v3 base score in tenths.
func cvss3Severity(tenths int) string {
	switch {
	case tenths == 0:
		return "NONE"
	case tenths < 40:
		return "LOW"
	case tenths < 70:
		return "MEDIUM"
	case tenths < 90:
		return "HIGH"
	default:
		return "CRITICAL"
	}
}
