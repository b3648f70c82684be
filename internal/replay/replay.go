// Package replay rebuilds the Board of Audit's tables (seeds 000–002) as
// registers: organizations, systems, contracts, plans and answers entered
// the way an officer enters them in mamori's JSON bundle (blank where the
// seed says nothing), together with every number the seed states. Its one
// job is producing those registers and expectations; the tests import each
// bundle, check it and compare the audit report with the seed.
//
// It imports only the standard library: a bundle is plain JSON, exactly
// what `mamori import` reads.
package replay

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Replay is one seed's register and what the audit report must say of it.
type Replay struct {
	Name        string
	Today       string // the reference date to check on
	FiscalYears string // the --fy range, e.g. "2021..2023"
	Bundle      []byte // a mamori-register JSON bundle
	// CloudLists are the ISMAP lists imported beside the register, which
	// CLD-03 reads (the register's ismap_status is only a claim).
	CloudLists []CloudList
	Expect     []Expect
}

// CloudList is one snapshot of a published cloud service list.
type CloudList struct {
	Kind    string // "ismap" or "ismap_liu"
	AsOf    string
	Entries []CloudListEntry
}

// CloudListEntry is one service on a list.
type CloudListEntry struct {
	Number, Service, Provider, ValidUntil string
}

// Expect is one number the seed states and where the report gives it.
// Control names the control; Criterion or Tally narrows it to one of its
// criteria or populations; Tier is a tier key ("central", "branch",
// "municipality" …) or "" for the total; FiscalYear narrows an
// organization-year control to one year. What says which number: "orgs"
// and "targets" (counted), "applicable_orgs", "applicable_targets",
// "measure" (a sum), or "rate_permille" for a cross-tabulation row.
type Expect struct {
	Seed       string // the seed's words, for the failure message
	Control    string
	Criterion  string
	Tally      string
	Tier       string
	FiscalYear int
	What       string
	Want       int64
}

// rec is one register record, keyed by column name.
type rec = map[string]any

// bundle collects records per entity and writes the JSON bundle.
type bundle struct {
	records map[string][]rec
}

func newBundle() *bundle { return &bundle{records: map[string][]rec{}} }

func (b *bundle) add(entity string, r rec) { b.records[entity] = append(b.records[entity], r) }

func (b *bundle) json() []byte {
	out := map[string]any{"format": "mamori-register", "version": 1}
	for k, v := range b.records {
		out[k] = v
	}
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		panic(err) // only maps, strings, numbers and bools
	}
	return data
}

// group is one organization's candidates for a count: the targets a failure
// may be placed on.
type group struct {
	org   string
	codes []string
}

// place chooses exactly m targets spread over exactly the first k groups:
// one in each, then round robin while candidates remain. The layouts are
// built so that this is always possible; if not, the replay itself is
// wrong and place panics.
func place(groups []group, k, m int) map[string]bool {
	if k > len(groups) || m < k {
		panic(fmt.Sprintf("replay: cannot place %d targets on %d of %d organizations", m, k, len(groups)))
	}
	out := map[string]bool{}
	next := make([]int, k)
	for placed := 0; placed < m; {
		progress := false
		for i := 0; i < k && placed < m; i++ {
			if next[i] < len(groups[i].codes) {
				out[groups[i].codes[next[i]]] = true
				next[i]++
				placed++
				progress = true
			}
		}
		if !progress {
			panic(fmt.Sprintf("replay: %d organizations hold fewer than %d targets", k, m))
		}
	}
	return out
}

// filter keeps the candidates for which keep is true, organizations in order.
func filter(groups []group, keep func(code string) bool) []group {
	var out []group
	for _, g := range groups {
		var codes []string
		for _, c := range g.codes {
			if keep(c) {
				codes = append(codes, c)
			}
		}
		if len(codes) > 0 {
			out = append(out, group{g.org, codes})
		}
	}
	return out
}

// pick returns the groups of the named organizations, in that order.
func pick(groups []group, orgs ...string) []group {
	var out []group
	for _, o := range orgs {
		for _, g := range groups {
			if g.org == o {
				out = append(out, g)
			}
		}
	}
	return out
}

// codes numbers organizations: codes("C", 1, 24) is C01 … C24.
func codes(prefix string, from, to int) []string {
	var out []string
	for i := from; i <= to; i++ {
		out = append(out, fmt.Sprintf("%s%02d", prefix, i))
	}
	return out
}

// union joins sets.
func union(sets ...map[string]bool) map[string]bool {
	out := map[string]bool{}
	for _, s := range sets {
		for k := range s {
			out[k] = true
		}
	}
	return out
}

// sorted returns a set's members in order.
func sorted(set map[string]bool) []string {
	out := make([]string, 0, len(set))
	for k := range set {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
