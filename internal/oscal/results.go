package oscal

import "time"

// AssessmentResults is an OSCAL assessment-results document body: the
// outcome of one or more assessments. UUID, Metadata, ImportAP and Results
// are required.
type AssessmentResults struct {
	UUID       string      `json:"uuid"`
	Metadata   Metadata    `json:"metadata"`
	ImportAP   ImportAP    `json:"import-ap"`
	Results    []Result    `json:"results"`
	BackMatter *BackMatter `json:"back-matter,omitempty"`
}

// ImportAP points to the assessment plan the results answer. OSCAL requires
// it; a tool without a separate plan can point into its own back-matter
// ("#" + resource UUID).
type ImportAP struct {
	Href    string `json:"href"`
	Remarks string `json:"remarks,omitempty"`
}

// Result is one assessment run: what was reviewed, what was observed, and
// the findings. UUID, Title, Description, Start and ReviewedControls are
// required.
type Result struct {
	UUID             string           `json:"uuid"`
	Title            string           `json:"title"`
	Description      string           `json:"description"`
	Start            time.Time        `json:"start"`
	End              time.Time        `json:"end,omitzero"`
	Props            []Property       `json:"props,omitempty"`
	Links            []Link           `json:"links,omitempty"`
	ReviewedControls ReviewedControls `json:"reviewed-controls"`
	Observations     []Observation    `json:"observations,omitempty"`
	Risks            []Risk           `json:"risks,omitempty"`
	Findings         []Finding        `json:"findings,omitempty"`
	Remarks          string           `json:"remarks,omitempty"`
}

// ReviewedControls says which controls an assessment covered.
// ControlSelections is required and must not be empty.
type ReviewedControls struct {
	Description       string             `json:"description,omitempty"`
	Props             []Property         `json:"props,omitempty"`
	Links             []Link             `json:"links,omitempty"`
	ControlSelections []ControlSelection `json:"control-selections"`
	Remarks           string             `json:"remarks,omitempty"`
}

// ControlSelection selects controls: all of them (IncludeAll non-nil) or
// those listed, minus exclusions.
type ControlSelection struct {
	Description     string              `json:"description,omitempty"`
	Props           []Property          `json:"props,omitempty"`
	Links           []Link              `json:"links,omitempty"`
	IncludeAll      *IncludeAll         `json:"include-all,omitempty"`
	IncludeControls []SelectControlByID `json:"include-controls,omitempty"`
	ExcludeControls []SelectControlByID `json:"exclude-controls,omitempty"`
	Remarks         string              `json:"remarks,omitempty"`
}

// IncludeAll is OSCAL's include-all marker, written as {}.
type IncludeAll struct{}

// SelectControlByID names one control, optionally narrowed to statements.
type SelectControlByID struct {
	ControlID    string   `json:"control-id"`
	StatementIDs []string `json:"statement-ids,omitempty"`
}

// Observation is what an assessment saw on its subjects. UUID, Description,
// Methods ("EXAMINE", "INTERVIEW", "TEST", "UNKNOWN") and Collected are
// required.
type Observation struct {
	UUID             string             `json:"uuid"`
	Title            string             `json:"title,omitempty"`
	Description      string             `json:"description"`
	Props            []Property         `json:"props,omitempty"`
	Links            []Link             `json:"links,omitempty"`
	Methods          []string           `json:"methods"`
	Types            []string           `json:"types,omitempty"`
	Origins          []Origin           `json:"origins,omitempty"`
	Subjects         []SubjectReference `json:"subjects,omitempty"`
	RelevantEvidence []RelevantEvidence `json:"relevant-evidence,omitempty"`
	Collected        time.Time          `json:"collected"`
	Expires          time.Time          `json:"expires,omitzero"`
	Remarks          string             `json:"remarks,omitempty"`
}

// SubjectReference names what was assessed. Type is one of component,
// inventory-item, location, party, user, resource (or another token).
type SubjectReference struct {
	SubjectUUID string     `json:"subject-uuid"`
	Type        string     `json:"type"`
	Title       string     `json:"title,omitempty"`
	Props       []Property `json:"props,omitempty"`
	Links       []Link     `json:"links,omitempty"`
	Remarks     string     `json:"remarks,omitempty"`
}

// RelevantEvidence is evidence behind an observation. Description is
// required.
type RelevantEvidence struct {
	Href        string     `json:"href,omitempty"`
	Description string     `json:"description"`
	Props       []Property `json:"props,omitempty"`
	Links       []Link     `json:"links,omitempty"`
	Remarks     string     `json:"remarks,omitempty"`
}

// Origin says who or what produced an observation, finding or risk.
type Origin struct {
	Actors []OriginActor `json:"actors"`
}

// OriginActor is one producer. Type is "tool", "assessment-platform" or
// "party"; ActorUUID points to it (a party, or a tool component).
type OriginActor struct {
	Type      string     `json:"type"`
	ActorUUID string     `json:"actor-uuid"`
	RoleID    string     `json:"role-id,omitempty"`
	Props     []Property `json:"props,omitempty"`
	Links     []Link     `json:"links,omitempty"`
}

// Finding is the conclusion on one target (a control statement or
// objective). UUID, Title, Description and Target are required.
type Finding struct {
	UUID                string               `json:"uuid"`
	Title               string               `json:"title"`
	Description         string               `json:"description"`
	Props               []Property           `json:"props,omitempty"`
	Links               []Link               `json:"links,omitempty"`
	Origins             []Origin             `json:"origins,omitempty"`
	Target              FindingTarget        `json:"target"`
	RelatedObservations []RelatedObservation `json:"related-observations,omitempty"`
	RelatedRisks        []RelatedRisk        `json:"related-risks,omitempty"`
	Remarks             string               `json:"remarks,omitempty"`
}

// FindingTarget is what a finding concludes about. Type is "statement-id"
// or "objective-id"; TargetID is the ID of that statement or objective, a
// part ID in the catalog (in NIST's, "ac-2_smt" or "ac-2_obj"). The schema
// only requires a token, so a control ID passes validation too.
type FindingTarget struct {
	Type        string          `json:"type"`
	TargetID    string          `json:"target-id"`
	Title       string          `json:"title,omitempty"`
	Description string          `json:"description,omitempty"`
	Props       []Property      `json:"props,omitempty"`
	Links       []Link          `json:"links,omitempty"`
	Status      ObjectiveStatus `json:"status"`
	Remarks     string          `json:"remarks,omitempty"`
}

// ObjectiveStatus is a finding's verdict. State is "satisfied" or
// "not-satisfied"; Reason is "pass", "fail", "other" or another token.
type ObjectiveStatus struct {
	State   string `json:"state"`
	Reason  string `json:"reason,omitempty"`
	Remarks string `json:"remarks,omitempty"`
}

// RelatedObservation points to an observation by UUID.
type RelatedObservation struct {
	ObservationUUID string `json:"observation-uuid"`
}

// RelatedRisk points to a risk by UUID.
type RelatedRisk struct {
	RiskUUID string `json:"risk-uuid"`
}

// Risk is an identified risk. UUID, Title, Description, Statement and Status
// ("open", "investigating", "remediating", "deviation-requested",
// "deviation-approved", "closed") are required.
type Risk struct {
	UUID                string               `json:"uuid"`
	Title               string               `json:"title"`
	Description         string               `json:"description"`
	Statement           string               `json:"statement"`
	Props               []Property           `json:"props,omitempty"`
	Links               []Link               `json:"links,omitempty"`
	Status              string               `json:"status"`
	Origins             []Origin             `json:"origins,omitempty"`
	Deadline            time.Time            `json:"deadline,omitzero"`
	RelatedObservations []RelatedObservation `json:"related-observations,omitempty"`
	Remarks             string               `json:"remarks,omitempty"`
}
