package game

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestMode_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		change func(*Mode)
		ok     bool
	}{
		{"classic", func(*Mode) {}, true},
		{"no countdown", func(m *Mode) { m.Countdown = 0 }, true},
		{"empty name", func(m *Mode) { m.Name = "" }, false},
		{"no rows", func(m *Mode) { m.Rows = 0 }, false},
		{"board too big", func(m *Mode) { m.Rows, m.Cols = 9, 8 }, false},
		{"huge cols overflow", func(m *Mode) { m.Cols = math.MaxInt }, false},
		{"zero duration", func(m *Mode) { m.Duration = 0 }, false},
		{"negative countdown", func(m *Mode) { m.Countdown = -time.Second }, false},
		{"zero interval", func(m *Mode) { m.SpawnInterval = 0 }, false},
		{"too many spawns", func(m *Mode) { m.SpawnInterval = time.Millisecond }, false},
		{"zero visible", func(m *Mode) { m.Visible = 0 }, false},
		{"no moles up", func(m *Mode) { m.MaxMolesUp = 0 }, false},
		{"zero hit points", func(m *Mode) { m.HitPoints = 0 }, false},
		{"negative penalty", func(m *Mode) { m.BombPenalty = -1 }, false},
		{"NaN chance", func(m *Mode) { m.GoldenChance = math.NaN() }, false},
		{"chances over one", func(m *Mode) { m.GoldenChance, m.BombChance = 0.6, 0.5 }, false},
		{"chances exactly one", func(m *Mode) { m.GoldenChance, m.BombChance = 0.5, 0.5 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			m := classicMode()
			tt.change(&m)
			err := m.Validate()
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidMode)
		})
	}
}

func TestLimits_Validate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		limits Limits
		ok     bool
	}{
		{"defaults", testLimits(), true},
		{"zero lag and reaction", Limits{MaxWhacksPerSecond: 1}, true},
		{"negative lag", Limits{LagCap: -1, MaxWhacksPerSecond: 1}, false},
		{"negative reaction", Limits{MinReaction: -1, MaxWhacksPerSecond: 1}, false},
		{"zero rate", Limits{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			err := tt.limits.Validate()
			if tt.ok {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, ErrInvalidLimits)
		})
	}
}

func TestPhase_String(t *testing.T) {
	t.Parallel()
	for p, want := range map[Phase]string{
		PhaseWaiting: "waiting", PhaseCountdown: "countdown", PhaseRunning: "running",
		PhaseFinished: "finished", Phase(9): "phase(9)", Phase(-1): "phase(-1)",
	} {
		require.Equal(t, want, p.String())
	}
}
