package breaker_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/breaker"
	"github.com/proofstell/proofstell/internal/testclock"
)

var errDown = errors.New("down")

func TestBreaker_OpensOnFailureAndProbesOncePerInterval(t *testing.T) {
	t.Parallel()
	clock := testclock.New(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	b := breaker.New(time.Second, clock.Now)

	require.True(t, b.Allow(), "a new breaker is closed")
	require.True(t, b.Record(errDown), "the first failure opens it")
	require.False(t, b.Record(errDown), "a second failure is no transition")
	require.True(t, b.Open())
	require.False(t, b.Allow(), "open: calls skip the dependency")

	clock.Advance(999 * time.Millisecond)
	require.False(t, b.Allow(), "no probe before the interval")

	clock.Advance(time.Millisecond)
	require.True(t, b.Allow(), "one probe once the interval passed")
	require.False(t, b.Allow(), "only one caller wins the probe")

	b.Record(errDown)
	clock.Advance(time.Second)
	require.True(t, b.Allow())
	require.True(t, b.Record(nil), "a success closes it")
	require.False(t, b.Open())
	require.True(t, b.Allow())
	require.True(t, b.Allow(), "closed: every call goes through")
	require.False(t, b.Record(nil), "a success while closed is no transition")
}

// A client that hangs up mid-call must not switch the dependency off for
// everyone else.
func TestBreaker_CancelledCallChangesNothing(t *testing.T) {
	t.Parallel()
	clock := testclock.New(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	b := breaker.New(time.Second, clock.Now)
	require.False(t, b.Record(fmt.Errorf("redis: %w", context.Canceled)))
	require.False(t, b.Open(), "a cancelled call does not open the breaker")

	b.Record(errDown)
	require.False(t, b.Record(context.Canceled))
	require.True(t, b.Open(), "nor does it close an open one")
}

func TestBreaker_OneProbeAmongConcurrentCallers(t *testing.T) {
	t.Parallel()
	clock := testclock.New(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC))
	b := breaker.New(time.Second, clock.Now)
	b.Record(errDown)
	clock.Advance(time.Second)

	var allowed atomic.Int32
	var wg sync.WaitGroup
	for range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if b.Allow() {
				allowed.Add(1)
			}
		}()
	}
	wg.Wait()
	require.Equal(t, int32(1), allowed.Load())
}
