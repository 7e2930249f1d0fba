package chainwriter

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/chain/starknet"
)

var (
	txDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "blockchain_transaction_duration_ms",
		Help:    "Duration of the chain writer's node calls in milliseconds, by method (nonce, prepare, send, receipt).",
		Buckets: []float64{5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000},
	}, []string{"method"})
	txTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "blockchain_transaction_total",
		Help: "Node calls of the chain writer, by method and status (ok, error).",
	}, []string{"method", "status"})
	txErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "blockchain_transaction_errors_total",
		Help: "Failed node calls of the chain writer, by method and error_type.",
	}, []string{"method", "error_type"})
	queueDepth = promauto.NewGauge(prometheus.GaugeOpts{
		Name: "mint_queue_depth",
		Help: "Pending StarkNet mint requests, as of the chain writer's last batch.",
	})
	mintsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "mint_requests_finished_total",
		Help: "Mint requests the chain writer finalized, by status (accepted, failed, pending = requeued).",
	}, []string{"status"})
)

// timed runs one node call and records its duration and outcome.
func timed[T any](method string, now func() time.Time, fn func() (T, error)) (T, error) {
	start := now()
	v, err := fn()
	txDuration.WithLabelValues(method).Observe(float64(now().Sub(start).Microseconds()) / 1000)
	if err != nil {
		txTotal.WithLabelValues(method, "error").Inc()
		txErrors.WithLabelValues(method, errorType(err)).Inc()
	} else {
		txTotal.WithLabelValues(method, "ok").Inc()
	}
	return v, err
}

// errorType names a node error for metrics.
func errorType(err error) string {
	for _, c := range []struct {
		err  error
		name string
	}{
		{starknet.ErrUnavailable, "unavailable"}, {starknet.ErrInvalidNonce, "invalid_nonce"},
		{starknet.ErrRejected, "rejected"}, {starknet.ErrTxNotFound, "not_found"},
		{starknet.ErrFeeCapExceeded, "fee_cap"},
	} {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return "other"
}
