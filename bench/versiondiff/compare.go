package main

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"mamori/internal/version"
)

// disagreement is a pair ordered differently by mamori and the peer.
type disagreement struct {
	a, b         string
	mamori, peer int
	rule         *accepted // nil when unexplained
}

// parseDiff is a version that one side parses and the other refuses.
type parseDiff struct {
	v        string
	mamoriOK bool
	err      string // the refusing side's error
	rule     *accepted
}

// result is the comparison of one ecosystem.
type result struct {
	e            *ecosystem
	versions     int // distinct version strings found
	fromData     int // of which found in the shared data
	outOfDomain  int // not compared: outside the peer's domain
	bothRefuse   int
	parseDiffs   []parseDiff
	compared     int // versions both sides parse
	pairs        int
	agreements   int
	disagreement []disagreement
	sources      map[string]string
	data         map[string]bool
}

func (r *result) unexplained() (pairs, parses int) {
	for _, d := range r.disagreement {
		if d.rule == nil {
			pairs++
		}
	}
	for _, d := range r.parseDiffs {
		if d.rule == nil {
			parses++
		}
	}
	return pairs, parses
}

// compareEcosystem compares every pair of the versions that both sides
// parse.
func compareEcosystem(e *ecosystem, vs []string, sources map[string]string, data map[string]bool) *result {
	r := &result{e: e, versions: len(vs), sources: sources, data: data, fromData: len(data)}
	var names []string
	var mine []version.Version
	var theirs []any
	for _, v := range vs {
		if e.inDomain != nil && !e.inDomain(v) {
			r.outOfDomain++
			continue
		}
		mv, errM := e.scheme.Parse(v)
		pv, errP := e.peer.parse(v)
		switch {
		case errM != nil && errP != nil:
			r.bothRefuse++
		case errM != nil:
			d := parseDiff{v: v, mamoriOK: false, err: errM.Error()}
			d.rule = explainParse(e.name, d)
			r.parseDiffs = append(r.parseDiffs, d)
		case errP != nil:
			d := parseDiff{v: v, mamoriOK: true, err: errP.Error()}
			d.rule = explainParse(e.name, d)
			r.parseDiffs = append(r.parseDiffs, d)
		default:
			names = append(names, v)
			mine = append(mine, mv)
			theirs = append(theirs, pv)
		}
	}
	r.compared = len(names)
	for i := range names {
		for j := i + 1; j < len(names); j++ {
			r.pairs++
			m := mine[i].Compare(mine[j])
			p := sign(e.peer.compare(theirs[i], theirs[j]))
			if m == p {
				r.agreements++
				continue
			}
			d := disagreement{a: names[i], b: names[j], mamori: m, peer: p}
			d.rule = explainPair(e.name, d)
			r.disagreement = append(r.disagreement, d)
		}
	}
	return r
}

func sign(n int) int {
	switch {
	case n < 0:
		return -1
	case n > 0:
		return 1
	}
	return 0
}

func relation(c int) string {
	switch c {
	case -1:
		return "<"
	case 1:
		return ">"
	}
	return "="
}

// report prints the summary table, the unexplained differences (at most
// limit per ecosystem, all when limit < 0) and the accepted ones by rule,
// each of their pairs too when verbose.
func report(w io.Writer, in *inputs, results []*result, limit int, verbose bool) {
	fmt.Fprintf(w, "inputs: %d files\n", in.files)
	if len(in.skipped) > 0 {
		var types []string
		for t, n := range in.skipped {
			types = append(types, fmt.Sprintf("%s %d", t, n))
		}
		sort.Strings(types)
		fmt.Fprintf(w, "purls of types without a peer, not compared: %s\n", strings.Join(types, ", "))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "%-9s %-40s %8s %5s %5s %6s %8s %9s %9s %8s %9s %6s\n",
		"ecosystem", "peer", "versions", "data", "skip", "refuse", "compared", "pairs", "agree", "disagree", "(in data)", "parse≠")
	for _, r := range results {
		inData := 0
		for _, d := range r.disagreement {
			if r.data[d.a] && r.data[d.b] {
				inData++
			}
		}
		fmt.Fprintf(w, "%-9s %-40s %8d %5d %5d %6d %8d %9d %9d %8d %9d %6d\n",
			r.e.name, r.e.peer.module, r.versions, r.fromData, r.outOfDomain, r.bothRefuse, r.compared,
			r.pairs, r.agreements, len(r.disagreement), inData, len(r.parseDiffs))
	}
	fmt.Fprintln(w, "data: versions found in the shared data (the rest only in the repository's fixtures);")
	fmt.Fprintln(w, "skip: outside the peer's domain; refuse: refused by both; (in data): disagreements between two data versions")
	for _, r := range results {
		pairs, parses := r.unexplained()
		if pairs+parses == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s: %d unexplained disagreements, %d unexplained parse differences\n", r.e.name, pairs, parses)
		n := 0
		for _, d := range r.disagreement {
			if d.rule != nil {
				continue
			}
			if limit >= 0 && n >= limit {
				fmt.Fprintf(w, "  ... (%d more; -all lists them)\n", pairs-n)
				break
			}
			n++
			fmt.Fprintf(w, "  mamori %q %s %q, peer %s   [%s | %s]\n", d.a, relation(d.mamori), d.b, relation(d.peer),
				r.sources[d.a], r.sources[d.b])
		}
		for _, d := range r.parseDiffs {
			if d.rule != nil {
				continue
			}
			who := "mamori refuses"
			if d.mamoriOK {
				who = "peer refuses"
			}
			fmt.Fprintf(w, "  %s %q: %s   [%s]\n", who, d.v, d.err, r.sources[d.v])
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "accepted differences:")
	for _, a := range acceptedList {
		var pairs, parses, inData int
		var example string
		for _, r := range results {
			if r.e.name != a.ecosystem {
				continue
			}
			for _, d := range r.disagreement {
				if d.rule == a {
					if pairs == 0 {
						example = fmt.Sprintf("mamori %q %s %q, peer %s", d.a, relation(d.mamori), d.b, relation(d.peer))
					}
					pairs++
					if r.data[d.a] && r.data[d.b] {
						inData++
					}
				}
			}
			for _, d := range r.parseDiffs {
				if d.rule == a {
					if parses == 0 {
						side := "mamori refuses"
						if d.mamoriOK {
							side = "peer refuses"
						}
						example = fmt.Sprintf("%s %q", side, d.v)
					}
					parses++
				}
			}
		}
		fmt.Fprintf(w, "  %s %s: %d pairs (%d between data versions), %d parse differences; e.g. %s\n    %s\n",
			a.ecosystem, a.id, pairs, inData, parses, example, a.why)
		if !verbose {
			continue
		}
		for _, r := range results {
			for _, d := range r.disagreement {
				if d.rule == a {
					mark := ""
					if r.data[d.a] && r.data[d.b] {
						mark = "   (both in the data)"
					}
					fmt.Fprintf(w, "      mamori %q %s %q, peer %s%s\n", d.a, relation(d.mamori), d.b, relation(d.peer), mark)
				}
			}
			for _, d := range r.parseDiffs {
				if d.rule == a {
					fmt.Fprintf(w, "      %q: %s\n", d.v, d.err)
				}
			}
		}
	}
}
