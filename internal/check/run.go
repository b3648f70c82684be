package check

import (
	"cmp"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"mamori"
	"mamori/internal/catalog"
	"mamori/internal/store"
	"mamori/internal/wareki"
)

// Options select what an assessment covers.
type Options struct {
	Catalogs []string // catalog IDs; empty means every catalog given
	Org      string   // an organization code: it and its descendants
	System   string   // one system: its system controls and its components
	Today    string   // reference date "YYYY-MM-DD"; empty means today in Japan
	// FiscalYears are the years the organization-year controls judge, every
	// organization in each; empty means the reference date's year and the
	// two before it.
	FiscalYears []int64
}

// ReferenceDate is the day an assessment run at now judges: the day in
// Japan, whatever the server's zone (at 16:00 UTC it is already tomorrow
// there, and a due date or an expiry of today has passed).
func ReferenceDate(now time.Time) string { return now.In(mamori.Japan).Format(time.DateOnly) }

// DefaultFiscalYears are the years an assessment on the reference date
// covers by default: its fiscal year and the two before, as the Board of
// Audit looks back three years (seed 001: 令和3年度から5年度まで).
func DefaultFiscalYears(today string) []int64 {
	t, err := time.Parse(time.DateOnly, today)
	if err != nil {
		return nil
	}
	fy := int64(wareki.FiscalYearOf(t))
	return []int64{fy - 2, fy - 1, fy}
}

// Summary is one control's outcome over its targets.
type Summary struct {
	Control    *catalog.Control
	Pass       int64
	Fail       int64
	NA         int64
	Unknown    int64
	Errors     int64
	FirstErr   string // the first run-time error, for the operator
	FirstErrAt string
}

// Applicable is the number of targets the control applies to.
func (s *Summary) Applicable() int64 { return s.Pass + s.Fail + s.Unknown + s.Errors }

// Report is what an assessment found.
type Report struct {
	Assessment store.Assessment
	Summaries  []*Summary // by control ID
	// Fails are the nonconforming targets, by control, then target: the
	// failures, the unknowns and the errors, each a finding.
	Fails      []store.FindingInput
	OrgResults []store.OrgResult // per organization, year and segment
	Phases     []Phase           // where the time went, in order
	Elapsed    time.Duration
}

// Phase is one timed step of an assessment: loading and evaluating one
// target type, or storing the results. Target types are assessed two at a
// time, so their phases overlap and do not add up to the total.
type Phase struct {
	Name    string
	Elapsed time.Duration
}

// Run evaluates the catalogs' controls over the store's data, then stores
// the assessment, its results and its findings in one transaction.
func Run(ctx context.Context, st *store.Store, cats []*catalog.Catalog, opts Options) (*Report, error) {
	start := time.Now()
	if opts.Today == "" {
		opts.Today = ReferenceDate(start)
	}
	if len(opts.FiscalYears) == 0 {
		opts.FiscalYears = DefaultFiscalYears(opts.Today)
	}
	opts.FiscalYears = slices.Compact(slices.Sorted(slices.Values(opts.FiscalYears)))
	if len(opts.Catalogs) > 0 {
		var sel []*catalog.Catalog
		for _, id := range opts.Catalogs {
			i := slices.IndexFunc(cats, func(c *catalog.Catalog) bool { return c.ID == id })
			if i < 0 {
				return nil, mamori.Errorf(mamori.NotFound, "カタログ「%s」はありません", "no catalog %q", id)
			}
			sel = append(sel, cats[i])
		}
		cats = sel
	}
	eng, err := New(cats, opts.Today)
	if err != nil {
		return nil, err
	}
	var orgs map[string]bool
	if opts.Org != "" {
		if orgs, err = subtree(ctx, st, opts.Org); err != nil {
			return nil, err
		}
	}
	if opts.System != "" {
		if _, err := st.Get(ctx, mamori.EntityByName("systems"), opts.System); err != nil {
			return nil, err
		}
	}
	rep := &Report{}
	byTarget := map[string][]*Program{}
	for _, p := range eng.Programs {
		if opts.System != "" && p.view.Target != store.TargetSystem && p.view.Target != store.TargetComponent {
			continue // re-checking a system leaves organization and contract controls alone
		}
		byTarget[p.view.Target] = append(byTarget[p.view.Target], p)
	}
	sums := map[*Program]*Summary{}
	var scopeTargets map[string]bool
	if opts.System != "" || orgs != nil {
		scopeTargets = map[string]bool{}
	}
	var controls []string
	var targets []string
	for _, target := range store.Targets() {
		if progs := byTarget[target]; len(progs) > 0 {
			targets = append(targets, target)
			for _, p := range progs {
				sums[p] = &Summary{Control: p.Control}
				controls = append(controls, p.Control.ID)
			}
		}
	}
	// Target types are assessed two at a time: one's queries run while
	// the other's rows are evaluated, which keeps both cores busy.
	type result struct {
		phase Phase
		fails []store.FindingInput
		orgs  []store.OrgResult
		err   error
	}
	perTarget := make([]result, len(targets))
	var scopeMu sync.Mutex
	sem := make(chan struct{}, 2)
	var wg sync.WaitGroup
	for ti, target := range targets {
		progs := byTarget[target]
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			phase := time.Now()
			ev := newEvaluator(eng.Today, progs)
			ev.trace = traceHook
			// The store reads the next batch while the workers evaluate this one.
			batches := make(chan []store.ViewRow, 1)
			var evalErr error
			done := make(chan struct{})
			go func() {
				defer close(done)
				for rows := range batches {
					if evalErr == nil {
						evalErr = ev.batch(ctx, rows)
					}
				}
			}()
			// Load only what some control of this target reads.
			need := map[string]bool{}
			sightings := false
			for _, p := range progs {
				for _, i := range p.fields {
					need[p.view.Fields[i].Name] = true
				}
				sightings = sightings || p.sightings
			}
			vs := store.ViewScope{System: opts.System, Fields: need, FiscalYears: opts.FiscalYears, Sightings: sightings}
			err := st.LoadView(ctx, target, vs, func(rows []store.ViewRow) error {
				if orgs != nil {
					rows = slices.DeleteFunc(rows, func(r store.ViewRow) bool { return !orgs[r.OrgCode] })
				}
				if scopeTargets != nil {
					scopeMu.Lock()
					for _, r := range rows {
						scopeTargets[r.Code] = true
					}
					scopeMu.Unlock()
				}
				batches <- rows
				return nil
			})
			close(batches)
			<-done
			if err == nil {
				err = evalErr
			}
			if err != nil {
				perTarget[ti].err = err
				return
			}
			perTarget[ti].phase = Phase{target, time.Since(phase)}
			for i, p := range progs {
				s := sums[p]
				for _, w := range ev.workers {
					c := w.counts[i]
					s.Pass += c[Pass]
					s.Fail += c[Fail]
					s.NA += c[NotApplicable]
					s.Unknown += c[Unknown]
					s.Errors += c[Error]
					// The smallest target code, not the first worker: deterministic.
					if w.firstErr[i] != "" && (s.FirstErr == "" || w.firstErrAt[i] < s.FirstErrAt) {
						s.FirstErr, s.FirstErrAt = w.firstErr[i], w.firstErrAt[i]
					}
				}
			}
			for _, w := range ev.workers {
				perTarget[ti].fails = append(perTarget[ti].fails, w.fails...)
			}
			perTarget[ti].orgs = ev.orgResults()
		})
	}
	wg.Wait()
	for _, r := range perTarget {
		if r.err != nil {
			return nil, r.err
		}
	}
	for _, r := range perTarget {
		rep.Phases = append(rep.Phases, r.phase)
		rep.Fails = append(rep.Fails, r.fails...)
		rep.OrgResults = append(rep.OrgResults, r.orgs...)
	}
	for _, p := range eng.Programs {
		if s := sums[p]; s != nil {
			rep.Summaries = append(rep.Summaries, s)
		}
	}
	// Manual controls, by the self-inspection rounds' answers (manual.go);
	// re-checking one system leaves them alone.
	if opts.System == "" {
		msums, mfails, err := manualResults(ctx, st, cats, orgs, opts.FiscalYears, scopeTargets)
		if err != nil {
			return nil, err
		}
		for _, s := range msums {
			rep.Summaries = append(rep.Summaries, s)
			controls = append(controls, s.Control.ID)
		}
		rep.Fails = append(rep.Fails, mfails...)
	}
	// Deterministic whatever the scheduling: by control, then target.
	slices.SortFunc(rep.Fails, func(a, b store.FindingInput) int {
		if c := strings.Compare(a.ControlID, b.ControlID); c != 0 {
			return c
		}
		return strings.Compare(a.TargetCode, b.TargetCode)
	})
	var catInfo []map[string]string
	params := map[string]map[string]string{}
	for _, c := range cats {
		catInfo = append(catInfo, map[string]string{"id": c.ID, "version": c.Version})
		for _, ctl := range c.Controls {
			for id, p := range ctl.Params {
				if params[ctl.ID] == nil {
					params[ctl.ID] = map[string]string{}
				}
				params[ctl.ID][id] = p.Value
			}
		}
	}
	catJSON, _ := json.Marshal(catInfo)
	paramJSON, _ := json.Marshal(params)
	scopeJSON, _ := json.Marshal(map[string]string{"org": opts.Org, "system": opts.System})
	rep.Assessment = store.Assessment{ID: newID(start), StartedAt: start, FinishedAt: time.Now(), ReferenceDate: eng.Today,
		Catalogs: string(catJSON), Params: string(paramJSON), Scope: string(scopeJSON), FiscalYears: opts.FiscalYears}
	results := make([]store.ControlResult, len(rep.Summaries))
	for i, s := range rep.Summaries {
		results[i] = store.ControlResult{ControlID: s.Control.ID, Pass: s.Pass, Fail: s.Fail, NotApplicable: s.NA,
			Unknown: s.Unknown, Errors: s.Errors}
	}
	phase := time.Now()
	if err := st.SaveAssessment(ctx, rep.Assessment, results, rep.OrgResults,
		store.FindingScope{Controls: controls, Targets: scopeTargets}, rep.Fails); err != nil {
		return nil, err
	}
	rep.Phases = append(rep.Phases, Phase{"save", time.Since(phase)})
	rep.Elapsed = time.Since(start)
	return rep, nil
}

// traceHook, when set by a test, sees every outcome. Tests set it before
// Run and must not run assessments in parallel.
var traceHook func(control, target string, s Status)

// newID is sortable by time and unique: a timestamp plus randomness.
func newID(t time.Time) string {
	return t.UTC().Format("20060102T150405.000Z") + "-" + strings.ToLower(rand.Text()[:8])
}

func subtree(ctx context.Context, st *store.Store, root string) (map[string]bool, error) {
	return st.Subtree(ctx, root)
}

// evaluator fans a target type's rows out over GOMAXPROCS workers. Each
// worker keeps its own memo per control, so no locks are taken per row.
type evaluator struct {
	trace   func(control, target string, s Status) // tests only; nil in production
	today   string
	progs   []*Program
	union   []int // the view fields any of progs reads, ascending
	workers []*worker
	// slots: one per program, then one per tally; tallyAt[i] is where
	// program i's tallies start.
	slots   int
	tallyAt []int
}

// orgKey is one cell of the per-organization counts.
type orgKey struct {
	org     string
	fy      int64
	segment string
}

type worker struct {
	memo       []map[string]outcome
	counts     [][numStatuses]int64
	fails      []store.FindingInput
	firstErr   []string
	firstErrAt []string
	buf        []byte
	ubuf       []byte
	// rows memoises the outcomes of every program by the row's values of
	// the union of their fields: one key and one lookup per row instead
	// of one per program. Where rows rarely repeat (systems, contracts)
	// it is dropped after a trial and only the per-program memos remain.
	rows        map[string][]outcome
	hits, tries int
	out         []outcome
	// byOrg counts every program's outcomes per organization, year and
	// segment; rows come grouped, so the last cell is usually the next.
	byOrg   map[orgKey][][numStatuses]int64
	lastKey orgKey
	last    [][numStatuses]int64
}

// rowMemoTrial is how many rows a worker tries the row memo on before
// deciding whether it pays; rowMemoMax bounds its size.
const (
	rowMemoTrial = 4096
	rowMemoMax   = 1 << 16
)

func newEvaluator(today string, progs []*Program) *evaluator {
	ev := &evaluator{today: today, progs: progs}
	seen := map[int]bool{}
	for _, p := range progs {
		for _, i := range p.fields {
			if !seen[i] {
				seen[i] = true
				ev.union = append(ev.union, i)
			}
		}
	}
	slices.Sort(ev.union)
	ev.slots = len(progs)
	for _, p := range progs {
		ev.tallyAt = append(ev.tallyAt, ev.slots)
		ev.slots += len(p.tallies)
	}
	for range runtime.GOMAXPROCS(0) {
		w := &worker{memo: make([]map[string]outcome, len(progs)), counts: make([][numStatuses]int64, len(progs)),
			firstErr: make([]string, len(progs)), firstErrAt: make([]string, len(progs)),
			rows: map[string][]outcome{}, out: make([]outcome, len(progs)), byOrg: map[orgKey][][numStatuses]int64{}}
		for i := range w.memo {
			w.memo[i] = map[string]outcome{}
		}
		ev.workers = append(ev.workers, w)
	}
	return ev
}

func (ev *evaluator) batch(ctx context.Context, rows []store.ViewRow) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	n := len(ev.workers)
	chunk := (len(rows) + n - 1) / n
	var wg sync.WaitGroup
	for i, w := range ev.workers {
		lo, hi := i*chunk, min((i+1)*chunk, len(rows))
		if lo >= hi {
			break
		}
		wg.Go(func() { ev.run(w, rows[lo:hi]) })
	}
	wg.Wait()
	return ctx.Err()
}

// cell returns the per-organization counts of a row's organization, year
// and segment.
func (w *worker) cell(row *store.ViewRow, n int) [][numStatuses]int64 {
	k := orgKey{row.OrgCode, row.FY, row.Segment}
	if w.last != nil && k == w.lastKey {
		return w.last
	}
	c := w.byOrg[k]
	if c == nil {
		c = make([][numStatuses]int64, n)
		w.byOrg[k] = c
	}
	w.lastKey, w.last = k, c
	return c
}

func (ev *evaluator) run(w *worker, rows []store.ViewRow) {
	for r := range rows {
		row := &rows[r]
		var outs []outcome
		if w.rows != nil && len(ev.progs) > 0 {
			w.ubuf = appendRowKey(w.ubuf[:0], ev.progs[0].view, ev.union, row)
			outs = w.rows[string(w.ubuf)]
			w.tries++
			if outs != nil {
				w.hits++
			} else {
				outs = make([]outcome, len(ev.progs))
				ev.each(w, row, outs)
				if len(w.rows) < rowMemoMax {
					w.rows[string(w.ubuf)] = outs
				}
			}
			if w.tries == rowMemoTrial && w.hits < rowMemoTrial/2 {
				w.rows = nil // rows rarely repeat: not worth a key per row
			}
		} else {
			outs = w.out
			ev.each(w, row, outs)
		}
		cell := w.cell(row, ev.slots)
		for i, p := range ev.progs {
			o := &outs[i]
			if o.status < 0 {
				continue // a sighted system this control does not judge
			}
			w.counts[i][o.status]++
			cell[i][o.status]++
			for j, t := range o.tallies {
				cell[ev.tallyAt[i]+j][t]++
			}
			if ev.trace != nil {
				ev.trace(p.Control.ID, row.Code, o.status)
			}
			switch o.status {
			case Fail, Unknown, Error:
				result := store.ResultFail
				if o.status == Unknown {
					result = store.ResultUnknown
				} else if o.status == Error {
					result = store.ResultError
				}
				w.fails = append(w.fails, store.FindingInput{ControlID: p.Control.ID, TargetType: p.view.Target,
					TargetCode: row.Code, OrgCode: row.OrgCode, Severity: p.Control.Severity, Evidence: o.evidence,
					Result: result, Criteria: o.criteria, Amount: o.amount})
			}
			if o.status == Error {
				// The smallest target code, whatever order the rows came in.
				if w.firstErr[i] == "" || row.Code < w.firstErrAt[i] {
					w.firstErr[i], w.firstErrAt[i] = o.err, row.Code
				}
			}
		}
	}
}

// appendRowKey is appendKey plus what decides an outcome outside the
// projection: the organization's kind (coverage) and a sighting.
func appendRowKey(buf []byte, v *store.View, fields []int, row *store.ViewRow) []byte {
	buf = append(buf, row.OrgKind...)
	if row.Sighted {
		buf = append(buf, '!')
	}
	buf = append(buf, '|')
	return appendKey(buf, v, fields, row)
}

// skipped marks an outcome that is not counted at all: a system seen only
// outside the register, for a control that judges register entries.
const skipped Status = -1

// each evaluates every program on a row through the per-program memos.
func (ev *evaluator) each(w *worker, row *store.ViewRow, outs []outcome) {
	for i, p := range ev.progs {
		switch {
		case row.Sighted && !p.sightings:
			outs[i] = outcome{status: skipped}
			continue
		case p.covers != nil && !p.covers[row.OrgKind]:
			outs[i] = outcome{status: NotApplicable}
			continue
		}
		w.buf = p.key(w.buf, row)
		o, ok := w.memo[i][string(w.buf)]
		if !ok {
			o = p.eval(ev.today, row)
			w.memo[i][string(w.buf)] = o
		}
		outs[i] = o
	}
}

// orgResults merges the workers' per-organization counts, leaving out the
// cells where no program applied.
func (ev *evaluator) orgResults() []store.OrgResult {
	merged := map[orgKey][][numStatuses]int64{}
	for _, w := range ev.workers {
		for k, c := range w.byOrg {
			m := merged[k]
			if m == nil {
				m = make([][numStatuses]int64, ev.slots)
				merged[k] = m
			}
			for i := range c {
				for s := range numStatuses {
					m[i][s] += c[i][s]
				}
			}
		}
	}
	var out []store.OrgResult
	for k, c := range merged {
		emit := func(id string, x [numStatuses]int64) {
			if x[Pass]+x[Fail]+x[Unknown]+x[Error] == 0 {
				return
			}
			out = append(out, store.OrgResult{ControlID: id, OrgCode: k.org, FiscalYear: k.fy, Segment: k.segment,
				Pass: x[Pass], Fail: x[Fail], NotApplicable: x[NotApplicable], Unknown: x[Unknown], Errors: x[Error]})
		}
		for i, p := range ev.progs {
			emit(p.Control.ID, c[i])
			// A tally counts as passing the targets for which it holds.
			for j, t := range p.Control.Tallies {
				emit(store.TallyID(p.Control.ID, t.Key), c[ev.tallyAt[i]+j])
			}
		}
	}
	slices.SortFunc(out, func(a, b store.OrgResult) int {
		return cmp.Or(strings.Compare(a.ControlID, b.ControlID), strings.Compare(a.OrgCode, b.OrgCode),
			cmp.Compare(a.FiscalYear, b.FiscalYear), strings.Compare(a.Segment, b.Segment))
	})
	return out
}

// String renders a summary line for logs.
func (s *Summary) String() string {
	return fmt.Sprintf("%s fail %d / %d", s.Control.ID, s.Fail, s.Applicable())
}
