package workflow

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"time"

	"mamori"
	"mamori/internal/store"
)

// RecheckVulns follows match run (just stored) into the remediation items
// about vulnerabilities, as Recheck follows an assessment into those about
// findings: an item resolved or closed before the run started whose
// vulnerability is still matched (an open match on a software owner the
// system uses) and that no countermeasure settles is reopened by mamori
// (transition recheck_failed). A countermeasure settles it when it is
// mitigated or accepted, planned with a date not yet passed, or patched
// on or after the day the vulnerability was last seen (a patch recorded
// before a run that still found the vulnerability is contradicted by the
// inventory, as VUL-01 reads it). Only the newest item of each
// vulnerability on a system is considered, and for a run scoped to one
// system only that system's.
func (s *Service) RecheckVulns(ctx context.Context, run store.MatchRun) (RecheckReport, error) {
	var r RecheckReport
	started, err := time.Parse(time.RFC3339, run.RanAt)
	if err != nil {
		return r, fmt.Errorf("workflow: match run %d: %w", run.Seq, err)
	}
	linked, err := s.LinkedItems(ctx)
	if err != nil {
		return r, err
	}
	var items []store.WorkflowItem
	for _, it := range linked {
		d := it.Details
		if d[DetailVuln] == "" || (run.Scope != "" && d[DetailTarget] != run.Scope) {
			continue
		}
		// A run's start is kept to the second: an item settled within
		// that second counts as settled before it (the run found the
		// vulnerability all the same).
		if (it.State == Resolved || it.State == Closed) && !it.UpdatedAt.Truncate(time.Second).After(started) {
			items = append(items, it)
		}
	}
	slices.SortFunc(items, func(x, y store.WorkflowItem) int { return cmp.Compare(x.ID, y.ID) })
	today := s.Today()
	for _, it := range items {
		system, vuln := it.Details[DetailTarget], it.Details[DetailVuln]
		lastSeen, aliases, err := s.stillMatched(ctx, system, vuln)
		if err != nil {
			return r, err
		}
		if lastSeen == "" {
			continue
		}
		cms, err := s.Store.CountermeasuresOf(ctx, []string{system})
		if err != nil {
			return r, err
		}
		if settles(cms, append([]string{vuln}, aliases...), lastSeen, today) {
			continue
		}
		_, err = s.System(ctx, it.ID, RecheckFailed, fmt.Sprintf(
			"脆弱性の照合（%s）で %s が情報システム %s に引き続き該当し、対策で解消されていません／ the vulnerability match run of %s found %s still matched on system %s, with no countermeasure that settles it",
			run.RanOn, vuln, system, run.RanOn, vuln, system))
		if mamori.KindOf(err) == mamori.Conflict {
			continue // moved on since it was read (reopened by someone): nothing to do
		}
		if err != nil {
			return r, err
		}
		r.Reopened = append(r.Reopened, it.ID)
	}
	return r, nil
}

// stillMatched returns the latest day vuln was seen open on a software
// owner system uses ("" when none is open), and the identifiers the open
// matches answer to besides vuln.
func (s *Service) stillMatched(ctx context.Context, system, vuln string) (string, []string, error) {
	matches, err := s.Store.OpenMatchesOf(ctx, []string{vuln})
	if err != nil || len(matches) == 0 {
		return "", nil, err
	}
	owners, err := s.Store.OwnerUses(ctx, system)
	if err != nil {
		return "", nil, err
	}
	var last string
	var aliases []string
	for _, m := range matches {
		if !slices.ContainsFunc(owners, func(o store.OwnerUse) bool { return o.OwnerKind == m.OwnerKind && o.OwnerCode == m.OwnerCode }) {
			continue
		}
		last = max(last, m.LastSeen)
		aliases = append(aliases, m.IDs()[1:]...)
	}
	return last, aliases, nil
}

// settles reports whether one of cms, about one of ids, settles a
// vulnerability last seen on lastSeen, judged on today.
func settles(cms []store.Countermeasure, ids []string, lastSeen, today string) bool {
	for _, c := range cms {
		if !slices.Contains(ids, c.VulnID) {
			continue
		}
		switch c.Kind {
		case "mitigated", "accepted":
			return true
		case "planned":
			if c.DueOn != "" && c.DueOn >= today {
				return true
			}
		case "patched":
			if c.RecordedOn >= lastSeen {
				return true
			}
		}
	}
	return false
}
