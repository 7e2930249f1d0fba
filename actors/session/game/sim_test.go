package game

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// rejected records a whack the rules refused, so event streams compare
// errors too.
type rejected struct{ Err string }

func (rejected) isEvent() {}

// bot plays every seat deterministically: it reacts to each MoleUp with a
// whack per player whose timing and aim derive from the mole id, so it needs
// no randomness of its own and its pending whacks can be copied.
type bot struct {
	players []string
	rtt     time.Duration
	pending []Whack // sorted by At, then player order
}

func (b *bot) clone() *bot {
	c := *b
	c.pending = slices.Clone(b.pending)
	return &c
}

func (b *bot) observe(events []Event) {
	for _, e := range events {
		up, ok := e.(MoleUp)
		if !ok {
			continue
		}
		for i, id := range b.players {
			b.pending = append(b.pending, b.aim(up.Mole, i, id))
		}
	}
	slices.SortStableFunc(b.pending, func(x, y Whack) int { return x.At.Compare(y.At) })
}

// aim picks one player's whack on m: mostly good hits at human speed, some
// wrong holes, some hole-only whacks, and a cheat now and then.
func (b *bot) aim(m Mole, i int, id string) Whack {
	n := int(m.ID)*7 + i*13
	reaction := time.Duration(120+i*45+n%160) * time.Millisecond
	w := Whack{PlayerID: id, Hole: m.Hole, MoleID: m.ID, RTT: b.rtt}
	switch {
	case n%11 == 0:
		w.Hole = (m.Hole + 1) % 9
	case n%9 == 0:
		w.MoleID = 0
	case n%23 == 0:
		reaction = 20 * time.Millisecond // a bot-like whack
	case n%5 == 0:
		reaction += 900 * time.Millisecond // too late
	}
	w.At = m.UpAt.Add(b.rtt + reaction)
	return w
}

// play drives g from `from` to `to` (inclusive) in ticks of step, delivering
// the bot's due whacks before each tick, and returns every event.
func play(tb testing.TB, g *Game, b *bot, from, to time.Time, step time.Duration) []Event {
	tb.Helper()
	var stream []Event
	for now := from; !now.After(to); now = now.Add(step) {
		for len(b.pending) > 0 && !b.pending[0].At.After(now) {
			events, err := g.Whack(b.pending[0])
			if err != nil {
				events = []Event{rejected{Err: err.Error()}}
			}
			stream = append(stream, events...)
			b.pending = b.pending[1:]
		}
		events := g.Advance(now)
		b.observe(events)
		stream = append(stream, events...)
	}
	return stream
}

// fullGame plays a classic match of players from Begin at t0 to the end.
func fullGame(tb testing.TB, seed uint64, players ...string) ([]Event, Result) {
	tb.Helper()
	g := newGame(tb, classicMode(), seed, players...)
	events, err := g.Begin(t0)
	require.NoError(tb, err)
	b := &bot{players: players, rtt: 60 * time.Millisecond}
	stream := append(events, play(tb, g, b, t0, ms(34000), 20*time.Millisecond)...)
	require.Equal(tb, PhaseFinished, g.Phase())
	return stream, g.Result()
}

func TestGame_FullGameDeterministic(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		seed    uint64
		players []string
	}{
		{"solo", 2026, []string{"solo"}},
		{"three players", 7, []string{"a", "b", "c"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			first, firstResult := fullGame(t, tt.seed, tt.players...)
			second, secondResult := fullGame(t, tt.seed, tt.players...)
			require.Equal(t, first, second)
			require.Equal(t, firstResult, secondResult)
			checkStream(t, first, firstResult)
			other, _ := fullGame(t, tt.seed+1, tt.players...)
			require.NotEqual(t, first, other, "another seed plays another game")
		})
	}
}

// checkStream recomputes the result from the event stream: what the actor
// would show must add up to what the rules store.
func checkStream(tb testing.TB, stream []Event, res Result) {
	tb.Helper()
	want := map[string]*PlayerScore{}
	for _, p := range res.Players {
		want[p.PlayerID] = &PlayerScore{PlayerID: p.PlayerID}
	}
	reasons := map[MissReason]int{}
	won := map[int64]bool{}
	for _, e := range stream {
		switch e := e.(type) {
		case Hit:
			require.False(tb, won[e.MoleID], "mole %d won twice", e.MoleID)
			won[e.MoleID] = true
			want[e.PlayerID].Score = e.Score
		case Miss:
			reasons[e.Reason]++
			if e.Reason != MissTaken {
				want[e.PlayerID].Misses++
			}
		}
	}
	for _, p := range res.Players {
		require.Equal(tb, want[p.PlayerID].Score, p.Score, p.PlayerID)
		require.Equal(tb, want[p.PlayerID].Misses, p.Misses, p.PlayerID)
	}
	require.NotEmpty(tb, won)
	require.Positive(tb, reasons[MissTooFast], "bot cheats should be caught: %v", reasons)
	require.True(tb, res.Flagged)
	tb.Logf("hits %d, misses %v", len(won), reasons)
}
