package demo

// The defects the demo data set contains, and how often. The rates come from
// what the auditors actually found (seed NNN = ../shared/seeds/NNN_*.txt):
// 000 the secure zone nobody used, 001 the Board of Audit's 令和7年 report on
// the ministries, 002 the local governments' three-layer model, 003 日本年金機構,
// 004 the policy council. The check IDs are those of REGIME.md's catalog.
//
// How rates are applied:
//
//   - A rate over systems, contracts or organizations ("quota" below) selects
//     exactly round(rate × eligible) of them, at least one when any is eligible,
//     so every check has something to find even at the small scale, and the
//     national figures match the rate exactly.
//   - A rate over components, accounts, findings and other many-per-system
//     records is drawn independently per record.
//
// The eligible set is given with each rate. Unregistered systems
// (in_register = false) are excluded from every other system-level defect:
// they are the defect.
const (
	// Unanswered questions: the share of a local government's three-layer
	// answers left blank, so the checks show 未確認 as real returns would.
	rateUnanswered = 0.04

	// REG-01 (seed 001: 97 systems missing from the 台帳). Quota over
	// operating business systems (terminal fleets, networks and equipment are
	// always registered). in_register = false; discovered_from is contract, payment,
	// component or (central government only) system_id_list, and the evidence
	// exists: a contract (with payments) naming the system, its components, or
	// its SystemID. Only the name and organization are known; the register
	// items are blank.
	rateUnregistered = 0.005

	// REG-02 (seed 001: 171 systems lacked some of the 12 items). Quota over
	// registered systems: exactly one register item of edition R5 is blank (a
	// cloud-only item only on cloud or hybrid systems). Item ⑥ blanks the whole
	// grading (confidentiality, integrity, availability, handling restrictions),
	// which is also REG-05.
	rateMissingItem = 0.02

	// REG-03 (seed 001: 137 systems at 23 bodies had no 情報システムID). Quota
	// over registered systems of 本府省庁等, 地方支分部局 and 独立行政法人等; local
	// governments' systems never have one.
	rateNoSystemID = 0.10

	// REG-04 (seed 003: a call-centre recorder holding pension data filed as
	// 事務機器). Of the recorder systems (通話録音装置), this share is filed as
	// class office_equipment; of those, rateOfficeRecorderPersonal store personal
	// information on networked recorders (the defect), the rest are standalone
	// and hold none (the negative case).
	rateRecorderAsOffice       = 0.30
	rateOfficeRecorderPersonal = 0.70

	// OUT-07 (seed 003: no security requirements for a system or its
	// maintenance). Quota over registered systems, and separately over contracts.
	rateSecReqUndefined = 0.05

	// BCP-01 (seed 001: 259 systems at 37 bodies had no IT-BCP). Quota over
	// registered operating systems with itbcp_required: in no IT-BCP plan's
	// plan_systems in any fiscal year.
	rateNoITBCP = 0.10
	// BCP-02 (seed 001, IT-BCP guideline §4 of REGIME.md): per IT-BCP plan,
	// it lacks RTO/RPO, procedures, a drill or a review in its fiscal year.
	rateITBCPIncomplete = 0.15
	// BCP-03 (seed 001: 10 bodies without 危機的事象 measures). Quota over
	// bodies: no crisis plan in any fiscal year.
	rateNoCrisisPlan = 0.03

	// LOG-01 (seed 001: 102 systems collected none of the 点検対象ログ). Quota
	// over registered operating information systems: every log source has
	// collected = false.
	rateLogsNotCollected = 0.03
	// LOG-02 (seed 001: 38 systems collected logs that were never inspected).
	// Quota over systems that collect logs: no log_reviews at all.
	rateLogsNeverReviewed = 0.10
	// LOG-02 variant (seed 001): quota over the systems still reviewed: the
	// last review is 91–400 days before Today.
	rateLogsStaleReview = 0.05
	// LOG-03 (seed 001, 6.1.4 retention): quota over systems that collect
	// logs: retention under 90 days, or none set.
	rateShortRetention = 0.03

	// IAM-01 (seed 001: access rights unmanaged at 16 bodies, 26 systems).
	// Quotas over registered operating information systems: no access review
	// ever, or the last one more than 365 days before Today.
	rateNoAccessReview    = 0.05
	rateStaleAccessReview = 0.05
	// IAM-02 (seed 001): quota over the same systems: an enabled account
	// belongs to a person who left or was transferred.
	rateLeaverEnabled = 0.03
	// IAM-03 (seeds 001, 002): quota over the same systems: a shared
	// privileged account with no person behind it.
	rateSharedAdmin = 0.03
	// IAM-04 (seed 001: authentication secrets unmanaged at 18 bodies, 55
	// systems): per server, network device and appliance, default password
	// unchanged.
	rateDefaultPassword = 0.005

	// VUL-04 (seed 002: LGWAN-zone patches and definitions left stale). Quota
	// over LGWAN-zone systems with components: most of their components were
	// last patched, and their AV definitions updated, 32–200 days before Today.
	rateLGWANStaleSystem = 0.08
	// VUL-01/VUL-02 (seeds 001: 58 systems without countermeasures; 003): per
	// component elsewhere, last patch 91–400 days before Today.
	rateStalePatch = 0.02

	// LG-01 (seed 002: second factor not on every マイナンバー terminal). Quota
	// over マイナンバー-zone systems with terminals; in those, each terminal lacks
	// the second factor with probability rateNoSecondFactorTerminal.
	rateNoSecondFactorSystem   = 0.03
	rateNoSecondFactorTerminal = 0.30
	// LG-04 (seed 002: export blocking not on every terminal): as LG-01.
	rateNoExportBlockingSystem   = 0.03
	rateNoExportBlockingTerminal = 0.30
	// LG-02 (seed 002): per マイナンバー terminal, 特定個人情報 kept on the local
	// drive; a defect where the terminal also lacks the second factor.
	rateLocalSPI = 0.03
	// LG-11 (seed 002: web and DNS servers outside the security cloud). Quotas
	// over local governments' web and DNS systems: servers not in the security
	// cloud, or not monitored by specialists.
	rateOutsideSecurityCloud = 0.10
	rateUnmonitored          = 0.05

	// GOV-06 (seeds 001, 004: roles not assigned). Quota over bodies: one of
	// CISO, 統括情報セキュリティ責任者, 監査責任者 is not assigned.
	rateRoleMissing = 0.03
	// Quota over ministries: no 最高情報セキュリティアドバイザー (seed 004).
	rateNoAdvisor = 0.25
	// GOV-06 (seed 001): quota over registered systems: the named security
	// officer has left or moved, and the role was never reassigned.
	rateOfficerLeft = 0.02

	// OUT-01 (seed 001: 1,119 contracts lacked some of the 7 items; 82.4% even
	// where outsourcing training was given). Quota over outsourcing, development,
	// maintenance and cloud contracts: 1–3 of V1–V7 are missing.
	rateVendor7Missing = 0.824
	// OUT-02 (seed 001: 256 contracts specified verification nobody did).
	// Quota over contracts with verification_specified: no contract_verifications.
	rateVerificationNotDone = 0.20
	// OUT-03 (seed 001: 275 contracts lacked one or both subcontract clauses).
	// Quota over subcontracted contracts: S1 or S2 (or both) missing.
	rateSubcontractClauseMissing = 0.20
	// OUT-03 (seed 001, clause ②: the agency approves the subcontractor):
	// quota over subcontracted contracts: no subcontract approval date.
	rateSubcontractUnapproved = 0.05
	// OUT-04 (seed 003: no take-out ban for vendor and subcontractor staff).
	// Quota over outsourcing-type contracts: T1 missing.
	rateTakeoutMissing = 0.25
	// OUT-05, OUT-06 (seed 003). Quotas over outsourcing-type contracts: no
	// 適合性確認 date; no 仕様書審査 date.
	rateNoConformityCheck = 0.08
	rateNoSpecReview      = 0.08
	// CLD-01 (seed 001: 78 contracts used cloud without approval). Quota over
	// cloud contracts: no approver and no approval date.
	rateCloudUnapproved = 0.05
	// CLD-02 (seed 001: 44 contracts without ISMAP-level requirements). Quota
	// over cloud contracts: I1 missing.
	rateCloudNoISMAPClause = 0.08
	// GOV-01 (seed 000: the secure zone had no project plan). Quota over
	// contracts of systems in a project, and per budget item: no project.
	rateOutsideProject = 0.05

	// GOV-05 (seed 004) needs no rate: incidents are drawn per organization
	// in proportion to its size, so many small bodies record none in a year.

	// CLD-03 (seed 001: 8 contracts used a service on no ISMAP list). Drawn
	// per fictitious cloud service (real providers are always listed and
	// valid): listed on ISMAP-LIU; on neither list; and, for a listed one,
	// expired.
	rateCloudLIU     = 0.20
	rateCloudNone    = 0.25
	rateCloudExpired = 0.15

	// PLN-01 (seed 001: one body had no 教育実施計画 in R3–R5): this many
	// bodies, the same in every fiscal year.
	orgsNoEducationPlan = 1
	// PLN-06 (seed 004): quota over body × fiscal year: no 自己点検計画.
	rateNoSelfInspectionPlan = 0.02
	// PLN-03 (seed 001: 14 of 17 out-of-plan audits not shared). Quota over
	// body × fiscal year: an out-of-plan audit; of those, this share unshared.
	rateOutOfPlanAudit    = 0.05
	rateOutOfPlanUnshared = 14.0 / 17.0
	// PLN-04 (seed 003: a finding raised 2021-02 still open 2023-06): per
	// audit finding, raised more than a year before Today and still open.
	rateFindingLongOpen = 0.10

	// PLN-05 (seed 000): per project stage reached, no PJMO self-inspection;
	// no PMO review.
	rateStageNoSelfInspection = 0.08
	rateStageNoPMOReview      = 0.10
	// GOV-01 (seed 000: the secure zone had no project plan): quota over
	// projects: no プロジェクト計画書 date.
	rateProjectNoPlanDoc = 0.05
	// GOV-02 (seed 000): quota over projects, each: no demand survey, no usage
	// estimate, no cost-effectiveness record.
	rateNoDemandSurvey      = 0.10
	rateNoUsageEstimate     = 0.10
	rateNoCostEffectiveness = 0.10
	// GOV-04 (seeds 000, 002: ¥1.887 billion secure zone never used). Quota over
	// projects live for more than a year: utilisation under 5%.
	rateUnusedCapability = 0.02
	// GOV-03 (seed 000): per survey answer, never followed up.
	rateSurveyNotFollowed = 0.20

	// Local governments (seed 002), quotas over 都道府県 and 市区町村:
	rateFallbackPasswordOrg  = 0.05 // IAM-05: fallback passwords pre-set on マイナンバー terminals
	rateSharedAuthOrg        = 0.03 // IAM-03: shared authentication means (IC cards) on some terminals
	rateNoEncryptionOrg      = 0.15 // LG-08: encryption of exported media left to the user
	rateMailNotSanitizedOrg  = 0.03 // LG-10: mail crosses into LGWAN unsanitised
	rateUnrestrictedFlowOrg  = 0.05 // LG-09: an inter-zone flow without route or protocol limits
	rateMyNumberInternetOrg  = 0.01 // LG-09 critical: a マイナンバー ↔ インターネット flow
	rateNoIncidentSupportOrg = 0.10 // LG-12: no role agreement with the incident-support vendor
	rateNoPolicyOrg          = 0.01 // LG-13: no 対策基準
	rateStalePolicyOrg       = 0.05 // LG-13: 対策基準 not revised after hardening
	rateCSIRTUndocumentedOrg = 0.05 // LG-14: CSIRT undocumented
	// Per municipality: pre-set fallback passwords then sit on this share of
	// its two-factor terminals; shared authentication means on this share.
	rateFallbackTerminal   = 0.80
	rateSharedAuthTerminal = 0.10
	// LG-15, per emergency plan: no targeted attacks; no drill in its FY.
	rateEmergencyNoTargeted = 0.10
	rateEmergencyNoDrill    = 0.15
	// LG-05 … LG-07, per export exception: no expiry; a month or more; no
	// approver; no export log; no record of the items.
	rateExportNoExpiry      = 0.25
	rateExportLong          = 0.20
	rateExportUnapproved    = 0.10
	rateExportNotLogged     = 0.15
	rateExportItemsUnrecord = 0.20
	// LG-03, per file share holding 特定個人情報: open to the whole section.
	rateShareOpenToSection = 0.30
)

// orgsNoAuditPlan is how many bodies lack a 監査実施計画 in each of the three
// plan fiscal years, oldest first (seed 001: 3, 2 and 1 bodies in R3, R4, R5).
func orgsNoAuditPlan(fy int) int { return [3]int{3, 2, 1}[fy] }
