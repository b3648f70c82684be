package workflow

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
)

// The incident workflow (DESIGN C7; seeds 002 and 004): an incident
// recorded through mamori is a workflow item that follows it from
// detection to closing. Each step stamps its date and time on the item
// and, in the same transaction, on the register's incident, so the two
// never disagree and no one back-dates a report or a recovery; the
// outcome metrics (time to report, time to recover) read those dates.
//
// Roles: whoever detects it records it (a system officer, the
// organization's security office, the centre); the security office (the
// CSIRT's side) reports it and names who handles it; that person contains
// and recovers it; the security office closes it with the measures
// against recurrence, never the person who did the work (a review of
// their own work).
const (
	IncidentKind      = "incident"
	IncidentDetected  = "detected"
	IncidentReported  = "reported"
	IncidentContained = "contained"
	IncidentRecovered = "recovered"
	IncidentClosed    = "closed"
)

// The details of an incident item.
const (
	DetailIncident    = "incident_code"
	DetailReportedTo  = "reported_to"
	DetailReportedOn  = "reported_on"
	DetailContainedOn = "contained_on"
	DetailRecoveredOn = "recovered_on"
	DetailClosedOn    = "closed_on"
	DetailCause       = "cause"
	DetailMeasures    = "measures"
)

var (
	incidentRecorders = []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.CentralAdmin}
	incidentCSIRT     = []auth.Role{auth.OrgSecurity, auth.CentralAdmin}
)

// Incident is the incident workflow.
var Incident = &Definition{
	Kind:    IncidentKind,
	JA:      "インシデント対応",
	EN:      "incident response",
	Initial: IncidentDetected,
	States: []State{
		{IncidentDetected, "検知", "detected"},
		{IncidentReported, "報告済み", "reported"},
		{IncidentContained, "封じ込め済み", "contained"},
		{IncidentRecovered, "復旧済み", "recovered"},
		{IncidentClosed, "完了", "closed"},
	},
	Settled:      []string{IncidentRecovered, IncidentClosed},
	CreateRoles:  incidentRecorders,
	CommentRoles: []auth.Role{auth.SystemOfficer, auth.OrgSecurity, auth.Auditor, auth.CentralAdmin},
	Details: []Detail{
		{Name: DetailIncident, JA: "インシデント番号", EN: "Incident code", Type: DetailCode, Required: true, Target: true},
		{Name: DetailReportedTo, JA: "報告先", EN: "Reported to", Type: DetailText},
		{Name: DetailReportedOn, JA: "報告日", EN: "Reported on", Type: DetailDate, Stamped: true},
		{Name: DetailContainedOn, JA: "封じ込め日", EN: "Contained on", Type: DetailDate, Stamped: true},
		{Name: DetailRecoveredOn, JA: "復旧日", EN: "Recovered on", Type: DetailDate, Stamped: true},
		{Name: DetailClosedOn, JA: "完了日", EN: "Closed on", Type: DetailDate, Stamped: true},
		{Name: DetailCause, JA: "原因", EN: "Cause", Type: DetailText},
		{Name: DetailMeasures, JA: "再発防止策", EN: "Measures against recurrence", Type: DetailText},
	},
	CheckTargets:    incidentTarget,
	ValidateDetails: validateIncident,
	Transitions: []Transition{
		{Name: "report", JA: "報告", EN: "report", From: []string{IncidentDetected}, To: IncidentReported,
			Roles: incidentCSIRT, SetsDetails: []string{DetailReportedTo}, SetsAssignee: true, Stamps: DetailReportedOn,
			Effect: incidentStep(DetailReportedOn, "reported_time", DetailReportedTo)},
		{Name: "contain", JA: "封じ込め完了", EN: "contained", From: []string{IncidentReported}, To: IncidentContained,
			Roles: incidentRecorders, OnlyAssignee: true, Stamps: DetailContainedOn,
			Effect: incidentStep(DetailContainedOn, "contained_time")},
		{Name: "recover", JA: "復旧完了", EN: "recovered", From: []string{IncidentContained}, To: IncidentRecovered,
			Roles: incidentRecorders, OnlyAssignee: true, SetsDetails: []string{DetailCause}, Stamps: DetailRecoveredOn,
			Effect: incidentStep(DetailRecoveredOn, "recovered_time", DetailCause)},
		{Name: "close", JA: "対応完了（再発防止策の確認）", EN: "close", From: []string{IncidentRecovered}, To: IncidentClosed,
			Roles: incidentCSIRT, NotByAssignee: true, SetsDetails: []string{DetailCause, DetailMeasures}, Stamps: DetailClosedOn,
			Effect: incidentStep(DetailClosedOn, "", DetailCause, DetailMeasures)},
	},
}

// validateIncident asks for what each state needs: whom it was reported
// to once reported, the measures and cause once closed.
func validateIncident(it store.WorkflowItem) *mamori.Error {
	labels := map[string][2]string{DetailReportedTo: {"報告先", "Reported to"}, DetailCause: {"原因", "Cause"},
		DetailMeasures: {"再発防止策", "Measures against recurrence"}}
	need := func(name string) *mamori.Error {
		if it.Details[name] != "" {
			return nil
		}
		l := labels[name]
		return bi(mamori.Invalid, fmt.Sprintf("状態「%s」のインシデントには「%s」が必要です", it.State, l[0]),
			fmt.Sprintf("an incident in state %q needs %q", it.State, l[1]))
	}
	if it.State != IncidentDetected {
		if e := need(DetailReportedTo); e != nil {
			return e
		}
	}
	if it.State == IncidentClosed {
		if e := need(DetailCause); e != nil {
			return e
		}
		return need(DetailMeasures)
	}
	return nil
}

// incidentTarget refuses an item naming an incident not of its own
// organization; one message for a missing code and another ministry's.
func incidentTarget(ctx context.Context, st *store.Store, it store.WorkflowItem) error {
	code := it.Details[DetailIncident]
	if code == "" {
		return nil
	}
	org, ok, err := st.IncidentOrg(ctx, code)
	if err != nil || (ok && org == it.OrgCode) {
		return err
	}
	return bi(mamori.Invalid, fmt.Sprintf("インシデント「%s」は組織「%s」のものではありません（存在しないか、他の組織のものです）", mamori.Excerpt(code), it.OrgCode),
		fmt.Sprintf("incident %q is not one of organization %s (it does not exist or belongs to another organization)", mamori.Excerpt(code), it.OrgCode))
}

// incidentStep writes a step onto the register's incident: the stamped
// date, the time it was taken in Japan (timeCol, "" for none) and the
// details it sets.
func incidentStep(dateDetail, timeCol string, copied ...string) func(context.Context, store.WorkflowTx, store.WorkflowItem) error {
	return func(ctx context.Context, tx store.WorkflowTx, next store.WorkflowItem) error {
		f := map[string]string{dateDetail: next.Details[dateDetail]}
		if timeCol != "" {
			f[timeCol] = next.UpdatedAt.In(japanTime).Format("15:04")
		}
		for _, c := range copied {
			f[c] = next.Details[c]
		}
		return tx.SetIncidentFields(ctx, next.Details[DetailIncident], f)
	}
}

// NewIncident is what recording an incident takes.
type NewIncident struct {
	Code                     string // "" for one mamori makes up
	OrgCode                  string
	Class, Severity          string
	OccurredOn, OccurredTime string
	DetectedOn, DetectedTime string
	SystemCode               string
	Systems, Orgs            []string // further affected systems and organizations
	Summary                  string
	DueOn                    string // when recovery is due; "" for none
	Comment                  string
}

// OpenIncident records an incident in the register and opens its workflow
// item, in one transaction, on behalf of u.
func (s *Service) OpenIncident(ctx context.Context, u store.User, n NewIncident) (store.WorkflowItem, error) {
	trim := func(p *string) { *p = strings.TrimSpace(*p) }
	for _, p := range []*string{&n.Code, &n.OrgCode, &n.Class, &n.Severity, &n.OccurredOn, &n.OccurredTime, &n.DetectedOn,
		&n.DetectedTime, &n.SystemCode, &n.Summary, &n.DueOn} {
		trim(p)
	}
	if n.OrgCode == "" {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "インシデントには組織が必要です", "an incident needs an organization")
	}
	if ok, err := s.covers(ctx, u, n.OrgCode, Incident.CreateRoles); err != nil {
		return store.WorkflowItem{}, err
	} else if !ok {
		ja, en := roleNames(Incident.CreateRoles)
		return store.WorkflowItem{}, bi(mamori.Forbidden,
			fmt.Sprintf("組織「%s」でインシデントを記録できるのは %s だけです", mamori.Excerpt(n.OrgCode), ja),
			fmt.Sprintf("only %s of organization %s may record an incident", en, mamori.Excerpt(n.OrgCode)))
	}
	classes, err := s.Store.IncidentClasses(ctx)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	if !slices.ContainsFunc(classes, func(c store.IncidentClass) bool { return c.Code == n.Class }) {
		var codes []string
		for _, c := range classes {
			codes = append(codes, c.Code)
		}
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "分類「%s」はインシデント分類にありません（%s のいずれか）",
			"class %q is not an incident class (one of %s)", mamori.Excerpt(n.Class), strings.Join(codes, ", "))
	}
	if n.Severity != "" && !slices.ContainsFunc(mamori.Severities, func(v mamori.EnumValue) bool { return v.Code == n.Severity }) {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "重大度「%s」は使えません（low, medium, high, critical のいずれか）",
			"severity %q is not allowed (one of low, medium, high, critical)", mamori.Excerpt(n.Severity))
	}
	today := s.Today()
	for _, d := range []struct{ v, ja, en string }{{n.OccurredOn, "発生日", "occurred on"}, {n.DetectedOn, "検知日", "detected on"}} {
		if d.v == "" {
			continue
		}
		if _, err := time.Parse(time.DateOnly, d.v); err != nil {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, d.ja+"「%s」は YYYY-MM-DD の日付ではありません", d.en+" %q is not a YYYY-MM-DD date", mamori.Excerpt(d.v))
		}
		if d.v > today {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, d.ja+" %s は未来の日付です", d.en+" %s is in the future", d.v)
		}
	}
	now := s.now().In(japanTime).Format("15:04")
	for _, d := range []struct{ on, at, ja, en string }{{n.OccurredOn, n.OccurredTime, "発生", "occurrence"}, {n.DetectedOn, n.DetectedTime, "検知", "detection"}} {
		if d.on == today && mamori.ValidClock(d.at) && d.at > now {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, d.ja+"時刻 %s は未来の時刻です（今は %s）", d.en+" time %s is in the future (it is %s now)", d.at, now)
		}
	}
	if n.DetectedOn == "" {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "インシデントには検知日が必要です", "an incident needs the date it was detected")
	}
	in := store.Incident{Code: n.Code, OrgCode: n.OrgCode, SystemCode: n.SystemCode, Class: n.Class, Severity: n.Severity,
		OccurredOn: n.OccurredOn, OccurredTime: n.OccurredTime, DetectedOn: n.DetectedOn, DetectedTime: n.DetectedTime, Summary: n.Summary}
	get := map[string]string{"occurred_on": n.OccurredOn, "occurred_time": n.OccurredTime, "detected_on": n.DetectedOn, "detected_time": n.DetectedTime}
	if p := mamori.CheckIncidentTimeline(func(c string) string { return get[c] }); p != nil {
		return store.WorkflowItem{}, bi(mamori.Invalid, fmt.Sprintf("項目「%s」: %s", p.Field, p.JA), fmt.Sprintf("field %s: %s", p.Field, p.EN))
	}
	for _, o := range n.Orgs {
		o = strings.TrimSpace(o)
		if o == "" || o == n.OrgCode || slices.Contains(in.Orgs, o) {
			continue
		}
		if ok, err := s.sees(ctx, u, o); err != nil {
			return store.WorkflowItem{}, err
		} else if !ok {
			return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "影響組織「%s」はありません（存在しないか、見られない組織です）",
				"affected organization %q does not exist or is not one you can see", mamori.Excerpt(o))
		}
		in.Orgs = append(in.Orgs, o)
	}
	in.Orgs = append([]string{n.OrgCode}, in.Orgs...)
	systems := []string{}
	if n.SystemCode != "" {
		systems = append(systems, n.SystemCode)
	}
	for _, c := range n.Systems {
		if c = strings.TrimSpace(c); c != "" && !slices.Contains(systems, c) {
			systems = append(systems, c)
		}
	}
	bad, err := s.Store.SystemsOutside(ctx, n.OrgCode, systems)
	if err != nil {
		return store.WorkflowItem{}, err
	}
	if len(bad) > 0 {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Invalid, "システム「%s」は組織「%s」又はその配下のシステムではありません（存在しないか、他の組織のものです）",
			"system %q is not a system of organization %s or one under it (it does not exist or belongs to another organization)",
			mamori.Excerpt(bad[0]), n.OrgCode)
	}
	in.Systems = systems
	if in.Code == "" {
		if in.Code, err = s.Store.NextIncidentCode(ctx, n.OrgCode, n.DetectedOn); err != nil {
			return store.WorkflowItem{}, err
		}
	} else if _, found, err := s.Store.IncidentOrg(ctx, in.Code); err != nil {
		return store.WorkflowItem{}, err
	} else if found {
		return store.WorkflowItem{}, mamori.Errorf(mamori.Conflict, "インシデント番号「%s」は使われています", "incident code %q is taken", mamori.Excerpt(in.Code))
	}
	subject := in.Code
	if n.Summary != "" {
		subject += " " + n.Summary
	}
	return s.Create(ctx, u, IncidentKind, NewItem{Subject: mamori.Excerpt(subject), OrgCode: n.OrgCode,
		DueOn: n.DueOn, Comment: n.Comment, Details: map[string]string{DetailIncident: in.Code}, incident: true,
		Effect: func(ctx context.Context, tx store.WorkflowTx, _ store.WorkflowItem) error {
			return tx.InsertIncident(ctx, in)
		}})
}

// guardIncident refuses an incident item created other than by
// OpenIncident: without its register record the item would follow
// nothing.
func guardIncident(d *Definition, n NewItem) *mamori.Error {
	if d.Kind != IncidentKind || n.incident {
		return nil
	}
	return bi(mamori.Invalid, "インシデントはインシデントのページ（/incidents）か mamori incident create で記録します",
		"an incident is recorded on the incidents page (/incidents) or with mamori incident create")
}
