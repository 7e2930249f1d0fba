package parallel_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/bench/internal/parallel"
)

func TestForEach_EveryIndexOnceWithinTheBound(t *testing.T) {
	t.Parallel()
	const n, workers = 500, 7
	var seen [n]atomic.Int32
	var inFlight, peak atomic.Int32
	parallel.ForEach(context.Background(), n, workers, func(i int) {
		now := inFlight.Add(1)
		for {
			p := peak.Load()
			if now <= p || peak.CompareAndSwap(p, now) {
				break
			}
		}
		seen[i].Add(1)
		inFlight.Add(-1)
	})
	for i := range seen {
		require.EqualValues(t, 1, seen[i].Load(), "index %d", i)
	}
	require.LessOrEqual(t, peak.Load(), int32(workers))
}

func TestForEach_StopsWhenTheContextEnds(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var calls atomic.Int32
	parallel.ForEach(ctx, 1000, 1, func(int) {
		if calls.Add(1) == 3 {
			cancel()
		}
	})
	require.EqualValues(t, 3, calls.Load())
}

func TestForEach_SizesAndCancelledBeforeStart(t *testing.T) {
	t.Parallel()
	tests := []struct{ n, workers int }{{0, 4}, {1, 4}, {100, 3}, {5, 50}}
	for _, tc := range tests {
		var seen [100]atomic.Int32
		parallel.ForEach(context.Background(), tc.n, tc.workers, func(i int) { seen[i].Add(1) })
		for i := range tc.n {
			require.Equal(t, int32(1), seen[i].Load(), "n=%d i=%d", tc.n, i)
		}
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	calls := 0
	parallel.ForEach(ctx, 10, 1, func(int) { calls++ })
	require.Zero(t, calls)
}
