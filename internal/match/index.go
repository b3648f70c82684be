package match

import (
	"context"
	"fmt"
	"maps"
	"slices"
	"strings"

	"mamori/internal/cpe"
	"mamori/internal/sbom"
	"mamori/internal/store"
	"mamori/internal/version"
	"mamori/internal/vuln"
)

// critRef names one stored CPE criterion.
type critRef struct {
	id, source         string
	config, node, seqn int
}

type configRef struct {
	id, source string
	config     int
}

// criterion is a stored CPE criterion compiled for matching.
type criterion struct {
	ref        critRef
	name       cpe.Name
	vulnerable bool
	bound      version.CompiledBound
	hasBound   bool
	text       string
}

// configuration is one NVD configuration's structure.
type configuration struct {
	operator string // "AND" or other
	negate   bool
	nodes    map[int]*node
}

type node struct {
	operator string
	negate   bool
	crits    []critRef
}

// pkgRange is an OSV affected package compiled in its ecosystem's order.
type pkgRange struct {
	id, source string
	ecosystem  string
	name       string
	scheme     version.Scheme
	ranges     []version.CompiledEvents
	versions   []string
	text       string
}

type product struct {
	store.AffectedProduct
	name cpe.Name
}

// index is the part of the vulnerability index the inventory can reach.
type index struct {
	byKey     map[string][]*criterion
	configs   map[configRef]*configuration
	pkgs      map[string][]*pkgRange // by matching name
	products  map[string][]*product  // JVN, by CPE key
	aliases   map[string][]string    // both directions
	withdrawn map[string]bool
	covered   map[string]bool // CVEs with NVD criteria: JVN defers to them
	crits     map[critRef]*criterion
}

func loadIndex(ctx context.Context, st *store.Store, items []*item) (*index, error) {
	ix := &index{byKey: map[string][]*criterion{}, configs: map[configRef]*configuration{}, pkgs: map[string][]*pkgRange{},
		products: map[string][]*product{}, aliases: map[string][]string{}, crits: map[critRef]*criterion{}}
	keySet := map[string]bool{}
	nameSet := map[string]bool{}
	for _, it := range items {
		for _, c := range it.cpes {
			keySet[c.Key()] = true
		}
		if it.pkg != nil {
			nameSet[it.pkg.Name] = true
		}
	}
	keys := slices.Sorted(maps.Keys(keySet))
	ids := map[string]bool{}
	var bad error
	add := func(c store.CPECriterion) *criterion {
		ref := critRef{c.ID, c.Source, c.Config, c.Node, c.Seq}
		if cr := ix.crits[ref]; cr != nil {
			return cr
		}
		n, err := cpe.Parse(c.Criteria)
		if err != nil {
			if bad == nil {
				bad = fmt.Errorf("match: stored criterion of %s: %w", c.ID, err)
			}
			return nil
		}
		cr := &criterion{ref: ref, name: n, vulnerable: c.Vulnerable, text: describe(c)}
		b := version.Bound{StartIncluding: c.StartIncluding, StartExcluding: c.StartExcluding, EndIncluding: c.EndIncluding, EndExcluding: c.EndExcluding}
		if b != (version.Bound{}) {
			cb, err := b.Compile(version.Generic)
			if err != nil {
				// A bound that is not a version ("*") cannot be honoured:
				// the criterion matches nothing rather than everything.
				return nil
			}
			cr.bound, cr.hasBound = cb, true
		}
		ix.crits[ref] = cr
		cfg := ix.configs[configRef{c.ID, c.Source, c.Config}]
		if cfg == nil {
			cfg = &configuration{operator: c.ConfigOperator, negate: c.ConfigNegate, nodes: map[int]*node{}}
			ix.configs[configRef{c.ID, c.Source, c.Config}] = cfg
		}
		nd := cfg.nodes[c.Node]
		if nd == nil {
			nd = &node{operator: c.NodeOperator, negate: c.NodeNegate}
			cfg.nodes[c.Node] = nd
		}
		nd.crits = append(nd.crits, ref)
		return cr
	}
	if err := st.CriteriaByKeys(ctx, keys, func(c store.CPECriterion) {
		if cr := add(c); cr != nil {
			ix.byKey[c.CPEKey] = append(ix.byKey[c.CPEKey], cr)
			ids[c.ID] = true
		}
	}); err != nil {
		return nil, err
	}
	// The rest of those advisories' configurations: the platform nodes
	// of AND configurations name other products.
	if err := st.CriteriaByIDs(ctx, slices.Sorted(maps.Keys(ids)), func(c store.CPECriterion) { add(c) }); err != nil {
		return nil, err
	}
	if bad != nil {
		return nil, bad
	}
	if err := st.PackagesByNames(ctx, slices.Sorted(maps.Keys(nameSet)), func(p store.AffectedPackage) {
		pr, err := compilePackage(p)
		if err != nil {
			if bad == nil {
				bad = err
			}
			return
		}
		ix.pkgs[p.Name] = append(ix.pkgs[p.Name], pr)
		ids[p.ID] = true
	}); err != nil {
		return nil, err
	}
	if bad != nil {
		return nil, bad
	}
	var jvnIDs []string
	if err := st.ProductsByKeys(ctx, keys, func(p store.AffectedProduct) {
		n, err := cpe.ParseAny(p.CPE)
		if err != nil {
			return
		}
		ix.products[p.CPEKey] = append(ix.products[p.CPEKey], &product{p, n})
		ids[p.ID] = true
		jvnIDs = append(jvnIDs, p.ID)
	}); err != nil {
		return nil, err
	}
	all := slices.Sorted(maps.Keys(ids))
	if err := st.AliasesOf(ctx, all, func(a store.Alias) {
		ix.aliases[a.ID] = append(ix.aliases[a.ID], a.Alias)
		ix.aliases[a.Alias] = append(ix.aliases[a.Alias], a.ID)
	}); err != nil {
		return nil, err
	}
	// The CVEs those advisories alias may have records of their own that
	// did not match (a GHSA for another ecosystem): their identifiers
	// are the same vulnerability's, and a match answers to them too.
	var more []string
	for _, id := range all {
		for _, a := range ix.aliases[id] {
			if strings.HasPrefix(a, "CVE-") && !ids[a] {
				ids[a] = true
				more = append(more, a)
			}
		}
	}
	if len(more) > 0 {
		seen := map[[2]string]bool{}
		for id, as := range ix.aliases {
			for _, a := range as {
				seen[[2]string{id, a}] = true
			}
		}
		if err := st.AliasesOf(ctx, more, func(a store.Alias) {
			if !seen[[2]string{a.ID, a.Alias}] {
				seen[[2]string{a.ID, a.Alias}], seen[[2]string{a.Alias, a.ID}] = true, true
				ix.aliases[a.ID] = append(ix.aliases[a.ID], a.Alias)
				ix.aliases[a.Alias] = append(ix.aliases[a.Alias], a.ID)
			}
		}); err != nil {
			return nil, err
		}
	}
	var err error
	if ix.withdrawn, err = st.Withdrawn(ctx, all); err != nil {
		return nil, err
	}
	var cves []string
	for _, id := range jvnIDs {
		for _, a := range ix.aliases[id] {
			if strings.HasPrefix(a, "CVE-") {
				cves = append(cves, a)
			}
		}
	}
	if ix.covered, err = st.WithCriteria(ctx, cves); err != nil {
		return nil, err
	}
	return ix, nil
}

// describe renders a criterion for the match's evidence.
func describe(c store.CPECriterion) string {
	var b strings.Builder
	b.WriteString(c.Criteria)
	for _, x := range []struct{ op, v string }{{">=", c.StartIncluding}, {">", c.StartExcluding}, {"<=", c.EndIncluding}, {"<", c.EndExcluding}} {
		if x.v != "" {
			b.WriteString(" " + x.op + " " + x.v)
		}
	}
	return b.String()
}

func compilePackage(p store.AffectedPackage) (*pkgRange, error) {
	scheme := version.For(p.Ecosystem)
	pr := &pkgRange{id: p.ID, source: p.Source, ecosystem: p.Ecosystem, name: p.Name, scheme: scheme, versions: vuln.DecodeVersions(p.Versions)}
	rs, err := vuln.DecodeRanges(p.Ranges)
	if err != nil {
		return nil, fmt.Errorf("match: stored ranges of %s: %w", p.ID, err)
	}
	var text []string
	for _, r := range rs {
		if r.Type == "GIT" {
			continue // commit ranges say nothing about released versions
		}
		evs := make([]version.Event, len(r.Events))
		var parts []string
		for i, e := range r.Events {
			evs[i] = version.Event{Introduced: e.Introduced, Fixed: e.Fixed, LastAffected: e.LastAffected, Limit: e.Limit}
			switch {
			case e.Introduced != "":
				parts = append(parts, "introduced "+e.Introduced)
			case e.Fixed != "":
				parts = append(parts, "fixed "+e.Fixed)
			case e.LastAffected != "":
				parts = append(parts, "last_affected "+e.LastAffected)
			case e.Limit != "":
				parts = append(parts, "limit "+e.Limit)
			}
		}
		ce, err := version.CompileEvents(scheme, evs)
		if err != nil {
			// A range in a version order this scheme cannot read is
			// skipped, not guessed.
			continue
		}
		pr.ranges = append(pr.ranges, ce)
		text = append(text, strings.Join(parts, ", "))
	}
	pr.text = p.Ecosystem + " " + p.Name + ": " + strings.Join(text, "; ")
	return pr, nil
}

// satisfaction is one criterion an item satisfies, and how: exactly, or
// only approximately (attributes the item's CPE leaves unstated read as the
// criterion's, or a version equal only in the version order).
type satisfaction struct {
	ref    critRef
	approx string // "" for an exact match, else why not: "target_hw unstated; version 8.5.0.0 taken as 8.5"
}

// satisfied lists the criteria an item satisfies, version included.
func (ix *index) satisfied(it *item) []satisfaction {
	var out []satisfaction
	for _, cand := range it.cpes {
		for _, cr := range ix.byKey[cand.Key()] {
			if ok, approx := critMatches(cr, cand, it); ok {
				out = append(out, satisfaction{ref: cr.ref, approx: approx})
			} else if filled, unstated := fillUnstated(cr.name, cand); unstated != "" {
				if ok, approx := critMatches(cr, filled, it); ok {
					out = append(out, satisfaction{ref: cr.ref, approx: joinReasons(unstated+" unstated", approx)})
				}
			}
		}
	}
	return out
}

func joinReasons(a, b string) string {
	switch {
	case a == "":
		return b
	case b == "":
		return a
	}
	return a + "; " + b
}

// unstatedAttrs are the attributes an inventory rarely records: the
// update (service pack, hotfix), the software edition, and the software
// and hardware the product runs on. NVD criteria set them
// (windows_10:1709:*:*:*:*:*:x64, jenkins:*:*:*:*:*:lts, qradar:7.2.8:-),
// and a strict NISTIR 7696 reading makes a criterion value against an
// inventory ANY a SUBSET, never a match, so such a product could not be
// matched at all however exactly its version is known.
var unstatedAttrs = []struct {
	name   string
	legacy bool // CPE 2.2 wrote it in the edition
	attr   func(*cpe.Name) *cpe.Attr
}{
	{"update", false, func(n *cpe.Name) *cpe.Attr { return &n.Update }},
	{"sw_edition", true, func(n *cpe.Name) *cpe.Attr { return &n.SwEdition }},
	{"target_sw", true, func(n *cpe.Name) *cpe.Attr { return &n.TargetSw }},
	{"target_hw", true, func(n *cpe.Name) *cpe.Attr { return &n.TargetHw }},
}

// fillUnstated returns cand with each unstated attribute that is ANY in
// cand but set in criterion (a value or NA, without wildcards) taken from
// criterion, and the names of those attributes ("" when there are none).
// A match through the filled name is a match at lower confidence: the
// inventory did not say it is, say, the x64 build, only that it is this
// product and version. An attribute the inventory does state is never
// filled: x86 against x64 stays disjoint; nor is one a CPE 2.2 name may
// have stated in its edition (cpe:/o:microsoft:windows_server_2008:r2:sp1:x86).
func fillUnstated(criterion, cand cpe.Name) (cpe.Name, string) {
	var names []string
	for _, u := range unstatedAttrs {
		if u.legacy && !cand.Edition.IsAny() {
			continue
		}
		c, h := u.attr(&criterion), u.attr(&cand)
		if h.IsAny() && !c.IsAny() && !c.HasWildcards() {
			*h = *c
			names = append(names, u.name)
		}
	}
	return cand, strings.Join(names, ", ")
}

// critMatches reports whether cand satisfies cr, and if only
// approximately, why.
func critMatches(cr *criterion, cand cpe.Name, it *item) (bool, string) {
	cv := cr.name.Version
	switch {
	case cv.IsAny():
		if !cpe.Matches(cr.name, cand) {
			return false, ""
		}
		if !cr.hasBound {
			return true, "" // every version
		}
		if cand.Version.IsAny() || cand.Version.IsNA() {
			return false, "" // an unknown version is not claimed vulnerable to a range
		}
		v, err := version.Generic.Parse(versionFor(it, cand.Version.Value()))
		return err == nil && cr.bound.Contains(v), ""
	case cv.IsNA() || cv.HasWildcards():
		return cpe.MatchesIncludingVersion(cr.name, cand), ""
	default:
		if cpe.MatchesIncludingVersion(cr.name, cand) {
			return true, ""
		}
		if !cpe.Matches(cr.name, cand) || cand.Version.IsAny() || cand.Version.IsNA() {
			return false, ""
		}
		// An OS package's CPE carries its epoch and revision
		// ("1\:2.36.1-8\+deb11u1"): its upstream version is what NVD
		// names, exactly.
		up := versionFor(it, cand.Version.Value())
		if strings.EqualFold(up, cv.Value()) {
			return true, ""
		}
		// The same version in the version order but written otherwise
		// (8.5.0.0 for 8.5; but also 2.4 for 2.4.0, 9.1 for 9.01): a
		// match at lower confidence, saying so.
		a, err1 := version.Generic.Parse(up)
		b, err2 := version.Generic.Parse(cv.Value())
		if err1 == nil && err2 == nil && a.Compare(b) == 0 {
			return true, "version " + cand.Version.Value() + " taken as " + cv.Value()
		}
		return false, ""
	}
}

// configHits evaluates the configurations an owner's satisfied criteria
// touch. A configuration holds when its nodes hold (all of them for AND,
// any for OR); it yields a hit only through a satisfied vulnerable
// criterion of a node that holds, so a platform ("running on") criterion
// never matches alone. A configuration that holds only through
// approximate satisfactions yields a hit at confUnstated, saying why.
func (ix *index) configHits(sat map[critRef]satisfier) []ownerHit {
	touched := map[configRef]bool{}
	for c := range sat {
		touched[configRef{c.id, c.source, c.config}] = true
	}
	var out []ownerHit
	for _, ref := range slices.SortedFunc(maps.Keys(touched), func(a, b configRef) int {
		if c := strings.Compare(a.id+"\x00"+a.source, b.id+"\x00"+b.source); c != 0 {
			return c
		}
		return a.config - b.config
	}) {
		cfg := ix.configs[ref]
		if cfg == nil {
			continue
		}
		var nodes []nodeEval
		for _, ni := range slices.Sorted(maps.Keys(cfg.nodes)) {
			nodes = append(nodes, ix.evalNode(cfg.nodes[ni], sat))
		}
		best, ok := decide(cfg, nodes)
		if !ok {
			continue
		}
		conf := confCPE
		if ref.source == string(vuln.SourceNVDOverride) {
			conf = confOverride
		}
		detail := best.vc.text
		if len(best.approx) > 0 {
			conf = min(conf, confUnstated)
			detail += " " + LowerConfidence + strings.Join(best.approx, "; ") + ")"
		}
		if best.by.it.derived {
			conf = min(conf, confDerivedCPE)
		}
		out = append(out, ownerHit{hit: hit{id: ref.id, source: ref.source, path: PathCPE, conf: conf, detail: detail}, it: best.by.it})
	}
	return out
}

// LowerConfidence opens the part of a match's detail that says why it is
// not an exact match: "… (lower confidence: target_hw unstated)".
const LowerConfidence = "(lower confidence: "

// nodeEval is one node of a configuration, evaluated for an owner.
type nodeEval struct {
	holds  bool
	approx []string   // why it holds only approximately; nil when exactly
	vc     *criterion // its best satisfied vulnerable criterion (exact first), if any
	by     satisfier
}

// evalNode evaluates a node, negation included. A negated node ("not on
// x86") is judged on exact satisfactions: a criterion met only by filling
// in unstated attributes may or may not apply, so the node holds, but only
// approximately.
func (ix *index) evalNode(nd *node, sat map[critRef]satisfier) nodeEval {
	holds := func(exactOnly bool) (bool, []string) {
		var approx []string
		held := false
		for _, c := range nd.crits {
			s, ok := sat[c]
			if ok && exactOnly && s.approx != "" {
				ok = false
			}
			if nd.operator == "AND" {
				if !ok {
					return false, nil
				}
				if s.approx != "" {
					approx = append(approx, s.approx)
				}
				continue
			}
			if ok {
				if s.approx == "" {
					return true, nil
				}
				if !held {
					held, approx = true, []string{s.approx}
				}
			}
		}
		if nd.operator == "AND" {
			return true, approx
		}
		return held, approx
	}
	if nd.negate {
		if exact, _ := holds(true); exact {
			return nodeEval{}
		}
		if relaxed, approx := holds(false); relaxed {
			return nodeEval{holds: true, approx: []string{"a negated criterion may apply: " + strings.Join(approx, "; ")}}
		}
		return nodeEval{holds: true}
	}
	ok, approx := holds(false)
	e := nodeEval{holds: ok, approx: approx}
	if ok {
		for _, c := range nd.crits {
			if s, sok := sat[c]; sok && ix.crits[c].vulnerable && (e.vc == nil || e.by.approx != "" && s.approx == "") {
				e.vc, e.by = ix.crits[c], s
			}
		}
	}
	return e
}

// decision is how a configuration holds: through which vulnerable
// criterion, and whether only approximately.
type decision struct {
	vc     *criterion
	by     satisfier
	approx []string
}

// decide combines a configuration's nodes: for AND all must hold, the hit
// is named by the best vulnerable criterion among them and is approximate
// if any node or that criterion is; for OR, the best holding node with a
// vulnerable criterion, an exact one first.
func decide(cfg *configuration, nodes []nodeEval) (decision, bool) {
	with := func(n nodeEval) decision {
		d := decision{vc: n.vc, by: n.by, approx: slices.Clone(n.approx)}
		if n.by.approx != "" && !slices.Contains(d.approx, n.by.approx) {
			d.approx = append(d.approx, n.by.approx)
		}
		return d
	}
	if cfg.negate {
		// "Not (…)": rare in NVD. It holds when its nodes do not; the hit
		// is named by any satisfied vulnerable criterion.
		var d decision
		all, some := true, false
		for _, n := range nodes {
			all, some = all && n.holds, some || n.holds
			if n.vc != nil && (d.vc == nil || d.by.approx != "" && n.by.approx == "") {
				d = with(n)
			}
		}
		holds := some
		if cfg.operator == "AND" {
			holds = all
		}
		return d, !holds && d.vc != nil
	}
	if cfg.operator == "AND" {
		var d decision
		var approx []string
		for _, n := range nodes {
			if !n.holds {
				return decision{}, false
			}
			approx = append(approx, n.approx...)
			if n.vc != nil && (d.vc == nil || d.by.approx != "" && n.by.approx == "") {
				d = with(n)
			}
		}
		if d.vc == nil {
			return decision{}, false
		}
		for _, a := range approx {
			if !slices.Contains(d.approx, a) {
				d.approx = append(d.approx, a)
			}
		}
		return d, true
	}
	var best decision
	found := false
	for _, n := range nodes {
		if !n.holds || n.vc == nil {
			continue
		}
		d := with(n)
		if !found || len(best.approx) > 0 && len(d.approx) == 0 {
			best, found = d, true
		}
	}
	return best, found
}

// packageHits matches an item's purl against OSV affected packages.
// packageHits matches an item's purl against OSV affected packages. The
// error says the installed version could not be ordered against some
// advisory for the package.
func (ix *index) packageHits(it *item) ([]hit, error) {
	if it.pkg == nil {
		return nil, nil
	}
	var out []hit
	var bad error
	for _, pr := range ix.pkgs[it.pkg.Name] {
		if !sameEcosystem(it.pkg, pr.ecosystem) {
			continue
		}
		ok, err := affected(pr, it.pkg.Version)
		if err != nil && bad == nil {
			bad = err
		}
		if ok {
			out = append(out, hit{id: pr.id, source: pr.source, path: PathPURL, conf: confPURL, detail: pr.text})
		}
	}
	return out, bad
}

func affected(pr *pkgRange, raw string) (bool, error) {
	if slices.Contains(pr.versions, raw) {
		return true, nil
	}
	v, err := pr.scheme.Parse(raw)
	if err != nil {
		return false, err
	}
	for _, lv := range pr.versions {
		if w, err := pr.scheme.Parse(lv); err == nil && w.Compare(v) == 0 {
			return true, nil
		}
	}
	for _, r := range pr.ranges {
		if r.Contains(v) {
			return true, nil
		}
	}
	return false, nil
}

// osvFamilies maps a purl type to the OSV ecosystems that name its packages.
var osvFamilies = map[string][]string{
	"golang": {"go"}, "npm": {"npm"}, "pypi": {"pypi"}, "maven": {"maven"}, "composer": {"packagist"},
	"gem": {"rubygems"}, "cargo": {"crates.io"}, "nuget": {"nuget"}, "hex": {"hex"}, "pub": {"pub"},
	"swift": {"swifturl"}, "hackage": {"hackage"}, "cran": {"cran"},
	"deb": {"debian", "ubuntu"}, "apk": {"alpine", "wolfi", "chainguard"},
	"rpm": {"red hat", "rocky linux", "almalinux", "suse", "opensuse", "mageia", "openeuler"},
}

// sameEcosystem reports whether an OSV ecosystem ("Debian:11") speaks for
// the package: the same family, and for OS packages the same distribution
// and release when both say.
func sameEcosystem(p *sbom.Package, eco string) bool {
	base, release, _ := strings.Cut(strings.ToLower(eco), ":")
	if !slices.Contains(osvFamilies[p.Ecosystem], base) {
		return false
	}
	switch p.Ecosystem {
	case "deb", "rpm", "apk":
	default:
		return true
	}
	ns := strings.ToLower(p.Namespace)
	if ns != "" && !strings.Contains(strings.ReplaceAll(base, " ", ""), ns) && !strings.Contains(ns, strings.ReplaceAll(base, " ", "")) {
		return false
	}
	if release == "" || p.Distro == "" {
		return true
	}
	_, drel, ok := strings.Cut(strings.ToLower(p.Distro), "-")
	if !ok {
		return true
	}
	release = strings.TrimPrefix(osvRelease(release), "v")
	drel = strings.TrimPrefix(drel, "v")
	return drel == release || strings.HasPrefix(drel, release+".") || strings.HasPrefix(release, drel+".")
}

// osvRelease picks the release out of what follows the distribution in an
// OSV ecosystem: the first field that starts with a digit ("11" of
// Debian:11, "v3.18" of Alpine:v3.18, "22.04" of Ubuntu:22.04:LTS, "9" of
// Red Hat:enterprise_linux:9::appstream). Ubuntu Pro's ("Pro:22.04:LTS")
// is returned whole, so it names no release: its fixes need a
// subscription, and the release's own records speak for the package.
func osvRelease(s string) string {
	fields := strings.Split(s, ":")
	if slices.Contains(fields, "pro") {
		return s
	}
	for _, f := range fields {
		f = strings.TrimPrefix(f, "v")
		if f != "" && f[0] >= '0' && f[0] <= '9' {
			return f
		}
	}
	return s
}

// jvnHits matches an item's CPEs against JVN products, for advisories
// whose CVE has no NVD configuration to decide instead.
func (ix *index) jvnHits(it *item) []hit {
	var out []hit
	for _, cand := range it.cpes {
		for _, p := range ix.products[cand.Key()] {
			if ix.jvnCovered(p.ID) {
				continue
			}
			if !cpe.Matches(p.name, cand) {
				continue
			}
			conf, ok := jvnVersionMatch(p, cand, it)
			if !ok {
				continue
			}
			if it.derived {
				conf = min(conf, confDerivedCPE)
			}
			detail := p.CPE
			if p.Version != "" {
				detail += " (" + p.Version + ")"
			}
			out = append(out, hit{id: p.ID, source: p.Source, path: PathJVN, conf: conf, detail: detail})
		}
	}
	return out
}

func (ix *index) jvnCovered(id string) bool {
	for _, a := range ix.aliases[id] {
		if ix.covered[a] {
			return true
		}
	}
	return false
}

// jvnVersionMatch decides a JVN product against an installed version:
// by the product's CPE version when it has one, else by the free-text
// version statement, else on vendor and product alone (low confidence).
func jvnVersionMatch(p *product, cand cpe.Name, it *item) (int, bool) {
	if pv := p.name.Version; !pv.IsAny() {
		return confJVNVersion, cpe.MatchesIncludingVersion(p.name, cand)
	}
	b, exact, ok := jvnBounds(p.Version)
	if !ok {
		return confJVNNoVersion, true
	}
	if cand.Version.IsAny() || cand.Version.IsNA() {
		return 0, false
	}
	v, err := version.Generic.Parse(versionFor(it, cand.Version.Value()))
	if err != nil {
		return 0, false
	}
	if exact != "" {
		e, err := version.Generic.Parse(exact)
		return confJVNVersion, err == nil && e.Compare(v) == 0
	}
	cb, err := b.Compile(version.Generic)
	if err != nil {
		return 0, false
	}
	return confJVNVersion, cb.Contains(v)
}

// canonical names a vulnerability by its CVE when one of its records has
// one, so a CVE, its GHSA and its JVNDB entry count once.
func (ix *index) canonical(id string) string {
	if strings.HasPrefix(id, "CVE-") {
		return id
	}
	best := ""
	for _, a := range ix.aliases[id] {
		if strings.HasPrefix(a, "CVE-") && (best == "" || a < best) {
			best = a
		}
	}
	if best != "" {
		return best
	}
	return id
}
