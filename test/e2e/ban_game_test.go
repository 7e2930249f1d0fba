package e2e

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/asyncapi"
)

// pickedOutcome is what playPicked saw.
type pickedOutcome struct {
	hits int
	over *overPayload
	err  error
}

// playPicked whacks, 250 ms after it appears, every mole whose id has the
// given parity, until game:over or the socket closes; started is closed at
// its first hit.
func playPicked(ws *socket, sessionID string, parity int64, started chan<- struct{}) pickedOutcome {
	var out pickedOutcome
	id := int64(100)
	if err := ws.conn.SetReadDeadline(time.Now().Add(60 * time.Second)); err != nil {
		return pickedOutcome{err: err}
	}
	for {
		var f frame
		if out.err = ws.read(&f); out.err != nil {
			return out
		}
		switch f.T {
		case "game:mole":
			var m mole
			if out.err = json.Unmarshal(f.D, &m); out.err != nil || m.MoleID%2 != parity {
				continue
			}
			<-time.After(250 * time.Millisecond) // the player's reaction time
			id++
			d, _ := json.Marshal(map[string]any{"sessionId": sessionID, "hole": m.Hole, "moleId": m.MoleID})
			if out.err = ws.write(frame{T: "game:whack", ID: id, D: d}); out.err != nil {
				return out
			}
		case "game:hit":
			if f.ID != 0 {
				if out.hits++; out.hits == 1 && started != nil {
					close(started)
				}
			}
		case "game:over":
			out.over = &overPayload{}
			out.err = json.Unmarshal(f.D, out.over)
			return out
		}
	}
}

// banInPostgresOnly bans the player in PostgreSQL only: no revocation event is
// published, as if Redis had lost it. The game path must hold on its own.
func banInPostgresOnly(t *testing.T, s *server, playerID string) {
	t.Helper()
	s.exec(`UPDATE players SET banned_at = now() WHERE id = $1`, playerID)
}

// storedPlayerPart reads how a player's part of a session was stored.
func storedPlayerPart(t *testing.T, s *server, sessionID, playerID string) (voided string, score, gamesPlayed int64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, s.dbURL)
	require.NoError(t, err)
	defer func() { _ = conn.Close(ctx) }()
	require.NoError(t, conn.QueryRow(ctx, `SELECT coalesce(sp.voided, ''), sp.score,
		coalesce((SELECT games_played FROM player_stats WHERE player_id = $2), 0)
		FROM session_players sp WHERE sp.session_id = $1 AND sp.player_id = $2`, sessionID, playerID).
		Scan(&voided, &score, &gamesPlayed))
	return voided, score, gamesPlayed
}

// boardPlayerIDs lists the players on a board's current period.
func boardPlayerIDs(t *testing.T, s *server, board string) []string {
	t.Helper()
	var page struct {
		Entries []struct {
			PlayerID string `json:"playerId"`
		} `json:"entries"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/leaderboards/"+board, "", nil, &page))
	ids := []string{}
	for _, e := range page.Entries {
		ids = append(ids, e.PlayerID)
	}
	return ids
}

// TestServer_BanDuringAMatchVoidsOnlyTheBannedPlayer: a ban that only
// PostgreSQL knows lands while a match runs. The match finishes; the banned
// player's part is voided (no score, stats or board entry) while the other
// player keeps result, stats and boards; the banned account cannot start
// another game.
func TestServer_BanDuringAMatchVoidsOnlyTheBannedPlayer(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a 33 s match")
	}
	t.Parallel()
	s := startServer(t)
	aliceToken, alice := s.guest("e2e-ban-alice-01")
	bobToken, bob := s.guest("e2e-ban-bob-0001")
	wa, wb := dial(t, s, aliceToken), dial(t, s, bobToken)

	wa.send("game:create", 1, map[string]any{"mode": "classic", "maxPlayers": 2})
	created := decode[struct{ SessionID, Code string }](t, wa.next("ack").D)
	wb.send("game:join", 1, map[string]string{"code": created.Code})
	wb.next("ack")

	started := make(chan struct{})
	aliceDone := make(chan pickedOutcome, 1)
	go func() { aliceDone <- playPicked(wa, created.SessionID, 0, nil) }()
	bobDone := make(chan pickedOutcome, 1)
	go func() { bobDone <- playPicked(wb, created.SessionID, 1, started) }()
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		t.Fatal("the match never started")
	}
	banInPostgresOnly(t, s, alice) // alice is playing: her game is running

	bobOut := <-bobDone
	<-aliceDone // the server may also have closed her socket; either way she is done
	require.NoError(t, bobOut.err)
	require.NotNil(t, bobOut.over)
	require.Greater(t, bobOut.hits, 5)
	require.Equal(t, []result{{PlayerID: bob, Score: int64(bobOut.hits), Hits: bobOut.hits}}, bobOut.over.Results,
		"game:over lists what was stored: only bob")

	voided, score, games := storedPlayerPart(t, s, created.SessionID, alice)
	require.Equal(t, "banned", voided)
	require.Zero(t, score)
	require.Zero(t, games, "no stats for the banned player")
	voided, score, games = storedPlayerPart(t, s, created.SessionID, bob)
	require.Empty(t, voided)
	require.EqualValues(t, bobOut.hits, score)
	require.EqualValues(t, 1, games)
	for _, board := range []string{"global", "daily", "weekly", "monthly"} {
		require.Eventually(t, func() bool {
			ids := boardPlayerIDs(t, s, board)
			return len(ids) == 1 && ids[0] == bob
		}, 10*time.Second, 50*time.Millisecond, "board %s holds bob and only bob", board)
	}

	requireNoNewGame(t, s, aliceToken)
}

// requireNoNewGame checks that a banned account starts no game: game:start
// answers account_banned, checked in PostgreSQL whatever the token says, or
// the server refuses the socket or closes it first.
func requireNoNewGame(t *testing.T, s *server, token string) {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(s.base), http.Header{"Authorization": {"Bearer " + token}})
	if err != nil {
		return // refused at the handshake
	}
	_ = resp.Body.Close()
	defer func() { _ = conn.Close() }()
	ws := &socket{t: t, conn: conn, check: asyncapi.NewCheck(t)}
	if ws.write(frame{T: "game:start", ID: 2, D: json.RawMessage(`{"mode":"classic"}`)}) != nil {
		return
	}
	require.NoError(t, conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		var f frame
		if ws.read(&f) != nil {
			return // closed by the server
		}
		require.NotEqual(t, "ack", f.T, "a banned account starts no game")
		if f.T == "error" {
			require.Equal(t, "account_banned", decode[map[string]string](t, f.D)["code"])
			return
		}
	}
}
