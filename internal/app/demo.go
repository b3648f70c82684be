package app

import (
	"bytes"
	"cmp"
	"context"
	"fmt"
	"maps"
	"net"
	"slices"
	"strings"
	"time"

	"mamori"
	"mamori/internal/auth"
	"mamori/internal/check"
	"mamori/internal/demo"
	"mamori/internal/feed"
	"mamori/internal/match"
	"mamori/internal/store"
	"mamori/internal/workflow"
)

// DefaultDemoDB is the SQLite file the demo uses unless told otherwise, kept
// apart from DefaultDB so trying the demo never touches a real register.
const DefaultDemoDB = "mamori-demo.db"

func runDemo(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "demo", "demo [--db DB] [--scale small|city|national] [--seed N] [--today YYYY-MM-DD] [--no-serve] [--addr HOST:PORT]\n\n"+
		"Generates a deterministic, realistic data set (a government with ministries, branches,\n"+
		"prefectures and municipalities) into the database if it is empty, then serves it.")
	scale := fs.String("scale", "city", "small, city or national")
	seed := fs.Uint64("seed", 1, "random seed; the same seed gives the same data")
	today := fs.String("today", "", "reference date the data's ages are measured from (default today); the same seed and date give the same data")
	noServe := fs.Bool("no-serve", false, "only generate the data")
	addr := fs.String("addr", DefaultAddr, "address to listen on")
	// The demo's own default, so that trying it never touches a register.
	fs.Lookup("db").Usage = "SQLite file path or postgres:// DSN (env " + EnvDB + "; default " + DefaultDemoDB + ")"
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"demo takes no arguments"}
	}
	sc, err := demo.ParseScale(*scale)
	if err != nil {
		return &UsageError{err.Error()}
	}
	// Stale patches, overdue reviews and expired certificates are planted
	// relative to this date, so the demo reads as current when checked today.
	ref := time.Now().UTC().Truncate(24 * time.Hour)
	if *today != "" {
		if ref, err = time.Parse(time.DateOnly, *today); err != nil {
			return &UsageError{fmt.Sprintf("--today %q: want YYYY-MM-DD", *today)}
		}
	}
	// Take the address first: a port in use is better said before minutes
	// of generating than after.
	var ln net.Listener
	if !*noServe {
		if ln, err = listen(*addr); err != nil {
			return err
		}
		defer ln.Close() // serveOn closes it too; this is for the early returns
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDemoDB))
	if err != nil {
		return err
	}
	defer s.Close()
	counts, err := s.Counts(ctx)
	if err != nil {
		return err
	}
	var existing int64
	for name, n := range counts {
		if !mamori.EntityByName(name).Reference { // seeded by migrate
			existing += n
		}
	}
	if existing > 0 {
		if *noServe {
			return mamori.Errorf(mamori.Conflict, "データベースは空ではありません(%d 件)。新しいファイルを指定してください",
				"the database is not empty (%d records); give a new file with --db", existing)
		}
		fmt.Fprintf(env.Stdout, "mamori: using existing data (%d records)\n", existing)
		if err := demoUsers(ctx, env, s); err != nil {
			return err
		}
		return serveOn(ctx, env, s, ln, mamori.Limits{}, workflow.Options{}, nil)
	}
	start := time.Now()
	stats, err := demo.Generate(ctx, s, demo.Options{Scale: sc, Seed: *seed, Today: ref})
	if err != nil {
		return err
	}
	var parts []string
	for _, e := range []string{"organizations", "systems", "components", "contracts"} {
		parts = append(parts, fmt.Sprintf("%s %d", e, stats.Counts[e]))
	}
	fmt.Fprintf(env.Stdout, "mamori: generated %s demo data in %s: %s\n", sc, time.Since(start).Round(time.Millisecond), strings.Join(parts, ", "))
	if err := demoVulns(ctx, env, s, demo.Options{Seed: *seed, Today: ref}); err != nil {
		return err
	}
	if err := demoUsers(ctx, env, s); err != nil {
		return err
	}
	if err := demoApprovals(ctx, env, s, ref); err != nil {
		return err
	}
	if err := demoInspections(ctx, env, s, ref); err != nil {
		return err
	}
	if err := demoGovernance(ctx, env.Stdout, s, ref); err != nil {
		return err
	}
	if err := demoIncidents(ctx, env, s, ref); err != nil {
		return err
	}
	// A demo opens on a dashboard with something on it, and its workflow
	// items follow real findings: assess the data once (mamori check).
	cats, err := loadCatalogs(ctx, s)
	if err != nil {
		return err
	}
	checked := time.Now()
	rep, err := check.Run(ctx, s, cats, check.Options{Today: ref.Format(time.DateOnly)})
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "mamori: checked the demo data in %s: assessment %s\n", time.Since(checked).Round(time.Millisecond), rep.Assessment.ID)
	if err := demoWorkflows(ctx, env, s, *seed, ref); err != nil {
		return err
	}
	if err := demoForum(ctx, env, s, ref); err != nil {
		return err
	}
	if *noServe {
		return nil
	}
	return serveOn(ctx, env, s, ln, mamori.Limits{}, workflow.Options{}, nil)
}

// demoVulns imports the demo's embedded feeds, matches its software as of
// the reference date and records its countermeasures, so a fresh demo has
// vulnerabilities to manage (and VUL-01…03 something to find).
func demoVulns(ctx context.Context, env *Env, s *store.Store, opts demo.Options) error {
	start := time.Now()
	feeds, err := demo.Feeds()
	if err != nil {
		return err
	}
	for _, f := range feeds {
		res, err := feed.Import(ctx, s, bytes.NewReader(f.Data), int64(len(f.Data)), f.Name, feed.Options{Now: opts.Today})
		if err != nil {
			return err
		}
		if err := res.Err(); err != nil {
			return err
		}
	}
	imported := time.Now()
	res, err := match.Run(ctx, s, match.Options{Now: opts.Today})
	if err != nil {
		return err
	}
	matched := time.Now()
	n, err := demo.PlantCountermeasures(ctx, s, opts)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "mamori: imported %d demo feeds (%s), %d vulnerability matches (%s), %d countermeasures (%s)\n",
		len(feeds), imported.Sub(start).Round(time.Millisecond), res.Run.Matches, matched.Sub(imported).Round(time.Millisecond),
		n, time.Since(matched).Round(time.Millisecond))
	return nil
}

// demoPassword is the demo accounts' password: printed, and the same in
// every demo database, so that a demo can be signed into again later. It
// is for demonstration data only.
const demoPassword = "mamori-demo-2026"

// demoUsers creates the demo's accounts if they are missing and prints how
// to sign in: a viewer of the whole government (no second factor needed),
// a viewer of one ministry (to see the scoping), and a central
// administrator, who must enrol a TOTP second factor at the first sign-in.
func demoUsers(ctx context.Context, env *Env, s *store.Store) error {
	var roots []string
	ministry := ""
	oe := mamori.EntityByName("organizations")
	code, parent, kind := oe.FieldIndex("code"), oe.FieldIndex("parent_code"), oe.FieldIndex("kind")
	err := s.Dump(ctx, oe, func(r mamori.Record) error {
		if r[parent] == nil {
			roots = append(roots, r[code].(string))
		}
		if k, _ := r[kind].(string); k == "ministry" && ministry == "" {
			ministry = r[code].(string)
		}
		return nil
	})
	if err != nil {
		return err
	}
	grants := func(role string, orgs ...string) []store.RoleGrant {
		var out []store.RoleGrant
		for _, o := range orgs {
			out = append(out, store.RoleGrant{Role: role, OrgCode: o})
		}
		return out
	}
	accounts := []auth.NewUser{
		{Name: "demo", DisplayName: "デモ 閲覧者（政府全体）", Grants: grants("viewer", roots...)},
		{Name: "admin", DisplayName: "デモ 中央管理者", Grants: grants("central_admin", roots...)},
	}
	if ministry != "" {
		accounts = append(accounts, auth.NewUser{Name: "ministry", DisplayName: "デモ 閲覧者（" + ministry + "）", Grants: grants("viewer", ministry)})
	}
	for _, a := range accounts {
		if _, err := s.User(ctx, a.Name); err == nil {
			continue
		} else if mamori.KindOf(err) != mamori.NotFound {
			return err
		}
		a.Password = demoPassword
		if err := auth.CreateUser(ctx, s, a, time.Now()); err != nil {
			return err
		}
	}
	fmt.Fprintf(env.Stdout, "mamori: sign in with password %q as demo (viewer, whole government), ministry (viewer, %s only)\n"+
		"        or admin (central administrator: enrol a TOTP second factor at the first sign-in)\n", demoPassword, ministry)
	return nil
}

// The demo's remediation staff, in the ministry the "ministry" account
// views: an auditor who raises findings, the ministry's security officer
// who assigns and closes them, and a system officer who fixes them. Three
// people, so that the separation of duties holds: the applicant never
// closes their own item, and the assignee never reviews their own work.
var demoStaff = []struct {
	name, display string
	role          auth.Role
}{
	{"auditor", "デモ 監査担当", auth.Auditor},
	{"security", "デモ 組織セキュリティ担当", auth.OrgSecurity},
	{"officer", "デモ システム担当", auth.SystemOfficer},
}

// demoWorkflows opens remediation items for a handful of the ministry's
// open findings and takes them through the workflow service, so that the
// demo has an item in every state: open, assigned (one of them overdue),
// in progress, resolved, closed with evidence, and one reopened after it
// was closed. Which findings are chosen depends on the seed; the items'
// times are set from the reference date, so the same seed and date give the
// same items.
func demoWorkflows(ctx context.Context, env *Env, s *store.Store, seed uint64, today time.Time) error {
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
	users := map[string]store.User{}
	for _, p := range demoStaff {
		if _, err := s.User(ctx, p.name); mamori.KindOf(err) == mamori.NotFound {
			err = auth.CreateUser(ctx, s, auth.NewUser{Name: p.name, DisplayName: p.display + "（" + ministry + "）",
				Password: demoPassword, Grants: []store.RoleGrant{{Role: string(p.role), OrgCode: ministry}}}, time.Now())
			if err != nil {
				return err
			}
		} else if err != nil {
			return err
		}
		if users[p.name], err = s.User(ctx, p.name); err != nil {
			return err
		}
	}
	// The ministry's open findings only, organization by organization: a
	// national demo holds millions of findings in all.
	var open []store.Finding
	for _, org := range slices.Sorted(maps.Keys(orgs)) {
		found, err := s.Findings(ctx, store.FindingFilter{Status: "open", OrgCode: org})
		if err != nil {
			return err
		}
		for _, f := range found {
			if f.Result == store.ResultFail {
				open = append(open, f)
			}
		}
	}
	slices.SortStableFunc(open, func(a, b store.Finding) int {
		return cmp.Or(cmp.Compare(a.ControlID, b.ControlID), cmp.Compare(a.TargetCode, b.TargetCode))
	})
	// One finding per control, so the items are about different things.
	var picked []store.Finding
	seen := map[string]bool{}
	for i := range open {
		f := open[(uint64(i)+seed*7919)%uint64(len(open))]
		if !seen[f.ControlID] && len(picked) < 6 {
			seen[f.ControlID] = true
			picked = append(picked, f)
		}
	}
	if len(picked) < 6 {
		return nil // too few findings to show every state
	}
	var at time.Time // each item starts at 10:00 in Japan, days before today
	svc, err := workflowService(s, workflow.Options{}, nil)
	if err != nil {
		return err
	}
	svc.Now = func() time.Time { return at }
	day := func(d int) string { return today.AddDate(0, 0, d).Format(time.DateOnly) }
	auditor, security, officer := users["auditor"], users["security"], users["officer"]
	// The states each item is taken to, in order; the second is overdue.
	plans := [][]string{
		{},
		{"assign"},
		{"assign", "start"},
		{"assign", "start", "resolve"},
		{"assign", "start", "resolve", "close"},
		{"assign", "start", "resolve", "close", "reopen"},
	}
	var items []string
	for i, f := range picked {
		at = today.AddDate(0, 0, -40+i).Add(time.Hour)
		// Due by the catalog's table for the finding's severity; the
		// second item is due five days ago at the latest, so the demo
		// shows an overdue item escalated.
		due := ""
		if i == 1 {
			latest, err := workflow.LatestDue(f.Severity, svc.Today())
			if err != nil {
				return err
			}
			due = min(latest, day(-5))
		}
		it, err := svc.OpenForFinding(ctx, auditor, workflow.OpenFinding{Control: f.ControlID, Target: f.TargetCode, DueOn: due,
			Comment: fmt.Sprintf("監査で検出（%s）／ found by the audit (%s)", f.ControlID, f.ControlID)})
		if err != nil {
			return err
		}
		for _, tr := range plans[i] {
			at = at.Add(26 * time.Hour)
			actor, step := security, workflow.Step{Transition: tr}
			switch tr {
			case "assign":
				step.Assignee, step.Comment = officer.Name, "システム担当に割当て／ assigned to the system officer"
			case "start":
				actor, step.Comment = officer, "調査を開始／ investigating"
				// The owner plans the work: two milestones, the first done
				// once the work has started.
				for k, title := range []string{"原因調査と対策案の作成／ investigate and propose a fix", "設定変更と再点検／ change the setting and re-check"} {
					if it, err = svc.AddMilestone(ctx, officer, it.ID, it.Version, title, at.AddDate(0, 0, 7*(k+1)).Format(time.DateOnly)); err != nil {
						return err
					}
				}
				ms, err := s.WorkflowMilestones(ctx, it.ID)
				if err != nil {
					return err
				}
				if it, err = svc.TickMilestone(ctx, officer, it.ID, it.Version, ms[it.ID][0].ID, true); err != nil {
					return err
				}
			case "resolve":
				actor = officer
				report := fmt.Sprintf("是正報告 / Remediation report\n\n案件 / item: %d\n所見 / finding: %s %s\n組織 / organization: %s\n"+
					"対応 / action: 設定を是正し、再点検で適合を確認した。/ The setting was corrected and a re-check found it compliant.\n",
					it.ID, f.ControlID, f.TargetCode, f.OrgCode)
				if _, err := svc.Attach(ctx, officer, it.ID, fmt.Sprintf("remediation-%d.txt", it.ID), "text/plain", []byte(report)); err != nil {
					return err
				}
				if it, err = s.WorkflowItem(ctx, it.ID); err != nil {
					return err
				}
				step.Comment = "是正済み、報告を添付／ fixed, report attached"
			case "close":
				step.Comment = "報告を確認／ report reviewed"
			case "reopen":
				actor, step.Comment = auditor, "再点検で再び不適合／ failed again at the re-check"
			}
			step.Version = it.Version
			if it, err = svc.Act(ctx, actor, it.ID, step); err != nil {
				return err
			}
		}
		items = append(items, fmt.Sprintf("%d %s", it.ID, it.State))
	}
	// The overdue items escalate up the organization tree as of the
	// reference date, as serve's daily job would have done.
	at = today.Add(time.Hour)
	escalated, err := svc.Escalate(ctx)
	if err != nil {
		return err
	}
	var up []string
	for _, e := range escalated {
		up = append(up, fmt.Sprintf("%d to %s", e.Item.ID, e.To))
	}
	if len(up) > 0 {
		items[len(items)-1] += "; overdue and escalated: " + strings.Join(up, ", ")
	}
	fmt.Fprintf(env.Stdout, "mamori: %d remediation items in %s (%s): %s; accounts auditor, security and officer (auditor and security enrol a TOTP second factor at their first sign-in)\n",
		len(items), ministry, time.Since(start).Round(time.Millisecond), strings.Join(items, ", "))
	return nil
}
