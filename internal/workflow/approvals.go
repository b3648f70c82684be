package workflow

import (
	"context"
	"fmt"
	"slices"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
)

// The approvals (issue 14, item 4).
//
// クラウド利用申請 (seed 001): a contract's use of an external cloud
// service is approved by the 許可権限者 — by default the 統括情報セキュリ
// ティ責任者, in mamori the organization security officer (or a central
// administrator) — never by the applicant. CLD-01 reads the approval.
//
// 情報持出し申請 (seed 002): lifting the export block of a component is
// approved by the 情報セキュリティ管理者 — in mamori the organization
// security officer granted on the section or above — never by the
// applicant, and only with an expiry, no later than a maximum after the
// request (Options.MaxExportDays). At the expiry mamori blocks the export
// again by itself (Service.Expire); what was taken out is recorded when
// the export ends. LG-05 and LG-07 read the requests as exception records.
const (
	CloudUseKind      = store.CloudUseKind // the store's names, which the checks read
	ExportRequestKind = store.ExportRequestKind
)

// The states of an approval.
const (
	Requested = "requested"
	Approved  = store.ApprovedState
	Rejected  = "rejected"
	Expired   = store.ExportExpired    // an export re-blocked at its expiry
	Ended     = store.ExportEndedState // an export ended, what was taken out recorded
)

// The details of the approvals.
const (
	DetailCloudService = "cloud_service_code"
	DetailPurpose      = "purpose"
	DetailApprovedOn   = store.DetailApprovedOn
	DetailComponent    = store.DetailComponent
	DetailMedium       = "medium"
	DetailExpiresOn    = store.DetailExpiresOn
	DetailItemsTaken   = store.DetailItemsTaken
	DetailEndedOn      = "ended_on"
)

// ExpireTransition is the transition mamori takes at an export's expiry.
const ExpireTransition = "expire"

// DefaultMaxExportDays bounds an export's expiry, in days after the
// request, unless configured otherwise: two weeks, well short of the
// calendar month that LG-05 counts as too long (seed 002: 27 bodies lifted
// the block for a month or more).
const DefaultMaxExportDays = 14

// MaxExportDaysLimit is the largest maximum a deployment may configure.
const MaxExportDaysLimit = 366

// Options configure the definitions of a deployment.
type Options struct {
	// MaxExportDays bounds an export request's expiry, in days after the
	// day it is requested; DefaultMaxExportDays when 0.
	MaxExportDays int
	// BaseURL is the web UI's address as its users reach it
	// (https://HOST), for the links in notifications; "" for none.
	BaseURL string
}

var (
	approvers      = []auth.Role{auth.OrgSecurity, auth.CentralAdmin}
	approvalAskers = []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin}
	approvalReader = []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.Auditor, auth.CentralAdmin}
)

// CloudUse is the クラウド利用申請.
var CloudUse = &Definition{
	Kind:    CloudUseKind,
	JA:      "クラウド利用申請",
	EN:      "cloud use application",
	Initial: Requested,
	States: []State{
		{Requested, "申請中", "requested"},
		{Approved, "承認済み", "approved"},
		{Rejected, "却下", "rejected"},
	},
	Settled:      []string{Approved, Rejected},
	CreateRoles:  approvalAskers,
	CommentRoles: approvalReader,
	Details: []Detail{
		{Name: DetailContract, JA: "契約番号", EN: "Contract code", Type: DetailCode, Required: true, Target: true},
		{Name: DetailCloudService, JA: "クラウドサービスコード", EN: "Cloud service code", Type: DetailCode, Required: true},
		{Name: DetailPurpose, JA: "利用目的", EN: "Purpose", Type: DetailText, Required: true},
		{Name: DetailApprovedOn, JA: "承認日", EN: "Approved on", Type: DetailDate, Stamped: true},
	},
	CheckTargets: contractTarget,
	Transitions: []Transition{
		{Name: "approve", JA: "承認（許可権限者）", EN: "approve (authorizer)", From: []string{Requested}, To: Approved,
			Roles: approvers, NotByApplicant: true, Stamps: DetailApprovedOn, Check: notResubmitter},
		{Name: "reject", JA: "却下", EN: "reject", From: []string{Requested}, To: Rejected,
			Roles: approvers, NotByApplicant: true},
		{Name: "resubmit", JA: "再申請", EN: "resubmit", From: []string{Rejected}, To: Requested,
			Roles: approvalAskers, SetsDetails: []string{DetailPurpose}},
	},
}

// notResubmitter: whoever resubmitted a returned request last made the
// request as it now stands (they may change its details), so like its
// applicant they may not review or approve it.
func notResubmitter(a Action) *mamori.Error {
	if by := a.Facts.TookLast["resubmit"]; by != "" && by == a.Actor {
		return bi(mamori.Forbidden, "この申請を再申請した人は、審査・承認できません",
			"whoever resubmitted the request may not review or approve it")
	}
	return nil
}

// ExportRequest returns the 情報持出し申請 with expiries bounded by
// maxDays (DefaultMaxExportDays when 0 or less).
func ExportRequest(maxDays int) *Definition {
	if maxDays <= 0 {
		maxDays = DefaultMaxExportDays
	}
	return &Definition{
		Kind:    ExportRequestKind,
		JA:      "情報持出し申請",
		EN:      "data export request",
		Initial: Requested,
		States: []State{
			{Requested, "申請中", "requested"},
			{Approved, "許可中（持出し可）", "approved (export allowed)"},
			{Rejected, "却下", "rejected"},
			{Expired, "期限切れ（再遮断）", "expired (blocked again)"},
			{Ended, "終了（記録済み）", "ended (recorded)"},
		},
		Settled:      []string{Rejected, Ended},
		CreateRoles:  approvalAskers,
		CommentRoles: approvalReader,
		Details: []Detail{
			{Name: DetailComponent, JA: "機器番号", EN: "Component code", Type: DetailCode, Required: true, Target: true},
			{Name: DetailPurpose, JA: "持出しの目的", EN: "Purpose", Type: DetailText, Required: true},
			{Name: DetailMedium, JA: "媒体", EN: "Medium", Type: DetailText},
			{Name: DetailExpiresOn, JA: "有効期限", EN: "Expires on", Type: DetailDate, Required: true},
			{Name: DetailApprovedOn, JA: "許可日", EN: "Approved on", Type: DetailDate, Stamped: true},
			{Name: DetailEndedOn, JA: "終了日", EN: "Ended on", Type: DetailDate, Stamped: true},
			{Name: DetailItemsTaken, JA: "持出した情報の記録", EN: "What was taken out", Type: DetailText},
		},
		Transitions: []Transition{
			{Name: "approve", JA: "許可（情報セキュリティ管理者）", EN: "approve (information security manager)",
				From: []string{Requested}, To: Approved, Roles: approvers, NotByApplicant: true,
				Stamps: DetailApprovedOn, SetsDetails: []string{DetailExpiresOn}},
			{Name: "reject", JA: "却下", EN: "reject", From: []string{Requested}, To: Rejected,
				Roles: approvers, NotByApplicant: true},
			{Name: "end", JA: "持出し終了・記録", EN: "end and record", From: []string{Approved}, To: Ended,
				Roles: approvalAskers, Stamps: DetailEndedOn, SetsDetails: []string{DetailItemsTaken}},
			{Name: ExpireTransition, JA: "期限到来（再遮断）", EN: "expire (block again)", From: []string{Approved}, To: Expired,
				Roles: approvers, BySystem: true, Stamps: DetailEndedOn},
			{Name: "record", JA: "持出し記録", EN: "record what was taken out", From: []string{Expired}, To: Ended,
				Roles: approvalAskers, SetsDetails: []string{DetailItemsTaken}},
		},
		ValidateDetails: func(it store.WorkflowItem) *mamori.Error { return validateExport(it, maxDays) },
		CheckTargets:    componentTarget,
	}
}

// validateExport: the expiry is not before the day of the request and at
// most maxDays after it; an ended export records what was taken out.
func validateExport(it store.WorkflowItem, maxDays int) *mamori.Error {
	exp := it.Details[DetailExpiresOn]
	asked := it.CreatedAt.In(japanTime)
	day := time.Date(asked.Year(), asked.Month(), asked.Day(), 0, 0, 0, 0, time.UTC)
	e, err := time.Parse(time.DateOnly, exp)
	if err != nil {
		return bi(mamori.Invalid, "情報持出し申請には有効期限が必要です", "a data export request needs an expiry")
	}
	if e.Before(day) {
		return bi(mamori.Invalid, fmt.Sprintf("有効期限 %s は申請日 %s より前です", exp, day.Format(time.DateOnly)),
			fmt.Sprintf("expiry %s is before the day of the request, %s", exp, day.Format(time.DateOnly)))
	}
	if last := day.AddDate(0, 0, maxDays); e.After(last) {
		return bi(mamori.Invalid, fmt.Sprintf("有効期限 %s は上限（申請日から %d 日、%s まで）を超えています", exp, maxDays, last.Format(time.DateOnly)),
			fmt.Sprintf("expiry %s is beyond the maximum (%d days after the request: %s at the latest)", exp, maxDays, last.Format(time.DateOnly)))
	}
	if it.State == Ended && it.Details[DetailItemsTaken] == "" {
		return bi(mamori.Invalid, "持出しを終えるには、持出した情報の記録が必要です",
			"ending an export needs the record of what was taken out")
	}
	return nil
}

// Expire blocks again every approved export whose expiry has passed on
// day today (YYYY-MM-DD, in Japan; "" for today): the expiry is the last
// day the export is allowed. It returns the items it expired. An item
// another action moved on meanwhile is left as it is.
func (s *Service) Expire(ctx context.Context, today string) ([]store.WorkflowItem, error) {
	if today == "" {
		today = s.Today()
	} else if _, err := time.Parse(time.DateOnly, today); err != nil {
		return nil, mamori.Errorf(mamori.Invalid, "日付「%s」は YYYY-MM-DD ではありません", "date %q is not YYYY-MM-DD", mamori.Excerpt(today))
	}
	var out []store.WorkflowItem
	for _, kind := range slices.Sorted(func(yield func(string) bool) {
		for k := range s.Defs {
			if !yield(k) {
				return
			}
		}
	}) {
		d := s.Defs[kind]
		t, ok := d.Transition(ExpireTransition)
		if !ok || !t.BySystem {
			continue
		}
		if _, ok := d.Detail(DetailExpiresOn); !ok {
			continue
		}
		for _, from := range t.From {
			items, err := s.Store.WorkflowItems(ctx, store.WorkflowFilter{Kind: kind, State: from})
			if err != nil {
				return out, err
			}
			for _, it := range items {
				exp := it.Details[DetailExpiresOn]
				if exp == "" || exp >= today {
					continue
				}
				done, err := s.System(ctx, it.ID, ExpireTransition,
					fmt.Sprintf("有効期限 %s の経過により再遮断／ blocked again: expired on %s", exp, exp))
				if mamori.KindOf(err) == mamori.Conflict {
					continue // moved on since it was listed
				}
				if err != nil {
					return out, err
				}
				out = append(out, done)
			}
		}
	}
	return out, nil
}
