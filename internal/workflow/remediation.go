package workflow

import (
	"mamori"
	"mamori/internal/auth"
)

// The remediation workflow's states and transitions (issue 14, item 2, in
// its minimal form): a finding is opened, assigned to an owner, worked on,
// resolved with evidence, and closed by someone else; a closed or
// resolved item can be reopened.
const (
	Open       = "open"
	Assigned   = "assigned"
	InProgress = "in_progress"
	Resolved   = "resolved"
	Closed     = "closed"
)

// HighSeverity and CriticalSeverity are the severities whose closing
// needs a reviewer other than the assignee. A finding's severity is its
// control's (catalog data: low, medium, high, critical).
const (
	HighSeverity     = "high"
	CriticalSeverity = "critical"
)

// RecheckFailed is the transition mamori takes when an assessment finds a
// resolved or closed item's finding failing again.
const RecheckFailed = "recheck_failed"

// The remediation details: what an item is about (a finding's control and
// target, or a vulnerability and the system it was found on), how far it
// was escalated, and the countermeasure a vulnerability's resolution
// recorded.
const (
	DetailControl        = "control"
	DetailVuln           = "vuln"
	DetailTarget         = "target"
	DetailEscalation     = "escalation_level"
	DetailEscalatedTo    = "escalated_to"
	DetailEscalatedOn    = "escalated_on"
	DetailCountermeasure = "countermeasure"
)

// Remediation is the remediation workflow.
var Remediation = &Definition{
	Kind:    "remediation",
	JA:      "是正",
	EN:      "remediation",
	Initial: Open,
	States: []State{
		{Open, "未着手", "open"},
		{Assigned, "担当割当済み", "assigned"},
		{InProgress, "対応中", "in progress"},
		{Resolved, "対応完了", "resolved"},
		{Closed, "完了確認済み", "closed"},
	},
	Severities: []string{"low", "medium", HighSeverity, CriticalSeverity},
	Details: []Detail{
		// Labelled as the other workflows' details are (capitalized in
		// English), and the target apart from the item's subject (対象).
		{Name: DetailControl, JA: "管理策", EN: "Control", Type: DetailCode},
		{Name: DetailVuln, JA: "脆弱性", EN: "Vulnerability", Type: DetailCode},
		{Name: DetailTarget, JA: "指摘対象", EN: "Target", Type: DetailCode},
		{Name: DetailCountermeasure, JA: "対策", EN: "Countermeasure", Type: DetailCode},
		{Name: DetailEscalation, JA: "エスカレーション段階", EN: "Escalation level", Type: DetailCode},
		{Name: DetailEscalatedTo, JA: "エスカレーション先", EN: "Escalated to", Type: DetailCode},
		{Name: DetailEscalatedOn, JA: "エスカレーション日", EN: "Escalated on", Type: DetailDate},
	},
	ValidateDetails: validateRemediation,
	Settled:         []string{Resolved, Closed},
	CreateRoles:     []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.Auditor, auth.CentralAdmin},
	CommentRoles:    []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.Auditor, auth.CentralAdmin},
	Transitions: []Transition{
		{Name: "assign", JA: "担当割当", EN: "assign", From: []string{Open, Assigned}, To: Assigned,
			Roles: []auth.Role{auth.OrgSecurity, auth.CentralAdmin}, SetsAssignee: true},
		{Name: "start", JA: "着手", EN: "start", From: []string{Assigned}, To: InProgress,
			Roles: []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin}, OnlyAssignee: true},
		{Name: "resolve", JA: "対応完了", EN: "resolve", From: []string{InProgress}, To: Resolved,
			Roles: []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin}, OnlyAssignee: true,
			SetsDetails: []string{DetailCountermeasure}},
		{Name: "close", JA: "完了確認", EN: "close", From: []string{Resolved}, To: Closed,
			Roles: []auth.Role{auth.OrgSecurity, auth.Auditor, auth.CentralAdmin}, NotByApplicant: true,
			Check: closeCheck},
		{Name: "reopen", JA: "再開", EN: "reopen", From: []string{Resolved, Closed}, To: InProgress,
			Roles: []auth.Role{auth.OrgSecurity, auth.Auditor, auth.CentralAdmin}},
		{Name: RecheckFailed, JA: "再点検で不適合", EN: "re-check failed", From: []string{Resolved, Closed}, To: InProgress,
			Roles: []auth.Role{auth.OrgSecurity, auth.CentralAdmin}, BySystem: true},
	},
}

// closeCheck: closing needs evidence, and for a high or critical finding
// or an accepted risk a reviewer who is not the assignee.
func closeCheck(a Action) *mamori.Error {
	if a.Facts.Attachments == 0 {
		return mamori.Errorf(mamori.Conflict, "完了確認には証跡の添付が 1 件以上必要です",
			"closing needs at least one evidence attachment")
	}
	if a.Item.Details[DetailCountermeasure] == "accepted" && a.Actor == a.Item.Assignee {
		// Closing records the acceptance with the closer as its approver.
		return mamori.Errorf(mamori.Forbidden, "リスクの受容は担当者以外が確認しなければなりません",
			"an accepted risk must be closed (approved) by a reviewer other than the assignee")
	}
	if (a.Item.Severity == HighSeverity || a.Item.Severity == CriticalSeverity) && a.Actor == a.Item.Assignee {
		return mamori.Errorf(mamori.Forbidden, "重大度 %s の案件は担当者以外が確認しなければなりません",
			"a %s-severity item must be closed by a reviewer other than the assignee", a.Item.Severity)
	}
	return nil
}
