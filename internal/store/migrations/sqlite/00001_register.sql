-- +goose Up
CREATE TABLE organizations (
    code TEXT NOT NULL,
    parent_code TEXT REFERENCES organizations (code) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT NOT NULL CHECK (kind IN ('government', 'ministry', 'central', 'branch', 'prefecture', 'municipality', 'agency')),
    name TEXT NOT NULL,
    name_en TEXT,
    policy_established_on TEXT,
    policy_revised_on TEXT,
    hardening_completed_on TEXT,
    three_layer_model TEXT CHECK (three_layer_model IN ('alpha', 'alpha_prime', 'beta', 'beta_prime')),
    csirt_documented INTEGER CHECK (csirt_documented IN (0, 1)),
    incident_support_agreed INTEGER CHECK (incident_support_agreed IN (0, 1)),
    export_encryption_enforced INTEGER CHECK (export_encryption_enforced IN (0, 1)),
    mail_sanitized INTEGER CHECK (mail_sanitized IN (0, 1)),
    security_cloud_joined INTEGER CHECK (security_cloud_joined IN (0, 1)),
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX organizations_parent_code_idx ON organizations (parent_code);

CREATE TABLE people (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    name TEXT NOT NULL,
    email TEXT,
    status TEXT NOT NULL CHECK (status IN ('active', 'left', 'transferred')),
    left_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX people_org_code_idx ON people (org_code);

CREATE TABLE role_assignments (
    org_code TEXT NOT NULL REFERENCES organizations (code),
    role TEXT NOT NULL CHECK (role IN ('ciso', 'deputy_ciso', 'chief_security_officer', 'audit_officer', 'security_officer', 'system_security_officer', 'authorizer', 'security_manager', 'system_manager', 'csirt_member', 'security_advisor', 'cloud_manager')),
    person_code TEXT NOT NULL REFERENCES people (code),
    since TEXT,
    until TEXT,
    PRIMARY KEY (org_code, role, person_code)
) WITHOUT ROWID;
CREATE INDEX role_assignments_person_code_idx ON role_assignments (person_code);

CREATE TABLE projects (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    name TEXT NOT NULL,
    plan_documented_on TEXT,
    demand_surveyed INTEGER CHECK (demand_surveyed IN (0, 1)),
    usage_estimated INTEGER CHECK (usage_estimated IN (0, 1)),
    cost_effectiveness_recorded INTEGER CHECK (cost_effectiveness_recorded IN (0, 1)),
    go_live_on TEXT,
    utilization_percent INTEGER,
    utilization_measured_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX projects_org_code_idx ON projects (org_code);

CREATE TABLE cloud_services (
    code TEXT NOT NULL,
    provider TEXT NOT NULL,
    name TEXT NOT NULL,
    service_model TEXT CHECK (service_model IN ('iaas', 'paas', 'saas')),
    ismap_status TEXT NOT NULL CHECK (ismap_status IN ('ismap', 'ismap_liu', 'none')),
    registration_number TEXT,
    listed_on TEXT,
    valid_until TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;

CREATE TABLE systems (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    name TEXT NOT NULL,
    system_id TEXT,
    in_register INTEGER NOT NULL CHECK (in_register IN (0, 1)),
    discovered_from TEXT CHECK (discovered_from IN ('register', 'contract', 'payment', 'component', 'system_id_list')),
    class TEXT NOT NULL CHECK (class IN ('information_system', 'office_equipment')),
    managing_section TEXT,
    security_officer_code TEXT REFERENCES people (code),
    officer_contact TEXT,
    configuration TEXT,
    external_connections TEXT,
    confidentiality INTEGER,
    integrity INTEGER,
    availability INTEGER,
    handling_restrictions TEXT,
    development_info TEXT,
    operation_info TEXT,
    personal_info INTEGER CHECK (personal_info IN (0, 1)),
    specific_personal_info INTEGER CHECK (specific_personal_info IN (0, 1)),
    network_segment TEXT CHECK (network_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    hosting TEXT CHECK (hosting IN ('onpremises', 'cloud', 'hybrid')),
    cloud_service_code TEXT REFERENCES cloud_services (code),
    cloud_manager_code TEXT REFERENCES people (code),
    data_location TEXT,
    important_business INTEGER CHECK (important_business IN (0, 1)),
    itbcp_required INTEGER CHECK (itbcp_required IN (0, 1)),
    security_requirements_defined INTEGER CHECK (security_requirements_defined IN (0, 1)),
    project_code TEXT REFERENCES projects (code),
    status TEXT NOT NULL CHECK (status IN ('planned', 'operating', 'retired')),
    go_live_on TEXT,
    retired_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX systems_org_code_idx ON systems (org_code);
CREATE INDEX systems_security_officer_code_idx ON systems (security_officer_code);
CREATE INDEX systems_cloud_service_code_idx ON systems (cloud_service_code);
CREATE INDEX systems_cloud_manager_code_idx ON systems (cloud_manager_code);
CREATE INDEX systems_project_code_idx ON systems (project_code);

CREATE TABLE register_items (
    edition TEXT NOT NULL,
    item_no INTEGER NOT NULL,
    field TEXT NOT NULL,
    name TEXT NOT NULL,
    cloud_only INTEGER CHECK (cloud_only IN (0, 1)),
    PRIMARY KEY (edition, item_no)
) WITHOUT ROWID;

CREATE TABLE system_costs (
    system_code TEXT NOT NULL REFERENCES systems (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('development', 'operation', 'other')),
    amount INTEGER NOT NULL,
    PRIMARY KEY (system_code, fiscal_year, kind)
) WITHOUT ROWID;

CREATE TABLE images (
    code TEXT NOT NULL,
    org_code TEXT REFERENCES organizations (code),
    name TEXT NOT NULL,
    built_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX images_org_code_idx ON images (org_code);

CREATE TABLE image_software (
    image_code TEXT NOT NULL REFERENCES images (code),
    vendor TEXT NOT NULL DEFAULT '',
    product TEXT NOT NULL,
    version TEXT NOT NULL DEFAULT '',
    cpe TEXT,
    purl TEXT,
    PRIMARY KEY (image_code, vendor, product, version)
) WITHOUT ROWID;

CREATE TABLE components (
    code TEXT NOT NULL,
    system_code TEXT NOT NULL REFERENCES systems (code),
    kind TEXT NOT NULL CHECK (kind IN ('server', 'terminal', 'network_device', 'appliance', 'storage', 'mfp', 'iot', 'recorder')),
    name TEXT,
    hostname TEXT,
    image_code TEXT REFERENCES images (code),
    network_segment TEXT CHECK (network_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    server_role TEXT CHECK (server_role IN ('web', 'dns', 'mail', 'database', 'application', 'gateway', 'other')),
    patched_on TEXT,
    av_definitions_on TEXT,
    second_factor INTEGER CHECK (second_factor IN (0, 1)),
    fallback_password_preset INTEGER CHECK (fallback_password_preset IN (0, 1)),
    shared_auth_means INTEGER CHECK (shared_auth_means IN (0, 1)),
    default_password INTEGER CHECK (default_password IN (0, 1)),
    export_blocking INTEGER CHECK (export_blocking IN (0, 1)),
    stores_personal_info INTEGER CHECK (stores_personal_info IN (0, 1)),
    local_specific_personal_info INTEGER CHECK (local_specific_personal_info IN (0, 1)),
    networked INTEGER CHECK (networked IN (0, 1)),
    in_security_cloud INTEGER CHECK (in_security_cloud IN (0, 1)),
    monitored INTEGER CHECK (monitored IN (0, 1)),
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX components_system_code_idx ON components (system_code);
CREATE INDEX components_image_code_idx ON components (image_code);

CREATE TABLE accounts (
    system_code TEXT NOT NULL REFERENCES systems (code),
    name TEXT NOT NULL,
    person_code TEXT REFERENCES people (code),
    privileged INTEGER CHECK (privileged IN (0, 1)),
    shared INTEGER CHECK (shared IN (0, 1)),
    enabled INTEGER NOT NULL CHECK (enabled IN (0, 1)),
    PRIMARY KEY (system_code, name)
) WITHOUT ROWID;
CREATE INDEX accounts_person_code_idx ON accounts (person_code);

CREATE TABLE clause_defs (
    code TEXT NOT NULL,
    clause_group TEXT NOT NULL CHECK (clause_group IN ('vendor7', 'subcontract', 'takeout', 'ismap', 'support', 'other')),
    name TEXT NOT NULL,
    name_en TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;

CREATE TABLE contracts (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    kind TEXT NOT NULL CHECK (kind IN ('outsourcing', 'development', 'maintenance', 'cloud', 'lease', 'purchase')),
    title TEXT NOT NULL,
    vendor TEXT NOT NULL,
    start_on TEXT,
    end_on TEXT,
    total_amount INTEGER,
    multi_year INTEGER CHECK (multi_year IN (0, 1)),
    verification_specified INTEGER CHECK (verification_specified IN (0, 1)),
    subcontracted INTEGER CHECK (subcontracted IN (0, 1)),
    subcontract_approved_on TEXT,
    cloud_service_code TEXT REFERENCES cloud_services (code),
    cloud_approved_by TEXT REFERENCES people (code),
    cloud_approved_on TEXT,
    conformity_checked_on TEXT,
    spec_reviewed_on TEXT,
    security_requirements_defined INTEGER CHECK (security_requirements_defined IN (0, 1)),
    project_code TEXT REFERENCES projects (code),
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX contracts_org_code_idx ON contracts (org_code);
CREATE INDEX contracts_cloud_service_code_idx ON contracts (cloud_service_code);
CREATE INDEX contracts_cloud_approved_by_idx ON contracts (cloud_approved_by);
CREATE INDEX contracts_project_code_idx ON contracts (project_code);

CREATE TABLE contract_amounts (
    contract_code TEXT NOT NULL REFERENCES contracts (code),
    fiscal_year INTEGER NOT NULL,
    amount INTEGER NOT NULL,
    paid INTEGER,
    PRIMARY KEY (contract_code, fiscal_year)
) WITHOUT ROWID;

CREATE TABLE contract_clauses (
    contract_code TEXT NOT NULL REFERENCES contracts (code),
    clause_code TEXT NOT NULL REFERENCES clause_defs (code),
    PRIMARY KEY (contract_code, clause_code)
) WITHOUT ROWID;
CREATE INDEX contract_clauses_clause_code_idx ON contract_clauses (clause_code);

CREATE TABLE contract_systems (
    contract_code TEXT NOT NULL REFERENCES contracts (code),
    system_code TEXT NOT NULL REFERENCES systems (code),
    PRIMARY KEY (contract_code, system_code)
) WITHOUT ROWID;
CREATE INDEX contract_systems_system_code_idx ON contract_systems (system_code);

CREATE TABLE contract_verifications (
    contract_code TEXT NOT NULL REFERENCES contracts (code),
    verified_on TEXT NOT NULL,
    verifier TEXT,
    result TEXT NOT NULL CHECK (result IN ('conforming', 'issues')),
    PRIMARY KEY (contract_code, verified_on)
) WITHOUT ROWID;

CREATE TABLE plans (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('education', 'audit', 'self_inspection', 'itbcp', 'emergency', 'vulnerability', 'crisis')),
    title TEXT,
    approved_on TEXT,
    reviewed_on TEXT,
    has_recovery_objectives INTEGER CHECK (has_recovery_objectives IN (0, 1)),
    has_procedures INTEGER CHECK (has_procedures IN (0, 1)),
    covers_targeted_attacks INTEGER CHECK (covers_targeted_attacks IN (0, 1)),
    last_drill_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX plans_org_code_idx ON plans (org_code);

CREATE TABLE plan_systems (
    plan_code TEXT NOT NULL REFERENCES plans (code),
    system_code TEXT NOT NULL REFERENCES systems (code),
    PRIMARY KEY (plan_code, system_code)
) WITHOUT ROWID;
CREATE INDEX plan_systems_system_code_idx ON plan_systems (system_code);

CREATE TABLE audits (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('planned', 'out_of_plan')),
    title TEXT,
    commissioned_by TEXT,
    auditor TEXT,
    external INTEGER CHECK (external IN (0, 1)),
    completed_on TEXT,
    shared_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX audits_org_code_idx ON audits (org_code);

CREATE TABLE audit_findings (
    audit_code TEXT NOT NULL REFERENCES audits (code),
    item_no INTEGER NOT NULL,
    title TEXT NOT NULL,
    system_code TEXT REFERENCES systems (code),
    raised_on TEXT NOT NULL,
    due_on TEXT,
    closed_on TEXT,
    PRIMARY KEY (audit_code, item_no)
) WITHOUT ROWID;
CREATE INDEX audit_findings_system_code_idx ON audit_findings (system_code);

CREATE TABLE log_sources (
    system_code TEXT NOT NULL REFERENCES systems (code),
    kind TEXT NOT NULL CHECK (kind IN ('authentication', 'access', 'privileged', 'communication', 'error', 'security_device')),
    collected INTEGER NOT NULL CHECK (collected IN (0, 1)),
    retention_days INTEGER,
    PRIMARY KEY (system_code, kind)
) WITHOUT ROWID;

CREATE TABLE log_reviews (
    system_code TEXT NOT NULL REFERENCES systems (code),
    reviewed_on TEXT NOT NULL,
    reviewer TEXT,
    result TEXT,
    PRIMARY KEY (system_code, reviewed_on)
) WITHOUT ROWID;

CREATE TABLE access_reviews (
    system_code TEXT NOT NULL REFERENCES systems (code),
    reviewed_on TEXT NOT NULL,
    reviewer TEXT,
    accounts_removed INTEGER,
    PRIMARY KEY (system_code, reviewed_on)
) WITHOUT ROWID;

CREATE TABLE network_flows (
    org_code TEXT NOT NULL REFERENCES organizations (code),
    from_segment TEXT NOT NULL CHECK (from_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    to_segment TEXT NOT NULL CHECK (to_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    protocol TEXT NOT NULL DEFAULT '',
    purpose TEXT,
    route_restricted INTEGER CHECK (route_restricted IN (0, 1)),
    protocol_restricted INTEGER CHECK (protocol_restricted IN (0, 1)),
    sanitized INTEGER CHECK (sanitized IN (0, 1)),
    PRIMARY KEY (org_code, from_segment, to_segment, protocol)
) WITHOUT ROWID;

CREATE TABLE export_exceptions (
    code TEXT NOT NULL,
    component_code TEXT NOT NULL REFERENCES components (code),
    person_code TEXT REFERENCES people (code),
    granted_on TEXT NOT NULL,
    expires_on TEXT,
    approved_by TEXT REFERENCES people (code),
    logged INTEGER CHECK (logged IN (0, 1)),
    items_recorded INTEGER CHECK (items_recorded IN (0, 1)),
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX export_exceptions_component_code_idx ON export_exceptions (component_code);
CREATE INDEX export_exceptions_person_code_idx ON export_exceptions (person_code);
CREATE INDEX export_exceptions_approved_by_idx ON export_exceptions (approved_by);

CREATE TABLE file_shares (
    component_code TEXT NOT NULL REFERENCES components (code),
    path TEXT NOT NULL,
    specific_personal_info INTEGER CHECK (specific_personal_info IN (0, 1)),
    open_to_section INTEGER CHECK (open_to_section IN (0, 1)),
    PRIMARY KEY (component_code, path)
) WITHOUT ROWID;

CREATE TABLE project_reviews (
    project_code TEXT NOT NULL REFERENCES projects (code),
    stage TEXT NOT NULL CHECK (stage IN ('planning', 'requirements', 'procurement', 'development', 'operation')),
    self_inspected_on TEXT,
    pmo_reviewed_on TEXT,
    central_reviewed_on TEXT,
    PRIMARY KEY (project_code, stage)
) WITHOUT ROWID;

CREATE TABLE budget_items (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    project_code TEXT REFERENCES projects (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('request', 'initial', 'supplementary')),
    title TEXT NOT NULL,
    amount INTEGER NOT NULL,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX budget_items_org_code_idx ON budget_items (org_code);
CREATE INDEX budget_items_project_code_idx ON budget_items (project_code);

CREATE TABLE survey_answers (
    code TEXT NOT NULL,
    org_code TEXT NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    topic TEXT NOT NULL,
    answered_on TEXT,
    followed_up_on TEXT,
    PRIMARY KEY (code)
) WITHOUT ROWID;
CREATE INDEX survey_answers_org_code_idx ON survey_answers (org_code);

CREATE TABLE incidents (
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
CREATE INDEX incidents_org_code_idx ON incidents (org_code);
CREATE INDEX incidents_system_code_idx ON incidents (system_code);

-- +goose Down
DROP TABLE incidents;
DROP TABLE survey_answers;
DROP TABLE budget_items;
DROP TABLE project_reviews;
DROP TABLE file_shares;
DROP TABLE export_exceptions;
DROP TABLE network_flows;
DROP TABLE access_reviews;
DROP TABLE log_reviews;
DROP TABLE log_sources;
DROP TABLE audit_findings;
DROP TABLE audits;
DROP TABLE plan_systems;
DROP TABLE plans;
DROP TABLE contract_verifications;
DROP TABLE contract_systems;
DROP TABLE contract_clauses;
DROP TABLE contract_amounts;
DROP TABLE contracts;
DROP TABLE clause_defs;
DROP TABLE accounts;
DROP TABLE components;
DROP TABLE image_software;
DROP TABLE images;
DROP TABLE system_costs;
DROP TABLE register_items;
DROP TABLE systems;
DROP TABLE cloud_services;
DROP TABLE projects;
DROP TABLE role_assignments;
DROP TABLE people;
DROP TABLE organizations;
