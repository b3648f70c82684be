package store

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"time"
)

// orgInClause appends the organizations to args and returns " AND col IN
// (…)"; nil orgs mean no restriction. Callers handle an empty, non-nil set
// (which matches nothing) before building a query.
func orgInClause(col string, orgs []string, args []any) (string, []any) {
	if orgs == nil {
		return "", args
	}
	ph := make([]string, len(orgs))
	for i, o := range orgs {
		args = append(args, o)
		ph[i] = fmt.Sprintf("$%d", len(args))
	}
	return " AND " + col + " IN (" + strings.Join(ph, ", ") + ")", args
}

// ControlTierCount is the number of open findings of one control among the
// organizations of one tier, and how many organizations they fall in, with
// each result apart: failures, 未確認 (unknown) and errors.
type ControlTierCount struct {
	ControlID, Tier         string
	Open, Orgs              int
	Failed, Unknown, Errors int
}

// OpenFindingCounts counts open findings by control and tier, within orgs
// (nil: every organization; empty: none). It is the dashboard's table for
// any scope, read from the findings table's current state.
func (s *Store) OpenFindingCounts(ctx context.Context, orgs []string) ([]ControlTierCount, error) {
	if orgs != nil && len(orgs) == 0 {
		return nil, nil
	}
	in, args := orgInClause("f.org_code", orgs, nil)
	q := `SELECT f.control_id, COALESCE(o.kind, ''), count(*), count(DISTINCT f.org_code),
			sum(CASE WHEN f.result = 'fail' THEN 1 ELSE 0 END), sum(CASE WHEN f.result = 'unknown' THEN 1 ELSE 0 END),
			sum(CASE WHEN f.result = 'error' THEN 1 ELSE 0 END)
		FROM findings f LEFT JOIN organizations o ON o.code = f.org_code
		WHERE f.status = 'open'` + in + `
		GROUP BY f.control_id, o.kind`
	byKey := map[[2]string]*ControlTierCount{}
	var order [][2]string
	err := s.each(ctx, q, args, func(r []any) {
		k := [2]string{str(r[0]), TierOf(str(r[1]))}
		c := byKey[k]
		if c == nil {
			c = &ControlTierCount{ControlID: k[0], Tier: k[1]}
			byKey[k] = c
			order = append(order, k)
		}
		// An organization has one kind, so distinct counts per kind add up.
		c.Open += int(i64(r[2]))
		c.Orgs += int(i64(r[3]))
		c.Failed += int(i64(r[4]))
		c.Unknown += int(i64(r[5]))
		c.Errors += int(i64(r[6]))
	})
	if err != nil {
		return nil, fmt.Errorf("store: open finding counts: %w", err)
	}
	out := make([]ControlTierCount, len(order))
	for i, k := range order {
		out[i] = *byKey[k]
	}
	return out, nil
}

// FiscalYearCount is the state of the findings at the end of one fiscal
// year (31 March), or today for the current one.
type FiscalYearCount struct {
	FiscalYear int
	// Open by severity (low, medium, high, critical) at the year's end.
	Open [4]int
	// Found and Resolved during the year.
	Found, Resolved int
}

// Severities are the finding severities in the order of FiscalYearCount.Open.
var Severities = []string{"low", "medium", "high", "critical"}

// FindingTrend reports, for each fiscal year from the first with a finding
// up to the one containing today, how many findings were open at its end,
// found in it and resolved in it, within orgs (nil: all). The findings
// table keeps first-seen and resolved dates, so the history is exact
// without storing snapshots.
func (s *Store) FindingTrend(ctx context.Context, orgs []string, today time.Time) ([]FiscalYearCount, error) {
	if orgs != nil && len(orgs) == 0 {
		return nil, nil
	}
	in, args := orgInClause("org_code", orgs, nil)
	// Grouped by dates, the rows are few: checks run on a few days a year.
	q := `SELECT first_seen, resolved_on, severity, count(*) FROM findings WHERE 1 = 1` + in + `
		GROUP BY first_seen, resolved_on, severity`
	type group struct {
		found, resolved time.Time // resolved zero: still open
		sev             int
		n               int
	}
	var groups []group
	var bad error
	err := s.each(ctx, q, args, func(r []any) {
		g := group{sev: -1, n: int(i64(r[3]))}
		var err error
		if g.found, err = dayOf(r[0]); err != nil {
			bad = err
			return
		}
		if r[1] != nil {
			if g.resolved, err = dayOf(r[1]); err != nil {
				bad = err
				return
			}
		}
		for i, sv := range Severities {
			if sv == str(r[2]) {
				g.sev = i
			}
		}
		groups = append(groups, g)
	})
	if err == nil {
		err = bad
	}
	if err != nil {
		return nil, fmt.Errorf("store: finding trend: %w", err)
	}
	if len(groups) == 0 {
		return nil, nil
	}
	fyOf := func(t time.Time) int {
		if t.Month() < time.April {
			return t.Year() - 1
		}
		return t.Year()
	}
	first, last := fyOf(today), fyOf(today)
	for _, g := range groups {
		first = min(first, fyOf(g.found))
	}
	var out []FiscalYearCount
	for fy := first; fy <= last; fy++ {
		c := FiscalYearCount{FiscalYear: fy}
		end := time.Date(fy+1, time.March, 31, 0, 0, 0, 0, time.UTC)
		if end.After(today) {
			end = today
		}
		for _, g := range groups {
			if fyOf(g.found) == fy {
				c.Found += g.n
			}
			if !g.resolved.IsZero() && fyOf(g.resolved) == fy {
				c.Resolved += g.n
			}
			open := !g.found.After(end) && (g.resolved.IsZero() || g.resolved.After(end))
			if open && g.sev >= 0 {
				c.Open[g.sev] += g.n
			}
		}
		out = append(out, c)
	}
	return out, nil
}

// dayOf reads a stored date: text in SQLite, a time in PostgreSQL.
func dayOf(v any) (time.Time, error) {
	switch x := v.(type) {
	case time.Time:
		return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC), nil
	case string:
		if len(x) > 10 {
			x = x[:10]
		}
		return time.Parse(time.DateOnly, x)
	case []byte:
		return dayOf(string(x))
	}
	return time.Time{}, fmt.Errorf("unexpected date %T", v)
}

// WorstSystemsIn is WorstSystems within orgs (nil: all; empty: none).
func (s *Store) WorstSystemsIn(ctx context.Context, n int, orgs []string) ([]SystemFindingCount, error) {
	if orgs != nil && len(orgs) == 0 {
		return nil, nil
	}
	in, args := orgInClause("f.org_code", orgs, []any{n})
	q := `SELECT sys, org_code, count(*), sum(CASE WHEN severity IN ('high', 'critical') THEN 1 ELSE 0 END) AS high FROM (
			SELECT f.target_code AS sys, f.org_code, f.severity FROM findings f WHERE f.status = 'open' AND f.target_type = 'system'` + in + `
			UNION ALL
			SELECT c.system_code, f.org_code, f.severity FROM findings f JOIN components c ON c.code = f.target_code
			WHERE f.status = 'open' AND f.target_type = 'component'` + in + `) x
		GROUP BY sys, org_code ORDER BY high DESC, count(*) DESC, sys LIMIT $1`
	var out []SystemFindingCount
	err := s.each(ctx, q, args, func(r []any) {
		out = append(out, SystemFindingCount{SystemCode: str(r[0]), OrgCode: str(r[1]), Open: int(i64(r[2])), High: int(i64(r[3]))})
	})
	if err != nil {
		return nil, fmt.Errorf("store: worst systems: %w", err)
	}
	return out, nil
}

// FindingsVersion changes whenever an assessment is saved, so a cache of
// anything computed from findings can key on it.
func (s *Store) FindingsVersion(ctx context.Context) (string, error) {
	var n int64
	var last any
	if err := s.read.QueryRowContext(ctx, `SELECT count(*), max(finished_at) FROM assessments`).Scan(&n, &last); err != nil {
		return "", fmt.Errorf("store: findings version: %w", err)
	}
	return fmt.Sprintf("%d/%v", n, last), nil
}

// countCache remembers counts for one findings version; a new version
// empties it. It is bounded, since keys carry user input.
type countCache struct {
	mu      sync.Mutex
	version string
	counts  map[string]int
}

const maxCachedCounts = 1024

func (c *countCache) get(version, key string) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version {
		return 0, false
	}
	n, ok := c.counts[key]
	return n, ok
}

func (c *countCache) put(version, key string, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.version != version || len(c.counts) >= maxCachedCounts {
		c.version, c.counts = version, map[string]int{}
	}
	c.counts[key] = n
}

// ttlCounts remembers counts for a short time, and only while no load has
// been committed in this process since. Another process's import shows in
// the counts within countTTL.
type ttlCounts struct {
	mu     sync.Mutex
	counts map[string]ttlCount
}

type ttlCount struct {
	n     int
	at    time.Time
	loads uint64
}

const countTTL = 5 * time.Second

func (c *ttlCounts) get(key string, loads uint64) (int, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e, ok := c.counts[key]
	if !ok || e.loads != loads || time.Since(e.at) > countTTL {
		return 0, false
	}
	return e.n, true
}

func (c *ttlCounts) put(key string, loads uint64, n int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.counts == nil || len(c.counts) >= maxCachedCounts {
		c.counts = map[string]ttlCount{}
	}
	c.counts[key] = ttlCount{n: n, at: time.Now(), loads: loads}
}

// SystemCounts counts the systems of each of orgs in one query; an
// organization without systems is absent from the map.
func (s *Store) SystemCounts(ctx context.Context, orgs []string) (map[string]int, error) {
	out := map[string]int{}
	if len(orgs) == 0 {
		return out, nil
	}
	in, args := orgInClause("org_code", orgs, nil)
	err := s.each(ctx, `SELECT org_code, count(*) FROM systems WHERE 1 = 1`+in+` GROUP BY org_code`, args, func(r []any) {
		out[str(r[0])] = int(i64(r[1]))
	})
	if err != nil {
		return nil, fmt.Errorf("store: system counts: %w", err)
	}
	return out, nil
}
