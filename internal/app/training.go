package app

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"mamori/internal/store"
	"mamori/internal/wareki"
)

const trainingSynopsis = `training COMMAND [flags]

Commands:
  list [--fy YEAR] [--org CODE] [--format table|json]
                 the training courses with the people who must attend,
                 attended and passed, and the rates per body and in total
                 (rates are "-" where nothing says who must attend)
  show CODE      one course: who must attend, and each person's
                 attendance and comprehension test`

func runTraining(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "training", trainingSynopsis, args, false)
	if done {
		return err
	}
	switch args[0] {
	case "list":
		return runTrainingList(ctx, env, args[1:])
	case "show":
		return runTrainingShow(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "training", trainingSynopsis, args[0])
}

// permille writes a rate in tenths of a percent as a percentage, "-" for none.
func permille(part, whole int64) string {
	r := store.Rate(part, whole)
	if r < 0 {
		return "-"
	}
	return fmt.Sprintf("%d.%d%%", r/10, r%10)
}

// trainingTotalsJSON is a body's year, or the total, as json writes it.
type trainingTotalsJSON struct {
	OrgCode            string `json:"org_code,omitempty"`
	FiscalYear         int64  `json:"fiscal_year,omitempty"`
	Courses            int64  `json:"courses"`
	Delivered          int64  `json:"delivered"`
	Judged             int64  `json:"judged"`
	Required           int64  `json:"required"`
	Attended           int64  `json:"attended"`
	Passed             int64  `json:"passed"`
	AttendancePermille *int64 `json:"attendance_permille,omitempty"`
	PassPermille       *int64 `json:"pass_permille,omitempty"`
}

func optRate(part, whole int64) *int64 {
	if r := store.Rate(part, whole); r >= 0 {
		return &r
	}
	return nil
}

func totalsJSON(t store.TrainingTotals) trainingTotalsJSON {
	return trainingTotalsJSON{OrgCode: t.OrgCode, FiscalYear: t.FiscalYear, Courses: t.Courses, Delivered: t.Delivered, Judged: t.Judged,
		Required: t.Required, Attended: t.Attended, Passed: t.Passed,
		AttendancePermille: optRate(t.Attended, t.Required), PassPermille: optRate(t.Passed, t.TestRequired)}
}

func runTrainingList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "training list", "training list [--db DB] [--fy YEAR] [--org CODE] [--format table|json]")
	fyFlag := fs.String("fy", "", "one fiscal year: 2025, 令和7年度 or R7")
	org := fs.String("org", "", "only courses of this organization and the organizations under it")
	format := fs.String("format", "table", "table or json")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"training list takes no arguments"}
	}
	if *format != "table" && *format != "json" {
		return &UsageError{fmt.Sprintf("--format %q: want table or json", *format)}
	}
	var f store.TrainingFilter
	if *fyFlag != "" {
		fy, _, err := wareki.ParseFiscalYear(*fyFlag)
		if err != nil {
			return &UsageError{fmt.Sprintf("--fy %q: %v", *fyFlag, err)}
		}
		f.FiscalYear = int64(fy)
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	if *org != "" {
		sub, err := s.Subtree(ctx, *org)
		if err != nil {
			return err
		}
		f.Orgs = []string{}
		for o := range sub {
			f.Orgs = append(f.Orgs, o)
		}
	}
	m, err := s.TrainingMetrics(ctx, f)
	if err != nil {
		return err
	}
	if *format == "json" {
		out := struct {
			Courses       []store.TrainingCourse `json:"courses"`
			Organizations []trainingTotalsJSON   `json:"organizations"`
			Total         trainingTotalsJSON     `json:"total"`
		}{Courses: m.Courses, Organizations: []trainingTotalsJSON{}, Total: totalsJSON(m.Total)}
		for _, t := range m.ByOrg {
			out.Organizations = append(out.Organizations, totalsJSON(t))
		}
		enc := json.NewEncoder(env.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "code\tfy\torg\tkind\tdelivered\trequired\tattended\tpassed\tattendance\tpass-rate\ttitle")
	for _, c := range m.Courses {
		req, att, pass := "-", "-", "-"
		if c.Judged() {
			req, att = strconv.FormatInt(c.Required, 10), permille(c.Attended, c.Required)
			if c.HasTest() {
				pass = permille(c.Passed, c.Required)
			}
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", c.Code, c.FiscalYear, c.OrgCode, c.Kind, orNone(c.DeliveredFrom),
			req, c.Attended, c.Passed, att, pass, oneLine(c.Title, 40))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintln(env.Stdout)
	tw = newTextTable(env.Stdout)
	fmt.Fprintln(tw, "body\tfy\tcourses\tdelivered\trequired\tattended\tpassed\tattendance\tpass-rate")
	for _, t := range append(m.ByOrg, m.Total) {
		name, fy := t.OrgCode, strconv.FormatInt(t.FiscalYear, 10)
		if name == "" {
			name = "total"
		}
		if t.FiscalYear == 0 {
			fy = "all"
		}
		fmt.Fprintf(tw, "%s\t%s\t%d\t%d\t%d\t%d\t%d\t%s\t%s\n", name, fy, t.Courses, t.Delivered, t.Required, t.Attended, t.Passed,
			permille(t.Attended, t.Required), permille(t.Passed, t.TestRequired))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "%d 件 / %d courses\n", len(m.Courses), len(m.Courses))
	return nil
}

func runTrainingShow(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "training show", "training show [--db DB] CODE")
	pos, err := parseWithArgs(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return &UsageError{"training show needs one course code"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	c, people, err := s.TrainingCourse(ctx, pos[0], nil)
	if err != nil {
		return err
	}
	w := env.Stdout
	pass := "no test"
	if c.PassScore != nil {
		pass = fmt.Sprintf("pass mark %d", *c.PassScore)
	}
	fmt.Fprintf(w, "training %s: %s\norganization %s, fiscal year %d, kind %s, plan %s\ndelivered %s to %s, %s\n", c.Code, c.Title,
		c.OrgCode, c.FiscalYear, c.Kind, orNone(c.PlanCode), orNone(c.DeliveredFrom), orNone(c.DeliveredUntil), pass)
	if len(c.Requirements) == 0 {
		fmt.Fprintln(w, "who must attend: not recorded (attendance cannot be judged)")
	}
	for _, rq := range c.Requirements {
		role := "all staff"
		if rq.Role != "" {
			role = rq.Role
		}
		fmt.Fprintf(w, "must attend: %s and its subtree, %s\n", rq.OrgCode, role)
	}
	fmt.Fprintf(w, "required %d, attended %d (%s), tested %d, passed %d (%s), others attending %d\n\n", c.Required, c.Attended,
		permille(c.Attended, c.Required), c.Tested, c.Passed, permille(c.Passed, c.Required), c.Others)
	tw := newTextTable(w)
	fmt.Fprintln(tw, "person\torg\tstatus\trequired\tattended\ttest\tscore\tpassed\tname")
	b := func(p *bool) string {
		if p == nil {
			return "-"
		}
		return strconv.FormatBool(*p)
	}
	for _, p := range people {
		score := "-"
		if p.Score != nil {
			score = strconv.FormatInt(*p.Score, 10)
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%t\t%s\t%s\t%s\t%s\t%s\n", p.PersonCode, p.OrgCode, p.Status, p.Required, orNone(p.AttendedOn),
			b(p.TestTaken), score, b(p.Passed), oneLine(p.Name, 30))
	}
	return tw.Flush()
}
