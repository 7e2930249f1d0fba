package analytics

import (
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the fan-out's series, labelled by provider.
type Metrics struct {
	lag       *prometheus.GaugeVec
	delivered *prometheus.CounterVec
	failed    *prometheus.CounterVec
	retried   *prometheus.CounterVec
}

// NewMetrics registers the series with reg (nil: unregistered, for tests).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		lag: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "proofstell_analytics_outbox_lag_seconds",
			Help: "Age of the oldest outbox row a provider's worker has not delivered yet (0 when caught up).",
		}, []string{"provider"}),
		delivered: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_analytics_events_delivered_total",
			Help: "Events a provider accepted (re-sends after a crash included).",
		}, []string{"provider"}),
		failed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_analytics_events_failed_total",
			Help: "Events given up: refused by the provider for good (refused) or from a malformed outbox row (malformed).",
		}, []string{"provider", "reason"}),
		retried: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_analytics_requests_retried_total",
			Help: "Provider requests tried again after a network error, 429 or 5xx.",
		}, []string{"provider"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.lag, m.delivered, m.failed, m.retried} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	return m, nil
}
