package game

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// nextMole advances a quickMode game to the k-th spawn slot (k seconds) and
// returns the mole spawned there.
func nextMole(tb testing.TB, g *Game, k int) Mole {
	tb.Helper()
	return moleUp(tb, g.Advance(ms(k*1000)))
}

// hitAt whacks m as player id, 300 ms after it came up.
func hitAt(tb testing.TB, g *Game, id string, m Mole) Event {
	tb.Helper()
	return whack(tb, g, Whack{PlayerID: id, Hole: m.Hole, MoleID: m.ID, At: m.UpAt.Add(300e6)})
}

func TestGame_WhackPoints(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name          string
		golden, bomb  float64
		wantKind      MoleKind
		wantPoints    int64
		wantScore     int64
		wantHits      int
		wantBombs     int
		wantReachedAt bool
	}{
		{"normal", 0, 0, KindNormal, 1, 1, 1, 0, true},
		{"golden", 1, 0, KindGolden, 5, 5, 1, 0, true},
		{"bomb clamps at zero", 0, 1, KindBomb, -3, 0, 0, 1, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			mode := quickMode()
			mode.GoldenChance, mode.BombChance = tt.golden, tt.bomb
			g := newGame(t, mode, 9, "a")
			m := begin(t, g)
			require.Equal(t, tt.wantKind, m.Kind)
			hit := hitAt(t, g, "a", m).(Hit)
			require.Equal(t, tt.wantPoints, hit.Points)
			require.Equal(t, tt.wantScore, hit.Score)
			score, _ := g.Score("a")
			require.Equal(t, tt.wantHits, score.Hits)
			require.Equal(t, tt.wantBombs, score.Bombs)
			require.Zero(t, score.Misses)
			require.Equal(t, tt.wantReachedAt, !score.ReachedAt.IsZero())
		})
	}
}

// TestGame_WhackPointsModel whacks every mole of a golden/bomb mode and
// checks the score against an independent model.
func TestGame_WhackPointsModel(t *testing.T) {
	t.Parallel()
	mode := quickMode()
	mode.GoldenChance, mode.BombChance = 0.4, 0.4
	g := newGame(t, mode, 11, "a")
	m := begin(t, g)
	var want int64
	kinds := map[MoleKind]int{}
	for k := 1; k <= 20; k++ {
		kinds[m.Kind]++
		hit := hitAt(t, g, "a", m).(Hit)
		want = max(0, want+map[MoleKind]int64{KindNormal: 1, KindGolden: 5, KindBomb: -3}[m.Kind])
		require.Equal(t, want, hit.Score, "mole %d %s", m.ID, m.Kind)
		m = nextMole(t, g, k)
	}
	require.Len(t, kinds, 3, "seed should draw every kind: %v", kinds)
	score, _ := g.Score("a")
	require.Equal(t, kinds[KindBomb], score.Bombs)
	require.Equal(t, kinds[KindNormal]+kinds[KindGolden], score.Hits)
}

func TestGame_WhackCombo(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 5, "a", "b")
	moles := []Mole{begin(t, g)}
	for k := 1; k < 7; k++ {
		moles = append(moles, nextMole(t, g, k))
	}
	// Moles are whacked after all spawned: widen nothing, judge at UpAt+300.
	steps := []struct {
		player string
		mole   int
		miss   bool // whack the wrong hole instead
	}{
		{"a", 0, false}, {"a", 1, false}, // combo 2
		{"a", 2, true},                   // real miss resets
		{"a", 3, false},                  // 1
		{"b", 4, false}, {"a", 4, false}, // taken: no reset
		{"a", 5, false}, {"a", 6, false}, // 2, 3
	}
	for _, s := range steps {
		m := moles[s.mole]
		w := Whack{PlayerID: s.player, Hole: m.Hole, MoleID: m.ID, At: m.UpAt.Add(300e6)}
		if s.miss {
			w.Hole = otherHole(m.Hole)
		}
		whack(t, g, w)
	}
	a, _ := g.Score("a")
	require.Equal(t, PlayerScore{
		PlayerID: "a", Score: 5, Hits: 5, Misses: 1, BestCombo: 3, ReachedAt: moles[6].UpAt.Add(300e6), MedianReaction: 300e6,
	}, a)
	res := g.Result()
	require.Equal(t, []string{"a", "b"}, []string{res.Players[0].PlayerID, res.Players[1].PlayerID})
}

func TestGame_ResultRanking(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 5, "a", "b", "c")
	m1 := begin(t, g)
	hitAt(t, g, "c", m1)
	m2 := nextMole(t, g, 1)
	hitAt(t, g, "b", m2)
	// a and c tie on 0/1 with b: c reached 1 first, a has 0.
	res := g.Result()
	ids := []string{res.Players[0].PlayerID, res.Players[1].PlayerID, res.Players[2].PlayerID}
	require.Equal(t, []string{"c", "b", "a"}, ids)
	require.False(t, res.Flagged)
	require.Equal(t, t0, res.StartedAt)
	require.True(t, res.EndedAt.IsZero())
}
