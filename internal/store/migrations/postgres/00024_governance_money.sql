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
    code TEXT COLLATE "C" NOT NULL,
    project_code TEXT COLLATE "C" NOT NULL REFERENCES projects (code),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('initiative', 'function', 'budget_line')),
    title TEXT COLLATE "C" NOT NULL,
    covers_project_code TEXT COLLATE "C" REFERENCES projects (code),
    PRIMARY KEY (code)
);
CREATE INDEX plan_items_project_code_idx ON plan_items (project_code);
CREATE INDEX plan_items_covers_project_code_idx ON plan_items (covers_project_code);

-- A survey an organization sent (a 利用希望調査), for a project.
CREATE TABLE surveys (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    project_code TEXT COLLATE "C" REFERENCES projects (code),
    title TEXT COLLATE "C" NOT NULL,
    questions TEXT COLLATE "C",
    sent_on DATE NOT NULL,
    due_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX surveys_org_code_idx ON surveys (org_code);
CREATE INDEX surveys_project_code_idx ON surveys (project_code);

-- The documents behind an investment decision, dated.
CREATE TABLE investment_records (
    project_code TEXT COLLATE "C" NOT NULL REFERENCES projects (code),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('demand_survey', 'usage_estimate', 'cost_effectiveness')),
    recorded_on DATE NOT NULL,
    title TEXT COLLATE "C" NOT NULL,
    document TEXT COLLATE "C",
    estimated_users BIGINT,
    PRIMARY KEY (project_code, kind, recorded_on)
);

-- Use of a built capability (a system) for its purpose, per month.
CREATE TABLE capability_usage (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    month DATE NOT NULL,
    orgs_for_purpose BIGINT,
    systems_for_purpose BIGINT,
    other_use TEXT COLLATE "C",
    PRIMARY KEY (system_code, month)
);

-- Which budget item funds which contract, and how much of it.
CREATE TABLE budget_contracts (
    budget_code TEXT COLLATE "C" NOT NULL REFERENCES budget_items (code),
    contract_code TEXT COLLATE "C" NOT NULL REFERENCES contracts (code),
    amount BIGINT,
    PRIMARY KEY (budget_code, contract_code)
);
CREATE INDEX budget_contracts_contract_code_idx ON budget_contracts (contract_code);

ALTER TABLE contracts ADD COLUMN plan_item_code TEXT COLLATE "C" REFERENCES plan_items (code);
ALTER TABLE contracts ADD COLUMN obligation_years BIGINT;
ALTER TABLE contracts ADD COLUMN obligation_ceiling BIGINT;
CREATE INDEX contracts_plan_item_code_idx ON contracts (plan_item_code);
ALTER TABLE contract_amounts ADD COLUMN paid_through DATE;
ALTER TABLE contract_systems ADD COLUMN share_amount BIGINT;
ALTER TABLE contract_systems ADD COLUMN share_paid BIGINT;
ALTER TABLE contract_systems ADD COLUMN share_paid_through DATE;
ALTER TABLE budget_items ADD COLUMN plan_item_code TEXT COLLATE "C" REFERENCES plan_items (code);
ALTER TABLE budget_items ADD COLUMN carried_to_fy INTEGER;
ALTER TABLE budget_items ADD COLUMN carried_amount BIGINT;
CREATE INDEX budget_items_plan_item_code_idx ON budget_items (plan_item_code);
ALTER TABLE survey_answers ADD COLUMN survey_code TEXT COLLATE "C" REFERENCES surveys (code);
ALTER TABLE survey_answers ADD COLUMN wishes_to_use BOOLEAN;
ALTER TABLE survey_answers ADD COLUMN conditions TEXT COLLATE "C";
ALTER TABLE survey_answers ADD COLUMN condition_followed_up_on DATE;
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
