-- +goose Up
-- The published ISMAP and ISMAP-LIU cloud service lists (issue 15, item 6).
-- Each import of a list file is a snapshot: which list, the date it is as
-- of, who imported it and the SHA-256 of the file, so that a finding can
-- name the list it was checked against. Snapshots are kept: a service on
-- an older snapshot of a list and not on its newest has dropped off it.
-- One snapshot per list and date; a second import of the same date is a
-- conflict rather than a silent replacement.
CREATE TABLE cloud_list_snapshots (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('ismap', 'ismap_liu')),
    as_of TEXT NOT NULL CHECK (length(as_of) = 10),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    imported_by TEXT NOT NULL CHECK (imported_by <> ''),
    imported_at TEXT NOT NULL,
    entry_count INTEGER NOT NULL CHECK (entry_count > 0),
    UNIQUE (kind, as_of)
);

-- The services of a snapshot. number_key and name_key are the matching
-- keys (width, case and spaces folded; see package ismaplist), kept
-- beside what the list printed.
CREATE TABLE cloud_list_entries (
    snapshot_id INTEGER NOT NULL REFERENCES cloud_list_snapshots (id),
    row_num INTEGER NOT NULL,
    registration_number TEXT NOT NULL,
    number_key TEXT NOT NULL CHECK (number_key <> ''),
    service_name TEXT NOT NULL,
    provider TEXT NOT NULL,
    name_key TEXT NOT NULL,
    registered_on TEXT CHECK (registered_on IS NULL OR length(registered_on) = 10),
    valid_until TEXT NOT NULL CHECK (length(valid_until) = 10),
    PRIMARY KEY (snapshot_id, number_key)
);
CREATE INDEX cloud_list_entries_name ON cloud_list_entries (name_key);

-- +goose Down
DROP TABLE cloud_list_entries;
DROP TABLE cloud_list_snapshots;
