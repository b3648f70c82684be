package app_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"mamori/internal/app"
	"mamori/internal/notify"
	"mamori/internal/store"
)

const hookSecret = "app-test-webhook-secret-0123456789"

// mailSink is a minimal real SMTP server (EHLO, MAIL, RCPT, DATA, QUIT,
// no STARTTLS) that keeps the recipients and data of what it receives.
type mailSink struct {
	addr string
	mu   sync.Mutex
	got  []string // "to\n" + data
}

func startMailSink(t *testing.T) *mailSink {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	m := &mailSink{addr: ln.Addr().String()}
	var wg sync.WaitGroup
	t.Cleanup(func() { ln.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Go(func() {
				defer c.Close()
				tp := textproto.NewConn(c)
				tp.PrintfLine("220 sink ready")
				var to string
				for {
					line, err := tp.ReadLine()
					if err != nil {
						return
					}
					switch verb, arg, _ := strings.Cut(line, " "); strings.ToUpper(verb) {
					case "EHLO", "HELO", "MAIL", "RSET", "NOOP":
						tp.PrintfLine("250 ok")
					case "RCPT":
						to = strings.Trim(strings.TrimPrefix(arg, "TO:"), "<>")
						tp.PrintfLine("250 ok")
					case "DATA":
						tp.PrintfLine("354 go on")
						b, err := tp.ReadDotBytes()
						if err != nil {
							return
						}
						m.mu.Lock()
						m.got = append(m.got, to+"\n"+string(b))
						m.mu.Unlock()
						tp.PrintfLine("250 queued")
					case "QUIT":
						tp.PrintfLine("221 bye")
						return
					default:
						tp.PrintfLine("502 unknown")
					}
				}
			})
		}
	})
	return m
}

func (m *mailSink) messages() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]string(nil), m.got...)
}

// hookSink records signed webhook deliveries and whether each verified.
type hookSink struct {
	mu  sync.Mutex
	got []string // kind + " " + "ok" or the verification error
}

func (h *hookSink) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	res := "ok"
	if err := notify.Verify([]byte(hookSecret), r.Header.Get(notify.SignatureHeader), body, time.Now(), 0); err != nil {
		res = err.Error()
	}
	h.mu.Lock()
	h.got = append(h.got, r.Header.Get(notify.EventHeader)+" "+res)
	h.mu.Unlock()
}

func (h *hookSink) deliveries() []string {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.got...)
}

// TestNotifyTestCommand: "mamori notify test" sends one e-mail and one
// signed event per webhook with serve's flags, says so, and audits it; a
// server that cannot be reached fails the command in both languages.
func TestNotifyTestCommand(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	mail := startMailSink(t)
	hooks := &hookSink{}
	hs := httptest.NewServer(hooks)
	defer hs.Close()
	env := map[string]string{app.EnvWebhookSecret: hookSecret}
	r := run(t, env, "--db", db, "notify", "test", "--to", "kanri@example.go.jp", "--smtp-addr", mail.addr,
		"--smtp-from", "mamori@example.go.jp", "--webhook-url", hs.URL+"/a", "--webhook-url", hs.URL+"/b")
	if r.code != 0 {
		t.Fatalf("notify test = exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
	if got := mail.messages(); len(got) != 1 || !strings.HasPrefix(got[0], "kanri@example.go.jp\n") || !strings.Contains(got[0], "Subject: =?UTF-8?b?") {
		t.Errorf("mail received = %q", got)
	}
	if got := hooks.deliveries(); len(got) != 2 || got[0] != "test ok" || got[1] != "test ok" {
		t.Errorf("webhook deliveries = %q, want two verified test events", got)
	}
	if !strings.Contains(r.stdout, "sent: e-mail to kanri@example.go.jp") || strings.Count(r.stdout, "sent: webhook") != 2 {
		t.Errorf("stdout:\n%s", r.stdout)
	}
	a := run(t, nil, "--db", db, "audit", "list")
	if !strings.Contains(a.stdout, "notify_test") {
		t.Errorf("audit list lacks notify_test:\n%s", a.stdout)
	}

	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := ln.Addr().String()
	ln.Close()
	r = run(t, nil, "--db", db, "notify", "test", "--to", "kanri@example.go.jp", "--smtp-addr", dead, "--smtp-from", "mamori@example.go.jp")
	if r.code != 1 || !strings.Contains(r.stderr, "届きませんでした") || !strings.Contains(r.stderr, "not delivered") {
		t.Errorf("notify test to a dead server = exit %d\n%s%s", r.code, r.stdout, r.stderr)
	}
}

// TestNotifyFlagsRefused: secrets come from the environment only, and
// half a configuration is a usage error.
func TestNotifyFlagsRefused(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	for _, tc := range []struct {
		env  map[string]string
		args []string
		want string
	}{
		{nil, []string{"serve", "--webhook-url", "https://hooks.example.jp/x"}, app.EnvWebhookSecret},
		{nil, []string{"serve", "--smtp-addr", "mail.example.go.jp:587"}, "--smtp-from"},
		{nil, []string{"serve", "--smtp-from", "a@example.go.jp"}, "--smtp-addr"},
		{nil, []string{"serve", "--smtp-addr", "mail.example.go.jp:587", "--smtp-from", "a@example.go.jp", "--smtp-user", "u"}, app.EnvSMTPPassword},
		{nil, []string{"serve", "--smtp-password", "pw"}, "smtp-password"},
		{nil, []string{"serve", "--webhook-secret", "s"}, "webhook-secret"},
		{nil, []string{"notify", "test", "--to", "a@example.go.jp"}, "nothing to test"},
		{nil, []string{"notify"}, "notify needs a command"},
	} {
		r := run(t, tc.env, append([]string{"--db", db}, tc.args...)...)
		if r.code != 2 || !strings.Contains(r.stderr, tc.want) {
			t.Errorf("mamori %s = exit %d, want 2 naming %q\n%s", strings.Join(tc.args, " "), r.code, tc.want, r.stderr)
		}
	}
	r := run(t, map[string]string{app.EnvWebhookSecret: "short"}, "--db", db, "serve", "--webhook-url", "https://hooks.example.jp/x")
	if r.code == 0 || !strings.Contains(r.stderr, "16") {
		t.Errorf("serve with a short secret = exit %d\n%s", r.code, r.stderr)
	}
}

// TestServeDeliversOutbox: what was queued while no server ran (the
// outbox is in the database) is delivered when "mamori serve" starts with
// notifications configured.
func TestServeDeliversOutbox(t *testing.T) {
	db := filepath.Join(t.TempDir(), "m.db")
	hooks := &hookSink{}
	hs := httptest.NewServer(hooks)
	defer hs.Close()
	s, err := store.Open(t.Context(), db)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Migrate(t.Context()); err != nil {
		t.Fatal(err)
	}
	n, err := notify.New(s, notify.Config{Webhooks: notify.Webhooks{URLs: []string{hs.URL}, Secret: []byte(hookSecret)}})
	if err != nil {
		t.Fatal(err)
	}
	if k, err := n.Enqueue(t.Context(), notify.Event{Kind: notify.DueSoon, ItemID: "F-1", ItemKind: "finding", Subject: "期限間近", Org: "M01"}); err != nil || k != 1 {
		t.Fatalf("Enqueue = %d, %v", k, err)
	}
	s.Close()

	ctx, cancel := context.WithCancel(t.Context())
	var out, errb lockedBuffer
	done := make(chan error, 1)
	go func() {
		e := &app.Env{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &errb,
			Getenv: func(k string) string { return map[string]string{app.EnvWebhookSecret: hookSecret}[k] }}
		done <- app.Run(ctx, e, []string{"--db", db, "serve", "--addr", "127.0.0.1:0", "--webhook-url", hs.URL})
	}()
	deadline := time.Now().Add(20 * time.Second)
	for len(hooks.deliveries()) == 0 && time.Now().Before(deadline) {
		time.Sleep(50 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("serve = %v\n%s", err, errb.String())
	}
	if got := hooks.deliveries(); len(got) != 1 || got[0] != "due_soon ok" {
		t.Errorf("deliveries = %q, want one verified due_soon event", got)
	}
	if !strings.Contains(out.String(), "notifications on (1 webhook(s))") {
		t.Errorf("serve did not say notifications are on:\n%s", out.String())
	}
	l := run(t, nil, "--db", db, "notify", "list", "--attempts")
	if l.code != 0 || !regexp.MustCompile(`(?m)^1\s+webhook\s+\S+\s+due_soon\s+sent\s+1/8`).MatchString(l.stdout) ||
		!regexp.MustCompile(`(?m)#1\s+\S+\s+sent`).MatchString(l.stdout) {
		t.Errorf("notify list --attempts = exit %d\n%s%s", l.code, l.stdout, l.stderr)
	}
	if l := run(t, nil, "--db", db, "notify", "list", "--status", "gave_up"); l.code != 0 || strings.Contains(l.stdout, "due_soon") {
		t.Errorf("notify list --status gave_up = exit %d\n%s", l.code, l.stdout)
	}
}
