package matchmaker

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	ticketsWaiting = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_matchmaking_tickets_waiting",
		Help: "Tickets waiting in the matchmaker activations of this node, by mode.",
	}, []string{"mode"})
	playersWaiting = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_matchmaking_players_waiting",
		Help: "Players (party members counted) waiting in the matchmaker activations of this node, by mode.",
	}, []string{"mode"})
	matchesFormed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_matchmaking_matches_formed_total",
		Help: "Matches formed by the matchmakers of this node, by mode.",
	}, []string{"mode"})
	waitSeconds = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "proofstell_matchmaking_wait_seconds",
		Help:    "Time a ticket waited from its first enqueue (kept across re-queues) until it was matched, by mode.",
		Buckets: []float64{0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300},
	}, []string{"mode"})
	ticketsRejected = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_matchmaking_tickets_rejected_total",
		Help: "Joins the matchmaker refused, by error code (already_queued, busy: the queue is full, bad_request).",
	}, []string{"code"})
)
