package singleton

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the runners' Prometheus collectors, labelled by singleton name.
type Metrics struct {
	// Leader is 1 on the node whose runner holds the lease, 0 elsewhere.
	Leader *prometheus.GaugeVec
	// Takeovers counts leaderships gained with a new epoch on this node.
	Takeovers *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Leader: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "singleton_leader",
			Help: "1 while this node leads the named cluster singleton.",
		}, []string{"name"}),
		Takeovers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "singleton_takeovers_total",
			Help: "Times this node took the named singleton's lease with a new epoch.",
		}, []string{"name"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.Leader, m.Takeovers} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register singleton metrics: %w", err)
		}
	}
	return m, nil
}
