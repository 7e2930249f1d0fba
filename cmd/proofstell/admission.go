package main

import (
	"context"
	"fmt"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/internal/admission"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// maxRetryFactor bounds the busy hint at this many ADMISSION_RETRY_AFTER
// (ten seconds by default): how far ahead the door promises return times
// (internal/admission). A longer horizon parks the clients shed during a
// transient, whose pacing follows the depressed admission rate, long after
// the node has room again; a shorter one brings a long line back early as
// refusals (bench/results/2026-12-06-overload-3.md).
const maxRetryFactor = 10

// openLeasePool gives the singleton runners (period scheduler, chain
// writers) a PostgreSQL pool of their own, so a main pool saturated by
// games cannot starve lease renewals; readiness pings through it too, so a
// busy main pool does not read as PostgreSQL down.
func (a *app) openLeasePool(ctx context.Context) error {
	leases, err := postgres.OpenLeasePool(ctx, a.cfg.Database, time.Now)
	if err != nil {
		return err
	}
	a.leases = leases
	return nil
}

// buildAdmission builds the door that sheds new games past capacity and
// samples the node's pressure until workers ends.
func (a *app) buildAdmission(workers context.Context) error {
	c := a.cfg.Admission
	metrics, err := admission.NewMetrics(prometheus.DefaultRegisterer)
	if err != nil {
		return err
	}
	var signals []admission.Signal
	if c.SchedLatency > 0 {
		signals = append(signals, admission.SchedLatency(0.99, c.SchedLatency))
	}
	if c.PoolWait > 0 {
		signals = append(signals, admission.MeanWait("postgres_pool_wait", a.store.AcquireWait, c.PoolWait))
	}
	a.admission, err = admission.New(admission.Options{
		Signals: signals, MaxOpening: int64(c.MaxOpening), MaxActive: int64(c.MaxActiveGames),
		RetryAfter: c.RetryAfter, MaxRetryAfter: maxRetryFactor * c.RetryAfter, Interval: c.Interval, Metrics: metrics,
	})
	if err != nil {
		return fmt.Errorf("admission: %w", err)
	}
	a.goWorker(func() { a.admission.Run(workers) })
	return nil
}
