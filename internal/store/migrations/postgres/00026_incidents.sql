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
    code TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    name_en TEXT COLLATE "C",
    PRIMARY KEY (code)
);
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

ALTER TABLE incidents DROP CONSTRAINT incidents_category_check;
ALTER TABLE incidents ADD CONSTRAINT incidents_category_fkey FOREIGN KEY (category) REFERENCES incident_classes (code);
ALTER TABLE incidents RENAME COLUMN responded_on TO contained_on;
ALTER TABLE incidents ADD COLUMN occurred_on DATE;
ALTER TABLE incidents ADD COLUMN occurred_time TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN detected_time TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN reported_on DATE;
ALTER TABLE incidents ADD COLUMN reported_time TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN reported_to TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN contained_time TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN recovered_time TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN closed_on DATE;
ALTER TABLE incidents ADD COLUMN cause TEXT COLLATE "C";
ALTER TABLE incidents ADD COLUMN measures TEXT COLLATE "C";
CREATE INDEX incidents_category_idx ON incidents (category);

CREATE TABLE incident_systems (
    incident_code TEXT COLLATE "C" NOT NULL REFERENCES incidents (code),
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    PRIMARY KEY (incident_code, system_code)
);
CREATE INDEX incident_systems_system_code_idx ON incident_systems (system_code);

CREATE TABLE incident_orgs (
    incident_code TEXT COLLATE "C" NOT NULL REFERENCES incidents (code),
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    PRIMARY KEY (incident_code, org_code)
);
CREATE INDEX incident_orgs_org_code_idx ON incident_orgs (org_code);

CREATE TABLE incident_declarations (
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    declared_on DATE,
    declared_by TEXT COLLATE "C",
    PRIMARY KEY (org_code, fiscal_year)
);

CREATE TABLE csirts (
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    name TEXT COLLATE "C",
    established_on DATE,
    documented_on DATE,
    document TEXT COLLATE "C",
    functions TEXT COLLATE "C",
    PRIMARY KEY (org_code)
);

CREATE TABLE csirt_members (
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    person_code TEXT COLLATE "C" NOT NULL REFERENCES people (code),
    role TEXT COLLATE "C" NOT NULL CHECK (role IN ('lead', 'poc', 'triage', 'analysis', 'response', 'liaison', 'public_relations', 'other')),
    since DATE,
    PRIMARY KEY (org_code, person_code, role)
);
CREATE INDEX csirt_members_person_code_idx ON csirt_members (person_code);

CREATE TABLE drills (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    plan_code TEXT COLLATE "C" REFERENCES plans (code),
    held_on DATE NOT NULL,
    scenario TEXT COLLATE "C" NOT NULL CHECK (scenario IN ('targeted_attack', 'malware', 'leak', 'dos', 'system_failure', 'disaster', 'other')),
    participants BIGINT CHECK (participants BETWEEN 0 AND 100000),
    summary TEXT COLLATE "C",
    PRIMARY KEY (code)
);
CREATE INDEX drills_org_code_idx ON drills (org_code);
CREATE INDEX drills_plan_code_idx ON drills (plan_code);

-- +goose Down
DROP TABLE drills;
DROP TABLE csirt_members;
DROP TABLE csirts;
DROP TABLE incident_declarations;
DROP TABLE incident_orgs;
DROP TABLE incident_systems;
DROP INDEX incidents_category_idx;
ALTER TABLE incidents DROP COLUMN measures;
ALTER TABLE incidents DROP COLUMN cause;
ALTER TABLE incidents DROP COLUMN closed_on;
ALTER TABLE incidents DROP COLUMN recovered_time;
ALTER TABLE incidents DROP COLUMN contained_time;
ALTER TABLE incidents DROP COLUMN reported_to;
ALTER TABLE incidents DROP COLUMN reported_time;
ALTER TABLE incidents DROP COLUMN reported_on;
ALTER TABLE incidents DROP COLUMN detected_time;
ALTER TABLE incidents DROP COLUMN occurred_time;
ALTER TABLE incidents DROP COLUMN occurred_on;
ALTER TABLE incidents RENAME COLUMN contained_on TO responded_on;
ALTER TABLE incidents DROP CONSTRAINT incidents_category_fkey;
ALTER TABLE incidents ADD CONSTRAINT incidents_category_check CHECK (category IN ('malware', 'unauthorized_access', 'dos', 'targeted', 'leak', 'loss', 'misdelivery', 'failure', 'other'));
DROP TABLE incident_classes;
