-- +goose Up
-- Self-inspection rounds (issue 14, item 5): a round is a workflow item of
-- kind "self_inspection"; these tables keep what it is about and what it
-- found. inspection_rounds names its scope (a project's stage, or an
-- organization's fiscal year) and the dates its steps were completed,
-- which the assessment's views read beside the register's project_reviews.
-- inspection_answers holds its questionnaire: one row per manual control
-- asked, the inspector's answer with its evidence, and a reviewer's
-- finding. Both are written in the transaction of the workflow change
-- that causes them. One round per project stage and per organization and
-- fiscal year: the unique indexes make the second of two simultaneous
-- openings fail (a NULL never equals another, so each index binds only
-- its kind of round).

CREATE TABLE inspection_rounds (
    item_id BIGINT PRIMARY KEY REFERENCES workflow_items (id),
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    -- A project stage round names both; a fiscal-year round neither.
    project_code TEXT COLLATE "C",
    stage TEXT COLLATE "C" CHECK (stage IS NULL OR stage IN ('planning', 'requirements', 'procurement', 'development', 'operation')),
    fiscal_year INTEGER,
    self_inspected_on DATE,
    pmo_reviewed_on DATE,
    central_reviewed_on DATE,
    CHECK ((project_code IS NOT NULL AND stage IS NOT NULL AND fiscal_year IS NULL)
        OR (project_code IS NULL AND stage IS NULL AND fiscal_year IS NOT NULL))
);
CREATE UNIQUE INDEX inspection_rounds_project ON inspection_rounds (project_code, stage);
CREATE UNIQUE INDEX inspection_rounds_fy ON inspection_rounds (org_code, fiscal_year);

CREATE TABLE inspection_answers (
    item_id BIGINT NOT NULL REFERENCES inspection_rounds (item_id),
    catalog_id TEXT COLLATE "C" NOT NULL CHECK (catalog_id <> ''),
    control_id TEXT COLLATE "C" NOT NULL CHECK (control_id <> ''),
    -- The order questions are asked in, and the question as the catalog
    -- put it when the round was opened.
    position INTEGER NOT NULL,
    title TEXT NOT NULL,
    -- '' while unanswered.
    answer TEXT COLLATE "C" NOT NULL DEFAULT '' CHECK (answer IN ('', 'yes', 'no', 'partial', 'not_applicable')),
    note TEXT NOT NULL DEFAULT '',
    attachment_id BIGINT REFERENCES workflow_attachments (id),
    answered_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    answered_at TIMESTAMPTZ,
    -- A reviewer's finding on the answer; '' for none.
    finding TEXT NOT NULL DEFAULT '',
    finding_by TEXT COLLATE "C" NOT NULL DEFAULT '',
    remediation_id BIGINT REFERENCES workflow_items (id),
    PRIMARY KEY (item_id, catalog_id, control_id)
);

-- +goose Down
DROP TABLE inspection_answers;
DROP TABLE inspection_rounds;
