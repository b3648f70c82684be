package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/authz"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The self-inspection pages (issue 14 item 5): the rounds a user's grants
// cover with the form that opens one, and a round's questionnaire with its
// answers, evidence, reviewers' findings and the transitions the viewer may
// take. Every rule is package workflow's; the round's history is the
// workflow page's (/workflows/{id}), which these pages link to.

func (s *server) inspectionRoutes(mux *http.ServeMux) {
	mux.Handle("GET /inspections", s.handle(s.inspectionList))
	mux.Handle("POST /inspections", s.handle(s.inspectionOpen))
	mux.Handle("GET /inspections/{id}", s.handle(s.inspectionPage))
	mux.Handle("POST /inspections/{id}/answers", s.handle(s.inspectionAnswers))
	mux.Handle("POST /inspections/{id}/findings", s.handle(s.inspectionFinding))
	mux.Handle("POST /inspections/{id}/act", s.handle(s.inspectionAct))
}

func inspectionURL(id int64) string { return "/inspections/" + strconv.FormatInt(id, 10) }

// inspRow is one round of the list.
type inspRow struct {
	wfRow
	Self, PMO, Central string
}

// inspOpenView is the form that opens a round.
type inspOpenView struct {
	Projects  []string // project codes with a stage in the register, at most maxOrgOptions
	Stages    []labelled
	Orgs      []string
	Project   string
	Stage     string
	Org       string
	Year      string
	Message   string
	MessageEN string
}

// inspListView is the data of the list.
type inspListView struct {
	Rows             []inspRow
	Total, Page      int
	Pages            int
	PrevURL, NextURL string
	Open             *inspOpenView // nil when the user may open no round
}

func inspListURL(page int) string {
	if page <= 1 {
		return "/inspections"
	}
	return "/inspections?page=" + strconv.Itoa(page)
}

func stageLabel(code string) labelled {
	l := labelled{Value: code, JA: code, EN: code}
	if i := slices.IndexFunc(mamori.ProjectStages, func(v mamori.EnumValue) bool { return v.Code == code }); i >= 0 {
		l.JA, l.EN = mamori.ProjectStages[i].JA, mamori.ProjectStages[i].EN
	}
	return l
}

func (s *server) inspectionList(w http.ResponseWriter, r *http.Request) error {
	return s.renderInspectionList(w, r, http.StatusOK, nil)
}

func (s *server) renderInspectionList(w http.ResponseWriter, r *http.Request, status int, open *inspOpenView) error {
	ctx := r.Context()
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	page, err := parsePage(r.URL.Query().Get("page"))
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	f := store.WorkflowFilter{Kind: workflow.InspectionKind}
	if !v.all {
		f.Orgs = v.scope.Orgs()
		if f.Orgs == nil {
			f.Orgs = []string{}
		}
	}
	items, err := s.store.WorkflowItems(ctx, f)
	if err != nil {
		return err
	}
	rounds, err := s.store.InspectionRounds(ctx)
	if err != nil {
		return err
	}
	// Newest first: the rounds under way matter most.
	slices.Reverse(items)
	view := inspListView{Page: page, Total: len(items)}
	view.Pages = max(1, (len(items)+workflowPageSize-1)/workflowPageSize)
	if page > view.Pages {
		page, view.Page = view.Pages, view.Pages
	}
	from := (page - 1) * workflowPageSize
	items = items[from:min(len(items), from+workflowPageSize)]
	if page > 1 {
		view.PrevURL = inspListURL(page - 1)
	}
	if page < view.Pages {
		view.NextURL = inspListURL(page + 1)
	}
	var codes []string
	for _, it := range items {
		codes = append(codes, it.OrgCode)
	}
	names, err := s.visibleNames(r, organizations, codes...)
	if err != nil {
		return err
	}
	today := s.wf.Today()
	for _, it := range items {
		rd := rounds[it.ID]
		row := inspRow{wfRow: s.wfRow(r, it, names, today), Self: rd.SelfInspectedOn, PMO: rd.PMOReviewedOn, Central: rd.CentralReviewedOn}
		row.URL = inspectionURL(it.ID)
		view.Rows = append(view.Rows, row)
	}
	if s.wf.MayCreate(u, workflow.InspectionKind) {
		if open == nil {
			open = &inspOpenView{}
		}
		var roles []string
		for _, r := range workflow.Inspection.CreateRoles {
			roles = append(roles, string(r))
		}
		sc, err := authz.OfRoles(ctx, s.store, u, roles...)
		if err != nil {
			return err
		}
		orgs := sc.Orgs()
		open.Orgs = orgs[:min(len(orgs), maxOrgOptions)]
		in := map[string]bool{}
		for _, o := range orgs {
			in[o] = true
		}
		stages, err := s.store.ProjectStages(ctx, nil)
		if err != nil {
			return err
		}
		for _, ps := range stages {
			if in[ps.OrgCode] && !slices.Contains(open.Projects, ps.ProjectCode) && len(open.Projects) < maxOrgOptions {
				open.Projects = append(open.Projects, ps.ProjectCode)
			}
		}
		for _, st := range mamori.ProjectStages {
			l := stageLabel(st.Code)
			l.Selected = st.Code == open.Stage
			open.Stages = append(open.Stages, l)
		}
		if open.Year == "" {
			open.Year = today[:4]
		}
		view.Open = open
	}
	return s.render(w, r, status, "inspections.html", s.loc(r).MustT("inspection.title"), "inspections", view)
}

func (s *server) inspectionOpen(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	if !s.wf.MayCreate(u, workflow.InspectionKind) {
		return mamori.Errorf(mamori.Forbidden, "この操作を行う役割が付与されていません", "your roles do not allow this")
	}
	o := &inspOpenView{Project: clip(strings.TrimSpace(r.PostFormValue("project")), 64), Stage: clip(r.PostFormValue("stage"), 64),
		Org: clip(strings.TrimSpace(r.PostFormValue("org")), 64), Year: clip(strings.TrimSpace(r.PostFormValue("fiscal_year")), 16)}
	round := workflow.Round{Comment: clip(strings.TrimSpace(r.PostFormValue("comment")), workflow.MaxComment)}
	if r.PostFormValue("scope") == "fy" {
		round.OrgCode, round.FiscalYear = o.Org, o.Year
	} else {
		round.ProjectCode, round.Stage = o.Project, o.Stage
	}
	it, err := s.wf.OpenInspection(r.Context(), u, round)
	if err != nil {
		status, ok := refusalStatus(err)
		if !ok {
			return err
		}
		o.Message, o.MessageEN = s.refusalText(r, err)
		return s.renderInspectionList(w, r, status, o)
	}
	http.Redirect(w, r, inspectionURL(it.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

// inspQuestion is one question of the page.
type inspQuestion struct {
	N                    int
	CatalogID, ControlID string
	Title                string
	Answer               labelled // Value "" while unanswered
	Options              []labelled
	Note                 string
	Evidence             int64 // the attachment id, 0 for none
	EvidenceURL          string
	EvidenceName         string
	EvidenceOptions      []inspEvidenceOption
	AnsweredBy           string
	Finding, FindingBy   string
	RemediationURL       string
	RemediationID        int64
}

type inspEvidenceOption struct {
	ID       int64
	Name     string
	Selected bool
}

// inspItemView is the data of a round's page.
type inspItemView struct {
	wfRow
	Scope                    labelled
	Round                    store.InspectionRound
	Questions                []inspQuestion
	Unanswered               int
	MayAnswer, MayFind       bool
	MayAdd                   bool
	Actions                  []wfAction
	WorkflowURL              string
	Done, Message, MessageEN string
	MaxSizeMB                int64
	Allowed                  string
}

// answerLabels are the answers as the page names them.
func (s *server) answerLabel(a string) labelled {
	l := labelled{Value: a}
	switch a {
	case store.AnswerYes:
		l.JA, l.EN = "はい", "yes"
	case store.AnswerPartial:
		l.JA, l.EN = "一部", "partly"
	case store.AnswerNo:
		l.JA, l.EN = "いいえ", "no"
	case store.AnswerNotApplicable:
		l.JA, l.EN = "該当なし", "not applicable"
	default:
		l.JA, l.EN = "未回答", "unanswered"
	}
	return l
}

// visibleRound reads round id if the user may see it; anything else, a
// remediation item's id included, answers as a missing round.
func (s *server) visibleRound(r *http.Request) (store.User, store.WorkflowItem, error) {
	u, it, err := s.visibleItem(r)
	if err != nil || it.Kind != workflow.InspectionKind {
		if err == nil || mamori.KindOf(err) == mamori.NotFound {
			err = mamori.Errorf(mamori.NotFound, "自己点検 %s はありません", "no self-inspection %s", clip(r.PathValue("id"), 20))
		}
		return u, store.WorkflowItem{}, err
	}
	return u, it, nil
}

func (s *server) inspectionPage(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleRound(r)
	if err != nil {
		return err
	}
	var v inspItemView
	if done := r.URL.Query().Get("done"); done != "" {
		if msg, err := s.loc(r).T("inspection.done." + done); err == nil {
			v.Done = msg
		}
	}
	return s.renderInspection(w, r, http.StatusOK, u, it, v)
}

func (s *server) renderInspection(w http.ResponseWriter, r *http.Request, status int, u store.User, it store.WorkflowItem, v inspItemView) error {
	ctx := r.Context()
	names, err := s.visibleNames(r, organizations, it.OrgCode)
	if err != nil {
		return err
	}
	v.wfRow = s.wfRow(r, it, names, s.wf.Today())
	v.WorkflowURL = workflowURL(it.ID)
	v.URL = inspectionURL(it.ID)
	if v.Round, err = s.store.InspectionRound(ctx, it.ID); err != nil {
		return err
	}
	if v.Round.ProjectCode != "" {
		st := stageLabel(v.Round.Stage)
		v.Scope = labelled{Value: v.Round.ProjectCode, JA: v.Round.ProjectCode + " " + st.JA, EN: v.Round.ProjectCode + " " + st.EN}
	} else {
		fy := strconv.Itoa(v.Round.FiscalYear)
		v.Scope = labelled{Value: fy, JA: fy + " 年度", EN: "FY" + fy}
	}
	evidence, err := s.store.WorkflowAttachments(ctx, it.ID)
	if err != nil {
		return err
	}
	answers, err := s.store.InspectionAnswers(ctx, it.ID)
	if err != nil {
		return err
	}
	v.MayAnswer = workflow.MayAnswer(u, it)
	if v.MayFind, err = s.wf.MayRaiseFinding(ctx, u, it); err != nil {
		return err
	}
	for _, a := range answers {
		q := inspQuestion{N: a.Position, CatalogID: a.CatalogID, ControlID: a.ControlID, Title: a.Title,
			Answer: s.answerLabel(a.Answer), Note: a.Note, Evidence: a.AttachmentID, AnsweredBy: a.AnsweredBy,
			Finding: a.Finding, FindingBy: a.FindingBy, RemediationID: a.RemediationID}
		if a.Answer == "" {
			v.Unanswered++
		}
		if a.RemediationID != 0 {
			q.RemediationURL = workflowURL(a.RemediationID)
		}
		for i, e := range evidence {
			if e.ID == a.AttachmentID {
				q.EvidenceURL, q.EvidenceName = fmt.Sprintf("%s/evidence/%d", workflowURL(it.ID), i+1), e.Name
			}
			if v.MayAnswer {
				q.EvidenceOptions = append(q.EvidenceOptions, inspEvidenceOption{ID: e.ID, Name: fmt.Sprintf("%d. %s", i+1, e.Name), Selected: e.ID == a.AttachmentID})
			}
		}
		if v.MayAnswer {
			for _, o := range store.InspectionAnswers {
				l := s.answerLabel(o)
				l.Selected = o == a.Answer
				q.Options = append(q.Options, l)
			}
		}
		v.Questions = append(v.Questions, q)
	}
	ts, err := s.wf.Available(ctx, u, it)
	if err != nil {
		return err
	}
	for _, t := range ts {
		v.Actions = append(v.Actions, wfAction{Name: t.Name, JA: t.JA, EN: t.EN})
	}
	if err := s.wf.MayAdd(ctx, u, it); err == nil {
		v.MayAdd = v.MayAnswer
	} else if _, refused := refusalStatus(err); !refused {
		return err
	}
	v.MaxSizeMB = (s.attachLimit() + 1<<20 - 1) >> 20
	v.Allowed = strings.Join(workflow.Allowed, ",")
	title := s.loc(r).MustT("inspection.item.title", "ID", strconv.FormatInt(it.ID, 10))
	return s.render(w, r, status, "inspection.html", title, "inspections", v)
}

// refuseOnRound draws the round's page again, as it is now, with the
// refusal, or returns err when it is not a refusal to show.
func (s *server) refuseOnRound(w http.ResponseWriter, r *http.Request, u store.User, id int64, err error) error {
	if mamori.KindOf(err) == mamori.NotFound {
		return mamori.Errorf(mamori.NotFound, "自己点検 %s はありません", "no self-inspection %s", clip(r.PathValue("id"), 20))
	}
	status, ok := refusalStatus(err)
	if !ok {
		return err
	}
	it, ierr := s.wf.Item(r.Context(), u, id)
	if ierr != nil {
		return ierr
	}
	var v inspItemView
	v.Message, v.MessageEN = s.refusalText(r, err)
	return s.renderInspection(w, r, status, u, it, v)
}

// answersBodyLimit bounds the answers form of a round of n questions:
// per question its three fields, the note at its longest (MaxDetail
// characters of up to 4 bytes, each percent-encoded to 3), and a form's
// worth of the rest.
func answersBodyLimit(n int) int64 {
	return int64(n)*(workflow.MaxDetail*4*3+256) + maxFormBody
}

func isInspectionAnswers(path string) bool {
	return strings.HasPrefix(path, "/inspections/") && strings.HasSuffix(path, "/answers")
}

// formVersion reads the version the form was drawn at, refusing a form
// that names none before anything else is checked. The milestone forms
// read it with postedVersion instead, to leave that refusal to the
// service, after its checks of the title and date.
func formVersion(r *http.Request) (int64, error) {
	version, err := strconv.ParseInt(r.PostFormValue("version"), 10, 64)
	if err != nil || version <= 0 {
		return 0, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です", "an action must name the version of the item it saw")
	}
	return version, nil
}

// inspectionAnswers stores the answers the form gives: for question N,
// answer-N (empty leaves it as it is), note-N and evidence-N (an
// attachment id of the round, or empty). Answers given as they were are
// left out; a form that changes nothing changes nothing.
func (s *server) inspectionAnswers(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleRound(r)
	if err != nil {
		return err
	}
	qs, err := s.store.InspectionAnswers(r.Context(), it.ID)
	if err != nil {
		return err
	}
	// The form holds every question, each with a note of up to
	// workflow.MaxDetail characters: limitBody leaves this path alone, and
	// the bound is the round's own, read only once the user is known to
	// see the round, and only for its inspector while they may answer
	// (anyone else is refused by the service, from a form of common size).
	limit := int64(maxFormBody)
	if workflow.MayAnswer(u, it) {
		limit = answersBodyLimit(len(qs))
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit)
	if err := r.ParseForm(); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			var v inspItemView
			v.Message, v.MessageEN = s.refusalText(r, mamori.Errorf(mamori.Invalid, "回答のフォームが大きすぎます（上限 %d バイト）。何も保存していません",
				"the answers form is too large (at most %d bytes); nothing was saved", limit))
			return s.renderInspection(w, r, http.StatusRequestEntityTooLarge, u, it, v)
		}
		return s.refuseOnRound(w, r, u, it.ID, mamori.Errorf(mamori.Invalid, "フォームを読めません", "the form cannot be read"))
	}
	version, err := formVersion(r)
	if err != nil {
		return s.refuseOnRound(w, r, u, it.ID, err)
	}
	var answers []workflow.Answer
	for _, q := range qs {
		n := strconv.Itoa(q.Position)
		a := r.PostFormValue("answer-" + n)
		if a == "" {
			continue
		}
		var att int64
		if raw := r.PostFormValue("evidence-" + n); raw != "" {
			if att, err = strconv.ParseInt(raw, 10, 64); err != nil || att <= 0 {
				return s.refuseOnRound(w, r, u, it.ID, mamori.Errorf(mamori.Invalid, "管理策 %s の証跡「%s」は添付の番号ではありません",
					"control %s: evidence %q is not an attachment", q.ControlID, clip(raw, 20)))
			}
		}
		note := r.PostFormValue("note-" + n)
		// A stale form is sent whole, for the service to refuse.
		if version == it.Version && a == q.Answer && strings.TrimSpace(note) == q.Note && att == q.AttachmentID {
			continue // as it was: the history records only what changed
		}
		answers = append(answers, workflow.Answer{CatalogID: q.CatalogID, ControlID: q.ControlID, Answer: clip(a, 32),
			Note: note, AttachmentID: att})
	}
	if len(answers) == 0 {
		http.Redirect(w, r, inspectionURL(it.ID)+"?done=unchanged#questions", http.StatusSeeOther)
		return nil
	}
	if _, err := s.wf.AnswerInspection(r.Context(), u, it.ID, version, answers); err != nil {
		return s.refuseOnRound(w, r, u, it.ID, err)
	}
	http.Redirect(w, r, inspectionURL(it.ID)+"?done=answered#questions", http.StatusSeeOther)
	return nil
}

func (s *server) inspectionFinding(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleRound(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return s.refuseOnRound(w, r, u, it.ID, err)
	}
	control := r.PostFormValue("control")
	cat, ctl, _ := strings.Cut(control, ":")
	f := workflow.Finding{CatalogID: cat, ControlID: ctl, Text: r.PostFormValue("finding"), Remediate: r.PostFormValue("remediate") != ""}
	if _, _, err := s.wf.RaiseFinding(r.Context(), u, it.ID, version, f); err != nil {
		return s.refuseOnRound(w, r, u, it.ID, err)
	}
	http.Redirect(w, r, inspectionURL(it.ID)+"?done=found#questions", http.StatusSeeOther)
	return nil
}

func (s *server) inspectionAct(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleRound(r)
	if err != nil {
		return err
	}
	version, err := formVersion(r)
	if err != nil {
		return s.refuseOnRound(w, r, u, it.ID, err)
	}
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	if n := len([]rune(comment)); n > workflow.MaxComment {
		return s.refuseOnRound(w, r, u, it.ID, mamori.Errorf(mamori.Invalid, "コメントが長すぎます（%d 文字、上限 %d 文字）",
			"the comment is too long (%d characters, at most %d)", n, workflow.MaxComment))
	}
	if _, err := s.wf.Act(r.Context(), u, it.ID, workflow.Step{Transition: r.PostFormValue("transition"), Version: version, Comment: comment}); err != nil {
		return s.refuseOnRound(w, r, u, it.ID, err)
	}
	http.Redirect(w, r, inspectionURL(it.ID)+"?done=acted", http.StatusSeeOther)
	return nil
}
