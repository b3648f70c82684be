package web

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"mamori/internal/store"
)

// metrics are what /metrics exposes to Prometheus: requests by route and
// status, their latency, the Go runtime and process, and two counts an
// operator watches (open findings, open vulnerability matches). Each
// server has its own registry, so tests can build many.
type metrics struct {
	reg      *prometheus.Registry
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
}

func newMetrics(version string, st *store.Store) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
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
	m.reg.MustRegister(m.requests, m.duration, build, &openCollector{st: st},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
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

func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
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
