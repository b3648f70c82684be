package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"mamori"
	"mamori/internal/audit"
	"mamori/internal/notify"
	"mamori/internal/store"
)

// The environment variables holding the notification secrets. They are
// never flags: flags show in process lists.
const (
	EnvSMTPPassword  = "MAMORI_SMTP_PASSWORD"
	EnvWebhookSecret = "MAMORI_WEBHOOK_SECRET"
)

// notifyUsage describes the notification flags, for serve's and notify's --help.
const notifyUsage = "Notifications (e-mail, webhooks) are on when --smtp-addr or --webhook-url is given; otherwise nothing is sent.\n" +
	"The SMTP password is read from " + EnvSMTPPassword + ", the webhook signing secret (16 bytes or more) from " + EnvWebhookSecret + "."

// urlList is a repeatable flag.
type urlList []string

func (u *urlList) String() string     { return strings.Join(*u, ",") }
func (u *urlList) Set(v string) error { *u = append(*u, v); return nil }

// notifyFlags adds the notification flags to fs and returns a function
// that, after parsing, builds the configuration (secrets from env).
func notifyFlags(fs *flag.FlagSet) func(env *Env) (notify.Config, error) {
	addr := fs.String("smtp-addr", "", "SMTP server HOST:PORT for e-mail notifications (e.g. mail.example.go.jp:587)")
	from := fs.String("smtp-from", "", "From address of notification e-mail")
	starttls := fs.String("smtp-starttls", "auto", "STARTTLS: auto (used whenever the server offers it), require, or off")
	user := fs.String("smtp-user", "", "SMTP AUTH PLAIN user name (password in "+EnvSMTPPassword+"; sent over TLS only)")
	var hooks urlList
	fs.Var(&hooks, "webhook-url", "URL to POST signed JSON events to (repeatable; secret in "+EnvWebhookSecret+")")
	return func(env *Env) (notify.Config, error) {
		var cfg notify.Config
		if *addr != "" {
			mode, err := notify.ParseStartTLS(*starttls)
			if err != nil {
				return cfg, err
			}
			if *from == "" {
				return cfg, &UsageError{"--smtp-addr needs --smtp-from"}
			}
			cfg.SMTP = &notify.SMTP{Addr: *addr, From: *from, StartTLS: mode, Username: *user}
			if *user != "" {
				if cfg.SMTP.Password = env.Getenv(EnvSMTPPassword); cfg.SMTP.Password == "" {
					return cfg, &UsageError{"--smtp-user needs the password in " + EnvSMTPPassword}
				}
			}
			if err := cfg.SMTP.Validate(); err != nil {
				return cfg, err
			}
		} else {
			set := false
			fs.Visit(func(f *flag.Flag) { set = set || strings.HasPrefix(f.Name, "smtp-") })
			if set {
				return cfg, &UsageError{"the --smtp-… flags need --smtp-addr"}
			}
		}
		if len(hooks) > 0 {
			secret := env.Getenv(EnvWebhookSecret)
			if secret == "" {
				return cfg, &UsageError{"--webhook-url needs the signing secret in " + EnvWebhookSecret}
			}
			cfg.Webhooks = notify.Webhooks{URLs: hooks, Secret: []byte(secret)}
			if err := cfg.Webhooks.Validate(); err != nil {
				return cfg, err
			}
		}
		return cfg, nil
	}
}

// notifyInterval is how often serve drains the notification outbox.
const notifyInterval = 15 * time.Second

// describeNotify says what notifications go through, for serve's start line.
func describeNotify(cfg notify.Config) string {
	var parts []string
	if cfg.SMTP != nil {
		parts = append(parts, "e-mail via "+cfg.SMTP.Addr)
	}
	if n := len(cfg.Webhooks.URLs); n > 0 {
		parts = append(parts, fmt.Sprintf("%d webhook(s)", n))
	}
	return strings.Join(parts, ", ")
}

// startNotifier starts the outbox worker of serve when notifications are
// configured. The worker stops with ctx; the returned function waits for
// it, so the store is not closed under a delivery being recorded.
func startNotifier(ctx context.Context, env *Env, n *notify.Notifier, cfg notify.Config) (wait func()) {
	if !n.Enabled() {
		return func() {}
	}
	fmt.Fprintf(env.Stdout, "mamori: notifications on (%s)\n", describeNotify(cfg))
	done := make(chan struct{})
	go func() {
		defer close(done)
		n.Run(ctx, notifyInterval)
	}()
	return func() { <-done }
}

const notifySynopsis = `notify COMMAND [flags]

Commands:
  test --to ADDRESS  send one test e-mail to ADDRESS and one test event to each webhook,
                     with the same --smtp-… and --webhook-url flags as serve, and say what
                     happened. Nothing goes through the outbox: the answer is immediate.
  list [--status pending|sent|gave_up] [--limit N] [--attempts]
                     the notification outbox, newest first: channel, recipient, kind, state,
                     attempts, next attempt and the last failure; --attempts adds every
                     attempt's outcome.`

func runNotify(ctx context.Context, env *Env, args []string) error {
	args, done, err := subcommand(env, "notify", notifySynopsis, args, true)
	if done {
		return err
	}
	switch args[0] {
	case "test":
		return runNotifyTest(ctx, env, args[1:])
	case "list":
		return runNotifyList(ctx, env, args[1:])
	}
	return unknownSubcommand(env, "notify", notifySynopsis, args[0])
}

func runNotifyTest(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "notify test", "notify test [--db DB] [--to ADDRESS] [--smtp-addr HOST:PORT --smtp-from ADDRESS [--smtp-starttls auto|require|off] [--smtp-user USER]] [--webhook-url URL]…\n\n"+notifyUsage)
	to := fs.String("to", "", "address to send the test e-mail to (needed with --smtp-addr)")
	build := notifyFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"notify test takes no arguments"}
	}
	cfg, err := build(env)
	if err != nil {
		return err
	}
	if !cfg.Enabled() {
		return &UsageError{"nothing to test: give --smtp-addr and --smtp-from, or --webhook-url"}
	}
	if cfg.SMTP != nil && *to == "" {
		return &UsageError{"--smtp-addr needs --to ADDRESS for the test e-mail"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	now := time.Now()
	actor := audit.CLIActor(env.Getenv)
	var failed []error
	detail := map[string]any{}
	if cfg.SMTP != nil {
		m := notify.Message{To: *to, Subject: "[mamori] 通知のテスト / Notification test",
			Text: "mamori からのテストメールです。このメールが届いていれば、メール通知の設定は正しく動作しています。\n\n----\n\n" +
				"This is a test message from mamori. If you can read it, e-mail notifications work.\n"}
		err := cfg.SMTP.Send(ctx, m, now)
		detail["email"] = outcome(err)
		detail["to"] = *to
		printOutcome(env, "e-mail to "+*to, err)
		if err != nil {
			failed = append(failed, err)
		}
	}
	body := fmt.Appendf(nil, `{"type":"test","created_at":%q}`, now.UTC().Format(time.RFC3339))
	for i, u := range cfg.Webhooks.URLs {
		err := cfg.Webhooks.Post(ctx, u, "test", fmt.Sprintf("test-%d-%d", now.Unix(), i+1), body, now)
		detail["webhook "+u] = outcome(err)
		printOutcome(env, "webhook "+u, err)
		if err != nil {
			failed = append(failed, err)
		}
	}
	// A test sends data out of mamori to addresses the operator named:
	// the trail says what went where.
	if _, err := audit.Record(ctx, s, actor, "notify_test", "notify", "", detail); err != nil {
		return err
	}
	if len(failed) > 0 {
		return &mamori.Error{Kind: mamori.Invalid, Err: errors.Join(failed...),
			MessageJA: fmt.Sprintf("テスト通知 %d 件が届きませんでした", len(failed)),
			Message:   fmt.Sprintf("%d test notification(s) not delivered", len(failed))}
	}
	return nil
}

func outcome(err error) string {
	if err != nil {
		return "failed: " + err.Error()
	}
	return "sent"
}

// printOutcome prints one test delivery's outcome.
func printOutcome(env *Env, what string, err error) {
	if err != nil {
		msg := err.Error()
		if me, ok := errors.AsType[*mamori.Error](err); ok {
			msg = me.Bilingual()
		}
		fmt.Fprintf(env.Stdout, "送信失敗 / failed: %s: %s\n", what, msg)
		return
	}
	fmt.Fprintf(env.Stdout, "送信しました / sent: %s\n", what)
}

// withLogger gives cfg a logger to env's standard error.
func withLogger(env *Env, cfg notify.Config) notify.Config {
	cfg.Logger = slog.New(slog.NewTextHandler(env.Stderr, nil))
	return cfg
}

func runNotifyList(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "notify list", "notify list [--db DB] [--status pending|sent|gave_up] [--limit N] [--attempts]")
	status := fs.String("status", "", "only notifications in this state: pending, sent or gave_up")
	limit := fs.Int("limit", 50, "at most this many notifications")
	attempts := fs.Bool("attempts", false, "list every attempt's outcome under each notification")
	if err := parse(fs, args); err != nil {
		return err
	}
	switch *status {
	case "", store.OutboxPending, store.OutboxSent, store.OutboxGaveUp:
	default:
		return &UsageError{fmt.Sprintf("--status %q: want pending, sent or gave_up", *status)}
	}
	if fs.NArg() > 0 || *limit <= 0 {
		return &UsageError{"notify list takes no arguments and a positive --limit"}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	rows, err := s.FindOutbox(ctx, *status, *limit)
	if err != nil {
		return err
	}
	tw := newTextTable(env.Stdout)
	fmt.Fprintln(tw, "ID\tCHANNEL\tTO\tKIND\tSTATE\tATTEMPTS\tNEXT\tLAST ERROR")
	for _, o := range rows {
		next := "-"
		if o.Status == store.OutboxPending {
			next = o.NextAttemptAt.Format(time.RFC3339)
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%d/%d\t%s\t%s\n", o.ID, o.Channel, o.Target, o.Kind, o.Status,
			o.Attempts, o.MaxAttempts, next, mamori.Excerpt(o.LastError))
		if *attempts {
			as, err := s.OutboxAttempts(ctx, o.ID)
			if err != nil {
				return err
			}
			for _, a := range as {
				fmt.Fprintf(tw, "\t  #%d\t%s\t%s\t\t\t\t%s\n", a.Attempt, a.At.Format(time.RFC3339), a.Outcome, mamori.Excerpt(a.Reason))
			}
		}
	}
	return tw.Flush()
}
