-- +goose Up
-- What the register can hold of the facts the Board of Audit counted (seeds
-- 000-003): the three-layer measures as a local government answers for
-- them, the vulnerability countermeasures of a system, the date a contract
-- was signed (checks before it), staged logins, systems seen outside the
-- register (REG-01 by reconciliation), update history and subsidies.
ALTER TABLE organizations ADD COLUMN csirt_established INTEGER CHECK (csirt_established IN (0, 1));
ALTER TABLE organizations ADD COLUMN incident_support_needed INTEGER CHECK (incident_support_needed IN (0, 1));
ALTER TABLE organizations ADD COLUMN lgwan_split_on TEXT;
ALTER TABLE organizations ADD COLUMN attachments_sanitized INTEGER CHECK (attachments_sanitized IN (0, 1));
ALTER TABLE organizations ADD COLUMN two_factor_introduced INTEGER CHECK (two_factor_introduced IN (0, 1));
ALTER TABLE organizations ADD COLUMN two_factor_all_terminals INTEGER CHECK (two_factor_all_terminals IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_blocking_introduced INTEGER CHECK (export_blocking_introduced IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_blocking_all_terminals INTEGER CHECK (export_blocking_all_terminals IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_exceptions_allowed INTEGER CHECK (export_exceptions_allowed IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_unblock_by_admin INTEGER CHECK (export_unblock_by_admin IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_unblock_unlimited INTEGER CHECK (export_unblock_unlimited IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_unblock_month_or_more INTEGER CHECK (export_unblock_month_or_more IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_approval_enforced INTEGER CHECK (export_approval_enforced IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_approval_obtained INTEGER CHECK (export_approval_obtained IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_logs_kept INTEGER CHECK (export_logs_kept IN (0, 1));
ALTER TABLE organizations ADD COLUMN export_items_recorded INTEGER CHECK (export_items_recorded IN (0, 1));
ALTER TABLE organizations ADD COLUMN encrypted_media_used INTEGER CHECK (encrypted_media_used IN (0, 1));
ALTER TABLE organizations ADD COLUMN policy_revision_planned INTEGER CHECK (policy_revision_planned IN (0, 1));
ALTER TABLE organizations ADD COLUMN security_cloud_dns_aggregated INTEGER CHECK (security_cloud_dns_aggregated IN (0, 1));
ALTER TABLE systems ADD COLUMN vuln_info_gathered INTEGER CHECK (vuln_info_gathered IN (0, 1));
ALTER TABLE systems ADD COLUMN vuln_measures_applied INTEGER CHECK (vuln_measures_applied IN (0, 1));
ALTER TABLE systems ADD COLUMN vuln_measures_recorded INTEGER CHECK (vuln_measures_recorded IN (0, 1));
ALTER TABLE components ADD COLUMN staged_login INTEGER CHECK (staged_login IN (0, 1));
ALTER TABLE contracts ADD COLUMN clauses_recorded INTEGER CHECK (clauses_recorded IN (0, 1));
ALTER TABLE contracts ADD COLUMN contracted_on TEXT;

CREATE TABLE system_sightings (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    source TEXT NOT NULL CHECK (source IN ('contract', 'budget', 'payment', 'system_id_list', 'sbom', 'host_inventory', 'other')),
    reference TEXT,
    system_code TEXT REFERENCES systems (code),
    system_id TEXT,
    system_name TEXT,
    seen_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX system_sightings_org_code_idx ON system_sightings (org_code);
CREATE INDEX system_sightings_system_code_idx ON system_sightings (system_code);

CREATE TABLE component_updates (
    component_code TEXT NOT NULL REFERENCES components (code),
    kind TEXT NOT NULL CHECK (kind IN ('patch', 'av_definitions')),
    applied_on TEXT NOT NULL,
    PRIMARY KEY (component_code, kind, applied_on)
) WITHOUT ROWID;

CREATE TABLE subsidies (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    program TEXT NOT NULL CHECK (program IN ('robustness', 'security_cloud', 'other')),
    amount INTEGER,
    PRIMARY KEY (code)
) WITHOUT ROWID;
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
    ('R5', 1, 'name', '情報システム名', 0),
    ('R5', 2, 'managing_section', '管理課室', 0),
    ('R5', 3, 'security_officer_code', '情報システムセキュリティ責任者の氏名・連絡先', 0),
    ('R5', 4, 'configuration', 'システム構成', 0),
    ('R5', 5, 'external_connections', '接続する外部通信回線の種別', 0),
    ('R5', 6, 'confidentiality', '取り扱う情報の格付・取扱制限', 0),
    ('R5', 7, 'operation_info', '設計・開発、運用・保守に関する情報', 0),
    ('R5', 8, 'cloud_service_code', 'クラウドサービス提供者名', 1),
    ('R5', 9, 'cloud_service_code', 'クラウドサービス名', 1),
    ('R5', 10, 'hosting', 'クラウドサービスの種類', 1),
    ('R5', 11, 'cloud_manager_code', 'クラウドサービス管理者', 1),
    ('R5', 12, 'data_location', '情報の保存場所・契約条件', 1)
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
