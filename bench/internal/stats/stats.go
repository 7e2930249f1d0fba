// Package stats summarizes latency samples for the benchmark programs:
// percentiles over every sample (no histogram approximation), because the
// runs are short enough to keep them all.
package stats

import (
	"fmt"
	"slices"
	"sync"
	"time"
)

// maxSamples caps a Recorder (overflow policy: drop the sample and count
// it), so a runaway run cannot exhaust the load generator's memory.
const maxSamples = 20_000_000

// Recorder collects latency samples from many goroutines.
type Recorder struct {
	mu      sync.Mutex
	samples []time.Duration
	dropped int
}

// Add records one sample.
func (r *Recorder) Add(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.samples) >= maxSamples {
		r.dropped++
		return
	}
	r.samples = append(r.samples, d)
}

// Summary returns the percentiles of everything recorded so far.
func (r *Recorder) Summary() Summary {
	r.mu.Lock()
	s := slices.Clone(r.samples)
	dropped := r.dropped
	r.mu.Unlock()
	sum := Summarize(s)
	sum.Dropped = dropped
	return sum
}

// Summary is the distribution of a set of latency samples.
type Summary struct {
	Count   int
	Dropped int
	Min     time.Duration
	Mean    time.Duration
	P50     time.Duration
	P90     time.Duration
	P99     time.Duration
	P999    time.Duration
	Max     time.Duration
}

// Summarize computes a Summary; it sorts samples in place.
func Summarize(samples []time.Duration) Summary {
	if len(samples) == 0 {
		return Summary{}
	}
	slices.Sort(samples)
	var total time.Duration
	for _, d := range samples {
		total += d
	}
	return Summary{
		Count: len(samples),
		Min:   samples[0],
		Mean:  total / time.Duration(len(samples)),
		P50:   Percentile(samples, 50),
		P90:   Percentile(samples, 90),
		P99:   Percentile(samples, 99),
		P999:  Percentile(samples, 99.9),
		Max:   samples[len(samples)-1],
	}
}

// Percentile returns the nearest-rank p-th percentile (0 < p ≤ 100) of
// sorted samples: the smallest sample with at least p% of samples ≤ it.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	rank := int(p/100*float64(len(sorted)) + 0.999999999)
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// String renders the summary on one line, in milliseconds.
func (s Summary) String() string {
	return fmt.Sprintf("n=%d p50=%s p90=%s p99=%s p99.9=%s max=%s mean=%s",
		s.Count, Millis(s.P50), Millis(s.P90), Millis(s.P99), Millis(s.P999), Millis(s.Max), Millis(s.Mean))
}

// Millis formats d as milliseconds with three decimals, e.g. "1.234ms".
func Millis(d time.Duration) string {
	return fmt.Sprintf("%.3fms", float64(d)/float64(time.Millisecond))
}
