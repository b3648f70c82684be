package store

// Remediation to closure (migration 21): the milestones of a workflow
// item, the one finding an item is about, and the days a daily job has
// run. Package workflow decides who may change what; the store writes a
// milestone in the same transaction as the history event that records it.

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"mamori"
)

// WorkflowMilestone is one planned step of an item.
type WorkflowMilestone struct {
	ID      int64
	ItemID  int64
	Title   string
	DueOn   string // YYYY-MM-DD
	DoneOn  string // YYYY-MM-DD; "" while not done
	DoneBy  string
	AddedBy string
	AddedAt time.Time
}

// MilestoneChange is a milestone added to an item (Add) or one of its
// milestones ticked done (Done, its id, on DoneOn by DoneBy) or unticked
// (Done with DoneOn "").
type MilestoneChange struct {
	Add    *WorkflowMilestone
	Done   int64
	DoneOn string
	DoneBy string
}

// applyMilestone writes ch for item id inside tx.
func (s *Store) applyMilestone(ctx context.Context, tx *sql.Tx, id int64, ch *MilestoneChange) error {
	if a := ch.Add; a != nil {
		_, err := tx.ExecContext(ctx, `INSERT INTO workflow_milestones (item_id, title, due_on, added_by, added_at)
			VALUES ($1, $2, $3, $4, $5)`, id, a.Title, a.DueOn, a.AddedBy, s.catalogTS(a.AddedAt))
		return translate(err, "insert workflow_milestones")
	}
	res, err := tx.ExecContext(ctx, `UPDATE workflow_milestones SET done_on = $1, done_by = $2 WHERE id = $3 AND item_id = $4`,
		workflowDue(ch.DoneOn), ch.DoneBy, ch.Done, id)
	if err != nil {
		return translate(err, "update workflow_milestones")
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("store: workflow_milestones: %w", err)
	} else if n != 1 {
		return mamori.Errorf(mamori.NotFound, "案件 %d にマイルストーン %d はありません", "workflow item %d has no milestone %d", id, ch.Done)
	}
	return nil
}

// WorkflowMilestones returns the milestones of the given items, by item
// and then in the order they were added.
func (s *Store) WorkflowMilestones(ctx context.Context, ids ...int64) (map[int64][]WorkflowMilestone, error) {
	out := map[int64][]WorkflowMilestone{}
	if len(ids) == 0 {
		return out, nil
	}
	args := make([]any, len(ids))
	ph := ""
	for i, id := range ids {
		args[i] = id
		if i > 0 {
			ph += ", "
		}
		ph += fmt.Sprintf("$%d", i+1)
	}
	rows, err := s.read.QueryContext(ctx, `SELECT id, item_id, title, CAST(due_on AS TEXT), CAST(done_on AS TEXT), done_by,
		added_by, added_at FROM workflow_milestones WHERE item_id IN (`+ph+`) ORDER BY item_id, id`, args...)
	if err != nil {
		return nil, fmt.Errorf("store: workflow_milestones: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var m WorkflowMilestone
		var done sql.NullString
		var at any
		if err := rows.Scan(&m.ID, &m.ItemID, &m.Title, &m.DueOn, &done, &m.DoneBy, &m.AddedBy, &at); err != nil {
			return nil, fmt.Errorf("store: workflow_milestones: %w", err)
		}
		m.DoneOn = done.String
		if m.AddedAt, err = catalogTime(at); err != nil {
			return nil, fmt.Errorf("store: workflow_milestones: %w", err)
		}
		out[m.ItemID] = append(out[m.ItemID], m)
	}
	return out, rows.Err()
}

// Finding returns the finding of control on target, or an error of kind
// NotFound.
func (s *Store) Finding(ctx context.Context, control, target string) (Finding, error) {
	var out []Finding
	err := s.each(ctx, `SELECT `+findingCols+` FROM findings WHERE control_id = $1 AND target_code = $2`,
		[]any{control, target}, func(r []any) { out = append(out, findingOf(r)) })
	if err != nil {
		return Finding{}, fmt.Errorf("store: findings: %w", err)
	}
	if len(out) == 0 {
		return Finding{}, mamori.Errorf(mamori.NotFound, "管理策 %s・対象 %s の所見はありません",
			"no finding of control %s on target %s", control, target)
	}
	return out[0], nil
}

// ClaimDailyRun records that job runs for day (YYYY-MM-DD) and reports
// whether this call was the first to do so: a job that runs once a day
// runs once, however many servers or restarts ask.
func (s *Store) ClaimDailyRun(ctx context.Context, job, day string, at time.Time) (bool, error) {
	res, err := s.write.ExecContext(ctx, `INSERT INTO daily_runs (job, day, ran_at) VALUES ($1, $2, $3)
		ON CONFLICT (job, day) DO NOTHING`, job, day, s.catalogTS(at))
	if err != nil {
		return false, translate(err, "insert daily_runs")
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("store: daily_runs: %w", err)
	}
	return n == 1, nil
}
