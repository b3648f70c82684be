-- +goose Up
-- Vulnerability management: installed software from SBOMs per component, the
-- advisories of every feed normalised into match criteria (so matching never
-- re-parses a feed), KEV and EPSS, matches with their ageing, and the
-- countermeasures a system records for them.

CREATE TABLE component_software (
    component_code TEXT NOT NULL REFERENCES components (code),
    vendor TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    cpe TEXT,
    purl TEXT,
    source TEXT,
    PRIMARY KEY (component_code, vendor, product, version)
) WITHOUT ROWID;

CREATE TABLE advisories (
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    published TEXT,
    modified TEXT,
    withdrawn TEXT,
    title TEXT,
    description TEXT,
    aliases TEXT,
    cvss3_score INTEGER,
    cvss3_vector TEXT,
    cvss4_score INTEGER,
    cvss4_vector TEXT,
    severity TEXT,
    cwes TEXT,
    refs TEXT,
    feed INTEGER,
    PRIMARY KEY (id, source)
) WITHOUT ROWID;

CREATE TABLE advisory_aliases (
    alias TEXT NOT NULL,
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    PRIMARY KEY (alias, id, source)
) WITHOUT ROWID;

CREATE TABLE cpe_criteria (
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    config INTEGER NOT NULL,
    node INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    config_operator TEXT,
    config_negate INTEGER NOT NULL CHECK (config_negate IN (0, 1)),
    node_operator TEXT,
    node_negate INTEGER NOT NULL CHECK (node_negate IN (0, 1)),
    vulnerable INTEGER NOT NULL CHECK (vulnerable IN (0, 1)),
    criteria TEXT NOT NULL,
    cpe_key TEXT NOT NULL,
    start_including TEXT,
    start_excluding TEXT,
    end_including TEXT,
    end_excluding TEXT,
    PRIMARY KEY (id, source, config, node, seq)
) WITHOUT ROWID;

CREATE TABLE affected_packages (
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    seq INTEGER NOT NULL,
    ecosystem TEXT NOT NULL,
    name TEXT NOT NULL,
    purl TEXT,
    ranges TEXT,
    versions TEXT,
    PRIMARY KEY (id, source, seq)
) WITHOUT ROWID;

CREATE TABLE affected_products (
    id TEXT NOT NULL,
    source TEXT NOT NULL,
    seq INTEGER NOT NULL,
    cpe TEXT NOT NULL,
    cpe_key TEXT NOT NULL,
    vendor TEXT,
    product TEXT,
    version_text TEXT,
    PRIMARY KEY (id, source, seq)
) WITHOUT ROWID;

CREATE TABLE kev_entries (
    cve TEXT NOT NULL,
    vendor_project TEXT,
    product TEXT,
    name TEXT,
    date_added TEXT NOT NULL,
    due_date TEXT,
    required_action TEXT,
    ransomware TEXT,
    notes TEXT,
    cwes TEXT,
    PRIMARY KEY (cve)
) WITHOUT ROWID;

CREATE TABLE epss_scores (
    cve TEXT NOT NULL,
    score INTEGER NOT NULL,
    percentile INTEGER NOT NULL,
    model TEXT,
    score_date TEXT,
    PRIMARY KEY (cve)
) WITHOUT ROWID;

CREATE TABLE feed_imports (
    seq INTEGER NOT NULL,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    format TEXT,
    records INTEGER NOT NULL,
    sha256 TEXT,
    imported_at TEXT NOT NULL,
    feed_date TEXT,
    PRIMARY KEY (seq)
) WITHOUT ROWID;

CREATE TABLE vuln_matches (
    owner_kind TEXT NOT NULL,
    owner_code TEXT NOT NULL,
    vuln_id TEXT NOT NULL,
    software TEXT NOT NULL,
    path TEXT NOT NULL,
    confidence INTEGER NOT NULL,
    advisories TEXT,
    detail TEXT,
    first_seen TEXT NOT NULL,
    last_seen TEXT NOT NULL,
    closed_on TEXT,
    PRIMARY KEY (owner_kind, owner_code, vuln_id)
) WITHOUT ROWID;

CREATE TABLE match_runs (
    seq INTEGER NOT NULL,
    ran_at TEXT NOT NULL,
    ran_on TEXT NOT NULL,
    scope TEXT NOT NULL DEFAULT '',
    items INTEGER NOT NULL,
    matches INTEGER NOT NULL,
    opened INTEGER NOT NULL,
    closed INTEGER NOT NULL,
    PRIMARY KEY (seq)
) WITHOUT ROWID;

CREATE TABLE countermeasures (
    system_code TEXT NOT NULL REFERENCES systems (code),
    vuln_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('patched', 'mitigated', 'planned', 'accepted')),
    note TEXT,
    due_on TEXT,
    approver TEXT,
    recorded_on TEXT NOT NULL,
    PRIMARY KEY (system_code, vuln_id)
) WITHOUT ROWID;

CREATE INDEX cpe_criteria_key ON cpe_criteria (cpe_key);
CREATE INDEX affected_packages_name ON affected_packages (ecosystem, name);
CREATE INDEX affected_products_key ON affected_products (cpe_key);
CREATE INDEX advisory_aliases_id ON advisory_aliases (id);
CREATE INDEX vuln_matches_vuln ON vuln_matches (vuln_id);
CREATE INDEX countermeasures_vuln ON countermeasures (vuln_id);

-- +goose Down
DROP TABLE countermeasures;
DROP TABLE match_runs;
DROP TABLE vuln_matches;
DROP TABLE feed_imports;
DROP TABLE epss_scores;
DROP TABLE kev_entries;
DROP TABLE affected_products;
DROP TABLE affected_packages;
DROP TABLE cpe_criteria;
DROP TABLE advisory_aliases;
DROP TABLE advisories;
DROP TABLE component_software;
