package analytics

import "github.com/prometheus/client_golang/prometheus"

// Lag is the lag gauge of provider (for tests and the node's status).
func (m *Metrics) Lag(provider string) prometheus.Gauge { return m.lag.WithLabelValues(provider) }

// Delivered is the delivered counter of provider.
func (m *Metrics) Delivered(provider string) prometheus.Counter {
	return m.delivered.WithLabelValues(provider)
}

// Failed is the failed counter of provider for reason.
func (m *Metrics) Failed(provider, reason string) prometheus.Counter {
	return m.failed.WithLabelValues(provider, reason)
}

// Retried is the retried counter of provider.
func (m *Metrics) Retried(provider string) prometheus.Counter {
	return m.retried.WithLabelValues(provider)
}
