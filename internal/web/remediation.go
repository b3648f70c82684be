package web

// The remediation pages (issue 14, item 2): an item opened for a finding
// from the findings list, or for a vulnerability from a system's page;
// the item's details, milestones and escalation on its page; the ageing
// of the unsettled items on the list. Every rule is package workflow's.

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

func (s *server) remediationRoutes(mux *http.ServeMux) {
	mux.Handle("POST /findings/remediation", s.handle(s.findingRemediation))
	mux.Handle("POST /systems/{code}/remediation", s.handle(s.vulnRemediation))
	mux.Handle("POST /workflows/{id}/milestones", s.handle(s.milestoneAdd))
	mux.Handle("POST /workflows/{id}/milestones/{m}", s.handle(s.milestoneTick))
}

// findingRemediation opens a remediation item for the finding the form
// names and shows it.
func (s *server) findingRemediation(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	it, err := s.wf.OpenForFinding(r.Context(), u, workflow.OpenFinding{Control: strings.TrimSpace(r.PostFormValue("control")),
		Target: strings.TrimSpace(r.PostFormValue("target")), DueOn: strings.TrimSpace(r.PostFormValue("due_on")),
		Comment: strings.TrimSpace(r.PostFormValue("comment"))})
	if err != nil {
		return err
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

// vulnRemediation opens a remediation item for a vulnerability matched on
// the system and shows it.
func (s *server) vulnRemediation(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	it, err := s.wf.OpenForVuln(r.Context(), u, workflow.OpenVuln{System: r.PathValue("code"),
		Vuln: strings.TrimSpace(r.PostFormValue("vuln")), DueOn: strings.TrimSpace(r.PostFormValue("due_on")),
		Comment: strings.TrimSpace(r.PostFormValue("comment"))})
	if err != nil {
		return err
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

// postedVersion reads the version a form saw, 0 when it names none (the
// service then refuses the action as naming no version).
func postedVersion(r *http.Request) int64 {
	v, _ := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	return v
}

func (s *server) milestoneAdd(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	if _, err := s.wf.AddMilestone(r.Context(), u, it.ID, postedVersion(r), r.PostFormValue("title"), r.PostFormValue("due_on")); err != nil {
		return s.refuseOnItem(w, r, u, it.ID, err, 0, "")
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=planned#milestones", http.StatusSeeOther)
	return nil
}

func (s *server) milestoneTick(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	m, err := strconv.ParseInt(r.PathValue("m"), 10, 64)
	if err != nil || m <= 0 {
		return mamori.Errorf(mamori.NotFound, "案件 %d にマイルストーン %s はありません", "workflow item %d has no milestone %s", it.ID, clip(r.PathValue("m"), 20))
	}
	if _, err := s.wf.TickMilestone(r.Context(), u, it.ID, postedVersion(r), m, r.PostFormValue("done") != "0"); err != nil {
		return s.refuseOnItem(w, r, u, it.ID, err, 0, "")
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=planned#milestones", http.StatusSeeOther)
	return nil
}

// remedyDetail is one detail of an item, with a link where it names a
// finding or a system.
type remedyDetail struct {
	JA, EN, Value, URL string
}

// milestoneRow is one milestone on an item's page.
type milestoneRow struct {
	ID                   int64
	Title, DueOn, DoneOn string
	DoneBy               string
	Late                 bool // not done and its date has passed
}

// remedyView is what an item's page shows of remediation to closure.
type remedyView struct {
	Details         []remedyDetail
	Milestones      []milestoneRow
	MayPlan         bool
	IsVuln          bool     // resolving records a countermeasure
	Countermeasures []string // the kinds to choose from
	Age             int
	Bucket          string
	Settled         bool
}

// remedy builds the remediation part of it's page for u; nil for an item
// of another workflow.
func (s *server) remedy(ctx context.Context, u store.User, it store.WorkflowItem) (*remedyView, error) {
	d := s.wf.Defs[it.Kind]
	if d == nil || it.Kind != workflow.Remediation.Kind {
		return nil, nil
	}
	today := s.wf.Today()
	v := &remedyView{IsVuln: it.Details[workflow.DetailVuln] != "", Countermeasures: store.CountermeasureKinds,
		Age: workflow.AgeDays(it, today), Settled: it.State == workflow.Resolved || it.State == workflow.Closed}
	v.Bucket = workflow.AgeBucket(v.Age)
	for _, det := range d.Details {
		val := it.Details[det.Name]
		if val == "" {
			continue
		}
		// The definition names details in lower case, as messages use
		// them; a label starts with a capital.
		en := det.EN
		if en != "" {
			en = strings.ToUpper(en[:1]) + en[1:]
		}
		row := remedyDetail{JA: det.JA, EN: en, Value: val}
		switch det.Name {
		case workflow.DetailControl:
			row.URL = findingsURL(val, "", "all", 1)
		case workflow.DetailTarget:
			if v.IsVuln {
				row.URL = systemURL(val)
			}
		}
		v.Details = append(v.Details, row)
	}
	ms, err := s.store.WorkflowMilestones(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	for _, m := range ms[it.ID] {
		v.Milestones = append(v.Milestones, milestoneRow{ID: m.ID, Title: m.Title, DueOn: m.DueOn, DoneOn: m.DoneOn, DoneBy: m.DoneBy,
			Late: m.DoneOn == "" && m.DueOn < today})
	}
	if err := s.wf.MayPlan(ctx, u, it); err == nil {
		v.MayPlan = true
	} else if _, refused := refusalStatus(err); !refused && mamori.KindOf(err) != mamori.NotFound {
		return nil, err
	}
	return v, nil
}

// ageingView is the ageing summary on the list.
type ageingView struct {
	Buckets []string
	Rows    []workflow.AgeingRow
}

// ageing summarizes the unsettled remediation items among items; nil when
// there are none.
func (s *server) ageing(items []store.WorkflowItem) *ageingView {
	rows := workflow.Remediation.Ageing(items, s.wf.Today())
	if rows[len(rows)-1].Total == 0 {
		return nil
	}
	v := &ageingView{Rows: rows}
	for _, b := range workflow.AgeBuckets {
		v.Buckets = append(v.Buckets, b.Name)
	}
	return v
}

// findingRemedy is what a finding's row offers: the item opened for it,
// or a button to open one.
type findingRemedy struct {
	ItemURL   string
	ItemID    int64
	ItemState labelled
	MayOpen   bool
}

// findingRemedies decides each row's remediation cell.
func (s *server) findingRemedies(r *http.Request, fs []store.Finding) ([]findingRemedy, error) {
	out := make([]findingRemedy, len(fs))
	u, err := workflowUser(r)
	if err != nil {
		return out, nil // signed out (a public deployment): no cell
	}
	may := s.wf.MayCreate(u, workflow.Remediation.Kind)
	linked, err := s.wf.LinkedItems(r.Context())
	if err != nil {
		return nil, err
	}
	for i, f := range fs {
		if it, ok := linked[workflow.FindingKey(f.ControlID, f.TargetCode)]; ok {
			out[i] = findingRemedy{ItemURL: workflowURL(it.ID), ItemID: it.ID, ItemState: s.stateLabel(it)}
			if it.State != workflow.Closed || f.Status != "open" {
				continue
			}
		}
		out[i].MayOpen = may && f.Status == "open"
	}
	return out, nil
}

// stateLabel names it's state.
func (s *server) stateLabel(it store.WorkflowItem) labelled {
	l := labelled{Value: it.State, JA: it.State, EN: it.State}
	if d, ok := s.wf.Defs[it.Kind]; ok {
		if st, ok := d.StateInfo(it.State); ok {
			l.JA, l.EN = st.JA, st.EN
		}
	}
	return l
}

// vulnRemedies fills each vulnerability row's remediation cell of a
// system's page.
func (s *server) vulnRemedies(r *http.Request, code string, v *systemView) error {
	u, err := workflowUser(r)
	if err != nil {
		return nil
	}
	linked, err := s.wf.LinkedItems(r.Context())
	if err != nil {
		return err
	}
	may := s.wf.MayCreate(u, workflow.Remediation.Kind)
	for i := range v.Vulns {
		row := &v.Vulns[i]
		if it, ok := linked[workflow.VulnKey(row.ID, code)]; ok && it.State != workflow.Closed {
			row.Remedy = findingRemedy{ItemURL: workflowURL(it.ID), ItemID: it.ID, ItemState: s.stateLabel(it)}
			continue
		}
		row.Remedy.MayOpen = may
	}
	return nil
}
