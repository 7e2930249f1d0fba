package e2e

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
)

// TestServer_RunsWithoutRedis proves the in-process engine
// (persistence/memory): the real binary runs with REDIS_URL empty, against
// a PostgreSQL cluster of the test's own and no Redis at all, and a client
// signs in (as a guest, and with a wallet whose challenge verifies once),
// hits the sign-in rate limit, plays a full game, receives
// leaderboard:update, and logs out, after which the token is refused on
// REST, at the WebSocket handshake and on its open socket. Readiness has
// no redis check to fail.
func TestServer_RunsWithoutRedis(t *testing.T) {
	if testing.Short() {
		t.Skip("starts PostgreSQL and the server")
	}
	t.Parallel()
	pg := pgtest.StartServer(t) // skips when initdb or pg_ctl is missing
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	s := startServerOn(t, pg.URL(), "REDIS_URL=", "RATE_LIMIT_AUTH=5", "RATE_LIMIT_WINDOW=60s",
		"STARKNET_RPC_URL="+node.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA")

	status, ready := s.readiness()
	require.Equal(t, http.StatusOK, status)
	require.Contains(t, ready.Checks, "postgres")
	require.NotContains(t, ready.Checks, "redis", "a node on the memory engine has no Redis to check")

	// Five sign-in requests a minute: the guest, the wallet's challenge,
	// its verify and its replay, one more guest; the sixth is refused.
	player := signInGuest(t, s, "noredis-player")
	wallet := signedChallenge(t, s, node.NewAccount(t, chaintest.KindArgent))
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/verify", "", wallet, nil))
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/verify", "", wallet, nil),
		"the in-process challenge is single use")
	signInGuest(t, s, "noredis-second")
	requireSignInLimited(t, s, "noredis-third")

	addMode(t, s, nodeMode)
	ws := dial(t, s, player.AccessToken)
	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "global", "mode": nodeMode})
	require.Equal(t, int64(1), ws.next("ack").ID)
	sessionID := startKnownGame(t, ws, nodeMode)
	hits, over := playLikeAPerson(t, ws, sessionID)
	require.Greater(t, hits, 0)
	require.Len(t, over.Results, 1)
	require.Equal(t, player.Player.ID, over.Results[0].PlayerID)
	require.EqualValues(t, hits, over.Results[0].Score)
	requireBoardUpdate(t, ws, nodeMode, player.Player.ID, int64(hits))

	require.Equal(t, http.StatusNoContent, s.call(http.MethodPost, "/api/v1/auth/logout", player.AccessToken, nil, nil))
	require.Equal(t, 4003, closeCode(t, ws), "logout closes the socket opened with the token")
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodGet, "/api/v1/players/me", player.AccessToken, nil, nil),
		"a logged-out token is refused at once")
	require.Equal(t, http.StatusUnauthorized, handshake(t, s, player.AccessToken))
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodPost, "/api/v1/auth/refresh", "",
		map[string]string{"refreshToken": player.RefreshToken}, nil), "the session's refresh token is gone too")
}

// requireSignInLimited requires the next guest sign-in to be refused with
// a 429 that says when to come back: 5 per minute, the next slot 12 s
// after the first request.
func requireSignInLimited(t *testing.T, s *server, device string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, s.base+"/api/v1/auth/guest", strings.NewReader(`{"deviceId":"`+device+`"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.InDelta(t, 11, wait, 1.5, "12 s after the first request, a second or two ago")
}

// startKnownGame starts a solo game of mode, retrying while the node has
// not yet heard of the mode the test just inserted (the mode cache drops on
// PostgreSQL's change notification, asynchronously).
func startKnownGame(t *testing.T, ws *socket, mode string) string {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for id := int64(10); ; id++ {
		ws.send("game:start", id, map[string]string{"mode": mode})
		f := ws.anyFrame()
		for f.ID != id {
			f = ws.anyFrame()
		}
		if f.T == "ack" {
			return decode[struct {
				SessionID string `json:"sessionId"`
			}](t, f.D).SessionID
		}
		require.Equal(t, "unknown_mode", decode[map[string]string](t, f.D)["code"], "game:start: %s %s", f.T, f.D)
		require.True(t, time.Now().Before(deadline), "the node never heard of mode %s", mode)
		<-time.After(50 * time.Millisecond) // the node's LISTEN, not an actor, is what the test waits for
	}
}

// requireBoardUpdate reads leaderboard:update frames until the mode's
// global board shows playerID with score.
func requireBoardUpdate(t *testing.T, ws *socket, mode, playerID string, score int64) {
	t.Helper()
	type update struct {
		LeaderboardID string `json:"leaderboardId"`
		Mode          string `json:"mode"`
		Scores        []struct {
			PlayerID string `json:"playerId"`
			Score    int64  `json:"score"`
		} `json:"scores"`
	}
	for {
		u := decode[update](t, ws.next("leaderboard:update").D)
		if u.LeaderboardID != "global" || u.Mode != mode || len(u.Scores) == 0 {
			continue
		}
		require.Equal(t, playerID, u.Scores[0].PlayerID)
		require.Equal(t, score, u.Scores[0].Score)
		return
	}
}
