package oscalout

import (
	"context"
	"fmt"
	"time"

	"mamori"
	"mamori/internal/oscal"
	"mamori/internal/store"
)

// Remediation is a finding's remediation item and its milestones.
type Remediation struct {
	Item       store.WorkflowItem
	Milestones []store.WorkflowMilestone
}

// RemediationKey is the key of a finding's remediation in POAMWith's map.
func RemediationKey(control, target string) string { return control + "\x00" + target }

// Remediations reads the newest remediation item of each finding with
// its milestones. An item names its finding by the details "control" and
// "target" (package workflow's remediation details).
func Remediations(ctx context.Context, st *store.Store) (map[string]Remediation, error) {
	items, err := st.WorkflowItems(ctx, store.WorkflowFilter{Kind: "remediation"})
	if err != nil {
		return nil, err
	}
	out := map[string]Remediation{}
	var ids []int64
	for _, it := range items { // by id: a newer item replaces an older one
		if c, t := it.Details["control"], it.Details["target"]; c != "" && t != "" {
			out[RemediationKey(c, t)] = Remediation{Item: it}
			ids = append(ids, it.ID)
		}
	}
	ms, err := st.WorkflowMilestones(ctx, ids...)
	if err != nil {
		return nil, err
	}
	for k, r := range out {
		r.Milestones = ms[r.Item.ID]
		out[k] = r
	}
	return out, nil
}

// riskStatus is the OSCAL risk status of a remediation item's state.
var riskStatus = map[string]string{
	"open": "open", "assigned": "investigating", "in_progress": "remediating", "resolved": "remediating", "closed": "closed",
}

// japan is where due dates are days: a deadline is the end of its day there.
var japan = mamori.Japan

// remediationRisk is the risk a finding's remediation item answers, with
// the item's due date as its deadline.
func remediationRisk(f store.Finding, r Remediation, obs oscal.Observation) oscal.Risk {
	it := r.Item
	risk := oscal.Risk{
		UUID:                uuid("risk", f.ControlID, f.TargetCode, f.FirstSeen),
		Title:               fmt.Sprintf("%s on %s %s", f.ControlID, f.TargetType, f.TargetCode),
		Description:         obs.Description,
		Statement:           fmt.Sprintf("Severity %s; remediation item %d, state %s.", it.Severity, it.ID, it.State),
		Status:              riskStatus[it.State],
		RelatedObservations: []oscal.RelatedObservation{{ObservationUUID: obs.UUID}},
	}
	if risk.Status == "" {
		risk.Status = "open"
	}
	if d, err := time.ParseInLocation(time.DateOnly, it.DueOn, japan); err == nil {
		risk.Deadline = d.Add(24*time.Hour - time.Second).UTC()
	}
	return risk
}

// remediationProps describe a finding's remediation item on its
// poam-item: the item, its state, its owner (the assignee), its due date,
// its escalation, and one property per milestone ("DATE TITLE", with
// "(done DATE)" when done).
func remediationProps(r Remediation) []oscal.Property {
	it := r.Item
	ps := []oscal.Property{prop("remediation-item", fmt.Sprint(it.ID)), prop("remediation-state", it.State)}
	add := func(name, v string) {
		if v != "" {
			ps = append(ps, prop(name, v))
		}
	}
	add("owner", it.Assignee)
	add("due-date", it.DueOn)
	add("escalation-level", it.Details["escalation_level"])
	add("escalated-to", it.Details["escalated_to"])
	for _, m := range r.Milestones {
		v := m.DueOn + " " + m.Title
		if m.DoneOn != "" {
			v += " (done " + m.DoneOn + ")"
		}
		add("milestone", v)
	}
	return ps
}
