package cluster

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// queueStatus is a matchmaking:status payload.
type queueStatus struct {
	TicketID string `json:"ticketId"`
	Reason   string `json:"reason"`
}

// matchmakerHost finds the member whose matchmaker activation for mode is
// live: the only one exporting the mode's queue gauge.
func (g *group) matchmakerHost(t testing.TB, mode string) *member {
	t.Helper()
	series := `proofstell_matchmaking_tickets_waiting{mode="` + mode + `"}`
	var host *member
	eventually(t, topologyWithin, "a member to host the matchmaker of "+mode, func() (bool, error) {
		host = nil
		for _, m := range g.members {
			if m.running() && m.gauge(series) >= 0 {
				if host != nil {
					return false, nil // two activations: wait for the topology to settle
				}
				host = m
			}
		}
		return host != nil, nil
	})
	return host
}

// statusWith waits for a matchmaking:status carrying reason.
func statusWith(s *socket, reason string, within time.Duration) (queueStatus, error) {
	var st queueStatus
	_, err := s.await(within, func(f wsclient.Frame) bool {
		if f.T != "matchmaking:status" {
			return false
		}
		return json.Unmarshal(f.D, &st) == nil && st.Reason == reason
	})
	return st, err
}

// TestCluster_MatchmakerNodeKilled: the member hosting a mode's matchmaker
// is killed with kill -9 while a player on another member waits. The
// player is told (moving), its ticket is queued again on the activation
// that takes over (requeued, same ticket), and it is matched there with a
// player on the third member: the match's messages cross nodes (the
// matchmaker's MatchFound, the host's MatchReady) and the match plays to
// game:over.
func TestCluster_MatchmakerNodeKilled(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 3 members, kills one and plays a 6 s match")
	}
	t.Parallel()
	g := startAutomanaged(t, 3)
	// Wake the matchmaker with a ticket that leaves at once, to learn where
	// it lives before the players who must survive its loss connect.
	scout := dial(t, g.members[0], guest(t, g.members[0], "cluster-mm-scout"))
	scout.mustCall(t, "matchmaking:join", map[string]any{"mode": modeShort, "players": 2}, nil)
	scout.mustCall(t, "matchmaking:leave", map[string]any{}, nil)
	host := g.matchmakerHost(t, modeShort)
	others := g.others(host)
	require.Len(t, others, 2)
	t.Logf("matchmaker of %s on %s", modeShort, host.name)

	carol := guest(t, others[0], "cluster-mm-carol")
	wc := dial(t, others[0], carol)
	var ticket struct {
		TicketID string `json:"ticketId"`
	}
	wc.mustCall(t, "matchmaking:join", map[string]any{"mode": modeShort, "players": 2}, &ticket)

	host.kill()
	moving, err := statusWith(wc, "moving", topologyWithin)
	require.NoError(t, err, "the waiting player is told its matchmaker is gone")
	require.Equal(t, ticket.TicketID, moving.TicketID)
	requeued, err := statusWith(wc, "requeued", topologyWithin)
	require.NoError(t, err, "and that its ticket is back in a queue")
	require.Equal(t, ticket.TicketID, requeued.TicketID)
	require.NotSame(t, host, g.matchmakerHost(t, modeShort))

	dave := guest(t, others[1], "cluster-mm-dave")
	wd := dial(t, others[1], dave)
	wd.mustCall(t, "matchmaking:join", map[string]any{"mode": modeShort, "players": 2}, nil)
	var matched [2]struct {
		SessionID string `json:"sessionId"`
	}
	for i, s := range []*socket{wc, wd} {
		f, err := s.await(replyWithin, func(f wsclient.Frame) bool { return f.T == "matchmaking:matched" })
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(f.D, &matched[i]))
	}
	require.Equal(t, matched[0], matched[1], "carol and dave share the match")

	gc, gd := newGame(matched[0].SessionID), newGame(matched[0].SessionID)
	gd.reaction = reaction + 150*time.Millisecond
	done := make(chan error, 1)
	go func() { done <- gd.play(wd, gameWithin) }()
	require.NoError(t, gc.play(wc, gameWithin))
	require.NoError(t, <-done)
	require.Equal(t, gc.over, gd.over, "both players get the same game:over")
}

// TestCluster_PartyAcrossNodes: a party whose leader and member are on
// different members queues as one ticket that fills a 2-player match by
// itself; both hear the same matchmaking:matched and play it to game:over
// (the party's, the matchmaker's and the match's messages cross nodes).
func TestCluster_PartyAcrossNodes(t *testing.T) {
	if testing.Short() {
		t.Skip("starts 2 members and plays a 6 s match")
	}
	t.Parallel()
	g := startAutomanaged(t, 2)
	wl := dial(t, g.members[0], guest(t, g.members[0], "cluster-party-leader"))
	wm := dial(t, g.members[1], guest(t, g.members[1], "cluster-party-member"))
	var party struct {
		Code string `json:"code"`
	}
	wl.mustCall(t, "party:create", map[string]any{}, &party)
	wm.mustCall(t, "party:join", map[string]any{"code": party.Code}, nil)
	var queued struct {
		TicketID string `json:"ticketId"`
	}
	wl.mustCall(t, "matchmaking:join", map[string]any{"mode": modeShort, "players": 2}, &queued)

	var matched [2]struct {
		SessionID string `json:"sessionId"`
	}
	for i, s := range []*socket{wl, wm} {
		f, err := s.await(replyWithin, func(f wsclient.Frame) bool { return f.T == "matchmaking:matched" })
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(f.D, &matched[i]))
	}
	require.Equal(t, matched[0], matched[1])
	gl, gm := newGame(matched[0].SessionID), newGame(matched[0].SessionID)
	gm.reaction = reaction + 150*time.Millisecond
	done := make(chan error, 1)
	go func() { done <- gm.play(wm, gameWithin) }()
	require.NoError(t, gl.play(wl, gameWithin))
	require.NoError(t, <-done)
	require.Equal(t, gl.over, gm.over)
}
