-- +goose Up
-- The incident register (DESIGN C7, seeds 002 and 004): incident classes
-- become reference data a deployment may replace (seeded with the codes
-- incidents.category always used, so old files still import); an incident
-- gets a full timeline (occurred, detected, reported, contained, recovered,
-- closed; optional times), whom it was reported to, cause and measures, and
-- the systems and organizations it affected. responded_on becomes
-- contained_on (対処 was the containment step). A body may declare a
-- fiscal year without incidents (GOV-05), and its CSIRT, CSIRT members and
-- emergency drills are records (LG-14, LG-15) rather than yes/no answers.
CREATE TABLE incident_classes (
    code TEXT NOT NULL,
    name TEXT NOT NULL,
    name_en TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
INSERT INTO incident_classes (code, name, name_en) VALUES
    ('unauthorized_access', '不正アクセス', 'Unauthorized access'),
    ('malware', 'マルウェア感染', 'Malware infection'),
    ('targeted', '標的型攻撃', 'Targeted attack'),
    ('leak', '情報漏えい', 'Information leak'),
    ('dos', 'サービス妨害', 'Denial of service'),
    ('loss', '機器紛失・盗難', 'Loss or theft of equipment'),
    ('misdelivery', '誤送信・誤操作', 'Misdelivery or misoperation'),
    ('failure', 'システム障害', 'System failure'),
    ('other', 'その他', 'Other')
ON CONFLICT (code) DO NOTHING;

-- SQLite cannot drop the old CHECK on category: the table is rebuilt.
CREATE TABLE incidents_new (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    system_code TEXT REFERENCES systems (code),
    category TEXT NOT NULL REFERENCES incident_classes (code),
    severity TEXT CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    occurred_on TEXT,
    occurred_time TEXT,
    detected_on TEXT NOT NULL,
    detected_time TEXT,
    reported_on TEXT,
    reported_time TEXT,
    reported_to TEXT,
    contained_on TEXT,
    contained_time TEXT,
    recovered_on TEXT,
    recovered_time TEXT,
    closed_on TEXT,
    summary TEXT,
    cause TEXT,
    measures TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
INSERT INTO incidents_new (code, org_code, system_code, category, severity, detected_on, contained_on, recovered_on, summary)
    SELECT code, org_code, system_code, category, severity, detected_on, responded_on, recovered_on, summary FROM incidents;
DROP TABLE incidents;
ALTER TABLE incidents_new RENAME TO incidents;
CREATE INDEX incidents_org_code_idx ON incidents (org_code);
CREATE INDEX incidents_system_code_idx ON incidents (system_code);
CREATE INDEX incidents_category_idx ON incidents (category);

CREATE TABLE incident_systems (
    incident_code TEXT NOT NULL REFERENCES incidents (code),
    system_code TEXT NOT NULL REFERENCES systems (code),
    PRIMARY KEY (incident_code, system_code)
) WITHOUT ROWID;
CREATE INDEX incident_systems_system_code_idx ON incident_systems (system_code);

CREATE TABLE incident_orgs (
    incident_code TEXT NOT NULL REFERENCES incidents (code),
    org_code TEXT NOT NULL REFERENCES organizations (code),
    PRIMARY KEY (incident_code, org_code)
) WITHOUT ROWID;
CREATE INDEX incident_orgs_org_code_idx ON incident_orgs (org_code);

CREATE TABLE incident_declarations (
    org_code TEXT NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    declared_on TEXT,
    declared_by TEXT,
    PRIMARY KEY (org_code, fiscal_year)
) WITHOUT ROWID;

CREATE TABLE csirts (
    org_code TEXT NOT NULL REFERENCES organizations (code),
    name TEXT,
    established_on TEXT,
    documented_on TEXT,
    document TEXT,
    functions TEXT,
    PRIMARY KEY (org_code)
) WITHOUT ROWID;

CREATE TABLE csirt_members (
    org_code TEXT NOT NULL REFERENCES organizations (code),
    person_code TEXT NOT NULL REFERENCES people (code),
    role TEXT NOT NULL CHECK (role IN ('lead', 'poc', 'triage', 'analysis', 'response', 'liaison', 'public_relations', 'other')),
    since TEXT,
    PRIMARY KEY (org_code, person_code, role)
) WITHOUT ROWID;
CREATE INDEX csirt_members_person_code_idx ON csirt_members (person_code);

CREATE TABLE drills (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    plan_code TEXT REFERENCES plans (code),
    held_on TEXT NOT NULL,
    scenario TEXT NOT NULL CHECK (scenario IN ('targeted_attack', 'malware', 'leak', 'dos', 'system_failure', 'disaster', 'other')),
    participants INTEGER CHECK (participants BETWEEN 0 AND 100000),
    summary TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX drills_org_code_idx ON drills (org_code);
CREATE INDEX drills_plan_code_idx ON drills (plan_code);

-- +goose Down
DROP TABLE drills;
DROP TABLE csirt_members;
DROP TABLE csirts;
DROP TABLE incident_declarations;
DROP TABLE incident_orgs;
DROP TABLE incident_systems;
CREATE TABLE incidents_old (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    system_code TEXT REFERENCES systems (code),
    category TEXT NOT NULL CHECK (category IN ('malware', 'unauthorized_access', 'dos', 'targeted', 'leak', 'loss', 'misdelivery', 'failure', 'other')),
    severity TEXT CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    detected_on TEXT NOT NULL,
    responded_on TEXT,
    recovered_on TEXT,
    summary TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
INSERT INTO incidents_old SELECT code, org_code, system_code, category, severity, detected_on, contained_on, recovered_on, summary FROM incidents;
DROP TABLE incidents;
ALTER TABLE incidents_old RENAME TO incidents;
CREATE INDEX incidents_org_code_idx ON incidents (org_code);
CREATE INDEX incidents_system_code_idx ON incidents (system_code);
DROP TABLE incident_classes;
