package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// pathRun is everything measured for one path.
type pathRun struct {
	path
	seq, conc          stats.Recorder
	seqTook, concTook  time.Duration
	seqCount, concDone int
	errors             atomic.Int64
}

// warm sends uncounted requests so connections, caches and the host's
// activations exist before the clock starts.
func warm(ctx context.Context, p path, cfg config) error {
	ids := identities(cfg.Grains)
	for i := range cfg.Warmup {
		if err := p.call(ctx, ids[i%len(ids)]); err != nil {
			return fmt.Errorf("warm up %s: %w", p.name, err)
		}
	}
	return nil
}

// measureRound runs one share of the sequential and the concurrent measure.
// Sequential requests interleave the paths request by request, so a burst
// of noise from the rest of the machine hits every path alike; concurrent
// batches rotate which path goes first.
func measureRound(ctx context.Context, cfg config, runs []*pathRun, round int) {
	ids := identities(cfg.Grains)
	sequential(ctx, runs, ids, share(cfg.Seq, cfg.Rounds, round))
	for i := range runs {
		if r := runs[(i+round)%len(runs)]; !r.resolve {
			concurrent(ctx, r, ids, cfg.Concurrent, share(cfg.Requests, cfg.Rounds, round))
		}
	}
}

// share is round's part of total split over rounds.
func share(total, rounds, round int) int {
	return total/rounds + btoi(round < total%rounds)
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// sequential sends n requests per path, one in flight at a time, taking
// the paths in turn (starting from a different one each time).
func sequential(ctx context.Context, runs []*pathRun, ids []string, n int) {
	for i := range n {
		for k := range runs {
			if ctx.Err() != nil {
				return
			}
			r := runs[(i+k)%len(runs)]
			id := ids[(r.seqCount+i)%len(ids)]
			t0 := time.Now()
			err := r.call(ctx, id)
			took := time.Since(t0)
			r.seqTook += took
			if err != nil {
				r.errors.Add(1)
				continue
			}
			r.seq.Add(took)
		}
	}
	for _, r := range runs {
		r.seqCount += n
	}
}

// concurrent sends n requests from workers goroutines, each with one in
// flight, and records the wall time of the whole batch.
func concurrent(ctx context.Context, r *pathRun, ids []string, workers, n int) {
	var next atomic.Int64
	var wg sync.WaitGroup
	began := time.Now()
	for range workers {
		wg.Go(func() {
			for i := next.Add(1) - 1; i < int64(n) && ctx.Err() == nil; i = next.Add(1) - 1 {
				t0 := time.Now()
				if err := r.call(ctx, ids[int(i)%len(ids)]); err != nil {
					r.errors.Add(1)
					continue
				}
				r.conc.Add(time.Since(t0))
			}
		})
	}
	wg.Wait()
	r.concTook += time.Since(began)
	r.concDone += n
}

// seqRate and concRate are completed requests per second.
func (r *pathRun) seqRate() float64 { return rate(r.seq.Summary().Count, r.seqTook) }

func (r *pathRun) concRate() float64 { return rate(r.conc.Summary().Count, r.concTook) }

func rate(n int, took time.Duration) float64 {
	if took <= 0 {
		return 0
	}
	return float64(n) / took.Seconds()
}
