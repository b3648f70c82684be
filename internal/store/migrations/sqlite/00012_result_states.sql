-- +goose Up
-- Absence of evidence is not compliance: a check now answers conforms,
-- fails, not applicable, 未確認 (unknown: the evidence it needs is missing)
-- or error, and every one is counted and listed.
ALTER TABLE results ADD COLUMN unknown INTEGER NOT NULL DEFAULT 0;

-- A finding is any target that does not conform: a failure, an unknown or
-- an error, so the list behind every number exists. criteria names the
-- criteria that decided it (space-separated keys); amount is the control's
-- measure (yen, or a count) for the report's sums.
ALTER TABLE findings ADD COLUMN result TEXT NOT NULL DEFAULT 'fail' CHECK (result IN ('fail', 'unknown', 'error'));
ALTER TABLE findings ADD COLUMN criteria TEXT NOT NULL DEFAULT '';
ALTER TABLE findings ADD COLUMN amount INTEGER;

-- The fiscal years an assessment covered (space-separated), for the
-- organization-year controls.
ALTER TABLE assessments ADD COLUMN fiscal_years TEXT NOT NULL DEFAULT '';

-- result_orgs counts one control's outcomes per organization, fiscal year
-- (organization-year controls; 0 otherwise) and segment (systems with and
-- without a SystemID), so the report states populations, denominators and
-- cross-tabulations exactly for any scope, instead of apportioning totals.
CREATE TABLE result_orgs (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    control_id TEXT NOT NULL,
    org_code TEXT NOT NULL,
    fiscal_year INTEGER NOT NULL,
    segment TEXT NOT NULL,
    pass INTEGER NOT NULL,
    fail INTEGER NOT NULL,
    not_applicable INTEGER NOT NULL,
    unknown INTEGER NOT NULL,
    error INTEGER NOT NULL,
    PRIMARY KEY (assessment_id, control_id, org_code, fiscal_year, segment)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE result_orgs;
ALTER TABLE assessments DROP COLUMN fiscal_years;
ALTER TABLE findings DROP COLUMN amount;
ALTER TABLE findings DROP COLUMN criteria;
ALTER TABLE findings DROP COLUMN result;
ALTER TABLE results DROP COLUMN unknown;
