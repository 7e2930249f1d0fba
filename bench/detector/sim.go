package main

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/proofstell/proofstell/actors/session/detector"
	"github.com/proofstell/proofstell/actors/session/game"
)

// t0 is the start of every simulated game (the rules only compare times).
var t0 = time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)

// classic is the seeded classic mode (migrations/002_seed_modes.sql).
var classic = game.Mode{
	Name: "classic", Rows: 3, Cols: 3, Duration: 30 * time.Second, SpawnInterval: time.Second,
	Visible: 800 * time.Millisecond, Countdown: 3 * time.Second, MaxMolesUp: 1, HitPoints: 1,
}

// limits are the server's default game limits (config/defaults.go).
var limits = game.Limits{LagCap: 150 * time.Millisecond, MinReaction: 80 * time.Millisecond, MaxWhacksPerSecond: 15}

// maxSteps bounds one game's loop: a bug in it fails the run, never hangs it.
const maxSteps = 100_000

// table is one simulated game in play: the rules, the player and the
// whacks on their way to the server, sorted by arrival.
type table struct {
	g       *game.Game
	p       player
	rng     *rand.Rand
	rtt     time.Duration
	pending []game.Whack
}

// playGame plays one solo game of p through the rules and judges it with
// the player's earlier games (newest first).
func playGame(th detector.Thresholds, p player, rng *rand.Rand, earlier []detector.Past) (detector.Findings, error) {
	var b [32]byte
	for i := 0; i < len(b); i += 8 {
		binary.LittleEndian.PutUint64(b[i:], rng.Uint64())
	}
	seed, err := game.SeedFromBytes(b[:])
	if err != nil {
		return detector.Findings{}, fmt.Errorf("seed: %w", err)
	}
	g, err := game.New(classic, limits, seed, 1, "p")
	if err != nil {
		return detector.Findings{}, fmt.Errorf("new game: %w", err)
	}
	t := &table{g: g, p: p, rng: rng, rtt: time.Duration(20+rng.IntN(61)) * time.Millisecond}
	if err := t.play(); err != nil {
		return detector.Findings{}, err
	}
	s, _ := g.Score("p")
	return detector.Judge(th, detector.Game{ReactionsMs: g.Reactions("p"), Hits: s.Hits, Misses: s.Misses}, earlier), nil
}

// play runs the game to its end, each step the earlier of the rules' next
// wake and the next whack's arrival.
func (t *table) play() error {
	events, err := t.g.Begin(t0)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	now := t0
	for range maxSteps {
		t.observe(events)
		if t.g.Phase() == game.PhaseFinished {
			return nil
		}
		wake := t.g.NextWake(now)
		if len(t.pending) > 0 && (wake.IsZero() || t.pending[0].At.Before(wake)) {
			w := t.pending[0]
			t.pending = t.pending[1:]
			now = later(now, w.At)
			events, err = t.g.Whack(w)
			if err != nil && !errors.Is(err, game.ErrNotRunning) {
				return fmt.Errorf("whack: %w", err)
			}
			continue
		}
		if wake.IsZero() {
			return errors.New("the game stalled")
		}
		now = wake
		events = t.g.Advance(now)
	}
	return errors.New("the game did not end")
}

// observe lets the player react to each mole that came up: its whack
// arrives its reaction plus the one-way delay after the spawn.
func (t *table) observe(events []game.Event) {
	for _, e := range events {
		up, ok := e.(game.MoleUp)
		if !ok || up.Mole.Kind == game.KindBomb {
			continue
		}
		hole, after, ok := t.p.aim(up.Mole.Hole, classic.Holes())
		if !ok {
			continue
		}
		oneWay := t.rtt/2 + time.Duration(t.rng.Int64N(int64(10*time.Millisecond)))
		w := game.Whack{PlayerID: "p", Hole: hole, MoleID: up.Mole.ID, At: up.Mole.UpAt.Add(after + oneWay), RTT: t.rtt}
		i, _ := slices.BinarySearchFunc(t.pending, w.At, func(x game.Whack, at time.Time) int { return x.At.Compare(at) })
		t.pending = slices.Insert(t.pending, i, w)
	}
}

func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
