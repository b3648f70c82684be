// Command versiondiff compares mamori's version order with the established
// Go implementations of each ecosystem's order, on every version string of
// the shipped feeds and SBOMs and of the repository's own fixtures. It
// exits with status 1 on any difference not listed in accepted.go.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	data := flag.String("data", "../../../shared/data", "the shared data directory (skipped when absent)")
	repo := flag.String("repo", "../..", "the repository root, for its fixtures")
	all := flag.Bool("all", false, "list every unexplained disagreement, not the first 40 per ecosystem")
	verbose := flag.Bool("v", false, "also list every pair of each accepted difference")
	flag.Parse()
	limit := 40
	if *all {
		limit = -1
	}
	ok, err := run(os.Stdout, *data, *repo, limit, *verbose)
	if err != nil {
		fmt.Fprintln(os.Stderr, "versiondiff:", err)
		os.Exit(2)
	}
	if !ok {
		os.Exit(1)
	}
}

// run reads the inputs, compares every ecosystem and prints the report. It
// reports false when a difference is unexplained or, with the shared data
// present, an accepted difference no longer occurs.
func run(w io.Writer, dataDir, repoDir string, limit int, verbose bool) (bool, error) {
	in := newInputs()
	if err := in.readRepo(repoDir); err != nil {
		return false, err
	}
	haveData := true
	if _, err := os.Stat(dataDir); os.IsNotExist(err) {
		haveData = false
		fmt.Fprintf(w, "%s is absent: comparing the repository's fixtures only\n", dataDir)
	} else if err := in.readData(dataDir); err != nil {
		return false, err
	}
	var results []*result
	for _, e := range ecosystems {
		results = append(results, compareEcosystem(e, in.sorted(e), in.versions[e], in.data[e]))
	}
	report(w, in, results, limit, verbose)
	ok := true
	for _, r := range results {
		if pairs, parses := r.unexplained(); pairs+parses > 0 {
			ok = false
		}
	}
	if haveData {
		for _, a := range acceptedList {
			if !used(a, results) {
				fmt.Fprintf(w, "accepted difference %s %s no longer occurs: remove it\n", a.ecosystem, a.id)
				ok = false
			}
		}
	}
	if ok {
		fmt.Fprintln(w, "\nno unexplained difference")
	} else {
		fmt.Fprintln(w, "\nFAIL: unexplained differences")
	}
	return ok, nil
}

func used(a *accepted, results []*result) bool {
	for _, r := range results {
		for _, d := range r.disagreement {
			if d.rule == a {
				return true
			}
		}
		for _, d := range r.parseDiffs {
			if d.rule == a {
				return true
			}
		}
	}
	return false
}
