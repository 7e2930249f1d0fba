package main

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// result is one matchmaking run.
type result struct {
	Accounts int
	Opened   int
	Seeded   bool
	Failed   map[string]int
	// Joined counts joins written; Acked and Matched the players that got
	// their ack and their match; Refused the join errors by code.
	Joined, Acked, Matched int
	Refused                map[string]int
	// ToMatch is join→matchmaking:matched per matched player; ToAck is
	// join→ack.
	ToMatch, ToAck stats.Summary
	// P99Joined is the p99 time to match over every joined player, one
	// never matched (refused, or still waiting at the end) counting as
	// infinitely long: -1 when more than 1 % were never matched.
	P99Joined time.Duration
	// Spread is max − min ordinal inside each formed match; RandomSpread
	// the same for random groups of the population (what skill-blind
	// matching would give).
	Spread, RandomSpread ratingSummary
	Matches              int
	// Window is from the first join to the last match heard of.
	Window time.Duration
	// PerSecond counts matches heard of in each second since the first join.
	PerSecond []int
	// Lateness is how late each join was written against its schedule.
	Lateness stats.Summary
	CPU      cpuSnapshot
	// IdleCPU is the CPU spent while the open sockets were held idle for
	// IdleSocketSeconds (their count × -idle) before the joins; sockets
	// were open for SocketSeconds during the measured window.
	IdleCPU                          cpuSnapshot
	IdleSocketSeconds, SocketSeconds float64
	// Population is the seeded ordinals' distribution.
	Population                 ratingSummary
	Statuses, Requeued, Closed int64
	// Counters is the growth of the server's watched counters over the
	// joins (metrics.go).
	Counters []string
}

// measureMatchmaking signs in, seeds, opens the sockets, joins at the
// arrival rate and collects the matches.
func measureMatchmaking(ctx context.Context, cfg config, log io.Writer) (result, error) {
	res := result{Failed: map[string]int{}, Refused: map[string]int{}}
	ratings := drawRatings(cfg)
	players := signIn(ctx, cfg, ratings, res.Failed)
	res.Accounts = len(players)
	logf(log, "signed in %d guests", len(players))
	if cfg.DB != "" {
		if err := seedRatings(ctx, cfg.DB, cfg.Mode, players); err != nil {
			return result{}, err
		}
		res.Seeded = true
		logf(log, "seeded %d ratings in %s", len(players), cfg.Mode)
	}
	skill := ordinals(players, res.Seeded)
	res.Population = summarizeRatings(slices.Collect(maps.Values(skill)))
	res.RandomSpread = randomSpread(players, skill, cfg)
	f := openSockets(ctx, cfg, players, res.Failed)
	defer f.close()
	res.Opened = len(f.seats)
	logf(log, "opened %d sockets; holding them idle for %s", res.Opened, cfg.Idle)
	if cfg.Idle > 0 {
		idle := readCPU(cfg.PID)
		if !sleepCtx(ctx, cfg.Idle) {
			return result{}, fmt.Errorf("hold idle sockets: %w", ctx.Err())
		}
		res.IdleCPU, res.IdleSocketSeconds = readCPU(cfg.PID).sub(idle), float64(res.Opened)*cfg.Idle.Seconds()
	}
	logf(log, "joining %d over %s (%.0f/s)", res.Opened, cfg.Duration, cfg.rate())
	before, from, scraped := readCPU(cfg.PID), f.since(), scrapeCounters(ctx, cfg.Addr)
	lateness, err := f.join(ctx, cfg, log)
	if err != nil {
		return result{}, fmt.Errorf("join: %w", err)
	}
	f.wait(ctx, cfg.Wait)
	res.CPU = readCPU(cfg.PID).sub(before)
	res.SocketSeconds = f.socketSeconds(from, f.since())
	res.Counters = scrapeCounters(ctx, cfg.Addr).grown(scraped)
	res.Lateness = stats.Summarize(lateness)
	f.collect(&res, skill)
	logf(log, "%d of %d matched; time to match %s", res.Matched, res.Joined, res.ToMatch)
	return res, nil
}

// collect reads every seat and match into res.
func (f *fleet) collect(res *result, skill map[string]float64) {
	var toMatch, toAck []time.Duration
	var last time.Duration
	for _, s := range f.seats {
		sent := s.sent.Load()
		if sent == 0 {
			continue
		}
		res.Joined++
		if code := s.errCode.Load(); code != nil {
			res.Refused[*code]++
		}
		if a := s.acked.Load(); a > 0 {
			res.Acked++
			toAck = append(toAck, time.Duration(a-sent))
		}
		if m := s.matched.Load(); m > 0 {
			res.Matched++
			toMatch = append(toMatch, time.Duration(m-sent))
			last = max(last, time.Duration(m))
		}
	}
	res.ToMatch, res.ToAck = stats.Summarize(toMatch), stats.Summarize(toAck) // sorts toMatch
	res.P99Joined = -1
	if rank := int(math.Ceil(0.99 * float64(res.Joined))); rank >= 1 && rank <= len(toMatch) {
		res.P99Joined = toMatch[rank-1]
	}
	first := time.Duration(f.seats[0].sent.Load())
	res.Window = last - first
	f.mu.Lock()
	defer f.mu.Unlock()
	spreads := make([]float64, 0, len(f.matches))
	for _, m := range f.matches {
		spreads = append(spreads, spreadOf(m.Players, skill))
		sec := int((m.At - first) / time.Second)
		for len(res.PerSecond) <= sec {
			res.PerSecond = append(res.PerSecond, 0)
		}
		res.PerSecond[sec]++
	}
	res.Matches = len(f.matches)
	res.Spread = summarizeRatings(spreads)
	res.Statuses, res.Requeued, res.Closed = f.statuses.Load(), f.requeued.Load(), f.closed.Load()
}

// spreadOf is max − min skill of a match's players.
func spreadOf(ids []string, skill map[string]float64) float64 {
	if len(ids) == 0 {
		return 0
	}
	lo, hi := skill[ids[0]], skill[ids[0]]
	for _, id := range ids[1:] {
		lo, hi = min(lo, skill[id]), max(hi, skill[id])
	}
	return hi - lo
}

// randomSpread is the spread of the players cut into random groups of
// cfg.Size: the baseline a skill-blind queue would give.
func randomSpread(players []player, skill map[string]float64, cfg config) ratingSummary {
	ids := make([]string, len(players))
	for i, p := range players {
		ids[i] = p.id
	}
	rng := rand.New(rand.NewPCG(cfg.Seed, 0x7261)) //nolint:gosec // a reproducible baseline
	rng.Shuffle(len(ids), func(a, b int) { ids[a], ids[b] = ids[b], ids[a] })
	var spreads []float64
	for k := 0; k+cfg.Size <= len(ids); k += cfg.Size {
		spreads = append(spreads, spreadOf(ids[k:k+cfg.Size], skill))
	}
	return summarizeRatings(spreads)
}

// ratingSummary is the distribution of rating points (ordinals or spreads).
type ratingSummary struct {
	Count                             int
	Mean, SD, Min, P50, P90, P99, Max float64
}

// summarizeRatings computes a ratingSummary; it sorts v in place.
func summarizeRatings(v []float64) ratingSummary {
	if len(v) == 0 {
		return ratingSummary{}
	}
	slices.Sort(v)
	var sum, sumSq float64
	for _, x := range v {
		sum += x
		sumSq += x * x
	}
	n := float64(len(v))
	mean := sum / n
	at := func(p float64) float64 { return v[min(len(v)-1, max(0, int(p*n+0.999999999)-1))] }
	return ratingSummary{Count: len(v), Mean: mean, SD: math.Sqrt(max(0, sumSq/n-mean*mean)),
		Min: v[0], P50: at(0.5), P90: at(0.9), P99: at(0.99), Max: v[len(v)-1]}
}
