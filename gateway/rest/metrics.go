package rest

import (
	"errors"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics are the REST layer's Prometheus collectors.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	// limiterFailures counts rate-limit decisions the limiter could not
	// make (requests let through while Redis failed; probes included).
	limiterFailures prometheus.Counter
}

// newHTTPMetrics creates the collectors and registers them with reg (nil:
// unregistered, for tests). A collector already registered by an earlier
// router on the same registry is reused rather than failing.
func newHTTPMetrics(reg prometheus.Registerer) httpMetrics {
	m := httpMetrics{
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_http_requests_total",
			Help: "HTTP requests by route pattern, method and status.",
		}, []string{"route", "method", "status"}),
		duration: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "proofstell_http_request_duration_seconds",
			Help:    "HTTP request latency by route pattern.",
			Buckets: prometheus.DefBuckets,
		}, []string{"route"}),
		limiterFailures: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "proofstell_http_rate_limiter_failures_total",
			Help: "Rate-limit checks the limiter (Redis) failed to answer; those requests passed unlimited.",
		}),
	}
	if reg == nil {
		return m
	}
	m.requests = register(reg, m.requests)
	m.duration = register(reg, m.duration)
	m.limiterFailures = register(reg, m.limiterFailures)
	return m
}

// register registers c, returning the existing collector when an identical
// one is already there.
func register[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	if err := reg.Register(c); err != nil {
		var already prometheus.AlreadyRegisteredError
		if errors.As(err, &already) {
			if existing, ok := already.ExistingCollector.(C); ok {
				return existing
			}
		}
	}
	return c
}

// observe records one finished request.
func (m httpMetrics) observe(route, method string, status int, elapsed time.Duration) {
	m.requests.WithLabelValues(route, method, strconv.Itoa(status)).Inc()
	m.duration.WithLabelValues(route).Observe(elapsed.Seconds())
}
