package batch

import (
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"
)

var (
	queueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_result_writer_queue_depth",
		Help: "Finished games waiting in the batching writer's queue.",
	})
	rejected = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_result_writer_rejected_total",
		Help: "Finished games rejected because the queue was full (overflow policy: reject).",
	})
	flushDuration = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_result_writer_flush_duration_seconds",
		Help:    "Duration of one commit call of the batching writer, failed ones included.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	})
	batchSize = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_result_writer_batch_size",
		Help:    "Finished games per commit call of the batching writer.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 11),
	})
	failedCommits = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_result_writer_failed_commits_total",
		Help: "Commit calls that failed and were retried or given up.",
	})
	givenUp = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_result_writer_given_up_total",
		Help: "Finished games reported as failed to their caller (drain deadline or MaxAttempts).",
	})
	snapshotQueueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "proofstell_snapshot_writer_queue_depth",
		Help: "Session snapshots waiting in the node's snapshot writer.",
	})
	snapshotsRejected = promauto.NewCounter(prometheus.CounterOpts{
		Name: "proofstell_snapshot_writer_rejected_total",
		Help: "Session snapshots rejected because the queue was full (overflow policy: reject; the session skips it).",
	})
	snapshotFlushDuration = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_snapshot_writer_flush_duration_seconds",
		Help:    "Duration of one SaveSnapshots statement of the snapshot writer, failed ones included.",
		Buckets: []float64{.001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5},
	})
	snapshotBatchSize = promauto.NewHistogram(prometheus.HistogramOpts{
		Name:    "proofstell_snapshot_writer_batch_size",
		Help:    "Session snapshots per statement of the snapshot writer.",
		Buckets: prometheus.ExponentialBuckets(1, 2, 11),
	})
)
