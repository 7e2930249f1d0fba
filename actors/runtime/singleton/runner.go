package singleton

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/proofstell/proofstell/persistence"
)

// Runner keeps one node's claim on a singleton lease and runs the job actor
// while, and only while, it holds the lease. Create it with NewRunner, run it
// with Run, stop it by cancelling Run's context or calling Stop.
type Runner struct {
	store     persistence.LeaseStore
	root      *actor.RootContext
	opts      Options
	leader    prometheus.Gauge
	takeovers prometheus.Counter
	late      prometheus.Counter
	lost      prometheus.Counter

	// Owned by the Run goroutine.
	lease   persistence.Lease // valid while leading
	leading bool
	// validUntil is when the lease expires at the earliest, by the local
	// clock: the start of the last call that took or renewed it, plus TTL.
	validUntil time.Time
	lastEpoch  int64 // last epoch this runner led, to count takeovers once
	job        *actor.PID

	running  atomic.Bool
	stop     chan struct{}
	stopOnce sync.Once
	finished chan struct{}
}

// NewRunner returns a runner electing through store and spawning the job in
// root's actor system.
func NewRunner(store persistence.LeaseStore, root *actor.RootContext, opts Options) (*Runner, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	return &Runner{
		store:     store,
		root:      root,
		opts:      opts,
		leader:    opts.Metrics.Leader.WithLabelValues(opts.Name),
		takeovers: opts.Metrics.Takeovers.WithLabelValues(opts.Name),
		late:      opts.Metrics.Late.WithLabelValues(opts.Name),
		lost:      opts.Metrics.Lost.WithLabelValues(opts.Name),
		stop:      make(chan struct{}),
		finished:  make(chan struct{}),
	}, nil
}

// Run attempts at once and then every RenewEvery (or on every Options.Ticks
// value) until ctx ends or Stop is called; then it stops the job and releases
// the lease so a peer takes over without waiting for the TTL. Run may be
// called once.
func (r *Runner) Run(ctx context.Context) error {
	if !r.running.CompareAndSwap(false, true) {
		return fmt.Errorf("singleton %s: run called twice", r.opts.Name)
	}
	defer close(r.finished)
	ticks, stopTicker := r.ticks()
	defer stopTicker()
	for !r.stopping(ctx) {
		r.attempt(ctx)
		select {
		case <-ticks:
		case <-ctx.Done():
		case <-r.stop:
		}
	}
	r.resign(ctx)
	return nil
}

// Stop asks Run to resign and return, and waits for it or for ctx. It is
// idempotent and returns at once if Run was never started.
func (r *Runner) Stop(ctx context.Context) error {
	r.stopOnce.Do(func() { close(r.stop) })
	if !r.running.Load() {
		return nil
	}
	select {
	case <-r.finished:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop singleton %s: %w", r.opts.Name, ctx.Err())
	}
}

func (r *Runner) stopping(ctx context.Context) bool {
	select {
	case <-ctx.Done():
		return true
	case <-r.stop:
		return true
	default:
		return false
	}
}

// ticks returns the injected tick channel, or a real ticker's.
func (r *Runner) ticks() (<-chan time.Time, func()) {
	if r.opts.Ticks != nil {
		return r.opts.Ticks, func() {}
	}
	t := time.NewTicker(r.opts.RenewEvery)
	return t.C, t.Stop
}
