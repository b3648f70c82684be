package store

// Self-inspection rounds (migration 23): a round is a workflow item of kind
// "self_inspection" (package workflow decides its states and who may act);
// the store keeps its scope, its questionnaire, and the dates its steps
// were completed, which the assessment reads beside the register's
// project_reviews (see unreviewed_stages in assessment.go). Everything here
// is written through a WorkflowTx, in the transaction of the workflow
// change that causes it.

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mamori"
)

// InspectionScope is what a round inspects: a project's stage (ProjectCode
// and Stage), or an organization's fiscal year (FiscalYear).
type InspectionScope struct {
	OrgCode     string
	ProjectCode string
	Stage       string
	FiscalYear  int
}

// InspectionRound is a round's scope and the dates its steps were done
// ("" until then).
type InspectionRound struct {
	ItemID int64
	InspectionScope
	SelfInspectedOn, PMOReviewedOn, CentralReviewedOn string
}

// InspectionQuestion is one manual control a round asks about.
type InspectionQuestion struct {
	CatalogID, ControlID, Title string
}

// The answers a question may take; AnswerNone is an unanswered one.
const (
	AnswerNone          = ""
	AnswerYes           = "yes"
	AnswerNo            = "no"
	AnswerPartial       = "partial"
	AnswerNotApplicable = "not_applicable"
)

// InspectionAnswers are the answers a question may take, in display order.
var InspectionAnswers = []string{AnswerYes, AnswerPartial, AnswerNo, AnswerNotApplicable}

// InspectionAnswer is one question of a round with its answer and finding.
type InspectionAnswer struct {
	ItemID int64
	InspectionQuestion
	Position           int
	Answer, Note       string
	AttachmentID       int64 // 0 for none
	AnsweredBy         string
	AnsweredAt         time.Time // zero while unanswered
	Finding, FindingBy string
	RemediationID      int64 // 0 for none
}

// The dates a round records, by the column that keeps them.
const (
	SelfInspectedOn   = "self_inspected_on"
	PMOReviewedOn     = "pmo_reviewed_on"
	CentralReviewedOn = "central_reviewed_on"
)

// CreateInspectionRound stores a new round's scope and questionnaire.
func (t WorkflowTx) CreateInspectionRound(ctx context.Context, itemID int64, sc InspectionScope, qs []InspectionQuestion) error {
	var project, stage, fy any
	if sc.ProjectCode != "" {
		project, stage = sc.ProjectCode, sc.Stage
	} else {
		fy = sc.FiscalYear
	}
	if _, err := t.tx.ExecContext(ctx, `INSERT INTO inspection_rounds (item_id, org_code, project_code, stage, fiscal_year)
		VALUES ($1, $2, $3, $4, $5)`, itemID, sc.OrgCode, project, stage, fy); err != nil {
		return translate(err, "insert inspection_rounds")
	}
	for i, q := range qs {
		if _, err := t.tx.ExecContext(ctx, `INSERT INTO inspection_answers (item_id, catalog_id, control_id, position, title)
			VALUES ($1, $2, $3, $4, $5)`, itemID, q.CatalogID, q.ControlID, i+1, q.Title); err != nil {
			return translate(err, "insert inspection_answers")
		}
	}
	return nil
}

// SetInspectionDates records the dates of a round's steps: each of dates
// names a column (SelfInspectedOn, …) and a YYYY-MM-DD date, or "" to clear
// it.
func (t WorkflowTx) SetInspectionDates(ctx context.Context, itemID int64, dates map[string]string) error {
	for col, d := range dates {
		switch col {
		case SelfInspectedOn, PMOReviewedOn, CentralReviewedOn:
		default:
			return fmt.Errorf("store: inspection_rounds: no date column %q", col)
		}
		if _, err := t.tx.ExecContext(ctx, "UPDATE inspection_rounds SET "+col+" = $1 WHERE item_id = $2", workflowDue(d), itemID); err != nil {
			return translate(err, "update inspection_rounds")
		}
	}
	return nil
}

// noQuestion is the error for a control a round does not ask about.
func noQuestion(itemID int64, catalogID, controlID string) error {
	return mamori.Errorf(mamori.Invalid, "自己点検 %d に管理策 %s:%s の設問はありません",
		"self-inspection %d asks nothing about control %s:%s", itemID, mamori.Excerpt(catalogID), mamori.Excerpt(controlID))
}

// AnswerInspection records the answer to one question; attachment, when
// not 0, must be evidence of the same round.
func (t WorkflowTx) AnswerInspection(ctx context.Context, itemID int64, catalogID, controlID, answer, note string,
	attachment int64, by string, at time.Time) error {
	var att any
	if attachment != 0 {
		var n int
		if err := t.tx.QueryRowContext(ctx, "SELECT count(*) FROM workflow_attachments WHERE id = $1 AND item_id = $2",
			attachment, itemID).Scan(&n); err != nil {
			return fmt.Errorf("store: workflow_attachments: %w", err)
		}
		if n == 0 {
			return mamori.Errorf(mamori.Invalid, "証跡 %d はこの自己点検の添付ではありません",
				"evidence %d is not attached to this self-inspection", attachment)
		}
		att = attachment
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE inspection_answers SET answer = $1, note = $2, attachment_id = $3,
		answered_by = $4, answered_at = $5 WHERE item_id = $6 AND catalog_id = $7 AND control_id = $8`,
		answer, note, att, by, t.s.catalogTS(at), itemID, catalogID, controlID)
	if err != nil {
		return translate(err, "update inspection_answers")
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: inspection_answers: %w", err)
	} else if n != 1 {
		return noQuestion(itemID, catalogID, controlID)
	}
	return nil
}

// SetInspectionFinding records a reviewer's finding on one answer, with
// the remediation item opened for it (0 for none).
func (t WorkflowTx) SetInspectionFinding(ctx context.Context, itemID int64, catalogID, controlID, finding, by string, remediation int64) error {
	var rem any
	if remediation != 0 {
		rem = remediation
	}
	res, err := t.tx.ExecContext(ctx, `UPDATE inspection_answers SET finding = $1, finding_by = $2,
		remediation_id = coalesce($3, remediation_id) WHERE item_id = $4 AND catalog_id = $5 AND control_id = $6`,
		finding, by, rem, itemID, catalogID, controlID)
	if err != nil {
		return translate(err, "update inspection_answers")
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: inspection_answers: %w", err)
	} else if n != 1 {
		return noQuestion(itemID, catalogID, controlID)
	}
	return nil
}

// InspectionAnswerOf returns one question of a round inside the change's
// transaction.
func (t WorkflowTx) InspectionAnswerOf(ctx context.Context, itemID int64, catalogID, controlID string) (InspectionAnswer, error) {
	rows, err := t.tx.QueryContext(ctx, "SELECT "+answerCols+" FROM inspection_answers WHERE item_id = $1 AND catalog_id = $2 AND control_id = $3",
		itemID, catalogID, controlID)
	if err != nil {
		return InspectionAnswer{}, fmt.Errorf("store: inspection_answers: %w", err)
	}
	as, err := scanAnswers(rows)
	if err != nil {
		return InspectionAnswer{}, err
	}
	if len(as) == 0 {
		return InspectionAnswer{}, noQuestion(itemID, catalogID, controlID)
	}
	return as[0], nil
}

const roundCols = `item_id, org_code, coalesce(project_code, ''), coalesce(stage, ''), coalesce(fiscal_year, 0),
	CAST(self_inspected_on AS TEXT), CAST(pmo_reviewed_on AS TEXT), CAST(central_reviewed_on AS TEXT)`

func scanRound(sc interface{ Scan(...any) error }) (InspectionRound, error) {
	var r InspectionRound
	var self, pmo, central sql.NullString
	err := sc.Scan(&r.ItemID, &r.OrgCode, &r.ProjectCode, &r.Stage, &r.FiscalYear, &self, &pmo, &central)
	r.SelfInspectedOn, r.PMOReviewedOn, r.CentralReviewedOn = self.String, pmo.String, central.String
	return r, err
}

// InspectionRound returns item id's round, or an error of kind NotFound.
func (s *Store) InspectionRound(ctx context.Context, id int64) (InspectionRound, error) {
	r, err := scanRound(s.read.QueryRowContext(ctx, "SELECT "+roundCols+" FROM inspection_rounds WHERE item_id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return r, mamori.Errorf(mamori.NotFound, "自己点検 %d はありません", "no self-inspection %d", id)
	}
	if err != nil {
		return r, fmt.Errorf("store: inspection_rounds: %w", err)
	}
	return r, nil
}

// InspectionRounds returns every round, by item id.
func (s *Store) InspectionRounds(ctx context.Context) (map[int64]InspectionRound, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+roundCols+" FROM inspection_rounds")
	if err != nil {
		return nil, fmt.Errorf("store: inspection_rounds: %w", err)
	}
	defer rows.Close()
	out := map[int64]InspectionRound{}
	for rows.Next() {
		r, err := scanRound(rows)
		if err != nil {
			return nil, fmt.Errorf("store: inspection_rounds: %w", err)
		}
		out[r.ItemID] = r
	}
	return out, rows.Err()
}

const answerCols = `item_id, catalog_id, control_id, position, title, answer, note, coalesce(attachment_id, 0),
	answered_by, answered_at, finding, finding_by, coalesce(remediation_id, 0)`

func scanAnswers(rows *sql.Rows) ([]InspectionAnswer, error) {
	defer rows.Close()
	var out []InspectionAnswer
	for rows.Next() {
		var a InspectionAnswer
		var at any
		if err := rows.Scan(&a.ItemID, &a.CatalogID, &a.ControlID, &a.Position, &a.Title, &a.Answer, &a.Note,
			&a.AttachmentID, &a.AnsweredBy, &at, &a.Finding, &a.FindingBy, &a.RemediationID); err != nil {
			return nil, fmt.Errorf("store: inspection_answers: %w", err)
		}
		if at != nil {
			t, err := catalogTime(at)
			if err != nil {
				return nil, fmt.Errorf("store: inspection_answers: %w", err)
			}
			a.AnsweredAt = t
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// InspectionAnswers returns a round's questions with their answers, in
// the order they are asked.
func (s *Store) InspectionAnswers(ctx context.Context, id int64) ([]InspectionAnswer, error) {
	rows, err := s.read.QueryContext(ctx, "SELECT "+answerCols+" FROM inspection_answers WHERE item_id = $1 ORDER BY position", id)
	if err != nil {
		return nil, fmt.Errorf("store: inspection_answers: %w", err)
	}
	return scanAnswers(rows)
}

// ProjectStage is one stage of a project the register lists, which a
// self-inspection round may be opened for.
type ProjectStage struct {
	ProjectCode, ProjectName, Stage, OrgCode string
}

// ProjectStages lists the register's project stages (project_reviews) of
// the organizations orgs (every one when orgs is nil), by project and
// stage.
func (s *Store) ProjectStages(ctx context.Context, orgs []string) ([]ProjectStage, error) {
	q := `SELECT r.project_code, p.name, r.stage, p.org_code FROM project_reviews r JOIN projects p ON p.code = r.project_code`
	var args []any
	if orgs != nil {
		if len(orgs) == 0 {
			return nil, nil
		}
		q += " WHERE p.org_code IN ("
		for i, o := range orgs {
			args = append(args, o)
			if i > 0 {
				q += ", "
			}
			q += fmt.Sprintf("$%d", len(args))
		}
		q += ")"
	}
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY r.project_code, r.stage", args...)
	if err != nil {
		return nil, fmt.Errorf("store: project_reviews: %w", err)
	}
	defer rows.Close()
	var out []ProjectStage
	for rows.Next() {
		var ps ProjectStage
		if err := rows.Scan(&ps.ProjectCode, &ps.ProjectName, &ps.Stage, &ps.OrgCode); err != nil {
			return nil, fmt.Errorf("store: project_reviews: %w", err)
		}
		out = append(out, ps)
	}
	return out, rows.Err()
}

// ProjectStageOf returns the register's stage of a project, or an error of
// kind Invalid naming what is missing.
func (s *Store) ProjectStageOf(ctx context.Context, project, stage string) (ProjectStage, error) {
	ps := ProjectStage{ProjectCode: project, Stage: stage}
	err := s.read.QueryRowContext(ctx, `SELECT p.name, p.org_code FROM project_reviews r JOIN projects p ON p.code = r.project_code
		WHERE r.project_code = $1 AND r.stage = $2`, project, stage).Scan(&ps.ProjectName, &ps.OrgCode)
	if errors.Is(err, sql.ErrNoRows) {
		return ps, mamori.Errorf(mamori.Invalid, "台帳にプロジェクト「%s」の工程「%s」はありません（工程レビュー）",
			"the register lists no project %q with stage %q (project stage reviews)", mamori.Excerpt(project), mamori.Excerpt(stage))
	}
	if err != nil {
		return ps, fmt.Errorf("store: project_reviews: %w", err)
	}
	return ps, nil
}

// InspectionResult is one question of a round as the checks read it:
// the round's scope, whether its self-inspection is done, and the answer.
type InspectionResult struct {
	ItemID int64
	InspectionScope
	SelfInspectedOn      string // "" while the self-inspection is not done
	CatalogID, ControlID string
	Answer, Note         string
	Finding              string
}

// InspectionResults returns every question of every round, by round and
// position: what the assessment judges manual controls by.
func (s *Store) InspectionResults(ctx context.Context) ([]InspectionResult, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT r.item_id, r.org_code, coalesce(r.project_code, ''), coalesce(r.stage, ''),
		coalesce(r.fiscal_year, 0), CAST(r.self_inspected_on AS TEXT), a.catalog_id, a.control_id, a.answer, a.note, a.finding
		FROM inspection_answers a JOIN inspection_rounds r ON r.item_id = a.item_id ORDER BY r.item_id, a.position`)
	if err != nil {
		return nil, fmt.Errorf("store: inspection_answers: %w", err)
	}
	defer rows.Close()
	var out []InspectionResult
	for rows.Next() {
		var x InspectionResult
		var self sql.NullString
		if err := rows.Scan(&x.ItemID, &x.OrgCode, &x.ProjectCode, &x.Stage, &x.FiscalYear, &self, &x.CatalogID, &x.ControlID,
			&x.Answer, &x.Note, &x.Finding); err != nil {
			return nil, fmt.Errorf("store: inspection_answers: %w", err)
		}
		x.SelfInspectedOn = self.String
		out = append(out, x)
	}
	return out, rows.Err()
}
