// Package parallel runs a benchmark's set-up work (sign-ins, handshakes,
// subscriptions) with bounded concurrency.
package parallel

import (
	"context"
	"sync"
	"sync/atomic"
)

// ForEach calls fn(0..n-1) with at most workers calls in flight; it stops
// handing out work when ctx ends.
func ForEach(ctx context.Context, n, workers int, fn func(i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for range min(workers, n) {
		wg.Go(func() {
			for ctx.Err() == nil {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				fn(i)
			}
		})
	}
	wg.Wait()
}
