-- +goose Up
-- A full match run records what it matched: a digest of the inventory, the
-- feed imports and the matcher. A run that finds the same digest knows its
-- answer already and only marks the open matches as seen again.
ALTER TABLE match_runs ADD COLUMN fingerprint TEXT;

-- +goose Down
ALTER TABLE match_runs DROP COLUMN fingerprint;
