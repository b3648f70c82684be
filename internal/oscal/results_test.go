package oscal

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// at is a fixed assessment time in Japan, so the encoding carries +09:00.
var at = time.Date(2026, 11, 22, 9, 30, 0, 0, time.FixedZone("JST", 9*60*60))

// id derives the test documents' UUIDs the way an export would.
func id(name string) string { return UUIDv5(MamoriUUIDNamespace, name) }

func minimalAssessmentResults() *AssessmentResults {
	system := Property{Name: "system-id", NS: MamoriNamespace, Value: "SYS-0001"}
	return &AssessmentResults{
		UUID:     id("assessment-results/test"),
		Metadata: NewMetadata("mamori assessment results: SYS-0001", "1", at),
		ImportAP: ImportAP{Href: "#" + id("resource/assessment-plan")},
		Results: []Result{{
			UUID:        id("result/1"),
			Title:       "mamori check",
			Description: "Automated check of the test catalog.",
			Start:       at,
			End:         at.Add(2 * time.Second),
			Props:       []Property{{Name: "catalog-version", NS: MamoriNamespace, Value: "test@0.1.0"}},
			ReviewedControls: ReviewedControls{ControlSelections: []ControlSelection{{
				IncludeControls: []SelectControlByID{{ControlID: "reg-01"}, {ControlID: "reg-02"}},
			}}},
			Observations: []Observation{{
				UUID:        id("observation/reg-01/SYS-0001"),
				Title:       "reg-01 on SYS-0001",
				Description: "The register entry was last updated 400 days ago.",
				Props:       []Property{system},
				Methods:     []string{"TEST"},
				Types:       []string{"finding"},
				Origins:     []Origin{{Actors: []OriginActor{{Type: "tool", ActorUUID: id("tool/mamori")}}}},
				Subjects:    []SubjectReference{{SubjectUUID: id("system/SYS-0001"), Type: "component", Title: "SYS-0001"}},
				RelevantEvidence: []RelevantEvidence{{
					Description: "register_age_days = 400; params.max_days = 365",
					Props:       []Property{{Name: "register_age_days", NS: MamoriNamespace, Value: "400"}},
				}},
				Collected: at,
			}},
			Findings: []Finding{{
				UUID:        id("finding/reg-01/SYS-0001"),
				Title:       "reg-01 not satisfied by SYS-0001",
				Description: "The system register is out of date.",
				Props:       []Property{system, {Name: "severity", NS: MamoriNamespace, Value: "high"}},
				Target: FindingTarget{
					Type:     "objective-id",
					TargetID: "reg-01",
					Status:   ObjectiveStatus{State: "not-satisfied", Reason: "fail"},
				},
				RelatedObservations: []RelatedObservation{{ObservationUUID: id("observation/reg-01/SYS-0001")}},
			}},
		}},
		BackMatter: &BackMatter{Resources: []Resource{{UUID: id("resource/assessment-plan"), Title: "mamori test catalog, checked as configured"}}},
	}
}

func minimalPOAM() *PlanOfActionAndMilestones {
	ar := minimalAssessmentResults()
	return &PlanOfActionAndMilestones{
		UUID:         id("poam/SYS-0001"),
		Metadata:     NewMetadata("mamori POA&M: SYS-0001", "1", at),
		SystemID:     &SystemID{IdentifierType: MamoriNamespace, ID: "SYS-0001"},
		Observations: ar.Results[0].Observations,
		Findings:     ar.Results[0].Findings,
		Risks: []Risk{{
			UUID:        id("risk/reg-01/SYS-0001"),
			Title:       "Out-of-date register",
			Description: "Systems missing from the register escape audit.",
			Statement:   "Unregistered changes go unreviewed.",
			Status:      "open",
			Deadline:    at.AddDate(0, 3, 0),
		}},
		POAMItems: []POAMItem{{
			UUID:                id("poam-item/reg-01/SYS-0001"),
			Title:               "Update the register of SYS-0001",
			Description:         "Bring the register entry up to date & review it yearly.",
			Props:               []Property{{Name: "first-seen", NS: MamoriNamespace, Value: "2026-04-01"}},
			RelatedFindings:     []RelatedFinding{{FindingUUID: id("finding/reg-01/SYS-0001")}},
			RelatedObservations: []RelatedObservation{{ObservationUUID: id("observation/reg-01/SYS-0001")}},
			RelatedRisks:        []RelatedRisk{{RiskUUID: id("risk/reg-01/SYS-0001")}},
		}},
	}
}

// TestExportsValidate builds assessment-results and a POA&M with the structs
// and validates them against NIST's schema; it also checks they decode back
// to what was built.
func TestExportsValidate(t *testing.T) {
	tests := []struct {
		name  string
		doc   *Document
		model string
	}{
		{"assessment-results", &Document{AssessmentResults: minimalAssessmentResults()}, "assessment-results"},
		{"poam with system-id", &Document{PlanOfActionAndMilestones: minimalPOAM()}, "plan-of-action-and-milestones"},
		{"poam with import-ssp", &Document{PlanOfActionAndMilestones: func() *PlanOfActionAndMilestones {
			p := minimalPOAM()
			p.SystemID = nil
			p.ImportSSP = &ImportSSP{Href: "https://mamori.example/ssp/SYS-0001.json"}
			return p
		}()}, "plan-of-action-and-milestones"},
		{"poam, bare minimum", &Document{PlanOfActionAndMilestones: &PlanOfActionAndMilestones{
			UUID:      NewUUID(),
			Metadata:  NewMetadata("t", "1", at.UTC()),
			POAMItems: []POAMItem{{Title: "t", Description: "d"}},
		}}, "plan-of-action-and-milestones"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Marshal(tt.doc)
			if err != nil {
				t.Fatal(err)
			}
			if err := Validate(out); err != nil {
				t.Fatalf("Validate = %v\n%s", err, out)
			}
			var back Document
			dec := json.NewDecoder(bytes.NewReader(out))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&back); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.doc, &back); diff != "" {
				t.Errorf("decode(Marshal(doc)) differs (-built +decoded):\n%s", diff)
			}
			if !bytes.Contains(out, []byte(`"`+tt.model+`": {`)) {
				t.Errorf("Marshal output lacks the %q member", tt.model)
			}
		})
	}
}

// TestExportTimes checks timestamps keep their zone and omitzero drops unset
// ones.
func TestExportTimes(t *testing.T) {
	ar := minimalAssessmentResults()
	ar.Results[0].End = time.Time{}
	out, err := Marshal(&Document{AssessmentResults: ar})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(out, []byte(`"start": "2026-11-22T09:30:00+09:00"`)) {
		t.Errorf("start not written as RFC 3339 with +09:00:\n%s", out)
	}
	if bytes.Contains(out, []byte(`"end"`)) {
		t.Errorf("zero end time written")
	}
	if err := Validate(out); err != nil {
		t.Error(err)
	}
}

// TestExportsInvalid checks that what the schema requires is enforced on
// exports too, with pointers.
func TestExportsInvalid(t *testing.T) {
	ar := minimalAssessmentResults()
	ar.Results[0].Observations[0].Methods = nil              // required
	ar.Results[0].Findings[0].Target.Status.State = "failed" // not in the enum
	ar.Results[0].ReviewedControls.ControlSelections[0] = ControlSelection{IncludeAll: &IncludeAll{}}
	out, err := Marshal(&Document{AssessmentResults: ar})
	if err != nil {
		t.Fatal(err)
	}
	err = Validate(out)
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("Validate = %v, want *ValidationError", err)
	}
	var ptrs []string
	for _, p := range ve.Problems {
		ptrs = append(ptrs, p.Pointer)
	}
	want := []string{
		"/assessment-results/results/0/findings/0/target/status/state",
		"/assessment-results/results/0/observations/0/methods",
	}
	if diff := cmp.Diff(want, ptrs); diff != "" {
		t.Errorf("problem pointers (-want +got):\n%s\n%v", diff, err)
	}
	if !strings.Contains(string(out), `"include-all": {}`) {
		t.Errorf("include-all not written as {}")
	}
}

func TestEncodeOneModel(t *testing.T) {
	tests := []struct {
		name string
		doc  *Document
		want string // error substring; "" = success
	}{
		{"none", &Document{}, "holds 0"},
		{"two", &Document{Catalog: &Catalog{}, PlanOfActionAndMilestones: &PlanOfActionAndMilestones{}}, "holds 2"},
		{"one", &Document{Schema: "https://example.org/schema.json", Catalog: &Catalog{}}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var buf bytes.Buffer
			err := Encode(&buf, tt.doc)
			if tt.want == "" {
				if err != nil {
					t.Fatalf("Encode = %v", err)
				}
				if !strings.HasPrefix(buf.String(), "{\n  \"$schema\": ") || !strings.HasSuffix(buf.String(), "}\n") {
					t.Errorf("Encode wrote %q", buf.String())
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Encode = %v, want error containing %q", err, tt.want)
			}
			if buf.Len() != 0 {
				t.Errorf("Encode wrote %d bytes on error", buf.Len())
			}
		})
	}
}
