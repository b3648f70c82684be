package web

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"mamori"
	"mamori/internal/i18n"
)

// handlerFunc is the shape of every handler: it renders a response, or
// returns an error that handle renders as an error page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc to http.Handler, turning its error into an HTML
// error page with the status its mamori.Kind calls for.
func (s *server) handle(h handlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.renderError(w, r, err)
		}
	})
}

// statusOf maps an error kind to an HTTP status.
func statusOf(k mamori.Kind) int {
	switch k {
	case mamori.Invalid:
		return http.StatusBadRequest
	case mamori.NotFound:
		return http.StatusNotFound
	case mamori.Conflict:
		return http.StatusConflict
	case mamori.Forbidden:
		return http.StatusForbidden
	case mamori.Unauthenticated:
		return http.StatusUnauthorized
	}
	return http.StatusInternalServerError
}

// statusTitles are the catalog messages of the error pages' headings.
var statusTitles = map[int]string{
	http.StatusBadRequest:          "errors.status.badrequest",
	http.StatusUnauthorized:        "errors.status.unauthorized",
	http.StatusForbidden:           "errors.status.forbidden",
	http.StatusNotFound:            "errors.status.notfound",
	http.StatusConflict:            "errors.status.conflict",
	http.StatusInternalServerError: "errors.status.internal",
}

// errorView is the data of the error page.
type errorView struct {
	Status    int
	Heading   string
	Message   string // in the page's language, safe to show
	MessageEN string // the English message under a Japanese one, for readers of either
	RequestID string
}

// renderError renders err as an error page. The message of a user error
// (a *mamori.Error of any kind but Internal) is shown; an internal error shows
// a generic message and the request ID, and its detail goes to the log only.
func (s *server) renderError(w http.ResponseWriter, r *http.Request, err error) {
	ctx := r.Context()
	status := statusOf(mamori.KindOf(err))
	id := requestID(ctx)
	l := s.loc(r)
	title, ok := statusTitles[status]
	if !ok {
		title = statusTitles[http.StatusInternalServerError]
	}
	v := errorView{Status: status, Heading: l.MustT(title)}
	if status >= 500 {
		level := slog.LevelError
		if ctx.Err() != nil {
			level = slog.LevelWarn // the client went away mid-request
		}
		s.log.LogAttrs(ctx, level, "request failed", slog.String("request_id", id),
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("error", err))
		v.Message = l.MustT("errors.internal")
		if l.Lang != i18n.EN {
			v.MessageEN = s.i18n.For(i18n.EN).MustT("errors.internal")
		}
		v.RequestID = id
	} else if me, ok := errors.AsType[*mamori.Error](err); ok {
		// An English page shows the English message alone; a Japanese one
		// shows the English under it, as the register fields do.
		v.Message = l.Pick(me.MessageJA, me.Message)
		if v.Message == "" {
			v.Message = me.Message
		}
		if l.Lang != i18n.EN && me.Message != v.Message {
			v.MessageEN = me.Message
		}
	}
	if rerr := s.render(w, r, status, "error.html", v.Heading, "", v); rerr != nil {
		s.log.LogAttrs(ctx, slog.LevelError, "render error page", slog.String("request_id", id), slog.Any("error", rerr))
		http.Error(w, http.StatusText(status), status)
	}
}

// securityHeaders sets the headers every response carries.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

type requestIDKey struct{}

// requestID returns the ID accessLog gave the request, or "".
func requestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey{}).(string)
	return id
}

func newRequestID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// statusWriter records the status a handler wrote.
type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// accessLog gives the request an ID (in its context and the X-Request-Id
// response header), turns a handler panic into an error page, and logs one
// line per request. It must be the outermost handler: the ServeMux records
// the matched pattern in the request it is given, which is the one logged here.
func (s *server) accessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		id := newRequestID()
		lang := pickLang(w, r)
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		r = r.WithContext(context.WithValue(ctx, langKey{}, lang))
		w.Header().Set("X-Request-Id", id)
		w.Header().Set("Content-Language", lang)
		sw := &statusWriter{ResponseWriter: w}
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				err := fmt.Errorf("web: panic: %v\n%s", p, debug.Stack())
				if sw.status == 0 {
					s.renderError(sw, r, err)
				} else {
					s.log.LogAttrs(r.Context(), slog.LevelError, "request failed", slog.String("request_id", id), slog.Any("error", err))
				}
			}
			status := sw.status
			if status == 0 {
				status = http.StatusOK
			}
			s.metrics.observe(r.Pattern, r.Method, status, time.Since(start))
			s.log.LogAttrs(r.Context(), slog.LevelInfo, "http request",
				slog.String("method", r.Method),
				slog.String("pattern", r.Pattern),
				slog.String("path", r.URL.Path),
				slog.Int("status", status),
				slog.Duration("duration", time.Since(start)),
				slog.String("request_id", id))
		}()
		next.ServeHTTP(sw, r)
	})
}
