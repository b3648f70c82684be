-- +goose Up
-- What the register can hold of the facts the Board of Audit counted (seeds
-- 000-003): the three-layer measures as a local government answers for
-- them, the vulnerability countermeasures of a system, the date a contract
-- was signed (checks before it), staged logins, systems seen outside the
-- register (REG-01 by reconciliation), update history and subsidies.
ALTER TABLE organizations ADD COLUMN csirt_established BOOLEAN;
ALTER TABLE organizations ADD COLUMN incident_support_needed BOOLEAN;
ALTER TABLE organizations ADD COLUMN lgwan_split_on DATE;
ALTER TABLE organizations ADD COLUMN attachments_sanitized BOOLEAN;
ALTER TABLE organizations ADD COLUMN two_factor_introduced BOOLEAN;
ALTER TABLE organizations ADD COLUMN two_factor_all_terminals BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_blocking_introduced BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_blocking_all_terminals BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_exceptions_allowed BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_unblock_by_admin BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_unblock_unlimited BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_unblock_month_or_more BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_approval_enforced BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_approval_obtained BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_logs_kept BOOLEAN;
ALTER TABLE organizations ADD COLUMN export_items_recorded BOOLEAN;
ALTER TABLE organizations ADD COLUMN encrypted_media_used BOOLEAN;
ALTER TABLE organizations ADD COLUMN policy_revision_planned BOOLEAN;
ALTER TABLE organizations ADD COLUMN security_cloud_dns_aggregated BOOLEAN;
ALTER TABLE systems ADD COLUMN vuln_info_gathered BOOLEAN;
ALTER TABLE systems ADD COLUMN vuln_measures_applied BOOLEAN;
ALTER TABLE systems ADD COLUMN vuln_measures_recorded BOOLEAN;
ALTER TABLE components ADD COLUMN staged_login BOOLEAN;
ALTER TABLE contracts ADD COLUMN clauses_recorded BOOLEAN;
ALTER TABLE contracts ADD COLUMN contracted_on DATE;

CREATE TABLE system_sightings (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    source TEXT COLLATE "C" NOT NULL CHECK (source IN ('contract', 'budget', 'payment', 'system_id_list', 'sbom', 'host_inventory', 'other')),
    reference TEXT COLLATE "C",
    system_code TEXT COLLATE "C" REFERENCES systems (code),
    system_id TEXT COLLATE "C",
    system_name TEXT COLLATE "C",
    seen_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX system_sightings_org_code_idx ON system_sightings (org_code);
CREATE INDEX system_sightings_system_code_idx ON system_sightings (system_code);

CREATE TABLE component_updates (
    component_code TEXT COLLATE "C" NOT NULL REFERENCES components (code),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('patch', 'av_definitions')),
    applied_on DATE NOT NULL,
    PRIMARY KEY (component_code, kind, applied_on)
);

CREATE TABLE subsidies (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    program TEXT COLLATE "C" NOT NULL CHECK (program IN ('robustness', 'security_cloud', 'other')),
    amount BIGINT,
    PRIMARY KEY (code)
);
CREATE INDEX subsidies_org_code_idx ON subsidies (org_code);

-- Reference data: the clause list and the register items ship as defaults,
-- read by the checks by their group (the role a clause plays: vendor7 =
-- the specification's seven items, subcontract, takeout, ismap), never by
-- code. A deployment with its own codes imports its own clause list.
INSERT INTO clause_defs (code, clause_group, name, name_en) VALUES
    ('V1', 'vendor7', '情報の目的外利用の禁止', 'No use of the information for other purposes'),
    ('V2', 'vendor7', '委託先における情報セキュリティ対策の実施内容及び管理体制', 'The vendor''s security measures and structure'),
    ('V3', 'vendor7', '委託先若しくはその従業員、再委託先又はその他の者による意図せざる変更が加えられないための管理体制', 'Controls against unintended changes by the vendor, its staff or subcontractors'),
    ('V4', 'vendor7', '委託先の資本関係・役員等の情報、委託事業の実施場所、委託事業従事者の所属・専門性・実績及び国籍に関する情報提供', 'Disclosure of capital ties, officers, work site, staff affiliation, expertise, record and nationality'),
    ('V5', 'vendor7', '情報セキュリティインシデントへの対処方法', 'Incident handling'),
    ('V6', 'vendor7', '情報セキュリティ対策その他の契約の履行状況の確認方法', 'How performance is verified'),
    ('V7', 'vendor7', '情報セキュリティ対策の履行が不十分な場合の対処方法', 'What happens if measures are not carried out'),
    ('S1', 'subcontract', '再委託先において委託先と同等の情報セキュリティ対策が実施されることの担保', 'The vendor guarantees the subcontractor carries out the same measures'),
    ('S2', 'subcontract', '再委託先の情報セキュリティ対策の実施状況を確認するために必要な情報の提供と承認', 'The vendor provides what is needed to check the subcontractor and obtains approval'),
    ('T1', 'takeout', '委託先及び再委託先の従業員による情報の持出しの禁止', 'No taking out of information by vendor or subcontractor staff'),
    ('I1', 'ismap', 'ISMAP管理策基準と同等以上のセキュリティ要求', 'Security requirements at ISMAP control-standard level'),
    ('U1', 'support', 'インシデント対応支援事業者との役割分担の確認', 'Role agreement with the incident-support vendor')
ON CONFLICT (code) DO NOTHING;
INSERT INTO register_items (edition, item_no, field, name, cloud_only) VALUES
    ('R5', 1, 'name', '情報システム名', FALSE),
    ('R5', 2, 'managing_section', '管理課室', FALSE),
    ('R5', 3, 'security_officer_code', '情報システムセキュリティ責任者の氏名・連絡先', FALSE),
    ('R5', 4, 'configuration', 'システム構成', FALSE),
    ('R5', 5, 'external_connections', '接続する外部通信回線の種別', FALSE),
    ('R5', 6, 'confidentiality', '取り扱う情報の格付・取扱制限', FALSE),
    ('R5', 7, 'operation_info', '設計・開発、運用・保守に関する情報', FALSE),
    ('R5', 8, 'cloud_service_code', 'クラウドサービス提供者名', TRUE),
    ('R5', 9, 'cloud_service_code', 'クラウドサービス名', TRUE),
    ('R5', 10, 'hosting', 'クラウドサービスの種類', TRUE),
    ('R5', 11, 'cloud_manager_code', 'クラウドサービス管理者', TRUE),
    ('R5', 12, 'data_location', '情報の保存場所・契約条件', TRUE)
ON CONFLICT (edition, item_no) DO NOTHING;

-- +goose Down
DROP TABLE subsidies;
DROP TABLE component_updates;
DROP TABLE system_sightings;
ALTER TABLE contracts DROP COLUMN contracted_on;
ALTER TABLE contracts DROP COLUMN clauses_recorded;
ALTER TABLE components DROP COLUMN staged_login;
ALTER TABLE systems DROP COLUMN vuln_measures_recorded;
ALTER TABLE systems DROP COLUMN vuln_measures_applied;
ALTER TABLE systems DROP COLUMN vuln_info_gathered;
ALTER TABLE organizations DROP COLUMN security_cloud_dns_aggregated;
ALTER TABLE organizations DROP COLUMN policy_revision_planned;
ALTER TABLE organizations DROP COLUMN encrypted_media_used;
ALTER TABLE organizations DROP COLUMN export_items_recorded;
ALTER TABLE organizations DROP COLUMN export_logs_kept;
ALTER TABLE organizations DROP COLUMN export_approval_obtained;
ALTER TABLE organizations DROP COLUMN export_approval_enforced;
ALTER TABLE organizations DROP COLUMN export_unblock_month_or_more;
ALTER TABLE organizations DROP COLUMN export_unblock_unlimited;
ALTER TABLE organizations DROP COLUMN export_unblock_by_admin;
ALTER TABLE organizations DROP COLUMN export_exceptions_allowed;
ALTER TABLE organizations DROP COLUMN export_blocking_all_terminals;
ALTER TABLE organizations DROP COLUMN export_blocking_introduced;
ALTER TABLE organizations DROP COLUMN two_factor_all_terminals;
ALTER TABLE organizations DROP COLUMN two_factor_introduced;
ALTER TABLE organizations DROP COLUMN attachments_sanitized;
ALTER TABLE organizations DROP COLUMN lgwan_split_on;
ALTER TABLE organizations DROP COLUMN incident_support_needed;
ALTER TABLE organizations DROP COLUMN csirt_established;
