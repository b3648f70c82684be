package store_test

import (
	"testing"
	"time"

	"mamori"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestOutbox: notifications wait in the outbox until due, a claimed one is
// not claimed again within its lease, and every attempt's outcome is kept
// with the row's new state, on both stores.
func TestOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx := t.Context()
		t0 := time.Date(2026, 12, 6, 9, 0, 0, 500_000_000, time.UTC)
		ids, err := s.EnqueueOutbox(ctx, []store.Outbox{
			{Channel: "email", Target: "tanaka@example.go.jp", Kind: "assignment", OrgCode: "M01", Payload: `{"subject":"件名"}`, MaxAttempts: 3, CreatedAt: t0},
			{Channel: "webhook", Target: "https://hooks.example.jp/m", Kind: "escalation", Payload: `{}`, MaxAttempts: 2, CreatedAt: t0, NextAttemptAt: t0.Add(time.Hour)},
		})
		if err != nil || len(ids) != 2 {
			t.Fatalf("EnqueueOutbox = %v, %v", ids, err)
		}
		// A channel the schema does not know is refused, and nothing of the batch is kept.
		if _, err := s.EnqueueOutbox(ctx, []store.Outbox{{Channel: "email", Target: "a@b", Kind: "k", CreatedAt: t0}, {Channel: "fax", Target: "x", Kind: "k", CreatedAt: t0}}); err == nil {
			t.Errorf("EnqueueOutbox(fax) = nil error, want refusal")
		}
		if all, _ := s.FindOutbox(ctx, "", 10); len(all) != 2 {
			t.Errorf("FindOutbox after refused batch = %d rows, want 2", len(all))
		}

		got, err := s.ClaimOutbox(ctx, t0.Add(time.Nanosecond*1000), time.Minute, 10)
		if err != nil || len(got) != 1 || got[0].ID != ids[0] || got[0].Payload != `{"subject":"件名"}` || got[0].OrgCode != "M01" {
			t.Fatalf("ClaimOutbox(t0) = %+v, %v; want the e-mail only", got, err)
		}
		if again, _ := s.ClaimOutbox(ctx, t0.Add(30*time.Second), time.Minute, 10); len(again) != 0 {
			t.Errorf("ClaimOutbox within the lease = %+v, want nothing", again)
		}

		o, err := s.RecordOutboxAttempt(ctx, ids[0], store.OutboxAttempt{At: t0, Outcome: store.AttemptFailed, Reason: "421 busy"}, t0.Add(2*time.Minute), false)
		if err != nil || o.Status != store.OutboxPending || o.Attempts != 1 || o.LastError != "421 busy" {
			t.Fatalf("RecordOutboxAttempt(failed) = %+v, %v", o, err)
		}
		if due, _ := s.ClaimOutbox(ctx, t0.Add(time.Minute), time.Minute, 10); len(due) != 0 {
			t.Errorf("ClaimOutbox before the retry time = %+v, want nothing", due)
		}
		due, err := s.ClaimOutbox(ctx, t0.Add(2*time.Minute), time.Minute, 10)
		if err != nil || len(due) != 1 {
			t.Fatalf("ClaimOutbox at the retry time = %+v, %v", due, err)
		}
		o, err = s.RecordOutboxAttempt(ctx, ids[0], store.OutboxAttempt{At: t0.Add(2 * time.Minute), Outcome: store.AttemptSent}, time.Time{}, false)
		if err != nil || o.Status != store.OutboxSent || o.Attempts != 2 {
			t.Fatalf("RecordOutboxAttempt(sent) = %+v, %v", o, err)
		}
		// A delivered row takes no further attempt.
		if _, err := s.RecordOutboxAttempt(ctx, ids[0], store.OutboxAttempt{At: t0, Outcome: store.AttemptSent}, time.Time{}, false); mamori.KindOf(err) != mamori.Conflict {
			t.Errorf("RecordOutboxAttempt on a sent row = %v, want Conflict", err)
		}
		as, err := s.OutboxAttempts(ctx, ids[0])
		if err != nil || len(as) != 2 || as[0].Outcome != store.AttemptFailed || as[0].Reason != "421 busy" || as[1].Outcome != store.AttemptSent || !as[1].At.Equal(t0.Add(2*time.Minute)) {
			t.Errorf("OutboxAttempts = %+v, %v", as, err)
		}

		o, err = s.RecordOutboxAttempt(ctx, ids[1], store.OutboxAttempt{At: t0, Outcome: store.AttemptFailed, Reason: "410 gone"}, time.Time{}, true)
		if err != nil || o.Status != store.OutboxGaveUp {
			t.Fatalf("RecordOutboxAttempt(gave up) = %+v, %v", o, err)
		}
		if gave, _ := s.FindOutbox(ctx, store.OutboxGaveUp, 10); len(gave) != 1 || gave[0].ID != ids[1] {
			t.Errorf("FindOutbox(gave_up) = %+v", gave)
		}
		if _, err := s.OutboxByID(ctx, 999999); mamori.KindOf(err) != mamori.NotFound {
			t.Errorf("OutboxByID(999999) = %v, want NotFound", err)
		}
	})
}
