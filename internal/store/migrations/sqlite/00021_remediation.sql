-- +goose Up
-- Remediation to closure (issue 14, item 2): an item's milestones, at most
-- one unfinished item per finding, and the days mamori's daily remediation
-- job has run (so a restart or a second server does not notify twice).

-- Milestones: the steps an owner plans towards closing an item, each with
-- a date, ticked when done. Every change is also in the item's history.
CREATE TABLE workflow_milestones (
    id INTEGER PRIMARY KEY,
    item_id INTEGER NOT NULL REFERENCES workflow_items (id),
    title TEXT NOT NULL CHECK (title <> ''),
    due_on TEXT NOT NULL CHECK (length(due_on) = 10),
    done_on TEXT CHECK (done_on IS NULL OR length(done_on) = 10),
    done_by TEXT NOT NULL DEFAULT '',
    added_by TEXT NOT NULL CHECK (added_by <> ''),
    added_at TEXT NOT NULL
);
CREATE INDEX workflow_milestones_item ON workflow_milestones (item_id, id);

-- One remediation item not yet closed per finding (control and target) or
-- per vulnerability on a system (vuln and target): two people opening the
-- same finding at once cannot both succeed.
CREATE UNIQUE INDEX workflow_items_one_per_finding ON workflow_items (
    COALESCE(json_extract(details, '$.control'), ''),
    COALESCE(json_extract(details, '$.vuln'), ''),
    json_extract(details, '$.target'))
    WHERE kind = 'remediation' AND state <> 'closed' AND json_extract(details, '$.target') IS NOT NULL;

-- The daily jobs' runs: one row per job and day (Japan time).
CREATE TABLE daily_runs (
    job TEXT NOT NULL CHECK (job <> ''),
    day TEXT NOT NULL CHECK (length(day) = 10),
    ran_at TEXT NOT NULL,
    PRIMARY KEY (job, day)
);

-- +goose Down
DROP TABLE daily_runs;
DROP INDEX workflow_items_one_per_finding;
DROP TABLE workflow_milestones;
