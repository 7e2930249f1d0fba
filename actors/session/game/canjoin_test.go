package game

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestGame_CanJoin(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		setup   func(g *Game)
		player  string
		wantErr error
	}{
		{name: "seat left", player: "b"},
		{name: "member again", player: "a"},
		{name: "no id", player: "", wantErr: ErrBadPlayerID},
		{name: "full", setup: func(g *Game) { require.NoError(t, g.Join("b")) }, player: "c", wantErr: ErrFull},
		{name: "begun", setup: func(g *Game) {
			_, err := g.Begin(time.Unix(0, 0))
			require.NoError(t, err)
		}, player: "b", wantErr: ErrNotJoinable},
		{name: "member of a begun game", setup: func(g *Game) {
			_, err := g.Begin(time.Unix(0, 0))
			require.NoError(t, err)
		}, player: "a"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			g, err := New(classicMode(), testLimits(), seedOf(1), 2, "a")
			require.NoError(t, err)
			require.NoError(t, g.Join("a"))
			if tc.setup != nil {
				tc.setup(g)
			}
			before := g.Players()
			require.ErrorIs(t, g.CanJoin(tc.player), tc.wantErr)
			require.Equal(t, before, g.Players(), "CanJoin changes nothing")
			require.ErrorIs(t, g.Join(tc.player), tc.wantErr, "Join answers the same")
		})
	}
}
