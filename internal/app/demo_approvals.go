package app

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// demoApprovals takes the procurement gates, cloud use applications and
// data export requests of the ministry the "ministry" account views
// through every state, by the demo's staff, before the demo is checked:
// so the checks read them. One 適合性確認 is cleared after its contract
// date (OUT-05 finds it late), one before (it passes); a cloud contract
// the register records no approval for is approved (CLD-01 passes); one
// export expired and was blocked again by mamori, and one ended with its
// record. Times are set from the reference date, so the same data and
// date give the same items.
func demoApprovals(ctx context.Context, env *Env, s *store.Store, today time.Time) error {
	start := time.Now()
	viewer, err := s.User(ctx, "ministry")
	if err != nil || len(viewer.Grants) == 0 {
		return err // no ministry in this data: no items
	}
	ministry := viewer.Grants[0].OrgCode
	orgs, _, err := s.Subtrees(ctx, ministry)
	if err != nil {
		return err
	}
	users, err := demoStaffUsers(ctx, s, ministry)
	if err != nil {
		return err
	}
	security, officer := users["security"], users["officer"]
	var at time.Time
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	svc.Now = func() time.Time { return at }
	day := func(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 1, 0, 0, 0, time.UTC) } // 10:00 in Japan
	orgList := slices.Sorted(maps.Keys(orgs))

	// Contracts of the ministry dated at least 40 days before today.
	ke := mamori.EntityByName("contracts")
	recs, _, err := s.Find(ctx, ke, store.Filter{In: map[string][]string{"org_code": orgList}, Limit: 2000})
	if err != nil {
		return err
	}
	type contract struct {
		code, org, on, cloud string
		cloudApproved        bool
	}
	var signed, clouds []contract
	ci := func(name string) int { return ke.FieldIndex(name) }
	latest := today.AddDate(0, 0, -40).Format(time.DateOnly)
	for _, r := range recs {
		c := contract{code: r[ci("code")].(string), org: r[ci("org_code")].(string)}
		// The contract date as the checks read it: signed, else started.
		var ok bool
		if c.on, ok = dateOf(r[ci("contracted_on")]); !ok {
			c.on, _ = dateOf(r[ci("start_on")])
		}
		c.cloud, _ = r[ci("cloud_service_code")].(string)
		c.cloudApproved = r[ci("cloud_approved_on")] != nil
		if c.cloud != "" {
			clouds = append(clouds, c)
		}
		if c.on != "" && c.on <= latest {
			signed = append(signed, c)
		}
	}
	var items []string
	note := func(it store.WorkflowItem) { items = append(items, fmt.Sprintf("%d %s %s", it.ID, it.Kind, it.State)) }
	step := func(who store.User, it store.WorkflowItem, when time.Time, tr, comment string, details map[string]string) (store.WorkflowItem, error) {
		at = when
		return svc.Act(ctx, who, it.ID, workflow.Step{Transition: tr, Version: it.Version, Comment: comment, Details: details})
	}
	// The procurement gates: each plan is a list of transitions, taken a
	// day apart from a start relative to the contract date; the last
	// conformity check is cleared ten days after its contract.
	type plan struct {
		kind    string
		from    int // days from the contract date to the request
		steps   []string
		clearAt int // days from the contract date to the clearing, when the plan clears
	}
	plans := []plan{
		{workflow.ConformityKind, -30, nil, 0},
		{workflow.ConformityKind, -30, []string{"review"}, 0},
		{workflow.ConformityKind, -30, []string{"review", "return"}, 0},
		{workflow.ConformityKind, -30, []string{"review", "clear"}, -20},
		{workflow.ConformityKind, -30, []string{"review", "clear"}, 10},
		{workflow.SpecReviewKind, -30, []string{"review", "return", "resubmit"}, 0},
		{workflow.SpecReviewKind, -30, []string{"review"}, 0},
		{workflow.SpecReviewKind, -30, []string{"review", "return"}, 0},
		{workflow.SpecReviewKind, -30, []string{"review", "clear"}, -15},
	}
	comments := map[string]string{
		"review": "審査を開始／ review started", "return": "要件の記載が不足／ requirements incomplete",
		"resubmit": "要件を補記して再申請／ resubmitted with the requirements completed", "clear": "確認した／ cleared",
	}
	for i, p := range plans {
		if i >= len(signed) {
			break
		}
		c := signed[i]
		on, _ := time.Parse(time.DateOnly, c.on)
		at = day(on.AddDate(0, 0, p.from))
		it, err := svc.Create(ctx, officer, p.kind, workflow.NewItem{Subject: c.code + " の調達", OrgCode: c.org,
			Comment: "契約前の確認を申請／ requested before the contract",
			Details: map[string]string{workflow.DetailContract: c.code, workflow.DetailPlannedContract: c.on}})
		if err != nil {
			return err
		}
		for j, tr := range p.steps {
			who, when := security, day(on.AddDate(0, 0, p.from+1+j))
			switch tr {
			case "resubmit":
				who = officer
			case "clear":
				when = day(on.AddDate(0, 0, p.clearAt))
			}
			if it, err = step(who, it, when, tr, comments[tr], nil); err != nil {
				return err
			}
		}
		note(it)
	}
	// Cloud use: one approved for a contract the register records no
	// approval for, one rejected, one waiting.
	slices.SortStableFunc(clouds, func(a, b contract) int {
		if a.cloudApproved == b.cloudApproved {
			return strings.Compare(a.code, b.code)
		}
		if !a.cloudApproved {
			return -1
		}
		return 1
	})
	for i, tr := range []string{"approve", "reject", ""} {
		if i >= len(clouds) {
			break
		}
		c := clouds[i]
		at = day(today.AddDate(0, 0, -20+i))
		it, err := svc.Create(ctx, officer, workflow.CloudUseKind, workflow.NewItem{Subject: c.code + " のクラウド利用", OrgCode: c.org,
			Details: map[string]string{workflow.DetailContract: c.code, workflow.DetailCloudService: c.cloud,
				workflow.DetailPurpose: "業務システムの運用／ running the business system"}})
		if err != nil {
			return err
		}
		if tr != "" {
			comment := "許可権限者として承認／ approved as the authorizer"
			if tr == "reject" {
				comment = "ISMAP 登録の確認が必要／ the ISMAP registration must be confirmed first"
			}
			if it, err = step(security, it, at.Add(24*time.Hour), tr, comment, nil); err != nil {
				return err
			}
		}
		note(it)
	}
	// Data exports, from components of the ministry's systems.
	se, ce := mamori.EntityByName("systems"), mamori.EntityByName("components")
	systems, _, err := s.Find(ctx, se, store.Filter{In: map[string][]string{"org_code": orgList}, Limit: 50})
	if err != nil {
		return err
	}
	var sysCodes []string
	sysOrg := map[string]string{}
	for _, r := range systems {
		code := r[se.FieldIndex("code")].(string)
		sysCodes = append(sysCodes, code)
		sysOrg[code] = r[se.FieldIndex("org_code")].(string)
	}
	comps, _, err := s.Find(ctx, ce, store.Filter{In: map[string][]string{"system_code": sysCodes}, Limit: 5})
	if err != nil {
		return err
	}
	exports := []struct {
		from, days int // the request, days before today, and the expiry, days after the request
		steps      []string
	}{
		{-2, 7, nil},
		{-3, 10, []string{"approve"}},
		{-4, 7, []string{"reject"}},
		{-20, 7, []string{"approve", workflow.ExpireTransition}},
		{-30, 5, []string{"approve", "end"}},
	}
	for i, x := range exports {
		if i >= len(comps) {
			break
		}
		comp := comps[i][ce.FieldIndex("code")].(string)
		org := sysOrg[comps[i][ce.FieldIndex("system_code")].(string)]
		asked := day(today.AddDate(0, 0, x.from))
		at = asked
		it, err := svc.Create(ctx, officer, workflow.ExportRequestKind, workflow.NewItem{Subject: comp + " からの持出し", OrgCode: org,
			Details: map[string]string{workflow.DetailComponent: comp, workflow.DetailPurpose: "委員会資料の作成／ preparing committee papers",
				workflow.DetailMedium: "暗号化 USB メモリ／ encrypted USB stick", workflow.DetailExpiresOn: asked.AddDate(0, 0, x.days).Format(time.DateOnly)}})
		if err != nil {
			return err
		}
		for _, tr := range x.steps {
			switch tr {
			case "approve":
				it, err = step(security, it, asked.Add(2*time.Hour), tr, "情報セキュリティ管理者として許可／ approved as the information security manager", nil)
			case "reject":
				it, err = step(security, it, asked.Add(2*time.Hour), tr, "目的に対して範囲が広すぎる／ too broad for the purpose", nil)
			case "end":
				it, err = step(officer, it, asked.AddDate(0, 0, 2), tr, "返却済み／ returned",
					map[string]string{workflow.DetailItemsTaken: "委員会資料 PDF 3 件／ three committee PDFs"})
			case workflow.ExpireTransition:
				at = day(asked.AddDate(0, 0, x.days+1))
				var done []store.WorkflowItem
				if done, err = svc.Expire(ctx, at.Format(time.DateOnly)); err == nil {
					if k := slices.IndexFunc(done, func(d store.WorkflowItem) bool { return d.ID == it.ID }); k >= 0 {
						it = done[k]
					}
				}
			}
			if err != nil {
				return err
			}
		}
		note(it)
	}
	fmt.Fprintf(env.Stdout, "mamori: %d procurement and approval items in %s (%s): %s\n",
		len(items), ministry, time.Since(start).Round(time.Millisecond), strings.Join(items, ", "))
	return nil
}

// dateOf renders a register date (text or time) as YYYY-MM-DD.
func dateOf(v any) (string, bool) {
	switch x := v.(type) {
	case string:
		return x, x != ""
	case time.Time:
		return x.Format(time.DateOnly), true
	}
	return "", false
}

// demoStaffUsers returns the demo's staff of the ministry, creating those
// missing.
func demoStaffUsers(ctx context.Context, s *store.Store, ministry string) (map[string]store.User, error) {
	users := map[string]store.User{}
	for _, p := range demoStaff {
		if _, err := s.User(ctx, p.name); mamori.KindOf(err) == mamori.NotFound {
			err = auth.CreateUser(ctx, s, auth.NewUser{Name: p.name, DisplayName: p.display + "（" + ministry + "）",
				Password: demoPassword, Grants: []store.RoleGrant{{Role: string(p.role), OrgCode: ministry}}}, time.Now())
			if err != nil {
				return nil, err
			}
		} else if err != nil {
			return nil, err
		}
		u, err := s.User(ctx, p.name)
		if err != nil {
			return nil, err
		}
		users[p.name] = u
	}
	return users, nil
}
