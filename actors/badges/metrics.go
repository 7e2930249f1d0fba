package badges

import (
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	processed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_badge_outbox_processed_total",
		Help: "Outbox rows handled by the badge worker, by topic (game.finished, period.frozen, challenge.ended) and outcome (evaluated, skipped, malformed, error).",
	}, []string{"topic", "outcome"})
	awardsTotal = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_badge_awards_total",
		Help: "Badges newly awarded by the badge worker (each announced once).",
	})
	outboxLag = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_badge_outbox_lag_seconds",
		Help: "Time from a game's end to the badge worker handling its outbox row (last row handled).",
	})
)

// observeLag records how far behind the game's end the worker is.
func (w *Worker) observeLag(endedAt time.Time) {
	if endedAt.IsZero() {
		return
	}
	outboxLag.Set(w.deps.Now().Sub(endedAt).Seconds())
}
