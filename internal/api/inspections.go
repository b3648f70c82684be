package api

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The self-inspection routes (issue 14 item 5): a round is a workflow item
// of kind self_inspection with a questionnaire, so its transitions, comments
// and evidence are the workflow routes' (/workflows/{id}/…); these add what
// only a round has: its scope and dates, its questions with their answers
// and findings, opening one, answering and raising a finding. Every rule is
// package workflow's, through the same calls the pages and the CLI make;
// a round outside the caller's grants answers 404 like a missing one.

func (s *server) inspectionRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/inspections", s.authed(s.inspectionList))
	mux.Handle("POST /api/v1/inspections", s.writes(s.inspectionOpen))
	mux.Handle("GET /api/v1/inspections/{id}", s.authed(s.inspectionItem))
	mux.Handle("POST /api/v1/inspections/{id}/answers", s.writes(s.inspectionAnswers))
	mux.Handle("POST /api/v1/inspections/{id}/findings", s.writes(s.inspectionFinding))
}

func inspectionURL(id int64) string { return "/api/v1/inspections/" + strconv.FormatInt(id, 10) }

// Inspection is a self-inspection round as the API lists it: its workflow
// item, what it inspects and the dates its steps were done.
type Inspection struct {
	Workflow
	// ProjectCode and Stage for a project stage's round, FiscalYear for
	// an organization's year (the item's org_code).
	ProjectCode string `json:"project_code,omitempty"`
	Stage       string `json:"stage,omitempty"`
	FiscalYear  int    `json:"fiscal_year,omitempty"`
	// The dates (in Japan) the steps were done; left out until then.
	SelfInspectedOn   string `json:"self_inspected_on,omitempty"`
	PMOReviewedOn     string `json:"pmo_reviewed_on,omitempty"`
	CentralReviewedOn string `json:"central_reviewed_on,omitempty"`
}

func (s *server) inspectionOf(it store.WorkflowItem, rd store.InspectionRound, today string) Inspection {
	return Inspection{Workflow: s.workflowOf(it, today), ProjectCode: rd.ProjectCode, Stage: rd.Stage, FiscalYear: rd.FiscalYear,
		SelfInspectedOn: rd.SelfInspectedOn, PMOReviewedOn: rd.PMOReviewedOn, CentralReviewedOn: rd.CentralReviewedOn}
}

// InspectionList is one page of rounds.
type InspectionList struct {
	Total  int          `json:"total"`
	Page   int          `json:"page"`
	Rounds []Inspection `json:"rounds"`
}

// inspectionList lists the caller's rounds, by id: in one state, of one
// organization's subtree (org).
func (s *server) inspectionList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	state := q.Get("state")
	if _, ok := workflow.Inspection.StateInfo(state); state != "" && !ok {
		var names []string
		for _, st := range workflow.Inspection.States {
			names = append(names, st.Name)
		}
		return nil, mamori.Errorf(mamori.Invalid, "パラメータ「state」の状態「%s」はありません（%s）", "parameter state: no state %q (%s)",
			clip(state), strings.Join(names, ", "))
	}
	orgs, err := s.workflowOrgs(r, c)
	if err != nil {
		return nil, err
	}
	f := store.WorkflowFilter{Kind: workflow.InspectionKind, State: state, Orgs: orgs}
	items, err := s.st.WorkflowItems(r.Context(), f)
	if err != nil {
		return nil, err
	}
	out := InspectionList{Total: len(items), Page: p, Rounds: []Inspection{}}
	from := (p - 1) * pageSize
	if from >= len(items) {
		return out, nil
	}
	rounds, err := s.st.InspectionRounds(r.Context())
	if err != nil {
		return nil, err
	}
	today := s.wf.Today()
	for _, it := range items[from:min(from+pageSize, len(items))] {
		out.Rounds = append(out.Rounds, s.inspectionOf(it, rounds[it.ID], today))
	}
	return out, nil
}

// InspectionQuestion is one question of a round with its answer and the
// reviewers' finding.
type InspectionQuestion struct {
	N         int    `json:"n"`
	CatalogID string `json:"catalog_id"`
	ControlID string `json:"control_id"`
	Title     string `json:"title"`
	// Answer is "unanswered" until the inspector answers: an unanswered
	// question is never taken for a yes.
	Answer     string `json:"answer"`
	Note       string `json:"note,omitempty"`
	Evidence   int    `json:"evidence,omitempty"` // the n of the round's evidence the answer cites
	AnsweredBy string `json:"answered_by,omitempty"`
	AnsweredAt string `json:"answered_at,omitempty"`
	Finding    string `json:"finding,omitempty"`
	FindingBy  string `json:"finding_by,omitempty"`
	// Remediation is the remediation item opened for the finding.
	Remediation    int64  `json:"remediation,omitempty"`
	RemediationURL string `json:"remediation_url,omitempty"`
}

// unanswered is how the API names a question without an answer.
const unanswered = "unanswered"

// InspectionDetail is one round with its questionnaire, its evidence and
// what the caller may do with it now.
type InspectionDetail struct {
	Inspection
	Unanswered int                  `json:"unanswered"`
	Questions  []InspectionQuestion `json:"questions"`
	Evidence   []WorkflowEvidence   `json:"evidence"`
	// Transitions the caller may take now, through
	// /workflows/{id}/transitions.
	Transitions []WorkflowAction `json:"transitions"`
	MayAnswer   bool             `json:"may_answer"`
	MayFind     bool             `json:"may_raise_finding"`
	MayAdd      bool             `json:"may_add"`
	// WorkflowURL is the round as a workflow item, with its history.
	WorkflowURL string `json:"workflow_url"`
}

// inspectionDetailOf gathers round it for the caller.
func (s *server) inspectionDetailOf(r *http.Request, c *caller, it store.WorkflowItem) (InspectionDetail, error) {
	ctx := r.Context()
	rd, err := s.st.InspectionRound(ctx, it.ID)
	if err != nil {
		return InspectionDetail{}, err
	}
	wd, err := s.detailOf(r, c, it)
	if err != nil {
		return InspectionDetail{}, err
	}
	out := InspectionDetail{Inspection: s.inspectionOf(it, rd, s.wf.Today()), Questions: []InspectionQuestion{},
		Evidence: wd.Evidence, Transitions: wd.Transitions, MayAdd: wd.MayAdd, MayAnswer: workflow.MayAnswer(c.user, it),
		WorkflowURL: workflowURL(it.ID)}
	if out.MayFind, err = s.wf.MayRaiseFinding(ctx, c.user, it); err != nil {
		return out, err
	}
	attachments, err := s.st.WorkflowAttachments(ctx, it.ID)
	if err != nil {
		return out, err
	}
	answers, err := s.st.InspectionAnswers(ctx, it.ID)
	if err != nil {
		return out, err
	}
	for _, a := range answers {
		q := InspectionQuestion{N: a.Position, CatalogID: a.CatalogID, ControlID: a.ControlID, Title: a.Title, Answer: a.Answer,
			Note: a.Note, AnsweredBy: a.AnsweredBy, Finding: a.Finding, FindingBy: a.FindingBy, Remediation: a.RemediationID}
		if q.Answer == store.AnswerNone {
			q.Answer = unanswered
			out.Unanswered++
		}
		if !a.AnsweredAt.IsZero() {
			q.AnsweredAt = a.AnsweredAt.UTC().Format(time.RFC3339)
		}
		if a.AttachmentID != 0 {
			q.Evidence = slices.IndexFunc(attachments, func(x store.WorkflowAttachment) bool { return x.ID == a.AttachmentID }) + 1
		}
		if a.RemediationID != 0 {
			q.RemediationURL = workflowURL(a.RemediationID)
		}
		out.Questions = append(out.Questions, q)
	}
	return out, nil
}

// visibleRound reads the path's round if the caller may see it; anything
// else, another kind of item's id included, answers as a missing round.
func (s *server) visibleRound(r *http.Request, c *caller) (store.WorkflowItem, error) {
	it, err := s.visible(r, c)
	if (err == nil && it.Kind != workflow.InspectionKind) || mamori.KindOf(err) == mamori.NotFound {
		return store.WorkflowItem{}, noRound(r)
	}
	return it, err
}

func noRound(r *http.Request) error {
	return mamori.Errorf(mamori.NotFound, "自己点検「%s」はありません", "no self-inspection %q", clip(r.PathValue("id")))
}

func (s *server) inspectionItem(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	it, err := s.visibleRound(r, c)
	if err != nil {
		return nil, err
	}
	out, err := s.inspectionDetailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return out, nil
}

// InspectionOpen is the body of POST /inspections: a project and its
// stage, or an organization and a fiscal year.
type InspectionOpen struct {
	Project    string `json:"project"`
	Stage      string `json:"stage"`
	Org        string `json:"org"`
	FiscalYear int    `json:"fiscal_year"`
	Comment    string `json:"comment"`
}

func (s *server) inspectionOpen(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	var in InspectionOpen
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if err := checkComment(in.Comment); err != nil {
		return nil, err
	}
	round := workflow.Round{ProjectCode: in.Project, Stage: in.Stage, OrgCode: in.Org, Comment: strings.TrimSpace(in.Comment)}
	if in.FiscalYear != 0 {
		round.FiscalYear = strconv.Itoa(in.FiscalYear)
	}
	if round.ProjectCode == "" && round.Stage == "" && round.FiscalYear == "" {
		return nil, mamori.Errorf(mamori.Invalid, "自己点検の対象（project と stage、又は org と fiscal_year）を指定してください",
			"name what the round inspects (project and stage, or org and fiscal_year)")
	}
	if round.ProjectCode != "" && round.OrgCode != "" {
		// The project decides the organization; another one named is a mistake.
		return nil, mamori.Errorf(mamori.Invalid, "プロジェクトの自己点検の組織はプロジェクトが決めます（org は年度の自己点検だけに指定します）",
			"a project's round belongs to the project's organization: name org only for a fiscal year")
	}
	it, err := s.wf.OpenInspection(r.Context(), c.user, round)
	if err != nil {
		return nil, err
	}
	out, err := s.inspectionDetailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return created{location: inspectionURL(it.ID), body: out}, nil
}

// InspectionAnswer is one answer of POST /inspections/{id}/answers.
type InspectionAnswer struct {
	CatalogID string `json:"catalog_id"`
	ControlID string `json:"control_id"`
	Answer    string `json:"answer"`
	Note      string `json:"note"`
	// Evidence is the n of the round's evidence the answer cites (upload
	// it with POST /workflows/{id}/evidence); 0 for none.
	Evidence int `json:"evidence"`
}

// InspectionAnswers is the body of POST /inspections/{id}/answers.
type InspectionAnswers struct {
	Version int64              `json:"version"`
	Answers []InspectionAnswer `json:"answers"`
}

// inspectionAnswers records answers of one or several questions, all or
// none: the service decides who may (the inspector, while the round is
// drafted or returned) and refuses a stale version.
func (s *server) inspectionAnswers(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	it, err := s.visibleRound(r, c)
	if err != nil {
		return nil, err
	}
	var in InspectionAnswers
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if in.Version, err = seenVersion(r, in.Version); err != nil {
		return nil, err
	}
	if len(in.Answers) > workflow.MaxQuestions {
		return nil, mamori.Errorf(mamori.Invalid, "回答が多すぎます（%d 件、上限 %d 件）", "too many answers (%d, at most %d)",
			len(in.Answers), workflow.MaxQuestions)
	}
	attachments, err := s.st.WorkflowAttachments(r.Context(), it.ID)
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var answers []workflow.Answer
	for _, a := range in.Answers {
		key := a.CatalogID + ":" + a.ControlID
		if seen[key] {
			return nil, mamori.Errorf(mamori.Invalid, "管理策 %s の回答が 2 つ以上あります", "control %s is answered more than once", clip(key))
		}
		seen[key] = true
		var att int64
		if a.Evidence != 0 {
			if a.Evidence < 0 || a.Evidence > len(attachments) {
				return nil, mamori.Errorf(mamori.Invalid, "管理策 %s の証跡 %d はこの自己点検にありません（%d 件）",
					"control %s: the round has no evidence %d (it has %d)", clip(key), a.Evidence, len(attachments))
			}
			att = attachments[a.Evidence-1].ID
		}
		answers = append(answers, workflow.Answer{CatalogID: a.CatalogID, ControlID: a.ControlID, Answer: a.Answer, Note: a.Note,
			AttachmentID: att})
	}
	it, err = s.wf.AnswerInspection(r.Context(), c.user, it.ID, in.Version, answers)
	if err != nil {
		return nil, s.roundRefusal(r, c, err)
	}
	out, err := s.inspectionDetailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return out, nil
}

// roundRefusal is a service's refusal on the path's round: a round that
// is gone answers as a missing one, a conflict carries its version.
func (s *server) roundRefusal(r *http.Request, c *caller, err error) error {
	if mamori.KindOf(err) == mamori.NotFound {
		return noRound(r)
	}
	id, _ := itemID(r)
	return s.conflict(r, c, id, err)
}

// InspectionFinding is the body of POST /inspections/{id}/findings.
type InspectionFinding struct {
	Version   int64  `json:"version"`
	CatalogID string `json:"catalog_id"`
	ControlID string `json:"control_id"`
	Finding   string `json:"finding"`
	// Remediate opens a remediation item for the finding, filed under the
	// round's organization.
	Remediate bool `json:"remediate"`
}

// inspectionFinding records a reviewer's finding on one answer: the PMO
// while the round is submitted, the centre while it is PMO reviewed,
// never its inspector.
func (s *server) inspectionFinding(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	it, err := s.visibleRound(r, c)
	if err != nil {
		return nil, err
	}
	var in InspectionFinding
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if in.Version, err = seenVersion(r, in.Version); err != nil {
		return nil, err
	}
	if in.CatalogID == "" || in.ControlID == "" {
		return nil, mamori.Errorf(mamori.Invalid, "指摘する設問（catalog_id と control_id）を指定してください",
			"name the question of the finding (catalog_id and control_id)")
	}
	it, _, err = s.wf.RaiseFinding(r.Context(), c.user, it.ID, in.Version, workflow.Finding{CatalogID: in.CatalogID,
		ControlID: in.ControlID, Text: in.Finding, Remediate: in.Remediate})
	if err != nil {
		return nil, s.roundRefusal(r, c, err)
	}
	out, err := s.inspectionDetailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	// The remediation item opened, if any, is the question's
	// remediation_url.
	return created{location: inspectionURL(it.ID), body: out}, nil
}
