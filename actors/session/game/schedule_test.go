package game

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// vectorMode is a mode as testdata/schedule_vectors.json writes it.
type vectorMode struct {
	Rows, Cols      int
	DurationNs      int64
	SpawnIntervalNs int64
	VisibleNs       int64
	MaxMolesUp      int
	GoldenChance    float64
	BombChance      float64
}

type vectorMole struct {
	ID     int64
	Hole   int
	Kind   MoleKind
	UpNs   int64
	DownNs int64
}

// TestSchedule_Vectors checks Schedule against the cross-language vectors,
// which an independent Python reference (testdata/schedule_reference.py)
// wrote from docs/FAIRNESS.md.
func TestSchedule_Vectors(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/schedule_vectors.json")
	require.NoError(t, err)
	var file struct {
		Schedules []struct {
			Seed  string
			Mode  vectorMode
			Moles []vectorMole
		}
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	require.Len(t, file.Schedules, 12)
	for i, v := range file.Schedules {
		seed, err := ParseSeed(v.Seed)
		require.NoError(t, err)
		mode := classicMode()
		mode.Rows, mode.Cols, mode.MaxMolesUp = v.Mode.Rows, v.Mode.Cols, v.Mode.MaxMolesUp
		mode.Duration, mode.SpawnInterval = time.Duration(v.Mode.DurationNs), time.Duration(v.Mode.SpawnIntervalNs)
		mode.Visible, mode.GoldenChance, mode.BombChance = time.Duration(v.Mode.VisibleNs), v.Mode.GoldenChance, v.Mode.BombChance
		require.NoError(t, mode.Validate())
		got := Schedule(seed, mode)
		require.Len(t, got, len(v.Moles), "vector %d", i)
		for j, m := range v.Moles {
			require.Equal(t, PlannedMole{ID: m.ID, Hole: m.Hole, Kind: m.Kind, Up: time.Duration(m.UpNs),
				Down: time.Duration(m.DownNs)}, got[j], "vector %d mole %d", i, j)
		}
	}
}

// TestSchedule_RulesOnly shows that only the schedule rules matter: points,
// countdown and the mode's name do not move a mole.
func TestSchedule_RulesOnly(t *testing.T) {
	t.Parallel()
	mode := classicMode()
	want := Schedule(seedOf(3), mode)
	mode.Name, mode.Countdown, mode.HitPoints, mode.GoldenPoints, mode.BombPenalty = "other", 0, 9, 0, 0
	require.Equal(t, want, Schedule(seedOf(3), mode))
	require.NotEqual(t, want, Schedule(seedOf(4), mode))
}

// revealed returns the game's moles with times as offsets from its start.
func revealed(g *Game) []PlannedMole {
	out := make([]PlannedMole, len(g.moles))
	for i, m := range g.moles {
		out[i] = PlannedMole{ID: m.ID, Hole: m.Hole, Kind: m.Kind, Up: m.UpAt.Sub(g.startedAt), Down: m.DownAt.Sub(g.startedAt)}
	}
	return out
}

// playTicks runs a game to its end with ticks from next and, when whack is set,
// whacks every announced mole 150 ms after it goes up.
func playTicks(t *testing.T, seed uint64, mode Mode, next func(now time.Duration) time.Duration, whack bool) *Game {
	t.Helper()
	g := newGame(t, mode, seed, "a", "b")
	evs, err := g.Begin(t0)
	require.NoError(t, err)
	for now := time.Duration(0); g.Phase() != PhaseFinished; now = next(now) {
		evs = append(evs, g.Advance(t0.Add(now))...)
		for _, e := range evs {
			if up, ok := e.(MoleUp); ok && whack {
				_, err := g.Whack(Whack{PlayerID: "a", Hole: up.Mole.Hole, MoleID: up.Mole.ID, At: up.Mole.UpAt.Add(150 * time.Millisecond)})
				require.NoError(t, err)
			}
		}
		evs = nil
	}
	return g
}

func TestGame_MolesIndependentOfTicks(t *testing.T) {
	t.Parallel()
	hard := classicMode()
	hard.SpawnInterval, hard.Visible, hard.MaxMolesUp, hard.GoldenChance, hard.BombChance =
		700*time.Millisecond, 550*time.Millisecond, 2, 0.1, 0.1
	crowded := quickMode()
	crowded.Rows, crowded.Cols, crowded.SpawnInterval, crowded.Visible, crowded.MaxMolesUp =
		2, 2, 150*time.Millisecond, 900*time.Millisecond, 3
	for _, mode := range []Mode{classicMode(), quickMode(), hard, crowded} {
		for seed := range uint64(5) {
			t.Run(fmt.Sprintf("%s/%d", mode.Name, seed), func(t *testing.T) {
				t.Parallel()
				want := Schedule(seedOf(seed), mode)
				fine := playTicks(t, seed, mode, func(now time.Duration) time.Duration { return now + time.Millisecond }, true)
				rng := rand.New(rand.NewPCG(seed, 99)) //nolint:gosec // test jitter
				coarse := playTicks(t, seed, mode, func(now time.Duration) time.Duration {
					return now + 250*time.Millisecond + time.Duration(rng.IntN(400)-200)*time.Millisecond
				}, false)
				require.Equal(t, want, revealed(fine))
				require.Equal(t, want, revealed(coarse))
			})
		}
	}
}

func TestGame_MolesSurviveSnapshotResume(t *testing.T) {
	t.Parallel()
	mode := classicMode()
	mode.GoldenChance, mode.BombChance = 0.2, 0.2
	g := newGame(t, mode, 11, "a")
	_, err := g.Begin(t0)
	require.NoError(t, err)
	for now := 0; now <= 14_300; now += 100 {
		g.Advance(ms(now))
	}
	data, err := g.Snapshot()
	require.NoError(t, err)
	require.NotContains(t, string(data), `"rng"`, "a new game has no legacy generator")
	restored, err := Restore(mode, testLimits(), data)
	require.NoError(t, err)
	require.Equal(t, seedOf(11), restored.Seed())
	// Down for 9.5 s, then on with uneven ticks.
	require.Equal(t, 9500*time.Millisecond, restored.Resume(ms(23_800)))
	for now := 23_800; restored.Phase() != PhaseFinished; now += 333 {
		restored.Advance(ms(now))
	}
	want := Schedule(seedOf(11), mode)
	require.Len(t, restored.moles, len(want))
	for i, m := range restored.moles {
		require.Equal(t, [3]any{want[i].ID, want[i].Hole, want[i].Kind}, [3]any{m.ID, m.Hole, m.Kind}, "mole %d", i)
		if m.UpAt.After(ms(23_800)) {
			require.Equal(t, want[i].Up, m.UpAt.Sub(restored.startedAt), "moles after the resume keep their offsets")
		}
	}
}

func TestGame_WhackRevealsDueMoles(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 1, "a")
	begin(t, g)
	plan := Schedule(seedOf(1), quickMode())
	// No tick since Begin: the whack at 1300 reveals mole 2 (up at 1000)
	// and is judged against it.
	evs, err := g.Whack(Whack{PlayerID: "a", Hole: plan[1].Hole, MoleID: 2, At: ms(1300)})
	require.NoError(t, err)
	require.Len(t, evs, 2)
	require.Equal(t, MoleUp{Mole: Mole{ID: 2, Hole: plan[1].Hole, Kind: plan[1].Kind, UpAt: ms(1000), DownAt: ms(1800)}}, evs[0])
	require.IsType(t, Hit{}, evs[1])
	// A tick reveals mole 3 at 2000; a whack received at 1990 but judged
	// after that tick does not see it.
	g.Advance(ms(2000))
	ev := whack(t, g, Whack{PlayerID: "a", Hole: plan[2].Hole, MoleID: 3, At: ms(1990)})
	require.Equal(t, MissEmpty, ev.(Miss).Reason)
}

// TestRestore_LegacySnapshot resumes a version 1 snapshot written by the
// code before Schedule (testdata/legacy_v1.json holds it and the events
// that code produced after it): the legacy generator finishes the game
// exactly as the old code would have.
func TestRestore_LegacySnapshot(t *testing.T) {
	t.Parallel()
	raw, err := os.ReadFile("testdata/legacy_v1.json")
	require.NoError(t, err)
	var file struct {
		Snapshot json.RawMessage
		After    []string
	}
	require.NoError(t, json.Unmarshal(raw, &file))
	mode := classicMode()
	mode.GoldenChance, mode.BombChance = 0.2, 0.1
	g, err := Restore(mode, testLimits(), file.Snapshot)
	require.NoError(t, err)
	require.True(t, g.Seed().IsZero(), "a legacy game has no 32-byte seed")
	var got []string
	for now := 12_050; now <= 34_000; now += 50 {
		for _, e := range g.Advance(ms(now)) {
			got = append(got, describeFull(e))
		}
	}
	require.Equal(t, file.After, got)
	again, err := g.Snapshot()
	require.NoError(t, err)
	require.Contains(t, string(again), `"v":1`, "a legacy game is written back as version 1")
	require.Contains(t, string(again), `"rng"`)
}

// describeFull renders an event like the generator of legacy_v1.json did.
func describeFull(e Event) string {
	switch e := e.(type) {
	case PhaseChanged:
		return fmt.Sprintf("%s@%d", e.Phase, e.At.Sub(t0).Milliseconds())
	case MoleUp:
		return fmt.Sprintf("up%d/%d/%s@%d-%d", e.Mole.ID, e.Mole.Hole, e.Mole.Kind, e.Mole.UpAt.Sub(t0).Milliseconds(),
			e.Mole.DownAt.Sub(t0).Milliseconds())
	case MoleDown:
		return fmt.Sprintf("down%d/%v", e.Mole.ID, e.Whacked)
	}
	return fmt.Sprintf("%+v", e)
}
