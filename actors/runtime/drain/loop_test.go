package drain

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestLoop_DrainsPerTickAndRetriesAFailure(t *testing.T) {
	t.Parallel()
	l := NewLoop("test worker")
	require.NoError(t, l.Stop(context.Background()), "Stop before Run waits for nothing")
	ticks := make(chan time.Time)
	calls := make(chan int, 4)
	n := 0
	drain := func(context.Context) error {
		n++
		calls <- n
		if n == 1 {
			return errors.New("store down")
		}
		return nil
	}
	done := make(chan struct{})
	go func() { defer close(done); l.Run(context.Background(), ticks, drain, slog.New(slog.DiscardHandler)) }()
	ticks <- time.Time{}
	require.Equal(t, 1, <-calls)
	ticks <- time.Time{}
	require.Equal(t, 2, <-calls, "a failed drain is tried again on the next tick")
	close(ticks)
	<-done
	require.NoError(t, l.Stop(context.Background()), "Stop after Run returned")
}

func TestLoop_StopEndsRun(t *testing.T) {
	t.Parallel()
	l := NewLoop("test worker")
	ticks := make(chan time.Time)
	drained := make(chan struct{}, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		l.Run(context.Background(), ticks, func(context.Context) error { drained <- struct{}{}; return nil }, slog.New(slog.DiscardHandler))
	}()
	ticks <- time.Time{} // taken only once Run is looping
	<-drained
	require.NoError(t, l.Stop(context.Background()))
	<-done
	require.NoError(t, l.Stop(context.Background()), "a second Stop is harmless")
}
