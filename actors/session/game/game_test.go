package game

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestNew(t *testing.T) {
	t.Parallel()
	bad := classicMode()
	bad.Rows = 0
	tests := []struct {
		name       string
		mode       Mode
		limits     Limits
		maxPlayers int
		creator    string
		wantErr    error
		players    []string
	}{
		{"solo", classicMode(), testLimits(), 1, "a", nil, []string{"a"}},
		{"matchmade", classicMode(), testLimits(), 4, "", nil, []string{}},
		{"bad mode", bad, testLimits(), 1, "a", ErrInvalidMode, nil},
		{"bad limits", classicMode(), Limits{}, 1, "a", ErrInvalidLimits, nil},
		{"zero seats", classicMode(), testLimits(), 0, "a", ErrInvalidMaxPlayers, nil},
		{"too many seats", classicMode(), testLimits(), MaxPlayers + 1, "a", ErrInvalidMaxPlayers, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := New(tt.mode, tt.limits, seedOf(1), tt.maxPlayers, tt.creator)
			if tt.wantErr != nil {
				require.ErrorIs(t, err, tt.wantErr)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tt.players, g.Players())
			require.Equal(t, PhaseWaiting, g.Phase())
			require.Equal(t, tt.creator, g.Creator())
			require.True(t, g.StartedAt().IsZero())
		})
	}
}

func TestGame_Join(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		seats   int
		begin   bool
		joins   []string
		wantErr error
		players []string
	}{
		{"second player", 3, false, []string{"b"}, nil, []string{"a", "b"}},
		{"idempotent", 3, false, []string{"b", "b", "a"}, nil, []string{"a", "b"}},
		{"full", 2, false, []string{"b", "c"}, ErrFull, []string{"a", "b"}},
		{"member rejoins when full", 2, false, []string{"b", "b"}, nil, []string{"a", "b"}},
		{"empty id", 3, false, []string{""}, ErrBadPlayerID, []string{"a"}},
		{"after begin", 3, true, []string{"b"}, ErrNotJoinable, []string{"a"}},
		{"member after begin", 3, true, []string{"a"}, nil, []string{"a"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := New(classicMode(), testLimits(), seedOf(1), tt.seats, "a")
			require.NoError(t, err)
			if tt.begin {
				_, err := g.Begin(t0)
				require.NoError(t, err)
			}
			for _, id := range tt.joins {
				err = g.Join(id)
			}
			require.ErrorIs(t, err, tt.wantErr)
			require.Equal(t, tt.players, g.Players())
			require.Equal(t, len(tt.players) == tt.seats, g.Full())
			for _, id := range tt.players {
				require.True(t, g.IsPlayer(id))
			}
			require.False(t, g.IsPlayer("zz"))
		})
	}
}

func TestGame_Begin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		creator string
		by      string // "" calls Begin, otherwise BeginBy
		twice   bool
		wantErr error
	}{
		{"actor begins", "a", "", false, nil},
		{"creator begins", "a", "a", false, nil},
		{"non creator", "a", "b", false, ErrNotCreator},
		{"matchmade has no creator", "", "b", false, ErrNotCreator},
		{"no players", "", "", false, ErrNoPlayers},
		{"twice", "a", "", true, ErrAlreadyStarted},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g, err := New(classicMode(), testLimits(), seedOf(1), 3, tt.creator)
			require.NoError(t, err)
			if tt.by == "b" && tt.creator == "" {
				require.NoError(t, g.Join("b"))
			}
			beginOnce := func() ([]Event, error) {
				if tt.by != "" {
					return g.BeginBy(tt.by, t0)
				}
				return g.Begin(t0)
			}
			events, err := beginOnce()
			if tt.twice {
				_, err = beginOnce()
			}
			require.ErrorIs(t, err, tt.wantErr)
			if tt.wantErr == nil {
				require.Equal(t, []Event{PhaseChanged{Phase: PhaseCountdown, At: t0, StartsIn: classicMode().Countdown}}, events)
				require.Equal(t, PhaseCountdown, g.Phase())
				require.Equal(t, ms(3000), g.StartsAt())
				require.Equal(t, ms(33000), g.EndsAt())
			}
		})
	}
}

func TestGame_BeginWithoutCountdown(t *testing.T) {
	t.Parallel()
	g := newGame(t, quickMode(), 7, "a")
	events, err := g.Begin(t0)
	require.NoError(t, err)
	require.Len(t, events, 2)
	require.Equal(t, PhaseChanged{Phase: PhaseRunning, At: t0}, events[0])
	up := moleUp(t, events)
	require.Equal(t, int64(1), up.ID)
	require.Equal(t, t0, up.UpAt)
	require.Equal(t, ms(800), up.DownAt)
	require.Equal(t, KindNormal, up.Kind)
	require.Equal(t, t0, g.StartedAt())
	require.Equal(t, []Mole{up}, g.LiveMoles(ms(100)))
	require.Empty(t, g.LiveMoles(ms(800)))
}
