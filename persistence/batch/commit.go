package batch

import (
	"context"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/persistence"
)

// settle commits batch until every result has its answer. After a failure it
// waits with backoff and retries the two halves separately: during an outage
// this costs a few extra calls, and a result the store always rejects ends up
// alone instead of holding the whole batch hostage. A lone result gives up
// only at MaxAttempts (if set) or when ctx ends.
func (w *Writer) settle(ctx context.Context, batch []pending, attempt int) {
	for {
		err := w.commit(ctx, batch)
		if err == nil {
			return
		}
		attempt++
		failedCommits.Inc()
		w.opts.Logger.Warn("commit finished games failed", "games", len(batch), "attempt", attempt, "err", err)
		if ctx.Err() != nil || (len(batch) == 1 && w.opts.MaxAttempts > 0 && attempt >= w.opts.MaxAttempts) {
			fail(batch, err)
			return
		}
		if !pause(ctx, w.opts.backoff(attempt)) {
			fail(batch, fmt.Errorf("%w (last error: %w)", context.Cause(ctx), err))
			return
		}
		if len(batch) > 1 {
			mid := len(batch) / 2
			w.settle(ctx, batch[:mid], attempt)
			w.settle(ctx, batch[mid:], attempt)
			return
		}
	}
}

// commit makes one store call and, on success, reports every outcome.
func (w *Writer) commit(ctx context.Context, batch []pending) error {
	results := make([]persistence.GameResult, len(batch))
	for i, p := range batch {
		results[i] = p.result
	}
	start := time.Now()
	outcomes, err := w.store.CommitResults(ctx, results)
	flushDuration.Observe(time.Since(start).Seconds())
	batchSize.Observe(float64(len(batch)))
	if err != nil {
		return fmt.Errorf("commit %d results: %w", len(batch), err)
	}
	if len(outcomes) != len(batch) {
		return fmt.Errorf("commit %d results: store returned %d outcomes", len(batch), len(outcomes))
	}
	for i, p := range batch {
		if p.done != nil {
			p.done(outcomes[i], nil)
		}
	}
	return nil
}

// fail reports err to every result of batch.
func fail(batch []pending, err error) {
	givenUp.Add(float64(len(batch)))
	for _, p := range batch {
		if p.done != nil {
			p.done(0, fmt.Errorf("commit result %s: %w", p.result.SessionID, err))
		}
	}
}

// pause waits d or until ctx ends, reporting whether the full wait passed.
func pause(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
