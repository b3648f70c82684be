package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// What the checks read from the workflows (issue 14, items 3 and 4). The
// store knows no workflow's rules, only the names below, which package
// workflow's definitions use, so a check and a definition cannot drift
// apart:
//
//   - a contract's 適合性確認 and 仕様書審査 are the gate requests naming it
//     (detail contract_code): where one exists, the register's imported
//     date no longer counts and the contract has the gate on the day the
//     earliest request was cleared, or not at all while none is; the
//     requests that cleared it are listed (conformity_requests,
//     spec_review_requests), and the furthest state any request reached
//     is the gate's state (conformity_gate_state, spec_review_gate_state);
//   - a contract's cloud use is approved on the day a クラウド利用申請
//     naming it was approved, when the register records no approval;
//   - an approved 情報持出し申請 is an export exception of its component's
//     organization, granted on the day approved, with its expiry, and
//     with what was taken out recorded once it ended (not, after an
//     expiry, until it is).
//
// A request counts for a contract or a component only when it is filed
// under the contract's (the component's system's) organization or one
// above it: a user of another ministry cannot clear someone else's
// contract.
const (
	// The workflows the checks read.
	GateConformityKind = "conformity_check"
	GateSpecReviewKind = "spec_review"
	CloudUseKind       = "cloud_use"
	ExportRequestKind  = "export_request"

	// The states they read.
	GateRequestedState   = "requested"
	GateUnderReviewState = "under_review"
	GateReturnedState    = "returned"
	GateClearedState     = "cleared"
	ApprovedState        = "approved"
	ExportExpired        = "expired"
	ExportEndedState     = "ended"

	// The details they read.
	DetailContract   = "contract_code"
	DetailClearedOn  = "cleared_on"
	DetailApprovedOn = "approved_on"
	DetailComponent  = "component_code"
	DetailExpiresOn  = "expires_on"
	DetailItemsTaken = "items_taken"
)

// codesPerQuery bounds the codes one IN (…) list names.
const codesPerQuery = 500

// wfRef is a workflow item as the checks read it.
type wfRef struct {
	id        int64
	kind, org string
	state     string
	details   map[string]string
}

// workflowRefs reads the items of the given kinds.
func (s *Store) workflowRefs(ctx context.Context, kinds ...string) ([]wfRef, error) {
	var ph []string
	var args []any
	for i, k := range kinds {
		ph = append(ph, fmt.Sprintf("$%d", i+1))
		args = append(args, k)
	}
	var out []wfRef
	var bad error
	err := s.each(ctx, `SELECT id, kind, org_code, state, details FROM workflow_items WHERE kind IN (`+strings.Join(ph, ", ")+`) ORDER BY id`,
		args, func(r []any) {
			ref := wfRef{id: i64(r[0]), kind: str(r[1]), org: str(r[2]), state: str(r[3])}
			var err error
			if ref.details, err = parseWorkflowDetails(ref.id, detailText(r[4])); err != nil && bad == nil {
				bad = err
			}
			out = append(out, ref)
		})
	if err == nil {
		err = bad
	}
	return out, err
}

func detailText(v any) string {
	switch x := v.(type) {
	case string:
		return x
	case []byte:
		return string(x)
	}
	return ""
}

// orgsOf returns the organization of each code of the given query's table
// (q selects code and organization WHERE code IN (%s)), read in chunks.
func (s *Store) orgsOf(ctx context.Context, q string, codes []string) (map[string]string, error) {
	out := map[string]string{}
	codes = slices.Compact(slices.Sorted(slices.Values(codes)))
	for len(codes) > 0 {
		n := min(len(codes), codesPerQuery)
		var ph []string
		var args []any
		for i, c := range codes[:n] {
			ph = append(ph, "$"+strconv.Itoa(i+1))
			args = append(args, c)
		}
		if err := s.each(ctx, fmt.Sprintf(q, strings.Join(ph, ", ")), args, func(r []any) { out[str(r[0])] = str(r[1]) }); err != nil {
			return nil, err
		}
		codes = codes[n:]
	}
	return out, nil
}

// filedAbove reports whether an item filed under org may speak for a
// target of organization target: org is target or one of its ancestors.
func filedAbove(parents map[string]string, org, target string) bool {
	seen := map[string]bool{}
	for c := target; c != "" && !seen[c]; c = parents[c] {
		if c == org {
			return true
		}
		seen[c] = true
	}
	return false
}

// contractGate is what a contract's requests of one kind say.
type contractGate struct {
	any     bool     // some request names the contract
	state   string   // the furthest state among them (gateProgress)
	cleared string   // the earliest day one was cleared (approved), "" for none
	by      []string // the ids of the requests that cleared it
}

// gateProgress orders a gate's states, the furthest last: a contract with
// one request cleared and another returned has its gate cleared.
var gateProgress = []string{GateReturnedState, GateRequestedState, GateUnderReviewState, GateClearedState}

func (g *contractGate) add(ref wfRef, clearedState, dateDetail string) {
	g.any = true
	if slices.Index(gateProgress, ref.state) > slices.Index(gateProgress, g.state) {
		g.state = ref.state
	}
	day := ref.details[dateDetail]
	if ref.state != clearedState || day == "" {
		return
	}
	if g.cleared == "" || day < g.cleared {
		g.cleared = day
	}
	g.by = append(g.by, strconv.FormatInt(ref.id, 10))
}

// contractGates derives what the gate and cloud requests say of each
// contract (see the comment at the top of the file).
func (s *Store) contractGates(ctx context.Context, d *viewData) error {
	fields := []string{"conformity_checked_on", "spec_reviewed_on", "cloud_approved_on",
		"conformity_requests", "spec_review_requests", "cloud_use_requests", "conformity_gate_state", "spec_review_gate_state"}
	if !slices.ContainsFunc(fields, d.need) {
		return nil
	}
	refs, err := s.workflowRefs(ctx, GateConformityKind, GateSpecReviewKind, CloudUseKind)
	if err != nil || len(refs) == 0 {
		return err
	}
	var codes []string
	for _, r := range refs {
		if c := r.details[DetailContract]; c != "" {
			codes = append(codes, c)
		}
	}
	orgs, err := s.orgsOf(ctx, contractOrgs, codes)
	if err != nil {
		return err
	}
	parents, err := s.OrgParents(ctx)
	if err != nil {
		return err
	}
	type gates struct{ conformity, spec, cloud contractGate }
	by := map[string]*gates{}
	for _, r := range refs {
		code := r.details[DetailContract]
		org, ok := orgs[code]
		if !ok || !filedAbove(parents, r.org, org) {
			continue
		}
		g := by[code]
		if g == nil {
			g = &gates{}
			by[code] = g
		}
		switch r.kind {
		case GateConformityKind:
			g.conformity.add(r, GateClearedState, DetailClearedOn)
		case GateSpecReviewKind:
			g.spec.add(r, GateClearedState, DetailClearedOn)
		case CloudUseKind:
			g.cloud.add(r, ApprovedState, DetailApprovedOn)
		}
	}
	for code, g := range by {
		for field, gate := range map[string]contractGate{"conformity_requests": g.conformity,
			"spec_review_requests": g.spec, "cloud_use_requests": g.cloud} {
			if len(gate.by) > 0 && d.need(field) {
				d.set(code, field, gate.by)
			}
		}
		for field, gate := range map[string]contractGate{"conformity_gate_state": g.conformity, "spec_review_gate_state": g.spec} {
			if gate.state != "" && d.need(field) {
				d.set(code, field, gate.state)
			}
		}
	}
	codeCol := d.v.Field("code")
	conf, spec, cloud := d.v.Field("conformity_checked_on"), d.v.Field("spec_reviewed_on"), d.v.Field("cloud_approved_on")
	finish := d.finish
	d.finish = func(vals []any) {
		if finish != nil {
			finish(vals)
		}
		g := by[str(vals[codeCol])]
		if g == nil {
			return
		}
		// Where a gate workflow exists it decides, imported date or not.
		for _, x := range []struct {
			col  int
			gate contractGate
		}{{conf, g.conformity}, {spec, g.spec}} {
			if x.gate.any && x.col >= 0 {
				vals[x.col] = nil
				if x.gate.cleared != "" {
					vals[x.col] = x.gate.cleared
				}
			}
		}
		if cloud >= 0 && vals[cloud] == nil && g.cloud.cleared != "" {
			vals[cloud] = g.cloud.cleared
		}
	}
	return nil
}

// exportRecord is an approved export request as an export exception.
type exportRecord struct {
	org              string // the organization of the component's system
	granted, expires string
	itemsRecorded    any // true once ended, false expired and unrecorded, nil while running
}

// exportRecords reads the approved export requests as exception records.
func (s *Store) exportRecords(ctx context.Context) ([]exportRecord, error) {
	refs, err := s.workflowRefs(ctx, ExportRequestKind)
	if err != nil || len(refs) == 0 {
		return nil, err
	}
	var codes []string
	for _, r := range refs {
		codes = append(codes, r.details[DetailComponent])
	}
	orgs, err := s.orgsOf(ctx, componentOrgs, codes)
	if err != nil {
		return nil, err
	}
	parents, err := s.OrgParents(ctx)
	if err != nil {
		return nil, err
	}
	var out []exportRecord
	for _, r := range refs {
		org, ok := orgs[r.details[DetailComponent]]
		granted := r.details[DetailApprovedOn]
		if !ok || granted == "" || !filedAbove(parents, r.org, org) {
			continue
		}
		rec := exportRecord{org: org, granted: granted, expires: r.details[DetailExpiresOn]}
		switch r.state {
		case ExportEndedState:
			rec.itemsRecorded = r.details[DetailItemsTaken] != ""
		case ExportExpired:
			rec.itemsRecorded = false
		}
		out = append(out, rec)
	}
	return out, nil
}

// Target queries: the organization of a contract, and of a component's
// system, by code.
const (
	contractOrgs  = `SELECT code, org_code FROM contracts WHERE code IN (%s)`
	componentOrgs = `SELECT c.code, s.org_code FROM components c JOIN systems s ON s.code = c.system_code WHERE c.code IN (%s)`
)

// ContractAnswersTo reports whether a request filed under org counts for
// contract code in the checks: the contract exists and org is its
// organization or one above it (the rule contractGates applies). False
// says nothing of which of the two failed.
func (s *Store) ContractAnswersTo(ctx context.Context, org, code string) (bool, error) {
	return s.answersTo(ctx, contractOrgs, org, code)
}

// ComponentAnswersTo is ContractAnswersTo for a component, by its
// system's organization (the rule exportRecords applies).
func (s *Store) ComponentAnswersTo(ctx context.Context, org, code string) (bool, error) {
	return s.answersTo(ctx, componentOrgs, org, code)
}

func (s *Store) answersTo(ctx context.Context, q, org, code string) (bool, error) {
	orgs, err := s.orgsOf(ctx, q, []string{code})
	if err != nil {
		return false, err
	}
	target, ok := orgs[code]
	if !ok {
		return false, nil
	}
	parents, err := s.OrgParents(ctx)
	if err != nil {
		return false, err
	}
	return filedAbove(parents, org, target), nil
}
