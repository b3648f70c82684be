package notify_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestDeliveredThenStopped: the receiver takes the message and the worker
// is stopped just after (serve shutting down as the answer arrives). The
// delivery is still recorded as sent; before, the record was written with
// the stopped context, failed, and the message stayed pending, to be sent
// again after the restart.
func TestDeliveredThenStopped(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ctx, stop := context.WithCancel(t.Context())
		var received atomic.Bool
		accepted := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			received.Store(true)
			w.WriteHeader(http.StatusOK)
		}))
		defer accepted.Close()
		// The clock is read again once the delivery has returned, to date
		// its record: the stop comes exactly then.
		now := func() time.Time {
			if received.Load() {
				stop()
			}
			return time.Now()
		}
		n, err := notify.New(s, notify.Config{Webhooks: notify.Webhooks{URLs: []string{accepted.URL}, Secret: secret}, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		if k, err := n.Enqueue(t.Context(), sampleEvent()); err != nil || k != 1 {
			t.Fatalf("Enqueue = %d, %v", k, err)
		}
		if _, err := n.DrainOnce(ctx); err != nil {
			t.Errorf("DrainOnce = %v", err)
		}
		if ctx.Err() == nil {
			t.Fatal("the worker was not stopped during the drain")
		}
		rows, err := s.FindOutbox(t.Context(), "", 10)
		if err != nil || len(rows) != 1 {
			t.Fatalf("outbox = %+v, %v", rows, err)
		}
		if o := rows[0]; o.Status != store.OutboxSent || o.Attempts != 1 {
			t.Errorf("delivered, then stopped: status %s, %d attempts; want sent after 1", o.Status, o.Attempts)
		}
	})
}
