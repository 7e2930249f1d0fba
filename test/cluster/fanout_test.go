package cluster

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// fanOutWithin bounds how long after game:over a spectator may see the
// game's end and the leaderboard update.
const fanOutWithin = 15 * time.Second

// TestCluster_FanOutReachesEveryNode: spectators on every member, subscribed
// to the daily leaderboard and to one game, see that game's state changes
// and the leaderboard update its result causes, wherever the game, the
// board and the spectator live.
func TestCluster_FanOutReachesEveryNode(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 3 members and plays a 6 s game")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	a := g.members[0]
	p := guest(t, a, "cluster-fanout-player")
	ws := dial(t, a, p)

	spectators := make([]*socket, len(g.members))
	for i, m := range g.members {
		spectators[i] = dial(t, m, guest(t, m, "cluster-fanout-spectator-"+m.name))
		spectators[i].mustCall(t, "leaderboard:subscribe", map[string]string{"leaderboardId": "daily", "mode": modeShort}, nil)
	}

	// A one-player match: created first, so spectators subscribe before
	// anything happens, then begun by its creator.
	before := g.sessionCounts()
	var created struct{ SessionID string }
	ws.mustCall(t, "game:create", map[string]any{"mode": modeShort, "maxPlayers": 2}, &created)
	t.Logf("game %s hosted on %s, player on %s", created.SessionID, g.hostAfter(t, before).name, a.name)
	for _, s := range spectators {
		s.mustCall(t, "game:subscribe", map[string]string{"gameId": created.SessionID}, nil)
	}
	ws.mustCall(t, "game:begin", map[string]string{"sessionId": created.SessionID}, nil)
	gm := newGame(created.SessionID)
	require.NoError(t, gm.play(ws, gameWithin))
	score := gm.score(t, p.id).Score
	require.Positive(t, score)

	for _, s := range spectators {
		v := spectate(s, created.SessionID, p.id, score)
		require.NoError(t, v.err, "spectator on %s saw states %v, standing %v", s.member.name, v.states, v.standing)
		// A topology change under load may add a pause; the spectator still
		// sees the countdown first, the start, and the end last.
		require.Equal(t, "waiting", v.states[0], "states on %s: %v", s.member.name, v.states)
		require.Contains(t, v.states, "started", "states on %s", s.member.name)
	}
}

// spectatorView is what a spectator saw of one game.
type spectatorView struct {
	states   []string // the game's state changes, in order
	standing bool     // a daily leaderboard:update listed the player's score
	err      error
}

// spectate reads a spectator's frames until it saw the game end and a
// daily leaderboard:update with the player's score.
func spectate(s *socket, gameID, playerID string, score int64) spectatorView {
	var v spectatorView
	_, v.err = s.await(fanOutWithin, func(f wsclient.Frame) bool {
		switch f.T {
		case "game:state-change":
			var sc stateChange
			if json.Unmarshal(f.D, &sc) == nil && sc.GameID == gameID {
				v.states = append(v.states, sc.State)
			}
		case "leaderboard:update":
			v.standing = v.standing || listsScore(f, playerID, score)
		}
		return v.standing && len(v.states) > 0 && v.states[len(v.states)-1] == "ended"
	})
	return v
}

// listsScore reports whether a daily leaderboard:update lists playerID with
// score.
func listsScore(f wsclient.Frame, playerID string, score int64) bool {
	var u struct {
		LeaderboardID string `json:"leaderboardId"`
		Scores        []struct {
			PlayerID string `json:"playerId"`
			Score    int64  `json:"score"`
		} `json:"scores"`
	}
	if json.Unmarshal(f.D, &u) != nil || u.LeaderboardID != "daily" {
		return false
	}
	for _, e := range u.Scores {
		if e.PlayerID == playerID && e.Score == score {
			return true
		}
	}
	return false
}
