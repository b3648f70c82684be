-- +goose Up
-- Vulnerability management: installed software from SBOMs per component, the
-- advisories of every feed normalised into match criteria (so matching never
-- re-parses a feed), KEV and EPSS, matches with their ageing, and the
-- countermeasures a system records for them.

CREATE TABLE component_software (
    component_code TEXT COLLATE "C" NOT NULL REFERENCES components (code),
    vendor TEXT COLLATE "C" NOT NULL DEFAULT '',
    product TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL DEFAULT '',
    cpe TEXT COLLATE "C",
    purl TEXT COLLATE "C",
    source TEXT COLLATE "C",
    PRIMARY KEY (component_code, vendor, product, version)
);

CREATE TABLE advisories (
    id TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    published DATE,
    modified DATE,
    withdrawn DATE,
    title TEXT COLLATE "C",
    description TEXT COLLATE "C",
    aliases TEXT COLLATE "C",
    cvss3_score BIGINT,
    cvss3_vector TEXT COLLATE "C",
    cvss4_score BIGINT,
    cvss4_vector TEXT COLLATE "C",
    severity TEXT COLLATE "C",
    cwes TEXT COLLATE "C",
    refs TEXT COLLATE "C",
    feed BIGINT,
    PRIMARY KEY (id, source)
);

CREATE TABLE advisory_aliases (
    alias TEXT COLLATE "C" NOT NULL,
    id TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    PRIMARY KEY (alias, id, source)
);

CREATE TABLE cpe_criteria (
    id TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    config BIGINT NOT NULL,
    node BIGINT NOT NULL,
    seq BIGINT NOT NULL,
    config_operator TEXT COLLATE "C",
    config_negate BOOLEAN NOT NULL,
    node_operator TEXT COLLATE "C",
    node_negate BOOLEAN NOT NULL,
    vulnerable BOOLEAN NOT NULL,
    criteria TEXT COLLATE "C" NOT NULL,
    cpe_key TEXT COLLATE "C" NOT NULL,
    start_including TEXT COLLATE "C",
    start_excluding TEXT COLLATE "C",
    end_including TEXT COLLATE "C",
    end_excluding TEXT COLLATE "C",
    PRIMARY KEY (id, source, config, node, seq)
);

CREATE TABLE affected_packages (
    id TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    ecosystem TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    purl TEXT COLLATE "C",
    ranges TEXT COLLATE "C",
    versions TEXT COLLATE "C",
    PRIMARY KEY (id, source, seq)
);

CREATE TABLE affected_products (
    id TEXT COLLATE "C" NOT NULL,
    source TEXT COLLATE "C" NOT NULL,
    seq BIGINT NOT NULL,
    cpe TEXT COLLATE "C" NOT NULL,
    cpe_key TEXT COLLATE "C" NOT NULL,
    vendor TEXT COLLATE "C",
    product TEXT COLLATE "C",
    version_text TEXT COLLATE "C",
    PRIMARY KEY (id, source, seq)
);

CREATE TABLE kev_entries (
    cve TEXT COLLATE "C" NOT NULL,
    vendor_project TEXT COLLATE "C",
    product TEXT COLLATE "C",
    name TEXT COLLATE "C",
    date_added DATE NOT NULL,
    due_date DATE,
    required_action TEXT COLLATE "C",
    ransomware TEXT COLLATE "C",
    notes TEXT COLLATE "C",
    cwes TEXT COLLATE "C",
    PRIMARY KEY (cve)
);

CREATE TABLE epss_scores (
    cve TEXT COLLATE "C" NOT NULL,
    score BIGINT NOT NULL,
    percentile BIGINT NOT NULL,
    model TEXT COLLATE "C",
    score_date DATE,
    PRIMARY KEY (cve)
);

CREATE TABLE feed_imports (
    seq BIGINT NOT NULL,
    kind TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    format TEXT COLLATE "C",
    records BIGINT NOT NULL,
    sha256 TEXT COLLATE "C",
    imported_at TEXT COLLATE "C" NOT NULL,
    feed_date DATE,
    PRIMARY KEY (seq)
);

CREATE TABLE vuln_matches (
    owner_kind TEXT COLLATE "C" NOT NULL,
    owner_code TEXT COLLATE "C" NOT NULL,
    vuln_id TEXT COLLATE "C" NOT NULL,
    software TEXT COLLATE "C" NOT NULL,
    path TEXT COLLATE "C" NOT NULL,
    confidence BIGINT NOT NULL,
    advisories TEXT COLLATE "C",
    detail TEXT COLLATE "C",
    first_seen DATE NOT NULL,
    last_seen DATE NOT NULL,
    closed_on DATE,
    PRIMARY KEY (owner_kind, owner_code, vuln_id)
);

CREATE TABLE match_runs (
    seq BIGINT NOT NULL,
    ran_at TEXT COLLATE "C" NOT NULL,
    ran_on DATE NOT NULL,
    scope TEXT COLLATE "C" NOT NULL DEFAULT '',
    items BIGINT NOT NULL,
    matches BIGINT NOT NULL,
    opened BIGINT NOT NULL,
    closed BIGINT NOT NULL,
    PRIMARY KEY (seq)
);

CREATE TABLE countermeasures (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    vuln_id TEXT COLLATE "C" NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('patched', 'mitigated', 'planned', 'accepted')),
    note TEXT COLLATE "C",
    due_on DATE,
    approver TEXT COLLATE "C",
    recorded_on DATE NOT NULL,
    PRIMARY KEY (system_code, vuln_id)
);

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
