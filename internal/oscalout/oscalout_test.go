package oscalout_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/oscal"
	"mamori/internal/oscalout"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// assess fills s with the small demo data set and runs every embedded
// control over it.
func assess(t *testing.T, s *store.Store) *check.Report {
	t.Helper()
	ctx := t.Context()
	if _, err := demo.Generate(ctx, s, demo.Options{Scale: demo.Small, Today: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	cats, err := catalog.Builtin()
	if err != nil {
		t.Fatal(err)
	}
	rep, err := check.Run(ctx, s, cats, check.Options{Today: "2026-11-01"})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Fails) == 0 {
		t.Fatal("the demo data planted no failures")
	}
	return rep
}

func export(t *testing.T, s *store.Store, opts oscalout.Options) *oscal.Document {
	t.Helper()
	data, err := oscalout.Export(t.Context(), s, opts)
	if err != nil {
		t.Fatalf("Export(%+v) = %v", opts, err)
	}
	// Export validates; validate again here so the test says so itself.
	if err := oscal.Validate(data); err != nil {
		t.Fatalf("Export(%+v) does not validate: %v", opts, err)
	}
	again, err := oscalout.Export(t.Context(), s, opts)
	if err != nil || string(again) != string(data) {
		t.Errorf("Export(%+v) twice gave different bytes (err %v)", opts, err)
	}
	var doc oscal.Document
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

func TestExport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		rep := assess(t, s)
		aID := rep.Assessment.ID

		// Assessment results for everything: every evaluated control is
		// reviewed, every failure is an observation and a finding.
		doc := export(t, s, oscalout.Options{Kind: "assessment-results"})
		ar := doc.AssessmentResults
		if ar == nil || len(ar.Results) != 1 {
			t.Fatalf("assessment-results = %+v", doc)
		}
		res := ar.Results[0]
		if got, want := len(res.ReviewedControls.ControlSelections[0].IncludeControls), len(rep.Summaries); got != want {
			t.Errorf("reviewed controls = %d, want %d", got, want)
		}
		if len(res.Findings) != len(rep.Fails) || len(res.Observations) != len(rep.Fails) {
			t.Fatalf("findings %d, observations %d; want %d each", len(res.Findings), len(res.Observations), len(rep.Fails))
		}
		f0, fail0 := res.Findings[0], rep.Fails[0]
		if f0.Target.Type != "objective-id" || f0.Target.TargetID != strings.ToLower(fail0.ControlID) || f0.Target.Status.State != "not-satisfied" {
			t.Errorf("finding target = %+v, want objective-id %s not-satisfied", f0.Target, fail0.ControlID)
		}
		if want := oscal.UUIDv5(oscal.MamoriUUIDNamespace, "finding/"+aID+"/"+fail0.ControlID+"/"+fail0.TargetCode); f0.UUID != want {
			t.Errorf("finding UUID = %s, want %s (from assessment, control, target)", f0.UUID, want)
		}
		o0 := res.Observations[0]
		if f0.RelatedObservations[0].ObservationUUID != o0.UUID || o0.RelevantEvidence[0].Description != fail0.Evidence {
			t.Errorf("observation %+v does not carry the evidence %s", o0, fail0.Evidence)
		}
		if ar.ImportAP.Href != "#"+ar.BackMatter.Resources[0].UUID {
			t.Errorf("import-ap %s does not point into back-matter", ar.ImportAP.Href)
		}

		// An organization subtree: only its organizations' findings.
		var ministry string
		children := map[string][]string{}
		if err := s.Dump(t.Context(), mamori.EntityByName("organizations"), func(r mamori.Record) error {
			if p, ok := r[1].(string); ok {
				children[p] = append(children[p], r[0].(string))
			} else if ministry == "" {
				ministry = r[0].(string)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		subtree := map[string]bool{}
		var walk func(string)
		walk = func(c string) {
			subtree[c] = true
			for _, k := range children[c] {
				walk(k)
			}
		}
		walk(ministry)
		want := 0
		for _, f := range rep.Fails {
			if subtree[f.OrgCode] {
				want++
			}
		}
		doc = export(t, s, oscalout.Options{Kind: "assessment-results", Scope: oscalout.Scope{Org: ministry}})
		if got := len(doc.AssessmentResults.Results[0].Findings); got != want || want == 0 || want == len(rep.Fails) {
			t.Errorf("org %s: %d findings, want %d of %d", ministry, got, want, len(rep.Fails))
		}

		// One system: its own findings and its components'.
		var system string
		for _, f := range rep.Fails {
			if f.TargetType == "system" {
				system = f.TargetCode
				break
			}
		}
		doc = export(t, s, oscalout.Options{Kind: "poam", Scope: oscalout.Scope{System: system}})
		p := doc.PlanOfActionAndMilestones
		if p.SystemID == nil || p.SystemID.ID != system || len(p.POAMItems) == 0 {
			t.Fatalf("poam for %s = %+v", system, p)
		}
		for _, it := range p.POAMItems {
			code := propOf(it.Props, "target-code")
			if code != system && !strings.HasPrefix(code, system) {
				t.Errorf("poam item %s is not about system %s", it.Title, system)
			}
			if propOf(it.Props, "severity") == "" || propOf(it.Props, "first-seen") != "2026-11-01" {
				t.Errorf("poam item %s props = %+v", it.Title, it.Props)
			}
		}
		all := export(t, s, oscalout.Options{Kind: "poam"})
		if got := len(all.PlanOfActionAndMilestones.POAMItems); got != len(rep.Fails) {
			t.Errorf("poam items = %d, want %d open findings", got, len(rep.Fails))
		}

		// Re-checking one system is a new, latest assessment whose results
		// carry that system's failures; the earlier one keeps the rest.
		cats, _ := catalog.Builtin()
		rep2, err := check.Run(t.Context(), s, cats, check.Options{Today: "2026-11-01", System: system})
		if err != nil {
			t.Fatal(err)
		}
		latest := export(t, s, oscalout.Options{Kind: "assessment-results"})
		if got := latest.AssessmentResults.Metadata.Version; got != rep2.Assessment.ID {
			t.Errorf("latest assessment = %s, want %s", got, rep2.Assessment.ID)
		}
		if got := len(latest.AssessmentResults.Results[0].Findings); got != len(rep2.Fails) || got == 0 {
			t.Errorf("system re-check: %d findings, want %d", got, len(rep2.Fails))
		}
		earlier := export(t, s, oscalout.Options{Kind: "assessment-results", Assessment: aID})
		if got := len(earlier.AssessmentResults.Results[0].Findings); got != len(rep.Fails)-len(rep2.Fails) {
			t.Errorf("earlier assessment: %d findings, want %d", got, len(rep.Fails)-len(rep2.Fails))
		}

		// Errors: an unknown scope, an unknown assessment, an unknown kind.
		for _, opts := range []oscalout.Options{
			{Kind: "poam", Scope: oscalout.Scope{Org: "NOPE"}},
			{Kind: "poam", Scope: oscalout.Scope{System: "NOPE"}},
			{Kind: "assessment-results", Assessment: "NOPE"},
		} {
			if _, err := oscalout.Export(t.Context(), s, opts); mamori.KindOf(err) != mamori.NotFound {
				t.Errorf("Export(%+v) = %v, want NotFound", opts, err)
			}
		}
		if _, err := oscalout.Export(t.Context(), s, oscalout.Options{Kind: "ssp"}); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("Export(ssp) = %v, want Invalid", err)
		}
	})
}

func propOf(ps []oscal.Property, name string) string {
	for _, p := range ps {
		if p.Name == name {
			return p.Value
		}
	}
	return ""
}

// TestEmptyPOAM: OSCAL requires at least one poam-item, so nothing open is
// an error, not an invalid document.
func TestEmptyPOAM(t *testing.T) {
	if _, err := oscalout.POAM(nil, oscalout.Scope{System: "S1"}, store.Assessment{ID: "a", FinishedAt: time.Now()}, nil); mamori.KindOf(err) != mamori.NotFound {
		t.Errorf("POAM(nil) = %v, want NotFound", err)
	}
}
