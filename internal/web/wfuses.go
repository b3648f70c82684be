package web

import (
	"slices"

	"mamori/internal/store"
	"mamori/internal/workflow"
)

// Not every workflow uses every field of an item: a procurement gate or an
// approval has no severity, no one is assigned to it and it has no due date
// (its dates are its details: the planned contract date, the expiry). The
// pages leave out what a kind does not use rather than show a row of "—"
// that reads as a missing value; an item that carries one anyway (sent
// through the API) still shows it.

// wfUses says which of the common fields a workflow's items use.
type wfUses struct {
	Severity, Assignee, Due bool
}

// usesOf reads what the definition uses: severities when it declares
// some; an assignee when one of its transitions sets one; a due date when
// it requires one or, as remediation does, dates its items by severity.
func usesOf(d *workflow.Definition) wfUses {
	return wfUses{
		Severity: len(d.Severities) > 0,
		Assignee: slices.ContainsFunc(d.Transitions, func(t workflow.Transition) bool { return t.SetsAssignee }),
		Due:      d.DueRequired || len(d.Severities) > 0,
	}
}

// itemUses is what item it shows: what its kind uses and whatever it
// carries besides.
func itemUses(d *workflow.Definition, it store.WorkflowItem) wfUses {
	u := usesOf(d)
	u.Severity = u.Severity || it.Severity != ""
	u.Assignee = u.Assignee || it.Assignee != ""
	u.Due = u.Due || it.DueOn != ""
	return u
}

// listUses is what columns a list of rows needs: a field any row shows.
func listUses(rows []wfRow) wfUses {
	var u wfUses
	for _, r := range rows {
		u.Severity = u.Severity || r.Uses.Severity
		u.Assignee = u.Assignee || r.Uses.Assignee
		u.Due = u.Due || r.Uses.Due
	}
	return u
}
