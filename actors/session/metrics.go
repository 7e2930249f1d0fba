package session

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	sessionsActive = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "sessions_active", Help: "Session grain activations on this node.",
	})
	sessionsFinished = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "sessions_finished_total", Help: "Sessions whose result was committed, by final state.",
	}, []string{"state"})
	joinsTotal = promauto.NewCounter(prometheus.CounterOpts{
		Name: "sessions_joins_total", Help: "Players who joined a match.",
	})
	whacksTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "session_whacks_total", Help: "Judged whacks by outcome (hit, a miss reason, rejected).",
	}, []string{"outcome"})
	suspiciousResults = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "session_suspicious_results_total",
		Help: "Finished results the consistency detector held for review (reason suspicious_consistency), by the rule that held (game, recent).",
	}, []string{"rule"})
	recentPlayUnread = promauto.NewCounter(prometheus.CounterOpts{
		Name: "session_recent_play_unread_total",
		Help: "Finished games judged without the players' recent games because reading them failed (only the one-game rule applied).",
	})
	snapshotErrors = promauto.NewCounter(prometheus.CounterOpts{
		Name: "session_snapshot_errors_total", Help: "Snapshot writes that failed (retried at the next interval).",
	})
	fencedTotal = promauto.NewCounter(prometheus.CounterOpts{
		Name: "session_fenced_total", Help: "Activations stopped because a newer epoch owns the session.",
	})
	sessionsResumed = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "session_resumed_total",
		Help: "Countdown or running games restored by a new activation: resumed (outage inserted as a pause) or aborted (outage longer than the resume window).",
	}, []string{"outcome"})
	finalSnapshots = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "session_final_snapshots_total",
		Help: "Snapshots written by stopping activations of games in play: saved, fenced (a newer activation owns the session) or failed.",
	}, []string{"outcome"})
	lobbiesExpired = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "session_lobbies_expired_total",
		Help: "Matches aborted because nobody started them within the waiting timeout of their creation, by where it was noticed: timer, on_join (a join after the deadline) or on_activation (an orphaned lobby re-activated after its deadline).",
	}, []string{"where"})
	unknownMessages = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "session_unknown_messages_total",
		Help: "Messages a session phase did not take (each also logged, rate-limited), by phase (actors/session/phases.go).",
	}, []string{"phase"})
)
