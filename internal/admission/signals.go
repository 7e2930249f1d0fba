package admission

import (
	"runtime/metrics"
	"sync"
	"time"
)

// Signal is one pressure source. Sample returns its load as a fraction of
// its limit since the previous sample; it is called from one goroutine.
type Signal struct {
	Name   string
	Sample func() float64
}

// schedLatencies is the Go runtime's histogram of the time goroutines
// spent runnable before they ran: on a saturated CPU it grows first.
const schedLatencies = "/sched/latencies:seconds"

// SchedLatency is the q-quantile of the scheduler's run-queue delay since
// the previous sample, over limit. It reads the runtime's own histogram: no
// probe goroutine, no timer.
func SchedLatency(q float64, limit time.Duration) Signal {
	h := &histogramDelta{sample: []metrics.Sample{{Name: schedLatencies}}}
	return Signal{Name: "sched_latency", Sample: func() float64 {
		return h.quantile(q) / limit.Seconds()
	}}
}

// histogramDelta remembers the last counts of a cumulative histogram.
type histogramDelta struct {
	mu     sync.Mutex
	sample []metrics.Sample
	last   []uint64
}

// quantile reads the histogram and returns the q-quantile (a bucket's
// lower bound, in the histogram's unit) of what was added since last time.
func (h *histogramDelta) quantile(q float64) float64 {
	h.mu.Lock()
	defer h.mu.Unlock()
	metrics.Read(h.sample)
	if h.sample[0].Value.Kind() != metrics.KindFloat64Histogram {
		return 0
	}
	hist := h.sample[0].Value.Float64Histogram()
	delta := make([]uint64, len(hist.Counts))
	var total uint64
	for i, n := range hist.Counts {
		delta[i] = n
		if i < len(h.last) {
			delta[i] -= h.last[i]
		}
		total += delta[i]
	}
	h.last = append(h.last[:0], hist.Counts...)
	return quantileOf(delta, hist.Buckets, total, q)
}

// quantileOf returns the lower bound of the bucket holding the q-quantile.
func quantileOf(counts []uint64, bounds []float64, total uint64, q float64) float64 {
	if total == 0 {
		return 0
	}
	rank := uint64(q * float64(total))
	var seen uint64
	for i, n := range counts {
		seen += n
		if seen > rank {
			return max(bounds[i], 0)
		}
	}
	return max(bounds[len(counts)-1], 0)
}

// WaitStats reads a pool's cumulative acquire counters: acquires made and
// total time spent waiting because the pool had no free connection.
type WaitStats func() (acquires int64, waited time.Duration)

// MeanWait is the mean wait per acquire since the previous sample, over
// limit: a pool whose every connection is busy makes callers queue.
func MeanWait(name string, stats WaitStats, limit time.Duration) Signal {
	var lastN int64
	var lastWait time.Duration
	var mu sync.Mutex
	return Signal{Name: name, Sample: func() float64 {
		mu.Lock()
		defer mu.Unlock()
		n, wait := stats()
		dn, dw := n-lastN, wait-lastWait
		lastN, lastWait = n, wait
		if dn <= 0 {
			return 0
		}
		return (float64(dw) / float64(dn)) / float64(limit)
	}}
}
