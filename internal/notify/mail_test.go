package notify_test

import (
	"crypto/tls"
	"io"
	"mime"
	"mime/quotedprintable"
	"net/mail"
	"regexp"
	"strings"
	"testing"
	"time"

	"mamori"
	"mamori/internal/notify"
)

var t0 = time.Date(2026, 12, 6, 9, 30, 0, 0, time.FixedZone("JST", 9*3600))

func sampleEvent() notify.Event {
	return notify.Event{
		Kind: notify.Assignment, ItemID: "F-2026-0012", ItemKind: "finding",
		Subject: "マイナンバー利用事務系端末の二要素認証未導入", Org: "C13101",
		Due: time.Date(2026, 12, 20, 0, 0, 0, 0, time.UTC), RecipientUser: "tanaka",
		RecipientEmail: "tanaka@city.example.lg.jp", URL: "https://mamori.example.lg.jp/findings/F-2026-0012", At: t0,
	}
}

// parsed is a received message read back as a mail client reads it.
type parsed struct {
	header mail.Header
	// subject is the decoded Subject; body the decoded text.
	subject, body string
}

func parse(t *testing.T, data string) parsed {
	t.Helper()
	m, err := mail.ReadMessage(strings.NewReader(data))
	if err != nil {
		t.Fatalf("ReadMessage: %v\n%s", err, data)
	}
	subj, err := new(mime.WordDecoder).DecodeHeader(m.Header.Get("Subject"))
	if err != nil {
		t.Fatalf("decode Subject %q: %v", m.Header.Get("Subject"), err)
	}
	if got := m.Header.Get("Content-Transfer-Encoding"); got != "quoted-printable" {
		t.Fatalf("Content-Transfer-Encoding = %q", got)
	}
	body, err := io.ReadAll(quotedprintable.NewReader(m.Body))
	if err != nil {
		t.Fatalf("decode body: %v", err)
	}
	return parsed{m.Header, subj, string(body)}
}

// TestSendMail: an event's e-mail reaches a real SMTP server with a
// Japanese subject encoded by RFC 2047 that decodes back, a
// quoted-printable UTF-8 body in Japanese and English, a Message-ID and a
// Date, and raw 7-bit ASCII on the wire.
func TestSendMail(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	c := notify.SMTP{Addr: srv.addr, From: "mamori@city.example.lg.jp"}
	e := sampleEvent()
	e.Subject += "\u3000.leading dot test"
	m := e.Render()
	m.Text += ".a line starting with a dot\n"
	if err := c.Send(t.Context(), m, t0); err != nil {
		t.Fatalf("Send = %v", err)
	}
	got := srv.messages()
	if len(got) != 1 {
		t.Fatalf("server received %d messages, want 1", len(got))
	}
	r := got[0]
	if r.from != "mamori@city.example.lg.jp" || r.to != "tanaka@city.example.lg.jp" || r.tls {
		t.Errorf("envelope = %+v", r)
	}
	for i, ch := range r.data {
		if ch > 127 {
			t.Fatalf("non-ASCII byte at %d on the wire: %q", i, r.data[max(0, i-20):i+5])
		}
	}
	p := parse(t, r.data)
	if p.subject != m.Subject || !strings.Contains(p.subject, "担当の割当て") || !strings.Contains(p.subject, "Assigned to you") {
		t.Errorf("Subject decodes to %q, want %q", p.subject, m.Subject)
	}
	for _, want := range []string{"件名: マイナンバー利用事務系端末の二要素認証未導入", "期限: 2026年12月20日", "Due: 2026-12-20",
		"URL: https://mamori.example.lg.jp/findings/F-2026-0012", "組織: C13101", "\n.a line starting with a dot\n"} {
		if !strings.Contains(p.body, want) {
			t.Errorf("body lacks %q:\n%s", want, p.body)
		}
	}
	if !regexp.MustCompile(`^<[0-9a-f]{32}@city\.example\.lg\.jp>$`).MatchString(p.header.Get("Message-ID")) {
		t.Errorf("Message-ID = %q", p.header.Get("Message-ID"))
	}
	if d, err := p.header.Date(); err != nil || !d.Equal(t0) {
		t.Errorf("Date = %v, %v; want %v", d, err, t0)
	}
	if ct := p.header.Get("Content-Type"); !strings.Contains(ct, "UTF-8") {
		t.Errorf("Content-Type = %q", ct)
	}
}

// TestSendStartTLSAuth: a server offering STARTTLS gets it, and the
// password goes only over the encrypted connection.
func TestSendStartTLSAuth(t *testing.T) {
	cfg, roots := testCert(t)
	srv := startSMTP(t, &smtpServer{tls: cfg, user: "mamori", pass: "s3cret-パスワード"})
	c := notify.SMTP{Addr: srv.addr, From: "mamori@example.go.jp", Username: "mamori", Password: "s3cret-パスワード",
		TLS: &tls.Config{RootCAs: roots}}
	if err := c.Send(t.Context(), sampleEvent().Render(), t0); err != nil {
		t.Fatalf("Send = %v", err)
	}
	got := srv.messages()
	if len(got) != 1 || !got[0].tls || got[0].authed != "mamori" {
		t.Fatalf("received %+v, want one message over TLS from the authenticated user", got)
	}
	if srv.clearAuths() != 0 {
		t.Errorf("AUTH sent %d times in clear text", srv.clearAuths())
	}
	// A wrong password is a permanent failure (535), and nothing is sent.
	c.Password = "wrong"
	if err := c.Send(t.Context(), sampleEvent().Render(), t0); err == nil || !notify.IsPermanent(err) {
		t.Errorf("Send with a wrong password = %v, want a permanent failure", err)
	}
	if n := len(srv.messages()); n != 1 {
		t.Errorf("server holds %d messages after a refused AUTH, want 1", n)
	}
}

// TestStartTLSPolicy: STARTTLS offered must succeed (an untrusted
// certificate stops the send, with no fall-back to clear text); require
// refuses a server that does not offer it; a password is never sent to a
// server without TLS; off sends in clear text although it is offered.
func TestStartTLSPolicy(t *testing.T) {
	cfg, roots := testCert(t)
	tlsSrv := startSMTP(t, &smtpServer{tls: cfg})
	plain := startSMTP(t, &smtpServer{user: "mamori", pass: "pw"})
	m := sampleEvent().Render()

	if err := (notify.SMTP{Addr: tlsSrv.addr, From: "a@example.go.jp"}).Send(t.Context(), m, t0); err == nil {
		t.Errorf("Send to a server whose certificate is not trusted = nil, want an error")
	}
	if n := len(tlsSrv.messages()); n != 0 {
		t.Errorf("untrusted STARTTLS: server received %d messages in clear text, want 0", n)
	}
	err := (notify.SMTP{Addr: plain.addr, From: "a@example.go.jp", StartTLS: notify.StartTLSRequire}).Send(t.Context(), m, t0)
	if err == nil || !notify.IsPermanent(err) || !strings.Contains(err.Error(), "STARTTLS") {
		t.Errorf("require against a server without STARTTLS = %v, want a permanent error naming STARTTLS", err)
	}
	err = (notify.SMTP{Addr: plain.addr, From: "a@example.go.jp", Username: "mamori", Password: "pw"}).Send(t.Context(), m, t0)
	if err == nil || plain.clearAuths() != 0 {
		t.Errorf("AUTH without TLS = %v (AUTH seen %d times), want refused before sending", err, plain.clearAuths())
	}
	if n := len(plain.messages()); n != 0 {
		t.Errorf("server without TLS received %d messages, want 0", n)
	}
	if err := (notify.SMTP{Addr: tlsSrv.addr, From: "a@example.go.jp", StartTLS: notify.StartTLSOff}).Send(t.Context(), m, t0); err != nil {
		t.Errorf("Send with STARTTLS off = %v", err)
	}
	if got := tlsSrv.messages(); len(got) != 1 || got[0].tls {
		t.Errorf("STARTTLS off: received %+v, want one message in clear text", got)
	}
	if err := (notify.SMTP{Addr: tlsSrv.addr, From: "a@example.go.jp", TLS: &tls.Config{RootCAs: roots}}).Send(t.Context(), m, t0); err != nil {
		t.Errorf("Send with the certificate trusted = %v", err)
	}
	if got := tlsSrv.messages(); len(got) != 2 || !got[1].tls {
		t.Errorf("trusted STARTTLS: received %+v, want the second message over TLS", got)
	}
	if err := (notify.SMTP{Addr: plain.addr, From: "a@example.go.jp", Username: "u", StartTLS: notify.StartTLSOff}).Validate(); mamori.KindOf(err) != mamori.Invalid {
		t.Errorf("Validate(AUTH with STARTTLS off) = %v, want Invalid", err)
	}
}

// TestHeaderInjection: a line break in the subject, the recipient or the
// sender is refused before anything reaches the server.
func TestHeaderInjection(t *testing.T) {
	srv := startSMTP(t, &smtpServer{})
	ok := notify.SMTP{Addr: srv.addr, From: "mamori@example.go.jp"}
	for name, tc := range map[string]struct {
		c notify.SMTP
		m notify.Message
	}{
		"subject CRLF": {ok, notify.Message{To: "a@example.go.jp", Subject: "hello\r\nBcc: victim@example.com", Text: "x"}},
		"subject LF":   {ok, notify.Message{To: "a@example.go.jp", Subject: "hello\nBcc: victim@example.com", Text: "x"}},
		"to CRLF":      {ok, notify.Message{To: "a@example.go.jp\r\nBcc: victim@example.com", Subject: "s", Text: "x"}},
		"to with name": {ok, notify.Message{To: "Eve <a@example.go.jp>, victim@example.com", Subject: "s", Text: "x"}},
		"from CRLF":    {notify.SMTP{Addr: srv.addr, From: "m@example.go.jp\r\nBcc: victim@example.com"}, notify.Message{To: "a@example.go.jp", Subject: "s", Text: "x"}},
	} {
		err := tc.c.Send(t.Context(), tc.m, t0)
		if err == nil || !notify.IsPermanent(err) {
			t.Errorf("%s: Send = %v, want a permanent refusal", name, err)
		}
		if _, err := tc.c.Compose(tc.m, t0); mamori.KindOf(err) != mamori.Invalid {
			t.Errorf("%s: Compose = %v, want Invalid", name, err)
		}
	}
	if n := len(srv.messages()); n != 0 {
		t.Errorf("server received %d messages, want 0", n)
	}
	// An event carries no line break into a subject either.
	e := sampleEvent()
	e.Subject = "件名\r\nBcc: victim@example.com"
	if err := e.Validate(); mamori.KindOf(err) != mamori.Invalid {
		t.Errorf("Event.Validate(subject with CRLF) = %v, want Invalid", err)
	}
}

// TestRecipientRefused: a 5xx answer to RCPT is a permanent failure.
func TestRecipientRefused(t *testing.T) {
	srv := startSMTP(t, &smtpServer{rcptReply: "550 no such user"})
	err := (notify.SMTP{Addr: srv.addr, From: "a@example.go.jp"}).Send(t.Context(), sampleEvent().Render(), t0)
	if err == nil || !notify.IsPermanent(err) || !strings.Contains(err.Error(), "550") {
		t.Errorf("Send = %v, want a permanent failure with 550", err)
	}
	srv4 := startSMTP(t, &smtpServer{rcptReply: "451 try later"})
	err = (notify.SMTP{Addr: srv4.addr, From: "a@example.go.jp"}).Send(t.Context(), sampleEvent().Render(), t0)
	if err == nil || notify.IsPermanent(err) {
		t.Errorf("Send = %v, want a failure worth retrying", err)
	}
}
