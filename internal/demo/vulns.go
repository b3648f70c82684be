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
// network.
//
//go:embed feeds/*.json feeds/*.jsonl feeds/*.gz
var feedFiles embed.FS

// Feed is one embedded feed file.
type Feed struct {
	Name string
	Data []byte
}

// Feeds returns the embedded demo feeds in import order (NVD first, so
// OSV and KEV records join what it defines).
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
	for i, p := range []string{"feeds/nvd-1.1", "feeds/nvd-overrides", "feeds/osv", "feeds/kev"} {
		if len(name) >= len(p) && name[:len(p)] == p {
			return i
		}
	}
	return 9
}

// Countermeasure rates over a system's open vulnerabilities (seeds 001:
// 58 systems had applied no countermeasure; 003: plans missing or overdue).
const (
	rateVulnUnhandled   = 0.04 // VUL-01: no countermeasure at all
	rateVulnPlanOverdue = 0.02 // VUL-02: a ぜい弱性対策計画 past its deadline
	rateVulnPlanned     = 0.50
	rateVulnMitigated   = 0.25 // the rest are accepted by the CISO
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
	for _, k := range keys {
		r := w.rng(k[0]+"\x00"+k[1], stCountermeasures)
		recorded := date(-between(r, 5, 120))
		switch x := r.Float64(); {
		case x < rateVulnUnhandled:
			continue
		case x < rateVulnUnhandled+rateVulnPlanOverdue:
			recs = append(recs, mamori.Record{k[0], k[1], "planned", "次回定期保守で適用予定", date(-between(r, 1, 60)), nil, recorded})
		case x < rateVulnUnhandled+rateVulnPlanOverdue+rateVulnPlanned:
			recs = append(recs, mamori.Record{k[0], k[1], "planned", "次回定期保守で適用予定", date(between(r, 10, 180)), nil, recorded})
		case x < rateVulnUnhandled+rateVulnPlanOverdue+rateVulnPlanned+rateVulnMitigated:
			recs = append(recs, mamori.Record{k[0], k[1], "mitigated", "該当機能を無効化し、通信を許可リストで制限", nil, nil, recorded})
		default:
			recs = append(recs, mamori.Record{k[0], k[1], "accepted", "閉域網内のみで利用するためリスクを受容", nil, "CISO", recorded})
		}
	}
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
