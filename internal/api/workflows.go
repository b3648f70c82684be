package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// The workflow routes (issue 14 item 8): every workflow's items, generic
// over workflow.Definition, so that a workflow added to workflow.All() is
// served without a line here. Reads need the read scope, changes the write
// scope; every rule (roles over the organization subtree, separation of
// duties, the version an action saw, the evidence checks) is the workflow
// service's, exactly as on the pages, and an item outside the caller's
// grants answers 404 like a missing one.

func (s *server) workflowRoutes(mux *http.ServeMux) {
	mux.Handle("GET /api/v1/workflow-definitions", s.authed(s.workflowDefinitions))
	mux.Handle("GET /api/v1/workflows", s.authed(s.workflowList))
	mux.Handle("POST /api/v1/workflows", s.writes(s.workflowCreate))
	mux.Handle("GET /api/v1/workflows/{id}", s.authed(s.workflowItem))
	mux.Handle("POST /api/v1/workflows/{id}/transitions", s.writes(s.workflowAct))
	mux.Handle("POST /api/v1/workflows/{id}/comments", s.writes(s.workflowComment))
	mux.Handle("POST /api/v1/workflows/{id}/evidence", s.writes(s.workflowAttach))
	mux.Handle("GET /api/v1/workflows/{id}/evidence/{n}", s.authed(s.workflowEvidence))
}

// created is a handler's answer that made something: 201 with its URL.
type created struct {
	location string
	body     any
}

// download is a handler's answer that is a file, not JSON.
type download struct {
	name, mediaType string
	content         []byte
}

// answered is an error whose response differs from its kind's usual one:
// another status (413 for an upload over the limit) or, for a conflict on
// an item, the item's current version, so a client can reload and retry.
type answered struct {
	err     error
	status  int
	version int64
}

func (a *answered) Error() string { return a.err.Error() }
func (a *answered) Unwrap() error { return a.err }

// DetailTypes names the detail types as the API writes them.
var detailTypes = map[workflow.DetailType]string{workflow.DetailText: "text", workflow.DetailCode: "code", workflow.DetailDate: "date"}

// WorkflowState is one state of a definition.
type WorkflowState struct {
	Name    string `json:"name"`
	JA      string `json:"ja"`
	EN      string `json:"en"`
	Initial bool   `json:"initial"`
	Settled bool   `json:"settled"`
}

// WorkflowTransition is one transition of a definition.
type WorkflowTransition struct {
	Name           string   `json:"name"`
	JA             string   `json:"ja"`
	EN             string   `json:"en"`
	From           []string `json:"from"`
	To             string   `json:"to"`
	Roles          []string `json:"roles"`
	NotByApplicant bool     `json:"not_by_applicant"`
	NotByAssignee  bool     `json:"not_by_assignee"`
	OnlyAssignee   bool     `json:"only_assignee"`
	SetsAssignee   bool     `json:"sets_assignee"`
	SetsDetails    []string `json:"sets_details"`
	// Stamps: the date detail mamori sets to the day the transition is
	// taken ("" for none).
	Stamps   string `json:"stamps"`
	BySystem bool   `json:"by_system"`
	// Check: a further condition decides (such as evidence attached);
	// its refusal names it.
	Check bool `json:"check"`
}

// WorkflowDetailField is one further field a definition's items record.
type WorkflowDetailField struct {
	Name     string `json:"name"`
	JA       string `json:"ja"`
	EN       string `json:"en"`
	Type     string `json:"type"`
	Required bool   `json:"required"`
	// Stamped: mamori records it (a transition stamps it); a caller
	// never sends it.
	Stamped bool `json:"stamped"`
}

// WorkflowDefinition is one workflow as data.
type WorkflowDefinition struct {
	Kind         string                `json:"kind"`
	JA           string                `json:"ja"`
	EN           string                `json:"en"`
	Initial      string                `json:"initial"`
	States       []WorkflowState       `json:"states"`
	Transitions  []WorkflowTransition  `json:"transitions"`
	CreateRoles  []string              `json:"create_roles"`
	CommentRoles []string              `json:"comment_roles"`
	Severities   []string              `json:"severities"`
	DueRequired  bool                  `json:"due_required"`
	Details      []WorkflowDetailField `json:"details"`
}

// WorkflowDefinitions is every workflow the service runs.
type WorkflowDefinitions struct {
	Definitions []WorkflowDefinition `json:"definitions"`
}

func roleStrings(roles []auth.Role) []string {
	out := []string{}
	for _, r := range roles {
		out = append(out, string(r))
	}
	return out
}

func orEmpty(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// definitionOf renders d as the API describes it.
func definitionOf(d *workflow.Definition) WorkflowDefinition {
	out := WorkflowDefinition{Kind: d.Kind, JA: d.JA, EN: d.EN, Initial: d.Initial, States: []WorkflowState{},
		Transitions: []WorkflowTransition{}, CreateRoles: roleStrings(d.CreateRoles), CommentRoles: roleStrings(d.CommentRoles),
		Severities: orEmpty(slices.Clone(d.Severities)), DueRequired: d.DueRequired, Details: []WorkflowDetailField{}}
	for _, st := range d.States {
		out.States = append(out.States, WorkflowState{Name: st.Name, JA: st.JA, EN: st.EN, Initial: st.Name == d.Initial,
			Settled: slices.Contains(d.Settled, st.Name)})
	}
	for _, t := range d.Transitions {
		out.Transitions = append(out.Transitions, WorkflowTransition{Name: t.Name, JA: t.JA, EN: t.EN, From: orEmpty(slices.Clone(t.From)),
			To: t.To, Roles: roleStrings(t.Roles), NotByApplicant: t.NotByApplicant, NotByAssignee: t.NotByAssignee,
			OnlyAssignee: t.OnlyAssignee, SetsAssignee: t.SetsAssignee, SetsDetails: orEmpty(slices.Clone(t.SetsDetails)),
			Stamps: t.Stamps, BySystem: t.BySystem, Check: t.Check != nil})
	}
	for _, det := range d.Details {
		out.Details = append(out.Details, WorkflowDetailField{Name: det.Name, JA: det.JA, EN: det.EN, Type: detailTypes[det.Type],
			Required: det.Required, Stamped: det.Stamped})
	}
	return out
}

// kinds lists the service's workflows in order of kind.
func (s *server) kinds() []string {
	out := make([]string, 0, len(s.wf.Defs))
	for k := range s.wf.Defs {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func (s *server) workflowDefinitions(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	out := WorkflowDefinitions{Definitions: []WorkflowDefinition{}}
	for _, k := range s.kinds() {
		out.Definitions = append(out.Definitions, definitionOf(s.wf.Defs[k]))
	}
	return out, nil
}

// Workflow is a workflow item as the API lists it.
type Workflow struct {
	ID        int64             `json:"id"`
	Kind      string            `json:"kind"`
	Subject   string            `json:"subject"`
	OrgCode   string            `json:"org_code"`
	State     string            `json:"state"`
	Severity  string            `json:"severity,omitempty"`
	Applicant string            `json:"applicant"`
	Assignee  string            `json:"assignee,omitempty"`
	DueOn     string            `json:"due_on,omitempty"`
	Overdue   bool              `json:"overdue"`
	Details   map[string]string `json:"details"`
	CreatedAt string            `json:"created_at"`
	UpdatedAt string            `json:"updated_at"`
	Version   int64             `json:"version"`
}

func (s *server) workflowOf(it store.WorkflowItem, today string) Workflow {
	out := Workflow{ID: it.ID, Kind: it.Kind, Subject: it.Subject, OrgCode: it.OrgCode, State: it.State, Severity: it.Severity,
		Applicant: it.Applicant, Assignee: it.Assignee, DueOn: it.DueOn, Details: map[string]string{},
		CreatedAt: it.CreatedAt.UTC().Format(time.RFC3339), UpdatedAt: it.UpdatedAt.UTC().Format(time.RFC3339), Version: it.Version}
	for k, v := range it.Details {
		out.Details[k] = v
	}
	if d, ok := s.wf.Defs[it.Kind]; ok {
		out.Overdue = d.Overdue(it, today)
	}
	return out
}

// WorkflowList is one page of workflow items.
type WorkflowList struct {
	Total int        `json:"total"`
	Page  int        `json:"page"`
	Items []Workflow `json:"items"`
}

// workflowList lists the caller's items, by id: of one workflow (kind), in
// one state, of one organization's subtree (org), overdue or not.
func (s *server) workflowList(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	p, err := page(r)
	if err != nil {
		return nil, err
	}
	q := r.URL.Query()
	kind, state := q.Get("kind"), q.Get("state")
	if kind != "" {
		if _, ok := s.wf.Defs[kind]; !ok {
			return nil, mamori.Errorf(mamori.Invalid, "パラメータ「kind」のワークフロー「%s」はありません（%s）",
				"parameter kind: no workflow %q (%s)", clip(kind), strings.Join(s.kinds(), ", "))
		}
	}
	if state != "" && !slices.ContainsFunc(s.kinds(), func(k string) bool {
		if kind != "" && k != kind {
			return false
		}
		_, ok := s.wf.Defs[k].StateInfo(state)
		return ok
	}) {
		return nil, mamori.Errorf(mamori.Invalid, "パラメータ「state」の状態「%s」はありません", "parameter state: no state %q", clip(state))
	}
	overdue := q.Get("overdue")
	switch overdue {
	case "", "true", "false":
	default:
		return nil, mamori.Errorf(mamori.Invalid, "パラメータ「overdue」は true か false です", "parameter overdue must be true or false")
	}
	orgs, err := s.workflowOrgs(r, c)
	if err != nil {
		return nil, err
	}
	f := store.WorkflowFilter{Kind: kind, State: state, Orgs: orgs}
	items, err := s.st.WorkflowItems(r.Context(), f)
	if err != nil {
		return nil, err
	}
	today := s.wf.Today()
	var rows []Workflow
	for _, it := range items {
		row := s.workflowOf(it, today)
		if overdue != "" && row.Overdue != (overdue == "true") {
			continue
		}
		rows = append(rows, row)
	}
	out := WorkflowList{Total: len(rows), Page: p, Items: []Workflow{}}
	if from := (p - 1) * pageSize; from < len(rows) {
		out.Items = append(out.Items, rows[from:min(from+pageSize, len(rows))]...)
	}
	return out, nil
}

// workflowOrgs is the organizations a list of items covers: the caller's
// (nil, no restriction, over the whole government), or the subtree of the
// query's org within them.
func (s *server) workflowOrgs(r *http.Request, c *caller) ([]string, error) {
	org := r.URL.Query().Get("org")
	if org == "" {
		if c.scope.Whole() {
			return nil, nil
		}
		return c.scope.Orgs(), nil
	}
	if !c.scope.Allows(org) {
		// Another ministry's organization answers like one that does not exist.
		return nil, mamori.Errorf(mamori.NotFound, "組織「%s」はありません", "no organization %q", clip(org))
	}
	sub, _, err := s.st.Subtrees(r.Context(), org)
	if err != nil {
		return nil, err
	}
	orgs := []string{}
	for o := range sub {
		if c.scope.Allows(o) {
			orgs = append(orgs, o)
		}
	}
	slices.Sort(orgs)
	return orgs, nil
}

// WorkflowEvent is one row of an item's history.
type WorkflowEvent struct {
	At         string `json:"at"`
	Actor      string `json:"actor"`
	Event      string `json:"event"`
	Transition string `json:"transition,omitempty"`
	From       string `json:"from,omitempty"`
	To         string `json:"to,omitempty"`
	Comment    string `json:"comment,omitempty"`
	// Evidence is the number of the evidence the event added (its n in
	// /workflows/{id}/evidence/{n}); 0, left out, for none.
	Evidence int `json:"evidence,omitempty"`
}

// WorkflowEvidence is one piece of evidence, without its content.
type WorkflowEvidence struct {
	N         int    `json:"n"`
	URL       string `json:"url"`
	Name      string `json:"name"`
	MediaType string `json:"media_type"`
	Size      int64  `json:"size"`
	SHA256    string `json:"sha256"`
	AddedBy   string `json:"added_by"`
	AddedAt   string `json:"added_at"`
}

// evidenceOf shows attachment a as item id's n-th piece of evidence.
func evidenceOf(id int64, n int, a store.WorkflowAttachment) WorkflowEvidence {
	return WorkflowEvidence{N: n, URL: fmt.Sprintf("%s/evidence/%d", workflowURL(id), n), Name: a.Name, MediaType: a.MediaType,
		Size: a.Size, SHA256: a.SHA256, AddedBy: a.AddedBy, AddedAt: a.AddedAt.UTC().Format(time.RFC3339)}
}

// WorkflowAction is a transition the caller may take now.
type WorkflowAction struct {
	Name         string   `json:"name"`
	JA           string   `json:"ja"`
	EN           string   `json:"en"`
	To           string   `json:"to"`
	SetsAssignee bool     `json:"sets_assignee"`
	SetsDetails  []string `json:"sets_details"`
}

// WorkflowDetail is one item with its history, its evidence and what the
// caller may do with it now.
type WorkflowDetail struct {
	Workflow
	History     []WorkflowEvent    `json:"history"`
	Evidence    []WorkflowEvidence `json:"evidence"`
	Transitions []WorkflowAction   `json:"transitions"`
	// MayAdd: the caller may comment and attach evidence.
	MayAdd bool `json:"may_add"`
}

func workflowURL(id int64) string { return "/api/v1/workflows/" + strconv.FormatInt(id, 10) }

// detailOf gathers item it for the caller.
func (s *server) detailOf(r *http.Request, c *caller, it store.WorkflowItem) (WorkflowDetail, error) {
	ctx := r.Context()
	out := WorkflowDetail{Workflow: s.workflowOf(it, s.wf.Today()), History: []WorkflowEvent{}, Evidence: []WorkflowEvidence{},
		Transitions: []WorkflowAction{}}
	evidence, err := s.st.WorkflowAttachments(ctx, it.ID)
	if err != nil {
		return out, err
	}
	nOf := map[int64]int{}
	for i, a := range evidence {
		nOf[a.ID] = i + 1
		out.Evidence = append(out.Evidence, evidenceOf(it.ID, i+1, a))
	}
	hist, err := s.st.WorkflowEvents(ctx, it.ID)
	if err != nil {
		return out, err
	}
	for _, ev := range hist {
		out.History = append(out.History, WorkflowEvent{At: ev.At.UTC().Format(time.RFC3339), Actor: ev.Actor, Event: ev.Event,
			Transition: ev.Transition, From: ev.From, To: ev.To, Comment: ev.Comment, Evidence: nOf[ev.AttachmentID]})
	}
	ts, err := s.wf.Available(ctx, c.user, it)
	if err != nil {
		return out, err
	}
	for _, t := range ts {
		out.Transitions = append(out.Transitions, WorkflowAction{Name: t.Name, JA: t.JA, EN: t.EN, To: t.To,
			SetsAssignee: t.SetsAssignee, SetsDetails: orEmpty(slices.Clone(t.SetsDetails))})
	}
	if err := s.wf.MayAdd(ctx, c.user, it); err == nil {
		out.MayAdd = true
	} else if _, refused := errors.AsType[*mamori.Error](err); !refused {
		return out, err
	}
	return out, nil
}

// itemID reads the path's item id; anything but a positive number is an
// item that does not exist.
func itemID(r *http.Request) (int64, error) {
	raw := r.PathValue("id")
	id, err := strconv.ParseInt(raw, 10, 64)
	if err != nil || id <= 0 {
		return 0, mamori.Errorf(mamori.NotFound, "案件「%s」はありません", "no workflow item %q", clip(raw))
	}
	return id, nil
}

// visible reads the path's item if the caller may see it.
func (s *server) visible(r *http.Request, c *caller) (store.WorkflowItem, error) {
	id, err := itemID(r)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	return s.wf.Item(r.Context(), c.user, id)
}

// etag is an item's version as an entity tag, which If-Match may send back.
func etag(version int64) string { return `"` + strconv.FormatInt(version, 10) + `"` }

func (s *server) workflowItem(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	it, err := s.visible(r, c)
	if err != nil {
		return nil, err
	}
	out, err := s.detailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return out, nil
}

// maxJSONBody bounds a JSON request: the longest comment (10,000
// characters) and a few details of 2,000 fit many times over.
const maxJSONBody = 256 << 10

// readJSON decodes the request's JSON body into v, refusing unknown
// fields, a second value and a body over maxJSONBody.
func readJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if r.ContentLength > maxJSONBody {
		return tooLarge(maxJSONBody)
	}
	data, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxJSONBody))
	if err != nil {
		if errors.As(err, new(*http.MaxBytesError)) {
			return tooLarge(maxJSONBody)
		}
		return mamori.Errorf(mamori.Invalid, "本文を読めません", "the body cannot be read")
	}
	if key, ok := repeatedKey(data); ok {
		return mamori.Errorf(mamori.Invalid, "本文に項目「%s」が 2 回以上あります", "the body names field %q more than once", clip(key))
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	err = dec.Decode(v)
	if err == nil {
		if dec.Decode(new(json.RawMessage)) != io.EOF {
			return mamori.Errorf(mamori.Invalid, "本文に JSON の値が 2 つ以上あります", "the body holds more than one JSON value")
		}
		return nil
	}
	var typeErr *json.UnmarshalTypeError
	switch {
	case errors.As(err, new(*http.MaxBytesError)):
		return tooLarge(maxJSONBody)
	case errors.As(err, &typeErr):
		return mamori.Errorf(mamori.Invalid, "本文の「%s」の型が違います（%s が必要です）", "field %s of the body has the wrong type (want %s)",
			clip(typeErr.Field), typeErr.Type.String())
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		name := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return mamori.Errorf(mamori.Invalid, "本文に項目「%s」はありません", "the body has no field %q", clip(name))
	case errors.Is(err, io.EOF):
		return mamori.Errorf(mamori.Invalid, "本文がありません（JSON のオブジェクトが必要です）", "the body is empty (want a JSON object)")
	}
	return mamori.Errorf(mamori.Invalid, "本文を JSON として読めません", "the body is not valid JSON")
}

// tooLarge is the refusal of a request body over limit bytes: 413.
func tooLarge(limit int64) error {
	return &answered{status: http.StatusRequestEntityTooLarge, err: mamori.Errorf(mamori.Invalid,
		"本文が大きすぎます（上限 %d バイト）", "the request body is too large (at most %d bytes)", limit)}
}

// WorkflowCreate is the body of POST /workflows.
type WorkflowCreate struct {
	Kind     string            `json:"kind"`
	Subject  string            `json:"subject"`
	Org      string            `json:"org"`
	Severity string            `json:"severity"`
	DueOn    string            `json:"due_on"`
	Details  map[string]string `json:"details"`
	Comment  string            `json:"comment"`
}

func (s *server) workflowCreate(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	var in WorkflowCreate
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if err := checkComment(in.Comment); err != nil {
		return nil, err
	}
	if in.Kind == "" {
		return nil, mamori.Errorf(mamori.Invalid, "ワークフロー（kind）を指定してください（%s）", "name the workflow (kind: %s)",
			strings.Join(s.kinds(), ", "))
	}
	it, err := s.wf.Create(r.Context(), c.user, in.Kind, workflow.NewItem{Subject: strings.TrimSpace(in.Subject),
		OrgCode: strings.TrimSpace(in.Org), Severity: in.Severity, DueOn: strings.TrimSpace(in.DueOn), Comment: strings.TrimSpace(in.Comment),
		Details: in.Details})
	if err != nil {
		return nil, err
	}
	out, err := s.detailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return created{location: workflowURL(it.ID), body: out}, nil
}

func checkComment(text string) error {
	if n := len([]rune(text)); n > workflow.MaxComment {
		return mamori.Errorf(mamori.Invalid, "コメントが長すぎます（%d 文字、上限 %d 文字）",
			"the comment is too long (%d characters, at most %d)", n, workflow.MaxComment)
	}
	return nil
}

// WorkflowStep is the body of POST /workflows/{id}/transitions.
type WorkflowStep struct {
	Transition string            `json:"transition"`
	Version    int64             `json:"version"`
	Assignee   string            `json:"assignee"`
	Comment    string            `json:"comment"`
	Details    map[string]string `json:"details"`
}

// ifMatch reads an If-Match header naming one version: 3, "3" or W/"3".
// It returns 0 when there is none.
func ifMatch(r *http.Request) (int64, error) {
	v := strings.TrimSpace(r.Header.Get("If-Match"))
	if v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(strings.Trim(strings.TrimPrefix(v, "W/"), `"`), 10, 64)
	if err != nil || n <= 0 {
		return 0, mamori.Errorf(mamori.Invalid, "If-Match は案件の版（\"3\" など）です", `If-Match must name the item's version (such as "3")`)
	}
	return n, nil
}

// seenVersion reads the version an action saw from the body's field or
// If-Match, which must agree when both are given.
func seenVersion(r *http.Request, body int64) (int64, error) {
	header, err := ifMatch(r)
	if err != nil {
		return 0, err
	}
	switch {
	case body < 0:
		return 0, mamori.Errorf(mamori.Invalid, "版（version）は 1 以上の整数です", "version must be a positive integer")
	case body == 0 && header == 0:
		return 0, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です（version か If-Match）",
			"an action must name the version of the item it saw (version or If-Match)")
	case body != 0 && header != 0 && body != header:
		return 0, mamori.Errorf(mamori.Invalid, "version（%d）と If-Match（%d）が食い違っています",
			"version (%d) and If-Match (%d) disagree", body, header)
	case body == 0:
		return header, nil
	}
	return body, nil
}

// conflict adds the item's current version to a conflict over item id,
// when the caller may see it, so a client can reload and try again.
func (s *server) conflict(r *http.Request, c *caller, id int64, err error) error {
	if mamori.KindOf(err) != mamori.Conflict {
		return err
	}
	it, ierr := s.wf.Item(r.Context(), c.user, id)
	if ierr != nil {
		return err
	}
	return &answered{err: err, version: it.Version}
}

func (s *server) workflowAct(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	id, err := itemID(r)
	if err != nil {
		return nil, err
	}
	var in WorkflowStep
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	if in.Version, err = seenVersion(r, in.Version); err != nil {
		return nil, err
	}
	if in.Transition == "" {
		return nil, mamori.Errorf(mamori.Invalid, "操作（transition）を指定してください", "name the transition")
	}
	if err := checkComment(in.Comment); err != nil {
		return nil, err
	}
	it, err := s.wf.Act(r.Context(), c.user, id, workflow.Step{Transition: in.Transition, Version: in.Version,
		Comment: strings.TrimSpace(in.Comment), Assignee: strings.TrimSpace(in.Assignee), Details: in.Details})
	if err != nil {
		return nil, s.conflict(r, c, id, err)
	}
	out, err := s.detailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return out, nil
}

// WorkflowComment is the body of POST /workflows/{id}/comments.
type WorkflowComment struct {
	Comment string `json:"comment"`
}

func (s *server) workflowComment(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	id, err := itemID(r)
	if err != nil {
		return nil, err
	}
	var in WorkflowComment
	if err := readJSON(w, r, &in); err != nil {
		return nil, err
	}
	it, err := s.wf.Comment(r.Context(), c.user, id, in.Comment)
	if err != nil {
		return nil, err
	}
	out, err := s.detailOf(r, c, it)
	if err != nil {
		return nil, err
	}
	w.Header().Set("ETag", etag(it.Version))
	return created{location: workflowURL(it.ID), body: out}, nil
}

// uploadOverhead is what a multipart body may carry beyond the file.
const uploadOverhead = 1 << 20

// attachLimit is the service's bound on one piece of evidence.
func (s *server) attachLimit() int64 {
	if s.wf.MaxAttachment > 0 {
		return s.wf.MaxAttachment
	}
	return workflow.DefaultMaxAttachment
}

// evidenceField is the multipart field of the file, as on the pages.
const evidenceField = "file"

// workflowAttach stores one piece of evidence: a multipart/form-data body
// with the file in field "file", or the file itself as the body with its
// Content-Type and ?filename=NAME. The service checks it (size, type by
// content, name); a body over the limit is 413 before it is read whole.
func (s *server) workflowAttach(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	it, err := s.visible(r, c)
	if err != nil {
		return nil, err
	}
	// Who may not add to the item is told so before the upload is read.
	if err := s.wf.MayAdd(r.Context(), c.user, it); err != nil {
		return nil, err
	}
	limit := s.attachLimit()
	over := func() error {
		return &answered{status: http.StatusRequestEntityTooLarge, err: mamori.Errorf(mamori.Invalid,
			"添付ファイルが大きすぎます（上限 %d バイト）", "the attachment is too large (at most %d bytes)", limit)}
	}
	mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	var name, declared string
	var content []byte
	if mediaType == "multipart/form-data" {
		if r.ContentLength > limit+uploadOverhead {
			return nil, over()
		}
		r.Body = http.MaxBytesReader(w, r.Body, limit+uploadOverhead)
		if err := r.ParseMultipartForm(limit + uploadOverhead); err != nil {
			if _, big := errors.AsType[*http.MaxBytesError](err); big {
				return nil, over()
			}
			return nil, mamori.Errorf(mamori.Invalid, "multipart の本文を読めません", "the multipart body cannot be read")
		}
		defer r.MultipartForm.RemoveAll()
		f, hdr, err := r.FormFile(evidenceField)
		if err != nil {
			return nil, mamori.Errorf(mamori.Invalid, "本文にファイル（項目 file）がありません", "the body holds no file (field file)")
		}
		defer f.Close()
		if hdr.Size > limit {
			return nil, over()
		}
		if content, err = io.ReadAll(io.LimitReader(f, limit+1)); err != nil {
			return nil, err
		}
		name, declared = hdr.Filename, hdr.Header.Get("Content-Type")
		if i := strings.LastIndexAny(name, `/\`); i >= 0 {
			name = name[i+1:] // some clients send the whole client path
		}
	} else {
		name, declared = r.URL.Query().Get("filename"), r.Header.Get("Content-Type")
		if name == "" {
			return nil, mamori.Errorf(mamori.Invalid, "ファイル名（?filename=）を指定してください", "name the file (?filename=)")
		}
		if r.ContentLength > limit {
			return nil, over()
		}
		if content, err = io.ReadAll(io.LimitReader(r.Body, limit+1)); err != nil {
			return nil, mamori.Errorf(mamori.Invalid, "本文を読めません", "the body cannot be read")
		}
	}
	if int64(len(content)) > limit {
		return nil, over()
	}
	a, err := s.wf.Attach(r.Context(), c.user, it.ID, name, declared, content)
	if err != nil {
		return nil, err
	}
	list, err := s.st.WorkflowAttachments(r.Context(), it.ID)
	if err != nil {
		return nil, err
	}
	n := slices.IndexFunc(list, func(x store.WorkflowAttachment) bool { return x.ID == a.ID }) + 1
	ev := evidenceOf(it.ID, n, a)
	return created{location: ev.URL, body: ev}, nil
}

// workflowEvidence downloads the n-th piece of evidence of an item, as an
// attachment of its stored (sniffed) media type.
func (s *server) workflowEvidence(w http.ResponseWriter, r *http.Request, c *caller) (any, error) {
	it, err := s.visible(r, c)
	if err != nil {
		return nil, err
	}
	raw := r.PathValue("n")
	n, err := strconv.Atoi(raw)
	list, lerr := s.st.WorkflowAttachments(r.Context(), it.ID)
	if lerr != nil {
		return nil, lerr
	}
	if err != nil || n < 1 || n > len(list) {
		return nil, mamori.Errorf(mamori.NotFound, "案件 %d に証跡「%s」はありません", "workflow item %d has no evidence %q", it.ID, clip(raw))
	}
	a, err := s.st.WorkflowAttachmentContent(r.Context(), list[n-1].ID)
	if err != nil {
		return nil, err
	}
	return download{name: a.Name, mediaType: a.MediaType, content: a.Content}, nil
}
