package leaderboard

import (
	"fmt"

	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the leaderboard grains' Prometheus collectors. Labels carry the
// board only, never the period, so cardinality stays fixed as days pass.
type Metrics struct {
	// IndexSize is the player count of each board's current period.
	IndexSize *prometheus.GaugeVec
	// RebuildSeconds times rebuilds from Postgres, by board and result.
	RebuildSeconds *prometheus.HistogramVec
	// Published counts leaderboard:update events published.
	Published *prometheus.CounterVec
	// StashOverflow counts messages refused because the rebuild stash was full.
	StashOverflow *prometheus.CounterVec
	// StashDepth is the number of messages waiting for rebuilds to finish.
	StashDepth *prometheus.GaugeVec
	// CatchUps counts reads of the standings stored since a grain's
	// high-water mark, by board and outcome: changed (the index had missed
	// something), unchanged, error.
	CatchUps *prometheus.CounterVec
}

// NewMetrics creates the collectors and registers them with reg (nil: not
// registered, for tests).
func NewMetrics(reg prometheus.Registerer) (*Metrics, error) {
	m := &Metrics{
		IndexSize: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "proofstell_leaderboard_index_size",
			Help: "Players on the current period of each leaderboard.",
		}, []string{"board"}),
		RebuildSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "proofstell_leaderboard_rebuild_seconds",
			Help:    "Time to rebuild a leaderboard index from Postgres.",
			Buckets: prometheus.ExponentialBuckets(0.001, 4, 10),
		}, []string{"board", "result"}),
		Published: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_leaderboard_updates_published_total",
			Help: "leaderboard:update events published.",
		}, []string{"board"}),
		StashOverflow: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_leaderboard_stash_overflow_total",
			Help: "Messages refused while a rebuild stash was full (queries failed, applies dropped).",
		}, []string{"board", "message"}),
		StashDepth: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "proofstell_leaderboard_stash_depth",
			Help: "Messages held while leaderboard indexes rebuild.",
		}, []string{"board"}),
		CatchUps: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "proofstell_leaderboard_catchups_total",
			Help: "Reads of the standings stored since a board's high-water mark, by outcome (changed: the live index had missed them).",
		}, []string{"board", "outcome"}),
	}
	if reg == nil {
		return m, nil
	}
	for _, c := range []prometheus.Collector{m.IndexSize, m.RebuildSeconds, m.Published, m.StashOverflow, m.StashDepth, m.CatchUps} {
		if err := reg.Register(c); err != nil {
			return nil, fmt.Errorf("register leaderboard metrics: %w", err)
		}
	}
	return m, nil
}
