package workflow

// All returns every workflow mamori runs, in the order pages list them,
// with the default options. A deployment's service runs all of them: each
// decides for itself who may open and act on its items.
func All() []*Definition { return AllWith(Options{}) }

// AllWith returns every workflow mamori runs, configured by o.
func AllWith(o Options) []*Definition {
	return []*Definition{
		Remediation,
		ConformityCheck,
		SpecReview,
		CloudUse,
		ExportRequest(o.MaxExportDays),
		Inspection,
		Incident,
	}
}
