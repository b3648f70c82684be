package notify_test

import (
	"strings"
	"testing"
	"time"

	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDigests: a person's events of the day (in Japan time) become one
// digest, most urgent first; other days and other people stay apart.
func TestDigests(t *testing.T) {
	jst := time.FixedZone("JST", 9*3600)
	day := time.Date(2026, 12, 6, 0, 0, 0, 0, jst)
	ev := func(kind notify.Kind, id, email string, at time.Time, due time.Time) notify.Event {
		return notify.Event{Kind: kind, ItemID: id, ItemKind: "finding", Subject: "件名 " + id, Org: "C13101",
			RecipientUser: strings.Split(email, "@")[0], RecipientEmail: email, At: at, Due: due}
	}
	due1, due2 := time.Date(2026, 12, 10, 0, 0, 0, 0, time.UTC), time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)
	events := []notify.Event{
		ev(notify.Assignment, "F-3", "tanaka@example.lg.jp", day.Add(9*time.Hour), due1),
		ev(notify.DueSoon, "F-2", "Tanaka@Example.lg.jp", day.Add(10*time.Hour), due1),
		ev(notify.Escalation, "F-1", "tanaka@example.lg.jp", day.Add(23*time.Hour+59*time.Minute), time.Time{}),
		ev(notify.DueSoon, "F-4", "tanaka@example.lg.jp", day.Add(11*time.Hour), due2),
		// 23:30 UTC of the 5th is 08:30 of the 6th in Japan: the same day.
		ev(notify.Assignment, "F-5", "suzuki@example.lg.jp", time.Date(2026, 12, 5, 23, 30, 0, 0, time.UTC), time.Time{}),
		// The day before and the day after.
		ev(notify.Assignment, "F-6", "tanaka@example.lg.jp", day.Add(-time.Minute), due1),
		ev(notify.Assignment, "F-7", "tanaka@example.lg.jp", day.AddDate(0, 0, 1), due1),
	}
	ds := notify.Digests(events, day.Add(15*time.Hour), jst)
	if len(ds) != 2 {
		t.Fatalf("Digests = %d digests, want 2 (suzuki, tanaka)", len(ds))
	}
	if ds[0].RecipientEmail != "suzuki@example.lg.jp" || len(ds[0].Events) != 1 {
		t.Errorf("first digest = %+v", ds[0])
	}
	var ids []string
	for _, e := range ds[1].Events {
		ids = append(ids, e.ItemID)
	}
	if got := strings.Join(ids, " "); got != "F-1 F-4 F-2 F-3" {
		t.Errorf("tanaka's digest = %s, want F-1 F-4 F-2 F-3 (escalation, then due soon by date, then assignment)", got)
	}
	if !ds[1].Day.Equal(day) {
		t.Errorf("Day = %v, want %v", ds[1].Day, day)
	}
	m := ds[1].Render()
	if m.To != "tanaka@example.lg.jp" || !strings.Contains(m.Subject, "2026年12月6日 の通知 4 件") || !strings.Contains(m.Subject, "Daily digest: 4") {
		t.Errorf("digest message To %q Subject %q", m.To, m.Subject)
	}
	for _, want := range []string{"■ 期限超過による上位への報告\n- finding F-1「件名 F-1」（C13101）", "期限 2026年12月8日", "■ Escalated: overdue", "due 2026-12-08"} {
		if !strings.Contains(m.Text, want) {
			t.Errorf("digest text lacks %q:\n%s", want, m.Text)
		}
	}
	if strings.Index(m.Text, "F-1") > strings.Index(m.Text, "F-3") {
		t.Errorf("escalation is not listed before the assignment:\n%s", m.Text)
	}
}

// TestDigestDelivery: digests go through the outbox, one e-mail per
// person with an address.
func TestDigestDelivery(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		srv := startSMTP(t, &smtpServer{})
		n, err := notify.New(s, notify.Config{SMTP: &notify.SMTP{Addr: srv.addr, From: "mamori@example.go.jp"}, Now: func() time.Time { return t0 }})
		if err != nil {
			t.Fatal(err)
		}
		a, b := sampleEvent(), sampleEvent()
		b.Kind, b.ItemID = notify.DueSoon, "F-2026-0013"
		c := sampleEvent()
		c.RecipientEmail, c.RecipientUser = "", "nomail"
		k, err := n.EnqueueDigests(t.Context(), notify.Digests([]notify.Event{a, b, c}, t0, t0.Location()))
		if err != nil || k != 1 {
			t.Fatalf("EnqueueDigests = %d, %v; want 1 (the person without an address gets none)", k, err)
		}
		drain(t, n)
		got := srv.messages()
		if len(got) != 1 {
			t.Fatalf("server received %d messages, want 1", len(got))
		}
		p := parse(t, got[0].data)
		if !strings.Contains(p.subject, "の通知 2 件") || !strings.Contains(p.body, "F-2026-0012") || !strings.Contains(p.body, "F-2026-0013") {
			t.Errorf("digest subject %q body:\n%s", p.subject, p.body)
		}
	})
}
