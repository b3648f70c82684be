package workflow

import "slices"

// SetByMamori says whether mamori alone sets detail name of d's items: a
// stamped date, or a remediation item's finding, vulnerability, target and
// escalation, which opening for a finding or a vulnerability and the
// escalation set and a hand-made item may not carry. Forms leave them
// out, since the service would refuse whatever a person entered.
func SetByMamori(d *Definition, name string) bool {
	if det, ok := d.Detail(name); ok && det.Stamped {
		return true
	}
	return d.Kind == Remediation.Kind && slices.Contains(systemDetails, name)
}
