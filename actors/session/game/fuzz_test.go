package game

import (
	"encoding/json"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// FuzzRestore feeds arbitrary bytes to Restore: it must never panic, and a
// game it accepts must be playable and round-trip through Snapshot.
func FuzzRestore(f *testing.F) {
	g := newGame(f, classicMode(), 5, "a", "b")
	seed := func() {
		data, err := g.Snapshot()
		require.NoError(f, err)
		f.Add(data)
	}
	seed()
	_, err := g.Begin(t0)
	require.NoError(f, err)
	g.Advance(ms(3000))
	_, _ = g.Whack(Whack{PlayerID: "a", Hole: 1, MoleID: 1, At: ms(3300)})
	seed()
	var legacy struct{ Snapshot json.RawMessage }
	raw, err := os.ReadFile("testdata/legacy_v1.json")
	require.NoError(f, err)
	require.NoError(f, json.Unmarshal(raw, &legacy))
	f.Add([]byte(legacy.Snapshot))
	f.Add([]byte(`{"v":1}`))
	f.Add([]byte(`{"v":1,"mode":"classic","rows":3,"cols":3,"maxPlayers":1,"phase":"running"}`))
	f.Add([]byte("null"))
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Restore(classicMode(), testLimits(), data)
		if err != nil {
			require.Nil(t, g)
			return
		}
		base := g.clock
		if base.IsZero() {
			base = t0
		}
		for _, id := range g.Players() {
			_, _ = g.Whack(Whack{PlayerID: id, Hole: 4, MoleID: 1, At: base.Add(time.Millisecond)})
		}
		g.NextWake(base)
		if !g.clock.IsZero() {
			before := g.EndsAt()
			gap := g.Resume(g.clock.Add(2 * time.Second))
			require.True(t, gap == 0 || g.EndsAt().Equal(before.Add(gap)), "a resume moves the end by the gap")
			g.NextWake(g.clock)
		}
		g.Advance(base.Add(time.Hour))
		g.Result()
		again, err := g.Snapshot()
		require.NoError(t, err)
		_, err = Restore(classicMode(), testLimits(), again)
		require.NoError(t, err)
	})
}

// FuzzWhack plays a 3-player golden/bomb game driven by arbitrary bytes
// (each 5 bytes: player, hole, mole id, time step, rtt) and checks that
// nothing panics and the score invariants hold.
func FuzzWhack(f *testing.F) {
	f.Add([]byte{0, 4, 1, 30, 5, 1, 4, 1, 2, 0, 2, 200, 0, 255, 255})
	f.Add([]byte{3, 3, 3, 3, 3, 0, 0, 0, 0, 0, 9, 9, 9, 9, 9, 1, 2, 3, 4, 5})
	f.Fuzz(func(t *testing.T, data []byte) {
		mode := quickMode()
		mode.GoldenChance, mode.BombChance = 0.3, 0.3
		players := []string{"a", "b", "c"}
		g := newGame(t, mode, 1, players...)
		m := newScoreModel(players)
		events, err := g.Begin(t0)
		require.NoError(t, err)
		m.observe(t, events)
		now := t0
		for ; len(data) >= 5; data = data[5:] {
			now = now.Add(time.Duration(data[3]) * 5 * time.Millisecond)
			m.observe(t, g.Advance(now))
			w := Whack{
				PlayerID: players[int(data[0])%4%3], Hole: (int(data[1]) - 128) % 11,
				MoleID: int64(data[2]) - 128, At: now, RTT: time.Duration(int(data[4])-128) * 2 * time.Millisecond,
			}
			if data[0]%4 == 3 {
				w.PlayerID = "intruder"
			}
			events, err := g.Whack(w)
			if err != nil {
				require.Nil(t, events)
				continue
			}
			m.observe(t, events)
		}
		m.check(t, g)
	})
}

// scoreModel recomputes scores from events, independently of the rules.
type scoreModel struct {
	scores  map[string]int64
	misses  map[string]int
	won     map[int64]bool
	kinds   map[int64]MoleKind
	flagged bool
}

func newScoreModel(players []string) *scoreModel {
	m := &scoreModel{scores: map[string]int64{}, misses: map[string]int{}, won: map[int64]bool{}, kinds: map[int64]MoleKind{}}
	for _, p := range players {
		m.scores[p] = 0
	}
	return m
}

func (m *scoreModel) observe(tb testing.TB, events []Event) {
	tb.Helper()
	for _, e := range events {
		switch e := e.(type) {
		case MoleUp:
			m.kinds[e.Mole.ID] = e.Mole.Kind
		case Hit:
			require.False(tb, m.won[e.MoleID], "mole %d won twice", e.MoleID)
			m.won[e.MoleID] = true
			points := map[MoleKind]int64{KindNormal: 1, KindGolden: 5, KindBomb: -3}[m.kinds[e.MoleID]]
			require.Equal(tb, points, e.Points)
			m.scores[e.PlayerID] = max(0, m.scores[e.PlayerID]+points)
			require.Equal(tb, m.scores[e.PlayerID], e.Score)
		case Miss:
			require.Equal(tb, m.scores[e.PlayerID], e.Score)
			if e.Reason != MissTaken {
				m.misses[e.PlayerID]++
			}
			m.flagged = m.flagged || e.Reason == MissTooFast || e.Reason == MissRateLimited
		}
	}
}

func (m *scoreModel) check(tb testing.TB, g *Game) {
	tb.Helper()
	res := g.Result()
	require.Equal(tb, m.flagged, res.Flagged)
	for _, p := range res.Players {
		require.GreaterOrEqual(tb, p.Score, int64(0))
		require.Equal(tb, m.scores[p.PlayerID], p.Score)
		require.Equal(tb, m.misses[p.PlayerID], p.Misses)
		require.LessOrEqual(tb, p.BestCombo, p.Hits)
		if p.Flags > 0 {
			require.True(tb, res.Flagged, "a flagged player flags the game")
		}
	}
}
