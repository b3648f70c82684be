package oscal

// PlanOfActionAndMilestones is an OSCAL plan-of-action-and-milestones (POA&M)
// document body. UUID, Metadata and POAMItems are required. A POA&M names
// its system either by ImportSSP or, when there is no OSCAL SSP, by
// SystemID.
type PlanOfActionAndMilestones struct {
	UUID         string        `json:"uuid"`
	Metadata     Metadata      `json:"metadata"`
	ImportSSP    *ImportSSP    `json:"import-ssp,omitempty"`
	SystemID     *SystemID     `json:"system-id,omitempty"`
	Observations []Observation `json:"observations,omitempty"`
	Risks        []Risk        `json:"risks,omitempty"`
	Findings     []Finding     `json:"findings,omitempty"`
	POAMItems    []POAMItem    `json:"poam-items"`
	BackMatter   *BackMatter   `json:"back-matter,omitempty"`
}

// ImportSSP points to the system security plan a document is about.
type ImportSSP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

// SystemID identifies a system in some identifier scheme (a URI, for
// example MamoriNamespace for mamori's own system IDs).
type SystemID struct {
	IdentifierType string `json:"identifier-type,omitempty"`
	ID             string `json:"id"`
}

// POAMItem is one planned remediation. Title and Description are required;
// UUID is optional in OSCAL 1.1.2 but mamori always sets it.
type POAMItem struct {
	UUID                string               `json:"uuid,omitempty"`
	Title               string               `json:"title"`
	Description         string               `json:"description"`
	Props               []Property           `json:"props,omitempty"`
	Links               []Link               `json:"links,omitempty"`
	RelatedFindings     []RelatedFinding     `json:"related-findings,omitempty"`
	RelatedObservations []RelatedObservation `json:"related-observations,omitempty"`
	RelatedRisks        []RelatedRisk        `json:"related-risks,omitempty"`
	Remarks             string               `json:"remarks,omitempty"`
}

// RelatedFinding points to a finding by UUID.
type RelatedFinding struct {
	FindingUUID string `json:"finding-uuid"`
}
