// Package match joins the software inventory to the vulnerability index:
// CPE 2.3 names against NVD configurations (NISTIR 7696 name matching,
// version bounds, AND "running on" configurations), purls against OSV
// package ranges in each ecosystem's own version order, and JVN's
// vendor/product entries where no NVD configuration speaks for the CVE.
//
// Work is proportional to the distinct installed (product, version) pairs,
// not to components: the register's 3,000,000 components run a few
// thousand standard images. The index rows are read from the store by the
// keys the inventory has (never a feed file), compiled once per run.
package match

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"maps"
	"runtime/debug"
	"slices"
	"strings"
	"time"

	"mamori/internal/cpe"
	"mamori/internal/sbom"
	"mamori/internal/store"
	"mamori/internal/version"
	"mamori/internal/vuln/jvn"
)

// The match paths.
const (
	PathCPE  = "cpe"  // NVD configuration (or an override's)
	PathPURL = "purl" // OSV affected package
	PathJVN  = "jvn"  // JVN product, no NVD configuration for the CVE
)

// Confidence of each way of matching, in percent. A purl names the
// package exactly in its ecosystem; a CPE from an SBOM or the register is
// an NVD name; one made up from a register row's vendor and product is a
// guess; JVN's entries rarely say which versions.
const (
	confPURL         = 100
	confCPE          = 90
	confOverride     = 80
	confJVNVersion   = 70
	confUnstated     = 70 // a CPE match that read an attribute the inventory left ANY as the criterion's
	confDerivedCPE   = 60
	confJVNNoVersion = 40
)

// Confidence levels a report may filter on: a match at or above
// ConfidenceExact needed nothing filled in (purl, or a CPE that states
// what the criterion states); ConfidenceUnstated is the confidence of a
// CPE match through an update, software edition, target software or
// target hardware the inventory did not record.
const (
	ConfidenceExact    = confOverride
	ConfidenceUnstated = confUnstated
)

// Options scope a run.
type Options struct {
	System string // match only this system's software; "" for everything
	// Again matches everything anew even when the last full run read the
	// same inventory, feeds and matcher.
	Again bool
	Now   time.Time // zero: time.Now
}

// Result reports a run.
type Result struct {
	Run      store.MatchRun
	Items    int // inventory rows
	Distinct int // distinct installed products (what the matching works on)
	Matches  []store.Match
	// Problems name inventory rows whose purl or CPE could not be read.
	Problems []string
	Elapsed  time.Duration
	// MatchElapsed is the time spent matching once the index rows are
	// read: the figure the "under 1 s" is about.
	MatchElapsed time.Duration
	// Repeats is the run this one repeated, when the inventory, the feeds
	// and the matcher were those of the last full run: nothing was matched
	// again (Matches is nil) and the open matches were marked seen.
	Repeats int64
}

// item is one distinct installed product and where it is installed.
type item struct {
	vendor, product, ver string
	cpes                 []cpe.Name
	derived              bool // cpes made up from vendor and product
	pkg                  *sbom.Package
	owners               [][2]string
	problem              string // an identifier that could not be read
}

func (it *item) label() string {
	if it.ver == "" {
		return it.product
	}
	return it.product + " " + it.ver
}

// Run matches the inventory and stores the outcome (new matches open,
// vanished ones close).
func Run(ctx context.Context, st *store.Store, opts Options) (*Result, error) {
	start := time.Now()
	now := opts.Now
	if now.IsZero() {
		now = time.Now()
	}
	items, rows, digest, err := loadInventory(ctx, st, opts.System)
	if err != nil {
		return nil, err
	}
	run := store.MatchRun{RanAt: now.UTC().Format(time.RFC3339), RanOn: now.Format(time.DateOnly), Scope: opts.System, Items: len(items)}
	if opts.System == "" {
		// A full run over the same inventory, the same feeds and the same
		// matcher as the last run (a full one) finds what it found: the
		// open matches are only seen again (the steady state of a nightly
		// run).
		feeds, err := st.FeedState(ctx)
		if err != nil {
			return nil, err
		}
		run.Fingerprint = fingerprint(digest, feeds)
		// Only the latest run counts: a scoped run since the last full one
		// may have matched a system's software as it was then.
		last, ok, err := st.LastMatchRun(ctx)
		if err != nil {
			return nil, err
		}
		if ok && last.Scope == "" && last.Fingerprint == run.Fingerprint && !opts.Again {
			if err := st.RepeatMatches(ctx, &run); err != nil {
				return nil, err
			}
			res := &Result{Run: run, Items: rows, Distinct: len(items), Repeats: last.Seq, Elapsed: time.Since(start)}
			for _, it := range items {
				if it.problem != "" {
					res.Problems = append(res.Problems, it.problem)
				}
			}
			return res, nil
		}
	}
	found, matchTime, err := Find(ctx, st, items)
	if err != nil {
		return nil, err
	}
	var owners map[[2]string]bool
	if opts.System != "" {
		owners = map[[2]string]bool{}
		uses, err := st.OwnerUses(ctx, opts.System)
		if err != nil {
			return nil, err
		}
		for _, u := range uses {
			owners[[2]string{u.OwnerKind, u.OwnerCode}] = true
		}
	}
	if err := st.SaveMatches(ctx, &run, owners, found); err != nil {
		return nil, err
	}
	res := &Result{Run: run, Items: rows, Distinct: len(items), Matches: found, Elapsed: time.Since(start), MatchElapsed: matchTime}
	for _, it := range items {
		if it.problem != "" {
			res.Problems = append(res.Problems, it.problem)
		}
	}
	return res, nil
}

// matcherRevision names this matcher's reading of the index. Change it
// whenever a change to the matcher may change what a run finds, so that a
// run over an unchanged inventory and unchanged feeds still matches anew.
const matcherRevision = "2026-12-06 unstated attributes, aliases"

// fingerprint digests what a full run reads: the inventory (its digest),
// the feed imports and the matcher (its revision and build).
func fingerprint(inventory [sha256.Size]byte, feeds string) string {
	h := sha256.New()
	h.Write(inventory[:])
	fmt.Fprintf(h, "\x00%s\x00%s", feeds, matcherRevision)
	if bi, ok := debug.ReadBuildInfo(); ok {
		fmt.Fprintf(h, "\x00%s", bi.Main.Version)
		for _, kv := range bi.Settings {
			if strings.HasPrefix(kv.Key, "vcs.") {
				fmt.Fprintf(h, "\x00%s=%s", kv.Key, kv.Value)
			}
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}

// loadInventory reads the installed software as distinct products, the
// number of rows, and a digest of the rows in their order.
func loadInventory(ctx context.Context, st *store.Store, system string) ([]*item, int, [sha256.Size]byte, error) {
	byKey := map[string]*item{}
	var order []string
	rows := 0
	digest := sha256.New()
	err := st.Inventory(ctx, system, func(r store.InventoryItem) {
		rows++
		k := r.Vendor + "\x00" + r.Product + "\x00" + r.Version + "\x00" + r.CPE + "\x00" + r.PURL
		for _, part := range [...]string{r.OwnerKind, "\x00", r.OwnerCode, "\x00", k, "\x01"} {
			io.WriteString(digest, part) // a hash never fails to write
		}
		it := byKey[k]
		if it == nil {
			it = &item{vendor: r.Vendor, product: r.Product, ver: r.Version}
			if err := it.identify(r); err != nil {
				// A malformed purl or CPE typed into the register: that
				// identifier is not used; the rest of the item still is.
				it.problem = fmt.Sprintf("%s %s: %s: %v", r.OwnerKind, r.OwnerCode, it.label(), err)
			}
			byKey[k] = it
			order = append(order, k)
		}
		it.owners = append(it.owners, [2]string{r.OwnerKind, r.OwnerCode})
	})
	var sum [sha256.Size]byte
	if err != nil {
		return nil, 0, sum, err
	}
	out := make([]*item, len(order))
	for i, k := range order {
		out[i] = byKey[k]
	}
	digest.Sum(sum[:0])
	return out, rows, sum, nil
}

// identify reads the item's purl and CPEs. Without either, a register row
// with a vendor gets a CPE made up from its names, at lower confidence.
func (it *item) identify(r store.InventoryItem) error {
	var errs []error
	if r.PURL != "" {
		p, err := sbom.FromPURL(r.PURL)
		if err != nil {
			errs = append(errs, err)
		} else {
			if p.Version == "" {
				p.Version = r.Version
			}
			it.pkg = &p
		}
	}
	for c := range strings.FieldsSeq(r.CPE) {
		n, err := cpe.ParseAny(c)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		it.cpes = append(it.cpes, n)
	}
	if len(it.cpes) == 0 && it.pkg == nil && r.Vendor != "" && r.Version != "" {
		name := func(s string) string {
			return strings.ReplaceAll(strings.ToLower(strings.TrimSpace(s)), " ", "_")
		}
		c, err := cpe.Parse(fmt.Sprintf("cpe:2.3:a:%s:%s:%s:*:*:*:*:*:*:*", escape(name(r.Vendor)), escape(name(r.Product)), escape(r.Version)))
		if err == nil {
			it.cpes = append(it.cpes, c)
			it.derived = true
		}
	}
	return errors.Join(errs...)
}

// escape backslash-escapes what a CPE 2.3 formatted string may not hold bare.
func escape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			b.WriteByte('\\')
		}
		b.WriteByte(c)
	}
	return b.String()
}

// hit is one advisory matched on one item.
type hit struct {
	id, source string
	path       string
	conf       int
	detail     string
}

// Find matches items against the index in the store and returns the
// matches per owner, merged per vulnerability. Nothing is written.
func Find(ctx context.Context, st *store.Store, items []*item) ([]store.Match, time.Duration, error) {
	ix, err := loadIndex(ctx, st, items)
	if err != nil {
		return nil, 0, err
	}
	t0 := time.Now()
	// Per owner: the CPE criteria its items satisfy, then configurations.
	type ownerState struct {
		sat  map[critRef]satisfier // satisfied criteria, with the item that did
		hits map[string][]ownerHit
	}
	owners := map[[2]string]*ownerState{}
	get := func(o [2]string) *ownerState {
		s := owners[o]
		if s == nil {
			s = &ownerState{sat: map[critRef]satisfier{}, hits: map[string][]ownerHit{}}
			owners[o] = s
		}
		return s
	}
	for _, it := range items {
		sat := ix.satisfied(it)
		direct, verr := ix.packageHits(it)
		if verr != nil && it.problem == "" {
			// Advisories name the package but its version has no place
			// in the ecosystem's order ("(devel)"): say so rather than
			// report it safe.
			it.problem = fmt.Sprintf("%s: version cannot be compared, not matched: %v", it.label(), verr)
		}
		direct = append(direct, ix.jvnHits(it)...)
		if len(sat) == 0 && len(direct) == 0 {
			continue // most installed products have no advisory at all
		}
		for _, o := range it.owners {
			s := get(o)
			for _, c := range sat {
				// An exact match stands over one that filled in
				// unstated attributes.
				if had, ok := s.sat[c.ref]; !ok || had.approx != "" && c.approx == "" {
					s.sat[c.ref] = satisfier{it: it, approx: c.approx}
				}
			}
			for _, h := range direct {
				s.hits[h.id] = append(s.hits[h.id], ownerHit{hit: h, it: it})
			}
		}
	}
	var out []store.Match
	for _, o := range slices.SortedFunc(maps.Keys(owners), func(a, b [2]string) int {
		return strings.Compare(a[0]+"\x00"+a[1], b[0]+"\x00"+b[1])
	}) {
		s := owners[o]
		for _, h := range ix.configHits(s.sat) {
			s.hits[h.id] = append(s.hits[h.id], h)
		}
		out = append(out, ix.merge(o, s.hits)...)
	}
	return out, time.Since(t0), nil
}

// satisfier is the item that satisfies a criterion for an owner, and why
// only approximately ("" for an exact match).
type satisfier struct {
	it     *item
	approx string
}

// ownerHit is a hit with the item that produced it.
type ownerHit struct {
	hit
	it *item
}

// merge folds an owner's hits into one match per vulnerability: the CVE
// when the advisory has one (a GHSA, a GO- record or a JVNDB entry about
// CVE-X is CVE-X), keeping the most confident path.
func (ix *index) merge(o [2]string, hits map[string][]ownerHit) []store.Match {
	byVuln := map[string]*store.Match{}
	advs := map[string]map[string]bool{}
	software := map[string]map[string]bool{}
	for id, hs := range hits {
		if ix.withdrawn[id] {
			continue
		}
		v := ix.canonical(id)
		for _, h := range hs {
			m := byVuln[v]
			if m == nil {
				m = &store.Match{OwnerKind: o[0], OwnerCode: o[1], VulnID: v}
				byVuln[v] = m
				advs[v], software[v] = map[string]bool{}, map[string]bool{}
			}
			advs[v][id] = true
			// Every affected package is named: upgrading one of two
			// (pgx/v4 but not pgx v3) must not hide the other.
			software[v][h.it.label()] = true
			if h.conf > m.Confidence || (h.conf == m.Confidence && h.detail < m.Detail) {
				m.Confidence, m.Path, m.Detail = h.conf, h.path, h.detail
			}
		}
	}
	out := make([]store.Match, 0, len(byVuln))
	for _, v := range slices.Sorted(maps.Keys(byVuln)) {
		m := byVuln[v]
		m.Advisories = strings.Join(slices.Sorted(maps.Keys(advs[v])), " ")
		m.Aliases = strings.Join(ix.aliasesOf(v, advs[v]), " ")
		m.Software = strings.Join(slices.Sorted(maps.Keys(software[v])), ", ")
		out = append(out, *m)
	}
	return out
}

// aliasesOf lists every identifier a match named v answers to besides v:
// the advisories that led to it and each of their aliases, sorted. A GO-
// record that carries CVE-2024-21652 and CVE-2024-21662 is one match named
// by the first; the second is among its aliases.
func (ix *index) aliasesOf(v string, advs map[string]bool) []string {
	ids := map[string]bool{}
	for a := range advs {
		ids[a] = true
		for _, b := range ix.aliases[a] {
			ids[b] = true
		}
	}
	for _, b := range ix.aliases[v] {
		ids[b] = true
	}
	// And what aliases each CVE found so far: a GO- record carrying two
	// CVEs is one vulnerability with the GHSA of each.
	for _, c := range slices.Collect(maps.Keys(ids)) {
		if strings.HasPrefix(c, "CVE-") {
			for _, b := range ix.aliases[c] {
				ids[b] = true
			}
		}
	}
	delete(ids, v)
	return slices.Sorted(maps.Keys(ids))
}

// versionFor returns the version to compare against NVD's upstream
// bounds: OS packages carry an epoch ("1:") and a distribution revision
// ("-8+deb11u1", "-r16", "-3.el8") that upstream versions never have.
func versionFor(it *item, raw string) string {
	v := raw
	eco := ""
	if it.pkg != nil {
		eco = it.pkg.Ecosystem
	}
	if i := strings.IndexByte(v, ':'); i > 0 && isDigits(v[:i]) {
		v = v[i+1:]
	}
	switch eco {
	case "deb", "rpm", "apk":
		if i := strings.LastIndexByte(v, '-'); i > 0 {
			v = v[:i]
		}
	}
	return v
}

func isDigits(s string) bool {
	for _, c := range []byte(s) {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}

// jvnBounds turns JVN's free-text version statement into NVD-style bounds.
func jvnBounds(text string) (version.Bound, string, bool) {
	b, ok := jvn.ParseVersionText(text)
	if !ok {
		return version.Bound{}, "", false
	}
	return version.Bound{StartIncluding: b.StartIncluding, StartExcluding: b.StartExcluding,
		EndIncluding: b.EndIncluding, EndExcluding: b.EndExcluding}, b.Exact, true
}
