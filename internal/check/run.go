package check

import (
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
)

// Options select what an assessment covers.
type Options struct {
	Catalogs []string // catalog IDs; empty means every catalog given
	Org      string   // an organization code: it and its descendants
	System   string   // one system: its system controls and its components
	Today    string   // reference date "YYYY-MM-DD"; empty means today
}

// Summary is one control's outcome over its targets.
type Summary struct {
	Control    *catalog.Control
	Pass       int64
	Fail       int64
	NA         int64
	Errors     int64
	FirstErr   string // the first run-time error, for the operator
	FirstErrAt string
}

// Applicable is the number of targets the control applies to.
func (s *Summary) Applicable() int64 { return s.Pass + s.Fail + s.Errors }

// Report is what an assessment found.
type Report struct {
	Assessment store.Assessment
	Summaries  []*Summary           // by control ID
	Fails      []store.FindingInput // by control, then target
	Phases     []Phase              // where the time went, in order
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
		opts.Today = start.Format(time.DateOnly)
	}
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
			for _, p := range progs {
				for _, i := range p.fields {
					need[p.view.Fields[i].Name] = true
				}
			}
			err := st.LoadView(ctx, target, store.ViewScope{System: opts.System, Fields: need}, func(rows []store.ViewRow) error {
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
	}
	for _, p := range eng.Programs {
		if s := sums[p]; s != nil {
			rep.Summaries = append(rep.Summaries, s)
		}
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
		Catalogs: string(catJSON), Params: string(paramJSON), Scope: string(scopeJSON)}
	results := make([]store.ControlResult, len(rep.Summaries))
	for i, s := range rep.Summaries {
		results[i] = store.ControlResult{ControlID: s.Control.ID, Pass: s.Pass, Fail: s.Fail, NotApplicable: s.NA, Errors: s.Errors}
	}
	phase := time.Now()
	if err := st.SaveAssessment(ctx, rep.Assessment, results, store.FindingScope{Controls: controls, Targets: scopeTargets}, rep.Fails); err != nil {
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
}

type worker struct {
	memo       []map[string]outcome
	counts     [][4]int64
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
	for range runtime.GOMAXPROCS(0) {
		w := &worker{memo: make([]map[string]outcome, len(progs)), counts: make([][4]int64, len(progs)),
			firstErr: make([]string, len(progs)), firstErrAt: make([]string, len(progs)),
			rows: map[string][]outcome{}, out: make([]outcome, len(progs))}
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

func (ev *evaluator) run(w *worker, rows []store.ViewRow) {
	for r := range rows {
		row := &rows[r]
		var outs []outcome
		if w.rows != nil && len(ev.progs) > 0 {
			w.ubuf = appendKey(w.ubuf[:0], ev.progs[0].view, ev.union, row)
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
		for i, p := range ev.progs {
			o := &outs[i]
			w.counts[i][o.status]++
			if ev.trace != nil {
				ev.trace(p.Control.ID, row.Code, o.status)
			}
			switch o.status {
			case Fail:
				w.fails = append(w.fails, store.FindingInput{ControlID: p.Control.ID, TargetType: p.view.Target,
					TargetCode: row.Code, OrgCode: row.OrgCode, Severity: p.Control.Severity, Evidence: o.evidence})
			case Error:
				// The smallest target code, whatever order the rows came in.
				if w.firstErr[i] == "" || row.Code < w.firstErrAt[i] {
					w.firstErr[i], w.firstErrAt[i] = o.err, row.Code
				}
			}
		}
	}
}

// each evaluates every program on a row through the per-program memos.
func (ev *evaluator) each(w *worker, row *store.ViewRow, outs []outcome) {
	for i, p := range ev.progs {
		w.buf = p.key(w.buf, row)
		o, ok := w.memo[i][string(w.buf)]
		if !ok {
			o = p.eval(ev.today, row)
			w.memo[i][string(w.buf)] = o
		}
		outs[i] = o
	}
}

// String renders a summary line for logs.
func (s *Summary) String() string {
	return fmt.Sprintf("%s fail %d / %d", s.Control.ID, s.Fail, s.Applicable())
}
