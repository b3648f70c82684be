-- +goose Up
-- A match answers to every identifier of its vulnerability: a GO- record
-- that carries two CVEs is one match named by the first, and a search,
-- a KEV entry or a countermeasure under the second must still find it.
ALTER TABLE vuln_matches ADD COLUMN aliases TEXT;

-- +goose Down
ALTER TABLE vuln_matches DROP COLUMN aliases;
