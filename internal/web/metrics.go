package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"mamori/internal/auth"
	"mamori/internal/authz"
	"mamori/internal/store"
)

// metrics are what /metrics exposes to Prometheus: requests by route and
// status, their latency, the Go runtime and process, and two counts an
// operator watches (open findings, open vulnerability matches). Each
// server has its own registry, so tests can build many.
type metrics struct {
	reg      *prometheus.Registry // anyone may scrape these
	gov      *prometheus.Registry // government-wide figures: a whole-government token only
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(version string, st *store.Store) *metrics {
	m := &metrics{reg: prometheus.NewRegistry(), gov: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "mamori_http_requests_total", Help: "HTTP requests by route pattern, method and status code.",
	}, []string{"route", "method", "code"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "mamori_http_request_duration_seconds", Help: "HTTP request latency by route pattern.",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	}, []string{"route"})
	build := prometheus.NewGauge(prometheus.GaugeOpts{
		Name: "mamori_build_info", Help: "Always 1; the version is a label.", ConstLabels: prometheus.Labels{"version": version},
	})
	build.Set(1)
	m.reg.MustRegister(m.requests, m.duration, build,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m.gov.MustRegister(&openCollector{st: st})
	return m
}

// observe records one request; route is the mux pattern ("GET
// /systems/{code}"), never the path, so the label set stays small.
func (m *metrics) observe(route, method string, status int, d time.Duration) {
	if route == "" {
		route = "unmatched"
	}
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(d.Seconds())
}

// metricsHandler serves /metrics. The open findings and matches of the
// whole government are figures about every ministry: they are added only
// for a scraper that presents an API token (read scope) of an account that
// may see the whole government. Without a token the request, runtime and
// process metrics are served; a token that does not verify is refused.
func (s *server) metricsHandler() http.Handler {
	public := promhttp.HandlerFor(s.metrics.reg, promhttp.HandlerOpts{Registry: s.metrics.reg})
	full := promhttp.HandlerFor(prometheus.Gatherers{s.metrics.reg, s.metrics.gov}, promhttp.HandlerOpts{Registry: s.metrics.reg})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		secret, bearer := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !bearer {
			public.ServeHTTP(w, r)
			return
		}
		u, scopes, err := auth.CheckToken(r.Context(), s.store, strings.TrimSpace(secret), time.Now())
		if err != nil || !auth.HasScope(scopes, auth.ScopeRead) {
			w.Header().Set("WWW-Authenticate", `Bearer realm="mamori", error="invalid_token"`)
			http.Error(w, "invalid token", http.StatusUnauthorized)
			return
		}
		if sc, err := authz.Of(r.Context(), s.store, u); err == nil && sc.Whole() {
			full.ServeHTTP(w, r)
			return
		}
		public.ServeHTTP(w, r)
	})
}

// openCollector counts at scrape time, with a short deadline: a slow
// database must not hang the scraper.
type openCollector struct{ st *store.Store }

var (
	openFindingsDesc = prometheus.NewDesc("mamori_open_findings", "Open findings of all controls.", nil, nil)
	openMatchesDesc  = prometheus.NewDesc("mamori_open_vulnerability_matches", "Open vulnerability matches (per image or component).", nil, nil)
)

func (c *openCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- openFindingsDesc
	ch <- openMatchesDesc
}

func (c *openCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	f, m, err := c.st.OpenCounts(ctx)
	if err != nil {
		ch <- prometheus.NewInvalidMetric(openFindingsDesc, err)
		return
	}
	ch <- prometheus.MustNewConstMetric(openFindingsDesc, prometheus.GaugeValue, float64(f))
	ch <- prometheus.MustNewConstMetric(openMatchesDesc, prometheus.GaugeValue, float64(m))
}
