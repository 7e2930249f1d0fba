// Package batch turns many finished games into few database transactions.
//
// Session actors Submit results without blocking; one Run goroutine groups
// them into batches (up to MaxBatch, or whatever arrived within FlushInterval
// of the oldest), commits each batch with one ResultStore call, and reports
// every result's outcome to its callback exactly once. A failing batch is
// retried with exponential backoff and split in halves, so a database outage
// loses nothing and one bad result cannot block the others.
//
// SnapshotWriter does the same for running games' snapshots: one statement
// per tick for the whole node, each snapshot answered with its own verdict.
//
// The package is driver-free: it knows only the persistence store contracts.
package batch

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// ErrStopped is returned by Submit once the writer has begun its final drain.
var ErrStopped = errors.New("result writer stopped")

// errDrainTimeout ends commits still failing when the drain deadline passes.
var errDrainTimeout = errors.New("result writer drain timed out")

// Done receives a result's fate exactly once, on the writer's goroutine: it
// must not block (send to a mailbox, never wait on one). err is non-nil only
// when the result could not be committed before the writer stopped (or
// MaxAttempts ran out); the outcome is then zero.
type Done func(persistence.CommitOutcome, error)

// Writer is the batching result writer. Create it with NewWriter, run it with
// Run, stop it by cancelling Run's context or calling Stop.
type Writer struct {
	store persistence.ResultStore
	opts  Options
	queue chan pending

	// mu orders Submit's sends before the drain: Submit holds it shared,
	// closing takes it exclusively, so no item enters after the final drain.
	mu     sync.RWMutex
	closed bool

	running  atomic.Bool
	stop     chan struct{}
	stopOnce sync.Once
	finished chan struct{}
}

type pending struct {
	result persistence.GameResult
	done   Done
	queued time.Time
}

// NewWriter returns a writer committing through store.
func NewWriter(store persistence.ResultStore, opts Options) *Writer {
	opts = opts.withDefaults()
	return &Writer{
		store:    store,
		opts:     opts,
		queue:    make(chan pending, opts.QueueSize),
		stop:     make(chan struct{}),
		finished: make(chan struct{}),
	}
}

// Submit queues r for commit and returns at once. When the queue is full it
// returns an error wrapping persistence.ErrQueueFull (overflow policy: reject;
// the caller keeps the result and retries later). After the writer stopped
// it returns an error wrapping ErrStopped. done may be nil.
func (w *Writer) Submit(r persistence.GameResult, done func(persistence.CommitOutcome, error)) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return fmt.Errorf("submit result %s: %w", r.SessionID, ErrStopped)
	}
	select {
	case w.queue <- pending{result: r, done: done, queued: w.opts.Now()}:
		queueDepth.Set(float64(len(w.queue)))
		return nil
	default:
		rejected.Inc()
		return fmt.Errorf("submit result %s: %w", r.SessionID, persistence.ErrQueueFull)
	}
}

// Run commits queued results until ctx ends or Stop is called, then drains
// the queue within DrainTimeout and returns. Results still uncommitted at the
// drain deadline get an error through their callback. Run may be called once.
func (w *Writer) Run(ctx context.Context) error {
	if !w.running.CompareAndSwap(false, true) {
		return errors.New("result writer: run called twice")
	}
	defer close(w.finished)
	life, cancel := w.lifetime(ctx)
	defer cancel()
	for {
		batch, open := w.collect(ctx)
		if len(batch) > 0 {
			w.settle(life, batch, 0)
		}
		if !open {
			break
		}
	}
	w.close()
	w.drain(life)
	return nil
}

// Stop asks Run to drain and return, and waits for it or for ctx. It is
// idempotent and returns at once if Run was never started.
func (w *Writer) Stop(ctx context.Context) error {
	w.stopOnce.Do(func() { close(w.stop) })
	if !w.running.Load() {
		return nil
	}
	select {
	case <-w.finished:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("stop result writer: %w", ctx.Err())
	}
}

// lifetime is the context commits run under: it outlives ctx (and Stop) by
// DrainTimeout so queued results still get their chance to commit.
func (w *Writer) lifetime(ctx context.Context) (context.Context, context.CancelFunc) {
	life, cancel := context.WithCancelCause(context.WithoutCancel(ctx))
	go func() {
		select {
		case <-ctx.Done():
		case <-w.stop:
		case <-life.Done():
			return
		}
		t := time.NewTimer(w.opts.DrainTimeout)
		defer t.Stop()
		select {
		case <-t.C:
			cancel(errDrainTimeout)
		case <-life.Done():
		}
	}()
	return life, func() { cancel(nil) }
}

// collect waits for the first result, then gathers more until MaxBatch or
// until FlushInterval has passed since the first was queued. open is false
// once ctx ended or Stop was called.
func (w *Writer) collect(ctx context.Context) (batch []pending, open bool) {
	var first pending
	select {
	case first = <-w.queue:
	case <-ctx.Done():
		return nil, false
	case <-w.stop:
		return nil, false
	}
	batch = w.take(append(make([]pending, 0, w.opts.MaxBatch), first))
	wait := w.opts.FlushInterval - w.opts.Now().Sub(first.queued)
	if len(batch) == w.opts.MaxBatch || wait <= 0 {
		return batch, true
	}
	timer := time.NewTimer(wait)
	defer timer.Stop()
	for len(batch) < w.opts.MaxBatch {
		select {
		case p := <-w.queue:
			batch = append(batch, p)
		case <-timer.C:
			return batch, true
		case <-ctx.Done():
			return batch, false
		case <-w.stop:
			return batch, false
		}
	}
	return batch, true
}

// take appends what is queued right now, up to MaxBatch, without waiting.
func (w *Writer) take(batch []pending) []pending {
	defer func() { queueDepth.Set(float64(len(w.queue))) }()
	for len(batch) < w.opts.MaxBatch {
		select {
		case p := <-w.queue:
			batch = append(batch, p)
		default:
			return batch
		}
	}
	return batch
}

// close rejects further submissions; afterwards the queue only shrinks.
func (w *Writer) close() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.closed = true
}

// drain commits everything left in the queue.
func (w *Writer) drain(ctx context.Context) {
	for {
		batch := w.take(make([]pending, 0, w.opts.MaxBatch))
		if len(batch) == 0 {
			return
		}
		w.settle(ctx, batch, 0)
	}
}
