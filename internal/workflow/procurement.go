package workflow

import (
	"mamori/internal/auth"
	"mamori/internal/store"
)

// The procurement gates (issue 14, item 3; seed 003): before a contract is
// signed, the security requirements pass a 適合性確認 (conformity check)
// and the draft specification a 仕様書審査 (specification review). Each is
// requested for a contract by the side that procures, reviewed by someone
// else, and cleared or returned; clearing stamps the day it happened. The
// contract checks (OUT-05, OUT-06) read the gate's state and that date:
// a contract whose gate is not cleared lacks it, one cleared after the
// contract date has it late.
//
// Roles: the procuring side is the system officer (情報システムセキュリティ
// 責任者, who defines the security requirements) or the organization's
// security officer; the reviewer is the organization security officer
// (統括情報セキュリティ責任者 and their staff) or a central administrator,
// never the applicant.
const (
	GateRequested   = store.GateRequestedState // the store's names, which the contract checks read
	GateUnderReview = store.GateUnderReviewState
	GateCleared     = store.GateClearedState
	GateReturned    = store.GateReturnedState
)

// The details of a gate request.
const (
	DetailContract        = store.DetailContract
	DetailProject         = "project_code"
	DetailPlannedContract = "planned_contract_on"
	DetailClearedOn       = store.DetailClearedOn
)

// The gate workflows' kinds: the store's names, which the checks read.
const (
	ConformityKind = store.GateConformityKind
	SpecReviewKind = store.GateSpecReviewKind
)

var (
	gateApplicants = []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin}
	gateReviewers  = []auth.Role{auth.OrgSecurity, auth.CentralAdmin}
)

// gate builds a procurement gate workflow; clearedJA/EN name its cleared
// state ("確認済み" for a check, "審査済み" for a review).
func gate(kind, ja, en, clearedJA, clearedEN string) *Definition {
	return &Definition{
		Kind:    kind,
		JA:      ja,
		EN:      en,
		Initial: GateRequested,
		States: []State{
			{GateRequested, "申請中", "requested"},
			{GateUnderReview, "審査中", "under review"},
			{GateCleared, clearedJA, clearedEN},
			{GateReturned, "差戻し", "returned"},
		},
		Settled:      []string{GateCleared},
		CreateRoles:  gateApplicants,
		CommentRoles: []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.Auditor, auth.CentralAdmin},
		Details: []Detail{
			{Name: DetailContract, JA: "契約番号", EN: "Contract code", Type: DetailCode, Required: true, Target: true},
			{Name: DetailProject, JA: "プロジェクトコード", EN: "Project code", Type: DetailCode},
			{Name: DetailPlannedContract, JA: "契約予定日", EN: "Planned contract date", Type: DetailDate, Required: true},
			{Name: DetailClearedOn, JA: clearedJA + "日", EN: "Cleared on", Type: DetailDate, Stamped: true},
		},
		CheckTargets: contractTarget,
		Transitions: []Transition{
			{Name: "review", JA: "審査開始", EN: "start review", From: []string{GateRequested}, To: GateUnderReview,
				Roles: gateReviewers, NotByApplicant: true, Check: notResubmitter},
			{Name: "clear", JA: "承認（" + clearedJA + "）", EN: "clear", From: []string{GateUnderReview}, To: GateCleared,
				Roles: gateReviewers, NotByApplicant: true, Stamps: DetailClearedOn, Check: notResubmitter},
			{Name: "return", JA: "差戻し", EN: "return", From: []string{GateUnderReview}, To: GateReturned,
				Roles: gateReviewers, NotByApplicant: true},
			{Name: "resubmit", JA: "再申請", EN: "resubmit", From: []string{GateReturned}, To: GateRequested,
				Roles: gateApplicants, SetsDetails: []string{DetailPlannedContract, DetailProject}},
		},
	}
}

// ConformityCheck is the 適合性確認 gate: the procurement's security
// requirements checked before the contract (OUT-05).
var ConformityCheck = gate(ConformityKind, "適合性確認", "conformity check", "確認済み", "cleared")

// SpecReview is the 仕様書審査 gate: the draft specification reviewed
// before the contract (OUT-06).
var SpecReview = gate(SpecReviewKind, "仕様書審査", "specification review", "審査済み", "reviewed")
