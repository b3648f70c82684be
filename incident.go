package mamori

import (
	"fmt"
	"time"
)

// IncidentStep is one point of an incident's timeline: the register's date
// column and its optional time column (HH:MM, Japan time).
type IncidentStep struct {
	Date, Time string // column names
	JA, EN     string
}

// IncidentTimeline lists the timeline in the order it happens.
var IncidentTimeline = []IncidentStep{
	{"occurred_on", "occurred_time", "発生", "occurrence"},
	{"detected_on", "detected_time", "検知", "detection"},
	{"reported_on", "reported_time", "報告", "report"},
	{"contained_on", "contained_time", "封じ込め", "containment"},
	{"recovered_on", "recovered_time", "復旧", "recovery"},
	{"closed_on", "", "完了", "closing"},
}

// timelineOrder are the pairs that must not be out of order: nothing
// before it occurred or before it was detected, recovery not before
// containment, closing not before recovery. A report may come before or
// after containment.
var timelineOrder = [][2]string{
	{"occurred_on", "detected_on"},
	{"detected_on", "reported_on"},
	{"detected_on", "contained_on"},
	{"detected_on", "recovered_on"},
	{"contained_on", "recovered_on"},
	{"recovered_on", "closed_on"},
	{"detected_on", "closed_on"},
}

// TimelineProblem is what is wrong with a timeline, and the column to
// blame (the later step, or the time that is no time).
type TimelineProblem struct {
	Field  string
	JA, EN string
}

// CheckIncidentTimeline checks an incident's timeline, reading each column
// through get ("" when blank): every time is HH:MM next to a date, no step
// is before the one it follows, and an incident is not closed before it is
// recovered. It returns nil for a timeline in order.
func CheckIncidentTimeline(get func(column string) string) *TimelineProblem {
	step := map[string]IncidentStep{}
	for _, s := range IncidentTimeline {
		step[s.Date] = s
		if s.Time == "" {
			continue
		}
		t := get(s.Time)
		if t == "" {
			continue
		}
		if !ValidClock(t) {
			return &TimelineProblem{s.Time, fmt.Sprintf("%s時刻「%s」は HH:MM の時刻ではありません", s.JA, Excerpt(t)),
				fmt.Sprintf("%s time %q is not an HH:MM time", s.EN, Excerpt(t))}
		}
		if get(s.Date) == "" {
			return &TimelineProblem{s.Time, fmt.Sprintf("%s時刻には%s日が必要です", s.JA, s.JA),
				fmt.Sprintf("the %s time needs the %s date", s.EN, s.EN)}
		}
	}
	if get("closed_on") != "" && get("recovered_on") == "" {
		return &TimelineProblem{"closed_on", "復旧日のないインシデントは完了できません", "an incident cannot be closed before it is recovered"}
	}
	for _, p := range timelineOrder {
		a, b := step[p[0]], step[p[1]]
		da, db := get(a.Date), get(b.Date)
		if da == "" || db == "" {
			continue
		}
		ta, tb := "", ""
		if a.Time != "" && b.Time != "" {
			ta, tb = get(a.Time), get(b.Time)
		}
		if da > db || (da == db && ta != "" && tb != "" && ta > tb) {
			return &TimelineProblem{b.Date,
				fmt.Sprintf("%s（%s）が%s（%s）より前です", b.JA, joinClock(db, tb), a.JA, joinClock(da, ta)),
				fmt.Sprintf("%s (%s) is before %s (%s)", b.EN, joinClock(db, tb), a.EN, joinClock(da, ta))}
		}
	}
	return nil
}

// ValidClock reports whether s is an HH:MM time of day.
func ValidClock(s string) bool {
	if len(s) != 5 {
		return false
	}
	_, err := time.Parse("15:04", s)
	return err == nil
}

func joinClock(d, t string) string {
	if t == "" {
		return d
	}
	return d + " " + t
}

// FiscalYearOf returns the fiscal year (April–March) a YYYY-MM-DD date
// falls in, and false for a string that is no date.
func FiscalYearOf(date string) (int64, bool) {
	t, err := time.Parse(time.DateOnly, date)
	if err != nil {
		return 0, false
	}
	fy := int64(t.Year())
	if t.Month() < time.April {
		fy--
	}
	return fy, true
}
