package memory

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	keys = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_memory_engine_keys",
		Help: "Entries held by the in-process engine per keyspace, expired ones not yet swept included.",
	}, []string{"keyspace"})
	rejected = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_memory_engine_rejected_total",
		Help: "Writes the in-process engine refused because the keyspace was full (overflow policy: reject).",
	}, []string{"keyspace"})
	busPublished = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_memory_bus_published_total",
		Help: "Messages published on the in-process event bus.",
	})
	busDropped = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_memory_bus_dropped_total",
		Help: "Messages dropped because a subscriber's queue was full (overflow policy: drop).",
	})
	busSubscriptions = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_memory_bus_subscriptions",
		Help: "Active subscriptions on the in-process event bus.",
	})
)
