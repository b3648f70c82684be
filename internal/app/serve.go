package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"

	"mamori/internal/api"
	"mamori/internal/store"
	"mamori/internal/web"
)

// DefaultAddr is where serve listens unless told otherwise: the loopback
// interface, so a fresh install exposes nothing to the network.
const DefaultAddr = "127.0.0.1:8080"

func runServe(ctx context.Context, env *Env, args []string) error {
	fs, db := flags(env, "serve", "serve [--db DB] [--addr HOST:PORT]")
	addr := fs.String("addr", DefaultAddr, "address to listen on")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return &UsageError{"serve takes no arguments"}
	}
	s, err := openStore(ctx, dsn(env, *db, DefaultDB))
	if err != nil {
		return err
	}
	defer s.Close()
	return serve(ctx, env, s, *addr)
}

// serve runs the web server on addr until ctx is cancelled, then shuts it
// down gracefully.
func serve(ctx context.Context, env *Env, s *store.Store, addr string) error {
	logger := slog.New(slog.NewTextHandler(env.Stderr, nil))
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           Handler(s, logger),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      5 * time.Minute,
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

// Handler is mamori's whole HTTP surface: the REST API under /api/v1/ and
// the web pages everywhere else.
func Handler(s *store.Store, logger *slog.Logger) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("/api/v1/", apiHeaders(api.New(s, logger)))
	mux.Handle("/", web.New(s, logger, Version))
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
