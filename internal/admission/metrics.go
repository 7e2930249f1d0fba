package admission

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the controller's Prometheus collectors.
type Metrics struct {
	// Admitted counts new games let in.
	Admitted prometheus.Counter
	// Shed counts new games refused with busy, by reason.
	Shed *prometheus.CounterVec
	// Pressure is the last sampled pressure (1: at the limit).
	Pressure prometheus.Gauge
	// Shedding is 1 while new games are refused.
	Shedding prometheus.Gauge
	// Signal is each signal's last value as a fraction of its limit.
	Signal *prometheus.GaugeVec
	// Opening and Active are the live counts of admitted games.
	Opening, Active prometheus.Gauge
	// Limit is the adaptive limit on active games (0: none yet).
	Limit prometheus.Gauge
	// ReturnRate is the rate at which shed clients are told to come back.
	ReturnRate prometheus.Gauge
}

// NewMetrics creates the collectors and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		Admitted: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "proofstell_admission_admitted_total", Help: "New games admitted at the door.",
		}),
		Shed: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_admission_shed_total", Help: "New games refused with busy, by reason (pressure, opening, active).",
		}, []string{"reason"}),
		Pressure: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "proofstell_admission_pressure", Help: "Node pressure at the last sample: the largest signal over its limit.",
		}),
		Shedding: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "proofstell_admission_shedding", Help: "1 while new games are refused with busy.",
		}),
		Signal: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "proofstell_admission_signal", Help: "Each pressure signal's last value as a fraction of its limit.",
		}, []string{"signal"}),
		Opening: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "proofstell_admission_opening", Help: "Admitted games whose session has not answered yet.",
		}),
		Active: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "proofstell_admission_active", Help: "Admitted games not yet ended on this node's connections.",
		}),
		Limit: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "proofstell_admission_limit", Help: "Adaptive limit on active games, cut under pressure and grown below it (0: none yet).",
		}),
		ReturnRate: prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "proofstell_admission_return_rate", Help: "Games per second at which shed clients are told to come back (retry_after_ms pacing).",
		}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.Admitted, m.Shed, m.Pressure, m.Shedding, m.Signal, m.Opening, m.Active, m.Limit, m.ReturnRate} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register admission metrics: %w", err)
		}
	}
	return m, nil
}
