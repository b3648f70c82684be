package workflow

// All returns every workflow mamori runs, in the order pages list them.
// A deployment's service runs all of them: each decides for itself who may
// open and act on its items.
func All() []*Definition {
	return []*Definition{
		Remediation,
		Inspection,
	}
}
