package mamori

// The register: every entity mamori imports, stores and exports, with its
// Japanese headers. The order of Entities is a load order: an entity comes
// after every entity it refers to (organizations refer to themselves and are
// loaded parents first). Column names are frozen by the migrations; changing
// one here without a migration fails the store's schema test.

// Organization kinds (組織の種別). The tier a finding is reported under in the
// Board of Audit's tables follows from the kind.
var OrganizationKinds = []EnumValue{
	{"government", "政府", "Government"},
	{"ministry", "府省庁", "Ministry"},
	{"central", "本府省庁等", "Central office"},
	{"branch", "地方支分部局", "Regional branch"},
	{"prefecture", "都道府県", "Prefecture"},
	{"municipality", "市区町村", "Municipality"},
	{"agency", "独立行政法人等", "Incorporated administrative agency"},
}

// ThreeLayerModels are the local-government network models (三層の構え).
var ThreeLayerModels = []EnumValue{
	{"alpha", "αモデル", "alpha"},
	{"alpha_prime", "α'モデル", "alpha-prime"},
	{"beta", "βモデル", "beta"},
	{"beta_prime", "β'モデル", "beta-prime"},
}

// PersonStatuses say whether a person still holds their post.
var PersonStatuses = []EnumValue{
	{"active", "在職", "Active"},
	{"left", "退職", "Left"},
	{"transferred", "異動", "Transferred"},
}

// Roles are the security roles of the Unified Standards (統一基準 2.1.1) and
// the local-government guideline.
var Roles = []EnumValue{
	{"ciso", "最高情報セキュリティ責任者", "CISO"},
	{"deputy_ciso", "最高情報セキュリティ副責任者", "Deputy CISO"},
	{"chief_security_officer", "統括情報セキュリティ責任者", "Chief information security officer"},
	{"audit_officer", "情報セキュリティ監査責任者", "Information security audit officer"},
	{"security_officer", "情報セキュリティ責任者", "Information security officer"},
	{"system_security_officer", "情報システムセキュリティ責任者", "Information system security officer"},
	{"authorizer", "許可権限者", "Authorizer"},
	{"security_manager", "情報セキュリティ管理者", "Information security manager"},
	{"system_manager", "情報システム管理者", "Information system manager"},
	{"csirt_member", "CSIRT要員", "CSIRT member"},
	{"security_advisor", "最高情報セキュリティアドバイザー", "Chief information security advisor"},
	{"cloud_manager", "クラウドサービス管理者", "Cloud service manager"},
}

// SystemClasses distinguish information systems from office equipment; seed 003
// found a call-centre recorder holding pension data filed as office equipment.
var SystemClasses = []EnumValue{
	{"information_system", "情報システム", "Information system"},
	{"office_equipment", "事務機器", "Office equipment"},
}

// DiscoverySources say how mamori learned of a system. A system known only from
// contracts, payments, components or the SystemID list is not in the register
// (check REG-01, seed 001: 97 unregistered systems).
var DiscoverySources = []EnumValue{
	{"register", "台帳", "Register"},
	{"contract", "契約", "Contract"},
	{"payment", "支払", "Payment"},
	{"component", "構成要素", "Component"},
	{"system_id_list", "情報システムID一覧", "SystemID list"},
}

// SightingSources are where a system was seen outside the register: the
// reconciliation that finds systems missing from it (REG-01, seed 001: 97
// systems appeared in contracts and payments but not in the 台帳).
var SightingSources = []EnumValue{
	{"contract", "契約", "Contract"},
	{"budget", "予算", "Budget item"},
	{"payment", "支払", "Payment"},
	{"system_id_list", "情報システムID一覧", "SystemID list"},
	{"sbom", "SBOM", "SBOM"},
	{"host_inventory", "機器一覧", "Host inventory"},
	{"other", "その他", "Other"},
}

// UpdateKinds are the updates a terminal or server receives (seed 002: LGWAN
// terminals stopped receiving both after the split).
var UpdateKinds = []EnumValue{
	{"patch", "更新プログラム", "Patch"},
	{"av_definitions", "定義ファイル", "Anti-virus definitions"},
}

// SubsidyPrograms are the programmes of the 強化対策費補助金 (seed 002).
var SubsidyPrograms = []EnumValue{
	{"robustness", "強じん性向上事業", "Network robustness"},
	{"security_cloud", "セキュリティクラウド事業", "Security cloud"},
	{"other", "その他", "Other"},
}

// NetworkSegments are the zones of the three-layer model, plus others.
var NetworkSegments = []EnumValue{
	{"mynumber", "マイナンバー利用事務系", "My Number zone"},
	{"lgwan", "LGWAN接続系", "LGWAN zone"},
	{"internet", "インターネット接続系", "Internet zone"},
	{"government", "政府共通ネットワーク", "Government common network"},
	{"other", "その他", "Other"},
}

// Hostings say where a system runs.
var Hostings = []EnumValue{
	{"onpremises", "オンプレミス", "On premises"},
	{"cloud", "クラウド", "Cloud"},
	{"hybrid", "ハイブリッド", "Hybrid"},
}

// SystemStatuses are the life-cycle stages of a register entry.
var SystemStatuses = []EnumValue{
	{"planned", "計画中", "Planned"},
	{"operating", "稼働中", "Operating"},
	{"retired", "廃止", "Retired"},
}

// CostKinds split a system's cost by fiscal year.
var CostKinds = []EnumValue{
	{"development", "整備経費", "Development"},
	{"operation", "運用経費", "Operation"},
	{"other", "その他", "Other"},
}

// ServiceModels are the cloud service models.
var ServiceModels = []EnumValue{
	{"iaas", "IaaS", "IaaS"},
	{"paas", "PaaS", "PaaS"},
	{"saas", "SaaS", "SaaS"},
}

// ISMAPStatuses say on which ISMAP list a cloud service is registered.
var ISMAPStatuses = []EnumValue{
	{"ismap", "ISMAP", "ISMAP"},
	{"ismap_liu", "ISMAP-LIU", "ISMAP-LIU"},
	{"none", "未登録", "Not registered"},
}

// ComponentKinds are the kinds of component (構成要素).
var ComponentKinds = []EnumValue{
	{"server", "サーバ", "Server"},
	{"terminal", "端末", "Terminal"},
	{"network_device", "通信回線装置", "Network device"},
	{"appliance", "アプライアンス", "Appliance"},
	{"storage", "ストレージ", "Storage"},
	{"mfp", "複合機", "Multifunction printer"},
	{"iot", "IoT機器", "IoT device"},
	{"recorder", "録音装置", "Recorder"},
}

// ServerRoles mark servers that the local-government guideline wants inside the
// prefectural security cloud (LG-11).
var ServerRoles = []EnumValue{
	{"web", "ウェブサーバ", "Web server"},
	{"dns", "DNSサーバ", "DNS server"},
	{"mail", "メールサーバ", "Mail server"},
	{"database", "データベース", "Database"},
	{"application", "アプリケーション", "Application"},
	{"gateway", "ゲートウェイ", "Gateway"},
	{"other", "その他", "Other"},
}

// ContractKinds are the kinds of contract.
var ContractKinds = []EnumValue{
	{"outsourcing", "業務委託", "Outsourcing"},
	{"development", "開発", "Development"},
	{"maintenance", "保守", "Maintenance"},
	{"cloud", "クラウドサービス利用", "Cloud service"},
	{"lease", "賃貸借", "Lease"},
	{"purchase", "購入", "Purchase"},
}

// ClauseGroups group the security clauses a contract must carry: the seven
// vendor items of 統一基準 4.1.1, the two subcontracting clauses, the
// take-out ban of seed 003 and the ISMAP-level requirement.
var ClauseGroups = []EnumValue{
	{"vendor7", "委託先の7事項", "Seven vendor items"},
	{"subcontract", "再委託", "Subcontracting"},
	{"takeout", "持出し禁止", "Take-out ban"},
	{"ismap", "ISMAP管理策基準", "ISMAP controls"},
	{"support", "インシデント支援", "Incident support"},
	{"other", "その他", "Other"},
}

// VerificationResults are the outcomes of a vendor verification.
var VerificationResults = []EnumValue{
	{"conforming", "適合", "Conforming"},
	{"issues", "指摘あり", "Issues found"},
}

// PlanKinds are the plans an organization makes per fiscal year.
var PlanKinds = []EnumValue{
	{"education", "教育実施計画", "Education plan"},
	{"audit", "監査実施計画", "Audit plan"},
	{"self_inspection", "自己点検計画", "Self-inspection plan"},
	{"itbcp", "IT-BCP", "IT-BCP"},
	{"emergency", "緊急時対応計画", "Emergency response plan"},
	{"vulnerability", "ぜい弱性対策計画", "Vulnerability countermeasure plan"},
	{"crisis", "危機的事象対策", "Crisis-event measures"},
}

// TrainingKinds are the kinds of security training an education plan
// delivers (統一基準 2.2.3): general staff courses, outsourcing (seed 001
// asked whether it changed contracts), targeted-attack drills, and courses
// for executives and system staff (seed 004).
var TrainingKinds = []EnumValue{
	{"general", "一般職員向け研修", "General staff"},
	{"outsourcing", "業務委託に関する研修", "Outsourcing"},
	{"targeted_drill", "標的型攻撃メール訓練", "Targeted-attack drill"},
	{"executive", "幹部向け研修", "Executives"},
	{"system_staff", "情報システム担当者向け研修", "System staff"},
	{"other", "その他", "Other"},
}

// AuditKinds distinguish planned audits from those commissioned outside the
// plan; seed 001 found 14 of 17 out-of-plan audits unshared with the audit officer.
var AuditKinds = []EnumValue{
	{"planned", "計画監査", "Planned"},
	{"out_of_plan", "計画外監査", "Out of plan"},
}

// LogKinds are the audit-relevant log items (点検対象ログ).
var LogKinds = []EnumValue{
	{"authentication", "主体認証", "Authentication"},
	{"access", "アクセス", "Access"},
	{"privileged", "特権操作", "Privileged operations"},
	{"communication", "通信", "Communication"},
	{"error", "エラー", "Errors"},
	{"security_device", "セキュリティ機器", "Security devices"},
}

// ProjectStages are the PJMO project stages reviewed by self-inspection and the PMO.
var ProjectStages = []EnumValue{
	{"planning", "企画", "Planning"},
	{"requirements", "要件定義", "Requirements"},
	{"procurement", "調達", "Procurement"},
	{"development", "設計・開発", "Design and development"},
	{"operation", "運用・保守", "Operation and maintenance"},
}

// BudgetKinds are the kinds of budget figure (seed 000).
var BudgetKinds = []EnumValue{
	{"request", "概算要求", "Budget request"},
	{"initial", "当初予算", "Initial budget"},
	{"supplementary", "補正予算", "Supplementary budget"},
}

// PlanItemKinds are what a プロジェクト計画書 lists (seed 000: the secure
// zone was a function added to the platform that no plan listed).
var PlanItemKinds = []EnumValue{
	{"initiative", "取組", "Initiative"},
	{"function", "機能", "Function"},
	{"budget_line", "予算事項", "Budget line"},
}

// InvestmentRecordKinds are the documents an investment decision rests on
// (seed 000: none of the three existed for the secure zone).
var InvestmentRecordKinds = []EnumValue{
	{"demand_survey", "需要の把握", "Demand analysis"},
	{"usage_estimate", "利用規模の見込み", "Usage estimate"},
	{"cost_effectiveness", "費用対効果の検討", "Cost-effectiveness study"},
}

// CSIRTRoles are the roles a CSIRT member plays (seed 002 counts bodies
// whose CSIRT staff and functions were never written down).
var CSIRTRoles = []EnumValue{
	{"lead", "責任者", "Lead"},
	{"poc", "窓口（PoC）", "Point of contact"},
	{"triage", "トリアージ", "Triage"},
	{"analysis", "分析", "Analysis"},
	{"response", "技術対応", "Technical response"},
	{"liaison", "報告・連絡", "Reporting and liaison"},
	{"public_relations", "広報", "Public relations"},
	{"other", "その他", "Other"},
}

// DrillScenarios are what an emergency drill rehearses; seed 002 asks for
// plans (and drills) that cover targeted attacks.
var DrillScenarios = []EnumValue{
	{"targeted_attack", "標的型攻撃", "Targeted attack"},
	{"malware", "マルウェア感染", "Malware infection"},
	{"leak", "情報漏えい", "Information leak"},
	{"dos", "サービス妨害", "Denial of service"},
	{"system_failure", "システム停止", "System outage"},
	{"disaster", "災害", "Disaster"},
	{"other", "その他", "Other"},
}

// Severities rank incidents.
var Severities = []EnumValue{
	{"low", "低", "Low"},
	{"medium", "中", "Medium"},
	{"high", "高", "High"},
	{"critical", "重大", "Critical"},
}

func text(col, ja, en string) Field { return Field{Column: col, JA: ja, EN: en, Type: Text} }
func code(col, ja, en string) Field { return Field{Column: col, JA: ja, EN: en, Type: Code} }
func ref(col, ja, en, entity string) Field {
	return Field{Column: col, JA: ja, EN: en, Type: Code, Ref: entity}
}
func integer(col, ja, en string, lo, hi int64) Field {
	return Field{Column: col, JA: ja, EN: en, Type: Integer, Min: lo, Max: hi}
}
func money(col, ja, en string) Field   { return Field{Column: col, JA: ja, EN: en, Type: Money} }
func date(col, ja, en string) Field    { return Field{Column: col, JA: ja, EN: en, Type: Date} }
func fy(col, ja, en string) Field      { return Field{Column: col, JA: ja, EN: en, Type: FiscalYear} }
func boolean(col, ja, en string) Field { return Field{Column: col, JA: ja, EN: en, Type: Bool} }
func enum(col, ja, en string, vs []EnumValue) Field {
	return Field{Column: col, JA: ja, EN: en, Type: Enum, Enum: vs}
}
func key(f Field) Field { f.Key = true; return f }
func req(f Field) Field { f.Required = true; return f }

// Entities is the register, in load order.
var Entities = []*Entity{
	{Name: "organizations", JA: "組織", EN: "Organizations", Fields: []Field{
		key(code("code", "組織コード", "Code")),
		ref("parent_code", "上位組織コード", "Parent code", "organizations"),
		req(enum("kind", "種別", "Kind", OrganizationKinds)),
		req(text("name", "名称", "Name")),
		text("name_en", "英語名称", "English name"),
		date("policy_established_on", "対策基準策定日", "Policy established on"),
		date("policy_revised_on", "対策基準改定日", "Policy revised on"),
		date("hardening_completed_on", "強靱化完了日", "Hardening completed on"),
		enum("three_layer_model", "三層の構えモデル", "Three-layer model", ThreeLayerModels),
		boolean("csirt_documented", "CSIRT文書化", "CSIRT documented"),
		boolean("incident_support_agreed", "支援事業者との役割合意", "Incident-support roles agreed"),
		boolean("export_encryption_enforced", "持出し媒体の暗号化強制", "Export encryption enforced"),
		boolean("mail_sanitized", "メール無害化", "Mail sanitised"),
		boolean("security_cloud_joined", "セキュリティクラウド参加", "Joined security cloud"),
		boolean("outsourcing_training", "外部委託に関する研修実施", "Outsourcing training given"),
		// The three-layer measures as a local government answers for them
		// (seed 002); each may instead be evidenced by its terminals.
		boolean("csirt_established", "CSIRT設置", "CSIRT established"),
		boolean("incident_support_needed", "インシデント時の事業者支援の要否", "Needs vendor support in incidents"),
		date("lgwan_split_on", "LGWAN接続系とインターネット接続系の分割日", "LGWAN and Internet zones split on"),
		boolean("attachments_sanitized", "添付ファイルの無害化", "Attachments sanitised"),
		boolean("two_factor_introduced", "二要素認証の導入", "Two-factor authentication introduced"),
		boolean("two_factor_all_terminals", "二要素認証を全端末に導入（予定を含む）", "Two factors on every terminal (or planned)"),
		boolean("export_blocking_introduced", "持出し不可設定の導入", "Export blocking introduced"),
		boolean("export_blocking_all_terminals", "持出し不可設定を全端末に導入（予定を含む）", "Export blocking on every terminal (or planned)"),
		boolean("export_exceptions_allowed", "例外的な持出しを認める", "Exceptional exports allowed"),
		boolean("export_unblock_by_admin", "管理者による持出し不可設定の解除", "Blocking lifted by an administrator"),
		boolean("export_unblock_unlimited", "期限を設けない解除", "Blocking lifted without expiry"),
		boolean("export_unblock_month_or_more", "1か月以上の解除", "Blocking lifted for a month or more"),
		boolean("export_approval_enforced", "管理者の許可をシステムで強制", "Manager approval enforced by the system"),
		boolean("export_approval_obtained", "管理者の許可を得る運用", "Manager approval obtained"),
		boolean("export_logs_kept", "持出しログの保存（全媒体）", "Export logs kept (all media)"),
		boolean("export_items_recorded", "持出物の記録", "Exported items recorded"),
		boolean("encrypted_media_used", "暗号化機能のある媒体の使用", "Encrypting media used"),
		boolean("policy_revision_planned", "強靱化を踏まえた改定の予定", "Policy revision planned"),
		boolean("security_cloud_dns_aggregated", "セキュリティクラウドの外部DNS集約設備", "Security cloud aggregates external DNS"),
	}},
	{Name: "people", JA: "職員", EN: "People", Fields: []Field{
		key(code("code", "職員コード", "Code")),
		req(ref("org_code", "所属組織コード", "Organization code", "organizations")),
		req(text("name", "氏名", "Name")),
		text("email", "メールアドレス", "Email"),
		req(enum("status", "在職状況", "Status", PersonStatuses)),
		date("left_on", "退職・異動日", "Left on"),
	}},
	{Name: "role_assignments", JA: "役割", EN: "Role assignments", Fields: []Field{
		key(ref("org_code", "組織コード", "Organization code", "organizations")),
		key(enum("role", "役割", "Role", Roles)),
		key(ref("person_code", "職員コード", "Person code", "people")),
		date("since", "任命日", "Since"),
		date("until", "任期終了日", "Until"),
	}},
	{Name: "projects", JA: "プロジェクト", EN: "Projects", Fields: []Field{
		key(code("code", "プロジェクトコード", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(text("name", "プロジェクト名", "Name")),
		date("plan_documented_on", "プロジェクト計画書作成日", "Project plan written on"),
		boolean("demand_surveyed", "需要調査", "Demand surveyed"),
		boolean("usage_estimated", "利用見込み", "Usage estimated"),
		boolean("cost_effectiveness_recorded", "費用対効果の検討", "Cost-effectiveness recorded"),
		date("go_live_on", "運用開始日", "Go-live on"),
		integer("utilization_percent", "利用率(%)", "Utilisation (%)", 0, 100),
		date("utilization_measured_on", "利用状況確認日", "Utilisation measured on"),
	}},
	// The items of a project's プロジェクト計画書 (issue 15): contracts,
	// budget items and initiatives name the item that covers them.
	{Name: "plan_items", JA: "計画書記載事項", EN: "Project plan items", Fields: []Field{
		key(code("code", "記載事項コード", "Code")),
		req(ref("project_code", "プロジェクトコード", "Project code", "projects")),
		req(enum("kind", "種別", "Kind", PlanItemKinds)),
		req(text("title", "記載事項", "Title")),
		ref("covers_project_code", "対象の取組(プロジェクトコード)", "Initiative covered (project code)", "projects"),
	}},
	{Name: "cloud_services", JA: "クラウドサービス", EN: "Cloud services", Fields: []Field{
		key(code("code", "サービスコード", "Code")),
		req(text("provider", "事業者名", "Provider")),
		req(text("name", "サービス名", "Name")),
		enum("service_model", "種類", "Service model", ServiceModels),
		req(enum("ismap_status", "ISMAP区分", "ISMAP status", ISMAPStatuses)),
		code("registration_number", "登録番号", "Registration number"),
		date("listed_on", "登録日", "Listed on"),
		date("valid_until", "有効期限", "Valid until"),
	}},
	{Name: "systems", JA: "情報システム", EN: "Systems", Fields: []Field{
		key(code("code", "台帳番号", "Register number")),
		req(ref("org_code", "所管組織コード", "Organization code", "organizations")),
		req(text("name", "情報システム名", "Name")),
		code("system_id", "情報システムID", "SystemID"),
		req(boolean("in_register", "台帳記載", "In register")),
		enum("discovered_from", "把握経路", "Discovered from", DiscoverySources),
		req(enum("class", "区分", "Class", SystemClasses)),
		text("managing_section", "管理課室", "Managing section"),
		ref("security_officer_code", "情報システムセキュリティ責任者", "Security officer", "people"),
		text("officer_contact", "責任者連絡先", "Officer contact"),
		text("configuration", "システム構成", "Configuration"),
		text("external_connections", "外部通信回線の種別", "External connections"),
		integer("confidentiality", "機密性", "Confidentiality", 1, 3),
		integer("integrity", "完全性", "Integrity", 1, 2),
		integer("availability", "可用性", "Availability", 1, 2),
		text("handling_restrictions", "取扱制限", "Handling restrictions"),
		text("development_info", "設計・開発情報", "Design and development"),
		text("operation_info", "運用・保守情報", "Operation and maintenance"),
		boolean("personal_info", "個人情報", "Personal information"),
		boolean("specific_personal_info", "特定個人情報", "Specific personal information"),
		enum("network_segment", "ネットワーク領域", "Network segment", NetworkSegments),
		enum("hosting", "設置形態", "Hosting", Hostings),
		ref("cloud_service_code", "クラウドサービスコード", "Cloud service code", "cloud_services"),
		ref("cloud_manager_code", "クラウドサービス管理者", "Cloud service manager", "people"),
		text("data_location", "保存場所・契約条件", "Data location and terms"),
		boolean("important_business", "重要業務", "Supports important business"),
		boolean("itbcp_required", "IT-BCP要", "IT-BCP required"),
		boolean("security_requirements_defined", "セキュリティ要件定義", "Security requirements defined"),
		ref("project_code", "プロジェクトコード", "Project code", "projects"),
		req(enum("status", "稼働状況", "Status", SystemStatuses)),
		// The vulnerability countermeasures of 統一基準 6.2.1 as the Board of
		// Audit asked for them (seed 001): gathered, applied, recorded.
		boolean("vuln_info_gathered", "ぜい弱性情報の収集", "Vulnerability information gathered"),
		boolean("vuln_measures_applied", "ぜい弱性対策の実施", "Vulnerability countermeasures applied"),
		boolean("vuln_measures_recorded", "ぜい弱性対策の記録", "Vulnerability countermeasures recorded"),
		date("go_live_on", "稼働開始日", "Go-live on"),
		date("retired_on", "廃止日", "Retired on"),
	}},
	{Name: "system_sightings", JA: "台帳外の把握", EN: "System sightings", Fields: []Field{
		key(code("code", "把握番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(enum("source", "把握経路", "Source", SightingSources)),
		text("reference", "根拠（契約番号・ファイル名等）", "Reference"),
		ref("system_code", "台帳番号", "System code", "systems"),
		code("system_id", "情報システムID", "SystemID"),
		text("system_name", "情報システム名", "System name"),
		date("seen_on", "把握日", "Seen on"),
	}},
	{Name: "register_items", JA: "台帳記載事項", EN: "Register items", Reference: true, Fields: []Field{
		key(code("edition", "基準の版", "Edition")),
		key(integer("item_no", "項番", "Item number", 1, 99)),
		// field names a systems column; a header such as 管理課室 is stored
		// as its column name (managing_section).
		req(Field{Column: "field", JA: "対応項目", EN: "Field", Type: Code, Hint: "「情報システム」シートの列見出しか列名(例: 管理課室、managing_section)"}),
		req(text("name", "記載事項", "Name")),
		boolean("cloud_only", "クラウド利用時のみ", "Cloud only"),
	}},
	{Name: "system_costs", JA: "経費", EN: "System costs", Fields: []Field{
		key(ref("system_code", "台帳番号", "System code", "systems")),
		key(fy("fiscal_year", "年度", "Fiscal year")),
		key(enum("kind", "区分", "Kind", CostKinds)),
		req(money("amount", "金額(円)", "Amount (yen)")),
	}},
	{Name: "images", JA: "標準イメージ", EN: "Software images", Fields: []Field{
		key(code("code", "イメージコード", "Code")),
		ref("org_code", "組織コード", "Organization code", "organizations"),
		req(text("name", "名称", "Name")),
		date("built_on", "作成日", "Built on"),
	}},
	{Name: "image_software", JA: "ソフトウェア", EN: "Installed software", Fields: []Field{
		key(ref("image_code", "イメージコード", "Image code", "images")),
		key(text("vendor", "ベンダー", "Vendor")),
		key(req(text("product", "製品名", "Product"))),
		key(text("version", "バージョン", "Version")),
		text("cpe", "CPE", "CPE 2.3"),
		text("purl", "purl", "purl"),
	}},
	{Name: "components", JA: "構成要素", EN: "Components", Fields: []Field{
		key(code("code", "機器番号", "Code")),
		req(ref("system_code", "台帳番号", "System code", "systems")),
		req(enum("kind", "種別", "Kind", ComponentKinds)),
		text("name", "名称", "Name"),
		code("hostname", "ホスト名", "Hostname"),
		ref("image_code", "イメージコード", "Image code", "images"),
		enum("network_segment", "ネットワーク領域", "Network segment", NetworkSegments),
		enum("server_role", "サーバの役割", "Server role", ServerRoles),
		date("patched_on", "最終パッチ適用日", "Patched on"),
		date("av_definitions_on", "定義ファイル更新日", "AV definitions on"),
		boolean("second_factor", "二要素認証", "Second factor"),
		boolean("fallback_password_preset", "代替パスワード事前設定", "Fallback password preset"),
		boolean("shared_auth_means", "認証手段の共用", "Shared authentication means"),
		boolean("default_password", "初期パスワード未変更", "Default password unchanged"),
		boolean("export_blocking", "持出し不可設定", "Export blocking"),
		boolean("stores_personal_info", "個人情報の保存", "Stores personal information"),
		boolean("local_specific_personal_info", "ローカルの特定個人情報", "Specific personal information on local drive"),
		boolean("networked", "他機器との通信", "Talks to other devices"),
		boolean("in_security_cloud", "セキュリティクラウド収容", "In security cloud"),
		boolean("monitored", "専門監視", "Monitored by specialists"),
		boolean("staged_login", "段階的な認証", "Staged login"),
	}},
	{Name: "component_updates", JA: "更新履歴", EN: "Component updates", Fields: []Field{
		key(ref("component_code", "機器番号", "Component code", "components")),
		key(enum("kind", "種別", "Kind", UpdateKinds)),
		key(date("applied_on", "適用日", "Applied on")),
	}},
	{Name: "component_software", JA: "構成要素のソフトウェア", EN: "Component software", Fields: []Field{
		key(ref("component_code", "機器番号", "Component code", "components")),
		key(text("vendor", "ベンダー・名前空間", "Vendor or namespace")),
		key(req(text("product", "製品名", "Product"))),
		key(text("version", "バージョン", "Version")),
		text("cpe", "CPE", "CPE 2.3 (several separated by spaces)"),
		text("purl", "purl", "purl"),
		text("source", "出典", "Source (SBOM file)"),
	}},
	{Name: "accounts", JA: "アカウント", EN: "Accounts", Fields: []Field{
		key(ref("system_code", "台帳番号", "System code", "systems")),
		key(code("name", "アカウント名", "Account name")),
		ref("person_code", "職員コード", "Person code", "people"),
		boolean("privileged", "特権", "Privileged"),
		boolean("shared", "共用", "Shared"),
		req(boolean("enabled", "有効", "Enabled")),
	}},
	{Name: "clause_defs", JA: "条項一覧", EN: "Clause list", Reference: true, Fields: []Field{
		key(code("code", "条項コード", "Code")),
		req(enum("clause_group", "区分", "Group", ClauseGroups)),
		req(text("name", "条項", "Name")),
		text("name_en", "英語名", "English name"),
	}},
	{Name: "contracts", JA: "契約", EN: "Contracts", Fields: []Field{
		key(code("code", "契約番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(enum("kind", "種別", "Kind", ContractKinds)),
		req(text("title", "件名", "Title")),
		req(text("vendor", "契約相手方", "Vendor")),
		date("contracted_on", "契約締結日", "Contracted on"),
		date("start_on", "契約開始日", "Starts on"),
		date("end_on", "契約終了日", "Ends on"),
		money("total_amount", "契約金額(円)", "Total amount (yen)"),
		boolean("multi_year", "国庫債務負担行為", "Multi-year obligation"),
		boolean("verification_specified", "履行確認方法の定め", "Verification method specified"),
		boolean("subcontracted", "再委託", "Subcontracted"),
		date("subcontract_approved_on", "再委託承認日", "Subcontract approved on"),
		ref("cloud_service_code", "クラウドサービスコード", "Cloud service code", "cloud_services"),
		ref("cloud_approved_by", "クラウド利用承認者", "Cloud use approved by", "people"),
		date("cloud_approved_on", "クラウド利用承認日", "Cloud use approved on"),
		date("conformity_checked_on", "適合性確認日", "Conformity checked on"),
		date("spec_reviewed_on", "仕様書審査日", "Specification reviewed on"),
		boolean("security_requirements_defined", "セキュリティ要件定義", "Security requirements defined"),
		ref("project_code", "プロジェクトコード", "Project code", "projects"),
		// The specification's clauses are recorded in full (契約条項): a
		// contract without clause rows then lacks them all, rather than
		// being 未確認.
		boolean("clauses_recorded", "仕様書の条項を記録済み", "Specification clauses recorded"),
		ref("plan_item_code", "計画書記載事項コード", "Plan item code", "plan_items"),
		integer("obligation_years", "国庫債務負担行為の年限", "Multi-year obligation (years)", 1, 10),
		money("obligation_ceiling", "国庫債務負担行為の限度額(円)", "Multi-year obligation ceiling (yen)"),
	}},
	{Name: "contract_amounts", JA: "契約額(年度別)", EN: "Contract amounts", Fields: []Field{
		key(ref("contract_code", "契約番号", "Contract code", "contracts")),
		key(fy("fiscal_year", "年度", "Fiscal year")),
		req(money("amount", "金額(円)", "Amount (yen)")),
		money("paid", "支払額(円)", "Paid (yen)"),
		// A payment may cover part of the year only (seed 000: the lease's
		// share was paid through June 2019).
		date("paid_through", "支払対象期間の末日", "Paid through"),
	}},
	{Name: "contract_clauses", JA: "契約条項", EN: "Contract clauses", Fields: []Field{
		key(ref("contract_code", "契約番号", "Contract code", "contracts")),
		key(ref("clause_code", "条項コード", "Clause code", "clause_defs")),
	}},
	{Name: "contract_systems", JA: "契約対象システム", EN: "Contract systems", Fields: []Field{
		key(ref("contract_code", "契約番号", "Contract code", "contracts")),
		key(ref("system_code", "台帳番号", "System code", "systems")),
		// The part of the contract that pays for this system (seed 000: the
		// platform lease's share for the secure zone), and what was paid on
		// it up to when.
		money("share_amount", "按分額(円)", "Apportioned amount (yen)"),
		money("share_paid", "按分支払額(円)", "Apportioned paid (yen)"),
		date("share_paid_through", "按分支払の末日", "Apportioned paid through"),
	}},
	{Name: "contract_verifications", JA: "履行確認", EN: "Contract verifications", Fields: []Field{
		key(ref("contract_code", "契約番号", "Contract code", "contracts")),
		key(date("verified_on", "確認日", "Verified on")),
		text("verifier", "確認者", "Verifier"),
		req(enum("result", "結果", "Result", VerificationResults)),
	}},
	{Name: "plans", JA: "計画", EN: "Plans", Fields: []Field{
		key(code("code", "計画コード", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(fy("fiscal_year", "年度", "Fiscal year")),
		req(enum("kind", "種別", "Kind", PlanKinds)),
		text("title", "名称", "Title"),
		date("approved_on", "承認日", "Approved on"),
		date("reviewed_on", "見直し日", "Reviewed on"),
		boolean("has_recovery_objectives", "目標復旧時間・時点", "Recovery objectives (RTO/RPO)"),
		boolean("has_procedures", "対応手順", "Procedures"),
		boolean("covers_targeted_attacks", "標的型攻撃への対応", "Covers targeted attacks"),
		date("last_drill_on", "訓練実施日", "Last drill on"),
	}},
	{Name: "plan_systems", JA: "計画対象システム", EN: "Plan systems", Fields: []Field{
		key(ref("plan_code", "計画コード", "Plan code", "plans")),
		key(ref("system_code", "台帳番号", "System code", "systems")),
	}},
	// Training under the education plan (統一基準 2.2.3): the courses, who
	// must take each (an organization subtree, optionally one role), and
	// each person's attendance and comprehension test, so the plan is
	// measured by staff trained and understood (seed 004), not by the
	// plan's existence alone.
	{Name: "training_courses", JA: "研修", EN: "Training courses", Fields: []Field{
		key(code("code", "研修コード", "Code")),
		req(ref("org_code", "実施組織コード", "Organization code", "organizations")),
		req(fy("fiscal_year", "年度", "Fiscal year")),
		req(enum("kind", "種別", "Kind", TrainingKinds)),
		req(text("title", "研修名", "Title")),
		ref("plan_code", "教育実施計画コード", "Education plan code", "plans"),
		date("delivered_from", "実施開始日", "Delivered from"),
		date("delivered_until", "実施終了日", "Delivered until"),
		integer("pass_score", "理解度テスト合格点", "Comprehension test pass mark", 0, 100),
	}},
	{Name: "training_requirements", JA: "受講対象", EN: "Training requirements", Fields: []Field{
		key(ref("course_code", "研修コード", "Course code", "training_courses")),
		key(ref("org_code", "対象組織コード（配下を含む）", "Organization code (with its subtree)", "organizations")),
		enum("role", "対象の役割（空欄は全職員）", "Role (blank: all staff)", Roles),
	}},
	{Name: "training_attendance", JA: "受講記録", EN: "Training attendance", Fields: []Field{
		key(ref("course_code", "研修コード", "Course code", "training_courses")),
		key(ref("person_code", "職員コード", "Person code", "people")),
		date("attended_on", "受講日", "Attended on"),
		boolean("test_taken", "理解度テスト受験", "Comprehension test taken"),
		integer("score", "得点", "Score", 0, 100),
		boolean("passed", "合格", "Passed"),
	}},
	{Name: "audits", JA: "監査", EN: "Audits", Fields: []Field{
		key(code("code", "監査番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(fy("fiscal_year", "年度", "Fiscal year")),
		req(enum("kind", "種別", "Kind", AuditKinds)),
		text("title", "名称", "Title"),
		text("commissioned_by", "依頼部署", "Commissioned by"),
		text("auditor", "監査人", "Auditor"),
		boolean("external", "外部監査", "External"),
		date("completed_on", "完了日", "Completed on"),
		date("shared_on", "監査責任者への共有日", "Shared with audit officer on"),
	}},
	{Name: "audit_findings", JA: "監査指摘", EN: "Audit findings", Fields: []Field{
		key(ref("audit_code", "監査番号", "Audit code", "audits")),
		key(integer("item_no", "指摘番号", "Item number", 1, 0)),
		req(text("title", "指摘内容", "Title")),
		ref("system_code", "台帳番号", "System code", "systems"),
		req(date("raised_on", "指摘日", "Raised on")),
		date("due_on", "改善期限", "Due on"),
		date("closed_on", "改善完了日", "Closed on"),
	}},
	{Name: "log_sources", JA: "ログ取得", EN: "Log sources", Fields: []Field{
		key(ref("system_code", "台帳番号", "System code", "systems")),
		key(enum("kind", "ログ種別", "Kind", LogKinds)),
		req(boolean("collected", "取得", "Collected")),
		integer("retention_days", "保存期間(日)", "Retention (days)", 0, 36500),
	}},
	{Name: "log_reviews", JA: "ログ点検", EN: "Log reviews", Fields: []Field{
		key(ref("system_code", "台帳番号", "System code", "systems")),
		key(date("reviewed_on", "点検日", "Reviewed on")),
		text("reviewer", "点検者", "Reviewer"),
		text("result", "結果", "Result"),
	}},
	{Name: "access_reviews", JA: "権限見直し", EN: "Access reviews", Fields: []Field{
		key(ref("system_code", "台帳番号", "System code", "systems")),
		key(date("reviewed_on", "見直し日", "Reviewed on")),
		text("reviewer", "実施者", "Reviewer"),
		integer("accounts_removed", "削除アカウント数", "Accounts removed", 0, 0),
	}},
	{Name: "network_flows", JA: "領域間通信", EN: "Network flows", Fields: []Field{
		key(ref("org_code", "組織コード", "Organization code", "organizations")),
		key(enum("from_segment", "送信元領域", "From segment", NetworkSegments)),
		key(enum("to_segment", "宛先領域", "To segment", NetworkSegments)),
		key(text("protocol", "プロトコル", "Protocol")),
		text("purpose", "用途", "Purpose"),
		boolean("route_restricted", "経路制限", "Route restricted"),
		boolean("protocol_restricted", "プロトコル制限", "Protocol restricted"),
		boolean("sanitized", "無害化", "Sanitised"),
	}},
	{Name: "export_exceptions", JA: "持出し許可", EN: "Export exceptions", Fields: []Field{
		key(code("code", "許可番号", "Code")),
		req(ref("component_code", "機器番号", "Component code", "components")),
		ref("person_code", "申請者", "Requested by", "people"),
		req(date("granted_on", "許可日", "Granted on")),
		date("expires_on", "有効期限", "Expires on"),
		ref("approved_by", "承認者", "Approved by", "people"),
		boolean("logged", "持出しログ", "Export logged"),
		boolean("items_recorded", "持出し記録", "Items recorded"),
	}},
	{Name: "file_shares", JA: "共有フォルダ", EN: "File shares", Fields: []Field{
		key(ref("component_code", "機器番号", "Component code", "components")),
		key(req(text("path", "パス", "Path"))),
		boolean("specific_personal_info", "特定個人情報", "Specific personal information"),
		boolean("open_to_section", "課全体に公開", "Open to whole section"),
	}},
	{Name: "project_reviews", JA: "工程レビュー", EN: "Project stage reviews", Fields: []Field{
		key(ref("project_code", "プロジェクトコード", "Project code", "projects")),
		key(enum("stage", "工程", "Stage", ProjectStages)),
		date("self_inspected_on", "自己点検日", "Self-inspected on"),
		date("pmo_reviewed_on", "PMOレビュー日", "PMO reviewed on"),
		date("central_reviewed_on", "中央レビュー日", "Central review on"),
	}},
	{Name: "budget_items", JA: "予算", EN: "Budget items", Fields: []Field{
		key(code("code", "予算番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		ref("project_code", "プロジェクトコード", "Project code", "projects"),
		req(fy("fiscal_year", "年度", "Fiscal year")),
		req(enum("kind", "区分", "Kind", BudgetKinds)),
		req(text("title", "事項", "Title")),
		req(money("amount", "金額(円)", "Amount (yen)")),
		ref("plan_item_code", "計画書記載事項コード", "Plan item code", "plan_items"),
		// A budget carried over (繰越) to the next fiscal year and spent
		// there (seed 000: the 平成27年度 supplementary budget, spent in FY2016).
		fy("carried_to_fy", "繰越先年度", "Carried over to FY"),
		money("carried_amount", "繰越額(円)", "Carried-over amount (yen)"),
	}},
	{Name: "budget_contracts", JA: "予算の執行契約", EN: "Budget-funded contracts", Fields: []Field{
		key(ref("budget_code", "予算番号", "Budget code", "budget_items")),
		key(ref("contract_code", "契約番号", "Contract code", "contracts")),
		money("amount", "充当額(円)", "Amount funded (yen)"),
	}},
	{Name: "surveys", JA: "調査", EN: "Surveys", Fields: []Field{
		key(code("code", "調査番号", "Code")),
		req(ref("org_code", "実施組織コード", "Surveying organization code", "organizations")),
		ref("project_code", "プロジェクトコード", "Project code", "projects"),
		req(text("title", "調査名", "Title")),
		text("questions", "設問", "Questions"),
		req(date("sent_on", "発出日", "Sent on")),
		date("due_on", "回答期限", "Due on"),
	}},
	{Name: "survey_answers", JA: "調査回答", EN: "Survey answers", Fields: []Field{
		key(code("code", "回答番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(fy("fiscal_year", "年度", "Fiscal year")),
		req(text("topic", "調査事項", "Topic")),
		date("answered_on", "回答日", "Answered on"),
		date("followed_up_on", "フォローアップ日", "Followed up on"),
		ref("survey_code", "調査番号", "Survey code", "surveys"),
		boolean("wishes_to_use", "利用希望", "Wishes to use"),
		text("conditions", "回答に付された条件", "Conditions stated"),
		date("condition_followed_up_on", "条件の確認日", "Conditions followed up on"),
	}},
	{Name: "investment_records", JA: "投資判断の記録", EN: "Investment records", Fields: []Field{
		key(ref("project_code", "プロジェクトコード", "Project code", "projects")),
		key(enum("kind", "種別", "Kind", InvestmentRecordKinds)),
		key(date("recorded_on", "作成日", "Recorded on")),
		req(text("title", "資料名", "Title")),
		text("document", "文書番号・所在", "Document"),
		integer("estimated_users", "見込利用組織数", "Estimated using organizations", 0, 100000),
	}},
	// Use of a built capability for its purpose, month by month (GOV-04);
	// month is the first day of the month measured.
	{Name: "capability_usage", JA: "利用実績(月別)", EN: "Capability usage by month", Fields: []Field{
		key(ref("system_code", "台帳番号", "System code", "systems")),
		key(date("month", "月(初日)", "Month (first day)")),
		integer("orgs_for_purpose", "本来目的での利用組織数", "Organizations using it for its purpose", 0, 100000),
		integer("systems_for_purpose", "本来目的での利用システム数", "Systems using it for its purpose", 0, 1000000),
		text("other_use", "目的外の利用", "Other use"),
	}},
	{Name: "subsidies", JA: "補助金", EN: "Subsidies", Fields: []Field{
		key(code("code", "交付番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		req(fy("fiscal_year", "年度", "Fiscal year")),
		req(enum("program", "事業", "Programme", SubsidyPrograms)),
		money("amount", "交付額(円)", "Amount (yen)"),
	}},
	// The incident register (DESIGN C7; seed 004: outcome metrics, incidents
	// by class and how they were handled). The classes are reference data,
	// like the clause list: migrate seeds DefaultIncidentClasses and a
	// deployment may import its own. The timeline's times are optional
	// (HH:MM, Japan time); register.checkIncidents refuses a timeline out of
	// order, naming the field.
	{Name: "incident_classes", JA: "インシデント分類", EN: "Incident classes", Reference: true, Fields: []Field{
		key(code("code", "分類コード", "Code")),
		req(text("name", "分類", "Name")),
		text("name_en", "英語名", "English name"),
	}},
	{Name: "incidents", JA: "インシデント", EN: "Incidents", Fields: []Field{
		key(code("code", "インシデント番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		ref("system_code", "台帳番号", "System code", "systems"),
		req(ref("category", "分類", "Class", "incident_classes")),
		enum("severity", "重大度", "Severity", Severities),
		date("occurred_on", "発生日", "Occurred on"),
		code("occurred_time", "発生時刻", "Occurred at"),
		req(date("detected_on", "検知日", "Detected on")),
		code("detected_time", "検知時刻", "Detected at"),
		date("reported_on", "報告日", "Reported on"),
		code("reported_time", "報告時刻", "Reported at"),
		text("reported_to", "報告先", "Reported to"),
		date("contained_on", "封じ込め日", "Contained on"),
		code("contained_time", "封じ込め時刻", "Contained at"),
		date("recovered_on", "復旧日", "Recovered on"),
		code("recovered_time", "復旧時刻", "Recovered at"),
		date("closed_on", "完了日", "Closed on"),
		text("summary", "概要", "Summary"),
		text("cause", "原因", "Cause"),
		text("measures", "再発防止策", "Measures against recurrence"),
	}},
	{Name: "incident_systems", JA: "影響システム", EN: "Affected systems", Fields: []Field{
		key(ref("incident_code", "インシデント番号", "Incident code", "incidents")),
		key(ref("system_code", "台帳番号", "System code", "systems")),
	}},
	{Name: "incident_orgs", JA: "影響組織", EN: "Affected organizations", Fields: []Field{
		key(ref("incident_code", "インシデント番号", "Incident code", "incidents")),
		key(ref("org_code", "組織コード", "Organization code", "organizations")),
	}},
	// A year without incidents is declared, so that it is not the same as
	// a year nobody recorded (GOV-05).
	{Name: "incident_declarations", JA: "インシデントなし申告", EN: "No-incident declarations", Fields: []Field{
		key(ref("org_code", "組織コード", "Organization code", "organizations")),
		key(fy("fiscal_year", "年度", "Fiscal year")),
		date("declared_on", "申告日", "Declared on"),
		text("declared_by", "申告者", "Declared by"),
	}},
	// The CSIRT as documented (LG-14): its record, functions and members.
	{Name: "csirts", JA: "CSIRT", EN: "CSIRTs", Fields: []Field{
		key(ref("org_code", "組織コード", "Organization code", "organizations")),
		text("name", "名称", "Name"),
		date("established_on", "設置日", "Established on"),
		date("documented_on", "要員・機能の文書化日", "Staff and functions documented on"),
		text("document", "規程・文書名", "Document"),
		text("functions", "機能", "Functions"),
	}},
	{Name: "csirt_members", JA: "CSIRT要員", EN: "CSIRT members", Fields: []Field{
		key(ref("org_code", "組織コード", "Organization code", "organizations")),
		key(ref("person_code", "職員コード", "Person code", "people")),
		key(enum("role", "役割", "Role", CSIRTRoles)),
		date("since", "任命日", "Since"),
	}},
	// Emergency drills (LG-15): a plan is drilled when a drill is recorded
	// in its fiscal year.
	{Name: "drills", JA: "緊急時対応訓練", EN: "Emergency drills", Fields: []Field{
		key(code("code", "訓練番号", "Code")),
		req(ref("org_code", "組織コード", "Organization code", "organizations")),
		ref("plan_code", "計画コード", "Plan code", "plans"),
		req(date("held_on", "実施日", "Held on")),
		req(enum("scenario", "想定", "Scenario", DrillScenarios)),
		integer("participants", "参加者数", "Participants", 0, 100000),
		text("summary", "概要", "Summary"),
	}},
}

// DefaultClauses are the clause list migrate seeds (clause_defs): the seven
// vendor items of 統一基準 4.1.1 (group vendor7), the two subcontracting
// clauses, the take-out ban of seed 003, the ISMAP-level requirement and the
// incident-support roles. Checks read clauses by their group (the role a
// clause plays), never by code, so a deployment may import its own list.
var DefaultClauses = []struct{ Code, Group, Name, NameEN string }{
	{"V1", "vendor7", "情報の目的外利用の禁止", "No use of the information for other purposes"},
	{"V2", "vendor7", "委託先における情報セキュリティ対策の実施内容及び管理体制", "The vendor's security measures and structure"},
	{"V3", "vendor7", "委託先若しくはその従業員、再委託先又はその他の者による意図せざる変更が加えられないための管理体制",
		"Controls against unintended changes by the vendor, its staff or subcontractors"},
	{"V4", "vendor7", "委託先の資本関係・役員等の情報、委託事業の実施場所、委託事業従事者の所属・専門性・実績及び国籍に関する情報提供",
		"Disclosure of capital ties, officers, work site, staff affiliation, expertise, record and nationality"},
	{"V5", "vendor7", "情報セキュリティインシデントへの対処方法", "Incident handling"},
	{"V6", "vendor7", "情報セキュリティ対策その他の契約の履行状況の確認方法", "How performance is verified"},
	{"V7", "vendor7", "情報セキュリティ対策の履行が不十分な場合の対処方法", "What happens if measures are not carried out"},
	{"S1", "subcontract", "再委託先において委託先と同等の情報セキュリティ対策が実施されることの担保",
		"The vendor guarantees the subcontractor carries out the same measures"},
	{"S2", "subcontract", "再委託先の情報セキュリティ対策の実施状況を確認するために必要な情報の提供と承認",
		"The vendor provides what is needed to check the subcontractor and obtains approval"},
	{"T1", "takeout", "委託先及び再委託先の従業員による情報の持出しの禁止", "No taking out of information by vendor or subcontractor staff"},
	{"I1", "ismap", "ISMAP管理策基準と同等以上のセキュリティ要求", "Security requirements at ISMAP control-standard level"},
	{"U1", "support", "インシデント対応支援事業者との役割分担の確認", "Role agreement with the incident-support vendor"},
}

// DefaultIncidentClasses are the incident classes migrate seeds
// (incident_classes): the classes the outcome metrics count by (seed 004),
// under the codes the register has always used, so files written before
// the classes became a list still import.
var DefaultIncidentClasses = []struct{ Code, Name, NameEN string }{
	{"unauthorized_access", "不正アクセス", "Unauthorized access"},
	{"malware", "マルウェア感染", "Malware infection"},
	{"targeted", "標的型攻撃", "Targeted attack"},
	{"leak", "情報漏えい", "Information leak"},
	{"dos", "サービス妨害", "Denial of service"},
	{"loss", "機器紛失・盗難", "Loss or theft of equipment"},
	{"misdelivery", "誤送信・誤操作", "Misdelivery or misoperation"},
	{"failure", "システム障害", "System failure"},
	{"other", "その他", "Other"},
}

// DefaultRegisterItems are the 12 items of 統一基準 5.1.1 (edition R5) that
// migrate seeds (register_items), each with the systems column recording
// it; ⑧–⑫ apply only to systems on a cloud service.
var DefaultRegisterItems = []struct {
	No        int64
	Field     string
	Name      string
	CloudOnly bool
}{
	{1, "name", "情報システム名", false},
	{2, "managing_section", "管理課室", false},
	{3, "security_officer_code", "情報システムセキュリティ責任者の氏名・連絡先", false},
	{4, "configuration", "システム構成", false},
	{5, "external_connections", "接続する外部通信回線の種別", false},
	{6, "confidentiality", "取り扱う情報の格付・取扱制限", false},
	{7, "operation_info", "設計・開発、運用・保守に関する情報", false},
	{8, "cloud_service_code", "クラウドサービス提供者名", true},
	{9, "cloud_service_code", "クラウドサービス名", true},
	{10, "hosting", "クラウドサービスの種類", true},
	{11, "cloud_manager_code", "クラウドサービス管理者", true},
	{12, "data_location", "情報の保存場所・契約条件", true},
}
