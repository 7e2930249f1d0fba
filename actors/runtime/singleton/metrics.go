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
	// Late counts renewals that failed while the lease was still ours: the
	// warning before a loss.
	Late *prometheus.CounterVec
	// Lost counts leaderships this node gave up because it could not
	// renew (refused, or failed until the lease may have expired).
	Lost *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Leader: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "proofstell_singleton_leader",
			Help: "1 while this node leads the named cluster singleton.",
		}, []string{"name"}),
		Takeovers: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_singleton_takeovers_total",
			Help: "Times this node took the named singleton's lease with a new epoch.",
		}, []string{"name"}),
		Late: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_singleton_renewals_late_total",
			Help: "Renewals of the named singleton's lease that failed while the lease was still held; leadership is kept.",
		}, []string{"name"}),
		Lost: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_singleton_leadership_lost_total",
			Help: "Times this node stopped leading the named singleton because its lease could not be renewed.",
		}, []string{"name"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.Leader, m.Takeovers, m.Late, m.Lost} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register singleton metrics: %w", err)
		}
	}
	return m, nil
}
