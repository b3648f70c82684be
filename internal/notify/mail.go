package notify

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/smtp"
	"net/textproto"
	"strings"
	"time"
	"unicode"

	"mamori"
)

// StartTLS says when the SMTP sender upgrades the connection to TLS.
type StartTLS int

// The STARTTLS policies.
const (
	// StartTLSAuto uses STARTTLS whenever the server offers it, and then
	// requires it to succeed (a failed handshake is not a reason to carry
	// on in clear text); a server that does not offer it gets plain text.
	StartTLSAuto StartTLS = iota
	// StartTLSRequire refuses to send unless the server offers STARTTLS.
	StartTLSRequire
	// StartTLSOff never uses STARTTLS, even when offered (a relay on the
	// same host, or a server whose certificate cannot be verified).
	StartTLSOff
)

// ParseStartTLS reads a policy as given on the command line: auto,
// require or off.
func ParseStartTLS(s string) (StartTLS, error) {
	switch s {
	case "auto", "":
		return StartTLSAuto, nil
	case "require":
		return StartTLSRequire, nil
	case "off":
		return StartTLSOff, nil
	}
	return 0, mamori.Errorf(mamori.Invalid, "STARTTLS の指定「%s」は auto, require, off のいずれかです",
		"STARTTLS policy %q must be auto, require or off", mamori.Excerpt(s))
}

// SMTP is how mamori sends e-mail: the server's host:port, the From
// address, the STARTTLS policy and, optionally, a user name and password
// for AUTH PLAIN, which is only ever sent over TLS.
type SMTP struct {
	Addr     string
	From     string
	StartTLS StartTLS
	Username string
	Password string
	// TLS configures the STARTTLS handshake (trusted roots); ServerName
	// defaults to the host of Addr. nil: the system's roots.
	TLS *tls.Config
	// Hello is the name given in EHLO; "localhost" when empty.
	Hello string
	// Timeout bounds the whole conversation with the server; 30 seconds
	// when zero.
	Timeout time.Duration
}

// Validate checks the configuration before anything is sent.
func (c SMTP) Validate() error {
	host, port, err := net.SplitHostPort(c.Addr)
	if err != nil || host == "" || port == "" {
		return mamori.Errorf(mamori.Invalid, "SMTP サーバー「%s」は ホスト:ポート の形で指定してください（例：mail.example.go.jp:587）",
			"SMTP server %q must be HOST:PORT (e.g. mail.example.go.jp:587)", mamori.Excerpt(c.Addr))
	}
	if c.From == "" {
		return mamori.Errorf(mamori.Invalid, "送信元アドレス（From）を指定してください", "the From address is required")
	}
	if _, err := parseAddress("From", c.From); err != nil {
		return err
	}
	if c.Username != "" && c.StartTLS == StartTLSOff {
		return mamori.Errorf(mamori.Invalid, "SMTP 認証のパスワードは TLS でしか送りません。STARTTLS を off にして認証は使えません",
			"SMTP authentication sends the password only over TLS; it cannot be used with STARTTLS off")
	}
	if c.Password != "" && c.Username == "" {
		return mamori.Errorf(mamori.Invalid, "SMTP のパスワードがありますが利用者名がありません", "an SMTP password is set but no user name")
	}
	return nil
}

// permanentError is a failure that trying again cannot mend (a 5xx reply,
// a refused redirect, a 4xx from a webhook): the outbox gives up at once.
type permanentError struct{ err error }

func (e *permanentError) Error() string { return e.err.Error() }
func (e *permanentError) Unwrap() error { return e.err }

// permanent marks err as not worth retrying.
func permanent(err error) error { return &permanentError{err} }

// IsPermanent reports whether err is a delivery failure that retrying
// cannot mend.
func IsPermanent(err error) bool {
	_, ok := errors.AsType[*permanentError](err)
	return ok
}

// smtpFailure classifies an error of the SMTP conversation: a 5xx reply
// is permanent, anything else (4xx, a network error) may pass.
func smtpFailure(step string, err error) error {
	err = fmt.Errorf("smtp %s: %w", step, err)
	if te, ok := errors.AsType[*textproto.Error](err); ok && te.Code >= 500 {
		return permanent(err)
	}
	return err
}

// Compose builds the message as sent: headers (From, To, Subject encoded
// by RFC 2047, Date, Message-ID, MIME) and a quoted-printable UTF-8 body,
// with CRLF line ends. It refuses a line break or other control character
// in any header field, so no field can add a header of its own.
func (c SMTP) Compose(m Message, now time.Time) ([]byte, error) {
	from, err := parseAddress("From", c.From)
	if err != nil {
		return nil, err
	}
	to, err := parseAddress("To", m.To)
	if err != nil {
		return nil, err
	}
	if strings.IndexFunc(m.Subject, unicode.IsControl) >= 0 {
		return nil, mamori.Errorf(mamori.Invalid, "メールの件名に改行などの制御文字があります", "the mail subject holds a line break or other control character")
	}
	var id [16]byte
	rand.Read(id[:])
	domain := from[strings.LastIndexByte(from, '@')+1:]
	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	header("From", "<"+from+">")
	header("To", "<"+to+">")
	header("Subject", mime.BEncoding.Encode("UTF-8", m.Subject))
	header("Date", now.Format(time.RFC1123Z))
	header("Message-ID", "<"+hex.EncodeToString(id[:])+"@"+domain+">")
	header("MIME-Version", "1.0")
	header("Content-Type", `text/plain; charset="UTF-8"`)
	header("Content-Transfer-Encoding", "quoted-printable")
	header("Auto-Submitted", "auto-generated") // RFC 3834: no auto-replies
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	text := strings.ReplaceAll(strings.ReplaceAll(m.Text, "\r\n", "\n"), "\r", "\n")
	if _, err := qp.Write([]byte(text)); err != nil {
		return nil, err
	}
	if err := qp.Close(); err != nil {
		return nil, err
	}
	if !bytes.HasSuffix(b.Bytes(), []byte("\r\n")) {
		b.WriteString("\r\n")
	}
	return b.Bytes(), nil
}

// Send delivers one message through the configured server: EHLO,
// STARTTLS by the policy, AUTH PLAIN when a user name is set (never in
// clear text), MAIL, RCPT, DATA, QUIT. A failure that retrying cannot
// mend (a 5xx reply) satisfies IsPermanent.
func (c SMTP) Send(ctx context.Context, m Message, now time.Time) error {
	if err := c.Validate(); err != nil {
		return permanent(err)
	}
	data, err := c.Compose(m, now)
	if err != nil {
		return permanent(err)
	}
	to, _ := parseAddress("To", m.To)
	from, _ := parseAddress("From", c.From)
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	conn, err := (&net.Dialer{}).DialContext(ctx, "tcp", c.Addr)
	if err != nil {
		return fmt.Errorf("smtp connect: %w", err)
	}
	defer conn.Close()
	deadline, _ := ctx.Deadline()
	conn.SetDeadline(deadline)
	// A cancelled context ends the conversation at once.
	stop := context.AfterFunc(ctx, func() { conn.SetDeadline(time.Now()) })
	defer stop()
	host, _, _ := net.SplitHostPort(c.Addr)
	cl, err := smtp.NewClient(conn, host)
	if err != nil {
		return smtpFailure("greeting", err)
	}
	defer cl.Close()
	hello := c.Hello
	if hello == "" {
		hello = "localhost"
	}
	if err := cl.Hello(hello); err != nil {
		return smtpFailure("EHLO", err)
	}
	secure := false
	if offered, _ := cl.Extension("STARTTLS"); offered && c.StartTLS != StartTLSOff {
		cfg := &tls.Config{MinVersion: tls.VersionTLS12}
		if c.TLS != nil {
			cfg = c.TLS.Clone()
		}
		if cfg.ServerName == "" {
			cfg.ServerName = host
		}
		if err := cl.StartTLS(cfg); err != nil {
			return fmt.Errorf("smtp STARTTLS: %w", err)
		}
		secure = true
	} else if c.StartTLS == StartTLSRequire {
		return permanent(mamori.Errorf(mamori.Invalid, "SMTP サーバー %s は STARTTLS に対応していません（--smtp-starttls require）",
			"SMTP server %s does not offer STARTTLS (--smtp-starttls require)", c.Addr))
	}
	if c.Username != "" {
		if !secure {
			return permanent(mamori.Errorf(mamori.Invalid, "SMTP サーバー %s は STARTTLS に対応していないため、パスワードを送りません",
				"SMTP server %s does not offer STARTTLS, so the password is not sent", c.Addr))
		}
		if ok, mechs := cl.Extension("AUTH"); !ok || !strings.Contains(" "+strings.ToUpper(mechs)+" ", " PLAIN ") {
			return permanent(mamori.Errorf(mamori.Invalid, "SMTP サーバー %s は AUTH PLAIN に対応していません", "SMTP server %s does not offer AUTH PLAIN", c.Addr))
		}
		if err := cl.Auth(smtp.PlainAuth("", c.Username, c.Password, host)); err != nil {
			return smtpFailure("AUTH", err)
		}
	}
	if err := cl.Mail(from); err != nil {
		return smtpFailure("MAIL", err)
	}
	if err := cl.Rcpt(to); err != nil {
		return smtpFailure("RCPT", err)
	}
	w, err := cl.Data()
	if err != nil {
		return smtpFailure("DATA", err)
	}
	if _, err := w.Write(data); err != nil {
		return smtpFailure("DATA", err)
	}
	if err := w.Close(); err != nil {
		return smtpFailure("DATA", err)
	}
	// The message is accepted; a failed QUIT does not unsend it.
	cl.Quit()
	return nil
}
