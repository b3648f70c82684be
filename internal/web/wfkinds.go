package web

import (
	"net/http"
	"net/url"
	"slices"
	"strings"

	"mamori/internal/store"
	"mamori/internal/workflow"
)

// Every workflow's items on the same pages (issue 14): the create form
// offers the kinds the user may open and renders the chosen kind's
// details as typed inputs; an item's page shows its details; a transition
// that sets details renders inputs for them. The definitions decide which
// details there are and the service validates them.

// WithWorkflows makes the pages run the given workflow service (its
// options, such as the longest export, and whom it notifies), the one the
// API runs too. The service is taken as it is: its clock and limits are
// its own.
func WithWorkflows(wf *workflow.Service) Option {
	return func(s *server) { s.wf = wf }
}

// wfDetailInput is one detail as a form input.
type wfDetailInput struct {
	ID       string // the input's id: unique on the page
	Field    string // the form field: detailField(Name)
	Name     string
	JA, EN   string
	Type     string // "date", "code" or "text"
	Required bool
	Value    string
}

// wfDetailRow is one detail of an item, shown.
type wfDetailRow struct {
	JA, EN, Value string
	// Findings is the findings list of the target the detail names (a
	// contract, a component), "" for other details: where the checks
	// reading the item show what it changed.
	Findings string
}

// findingsTargets are the details that name a check's target.
var findingsTargets = []string{store.DetailContract, store.DetailComponent}

// detailField is the form field of a detail: prefixed, so a detail never
// collides with the form's own fields (subject, org, version, …).
func detailField(name string) string { return "detail_" + name }

func detailType(t workflow.DetailType) string {
	switch t {
	case workflow.DetailDate:
		return "date"
	case workflow.DetailCode:
		return "code"
	}
	return "text"
}

// detailValues reads the details of a form: those declared and, when only
// is not nil, named in it; stamped ones are mamori's and never read. A
// field left out of the form is not sent at all (so not cleared).
func detailValues(r *http.Request, decl []workflow.Detail, only []string) map[string]string {
	out := map[string]string{}
	for _, d := range decl {
		if d.Stamped || (only != nil && !slices.Contains(only, d.Name)) {
			continue
		}
		if _, sent := r.PostForm[detailField(d.Name)]; !sent {
			continue
		}
		if v := strings.TrimSpace(r.PostFormValue(detailField(d.Name))); v != "" {
			out[d.Name] = clip(v, workflow.MaxDetail+1)
		}
	}
	return out
}

// createKind is the kind the create form is for: the one asked for (the
// query's "new", else the refused form's), when the user may open it;
// else the first the user may open; nil when none.
func (s *server) createKind(u store.User, asked string, refused *wfCreateView) *workflow.Definition {
	if refused != nil && refused.Kind != "" {
		asked = refused.Kind
	}
	if d, ok := s.wf.Defs[asked]; ok && s.wf.MayCreate(u, asked) && workflow.GenericCreate(asked) {
		return d
	}
	for _, d := range workflow.All() {
		if s.wf.MayCreate(u, d.Kind) && workflow.GenericCreate(d.Kind) {
			return s.wf.Defs[d.Kind]
		}
	}
	return nil
}

// fillCreate completes the create form for kind d.
func (s *server) fillCreate(u store.User, d *workflow.Definition, c *wfCreateView) {
	c.Kind, c.KindJA, c.KindEN = d.Kind, d.JA, d.EN
	c.Severities, c.DueRequired = d.Severities, d.DueRequired
	c.UsesDue = usesOf(d).Due
	c.Kinds = nil
	for _, k := range workflow.All() {
		if def, ok := s.wf.Defs[k.Kind]; ok && s.wf.MayCreate(u, k.Kind) && workflow.GenericCreate(k.Kind) {
			c.Kinds = append(c.Kinds, labelled{Value: def.Kind, JA: def.JA, EN: def.EN, Selected: def.Kind == d.Kind})
		}
	}
	c.Details = nil
	for _, det := range d.Details {
		// A remediation item's countermeasure is recorded when it is
		// resolved, and only for a vulnerability's item.
		if workflow.SetByMamori(d, det.Name) || isCountermeasure(d, det.Name) {
			continue
		}
		c.Details = append(c.Details, wfDetailInput{ID: "create-" + det.Name, Field: detailField(det.Name), Name: det.Name, JA: det.JA, EN: det.EN,
			Type: detailType(det.Type), Required: det.Required, Value: c.values[det.Name]})
	}
}

// actionInputs are the inputs of the details transition t sets, filled
// with the item's values.
func actionInputs(d *workflow.Definition, t workflow.Transition, it store.WorkflowItem) []wfDetailInput {
	if d == nil {
		return nil
	}
	var out []wfDetailInput
	for _, name := range t.SetsDetails {
		det, ok := d.Detail(name)
		if !ok || workflow.SetByMamori(d, name) || isCountermeasure(d, name) {
			continue
		}
		out = append(out, wfDetailInput{ID: t.Name + "-" + name, Field: detailField(name), Name: name, JA: det.JA, EN: det.EN,
			Type: detailType(det.Type), Value: it.Details[name]})
	}
	return out
}

// detailRows are the item's details in the definition's order; a detail
// no longer declared is shown by its name.
func detailRows(d *workflow.Definition, it store.WorkflowItem) []wfDetailRow {
	var out []wfDetailRow
	seen := map[string]bool{}
	if d != nil {
		for _, det := range d.Details {
			if v := it.Details[det.Name]; v != "" {
				row := wfDetailRow{JA: det.JA, EN: det.EN, Value: v}
				if slices.Contains(findingsTargets, det.Name) {
					row.Findings = "/findings?" + url.Values{"target": {v}, "status": {"all"}}.Encode()
				}
				out = append(out, row)
			}
			seen[det.Name] = true
		}
	}
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range it.Details {
			if !yield(k) {
				return
			}
		}
	}) {
		if !seen[name] {
			out = append(out, wfDetailRow{JA: name, EN: name, Value: it.Details[name]})
		}
	}
	return out
}

// isCountermeasure: the remediation pages ask for a countermeasure by a
// select of their own on a vulnerability's resolve form (and the service
// refuses one on any other item), never by the generic detail input.
func isCountermeasure(d *workflow.Definition, name string) bool {
	return d.Kind == workflow.Remediation.Kind && name == workflow.DetailCountermeasure
}
