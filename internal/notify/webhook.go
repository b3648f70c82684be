package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mamori"
)

// The headers of a webhook delivery.
const (
	// SignatureHeader carries "t=UNIX,v1=HEX": the Unix time the request
	// was signed and the hex HMAC-SHA256, under the shared secret, of the
	// time in decimal, a full stop and the body: HMAC(secret, "1765000000." + body).
	SignatureHeader = "X-Mamori-Signature"
	// EventHeader names the event's kind (assignment, due_soon, escalation, test).
	EventHeader = "X-Mamori-Event"
	// DeliveryHeader identifies the delivery: the same on every retry of
	// one notification, so a receiver can drop a repeat.
	DeliveryHeader = "X-Mamori-Delivery"
)

// DefaultTolerance is how old a signature Verify accepts by default: a
// captured request replayed later than this is refused.
const DefaultTolerance = 5 * time.Minute

// Sign returns the SignatureHeader value for body sent at t.
func Sign(secret []byte, t time.Time, body []byte) string {
	ts := strconv.FormatInt(t.Unix(), 10)
	return "t=" + ts + ",v1=" + hex.EncodeToString(mac(secret, ts, body))
}

func mac(secret []byte, ts string, body []byte) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(ts))
	m.Write([]byte("."))
	m.Write(body)
	return m.Sum(nil)
}

// Verify is what a receiver does with a delivery: it checks that header
// (the SignatureHeader value) signs body under secret, and that the
// signing time is within tolerance of now (DefaultTolerance when zero),
// so a stale or replayed request is refused. Several v1 values (during a
// change of secret) are accepted if one matches.
func Verify(secret []byte, header string, body []byte, now time.Time, tolerance time.Duration) error {
	if tolerance <= 0 {
		tolerance = DefaultTolerance
	}
	var ts string
	var sigs [][]byte
	for part := range strings.SplitSeq(header, ",") {
		k, v, _ := strings.Cut(strings.TrimSpace(part), "=")
		switch k {
		case "t":
			ts = v
		case "v1":
			if s, err := hex.DecodeString(v); err == nil {
				sigs = append(sigs, s)
			}
		}
	}
	t, err := strconv.ParseInt(ts, 10, 64)
	if err != nil || len(sigs) == 0 {
		return mamori.Errorf(mamori.Unauthenticated, "署名ヘッダーの形式が正しくありません", "malformed signature header")
	}
	if d := now.Sub(time.Unix(t, 0)); d > tolerance || d < -tolerance {
		return mamori.Errorf(mamori.Unauthenticated, "署名の時刻が古すぎるか先の時刻です（%s のずれ）", "signature timestamp outside the tolerance (%s off)", d.Round(time.Second))
	}
	want := mac(secret, ts, body)
	for _, s := range sigs {
		if hmac.Equal(s, want) {
			return nil
		}
	}
	return mamori.Errorf(mamori.Unauthenticated, "署名が一致しません", "signature does not match")
}

// Webhooks is where mamori posts events: each URL receives every event,
// signed with Secret.
type Webhooks struct {
	URLs   []string
	Secret []byte
	// Timeout bounds one request; 10 seconds when zero.
	Timeout time.Duration
	// Client sends the requests; nil: a client of its own. Its
	// CheckRedirect is replaced (see Post).
	Client *http.Client
}

// Validate checks the URLs and that there is a secret.
func (w Webhooks) Validate() error {
	for _, u := range w.URLs {
		if err := checkURL(u); err != nil {
			return err
		}
	}
	if len(w.URLs) > 0 && len(w.Secret) < 16 {
		return mamori.Errorf(mamori.Invalid, "Webhook の署名用シークレットは 16 バイト以上にしてください",
			"the webhook signing secret must be at least 16 bytes")
	}
	return nil
}

func checkURL(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || strings.ContainsAny(s, "\r\n") {
		return mamori.Errorf(mamori.Invalid, "Webhook の URL「%s」は http(s)://ホスト/… の形で指定してください（利用者情報は含めません）",
			"webhook URL %q must be http(s)://HOST/… without user information", mamori.Excerpt(s))
	}
	return nil
}

// maxRedirects bounds the redirects followed, all within the URL's host.
const maxRedirects = 3

// Post sends one signed delivery of body to target, signed at now. A 2xx
// answer is success. A 5xx, 408 or 429 answer, or a network error or
// timeout, may pass (retry later); any other answer cannot (IsPermanent).
// Redirects are followed only within the target's own host (scheme and
// host:port), so a receiver cannot send the signed event elsewhere.
func (w Webhooks) Post(ctx context.Context, target, kind, delivery string, body []byte, now time.Time) error {
	if err := checkURL(target); err != nil {
		return permanent(err)
	}
	timeout := w.Timeout
	if timeout <= 0 {
		timeout = 10 * time.Second
	}
	client := &http.Client{Timeout: timeout}
	if w.Client != nil {
		c := *w.Client
		client = &c
		if client.Timeout == 0 {
			client.Timeout = timeout
		}
	}
	errOffHost := errors.New("redirect to another host refused")
	client.CheckRedirect = func(req *http.Request, via []*http.Request) error {
		if len(via) >= maxRedirects {
			return errors.New("too many redirects")
		}
		if req.URL.Scheme != via[0].URL.Scheme || req.URL.Host != via[0].URL.Host {
			return errOffHost
		}
		return nil
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return permanent(err)
	}
	req.Header.Set("Content-Type", "application/json; charset=utf-8")
	req.Header.Set("User-Agent", "mamori-webhook")
	req.Header.Set(SignatureHeader, Sign(w.Secret, now, body))
	req.Header.Set(EventHeader, kind)
	req.Header.Set(DeliveryHeader, delivery)
	resp, err := client.Do(req)
	if err != nil {
		if errors.Is(err, errOffHost) {
			return permanent(fmt.Errorf("webhook: %w", errOffHost))
		}
		return fmt.Errorf("webhook: %w", err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch c := resp.StatusCode; {
	case c >= 200 && c < 300:
		return nil
	case c >= 500, c == http.StatusRequestTimeout, c == http.StatusTooManyRequests:
		return fmt.Errorf("webhook: HTTP %s", resp.Status)
	default:
		return permanent(fmt.Errorf("webhook: HTTP %s", resp.Status))
	}
}
