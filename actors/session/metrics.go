package session

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	sessionsActive = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_sessions_active", Help: "Session grain activations on this node.",
	})
	sessionsFinished = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_sessions_finished_total", Help: "Sessions whose result was committed, by final state.",
	}, []string{"state"})
	joinsTotal = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_sessions_joins_total", Help: "Players who joined a match.",
	})
	whacksTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_session_whacks_total", Help: "Judged whacks by outcome (hit, a miss reason, rejected).",
	}, []string{"outcome"})
	// judgeDelay is the node's share of the judged-whack round trip: from
	// the gateway's receive stamp to the session judging the whack (the
	// player actor, remoting to the session's node and its mailbox). The
	// reply's way back is not in it; bench/loadgen measures the whole trip.
	judgeDelay = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_session_whack_judge_delay_seconds",
		Help:    "Time from the gateway reading a whack to its session judging it (stamps off by more than the allowed skew count as 0).",
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1},
	})
	suspiciousResults = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_session_suspicious_results_total",
		Help: "Finished results the consistency detector held for review (reason suspicious_consistency), by the rule that held (game, recent).",
	}, []string{"rule"})
	recentPlayUnread = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_session_recent_play_unread_total",
		Help: "Finished games judged without the players' recent games because reading them failed (only the one-game rule applied).",
	})
	snapshotErrors = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_session_snapshot_errors_total", Help: "Snapshot writes that failed (retried at the next interval).",
	})
	fencedTotal = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_session_fenced_total", Help: "Activations stopped because a newer epoch owns the session.",
	})
	sessionsResumed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_session_resumed_total",
		Help: "Countdown or running games restored by a new activation: resumed (outage inserted as a pause) or aborted (outage longer than the resume window).",
	}, []string{"outcome"})
	finalSnapshots = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_session_final_snapshots_total",
		Help: "Snapshots written by stopping activations of games in play: saved, fenced (a newer activation owns the session) or failed.",
	}, []string{"outcome"})
	lobbiesExpired = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_session_lobbies_expired_total",
		Help: "Matches aborted because nobody started them within the waiting timeout of their creation, by where it was noticed: timer, on_join (a join after the deadline) or on_activation (an orphaned lobby re-activated after its deadline).",
	}, []string{"where"})
	unknownMessages = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_session_unknown_messages_total",
		Help: "Messages a session phase did not take (each also logged, rate-limited), by phase (actors/session/phases.go).",
	}, []string{"phase"})
)
