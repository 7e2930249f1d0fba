package admission

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestQuantileOf(t *testing.T) {
	t.Parallel()
	bounds := []float64{0, 0.001, 0.01, 0.1, 1}
	require.Zero(t, quantileOf([]uint64{0, 0, 0, 0}, bounds, 0, 0.99))
	require.Equal(t, 0.01, quantileOf([]uint64{90, 5, 5, 0}, bounds, 100, 0.99), "the 99th of 100 falls in the third bucket")
	require.Equal(t, 0.001, quantileOf([]uint64{90, 10, 0, 0}, bounds, 100, 0.5+0.45))
	require.Equal(t, 0.0, quantileOf([]uint64{100, 0, 0, 0}, bounds, 100, 0.99))
}

func TestMeanWait(t *testing.T) {
	t.Parallel()
	var n int64
	var waited time.Duration
	s := MeanWait("postgres_pool", func() (int64, time.Duration) { return n, waited }, 10*time.Millisecond)
	require.Zero(t, s.Sample(), "nothing acquired yet")
	n, waited = 100, 500*time.Millisecond // 5 ms each
	require.InDelta(t, 0.5, s.Sample(), 1e-9)
	n, waited = 110, 700*time.Millisecond // 10 acquires waited 200 ms: 20 ms each
	require.InDelta(t, 2.0, s.Sample(), 1e-9)
	require.Zero(t, s.Sample(), "no acquires since the last sample")
}

func TestSchedLatency_ReadsTheRuntime(t *testing.T) {
	t.Parallel()
	s := SchedLatency(0.99, time.Millisecond)
	require.Equal(t, "sched_latency", s.Name)
	for range 3 {
		v := s.Sample()
		require.GreaterOrEqual(t, v, 0.0)
	}
}
