package store

// Workflow items, their history and evidence (migration 18). The store
// keeps what package workflow decides: it knows no states or roles. It
// guarantees two things the policy cannot: a change applies only to the
// version of the item its actor saw (optimistic locking, checked and
// bumped in one transaction, so of two simultaneous actors exactly one
// wins), and the history and the evidence are append-only.

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"mamori"
)

// WorkflowItem is one item of a workflow as stored.
type WorkflowItem struct {
	ID        int64
	Kind      string // the workflow definition's name, such as "remediation"
	Subject   string // what it concerns: a finding id, a system code, …
	OrgCode   string // the organization it is filed under
	State     string
	Severity  string // "" when the workflow does not grade its items
	Applicant string // who created it
	Assignee  string // "" while unassigned
	DueOn     string // YYYY-MM-DD, "" for none
	// Details are the fields the item's definition declares, by name;
	// nil or empty for none.
	Details   map[string]string
	CreatedAt time.Time
	UpdatedAt time.Time
	Version   int64 // 1 at creation, one more at every change
}

// The kinds of workflow event.
const (
	WorkflowCreate     = "create"
	WorkflowTransition = "transition"
	WorkflowComment    = "comment"
	WorkflowAttach     = "attach"
)

// WorkflowEvent is one row of an item's history.
type WorkflowEvent struct {
	ID           int64
	ItemID       int64
	At           time.Time
	Actor        string
	Event        string // WorkflowCreate, WorkflowTransition, WorkflowComment or WorkflowAttach
	Transition   string
	From, To     string
	Comment      string
	AttachmentID int64 // 0 for none
}

// WorkflowAttachment is a piece of evidence. Content is read only by
// WorkflowAttachmentContent; lists leave it nil.
type WorkflowAttachment struct {
	ID        int64
	ItemID    int64
	Name      string
	MediaType string
	Size      int64
	SHA256    string // hex
	Content   []byte
	AddedBy   string
	AddedAt   time.Time
}

// WorkflowFilter selects items: by kind and state when set, and only in
// the organizations of Orgs when it is not nil (empty matches nothing).
type WorkflowFilter struct {
	Kind, State string
	Orgs        []string
}

const workflowItemCols = `id, kind, subject, org_code, state, severity, applicant, assignee,
	CAST(due_on AS TEXT), created_at, updated_at, version, details`

func scanWorkflowItem(sc interface{ Scan(...any) error }) (WorkflowItem, error) {
	var it WorkflowItem
	var due sql.NullString
	var created, updated any
	var details string
	if err := sc.Scan(&it.ID, &it.Kind, &it.Subject, &it.OrgCode, &it.State, &it.Severity, &it.Applicant,
		&it.Assignee, &due, &created, &updated, &it.Version, &details); err != nil {
		return it, err
	}
	var err error
	if it.Details, err = parseWorkflowDetails(it.ID, details); err != nil {
		return it, err
	}
	it.DueOn = due.String
	if it.CreatedAt, err = catalogTime(created); err != nil {
		return it, err
	}
	it.UpdatedAt, err = catalogTime(updated)
	return it, err
}

// workflowDue renders a due date for the due_on column.
func workflowDue(d string) any {
	if d == "" {
		return nil
	}
	return d
}

// parseWorkflowDetails reads the details column of item id: nil for none.
func parseWorkflowDetails(id int64, text string) (map[string]string, error) {
	if text == "" || text == "{}" {
		return nil, nil
	}
	var d map[string]string
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return nil, fmt.Errorf("details of workflow item %d: %w", id, err)
	}
	return d, nil
}

// workflowDetails renders details for the details column.
func workflowDetails(d map[string]string) string {
	if len(d) == 0 {
		return "{}"
	}
	b, err := json.Marshal(d) // map keys are sorted: one text per value
	if err != nil {
		panic(err) // strings only: cannot fail
	}
	return string(b)
}

// noWorkflowItem is the error for an item id that does not exist.
func noWorkflowItem(id int64) error {
	return mamori.Errorf(mamori.NotFound, "案件 %d はありません", "no workflow item %d", id)
}

// CreateWorkflowItem stores a new item at version 1 with its creation
// event, in one transaction, and returns it with its id. Each of effects
// then writes what the item brings with it (a round's questionnaire) in
// the same transaction; an error from one stores nothing.
func (s *Store) CreateWorkflowItem(ctx context.Context, it WorkflowItem, comment string,
	effects ...func(ctx context.Context, tx WorkflowTx, it WorkflowItem) error) (WorkflowItem, error) {
	err := s.inTx(ctx, "workflow_items", func(tx *sql.Tx) error {
		var err error
		if it, err = s.insertWorkflowItem(ctx, tx, it, comment); err != nil {
			return err
		}
		for _, e := range effects {
			if e == nil {
				continue
			}
			if err := e(ctx, WorkflowTx{s, tx}, it); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return WorkflowItem{}, err
	}
	return it, nil
}

// CreateWorkflowItem stores a new item at version 1 with its creation
// event in the transaction of another item's change (a remediation item a
// reviewer's finding opens).
func (t WorkflowTx) CreateWorkflowItem(ctx context.Context, it WorkflowItem, comment string) (WorkflowItem, error) {
	return t.s.insertWorkflowItem(ctx, t.tx, it, comment)
}

func (s *Store) insertWorkflowItem(ctx context.Context, tx *sql.Tx, it WorkflowItem, comment string) (WorkflowItem, error) {
	it.Version = 1
	if err := tx.QueryRowContext(ctx, `INSERT INTO workflow_items (kind, subject, org_code, state, severity,
		applicant, assignee, due_on, created_at, updated_at, version, details)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 1, $11) RETURNING id`,
		it.Kind, it.Subject, it.OrgCode, it.State, it.Severity, it.Applicant, it.Assignee, workflowDue(it.DueOn),
		s.catalogTS(it.CreatedAt), s.catalogTS(it.UpdatedAt), workflowDetails(it.Details)).Scan(&it.ID); err != nil {
		return it, translate(err, "insert workflow_items")
	}
	return it, s.insertWorkflowEvent(ctx, tx, WorkflowEvent{ItemID: it.ID, At: it.CreatedAt, Actor: it.Applicant,
		Event: WorkflowCreate, To: it.State, Comment: comment})
}

func (s *Store) insertWorkflowEvent(ctx context.Context, tx *sql.Tx, ev WorkflowEvent) error {
	var att any
	if ev.AttachmentID != 0 {
		att = ev.AttachmentID
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO workflow_events (item_id, at, actor, event, transition, from_state,
		to_state, comment, attachment_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
		ev.ItemID, s.catalogTS(ev.At), ev.Actor, ev.Event, ev.Transition, ev.From, ev.To, ev.Comment, att)
	return translate(err, "insert workflow_events")
}

// WorkflowItem returns one item, or an error of kind NotFound.
func (s *Store) WorkflowItem(ctx context.Context, id int64) (WorkflowItem, error) {
	it, err := scanWorkflowItem(s.read.QueryRowContext(ctx, "SELECT "+workflowItemCols+" FROM workflow_items WHERE id = $1", id))
	if errors.Is(err, sql.ErrNoRows) {
		return it, noWorkflowItem(id)
	}
	if err != nil {
		return it, fmt.Errorf("store: workflow_items: %w", err)
	}
	return it, nil
}

// WorkflowItems lists the items f selects, by id.
func (s *Store) WorkflowItems(ctx context.Context, f WorkflowFilter) ([]WorkflowItem, error) {
	q := "SELECT " + workflowItemCols + " FROM workflow_items WHERE 1 = 1"
	var args []any
	if f.Kind != "" {
		args = append(args, f.Kind)
		q += fmt.Sprintf(" AND kind = $%d", len(args))
	}
	if f.State != "" {
		args = append(args, f.State)
		q += fmt.Sprintf(" AND state = $%d", len(args))
	}
	if f.Orgs != nil {
		if len(f.Orgs) == 0 {
			return nil, nil
		}
		q += " AND org_code IN ("
		for i, o := range f.Orgs {
			args = append(args, o)
			if i > 0 {
				q += ", "
			}
			q += fmt.Sprintf("$%d", len(args))
		}
		q += ")"
	}
	rows, err := s.read.QueryContext(ctx, q+" ORDER BY id", args...)
	if err != nil {
		return nil, fmt.Errorf("store: workflow_items: %w", err)
	}
	defer rows.Close()
	var out []WorkflowItem
	for rows.Next() {
		it, err := scanWorkflowItem(rows)
		if err != nil {
			return nil, fmt.Errorf("store: workflow_items: %w", err)
		}
		out = append(out, it)
	}
	return out, rows.Err()
}

// WorkflowChange is what ChangeWorkflowItem's decision returns: the item
// as it is to be stored, the event that records the change, and evidence
// to store with it (nil for none; the event then names it).
type WorkflowChange struct {
	Item       WorkflowItem
	Event      WorkflowEvent
	Attachment *WorkflowAttachment
	// Milestone is a milestone added or ticked with the change; nil for
	// none.
	Milestone *MilestoneChange
	// Bump: the change moves the item (state, assignee, due date), so its
	// version goes up and a later action naming the old version is
	// refused. Comments and evidence add to the history without moving it.
	Bump bool
	// Effect, when set, writes what the change causes beyond the item
	// (a round's recorded dates, an answer) in the same transaction; an
	// error refuses the whole change.
	Effect func(ctx context.Context, tx WorkflowTx, next WorkflowItem) error
}

// WorkflowFacts are what a decision may need to know besides the item.
type WorkflowFacts struct {
	Attachments int // evidence stored so far
	// Unanswered counts the questions of a self-inspection round not yet
	// answered (0 for items of other workflows).
	Unanswered int
	// TookLast names, by transition, who took it last: for a rule such as
	// "the PMO reviewer may not also review centrally".
	TookLast map[string]string
}

// WorkflowTx is the transaction of a workflow change, handed to the
// effects a workflow declares (a self-inspection round's questionnaire,
// the dates it records) so that what they write commits or rolls back
// with the change itself.
type WorkflowTx struct {
	s  *Store
	tx *sql.Tx
}

// WorkflowFactsOf returns the facts of item id as they are now: what a
// page needs to offer only the transitions a decision would allow.
func (s *Store) WorkflowFactsOf(ctx context.Context, id int64) (WorkflowFacts, error) {
	return workflowFacts(ctx, s.read, id)
}

// factsQueryer is what counting facts needs from a *sql.DB or a *sql.Tx.
type factsQueryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// workflowFacts counts item id's facts, inside a change's transaction or
// on the read pool.
func workflowFacts(ctx context.Context, tx factsQueryer, id int64) (WorkflowFacts, error) {
	var f WorkflowFacts
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM workflow_attachments WHERE item_id = $1", id).Scan(&f.Attachments); err != nil {
		return f, fmt.Errorf("store: workflow_attachments: %w", err)
	}
	if err := tx.QueryRowContext(ctx, "SELECT count(*) FROM inspection_answers WHERE item_id = $1 AND answer = ''", id).Scan(&f.Unanswered); err != nil {
		return f, fmt.Errorf("store: inspection_answers: %w", err)
	}
	rows, err := tx.QueryContext(ctx, "SELECT transition, actor FROM workflow_events WHERE item_id = $1 AND event = 'transition' ORDER BY id", id)
	if err != nil {
		return f, fmt.Errorf("store: workflow_events: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var tr, actor string
		if err := rows.Scan(&tr, &actor); err != nil {
			return f, fmt.Errorf("store: workflow_events: %w", err)
		}
		if f.TookLast == nil {
			f.TookLast = map[string]string{}
		}
		f.TookLast[tr] = actor
	}
	return f, rows.Err()
}

// StaleVersionError is the error of kind Conflict for an action that named
// a version of the item that is no longer current.
func StaleVersionError(it WorkflowItem, seen int64) error {
	return mamori.Errorf(mamori.Conflict,
		"案件 %d（%s、状態「%s」）は他の人が先に更新しました（表示した版 %d、現在の版 %d）。読み直してからやり直してください",
		"workflow item %d (%s, state %q) was changed by someone else (you saw version %d, it is now version %d): reload and try again",
		it.ID, it.Kind, it.State, seen, it.Version)
}

// ChangeWorkflowItem applies one action to item id in one transaction:
// it reads the item (locked on PostgreSQL), refuses it with
// StaleVersionError when seen is not 0 and not its version, asks decide
// (which returns an error to refuse, and then nothing changes), and stores
// the outcome. The update names the version it read, so of two actors who
// saw the same version exactly one succeeds.
func (s *Store) ChangeWorkflowItem(ctx context.Context, id, seen int64,
	decide func(cur WorkflowItem, f WorkflowFacts) (WorkflowChange, error)) (WorkflowItem, WorkflowEvent, error) {
	var out WorkflowItem
	var ev WorkflowEvent
	err := s.inTx(ctx, "workflow_items", func(tx *sql.Tx) error {
		q := "SELECT " + workflowItemCols + " FROM workflow_items WHERE id = $1"
		if s.dialect == Postgres {
			q += " FOR UPDATE"
		}
		cur, err := scanWorkflowItem(tx.QueryRowContext(ctx, q, id))
		if errors.Is(err, sql.ErrNoRows) {
			return noWorkflowItem(id)
		}
		if err != nil {
			return fmt.Errorf("store: workflow_items: %w", err)
		}
		if seen != 0 && seen != cur.Version {
			return StaleVersionError(cur, seen)
		}
		f, err := workflowFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		ch, err := decide(cur, f)
		if err != nil {
			return err
		}
		next := ch.Item
		next.ID, next.Kind, next.Applicant, next.CreatedAt = cur.ID, cur.Kind, cur.Applicant, cur.CreatedAt
		next.Version = cur.Version
		if ch.Bump {
			next.Version++
		}
		res, err := tx.ExecContext(ctx, `UPDATE workflow_items SET subject = $1, org_code = $2, state = $3, severity = $4,
			assignee = $5, due_on = $6, updated_at = $7, version = $8, details = $9 WHERE id = $10 AND version = $11`,
			next.Subject, next.OrgCode, next.State, next.Severity, next.Assignee, workflowDue(next.DueOn),
			s.catalogTS(next.UpdatedAt), next.Version, workflowDetails(next.Details), id, cur.Version)
		if err != nil {
			return translate(err, "update workflow_items")
		}
		if n, err := res.RowsAffected(); err != nil {
			return fmt.Errorf("store: workflow_items: %w", err)
		} else if n != 1 {
			return StaleVersionError(cur, cur.Version)
		}
		ev = ch.Event
		ev.ItemID = id
		if a := ch.Attachment; a != nil {
			if err := tx.QueryRowContext(ctx, `INSERT INTO workflow_attachments (item_id, name, media_type, size, sha256,
				content, added_by, added_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
				id, a.Name, a.MediaType, a.Size, a.SHA256, a.Content, a.AddedBy, s.catalogTS(a.AddedAt)).Scan(&ev.AttachmentID); err != nil {
				return translate(err, "insert workflow_attachments")
			}
		}
		if ch.Milestone != nil {
			if err := s.applyMilestone(ctx, tx, id, ch.Milestone); err != nil {
				return err
			}
		}
		if err := s.insertWorkflowEvent(ctx, tx, ev); err != nil {
			return err
		}
		if ch.Effect != nil {
			if err := ch.Effect(ctx, WorkflowTx{s, tx}, next); err != nil {
				return err
			}
		}
		out = next
		return nil
	})
	if err != nil {
		return WorkflowItem{}, WorkflowEvent{}, err
	}
	return out, ev, nil
}

// WorkflowEvents returns an item's history, oldest first.
func (s *Store) WorkflowEvents(ctx context.Context, id int64) ([]WorkflowEvent, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, item_id, at, actor, event, transition, from_state, to_state,
		comment, attachment_id FROM workflow_events WHERE item_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: workflow_events: %w", err)
	}
	defer rows.Close()
	var out []WorkflowEvent
	for rows.Next() {
		var ev WorkflowEvent
		var at any
		var att sql.NullInt64
		if err := rows.Scan(&ev.ID, &ev.ItemID, &at, &ev.Actor, &ev.Event, &ev.Transition, &ev.From, &ev.To,
			&ev.Comment, &att); err != nil {
			return nil, fmt.Errorf("store: workflow_events: %w", err)
		}
		if ev.At, err = catalogTime(at); err != nil {
			return nil, fmt.Errorf("store: workflow_events: %w", err)
		}
		ev.AttachmentID = att.Int64
		out = append(out, ev)
	}
	return out, rows.Err()
}

// WorkflowAttachments lists an item's evidence without its content.
func (s *Store) WorkflowAttachments(ctx context.Context, id int64) ([]WorkflowAttachment, error) {
	rows, err := s.read.QueryContext(ctx, `SELECT id, item_id, name, media_type, size, sha256, added_by, added_at
		FROM workflow_attachments WHERE item_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: workflow_attachments: %w", err)
	}
	defer rows.Close()
	var out []WorkflowAttachment
	for rows.Next() {
		var a WorkflowAttachment
		var at any
		if err := rows.Scan(&a.ID, &a.ItemID, &a.Name, &a.MediaType, &a.Size, &a.SHA256, &a.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("store: workflow_attachments: %w", err)
		}
		if a.AddedAt, err = catalogTime(at); err != nil {
			return nil, fmt.Errorf("store: workflow_attachments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// WorkflowAttachmentContent returns one attachment with its content, or an
// error of kind NotFound.
func (s *Store) WorkflowAttachmentContent(ctx context.Context, id int64) (WorkflowAttachment, error) {
	var a WorkflowAttachment
	var at any
	err := s.read.QueryRowContext(ctx, `SELECT id, item_id, name, media_type, size, sha256, content, added_by, added_at
		FROM workflow_attachments WHERE id = $1`, id).Scan(&a.ID, &a.ItemID, &a.Name, &a.MediaType, &a.Size, &a.SHA256,
		&a.Content, &a.AddedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return a, mamori.Errorf(mamori.NotFound, "添付 %d はありません", "no attachment %d", id)
	}
	if err != nil {
		return a, fmt.Errorf("store: workflow_attachments: %w", err)
	}
	a.AddedAt, err = catalogTime(at)
	return a, err
}
