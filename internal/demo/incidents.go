package demo

import (
	"fmt"
	"strconv"

	"mamori"
)

// The incident register's demo (DESIGN C7; seeds 002 and 004): incidents
// with full timelines across classes and fiscal years (the newest still
// open), the systems and organizations they touched, no-incident
// declarations by some of the bodies that recorded none, CSIRT records
// (documented, undocumented, and bodies that answered only yes or no) and
// the emergency drills behind the plans' drill dates. Everything is drawn
// from its own stream, so adding it moved none of the other records.

// demoIncident is an incident as emitted, for its child records.
type demoIncident struct {
	code                string
	org                 *org
	kind                string
	systemCode          string
	detected, contained day
	recovered           day
}

// demoDrill is an emergency plan's drill, as the plan recorded it.
type demoDrill struct {
	plan     string
	org      *org
	fy       int
	held     any
	targeted bool
}

var (
	incidentCauses = map[string][]string{
		"malware":             {"添付ファイルの開封", "更新されていないブラウザの脆弱性"},
		"unauthorized_access": {"推測可能なパスワード", "委託先アカウントの管理不備"},
		"dos":                 {"大量アクセスへの対策不足"},
		"targeted":            {"標的型メールの開封"},
		"leak":                {"委託先の管理不備", "公開前確認の漏れ"},
		"loss":                {"持出し手続の不遵守"},
		"misdelivery":         {"宛先確認の不足", "送信前確認の省略"},
		"failure":             {"保守作業の手順誤り", "機器の経年劣化"},
		"other":               {"職員への注意喚起不足"},
	}
	incidentMeasures = []string{"職員研修の実施と手順書の改訂", "送信前の複数人確認を義務化", "多要素認証の導入", "監視体制の強化と委託先への是正要求"}
)

// incidentTimeline completes an incident record: when it occurred and was
// reported and to whom, its cause and measures once recovered, and its
// closing a while after. The newest incidents stay open (no recovery yet).
func (w *world) incidentTimeline(s *sink, rec mamori.Record, in *demoIncident) {
	if rec[s.col("contained_on")] == nil {
		in.contained, in.recovered = noDay, noDay
	} else if rec[s.col("recovered_on")] == nil {
		in.recovered = noDay
	}
	if v, ok := rec[s.col("system_code")].(string); ok {
		in.systemCode = v
	}
	r := w.rng(in.code, stIncidentRecords)
	rec[s.col("occurred_on")] = w.date(in.detected - day(r.IntN(3)))
	rec[s.col("detected_time")] = fmt.Sprintf("%02d:%02d", between(r, 8, 18), r.IntN(60))
	if in.detected+1 < 0 {
		rec[s.col("reported_on")] = w.date(in.detected + day(r.IntN(2)))
		to := "NISC"
		if in.org.local {
			to = "都道府県・総務省"
		}
		if chance(r, 0.1) {
			to = "" // a report without its addressee: left blank, as returns are
		}
		if to != "" {
			rec[s.col("reported_to")] = to
		}
	}
	if in.recovered != noDay {
		rec[s.col("cause")] = pick(r, incidentCauses[in.kind])
		rec[s.col("measures")] = pick(r, incidentMeasures)
		if cl := in.recovered + day(between(r, 7, 60)); cl < 0 {
			rec[s.col("closed_on")] = w.date(cl)
		}
	}
	w.incidents = append(w.incidents, *in)
}

func (w *world) emitIncidentSystems(s *sink) {
	inc, sys := s.col("incident_code"), s.col("system_code")
	for _, in := range w.incidents {
		if in.systemCode == "" {
			continue
		}
		rec := s.next()
		rec[inc], rec[sys] = in.code, in.systemCode
		// A second system of the same organization now and then.
		r := w.rng(in.code+"/systems", stIncidentRecords)
		if o := in.org; o.nSys > 1 && chance(r, 0.2) {
			if other := w.systems[o.sysLo+r.IntN(o.nSys)].code; other != in.systemCode {
				rec := s.next()
				rec[inc], rec[sys] = in.code, other
			}
		}
	}
}

// emitIncidentOrgs records, for leaks and attacks at local bodies, the
// prefecture that was affected too (its security cloud, its residents).
func (w *world) emitIncidentOrgs(s *sink) {
	inc, org := s.col("incident_code"), s.col("org_code")
	for _, in := range w.incidents {
		rec := s.next()
		rec[inc], rec[org] = in.code, in.org.code
		if in.org.local && in.org.parent != "" && (in.kind == "leak" || in.kind == "targeted" || in.kind == "dos") {
			rec := s.next()
			rec[inc], rec[org] = in.code, in.org.parent
		}
	}
}

// emitDeclarations: about half of the bodies that recorded no incident in a
// past fiscal year declared the year quiet; the others left it unrecorded,
// which GOV-05 tells apart.
func (w *world) emitDeclarations(s *sink) {
	orgc, fyc, on, by := s.col("org_code"), s.col("fiscal_year"), s.col("declared_on"), s.col("declared_by")
	had := map[string]map[int]bool{}
	for _, in := range w.incidents {
		fy := w.fyOf(in.detected)
		if had[in.org.code] == nil {
			had[in.org.code] = map[int]bool{}
		}
		had[in.org.code][fy] = true
	}
	for _, b := range w.bodies {
		o := w.orgs[b]
		if o.kind == "government" {
			continue
		}
		r := w.rng(o.code+"/declarations", stIncidentRecords)
		for _, fy := range w.planFYs() {
			if fy >= w.curFY || had[o.code][fy] || !chance(r, 0.5) {
				continue
			}
			rec := s.next()
			rec[orgc], rec[fyc] = o.code, int64(fy)
			rec[on] = w.date(min(w.dates.fyEnd(fy)+day(between(r, 10, 60)), -1))
			rec[by] = "統括情報セキュリティ責任者"
		}
	}
}

// csirtKind is how a body's CSIRT is on record: documented with members,
// recorded but never documented, or not recorded at all (the body's yes/no
// answers then decide LG-14).
func (w *world) csirtKind(o *org) string {
	if o.kind == "government" {
		return ""
	}
	r := w.rng(o.code+"/csirt", stIncidentRecords)
	switch {
	case o.csirtUndocumented && chance(r, 0.5):
		return "undocumented"
	case !o.csirtUndocumented && len(o.people) > 0 && chance(r, 0.7):
		return "documented"
	}
	return ""
}

func (w *world) emitCSIRTs(s *sink) {
	orgc, name, est, doc, document, fn := s.col("org_code"), s.col("name"), s.col("established_on"), s.col("documented_on"), s.col("document"), s.col("functions")
	for _, b := range w.bodies {
		o := w.orgs[b]
		k := w.csirtKind(o)
		if k == "" {
			continue
		}
		r := w.rng(o.code+"/csirt-record", stIncidentRecords)
		rec := s.next()
		established := w.dates.dayOf(2016+r.IntN(4), 4, 1) + day(r.IntN(300))
		rec[orgc], rec[name], rec[est] = o.code, o.name+" CSIRT", w.date(established)
		if k == "documented" {
			rec[doc] = w.date(min(established+day(between(r, 30, 400)), -1))
			rec[document] = o.name + "情報セキュリティインシデント対応要領"
			rec[fn] = "受付・トリアージ、分析、被害拡大防止、復旧支援、報告・連絡、再発防止"
		}
	}
}

func (w *world) emitCSIRTMembers(s *sink) {
	orgc, person, role, since := s.col("org_code"), s.col("person_code"), s.col("role"), s.col("since")
	roles := []string{"lead", "poc", "analysis", "response", "liaison"}
	for _, b := range w.bodies {
		o := w.orgs[b]
		if w.csirtKind(o) != "documented" {
			continue
		}
		r := w.rng(o.code+"/csirt-members", stIncidentRecords)
		n := min(len(o.people), between(r, 2, 5))
		for i := range n {
			p := o.people[i]
			if p.status != "active" {
				continue
			}
			rec := s.next()
			rec[orgc], rec[person], rec[role] = o.code, p.code, roles[i%len(roles)]
			rec[since] = w.date(day(-between(r, 100, 1500)))
		}
	}
}

// emitDrills records the drill behind each emergency plan's drill date;
// a plan without one (rateEmergencyNoDrill) has none.
func (w *world) emitDrills(s *sink) {
	code, orgc, plan, held, scen, part, sum := s.col("code"), s.col("org_code"), s.col("plan_code"), s.col("held_on"), s.col("scenario"), s.col("participants"), s.col("summary")
	for i, d := range w.drills {
		r := w.rng(d.plan+"/drill", stIncidentRecords)
		rec := s.next()
		rec[code], rec[orgc], rec[plan], rec[held] = d.plan+"-DR"+strconv.Itoa(i%9+1), d.org.code, d.plan, d.held
		rec[scen] = "system_failure"
		rec[sum] = "システム停止を想定した机上訓練"
		if d.targeted {
			rec[scen], rec[sum] = "targeted_attack", "標的型メールによる感染を想定した訓練（初動・報告・遮断）"
		}
		rec[part] = int64(between(r, 8, 60))
	}
}
