// Package workflow is mamori's one workflow mechanism (DESIGN C5, issue 14
// item 1): a workflow is a Definition, data in Go, naming its states, the
// transitions allowed between them, the roles that may take each one, and
// the separation of duties it demands (the applicant never approves their
// own item; the assignee never reviews their own work). Items of every
// workflow share one store (package store: items, append-only history,
// evidence) and one Service, which refuses whatever a definition does not
// allow with a bilingual message naming the item, its state and the
// transition, changes nothing then, and records every action it takes in
// the audit trail under the item's organization.
package workflow

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"
	"unicode"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/notify"
	"mamori/internal/store"
)

// State is one state of a workflow.
type State struct {
	Name   string
	JA, EN string
}

// Transition is one step a workflow allows.
type Transition struct {
	Name   string
	JA, EN string
	From   []string // the states it may be taken from
	To     string
	// Roles may take it, each over the organization subtree of its grant:
	// the actor needs a grant of one of them on the item's organization or
	// an organization above it.
	Roles []auth.Role
	// WholeGovernment: only a grant of Roles over the whole government
	// counts (authz.Scope.Whole: the root of the organization tree), not
	// one on the item's ministry: a step the centre takes, such as the
	// self-inspection's central review.
	WholeGovernment bool
	// NotByApplicant: the item's creator may not take it (an approval).
	NotByApplicant bool
	// NotByAssignee: the person assigned may not take it (a review of
	// their own work).
	NotByAssignee bool
	// OnlyAssignee: only the person assigned may take it (the work).
	OnlyAssignee bool
	// SetsAssignee: the action names the new assignee.
	SetsAssignee bool
	// SetsDetails names the details the action may set or change (they
	// must be declared by the definition); the new values are validated
	// like a new item's.
	SetsDetails []string
	// BySystem: only mamori itself takes it (Service.System), never a
	// user: a re-check that fails again, an approval reaching its expiry.
	// Roles still name who would be answerable; pages never offer it.
	BySystem bool
	// Stamps names a date detail the transition sets to the day it is
	// taken (in Japan): a gate's clearing date, an approval's date. No
	// one chooses it, so it cannot be back-dated.
	Stamps string
	// Check is a further condition, such as evidence being attached; nil
	// for none. It returns a refusal (its message need not name the item:
	// the service adds that).
	Check func(a Action) *mamori.Error
	// Effect, when set, writes what taking it causes beyond the item (a
	// self-inspection round's dates) in the transition's transaction;
	// next is the item as it will be stored.
	Effect func(ctx context.Context, tx store.WorkflowTx, next store.WorkflowItem) error
}

// Action is what a Check sees: the item before the transition, who acts,
// and the facts the store counted.
type Action struct {
	Item  store.WorkflowItem
	Actor string
	Facts store.WorkflowFacts
}

// Definition is one workflow.
type Definition struct {
	Kind    string // stored in each item: "remediation", …
	JA, EN  string
	Initial string // the state of a new item
	States  []State
	// CreateRoles may open an item, over their grant's subtree.
	CreateRoles []auth.Role
	// CommentRoles may comment and attach evidence, besides the applicant
	// and the assignee.
	CommentRoles []auth.Role
	Transitions  []Transition
	// Severities an item may carry; empty when items carry none.
	Severities []string
	// DueRequired: an item must have a due date.
	DueRequired bool
	// Settled are the states in which the work is done: an item in one
	// of them is not overdue, whatever its due date.
	Settled []string
	// Details are the further fields its items record, in display order.
	Details []Detail
	// Validate, when set, checks an item's details as a whole (one date
	// not after another, an expiry within the maximum) at creation and at
	// every transition that sets details. It returns a refusal; nil
	// accepts.
	ValidateDetails func(it store.WorkflowItem) *mamori.Error
	// CheckTargets, when set, checks with the store what the item's
	// target details (Detail.Target) name, at creation and at every
	// transition that sets one of them: a contract of its organization.
	CheckTargets CheckTargetsFunc
}

// DetailType is how a detail is written and checked.
type DetailType int

// The detail types.
const (
	DetailText DetailType = iota // free text, at most MaxDetail characters
	DetailCode                   // a code: no spaces
	DetailDate                   // YYYY-MM-DD, a date that exists
)

// MaxDetail bounds one detail's value in characters.
const MaxDetail = 2000

// Detail is one further field of a workflow's items.
type Detail struct {
	Name     string
	JA, EN   string
	Type     DetailType
	Required bool // at creation
	// Stamped: only a transition sets it (Transition.Stamps), never the
	// applicant at creation nor a SetsDetails form.
	Stamped bool
	// Target: it names a record of the register (a contract, a
	// component) that the definition's CheckTargets verifies.
	Target bool
}

// Detail returns the named detail, and false when there is none.
func (d *Definition) Detail(name string) (Detail, bool) {
	i := slices.IndexFunc(d.Details, func(x Detail) bool { return x.Name == name })
	if i < 0 {
		return Detail{}, false
	}
	return d.Details[i], true
}

// checkDetails validates values against the definition: every name
// declared, every value of its type; with creating, every required detail
// present. Empty values are dropped.
func (d *Definition) checkDetails(values map[string]string, creating bool) (map[string]string, *mamori.Error) {
	out := map[string]string{}
	for name, v := range values {
		det, ok := d.Detail(name)
		if !ok {
			return nil, bi(mamori.Invalid, fmt.Sprintf("%sの案件に項目「%s」はありません", d.JA, mamori.Excerpt(name)),
				fmt.Sprintf("a %s item has no field %q", d.EN, mamori.Excerpt(name)))
		}
		v = strings.TrimSpace(v)
		if v == "" {
			continue
		}
		if det.Stamped {
			return nil, bi(mamori.Invalid, fmt.Sprintf("項目「%s」は mamori が記録します（入力できません）", det.JA),
				fmt.Sprintf("field %q is recorded by mamori and cannot be entered", det.EN))
		}
		if e := checkText(fmt.Sprintf("項目「%s」", det.JA), fmt.Sprintf("field %q", det.EN), v, MaxDetail, det.Type == DetailText); e != nil {
			return nil, e
		}
		switch det.Type {
		case DetailCode:
			if strings.ContainsFunc(v, unicode.IsSpace) {
				return nil, bi(mamori.Invalid, fmt.Sprintf("項目「%s」の「%s」はコードではありません（空白を含みます）", det.JA, mamori.Excerpt(v)),
					fmt.Sprintf("field %q: %q is not a code (it contains spaces)", det.EN, mamori.Excerpt(v)))
			}
		case DetailDate:
			if _, err := time.Parse(time.DateOnly, v); err != nil {
				return nil, bi(mamori.Invalid, fmt.Sprintf("項目「%s」の「%s」は YYYY-MM-DD の日付ではありません", det.JA, mamori.Excerpt(v)),
					fmt.Sprintf("field %q: %q is not a YYYY-MM-DD date", det.EN, mamori.Excerpt(v)))
			}
		}
		out[name] = v
	}
	if creating {
		for _, det := range d.Details {
			if det.Required && out[det.Name] == "" {
				return nil, bi(mamori.Invalid, fmt.Sprintf("%sの案件には「%s」が必要です", d.JA, det.JA),
					fmt.Sprintf("a %s item needs %q", d.EN, det.EN))
			}
		}
	}
	return out, nil
}

// StateInfo returns the named state, and false when there is none.
func (d *Definition) StateInfo(name string) (State, bool) {
	i := slices.IndexFunc(d.States, func(s State) bool { return s.Name == name })
	if i < 0 {
		return State{}, false
	}
	return d.States[i], true
}

// Overdue reports whether it is past its due date on day today
// (YYYY-MM-DD) and not settled.
func (d *Definition) Overdue(it store.WorkflowItem, today string) bool {
	return it.DueOn != "" && it.DueOn < today && !slices.Contains(d.Settled, it.State)
}

// Today is the date due dates are judged against: today in Japan.
func (s *Service) Today() string { return jstDate(s.now()) }

// Transition returns the named transition, and false when there is none.
func (d *Definition) Transition(name string) (Transition, bool) {
	i := slices.IndexFunc(d.Transitions, func(t Transition) bool { return t.Name == name })
	if i < 0 {
		return Transition{}, false
	}
	return d.Transitions[i], true
}

// Validate checks the definition itself: states named once, transitions
// between known states, each with at least one role.
func (d *Definition) Validate() error {
	states := map[string]bool{}
	for _, s := range d.States {
		if s.Name == "" || states[s.Name] {
			return fmt.Errorf("workflow %s: state %q empty or repeated", d.Kind, s.Name)
		}
		states[s.Name] = true
	}
	if !states[d.Initial] {
		return fmt.Errorf("workflow %s: initial state %q unknown", d.Kind, d.Initial)
	}
	names := map[string]bool{}
	for _, t := range d.Transitions {
		if t.Name == "" || names[t.Name] {
			return fmt.Errorf("workflow %s: transition %q empty or repeated", d.Kind, t.Name)
		}
		names[t.Name] = true
		if !states[t.To] || len(t.From) == 0 || len(t.Roles) == 0 {
			return fmt.Errorf("workflow %s: transition %s needs known states and roles", d.Kind, t.Name)
		}
		for _, f := range t.From {
			if !states[f] {
				return fmt.Errorf("workflow %s: transition %s from unknown state %q", d.Kind, t.Name, f)
			}
		}
		for _, det := range d.Details {
			if det.Target && d.CheckTargets == nil {
				return fmt.Errorf("workflow %s: target detail %q without CheckTargets", d.Kind, det.Name)
			}
		}
		for _, name := range t.SetsDetails {
			if _, ok := d.Detail(name); !ok {
				return fmt.Errorf("workflow %s: transition %s sets undeclared detail %q", d.Kind, t.Name, name)
			}
		}
		if t.Stamps != "" {
			if det, ok := d.Detail(t.Stamps); !ok || det.Type != DetailDate || !det.Stamped {
				return fmt.Errorf("workflow %s: transition %s stamps %q, not a declared stamped date", d.Kind, t.Name, t.Stamps)
			}
		}
	}
	return nil
}

// Service runs workflows on a store.
type Service struct {
	Store *store.Store
	Defs  map[string]*Definition
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// MaxAttachment bounds one attachment in bytes; DefaultMaxAttachment
	// when 0.
	MaxAttachment int64
	// Notifier tells people of assignments, due dates and escalations;
	// nil (or one with nothing configured) tells no one.
	Notifier *notify.Notifier
	// BaseURL is the web UI's address, for the links in notifications;
	// "" for none.
	BaseURL string
}

// New returns a service running the given definitions, each validated.
func New(st *store.Store, defs ...*Definition) (*Service, error) {
	s := &Service{Store: st, Defs: map[string]*Definition{}}
	for _, d := range defs {
		if err := d.Validate(); err != nil {
			return nil, err
		}
		s.Defs[d.Kind] = d
	}
	return s, nil
}

func (s *Service) now() time.Time {
	if s.Now != nil {
		return s.Now().UTC()
	}
	return time.Now().UTC()
}

// AuditAction is the audit trail's action for every workflow event.
const AuditAction = "workflow"

// target names an item in the audit trail.
func target(it store.WorkflowItem) string { return fmt.Sprintf("workflow/%s/%d", it.Kind, it.ID) }

func (s *Service) record(ctx context.Context, actor string, it store.WorkflowItem, ev store.WorkflowEvent, extra map[string]any) error {
	d := map[string]any{"event": ev.Event, "subject": it.Subject, "version": it.Version}
	if ev.Transition != "" {
		d["transition"] = ev.Transition
	}
	if ev.From != "" || ev.To != "" {
		d["from"], d["to"] = ev.From, ev.To
	}
	for k, v := range extra {
		d[k] = v
	}
	_, err := audit.Record(ctx, s.Store, actor, AuditAction, target(it), it.OrgCode, d)
	return err
}

func (s *Service) def(kind string) (*Definition, error) {
	if d, ok := s.Defs[kind]; ok {
		return d, nil
	}
	return nil, mamori.Errorf(mamori.Invalid, "ワークフロー「%s」はありません", "no workflow %q", mamori.Excerpt(kind))
}

// covers reports whether one of the user's grants of the given roles
// covers org (the grant's organization or one above it).
func (s *Service) covers(ctx context.Context, u store.User, org string, roles []auth.Role) (bool, error) {
	var roots []string
	for _, g := range u.Grants {
		if slices.Contains(roles, auth.Role(g.Role)) {
			roots = append(roots, g.OrgCode)
		}
	}
	if len(roots) == 0 {
		return false, nil
	}
	sub, _, err := s.Store.Subtrees(ctx, roots...)
	if err != nil {
		return false, err
	}
	return sub[org], nil
}

// sees reports whether any grant of the user covers org.
func (s *Service) sees(ctx context.Context, u store.User, org string) (bool, error) {
	var all []auth.Role
	for _, r := range auth.Roles {
		all = append(all, r.Role)
	}
	return s.covers(ctx, u, org, all)
}

func roleNames(roles []auth.Role) (ja, en string) {
	var j, e []string
	for _, r := range roles {
		if ri, ok := r.Info(); ok {
			j, e = append(j, ri.JA), append(e, ri.EN)
		}
	}
	return strings.Join(j, "・"), strings.Join(e, ", ")
}

// japanTime decides what "today" is for a due date: mamori's users are
// Japanese government bodies, and Japan keeps UTC+9 all year.
var japanTime = mamori.Japan

// jstDate is a time's date in Japan, the date a step is recorded on.
func jstDate(t time.Time) string { return t.In(japanTime).Format(time.DateOnly) }

// NewItem is what opening an item takes.
type NewItem struct {
	Subject  string
	OrgCode  string
	Severity string
	DueOn    string // YYYY-MM-DD; "" for none; not before today in Japan
	Comment  string
	Details  map[string]string // by the definition's Details
	// Effect, when set, writes what the item brings with it (a round's
	// questionnaire) in the transaction that creates it.
	Effect func(ctx context.Context, tx store.WorkflowTx, it store.WorkflowItem) error
	// linked: opened by OpenForFinding or OpenForVuln, which alone set
	// what a remediation item is about.
	linked bool
	// round: opened by OpenInspection, which alone gives a round its
	// questionnaire (guardRound).
	round bool
	// incident: opened by OpenIncident, which records the incident the
	// item follows in its Effect (guardIncident).
	incident bool
}

// Create opens an item of the given workflow on behalf of u, who becomes
// its applicant.
func (s *Service) Create(ctx context.Context, u store.User, kind string, n NewItem) (store.WorkflowItem, error) {
	d, err := s.def(kind)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	if strings.TrimSpace(n.Subject) == "" {
		return store.WorkflowItem{}, bi(mamori.Invalid, d.JA+"の案件には対象が必要です", "a "+d.EN+" item needs a subject")
	}
	if e := checkText("対象", "subject", n.Subject, MaxSubject, false); e != nil {
		return store.WorkflowItem{}, e
	}
	if e := checkComment(n.Comment); e != nil {
		return store.WorkflowItem{}, e
	}
	if len(d.Severities) == 0 && n.Severity != "" {
		// Stored as sent otherwise: any text, of any length.
		return store.WorkflowItem{}, bi(mamori.Invalid, fmt.Sprintf("%sの案件に重大度はありません（「%s」）", d.JA, mamori.Excerpt(n.Severity)),
			fmt.Sprintf("a %s item has no severity (%q)", d.EN, mamori.Excerpt(n.Severity)))
	}
	if len(d.Severities) > 0 && !slices.Contains(d.Severities, n.Severity) {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "重大度「%s」は使えません（%s のいずれか）",
			"severity %q is not allowed (one of %s)", mamori.Excerpt(n.Severity), strings.Join(d.Severities, ", "))
	}
	now := s.now()
	if d.Kind == Remediation.Kind {
		// Due by severity, as an item opened for a finding is.
		if err := dueBySeverity(&n, s.Today()); err != nil {
			return store.WorkflowItem{}, err
		}
	}
	if n.DueOn == "" && d.DueRequired {
		return store.WorkflowItem{}, bi(mamori.Invalid, d.JA+"の案件には期限が必要です", "a "+d.EN+" item needs a due date")
	}
	if n.DueOn != "" {
		due, err := time.Parse(time.DateOnly, n.DueOn)
		if err != nil {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "期限「%s」は YYYY-MM-DD の日付ではありません",
				"due date %q is not a YYYY-MM-DD date", mamori.Excerpt(n.DueOn))
		}
		if due.Format(time.DateOnly) < jstDate(now) {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "期限 %s は過去の日付です", "due date %s is in the past", n.DueOn)
		}
	}
	ok, err := s.covers(ctx, u, n.OrgCode, d.CreateRoles)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	if !ok {
		ja, en := roleNames(d.CreateRoles)
		return store.WorkflowItem{}, bi(mamori.Forbidden,
			fmt.Sprintf("組織「%s」で%sの案件を起票できるのは %s だけです", mamori.Excerpt(n.OrgCode), d.JA, ja),
			fmt.Sprintf("only %s of organization %s may open a %s item", en, mamori.Excerpt(n.OrgCode), d.EN))
	}
	if e := guardLinked(d, n); e != nil {
		return store.WorkflowItem{}, e
	}
	if e := guardRound(d, n); e != nil {
		return store.WorkflowItem{}, e
	}
	if e := guardIncident(d, n); e != nil {
		return store.WorkflowItem{}, e
	}
	details, derr := d.checkDetails(n.Details, true)
	if derr != nil {
		return store.WorkflowItem{}, derr
	}
	item := store.WorkflowItem{Kind: d.Kind, Subject: n.Subject, OrgCode: n.OrgCode,
		State: d.Initial, Severity: n.Severity, Applicant: u.Name, DueOn: n.DueOn, Details: details, CreatedAt: now, UpdatedAt: now}
	if d.ValidateDetails != nil {
		if e := d.ValidateDetails(item); e != nil {
			return store.WorkflowItem{}, e
		}
	}
	if n.incident {
		// The incident is recorded by the item's own Effect: there is
		// nothing to check yet.
	} else if err := s.checkTargets(ctx, d, item); err != nil {
		return store.WorkflowItem{}, err
	}
	it, err := s.Store.CreateWorkflowItem(ctx, item, n.Comment, n.Effect)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	ev := store.WorkflowEvent{Event: store.WorkflowCreate, To: it.State}
	return it, s.record(ctx, u.Name, it, ev, map[string]any{"severity": it.Severity, "due_on": it.DueOn})
}

// Step is one transition asked for.
type Step struct {
	Transition string
	Version    int64  // the version of the item the actor saw; required
	Comment    string // why, kept in the history
	Assignee   string // for a transition that SetsAssignee
	// Details to set, for a transition that SetsDetails; an empty value
	// clears one.
	Details map[string]string
}

// refusal makes err name the item, its state and the transition.
func refusal(kind mamori.Kind, it store.WorkflowItem, tr string, ja, en string) error {
	tr = mamori.Excerpt(tr) // as sent: bounded
	return bi(kind, fmt.Sprintf("案件 %d（%s、状態「%s」）に操作「%s」はできません: %s", it.ID, it.Kind, it.State, tr, ja),
		fmt.Sprintf("workflow item %d (%s, state %q): transition %q refused: %s", it.ID, it.Kind, it.State, tr, en))
}

// bi is an error with a Japanese and an English message already rendered.
func bi(kind mamori.Kind, ja, en string) *mamori.Error {
	return &mamori.Error{Kind: kind, Message: en, MessageJA: ja}
}

// Act takes one transition of item id on behalf of u.
func (s *Service) Act(ctx context.Context, u store.User, id int64, st Step) (store.WorkflowItem, error) {
	if st.Version <= 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です",
			"an action must name the version of the item it saw")
	}
	if e := checkComment(st.Comment); e != nil {
		return store.WorkflowItem{}, e
	}
	// No account has such a name; PostgreSQL would fail on the look-up.
	if e := checkText("担当者", "assignee", st.Assignee, maxUserName, false); e != nil {
		return store.WorkflowItem{}, e
	}
	var assignee store.User
	now := s.now()
	// The version is checked inside, after the visibility check, so an
	// item outside the user's grants answers exactly like a missing one.
	// The store's update still names the version it read.
	it, ev, err := s.change(ctx, u, id, func(cur store.WorkflowItem, f store.WorkflowFacts) (store.WorkflowChange, error) {
		d, err := s.def(cur.Kind)
		if err != nil {
			return store.WorkflowChange{}, err
		}
		if ok, err := s.sees(ctx, u, cur.OrgCode); err != nil {
			return store.WorkflowChange{}, err
		} else if !ok {
			// Outside every grant: the item is not even shown to exist,
			// whatever version the request names.
			return store.WorkflowChange{}, mamori.Errorf(mamori.NotFound, "案件 %d はありません", "no workflow item %d", id)
		}
		if cur.Version != st.Version {
			return store.WorkflowChange{}, store.StaleVersionError(cur, st.Version)
		}
		t, ok := d.Transition(st.Transition)
		if !ok {
			return store.WorkflowChange{}, refusal(mamori.Invalid, cur, st.Transition,
				fmt.Sprintf("%sにこの操作はありません", d.JA), fmt.Sprintf("the %s workflow has no such transition", d.EN))
		}
		if t.BySystem {
			return store.WorkflowChange{}, refusal(mamori.Forbidden, cur, t.Name,
				"この操作は mamori が自動で行います", "mamori takes it by itself; no user may")
		}
		if err := s.mayTake(ctx, u, cur, f, t); err != nil {
			return store.WorkflowChange{}, err
		}
		next := cur
		next.State, next.UpdatedAt = t.To, now
		if err := setDetails(d, t, cur, &next, st.Details); err != nil {
			return store.WorkflowChange{}, err
		}
		if setsTarget(d, st.Details) {
			if err := s.checkTargets(ctx, d, next); err != nil {
				if e, refused := err.(*mamori.Error); refused {
					return store.WorkflowChange{}, refusal(e.Kind, cur, t.Name, e.MessageJA, e.Message)
				}
				return store.WorkflowChange{}, err
			}
		}
		if !t.SetsAssignee && st.Assignee != "" {
			// Dropped silently, the caller would believe the item reassigned.
			return store.WorkflowChange{}, refusal(mamori.Invalid, cur, t.Name, "この操作は担当者を指定しません",
				"it names no assignee")
		}
		stamp(t, &next, now)
		if t.SetsAssignee {
			if st.Assignee == "" {
				return store.WorkflowChange{}, refusal(mamori.Invalid, cur, t.Name, "担当者を指定してください", "name the assignee")
			}
			// One refusal for a name that is no account, a disabled one
			// and one of another ministry: assigning must not tell who
			// has an account where.
			unfit := refusal(mamori.Invalid, cur, t.Name,
				fmt.Sprintf("担当者「%s」は有効な利用者でないか、組織「%s」の案件を見られません", mamori.Excerpt(st.Assignee), cur.OrgCode),
				fmt.Sprintf("assignee %q is not an active user or cannot see items of organization %s", mamori.Excerpt(st.Assignee), cur.OrgCode))
			a, err := s.Store.User(ctx, st.Assignee)
			if err != nil && mamori.KindOf(err) != mamori.NotFound {
				return store.WorkflowChange{}, err
			}
			if err != nil || a.Disabled {
				return store.WorkflowChange{}, unfit
			}
			if ok, err := s.sees(ctx, a, cur.OrgCode); err != nil {
				return store.WorkflowChange{}, err
			} else if !ok {
				return store.WorkflowChange{}, unfit
			}
			assignee = a
			next.Assignee = a.Name
		}
		return store.WorkflowChange{Item: next, Bump: true, Effect: t.Effect, Event: store.WorkflowEvent{At: now, Actor: u.Name,
			Event: store.WorkflowTransition, Transition: t.Name, From: cur.State, To: t.To, Comment: st.Comment}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	extra := map[string]any{}
	if assignee.Name != "" {
		extra["assignee"] = assignee.Name
	}
	if err := s.record(ctx, u.Name, it, ev, extra); err != nil {
		return it, err
	}
	return it, s.afterAct(ctx, u, it, ev, assignee)
}

// setDetails lays the details a step names over next's, refusing a
// detail the transition may not set or a value of the wrong type.
func setDetails(d *Definition, t Transition, cur store.WorkflowItem, next *store.WorkflowItem, values map[string]string) error {
	if len(values) == 0 {
		// A transition that may set details is validated even when none
		// is sent: a detail it should have set (a record of what was
		// taken out) may be missing.
		if len(t.SetsDetails) > 0 && d.ValidateDetails != nil {
			if e := d.ValidateDetails(*next); e != nil {
				return refusal(e.Kind, cur, t.Name, e.MessageJA, e.Message)
			}
		}
		return nil
	}
	for name := range values {
		if !slices.Contains(t.SetsDetails, name) {
			return refusal(mamori.Invalid, cur, t.Name, fmt.Sprintf("この操作では項目「%s」を変えられません", mamori.Excerpt(name)),
				fmt.Sprintf("it may not change field %q", mamori.Excerpt(name)))
		}
	}
	checked, e := d.checkDetails(values, false)
	if e != nil {
		return refusal(e.Kind, cur, t.Name, e.MessageJA, e.Message)
	}
	merged := maps.Clone(cur.Details)
	if merged == nil {
		merged = map[string]string{}
	}
	for name := range values {
		if v, ok := checked[name]; ok {
			merged[name] = v
		} else {
			delete(merged, name)
		}
	}
	next.Details = merged
	for _, det := range d.Details {
		if det.Required && merged[det.Name] == "" {
			// Changed, never cleared: every item has what is required.
			return refusal(mamori.Invalid, cur, t.Name, fmt.Sprintf("%sの案件には「%s」が必要です", d.JA, det.JA),
				fmt.Sprintf("a %s item needs %q", d.EN, det.EN))
		}
	}
	if d.ValidateDetails != nil {
		if e := d.ValidateDetails(*next); e != nil {
			return refusal(e.Kind, cur, t.Name, e.MessageJA, e.Message)
		}
	}
	return nil
}

// stamp sets the date detail t stamps, if any, to now's day in Japan.
func stamp(t Transition, next *store.WorkflowItem, now time.Time) {
	if t.Stamps == "" {
		return
	}
	m := maps.Clone(next.Details)
	if m == nil {
		m = map[string]string{}
	}
	m[t.Stamps] = jstDate(now)
	next.Details = m
}

// SystemActor is the name mamori's own actions carry in histories and the
// audit trail.
const SystemActor = "mamori"

// System takes a BySystem transition of item id as mamori itself: a
// re-check that found the problem again, an approval that expired. It
// acts on whatever version is current; a transition not allowed from the
// item's current state is refused like a user's and changes nothing.
func (s *Service) System(ctx context.Context, id int64, transition, comment string) (store.WorkflowItem, error) {
	now := s.now()
	it, ev, err := s.Store.ChangeWorkflowItem(ctx, id, 0, func(cur store.WorkflowItem, f store.WorkflowFacts) (store.WorkflowChange, error) {
		d, err := s.def(cur.Kind)
		if err != nil {
			return store.WorkflowChange{}, err
		}
		t, ok := d.Transition(transition)
		if !ok || !t.BySystem {
			return store.WorkflowChange{}, refusal(mamori.Invalid, cur, transition,
				"mamori が自動で行う操作ではありません", "not a transition mamori takes by itself")
		}
		if !slices.Contains(t.From, cur.State) {
			return store.WorkflowChange{}, refusal(mamori.Conflict, cur, t.Name,
				fmt.Sprintf("「%s」から行える操作ではありません（%s から）", cur.State, strings.Join(t.From, "・")),
				fmt.Sprintf("not allowed from state %q (only from %s)", cur.State, strings.Join(t.From, ", ")))
		}
		next := cur
		next.State, next.UpdatedAt = t.To, now
		stamp(t, &next, now)
		return store.WorkflowChange{Item: next, Bump: true, Effect: t.Effect, Event: store.WorkflowEvent{At: now, Actor: SystemActor,
			Event: store.WorkflowTransition, Transition: t.Name, From: cur.State, To: t.To, Comment: comment}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	return it, s.record(ctx, SystemActor, it, ev, nil)
}

// mayTake returns nil when u may take transition t of item cur now, else
// the refusal Act gives: the state, the roles, the separation of duties
// and the definition's own check. The assignee a SetsAssignee transition
// names is Act's to check.
func (s *Service) mayTake(ctx context.Context, u store.User, cur store.WorkflowItem, f store.WorkflowFacts, t Transition) error {
	if !slices.Contains(t.From, cur.State) {
		return refusal(mamori.Conflict, cur, t.Name,
			fmt.Sprintf("「%s」から行える操作ではありません（%s から）", cur.State, strings.Join(t.From, "・")),
			fmt.Sprintf("not allowed from state %q (only from %s)", cur.State, strings.Join(t.From, ", ")))
	}
	if ok, err := s.covers(ctx, u, cur.OrgCode, t.Roles); err != nil {
		return err
	} else if !ok {
		ja, en := roleNames(t.Roles)
		return refusal(mamori.Forbidden, cur, t.Name,
			fmt.Sprintf("組織「%s」の %s だけが行えます", cur.OrgCode, ja),
			fmt.Sprintf("only %s of organization %s may take it", en, cur.OrgCode))
	}
	if t.WholeGovernment {
		var roles []string
		for _, r := range t.Roles {
			roles = append(roles, string(r))
		}
		sc, err := authz.OfRoles(ctx, s.Store, u, roles...)
		if err != nil {
			return err
		}
		if !sc.Whole() {
			ja, en := roleNames(t.Roles)
			return refusal(mamori.Forbidden, cur, t.Name,
				fmt.Sprintf("政府全体（組織ツリーの最上位）に付与された %s だけが行えます", ja),
				fmt.Sprintf("only %s granted on the whole government (the top of the organization tree) may take it", en))
		}
	}
	if t.NotByApplicant && u.Name == cur.Applicant {
		return refusal(mamori.Forbidden, cur, t.Name,
			"起票者は自分の案件を承認できません", "the applicant may not approve their own item")
	}
	if t.NotByAssignee && u.Name == cur.Assignee {
		return refusal(mamori.Forbidden, cur, t.Name,
			"担当者は自分の作業を確認できません", "the assignee may not review their own work")
	}
	if t.OnlyAssignee && u.Name != cur.Assignee {
		return refusal(mamori.Forbidden, cur, t.Name,
			fmt.Sprintf("担当者（%s）だけが行えます", cur.Assignee), fmt.Sprintf("only the assignee (%s) may take it", cur.Assignee))
	}
	if t.Check != nil {
		if e := t.Check(Action{Item: cur, Actor: u.Name, Facts: f}); e != nil {
			return refusal(e.Kind, cur, t.Name, e.MessageJA, e.Message)
		}
	}
	return nil
}

// Available returns the transitions u may take on it now, in the
// definition's order: what a page offers as buttons. Act decides again
// when one is taken.
func (s *Service) Available(ctx context.Context, u store.User, it store.WorkflowItem) ([]Transition, error) {
	d, err := s.def(it.Kind)
	if err != nil {
		return nil, err
	}
	if ok, err := s.sees(ctx, u, it.OrgCode); err != nil || !ok {
		return nil, err
	}
	f, err := s.Store.WorkflowFactsOf(ctx, it.ID)
	if err != nil {
		return nil, err
	}
	var out []Transition
	for _, t := range d.Transitions {
		if t.BySystem {
			continue
		}
		err := s.mayTake(ctx, u, it, f, t)
		if err == nil {
			out = append(out, t)
		} else if _, refused := err.(*mamori.Error); !refused {
			return nil, err
		}
	}
	return out, nil
}

// MayAdd returns nil when u may comment on and attach evidence to it, else
// the refusal Comment and Attach give.
func (s *Service) MayAdd(ctx context.Context, u store.User, it store.WorkflowItem) error {
	return s.mayComment(ctx, u, it)
}

// MayCreate reports whether u may open an item of the given workflow in
// some organization: what decides whether a page offers the form.
func (s *Service) MayCreate(u store.User, kind string) bool {
	d, ok := s.Defs[kind]
	if !ok {
		return false
	}
	return slices.ContainsFunc(u.Grants, func(g store.RoleGrant) bool { return slices.Contains(d.CreateRoles, auth.Role(g.Role)) })
}

// MaxComment bounds a comment in characters.
const MaxComment = 10000

// mayComment reports whether u may comment on or attach evidence to it.
func (s *Service) mayComment(ctx context.Context, u store.User, it store.WorkflowItem) error {
	d, err := s.def(it.Kind)
	if err != nil {
		return err
	}
	if ok, err := s.sees(ctx, u, it.OrgCode); err != nil {
		return err
	} else if !ok {
		return mamori.Errorf(mamori.NotFound, "案件 %d はありません", "no workflow item %d", it.ID)
	}
	if u.Name == it.Applicant || u.Name == it.Assignee {
		return nil
	}
	if ok, err := s.covers(ctx, u, it.OrgCode, d.CommentRoles); err != nil {
		return err
	} else if !ok {
		ja, en := roleNames(d.CommentRoles)
		return bi(mamori.Forbidden,
			fmt.Sprintf("案件 %d（%s、状態「%s」）に書き込めるのは起票者・担当者と組織「%s」の %s だけです", it.ID, it.Kind, it.State, it.OrgCode, ja),
			fmt.Sprintf("workflow item %d (%s, state %q): only the applicant, the assignee and %s of organization %s may add to it", it.ID, it.Kind, it.State, en, it.OrgCode))
	}
	return nil
}

// Comment adds a comment to item id's history on behalf of u.
func (s *Service) Comment(ctx context.Context, u store.User, id int64, text string) (store.WorkflowItem, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "コメントが空です", "the comment is empty")
	}
	if e := checkComment(text); e != nil {
		return store.WorkflowItem{}, e
	}
	now := s.now()
	it, ev, err := s.change(ctx, u, id, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
		if err := s.mayComment(ctx, u, cur); err != nil {
			return store.WorkflowChange{}, err
		}
		next := cur
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Event: store.WorkflowEvent{At: now, Actor: u.Name,
			Event: store.WorkflowComment, Comment: text}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	return it, s.record(ctx, u.Name, it, ev, nil)
}

// Attach stores evidence for item id on behalf of u: name is the file's
// name, declared the media type the uploader claims ("" for none). The
// content's own type decides (see Sniff); a file too large, of a type not
// allowed, or not what it claims is refused and nothing is stored.
func (s *Service) Attach(ctx context.Context, u store.User, id int64, name, declared string, content []byte) (store.WorkflowAttachment, error) {
	limit := s.MaxAttachment
	if limit <= 0 {
		limit = DefaultMaxAttachment
	}
	a, err := Evidence(name, declared, content, limit)
	if err != nil {
		return store.WorkflowAttachment{}, err
	}
	now := s.now()
	a.AddedBy, a.AddedAt = u.Name, now
	it, ev, err := s.change(ctx, u, id, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
		if err := s.mayComment(ctx, u, cur); err != nil {
			return store.WorkflowChange{}, err
		}
		next := cur
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Attachment: &a, Event: store.WorkflowEvent{At: now, Actor: u.Name,
			Event: store.WorkflowAttach, Comment: a.Name}}, nil
	})
	if err != nil {
		return store.WorkflowAttachment{}, err
	}
	a.ID, a.ItemID = ev.AttachmentID, it.ID
	return a, s.record(ctx, u.Name, it, ev, map[string]any{"attachment": a.ID, "name": a.Name,
		"media_type": a.MediaType, "size": a.Size, "sha256": a.SHA256})
}

// Item returns item id if u may see it; an item outside every grant of u
// is reported as absent.
func (s *Service) Item(ctx context.Context, u store.User, id int64) (store.WorkflowItem, error) {
	it, err := s.Store.WorkflowItem(ctx, id)
	if err != nil {
		s.absent(ctx, u, err)
		return it, err
	}
	if ok, err := s.sees(ctx, u, it.OrgCode); err != nil {
		return store.WorkflowItem{}, err
	} else if !ok {
		return store.WorkflowItem{}, mamori.Errorf(mamori.NotFound, "案件 %d はありません", "no workflow item %d", id)
	}
	return it, nil
}

// History returns item id's history, oldest first, if u may see it.
func (s *Service) History(ctx context.Context, u store.User, id int64) ([]store.WorkflowEvent, error) {
	if _, err := s.Item(ctx, u, id); err != nil {
		return nil, err
	}
	return s.Store.WorkflowEvents(ctx, id)
}
