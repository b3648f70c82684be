-- +goose Up
-- Governance and money (issue 15, seed 000): what a project plan covers as
-- data, surveys and their follow-up, the records behind an investment
-- decision, the use of what was built month by month, and the money
-- between them (a budget item funding a contract, a contract's share paid
-- for one system, multi-year obligations, carried-over budgets). The
-- secure zone was paid ¥1.887 billion under no plan item, on a survey
-- never followed up, and never used: each of those is now a row a check
-- reads rather than a yes/no someone typed.

-- The items of a project's プロジェクト計画書: the initiatives, functions
-- and budget lines it covers. covers_project_code names the initiative an
-- item covers when it is run as a project of its own.
CREATE TABLE plan_items (
    code TEXT NOT NULL,
    project_code TEXT NOT NULL REFERENCES projects (code),
    kind TEXT NOT NULL CHECK (kind IN ('initiative', 'function', 'budget_line')),
    title TEXT NOT NULL,
    covers_project_code TEXT REFERENCES projects (code),
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX plan_items_project_code_idx ON plan_items (project_code);
CREATE INDEX plan_items_covers_project_code_idx ON plan_items (covers_project_code);

-- A survey an organization sent (a 利用希望調査), for a project.
CREATE TABLE surveys (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    project_code TEXT REFERENCES projects (code),
    title TEXT NOT NULL,
    questions TEXT,
    sent_on TEXT NOT NULL,
    due_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX surveys_org_code_idx ON surveys (org_code);
CREATE INDEX surveys_project_code_idx ON surveys (project_code);

-- The documents behind an investment decision, dated.
CREATE TABLE investment_records (
    project_code TEXT NOT NULL REFERENCES projects (code),
    kind TEXT NOT NULL CHECK (kind IN ('demand_survey', 'usage_estimate', 'cost_effectiveness')),
    recorded_on TEXT NOT NULL,
    title TEXT NOT NULL,
    document TEXT,
    estimated_users INTEGER,
    PRIMARY KEY (project_code, kind, recorded_on)
) WITHOUT ROWID;

-- Use of a built capability (a system) for its purpose, per month.
CREATE TABLE capability_usage (
    system_code TEXT NOT NULL REFERENCES systems (code),
    month TEXT NOT NULL,
    orgs_for_purpose INTEGER,
    systems_for_purpose INTEGER,
    other_use TEXT,
    PRIMARY KEY (system_code, month)
) WITHOUT ROWID;

-- Which budget item funds which contract, and how much of it.
CREATE TABLE budget_contracts (
    budget_code TEXT NOT NULL REFERENCES budget_items (code),
    contract_code TEXT NOT NULL REFERENCES contracts (code),
    amount INTEGER,
    PRIMARY KEY (budget_code, contract_code)
) WITHOUT ROWID;
CREATE INDEX budget_contracts_contract_code_idx ON budget_contracts (contract_code);

ALTER TABLE contracts ADD COLUMN plan_item_code TEXT REFERENCES plan_items (code);
ALTER TABLE contracts ADD COLUMN obligation_years INTEGER;
ALTER TABLE contracts ADD COLUMN obligation_ceiling INTEGER;
CREATE INDEX contracts_plan_item_code_idx ON contracts (plan_item_code);
ALTER TABLE contract_amounts ADD COLUMN paid_through TEXT;
ALTER TABLE contract_systems ADD COLUMN share_amount INTEGER;
ALTER TABLE contract_systems ADD COLUMN share_paid INTEGER;
ALTER TABLE contract_systems ADD COLUMN share_paid_through TEXT;
ALTER TABLE budget_items ADD COLUMN plan_item_code TEXT REFERENCES plan_items (code);
ALTER TABLE budget_items ADD COLUMN carried_to_fy INTEGER;
ALTER TABLE budget_items ADD COLUMN carried_amount INTEGER;
CREATE INDEX budget_items_plan_item_code_idx ON budget_items (plan_item_code);
ALTER TABLE survey_answers ADD COLUMN survey_code TEXT REFERENCES surveys (code);
ALTER TABLE survey_answers ADD COLUMN wishes_to_use INTEGER CHECK (wishes_to_use IN (0, 1));
ALTER TABLE survey_answers ADD COLUMN conditions TEXT;
ALTER TABLE survey_answers ADD COLUMN condition_followed_up_on TEXT;
CREATE INDEX survey_answers_survey_code_idx ON survey_answers (survey_code);

-- +goose Down
DROP INDEX survey_answers_survey_code_idx;
ALTER TABLE survey_answers DROP COLUMN condition_followed_up_on;
ALTER TABLE survey_answers DROP COLUMN conditions;
ALTER TABLE survey_answers DROP COLUMN wishes_to_use;
ALTER TABLE survey_answers DROP COLUMN survey_code;
DROP INDEX budget_items_plan_item_code_idx;
ALTER TABLE budget_items DROP COLUMN carried_amount;
ALTER TABLE budget_items DROP COLUMN carried_to_fy;
ALTER TABLE budget_items DROP COLUMN plan_item_code;
ALTER TABLE contract_systems DROP COLUMN share_paid_through;
ALTER TABLE contract_systems DROP COLUMN share_paid;
ALTER TABLE contract_systems DROP COLUMN share_amount;
ALTER TABLE contract_amounts DROP COLUMN paid_through;
DROP INDEX contracts_plan_item_code_idx;
ALTER TABLE contracts DROP COLUMN obligation_ceiling;
ALTER TABLE contracts DROP COLUMN obligation_years;
ALTER TABLE contracts DROP COLUMN plan_item_code;
DROP TABLE budget_contracts;
DROP TABLE capability_usage;
DROP TABLE investment_records;
DROP TABLE surveys;
DROP TABLE plan_items;
