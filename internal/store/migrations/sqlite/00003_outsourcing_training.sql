-- +goose Up
-- Whether an organization trained its staff on outsourcing: the audit
-- report's cross-tabulation of contracts missing vendor clauses (OUT-01) at
-- organizations that did and did not (seed 001).
ALTER TABLE organizations ADD COLUMN outsourcing_training INTEGER CHECK (outsourcing_training IN (0, 1));

-- +goose Down
ALTER TABLE organizations DROP COLUMN outsourcing_training;
