package auth

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Reasons a revocation check read PostgreSQL instead of trusting Redis
// (labels of revocationFallbacks).
const (
	fallbackUnreachable = "unreachable" // Redis did not answer
	fallbackLost        = "lost"        // the rebuilt marker was missing
	fallbackStale       = "stale"       // a write to Redis failed on this node since the last rebuild
)

var (
	revocationFallbacks = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_auth_revocation_fallbacks_total",
		Help: "Revocation checks answered from PostgreSQL instead of Redis, by reason (unreachable, lost, stale).",
	}, []string{"reason"})
	revocationRebuilds = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_auth_revocation_rebuilds_total",
		Help: "Copies of the live revocation state from PostgreSQL into Redis, by outcome (ok, failed).",
	}, []string{"outcome"})
	revocationReplacements = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_auth_revocation_cache_replaced_total",
		Help: "Times this node found another Redis server behind its connections (restart, failover) and distrusted its copy until rebuilt.",
	})
	revocationCacheWriteFailures = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_auth_revocation_cache_write_failures_total",
		Help: "Revocations recorded in PostgreSQL whose copy to Redis failed (this node reads PostgreSQL until it rebuilds).",
	})
)
