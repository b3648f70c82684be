package notify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"strconv"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/store"
)

// The channels of the outbox.
const (
	ChannelEmail   = "email"
	ChannelWebhook = "webhook"
)

// GaveUp is the audit action of a notification given up: every attempt
// failed, or one was refused for good.
const GaveUp = "notify_gave_up"

// Config is what the Notifier delivers through. A nil SMTP sends no
// e-mail; no webhook URLs, no webhooks; with neither, nothing is queued.
type Config struct {
	SMTP     *SMTP
	Webhooks Webhooks
	// MaxAttempts is how many times one notification is tried before it
	// is given up; 8 when zero.
	MaxAttempts int
	// Backoff is the wait before the first retry, doubled for each
	// further one up to MaxBackoff; 1 minute and 1 hour when zero.
	Backoff, MaxBackoff time.Duration
	// Now is the clock; time.Now when nil.
	Now func() time.Time
	// Logger receives delivery failures; none when nil.
	Logger *slog.Logger
}

// Enabled reports whether anything is configured to deliver through.
func (c Config) Enabled() bool { return c.SMTP != nil || len(c.Webhooks.URLs) > 0 }

// Notifier queues notifications in the store's outbox and delivers them.
type Notifier struct {
	st  *store.Store
	cfg Config
}

// New returns a Notifier on st, after checking cfg.
func New(st *store.Store, cfg Config) (*Notifier, error) {
	if cfg.SMTP != nil {
		if err := cfg.SMTP.Validate(); err != nil {
			return nil, err
		}
	}
	if err := cfg.Webhooks.Validate(); err != nil {
		return nil, err
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 8
	}
	if cfg.Backoff <= 0 {
		cfg.Backoff = time.Minute
	}
	if cfg.MaxBackoff <= 0 {
		cfg.MaxBackoff = time.Hour
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Notifier{st: st, cfg: cfg}, nil
}

// Enabled reports whether the Notifier delivers anything at all.
func (n *Notifier) Enabled() bool { return n != nil && n.cfg.Enabled() }

// Envelope is the JSON body of a webhook delivery.
type Envelope struct {
	// Type is the event's kind, or "digest" or "test".
	Type string `json:"type"`
	// CreatedAt is when the notification was queued.
	CreatedAt time.Time `json:"created_at"`
	Event     *Event    `json:"event,omitempty"`
}

// Enqueue queues the notifications of events: an e-mail to each event's
// recipient address when an SMTP server is configured, and a post to each
// webhook URL. It returns how many were queued: none when nothing is
// configured. The caller's action has happened already; a caller logs an
// error from here and carries on (Notify does so).
func (n *Notifier) Enqueue(ctx context.Context, events ...Event) (int, error) {
	if !n.Enabled() {
		return 0, nil
	}
	now := n.cfg.Now()
	var items []store.Outbox
	for _, e := range events {
		if err := e.Validate(); err != nil {
			return 0, err
		}
		if e.At.IsZero() {
			e.At = now
		}
		if n.cfg.SMTP != nil && e.RecipientEmail != "" {
			p, err := json.Marshal(e.Render())
			if err != nil {
				return 0, err
			}
			items = append(items, n.item(ChannelEmail, e.RecipientEmail, string(e.Kind), e.Org, p, now))
		}
		if len(n.cfg.Webhooks.URLs) > 0 {
			p, err := json.Marshal(Envelope{Type: string(e.Kind), CreatedAt: now.UTC(), Event: &e})
			if err != nil {
				return 0, err
			}
			for _, u := range n.cfg.Webhooks.URLs {
				items = append(items, n.item(ChannelWebhook, u, string(e.Kind), e.Org, p, now))
			}
		}
	}
	if len(items) == 0 {
		return 0, nil
	}
	if _, err := n.st.EnqueueOutbox(ctx, items); err != nil {
		return 0, err
	}
	return len(items), nil
}

// Notify is Enqueue for an action that must not fail because of its
// notifications: an error is logged, never returned.
func (n *Notifier) Notify(ctx context.Context, events ...Event) {
	if n == nil {
		return
	}
	if _, err := n.Enqueue(ctx, events...); err != nil {
		n.cfg.Logger.Warn("notifications not queued", "events", len(events), "err", err)
	}
}

// EnqueueDigests queues one e-mail per digest whose person has an
// address. Digests go by e-mail only (a webhook receives each event as it
// happens). It returns how many were queued.
func (n *Notifier) EnqueueDigests(ctx context.Context, ds []Digest) (int, error) {
	if n == nil || n.cfg.SMTP == nil {
		return 0, nil
	}
	now := n.cfg.Now()
	var items []store.Outbox
	for _, d := range ds {
		if d.RecipientEmail == "" || len(d.Events) == 0 {
			continue
		}
		if _, err := parseAddress("recipient_email", d.RecipientEmail); err != nil {
			return 0, err
		}
		p, err := json.Marshal(d.Render())
		if err != nil {
			return 0, err
		}
		items = append(items, n.item(ChannelEmail, d.RecipientEmail, "digest", "", p, now))
	}
	if len(items) == 0 {
		return 0, nil
	}
	if _, err := n.st.EnqueueOutbox(ctx, items); err != nil {
		return 0, err
	}
	return len(items), nil
}

func (n *Notifier) item(channel, target, kind, org string, payload []byte, now time.Time) store.Outbox {
	return store.Outbox{Channel: channel, Target: target, Kind: kind, OrgCode: org, Payload: string(payload),
		MaxAttempts: n.cfg.MaxAttempts, CreatedAt: now}
}

// lease is how long a claimed notification is left to its worker before
// another may take it: longer than one delivery can last.
const lease = 5 * time.Minute

// batch is how many notifications one drain takes at most.
const batch = 100

// DrainOnce delivers the notifications due now, recording each attempt's
// outcome, and returns how many it attempted. A failure is retried after
// a backoff until MaxAttempts; then, or at once for a failure retrying
// cannot mend, the notification is given up and the give-up audited.
func (n *Notifier) DrainOnce(ctx context.Context) (int, error) {
	due, err := n.st.ClaimOutbox(ctx, n.cfg.Now(), lease, batch)
	if err != nil {
		return 0, err
	}
	for _, o := range due {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		derr := n.deliver(ctx, o)
		if derr != nil && ctx.Err() != nil {
			// Stopped mid-delivery (a shutdown): not the receiver's
			// failure, so no attempt is counted; the lease runs out and
			// the next worker tries again.
			return 0, ctx.Err()
		}
		// What was delivered is recorded even when the worker is stopping
		// meanwhile: else a message sent would stay pending and be sent
		// again after the restart.
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), recordTimeout)
		err := n.record(rctx, o, derr)
		cancel()
		if err != nil {
			return 0, err
		}
	}
	return len(due), nil
}

// recordTimeout bounds the recording of one delivery's outcome.
const recordTimeout = 10 * time.Second

// record stores the outcome of one delivery of o (derr nil: sent), and
// audits a notification given up.
func (n *Notifier) record(ctx context.Context, o store.Outbox, derr error) error {
	now := n.cfg.Now()
	a := store.OutboxAttempt{At: now, Outcome: store.AttemptSent}
	gaveUp := false
	var next time.Time
	if derr != nil {
		a.Outcome, a.Reason = store.AttemptFailed, reason(derr)
		gaveUp = IsPermanent(derr) || o.Attempts+1 >= o.MaxAttempts
		next = now.Add(n.backoff(o.Attempts + 1))
		n.cfg.Logger.Warn("notification not delivered", "outbox_id", o.ID, "channel", o.Channel,
			"attempt", o.Attempts+1, "gave_up", gaveUp, "err", derr)
	}
	rec, err := n.st.RecordOutboxAttempt(ctx, o.ID, a, next, gaveUp)
	if err != nil {
		return err
	}
	if rec.Status == store.OutboxGaveUp {
		if _, err := audit.Record(ctx, n.st, audit.System, GaveUp, "notify/"+strconv.FormatInt(o.ID, 10), o.OrgCode, map[string]any{
			"channel": o.Channel, "target": o.Target, "kind": o.Kind, "attempts": rec.Attempts, "reason": rec.LastError,
		}); err != nil {
			return err
		}
	}
	return nil
}

// backoff is the wait after the attempt-th failed attempt.
func (n *Notifier) backoff(attempt int) time.Duration {
	d := n.cfg.Backoff
	for i := 1; i < attempt && d < n.cfg.MaxBackoff; i++ {
		d *= 2
	}
	return min(d, n.cfg.MaxBackoff)
}

// reason renders a failure for the attempt's record, bounded.
func reason(err error) string {
	s := err.Error()
	if me, ok := errors.AsType[*mamori.Error](err); ok {
		s = me.Bilingual()
	}
	if r := []rune(s); len(r) > 500 {
		s = string(r[:499]) + "…"
	}
	return s
}

// deliver makes one attempt at o.
func (n *Notifier) deliver(ctx context.Context, o store.Outbox) error {
	switch o.Channel {
	case ChannelEmail:
		if n.cfg.SMTP == nil {
			return fmt.Errorf("no SMTP server configured")
		}
		var m Message
		if err := json.Unmarshal([]byte(o.Payload), &m); err != nil {
			return permanent(fmt.Errorf("outbox payload: %w", err))
		}
		m.To = o.Target
		return n.cfg.SMTP.Send(ctx, m, n.cfg.Now())
	case ChannelWebhook:
		if len(n.cfg.Webhooks.Secret) == 0 {
			return fmt.Errorf("no webhook secret configured")
		}
		return n.cfg.Webhooks.Post(ctx, o.Target, o.Kind, strconv.FormatInt(o.ID, 10), []byte(o.Payload), n.cfg.Now())
	}
	return permanent(fmt.Errorf("unknown channel %q", o.Channel))
}

// Run drains the outbox every interval until ctx ends. Errors are logged:
// the next round tries again.
func (n *Notifier) Run(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := n.DrainOnce(ctx); err != nil && ctx.Err() == nil {
			n.cfg.Logger.Warn("notification outbox not drained", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
