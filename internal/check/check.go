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

// The outcomes.
const (
	Pass Status = iota
	Fail
	NotApplicable
	Error
)

func (s Status) String() string {
	return [...]string{"pass", "fail", "not_applicable", "error"}[s]
}

// Program is one compiled control.
type Program struct {
	Control *catalog.Control
	view    *store.View
	applies cel.Program // nil: always applicable
	check   cel.Program
	fields  []int // view fields the expressions read, ascending
	whole   bool  // the expressions use the view variable as a whole
	params  map[string]any
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
	opts := []cel.EnvOption{
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
// automated control's target, expressions and parameters.
func cacheKey(cats []*catalog.Catalog, today string) string {
	var b strings.Builder
	b.WriteString(today)
	for _, c := range cats {
		for _, ctl := range c.Controls {
			if ctl.Manual() {
				continue
			}
			fmt.Fprintf(&b, "\x00%s\x00%s\x00%s\x00%q\x00%q", ctl.Catalog, ctl.ID, ctl.Target, ctl.Applies, ctl.Check)
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
	p := &Program{Control: ctl, view: v, params: map[string]any{}}
	for id, prm := range ctl.Params {
		if n, err := strconv.ParseInt(prm.Value, 10, 64); err == nil {
			p.params[id] = n
		} else {
			p.params[id] = prm.Value
		}
	}
	var errs []*mamori.Error
	used := map[int]bool{}
	one := func(part, src string) cel.Program {
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
		if bad := p.walk(a, used); len(bad) > 0 {
			for _, b := range bad {
				errs = append(errs, compileErr(ctl, part, "%s に項目「%s」はありません（位置 %d）", "%s has no field %q (offset %d)", v.Var, b.name, b.offset))
			}
			return nil
		}
		prg, err := ce.Program(a, cel.EvalOptions(cel.OptOptimize))
		if err != nil {
			errs = append(errs, compileErr(ctl, part, "式の誤り: %s", "expression error: %s", err))
			return nil
		}
		return prg
	}
	if ctl.Applies != "" {
		p.applies = one("applies", ctl.Applies)
	}
	p.check = one("check", ctl.Check)
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
	evidence string
	err      string
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

func (p *Program) eval(today string, row *store.ViewRow) outcome {
	vars := map[string]any{p.view.Var: p.project(row.Values), "today": today, "params": p.params}
	if p.view.Target == store.TargetOrganizationFY {
		vars["fy"] = row.FY
	}
	run := func(prg cel.Program) (bool, error) {
		out, _, err := prg.Eval(vars)
		if err != nil {
			return false, err
		}
		b, ok := out.Value().(bool)
		if !ok {
			return false, fmt.Errorf("result is %T, not bool", out.Value())
		}
		return b, nil
	}
	if p.applies != nil {
		ok, err := run(p.applies)
		if err != nil {
			return outcome{status: Error, err: "applies: " + err.Error()}
		}
		if !ok {
			return outcome{status: NotApplicable}
		}
	}
	ok, err := run(p.check)
	if err != nil {
		return outcome{status: Error, err: "check: " + err.Error()}
	}
	if ok {
		return outcome{status: Pass}
	}
	ev, _ := json.Marshal(vars[p.view.Var])
	return outcome{status: Fail, evidence: string(ev)}
}
