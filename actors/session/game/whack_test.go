package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestGame_Whack judges one whack by "a" against mole 1 (up at t0, down at
// 800 ms, quickMode, limits 150 ms lag cap / 80 ms reaction), after optional
// earlier whacks by other players.
func TestGame_Whack(t *testing.T) {
	t.Parallel()
	hit := func(score int64) func(Mole) Event {
		return func(m Mole) Event {
			return Hit{MoleID: m.ID, Hole: m.Hole, PlayerID: "a", Points: 1, Score: score}
		}
	}
	miss := func(reason MissReason, moleID int64) func(Mole) Event {
		return func(m Mole) Event {
			hole := m.Hole
			if reason == MissWrongHole || reason == MissEmpty && moleID <= 0 {
				hole = otherHole(m.Hole)
			}
			if moleID == 1 {
				moleID = m.ID
			}
			return Miss{MoleID: moleID, Hole: hole, PlayerID: "a", Reason: reason}
		}
	}
	on := func(at int, rtt time.Duration) func(Mole) Whack {
		return func(m Mole) Whack { return Whack{PlayerID: "a", Hole: m.Hole, MoleID: m.ID, At: ms(at), RTT: rtt} }
	}
	tests := []struct {
		name      string
		before    []string // players who whack mole 1 at 300 ms first
		whack     func(Mole) Whack
		want      func(Mole) Event
		wantMiss  int
		wantFlags int
	}{
		{"hit", nil, on(300, 50*time.Millisecond), hit(1), 0, 0},
		{"hit at down time", nil, on(800, 0), hit(1), 0, 0},
		{"hit within allowance", nil, on(900, 100*time.Millisecond), hit(1), 0, 0},
		{"expired past allowance", nil, on(901, 100*time.Millisecond), miss(MissExpired, 1), 1, 0},
		{"allowance capped: edge", nil, on(950, 500*time.Millisecond), hit(1), 0, 0},
		{"allowance capped: past", nil, on(951, 500*time.Millisecond), miss(MissExpired, 1), 1, 0},
		{"negative rtt is zero", nil, on(801, -time.Second), miss(MissExpired, 1), 1, 0},
		{"empty: hole only, nothing there", nil, func(m Mole) Whack {
			return Whack{PlayerID: "a", Hole: otherHole(m.Hole), At: ms(300)}
		}, miss(MissEmpty, 0), 1, 0},
		{"hole only finds the mole", nil, func(m Mole) Whack {
			return Whack{PlayerID: "a", Hole: m.Hole, At: ms(300)}
		}, hit(1), 0, 0},
		{"hole only after it went down", nil, func(m Mole) Whack {
			return Whack{PlayerID: "a", Hole: m.Hole, At: ms(801)}
		}, func(m Mole) Event {
			return Miss{Hole: m.Hole, PlayerID: "a", Reason: MissEmpty}
		}, 1, 0},
		{"empty: unknown id", nil, func(m Mole) Whack {
			return Whack{PlayerID: "a", Hole: m.Hole, MoleID: 99, At: ms(300)}
		}, func(m Mole) Event {
			return Miss{MoleID: 99, Hole: m.Hole, PlayerID: "a", Reason: MissEmpty}
		}, 1, 0},
		{"empty: negative id", nil, func(m Mole) Whack {
			return Whack{PlayerID: "a", Hole: m.Hole, MoleID: -4, At: ms(300)}
		}, func(m Mole) Event {
			return Miss{MoleID: -4, Hole: m.Hole, PlayerID: "a", Reason: MissEmpty}
		}, 1, 0},
		{"wrong hole", nil, func(m Mole) Whack {
			return Whack{PlayerID: "a", Hole: otherHole(m.Hole), MoleID: m.ID, At: ms(300)}
		}, miss(MissWrongHole, 1), 1, 0},
		{"too fast", nil, on(100, 40*time.Millisecond), miss(MissTooFast, 1), 1, 1},
		{"too fast by 1ms with capped rtt", nil, on(229, 300*time.Millisecond), miss(MissTooFast, 1), 1, 1},
		{"reaction exactly minimum", nil, on(230, 300*time.Millisecond), hit(1), 0, 0},
		{"taken in a 3-player match", []string{"b"}, on(400, 0), miss(MissTaken, 1), 0, 0},
		{"taken after two others tried", []string{"b", "c"}, on(400, 0), miss(MissTaken, 1), 0, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, quickMode(), 42, "a", "b", "c")
			m := begin(t, g)
			for _, id := range tt.before {
				_, err := g.Whack(Whack{PlayerID: id, Hole: m.Hole, MoleID: m.ID, At: ms(300)})
				require.NoError(t, err)
			}
			require.Equal(t, tt.want(m), whack(t, g, tt.whack(m)))
			score, ok := g.Score("a")
			require.True(t, ok)
			require.Equal(t, tt.wantMiss, score.Misses)
			require.Equal(t, tt.wantFlags, score.Flags)
			require.Equal(t, tt.wantFlags > 0, g.Result().Flagged)
		})
	}
}

func TestGame_WhackTakenKeepsWinner(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 42, "a", "b", "c")
	m := begin(t, g)
	w := func(id string, at int) Event {
		return whack(t, g, Whack{PlayerID: id, Hole: m.Hole, MoleID: m.ID, At: ms(at)})
	}
	require.IsType(t, Hit{}, w("b", 300))
	require.Equal(t, MissTaken, w("a", 310).(Miss).Reason)
	require.Equal(t, MissTaken, w("c", 320).(Miss).Reason)
	require.Equal(t, MissTaken, w("b", 330).(Miss).Reason)
	res := g.Result()
	require.Equal(t, "b", res.Players[0].PlayerID)
	require.Equal(t, int64(1), res.Players[0].Score)
	require.Equal(t, ms(300), res.Players[0].ReachedAt)
	for _, p := range res.Players {
		require.Zero(t, p.Misses, p.PlayerID)
	}
	events := g.Advance(ms(950))
	require.Equal(t, []Event{MoleDown{Mole: m, Whacked: true}}, events)
}

func TestGame_WhackErrors(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(*Game)
		whack   Whack
		wantErr error
	}{
		{"before begin", func(*Game) {}, Whack{PlayerID: "a", At: ms(100)}, ErrNotRunning},
		{"during countdown", func(g *Game) {
			_, _ = g.Begin(t0)
		}, Whack{PlayerID: "a", At: ms(100)}, ErrNotRunning},
		{"non member", func(g *Game) {
			_, _ = g.Begin(t0)
		}, Whack{PlayerID: "zz", At: ms(3100)}, ErrNotInGame},
		{"negative hole", func(g *Game) {
			_, _ = g.Begin(t0)
			g.Advance(ms(3000))
		}, Whack{PlayerID: "a", Hole: -1, At: ms(3100)}, ErrBadHole},
		{"hole past board", func(g *Game) {
			_, _ = g.Begin(t0)
			g.Advance(ms(3000))
		}, Whack{PlayerID: "a", Hole: 9, At: ms(3100)}, ErrBadHole},
		{"at end before advance", func(g *Game) {
			_, _ = g.Begin(t0)
			g.Advance(ms(3000))
		}, Whack{PlayerID: "a", At: ms(33000)}, ErrNotRunning},
		{"finished", func(g *Game) {
			_, _ = g.Begin(t0)
			g.Advance(ms(40000))
		}, Whack{PlayerID: "a", At: ms(32000)}, ErrNotRunning},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, classicMode(), 3, "a")
			tt.setup(g)
			events, err := g.Whack(tt.whack)
			require.ErrorIs(t, err, tt.wantErr)
			require.Nil(t, events)
			score, _ := g.Score("a")
			require.Zero(t, score.Misses)
		})
	}
}

func TestGame_WhackRateLimit(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name      string
		lastAt    int // ms of the 16th whack; the first 15 are at 0, 66, …, 924 ms
		wantLast  MissReason
		wantFlags int
	}{
		{"16 in under a second", 999, MissRateLimited, 1},
		{"16th a full second after the first", 1000, MissEmpty, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, quickMode(), 42, "a")
			m := begin(t, g)
			var last Event
			for i := range 16 {
				at := ms(66 * i)
				if i == 15 {
					at = ms(tt.lastAt)
				}
				last = whack(t, g, Whack{PlayerID: "a", Hole: otherHole(m.Hole), At: at})
			}
			require.Equal(t, tt.wantLast, last.(Miss).Reason)
			score, _ := g.Score("a")
			require.Equal(t, 16, score.Misses)
			require.Equal(t, tt.wantFlags, score.Flags)
			require.Equal(t, tt.wantFlags > 0, g.Flagged())
		})
	}
}

func TestGame_WhackRateLimitedCannotWin(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 42, "a", "b")
	m := begin(t, g)
	for i := range 15 {
		whack(t, g, Whack{PlayerID: "a", Hole: otherHole(m.Hole), At: ms(100 + i)})
	}
	got := whack(t, g, Whack{PlayerID: "a", Hole: m.Hole, MoleID: m.ID, At: ms(300)})
	require.Equal(t, MissRateLimited, got.(Miss).Reason)
	require.IsType(t, Hit{}, whack(t, g, Whack{PlayerID: "b", Hole: m.Hole, MoleID: m.ID, At: ms(310)}))
}
