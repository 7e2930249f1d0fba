package queue_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/proofstell/proofstell/actors/matchmaker/queue"
)

// Skill of the benchmarks' players: rating ordinals (mu − 3σ) drawn from a
// normal distribution with the mean and spread of the population the
// end-to-end benchmark seeds (bench/internal/population, seed 1: ordinal
// mean 9.3, SD 9.7, from OpenSkill players after 0..150 rated matches).
const (
	benchOrdinalMean = 9.3
	benchOrdinalSD   = 9.7
)

// benchWindow is the default skill window (config.defaultMatchmaking).
var benchWindow = queue.Window{Start: 3, PerSecond: 1, Max: 50}

// BenchmarkForm is one Form call over a queue of n waiting 2-player
// tickets that joined at 1,000/s (the newest a tick ago), so most of them
// pair in that one call: the cost of a tick that finds a backlog.
func BenchmarkForm(b *testing.B) {
	for _, n := range []int{100, 1_000, 10_000} {
		b.Run(fmt.Sprintf("waiting=%d", n), func(b *testing.B) {
			tickets := benchTickets(n, time.Millisecond, 2)
			now := tickets[n-1].EnqueuedAt.Add(500 * time.Millisecond)
			b.ResetTimer()
			for b.Loop() {
				queue.Form(now, tickets, benchWindow)
			}
		})
	}
}

// BenchmarkForm_NoneFit is the worst case for a tick: n fresh tickets, far
// enough apart in skill that none pairs, so every anchor scans every
// younger ticket (n²/2 checks).
func BenchmarkForm_NoneFit(b *testing.B) {
	for _, n := range []int{1_000, 10_000} {
		b.Run(fmt.Sprintf("waiting=%d", n), func(b *testing.B) {
			tickets := make([]queue.Ticket, n)
			for i := range tickets {
				tickets[i] = queue.Ticket{ID: fmt.Sprintf("t%06d", i), Players: []string{fmt.Sprintf("p%06d", i)},
					Rating: float64(i) * 10, EnqueuedAt: t0.Add(time.Duration(i) * time.Millisecond), Wanted: 2}
			}
			now := tickets[n-1].EnqueuedAt
			b.ResetTimer()
			for b.Loop() {
				queue.Form(now, tickets, benchWindow)
			}
		})
	}
}

// benchTickets returns n solo tickets wanting wanted seats, one every
// every, with skills drawn from the benchmark's distribution (seeded).
func benchTickets(n int, every time.Duration, wanted int) []queue.Ticket {
	rng := rand.New(rand.NewPCG(1, 2)) //nolint:gosec // a benchmark's reproducible skills
	tickets := make([]queue.Ticket, n)
	for i := range tickets {
		tickets[i] = queue.Ticket{ID: fmt.Sprintf("t%06d", i), Players: []string{fmt.Sprintf("p%06d", i)},
			Rating: benchOrdinalMean + benchOrdinalSD*rng.NormFloat64(), EnqueuedAt: t0.Add(time.Duration(i) * every), Wanted: wanted}
	}
	return tickets
}
