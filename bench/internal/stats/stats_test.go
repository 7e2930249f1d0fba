package stats

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

func TestPercentile(t *testing.T) {
	t.Parallel()
	hundred := make([]time.Duration, 100)
	for i := range hundred {
		hundred[i] = ms(i + 1)
	}
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{name: "empty", sorted: nil, p: 50, want: 0},
		{name: "single", sorted: []time.Duration{ms(3)}, p: 99, want: ms(3)},
		{name: "p50 of 100", sorted: hundred, p: 50, want: ms(50)},
		{name: "p99 of 100", sorted: hundred, p: 99, want: ms(99)},
		{name: "p100 of 100", sorted: hundred, p: 100, want: ms(100)},
		{name: "tiny p picks first", sorted: hundred, p: 0.001, want: ms(1)},
		{name: "p99.9 of 100 is max", sorted: hundred, p: 99.9, want: ms(100)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, Percentile(tc.sorted, tc.p))
		})
	}
}

func TestRecorder_Summary(t *testing.T) {
	t.Parallel()
	var r Recorder
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 25 {
				r.Add(ms(w*25 + i + 1))
			}
		}()
	}
	wg.Wait()
	s := r.Summary()
	require.Equal(t, 100, s.Count)
	require.Equal(t, ms(1), s.Min)
	require.Equal(t, ms(100), s.Max)
	require.Equal(t, ms(50), s.P50)
	require.Equal(t, ms(90), s.P90)
	require.Equal(t, 50500*time.Microsecond, s.Mean)
	require.Contains(t, s.String(), "p99=99.000ms")
}

func TestSummarize_Empty(t *testing.T) {
	t.Parallel()
	require.Equal(t, Summary{}, Summarize(nil))
}
