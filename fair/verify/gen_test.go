package verify

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/session/game"
)

// t0 is the wall-clock instant the generated games begin at.
var t0 = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// randomGame plays one game by the pure game rules with randomness from
// rng: a random mode (with golden and bomb moles) and limits, 1–4 players,
// whacks at live moles, at empty and wrong holes, late, too fast and in
// floods, ticks at random times, and sometimes a snapshot, restore and
// resume after an outage mid-game. Half the games keep every time on whole
// milliseconds, so whacks land exactly on the judging boundaries (at the
// reaction limit, at the end of the allowance). It returns the finished
// game's replay.
func randomGame(tb testing.TB, rng *rand.Rand) game.Replay {
	tb.Helper()
	mode, limits := randomRules(rng)
	var seed game.Seed
	for i := range seed {
		seed[i] = byte(rng.UintN(256))
	}
	players := 1 + rng.IntN(4)
	g, err := game.New(mode, limits, seed, players, "")
	require.NoError(tb, err)
	ids := make([]string, players)
	for i := range ids {
		ids[i] = randomUUID(rng)
		require.NoError(tb, g.Join(ids[i]))
	}
	_, err = g.Begin(t0)
	require.NoError(tb, err)
	now, end := t0, t0.Add(mode.Duration)
	resumeAt := time.Duration(-1)
	if rng.IntN(4) == 0 {
		resumeAt = time.Duration(rng.Int64N(int64(mode.Duration)))
	}
	grain := time.Duration(1)
	if rng.IntN(2) == 0 {
		grain = time.Millisecond
	}
	for now.Before(end) {
		now = now.Add(random(rng, 250*time.Millisecond, grain))
		if resumeAt >= 0 && now.Sub(t0) >= resumeAt {
			resumeAt = -1
			g, now, end = resumed(tb, g, mode, limits, now, rng)
		}
		if rng.IntN(3) == 0 {
			g.Advance(now)
		}
		for range whacks(rng) {
			randomWhack(g, ids[rng.IntN(players)], now, grain, rng)
		}
	}
	g.Advance(end)
	require.Equal(tb, game.PhaseFinished, g.Phase())
	return g.Replay(randomUUID(rng))
}

// whacks is how many whacks come in one step: mostly none or one, now and
// then a flood (which a tight rate limit flags).
func whacks(rng *rand.Rand) int {
	if rng.IntN(40) == 0 {
		return 4 + rng.IntN(8)
	}
	return rng.IntN(2)
}

// resumed snapshots the game, restores it and resumes it after an outage:
// the game's end moves later by the pause.
func resumed(tb testing.TB, g *game.Game, mode game.Mode, limits game.Limits, now time.Time,
	rng *rand.Rand,
) (*game.Game, time.Time, time.Time) {
	tb.Helper()
	g.Advance(now)
	snap, err := g.Snapshot()
	require.NoError(tb, err)
	restored, err := game.Restore(mode, limits, snap)
	require.NoError(tb, err)
	now = now.Add(random(rng, 3*time.Second, time.Millisecond))
	restored.Resume(now)
	return restored, now, restored.EndsAt()
}

func randomRules(rng *rand.Rand) (game.Mode, game.Limits) {
	ms := func(lo, hi int64) time.Duration { return time.Duration(lo+rng.Int64N(hi-lo+1)) * time.Millisecond }
	mode := game.Mode{
		Name: "random", Rows: 1 + rng.IntN(4), Cols: 1 + rng.IntN(4), Duration: ms(2000, 12000),
		SpawnInterval: ms(100, 900), Visible: ms(200, 1500), MaxMolesUp: 1 + rng.IntN(4),
		HitPoints: 1 + rng.IntN(20), GoldenPoints: rng.IntN(60), BombPenalty: rng.IntN(40),
		GoldenChance: rng.Float64() * 0.4, BombChance: rng.Float64() * 0.4,
	}
	limits := game.Limits{LagCap: ms(0, 300), MinReaction: ms(0, 150), MaxWhacksPerSecond: 3 + rng.IntN(13)}
	return mode, limits
}

// randomWhack whacks at a live mole most of the time (by id or by hole),
// otherwise at a random hole or a random id; RTTs vary, some beyond the cap.
func randomWhack(g *game.Game, id string, now time.Time, grain time.Duration, rng *rand.Rand) {
	w := game.Whack{PlayerID: id, At: now.Add(random(rng, 40*time.Millisecond, grain)),
		Hole: rng.IntN(g.Mode().Holes()), RTT: random(rng, 400*time.Millisecond, grain)}
	live := g.LiveMoles(now)
	switch n := rng.IntN(10); {
	case n < 6 && len(live) > 0:
		m := live[rng.IntN(len(live))]
		w.Hole = m.Hole
		if n < 3 {
			w.MoleID = m.ID
		}
	case n < 8:
		w.MoleID = rng.Int64N(40) // Restore refuses a logged negative id
	}
	_, _ = g.Whack(w) // a whack at or after the end is refused, as the server does
}

// random is uniform in [0, below) in steps of grain.
func random(rng *rand.Rand, below, grain time.Duration) time.Duration {
	return time.Duration(rng.Int64N(int64(below/grain))) * grain
}

func randomUUID(rng *rand.Rand) string {
	return fmt.Sprintf("%08x-%04x-4%03x-8%03x-%012x", rng.Uint32(), rng.UintN(1<<16), rng.UintN(1<<12),
		rng.UintN(1<<12), rng.Uint64N(1<<48))
}
