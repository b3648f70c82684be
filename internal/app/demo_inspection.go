package app

import (
	"context"
	"fmt"
	"strings"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/demo"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// demoInspections imports the demo's self-inspection questionnaire (a
// catalog of manual controls) and takes five of the ministry's project
// stages that lack a self-inspection or a PMO review through the
// self-inspection workflow, one round in each state: drafted (partly
// answered), submitted, PMO reviewed (with a reviewer's finding),
// centrally reviewed, and returned by the PMO. (The demo's remediation
// items all follow check findings, so this finding opens none.) The officer
// inspects, security is the PMO and admin the centre. It runs before the
// demo's check, so PLN-05 sees the stages the rounds reviewed.
func demoInspections(ctx context.Context, env *Env, s *store.Store, today time.Time) error {
	start := time.Now()
	viewer, err := s.User(ctx, "ministry")
	if err != nil || len(viewer.Grants) == 0 {
		return err // no ministry in this data: no rounds
	}
	ministry := viewer.Grants[0].OrgCode
	c, err := catalog.Load("self-inspection.json", demo.SelfInspectionCatalog())
	if err != nil {
		return err
	}
	if _, err := s.StoredCatalogByID(ctx, c.ID); mamori.KindOf(err) == mamori.NotFound {
		if err := s.ImportCatalog(ctx, store.StoredCatalog{ID: c.ID, Title: c.Title, Version: c.Version,
			Source: string(demo.SelfInspectionCatalog()), ImportedAt: today}, nil); err != nil {
			return err
		}
	} else if err != nil {
		return err
	}
	users, err := demoStaffUsers(ctx, s, ministry)
	if err != nil {
		return err
	}
	admin, err := s.User(ctx, "admin")
	if err != nil {
		return err
	}
	orgs, _, err := s.Subtrees(ctx, ministry)
	if err != nil {
		return err
	}
	var in []string
	for o := range orgs {
		in = append(in, o)
	}
	stages, err := s.ProjectStages(ctx, in)
	if err != nil {
		return err
	}
	// The register's dates decide which stages are unreviewed: read them
	// from project_reviews (the stages ProjectStages lists carry none).
	unreviewed := map[string]bool{}
	pr := mamori.EntityByName("project_reviews")
	pc, st, self, pmo := pr.FieldIndex("project_code"), pr.FieldIndex("stage"), pr.FieldIndex("self_inspected_on"), pr.FieldIndex("pmo_reviewed_on")
	if err := s.Dump(ctx, pr, func(r mamori.Record) error {
		if r[self] == nil || r[pmo] == nil {
			unreviewed[r[pc].(string)+"/"+r[st].(string)] = true
		}
		return nil
	}); err != nil {
		return err
	}
	var picked []store.ProjectStage
	for _, ps := range stages {
		if unreviewed[ps.ProjectCode+"/"+ps.Stage] && len(picked) < 5 {
			picked = append(picked, ps)
		}
	}
	if len(picked) < 5 {
		return nil // too few unreviewed stages to show every state
	}
	var at time.Time
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	svc.Now = func() time.Time { return at }
	officer, security := users["officer"], users["security"]
	plans := [][]string{
		{},
		{"submit"},
		{"submit", "finding", "pmo_review"},
		{"submit", "pmo_review", "central_review"},
		{"submit", "pmo_return"},
	}
	answers := []string{store.AnswerYes, store.AnswerYes, store.AnswerPartial, store.AnswerNo, store.AnswerYes, store.AnswerNotApplicable}
	var rounds []string
	for i, ps := range picked {
		at = today.AddDate(0, 0, -30+3*i).Add(time.Hour)
		it, err := svc.OpenInspection(ctx, officer, workflow.Round{ProjectCode: ps.ProjectCode, Stage: ps.Stage,
			Comment: "工程の自己点検を開始／ self-inspection of the stage begun"})
		if err != nil {
			return err
		}
		at = at.Add(2 * time.Hour)
		report := fmt.Sprintf("自己点検票 / Self-inspection sheet\n\nプロジェクト / project: %s %s\n工程 / stage: %s\n"+
			"計画書の該当箇所と工程の成果物を確認した。/ The plan's sections and the stage's deliverables were checked.\n",
			ps.ProjectCode, ps.ProjectName, ps.Stage)
		ev, err := svc.Attach(ctx, officer, it.ID, fmt.Sprintf("self-inspection-%d.txt", it.ID), "text/plain", []byte(report))
		if err != nil {
			return err
		}
		qs, err := s.InspectionAnswers(ctx, it.ID)
		if err != nil {
			return err
		}
		var given []workflow.Answer
		for j, q := range qs {
			if i == 0 && j >= 2 {
				break // the drafted round is answered in part
			}
			a := workflow.Answer{CatalogID: q.CatalogID, ControlID: q.ControlID, Answer: answers[(i+j)%len(answers)]}
			if j == 0 {
				a.AttachmentID, a.Note = ev.ID, "自己点検票のとおり／ as the sheet says"
			}
			given = append(given, a)
		}
		if it, err = svc.AnswerInspection(ctx, officer, it.ID, it.Version, given); err != nil {
			return err
		}
		for _, step := range plans[i] {
			at = at.Add(26 * time.Hour)
			switch step {
			case "finding":
				q := qs[len(qs)-1]
				if it, _, err = svc.RaiseFinding(ctx, security, it.ID, it.Version, workflow.Finding{CatalogID: q.CatalogID, ControlID: q.ControlID,
					Text: "前回指摘の是正の証跡がない／ no evidence that the last findings were remedied"}); err != nil {
					return err
				}
				continue
			}
			actor, comment := officer, "自己点検を完了／ self-inspection done"
			switch step {
			case "pmo_review":
				actor, comment = security, "ヒアリングを実施し確認／ reviewed after a hearing"
			case "pmo_return":
				actor, comment = security, "証跡が不足／ evidence missing"
			case "central_review":
				actor, comment = admin, "中央レビューで確認／ reviewed centrally"
			}
			if it, err = svc.Act(ctx, actor, it.ID, workflow.Step{Transition: step, Version: it.Version, Comment: comment}); err != nil {
				return err
			}
		}
		rounds = append(rounds, fmt.Sprintf("%d %s", it.ID, it.State))
	}
	fmt.Fprintf(env.Stdout, "mamori: %d self-inspection rounds in %s (%s): %s; officer inspects, security reviews as the PMO, admin centrally\n",
		len(rounds), ministry, time.Since(start).Round(time.Millisecond), strings.Join(rounds, ", "))
	return nil
}
