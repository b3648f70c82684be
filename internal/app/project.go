package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/yen"
)

const projectSynopsis = `project COMMAND [flags]

Commands:
  list [--org CODE] [--format table|json]
                 the projects, with whether a plan was written, how many
                 plan items and contracts, what was paid and the open
                 governance (GOV) findings
  show CODE [--format table|json]
                 one project's governance view: plan items, budget by
                 fiscal year and kind, contracts with payments and shares,
                 surveys with answers and conditions, investment records,
                 monthly use and its GOV findings`

func runProject(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "project", projectSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "list":
		return runProjectList(ctx, env, args[1:])
	case "show":
		return runProjectShow(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "project", projectSynopsis, args[0])
}

func yenText(v int64) string { return yen.Format(yen.Amount{Yen: v}) }

func yenPtr(v *int64) string {
	if v == nil {
		return "-"
	}
	return yenText(*v)
}

func runProjectList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "project list", "project list [--db DB] [--org CODE] [--format table|json]")
	org := fs.String("org", "", "only projects of this organization and the organizations under it")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"project list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	var orgs []string
	if *org != "" {
		sub, _, err := s.Subtrees(ctx, *org)
		if err != nil {
			return err
		}
		if len(sub) == 0 {
			return mamori.Errorf(mamori.NotFound, "組織「%s」はありません", "no organization %q", *org)
		}
		orgs = []string{}
		for o := range sub {
			orgs = append(orgs, o)
		}
	}
	ps, err := s.Projects(ctx, orgs)
	if err != nil {
		return err
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		if ps == nil {
			ps = []store.ProjectSummary{}
		}
		return enc.Encode(ps)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "code\torg\tname\tplan\tplan-items\tcontracts\tpaid\tgo-live\tGOV-findings")
	for _, p := range ps {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%d\n", p.Code, p.OrgCode, oneLine(p.Name, 40), orNone(p.PlanDocumentedOn),
			p.PlanItems, p.Contracts, yenText(p.Paid), orNone(p.GoLiveOn), p.OpenFindings)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d projects\n", len(ps), len(ps))
	return nil
}

func runProjectShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "project show", "project show [--db DB] [--format table|json] CODE")
	format := fs.String("format", "table", "table or json")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] == "" {
		fs.Usage()
		return &UsageError{"project show needs a project code"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	d, ok, err := s.Project(ctx, pos[0])
	if err != nil {
		return err
	}
	if !ok {
		return mamori.Errorf(mamori.NotFound, "プロジェクト「%s」はありません", "no project %q", pos[0])
	}
	if *format == "json" {
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(d)
	}
	w := env.Stdout
	fmt.Fprintf(w, "%s  %s (%s)\n", d.Code, d.Name, d.OrgCode)
	fmt.Fprintf(w, "プロジェクト計画書 / project plan: %s\n", orNone(d.PlanDocumentedOn))
	fmt.Fprintf(w, "運用開始 / go-live: %s\n支払額 / paid: %s\n", orNone(d.GoLiveOn), yenText(d.Paid))
	section := func(title string) { fmt.Fprintf(w, "\n%s\n", title) }
	section("計画書記載事項 / plan items")
	tw := newTextTable(w)
	for _, it := range d.Items {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\n", it.Code, it.Kind, oneLine(it.Title, 50), orNone(it.CoversProject))
	}
	for _, it := range d.CoveredBy {
		fmt.Fprintf(tw, "  (%s)\t%s\t%s\tcovered by %s\n", it.Code, it.Kind, oneLine(it.Title, 50), it.CoversProject)
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	section("予算 / budget (FY, kind, amount, carried over)")
	tw = newTextTable(w)
	for _, b := range d.Budget {
		carried := "-"
		if b.CarriedToFY != 0 {
			carried = "FY" + strconv.FormatInt(b.CarriedToFY, 10) + " " + yenText(b.CarriedAmount)
		}
		fmt.Fprintf(tw, "  %s\tFY%d\t%s\t%s\t%s\t%s\n", b.Code, b.FiscalYear, b.Kind, yenText(b.Amount), carried, oneLine(b.Title, 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	section("契約 / contracts (payments by FY, shares)")
	tw = newTextTable(w)
	for _, c := range d.Contracts {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t%s\t%s\n", c.Code, c.Kind, oneLine(c.Title, 40), orNone(c.ContractedOn), yenPtr(c.Total))
		for _, p := range c.Payments {
			fmt.Fprintf(tw, "    FY%d\tpaid\t%s\t%s\t\n", p.FiscalYear, yenPtr(p.Paid), orNone(p.PaidThrough))
		}
		for _, sh := range c.Shares {
			fmt.Fprintf(tw, "    share\t%s\t%s\tpaid %s\tthrough %s\n", sh.System, yenPtr(sh.Amount), yenPtr(sh.Paid), orNone(sh.PaidThrough))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	section("調査 / surveys (answers, conditions, follow-up)")
	tw = newTextTable(w)
	for _, sv := range d.Surveys {
		fmt.Fprintf(tw, "  %s\t%s\t%s\t\t\n", sv.Code, sv.SentOn, oneLine(sv.Title, 40))
		for _, a := range sv.Answers {
			wish := "-"
			if a.Wishes != nil {
				wish = strconv.FormatBool(*a.Wishes)
			}
			fmt.Fprintf(tw, "    %s\twish %s\tfollowed up %s\tcondition %s (%s)\n", a.OrgCode, wish, orNone(a.FollowedUpOn),
				orNone(oneLine(a.Conditions, 30)), orNone(a.ConditionFollowedUpOn))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	section("投資判断の記録 / investment records")
	for _, r := range d.Records {
		fmt.Fprintf(w, "  %s  %s  %s\n", r.RecordedOn, r.Kind, r.Title)
	}
	section("利用実績 / use for its purpose by month (organizations, systems)")
	for _, u := range d.Usage {
		fmt.Fprintf(w, "  %s  %d  %d  %s\n", u.Month[:7], u.Orgs, u.Systems, u.OtherUse)
	}
	section("GOV 指摘 / open governance findings")
	for _, f := range d.Findings {
		amount := ""
		if f.Amount != nil {
			amount = "  " + yenText(*f.Amount)
		}
		fmt.Fprintf(w, "  %s  %s %s%s\n", f.Control, f.TargetType, f.TargetCode, amount)
	}
	return nil
}
