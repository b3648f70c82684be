-- +goose Up
-- An assessment is one run of `mamori check`: when, against what reference
-- date, with which catalog versions, parameters and scope.
CREATE TABLE assessments (
    id TEXT COLLATE "C" NOT NULL,
    started_at TIMESTAMPTZ NOT NULL,
    finished_at TIMESTAMPTZ NOT NULL,
    reference_date DATE NOT NULL,
    catalogs TEXT COLLATE "C" NOT NULL,
    params TEXT COLLATE "C" NOT NULL,
    scope TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (id)
);

-- results summarises one assessment per control.
CREATE TABLE results (
    assessment_id TEXT COLLATE "C" NOT NULL REFERENCES assessments (id),
    control_id TEXT COLLATE "C" NOT NULL,
    pass BIGINT NOT NULL,
    fail BIGINT NOT NULL,
    not_applicable BIGINT NOT NULL,
    error BIGINT NOT NULL,
    PRIMARY KEY (assessment_id, control_id)
);

-- findings are keyed by (control, target) across assessments, so a re-run
-- keeps the first-seen date (ageing), resolves and reopens.
CREATE TABLE findings (
    control_id TEXT COLLATE "C" NOT NULL,
    target_code TEXT COLLATE "C" NOT NULL,
    target_type TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL,
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('open', 'resolved')),
    severity TEXT COLLATE "C" NOT NULL CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    first_seen DATE NOT NULL,
    last_seen DATE NOT NULL,
    resolved_on DATE,
    evidence TEXT COLLATE "C" NOT NULL,
    assessment_id TEXT COLLATE "C" NOT NULL REFERENCES assessments (id),
    PRIMARY KEY (control_id, target_code)
);
CREATE INDEX findings_org_code_idx ON findings (org_code);
CREATE INDEX findings_target_code_idx ON findings (target_code);

-- +goose Down
DROP TABLE findings;
DROP TABLE results;
DROP TABLE assessments;
