package match

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"strings"

	"mamori"
	"mamori/internal/store"
)

// Scope narrows a report: an organization's subtree, or one system; and
// within it, optionally, one vulnerability (by any of its identifiers) and
// a least confidence.
type Scope struct {
	Org    string
	System string
	// Vuln finds a vulnerability by its name, any advisory that led to
	// it or any alias of those (CVE, GHSA, GO-, JVNDB-), case-insensitively.
	Vuln          string `json:"vuln,omitempty"`
	MinConfidence int    `json:"min_confidence,omitempty"`
	// Orgs, when not nil, is every organization the reader may see; the
	// report holds only their systems, and of the standard images those
	// systems run only the shared ones (no organization) and theirs: a
	// system that names another ministry's image (stored before imports
	// kept references in scope) does not show that image's software.
	Orgs []string `json:"-"`
}

// Exposure is one open vulnerability on one system.
type Exposure struct {
	SystemCode     string   `json:"system"`
	SystemName     string   `json:"system_name"`
	OrgCode        string   `json:"org"`
	VulnID         string   `json:"vuln"`
	Title          string   `json:"title,omitempty"`
	Software       []string `json:"software"`
	Components     int      `json:"components"`
	Path           string   `json:"path"`
	Confidence     int      `json:"confidence"`
	Advisories     string   `json:"advisories"`
	Aliases        []string `json:"aliases"` // every other identifier of the vulnerability
	Detail         string   `json:"detail,omitempty"`
	FirstSeen      string   `json:"first_seen"`
	CVSS3          float64  `json:"cvss3,omitempty"`
	CVSS4          float64  `json:"cvss4,omitempty"`
	Severity       string   `json:"severity,omitempty"`
	KEVDue         string   `json:"kev_due,omitempty"`
	EPSS           float64  `json:"epss,omitempty"`
	Countermeasure string   `json:"countermeasure,omitempty"` // kind, or "" for none
	DueOn          string   `json:"due_on,omitempty"`
	Approver       string   `json:"approver,omitempty"`
	Note           string   `json:"note,omitempty"`
}

// SystemSummary counts one system's exposures.
type SystemSummary struct {
	SystemCode string `json:"system"`
	SystemName string `json:"system_name"`
	OrgCode    string `json:"org"`
	Open       int    `json:"open"`
	Unhandled  int    `json:"without_countermeasure"`
	KEV        int    `json:"kev"`
	Critical   int    `json:"critical"`
}

// Report is the vulnerability view of a scope.
type Report struct {
	Scope     Scope           `json:"scope"`
	Systems   []SystemSummary `json:"systems"`
	Exposures []Exposure      `json:"exposures"`
}

// BuildReport gathers the open matches of the scope's systems with their
// scores, KEV deadlines, EPSS and countermeasures, worst first.
func BuildReport(ctx context.Context, st *store.Store, sc Scope) (*Report, error) {
	var orgs map[string]bool
	if sc.Org != "" {
		var err error
		if orgs, err = st.Subtree(ctx, sc.Org); err != nil {
			return nil, err
		}
	}
	if sc.Orgs != nil {
		allowed := map[string]bool{}
		for _, o := range sc.Orgs {
			if orgs == nil || orgs[o] {
				allowed[o] = true
			}
		}
		orgs = allowed
	}
	sysInfo := map[string][2]string{} // code -> name, org
	var byOwner map[[2]string][]store.OwnerUse
	var matches []store.Match
	if sc.System != "" {
		se := mamori.EntityByName("systems")
		r, err := st.Get(ctx, se, sc.System)
		if err != nil {
			return nil, err
		}
		if org := r[se.FieldIndex("org_code")].(string); orgs == nil || orgs[org] {
			sysInfo[sc.System] = [2]string{r[se.FieldIndex("name")].(string), org}
		}
		uses, err := st.OwnerUses(ctx, sc.System)
		if err != nil {
			return nil, err
		}
		byOwner = ownersOf(uses, sysInfo)
		// One system has a few owners (its images and SBOM components):
		// read their matches by key rather than every open match in the
		// country (75,000 nationally), which made a system page take a second.
		for k := range byOwner {
			ms, err := st.Matches(ctx, store.MatchFilter{OwnerKind: k[0], OwnerCode: k[1], OpenOnly: true})
			if err != nil {
				return nil, err
			}
			matches = append(matches, ms...)
		}
	} else {
		// Driven by the open matches: only the systems that run their
		// owners are read, never every system and component of the country.
		var err error
		if matches, err = st.Matches(ctx, store.MatchFilter{AnyID: sc.Vuln, OpenOnly: true}); err != nil {
			return nil, err
		}
		if sc.Vuln != "" {
			// Every row of the vulnerabilities found, including those on
			// owners whose advisories did not carry the identifier asked
			// for, so an exposure is the same whichever way it is reached.
			ids := map[string]bool{}
			for _, m := range matches {
				ids[m.VulnID] = true
			}
			if matches, err = st.OpenMatchesOf(ctx, slices.Sorted(maps.Keys(ids))); err != nil {
				return nil, err
			}
		}
		owners := map[[2]string]bool{}
		for _, m := range matches {
			owners[[2]string{m.OwnerKind, m.OwnerCode}] = true
		}
		uses, err := st.OwnerUsesOf(ctx, slices.Collect(maps.Keys(owners)))
		if err != nil {
			return nil, err
		}
		codes := map[string]bool{}
		for _, u := range uses {
			codes[u.SystemCode] = true
		}
		names, err := st.SystemNames(ctx, slices.Sorted(maps.Keys(codes)))
		if err != nil {
			return nil, err
		}
		for code, info := range names {
			if orgs == nil || orgs[info[1]] {
				sysInfo[code] = info
			}
		}
		byOwner = ownersOf(uses, sysInfo)
	}
	if sc.Orgs != nil {
		if err := hideImages(ctx, st, byOwner, sc.Orgs); err != nil {
			return nil, err
		}
	}
	type key struct{ system, vuln string }
	exp := map[key]*Exposure{}
	for _, m := range matches {
		for _, u := range byOwner[[2]string{m.OwnerKind, m.OwnerCode}] {
			k := key{u.SystemCode, m.VulnID}
			e := exp[k]
			if e == nil {
				info := sysInfo[u.SystemCode]
				e = &Exposure{SystemCode: u.SystemCode, SystemName: info[0], OrgCode: info[1], VulnID: m.VulnID, FirstSeen: m.FirstSeen, Aliases: []string{}}
				exp[k] = e
			}
			e.Components += u.Components
			if !slices.Contains(e.Software, m.Software) {
				e.Software = append(e.Software, m.Software)
			}
			if m.Confidence > e.Confidence {
				e.Confidence, e.Path, e.Detail = m.Confidence, m.Path, m.Detail
			}
			e.Advisories = mergeWords(e.Advisories, m.Advisories)
			for _, a := range strings.Fields(m.Aliases) {
				if !slices.Contains(e.Aliases, a) {
					e.Aliases = append(e.Aliases, a)
				}
			}
			if m.FirstSeen < e.FirstSeen {
				e.FirstSeen = m.FirstSeen
			}
		}
	}
	want := strings.ToLower(strings.TrimSpace(sc.Vuln))
	for k, e := range exp {
		slices.Sort(e.Aliases)
		if want != "" && !slices.ContainsFunc(append([]string{e.VulnID}, e.Aliases...), func(id string) bool { return strings.ToLower(id) == want }) ||
			e.Confidence < sc.MinConfidence {
			delete(exp, k)
		}
	}
	idSet := map[string]bool{}
	for _, e := range exp {
		idSet[e.VulnID] = true
		for _, a := range e.Aliases {
			idSet[a] = true
		}
	}
	facts, err := st.Facts(ctx, slices.Sorted(maps.Keys(idSet)))
	if err != nil {
		return nil, err
	}
	systems := map[string]bool{}
	for k := range exp {
		systems[k.system] = true
	}
	cms, err := st.CountermeasuresOf(ctx, slices.Sorted(maps.Keys(systems)))
	if err != nil {
		return nil, err
	}
	// A countermeasure is found under the vulnerability's name, else under
	// any of its other identifiers that is not itself an open
	// vulnerability of the system (the same rule as the checks' view).
	cmOf := make(map[key]store.Countermeasure, len(cms))
	for _, c := range cms {
		cmOf[key{c.SystemCode, c.VulnID}] = c
	}
	for k, e := range exp {
		c, ok := cmOf[k]
		for _, a := range e.Aliases {
			if ok {
				break
			}
			if _, named := exp[key{k.system, a}]; !named {
				c, ok = cmOf[key{k.system, a}]
			}
		}
		if ok {
			e.Countermeasure, e.DueOn, e.Approver, e.Note = c.Kind, c.DueOn, c.Approver, c.Note
		}
	}
	rep := &Report{Scope: sc, Systems: []SystemSummary{}, Exposures: make([]Exposure, 0, len(exp))}
	sums := map[string]*SystemSummary{}
	for _, e := range exp {
		e.applyFacts(facts)
		s := sums[e.SystemCode]
		if s == nil {
			s = &SystemSummary{SystemCode: e.SystemCode, SystemName: e.SystemName, OrgCode: e.OrgCode}
			sums[e.SystemCode] = s
		}
		s.Open++
		if e.Countermeasure == "" {
			s.Unhandled++
		}
		if e.KEVDue != "" {
			s.KEV++
		}
		if e.CVSS3 >= 9 || e.CVSS4 >= 9 {
			s.Critical++
		}
		rep.Exposures = append(rep.Exposures, *e)
	}
	slices.SortFunc(rep.Exposures, func(a, b Exposure) int {
		return cmp.Or(strings.Compare(a.SystemCode, b.SystemCode), -cmp.Compare(b2i(a.KEVDue != ""), b2i(b.KEVDue != "")), /* KEV first */
			-cmp.Compare(max(a.CVSS3, a.CVSS4), max(b.CVSS3, b.CVSS4)), strings.Compare(a.VulnID, b.VulnID))
	})
	for _, s := range sums {
		rep.Systems = append(rep.Systems, *s)
	}
	slices.SortFunc(rep.Systems, func(a, b SystemSummary) int {
		return cmp.Or(-cmp.Compare(a.KEV, b.KEV), -cmp.Compare(a.Unhandled, b.Unhandled), strings.Compare(a.SystemCode, b.SystemCode))
	})
	return rep, nil
}

// hideImages drops from byOwner the standard images of organizations
// outside orgs; images of no organization are shared and stay.
func hideImages(ctx context.Context, st *store.Store, byOwner map[[2]string][]store.OwnerUse, orgs []string) error {
	var codes []string
	for k := range byOwner {
		if k[0] == store.OwnerImage {
			codes = append(codes, k[1])
		}
	}
	slices.Sort(codes)
	seen := map[string]bool{}
	for _, o := range orgs {
		seen[o] = true
	}
	images := mamori.EntityByName("images")
	ci, oi := images.FieldIndex("code"), images.FieldIndex("org_code")
	const chunk = 500
	for start := 0; start < len(codes); start += chunk {
		recs, _, err := st.Find(ctx, images, store.Filter{In: map[string][]string{"code": codes[start:min(start+chunk, len(codes))]}})
		if err != nil {
			return err
		}
		for _, r := range recs {
			if org, _ := r[oi].(string); org != "" && !seen[org] {
				code, _ := r[ci].(string)
				delete(byOwner, [2]string{store.OwnerImage, code})
			}
		}
	}
	return nil
}

// ownersOf indexes uses by owner, keeping the systems of sysInfo.
func ownersOf(uses []store.OwnerUse, sysInfo map[string][2]string) map[[2]string][]store.OwnerUse {
	out := map[[2]string][]store.OwnerUse{}
	for _, u := range uses {
		if _, ok := sysInfo[u.SystemCode]; ok {
			k := [2]string{u.OwnerKind, u.OwnerCode}
			out[k] = append(out[k], u)
		}
	}
	return out
}

// applyFacts sets the scores, KEV deadline and EPSS of the exposure from
// every identifier it answers to: its own record's title first, the
// highest score and EPSS, the earliest KEV deadline (a GO- record's
// second CVE may be the one CISA lists).
func (e *Exposure) applyFacts(facts map[string]*store.VulnFacts) {
	for _, id := range append([]string{e.VulnID}, e.Aliases...) {
		f := facts[id]
		if f == nil {
			continue
		}
		if e.Title == "" {
			e.Title = f.Title // the vulnerability's own record comes first
		}
		// The severity goes with the highest score of any identifier.
		if score := float64(max(f.CVSS3, f.CVSS4)) / 10; f.Severity != "" && (e.Severity == "" || score > max(e.CVSS3, e.CVSS4)) {
			e.Severity = f.Severity
		}
		if f.KEVDue != "" && (e.KEVDue == "" || f.KEVDue < e.KEVDue) {
			e.KEVDue = f.KEVDue
		}
		e.CVSS3 = max(e.CVSS3, float64(f.CVSS3)/10)
		e.CVSS4 = max(e.CVSS4, float64(f.CVSS4)/10)
		if f.EPSS >= 0 {
			e.EPSS = max(e.EPSS, float64(f.EPSS)/100000)
		}
	}
}

func mergeWords(a, b string) string {
	ws := strings.Fields(a + " " + b)
	slices.Sort(ws)
	return strings.Join(slices.Compact(ws), " ")
}

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}
