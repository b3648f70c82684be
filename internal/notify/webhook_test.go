package notify_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

var secret = []byte("0123456789abcdef-webhook-secret")

// TestSignVerify: a receiver accepts what was signed, and refuses a
// tampered body, another secret, a stale or future timestamp and a
// malformed header.
func TestSignVerify(t *testing.T) {
	body := []byte(`{"type":"assignment","event":{"item_id":"F-1"}}`)
	at := time.Unix(1_765_000_000, 0)
	h := notify.Sign(secret, at, body)
	if !strings.HasPrefix(h, "t=1765000000,v1=") || len(h) != len("t=1765000000,v1=")+64 {
		t.Fatalf("Sign = %q", h)
	}
	if err := notify.Verify(secret, h, body, at.Add(time.Minute), 0); err != nil {
		t.Errorf("Verify(signed) = %v", err)
	}
	for name, tc := range map[string]struct {
		secret []byte
		header string
		body   []byte
		now    time.Time
	}{
		"tampered body":  {secret, h, bytes.Replace(body, []byte("F-1"), []byte("F-2"), 1), at},
		"other secret":   {[]byte("another-secret-of-16+"), h, body, at},
		"stale":          {secret, h, body, at.Add(notify.DefaultTolerance + time.Second)},
		"future":         {secret, h, body, at.Add(-notify.DefaultTolerance - time.Second)},
		"retimed":        {secret, strings.Replace(h, "t=1765000000", "t=1765000100", 1), body, at},
		"no signature":   {secret, "t=1765000000", body, at},
		"garbage header": {secret, "v1=zz", body, at},
	} {
		if err := notify.Verify(tc.secret, tc.header, tc.body, tc.now, 0); mamori.KindOf(err) != mamori.Unauthenticated {
			t.Errorf("%s: Verify = %v, want Unauthenticated", name, err)
		}
	}
}

// receiver is a webhook endpoint for the tests: it verifies each
// delivery as a real receiver would and answers with the next status of
// its script (the last one repeating).
type receiver struct {
	mu       sync.Mutex
	statuses []int
	got      []delivery
	now      func() time.Time
}

type delivery struct {
	body             []byte
	kind, id, sigErr string
}

func (rc *receiver) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	d := delivery{body: body, kind: r.Header.Get(notify.EventHeader), id: r.Header.Get(notify.DeliveryHeader)}
	if err := notify.Verify(secret, r.Header.Get(notify.SignatureHeader), body, rc.now(), 0); err != nil {
		d.sigErr = err.Error()
	}
	rc.mu.Lock()
	rc.got = append(rc.got, d)
	st := rc.statuses[min(len(rc.got), len(rc.statuses))-1]
	rc.mu.Unlock()
	w.WriteHeader(st)
}

func (rc *receiver) deliveries() []delivery {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return append([]delivery(nil), rc.got...)
}

// clock is a settable test clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func drain(t *testing.T, n *notify.Notifier) int {
	t.Helper()
	k, err := n.DrainOnce(t.Context())
	if err != nil {
		t.Fatalf("DrainOnce = %v", err)
	}
	return k
}

// TestWebhookRetries: a delivery answered 5xx is retried after a growing
// wait with the same delivery ID and a fresh valid signature, each
// attempt's outcome kept, until it is accepted.
func TestWebhookRetries(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ck := &clock{t: time.Now().UTC().Truncate(time.Second)}
		rc := &receiver{statuses: []int{500, 502, 204}, now: ck.Now}
		srv := httptest.NewServer(rc)
		defer srv.Close()
		n, err := notify.New(s, notify.Config{Webhooks: notify.Webhooks{URLs: []string{srv.URL + "/hook"}, Secret: secret},
			MaxAttempts: 5, Backoff: time.Minute, Now: ck.Now})
		if err != nil {
			t.Fatal(err)
		}
		e := sampleEvent()
		e.Kind = notify.Escalation
		if k, err := n.Enqueue(t.Context(), e); err != nil || k != 1 {
			t.Fatalf("Enqueue = %d, %v; want 1 (one webhook, no SMTP)", k, err)
		}
		if len(rc.deliveries()) != 0 {
			t.Fatalf("Enqueue delivered at once; it must only queue")
		}
		if k := drain(t, n); k != 1 {
			t.Fatalf("first drain attempted %d", k)
		}
		if k := drain(t, n); k != 0 {
			t.Errorf("drain during the backoff attempted %d, want 0", k)
		}
		ck.Add(time.Minute)
		drain(t, n)
		ck.Add(time.Minute)
		if k := drain(t, n); k != 0 {
			t.Errorf("drain one minute after the second failure attempted %d, want 0 (the wait doubles)", k)
		}
		ck.Add(time.Minute)
		drain(t, n)
		got := rc.deliveries()
		if len(got) != 3 {
			t.Fatalf("receiver got %d deliveries, want 3", len(got))
		}
		for i, d := range got {
			if d.sigErr != "" || d.kind != "escalation" || d.id != got[0].id || d.id == "" {
				t.Errorf("delivery %d: kind %q id %q signature error %q", i, d.kind, d.id, d.sigErr)
			}
		}
		var env notify.Envelope
		if err := json.Unmarshal(got[2].body, &env); err != nil || env.Type != "escalation" || env.Event == nil ||
			env.Event.ItemID != "F-2026-0012" || env.Event.Org != "C13101" || env.Event.RecipientEmail != "tanaka@city.example.lg.jp" || !env.Event.Due.Equal(e.Due) {
			t.Errorf("body = %s (%v)", got[2].body, err)
		}
		rows, _ := s.FindOutbox(t.Context(), "", 10)
		if len(rows) != 1 || rows[0].Status != store.OutboxSent || rows[0].Attempts != 3 {
			t.Fatalf("outbox = %+v", rows)
		}
		as, _ := s.OutboxAttempts(t.Context(), rows[0].ID)
		if len(as) != 3 || as[0].Outcome != store.AttemptFailed || !strings.Contains(as[0].Reason, "500") ||
			!strings.Contains(as[1].Reason, "502") || as[2].Outcome != store.AttemptSent {
			t.Errorf("attempts = %+v", as)
		}
	})
}

// TestWebhookGiveUp: after MaxAttempts failures the notification is
// given up, every attempt kept, and the give-up audited; a 4xx answer
// (other than 408 and 429) is given up at once.
func TestWebhookGiveUp(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ck := &clock{t: time.Now().UTC()}
		down := &receiver{statuses: []int{503}, now: ck.Now}
		gone := &receiver{statuses: []int{410}, now: ck.Now}
		s1, s2 := httptest.NewServer(down), httptest.NewServer(gone)
		defer s1.Close()
		defer s2.Close()
		n, err := notify.New(s, notify.Config{Webhooks: notify.Webhooks{URLs: []string{s1.URL, s2.URL}, Secret: secret},
			MaxAttempts: 3, Backoff: time.Second, Now: ck.Now})
		if err != nil {
			t.Fatal(err)
		}
		if k, err := n.Enqueue(t.Context(), sampleEvent()); err != nil || k != 2 {
			t.Fatalf("Enqueue = %d, %v", k, err)
		}
		for range 5 {
			drain(t, n)
			ck.Add(time.Hour)
		}
		if a, b := len(down.deliveries()), len(gone.deliveries()); a != 3 || b != 1 {
			t.Errorf("deliveries = %d to the failing receiver (want 3), %d to the 410 one (want 1)", a, b)
		}
		rows, _ := s.FindOutbox(t.Context(), store.OutboxGaveUp, 10)
		if len(rows) != 2 {
			t.Fatalf("given up = %+v, want both", rows)
		}
		entries, _, err := s.AuditEntries(t.Context(), store.AuditFilter{Action: notify.GaveUp})
		if err != nil || len(entries) != 2 {
			t.Fatalf("audit entries %s = %+v, %v; want 2", notify.GaveUp, entries, err)
		}
		for _, r := range rows {
			as, _ := s.OutboxAttempts(t.Context(), r.ID)
			want := map[string]int{s1.URL: 3, s2.URL: 1}[r.Target]
			if len(as) != want || r.Attempts != want {
				t.Errorf("%s: %d attempts kept, row says %d; want %d", r.Target, len(as), r.Attempts, want)
			}
			found := false
			for _, e := range entries {
				found = found || (e.Target == "notify/"+itoa(r.ID) && e.Actor == "system" && e.OrgCode == "C13101" && strings.Contains(e.Detail, r.Target))
			}
			if !found {
				t.Errorf("no audit entry for the give-up of %s: %+v", r.Target, entries)
			}
		}
	})
}

// TestWebhookRedirect: a redirect within the receiver's host is
// followed; one to another host is not, and the delivery is given up.
func TestWebhookRedirect(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		ck := &clock{t: time.Now().UTC()}
		other := &receiver{statuses: []int{200}, now: ck.Now}
		os := httptest.NewServer(other)
		defer os.Close()
		same := &receiver{statuses: []int{200}, now: ck.Now}
		mux := http.NewServeMux()
		mux.HandleFunc("/elsewhere", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, os.URL+"/steal", http.StatusTemporaryRedirect)
		})
		mux.HandleFunc("/moved", func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, "/new", http.StatusPermanentRedirect)
		})
		mux.Handle("/new", same)
		hs := httptest.NewServer(mux)
		defer hs.Close()
		n, err := notify.New(s, notify.Config{Webhooks: notify.Webhooks{URLs: []string{hs.URL + "/elsewhere", hs.URL + "/moved"}, Secret: secret}, Now: ck.Now})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := n.Enqueue(t.Context(), sampleEvent()); err != nil {
			t.Fatal(err)
		}
		drain(t, n)
		if got := other.deliveries(); len(got) != 0 {
			t.Errorf("the other host received %d deliveries, want 0", len(got))
		}
		if got := same.deliveries(); len(got) != 1 || got[0].sigErr != "" {
			t.Errorf("same-host redirect: %+v, want one verified delivery", got)
		}
		gave, _ := s.FindOutbox(t.Context(), store.OutboxGaveUp, 10)
		sent, _ := s.FindOutbox(t.Context(), store.OutboxSent, 10)
		if len(gave) != 1 || gave[0].Target != hs.URL+"/elsewhere" || !strings.Contains(gave[0].LastError, "another host") || len(sent) != 1 {
			t.Errorf("given up %+v, sent %+v", gave, sent)
		}
	})
}

func itoa(i int64) string { b, _ := json.Marshal(i); return string(b) }
