// Package oscalout builds OSCAL 1.1.2 documents from mamori's assessments
// and findings: assessment-results for one assessment, and a plan of action
// and milestones (POA&M) for the open findings, each for an organization
// subtree or one system. Its one job is that mapping; it reads through
// package store and writes package oscal's types, and must not import web,
// app or check.
//
// Exports are reproducible: every UUID is a UUIDv5 of a stable name (the
// assessment ID, control and target) and every timestamp comes from the
// stored assessment, never the clock, so exporting the same data twice
// gives the same bytes.
//
// The store keeps one row per (control, target), not a copy per
// assessment, so the failures of an assessment are the open findings it
// wrote last. For the latest assessment that is exactly what it found; for
// an earlier one, the findings a later re-check (of one system, say) has
// since taken over appear in that later assessment's results instead.
package oscalout

import (
	"context"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/oscal"
	"mamori/internal/store"
)

// Scope is what an export covers: everything, an organization and its
// descendants, or one system and its components.
type Scope struct {
	Org, System string
}

func (s Scope) name() string {
	switch {
	case s.System != "":
		return "system " + s.System
	case s.Org != "":
		return "organization " + s.Org
	}
	return "all organizations"
}

// key is the scope's part of a document UUID's name.
func (s Scope) key() string { return "org=" + s.Org + "/system=" + s.System }

// Titles gives a control's title by its display ID ("REG-01"), for
// readable descriptions; it may be nil.
type Titles map[string]string

func (t Titles) of(control string) string {
	if title := t[control]; title != "" {
		return control + " " + title
	}
	return control
}

func uuid(parts ...string) string {
	return oscal.UUIDv5(oscal.MamoriUUIDNamespace, strings.Join(parts, "/"))
}

// controlID is the OSCAL form of a control ID: catalogs give them in lower
// case ("reg-01", NIST's "ac-2"), mamori displays them in upper case.
func controlID(id string) string { return strings.ToLower(id) }

func prop(name, value string) oscal.Property {
	return oscal.Property{Name: name, NS: oscal.MamoriNamespace, Value: value}
}

// findingProps describe the target of a finding; empty values are left
// out, since OSCAL forbids an empty property value.
func findingProps(f store.Finding) []oscal.Property {
	var ps []oscal.Property
	for _, kv := range [][2]string{{"control-id", f.ControlID}, {"target-type", f.TargetType}, {"target-code", f.TargetCode},
		{"org-code", f.OrgCode}, {"severity", f.Severity}, {"first-seen", f.FirstSeen}, {"last-seen", f.LastSeen},
		{"result", f.Result}, {"criteria", strings.Join(f.Criteria, " ")}} {
		if v := strings.TrimSpace(kv[1]); v != "" {
			ps = append(ps, prop(kv[0], v))
		}
	}
	return ps
}

// resultVerb says what happened to a finding's target: it failed, its
// evidence was missing (未確認), or it could not be evaluated.
func resultVerb(result string) string {
	switch result {
	case store.ResultUnknown:
		return "could not be decided (evidence missing)"
	case store.ResultError:
		return "could not be evaluated"
	}
	return "failed"
}

// objectiveStatus maps a result to OSCAL: a failure is not-satisfied with
// reason fail; an unknown or an error is not satisfied either, since
// absence of evidence is never a pass, with reason other (the result
// property says which).
func objectiveStatus(result string) oscal.ObjectiveStatus {
	if result == store.ResultUnknown || result == store.ResultError {
		return oscal.ObjectiveStatus{State: "not-satisfied", Reason: "other"}
	}
	return oscal.ObjectiveStatus{State: "not-satisfied", Reason: "fail"}
}

// observation records what the check saw on one failing target: the
// stored evidence, the values that decided it, verbatim.
func observation(f store.Finding, titles Titles, collected time.Time) oscal.Observation {
	evidence := f.Evidence
	if strings.TrimSpace(evidence) == "" {
		evidence = "{}"
	}
	return oscal.Observation{
		UUID:        uuid("observation", f.AssessmentID, f.ControlID, f.TargetCode),
		Title:       fmt.Sprintf("%s: %s %s", f.ControlID, f.TargetType, f.TargetCode),
		Description: fmt.Sprintf("%s %s on %s %s (organization %s).", titles.of(f.ControlID), resultVerb(f.Result), f.TargetType, f.TargetCode, f.OrgCode),
		Props:       findingProps(f),
		Methods:     []string{"TEST"},
		Types:       []string{"finding"},
		RelevantEvidence: []oscal.RelevantEvidence{{
			Description: evidence,
			Props:       []oscal.Property{prop("evidence-format", "application/json")},
		}},
		Collected: collected,
	}
}

func scopeProps(sc Scope) []oscal.Property {
	var ps []oscal.Property
	if sc.Org != "" {
		ps = append(ps, prop("scope-org", sc.Org))
	}
	if sc.System != "" {
		ps = append(ps, prop("scope-system", sc.System))
	}
	return ps
}

// AssessmentResults builds the assessment-results document of assessment
// a: one result whose reviewed controls are those evaluated (results),
// with an observation and a not-satisfied finding per failing (control,
// target) in fails.
func AssessmentResults(a store.Assessment, results []store.ControlResult, fails []store.Finding, sc Scope, titles Titles) (*oscal.Document, error) {
	if len(results) == 0 {
		return nil, mamori.Errorf(mamori.NotFound, "検査「%s」には管理策の結果がありません", "assessment %q has no control results", a.ID)
	}
	finished := a.FinishedAt.UTC().Truncate(time.Second)
	started := a.StartedAt.UTC().Truncate(time.Second)
	md := oscal.NewMetadata(fmt.Sprintf("mamori assessment results: %s, assessment %s", sc.name(), a.ID), a.ID, finished)
	md.Props = append([]oscal.Property{prop("assessment-id", a.ID), prop("reference-date", a.ReferenceDate)}, scopeProps(sc)...)
	plan := uuid("plan", a.ID)
	var selected []oscal.SelectControlByID
	for _, r := range results {
		selected = append(selected, oscal.SelectControlByID{ControlID: controlID(r.ControlID)})
	}
	res := oscal.Result{
		UUID:        uuid("result", a.ID, sc.key()),
		Title:       "mamori check " + a.ID,
		Description: fmt.Sprintf("Automated evaluation of %d controls for %s, reference date %s.", len(results), sc.name(), a.ReferenceDate),
		Start:       started,
		End:         finished,
		ReviewedControls: oscal.ReviewedControls{
			Description:       "The automated controls mamori evaluated in this assessment; manual controls are answered by self-inspection.",
			ControlSelections: []oscal.ControlSelection{{IncludeControls: selected}},
		},
		Remarks: "Catalogs: " + a.Catalogs,
	}
	for _, f := range fails {
		obs := observation(f, titles, finished)
		res.Observations = append(res.Observations, obs)
		res.Findings = append(res.Findings, oscal.Finding{
			UUID:        uuid("finding", f.AssessmentID, f.ControlID, f.TargetCode),
			Title:       fmt.Sprintf("%s: %s %s", f.ControlID, f.TargetType, f.TargetCode),
			Description: obs.Description,
			Props:       findingProps(f),
			Target: oscal.FindingTarget{
				Type:     "objective-id",
				TargetID: controlID(f.ControlID),
				Status:   objectiveStatus(f.Result),
			},
			RelatedObservations: []oscal.RelatedObservation{{ObservationUUID: obs.UUID}},
		})
	}
	ar := &oscal.AssessmentResults{
		UUID:     uuid("assessment-results", a.ID, sc.key()),
		Metadata: md,
		// mamori has no separate OSCAL assessment plan: the plan is the
		// catalogs and parameters recorded with the assessment, which a
		// back-matter resource carries.
		ImportAP: oscal.ImportAP{Href: "#" + plan},
		Results:  []oscal.Result{res},
		BackMatter: &oscal.BackMatter{Resources: []oscal.Resource{{
			UUID:        plan,
			Title:       "mamori assessment " + a.ID + ": catalogs and parameters",
			Description: "Catalogs: " + a.Catalogs + "\n\nParameters: " + a.Params,
			Props:       []oscal.Property{prop("assessment-id", a.ID)},
		}}},
	}
	return &oscal.Document{AssessmentResults: ar}, nil
}

// POAM builds the plan of action and milestones for the open findings in
// open, as of assessment a (the latest): its ID and end time date the
// document, so a new assessment gives a new document UUID and the same one
// gives the same bytes. Each finding is one
// poam-item with its observation. A POA&M for one system names it in
// system-id. OSCAL requires at least one item, so no open findings is an
// error of kind NotFound.
//
// An item's UUID is derived from (control, target, first seen), not from
// the assessment: the item is the same piece of remediation work across
// re-checks until the finding is resolved, and a tool tracking POA&M items
// must see it keep its identity.
func POAM(open []store.Finding, sc Scope, a store.Assessment, titles Titles) (*oscal.Document, error) {
	return POAMWith(open, sc, a, titles, nil)
}

// POAMWith is POAM with the remediation items of the findings (by
// RemediationKey): the poam-item of a finding that has one carries its
// owner, due date, state and milestones, and relates to a risk whose
// deadline is the due date.
func POAMWith(open []store.Finding, sc Scope, a store.Assessment, titles Titles, rem map[string]Remediation) (*oscal.Document, error) {
	if len(open) == 0 {
		return nil, mamori.Errorf(mamori.NotFound, "%s に未解決の指摘はありません（POA&M には 1 件以上の項目が必要です）",
			"no open findings for %s (an OSCAL POA&M needs at least one item)", sc.name())
	}
	asOf := a.FinishedAt.UTC().Truncate(time.Second)
	md := oscal.NewMetadata("mamori plan of action and milestones: "+sc.name(), a.ID, asOf)
	md.Props = append([]oscal.Property{prop("assessment-id", a.ID)}, scopeProps(sc)...)
	p := &oscal.PlanOfActionAndMilestones{
		UUID:     uuid("poam", a.ID, sc.key()),
		Metadata: md,
	}
	if sc.System != "" {
		p.SystemID = &oscal.SystemID{IdentifierType: oscal.MamoriNamespace, ID: sc.System}
	}
	for _, f := range open {
		obs := observation(f, titles, asOf)
		p.Observations = append(p.Observations, obs)
		item := oscal.POAMItem{
			UUID:        uuid("poam-item", f.ControlID, f.TargetCode, f.FirstSeen),
			Title:       fmt.Sprintf("%s: %s %s", f.ControlID, f.TargetType, f.TargetCode),
			Description: fmt.Sprintf("Remediate: %s Open since %s, last seen %s.", obs.Description, f.FirstSeen, f.LastSeen),
			// A finding without a remediation item has no due date: the
			// deadline comes with the item, not with a check.
			Props:               findingProps(f),
			RelatedObservations: []oscal.RelatedObservation{{ObservationUUID: obs.UUID}},
		}
		if r, ok := rem[RemediationKey(f.ControlID, f.TargetCode)]; ok {
			risk := remediationRisk(f, r, obs)
			p.Risks = append(p.Risks, risk)
			item.Props = append(item.Props, remediationProps(r)...)
			item.RelatedRisks = []oscal.RelatedRisk{{RiskUUID: risk.UUID}}
		}
		p.POAMItems = append(p.POAMItems, item)
	}
	return &oscal.Document{PlanOfActionAndMilestones: p}, nil
}

// Kinds are the document kinds Export writes.
var Kinds = []string{"assessment-results", "poam"}

// Options select an export.
type Options struct {
	Kind       string // "assessment-results" or "poam"
	Scope      Scope
	Assessment string // assessment-results: the assessment; "" means the latest
	Titles     Titles
}

// Export reads what opts select from st and returns the OSCAL JSON,
// validated against NIST's schema: a document mamori cannot vouch for is
// never written.
func Export(ctx context.Context, st *store.Store, opts Options) ([]byte, error) {
	a, err := st.AssessmentForExport(ctx, opts.Assessment)
	if err != nil {
		return nil, err
	}
	filter := store.ExportFilter{OpenOnly: true, Org: opts.Scope.Org, System: opts.Scope.System}
	var doc *oscal.Document
	switch opts.Kind {
	case "assessment-results":
		results, err := st.Results(ctx, a.ID)
		if err != nil {
			return nil, err
		}
		filter.AssessmentID = a.ID
		fails, err := st.ExportFindings(ctx, filter)
		if err != nil {
			return nil, err
		}
		if doc, err = AssessmentResults(a, results, fails, opts.Scope, opts.Titles); err != nil {
			return nil, err
		}
	case "poam":
		open, err := st.ExportFindings(ctx, filter)
		if err != nil {
			return nil, err
		}
		rem, err := Remediations(ctx, st)
		if err != nil {
			return nil, err
		}
		if doc, err = POAMWith(open, opts.Scope, a, opts.Titles, rem); err != nil {
			return nil, err
		}
	default:
		return nil, mamori.Errorf(mamori.Invalid, "OSCAL の種類「%s」は不正です（%s）", "unknown OSCAL kind %q (want %s)",
			opts.Kind, strings.Join(Kinds, " or "))
	}
	data, err := oscal.Marshal(doc)
	if err != nil {
		return nil, err
	}
	if err := oscal.Validate(data); err != nil {
		return nil, fmt.Errorf("oscalout: %s does not validate: %w", opts.Kind, err)
	}
	return data, nil
}
