// Package check is mamori's check engine: it compiles each control's CEL
// expressions once against the view of its target type, evaluates them over
// every target (loaded in bulk by the store, evaluated in parallel), and
// records an assessment with its findings. Its one job is evaluation; it
// reads and writes only through package store and must not import web, app
// or register.
package check

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"cel.dev/cel-go/cel"
	"cel.dev/cel-go/common/ast"
	"cel.dev/cel-go/common/types"
	"cel.dev/cel-go/common/types/ref"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/store"
)

// Status is the outcome of one control on one target.
type Status int

// The outcomes. Unknown (未確認) means the evidence the control needs is
// missing and the values present do not decide it: absence of evidence is
// never a pass (DESIGN §5).
const (
	Pass Status = iota
	Fail
	NotApplicable
	Unknown
	Error
)

// numStatuses is the number of outcomes, the size of a count array.
const numStatuses = 5

func (s Status) String() string {
	return [...]string{"pass", "fail", "not_applicable", "unknown", "error"}[s]
}

// expr is one compiled expression: a plain program for rows whose evidence
// is complete, and a partially evaluating one for rows missing some, where
// CEL's own unknowns carry the gap through && and || (true || unknown is
// true: a failure is found even where other evidence is missing).
type expr struct {
	plain, partial cel.Program
	fields         []int // view fields the expression reads
}

// Program is one compiled control.
type Program struct {
	Control  *catalog.Control
	view     *store.View
	applies  *expr   // nil: always applicable
	criteria []*expr // one per criterion; a control with a plain check has one
	keys     []string
	fields   []int // view fields the expressions (and the measure) read, ascending
	evidence []int // the fields among them whose absence is 未確認
	whole    bool  // the expressions use the view variable as a whole
	params   map[string]any
	covers   map[string]bool // organization kinds; nil: every kind
	measure  int             // view field summed by the report, or -1
	// sightings: the control also judges systems seen only outside the register.
	sightings bool
	tallies   []*expr // the catalog's tallies, in order
}

// Engine holds the compiled controls of one assessment. The reference date
// is fixed at compile time because days_since reads it.
type Engine struct {
	Today    string
	Programs []*Program
}

func compileErr(c *catalog.Control, field, ja, en string, args ...any) *mamori.Error {
	e := mamori.Errorf(mamori.Invalid, ja, en, args...)
	e.Message = "catalog " + c.Catalog + ", control " + c.ID + ", " + field + ": " + e.Message
	e.MessageJA = "カタログ " + c.Catalog + " 管理策 " + c.ID + " " + field + ": " + e.MessageJA
	return e
}

func parseDate(s string) (time.Time, error) { return time.Parse(time.DateOnly, s) }

// addCalendarMonths adds n calendar months, clamping to the last day of the
// month reached.
func addCalendarMonths(t time.Time, n int) time.Time {
	first := time.Date(t.Year(), t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	return time.Date(first.Year(), first.Month(), min(t.Day(), last), 0, 0, 0, 0, time.UTC)
}

// env builds the CEL environment of a target type.
func env(v *store.View, today time.Time) (*cel.Env, error) {
	daysSince := func(arg ref.Val) ref.Val {
		s, ok := arg.Value().(string)
		if !ok {
			return types.NewErr("days_since: not a date")
		}
		t, err := parseDate(s)
		if err != nil {
			return types.NewErr("days_since: %v", err)
		}
		return types.Int(int64(today.Sub(t).Hours() / 24))
	}
	daysBetween := func(a, b ref.Val) ref.Val {
		sa, ok1 := a.Value().(string)
		sb, ok2 := b.Value().(string)
		if !ok1 || !ok2 {
			return types.NewErr("days_between: not a date")
		}
		ta, err := parseDate(sa)
		if err != nil {
			return types.NewErr("days_between: %v", err)
		}
		tb, err := parseDate(sb)
		if err != nil {
			return types.NewErr("days_between: %v", err)
		}
		return types.Int(int64(tb.Sub(ta).Hours() / 24))
	}
	// add_months moves a date by calendar months, ending on the month's
	// last day when the day does not exist (31 Jan + 1 month = 28/29 Feb):
	// "a month or more" is a calendar month, not 30 days (seed 002).
	addMonths := func(a, b ref.Val) ref.Val {
		sa, ok1 := a.Value().(string)
		n, ok2 := b.Value().(int64)
		if !ok1 || !ok2 {
			return types.NewErr("add_months: want a date and a number of months")
		}
		t, err := parseDate(sa)
		if err != nil {
			return types.NewErr("add_months: %v", err)
		}
		return types.String(addCalendarMonths(t, int(n)).Format(time.DateOnly))
	}
	opts := []cel.EnvOption{
		cel.Function("add_months", cel.Overload("add_months_string_int", []*cel.Type{cel.StringType, cel.IntType}, cel.StringType,
			cel.BinaryBinding(addMonths))),
		cel.Variable(v.Var, cel.MapType(cel.StringType, cel.DynType)),
		cel.Variable("today", cel.StringType),
		cel.Variable("params", cel.MapType(cel.StringType, cel.DynType)),
		cel.Function("days_since", cel.Overload("days_since_string", []*cel.Type{cel.StringType}, cel.IntType,
			cel.UnaryBinding(daysSince))),
		cel.Function("days_between", cel.Overload("days_between_string_string", []*cel.Type{cel.StringType, cel.StringType}, cel.IntType,
			cel.BinaryBinding(daysBetween))),
	}
	if v.Target == store.TargetOrganizationFY {
		opts = append(opts, cel.Variable("fy", cel.IntType))
	}
	return cel.NewEnv(opts...)
}

// New compiles the automated controls of the catalogs for an assessment on
// the given reference date ("YYYY-MM-DD"). A syntax or type error, a result
// that is not a bool, or a field the view does not have is an error naming
// the catalog, control, expression and offset; every problem is reported.
func New(cats []*catalog.Catalog, today string) (*Engine, error) {
	key := cacheKey(cats, today)
	if e := cached(key, cats); e != nil {
		return e, nil
	}
	e, err := compileAll(cats, today)
	if err == nil {
		remember(key, e)
	}
	return e, err
}

// compiled keeps the engines compiled in this process, by what they were
// compiled from: compiling every control costs tens of milliseconds, more
// than re-checking one system.
var compiled struct {
	sync.Mutex
	keys    []string
	engines []*Engine
}

// cacheKey is everything an engine depends on: the reference date and each
// automated control's target, expressions, criteria, tallies, evidence,
// coverage and parameters.
func cacheKey(cats []*catalog.Catalog, today string) string {
	var b strings.Builder
	b.WriteString(today)
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if ctl.Manual() {
				continue
			}
			fmt.Fprintf(&b, "\x00%s\x00%s\x00%s\x00%q\x00%q\x00%q\x00%q\x00%q\x00%q\x00%q\x00%q\x00%q\x00%t",
				ctl.Catalog, ctl.ID, ctl.Target, ctl.Applies, ctl.Check, ctl.Criteria, ctl.Tallies, ctl.Evidence, ctl.Covers,
				ctl.Shows, ctl.Measure, ctl.Population, ctl.UnknownFails)
			ids := make([]string, 0, len(ctl.Params))
			for id := range ctl.Params {
				ids = append(ids, id)
			}
			slices.Sort(ids)
			for _, id := range ids {
				fmt.Fprintf(&b, "\x00%q=%q", id, ctl.Params[id].Value)
			}
		}
	}
	return b.String()
}

// cached returns a copy of a compiled engine whose programs point at the
// controls of cats (same content, perhaps other pointers), or nil.
func cached(key string, cats []*catalog.Catalog) *Engine {
	compiled.Lock()
	i := slices.Index(compiled.keys, key)
	var e *Engine
	if i >= 0 {
		e = compiled.engines[i]
	}
	compiled.Unlock()
	if e == nil {
		return nil
	}
	byID := map[string]*catalog.Control{}
	for _, c := range cats {
		for _, ctl := range c.Controls {
			byID[ctl.Catalog+"\x00"+ctl.ID] = ctl
		}
	}
	out := &Engine{Today: e.Today, Programs: make([]*Program, len(e.Programs))}
	for i, p := range e.Programs {
		q := *p
		if ctl := byID[p.Control.Catalog+"\x00"+p.Control.ID]; ctl != nil {
			q.Control = ctl
		}
		out.Programs[i] = &q
	}
	return out
}

func remember(key string, e *Engine) {
	compiled.Lock()
	defer compiled.Unlock()
	if slices.Contains(compiled.keys, key) {
		return
	}
	if len(compiled.keys) >= 8 {
		compiled.keys, compiled.engines = compiled.keys[1:], compiled.engines[1:]
	}
	// A private copy: callers may not change it, but they hold their own.
	cp := &Engine{Today: e.Today, Programs: slices.Clone(e.Programs)}
	compiled.keys = append(compiled.keys, key)
	compiled.engines = append(compiled.engines, cp)
}

func compileAll(cats []*catalog.Catalog, today string) (*Engine, error) {
	t, err := parseDate(today)
	if err != nil {
		return nil, mamori.Errorf(mamori.Invalid, "基準日「%s」は YYYY-MM-DD で指定してください", "reference date %q must be YYYY-MM-DD", today)
	}
	envs := map[string]*cel.Env{}
	e := &Engine{Today: today}
	var problems mamori.Problems
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if ctl.Manual() {
				continue
			}
			v := store.ViewOf(ctl.Target)
			if v == nil {
				problems = append(problems, compileErr(ctl, "target", "対象種別「%s」には検査ビューがありません", "no view for target %q", ctl.Target))
				continue
			}
			ce := envs[ctl.Target]
			if ce == nil {
				if ce, err = env(v, t); err != nil {
					return nil, fmt.Errorf("check: environment: %w", err)
				}
				envs[ctl.Target] = ce
			}
			p, errs := compile(ce, v, ctl)
			problems = append(problems, errs...)
			if p != nil {
				e.Programs = append(e.Programs, p)
			}
		}
	}
	if len(problems) > 0 {
		return nil, problems
	}
	slices.SortFunc(e.Programs, func(a, b *Program) int { return strings.Compare(a.Control.ID, b.Control.ID) })
	return e, nil
}

func compile(ce *cel.Env, v *store.View, ctl *catalog.Control) (*Program, []*mamori.Error) {
	p := &Program{Control: ctl, view: v, params: map[string]any{}, measure: -1,
		sightings: ctl.Population == "sightings"}
	for id, prm := range ctl.Params {
		if n, err := strconv.ParseInt(prm.Value, 10, 64); err == nil {
			p.params[id] = n
		} else {
			p.params[id] = prm.Value
		}
	}
	var errs []*mamori.Error
	used := map[int]bool{}
	one := func(part, src string) *expr {
		a, iss := ce.Compile(src)
		if iss.Err() != nil {
			errs = append(errs, compileErr(ctl, part, "式の誤り: %s", "expression error: %s", iss.Err()))
			return nil
		}
		// dyn is allowed (a bare map field such as system.in_register); the
		// result is checked to be a bool at run time.
		if t := a.OutputType(); !t.IsExactType(cel.BoolType) && !t.IsExactType(cel.DynType) {
			errs = append(errs, compileErr(ctl, part, "式は真偽値を返す必要があります（%s）", "expression must be a bool, not %s", a.OutputType()))
			return nil
		}
		own := map[int]bool{}
		if bad := p.walk(a, own); len(bad) > 0 {
			for _, b := range bad {
				errs = append(errs, compileErr(ctl, part, "%s に項目「%s」はありません（位置 %d）", "%s has no field %q (offset %d)", v.Var, b.name, b.offset))
			}
			return nil
		}
		e := &expr{}
		for i := range own {
			used[i] = true
			e.fields = append(e.fields, i)
		}
		slices.Sort(e.fields)
		var err error
		if e.plain, err = ce.Program(a, cel.EvalOptions(cel.OptOptimize)); err == nil {
			e.partial, err = ce.Program(a, cel.EvalOptions(cel.OptOptimize, cel.OptPartialEval))
		}
		if err != nil {
			errs = append(errs, compileErr(ctl, part, "式の誤り: %s", "expression error: %s", err))
			return nil
		}
		return e
	}
	if ctl.Applies != "" {
		p.applies = one("applies", ctl.Applies)
	}
	if len(ctl.Criteria) > 0 {
		for _, cr := range ctl.Criteria {
			p.criteria = append(p.criteria, one("criterion "+cr.Key, cr.Expr))
			p.keys = append(p.keys, cr.Key)
		}
	} else {
		p.criteria = append(p.criteria, one("check", ctl.Check))
		p.keys = append(p.keys, "")
	}
	for _, t := range ctl.Tallies {
		p.tallies = append(p.tallies, one("tally "+t.Key, t.Expr))
	}
	for _, name := range ctl.Evidence {
		i := v.Field(name)
		if i < 0 {
			errs = append(errs, compileErr(ctl, "evidence", "%s に項目「%s」はありません", "%s has no field %q", v.Var, name))
			continue
		}
		if used[i] {
			p.evidence = append(p.evidence, i)
		}
	}
	for _, name := range ctl.Shows {
		if i := v.Field(name); i >= 0 {
			used[i] = true
		} else {
			errs = append(errs, compileErr(ctl, "shows", "%s に項目「%s」はありません", "%s has no field %q", v.Var, name))
		}
	}
	if ctl.Measure != "" {
		if p.measure = v.Field(ctl.Measure); p.measure < 0 {
			errs = append(errs, compileErr(ctl, "measure", "%s に項目「%s」はありません", "%s has no field %q", v.Var, ctl.Measure))
		} else {
			used[p.measure] = true
		}
	}
	if len(ctl.Covers) > 0 {
		p.covers = map[string]bool{}
		for _, k := range ctl.Covers {
			p.covers[k] = true
		}
	}
	if ctl.Population == "sightings" && v.Target != store.TargetSystem {
		errs = append(errs, compileErr(ctl, "population", "台帳外の把握は情報システムを対象とする管理策だけに使えます",
			"population sightings is for system controls only"))
	}
	if len(errs) > 0 {
		return nil, errs
	}
	for i := range used {
		p.fields = append(p.fields, i)
	}
	if p.whole {
		p.fields = p.fields[:0]
		for i := range v.Fields {
			p.fields = append(p.fields, i)
		}
	}
	slices.Sort(p.fields)
	slices.Sort(p.evidence)
	return p, nil
}

type badField struct {
	name   string
	offset int32
}

// walk records the view fields the checked expression reads, and returns
// the selections of fields the view lacks. A typo in a map key would
// otherwise only ever show up as "no such key" at run time, or, under has(),
// as a silent false.
func (p *Program) walk(a *cel.Ast, used map[int]bool) []badField {
	native := a.NativeRep()
	var bad []badField
	selected := map[int64]bool{}
	ast.PreOrderVisit(native.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() != ast.SelectKind {
			return
		}
		sel := e.AsSelect()
		op := sel.Operand()
		if op.Kind() != ast.IdentKind || op.AsIdent() != p.view.Var {
			return
		}
		selected[op.ID()] = true
		if i := p.view.Field(sel.FieldName()); i >= 0 {
			used[i] = true
			return
		}
		// The operand's offset points at the variable name, which is
		// where a reader looks, also inside has(...).
		var off int32
		if r, ok := native.SourceInfo().GetOffsetRange(op.ID()); ok {
			off = r.Start
		}
		bad = append(bad, badField{sel.FieldName(), off})
	}))
	ast.PreOrderVisit(native.Expr(), ast.NewExprVisitor(func(e ast.Expr) {
		if e.Kind() == ast.IdentKind && e.AsIdent() == p.view.Var && !selected[e.ID()] {
			p.whole = true
		}
	}))
	return bad
}

// outcome is the memoised result of one control on one projection.
type outcome struct {
	status   Status
	criteria []string // failing criteria (Fail) or undecided ones (Unknown)
	evidence string
	amount   *int64
	err      string
	// tallies holds each tally's answer on an applicable target: Pass
	// (true), Fail (false), Unknown or Error.
	tallies []Status
	// applies is true when the control was decided to apply; a tally counts
	// only such targets.
	applies bool
}

// project builds the variable's map from the fields the control reads:
// absent values are left out so has() tells presence.
func (p *Program) project(vals []any) map[string]any {
	m := make(map[string]any, len(p.fields))
	for _, i := range p.fields {
		if vals[i] != nil {
			m[p.view.Fields[i].Name] = vals[i]
		}
	}
	return m
}

// key encodes the projection of a row, so rows that look alike to the
// control share one evaluation (3,000,000 components are a few thousand
// distinct projections).
func (p *Program) key(buf []byte, row *store.ViewRow) []byte {
	return appendKey(buf[:0], p.view, p.fields, row)
}

// appendKey encodes the values of the given fields of a row (and its fiscal
// year, for organization-fy) unambiguously.
func appendKey(buf []byte, v *store.View, fields []int, row *store.ViewRow) []byte {
	if v.Target == store.TargetOrganizationFY {
		// fy is a variable of its own, outside the projection.
		buf = strconv.AppendInt(buf, row.FY, 10)
		buf = append(buf, '|')
	}
	vals := row.Values
	for _, i := range fields {
		switch x := vals[i].(type) {
		case nil:
			buf = append(buf, 0)
		case string:
			buf = append(buf, 's')
			buf = strconv.AppendInt(buf, int64(len(x)), 10)
			buf = append(buf, ':')
			buf = append(buf, x...)
		case int64:
			buf = append(buf, 'i')
			buf = strconv.AppendInt(buf, x, 10)
		case bool:
			buf = append(buf, 'b')
			buf = strconv.AppendBool(buf, x)
		case []string:
			buf = append(buf, 'l')
			buf = strconv.AppendInt(buf, int64(len(x)), 10)
			for _, e := range x {
				buf = append(buf, ',')
				buf = strconv.AppendInt(buf, int64(len(e)), 10)
				buf = append(buf, ':')
				buf = append(buf, e...)
			}
		default:
			j, _ := json.Marshal(x)
			buf = append(buf, 'j')
			buf = strconv.AppendInt(buf, int64(len(j)), 10)
			buf = append(buf, ':')
			buf = append(buf, j...)
		}
		buf = append(buf, ';')
	}
	return buf
}

// verdict is one expression's answer: true, false, undecided for want of
// evidence, or an error.
type verdict int

const (
	vTrue verdict = iota
	vFalse
	vUnknown
	vError
)

// Evidence is what a finding records: the criteria that failed (or could
// not be decided), the evidence fields that were missing, the error, and
// the values the control read.
type Evidence struct {
	Failed  []string       `json:"failed,omitempty"`
	Missing []string       `json:"missing,omitempty"`
	Error   string         `json:"error,omitempty"`
	Values  map[string]any `json:"values"`
}

func (p *Program) eval(today string, row *store.ViewRow) outcome {
	b := p.bind(today, row)
	o := p.evalChecks(b)
	if len(p.tallies) == 0 || !o.applies {
		return o // a tally speaks of targets known to be covered
	}
	o.tallies = make([]Status, len(p.tallies))
	for i, t := range p.tallies {
		prg := t.plain
		if b.absent != nil {
			prg = t.partial
		}
		out, _, err := prg.Eval(b.act)
		switch {
		case err != nil:
			o.tallies[i] = Error
		case types.IsUnknown(out):
			o.tallies[i] = Unknown
		case out.Value() == true:
			o.tallies[i] = Pass
		default:
			o.tallies[i] = Fail
		}
	}
	return o
}

// binding is a row bound for evaluation, shared by the criteria and the
// tallies of a control.
type binding struct {
	row  *store.ViewRow
	proj map[string]any
	act  any
	// absent holds the evidence this row lacks. Only then is the partial
	// program run: complete rows, nearly all of them, take the plain one.
	absent map[int]bool
	err    error
}

func (p *Program) bind(today string, row *store.ViewRow) binding {
	proj := p.project(row.Values)
	vars := map[string]any{p.view.Var: proj, "today": today, "params": p.params}
	if p.view.Target == store.TargetOrganizationFY {
		vars["fy"] = row.FY
	}
	b := binding{row: row, proj: proj, act: vars}
	var patterns []*cel.AttributePatternType
	for _, i := range p.evidence {
		if row.Values[i] == nil {
			if b.absent == nil {
				b.absent = map[int]bool{}
			}
			b.absent[i] = true
			patterns = append(patterns, cel.AttributePattern(p.view.Var).QualString(p.view.Fields[i].Name))
		}
	}
	if b.absent != nil {
		b.act, b.err = cel.PartialVars(vars, patterns...)
	}
	return b
}

func (p *Program) evalChecks(b binding) outcome {
	proj, row, absent, act := b.proj, b.row, b.absent, b.act
	if b.err != nil {
		return p.errorOutcome(proj, "evidence: "+b.err.Error())
	}
	run := func(e *expr) (verdict, string) {
		prg := e.plain
		if absent != nil {
			prg = e.partial
		}
		out, _, err := prg.Eval(act)
		if err != nil {
			return vError, err.Error()
		}
		if types.IsUnknown(out) {
			return vUnknown, ""
		}
		b, ok := out.Value().(bool)
		if !ok {
			return vError, fmt.Sprintf("result is %T, not bool", out.Value())
		}
		if b {
			return vTrue, ""
		}
		return vFalse, ""
	}
	missingOf := func(e *expr) []string {
		var out []string
		for _, i := range e.fields {
			if absent[i] {
				out = append(out, p.view.Fields[i].Name)
			}
		}
		return out
	}
	// Whether the control applies may itself be undecided: then the target
	// conforms only if every criterion holds anyway, and is 未確認 otherwise.
	var failed, undecided, missing []string
	applicabilityUnknown := false
	if p.applies != nil {
		switch v, msg := run(p.applies); v {
		case vError:
			return p.errorOutcome(proj, "applies: "+msg)
		case vFalse:
			return outcome{status: NotApplicable}
		case vUnknown:
			applicabilityUnknown = true
			missing = missingOf(p.applies)
		}
	}
	var errMsg string
	for i, c := range p.criteria {
		switch v, msg := run(c); v {
		case vFalse:
			failed = append(failed, p.keys[i])
		case vUnknown:
			undecided = append(undecided, p.keys[i])
			for _, m := range missingOf(c) {
				if !slices.Contains(missing, m) {
					missing = append(missing, m)
				}
			}
		case vError:
			if errMsg == "" {
				errMsg = criterionLabel(p.keys[i]) + msg
			}
		}
	}
	if applicabilityUnknown && (len(failed) > 0 || len(undecided) > 0 || errMsg != "") {
		// It may not apply at all: nothing is shown to fail.
		keys := append(slices.Clone(failed), undecided...)
		ev := Evidence{Failed: keys, Missing: missing, Error: errMsg, Values: proj}
		return outcome{status: Unknown, criteria: keysOrNil(keys), evidence: marshal(ev), amount: p.amount(row), applies: false}
	}
	switch {
	case len(failed) > 0:
		// A failure stands whatever else is missing or broke; the criteria
		// that could not be decided are kept too, marked "?", so the report
		// counts them as unknown for their criterion.
		keys := slices.Clone(failed)
		for _, u := range undecided {
			keys = append(keys, store.UndecidedCriterion(u))
		}
		ev := Evidence{Failed: failed, Missing: missing, Error: errMsg, Values: proj}
		return outcome{status: Fail, criteria: keysOrNil(keys), evidence: marshal(ev), amount: p.amount(row), applies: true}
	case errMsg != "":
		return p.errorOutcome(proj, errMsg)
	case len(undecided) > 0:
		ev := Evidence{Failed: undecided, Missing: missing, Values: proj}
		return outcome{status: Unknown, criteria: keysOrNil(undecided), evidence: marshal(ev), amount: p.amount(row), applies: true}
	}
	return outcome{status: Pass, applies: !applicabilityUnknown}
}

func (p *Program) errorOutcome(proj map[string]any, msg string) outcome {
	ev := Evidence{Error: msg, Values: proj}
	return outcome{status: Error, err: msg, evidence: marshal(ev)}
}

// amount is the control's measure on a row, when it has one.
func (p *Program) amount(row *store.ViewRow) *int64 {
	if p.measure < 0 {
		return nil
	}
	if n, ok := row.Values[p.measure].(int64); ok {
		return &n
	}
	return nil
}

func criterionLabel(key string) string {
	if key == "" {
		return "check: "
	}
	return "criterion " + key + ": "
}

// keysOrNil drops the one empty key of a control without criteria.
func keysOrNil(keys []string) []string {
	if len(keys) == 1 && keys[0] == "" {
		return nil
	}
	return keys
}

func marshal(ev Evidence) string {
	if ev.Values == nil {
		ev.Values = map[string]any{}
	}
	b, _ := json.Marshal(ev)
	return string(b)
}
