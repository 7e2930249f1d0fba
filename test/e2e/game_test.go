package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/asyncapi"
)

// frame is one WebSocket frame of the native protocol.
type frame struct {
	T  string          `json:"t"`
	ID int64           `json:"id,omitempty"`
	D  json.RawMessage `json:"d"`
}

// socket is a test's connection to /ws. Every frame it reads is checked
// against docs/asyncapi.yaml (the test fails on a frame that does not
// match), so the whole suite checks the document.
type socket struct {
	t     *testing.T
	conn  *websocket.Conn
	check *asyncapi.Check
	// readErr is why readAhead's channel closed, read after it closed.
	readErr error
}

func dial(t *testing.T, s *server, token string) *socket {
	t.Helper()
	return dialWith(t, s, token, "", http.Header{})
}

// dialWith dials /ws with a query ("?lang=es") and extra headers.
func dialWith(t *testing.T, s *server, token, query string, header http.Header) *socket {
	t.Helper()
	header.Set("Authorization", "Bearer "+token)
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(s.base)+query, header)
	require.NoError(t, err)
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = conn.Close() })
	return &socket{t: t, conn: conn, check: asyncapi.NewCheck(t)}
}

// write sends one client frame.
func (c *socket) write(f frame) error {
	b, err := json.Marshal(f)
	if err != nil {
		return fmt.Errorf("encode %s frame: %w", f.T, err)
	}
	c.check.Sent(b)
	if err := c.conn.WriteMessage(websocket.TextMessage, b); err != nil {
		return fmt.Errorf("send %s: %w", f.T, err)
	}
	return nil
}

// read reads the next server frame into f and checks it against the
// document. A read error is gorilla's own, unwrapped: callers test it with
// websocket.IsCloseError, which does not look through wrapping.
func (c *socket) read(f *frame) error {
	_, msg, err := c.conn.ReadMessage()
	if err != nil {
		return err
	}
	c.check.Received(msg)
	if err := json.Unmarshal(msg, f); err != nil {
		return fmt.Errorf("decode frame %.200s: %w", msg, err)
	}
	return nil
}

// readAhead reads frames on its own goroutine into the returned channel,
// closed (with readErr set) when a read fails or stop is called. A test
// that waits a player's reaction time between frames uses it so the socket
// keeps being read meanwhile: gorilla answers the server's pings only while
// a read is in progress, and a pong held back by the test would raise the
// measured round trip, and with it the lag allowance that judges too_fast.
// Nothing else may read the socket meanwhile, and stop ends reading it for
// good (gorilla fails every read after a lapsed deadline).
func (c *socket) readAhead() (frames <-chan frame, stop func()) {
	ch := make(chan frame, 64)
	done := make(chan struct{})
	finished := make(chan struct{})
	go func() {
		defer close(finished)
		defer close(ch)
		for {
			var f frame
			if err := c.read(&f); err != nil {
				c.readErr = err
				return
			}
			select {
			case ch <- f:
			case <-done:
				return
			}
		}
	}()
	return ch, func() {
		close(done)
		_ = c.conn.SetReadDeadline(time.Now()) // ends a read in progress
		<-finished
	}
}

func (c *socket) send(typ string, id int64, payload any) {
	c.t.Helper()
	d, err := json.Marshal(payload)
	require.NoError(c.t, err)
	require.NoError(c.t, c.write(frame{T: typ, ID: id, D: d}))
}

// next reads frames until one of type typ arrives.
func (c *socket) next(typ string) frame {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(45*time.Second)))
	for {
		var f frame
		require.NoError(c.t, c.read(&f))
		if f.T == typ {
			return f
		}
	}
}

func decode[T any](t *testing.T, raw json.RawMessage) T {
	t.Helper()
	var v T
	require.NoError(t, json.Unmarshal(raw, &v))
	return v
}

type mole struct {
	MoleID int64  `json:"moleId"`
	Hole   int    `json:"hole"`
	Kind   string `json:"kind"`
	UpMs   int64  `json:"upMs"`
}

type result struct {
	PlayerID string `json:"playerId"`
	Score    int64  `json:"score"`
	Hits     int    `json:"hits"`
	Misses   int    `json:"misses"`
}

// TestServer_PlaysAFullClassicGame plays a whole 30 s classic game against
// the real binary the way a person would, then reads the result back from
// every REST surface, and finally stops the server with SIGTERM.
func TestServer_PlaysAFullClassicGame(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a 33 s game")
	}
	t.Parallel()
	s := startServer(t)
	token, playerID := s.guest("e2e-device-player-1")
	ws := dial(t, s, token)

	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "daily"})
	require.Equal(t, int64(1), ws.next("ack").ID)

	// Bad input is answered and the connection survives it.
	ws.send("game:teleport", 2, map[string]any{})
	require.Equal(t, "unknown_type", decode[map[string]string](t, ws.next("error").D)["code"])
	ws.send("game:start", 3, map[string]any{"mode": "classic", "cheat": true})
	require.Equal(t, "bad_request", decode[map[string]string](t, ws.next("error").D)["code"])

	ws.send("game:start", 4, map[string]string{"mode": "classic"})
	ack := ws.next("ack")
	require.Equal(t, int64(4), ack.ID)
	started := decode[struct {
		SessionID      string `json:"sessionId"`
		DurationMs     int64  `json:"durationMs"`
		Board          struct{ Rows, Cols int }
		SeedCommitment string `json:"seedCommitment"`
	}](t, ack.D)
	require.EqualValues(t, 30000, started.DurationMs)
	require.Equal(t, 3, started.Board.Rows)
	require.Regexp(t, "^[0-9a-f]{64}$", started.SeedCommitment)
	live := sessionSeed(t, s, token, started.SessionID)
	require.Equal(t, started.SeedCommitment, live.SeedCommitment)
	require.Empty(t, live.Seed, "the seed stays secret while the game runs")

	hits, over := playLikeAPerson(t, ws, started.SessionID)
	checkFairness(t, s, token, started.SessionID, started.SeedCommitment, over)
	require.False(t, over.Flagged)
	require.Len(t, over.Results, 1)
	require.Equal(t, playerID, over.Results[0].PlayerID)
	require.EqualValues(t, hits, over.Results[0].Score)
	require.Greater(t, hits, 20, "a person reacting in 250–450 ms hits most moles")

	update := decode[struct {
		LeaderboardID string `json:"leaderboardId"`
		Scores        []struct {
			PlayerID string `json:"playerId"`
			Score    int64  `json:"score"`
		} `json:"scores"`
	}](t, ws.next("leaderboard:update").D)
	require.Equal(t, "daily", update.LeaderboardID)
	require.Equal(t, playerID, update.Scores[0].PlayerID)

	checkStandings(t, s, token, playerID, int64(hits), started.SessionID)

	require.NoError(t, s.stop(), "SIGTERM must shut the node down cleanly")
	err := ws.read(&frame{})
	require.True(t, websocket.IsCloseError(err, websocket.CloseGoingAway), "want 1001 on shutdown, got %v", err)
}

type overPayload struct {
	Results []result `json:"results"`
	Flagged bool     `json:"flagged"`
	Seed    string   `json:"seed"`
	// before holds every frame playLikeAPerson read before game:over, and
	// moles its game:mole payloads.
	before []string
	moles  []mole
}

// personSpread is what a test player adds to its reaction on mole id: 0,
// 100 or 200 ms. A person's reactions spread; a fixed one with perfect aim
// over a whole game is what the consistency detector holds for review as a
// bot's (actors/session/detector). Derived from the mole, so of two players
// the faster one stays faster on every mole.
func personSpread(moleID int64) time.Duration {
	return time.Duration(moleID%3) * 100 * time.Millisecond
}

// playLikeAPerson whacks every mole 250–450 ms after it arrives
// (personSpread) until game:over. A reader goroutine stamps each frame on
// arrival, so a reaction counts from the mole's arrival even while the
// loop waits on an earlier one (as a person watching the board would), and
// hits may answer any whack still outstanding. The reader stops after
// game:over, leaving later frames to the caller.
func playLikeAPerson(t *testing.T, ws *socket, sessionID string) (hits int, over overPayload) {
	t.Helper()
	require.NoError(t, ws.conn.SetReadDeadline(time.Now().Add(60*time.Second)))
	frames := readUntilOver(ws)
	var id, answered int64 = 100, 100
	for tf := range frames {
		require.NoError(t, tf.err)
		f := tf.frame
		if f.T != "game:over" {
			raw, err := json.Marshal(f)
			require.NoError(t, err)
			over.before = append(over.before, string(raw))
		}
		switch f.T {
		case "game:mole":
			m := decode[mole](t, f.D)
			over.moles = append(over.moles, m)
			// Human reaction time from the mole's arrival, not a wait on the server.
			<-time.After(time.Until(tf.at.Add(250*time.Millisecond + personSpread(m.MoleID))))
			id++
			ws.send("game:whack", id, map[string]any{"sessionId": sessionID, "hole": m.Hole, "moleId": m.MoleID})
		case "game:hit":
			require.Greater(t, f.ID, answered, "a hit answers a whack once")
			require.LessOrEqual(t, f.ID, id, "a hit answers a whack sent")
			answered = f.ID
			hits++
		case "game:miss":
			t.Fatalf("unexpected miss: %s", f.D)
		case "game:over":
			before, moles := over.before, over.moles
			over = decode[overPayload](t, f.D)
			over.before, over.moles = before, moles
			return hits, over
		}
	}
	t.Fatal("the socket closed before game:over")
	return hits, over
}

// arrival is a frame and when it was read off the socket.
type arrival struct {
	frame frame
	at    time.Time
	err   error
}

// readUntilOver reads ws on its own goroutine, stamping each frame, until
// game:over or an error (both delivered, then the channel closes). Like
// readAhead it keeps the socket read (so pings are answered) while the
// player waits; unlike it, it leaves the socket readable afterwards, for
// the frames that follow a game.
func readUntilOver(ws *socket) <-chan arrival {
	frames := make(chan arrival, 256)
	go func() {
		defer close(frames)
		for {
			var f frame
			err := ws.read(&f)
			frames <- arrival{frame: f, at: time.Now(), err: err}
			if err != nil || f.T == "game:over" {
				return
			}
		}
	}()
	return frames
}

// checkStandings reads the committed game back over REST.
func checkStandings(t *testing.T, s *server, token, playerID string, score int64, sessionID string) {
	t.Helper()
	var board struct {
		Entries []struct {
			Rank     int64  `json:"rank"`
			PlayerID string `json:"playerId"`
			Score    int64  `json:"score"`
		} `json:"entries"`
		Total int64 `json:"total"`
	}
	for _, name := range []string{"global", "daily", "weekly", "monthly"} {
		require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/leaderboards/"+name, "", nil, &board))
		require.EqualValues(t, 1, board.Total, name)
		require.Equal(t, playerID, board.Entries[0].PlayerID)
		require.Equal(t, score, board.Entries[0].Score)
	}
	var me struct{ Rank, Score, Total int64 }
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/leaderboards/daily/me", token, nil, &me))
	require.Equal(t, struct{ Rank, Score, Total int64 }{1, score, 1}, me)

	var profile struct {
		Stats struct {
			GamesPlayed int64 `json:"gamesPlayed"`
			BestScore   int64 `json:"bestScore"`
		} `json:"stats"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me", token, nil, &profile))
	require.EqualValues(t, 1, profile.Stats.GamesPlayed)
	require.Equal(t, score, profile.Stats.BestScore)

	var history struct {
		Sessions []struct {
			ID    string `json:"id"`
			Score int64  `json:"score"`
		} `json:"sessions"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/sessions", token, nil, &history))
	require.Len(t, history.Sessions, 1)
	require.Equal(t, sessionID, history.Sessions[0].ID)

	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/sessions/"+sessionID, token, nil, nil))
	other, _ := s.guest("e2e-device-player-2")
	require.Equal(t, http.StatusNotFound, s.call(http.MethodGet, "/api/v1/sessions/"+sessionID, other, nil, nil))
}
