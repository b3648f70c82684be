package demo

import _ "embed"

// selfInspection is a small catalog of manual controls (no check parts):
// the questions a self-inspection round asks of a project stage (the
// 標準ガイドライン's PJMO self-inspection, seed 000) and of an
// organization's fiscal year (統一基準 2.3.1). The demo imports it, so its
// rounds have questions; a deployment imports its own (NIST SP 800-53, …).
//
//go:embed self-inspection.json
var selfInspection []byte

// SelfInspectionCatalog returns the demo's self-inspection catalog, an
// OSCAL catalog document.
func SelfInspectionCatalog() []byte { return selfInspection }
