package mamori

import (
	"testing"
)

func timeline(kv ...string) func(string) string {
	m := map[string]string{}
	for i := 0; i+1 < len(kv); i += 2 {
		m[kv[i]] = kv[i+1]
	}
	return func(c string) string { return m[c] }
}

func TestCheckIncidentTimeline(t *testing.T) {
	for _, c := range []struct {
		name  string
		get   func(string) string
		field string // "" for a timeline in order
	}{
		{"in order", timeline("occurred_on", "2026-04-01", "detected_on", "2026-04-02", "reported_on", "2026-04-02",
			"contained_on", "2026-04-03", "recovered_on", "2026-04-05", "closed_on", "2026-05-01"), ""},
		{"only detected", timeline("detected_on", "2026-04-02"), ""},
		{"recovered before detected", timeline("detected_on", "2026-04-02", "recovered_on", "2026-04-01"), "recovered_on"},
		{"detected before it occurred", timeline("occurred_on", "2026-04-03", "detected_on", "2026-04-02"), "detected_on"},
		{"recovered before contained", timeline("detected_on", "2026-04-01", "contained_on", "2026-04-05", "recovered_on", "2026-04-04"), "recovered_on"},
		{"same day, earlier time", timeline("detected_on", "2026-04-02", "detected_time", "10:00", "reported_on", "2026-04-02", "reported_time", "09:59"), "reported_on"},
		{"same day, no times", timeline("detected_on", "2026-04-02", "reported_on", "2026-04-02", "reported_time", "09:59"), ""},
		{"not a time", timeline("detected_on", "2026-04-02", "detected_time", "25:00"), "detected_time"},
		{"time without date", timeline("detected_on", "2026-04-02", "reported_time", "10:00"), "reported_time"},
		{"closed before recovery", timeline("detected_on", "2026-04-02", "closed_on", "2026-04-03"), "closed_on"},
		{"closed before recovered", timeline("detected_on", "2026-04-02", "recovered_on", "2026-04-05", "closed_on", "2026-04-03"), "closed_on"},
	} {
		p := CheckIncidentTimeline(c.get)
		got := ""
		if p != nil {
			got = p.Field
		}
		if got != c.field {
			t.Errorf("CheckIncidentTimeline(%s) blames %q, want %q (%+v)", c.name, got, c.field, p)
		}
	}
}

// FuzzCheckIncidentTimeline: whatever an import carries, the check
// answers (no panic), names a timeline column when it refuses, and never
// accepts a recovery before the detection.
func FuzzCheckIncidentTimeline(f *testing.F) {
	f.Add("2026-04-01", "", "2026-04-02", "09:00", "2026-04-01", "08:00")
	f.Add("", "", "2026-04-02", "25:99", "", "")
	f.Add("x", "1:2", "2026-02-30", "", "2026-04-03", "10:00")
	f.Fuzz(func(t *testing.T, occurred, occurredAt, detected, detectedAt, recovered, recoveredAt string) {
		get := timeline("occurred_on", occurred, "occurred_time", occurredAt, "detected_on", detected, "detected_time", detectedAt,
			"recovered_on", recovered, "recovered_time", recoveredAt)
		p := CheckIncidentTimeline(get)
		if p != nil {
			known := false
			for _, s := range IncidentTimeline {
				known = known || p.Field == s.Date || p.Field == s.Time
			}
			if !known || p.JA == "" || p.EN == "" {
				t.Fatalf("refusal %+v names no timeline column or lacks a message", p)
			}
			return
		}
		if detected != "" && recovered != "" && recovered < detected {
			t.Fatalf("accepted recovery %q before detection %q", recovered, detected)
		}
	})
}
