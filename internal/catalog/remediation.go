package catalog

import "fmt"

// RemediationDays is how many days a finding of each severity may stay
// unremediated: a remediation item opened for a finding is due this many
// days after it is opened (Japan time). An officer may set an earlier due
// date, never a later one: the table is the organization's commitment,
// and a later date would hide a finding that is overdue. The figures
// follow the common practice of government vulnerability handling plans
// (a critical weakness within two weeks, a high one within a month, a
// medium one within a quarter, a low one within half a year).
var RemediationDays = map[string]int{
	"critical": 14,
	"high":     30,
	"medium":   90,
	"low":      180,
}

// RemediationDue returns the number of days a finding of severity may
// stay open, or an error for a severity the table does not know.
func RemediationDue(severity string) (int, error) {
	d, ok := RemediationDays[severity]
	if !ok {
		return 0, fmt.Errorf("catalog: no remediation period for severity %q", severity)
	}
	return d, nil
}
