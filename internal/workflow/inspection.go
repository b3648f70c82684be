package workflow

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/catalog"
	"mamori/internal/store"
)

// The self-inspection workflow (issue 14 item 5; seed 000: the secure zone
// escaped every self-inspection and PMO review). A round inspects one
// project stage or one organization's fiscal year. The inspector (the
// PJMO, who opens the round and is its applicant) answers a questionnaire
// of the catalogs' manual controls with evidence and submits it: the
// self-inspection (自己点検) is done. The PMO (a ministry's org_security)
// reviews it, and the centre (central_admin or auditor granted on the
// whole government: デジタル庁's review, 中央レビュー) reviews it last,
// closing the round; a grant on the round's ministry alone is not the
// centre's. Either review
// may return the round to the inspector. The inspector never reviews
// their own round, and the PMO reviewer is never also the central
// reviewer. Each step records its date for the round's scope, which the
// checks read (PLN-05) beside the register's project_reviews.
const (
	Drafted           = "drafted"
	Submitted         = "submitted"
	PMOReviewed       = "pmo_reviewed"
	CentrallyReviewed = "centrally_reviewed"
	Returned          = "returned"
)

// InspectionKind is the kind of a self-inspection round's items.
const InspectionKind = "self_inspection"

// The details a round records: its scope (the project, as
// DetailProject, shared with the procurement gates).
const (
	DetailStage      = "stage"
	DetailFiscalYear = "fiscal_year"
)

// MaxQuestions bounds a round's questionnaire: a catalog larger than this
// (all of NIST SP 800-53 with its enhancements is about 1,200) is refused
// rather than asked of a PJMO.
const MaxQuestions = 2000

// Inspection is the self-inspection workflow.
var Inspection = &Definition{
	Kind:    InspectionKind,
	JA:      "自己点検",
	EN:      "self-inspection",
	Initial: Drafted,
	States: []State{
		{Drafted, "自己点検中", "drafted"},
		{Submitted, "自己点検済み", "self-inspected"},
		{PMOReviewed, "PMOレビュー済み", "PMO reviewed"},
		{CentrallyReviewed, "中央レビュー済み", "centrally reviewed"},
		{Returned, "差戻し", "returned"},
	},
	Settled:      []string{CentrallyReviewed},
	CreateRoles:  []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin},
	CommentRoles: []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.Auditor, auth.CentralAdmin},
	Details: []Detail{
		{Name: DetailProject, JA: "プロジェクトコード", EN: "project code", Type: DetailCode},
		{Name: DetailStage, JA: "工程", EN: "stage", Type: DetailCode},
		{Name: DetailFiscalYear, JA: "年度", EN: "fiscal year", Type: DetailCode},
	},
	ValidateDetails: validateScope,
	Transitions: []Transition{
		{Name: "submit", JA: "自己点検完了", EN: "submit self-inspection", From: []string{Drafted, Returned}, To: Submitted,
			Roles: []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin}, Check: submitCheck,
			Effect: dates(map[string]bool{store.SelfInspectedOn: true, store.PMOReviewedOn: false, store.CentralReviewedOn: false})},
		{Name: "pmo_review", JA: "PMOレビュー完了", EN: "PMO review done", From: []string{Submitted}, To: PMOReviewed,
			Roles: []auth.Role{auth.OrgSecurity}, NotByApplicant: true,
			Effect: dates(map[string]bool{store.PMOReviewedOn: true})},
		{Name: "pmo_return", JA: "PMO差戻し", EN: "PMO returns", From: []string{Submitted}, To: Returned,
			Roles: []auth.Role{auth.OrgSecurity}, NotByApplicant: true, Effect: undone},
		{Name: "central_review", JA: "中央レビュー完了", EN: "central review done", From: []string{PMOReviewed}, To: CentrallyReviewed,
			Roles: []auth.Role{auth.CentralAdmin, auth.Auditor}, WholeGovernment: true, NotByApplicant: true, Check: notPMOReviewer,
			Effect: dates(map[string]bool{store.CentralReviewedOn: true})},
		{Name: "central_return", JA: "中央差戻し", EN: "central review returns", From: []string{PMOReviewed}, To: Returned,
			Roles: []auth.Role{auth.CentralAdmin, auth.Auditor}, WholeGovernment: true, NotByApplicant: true, Check: notPMOReviewer, Effect: undone},
	},
}

// validateScope: a round names a project and its stage, or a fiscal year,
// never both.
func validateScope(it store.WorkflowItem) *mamori.Error {
	p, st, fy := it.Details[DetailProject], it.Details[DetailStage], it.Details[DetailFiscalYear]
	switch {
	case p != "" && st != "" && fy == "":
		if !slices.ContainsFunc(mamori.ProjectStages, func(v mamori.EnumValue) bool { return v.Code == st }) {
			return bi(mamori.Invalid, fmt.Sprintf("工程「%s」はありません（%s）", mamori.Excerpt(st), stageCodes()),
				fmt.Sprintf("no stage %q (one of %s)", mamori.Excerpt(st), stageCodes()))
		}
		return nil
	case p == "" && st == "" && fy != "":
		if _, err := ParseFiscalYear(fy); err != nil {
			return err.(*mamori.Error)
		}
		return nil
	}
	return bi(mamori.Invalid, "自己点検はプロジェクトと工程、又は年度のどちらか一方を対象にします",
		"a self-inspection covers either a project and its stage or a fiscal year, not both or neither")
}

func stageCodes() string {
	var out []string
	for _, v := range mamori.ProjectStages {
		out = append(out, v.Code)
	}
	return strings.Join(out, ", ")
}

// ParseFiscalYear reads a fiscal year such as 2026, within the years a
// register may hold.
func ParseFiscalYear(s string) (int, error) {
	y, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(strings.TrimSpace(s), "FY"), "fy"))
	if err != nil || y < 2000 || y > 2100 {
		return 0, bi(mamori.Invalid, fmt.Sprintf("年度「%s」は 2000〜2100 の西暦年ではありません", mamori.Excerpt(s)),
			fmt.Sprintf("fiscal year %q is not a year from 2000 to 2100", mamori.Excerpt(s)))
	}
	return y, nil
}

// submitCheck: only the inspector submits, and only a questionnaire
// answered in full.
func submitCheck(a Action) *mamori.Error {
	if a.Actor != a.Item.Applicant {
		return bi(mamori.Forbidden, fmt.Sprintf("自己点検を完了できるのは点検者（%s）だけです", a.Item.Applicant),
			fmt.Sprintf("only the inspector (%s) may submit the self-inspection", a.Item.Applicant))
	}
	if a.Facts.Unanswered > 0 {
		return bi(mamori.Conflict, fmt.Sprintf("未回答の設問が %d 件あります。すべて回答してから完了してください", a.Facts.Unanswered),
			fmt.Sprintf("%d questions are unanswered: answer every question first", a.Facts.Unanswered))
	}
	return nil
}

// notPMOReviewer: the central review is another person's than the PMO's.
func notPMOReviewer(a Action) *mamori.Error {
	if pmo := a.Facts.TookLast["pmo_review"]; pmo != "" && pmo == a.Actor {
		return bi(mamori.Forbidden, "PMOレビューを行った人は中央レビューを行えません",
			"the PMO reviewer may not also review centrally")
	}
	return nil
}

// dates records, for each column, the change's date (true) or none
// (false).
func dates(cols map[string]bool) func(context.Context, store.WorkflowTx, store.WorkflowItem) error {
	return func(ctx context.Context, tx store.WorkflowTx, next store.WorkflowItem) error {
		m := map[string]string{}
		for col, set := range cols {
			m[col] = ""
			if set {
				m[col] = jstDate(next.UpdatedAt)
			}
		}
		return tx.SetInspectionDates(ctx, next.ID, m)
	}
}

// undone clears a returned round's dates: its self-inspection is to be
// done again, and the checks see the stage unreviewed until it is.
var undone = dates(map[string]bool{store.SelfInspectedOn: false, store.PMOReviewedOn: false, store.CentralReviewedOn: false})

// Questions returns the manual controls of cats a round asks about: those
// without a target, and those whose target is the round's kind of scope
// (project for a project stage, organization or organization-fy for a
// fiscal year), in catalog order.
func Questions(cats []*catalog.Catalog, project bool) []store.InspectionQuestion {
	var out []store.InspectionQuestion
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if !ctl.Manual() {
				continue
			}
			switch ctl.Target {
			case "":
			case "project":
				if !project {
					continue
				}
			case "organization", "organization-fy":
				if project {
					continue
				}
			}
			title := ctl.Title
			if ctl.TitleEN != "" && ctl.TitleEN != title {
				title += " / " + ctl.TitleEN
			}
			out = append(out, store.InspectionQuestion{CatalogID: c.ID, ControlID: ctl.ID, Title: title})
		}
	}
	return out
}

// Catalogs returns the catalogs in force for a questionnaire: the
// embedded ones and those imported (mamori catalog import), whose
// controls without a check are the manual ones.
func Catalogs(ctx context.Context, st *store.Store) ([]*catalog.Catalog, error) {
	cats, err := catalog.Builtin()
	if err != nil {
		return nil, err
	}
	stored, err := st.StoredCatalogs(ctx)
	if err != nil {
		return nil, err
	}
	for _, sc := range stored {
		c, err := catalog.Load(sc.ID+".json", []byte(sc.Source))
		if err != nil {
			return nil, fmt.Errorf("stored catalog %s: %w", sc.ID, err)
		}
		c.SetID(sc.ID)
		cats = append(cats, c)
	}
	return cats, nil
}

// Round is what opening a self-inspection round takes: a project and its
// stage, or an organization and a fiscal year.
type Round struct {
	ProjectCode, Stage string
	OrgCode            string // for a fiscal-year round
	FiscalYear         string
	Comment            string
}

// OpenInspection opens a round on behalf of u, who becomes its inspector;
// its questionnaire is the manual controls of the catalogs in force that
// apply to its scope. A scope that already has a round, or no manual
// control to ask about, is refused.
func (s *Service) OpenInspection(ctx context.Context, u store.User, r Round) (store.WorkflowItem, error) {
	r.ProjectCode, r.Stage = strings.TrimSpace(r.ProjectCode), strings.TrimSpace(r.Stage)
	r.OrgCode, r.FiscalYear = strings.TrimSpace(r.OrgCode), strings.TrimSpace(r.FiscalYear)
	sc := store.InspectionScope{ProjectCode: r.ProjectCode, Stage: r.Stage}
	details := map[string]string{}
	var subject string
	project := r.ProjectCode != "" || r.Stage != ""
	if project {
		if r.FiscalYear != "" || r.ProjectCode == "" || r.Stage == "" {
			return store.WorkflowItem{}, validateScope(store.WorkflowItem{Details: map[string]string{DetailProject: r.ProjectCode,
				DetailStage: r.Stage, DetailFiscalYear: r.FiscalYear}})
		}
		if e := validateScope(store.WorkflowItem{Details: map[string]string{DetailProject: r.ProjectCode, DetailStage: r.Stage}}); e != nil {
			return store.WorkflowItem{}, e
		}
		if !texts(r.ProjectCode) {
			// No stored code is anything but text; PostgreSQL would fail.
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "台帳にプロジェクト「%s」の工程「%s」はありません（工程レビュー）",
				"the register lists no project %q with stage %q (project stage reviews)", mamori.Excerpt(r.ProjectCode), mamori.Excerpt(r.Stage))
		}
		ps, err := s.Store.ProjectStageOf(ctx, r.ProjectCode, r.Stage)
		if err != nil {
			return store.WorkflowItem{}, err
		}
		// A project of another ministry is refused like a missing one.
		if ok, err := s.sees(ctx, u, ps.OrgCode); err != nil {
			return store.WorkflowItem{}, err
		} else if !ok {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "台帳にプロジェクト「%s」の工程「%s」はありません（工程レビュー）",
				"the register lists no project %q with stage %q (project stage reviews)", mamori.Excerpt(r.ProjectCode), mamori.Excerpt(r.Stage))
		}
		sc.OrgCode = ps.OrgCode
		details[DetailProject], details[DetailStage] = r.ProjectCode, r.Stage
		subject = r.ProjectCode + " " + r.Stage
	} else {
		fy, err := ParseFiscalYear(r.FiscalYear)
		if err != nil {
			return store.WorkflowItem{}, err
		}
		if r.OrgCode == "" {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "年度の自己点検には組織が必要です", "a fiscal-year self-inspection needs an organization")
		}
		sc.OrgCode, sc.FiscalYear = r.OrgCode, fy
		details[DetailFiscalYear] = strconv.Itoa(fy)
		subject = fmt.Sprintf("%s FY%d", r.OrgCode, fy)
	}
	cats, err := Catalogs(ctx, s.Store)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	qs := Questions(cats, project)
	if len(qs) == 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid,
			"この範囲に当てはまる手動の管理策がありません。手動の管理策を含むカタログ（NIST SP 800-53 など）を mamori catalog import で取り込んでください",
			"no manual control applies to this scope: import a catalog with manual controls (such as NIST SP 800-53) with mamori catalog import")
	}
	if len(qs) > MaxQuestions {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "設問が多すぎます（%d 件、上限 %d 件）",
			"too many questions (%d, at most %d)", len(qs), MaxQuestions)
	}
	it, err := s.Create(ctx, u, InspectionKind, NewItem{Subject: subject, OrgCode: sc.OrgCode, Comment: r.Comment, Details: details, round: true,
		Effect: func(ctx context.Context, tx store.WorkflowTx, it store.WorkflowItem) error {
			return tx.CreateInspectionRound(ctx, it.ID, sc, qs)
		}})
	if mamori.KindOf(err) == mamori.Conflict {
		return it, mamori.Errorf(mamori.Conflict, "「%s」の自己点検は既に起票されています", "a self-inspection of %s is already open", subject)
	}
	return it, err
}

// guardRound refuses a self-inspection round created other than by
// OpenInspection: without its questionnaire a round has nothing to answer,
// so its inspector could submit it at once, "answered in full".
func guardRound(d *Definition, n NewItem) *mamori.Error {
	if d.Kind != InspectionKind || n.round {
		return nil
	}
	return bi(mamori.Invalid, "自己点検は設問（questionnaire）とともに起票します。自己点検のページ（/inspections）か mamori inspection open を使ってください",
		"a self-inspection round is opened with its questionnaire: use the self-inspection page (/inspections) or mamori inspection open")
}

// GenericCreate reports whether items of kind are opened through the
// generic create (the workflow form, POST /api/v1/workflows, workflow
// create): not self-inspection rounds, which OpenInspection opens.
func GenericCreate(kind string) bool { return kind != InspectionKind && kind != IncidentKind }

// Answer is one answer given.
type Answer struct {
	CatalogID, ControlID string
	Answer               string // one of store.InspectionAnswers
	Note                 string
	AttachmentID         int64 // evidence of the round; 0 for none
}

// roundFor returns nil when cur is a round u may see, at the version u
// saw, else the refusal: a round outside u's grants answers like a missing
// one.
func (s *Service) roundFor(ctx context.Context, u store.User, cur store.WorkflowItem, version int64) error {
	if ok, err := s.sees(ctx, u, cur.OrgCode); err != nil {
		return err
	} else if !ok || cur.Kind != InspectionKind {
		return mamori.Errorf(mamori.NotFound, "自己点検 %d はありません", "no self-inspection %d", cur.ID)
	}
	if cur.Version != version {
		return store.StaleVersionError(cur, version)
	}
	return nil
}

// AnswerInspection records answers of round id on behalf of u, who must
// be its inspector, while it is drafted or returned; version is the
// version of the round u saw. The answers are validated together and
// stored together, or none is.
func (s *Service) AnswerInspection(ctx context.Context, u store.User, id, version int64, answers []Answer) (store.WorkflowItem, error) {
	if version <= 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です",
			"an action must name the version of the item it saw")
	}
	if len(answers) == 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "回答がありません", "no answer given")
	}
	var summary []string
	for _, a := range answers {
		if !slices.Contains(store.InspectionAnswers, a.Answer) {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "管理策 %s の回答「%s」は使えません（%s のいずれか）",
				"control %s: answer %q is not allowed (one of %s)", mamori.Excerpt(a.ControlID), mamori.Excerpt(a.Answer), strings.Join(store.InspectionAnswers, ", "))
		}
		if n := len([]rune(a.Note)); n > MaxDetail {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "管理策 %s の所見が長すぎます（%d 文字、上限 %d 文字）",
				"control %s: the note is too long (%d characters, at most %d)", mamori.Excerpt(a.ControlID), n, MaxDetail)
		}
		summary = append(summary, a.ControlID+"="+a.Answer)
	}
	now := s.now()
	comment := "回答 / answered: " + strings.Join(summary, ", ")
	if n := len([]rune(comment)); n > 500 {
		comment = string([]rune(comment)[:500]) + "…"
	}
	it, ev, err := s.Store.ChangeWorkflowItem(ctx, id, 0, func(cur store.WorkflowItem, _ store.WorkflowFacts) (store.WorkflowChange, error) {
		if err := s.roundFor(ctx, u, cur, version); err != nil {
			return store.WorkflowChange{}, err
		}
		if cur.State != Drafted && cur.State != Returned {
			return store.WorkflowChange{}, refusal(mamori.Conflict, cur, "answer",
				"回答を変えられるのは自己点検中か差戻しの間だけです", "answers may change only while the round is drafted or returned")
		}
		if u.Name != cur.Applicant {
			return store.WorkflowChange{}, refusal(mamori.Forbidden, cur, "answer",
				fmt.Sprintf("回答できるのは点検者（%s）だけです", cur.Applicant), fmt.Sprintf("only the inspector (%s) may answer", cur.Applicant))
		}
		next := cur
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Bump: true,
			Event: store.WorkflowEvent{At: now, Actor: u.Name, Event: store.WorkflowComment, Comment: comment},
			Effect: func(ctx context.Context, tx store.WorkflowTx, next store.WorkflowItem) error {
				for _, a := range answers {
					if err := tx.AnswerInspection(ctx, id, a.CatalogID, a.ControlID, a.Answer, strings.TrimSpace(a.Note),
						a.AttachmentID, u.Name, now); err != nil {
						return err
					}
				}
				return nil
			}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, err
	}
	return it, s.record(ctx, u.Name, it, ev, map[string]any{"answers": len(answers)})
}

// Finding is a reviewer's finding on one answer.
type Finding struct {
	CatalogID, ControlID string
	Text                 string
	// Remediate opens a remediation item for it, filed under the round's
	// organization, in the same transaction.
	Remediate bool
}

// RaiseFinding records a reviewer's finding on one answer of round id:
// u must be a reviewer who may take the review now (the PMO while it is
// submitted, the centre while it is PMO reviewed), never its inspector.
// It returns the round and the remediation item opened (zero when none).
func (s *Service) RaiseFinding(ctx context.Context, u store.User, id, version int64, f Finding) (store.WorkflowItem, store.WorkflowItem, error) {
	if version <= 0 {
		return store.WorkflowItem{}, store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "操作には表示した案件の版が必要です",
			"an action must name the version of the item it saw")
	}
	f.Text = strings.TrimSpace(f.Text)
	if f.Text == "" {
		return store.WorkflowItem{}, store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "指摘の内容が空です", "the finding is empty")
	}
	if n := len([]rune(f.Text)); n > MaxDetail {
		return store.WorkflowItem{}, store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "指摘が長すぎます（%d 文字、上限 %d 文字）",
			"the finding is too long (%d characters, at most %d)", n, MaxDetail)
	}
	now := s.now()
	// A finding's remediation item is due by its severity, as every item
	// opened for a finding is: without a due date it would never be
	// overdue, escalated or reminded of.
	const remSeverity = "medium"
	remDue, err := LatestDue(remSeverity, s.Today())
	if err != nil {
		return store.WorkflowItem{}, store.WorkflowItem{}, err
	}
	var rem store.WorkflowItem
	it, ev, err := s.Store.ChangeWorkflowItem(ctx, id, 0, func(cur store.WorkflowItem, facts store.WorkflowFacts) (store.WorkflowChange, error) {
		if err := s.roundFor(ctx, u, cur, version); err != nil {
			return store.WorkflowChange{}, err
		}
		// Who may return the round now may raise a finding on it.
		review := "pmo_return"
		if cur.State == PMOReviewed {
			review = "central_return"
		}
		t, _ := Inspection.Transition(review)
		if err := s.mayTake(ctx, u, cur, facts, t); err != nil {
			if _, refused := err.(*mamori.Error); !refused {
				return store.WorkflowChange{}, err
			}
			return store.WorkflowChange{}, refusal(mamori.KindOf(err), cur, "finding",
				"指摘できるのはレビュー中のレビュー担当者だけです（点検者は除く）",
				"only a reviewer reviewing the round now may raise a finding (never its inspector)")
		}
		if f.Remediate {
			if ok, err := s.covers(ctx, u, cur.OrgCode, Remediation.CreateRoles); err != nil {
				return store.WorkflowChange{}, err
			} else if !ok {
				ja, en := roleNames(Remediation.CreateRoles)
				return store.WorkflowChange{}, refusal(mamori.Forbidden, cur, "finding",
					fmt.Sprintf("是正案件を起票できるのは %s だけです", ja), fmt.Sprintf("only %s may open a remediation item", en))
			}
		}
		next := cur
		next.UpdatedAt = now
		return store.WorkflowChange{Item: next, Bump: true,
			Event: store.WorkflowEvent{At: now, Actor: u.Name, Event: store.WorkflowComment,
				Comment: fmt.Sprintf("指摘 / finding %s:%s: %s", f.CatalogID, f.ControlID, f.Text)},
			Effect: func(ctx context.Context, tx store.WorkflowTx, next store.WorkflowItem) error {
				if _, err := tx.InspectionAnswerOf(ctx, id, f.CatalogID, f.ControlID); err != nil {
					return err
				}
				var remID int64
				if f.Remediate {
					var err error
					rem, err = tx.CreateWorkflowItem(ctx, store.WorkflowItem{Kind: Remediation.Kind,
						Subject: fmt.Sprintf("自己点検 %d %s %s:%s", id, cur.Subject, f.CatalogID, f.ControlID),
						OrgCode: cur.OrgCode, State: Remediation.Initial, Severity: remSeverity, DueOn: remDue, Applicant: u.Name,
						CreatedAt: now, UpdatedAt: now}, f.Text)
					if err != nil {
						return err
					}
					remID = rem.ID
				}
				return tx.SetInspectionFinding(ctx, id, f.CatalogID, f.ControlID, f.Text, u.Name, remID)
			}}, nil
	})
	if err != nil {
		return store.WorkflowItem{}, store.WorkflowItem{}, err
	}
	if err := s.record(ctx, u.Name, it, ev, map[string]any{"control": f.CatalogID + ":" + f.ControlID, "remediation": rem.ID}); err != nil {
		return it, rem, err
	}
	if rem.ID != 0 {
		err = s.record(ctx, u.Name, rem, store.WorkflowEvent{Event: store.WorkflowCreate, To: rem.State},
			map[string]any{"severity": rem.Severity, "inspection": id})
	}
	return it, rem, err
}

// MayAnswer reports whether u may answer round it now: its inspector,
// while it is drafted or returned.
func MayAnswer(u store.User, it store.WorkflowItem) bool {
	return it.Kind == InspectionKind && (it.State == Drafted || it.State == Returned) && u.Name == it.Applicant
}

// MayRaiseFinding reports whether u may raise a finding on round it now:
// what decides whether a page offers the form. RaiseFinding decides again.
func (s *Service) MayRaiseFinding(ctx context.Context, u store.User, it store.WorkflowItem) (bool, error) {
	if it.Kind != InspectionKind || (it.State != Submitted && it.State != PMOReviewed) {
		return false, nil
	}
	f, err := s.Store.WorkflowFactsOf(ctx, it.ID)
	if err != nil {
		return false, err
	}
	review := "pmo_return"
	if it.State == PMOReviewed {
		review = "central_return"
	}
	t, _ := Inspection.Transition(review)
	err = s.mayTake(ctx, u, it, f, t)
	if err == nil {
		return true, nil
	}
	if _, refused := err.(*mamori.Error); refused {
		return false, nil
	}
	return false, err
}
