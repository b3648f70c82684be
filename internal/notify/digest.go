package notify

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Digest is one person's events of one day, sent as one message.
type Digest struct {
	Day            time.Time // midnight of the day, in the location asked for
	RecipientUser  string
	RecipientEmail string
	Events         []Event // most urgent kind first, then by due date and item
}

// recipientKey groups a person's events: by e-mail address (case folded)
// when there is one, else by user name.
func recipientKey(e Event) string {
	if e.RecipientEmail != "" {
		return "e:" + strings.ToLower(e.RecipientEmail)
	}
	return "u:" + e.RecipientUser
}

// Digests gathers the events that happened on day (a calendar day in loc,
// for Japan time.FixedZone("JST", 9*3600)) into one digest per person,
// ordered by recipient. Events of other days and events with no recipient
// are left out.
func Digests(events []Event, day time.Time, loc *time.Location) []Digest {
	y, m, d := day.In(loc).Date()
	start := time.Date(y, m, d, 0, 0, 0, 0, loc)
	end := start.AddDate(0, 0, 1)
	by := map[string]*Digest{}
	var keys []string
	for _, e := range events {
		if e.At.Before(start) || !e.At.Before(end) || (e.RecipientEmail == "" && e.RecipientUser == "") {
			continue
		}
		k := recipientKey(e)
		dg := by[k]
		if dg == nil {
			dg = &Digest{Day: start, RecipientUser: e.RecipientUser, RecipientEmail: e.RecipientEmail}
			by[k] = dg
			keys = append(keys, k)
		}
		if dg.RecipientUser == "" {
			dg.RecipientUser = e.RecipientUser
		}
		dg.Events = append(dg.Events, e)
	}
	slices.Sort(keys)
	out := make([]Digest, 0, len(keys))
	for _, k := range keys {
		dg := by[k]
		slices.SortStableFunc(dg.Events, func(a, b Event) int {
			return cmp.Or(
				cmp.Compare(slices.Index(Kinds, a.Kind), slices.Index(Kinds, b.Kind)),
				compareDue(a.Due, b.Due),
				cmp.Compare(a.ItemID, b.ItemID))
		})
		out = append(out, *dg)
	}
	return out
}

// compareDue orders due dates earliest first, items without one last.
func compareDue(a, b time.Time) int {
	switch {
	case a.IsZero() && b.IsZero():
		return 0
	case a.IsZero():
		return 1
	case b.IsZero():
		return -1
	}
	return a.Compare(b)
}

// Render makes the digest's e-mail: the day's events by kind, most urgent
// first, one line each, in Japanese and then in English.
func (d Digest) Render() Message {
	var b strings.Builder
	fmt.Fprintf(&b, "%s の通知（%d 件）\n", dateJA(d.Day), len(d.Events))
	lines := func(en bool) {
		for _, k := range Kinds {
			first := true
			for _, e := range d.Events {
				if e.Kind != k {
					continue
				}
				if first {
					fmt.Fprintf(&b, "\n■ %s\n", labels[k][map[bool]int{false: 0, true: 1}[en]])
					first = false
				}
				fmt.Fprintf(&b, "- %s %s「%s」", e.ItemKind, e.ItemID, e.Subject)
				if en {
					fmt.Fprintf(&b, " (%s", e.Org)
					if !e.Due.IsZero() {
						fmt.Fprintf(&b, ", due %s", dateEN(e.Due))
					}
					b.WriteString(")")
				} else {
					fmt.Fprintf(&b, "（%s", e.Org)
					if !e.Due.IsZero() {
						fmt.Fprintf(&b, "、期限 %s", dateJA(e.Due))
					}
					b.WriteString("）")
				}
				if e.URL != "" {
					fmt.Fprintf(&b, "\n  %s", e.URL)
				}
				b.WriteString("\n")
			}
		}
	}
	lines(false)
	fmt.Fprintf(&b, "\n----\n\nNotifications of %s (%d)\n", dateEN(d.Day), len(d.Events))
	lines(true)
	b.WriteString("\n-- \nmamori\n")
	return Message{
		To: d.RecipientEmail,
		Subject: fmt.Sprintf("[mamori] %s の通知 %d 件 / Daily digest: %d notification(s), %s",
			dateJA(d.Day), len(d.Events), len(d.Events), dateEN(d.Day)),
		Text: b.String(),
	}
}
