package app

import (
	"context"
	"fmt"
	"time"

	"mamori/internal/store"
	"mamori/internal/workflow"
)

// demoIncidents records two of the ministry's incidents through the
// incident workflow, so the demo shows a response from detection to
// closing and one still open: a malware infection the officer detected,
// the security office reported to NISC and assigned back to the officer,
// who contained and recovered it, and the security office closed with
// the measures against recurrence; and a misdelivery reported a day ago
// and not yet contained. The register's other incidents (across classes
// and fiscal years, CSIRTs and drills) come from the generator.
func demoIncidents(ctx context.Context, env *Env, s *store.Store, today time.Time) error {
	viewer, err := s.User(ctx, "ministry")
	if err != nil || len(viewer.Grants) == 0 {
		return err // no ministry in this data: no incidents
	}
	ministry := viewer.Grants[0].OrgCode
	users, err := demoStaffUsers(ctx, s, ministry)
	if err != nil {
		return err
	}
	officer, security := users["officer"], users["security"]
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	var at time.Time
	svc.Now = func() time.Time { return at }
	day := func(n int, hour int) time.Time { return today.AddDate(0, 0, n).Add(time.Duration(hour) * time.Hour) }
	type step struct {
		who      store.User
		name     string
		at       time.Time
		details  map[string]string
		assignee string
	}
	for _, x := range []struct {
		n     workflow.NewIncident
		at    time.Time
		steps []step
	}{
		{workflow.NewIncident{OrgCode: ministry, Class: "malware", Severity: "high", OccurredOn: day(-21, 0).Format(time.DateOnly),
			DetectedOn: day(-20, 0).Format(time.DateOnly), DetectedTime: "10:20", Summary: "職員端末で不審な通信を検知（マルウェア感染）",
			Comment: "EDRの警告から端末を隔離"}, day(-20, 2), []step{
			{security, "report", day(-20, 5), map[string]string{workflow.DetailReportedTo: "NISC・CSIRT"}, officer.Name},
			{officer, "contain", day(-19, 1), nil, ""},
			{officer, "recover", day(-16, 3), map[string]string{workflow.DetailCause: "添付ファイルの開封"}, ""},
			{security, "close", day(-10, 2), map[string]string{workflow.DetailMeasures: "標的型メール訓練の実施と添付ファイル無害化の徹底"}, ""},
		}},
		{workflow.NewIncident{OrgCode: ministry, Class: "misdelivery", Severity: "medium", OccurredOn: day(-2, 0).Format(time.DateOnly),
			DetectedOn: day(-2, 0).Format(time.DateOnly), DetectedTime: "16:40", Summary: "個人情報を含むメールの誤送信",
			DueOn: day(7, 0).Format(time.DateOnly)}, day(-2, 8), []step{
			{security, "report", day(-1, 1), map[string]string{workflow.DetailReportedTo: "個人情報保護委員会"}, officer.Name},
		}},
	} {
		at = x.at
		it, err := svc.OpenIncident(ctx, officer, x.n)
		if err != nil {
			return fmt.Errorf("demo incident: %w", err)
		}
		for _, st := range x.steps {
			at = st.at
			if it, err = svc.Act(ctx, st.who, it.ID, workflow.Step{Transition: st.name, Version: it.Version, Details: st.details,
				Assignee: st.assignee}); err != nil {
				return fmt.Errorf("demo incident %s: %w", st.name, err)
			}
		}
	}
	return nil
}
