package notify_test

import (
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/store/storetest"
)

// TestNothingConfigured: with no SMTP server and no webhook nothing is
// queued or sent; with SMTP only, an event without an address queues
// nothing either.
func TestNothingConfigured(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		n, err := notify.New(s, notify.Config{})
		if err != nil {
			t.Fatal(err)
		}
		if n.Enabled() {
			t.Errorf("Enabled() = true with nothing configured")
		}
		if k, err := n.Enqueue(t.Context(), sampleEvent()); k != 0 || err != nil {
			t.Errorf("Enqueue = %d, %v; want 0, nil", k, err)
		}
		if k, err := n.EnqueueDigests(t.Context(), notify.Digests([]notify.Event{sampleEvent()}, t0, t0.Location())); k != 0 || err != nil {
			t.Errorf("EnqueueDigests = %d, %v; want 0, nil", k, err)
		}
		if k := drain(t, n); k != 0 {
			t.Errorf("DrainOnce attempted %d", k)
		}
		srv := startSMTP(t, &smtpServer{})
		n, err = notify.New(s, notify.Config{SMTP: &notify.SMTP{Addr: srv.addr, From: "mamori@example.go.jp"}})
		if err != nil {
			t.Fatal(err)
		}
		e := sampleEvent()
		e.RecipientEmail = ""
		if k, err := n.Enqueue(t.Context(), e); k != 0 || err != nil {
			t.Errorf("Enqueue(no address) = %d, %v; want 0, nil", k, err)
		}
		drain(t, n)
		if rows, _ := s.FindOutbox(t.Context(), "", 10); len(rows) != 0 || len(srv.messages()) != 0 {
			t.Errorf("outbox %+v, server received %d; want nothing", rows, len(srv.messages()))
		}
	})
}

// TestMailOutbox: an event queued while the mail server is down costs
// its action nothing; the failed attempt is kept with its reason; a new
// Notifier on the same database (a restart) delivers it once the server
// is up.
func TestMailOutbox(t *testing.T) {
	storetest.Each(t, func(t *testing.T, s *store.Store) {
		// A port with nothing listening: take one and close it.
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		deadAddr := ln.Addr().String()
		ln.Close()
		ck := &clock{t: t0}
		n, err := notify.New(s, notify.Config{SMTP: &notify.SMTP{Addr: deadAddr, From: "mamori@example.go.jp", Timeout: 2 * time.Second},
			Backoff: time.Minute, Now: ck.Now})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		n.Notify(t.Context(), sampleEvent())
		if d := time.Since(start); d > time.Second {
			t.Errorf("Notify took %s with the server down; it must only queue", d)
		}
		drain(t, n)
		rows, _ := s.FindOutbox(t.Context(), "", 10)
		if len(rows) != 1 || rows[0].Status != store.OutboxPending || rows[0].Attempts != 1 || rows[0].LastError == "" {
			t.Fatalf("outbox after a failed attempt = %+v", rows)
		}
		as, _ := s.OutboxAttempts(t.Context(), rows[0].ID)
		if len(as) != 1 || as[0].Outcome != store.AttemptFailed || !strings.Contains(as[0].Reason, "connect") {
			t.Errorf("attempts = %+v", as)
		}

		srv := startSMTP(t, &smtpServer{})
		ck.Add(time.Minute)
		restarted, err := notify.New(s, notify.Config{SMTP: &notify.SMTP{Addr: srv.addr, From: "mamori@example.go.jp"}, Now: ck.Now})
		if err != nil {
			t.Fatal(err)
		}
		if k := drain(t, restarted); k != 1 {
			t.Fatalf("drain after the restart attempted %d, want 1", k)
		}
		got := srv.messages()
		if len(got) != 1 || got[0].to != "tanaka@city.example.lg.jp" {
			t.Fatalf("server received %+v", got)
		}
		if p := parse(t, got[0].data); !strings.Contains(p.subject, "マイナンバー利用事務系端末") {
			t.Errorf("Subject = %q", p.subject)
		}
		if o, _ := s.OutboxByID(t.Context(), rows[0].ID); o.Status != store.OutboxSent || o.Attempts != 2 {
			t.Errorf("outbox row = %+v, want sent after 2 attempts", o)
		}
		if k := drain(t, restarted); k != 0 || len(srv.messages()) != 1 {
			t.Errorf("a sent notification was attempted again")
		}
	})
}

// TestWebhookTimeout: a receiver slower than the timeout is a failure
// worth retrying, and the worker is not held beyond the timeout.
func TestWebhookTimeout(t *testing.T) {
	release := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { <-release }))
	defer slow.Close()
	defer close(release)
	w := notify.Webhooks{URLs: []string{slow.URL}, Secret: secret, Timeout: 200 * time.Millisecond}
	start := time.Now()
	err := w.Post(t.Context(), slow.URL, "test", "1", []byte(`{}`), time.Now())
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("Post to a slow receiver = %v, want a failure worth retrying", err)
	}
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Post took %s, want about the 200ms timeout", d)
	}
}

// TestConfigRefused: a webhook without a secret worth the name, a URL
// that is not http(s) and an SMTP server without From are refused.
func TestConfigRefused(t *testing.T) {
	s := storetest.OpenSQLite(t)
	for name, cfg := range map[string]notify.Config{
		"short secret": {Webhooks: notify.Webhooks{URLs: []string{"https://hooks.example.jp/x"}, Secret: []byte("short")}},
		"ftp url":      {Webhooks: notify.Webhooks{URLs: []string{"ftp://hooks.example.jp/x"}, Secret: secret}},
		"userinfo url": {Webhooks: notify.Webhooks{URLs: []string{"https://u:p@hooks.example.jp/x"}, Secret: secret}},
		"no from":      {SMTP: &notify.SMTP{Addr: "mail.example.go.jp:587"}},
		"no port":      {SMTP: &notify.SMTP{Addr: "mail.example.go.jp", From: "a@example.go.jp"}},
		"from header":  {SMTP: &notify.SMTP{Addr: "mail.example.go.jp:25", From: "a@example.go.jp\nBcc: b@example.com"}},
	} {
		if _, err := notify.New(s, cfg); err == nil {
			t.Errorf("%s: New = nil error, want a refusal", name)
		}
	}
}
