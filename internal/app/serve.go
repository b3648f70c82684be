package app

import (
	"mamori"

	"context"
	"errors"
	"flag"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"syscall"
	"time"

	"mamori/internal/api"
	"mamori/internal/notify"
	"mamori/internal/store"
	"mamori/internal/web"
	"mamori/internal/workflow"
)

// DefaultAddr is where serve listens unless told otherwise: the loopback
// interface, so a fresh install exposes nothing to the network.
const DefaultAddr = "127.0.0.1:8080"

// EnvOIDCSecret names the environment variable holding the OIDC client
// secret. It is never a flag: flags show in process lists.
const EnvOIDCSecret = "MAMORI_OIDC_CLIENT_SECRET"

func runServe(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "serve", "serve [--db DB] [--addr HOST:PORT] [--oidc-issuer URL --oidc-client-id ID --oidc-redirect-url URL\n"+
		"                    [--oidc-username-claim CLAIM] [--oidc-label TEXT]]\n\n"+
		"                    [--smtp-addr HOST:PORT --smtp-from ADDRESS [--smtp-starttls auto|require|off] [--smtp-user USER]]\n"+
		"                    [--webhook-url URL]… [--max-export-days N] [--base-url URL]\n\n"+
		"Single sign-on (OpenID Connect) is on when --oidc-issuer is given; the client secret is read from\n"+
		EnvOIDCSecret+". SSO signs in existing mamori users only: the claim must name an enabled account.\n"+notifyUsage)
	addr := fs.String("addr", DefaultAddr, "address to listen on")
	var oc web.OIDCConfig
	fs.StringVar(&oc.Issuer, "oidc-issuer", "", "OpenID Connect issuer URL; turns single sign-on on")
	fs.StringVar(&oc.ClientID, "oidc-client-id", "", "client ID registered with the provider")
	fs.StringVar(&oc.RedirectURL, "oidc-redirect-url", "", "this server's callback URL registered with the provider (https://HOST/login/oidc/callback)")
	fs.StringVar(&oc.UsernameClaim, "oidc-username-claim", "preferred_username", "ID-token claim that holds the mamori user name (often email)")
	fs.StringVar(&oc.Label, "oidc-label", "SSO", "name of the provider on the sign-in button")
	limits := limitFlags(fs)
	notifyConfig := notifyFlags(fs)
	maxExportDays := maxExportDaysFlag(env, fs)
	baseURL := fs.String("base-url", "", "this server's address as its users reach it (https://HOST), for the links in notifications; none without it")
	if err := parse(fs, args); err != nil {
		return err
	}
	wopts, err := workflowOptions(*maxExportDays)
	if err != nil {
		return err
	}
	if wopts.BaseURL, err = checkBaseURL(*baseURL); err != nil {
		return err
	}
	lim, err := limits()
	if err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"serve takes no arguments"}
	}
	ncfg, err := notifyConfig(env)
	if err != nil {
		return err
	}
	var opts []web.Option
	if oc.Issuer != "" {
		if oc.ClientID == "" || oc.RedirectURL == "" {
			return &UsageError{"--oidc-issuer needs --oidc-client-id and --oidc-redirect-url"}
		}
		if oc.ClientSecret = env.Getenv(EnvOIDCSecret); oc.ClientSecret == "" {
			return &UsageError{"--oidc-issuer needs the client secret in " + EnvOIDCSecret}
		}
		// Discover now, so a wrong or unreachable issuer stops the start
		// rather than every SSO sign-in later.
		if err := oc.Discover(ctx); err != nil {
			return fmt.Errorf("single sign-on: %w", err)
		}
		opts = append(opts, web.WithOIDC(oc))
	} else {
		set := false
		fs.Visit(func(f *flag.Flag) { set = set || strings.HasPrefix(f.Name, "oidc-") })
		if set {
			return &UsageError{"the --oidc-… flags need --oidc-issuer"}
		}
	}
	s, err := openStore(ctx, env, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	// The outbox worker delivers what the workflows queue; it stops with
	// the server.
	n, err := notify.New(s, withLogger(env, ncfg))
	if err != nil {
		return err
	}
	ctx, stop := context.WithCancel(ctx)
	defer startNotifier(ctx, env, n, ncfg)()
	// Exports are blocked again at their expiry, hourly; overdue items
	// escalate, reminders and digests go out, daily.
	defer startExpirer(ctx, env, s, wopts)()
	defer startRemediationDaily(ctx, env, s, wopts, n)()
	defer stop()
	return serve(ctx, env, s, *addr, lim, wopts, n, opts...)
}

// checkBaseURL accepts "" or an absolute http(s) URL with a host and no
// query or fragment, the address a notification's link starts with.
func checkBaseURL(raw string) (string, error) {
	if raw == "" {
		return "", nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", &UsageError{fmt.Sprintf("--base-url %q: want the address users reach mamori at, such as https://mamori.example.go.jp", mamori.Excerpt(raw))}
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// serve runs the web server on addr until ctx is cancelled, then shuts it
// down gracefully. lim bounds uploads and imports; wo configures the
// workflows (the longest export); n tells people of the workflows' events
// (nil: no one); opts configure the web pages (single sign-on).
func serve(ctx context.Context, env *Env, s *store.Store, addr string, lim mamori.Limits, wo workflow.Options, n *notify.Notifier, opts ...web.Option) error {
	ln, err := listen(addr)
	if err != nil {
		return err
	}
	return serveOn(ctx, env, s, ln, lim, wo, n, opts...)
}

// listen opens addr for serveOn.
func listen(addr string) (net.Listener, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, listenError(addr, err)
	}
	return ln, nil
}

// serveOn is serve on a listener already open, which it closes.
func serveOn(ctx context.Context, env *Env, s *store.Store, ln net.Listener, lim mamori.Limits, wo workflow.Options, n *notify.Notifier, opts ...web.Option) error {
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	srv := &http.Server{
		// The whole-government dashboard is built while the server starts
		// listening, not on its first visitor's request.
		Handler:           handler(s, logger, wo, n, append(opts, web.WithLimits(lim), web.WarmDashboard(ctx))...),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      writeTimeout(lim),
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	fmt.Fprintf(env.Stdout, "mamori: serving http://%s/ (Ctrl-C to stop)\n", ln.Addr())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		return err
	}
	if err := <-done; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listenError explains, in both languages as every command's errors, why
// serve (or demo) cannot listen on addr; a port in use, the usual case when
// a second copy is started, names the flag that picks another.
func listenError(addr string, err error) error {
	if errors.Is(err, syscall.EADDRINUSE) {
		return &mamori.Error{Kind: mamori.Conflict, Err: err,
			MessageJA: fmt.Sprintf("%s は使用中です（もう一つの mamori など、別のプログラムが使っています）。--addr で別のアドレスを指定してください（例：--addr 127.0.0.1:8081）", addr),
			Message:   fmt.Sprintf("%s is already in use by another program (perhaps another mamori); choose another address with --addr (e.g. --addr 127.0.0.1:8081)", addr)}
	}
	return &mamori.Error{Kind: mamori.Invalid, Err: err,
		MessageJA: fmt.Sprintf("%s で待ち受けできません（%v）。--addr で別のアドレスを指定してください", addr, err),
		Message:   fmt.Sprintf("cannot listen on %s (%v); choose another address with --addr", addr, err)}
}

// Handler is mamori's whole HTTP surface: the REST API under /api/v1/ and
// the web pages everywhere else, configured by opts.
func Handler(s *store.Store, logger *slog.Logger, opts ...web.Option) http.Handler {
	return handler(s, logger, workflow.Options{}, nil, opts...)
}

// handler is Handler with the workflows configured by wo, the same for
// the API and the pages.
func handler(s *store.Store, logger *slog.Logger, wo workflow.Options, n *notify.Notifier, opts ...web.Option) http.Handler {
	// One service for the pages and the API, so both apply the same
	// options and tell the same people.
	wf, err := workflowService(s, wo, n)
	if err != nil {
		panic(fmt.Sprintf("app: workflows: %v", err)) // the definitions are tested to validate
	}
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", apiHeaders(api.New(s, logger, api.WithWorkflows(wf))))
	mux.Handle("/", web.New(s, logger, Version, append(opts, web.WithWorkflows(wf))...))
	return mux
}

// apiHeaders are the API's security headers: JSON is never sniffed as
// anything else, and no response is framed.
func apiHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Content-Security-Policy", "default-src 'none'; frame-ancestors 'none'")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// writeTimeout gives an import the whole of its time limit, and a minute
// more to write its answer: the server would otherwise cut the response of
// an import that the limit still allows.
func writeTimeout(lim mamori.Limits) time.Duration {
	return max(5*time.Minute, lim.OrDefault().Time+time.Minute)
}
