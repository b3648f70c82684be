package check

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"

	"mamori/internal/catalog"
	"mamori/internal/store"
)

// Manual controls have no expression: self-inspection rounds answer them
// (issue 14 item 5, package workflow). Each question of a round is one
// target of its control: the round's project stage (target type project,
// code PROJECT/STAGE) or its organization's fiscal year (organization-fy,
// code ORG/YEAR). A round whose self-inspection is not done yet (drafted,
// or returned) leaves every answer 未確認: absence of evidence is never a
// pass. Once submitted, yes passes, no and partial fail, not_applicable
// does not apply.

// manualTarget is one question's target.
func manualTarget(x store.InspectionResult) (typ, code string) {
	if x.ProjectCode != "" {
		return store.TargetProject, x.ProjectCode + "/" + x.Stage
	}
	return store.TargetOrganizationFY, fmt.Sprintf("%s/%d", x.OrgCode, x.FiscalYear)
}

// manualStatus is an answer's outcome.
func manualStatus(x store.InspectionResult) Status {
	if x.SelfInspectedOn == "" {
		return Unknown
	}
	switch x.Answer {
	case store.AnswerYes:
		return Pass
	case store.AnswerNo, store.AnswerPartial:
		return Fail
	case store.AnswerNotApplicable:
		return NotApplicable
	}
	return Unknown
}

// manualResults judges the manual controls of cats by the rounds' answers
// within the run's organizations (nil: all) and fiscal years: a summary
// per control some round asks, and a finding per failing or 未確認 answer.
// judged, when not nil, receives every target judged.
// A manual control whose ID an automated control (or an earlier catalog's
// manual control) already has is left out: results are keyed by ID.
func manualResults(ctx context.Context, st *store.Store, cats []*catalog.Catalog, orgs map[string]bool, years []int64,
	judged map[string]bool) ([]*Summary, []store.FindingInput, error) {
	taken := map[string]bool{}
	manual := map[string]*catalog.Control{} // by catalog and control ID
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if !ctl.Manual() {
				taken[ctl.ID] = true
			}
		}
	}
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if ctl.Manual() && !taken[ctl.ID] {
				taken[ctl.ID] = true
				manual[c.ID+"\x00"+ctl.ID] = ctl
			}
		}
	}
	if len(manual) == 0 {
		return nil, nil, nil
	}
	rows, err := st.InspectionResults(ctx)
	if err != nil {
		return nil, nil, err
	}
	sums := map[string]*Summary{}
	var fails []store.FindingInput
	for _, x := range rows {
		ctl := manual[x.CatalogID+"\x00"+x.ControlID]
		if ctl == nil || (orgs != nil && !orgs[x.OrgCode]) || (x.ProjectCode == "" && len(years) > 0 && !slices.Contains(years, int64(x.FiscalYear))) {
			continue
		}
		s := sums[ctl.ID]
		if s == nil {
			s = &Summary{Control: ctl}
			sums[ctl.ID] = s
		}
		typ, code := manualTarget(x)
		if judged != nil {
			judged[code] = true
		}
		status := manualStatus(x)
		switch status {
		case Pass:
			s.Pass++
		case Fail:
			s.Fail++
		case NotApplicable:
			s.NA++
		default:
			s.Unknown++
		}
		if status != Fail && status != Unknown {
			continue
		}
		sev := ctl.Severity
		if !slices.Contains(catalog.Severities, sev) {
			sev = "medium" // imported catalogs such as NIST SP 800-53 grade nothing
		}
		// What the finding rests on, empty values left out.
		facts := map[string]any{"inspection.id": x.ItemID}
		for k, v := range map[string]string{"inspection.answer": x.Answer, "inspection.note": x.Note,
			"inspection.finding": x.Finding, "inspection.self_inspected_on": x.SelfInspectedOn} {
			if v != "" {
				facts[k] = v
			}
		}
		ev, err := json.Marshal(facts)
		if err != nil {
			return nil, nil, err
		}
		f := store.FindingInput{ControlID: ctl.ID, TargetType: typ, TargetCode: code, OrgCode: x.OrgCode, Severity: sev,
			Result: store.ResultFail, Evidence: string(ev)}
		if status == Unknown {
			f.Result = store.ResultUnknown
		}
		fails = append(fails, f)
	}
	var out []*Summary
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if s := sums[ctl.ID]; s != nil && s.Control == ctl {
				out = append(out, s)
			}
		}
	}
	return out, fails, nil
}
