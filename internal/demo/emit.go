package demo

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"mamori"
)

// chunkRecords bounds how many records are handed to the store at once, and
// so how many exist at a time.
const chunkRecords = 10000

// putter is what the generator needs of a *store.Loader; benchmarks of the
// generator alone pass one that discards.
type putter interface {
	Put(e *mamori.Entity, recs []mamori.Record) error
}

// sink collects records of one entity and hands them to the loader in
// chunks. Record slices are carved out of one reusable backing array: the
// loader has consumed a chunk when Put returns, so the memory is reused.
type sink struct {
	ctx  context.Context
	l    putter
	e    *mamori.Entity
	n    int
	flat []any
	recs []mamori.Record
	err  error
}

func newSink(ctx context.Context, l putter, e *mamori.Entity) *sink {
	return &sink{ctx: ctx, l: l, e: e, n: len(e.Fields)}
}

// next returns a cleared record to fill. The previous record is complete by
// the time next is called again.
func (s *sink) next() mamori.Record {
	if len(s.recs) == chunkRecords {
		s.flush()
	}
	i := len(s.recs)
	if (i+1)*s.n > len(s.flat) {
		// Grow geometrically up to one chunk, so small entities stay small.
		grown := make([]any, min(chunkRecords, max(64, 2*(i+1)))*s.n)
		copy(grown, s.flat)
		s.flat = grown
		for j := range s.recs {
			s.recs[j] = s.flat[j*s.n : (j+1)*s.n : (j+1)*s.n]
		}
	}
	r := mamori.Record(s.flat[i*s.n : (i+1)*s.n : (i+1)*s.n])
	clear(r)
	s.recs = append(s.recs, r)
	return r
}

func (s *sink) flush() {
	if s.err == nil && len(s.recs) > 0 {
		if err := s.ctx.Err(); err != nil {
			s.err = err
		} else {
			s.err = s.l.Put(s.e, s.recs)
		}
	}
	s.recs = s.recs[:0]
}

func (s *sink) close() error {
	s.flush()
	return s.err
}

// col returns the position of a column; a missing one is a programming
// error that the tests catch on the first run.
func (s *sink) col(name string) int {
	i := s.e.FieldIndex(name)
	if i < 0 {
		panic(fmt.Sprintf("demo: %s has no column %s", s.e.Name, name))
	}
	return i
}

// emit writes the model to the loader, entity by entity in the register's
// load order.
func (w *world) emit(ctx context.Context, l putter) error {
	for _, e := range mamori.Entities {
		if e.Reference {
			continue // seeded by migrate with the defaults the demo uses
		}
		fn := w.emitter(e.Name)
		if fn == nil {
			return fmt.Errorf("demo: no generator for entity %s", e.Name)
		}
		s := newSink(ctx, l, e)
		fn(s)
		if err := s.close(); err != nil {
			return err
		}
	}
	return nil
}

// emitter returns the generator of an entity's records. An entity added to
// the register without one makes Generate fail rather than leave a table
// silently empty.
func (w *world) emitter(name string) func(*sink) {
	return map[string]func(*sink){
		"organizations": w.emitOrganizations, "people": w.emitPeople, "role_assignments": w.emitRoles,
		"projects": w.emitProjects, "cloud_services": w.emitClouds, "systems": w.emitSystems,
		"system_costs": w.emitCosts, "images": w.emitImages,
		"image_software": w.emitImageSoftware, "components": w.emitComponents, "accounts": w.emitAccounts,
		"component_software": w.emitComponentSoftware,
		"contracts":          w.emitContracts, "contract_amounts": w.emitContractAmounts,
		"contract_clauses": w.emitContractClauses, "contract_systems": w.emitContractSystems,
		"contract_verifications": w.emitVerifications, "plans": w.emitPlans, "plan_systems": w.emitPlanSystems,
		"audits": w.emitAudits, "audit_findings": w.emitFindings, "log_sources": w.emitLogSources,
		"log_reviews": w.emitLogReviews, "access_reviews": w.emitAccessReviews, "network_flows": w.emitFlows,
		"export_exceptions": w.emitExports, "file_shares": w.emitShares, "project_reviews": w.emitProjectReviews,
		"budget_items": w.emitBudget, "survey_answers": w.emitSurveys, "incidents": w.emitIncidents,
		"system_sightings": w.emitSightings, "component_updates": w.emitUpdates, "subsidies": w.emitSubsidies,
		"plan_items": w.emitPlanItems, "investment_records": w.emitInvestmentRecords, "surveys": w.emitProjectSurveys, "budget_contracts": w.emitBudgetContracts, "capability_usage": w.emitUsage,
		"incident_systems": w.emitIncidentSystems, "incident_orgs": w.emitIncidentOrgs, "incident_declarations": w.emitDeclarations, "csirts": w.emitCSIRTs, "csirt_members": w.emitCSIRTMembers, "drills": w.emitDrills,
		"training_courses": w.emitTrainingCourses, "training_requirements": w.emitTrainingRequirements, "training_attendance": w.emitTrainingAttendance,
	}[name]
}

func (w *world) date(d day) any { return w.dates.get(d) }

// nendo names a fiscal year the way Japanese documents do: 令和N年度, with
// 元年 for the first year and 平成 before it. FY2019 began under 平成 but is
// written 令和元年度 in documents made after the era change.
func nendo(fy int) string {
	switch {
	case fy == 2019:
		return "令和元年度"
	case fy > 2019:
		return "令和" + strconv.Itoa(fy-2018) + "年度"
	}
	return "平成" + strconv.Itoa(fy-1988) + "年度"
}

// personCode returns the code of person i of organization o, or nil.
func personCode(o *org, i int32) any {
	if i < 0 || int(i) >= len(o.people) {
		return nil
	}
	return o.people[i].code
}

// leaver returns the index of a person of o who left or was transferred.
func leaver(o *org) int32 {
	for i := len(o.people) - 1; i >= 0; i-- {
		if o.people[i].status != "active" {
			return int32(i)
		}
	}
	return -1
}

func (w *world) bodyOf(o *org) *org {
	if o.body < 0 {
		return o
	}
	return w.orgs[o.body]
}

// ---- organizations, people, roles ----

func (w *world) emitOrganizations(s *sink) {
	code, parent, kind, name, en := s.col("code"), s.col("parent_code"), s.col("kind"), s.col("name"), s.col("name_en")
	est, rev, hard, model := s.col("policy_established_on"), s.col("policy_revised_on"), s.col("hardening_completed_on"), s.col("three_layer_model")
	csirt, support, enc, mail, cloud := s.col("csirt_documented"), s.col("incident_support_agreed"),
		s.col("export_encryption_enforced"), s.col("mail_sanitized"), s.col("security_cloud_joined")
	training := s.col("outsourcing_training")
	for _, o := range w.orgs {
		r := w.rng(o.code, stOrgRecord)
		rec := s.next()
		// About 70% of ministries and municipalities trained their staff on
		// outsourcing, the better run ones more often (buildGovernance).
		if o.answered {
			rec[training] = o.trained
		}
		rec[code], rec[kind], rec[name] = o.code, o.kind, o.name
		if o.parent != "" {
			rec[parent] = o.parent
		}
		if o.en != "" {
			rec[en] = o.en
		}
		if !o.isBody() || o.kind == "government" {
			continue
		}
		// Every body writes a 対策基準; central government revised it for the
		// 令和5年度版 統一基準 (2023-07-04).
		established := w.dates.dayOf(2016+r.IntN(3), 4, 1) + day(r.IntN(300))
		revised := w.dates.dayOf(2023, 8, 1) + day(r.IntN(400))
		if o.local {
			// 強靱化 (the three-layer split) was completed by FY2017.
			hardened := w.dates.dayOf(2017, 7, 1) + day(r.IntN(270))
			rec[hard], rec[model] = w.date(min(hardened, -1)), o.model
			revised = hardened + day(between(r, 60, 2500))
			if o.stalePolicy {
				revised = hardened - day(between(r, 100, 500))
			}
			rec[support], rec[enc], rec[mail], rec[cloud] = !o.noIncidentSupport, !o.noEncryption, !o.mailUnsanitized, true
			w.localAnswers(o, r, rec, s, hardened)
		}
		rec[csirt] = !o.csirtUndocumented
		if !o.noPolicy {
			rec[est], rec[rev] = w.date(min(established, -1)), w.date(min(max(revised, established+30), -1))
		}
	}
}

// localAnswers records a local government's answers on the three-layer
// measures (seed 002). Offices leave some questions unanswered, as real
// returns do: a blank is 未確認 to the checks, and rateUnanswered sets how
// often.
func (w *world) localAnswers(o *org, r *rand.Rand, rec mamori.Record, s *sink, hardened day) {
	set := func(col string, v any) {
		if r.Float64() >= rateUnanswered {
			rec[s.col(col)] = v
		}
	}
	set("csirt_established", true)
	set("incident_support_needed", chance(r, 0.35) || o.noIncidentSupport)
	set("lgwan_split_on", w.date(min(hardened, -1)))
	set("attachments_sanitized", !o.mailUnsanitized || chance(r, 0.2))
	allowed := chance(r, 0.9) || o.noEncryption
	set("export_exceptions_allowed", allowed)
	if !allowed {
		return
	}
	set("export_unblock_by_admin", chance(r, 0.8))
	set("export_approval_enforced", chance(r, 0.6))
	set("export_approval_obtained", chance(r, 0.85))
	set("export_logs_kept", chance(r, 0.8))
	set("export_items_recorded", chance(r, 0.7))
	set("encrypted_media_used", !o.noEncryption || chance(r, 0.3))
	if o.kind == "prefecture" {
		set("security_cloud_dns_aggregated", chance(r, 0.95))
	}
}

func (w *world) emitPeople(s *sink) {
	code, org, name, email, status, left := s.col("code"), s.col("org_code"), s.col("name"), s.col("email"), s.col("status"), s.col("left_on")
	for _, o := range w.orgs {
		for i := range o.people {
			p := &o.people[i]
			r := s.next()
			r[code], r[org], r[name], r[email], r[status] = p.code, o.code, p.name, p.email, p.status
			r[left] = w.date(p.leftOn)
		}
	}
}

func (w *world) emitRoles(s *sink) {
	org, role, person, since := s.col("org_code"), s.col("role"), s.col("person_code"), s.col("since")
	for _, o := range w.orgs {
		if len(o.people) == 0 {
			continue
		}
		r := w.rng(o.code, stOrgRecord+100)
		add := func(ro string, i int32) {
			rec := s.next()
			rec[org], rec[role], rec[person] = o.code, ro, o.people[i].code
			rec[since] = w.date(day(-between(r, 30, 1500)))
			// A role held by someone who has since left keeps no end date: the
			// register was never updated.
		}
		if o.isBody() {
			for _, x := range []struct {
				role string
				p    int32
			}{{"ciso", pCISO}, {"chief_security_officer", pChief}, {"audit_officer", pAuditor}} {
				if o.roleMissing != x.role {
					add(x.role, x.p)
				}
			}
			add("csirt_member", pAdvisor)
			switch {
			case o.kind == "ministry":
				add("deputy_ciso", pManager)
				add("authorizer", pChief)
				if !o.noAdvisor {
					add("security_advisor", pAdvisor)
				}
				continue // its systems and their officers are in its units
			case o.local:
				add("security_manager", pManager)
			default:
				add("authorizer", pChief)
			}
		}
		add("security_officer", pManager)
		add("system_manager", pManager)
		// One row per distinct system officer and cloud manager.
		seenOff := make([]bool, len(o.people))
		seenMgr := make([]bool, len(o.people))
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if !sy.inRegister {
				continue
			}
			if off := w.officerOf(o, sy); off >= 0 && !seenOff[off] {
				seenOff[off] = true
				add("system_security_officer", off)
			}
			if sy.cloudMgr >= 0 && !seenMgr[sy.cloudMgr] {
				seenMgr[sy.cloudMgr] = true
				add("cloud_manager", sy.cloudMgr)
			}
		}
	}
}

// officerOf returns a system's security officer: its own, or a leaver for
// the systems whose officer has left.
func (w *world) officerOf(o *org, s *system) int32 {
	if s.has(fOfficerLeft) {
		return leaver(o)
	}
	return s.officer
}

// ---- projects, clouds, systems ----

func (w *world) emitProjects(s *sink) {
	code, org, name, planDoc := s.col("code"), s.col("org_code"), s.col("name"), s.col("plan_documented_on")
	demand, usage, cost := s.col("demand_surveyed"), s.col("usage_estimated"), s.col("cost_effectiveness_recorded")
	live, util, utilOn := s.col("go_live_on"), s.col("utilization_percent"), s.col("utilization_measured_on")
	for i := range w.projects {
		p := &w.projects[i]
		r := s.next()
		r[code], r[org], r[name] = p.code, w.orgs[p.org].code, p.name
		r[planDoc], r[demand], r[usage], r[cost] = w.date(p.planDoc), p.demand, p.usage, p.costEf
		r[live] = w.date(p.goLive)
		if p.util >= 0 {
			r[util], r[utilOn] = int64(p.util), w.date(p.utilOn)
		}
	}
}

func (w *world) emitClouds(s *sink) {
	code, prov, name, model, status := s.col("code"), s.col("provider"), s.col("name"), s.col("service_model"), s.col("ismap_status")
	reg, listed, valid := s.col("registration_number"), s.col("listed_on"), s.col("valid_until")
	for i := range w.clouds {
		c := &w.clouds[i]
		r := s.next()
		r[code], r[prov], r[name], r[model], r[status] = c.code, c.provider, c.name, c.model, c.status
		if c.reg != "" {
			r[reg] = c.reg
		}
		r[listed], r[valid] = w.date(c.listed), w.date(c.valid)
	}
}

func (w *world) emitSystems(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, name, sid, inReg, disc, class := c("code"), c("org_code"), c("name"), c("system_id"), c("in_register"), c("discovered_from"), c("class")
	section, officer, contact, config, ext := c("managing_section"), c("security_officer_code"), c("officer_contact"), c("configuration"), c("external_connections")
	conf, integ, avail, handling, dev, ops := c("confidentiality"), c("integrity"), c("availability"), c("handling_restrictions"), c("development_info"), c("operation_info")
	personal, specific, seg, hosting, cloud, mgr, loc := c("personal_info"), c("specific_personal_info"), c("network_segment"), c("hosting"), c("cloud_service_code"), c("cloud_manager_code"), c("data_location")
	important, itbcp, secReq, proj, status, live, retired := c("important_business"), c("itbcp_required"), c("security_requirements_defined"), c("project_code"), c("status"), c("go_live_on"), c("retired_on")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		rg := w.rng(o.code, stOrgRecord+200)
		conns := map[string][]string{}
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			r := s.next()
			r[code], r[org], r[name], r[inReg], r[disc], r[status] = sy.code, o.code, sy.name, sy.inRegister, sy.discovered, sy.status
			r[class] = "information_system"
			if sy.has(fOfficeFiled) {
				r[class] = "office_equipment"
			}
			if sy.systemID != "" {
				r[sid] = sy.systemID
			}
			if !sy.inRegister {
				continue // known only from its trail: nothing else is recorded
			}
			r[section], r[officer] = sy.section, personCode(o, w.officerOf(o, sy))
			if off := w.officerOf(o, sy); off >= 0 {
				if rg.IntN(2) == 0 {
					r[contact] = "内線" + pad(1000+rg.IntN(9000), 4)
				} else {
					r[contact] = o.people[off].email
				}
			}
			r[config] = pick(rg, configurationsOf(sy.def, sy.hosting))
			cs, ok := conns[sy.seg]
			if !ok {
				cs = connections(o.local, sy.seg)
				conns[sy.seg] = cs
			}
			r[ext] = pick(rg, cs)
			r[conf], r[integ], r[avail] = int64(sy.conf), int64(sy.integ), int64(sy.avail)
			if sy.conf >= 2 {
				r[handling] = pick(rg, handlingRestrictions)
			}
			if sy.goLive != noDay && sy.goLive <= 0 {
				r[dev] = nendo(w.fyOf(sy.goLive)) + " 設計・開発（" + sy.vendor + "）"
				r[ops] = "運用・保守: " + sy.vendor + "（" + pick(rg, []string{"平日9時〜18時", "24時間365日", "平日9時〜17時、オンサイト保守"}) + "）"
			} else {
				r[dev] = "設計・開発中（" + sy.vendor + "）"
				r[ops] = "運用開始前"
			}
			r[personal], r[specific], r[seg], r[hosting] = sy.personal, sy.seg == "mynumber", sy.seg, sy.hosting
			if sy.cloud >= 0 {
				r[cloud], r[mgr] = w.clouds[sy.cloud].code, personCode(o, sy.cloudMgr)
				r[loc] = pick(rg, dataLocations)
			}
			r[important], r[itbcp], r[secReq] = sy.important, sy.itbcpReq, sy.secReq
			if sy.project >= 0 {
				r[proj] = w.projects[sy.project].code
			}
			r[live], r[retired] = w.date(sy.goLive), w.date(sy.retired)
			switch sy.missingItem {
			case 2:
				r[section] = nil
			case 3:
				r[officer], r[contact] = nil, nil
			case 4:
				r[config] = nil
			case 5:
				r[ext] = nil
			case 6:
				r[conf], r[integ], r[avail], r[handling] = nil, nil, nil, nil
			case 7:
				r[dev], r[ops] = nil, nil
			case 8:
				r[cloud] = nil
			case 10:
				r[hosting] = nil
			case 11:
				r[mgr] = nil
			case 12:
				r[loc] = nil
			}
		}
	}
}

func (w *world) emitCosts(s *sink) {
	sysc, fyc, kind, amount := s.col("system_code"), s.col("fiscal_year"), s.col("kind"), s.col("amount")
	fys := w.costFYs()
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		r := w.rng(o.code, stCosts)
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if !sy.inRegister || sy.goLive == noDay {
				continue
			}
			base := w.costBase(o, sy, r)
			code := any(sy.code)
			for _, fy := range fys {
				start, end := w.dates.fyStart(fy), w.dates.fyEnd(fy)
				if sy.retired != noDay && sy.retired < start {
					continue
				}
				put := func(k string, yen float64) {
					rec := s.next()
					rec[sysc], rec[fyc], rec[kind], rec[amount] = code, int64(fy), k, roundYen(yen)
				}
				// Development is paid in the year of go-live, or the year before
				// for a system going live within the next year.
				if (sy.goLive >= start && sy.goLive <= end) || (sy.goLive > end && sy.goLive-end < 365) {
					put("development", base*(2+2*r.Float64()))
				}
				if sy.goLive <= end {
					put("operation", base*(0.9+0.2*r.Float64()))
					if chance(r, 0.1) {
						put("other", base*0.2*r.Float64()+100000)
					}
				}
			}
		}
	}
}

// ---- images and software ----

func (w *world) emitImages(s *sink) {
	code, org, name, built := s.col("code"), s.col("org_code"), s.col("name"), s.col("built_on")
	for _, o := range w.orgs {
		for i := range o.images {
			im := &o.images[i]
			r := s.next()
			r[code], r[org], r[name], r[built] = im.code, o.code, im.name, w.date(im.built)
		}
	}
}

// emitComponentSoftware gives the first server of some systems the
// application packages an SBOM of the system's own software would list
// (the rest of the installed software comes from the standard images).
func (w *world) emitComponentSoftware(s *sink) {
	comp, vendor, product, version, cpe, purl, src := s.col("component_code"), s.col("vendor"), s.col("product"), s.col("version"), s.col("cpe"), s.col("purl"), s.col("source")
	var buf []byte
	for i := range w.systems {
		if s.err != nil {
			return
		}
		sy := &w.systems[i]
		if sy.nServer == 0 || len(w.sw.app) == 0 {
			continue
		}
		r := w.rng(sy.code, stComponentSoftware)
		if r.Float64() >= shareSystemsWithSBOM {
			continue
		}
		buf = appendPad(append(append(buf[:0], sy.code...), pfxServer...), 1, 3)
		code := string(buf)
		eco := pick(r, w.sw.app)
		pool := w.sw.byEco[eco]
		n := min(between(r, 5, 25), len(pool))
		seen := make(map[string]bool, n)
		for tries := 0; len(seen) < n && tries < 10*n; tries++ {
			row := &w.sw.rows[pick(r, pool)]
			if seen[row.key] {
				continue
			}
			seen[row.key] = true
			rec := s.next()
			rec[comp], rec[vendor], rec[product], rec[version], rec[cpe], rec[purl] = code, row.vendor, row.product, row.version, row.cpe, row.purl
			rec[src] = "sbom-" + strings.ToLower(sy.code) + ".cdx.json"
		}
	}
}

// shareSystemsWithSBOM is the share of systems with servers whose first
// server carries an SBOM of the system's own application.
const shareSystemsWithSBOM = 0.3

// emitImageSoftware fills each standard image with what its role carries,
// as a government's standard images do: a staff terminal has a client OS,
// an office suite and a browser (sometimes a second one); a Windows server
// has its OS and Windows middleware (IIS, .NET, SQL Server); a Linux server
// has one distribution's packages and the middleware installed on it.
// Language packages (npm, Go, Maven…) belong to applications, which the
// systems' own SBOMs list (emitComponentSoftware), one ecosystem each.
func (w *world) emitImageSoftware(s *sink) {
	img, vendor, product, version, cpe, purl := s.col("image_code"), s.col("vendor"), s.col("product"), s.col("version"), s.col("cpe"), s.col("purl")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		for i := range o.images {
			im := &o.images[i]
			r := w.rng(im.code, stSoftware)
			seen := map[string]bool{} // products
			put := func(class string, n int) {
				pool := w.sw.byEco[class]
				for tries := 0; n > 0 && tries < 10*len(pool)+10; tries++ {
					row := &w.sw.rows[pick(r, pool)]
					if seenProduct(seen, row) { // one version of a product per image
						continue
					}
					seen[row.product.(string)] = true
					n--
					rec := s.next()
					rec[img], rec[vendor], rec[product], rec[version], rec[cpe], rec[purl] = im.code, row.vendor, row.product, row.version, row.cpe, row.purl
				}
			}
			switch {
			case im.seg != "": // a staff terminal
				put("client-os", 1)
				put("office", 1)
				put("browser", 1+r.IntN(2))
			case im.windows:
				put("server-os", 1)
				put("windows-middleware", between(r, 1, 3))
			default:
				put(pick(r, w.sw.os), between(r, 8, 40))
				put("middleware", between(r, 1, 2))
			}
		}
	}
}

// seenProduct reports whether an image already has a version of row's
// product: an image installs one version of a package.
func seenProduct(seen map[string]bool, row *swRow) bool {
	return seen[row.product.(string)]
}

// ---- components ----

// Component code prefixes by kind; a component's code is its system's code,
// the prefix and a sequence number, so other entities can name one.
const (
	pfxServer   = "-SV"
	pfxTerminal = "-T"
	pfxNetwork  = "-NW"
	pfxAppl     = "-AP"
	pfxStorage  = "-ST"
	pfxMFP      = "-MF"
	pfxRecorder = "-RC"
)

func componentCode(s *system, pfx string, n int) string {
	width := 3
	if pfx == pfxTerminal {
		width = 5
	}
	return s.code + pfx + pad(n, width)
}

func serverName(role string) string {
	switch role {
	case "web":
		return "Webサーバ"
	case "dns":
		return "DNSサーバ"
	case "mail":
		return "メールサーバ"
	case "database":
		return "DBサーバ"
	case "application":
		return "APサーバ"
	case "gateway":
		return "ゲートウェイサーバ"
	}
	return "管理サーバ"
}

// hostSuffix is the lower-case form of a component code prefix, for hostnames.
func hostSuffix(pfx string) string {
	switch pfx {
	case pfxServer:
		return "-sv"
	case pfxTerminal:
		return "-t"
	case pfxNetwork:
		return "-nw"
	case pfxAppl:
		return "-ap"
	case pfxStorage:
		return "-st"
	case pfxMFP:
		return "-mf"
	}
	return "-rc"
}

func (w *world) emitComponents(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, sysc, kind, name, host, img, seg, role := c("code"), c("system_code"), c("kind"), c("name"), c("hostname"), c("image_code"), c("network_segment"), c("server_role")
	patched, av, twoFA, fallback, shared, defPw := c("patched_on"), c("av_definitions_on"), c("second_factor"), c("fallback_password_preset"), c("shared_auth_means"), c("default_password")
	export, storesPI, localSPI, networked, inCloud, monitored := c("export_blocking"), c("stores_personal_info"), c("local_specific_personal_info"), c("networked"), c("in_security_cloud"), c("monitored")
	var buf []byte
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		r := w.rng(o.code, stComponents)
		linux, windows := serverImage(o, false), serverImage(o, true)
		imgCode := make([]any, len(o.images))
		for i := range o.images {
			imgCode[i] = o.images[i].code
		}
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if sy.components() == 0 {
				continue
			}
			sysCode, segV := any(sy.code), any(sy.seg)
			hostPrefix := strings.ToLower(strings.ReplaceAll(sy.code, "-", ""))
			lgwanStale := sy.has(fLGWANStale)
			lgwan := sy.seg == "lgwan"
			patch := func() any {
				switch x := r.Float64(); {
				case lgwanStale && x < 0.7:
					return w.date(day(-between(r, 32, 200)))
				case lgwan:
					// LGWAN-zone equipment outside the planted systems is
					// kept within VUL-04's month.
					return w.date(day(-r.IntN(31)))
				case x < rateStalePatch:
					return w.date(day(-between(r, 91, 400)))
				case x < 0.10:
					return w.date(day(-between(r, 31, 90)))
				}
				return w.date(day(-r.IntN(31)))
			}
			avDate := func() any {
				switch x := r.Float64(); {
				case lgwanStale && x < 0.7:
					return w.date(day(-between(r, 32, 200)))
				case x < 0.05:
					return w.date(day(-between(r, 4, 30)))
				}
				return w.date(day(-r.IntN(4)))
			}
			put := func(pfx string, n int, k string) mamori.Record {
				rec := s.next()
				buf = append(buf[:0], sy.code...)
				buf = append(buf, pfx...)
				width := 3
				if pfx == pfxTerminal {
					width = 5
				}
				buf = appendPad(buf, n, width)
				rec[code] = string(buf)
				buf = append(buf[:0], hostPrefix...)
				buf = append(buf, hostSuffix(pfx)...)
				buf = appendPad(buf, n, width)
				rec[host] = string(buf)
				rec[sysc], rec[kind], rec[seg], rec[networked] = sysCode, k, segV, true
				return rec
			}
			webDNS := o.local && (sy.def.role == "web" || sy.def.role == "dns") && sy.seg == "internet"
			for n := 1; n <= int(sy.nServer); n++ {
				rec := put(pfxServer, n, "server")
				rec[name], rec[role] = serverName(sy.def.role), sy.def.role
				if windows >= 0 && r.Float64() < 0.4 {
					rec[img] = imgCode[windows]
				} else if linux >= 0 {
					rec[img] = imgCode[linux]
				}
				rec[patched], rec[av], rec[defPw] = patch(), avDate(), chance(r, rateDefaultPassword)
				if lgwan {
					// The update history of LGWAN-zone servers (VUL-04 reads it).
					w.lgwanServers = append(w.lgwanServers, updated{rec[code].(string), rec[patched].(string)})
				}
				if webDNS {
					rec[inCloud], rec[monitored] = !sy.has(fOutsideCloud), !sy.has(fUnmonitored)
				}
			}
			cur, old := termImages(o, sy.seg)
			for n := 1; n <= int(sy.nTerm); n++ {
				// Terminals go by asset number and hostname, not by name: a
				// fleet of thousands of identical ones has none worth recording.
				rec := put(pfxTerminal, n, "terminal")
				switch {
				case old >= 0 && r.Float64() < 0.2:
					rec[img] = imgCode[old]
				case cur >= 0:
					rec[img] = imgCode[cur]
				}
				rec[patched], rec[av], rec[defPw] = patch(), avDate(), false
				switch sy.seg {
				case "mynumber":
					has2FA := !(sy.has(fNo2FA) && chance(r, rateNoSecondFactorTerminal))
					rec[twoFA] = has2FA
					rec[fallback] = o.fallback && has2FA && chance(r, rateFallbackTerminal)
					rec[shared] = o.sharedAuth && chance(r, rateSharedAuthTerminal)
					rec[export] = !(sy.has(fNoExportBlock) && chance(r, rateNoExportBlockingTerminal))
					rec[localSPI] = chance(r, rateLocalSPI)
					rec[storesPI] = false
				case "lgwan", "government":
					rec[twoFA], rec[shared] = chance(r, 0.6), false
				}
			}
			for n := 1; n <= int(sy.nNet); n++ {
				rec := put(pfxNetwork, n, "network_device")
				rec[name], rec[patched], rec[defPw] = pick(r, networkDeviceNames), patch(), chance(r, rateDefaultPassword)
			}
			for n := 1; n <= int(sy.nAppl); n++ {
				rec := put(pfxAppl, n, "appliance")
				rec[name], rec[role], rec[patched], rec[defPw] = pick(r, applianceNames), "gateway", patch(), chance(r, rateDefaultPassword)
			}
			for n := 1; n <= int(sy.nStorage); n++ {
				rec := put(pfxStorage, n, "storage")
				rec[name], rec[patched], rec[defPw] = "ストレージ（NAS）", patch(), false
			}
			for n := 1; n <= int(sy.nMFP); n++ {
				rec := put(pfxMFP, n, "mfp")
				rec[name], rec[patched], rec[storesPI], rec[defPw] = "複合機", patch(), false, chance(r, rateDefaultPassword)
			}
			for n := 1; n <= int(sy.nRec); n++ {
				rec := put(pfxRecorder, n, "recorder")
				rec[name], rec[storesPI] = "通話録音装置", true
				switch {
				case sy.has(fOfficePersonal):
					// Filed as office equipment, so never patched (seed 003).
					rec[patched] = w.date(day(-between(r, 900, 2500)))
				case sy.has(fOfficeFiled):
					rec[storesPI], rec[networked] = false, false
				default:
					rec[patched] = patch()
				}
			}
		}
	}
}

// ---- accounts ----

func (w *world) emitAccounts(s *sink) {
	sysc, name, person, priv, shared, enabled := s.col("system_code"), s.col("name"), s.col("person_code"), s.col("privileged"), s.col("shared"), s.col("enabled")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		r := w.rng(o.code, stAccounts)
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if !sy.operatingInfo() || sy.def.fleet {
				continue
			}
			rec := s.next()
			rec[sysc], rec[name], rec[priv], rec[enabled] = sy.code, pick(r, []string{"admin", "sysadmin", "root", "administrator"}), true, true
			if sy.has(fSharedAdmin) {
				rec[shared] = true
			} else {
				rec[shared], rec[person] = false, o.people[pManager].code
			}
			if !sy.has(fLeaverEnabled) && !chance(r, 0.45) {
				continue
			}
			p := activePerson(r, o, pFirstOff)
			if sy.has(fLeaverEnabled) {
				p = leaver(o)
			} else if chance(r, 0.1) {
				// A leaver whose account was properly disabled: the negative case.
				p = leaver(o)
			}
			rec = s.next()
			rec[sysc], rec[name], rec[person], rec[priv], rec[shared] = sy.code, "u"+strings.ToLower(strings.ReplaceAll(o.people[p].code, "-", "")), o.people[p].code, false, false
			rec[enabled] = o.people[p].status == "active" || sy.has(fLeaverEnabled)
		}
	}
}

// ---- contracts ----

func (w *world) emitContracts(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, kind, title, vendor, start, end, total := c("code"), c("org_code"), c("kind"), c("title"), c("vendor"), c("start_on"), c("end_on"), c("total_amount")
	multi, verif, sub, subOn, cloud, appBy, appOn := c("multi_year"), c("verification_specified"), c("subcontracted"), c("subcontract_approved_on"), c("cloud_service_code"), c("cloud_approved_by"), c("cloud_approved_on")
	conf, spec, secReq, proj := c("conformity_checked_on"), c("spec_reviewed_on"), c("security_requirements_defined"), c("project_code")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		body := w.bodyOf(o)
		for i := o.conLo; i < o.conHi; i++ {
			k := &w.contracts[i]
			// Dates before the start are a fixed distance from it, drawn from
			// the contract's position so each contract's record stands alone.
			lead := day(20 + (i*37)%100)
			r := s.next()
			r[code], r[org], r[kind], r[title], r[vendor] = k.code, o.code, k.kind, k.title, k.vendor
			r[start], r[end], r[total] = w.date(k.start), w.date(k.end), k.total
			r[multi] = w.fyOf(k.end) > w.fyOf(k.start)
			if k.outsourcing() {
				r[verif], r[sub] = k.verifSpecified, k.subcontracted
				if k.subcontracted && k.subApprove {
					r[subOn] = w.date(min(k.start+lead/2, -1))
				}
				if k.conformity {
					r[conf] = w.date(k.start - 2*lead)
				}
				if k.specReview {
					r[spec] = w.date(k.start - lead)
				}
			} else if k.conformity {
				r[conf] = w.date(k.start - lead) // 適合性確認 applies to purchases and leases too (seed 003)
			}
			r[secReq] = k.secReq
			if k.cloud >= 0 {
				r[cloud] = w.clouds[k.cloud].code
				if k.cloudApproved {
					r[appBy], r[appOn] = body.people[pChief].code, w.date(k.start-lead/2)
				}
			}
			if k.project >= 0 {
				r[proj] = w.projects[k.project].code
				r[s.col("plan_item_code")] = w.planItemOf(k.project)
			}
		}
	}
}

func (w *world) emitContractAmounts(s *sink) {
	con, fyc, amount, paid := s.col("contract_code"), s.col("fiscal_year"), s.col("amount"), s.col("paid")
	for i := range w.contracts {
		k := &w.contracts[i]
		first, last := w.fyOf(k.start), w.fyOf(k.end)
		years := int64(last - first + 1)
		for fy := max(first, w.curFY-4); fy <= min(last, w.curFY); fy++ {
			r := s.next()
			r[con], r[fyc], r[amount] = k.code, int64(fy), roundYen(float64(k.total/years))
			if fy < w.curFY {
				r[paid] = r[amount]
			}
		}
		if s.err != nil {
			return
		}
	}
}

func (w *world) emitContractClauses(s *sink) {
	con, cl := s.col("contract_code"), s.col("clause_code")
	for i := range w.contracts {
		k := &w.contracts[i]
		for b, d := range clauseDefs {
			if k.has(b) {
				r := s.next()
				r[con], r[cl] = k.code, d.Code
			}
		}
		if s.err != nil {
			return
		}
	}
}

func (w *world) emitContractSystems(s *sink) {
	con, sysc := s.col("contract_code"), s.col("system_code")
	for i := range w.contracts {
		k := &w.contracts[i]
		for _, si := range k.systems {
			r := s.next()
			r[con], r[sysc] = k.code, w.systems[si].code
		}
	}
}

func (w *world) emitVerifications(s *sink) {
	con, on, who, result := s.col("contract_code"), s.col("verified_on"), s.col("verifier"), s.col("result")
	for _, o := range w.orgs {
		r := w.rng(o.code, stContracts+100)
		for i := o.conLo; i < o.conHi; i++ {
			k := &w.contracts[i]
			if !k.outsourcing() || !k.verifSpecified || !k.verified {
				continue
			}
			last := min(k.end, -1)
			d := min(k.start+day(between(r, 60, 200)), last)
			for n := 0; n < 2 && d <= last; n++ {
				rec := s.next()
				rec[con], rec[on] = k.code, w.date(d)
				rec[who] = pick(r, []string{"監督職員", "検査職員", "情報システム担当"})
				rec[result] = "conforming"
				if chance(r, 0.15) {
					rec[result] = "issues"
				}
				d += day(between(r, 150, 300))
			}
		}
	}
}

// ---- plans and audits ----

var planKinds = []struct{ kind, abbr, title string }{
	{"education", "EDU", "情報セキュリティ教育実施計画"},
	{"audit", "AUD", "情報セキュリティ監査実施計画"},
	{"self_inspection", "SIN", "情報セキュリティ対策自己点検計画"},
	{"itbcp", "BCP", "情報システム運用継続計画（IT-BCP）"},
	{"emergency", "EMG", "情報セキュリティインシデント緊急時対応計画"},
	{"crisis", "CRS", "危機的事象発生時の対策"},
	{"vulnerability", "VUL", "ぜい弱性対策計画"},
}

func planCode(o *org, fy int, abbr string) string {
	return o.code + "-PL" + strconv.Itoa(fy) + "-" + abbr
}

// hasPlan says whether a body made a plan of a kind in plan year fi.
func (w *world) hasPlan(o *org, fi int, kind string) bool {
	switch kind {
	case "education":
		return !o.noEducation
	case "audit":
		return !o.noAudit[fi]
	case "self_inspection":
		return !o.noSelfInspection[fi]
	case "crisis":
		return !o.noCrisis
	case "vulnerability":
		// Made when unpatched software needs one: a third of the bodies a year.
		return splitmix(uint64(o.idx)*3+uint64(fi)^w.seed)%3 == 0
	}
	return true
}

func (w *world) emitPlans(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, fyc, kind, title, appr, rev := c("code"), c("org_code"), c("fiscal_year"), c("kind"), c("title"), c("approved_on"), c("reviewed_on")
	rto, proc, targeted, drill := c("has_recovery_objectives"), c("has_procedures"), c("covers_targeted_attacks"), c("last_drill_on")
	for _, b := range w.bodies {
		o := w.orgs[b]
		r := w.rng(o.code, stPlans)
		for fi, fy := range w.planFYs() {
			start := w.dates.fyStart(fy)
			for _, pk := range planKinds {
				if !w.hasPlan(o, fi, pk.kind) {
					continue
				}
				rec := s.next()
				rec[code], rec[org], rec[fyc], rec[kind] = planCode(o, fy, pk.abbr), o.code, int64(fy), pk.kind
				rec[title] = nendo(fy) + " " + pk.title
				approved := start + day(r.IntN(75))
				rec[appr] = w.date(approved)
				switch pk.kind {
				case "itbcp":
					rec[rto], rec[proc] = true, true
					rec[rev], rec[drill] = w.date(approved+day(between(r, 150, 320))), w.date(approved+day(between(r, 60, 300)))
					if chance(r, rateITBCPIncomplete) {
						switch r.IntN(4) {
						case 0:
							rec[rto] = false
						case 1:
							rec[proc] = false
						case 2:
							rec[drill] = nil
						default:
							rec[rev] = nil
						}
					}
				case "emergency":
					rec[proc], rec[targeted] = true, !chance(r, rateEmergencyNoTargeted)
					if !chance(r, rateEmergencyNoDrill) {
						rec[drill] = w.date(approved + day(between(r, 60, 300)))
						w.drills = append(w.drills, demoDrill{plan: rec[code].(string), org: o, fy: fy, held: rec[drill], targeted: rec[targeted] == true})
					}
				case "crisis":
					rec[proc] = true
				}
			}
		}
	}
}

func (w *world) emitPlanSystems(s *sink) {
	plan, sysc := s.col("plan_code"), s.col("system_code")
	for _, b := range w.bodies {
		o := w.orgs[b]
		for _, fy := range w.planFYs() {
			pc := any(planCode(o, fy, "BCP"))
			for _, m := range o.members {
				mo := w.orgs[m]
				for i := mo.sysLo; i < mo.sysHi; i++ {
					sy := &w.systems[i]
					if sy.inRegister && sy.itbcpReq && !sy.has(fNoITBCP) {
						r := s.next()
						r[plan], r[sysc] = pc, sy.code
					}
				}
			}
		}
		if s.err != nil {
			return
		}
	}
}

type audit struct {
	code, title, by, auditor string
	fy                       int
	outOfPlan, external      bool
	completed, shared        day
}

// auditsOf lists a body's audits in one plan year; audits and their findings
// are emitted separately, so the list is derived, never stored.
func (w *world) auditsOf(o *org, fi int) []audit {
	fy := w.planFYs()[fi]
	r := w.rng(o.code+"/"+strconv.Itoa(fy), stAudits)
	var out []audit
	start := w.dates.fyStart(fy)
	add := func(a audit) {
		a.code = o.code + "-AU" + strconv.Itoa(fy) + "-" + pad(len(out)+1, 2)
		a.fy = fy
		out = append(out, a)
	}
	if !o.noAudit[fi] {
		for range 1 + r.IntN(2) + o.nSys/400 {
			done := start + day(between(r, 120, 350))
			a := audit{title: nendo(fy) + " " + pick(r, auditTopics), auditor: pick(r, auditFirms), external: chance(r, 0.4),
				completed: done, shared: done + day(between(r, 3, 30))}
			if a.external {
				a.auditor = pick(r, auditFirms[:4])
			}
			add(a)
		}
	}
	if o.outOfPlan[fi] {
		done := start + day(between(r, 60, 350))
		a := audit{title: nendo(fy) + " " + pick(r, auditTopics) + "（所管部署依頼）", by: "システム所管課", auditor: pick(r, auditFirms[:4]),
			outOfPlan: true, external: true, completed: done, shared: noDay}
		if !o.outOfPlanUnshared[fi] {
			a.shared = done + day(between(r, 5, 60))
		}
		add(a)
	}
	return out
}

func (w *world) emitAudits(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, fyc, kind, title, by, auditor, ext, done, shared := c("code"), c("org_code"), c("fiscal_year"), c("kind"), c("title"), c("commissioned_by"), c("auditor"), c("external"), c("completed_on"), c("shared_on")
	for _, b := range w.bodies {
		o := w.orgs[b]
		for fi := range 3 {
			for _, a := range w.auditsOf(o, fi) {
				r := s.next()
				r[code], r[org], r[fyc], r[title], r[auditor], r[ext] = a.code, o.code, int64(a.fy), a.title, a.auditor, a.external
				r[kind] = "planned"
				if a.outOfPlan {
					r[kind], r[by] = "out_of_plan", a.by
				}
				r[done], r[shared] = w.date(min(a.completed, -1)), w.date(min(a.shared, 0))
			}
		}
	}
}

func (w *world) emitFindings(s *sink) {
	c := func(n string) int { return s.col(n) }
	acode, no, title, sysc, raised, due, closed := c("audit_code"), c("item_no"), c("title"), c("system_code"), c("raised_on"), c("due_on"), c("closed_on")
	for _, b := range w.bodies {
		o := w.orgs[b]
		for fi := range 3 {
			for _, a := range w.auditsOf(o, fi) {
				r := w.rng(a.code, stAudits+100)
				raisedOn := min(a.completed, -1)
				for n := range r.IntN(5) {
					rec := s.next()
					rec[acode], rec[no], rec[title] = a.code, int64(n+1), pick(r, auditFindings)
					if m := w.orgs[pick(r, o.members)]; m.nSys > 0 && chance(r, 0.7) {
						rec[sysc] = w.systems[m.sysLo+r.IntN(m.nSys)].code
					}
					dueOn := raisedOn + day(between(r, 90, 180))
					rec[raised], rec[due] = w.date(raisedOn), w.date(dueOn)
					switch {
					case raisedOn < -365 && chance(r, rateFindingLongOpen):
						// Still open more than a year on (seed 003).
					case raisedOn >= -365 && chance(r, 0.5):
						// Recent and still being worked on.
					default:
						rec[closed] = w.date(min(dueOn+day(between(r, -60, 30)), -1))
					}
				}
			}
		}
	}
}

// ---- logs and reviews ----

var logKinds = []string{"authentication", "access", "privileged", "communication", "error", "security_device"}

func (w *world) emitLogSources(s *sink) {
	sysc, kind, coll, ret := s.col("system_code"), s.col("kind"), s.col("collected"), s.col("retention_days")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		r := w.rng(o.code, stLogs)
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if !sy.operatingInfo() {
				continue
			}
			code := any(sy.code)
			for k, lk := range logKinds {
				// The first three are collected everywhere; the others where
				// the system has them.
				if k >= 3 && !chance(r, []float64{0.4, 0.3, 0.3}[k-3]) {
					continue
				}
				rec := s.next()
				rec[sysc], rec[kind] = code, lk
				switch {
				case sy.has(fLogsNotCollected):
					rec[coll] = false
				case sy.has(fShortRetention):
					rec[coll] = true
					if x := r.IntN(3); x > 0 {
						rec[ret] = int64(30 * x)
					}
				default:
					rec[coll], rec[ret] = true, pick(r, []int64{365, 365, 730, 1095, 1825})
				}
			}
		}
	}
}

func (w *world) emitLogReviews(s *sink) {
	sysc, on, who, result := s.col("system_code"), s.col("reviewed_on"), s.col("reviewer"), s.col("result")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		r := w.rng(o.code, stReviews)
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if !sy.operatingInfo() || sy.has(fLogsNotCollected|fNeverReviewed) {
				continue
			}
			d := day(-between(r, 1, 85))
			if sy.has(fStaleReview) {
				d = day(-between(r, 91, 400))
			}
			code := any(sy.code)
			for range 1 + r.IntN(3) {
				rec := s.next()
				rec[sysc], rec[on], rec[who], rec[result] = code, w.date(d), o.people[pManager].name, pick(r, logReviewNotes)
				d -= day(between(r, 80, 100))
			}
		}
	}
}

func (w *world) emitAccessReviews(s *sink) {
	sysc, on, who, removed := s.col("system_code"), s.col("reviewed_on"), s.col("reviewer"), s.col("accounts_removed")
	for _, o := range w.orgs {
		if s.err != nil {
			return
		}
		r := w.rng(o.code, stReviews+100)
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if !sy.operatingInfo() || sy.has(fNoAccessReview) {
				continue
			}
			d := day(-between(r, 10, 350))
			if sy.has(fStaleAccessReview) {
				d = day(-between(r, 366, 800))
			}
			for range 1 + r.IntN(2) {
				rec := s.next()
				rec[sysc], rec[on], rec[who], rec[removed] = sy.code, w.date(d), o.people[pManager].name, int64(r.IntN(4))
				d -= day(between(r, 330, 400))
			}
		}
	}
}

// ---- local government ----

func (w *world) emitFlows(s *sink) {
	c := func(n string) int { return s.col(n) }
	org, from, to, proto, purpose, route, protoR, san := c("org_code"), c("from_segment"), c("to_segment"), c("protocol"), c("purpose"), c("route_restricted"), c("protocol_restricted"), c("sanitized")
	type flow struct {
		from, to, proto, purpose string
		sanitize                 bool // a flow into a safer zone that must be sanitised
	}
	for _, b := range w.bodies {
		o := w.orgs[b]
		if !o.local {
			continue
		}
		r := w.rng(o.code, stFlows)
		flows := []flow{
			{"internet", "lgwan", "SMTP", "インターネットメールの取込み（無害化）", true},
			{"internet", "lgwan", "HTTPS", "ファイルの無害化転送", true},
			{"lgwan", "internet", "SMTP", "インターネットメールの送信", false},
			{"lgwan", "mynumber", "HTTPS", "宛名情報の庁内連携", false},
			{"mynumber", "lgwan", "SFTP", "中間サーバーへの情報照会データ", false},
		}
		if o.model == "beta" || o.model == "beta_prime" {
			flows = append(flows, flow{"internet", "lgwan", "画面転送", "LGWAN接続系業務への画面転送", false})
		} else {
			flows = append(flows, flow{"lgwan", "internet", "画面転送", "インターネット閲覧（仮想ブラウザ）", false})
		}
		if o.myNumberInternet {
			flows = append(flows, flow{"mynumber", "internet", "HTTPS", "保守用リモート接続（経緯不明）", false})
		}
		bad := -1
		if o.unrestrictedFlow {
			bad = r.IntN(len(flows))
		}
		for k, f := range flows {
			rec := s.next()
			rec[org], rec[from], rec[to], rec[proto], rec[purpose] = o.code, f.from, f.to, f.proto, f.purpose
			// The unexplained マイナンバー → インターネット flow and the one flow
			// left open are unrestricted; every other flow is restricted.
			ok := k != bad && !(f.from == "mynumber" && f.to == "internet")
			rec[route], rec[protoR] = ok, ok || chance(r, 0.3)
			if f.sanitize {
				rec[san] = !(o.mailUnsanitized && f.proto == "SMTP")
			}
		}
	}
}

// mynumberTerminals lists an organization's マイナンバー-zone systems with terminals.
func (w *world) mynumberTerminals(o *org) []int {
	var out []int
	for i := o.sysLo; i < o.sysHi; i++ {
		if sy := &w.systems[i]; sy.seg == "mynumber" && sy.nTerm > 0 {
			out = append(out, i)
		}
	}
	return out
}

func (w *world) emitExports(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, comp, person, granted, expires, appr, logged, items := c("code"), c("component_code"), c("person_code"), c("granted_on"), c("expires_on"), c("approved_by"), c("logged"), c("items_recorded")
	for _, b := range w.bodies {
		o := w.orgs[b]
		terms := w.mynumberTerminals(o)
		if !o.local || len(terms) == 0 {
			continue
		}
		r := w.rng(o.code, stExports)
		for n := range 1 + r.IntN(3) + o.nSys/300 {
			sy := &w.systems[pick(r, terms)]
			rec := s.next()
			rec[code], rec[comp] = o.code+"-EX"+pad(n+1, 3), componentCode(sy, pfxTerminal, 1+r.IntN(int(sy.nTerm)))
			rec[person] = o.people[activePerson(r, o, pFirstOff)].code
			g := day(-between(r, 5, 400))
			rec[granted] = w.date(g)
			switch {
			case chance(r, rateExportNoExpiry):
			case chance(r, rateExportLong):
				rec[expires] = w.date(g + day(between(r, 31, 365)))
			default:
				rec[expires] = w.date(g + day(between(r, 1, 14)))
			}
			if !chance(r, rateExportUnapproved) {
				rec[appr] = o.people[pManager].code
			}
			rec[logged], rec[items] = !chance(r, rateExportNotLogged), !chance(r, rateExportItemsUnrecord)
		}
	}
}

func (w *world) emitShares(s *sink) {
	comp, path, spi, open := s.col("component_code"), s.col("path"), s.col("specific_personal_info"), s.col("open_to_section")
	for _, b := range w.bodies {
		o := w.orgs[b]
		if !o.local {
			continue
		}
		r := w.rng(o.code, stExports+100)
		for i := o.sysLo; i < o.sysHi; i++ {
			sy := &w.systems[i]
			if sy.nServer == 0 || (sy.name != "住民記録システム" && sy.name != "ファイルサーバ" && sy.name != "県税システム") {
				continue
			}
			host := `\\fs` + pad(1+r.IntN(3), 2)
			for n := range 1 + r.IntN(2) {
				rec := s.next()
				rec[comp] = componentCode(sy, pfxServer, 1)
				spiShare := sy.seg == "mynumber"
				rec[spi] = spiShare
				rec[path] = host + `\` + sy.section + `\` + []string{"共有", "業務資料", "申請書類", "作業用"}[n]
				// Shares without 特定個人情報 are open to the section by design.
				rec[open] = !spiShare || chance(r, rateShareOpenToSection)
			}
		}
	}
}

// ---- governance ----

func (w *world) emitProjectReviews(s *sink) {
	pc, stage, self, pmo, central := s.col("project_code"), s.col("stage"), s.col("self_inspected_on"), s.col("pmo_reviewed_on"), s.col("central_reviewed_on")
	for i := range w.projects {
		p := &w.projects[i]
		o := w.orgs[p.org]
		r := w.rng(p.code, stProjectReviews)
		for st := 0; st <= p.stage; st++ {
			d := min(p.goLive-day((4-st)*150)+day(r.IntN(30)), -1)
			rec := s.next()
			rec[pc], rec[stage] = p.code, stageCodes[st]
			if !chance(r, rateStageNoSelfInspection) {
				rec[self] = w.date(d)
			}
			if !chance(r, rateStageNoPMOReview) {
				rec[pmo] = w.date(min(d+day(between(r, 7, 40)), -1))
			}
			if o.central && chance(r, 0.3) {
				rec[central] = w.date(min(d+day(between(r, 30, 60)), -1))
			}
		}
	}
}

func (w *world) emitBudget(s *sink) {
	code, org, pc, fyc, kind, title, amount := s.col("code"), s.col("org_code"), s.col("project_code"), s.col("fiscal_year"), s.col("kind"), s.col("title"), s.col("amount")
	for _, o := range w.orgs {
		if o.projHi == o.projLo {
			continue
		}
		r := w.rng(o.code, stBudget)
		seq := 0
		for _, fy := range w.planFYs() {
			for i := o.projLo; i < o.projHi; i++ {
				p := &w.projects[i]
				yen := 2e6 * float64(1+r.IntN(50))
				if o.central {
					yen *= 10
				}
				kinds := []string{"request", "initial"}
				if chance(r, 0.05) {
					kinds = append(kinds, "supplementary")
				}
				for _, k := range kinds {
					seq++
					rec := s.next()
					rec[code], rec[org], rec[fyc], rec[kind] = o.code+"-BG"+strconv.Itoa(fy)+"-"+pad(seq, 4), o.code, int64(fy), k
					rec[title], rec[amount] = p.name, roundYen(yen*(0.85+0.15*r.Float64()))
					if !chance(r, rateOutsideProject) {
						rec[pc] = p.code
						rec[s.col("plan_item_code")] = w.planItemOf(int32(i))
						w.noteBudget(p.code, rec[code].(string))
					}
				}
			}
		}
	}
}

func (w *world) emitSurveys(s *sink) {
	code, org, fyc, topic, answered, followed := s.col("code"), s.col("org_code"), s.col("fiscal_year"), s.col("topic"), s.col("answered_on"), s.col("followed_up_on")
	for _, b := range w.bodies {
		o := w.orgs[b]
		r := w.rng(o.code, stSurveys)
		topics := []string{"情報システム関係予算要求に係る調査", "クラウドサービス利用状況調査"}
		if o.local {
			topics = []string{"地方公共団体における情報セキュリティ対策の状況調査", "自治体情報システム標準化の進捗状況調査"}
		}
		for _, fy := range w.planFYs() {
			for k, t := range topics {
				if k == 1 && !chance(r, 0.5) {
					continue
				}
				a := w.dates.fyStart(fy) + day(between(r, 60, 200))
				rec := s.next()
				rec[code], rec[org], rec[fyc], rec[topic] = o.code+"-SV"+strconv.Itoa(fy)+"-"+strconv.Itoa(k+1), o.code, int64(fy), t
				rec[answered] = w.date(a)
				if !chance(r, rateSurveyNotFollowed) {
					rec[followed] = w.date(min(a+day(between(r, 30, 150)), -1))
				}
			}
		}
	}
}

func (w *world) emitIncidents(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, sysc, cat, sev, det, resp, rec2, sum := c("code"), c("org_code"), c("system_code"), c("category"), c("severity"), c("detected_on"), c("contained_on"), c("recovered_on"), c("summary")
	total := 0
	for _, k := range incidentKinds {
		total += k.weight
	}
	for _, o := range w.orgs {
		if o.nSys == 0 {
			continue
		}
		r := w.rng(o.code, stIncidents)
		// Incidents over the last three years, more in larger organizations;
		// many small ones record none (which is itself GOV-05's concern).
		n := poisson(r, 0.3+float64(o.nSys)/40)
		for k := range n {
			x := r.IntN(total)
			kind := incidentKinds[0]
			for _, ik := range incidentKinds {
				if x < ik.weight {
					kind = ik
					break
				}
				x -= ik.weight
			}
			d := day(-between(r, 1, 1095))
			rec := s.next()
			rec[code], rec[org], rec[cat], rec[sum] = o.code+"-IN"+pad(k+1, 4), o.code, kind.code, pick(r, kind.summary)
			rec[sev] = pick(r, []string{"low", "low", "medium", "medium", "high", "critical"})
			if chance(r, 0.6) {
				rec[sysc] = w.systems[o.sysLo+r.IntN(o.nSys)].code
			}
			rec[det] = w.date(d)
			in := demoIncident{code: rec[code].(string), org: o, detected: d, kind: kind.code}
			if rd := d + day(r.IntN(3)); rd < 0 {
				rec[resp] = w.date(rd)
				in.contained = rd
				if cd := rd + day(r.IntN(20)); cd < 0 {
					rec[rec2] = w.date(cd)
					in.recovered = cd
				}
			}
			w.incidentTimeline(s, rec, &in)
		}
	}
}

// poisson draws from a Poisson distribution by inversion; lambda is small.
func poisson(r *rand.Rand, lambda float64) int {
	if lambda > 30 {
		// Normal approximation for the large central offices.
		return max(0, int(lambda+r.NormFloat64()*math.Sqrt(lambda)+0.5))
	}
	l, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

// emitSightings records where the systems outside the register were seen
// (REG-01 by reconciliation): each unregistered system by the source that
// revealed it, and, at about one body in fifty, a system on the SystemID
// list or a contract that no register entry names at all.
func (w *world) emitSightings(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, src, ref, sysc, sid, name, seen := c("code"), c("org_code"), c("source"), c("reference"), c("system_code"), c("system_id"), c("system_name"), c("seen_on")
	source := map[string]string{"contract": "contract", "payment": "payment", "component": "host_inventory", "system_id_list": "system_id_list"}
	n := 0
	for i := range w.systems {
		sy := &w.systems[i]
		if sy.inRegister {
			continue
		}
		n++
		rec := s.next()
		o := w.orgs[sy.org]
		rec[code], rec[org], rec[src], rec[sysc], rec[name] = fmt.Sprintf("SG%06d", n), o.code, cmp.Or(source[sy.discovered], "other"), sy.code, sy.name
		rec[seen] = w.date(-day(w.rng(sy.code, stDetail+40).IntN(300)))
	}
	for _, b := range w.bodies {
		o := w.orgs[b]
		r := w.rng(o.code, stDetail+41)
		if o.nSys == 0 || r.IntN(50) != 0 {
			continue
		}
		n++
		rec := s.next()
		rec[code], rec[org], rec[seen] = fmt.Sprintf("SG%06d", n), o.code, w.date(-day(r.IntN(300)))
		if o.central {
			rec[src], rec[ref], rec[sid] = "system_id_list", "情報システムID一覧", fmt.Sprintf("%s-X%03d", o.code, r.IntN(1000))
			rec[name] = "ID一覧にのみ掲載の業務システム"
		} else {
			rec[src], rec[ref] = "contract", "保守契約の対象機器一覧"
			rec[name] = "契約にのみ記載の業務システム"
		}
	}
}

// updated is a component and its latest patch date.
type updated struct{ code, patched string }

// emitUpdates writes the patch history of LGWAN-zone servers: the two
// monthly patches before the latest one recorded on the server.
func (w *world) emitUpdates(s *sink) {
	comp, kind, on := s.col("component_code"), s.col("kind"), s.col("applied_on")
	for _, u := range w.lgwanServers {
		last, err := time.Parse(time.DateOnly, u.patched)
		if err != nil {
			continue
		}
		for m := 1; m <= 2; m++ {
			rec := s.next()
			rec[comp], rec[kind], rec[on] = u.code, "patch", last.AddDate(0, -m, 0).Format(time.DateOnly)
		}
	}
	w.lgwanServers = nil
}

// emitSubsidies records the 強化対策費補助金 of 平成27年度補正 (seed 002): the
// security-cloud programme to every prefecture, the robustness programme
// to every municipality, and a share of each the other way.
func (w *world) emitSubsidies(s *sink) {
	code, org, fy, prog, amount := s.col("code"), s.col("org_code"), s.col("fiscal_year"), s.col("program"), s.col("amount")
	for _, o := range w.orgs {
		if !o.local {
			continue
		}
		r := w.rng(o.code, stDetail+42)
		main, other := "robustness", "security_cloud"
		if o.kind == "prefecture" {
			main, other = other, main
		}
		add := func(p string, k int) {
			rec := s.next()
			rec[code], rec[org], rec[fy], rec[prog] = o.code+"-SUB"+strconv.Itoa(k), o.code, int64(2015), p
			rec[amount] = int64(between(r, 500, 30000)) * 10000
		}
		add(main, 1)
		if r.IntN(10) < 4 {
			add(other, 2)
		}
	}
}
