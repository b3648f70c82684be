package demo

import "strconv"

// Training under the education plan (統一基準 2.2.3; seed 004 asked for
// people trained and understood, not the plan's existence). Every body
// with an education plan runs a general course for all its staff with a
// comprehension test; bodies that trained staff on outsourcing record that
// course too, with attendees but nobody named as required (the register is
// silent on who had to attend). Most bodies reach nearly everyone; a few
// are below PLN-08's thresholds, one plan delivered nothing (PLN-07), and
// the records are as messy as real ones: people registered who never came,
// scores without a pass flag, a pass flag without a score.

// stTraining is the random stream of the training records. It lies far
// beyond the world's streams so that adding them shifts none.
const stTraining uint64 = 1 << 20

// Shares of bodies whose training falls short.
const (
	rateTrainingLowAttendance = 0.08 // attendance well below 90%
	rateTrainingLowPass       = 0.06 // attended, but under 80% passed
	rateTrainingNoRequirement = 0.04 // general course recorded without who must attend
)

func courseCode(o *org, fy int, kind string) string {
	return o.code + "-TR" + strconv.Itoa(fy) + "-" + kind
}

// trainingPlan is one body-year's courses as the generator decides them.
type trainingPlan struct {
	body          *org
	fy            int
	delivered     bool // false: the plan that delivered nothing
	lowAttendance bool
	lowPass       bool
	noRequirement bool
	held          day // the general course's delivery
}

// trainingPlans decides, for every body with an education plan, the
// year's training. The body that delivered nothing is the first body in
// the list with a plan in the middle year, so the demo always has one.
func (w *world) trainingPlans() []trainingPlan {
	var out []trainingPlan
	undelivered := false
	for _, b := range w.bodies {
		o := w.orgs[b]
		if o.kind == "government" {
			continue
		}
		r := w.rng(o.code, stTraining)
		for fi, fy := range w.planFYs() {
			if !w.hasPlan(o, fi, "education") {
				continue
			}
			p := trainingPlan{body: o, fy: fy, delivered: true}
			p.lowAttendance = chance(r, rateTrainingLowAttendance)
			p.lowPass = !p.lowAttendance && chance(r, rateTrainingLowPass)
			p.noRequirement = chance(r, rateTrainingNoRequirement)
			if !undelivered && fi == 1 && o.kind == "municipality" {
				p.delivered, undelivered = false, true
			}
			start := w.dates.fyStart(fy)
			p.held = start + day(between(r, 45, 200))
			if p.held >= 0 {
				// The current year: held between its start and today.
				p.held = start + (-start)/2
			}
			out = append(out, p)
		}
	}
	return out
}

// membersOf lists the organizations a body's general course obliges: the
// body and the units it answers for.
func (w *world) membersOf() map[*org][]*org {
	out := map[*org][]*org{}
	for _, o := range w.orgs {
		if o.kind == "government" {
			continue
		}
		b := w.bodyOf(o)
		out[b] = append(out[b], o)
	}
	return out
}

func (w *world) emitTrainingCourses(s *sink) {
	c := func(n string) int { return s.col(n) }
	code, org, fyc, kind, title, plan, from, until, pass := c("code"), c("org_code"), c("fiscal_year"), c("kind"), c("title"),
		c("plan_code"), c("delivered_from"), c("delivered_until"), c("pass_score")
	for _, p := range w.trainingPlans() {
		rec := s.next()
		rec[code], rec[org], rec[fyc], rec[kind] = courseCode(p.body, p.fy, "GEN"), p.body.code, int64(p.fy), "general"
		rec[title] = nendo(p.fy) + " 情報セキュリティ研修（全職員）"
		rec[plan] = planCode(p.body, p.fy, "EDU")
		rec[pass] = int64(70)
		if p.delivered {
			rec[from] = w.date(p.held)
			if end := p.held + 30; end < 0 {
				rec[until] = w.date(end)
			}
		}
		if p.body.trained && p.delivered {
			rec := s.next()
			rec[code], rec[org], rec[fyc], rec[kind] = courseCode(p.body, p.fy, "OUT"), p.body.code, int64(p.fy), "outsourcing"
			rec[title] = nendo(p.fy) + " 業務委託に関する情報セキュリティ研修"
			rec[from] = w.date(p.held)
		}
	}
}

func (w *world) emitTrainingRequirements(s *sink) {
	course, org := s.col("course_code"), s.col("org_code")
	for _, p := range w.trainingPlans() {
		if p.noRequirement {
			continue
		}
		rec := s.next()
		rec[course], rec[org] = courseCode(p.body, p.fy, "GEN"), p.body.code
	}
}

func (w *world) emitTrainingAttendance(s *sink) {
	c := func(n string) int { return s.col(n) }
	course, person, on, taken, score, passed := c("course_code"), c("person_code"), c("attended_on"), c("test_taken"), c("score"), c("passed")
	members := w.membersOf()
	for _, p := range w.trainingPlans() {
		if !p.delivered {
			continue
		}
		r := w.rng(p.body.code+"/"+strconv.Itoa(p.fy), stTraining)
		attend := 0.995
		if p.lowAttendance {
			attend = 0.55 + 0.25*r.Float64()
		}
		for _, o := range members[p.body] {
			for i := range o.people {
				pp := &o.people[i]
				if pp.status != "active" && pp.leftOn < p.held {
					continue // gone before the course
				}
				came := chance(r, attend)
				if !came && !chance(r, 0.3) {
					continue // no record at all: not attended
				}
				rec := s.next()
				rec[course], rec[person] = courseCode(p.body, p.fy, "GEN"), pp.code
				if !came {
					continue // registered, never came
				}
				rec[on] = w.date(p.held + day(r.IntN(20)))
				if p.held+20 >= 0 {
					rec[on] = w.date(p.held)
				}
				pts := int64(between(r, 72, 100))
				if chance(r, 0.015) || (p.lowPass && chance(r, 0.35)) {
					pts = int64(between(r, 30, 69))
				}
				switch x := r.Float64(); {
				case x < 0.03:
					// Took the test; only the verdict was written down.
					rec[taken], rec[passed] = true, pts >= 70
				case x < 0.05:
					// Attended; the test was not taken.
					rec[taken] = false
				default:
					rec[taken], rec[score] = true, pts
				}
			}
		}
		if !p.body.trained {
			continue
		}
		// The outsourcing course: those who deal with vendors, nobody
		// recorded as required.
		for i := pFirstOff; i < min(pFirstOff+3, len(p.body.people)); i++ {
			pp := &p.body.people[i]
			if pp.status != "active" {
				continue
			}
			rec := s.next()
			rec[course], rec[person], rec[on] = courseCode(p.body, p.fy, "OUT"), pp.code, w.date(p.held)
		}
	}
}
