package web

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/authz"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The workflow pages (issue 14): the items a user's grants cover, one
// item with its history, evidence and the actions the viewer may take,
// and the forms that act, comment and attach evidence through package
// workflow's Service, which decides every rule and writes the audit
// trail. An item outside the user's grants answers exactly like a
// missing one.

func (s *server) workflowRoutes(mux *http.ServeMux) {
	mux.Handle("GET /workflows", s.handle(s.workflowList))
	mux.Handle("POST /workflows", s.handle(s.workflowCreate))
	mux.Handle("GET /workflows/{id}", s.handle(s.workflowPage))
	mux.Handle("POST /workflows/{id}/act", s.handle(s.workflowAct))
	mux.Handle("POST /workflows/{id}/comment", s.handle(s.workflowComment))
	mux.Handle("POST /workflows/{id}/evidence", s.handle(s.workflowAttach))
	mux.Handle("GET /workflows/{id}/evidence/{n}", s.handle(s.workflowEvidence))
}

// workflowPageSize is the number of items on one page of the list.
const workflowPageSize = 50

// workflowZone is the zone history times are shown in: Japan, as the
// rest of mamori's times.
var workflowZone = mamori.Japan

// isEvidenceUpload reports whether path is an evidence upload, which
// sets its own body bound (the service's attachment limit).
func isEvidenceUpload(path string) bool {
	return strings.HasPrefix(path, "/workflows/") && strings.HasSuffix(path, "/evidence")
}

// workflowUser is the signed-in user, or Unauthenticated.
func workflowUser(r *http.Request) (store.User, error) {
	v := viewerOf(r.Context())
	if v == nil {
		return store.User{}, mamori.Errorf(mamori.Unauthenticated, "サインインしてください", "sign in first")
	}
	return v.user, nil
}

func workflowURL(id int64) string { return "/workflows/" + strconv.FormatInt(id, 10) }

// noWorkflowItem is the answer for an id that is not a number, missing,
// or outside the user's grants: the same for all.
func noWorkflowItem(raw string) error {
	return mamori.Errorf(mamori.NotFound, "案件 %s はありません", "no workflow item %s", clip(raw, 20))
}

// workflowID reads the item id of the path.
func workflowID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, noWorkflowItem(raw)
	}
	return id, nil
}

// labelled is a value with its names, for pick in the templates.
type labelled struct {
	Value, JA, EN string
	Selected      bool
}

// wfRow is one item of the list.
type wfRow struct {
	ID                int64
	URL               string
	Kind, State       labelled
	Subject, Severity string
	OrgCode, OrgName  string
	Assignee, DueOn   string
	Overdue           bool
	Applicant         string
	Version           int64
	Created, Updated  string
	Uses              wfUses // the common fields the item shows (wfuses.go)
}

func (s *server) wfRow(r *http.Request, it store.WorkflowItem, names map[string]string, today string) wfRow {
	row := wfRow{ID: it.ID, URL: workflowURL(it.ID), Subject: it.Subject, Severity: it.Severity, OrgCode: it.OrgCode,
		OrgName: names[it.OrgCode], Assignee: it.Assignee, DueOn: it.DueOn, Applicant: it.Applicant, Version: it.Version,
		Kind: labelled{Value: it.Kind, JA: it.Kind, EN: it.Kind}, State: labelled{Value: it.State, JA: it.State, EN: it.State}}
	row.Created = it.CreatedAt.In(workflowZone).Format("2006-01-02 15:04")
	row.Updated = it.UpdatedAt.In(workflowZone).Format("2006-01-02 15:04")
	if d, ok := s.wf.Defs[it.Kind]; ok {
		row.Kind.JA, row.Kind.EN = d.JA, d.EN
		if st, ok := d.StateInfo(it.State); ok {
			row.State.JA, row.State.EN = st.JA, st.EN
		}
		row.Overdue = d.Overdue(it, today)
		row.Uses = itemUses(d, it)
	} else {
		row.Uses = wfUses{Severity: true, Assignee: true, Due: true}
	}
	return row
}

// wfListView is the data of the list.
type wfListView struct {
	Rows             []wfRow
	Total, Page      int
	Pages            int
	Kind, State      string
	Kinds, States    []labelled
	Filtered         bool
	PrevURL, NextURL string
	Create           *wfCreateView // nil when the user may open no item
	Ageing           *ageingView   // the unsettled remediation items by age; nil for none
	Columns          wfUses        // the common fields any row of the page shows
}

// wfCreateView is the create form.
type wfCreateView struct {
	Kind       string
	Orgs       []string // the organizations the user may open items in (at most maxOrgOptions)
	Severities []string
	Subject    string
	Org        string
	Severity   string
	DueOn      string
	Message    string // a refusal, in the page's language
	MessageEN  string
	// The kinds the user may open, the chosen one selected, and the
	// chosen kind's names, its details as inputs and whether it needs a
	// due date (wfkinds.go).
	Kinds       []labelled
	KindJA      string
	KindEN      string
	Details     []wfDetailInput
	DueRequired bool
	UsesDue     bool              // the kind dates its items (wfuses.go)
	values      map[string]string // the details as sent, kept on a refusal
}

// maxOrgOptions bounds the organizations the create form suggests.
const maxOrgOptions = 300

func wfListURL(kind, state string, page int) string {
	v := url.Values{}
	if kind != "" {
		v.Set("kind", kind)
	}
	if state != "" {
		v.Set("state", state)
	}
	if page > 1 {
		v.Set("page", strconv.Itoa(page))
	}
	if len(v) == 0 {
		return "/workflows"
	}
	return "/workflows?" + v.Encode()
}

func (s *server) workflowList(w http.ResponseWriter, r *http.Request) error {
	return s.renderWorkflowList(w, r, http.StatusOK, nil)
}

// renderWorkflowList draws the list; create, when not nil, is the create
// form as sent, with the refusal to show.
func (s *server) renderWorkflowList(w http.ResponseWriter, r *http.Request, status int, create *wfCreateView) error {
	ctx := r.Context()
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	kind, err := textParam(q, "kind")
	if err != nil {
		return err
	}
	state, err := textParam(q, "state")
	if err != nil {
		return err
	}
	page, err := parsePage(q.Get("page"))
	if err != nil {
		return err
	}
	v := viewerOf(ctx)
	f := store.WorkflowFilter{Kind: kind, State: state}
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
	view := wfListView{Kind: kind, State: state, Page: page, Total: len(items), Filtered: kind != "" || state != ""}
	view.Pages = max(1, (len(items)+workflowPageSize-1)/workflowPageSize)
	if page > view.Pages {
		page, view.Page = view.Pages, view.Pages
	}
	from := (page - 1) * workflowPageSize
	shown := items[from:min(len(items), from+workflowPageSize)]
	var codes []string
	for _, it := range shown {
		codes = append(codes, it.OrgCode)
	}
	names, err := s.visibleNames(r, organizations, codes...)
	if err != nil {
		return err
	}
	view.Ageing = s.ageing(items)
	today := s.wf.Today()
	for _, it := range shown {
		view.Rows = append(view.Rows, s.wfRow(r, it, names, today))
	}
	view.Columns = listUses(view.Rows)
	if page > 1 {
		view.PrevURL = wfListURL(kind, state, page-1)
	}
	if page < view.Pages {
		view.NextURL = wfListURL(kind, state, page+1)
	}
	// The filters offer every workflow's kinds and states.
	kinds := slices.Sorted(func(yield func(string) bool) {
		for k := range s.wf.Defs {
			if !yield(k) {
				return
			}
		}
	})
	seen := map[string]bool{}
	for _, k := range kinds {
		d := s.wf.Defs[k]
		view.Kinds = append(view.Kinds, labelled{Value: k, JA: d.JA, EN: d.EN, Selected: k == kind})
		for _, st := range d.States {
			if !seen[st.Name] {
				seen[st.Name] = true
				view.States = append(view.States, labelled{Value: st.Name, JA: st.JA, EN: st.EN, Selected: st.Name == state})
			}
		}
	}
	// The create form is for the kind asked for, else the one the list
	// is filtered by.
	asked := q.Get("new")
	if asked == "" {
		asked = kind
	}
	if d := s.createKind(u, asked, create); d != nil {
		if create == nil {
			create = &wfCreateView{}
		}
		s.fillCreate(u, d, create)
		var roles []string
		for _, r := range d.CreateRoles {
			roles = append(roles, string(r))
		}
		sc, err := authz.OfRoles(ctx, s.store, u, roles...)
		if err != nil {
			return err
		}
		orgs := sc.Orgs()
		create.Orgs = orgs[:min(len(orgs), maxOrgOptions)]
		view.Create = create
	}
	return s.render(w, r, status, "workflows.html", s.loc(r).MustT("workflow.title"), "workflows", view)
}

// refusalText returns err's message in the page's language, and the
// English under a Japanese one.
func (s *server) refusalText(r *http.Request, err error) (string, string) {
	l := s.loc(r)
	me, ok := errors.AsType[*mamori.Error](err)
	if !ok {
		return "", ""
	}
	msg := l.Pick(me.MessageJA, me.Message)
	if msg == "" {
		msg = me.Message
	}
	en := ""
	if msg != me.Message {
		en = me.Message
	}
	return msg, en
}

// refusalStatus is the status of a refused form: a stale version is a
// conflict (409), a rule the user may not pass is 403, a bad value or
// file 422; anything else is not a refusal the page can show.
func refusalStatus(err error) (int, bool) {
	if _, ok := errors.AsType[*mamori.Error](err); !ok {
		return 0, false
	}
	switch mamori.KindOf(err) {
	case mamori.Conflict:
		return http.StatusConflict, true
	case mamori.Forbidden:
		return http.StatusForbidden, true
	case mamori.Invalid:
		return http.StatusUnprocessableEntity, true
	}
	return 0, false
}

func (s *server) workflowCreate(w http.ResponseWriter, r *http.Request) error {
	u, err := workflowUser(r)
	if err != nil {
		return err
	}
	c := &wfCreateView{Subject: strings.TrimSpace(r.PostFormValue("subject")), Org: strings.TrimSpace(r.PostFormValue("org")),
		Severity: r.PostFormValue("severity"), DueOn: strings.TrimSpace(r.PostFormValue("due_on"))}
	// A form without a kind is the remediation form of before.
	c.Kind = cmp.Or(r.PostFormValue("kind"), workflow.Remediation.Kind)
	d, ok := s.wf.Defs[c.Kind]
	if !ok || !s.wf.MayCreate(u, c.Kind) {
		return mamori.Errorf(mamori.Forbidden, "この操作を行う役割が付与されていません", "your roles do not allow this")
	}
	c.values = detailValues(r, d.Details, nil)
	it, err := s.wf.Create(r.Context(), u, c.Kind, workflow.NewItem{Subject: c.Subject, OrgCode: c.Org,
		Severity: c.Severity, DueOn: c.DueOn, Comment: strings.TrimSpace(r.PostFormValue("comment")), Details: c.values})
	if err != nil {
		status, ok := refusalStatus(err)
		if !ok {
			return err
		}
		c.Message, c.MessageEN = s.refusalText(r, err)
		return s.renderWorkflowList(w, r, status, c)
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=created", http.StatusSeeOther)
	return nil
}

// wfEvent is one row of an item's history.
type wfEvent struct {
	At, Actor, Event string
	Transition       labelled
	From, To         labelled
	Comment          string
	Evidence         string // the download URL of the evidence it added
}

// wfEvidence is one piece of evidence.
type wfEvidence struct {
	N                      int
	URL, Name, MediaType   string
	Size                   int64
	SHA256, AddedBy, Added string
}

// wfAction is a transition the viewer may take now.
type wfAction struct {
	Name, JA, EN string
	SetsAssignee bool
	Details      []wfDetailInput // the details it sets, as inputs
}

// wfItemView is the data of an item's page.
type wfItemView struct {
	wfRow
	Details   []wfDetailRow // the item's details, in the definition's order
	History   []wfEvent
	Evidence  []wfEvidence
	Actions   []wfAction
	MayAdd    bool
	Done      string
	Message   string // a refusal, in the page's language
	MessageEN string
	Comment   string // the comment sent with a refused form, kept
	MaxSize   int64  // the largest evidence file, in bytes
	MaxSizeMB int64
	Allowed   string      // the evidence types, for the form's hint
	Remedy    *remedyView // remediation to closure; nil for another workflow's item
	// InspectionURL is a self-inspection round's own page, with its
	// questions and answers; "" for another workflow's item.
	InspectionURL string
}

// visibleItem reads item id if the user may see it.
func (s *server) visibleItem(r *http.Request) (store.User, store.WorkflowItem, error) {
	u, err := workflowUser(r)
	if err != nil {
		return u, store.WorkflowItem{}, err
	}
	id, err := workflowID(r)
	if err != nil {
		return u, store.WorkflowItem{}, err
	}
	it, err := s.wf.Item(r.Context(), u, id)
	if mamori.KindOf(err) == mamori.NotFound {
		return u, it, noWorkflowItem(r.PathValue("id"))
	}
	return u, it, err
}

func (s *server) workflowPage(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	done := r.URL.Query().Get("done")
	var v wfItemView
	if done != "" {
		if msg, err := s.loc(r).T("workflow.done." + done); err == nil {
			v.Done = msg
		}
	}
	return s.renderWorkflowItem(w, r, http.StatusOK, u, it, v)
}

// attachLimit is the service's bound on one piece of evidence.
func (s *server) attachLimit() int64 {
	if s.wf.MaxAttachment > 0 {
		return s.wf.MaxAttachment
	}
	return workflow.DefaultMaxAttachment
}

func (s *server) renderWorkflowItem(w http.ResponseWriter, r *http.Request, status int, u store.User, it store.WorkflowItem, v wfItemView) error {
	ctx := r.Context()
	names, err := s.visibleNames(r, organizations, it.OrgCode)
	if err != nil {
		return err
	}
	v.wfRow = s.wfRow(r, it, names, s.wf.Today())
	d := s.wf.Defs[it.Kind]
	stateOf := func(name string) labelled {
		l := labelled{Value: name, JA: name, EN: name}
		if d != nil {
			if st, ok := d.StateInfo(name); ok {
				l.JA, l.EN = st.JA, st.EN
			}
		}
		return l
	}
	evidence, err := s.store.WorkflowAttachments(ctx, it.ID)
	if err != nil {
		return err
	}
	byID := map[int64]string{}
	for i, a := range evidence {
		e := wfEvidence{N: i + 1, URL: fmt.Sprintf("%s/evidence/%d", workflowURL(it.ID), i+1), Name: a.Name,
			MediaType: a.MediaType, Size: a.Size, SHA256: a.SHA256, AddedBy: a.AddedBy,
			Added: a.AddedAt.In(workflowZone).Format("2006-01-02 15:04")}
		byID[a.ID] = e.URL
		v.Evidence = append(v.Evidence, e)
	}
	hist, err := s.store.WorkflowEvents(ctx, it.ID)
	if err != nil {
		return err
	}
	for _, ev := range hist {
		row := wfEvent{At: ev.At.In(workflowZone).Format("2006-01-02 15:04:05"), Actor: ev.Actor, Event: ev.Event,
			Comment: ev.Comment, Evidence: byID[ev.AttachmentID]}
		if ev.Transition != "" {
			row.Transition = labelled{Value: ev.Transition, JA: ev.Transition, EN: ev.Transition}
			if d != nil {
				if t, ok := d.Transition(ev.Transition); ok {
					row.Transition.JA, row.Transition.EN = t.JA, t.EN
				}
			}
		}
		if ev.From != "" {
			row.From = stateOf(ev.From)
		}
		if ev.To != "" {
			row.To = stateOf(ev.To)
		}
		v.History = append(v.History, row)
	}
	ts, err := s.wf.Available(ctx, u, it)
	if err != nil {
		return err
	}
	for _, t := range ts {
		v.Actions = append(v.Actions, wfAction{Name: t.Name, JA: t.JA, EN: t.EN, SetsAssignee: t.SetsAssignee,
			Details: actionInputs(d, t, it)})
	}
	v.Details = detailRows(d, it)
	if it.Kind == workflow.InspectionKind {
		v.InspectionURL = inspectionURL(it.ID) // the questionnaire is there
	}
	if err := s.wf.MayAdd(ctx, u, it); err == nil {
		v.MayAdd = true
	} else if _, refused := refusalStatus(err); !refused {
		return err
	}
	if v.Remedy, err = s.remedy(ctx, u, it); err != nil {
		return err
	}
	v.MaxSize = s.attachLimit()
	v.MaxSizeMB = (v.MaxSize + 1<<20 - 1) >> 20
	v.Allowed = strings.Join(workflow.Allowed, ",")
	title := s.loc(r).MustT("workflow.item.title", "ID", strconv.FormatInt(it.ID, 10))
	return s.render(w, r, status, "workflow.html", title, "workflows", v)
}

// refuseOnItem draws the item's page again, as it is now, with the
// service's refusal, or returns err when it is not a refusal to show
// (a missing item, a failure).
func (s *server) refuseOnItem(w http.ResponseWriter, r *http.Request, u store.User, id int64, err error, status int, comment string) error {
	if mamori.KindOf(err) == mamori.NotFound {
		return noWorkflowItem(r.PathValue("id"))
	}
	if status == 0 {
		var ok bool
		if status, ok = refusalStatus(err); !ok {
			return err
		}
	}
	it, ierr := s.wf.Item(r.Context(), u, id)
	if ierr != nil {
		if mamori.KindOf(ierr) == mamori.NotFound {
			return noWorkflowItem(r.PathValue("id"))
		}
		return ierr
	}
	var v wfItemView
	v.Message, v.MessageEN = s.refusalText(r, err)
	v.Comment = comment
	return s.renderWorkflowItem(w, r, status, u, it, v)
}

func (s *server) workflowAct(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	comment := strings.TrimSpace(r.PostFormValue("comment"))
	version, err := formVersion(r)
	if err != nil {
		return s.refuseOnItem(w, r, u, it.ID, err, http.StatusUnprocessableEntity, comment)
	}
	if n := len([]rune(comment)); n > workflow.MaxComment {
		return s.refuseOnItem(w, r, u, it.ID, mamori.Errorf(mamori.Invalid, "コメントが長すぎます（%d 文字、上限 %d 文字）",
			"the comment is too long (%d characters, at most %d)", n, workflow.MaxComment), http.StatusUnprocessableEntity, comment)
	}
	tr := r.PostFormValue("transition")
	var details map[string]string
	if d, ok := s.wf.Defs[it.Kind]; ok {
		if t, ok := d.Transition(tr); ok {
			details = detailValues(r, d.Details, t.SetsDetails)
		}
	}
	// The remediation page asks for the countermeasure by a select of its
	// own rather than the generic detail input.
	if cm := strings.TrimSpace(r.PostFormValue("countermeasure")); cm != "" && details[workflow.DetailCountermeasure] == "" {
		if details == nil {
			details = map[string]string{}
		}
		details[workflow.DetailCountermeasure] = cm
	}
	_, err = s.wf.Act(r.Context(), u, it.ID, workflow.Step{Transition: tr, Version: version, Comment: comment,
		Assignee: strings.TrimSpace(r.PostFormValue("assignee")), Details: details})
	if err != nil {
		return s.refuseOnItem(w, r, u, it.ID, err, 0, comment)
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=acted", http.StatusSeeOther)
	return nil
}

func (s *server) workflowComment(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	text := r.PostFormValue("comment")
	if _, err := s.wf.Comment(r.Context(), u, it.ID, text); err != nil {
		return s.refuseOnItem(w, r, u, it.ID, err, 0, clip(text, workflow.MaxComment))
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=commented#history", http.StatusSeeOther)
	return nil
}

// evidenceField is the name of the evidence file input.
const evidenceField = "file"

func (s *server) workflowAttach(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	limit := s.attachLimit()
	bad := func(err error) error {
		return s.refuseOnItem(w, r, u, it.ID, err, http.StatusUnprocessableEntity, "")
	}
	// Who may not add to the item is told so before the upload is read.
	if err := s.wf.MayAdd(r.Context(), u, it); err != nil {
		return s.refuseOnItem(w, r, u, it.ID, err, 0, "")
	}
	r.Body = http.MaxBytesReader(w, r.Body, limit+formOverhead)
	if err := r.ParseMultipartForm(limit + formOverhead); err != nil {
		if _, over := errors.AsType[*http.MaxBytesError](err); over {
			return bad(mamori.Errorf(mamori.Invalid, "添付ファイルが大きすぎます（上限 %d バイト）",
				"the attachment is too large (at most %d bytes)", limit))
		}
		return bad(mamori.Errorf(mamori.Invalid, "フォームに添付ファイルがありません", "the form holds no file"))
	}
	defer r.MultipartForm.RemoveAll()
	f, hdr, err := r.FormFile(evidenceField)
	if err != nil {
		return bad(mamori.Errorf(mamori.Invalid, "フォームに添付ファイルがありません", "the form holds no file"))
	}
	defer f.Close()
	content, err := io.ReadAll(io.LimitReader(f, limit+1))
	if err != nil {
		return err
	}
	// Browsers send the base name; some older ones the whole client path.
	name := hdr.Filename
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	if _, err := s.wf.Attach(r.Context(), u, it.ID, name, hdr.Header.Get("Content-Type"), content); err != nil {
		if mamori.KindOf(err) == mamori.Invalid {
			return bad(err)
		}
		return s.refuseOnItem(w, r, u, it.ID, err, 0, "")
	}
	// A self-inspection's page uploads here too, and is shown again.
	if r.URL.Query().Get("back") == "inspection" && it.Kind == workflow.InspectionKind {
		http.Redirect(w, r, inspectionURL(it.ID)+"?done=attached#questions", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, workflowURL(it.ID)+"?done=attached#evidence", http.StatusSeeOther)
	return nil
}

// workflowEvidence downloads the n-th piece of evidence of an item, as
// an attachment of its stored (sniffed) media type, never to be shown
// inline or sniffed again by the browser.
func (s *server) workflowEvidence(w http.ResponseWriter, r *http.Request) error {
	u, it, err := s.visibleItem(r)
	if err != nil {
		return err
	}
	raw := r.PathValue("n")
	n, err := strconv.Atoi(raw)
	list, lerr := s.store.WorkflowAttachments(r.Context(), it.ID)
	if lerr != nil {
		return lerr
	}
	if err != nil || n < 1 || n > len(list) {
		return mamori.Errorf(mamori.NotFound, "案件 %d に証跡 %s はありません", "workflow item %d has no evidence %s", it.ID, clip(raw, 20))
	}
	a, err := s.store.WorkflowAttachmentContent(r.Context(), list[n-1].ID)
	if err != nil {
		return err
	}
	// Evidence leaving mamori, as through the API: filed under the item's
	// organization, naming the file by its hash.
	if _, err := audit.Record(r.Context(), s.store, u.Name, audit.Export, fmt.Sprintf("workflow/%s/%d/evidence/%d", it.Kind, it.ID, n),
		it.OrgCode, map[string]any{"name": a.Name, "media_type": a.MediaType, "size": a.Size, "sha256": a.SHA256}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", a.MediaType)
	h.Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": a.Name}))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Length", strconv.Itoa(len(a.Content)))
	_, err = w.Write(a.Content)
	if err != nil {
		return nil // the client has gone; the status is sent
	}
	return nil
}
