package app_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"mamori/internal/store"
	"mamori/internal/store/storetest"
	"mamori/internal/workflow"
)

// TestDemoPostgresWorkflows: the small demo built on PostgreSQL holds what
// the README promises of its workflows, kind by kind, in one database: a
// remediation item in every state (one assigned item overdue, a closed one
// with a text report as evidence, one reopened after closing), both
// procurement gates and both approvals in every state of their workflows,
// and a self-inspection round in every state (the drafted one partly
// answered, the PMO reviewed one with a finding, the returned one returned
// by the PMO). The other tests build the demo on both stores for one family
// of workflows each; this one reads them all from the store the README
// shows for large deployments.
func TestDemoPostgresWorkflows(t *testing.T) {
	if os.Getenv(storetest.EnvPostgres) == "" {
		t.Skipf("%s is not set", storetest.EnvPostgres)
	}
	const today = "2026-11-01"
	db := storetest.PostgresDSN(t)
	if r := run(t, nil, "demo", "--scale", "small", "--no-serve", "--today", today, "--db", db); r.code != 0 {
		t.Fatalf("demo = %+v", r)
	}
	st, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := t.Context()

	// The README's claims: every state of these kinds.
	claimed := []*workflow.Definition{workflow.Remediation, workflow.ConformityCheck, workflow.SpecReview,
		workflow.CloudUse, workflow.ExportRequest(0), workflow.Inspection}
	byKind := map[string][]store.WorkflowItem{}
	for _, d := range claimed {
		items, err := st.WorkflowItems(ctx, store.WorkflowFilter{Kind: d.Kind})
		if err != nil {
			t.Fatal(err)
		}
		byKind[d.Kind] = items
		have := map[string]bool{}
		for _, it := range items {
			have[it.State] = true
		}
		for _, s := range d.States {
			if !have[s.Name] {
				t.Errorf("%s: no demo item in state %s (have %v)", d.Kind, s.Name, have)
			}
		}
	}
	for _, d := range workflow.All() {
		if !slices.ContainsFunc(claimed, func(c *workflow.Definition) bool { return c.Kind == d.Kind }) {
			t.Logf("%s: the README claims no demo items of this kind; not checked", d.Kind)
		}
	}

	// Remediation: raised by auditor, one assigned item overdue, the closed
	// one with a text report, one reopened after closing.
	var overdue, report, reopened bool
	for _, it := range byKind[workflow.Remediation.Kind] {
		if it.Applicant != "auditor" {
			t.Errorf("remediation item %d raised by %s, want auditor", it.ID, it.Applicant)
		}
		if it.State == workflow.Assigned && workflow.Remediation.Overdue(it, today) {
			overdue = true
		}
		if it.State == workflow.Closed {
			ev, err := st.WorkflowAttachments(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			report = report || slices.ContainsFunc(ev, func(a store.WorkflowAttachment) bool { return strings.HasPrefix(a.MediaType, "text/plain") })
		}
		hist, err := st.WorkflowEvents(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		if it.State == workflow.InProgress && slices.ContainsFunc(hist, func(e store.WorkflowEvent) bool {
			return e.Transition == "reopen" && e.From == workflow.Closed
		}) {
			reopened = true
		}
	}
	if !overdue || !report || !reopened {
		t.Errorf("remediation: an overdue assigned item %v, a closed item with a text report %v, an item reopened after closing %v; want all",
			overdue, report, reopened)
	}

	// Self-inspection: the drafted round partly answered, a finding on the
	// PMO reviewed one, the returned one returned by the PMO.
	for _, it := range byKind[workflow.Inspection.Kind] {
		answers, err := st.InspectionAnswers(ctx, it.ID)
		if err != nil {
			t.Fatal(err)
		}
		answered, findings := 0, 0
		for _, a := range answers {
			if a.Answer != "" {
				answered++
			}
			if a.Finding != "" {
				findings++
			}
		}
		switch it.State {
		case workflow.Drafted:
			if answered == 0 || answered == len(answers) {
				t.Errorf("drafted round %d: %d of %d answered, want some", it.ID, answered, len(answers))
			}
		case workflow.PMOReviewed:
			if findings == 0 {
				t.Errorf("PMO reviewed round %d has no finding", it.ID)
			}
		case workflow.Returned:
			hist, err := st.WorkflowEvents(ctx, it.ID)
			if err != nil {
				t.Fatal(err)
			}
			if last := hist[len(hist)-1]; last.Transition != "pmo_return" {
				t.Errorf("returned round %d: last event %+v, want the PMO's return", it.ID, last)
			}
		}
	}
}
