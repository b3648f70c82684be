package demo

import (
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"mamori"
)

// The generator works in two phases. Phase one (this file) builds a compact
// model of the whole data set in memory: organizations, people, systems with
// their component counts and defect flags, projects, contracts. Phase two
// (emit.go) walks that model once per entity, in the register's load order,
// and turns it into records, drawing the many-per-system details (components,
// log sources, accounts …) from per-organization random streams, so that only
// one chunk of records exists at a time.

// day is a date counted in days from Today: 0 is Today, -1 yesterday.
type day int32

// noDay marks an absent date.
const noDay day = math.MinInt32

// Random streams. Every decision draws from a stream keyed by an
// organization's (or another object's) code and one of these constants, so
// adding a draw to one stream never shifts another, and the output does not
// depend on the order in which organizations are visited.
const (
	stMunicipalities uint64 = iota + 1
	stSize
	stPeople
	stSystems
	stProjects
	stComponentCounts
	stImages
	stSoftware
	stContracts
	stQuota
	stClouds
	stVendors
	stComponents
	stCosts
	stAccounts
	stLogs
	stReviews
	stPlans
	stAudits
	stFlows
	stExports
	stBudget
	stSurveys
	stIncidents
	stProjectReviews
	stComponentSoftware
	stCountermeasures
	stDetail    // secondary draws of the quotas (which item, which clause)
	stOrgData   // three-layer models
	stOrgRecord // organization, role and system records
	stGovernance
	stIncidentRecords // incident timelines, CSIRTs, drills (incidents.go)
)

// Scale targets: the data set sizes the scales are tuned to.
type target struct{ systems, components, clouds int }

func targetOf(s Scale) target {
	switch s {
	case Small:
		return target{60, 600, 50}
	case City:
		return target{3000, 40000, 120}
	}
	return target{200000, 3000000, 300}
}

type person struct {
	code, name, email string
	status            string // active, left, transferred
	leftOn            day
}

type image struct {
	code, name string
	seg        string // terminal images: the segment; "" for server images
	windows    bool   // server images: Windows rather than Linux
	old        bool   // the previous year's build, still on some terminals
	built      day
}

type org struct {
	idx                          int
	code, parent, kind, name, en string
	slug                         string // e-mail domain label (under .example)
	body                         int    // the body this unit answers to (itself for bodies); -1 for 政府
	local                        bool   // 都道府県 or 市区町村
	central                      bool   // 本府省庁等, 地方支分部局 or 独立行政法人等: systems get SystemIDs
	ministry, agency, pref       int    // indexes into the static tables, or -1
	muniKind                     string // capital, ward, city, town, village
	raw                          float64
	nSys                         int
	sysLo, sysHi                 int
	projLo, projHi               int
	conLo, conHi                 int
	people                       []person
	images                       []image
	members                      []int  // bodies: the organizations whose systems they answer for
	model                        string // three-layer model

	// Governance (buildGovernance): how well the organization manages its
	// systems and contracts, and whether its staff were trained on
	// outsourcing (its own answer for ministries and municipalities; other
	// units follow the unit that answers for them).
	maturity          float64 // 0 (weak) … 1 (strong)
	trained, answered bool

	// Body-level defects, by plan fiscal year where indexed.
	noEducation, noCrisis, noAdvisor                        bool
	noAudit, noSelfInspection, outOfPlan, outOfPlanUnshared [3]bool
	roleMissing                                             string

	// Local-government defects.
	fallback, sharedAuth, noEncryption, mailUnsanitized, unrestrictedFlow, myNumberInternet bool
	noIncidentSupport, noPolicy, stalePolicy, csirtUndocumented                             bool
}

func (o *org) isBody() bool { return o.body == o.idx }

// Defect flags of a system.
const (
	fLogsNotCollected uint32 = 1 << iota
	fNeverReviewed
	fStaleReview
	fShortRetention
	fNoAccessReview
	fStaleAccessReview
	fLeaverEnabled
	fSharedAdmin
	fNoITBCP
	fLGWANStale
	fNo2FA
	fNoExportBlock
	fOutsideCloud
	fUnmonitored
	fOfficerLeft
	fOfficeFiled    // recorder filed as office equipment
	fOfficePersonal // … and storing personal information
)

type system struct {
	code, name, section string
	org                 int32
	def                 *sysDef
	seg, hosting        string
	cloud               int32 // index into clouds, or -1
	cloudMgr            int32 // person index in the organization, or -1
	officer             int32 // person index in the organization, or -1
	project             int32 // index into projects, or -1
	conf, integ, avail  int8
	personal, important bool
	itbcpReq, secReq    bool
	status              string
	goLive, retired     day
	inRegister          bool
	discovered          string
	systemID            string
	neglect             float64 // relative chance of each system-level defect (buildGovernance)
	missingItem         int8    // the blank register item (1–12), 0 for none
	vendor              string
	flags               uint32
	// Component counts by kind.
	nServer, nTerm, nNet, nAppl, nStorage, nMFP, nRec int32
}

func (s *system) has(f uint32) bool { return s.flags&f != 0 }

// operatingInfo reports whether the system is a registered, operating
// information system: the population most checks run over.
func (s *system) operatingInfo() bool {
	return s.inRegister && s.status == "operating" && s.def.office == ""
}

func (s *system) components() int32 {
	return s.nServer + s.nTerm + s.nNet + s.nAppl + s.nStorage + s.nMFP + s.nRec
}

type project struct {
	code, name            string
	org                   int32
	planDoc               day
	demand, usage, costEf bool
	goLive                day
	util                  int // -1 when not measured
	utilOn                day
	stage                 int // index into mamori.ProjectStages reached
}

type cloudSvc struct {
	code, provider, name, model, status, reg string
	listed, valid                            day
}

type contract struct {
	code, kind, title, vendor string
	org                       int32
	start, end                day
	total                     int64
	verifSpecified, verified  bool
	subcontracted, subApprove bool
	cloud                     int32 // index into clouds, or -1
	cloudApproved             bool
	conformity, specReview    bool
	secReq                    bool
	project                   int32
	clauses                   uint16 // bit i: clauseDefs[i] present
	systems                   []int32
}

// world is the model of one data set.
type world struct {
	scale     Scale
	seed      uint64
	curFY     int // the fiscal year Today falls in
	dates     dateCache
	sw        *softwareSample
	orgs      []*org
	bodies    []int
	systems   []system
	projects  []project
	contracts []contract
	budgetOf  map[string]string // project code -> its first budget item (governance.go)
	clouds    []cloudSvc
	vendors   []string
	// lgwanServers collects the LGWAN-zone servers while components are
	// written, for their update history.
	lgwanServers []updated
	// incidents and drills are remembered for their child records (incidents.go).
	incidents []demoIncident
	drills    []demoDrill
}

// costFYs are the fiscal years with costs and contract amounts: the four
// before the current one (FY2022–FY2025 for the default Today).
func (w *world) costFYs() []int { return []int{w.curFY - 4, w.curFY - 3, w.curFY - 2, w.curFY - 1} }

// planFYs are the fiscal years with plans, audits and surveys: the current
// one and the two before it (FY2024–FY2026 for the default Today), the
// years an assessment covers by default.
func (w *world) planFYs() []int { return []int{w.curFY - 2, w.curFY - 1, w.curFY} }

// rng returns the random stream for key and stream.
func (w *world) rng(key string, stream uint64) *rand.Rand {
	h := uint64(14695981039346656037) // FNV-1a
	for i := 0; i < len(key); i++ {
		h ^= uint64(key[i])
		h *= 1099511628211
	}
	return rand.New(rand.NewPCG(w.seed, splitmix(h^splitmix(stream))))
}

func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

func chance(r *rand.Rand, p float64) bool { return r.Float64() < p }

// between returns a uniform integer in [lo, hi].
func between(r *rand.Rand, lo, hi int) int { return lo + r.IntN(hi-lo+1) }

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

// The governance model behind the Board of Audit's cross-tabulations (seed
// 001). Each organization has a maturity m, uniform on [0, 1]. A better run
// organization more often trains its staff on outsourcing (probability
// trainedBase + trainedSlope·m, 70% on average) and writes better
// specifications: a contract's chance of being among those missing vendor
// items is weighted by exp(−maturityEffect·m), and by untrainedFactor where
// the staff were not trained. A system's neglect is
// exp(neglectSpread·z − maturityEffect·m) with z standard normal: it weights
// the choice of the systems left without a SystemID and of every later
// system-level defect. A system without a SystemID also escapes the
// デジタル庁's portfolio reviews, so its defects are weighted by
// noIDFactor more. The quotas stay exact; only who is chosen changes, so
// systems without a SystemID implement less and trained organizations miss
// fewer clauses, as the Board found, by however much the draws give.
const (
	trainedBase     = 0.4
	trainedSlope    = 0.6
	maturityEffect  = 1.0
	neglectSpread   = 0.8
	untrainedFactor = 2.0
	noIDFactor      = 3.0
)

// buildGovernance draws each organization's maturity and training and each
// system's neglect.
func (w *world) buildGovernance() {
	byCode := make(map[string]*org, len(w.orgs))
	for _, o := range w.orgs {
		byCode[o.code] = o
		r := w.rng(o.code, stGovernance)
		o.maturity = r.Float64()
		if o.kind == "ministry" || o.kind == "municipality" {
			o.answered = true
			o.trained = r.Float64() < trainedBase+trainedSlope*o.maturity
		}
	}
	for _, o := range w.orgs {
		for p, n := o, 0; p != nil && n < 16; p, n = byCode[p.parent], n+1 {
			if p.answered {
				o.trained = p.trained
				break
			}
		}
	}
	for i := range w.systems {
		s := &w.systems[i]
		z := w.rng(s.code, stGovernance).NormFloat64()
		s.neglect = math.Exp(neglectSpread*z - maturityEffect*w.orgs[s.org].maturity)
	}
}

// systemWeight is a system's weight in the system-level defect quotas.
func (w *world) systemWeight(s *system) float64 {
	if w.orgs[s.org].central && s.inRegister && s.systemID == "" {
		return s.neglect * noIDFactor
	}
	return s.neglect
}

// contractWeight is a contract's weight in the contract defect quotas.
func (w *world) contractWeight(c *contract) float64 {
	o := w.orgs[c.org]
	wt := math.Exp(-maturityEffect * o.maturity)
	if !o.trained {
		wt *= untrainedFactor
	}
	return wt
}

// quotaWeighted selects exactly round(rate × n) of n items (at least one
// when n > 0), each with a chance in proportion to its weight: weighted
// sampling without replacement (Efraimidis and Spirakis: the items with the
// largest u^(1/weight)).
func (w *world) quotaWeighted(name string, weights []float64, rate float64) []bool {
	n := len(weights)
	out := make([]bool, n)
	if n == 0 || rate <= 0 {
		return out
	}
	k := min(n, max(1, int(math.Round(rate*float64(n)))))
	r := w.rng(name, stQuota)
	keys := make([]float64, n)
	order := make([]int, n)
	for i, wt := range weights {
		keys[i] = math.Log(r.Float64()) / wt // log of u^(1/wt): order-preserving
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		switch {
		case keys[a] > keys[b]:
			return -1
		case keys[a] < keys[b]:
			return 1
		}
		return a - b
	})
	for _, i := range order[:k] {
		out[i] = true
	}
	return out
}

// systemQuota is quotaWeighted over system indexes, by systemWeight.
func (w *world) systemQuota(name string, idx []int, rate float64) []bool {
	weights := make([]float64, len(idx))
	for i, j := range idx {
		weights[i] = w.systemWeight(&w.systems[j])
	}
	return w.quotaWeighted(name, weights, rate)
}

// quota selects exactly round(rate × n) of n items (at least one when n > 0),
// and reports the selection as a mask.
func (w *world) quota(name string, n int, rate float64) []bool {
	out := make([]bool, n)
	if n == 0 || rate <= 0 {
		return out
	}
	k := min(n, max(1, int(math.Round(rate*float64(n)))))
	for _, i := range w.rng(name, stQuota).Perm(n)[:k] {
		out[i] = true
	}
	return out
}

// mark applies a quota to a list of system indexes, setting flag on the
// chosen; systems are chosen by systemWeight.
func (w *world) mark(name string, idx []int, rate float64, flag uint32) {
	for i, on := range w.systemQuota(name, idx, rate) {
		if on {
			w.systems[idx[i]].flags |= flag
		}
	}
}

// selectSystems lists the indexes of the systems that satisfy keep, in order.
func (w *world) selectSystems(keep func(*system) bool) []int {
	var out []int
	for i := range w.systems {
		if keep(&w.systems[i]) {
			out = append(out, i)
		}
	}
	return out
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	if len(s) < width {
		s = strings.Repeat("0", width-len(s)) + s
	}
	return s
}

// appendPad appends n zero-padded to width, without allocating a string.
func appendPad(b []byte, n, width int) []byte {
	var tmp [20]byte
	d := strconv.AppendInt(tmp[:0], int64(n), 10)
	for i := len(d); i < width; i++ {
		b = append(b, '0')
	}
	return append(b, d...)
}

// build constructs the model. It does not touch the store.
func (w *world) build() {
	w.buildOrgs()
	w.sizeOrgs()
	w.buildClouds()
	w.buildVendors()
	for _, o := range w.orgs {
		w.buildPeople(o)
	}
	total := 0
	for _, o := range w.orgs {
		total += o.nSys
	}
	// Sized up front: growing a slice of 200,000 systems by doubling copies
	// it repeatedly and was most of this phase's time.
	w.systems = make([]system, 0, total)
	w.contracts = make([]contract, 0, total*6/10)
	for _, o := range w.orgs {
		o.sysLo = len(w.systems)
		w.buildSystems(o)
		o.sysHi = len(w.systems)
	}
	for _, o := range w.orgs {
		o.projLo = len(w.projects)
		w.buildProjects(o)
		o.projHi = len(w.projects)
	}
	w.buildGovernance()
	w.markSystemDefects()
	w.buildComponentCounts()
	w.markComponentDefects()
	for _, o := range w.orgs {
		w.buildImages(o)
	}
	for _, o := range w.orgs {
		o.conLo = len(w.contracts)
		w.buildContracts(o)
		o.conHi = len(w.contracts)
	}
	w.markContractDefects()
	w.markOrgDefects()
	w.markProjectDefects()
}

// ---- organizations ----

func (w *world) add(o *org) *org {
	o.idx = len(w.orgs)
	w.orgs = append(w.orgs, o)
	return o
}

func (w *world) buildOrgs() {
	w.add(&org{code: "G", kind: "government", name: "政府", en: "Government of Japan", slug: "government",
		body: -1, agency: -1, pref: -1, ministry: -1})

	// Which ministries (with how many branches), agencies and prefectures
	// (with how many municipalities) the scale includes. Codes are the same at
	// every scale, so the small data set is a corner of the national one.
	type mpick struct{ m, branches int }
	var ms []mpick
	var as, ps []int
	muniLimit := -1
	switch w.scale {
	case Small:
		ms, as, ps, muniLimit = []mpick{{2, 2}}, []int{4}, []int{20}, 3
	case City:
		ms, as, ps = []mpick{{2, -1}}, []int{2, 3, 4}, []int{20}
	default:
		for i := range ministries {
			ms = append(ms, mpick{i, -1})
		}
		for i := range agencies {
			as = append(as, i)
		}
		for i := range prefectures {
			ps = append(ps, i)
		}
	}
	for _, mp := range ms {
		m := &ministries[mp.m]
		mo := w.add(&org{code: m.code, parent: "G", kind: "ministry", name: m.name, en: m.en, slug: m.slug,
			ministry: mp.m, agency: -1, pref: -1, central: true})
		mo.body = mo.idx
		c := w.add(&org{code: m.code + "-C", parent: m.code, kind: "central", name: m.central, slug: m.slug,
			ministry: mp.m, agency: -1, pref: -1, body: mo.idx, central: true})
		mo.members = append(mo.members, c.idx)
		n := len(m.branches)
		if mp.branches >= 0 {
			n = min(n, mp.branches)
		}
		for i := range n {
			b := w.add(&org{code: m.code + "-B" + pad(i+1, 2), parent: m.code, kind: "branch", name: m.branches[i],
				slug: m.slug + "-b" + pad(i+1, 2), ministry: mp.m, agency: -1, pref: -1, body: mo.idx, central: true})
			mo.members = append(mo.members, b.idx)
		}
	}
	for _, ai := range as {
		a := &agencies[ai]
		o := w.add(&org{code: "A" + pad(ai+1, 2), parent: a.ministry, kind: "agency", name: a.name, en: a.en, slug: a.slug,
			ministry: -1, agency: ai, pref: -1, central: true})
		o.body, o.members = o.idx, []int{o.idx}
	}
	for _, pi := range ps {
		p := &prefectures[pi]
		pcode := "P" + pad(p.code, 2)
		po := w.add(&org{code: pcode, kind: "prefecture", name: p.name, en: p.en + " Prefecture",
			slug: "pref-" + strings.ToLower(p.en), ministry: -1, agency: -1, pref: pi, local: true})
		if p.code == 13 {
			po.en = "Tokyo Metropolis"
		} else if p.code == 1 {
			po.en = "Hokkaido"
		}
		po.body, po.members = po.idx, []int{po.idx}
		for i, mu := range w.municipalities(p) {
			if muniLimit >= 0 && i >= muniLimit {
				break
			}
			code := pcode + "-M" + pad(i+1, 4)
			o := w.add(&org{code: code, parent: pcode, kind: "municipality", name: mu.name, muniKind: mu.kind,
				slug: po.slug + "-m" + pad(i+1, 4), ministry: -1, agency: -1, pref: pi, local: true})
			o.body, o.members = o.idx, []int{o.idx}
		}
	}
	for _, o := range w.orgs {
		if o.kind != "government" && o.isBody() {
			w.bodies = append(w.bodies, o.idx)
		}
	}
}

type muniDef struct{ name, kind string }

// municipalities returns a prefecture's 市区町村 in a fixed order: the
// capital (or Tokyo's 23 wards) first, the rest shuffled so that any prefix
// mixes cities, towns and villages. Names other than the capital's and the
// wards' are generated, unique within the prefecture.
func (w *world) municipalities(p *prefDef) []muniDef {
	r := w.rng("P"+pad(p.code, 2), stMunicipalities)
	used := map[string]bool{}
	var head, rest []muniDef
	cities := p.cities
	if p.wards > 0 {
		for _, n := range tokyoWards[:p.wards] {
			head = append(head, muniDef{n, "ward"})
			used[strings.TrimSuffix(n, "区")] = true
		}
	} else {
		head = append(head, muniDef{p.capital, "capital"})
		used[strings.TrimSuffix(p.capital, "市")] = true
		cities--
	}
	gen := func(suffix, kind string) {
		for {
			stem := pick(r, placeHeads) + pick(r, placeTails)
			if !used[stem] {
				used[stem] = true
				rest = append(rest, muniDef{stem + suffix, kind})
				return
			}
		}
	}
	for range cities {
		gen("市", "city")
	}
	for range p.towns {
		gen("町", "town")
	}
	for range p.vils {
		gen("村", "village")
	}
	r.Shuffle(len(rest), func(i, j int) { rest[i], rest[j] = rest[j], rest[i] })
	return append(head, rest...)
}

// sizeOrgs decides how many systems each organization runs: a raw weight
// from its kind and size, scaled so the total lands on the scale's target.
func (w *world) sizeOrgs() {
	minOf := map[string]int{"central": 12, "branch": 4, "agency": 8, "prefecture": 10, "municipality": 6}
	for _, o := range w.orgs {
		r := w.rng(o.code, stSize)
		jitter := 0.8 + 0.4*r.Float64()
		switch o.kind {
		case "central":
			o.raw = 600 * ministries[o.ministry].size * jitter
		case "branch":
			o.raw = 90 * math.Sqrt(ministries[o.ministry].size) * jitter
		case "agency":
			o.raw = 350 * agencies[o.agency].size * jitter
		case "prefecture":
			o.raw = (250 + 45*prefectures[o.pref].pop) * jitter
		case "municipality":
			switch o.muniKind {
			case "capital":
				o.raw = (150 + 40*prefectures[o.pref].pop) * jitter
			case "ward":
				o.raw = 160 * jitter
			case "city":
				o.raw = float64(between(r, 60, 150))
			case "town":
				o.raw = float64(between(r, 25, 55))
			default:
				o.raw = float64(between(r, 12, 28))
			}
		}
	}
	for _, o := range w.orgs {
		if o.local {
			// Most bodies stayed with α; β and β' came with the 2020 revision,
			// α' with the 2024 one (REGIME.md §6).
			switch x := w.rng(o.code, stOrgData).Float64(); {
			case x < 0.70:
				o.model = "alpha"
			case x < 0.80:
				o.model = "alpha_prime"
			case x < 0.95:
				o.model = "beta"
			default:
				o.model = "beta_prime"
			}
		}
	}
	// Find the scale factor by bisection, since the minimums bend the sum.
	want := targetOf(w.scale).systems
	count := func(f float64) int {
		n := 0
		for _, o := range w.orgs {
			if o.raw > 0 {
				n += max(minOf[o.kind], int(math.Round(o.raw*f)))
			}
		}
		return n
	}
	lo, hi := 0.0, 10.0
	for range 60 {
		mid := (lo + hi) / 2
		if count(mid) < want {
			lo = mid
		} else {
			hi = mid
		}
	}
	for _, o := range w.orgs {
		if o.raw > 0 {
			o.nSys = max(minOf[o.kind], int(math.Round(o.raw*hi)))
		}
	}
}

// ---- cloud services and vendors ----

func (w *world) buildClouds() {
	r := w.rng("clouds", stClouds)
	n := targetOf(w.scale).clouds
	seq := 0
	add := func(c cloudSvc) {
		seq++
		c.code = "CS" + pad(seq, 4)
		w.clouds = append(w.clouds, c)
	}
	for i, d := range realClouds {
		if len(w.clouds) >= n {
			break
		}
		listed := day(-between(r, 400, 1900))
		add(cloudSvc{provider: d.provider, name: d.name, model: d.model, status: "ismap",
			reg:    "C" + pad(21+i%4, 2) + "-" + pad(i+1, 4) + "-" + strconv.Itoa(1+r.IntN(3)),
			listed: listed, valid: day(between(r, 60, 480))})
	}
	used := map[string]bool{}
	for i := 0; len(w.clouds) < n; i++ {
		prov := pick(r, cloudProviderHeads) + pick(r, cloudProviderTails)
		k := pick(r, cloudServiceKinds)
		if used[prov+k.name] {
			continue // one entry per provider and service, as on the ISMAP list
		}
		used[prov+k.name] = true
		c := cloudSvc{provider: prov, name: k.name, model: k.model, listed: noDay, valid: noDay}
		switch {
		case chance(r, rateCloudNone):
			c.status = "none"
		case chance(r, rateCloudLIU/(1-rateCloudNone)):
			c.status = "ismap_liu"
			c.reg = "L" + pad(23+i%3, 2) + "-" + pad(i+1, 4) + "-1"
		default:
			c.status = "ismap"
			c.reg = "C" + pad(22+i%4, 2) + "-" + pad(100+i, 4) + "-1"
		}
		if c.status != "none" {
			c.listed = day(-between(r, 200, 1500))
			c.valid = day(between(r, 30, 480))
			if chance(r, rateCloudExpired) {
				c.valid = day(-between(r, 10, 400))
			}
		}
		add(c)
	}
}

func (w *world) buildVendors() {
	r := w.rng("vendors", stVendors)
	used := map[string]bool{}
	for len(w.vendors) < 40 {
		v := pick(r, vendorHeads) + pick(r, vendorTails)
		if used[v] {
			continue
		}
		used[v] = true
		if r.IntN(2) == 0 {
			v = "株式会社" + v
		} else {
			v += "株式会社"
		}
		w.vendors = append(w.vendors, v)
	}
}

// ---- people ----

// Role holders come first in an organization's people list.
const (
	pCISO     = 0 // CISO (bodies)
	pChief    = 1 // 統括情報セキュリティ責任者, also the default 許可権限者
	pAuditor  = 2 // 情報セキュリティ監査責任者
	pManager  = 3 // 情報セキュリティ責任者 / 管理者 (課室長), システム管理者
	pAdvisor  = 4 // 最高情報セキュリティアドバイザー (ministries), CSIRT
	pFirstOff = 5 // system officers and staff from here
)

func (w *world) buildPeople(o *org) {
	if o.kind == "government" {
		return
	}
	r := w.rng(o.code, stPeople)
	n := pFirstOff + 3 + (o.nSys+9)/10
	o.people = make([]person, n)
	for i := range o.people {
		s, g := pick(r, surnames), pick(r, givenNames)
		p := person{code: o.code + "-P" + pad(i+1, 4), name: s[0] + " " + g[0],
			email: g[1] + "." + s[1] + strconv.Itoa(i+1) + "@" + o.slug + ".example", status: "active", leftOn: noDay}
		if i >= pFirstOff+1 {
			switch x := r.Float64(); {
			case x < 0.07:
				p.status = "left"
			case x < 0.15:
				p.status = "transferred"
			}
		}
		// Every organization has at least one leaver, so that accounts of people
		// who left (IAM-02) and officers who left can point at someone.
		if i == n-1 {
			p.status = "left"
		}
		if p.status != "active" {
			p.leftOn = day(-between(r, 20, 700))
		}
		o.people[i] = p
	}
}

// activePerson picks an active person at or after index from.
func activePerson(r *rand.Rand, o *org, from int) int32 {
	for range 20 {
		i := from + r.IntN(len(o.people)-from)
		if o.people[i].status == "active" {
			return int32(i)
		}
	}
	return pManager
}

// ---- systems ----

// catalogOf returns an organization's core systems in priority order.
func catalogOf(o *org) []sysDef {
	var base, own []sysDef
	switch o.kind {
	case "central":
		base = centralSystems
		for _, n := range ministries[o.ministry].systems {
			own = append(own, sysDef{name: n, personal: true, important: true, servers: 3, role: "application"})
		}
	case "branch":
		base = branchSystems
		if ss := ministries[o.ministry].systems; len(ss) > 0 {
			own = append(own, sysDef{name: ss[0] + "（地方局業務）", personal: true, important: true, servers: 1, role: "application"})
		}
	case "agency":
		base = agencySystems
		for _, n := range agencies[o.agency].systems {
			own = append(own, sysDef{name: n, personal: true, important: true, servers: 3, role: "database"})
		}
	case "prefecture":
		return prefecturalSystems
	case "municipality":
		return municipalSystems
	}
	// Own systems go after the first few common ones, ahead of the rest.
	k := min(6, len(base))
	out := append([]sysDef{}, base[:k]...)
	out = append(out, own...)
	return append(out, base[k:]...)
}

func defaultSeg(o *org, r *rand.Rand) string {
	x := r.Float64()
	switch {
	case o.local && x < 0.25:
		return "mynumber"
	case o.local && x < 0.80:
		return "lgwan"
	case o.local:
		return "internet"
	case o.kind == "agency" && x < 0.8:
		return "other"
	case x < 0.70:
		return "government"
	case x < 0.85:
		return "other"
	}
	return "internet"
}

// sectionFor names the 課室 managing a system.
func sectionFor(o *org, d *sysDef, r *rand.Rand) string {
	if !o.local {
		switch {
		case d.fleet || d.infra || strings.Contains(d.name, "認証") || strings.Contains(d.name, "メール"):
			if o.kind == "branch" {
				return "総務部情報管理室"
			}
			if o.kind == "agency" {
				return "情報システム部"
			}
			return "大臣官房情報システム室"
		case o.kind == "branch":
			return pick(r, branchSections)
		case o.kind == "agency":
			return pick(r, []string{"総務部", "業務部", "事業部", "情報システム部", "経理部", "人事部"})
		}
		return pick(r, centralSections)
	}
	kw := []struct{ k, s string }{{"税", "税務課"}, {"住民", "市民課"}, {"戸籍", "市民課"}, {"印鑑", "市民課"}, {"コンビニ", "市民課"},
		{"宛名", "市民課"}, {"国民健康", "保険年金課"}, {"年金", "保険年金課"}, {"後期", "保険年金課"}, {"介護", "介護保険課"},
		{"福祉", "福祉課"}, {"生活保護", "福祉課"}, {"児童", "子育て支援課"}, {"選挙", "選挙管理委員会事務局"}, {"就学", "教育委員会事務局"},
		{"校務", "教育委員会事務局"}, {"図書館", "生涯学習課"}, {"水道", "上下水道課"}, {"防災", "防災危機管理課"}, {"河川", "防災危機管理課"},
		{"健康", "健康推進課"}, {"人事", "人事課"}, {"財務", "財政課"}, {"入札", "契約検査課"}, {"道路", "建設課"}, {"住宅", "建設課"},
		{"旅券", "総務課"}, {"相談", "総務課"}, {"病院", "病院局経営課"}}
	for _, x := range kw {
		if strings.Contains(d.name, x.k) {
			return x.s
		}
	}
	if d.fleet || d.infra || d.office != "" || d.role == "mail" || d.role == "dns" || d.role == "gateway" {
		return "情報政策課"
	}
	if d.generic {
		return pick(r, localSections)
	}
	return "総務課"
}

func (w *world) buildSystems(o *org) {
	if o.nSys == 0 {
		return
	}
	r := w.rng(o.code, stSystems)
	cat := catalogOf(o)
	used := map[string]bool{}
	for i := range o.nSys {
		var d sysDef
		if i < len(cat) {
			d = cat[i]
		} else {
			d = sysDef{generic: true, servers: between(r, 1, 3), role: pick(r, []string{"application", "application", "database", "web"})}
			d.personal = chance(r, 0.35)
			d.important = chance(r, 0.20)
		}
		if d.seg == "" {
			d.seg = defaultSeg(o, r)
		}
		if d.seg == "mynumber" {
			d.personal = true
		}
		section := sectionFor(o, &d, r)
		if d.generic {
			base := section + " " + pick(r, genericTopics) + pick(r, genericKinds)
			d.name = base
			for k := 2; used[d.name]; k++ {
				d.name = base + "（" + strconv.Itoa(k) + "）"
			}
		}
		used[d.name] = true
		dd := new(sysDef)
		*dd = d
		s := system{code: o.code + "-S" + pad(i+1, 5), name: d.name, section: section, org: int32(o.idx), def: dd,
			seg: d.seg, cloud: -1, cloudMgr: -1, project: -1, personal: d.personal, important: d.important,
			inRegister: true, discovered: "register", secReq: true, goLive: noDay, retired: noDay}
		s.officer = activePerson(r, o, pFirstOff)
		s.conf = int8(d.conf)
		if s.conf == 0 {
			s.conf = 2
			if s.seg == "internet" && !s.personal && chance(r, 0.5) {
				s.conf = 1
			}
			if (o.ministry == 12 || o.ministry == 13) && chance(r, 0.2) {
				s.conf = 3 // 防衛省, 警察庁: some secret-level information
			}
		}
		s.integ, s.avail = 1, 1
		if s.important || s.personal || chance(r, 0.4) {
			s.integ = 2
		}
		if s.important {
			s.avail = 2
		}
		// Status: the terminals, networks and equipment are in use; business
		// systems are mostly operating, a few planned or retired.
		s.status = "operating"
		if !d.fleet && !d.infra && d.office == "" {
			switch x := r.Float64(); {
			case x < 0.03:
				s.status = "planned"
			case x < 0.08:
				s.status = "retired"
			}
		}
		switch s.status {
		case "operating":
			s.goLive = day(-between(r, 120, 5500))
		case "planned":
			if chance(r, 0.7) {
				s.goLive = day(between(r, 30, 500))
			}
		case "retired":
			s.goLive = day(-between(r, 2500, 6500))
			s.retired = day(-between(r, 30, 1000))
		}
		s.itbcpReq = s.important && s.status != "retired"
		// Hosting: terminals, networks and equipment are on premises; the rest
		// moves to the cloud, municipal 基幹業務 onto ガバメントクラウド.
		s.hosting = "onpremises"
		if !d.fleet && !d.infra && d.office == "" {
			p := 0.30
			switch s.seg {
			case "mynumber":
				p = 0.25
			case "lgwan":
				p = 0.15
			case "internet":
				p = 0.40
			}
			if chance(r, p) {
				s.hosting = "cloud"
				if chance(r, 0.25) {
					s.hosting = "hybrid"
				}
				s.cloud = w.pickCloud(r, s.seg)
				s.cloudMgr = activePerson(r, o, pFirstOff)
			}
		}
		s.vendor = pick(r, w.vendors)
		if o.central {
			// Opaque ten-digit IDs, unique: a bijection of the position
			// (multiplying by a number coprime to 10¹⁰ permutes 0 … 10¹⁰-1).
			n := uint64(len(w.systems)+1) % 10000000000
			s.systemID = pad(int(n*3141592653%10000000000), 10)
		}
		w.systems = append(w.systems, s)
	}
}

// pickCloud chooses a cloud service: IaaS for the マイナンバー zone (the
// ガバメントクラウド), otherwise any.
func (w *world) pickCloud(r *rand.Rand, seg string) int32 {
	for range 30 {
		i := r.IntN(len(w.clouds))
		if seg != "mynumber" || w.clouds[i].model == "iaas" {
			return int32(i)
		}
	}
	return 0
}

// ---- projects ----

var stageCodes = []string{"planning", "requirements", "procurement", "development", "operation"}

func (w *world) buildProjects(o *org) {
	if o.nSys == 0 {
		return
	}
	r := w.rng(o.code, stProjects)
	n := 1 + o.nSys/40
	if o.central {
		n = max(1, o.nSys/6)
	}
	first := len(w.projects)
	for i := range n {
		p := project{code: o.code + "-PJ" + pad(i+1, 3), org: int32(o.idx), demand: true, usage: true, costEf: true, util: -1,
			utilOn: noDay}
		sys := &w.systems[o.sysLo+min(o.nSys-1, i*o.nSys/n)]
		switch {
		case !o.local && (sys.def.fleet || sys.def.infra):
			p.name = sys.name + "更改プロジェクト"
		case o.local && i == 0:
			p.name = "基幹業務システムの標準化・ガバメントクラウド移行"
		case o.local && i == 1:
			p.name = "自治体DX推進（オンライン手続の拡充）"
		case o.local:
			p.name = sys.name + "更新"
		default:
			p.name = sys.name + pick(r, []string{"更改プロジェクト", "のクラウド移行", "刷新", "最適化", "機能追加"})
		}
		p.goLive = day(between(r, -2000, 400))
		p.planDoc = min(p.goLive-day(between(r, 300, 1000)), -30)
		switch {
		case p.goLive > 0:
			p.stage = between(r, 0, 3)
		default:
			p.stage = 4
			p.util = between(r, 35, 100)
			p.utilOn = day(-between(r, 5, 200))
		}
		w.projects = append(w.projects, p)
	}
	// Systems belong to projects: central government's nearly all (一元的な
	// プロジェクト管理), local governments' cloud migrations and a few others.
	for i := o.sysLo; i < o.sysHi; i++ {
		s := &w.systems[i]
		switch {
		case o.central && chance(r, 0.85):
			s.project = int32(first + (i-o.sysLo)*n/o.nSys)
		case o.local && s.seg == "mynumber" && s.hosting != "onpremises":
			s.project = int32(first)
		case o.local && chance(r, 0.08):
			s.project = int32(first + r.IntN(n))
		}
	}
}

// ---- system defects ----

func (w *world) markSystemDefects() {
	ws := w.systems
	// REG-01: unregistered systems, never the terminal fleets or networks.
	unreg := w.selectSystems(func(s *system) bool {
		return s.status == "operating" && !s.def.fleet && !s.def.infra && s.def.office == ""
	})
	for i, on := range w.quota("unregistered", len(unreg), rateUnregistered) {
		if !on {
			continue
		}
		s := &ws[unreg[i]]
		o := w.orgs[s.org]
		s.inRegister = false
		srcs := []string{"contract", "payment", "component"}
		if o.central {
			srcs = append(srcs, "system_id_list")
		}
		s.discovered = srcs[i%len(srcs)]
		if s.discovered != "system_id_list" {
			s.systemID = ""
		}
		s.officer, s.cloudMgr, s.project = -1, -1, -1
	}
	reg := func(s *system) bool { return s.inRegister }
	// REG-02: one register item blank.
	regs := w.selectSystems(reg)
	r := w.rng("missing-item", stDetail)
	for i, on := range w.quota("missing-item", len(regs), rateMissingItem) {
		if !on {
			continue
		}
		s := &ws[regs[i]]
		items := []int8{2, 3, 4, 5, 6, 7}
		if s.hosting != "onpremises" {
			items = append(items, 8, 10, 11, 12)
		}
		s.missingItem = pick(r, items)
	}
	// REG-03: no SystemID.
	w.markFn("no-system-id", w.selectSystems(func(s *system) bool { return s.inRegister && s.systemID != "" }),
		rateNoSystemID, func(s *system) { s.systemID = "" })
	// REG-04: recorders filed as office equipment.
	recs := w.selectSystems(func(s *system) bool { return s.def.office == "recorder" })
	filed := w.quota("office-filed", len(recs), rateRecorderAsOffice)
	var filedIdx []int
	for i, on := range filed {
		if on {
			ws[recs[i]].flags |= fOfficeFiled
			filedIdx = append(filedIdx, recs[i])
		}
	}
	w.mark("office-personal", filedIdx, rateOfficeRecorderPersonal, fOfficePersonal)
	// OUT-07.
	w.markFn("sec-req", regs, rateSecReqUndefined, func(s *system) { s.secReq = false })
	// BCP-01.
	w.mark("no-itbcp", w.selectSystems(func(s *system) bool { return s.inRegister && s.itbcpReq }), rateNoITBCP, fNoITBCP)
	// LOG-01 … LOG-03 and IAM-01 … IAM-03, over operating information systems.
	ops := w.selectSystems(func(s *system) bool { return s.operatingInfo() })
	w.mark("logs-not-collected", ops, rateLogsNotCollected, fLogsNotCollected)
	collecting := w.selectSystems(func(s *system) bool { return s.operatingInfo() && !s.has(fLogsNotCollected) })
	w.mark("logs-never-reviewed", collecting, rateLogsNeverReviewed, fNeverReviewed)
	w.mark("logs-stale-review", w.selectSystems(func(s *system) bool {
		return s.operatingInfo() && !s.has(fLogsNotCollected|fNeverReviewed)
	}), rateLogsStaleReview, fStaleReview)
	w.mark("short-retention", collecting, rateShortRetention, fShortRetention)
	w.mark("no-access-review", ops, rateNoAccessReview, fNoAccessReview)
	w.mark("stale-access-review", w.selectSystems(func(s *system) bool {
		return s.operatingInfo() && !s.has(fNoAccessReview)
	}), rateStaleAccessReview, fStaleAccessReview)
	w.mark("leaver-enabled", ops, rateLeaverEnabled, fLeaverEnabled)
	w.mark("shared-admin", ops, rateSharedAdmin, fSharedAdmin)
	w.mark("officer-left", regs, rateOfficerLeft, fOfficerLeft)
	// LG-11: local web and DNS systems.
	web := w.selectSystems(func(s *system) bool {
		return s.inRegister && w.orgs[s.org].local && s.status == "operating" && (s.def.role == "web" || s.def.role == "dns") &&
			s.seg == "internet"
	})
	w.mark("outside-security-cloud", web, rateOutsideSecurityCloud, fOutsideCloud)
	w.mark("unmonitored", web, rateUnmonitored, fUnmonitored)
}

// markFn applies a quota to a list of system indexes, calling set on the
// chosen; systems are chosen by systemWeight.
func (w *world) markFn(name string, idx []int, rate float64, set func(*system)) {
	for i, on := range w.systemQuota(name, idx, rate) {
		if on {
			set(&w.systems[idx[i]])
		}
	}
}

// ---- components ----

// buildComponentCounts gives each system its servers, network devices,
// appliances and equipment, then shares the remaining component budget out
// as terminals over the organizations' terminal fleets, in proportion to
// their size, so the total lands on the scale's target.
func (w *world) buildComponentCounts() {
	var fixed int64
	for _, o := range w.orgs {
		if o.nSys == 0 {
			continue
		}
		r := w.rng(o.code, stComponentCounts)
		big := 1 + o.nSys/150 // larger organizations run larger systems
		for i := o.sysLo; i < o.sysHi; i++ {
			s := &w.systems[i]
			if s.status != "operating" {
				continue
			}
			d := s.def
			switch {
			case d.office == "mfp":
				s.nMFP = int32(max(1, o.nSys/3+r.IntN(3)))
			case d.office == "recorder":
				s.nRec = int32(between(r, 1, 3))
			case d.infra:
				s.nServer = int32(d.servers * big)
				s.nNet = int32(4 + o.nSys/2 + r.IntN(4))
				s.nAppl = int32(between(r, 1, 3) * big)
			default:
				if s.hosting == "cloud" && d.role != "web" {
					s.nServer = 0 // runs in the provider's infrastructure
				} else {
					s.nServer = int32(max(1, d.servers+r.IntN(d.servers+1)) * min(big, 3))
				}
				if chance(r, 0.1) {
					s.nNet = 1
				}
				if (s.seg == "internet" && chance(r, 0.3)) || d.role == "gateway" {
					s.nAppl = 1
				}
				if d.role == "database" && chance(r, 0.5) {
					s.nStorage = 1
				}
				if !d.fleet {
					switch {
					case s.seg == "mynumber":
						s.nTerm = int32(r.IntN(4))
					case chance(r, 0.2):
						s.nTerm = 1
					}
				}
			}
			if !s.inRegister && s.discovered == "component" && s.components() == 0 {
				s.nServer = 1 // the evidence it was found by
			}
			fixed += int64(s.components())
		}
	}
	budget := max(0, int64(targetOf(w.scale).components)-fixed)
	var total int64
	for _, o := range w.orgs {
		total += int64(o.nSys)
	}
	shares := map[string]float64{"lgwan": 0.55, "mynumber": 0.30, "internet": 0.15, "government": 0.85, "other": 1}
	for _, o := range w.orgs {
		if o.nSys == 0 {
			continue
		}
		orgTerms := float64(budget) * float64(o.nSys) / float64(total)
		if o.local && (o.model == "beta" || o.model == "beta_prime") {
			// β models move the main terminals to the internet zone.
			shares["lgwan"], shares["internet"] = 0.15, 0.55
		} else {
			shares["lgwan"], shares["internet"] = 0.55, 0.15
		}
		var sum float64
		for i := o.sysLo; i < o.sysHi; i++ {
			if s := &w.systems[i]; s.def.fleet {
				sum += shares[s.seg]
			}
		}
		if sum == 0 {
			continue
		}
		for i := o.sysLo; i < o.sysHi; i++ {
			if s := &w.systems[i]; s.def.fleet {
				s.nTerm += int32(math.Round(orgTerms * shares[s.seg] / sum))
			}
		}
	}
}

// markComponentDefects flags the systems whose components carry a defect;
// which components do is drawn when they are emitted.
func (w *world) markComponentDefects() {
	w.mark("lgwan-stale", w.selectSystems(func(s *system) bool {
		return s.inRegister && s.seg == "lgwan" && s.components() > 0
	}), rateLGWANStaleSystem, fLGWANStale)
	mn := w.selectSystems(func(s *system) bool { return s.inRegister && s.seg == "mynumber" && s.nTerm > 0 })
	w.mark("no-second-factor", mn, rateNoSecondFactorSystem, fNo2FA)
	w.mark("no-export-blocking", mn, rateNoExportBlockingSystem, fNoExportBlock)
}

// ---- images ----

func (w *world) buildImages(o *org) {
	if o.nSys == 0 {
		return
	}
	r := w.rng(o.code, stImages)
	var segs []string
	servers := false
	for i := o.sysLo; i < o.sysHi; i++ {
		s := &w.systems[i]
		if s.nTerm > 0 && !containsStr(segs, s.seg) {
			segs = append(segs, s.seg)
		}
		servers = servers || s.nServer > 0
	}
	// Segments in a fixed order, so the image codes do not depend on which
	// system came first.
	order := []string{"government", "lgwan", "mynumber", "internet", "other"}
	label := map[string]string{"government": "府省LAN 標準端末イメージ", "lgwan": "LGWAN接続系 標準端末イメージ",
		"mynumber": "マイナンバー利用事務系 端末イメージ", "internet": "インターネット接続系 端末イメージ", "other": "標準端末イメージ"}
	fy := w.curFY - 2018 // 令和
	add := func(im image) {
		im.code = o.code + "-IMG" + pad(len(o.images)+1, 2)
		o.images = append(o.images, im)
	}
	for _, seg := range order {
		if !containsStr(segs, seg) {
			continue
		}
		add(image{name: label[seg] + " 令和" + strconv.Itoa(fy) + "年度版", seg: seg, built: day(-between(r, 20, 200))})
		// Larger fleets still run last year's build on some terminals.
		if o.nSys >= 30 && seg != "internet" {
			add(image{name: label[seg] + " 令和" + strconv.Itoa(fy-1) + "年度版", seg: seg, old: true,
				built: day(-between(r, 380, 700))})
		}
	}
	if servers {
		add(image{name: "標準サーバイメージ（Linux）", built: day(-between(r, 30, 400))})
		if o.nSys >= 20 {
			add(image{name: "標準サーバイメージ（Windows Server）", windows: true, built: day(-between(r, 30, 400))})
		}
	}
}

func containsStr(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}

// termImages returns the indexes of the current and previous terminal images
// for a segment (-1 when absent).
func termImages(o *org, seg string) (cur, old int) {
	cur, old = -1, -1
	for i := range o.images {
		if o.images[i].seg == seg {
			if o.images[i].old {
				old = i
			} else {
				cur = i
			}
		}
	}
	return cur, old
}

// serverImage returns the index of the Linux or Windows server image, or -1.
func serverImage(o *org, windows bool) int {
	for i := range o.images {
		if o.images[i].seg == "" && o.images[i].windows == windows {
			return i
		}
	}
	return -1
}

// ---- contracts ----

// The clause list (clause_defs), in order; contract.clauses is a bit set
// over it. It is the list migrate seeds.
var clauseDefs = mamori.DefaultClauses

const (
	clV1 = iota
	clV2
	clV3
	clV4
	clV5
	clV6
	clV7
	clS1
	clS2
	clT1
	clI1
	clU1
)

func (c *contract) has(cl int) bool { return c.clauses&(1<<cl) != 0 }

// outsourcing reports whether a contract hands information to a vendor, so
// must carry the security clauses.
func (c *contract) outsourcing() bool {
	return c.kind == "outsourcing" || c.kind == "development" || c.kind == "maintenance" || c.kind == "cloud"
}

func (w *world) buildContracts(o *org) {
	if o.nSys == 0 {
		return
	}
	r := w.rng(o.code, stContracts)

	seq := 0
	add := func(c contract) *contract {
		seq++
		c.code = o.code + "-K" + pad(seq, 4)
		c.org = int32(o.idx)
		c.vendor = pick(r, w.vendors)
		c.conformity, c.specReview, c.secReq = true, true, true
		if c.outsourcing() {
			c.clauses = 1<<clV1 | 1<<clV2 | 1<<clV3 | 1<<clV4 | 1<<clV5 | 1<<clV6 | 1<<clV7 | 1<<clT1
			c.verifSpecified, c.verified = true, true
			c.subcontracted = chance(r, 0.4)
			if c.subcontracted {
				c.subApprove = true
				c.clauses |= 1<<clS1 | 1<<clS2
			}
		}
		if c.kind == "cloud" {
			c.clauses |= 1 << clI1
			c.cloudApproved = true
		}
		w.contracts = append(w.contracts, c)
		return &w.contracts[len(w.contracts)-1]
	}
	for i := o.sysLo; i < o.sysHi; i++ {
		s := &w.systems[i]
		need := !s.inRegister && (s.discovered == "contract" || s.discovered == "payment")
		c := contract{cloud: -1, project: s.project, start: noDay}
		switch {
		case s.status == "retired":
			continue
		case s.status == "planned" && (need || chance(r, 0.8)):
			c.kind = "development"
			c.title = s.name + " 設計・開発業務"
			c.start = day(-between(r, 30, 500))
			c.end = c.start + day(between(r, 300, 900))
		case s.hosting != "onpremises" && s.cloud >= 0 && (need || chance(r, 0.85)):
			c.kind = "cloud"
			c.cloud = s.cloud
			c.title = s.name + " クラウドサービス利用（" + w.clouds[s.cloud].name + "）"
		case s.def.fleet && chance(r, 0.7):
			c.kind = "lease"
			c.title = s.name + " 賃貸借"
		case s.def.office != "" && chance(r, 0.5):
			c.kind = "purchase"
			c.title = s.name + " 購入"
		case need || chance(r, 0.38):
			c.kind = pick(r, []string{"maintenance", "maintenance", "outsourcing"})
			if c.kind == "maintenance" {
				c.title = s.name + " 運用保守業務"
			} else {
				c.title = s.name + " 運用支援業務委託"
			}
		default:
			continue
		}
		if c.start == noDay {
			c.start = day(-between(r, 60, 1600))
			if need {
				// An unregistered system's contract has been paid for at least
				// one completed fiscal year: that payment is the evidence.
				c.start = min(c.start, -400)
			}
			c.end = c.start + day(365*between(r, 1, 5)-1)
		}
		c.title = nendo(w.fyOf(c.start)) + " " + c.title
		c.systems = []int32{int32(i)}
		// Some contracts cover the neighbouring system too (一括調達).
		if i+1 < o.sysHi && w.systems[i+1].status == "operating" && chance(r, 0.12) {
			c.systems = append(c.systems, int32(i+1))
		}
		years := int64(max(1, w.fyOf(c.end)-w.fyOf(c.start)+1))
		c.total = years * roundYen(w.costBase(o, s, r))
		add(c)
	}
	// Local governments contract an incident-support vendor (LG-12).
	if o.local {
		c := contract{kind: "outsourcing", title: "情報セキュリティインシデント対応支援業務", cloud: -1, project: -1,
			start: day(-between(r, 100, 360))}
		c.end = c.start + day(364)
		c.title = nendo(w.fyOf(c.start)) + " " + c.title
		c.total = roundYen(float64(between(r, 2, 12)) * 1e6)
		for i := o.sysLo; i < o.sysHi; i++ {
			if w.systems[i].def.infra {
				c.systems = []int32{int32(i)}
				break
			}
		}
		add(c).clauses |= 1 << clU1
	}
}

// fyOf returns the fiscal year a day falls in.
func (w *world) fyOf(d day) int {
	t := w.dates.time(d)
	if t.Month() >= 4 {
		return t.Year()
	}
	return t.Year() - 1
}

// costBase is a system's yearly running cost in yen, by organization kind.
func (w *world) costBase(o *org, s *system, r *rand.Rand) float64 {
	lo, hi := 2e6, 4e7
	switch {
	case s.def.office != "":
		lo, hi = 3e5, 3e6
	case o.central:
		lo, hi = 1e7, 6e8
	case o.kind == "prefecture":
		lo, hi = 5e6, 2e8
	}
	return lo * math.Pow(hi/lo, r.Float64())
}

// roundYen rounds to thousands of yen, as budget figures are.
func roundYen(x float64) int64 { return int64(x/1000) * 1000 }

func (w *world) markContractDefects() {
	cs := w.contracts
	sel := func(keep func(*contract) bool) []int {
		var out []int
		for i := range cs {
			if keep(&cs[i]) {
				out = append(out, i)
			}
		}
		return out
	}
	apply := func(name string, idx []int, rate float64, set func(c *contract, r *rand.Rand)) {
		r := w.rng(name, stDetail)
		weights := make([]float64, len(idx))
		for i, j := range idx {
			weights[i] = w.contractWeight(&cs[j])
		}
		for i, on := range w.quotaWeighted(name, weights, rate) {
			if on {
				set(&cs[idx[i]], r)
			}
		}
	}
	outs := sel(func(c *contract) bool { return c.outsourcing() && !c.has(clU1) })
	apply("vendor7", outs, rateVendor7Missing, func(c *contract, r *rand.Rand) {
		// V6 (verification) is the most often missing item in seed 001's
		// account, so it is dropped first, then one or two others.
		n := between(r, 1, 3)
		for _, v := range r.Perm(7)[:n] {
			c.clauses &^= 1 << v
		}
		if !c.has(clV6) {
			c.verifSpecified, c.verified = false, false
		}
	})
	apply("verification-not-done", sel(func(c *contract) bool { return c.verifSpecified }), rateVerificationNotDone,
		func(c *contract, r *rand.Rand) { c.verified = false })
	subs := sel(func(c *contract) bool { return c.subcontracted })
	apply("subcontract-clause", subs, rateSubcontractClauseMissing, func(c *contract, r *rand.Rand) {
		switch r.IntN(3) {
		case 0:
			c.clauses &^= 1 << clS1
		case 1:
			c.clauses &^= 1 << clS2
		default:
			c.clauses &^= 1<<clS1 | 1<<clS2
		}
	})
	apply("subcontract-unapproved", subs, rateSubcontractUnapproved, func(c *contract, r *rand.Rand) { c.subApprove = false })
	apply("takeout", outs, rateTakeoutMissing, func(c *contract, r *rand.Rand) { c.clauses &^= 1 << clT1 })
	apply("conformity", outs, rateNoConformityCheck, func(c *contract, r *rand.Rand) { c.conformity = false })
	apply("spec-review", outs, rateNoSpecReview, func(c *contract, r *rand.Rand) { c.specReview = false })
	apply("contract-sec-req", outs, rateSecReqUndefined, func(c *contract, r *rand.Rand) { c.secReq = false })
	clouds := sel(func(c *contract) bool { return c.kind == "cloud" })
	apply("cloud-unapproved", clouds, rateCloudUnapproved, func(c *contract, r *rand.Rand) { c.cloudApproved = false })
	apply("cloud-ismap-clause", clouds, rateCloudNoISMAPClause, func(c *contract, r *rand.Rand) { c.clauses &^= 1 << clI1 })
	apply("contract-outside-project", sel(func(c *contract) bool { return c.project >= 0 }), rateOutsideProject,
		func(c *contract, r *rand.Rand) { c.project = -1 })
}

// ---- organization defects ----

func (w *world) markOrgDefects() {
	bodies := w.bodies
	pickOrgs := func(name string, idx []int, rate float64, set func(o *org, r *rand.Rand)) {
		r := w.rng(name, stDetail)
		for i, on := range w.quota(name, len(idx), rate) {
			if on {
				set(w.orgs[idx[i]], r)
			}
		}
	}
	count := func(name string, idx []int, k int, set func(o *org)) {
		k = min(k, len(idx))
		for _, i := range w.rng(name, stQuota).Perm(len(idx))[:k] {
			set(w.orgs[idx[i]])
		}
	}
	// The national counts are the seed's; the smaller scales get one.
	scaled := func(k int) int {
		if w.scale != National {
			return 1
		}
		return k
	}
	count("no-education", bodies, scaled(orgsNoEducationPlan), func(o *org) { o.noEducation = true })
	for fy := range 3 {
		count("no-audit-"+strconv.Itoa(fy), bodies, scaled(orgsNoAuditPlan(fy)), func(o *org) { o.noAudit[fy] = true })
	}
	var bodyFY []int // body index × 3 + fiscal-year index
	for _, b := range bodies {
		for fy := range 3 {
			bodyFY = append(bodyFY, b*3+fy)
		}
	}
	for i, on := range w.quota("no-self-inspection", len(bodyFY), rateNoSelfInspectionPlan) {
		if on {
			w.orgs[bodyFY[i]/3].noSelfInspection[bodyFY[i]%3] = true
		}
	}
	var oop []int
	for i, on := range w.quota("out-of-plan", len(bodyFY), rateOutOfPlanAudit) {
		if on {
			w.orgs[bodyFY[i]/3].outOfPlan[bodyFY[i]%3] = true
			oop = append(oop, bodyFY[i])
		}
	}
	for i, on := range w.quota("out-of-plan-unshared", len(oop), rateOutOfPlanUnshared) {
		if on {
			w.orgs[oop[i]/3].outOfPlanUnshared[oop[i]%3] = true
		}
	}
	pickOrgs("no-crisis", bodies, rateNoCrisisPlan, func(o *org, r *rand.Rand) { o.noCrisis = true })
	pickOrgs("role-missing", bodies, rateRoleMissing, func(o *org, r *rand.Rand) {
		o.roleMissing = pick(r, []string{"ciso", "chief_security_officer", "audit_officer"})
	})
	var mins, locals []int
	for _, b := range bodies {
		switch {
		case w.orgs[b].kind == "ministry":
			mins = append(mins, b)
		case w.orgs[b].local:
			locals = append(locals, b)
		}
	}
	pickOrgs("no-advisor", mins, rateNoAdvisor, func(o *org, r *rand.Rand) { o.noAdvisor = true })
	flags := []struct {
		name string
		rate float64
		set  func(o *org)
	}{
		{"fallback", rateFallbackPasswordOrg, func(o *org) { o.fallback = true }},
		{"shared-auth", rateSharedAuthOrg, func(o *org) { o.sharedAuth = true }},
		{"no-encryption", rateNoEncryptionOrg, func(o *org) { o.noEncryption = true }},
		{"mail-unsanitized", rateMailNotSanitizedOrg, func(o *org) { o.mailUnsanitized = true }},
		{"unrestricted-flow", rateUnrestrictedFlowOrg, func(o *org) { o.unrestrictedFlow = true }},
		{"mynumber-internet", rateMyNumberInternetOrg, func(o *org) { o.myNumberInternet = true }},
		{"no-incident-support", rateNoIncidentSupportOrg, func(o *org) { o.noIncidentSupport = true }},
		{"no-policy", rateNoPolicyOrg, func(o *org) { o.noPolicy = true }},
		{"stale-policy", rateStalePolicyOrg, func(o *org) { o.stalePolicy = true }},
		{"csirt-undocumented", rateCSIRTUndocumentedOrg, func(o *org) { o.csirtUndocumented = true }},
	}
	for _, f := range flags {
		pickOrgs(f.name, locals, f.rate, func(o *org, r *rand.Rand) { f.set(o) })
	}
	// Incident-support agreements live in the contract too: without one the
	// U1 clause is missing.
	for _, b := range locals {
		o := w.orgs[b]
		if !o.noIncidentSupport {
			continue
		}
		for i := o.conLo; i < o.conHi; i++ {
			w.contracts[i].clauses &^= 1 << clU1
		}
	}
}

// ---- project defects ----

func (w *world) markProjectDefects() {
	ps := w.projects
	all := make([]int, len(ps))
	for i := range all {
		all[i] = i
	}
	apply := func(name string, idx []int, rate float64, set func(p *project)) {
		for i, on := range w.quota(name, len(idx), rate) {
			if on {
				set(&ps[idx[i]])
			}
		}
	}
	apply("project-no-plan", all, rateProjectNoPlanDoc, func(p *project) { p.planDoc = noDay })
	apply("no-demand-survey", all, rateNoDemandSurvey, func(p *project) { p.demand = false })
	apply("no-usage-estimate", all, rateNoUsageEstimate, func(p *project) { p.usage = false })
	apply("no-cost-effectiveness", all, rateNoCostEffectiveness, func(p *project) { p.costEf = false })
	var live []int
	for i := range ps {
		if ps[i].stage == 4 && ps[i].goLive < -365 {
			live = append(live, i)
		}
	}
	apply("unused-capability", live, rateUnusedCapability, func(p *project) { p.util = int(-p.goLive) % 5 })
}
