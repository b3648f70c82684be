-- +goose Up
-- User catalogs: OSCAL catalog documents imported with `mamori catalog
-- import`, kept whole (source) so they load, and export, exactly as given,
-- and users add catalogs without rebuilding mamori. The embedded catalogs
-- are not stored here.
CREATE TABLE catalogs (
    id TEXT NOT NULL,
    title TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    PRIMARY KEY (id)
) WITHOUT ROWID;

-- control_params are this deployment's parameter overrides (`mamori catalog
-- set`), for embedded and imported catalogs alike, hence no foreign key to
-- catalogs.
CREATE TABLE control_params (
    catalog_id TEXT NOT NULL,
    control_id TEXT NOT NULL,
    param_id TEXT NOT NULL,
    value TEXT NOT NULL,
    PRIMARY KEY (catalog_id, control_id, param_id)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE control_params;
DROP TABLE catalogs;
