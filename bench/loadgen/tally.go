package main

import (
	"maps"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/bench/internal/stats"
)

// tally is what every bot reports into. Counters are atomics; the keyed
// counts (error codes, miss reasons) share one mutex because they are rare
// next to whacks.
type tally struct {
	judged stats.Recorder // game:whack → game:hit/miss
	// steady holds the judged round trips measured while every game was
	// running: after the ramp (its sign-ins and handshakes) and before the
	// first game ended (its result commits).
	steady stats.Recorder
	// window holds the judged round trips of a -duration run's steady
	// window: past capacity the ramp's burst of sign-ins shares the
	// server's core with the first games, and this tells the two apart.
	window stats.Recorder
	pings  stats.Recorder // ping → pong, gateway only
	// lateness is how late the bots' own whack timers fired: the load
	// generator's health. When it is high, the round trips include the
	// client's own scheduling delay and the run says more about this
	// machine than about the server.
	lateness stats.Recorder

	games int64 // bots in the run
	// steadyFrom and steadyTo bound the steady window of a -duration run
	// (after the ramp); set before any bot starts.
	steadyFrom, steadyTo time.Time
	steadyOvers          atomic.Int64 // game:over frames inside the window
	busy                 atomic.Int64 // game:start rejected busy, retried
	inGameTimeouts       atomic.Int64 // requests of running games that timed out
	connected            atomic.Int64
	gamesStarted         atomic.Int64
	gamesCompleted       atomic.Int64
	gamesFlagged         atomic.Int64
	activeGames          atomic.Int64
	peakGames            atomic.Int64
	whacksSent           atomic.Int64
	hits                 atomic.Int64
	misses               atomic.Int64
	unanswered           atomic.Int64 // whacks without a judgement when the game ended
	scoreTotal           atomic.Int64

	mu       sync.Mutex
	errors   map[string]int // by stage and cause
	missWhys map[string]int // miss reasons
}

func newTally(games int) *tally {
	return &tally{games: int64(games), errors: make(map[string]int), missWhys: make(map[string]int)}
}

// judgedRTT records one judged whack round trip.
func (t *tally) judgedRTT(d time.Duration) {
	t.judged.Add(d)
	if t.gamesStarted.Load() == t.games && t.gamesCompleted.Load() == 0 {
		t.steady.Add(d)
	}
	if now := time.Now(); !t.steadyFrom.IsZero() && !now.Before(t.steadyFrom) && now.Before(t.steadyTo) {
		t.window.Add(d)
	}
}

// over counts one game:over received at.
func (t *tally) over(at time.Time) {
	t.gamesCompleted.Add(1)
	if !at.Before(t.steadyFrom) && at.Before(t.steadyTo) {
		t.steadyOvers.Add(1)
	}
}

// steadyRate is finished games per second over the steady window.
func (t *tally) steadyRate() float64 {
	window := t.steadyTo.Sub(t.steadyFrom)
	if window <= 0 {
		return 0
	}
	return float64(t.steadyOvers.Load()) / window.Seconds()
}

// fail counts one error under a short key such as "login" or "start:unknown_mode".
func (t *tally) fail(key string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.errors[key]++
}

func (t *tally) miss(reason string) {
	t.misses.Add(1)
	t.mu.Lock()
	defer t.mu.Unlock()
	t.missWhys[reason]++
}

// gameStarted tracks concurrency, keeping the peak.
func (t *tally) gameStarted() {
	t.gamesStarted.Add(1)
	n := t.activeGames.Add(1)
	for {
		peak := t.peakGames.Load()
		if n <= peak || t.peakGames.CompareAndSwap(peak, n) {
			return
		}
	}
}

func (t *tally) gameEnded() {
	t.activeGames.Add(-1)
}

// keyed is a sorted snapshot of a keyed count.
type keyed struct {
	Key   string
	Count int
}

func (t *tally) snapshot(m map[string]int) []keyed {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]keyed, 0, len(m))
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, keyed{Key: k, Count: m[k]})
	}
	return out
}

// errorCount is the total of every error key.
func (t *tally) errorCount() int {
	n := 0
	for _, k := range t.snapshot(t.errors) {
		n += k.Count
	}
	return n
}
