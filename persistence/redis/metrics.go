package redis

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

// Operation labels of redisErrors.
const (
	opPublish   = "publish"
	opSubscribe = "subscribe"
	opRateLimit = "ratelimit"
	opDeny      = "deny"
	opDenied    = "denied"
)

var (
	busPublished = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_redis_bus_published_total",
		Help: "Messages published to the Redis event bus.",
	})
	busReceived = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_redis_bus_received_total",
		Help: "Messages received from the Redis event bus and handed to subscribers.",
	})
	busSubscriptions = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_redis_bus_subscriptions",
		Help: "Active Redis event bus subscriptions on this node.",
	})
	busResubscriptions = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_redis_bus_resubscriptions_total",
		Help: "Subscriptions re-established after the Redis connection dropped (messages in between are lost).",
	})
	rateLimitDecisions = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_redis_ratelimit_decisions_total",
		Help: "Cluster-wide rate limiter decisions by outcome (allowed, denied).",
	}, []string{"decision"})
	redisErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_redis_errors_total",
		Help: "Failed Redis operations by operation (publish, subscribe, ratelimit, deny, denied).",
	}, []string{"op"})
)
