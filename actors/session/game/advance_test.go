package game

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"
)

// describe renders events without their random parts (holes, kinds), with
// times in ms since t0.
func describe(events []Event) []string {
	var out []string
	for _, e := range events {
		switch e := e.(type) {
		case PhaseChanged:
			out = append(out, fmt.Sprintf("%s@%d+%d", e.Phase, e.At.Sub(t0).Milliseconds(), e.StartsIn.Milliseconds()))
		case MoleUp:
			out = append(out, fmt.Sprintf("up%d@%d-%d", e.Mole.ID, e.Mole.UpAt.Sub(t0).Milliseconds(),
				e.Mole.DownAt.Sub(t0).Milliseconds()))
		case MoleDown:
			out = append(out, fmt.Sprintf("down%d/%v", e.Mole.ID, e.Whacked))
		default:
			out = append(out, fmt.Sprintf("%+v", e))
		}
	}
	return out
}

func TestGame_Advance(t *testing.T) {
	t.Parallel()
	type step struct {
		now  int      // ms since t0
		want []string // described events
		wake int      // NextWake(now) in ms; -1 for zero
	}
	tests := []struct {
		name  string
		steps []step
	}{
		{"on time", []step{
			{1000, nil, 3000},
			{3000, []string{"running@3000+0", "up1@3000-3800"}, 3950},
			{3500, nil, 3950},
			{3950, []string{"down1/false"}, 4000},
			{4000, []string{"up2@4000-4800"}, 4950},
			// Moles 3..29 went up and down unseen: recorded, not announced.
			{32000, []string{"up30@32000-32800", "down2/false"}, 32950},
			{32950, []string{"down30/false"}, 33000},
			{33000, []string{"finished@33000+0"}, -1},
			{34000, nil, -1},
		}},
		{"late by 300ms: the schedule's times, not the call's", []step{
			{3300, []string{"running@3000+0", "up1@3000-3800"}, 3950},
			{4000, []string{"up2@4000-4800", "down1/false"}, 4950},
		}},
		{"gap of several slots reveals the visible mole only", []step{
			{3000, []string{"running@3000+0", "up1@3000-3800"}, 3950},
			{6500, []string{"up4@6000-6800", "down1/false"}, 6950},
			{7000, []string{"up5@7000-7800", "down4/false"}, 7950},
		}},
		{"late past the end", []step{
			{3000, []string{"running@3000+0", "up1@3000-3800"}, 3950},
			{3100, nil, 3950},
			{40000, []string{"down1/false", "finished@33000+0"}, -1},
		}},
		{"countdown overslept to the end", []step{
			{50000, []string{"running@3000+0", "finished@33000+0"}, -1},
		}},
		{"clock stepping back is ignored", []step{
			{3000, []string{"running@3000+0", "up1@3000-3800"}, 3950},
			{2000, nil, 3950},
			{3950, []string{"down1/false"}, 4000},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			g := newGame(t, classicMode(), 1, "a")
			events, err := g.Begin(t0)
			require.NoError(t, err)
			require.Equal(t, []string{"countdown@0+3000"}, describe(events))
			for _, s := range tt.steps {
				require.Equal(t, s.want, describe(g.Advance(ms(s.now))), "advance at %d", s.now)
				wake := g.NextWake(ms(s.now))
				if s.wake < 0 {
					require.True(t, wake.IsZero(), "wake at %d: %v", s.now, wake)
					continue
				}
				require.Equal(t, ms(max(s.wake, s.now)), wake, "wake at %d", s.now)
			}
		})
	}
}

func TestGame_AdvanceFinishes(t *testing.T) {
	t.Parallel()
	g := newGame(t, classicMode(), 1, "a")
	_, err := g.Begin(t0)
	require.NoError(t, err)
	spawned := 0
	for now := 0; now <= 34000; now += 20 {
		for _, e := range g.Advance(ms(now)) {
			if _, ok := e.(MoleUp); ok {
				spawned++
			}
		}
	}
	require.Equal(t, 30, spawned)
	require.Equal(t, PhaseFinished, g.Phase())
	res := g.Result()
	require.Equal(t, ms(3000), res.StartedAt)
	require.Equal(t, ms(33000), res.EndedAt)
	require.True(t, g.NextWake(ms(40000)).IsZero())
}

func TestGame_AdvanceWaiting(t *testing.T) {
	t.Parallel()
	g := newGame(t, classicMode(), 1, "a")
	require.Nil(t, g.Advance(ms(100000)))
	require.True(t, g.NextWake(ms(0)).IsZero())
	require.Equal(t, PhaseWaiting, g.Phase())
}

func TestGame_AdvanceSkipsWhenBoardFull(t *testing.T) {
	t.Parallel()
	mode := quickMode()
	mode.Rows, mode.Cols = 1, 2
	mode.Visible = 5000 * 1e6
	mode.MaxMolesUp = 5
	g := newGame(t, mode, 1, "a")
	_, err := g.Begin(t0)
	require.NoError(t, err)
	require.Equal(t, []string{"up2@1000-6000"}, describe(g.Advance(ms(1000))))
	// Both holes are taken: slot 2000 is skipped.
	require.Nil(t, g.Advance(ms(2000)))
	require.Equal(t, []string{"down1/false"}, describe(g.Advance(ms(5150))))
	// Hole 1's mole went down at 5000; the hole rests until 6000.
	require.Nil(t, g.Advance(ms(5999)))
	require.Equal(t, []string{"up3@6000-11000"}, describe(g.Advance(ms(6000))))
}
