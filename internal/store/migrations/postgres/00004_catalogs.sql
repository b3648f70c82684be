-- +goose Up
-- User catalogs: OSCAL catalog documents imported with `mamori catalog
-- import`, kept whole (source) so they load, and export, exactly as given,
-- and users add catalogs without rebuilding mamori. The embedded catalogs
-- are not stored here.
CREATE TABLE catalogs (
    id TEXT COLLATE "C" NOT NULL,
    title TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    imported_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (id)
);

-- control_params are this deployment's parameter overrides (`mamori catalog
-- set`), for embedded and imported catalogs alike, hence no foreign key to
-- catalogs.
CREATE TABLE control_params (
    catalog_id TEXT COLLATE "C" NOT NULL,
    control_id TEXT COLLATE "C" NOT NULL,
    param_id TEXT COLLATE "C" NOT NULL,
    value TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (catalog_id, control_id, param_id)
);

-- +goose Down
DROP TABLE control_params;
DROP TABLE catalogs;
