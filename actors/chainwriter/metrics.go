package chainwriter

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/proofstell/proofstell/chain/relay"
)

var (
	txDuration = promauto.NewHistogramVec(prometheus.HistogramOpts{
		Name:    "proofstell_blockchain_transaction_duration_seconds",
		Help:    "Duration of the chain writer's node calls in seconds, by method (nonce, prepare, send, receipt).",
		Buckets: []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"method"})
	txTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_blockchain_transaction_total",
		Help: "Node calls of the chain writer, by method and status (ok, error).",
	}, []string{"method", "status"})
	txErrors = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_blockchain_transaction_errors_total",
		Help: "Failed node calls of the chain writer, by method and error_type.",
	}, []string{"method", "error_type"})
	queueDepth = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_mint_queue_depth",
		Help: "Pending mint requests by chain, as of the chain writer's last batch.",
	}, []string{"chain"})
	queueAge = promauto.NewGaugeVec(prometheus.GaugeOpts{
		Name: "proofstell_mint_queue_age_seconds",
		Help: "Age of the oldest pending mint request by chain (0: empty queue), as of the chain writer's last batch.",
	}, []string{"chain"})
	mintsTotal = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_mint_requests_finished_total",
		Help: "Mint requests the chain writer moved out of submitted, by chain and status (accepted, failed, pending = requeued).",
	}, []string{"chain", "status"})
	feeBumps = promauto.NewCounterVec(prometheus.CounterOpts{
		Name: "proofstell_chain_writer_fee_bumps_total",
		Help: "Stuck transactions the chain writer replaced with a higher fee, by chain.",
	}, []string{"chain"})
)

// timed runs one node call and records its duration and outcome.
func timed[T any](method string, now func() time.Time, fn func() (T, error)) (T, error) {
	start := now()
	v, err := fn()
	txDuration.WithLabelValues(method).Observe(now().Sub(start).Seconds())
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
		{relay.ErrUnavailable, "unavailable"}, {relay.ErrInvalidNonce, "invalid_nonce"},
		{relay.ErrRejected, "rejected"}, {relay.ErrTxNotFound, "not_found"},
		{relay.ErrFeeCapExceeded, "fee_cap"},
	} {
		if errors.Is(err, c.err) {
			return c.name
		}
	}
	return "other"
}
