package e2e

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type queueAck struct {
	TicketID string `json:"ticketId"`
}

type matchedPayload struct {
	SessionID  string `json:"sessionId"`
	Mode       string `json:"mode"`
	MaxPlayers int    `json:"maxPlayers"`
	Players    []struct {
		PlayerID string `json:"playerId"`
		Username string `json:"username"`
	} `json:"players"`
}

// playersWaiting reads the node's proofstell_matchmaking_players_waiting gauge for
// classic from /metrics.
func playersWaiting(t *testing.T, s *server) string {
	t.Helper()
	resp, err := http.Get(s.base + "/metrics")
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	for _, line := range strings.Split(string(body), "\n") {
		if strings.HasPrefix(line, `proofstell_matchmaking_players_waiting{mode="classic"}`) {
			return strings.Fields(line)[1]
		}
	}
	return ""
}

// TestServer_MatchmakingPairsQueuedPlayersAndTheyPlay: four players queue
// for 2-player classic matches; with every rating at 0 (the default rating
// source) they are paired by arrival, every member of a pair hears the
// same matchmaking:matched, and each pair plays its match to game:over on
// the session it was given. A ticket is cancelled by matchmaking:leave and
// by the socket closing, and a player holds one ticket at most.
func TestServer_MatchmakingPairsQueuedPlayersAndTheyPlay(t *testing.T) {
	if testing.Short() {
		t.Skip("plays two 33 s matches")
	}
	t.Parallel()
	s := startServer(t, "MATCHMAKING_TICK_INTERVAL=100ms")

	// Cancellation first: a player who left and one whose socket closed
	// are never matched.
	leaverToken, _ := s.guest("e2e-mm-leaver")
	leaver := dial(t, s, leaverToken)
	leaver.send("matchmaking:join", 9, map[string]any{"mode": "no-such-mode", "players": 2})
	require.Equal(t, "unknown_mode", decode[map[string]string](t, leaver.next("error").D)["code"])
	leaver.send("matchmaking:join", 1, map[string]any{"mode": "classic", "players": 2})
	leaver.next("ack")
	leaver.send("matchmaking:join", 2, map[string]any{"mode": "classic", "players": 2})
	require.Equal(t, "already_queued", decode[map[string]string](t, leaver.next("error").D)["code"])
	other := dial(t, s, leaverToken) // the same player on another socket
	other.send("matchmaking:join", 1, map[string]any{"mode": "classic", "players": 4})
	require.Equal(t, "already_queued", decode[map[string]string](t, other.next("error").D)["code"])
	admin := adminToken(t, s, "e2e-mm-admin")
	var stats struct {
		Modes []struct {
			Mode           string `json:"mode"`
			PlayersWaiting int    `json:"playersWaiting"`
		} `json:"modes"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/matchmaking/stats", admin, nil, &stats))
	waiting := map[string]int{}
	for _, m := range stats.Modes {
		waiting[m.Mode] = m.PlayersWaiting
	}
	require.Equal(t, 1, waiting["classic"], "operators see the queue")
	require.Contains(t, waiting, "classic-hard", "every active mode is listed")
	require.Equal(t, http.StatusForbidden, s.call(http.MethodGet, "/api/v1/matchmaking/stats", leaverToken, nil, nil))
	leaver.send("matchmaking:leave", 3, nil)
	require.JSONEq(t, `{}`, string(leaver.next("ack").D))

	closerToken, _ := s.guest("e2e-mm-closer")
	closer := dial(t, s, closerToken)
	closer.send("matchmaking:join", 1, map[string]any{"mode": "classic", "players": 2})
	closer.next("ack")
	require.NoError(t, closer.conn.Close())
	require.Eventually(t, func() bool { return playersWaiting(t, s) == "0" }, 10*time.Second, 50*time.Millisecond,
		"the closed socket's ticket leaves the queue")

	names := []string{"e2e-mm-ann", "e2e-mm-bob", "e2e-mm-cat", "e2e-mm-dan"}
	sockets := make([]*socket, len(names))
	ids := make([]string, len(names))
	for i, name := range names {
		token, id := s.guest(name)
		sockets[i], ids[i] = dial(t, s, token), id
		sockets[i].send("matchmaking:join", 1, map[string]any{"mode": "classic", "players": 2})
		require.Len(t, decode[queueAck](t, sockets[i].next("ack").D).TicketID, 36)
	}
	matched := make([]matchedPayload, len(names))
	for i, ws := range sockets {
		matched[i] = decode[matchedPayload](t, ws.next("matchmaking:matched").D)
		require.Equal(t, "classic", matched[i].Mode)
		require.Equal(t, 2, matched[i].MaxPlayers)
	}
	require.Equal(t, matched[0], matched[1], "ann and bob (first to arrive) share a match")
	require.Equal(t, matched[2], matched[3], "cat and dan share the other")
	require.NotEqual(t, matched[0].SessionID, matched[2].SessionID)
	require.Equal(t, ids[0], matched[0].Players[0].PlayerID)
	require.Equal(t, ids[1], matched[0].Players[1].PlayerID)

	type played struct {
		session string
		out     matchOutcome
	}
	outcomes := make(chan played, len(sockets))
	for i, ws := range sockets {
		reaction := 200 * time.Millisecond
		if i%2 == 1 {
			reaction = 300 * time.Millisecond
		}
		go func() {
			outcomes <- played{matched[i].SessionID, playWith(ws, matched[i].SessionID, likeAPerson(reaction), 100)}
		}()
	}
	overs := map[string][]overPayload{}
	for range sockets {
		p := <-outcomes
		require.NoError(t, p.out.err)
		overs[p.session] = append(overs[p.session], p.out.over)
	}
	require.Len(t, overs, 2, "two matches ended")
	for _, pair := range overs {
		require.Len(t, pair, 2)
		require.Equal(t, pair[0], pair[1], "both players of a match get the same result")
		require.Len(t, pair[0].Results, 2)
	}
	require.Equal(t, "0", playersWaiting(t, s))
}

// TestServer_PartyQueuesAsOneTicket: a party of two queues for a 4-player
// match with two solo players; the leader queues it (the member may not),
// all four hear the same matchmaking:matched and all four are seated in
// the one session, which counts down once it is full.
func TestServer_PartyQueuesAsOneTicket(t *testing.T) {
	t.Parallel()
	s := startServer(t, "MATCHMAKING_TICK_INTERVAL=100ms")
	leaderToken, leaderID := s.guest("e2e-party-leader")
	memberToken, memberID := s.guest("e2e-party-member")
	leader, member := dial(t, s, leaderToken), dial(t, s, memberToken)

	leader.send("party:create", 1, nil)
	code := decode[struct{ Code string }](t, leader.next("ack").D).Code
	require.Len(t, code, 6)
	member.send("party:join", 1, map[string]string{"code": "NOPE42"})
	require.Equal(t, "party_not_found", decode[map[string]string](t, member.next("error").D)["code"])
	member.send("party:join", 2, map[string]string{"code": code})
	require.Equal(t, code, decode[struct{ Code string }](t, member.next("ack").D).Code)
	type partyUpdate struct {
		Code     string `json:"code"`
		LeaderID string `json:"leaderId"`
		Members  []struct {
			PlayerID string `json:"playerId"`
		} `json:"members"`
	}
	update := decode[partyUpdate](t, member.next("party:update").D)
	require.Equal(t, leaderID, update.LeaderID)
	require.Len(t, update.Members, 2)

	member.send("matchmaking:join", 3, map[string]any{"mode": "classic", "players": 4})
	require.Equal(t, "not_party_leader", decode[map[string]string](t, member.next("error").D)["code"])
	leader.send("matchmaking:join", 2, map[string]any{"mode": "classic", "players": 4})
	leader.next("ack")

	sockets := []*socket{leader, member}
	for _, name := range []string{"e2e-party-solo-1", "e2e-party-solo-2"} {
		token, _ := s.guest(name)
		ws := dial(t, s, token)
		ws.send("matchmaking:join", 1, map[string]any{"mode": "classic", "players": 4})
		ws.next("ack")
		sockets = append(sockets, ws)
	}
	var first matchedPayload
	for i, ws := range sockets {
		m := decode[matchedPayload](t, ws.next("matchmaking:matched").D)
		if i == 0 {
			first = m
			require.Len(t, m.Players, 4)
			require.Equal(t, leaderID, m.Players[0].PlayerID, "the party was first in the queue: its leader hosts")
			require.Equal(t, memberID, m.Players[1].PlayerID)
			continue
		}
		require.Equal(t, first, m, "every member of the match hears the same")
	}
	for _, ws := range sockets {
		for {
			sc := decode[struct {
				GameID     string `json:"gameId"`
				StartsInMs int64  `json:"startsInMs"`
				Players    int    `json:"players"`
			}](t, ws.next("game:state-change").D)
			require.Equal(t, first.SessionID, sc.GameID)
			if sc.StartsInMs > 0 {
				require.Equal(t, 4, sc.Players, "the countdown starts with all four seated")
				break
			}
		}
	}
}

// TestServer_MatchmakingPairsByRating: four players with stored classic
// ratings queue for 2-player matches, arriving strong, weak, strong, weak.
// The matchmaker pairs them by rating (the two strong, the two weak), not
// by arrival: with the widest window below their gap, arrival order would
// never pair a strong player with a weak one.
func TestServer_MatchmakingPairsByRating(t *testing.T) {
	t.Parallel()
	s := startServer(t, "MATCHMAKING_TICK_INTERVAL=100ms", "MATCHMAKING_WINDOW_START=3",
		"MATCHMAKING_WINDOW_PER_SECOND=1", "MATCHMAKING_WINDOW_MAX=10")
	// Ordinal = mu − 3σ: 40, 0, 39, 1.
	mus := []float64{43, 3, 42, 4}
	names := []string{"e2e-rated-strong-1", "e2e-rated-weak-1", "e2e-rated-strong-2", "e2e-rated-weak-2"}
	sockets := make([]*socket, len(names))
	ids := make([]string, len(names))
	for i, name := range names {
		var token string
		token, ids[i] = s.guest(name)
		s.exec(`INSERT INTO player_ratings (player_id, mode, mu, sigma, matches) VALUES ($1, 'classic', $2, 1, 20)`, ids[i], mus[i])
		sockets[i] = dial(t, s, token)
	}
	for _, ws := range sockets {
		ws.send("matchmaking:join", 1, map[string]any{"mode": "classic", "players": 2})
		ws.next("ack")
	}
	matched := make([]matchedPayload, len(sockets))
	for i, ws := range sockets {
		matched[i] = decode[matchedPayload](t, ws.next("matchmaking:matched").D)
	}
	require.Equal(t, matched[0].SessionID, matched[2].SessionID, "the two strong players share a match")
	require.Equal(t, matched[1].SessionID, matched[3].SessionID, "the two weak players share the other")
	require.NotEqual(t, matched[0].SessionID, matched[1].SessionID)
	seated := func(m matchedPayload) []string {
		var out []string
		for _, p := range m.Players {
			out = append(out, p.PlayerID)
		}
		return out
	}
	require.ElementsMatch(t, []string{ids[0], ids[2]}, seated(matched[0]))
	require.ElementsMatch(t, []string{ids[1], ids[3]}, seated(matched[1]))
}
