package store

// Reads for the OSCAL exports (package oscalout): one assessment, and the
// findings of an organization subtree or of one system.

import (
	"context"
	"fmt"

	"mamori"
)

// AssessmentForExport returns the assessment with the given ID, or the
// latest one when id is empty. No assessment is an error of kind NotFound.
func (s *Store) AssessmentForExport(ctx context.Context, id string) (Assessment, error) {
	// IDs begin with their start time (check.newID), so the greatest is the latest.
	q := `SELECT id, started_at, finished_at, reference_date, catalogs, params, scope FROM assessments
		WHERE ($1 = '' OR id = $1) ORDER BY id DESC LIMIT 1`
	rows, err := s.read.QueryContext(ctx, q, id)
	if err != nil {
		return Assessment{}, fmt.Errorf("store: assessments: %w", err)
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return Assessment{}, fmt.Errorf("store: assessments: %w", err)
		}
		if id == "" {
			return Assessment{}, mamori.Errorf(mamori.NotFound, "検査の記録がありません（先に mamori check を実行してください）",
				"no assessment recorded (run mamori check first)")
		}
		return Assessment{}, mamori.Errorf(mamori.NotFound, "検査「%s」はありません", "no assessment %q", id)
	}
	var a Assessment
	var started, finished, day any
	if err := rows.Scan(&a.ID, &started, &finished, &day, &a.Catalogs, &a.Params, &a.Scope); err != nil {
		return Assessment{}, fmt.Errorf("store: assessments: %w", err)
	}
	if a.StartedAt, err = catalogTime(started); err != nil {
		return Assessment{}, fmt.Errorf("store: assessments: %w", err)
	}
	if a.FinishedAt, err = catalogTime(finished); err != nil {
		return Assessment{}, fmt.Errorf("store: assessments: %w", err)
	}
	a.ReferenceDate = str(dateString(day))
	return a, rows.Err()
}

// ExportFilter selects findings for an export.
type ExportFilter struct {
	AssessmentID string // only findings last written by this assessment
	OpenOnly     bool
	Org          string // this organization and its descendants (organizations.parent_code)
	System       string // this system and its components
}

// ExportFindings returns the findings matching f, by control and target. A
// named organization or system that does not exist is an error of kind
// NotFound rather than an empty export.
func (s *Store) ExportFindings(ctx context.Context, f ExportFilter) ([]Finding, error) {
	if f.Org != "" {
		if _, err := s.Get(ctx, mamori.EntityByName("organizations"), f.Org); err != nil {
			return nil, err
		}
	}
	if f.System != "" {
		if _, err := s.Get(ctx, mamori.EntityByName("systems"), f.System); err != nil {
			return nil, err
		}
	}
	status := ""
	if f.OpenOnly {
		status = "open"
	}
	// The subtree is walked in SQL, so an export of a prefecture reads
	// only its findings.
	q := `WITH RECURSIVE sub(code) AS (
			SELECT code FROM organizations WHERE code = $3
			UNION SELECT o.code FROM organizations o JOIN sub ON o.parent_code = sub.code)
		SELECT ` + findingCols + `
		FROM findings f
		WHERE ($1 = '' OR f.assessment_id = $1) AND ($2 = '' OR f.status = $2)
		AND ($3 = '' OR f.org_code IN (SELECT code FROM sub))
		AND ($4 = '' OR (f.target_type = 'system' AND f.target_code = $4)
			OR (f.target_type = 'component' AND f.target_code IN (SELECT code FROM components WHERE system_code = $4)))
		ORDER BY control_id, target_code`
	var out []Finding
	err := s.each(ctx, q, []any{f.AssessmentID, status, f.Org, f.System}, func(r []any) { out = append(out, findingOf(r)) })
	if err != nil {
		return nil, fmt.Errorf("store: findings: %w", err)
	}
	return out, nil
}
