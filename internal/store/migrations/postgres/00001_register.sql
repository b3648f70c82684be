-- +goose Up
CREATE TABLE organizations (
    code TEXT COLLATE "C" NOT NULL,
    parent_code TEXT COLLATE "C" REFERENCES organizations (code) DEFERRABLE INITIALLY DEFERRED,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('government', 'ministry', 'central', 'branch', 'prefecture', 'municipality', 'agency')),
    name TEXT COLLATE "C" NOT NULL,
    name_en TEXT COLLATE "C",
    policy_established_on DATE,
    policy_revised_on DATE,
    hardening_completed_on DATE,
    three_layer_model TEXT COLLATE "C" CHECK (three_layer_model IN ('alpha', 'alpha_prime', 'beta', 'beta_prime')),
    csirt_documented BOOLEAN,
    incident_support_agreed BOOLEAN,
    export_encryption_enforced BOOLEAN,
    mail_sanitized BOOLEAN,
    security_cloud_joined BOOLEAN,
    PRIMARY KEY (code)
);
CREATE INDEX organizations_parent_code_idx ON organizations (parent_code);

CREATE TABLE people (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    name TEXT COLLATE "C" NOT NULL,
    email TEXT COLLATE "C",
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('active', 'left', 'transferred')),
    left_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX people_org_code_idx ON people (org_code);

CREATE TABLE role_assignments (
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    role TEXT COLLATE "C" NOT NULL CHECK (role IN ('ciso', 'deputy_ciso', 'chief_security_officer', 'audit_officer', 'security_officer', 'system_security_officer', 'authorizer', 'security_manager', 'system_manager', 'csirt_member', 'security_advisor', 'cloud_manager')),
    person_code TEXT COLLATE "C" NOT NULL REFERENCES people (code),
    since DATE,
    until DATE,
    PRIMARY KEY (org_code, role, person_code)
);
CREATE INDEX role_assignments_person_code_idx ON role_assignments (person_code);

CREATE TABLE projects (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    name TEXT COLLATE "C" NOT NULL,
    plan_documented_on DATE,
    demand_surveyed BOOLEAN,
    usage_estimated BOOLEAN,
    cost_effectiveness_recorded BOOLEAN,
    go_live_on DATE,
    utilization_percent BIGINT,
    utilization_measured_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX projects_org_code_idx ON projects (org_code);

CREATE TABLE cloud_services (
    code TEXT COLLATE "C" NOT NULL,
    provider TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    service_model TEXT COLLATE "C" CHECK (service_model IN ('iaas', 'paas', 'saas')),
    ismap_status TEXT COLLATE "C" NOT NULL CHECK (ismap_status IN ('ismap', 'ismap_liu', 'none')),
    registration_number TEXT COLLATE "C",
    listed_on DATE,
    valid_until DATE,
    PRIMARY KEY (code)
);

CREATE TABLE systems (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    name TEXT COLLATE "C" NOT NULL,
    system_id TEXT COLLATE "C",
    in_register BOOLEAN NOT NULL,
    discovered_from TEXT COLLATE "C" CHECK (discovered_from IN ('register', 'contract', 'payment', 'component', 'system_id_list')),
    class TEXT COLLATE "C" NOT NULL CHECK (class IN ('information_system', 'office_equipment')),
    managing_section TEXT COLLATE "C",
    security_officer_code TEXT COLLATE "C" REFERENCES people (code),
    officer_contact TEXT COLLATE "C",
    configuration TEXT COLLATE "C",
    external_connections TEXT COLLATE "C",
    confidentiality BIGINT,
    integrity BIGINT,
    availability BIGINT,
    handling_restrictions TEXT COLLATE "C",
    development_info TEXT COLLATE "C",
    operation_info TEXT COLLATE "C",
    personal_info BOOLEAN,
    specific_personal_info BOOLEAN,
    network_segment TEXT COLLATE "C" CHECK (network_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    hosting TEXT COLLATE "C" CHECK (hosting IN ('onpremises', 'cloud', 'hybrid')),
    cloud_service_code TEXT COLLATE "C" REFERENCES cloud_services (code),
    cloud_manager_code TEXT COLLATE "C" REFERENCES people (code),
    data_location TEXT COLLATE "C",
    important_business BOOLEAN,
    itbcp_required BOOLEAN,
    security_requirements_defined BOOLEAN,
    project_code TEXT COLLATE "C" REFERENCES projects (code),
    status TEXT COLLATE "C" NOT NULL CHECK (status IN ('planned', 'operating', 'retired')),
    go_live_on DATE,
    retired_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX systems_org_code_idx ON systems (org_code);
CREATE INDEX systems_security_officer_code_idx ON systems (security_officer_code);
CREATE INDEX systems_cloud_service_code_idx ON systems (cloud_service_code);
CREATE INDEX systems_cloud_manager_code_idx ON systems (cloud_manager_code);
CREATE INDEX systems_project_code_idx ON systems (project_code);

CREATE TABLE register_items (
    edition TEXT COLLATE "C" NOT NULL,
    item_no BIGINT NOT NULL,
    field TEXT COLLATE "C" NOT NULL,
    name TEXT COLLATE "C" NOT NULL,
    cloud_only BOOLEAN,
    PRIMARY KEY (edition, item_no)
);

CREATE TABLE system_costs (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('development', 'operation', 'other')),
    amount BIGINT NOT NULL,
    PRIMARY KEY (system_code, fiscal_year, kind)
);

CREATE TABLE images (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" REFERENCES organizations (code),
    name TEXT COLLATE "C" NOT NULL,
    built_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX images_org_code_idx ON images (org_code);

CREATE TABLE image_software (
    image_code TEXT COLLATE "C" NOT NULL REFERENCES images (code),
    vendor TEXT COLLATE "C" NOT NULL DEFAULT '',
    product TEXT COLLATE "C" NOT NULL,
    version TEXT COLLATE "C" NOT NULL DEFAULT '',
    cpe TEXT COLLATE "C",
    purl TEXT COLLATE "C",
    PRIMARY KEY (image_code, vendor, product, version)
);

CREATE TABLE components (
    code TEXT COLLATE "C" NOT NULL,
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('server', 'terminal', 'network_device', 'appliance', 'storage', 'mfp', 'iot', 'recorder')),
    name TEXT COLLATE "C",
    hostname TEXT COLLATE "C",
    image_code TEXT COLLATE "C" REFERENCES images (code),
    network_segment TEXT COLLATE "C" CHECK (network_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    server_role TEXT COLLATE "C" CHECK (server_role IN ('web', 'dns', 'mail', 'database', 'application', 'gateway', 'other')),
    patched_on DATE,
    av_definitions_on DATE,
    second_factor BOOLEAN,
    fallback_password_preset BOOLEAN,
    shared_auth_means BOOLEAN,
    default_password BOOLEAN,
    export_blocking BOOLEAN,
    stores_personal_info BOOLEAN,
    local_specific_personal_info BOOLEAN,
    networked BOOLEAN,
    in_security_cloud BOOLEAN,
    monitored BOOLEAN,
    PRIMARY KEY (code)
);
CREATE INDEX components_system_code_idx ON components (system_code);
CREATE INDEX components_image_code_idx ON components (image_code);

CREATE TABLE accounts (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    name TEXT COLLATE "C" NOT NULL,
    person_code TEXT COLLATE "C" REFERENCES people (code),
    privileged BOOLEAN,
    shared BOOLEAN,
    enabled BOOLEAN NOT NULL,
    PRIMARY KEY (system_code, name)
);
CREATE INDEX accounts_person_code_idx ON accounts (person_code);

CREATE TABLE clause_defs (
    code TEXT COLLATE "C" NOT NULL,
    clause_group TEXT COLLATE "C" NOT NULL CHECK (clause_group IN ('vendor7', 'subcontract', 'takeout', 'ismap', 'support', 'other')),
    name TEXT COLLATE "C" NOT NULL,
    name_en TEXT COLLATE "C",
    PRIMARY KEY (code)
);

CREATE TABLE contracts (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('outsourcing', 'development', 'maintenance', 'cloud', 'lease', 'purchase')),
    title TEXT COLLATE "C" NOT NULL,
    vendor TEXT COLLATE "C" NOT NULL,
    start_on DATE,
    end_on DATE,
    total_amount BIGINT,
    multi_year BOOLEAN,
    verification_specified BOOLEAN,
    subcontracted BOOLEAN,
    subcontract_approved_on DATE,
    cloud_service_code TEXT COLLATE "C" REFERENCES cloud_services (code),
    cloud_approved_by TEXT COLLATE "C" REFERENCES people (code),
    cloud_approved_on DATE,
    conformity_checked_on DATE,
    spec_reviewed_on DATE,
    security_requirements_defined BOOLEAN,
    project_code TEXT COLLATE "C" REFERENCES projects (code),
    PRIMARY KEY (code)
);
CREATE INDEX contracts_org_code_idx ON contracts (org_code);
CREATE INDEX contracts_cloud_service_code_idx ON contracts (cloud_service_code);
CREATE INDEX contracts_cloud_approved_by_idx ON contracts (cloud_approved_by);
CREATE INDEX contracts_project_code_idx ON contracts (project_code);

CREATE TABLE contract_amounts (
    contract_code TEXT COLLATE "C" NOT NULL REFERENCES contracts (code),
    fiscal_year INTEGER NOT NULL,
    amount BIGINT NOT NULL,
    paid BIGINT,
    PRIMARY KEY (contract_code, fiscal_year)
);

CREATE TABLE contract_clauses (
    contract_code TEXT COLLATE "C" NOT NULL REFERENCES contracts (code),
    clause_code TEXT COLLATE "C" NOT NULL REFERENCES clause_defs (code),
    PRIMARY KEY (contract_code, clause_code)
);
CREATE INDEX contract_clauses_clause_code_idx ON contract_clauses (clause_code);

CREATE TABLE contract_systems (
    contract_code TEXT COLLATE "C" NOT NULL REFERENCES contracts (code),
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    PRIMARY KEY (contract_code, system_code)
);
CREATE INDEX contract_systems_system_code_idx ON contract_systems (system_code);

CREATE TABLE contract_verifications (
    contract_code TEXT COLLATE "C" NOT NULL REFERENCES contracts (code),
    verified_on DATE NOT NULL,
    verifier TEXT COLLATE "C",
    result TEXT COLLATE "C" NOT NULL CHECK (result IN ('conforming', 'issues')),
    PRIMARY KEY (contract_code, verified_on)
);

CREATE TABLE plans (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('education', 'audit', 'self_inspection', 'itbcp', 'emergency', 'vulnerability', 'crisis')),
    title TEXT COLLATE "C",
    approved_on DATE,
    reviewed_on DATE,
    has_recovery_objectives BOOLEAN,
    has_procedures BOOLEAN,
    covers_targeted_attacks BOOLEAN,
    last_drill_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX plans_org_code_idx ON plans (org_code);

CREATE TABLE plan_systems (
    plan_code TEXT COLLATE "C" NOT NULL REFERENCES plans (code),
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    PRIMARY KEY (plan_code, system_code)
);
CREATE INDEX plan_systems_system_code_idx ON plan_systems (system_code);

CREATE TABLE audits (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('planned', 'out_of_plan')),
    title TEXT COLLATE "C",
    commissioned_by TEXT COLLATE "C",
    auditor TEXT COLLATE "C",
    external BOOLEAN,
    completed_on DATE,
    shared_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX audits_org_code_idx ON audits (org_code);

CREATE TABLE audit_findings (
    audit_code TEXT COLLATE "C" NOT NULL REFERENCES audits (code),
    item_no BIGINT NOT NULL,
    title TEXT COLLATE "C" NOT NULL,
    system_code TEXT COLLATE "C" REFERENCES systems (code),
    raised_on DATE NOT NULL,
    due_on DATE,
    closed_on DATE,
    PRIMARY KEY (audit_code, item_no)
);
CREATE INDEX audit_findings_system_code_idx ON audit_findings (system_code);

CREATE TABLE log_sources (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('authentication', 'access', 'privileged', 'communication', 'error', 'security_device')),
    collected BOOLEAN NOT NULL,
    retention_days BIGINT,
    PRIMARY KEY (system_code, kind)
);

CREATE TABLE log_reviews (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    reviewed_on DATE NOT NULL,
    reviewer TEXT COLLATE "C",
    result TEXT COLLATE "C",
    PRIMARY KEY (system_code, reviewed_on)
);

CREATE TABLE access_reviews (
    system_code TEXT COLLATE "C" NOT NULL REFERENCES systems (code),
    reviewed_on DATE NOT NULL,
    reviewer TEXT COLLATE "C",
    accounts_removed BIGINT,
    PRIMARY KEY (system_code, reviewed_on)
);

CREATE TABLE network_flows (
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    from_segment TEXT COLLATE "C" NOT NULL CHECK (from_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    to_segment TEXT COLLATE "C" NOT NULL CHECK (to_segment IN ('mynumber', 'lgwan', 'internet', 'government', 'other')),
    protocol TEXT COLLATE "C" NOT NULL DEFAULT '',
    purpose TEXT COLLATE "C",
    route_restricted BOOLEAN,
    protocol_restricted BOOLEAN,
    sanitized BOOLEAN,
    PRIMARY KEY (org_code, from_segment, to_segment, protocol)
);

CREATE TABLE export_exceptions (
    code TEXT COLLATE "C" NOT NULL,
    component_code TEXT COLLATE "C" NOT NULL REFERENCES components (code),
    person_code TEXT COLLATE "C" REFERENCES people (code),
    granted_on DATE NOT NULL,
    expires_on DATE,
    approved_by TEXT COLLATE "C" REFERENCES people (code),
    logged BOOLEAN,
    items_recorded BOOLEAN,
    PRIMARY KEY (code)
);
CREATE INDEX export_exceptions_component_code_idx ON export_exceptions (component_code);
CREATE INDEX export_exceptions_person_code_idx ON export_exceptions (person_code);
CREATE INDEX export_exceptions_approved_by_idx ON export_exceptions (approved_by);

CREATE TABLE file_shares (
    component_code TEXT COLLATE "C" NOT NULL REFERENCES components (code),
    path TEXT COLLATE "C" NOT NULL,
    specific_personal_info BOOLEAN,
    open_to_section BOOLEAN,
    PRIMARY KEY (component_code, path)
);

CREATE TABLE project_reviews (
    project_code TEXT COLLATE "C" NOT NULL REFERENCES projects (code),
    stage TEXT COLLATE "C" NOT NULL CHECK (stage IN ('planning', 'requirements', 'procurement', 'development', 'operation')),
    self_inspected_on DATE,
    pmo_reviewed_on DATE,
    central_reviewed_on DATE,
    PRIMARY KEY (project_code, stage)
);

CREATE TABLE budget_items (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    project_code TEXT COLLATE "C" REFERENCES projects (code),
    fiscal_year INTEGER NOT NULL,
    kind TEXT COLLATE "C" NOT NULL CHECK (kind IN ('request', 'initial', 'supplementary')),
    title TEXT COLLATE "C" NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (code)
);
CREATE INDEX budget_items_org_code_idx ON budget_items (org_code);
CREATE INDEX budget_items_project_code_idx ON budget_items (project_code);

CREATE TABLE survey_answers (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    fiscal_year INTEGER NOT NULL,
    topic TEXT COLLATE "C" NOT NULL,
    answered_on DATE,
    followed_up_on DATE,
    PRIMARY KEY (code)
);
CREATE INDEX survey_answers_org_code_idx ON survey_answers (org_code);

CREATE TABLE incidents (
    code TEXT COLLATE "C" NOT NULL,
    org_code TEXT COLLATE "C" NOT NULL REFERENCES organizations (code),
    system_code TEXT COLLATE "C" REFERENCES systems (code),
    category TEXT COLLATE "C" NOT NULL CHECK (category IN ('malware', 'unauthorized_access', 'dos', 'targeted', 'leak', 'loss', 'misdelivery', 'failure', 'other')),
    severity TEXT COLLATE "C" CHECK (severity IN ('low', 'medium', 'high', 'critical')),
    detected_on DATE NOT NULL,
    responded_on DATE,
    recovered_on DATE,
    summary TEXT COLLATE "C",
    PRIMARY KEY (code)
);
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
