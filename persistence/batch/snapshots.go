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

// ErrSnapshotsStopped is returned by SnapshotWriter.Submit once the writer
// has begun its final drain; the caller writes the snapshot itself.
var ErrSnapshotsStopped = errors.New("snapshot writer stopped")

// SnapshotStore is what the snapshot writer writes through
// (persistence.SessionStore's SaveSnapshots).
type SnapshotStore interface {
	SaveSnapshots(ctx context.Context, snaps []persistence.Snapshot) ([]error, error)
}

// SnapshotOptions tunes a SnapshotWriter. Zero fields take the defaults.
type SnapshotOptions struct {
	// Interval is the tick: the longest a snapshot waits for its batch
	// (default 10ms).
	Interval time.Duration
	// MaxBatch caps the snapshots written by one statement (default 1000).
	MaxBatch int
	// QueueSize bounds the queue; Submit rejects beyond it (default 20000).
	QueueSize int
	// WriteTimeout bounds one statement (default 5s).
	WriteTimeout time.Duration
	// DrainTimeout bounds the final writes after Run's context ends
	// (default 5s).
	DrainTimeout time.Duration
}

// Snapshot writer defaults.
const (
	DefaultSnapshotInterval  = 10 * time.Millisecond
	DefaultSnapshotBatch     = 1000
	DefaultSnapshotQueueSize = 20000
	defaultSnapshotTimeout   = 5 * time.Second
)

func (o SnapshotOptions) withDefaults() SnapshotOptions {
	if o.Interval <= 0 {
		o.Interval = DefaultSnapshotInterval
	}
	if o.MaxBatch <= 0 {
		o.MaxBatch = DefaultSnapshotBatch
	}
	if o.QueueSize <= 0 {
		o.QueueSize = DefaultSnapshotQueueSize
	}
	if o.WriteTimeout <= 0 {
		o.WriteTimeout = defaultSnapshotTimeout
	}
	if o.DrainTimeout <= 0 {
		o.DrainTimeout = defaultSnapshotTimeout
	}
	return o
}

// SnapshotWriter gathers the snapshots of every session on the node and
// writes each tick's worth in one statement (SaveSnapshots), so a running
// game's periodic snapshot costs a share of a statement instead of a round
// trip of its own. Each snapshot's own outcome (nil, ErrStaleEpoch,
// ErrConflict, ErrNotFound, or the statement's error) reaches its callback
// exactly once: fencing works as with single writes. A snapshot is not
// retried: the next one supersedes it.
//
// Two snapshots of one session never share a statement: the later waits
// for the next tick, so writes of one session land in submission order.
type SnapshotWriter struct {
	store SnapshotStore
	opts  SnapshotOptions
	queue chan snapshotRequest

	mu      sync.RWMutex // Submit shared, close exclusive: nothing enters after the drain
	closed  bool
	running atomic.Bool
}

type snapshotRequest struct {
	snap persistence.Snapshot
	done func(error)
}

// NewSnapshotWriter returns a writer writing through store.
func NewSnapshotWriter(store SnapshotStore, opts SnapshotOptions) *SnapshotWriter {
	opts = opts.withDefaults()
	return &SnapshotWriter{store: store, opts: opts, queue: make(chan snapshotRequest, opts.QueueSize)}
}

// Submit queues snap and returns at once; done (not nil) hears its outcome
// on the writer's goroutine and must not block. A full queue returns an
// error wrapping persistence.ErrQueueFull (overflow policy: reject); a
// stopped writer one wrapping ErrSnapshotsStopped. done is not called then.
func (w *SnapshotWriter) Submit(snap persistence.Snapshot, done func(error)) error {
	w.mu.RLock()
	defer w.mu.RUnlock()
	if w.closed {
		return fmt.Errorf("submit snapshot %s: %w", snap.SessionID, ErrSnapshotsStopped)
	}
	select {
	case w.queue <- snapshotRequest{snap: snap, done: done}:
		snapshotQueueDepth.Set(float64(len(w.queue)))
		return nil
	default:
		snapshotsRejected.Inc()
		return fmt.Errorf("submit snapshot %s: %w", snap.SessionID, persistence.ErrQueueFull)
	}
}

// Run writes a batch every Interval (at once when MaxBatch are waiting)
// until ctx ends, then writes what is queued within DrainTimeout and
// returns. Run may be called once.
func (w *SnapshotWriter) Run(ctx context.Context) error {
	if !w.running.CompareAndSwap(false, true) {
		return errors.New("snapshot writer: run called twice")
	}
	tick := time.NewTicker(w.opts.Interval)
	defer tick.Stop()
	var held []snapshotRequest
	for {
		select {
		case <-ctx.Done():
			w.drain(ctx, held)
			return nil
		case <-tick.C:
			held = w.flush(ctx, held)
		}
	}
}

// flush writes batches until fewer than MaxBatch are waiting; it returns
// the snapshots held back for the next tick (a session's second snapshot).
func (w *SnapshotWriter) flush(ctx context.Context, held []snapshotRequest) []snapshotRequest {
	for {
		batch, next := w.gather(held)
		held = next
		if len(batch) > 0 {
			w.write(ctx, batch)
		}
		if len(batch) < w.opts.MaxBatch || len(w.queue) == 0 {
			return held
		}
	}
}

// gather takes held snapshots, then queued ones, up to MaxBatch, one per
// session; a session's later snapshots are held for the next batch.
func (w *SnapshotWriter) gather(held []snapshotRequest) (batch, later []snapshotRequest) {
	defer func() { snapshotQueueDepth.Set(float64(len(w.queue))) }()
	in := make(map[string]bool, len(held))
	add := func(r snapshotRequest) {
		if in[r.snap.SessionID] || len(batch) >= w.opts.MaxBatch {
			later = append(later, r)
			return
		}
		in[r.snap.SessionID] = true
		batch = append(batch, r)
	}
	for _, r := range held {
		add(r)
	}
	for len(batch) < w.opts.MaxBatch {
		select {
		case r := <-w.queue:
			add(r)
		default:
			return batch, later
		}
	}
	return batch, later
}

// write runs one statement and reports every snapshot's outcome.
func (w *SnapshotWriter) write(ctx context.Context, batch []snapshotRequest) {
	snaps := make([]persistence.Snapshot, len(batch))
	for i, r := range batch {
		snaps[i] = r.snap
	}
	ctx, cancel := context.WithTimeout(ctx, w.opts.WriteTimeout)
	defer cancel()
	began := time.Now()
	outcomes, err := w.store.SaveSnapshots(ctx, snaps)
	snapshotFlushDuration.Observe(time.Since(began).Seconds())
	snapshotBatchSize.Observe(float64(len(batch)))
	for i, r := range batch {
		switch {
		case err != nil:
			r.done(fmt.Errorf("save snapshot %s: %w", r.snap.SessionID, err))
		default:
			r.done(outcomes[i])
		}
	}
}

// drain rejects further submissions and writes everything still queued,
// within DrainTimeout of Run's context ending (its values kept, its
// cancellation not: the final snapshots must still be written).
func (w *SnapshotWriter) drain(ctx context.Context, held []snapshotRequest) {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), w.opts.DrainTimeout)
	defer cancel()
	for {
		batch, next := w.gather(held)
		held = next
		if len(batch) == 0 {
			return
		}
		w.write(ctx, batch)
	}
}
