package game

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestGame_SnapshotRestore cuts a 3-player classic game at several points,
// restores it, and requires the restored game to produce exactly the events
// and result of the original from there on.
func TestGame_SnapshotRestore(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		begin bool
		cut   int // ms since t0 the original is played to before the snapshot
	}{
		{"waiting", false, 0},
		{"countdown", true, 1000},
		{"first mole up", true, 3100},
		{"mid game", true, 15370},
		{"mole in lag grace", true, 20900},
		{"finished", true, 34000},
	}
	players := []string{"a", "b", "c"}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, classicMode(), 99, players...)
			b := &bot{players: players, rtt: 45 * time.Millisecond}
			step := 10 * time.Millisecond
			if tt.begin {
				events, err := g.Begin(t0)
				require.NoError(t, err)
				b.observe(events)
				play(t, g, b, t0, ms(tt.cut), step)
			}
			data, err := g.Snapshot()
			require.NoError(t, err)
			restored, err := Restore(classicMode(), testLimits(), data)
			require.NoError(t, err)
			again, err := restored.Snapshot()
			require.NoError(t, err)
			require.JSONEq(t, string(data), string(again))

			rb := b.clone()
			if !tt.begin {
				_, err := g.Begin(t0)
				require.NoError(t, err)
				_, err = restored.Begin(t0)
				require.NoError(t, err)
			}
			from := ms(tt.cut).Add(step)
			want := play(t, g, b, from, ms(35000), step)
			got := play(t, restored, rb, from, ms(35000), step)
			if tt.cut < 33000 {
				require.NotEmpty(t, want)
			}
			require.Equal(t, want, got)
			require.Equal(t, g.Result(), restored.Result())
			require.Equal(t, g.Players(), restored.Players())
		})
	}
}

func TestRestore_Rejects(t *testing.T) {
	t.Parallel()
	g := newGame(t, classicMode(), 5, "a", "b")
	_, err := g.Begin(t0)
	require.NoError(t, err)
	g.Advance(ms(3000))
	good, err := g.Snapshot()
	require.NoError(t, err)
	edit := func(change func(map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(good, &m))
		change(m)
		out, err := json.Marshal(m)
		require.NoError(t, err)
		return out
	}
	mole := func(m map[string]any) map[string]any { return m["moles"].([]any)[0].(map[string]any) }
	other := classicMode()
	other.Name = "hard"
	tests := []struct {
		name    string
		mode    Mode
		limits  Limits
		data    []byte
		wantErr error
	}{
		{"empty", classicMode(), testLimits(), nil, ErrBadSnapshot},
		{"garbage", classicMode(), testLimits(), []byte("\x00\xffnot json"), ErrBadSnapshot},
		{"json null", classicMode(), testLimits(), []byte("null"), ErrSnapshotVersion},
		{"no version", classicMode(), testLimits(), []byte(`{}`), ErrSnapshotVersion},
		{"future version", classicMode(), testLimits(), edit(func(m map[string]any) { m["v"] = 3 }), ErrSnapshotVersion},
		{"version 1 with a 32-byte seed", classicMode(), testLimits(), edit(func(m map[string]any) { m["v"] = 1 }), ErrBadSnapshot},
		{"legacy seed in version 2", classicMode(), testLimits(), edit(func(m map[string]any) { m["seed"] = 7 }), ErrBadSnapshot},
		{"short seed", classicMode(), testLimits(), edit(func(m map[string]any) { m["seed32"] = "abcd" }), ErrBadSnapshot},
		{"no seed", classicMode(), testLimits(), edit(func(m map[string]any) { delete(m, "seed32") }), ErrBadSnapshot},
		{"mole not the schedule's", classicMode(), testLimits(), edit(func(m map[string]any) {
			mole(m)["hole"] = (int(mole(m)["hole"].(float64)) + 1) % 9
		}), ErrBadSnapshot},
		{"another seed's schedule", classicMode(), testLimits(), edit(func(m map[string]any) {
			m["seed32"] = LegacySeed(6).Hex()
		}), ErrBadSnapshot},
		{"unknown field", classicMode(), testLimits(), edit(func(m map[string]any) { m["cheat"] = true }), ErrBadSnapshot},
		{"other mode", other, testLimits(), good, ErrBadSnapshot},
		{"bad limits", classicMode(), Limits{}, good, ErrInvalidLimits},
		{"bad phase", classicMode(), testLimits(), edit(func(m map[string]any) { m["phase"] = "paused" }), ErrBadSnapshot},
		{"bad rng", classicMode(), testLimits(), edit(func(m map[string]any) { m["rng"] = "AAAA" }), ErrBadSnapshot},
		{"too many players", classicMode(), testLimits(), edit(func(m map[string]any) { m["maxPlayers"] = 1 }), ErrBadSnapshot},
		{"duplicate player", classicMode(), testLimits(), edit(func(m map[string]any) {
			ps := m["players"].([]any)
			ps[1] = ps[0]
		}), ErrBadSnapshot},
		{"negative score", classicMode(), testLimits(), edit(func(m map[string]any) {
			m["players"].([]any)[0].(map[string]any)["score"] = -1
		}), ErrBadSnapshot},
		{"hole off board", classicMode(), testLimits(), edit(func(m map[string]any) { mole(m)["hole"] = 9 }), ErrBadSnapshot},
		{"mole id gap", classicMode(), testLimits(), edit(func(m map[string]any) { mole(m)["id"] = 2 }), ErrBadSnapshot},
		{"bad kind", classicMode(), testLimits(), edit(func(m map[string]any) { mole(m)["kind"] = "gold" }), ErrBadSnapshot},
		{"winner not a player", classicMode(), testLimits(), edit(func(m map[string]any) { mole(m)["winner"] = "x" }), ErrBadSnapshot},
		{"first live out of range", classicMode(), testLimits(), edit(func(m map[string]any) { m["firstLive"] = 5 }), ErrBadSnapshot},
		{"clock out of range", classicMode(), testLimits(), edit(func(m map[string]any) {
			m["clock"] = "9999-12-31T23:59:59Z"
		}), ErrBadSnapshot},
		{"mole time out of range", classicMode(), testLimits(), edit(func(m map[string]any) {
			mole(m)["downAt"] = "0001-01-01T00:00:01Z"
		}), ErrBadSnapshot},
		{"begun without a start", classicMode(), testLimits(), edit(func(m map[string]any) {
			m["startedAt"], m["nextSpawn"] = "0001-01-01T00:00:00Z", "0001-01-01T00:00:00Z"
		}), ErrBadSnapshot},
		{"creator not a player", classicMode(), testLimits(), edit(func(m map[string]any) { m["creator"] = "x" }), ErrBadSnapshot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			restored, err := Restore(tt.mode, tt.limits, tt.data)
			require.ErrorIs(t, err, tt.wantErr)
			require.Nil(t, restored)
		})
	}
}

func TestRestore_ShrunkRateWindow(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 5, "a")
	m := begin(t, g)
	for i := range 10 {
		whack(t, g, Whack{PlayerID: "a", Hole: otherHole(m.Hole), At: ms(10 * i)})
	}
	data, err := g.Snapshot()
	require.NoError(t, err)
	limits := testLimits()
	limits.MaxWhacksPerSecond = 3
	restored, err := Restore(quickMode(), limits, data)
	require.NoError(t, err)
	got := whack(t, restored, Whack{PlayerID: "a", Hole: otherHole(m.Hole), At: ms(200)})
	require.Equal(t, MissRateLimited, got.(Miss).Reason)
}
