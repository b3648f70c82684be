package demo

import (
	"context"
	"embed"
	"io/fs"
	"slices"
	"time"

	"mamori"
	"mamori/internal/store"
)

// feedFiles are real advisories that affect the demo's software (its
// sample of real product versions): the NVD, override, OSV and KEV records
// any of those versions matches, cut from the public feeds listed in
// feeds/SOURCES.md, so a fresh demo has vulnerabilities to manage without a
// network; and, for the CVEs those records leave unscored, the CVSS scores
// that the NVD's later CVE records carry and the EPSS scores FIRST
// published for them.
//
//go:embed feeds/*.json feeds/*.jsonl feeds/*.gz feeds/*.csv
var feedFiles embed.FS

// Feed is one embedded feed file.
type Feed struct {
	Name string
	Data []byte
}

// Feeds returns the embedded demo feeds in import order (NVD first, so
// OSV, KEV and EPSS records join what it defines).
func Feeds() ([]Feed, error) {
	names, err := fs.Glob(feedFiles, "feeds/*")
	if err != nil {
		return nil, err
	}
	slices.SortFunc(names, func(a, b string) int { return feedRank(a) - feedRank(b) })
	var out []Feed
	for _, n := range names {
		if n == "feeds/SOURCES.md" {
			continue
		}
		data, err := feedFiles.ReadFile(n)
		if err != nil {
			return nil, err
		}
		out = append(out, Feed{Name: n[len("feeds/"):], Data: data})
	}
	return out, nil
}

func feedRank(name string) int {
	for i, p := range []string{"feeds/nvd-1.1", "feeds/nvd-2.0", "feeds/nvd-overrides", "feeds/osv", "feeds/kev", "feeds/epss"} {
		if len(name) >= len(p) && name[:len(p)] == p {
			return i
		}
	}
	return 9
}

// Countermeasure rates. Seed 001 found 58 systems without any
// countermeasure and seed 003 plans missing or overdue: a share of systems
// leaves some vulnerabilities unhandled (VUL-01) or lets a plan lapse
// (VUL-02); every other system handles all of its matches.
const (
	rateSystemsUnhandled   = 0.03 // each of its vulnerabilities then has no countermeasure with this chance:
	rateVulnUnhandled      = 0.5
	rateSystemsPlanOverdue = 0.04 // each planned countermeasure then has this chance of being past due:
	rateVulnPlanOverdue    = 0.5
	rateVulnPlanned        = 0.50 // of handled vulnerabilities; the rest mitigated or accepted
	rateVulnMitigated      = 0.30
)

// PlantCountermeasures records the countermeasures of the demo's systems
// for the vulnerabilities matched on them: most planned, mitigated or
// accepted, some missing or overdue at the rates above. It reads the open
// matches, so run it after importing Feeds and matching. Deterministic
// for a seed and date.
func PlantCountermeasures(ctx context.Context, st *store.Store, opts Options) (int, error) {
	today := opts.Today
	if today.IsZero() {
		today = defaultToday()
	}
	uses, err := st.OwnerUses(ctx, "")
	if err != nil {
		return 0, err
	}
	systemsOf := map[[2]string][]string{}
	for _, u := range uses {
		k := [2]string{u.OwnerKind, u.OwnerCode}
		systemsOf[k] = append(systemsOf[k], u.SystemCode)
	}
	matches, err := st.Matches(ctx, store.MatchFilter{OpenOnly: true})
	if err != nil {
		return 0, err
	}
	pairs := map[[2]string]bool{}
	for _, m := range matches {
		for _, sys := range systemsOf[[2]string{m.OwnerKind, m.OwnerCode}] {
			pairs[[2]string{sys, m.VulnID}] = true
		}
	}
	keys := slices.SortedFunc(func(yield func([2]string) bool) {
		for k := range pairs {
			if !yield(k) {
				return
			}
		}
	}, func(a, b [2]string) int {
		if a[0] != b[0] {
			return compareStrings(a[0], b[0])
		}
		return compareStrings(a[1], b[1])
	})
	w := &world{seed: opts.Seed}
	date := func(days int) string { return today.AddDate(0, 0, days).Format(time.DateOnly) }
	var recs []mamori.Record
	// Which systems lapse: exact quotas (at least one each), chosen by a
	// draw per system so the choice does not depend on visiting order.
	var systems []string
	for _, k := range keys {
		if len(systems) == 0 || systems[len(systems)-1] != k[0] {
			systems = append(systems, k[0])
		}
	}
	draw := map[string]float64{}
	for _, sys := range systems {
		draw[sys] = w.rng(sys, stCountermeasures).Float64()
	}
	slices.SortFunc(systems, func(a, b string) int {
		if draw[a] != draw[b] {
			if draw[a] < draw[b] {
				return -1
			}
			return 1
		}
		return compareStrings(a, b)
	})
	quota := func(rate float64) int { return max(1, int(rate*float64(len(systems))+0.5)) }
	mode := map[string]string{}
	for i, sys := range systems {
		switch {
		case i < quota(rateSystemsUnhandled):
			mode[sys] = "unhandled"
		case i < quota(rateSystemsUnhandled)+quota(rateSystemsPlanOverdue):
			mode[sys] = "overdue"
		}
	}
	prev := ""
	for _, k := range keys {
		first := k[0] != prev // a lapsing system's first vulnerability always lapses
		prev = k[0]
		r := w.rng(k[0]+"\x00"+k[1], stCountermeasures)
		recorded := date(-between(r, 5, 120))
		if mode[k[0]] == "unhandled" && (first || r.Float64() < rateVulnUnhandled) {
			continue
		}
		x := r.Float64()
		if mode[k[0]] == "overdue" && first {
			x = 0
		}
		switch {
		case x < rateVulnPlanned:
			due := date(between(r, 10, 180))
			if mode[k[0]] == "overdue" && (first || r.Float64() < rateVulnPlanOverdue) {
				due = date(-between(r, 1, 60))
			}
			recs = append(recs, mamori.Record{k[0], k[1], "planned", "次回定期保守で適用予定", due, nil, recorded})
		case x < rateVulnPlanned+rateVulnMitigated:
			recs = append(recs, mamori.Record{k[0], k[1], "mitigated", "該当機能を無効化し、通信を許可リストで制限", nil, nil, recorded})
		default:
			recs = append(recs, mamori.Record{k[0], k[1], "accepted", "閉域網内のみで利用するためリスクを受容", nil, "CISO", recorded})
		}
	}
	// Not a fresh load: that would rebuild every index of the register.
	err = st.Load(ctx, store.LoadOptions{}, func(l *store.Loader) error { return l.Put(store.CountermeasuresTable, recs) })
	return len(recs), err
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
