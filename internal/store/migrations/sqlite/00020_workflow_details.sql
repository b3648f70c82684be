-- +goose Up
-- What a workflow's item records besides its state (issue 14): the fields
-- its definition declares, such as an export request's expiry or the
-- contract a procurement gate concerns, as one JSON object of strings.
-- Package workflow validates them against the definition; the store keeps
-- them as given.
ALTER TABLE workflow_items ADD COLUMN details TEXT NOT NULL DEFAULT '{}';

-- +goose Down
ALTER TABLE workflow_items DROP COLUMN details;
