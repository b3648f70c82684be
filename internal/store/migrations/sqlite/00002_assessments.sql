-- +goose Up
-- An assessment is one run of `mamori check`: when, against what reference
-- date, with which catalog versions, parameters and scope.
CREATE TABLE assessments (
    id TEXT NOT NULL,
    started_at TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    reference_date TEXT NOT NULL,
    catalogs TEXT NOT NULL,
    params TEXT NOT NULL,
    scope TEXT NOT NULL,
    PRIMARY KEY (id)
) WITHOUT ROWID;

-- results summarises one assessment per control.
CREATE TABLE results (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    control_id TEXT NOT NULL,
    pass INTEGER NOT NULL,
    fail INTEGER NOT NULL,
    not_applicable INTEGER NOT NULL,
    error INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, control_id)
) WITHOUT ROWID;

-- findings are keyed by (control, target) across assessments, so a re-run
-- keeps the first-seen date (ageing), resolves and reopens.
CREATE TABLE findings (
    control_id TEXT NOT NULL,
    target_code TEXT NOT NULL,
    target_type TEXT NOT NULL,
    org_code TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    severity TEXT NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    resolved_on TEXT,
    evidence TEXT NOT NULL,
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    PRIMARY KEY (control_id, target_code)
) WITHOUT ROWID;
CREATE INDEX findings_org_code_idx ON findings (org_code);
CREATE INDEX findings_target_code_idx ON findings (target_code);

-- +goose Down
DROP TABLE findings;
DROP TABLE results;
DROP TABLE assessments;
