-- +goose Up
-- The register page sorts systems by these columns at national scale
-- (200,000 systems); without an index each page would sort the whole table.
CREATE INDEX systems_name_idx ON systems (name);
CREATE INDEX systems_status_idx ON systems (status, code);
CREATE INDEX systems_class_idx ON systems (class, code);
CREATE INDEX systems_system_id_idx ON systems (system_id);

-- +goose Down
DROP INDEX systems_system_id_idx;
DROP INDEX systems_class_idx;
DROP INDEX systems_status_idx;
DROP INDEX systems_name_idx;
