package e2e

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// matchPlayer plays a shared-board match on its own goroutine, whacking each
// mole after its reaction time, and reports what it saw. The reaction is
// fixed, so a short mode's quick spawns never pile up behind it; a game
// long enough for the consistency detector (20 won moles) is played with
// playWith and personSpread instead.
type matchOutcome struct {
	hits, taken int
	over        overPayload
	err         error
}

func playMatch(ws *socket, sessionID string, reaction time.Duration, firstID int64) matchOutcome {
	return playWith(ws, sessionID, func(int64) time.Duration { return reaction }, firstID)
}

// likeAPerson is a reaction plus personSpread.
func likeAPerson(reaction time.Duration) func(moleID int64) time.Duration {
	return func(moleID int64) time.Duration { return reaction + personSpread(moleID) }
}

// playWith plays as playMatch, each mole whacked after delay(its id).
func playWith(ws *socket, sessionID string, delay func(moleID int64) time.Duration, firstID int64) matchOutcome {
	var out matchOutcome
	id := firstID
	if err := ws.conn.SetReadDeadline(time.Now().Add(60 * time.Second)); err != nil {
		return matchOutcome{err: err}
	}
	frames, stop := ws.readAhead()
	defer stop()
	for {
		f, ok := <-frames
		if !ok {
			out.err = ws.readErr
			return out
		}
		switch f.T {
		case "game:mole":
			var m mole
			if err := json.Unmarshal(f.D, &m); err != nil {
				out.err = err
				return out
			}
			<-time.After(delay(m.MoleID)) // the player's reaction time
			id++
			d, _ := json.Marshal(map[string]any{"sessionId": sessionID, "hole": m.Hole, "moleId": m.MoleID})
			if err := ws.write(frame{T: "game:whack", ID: id, D: d}); err != nil {
				out.err = err
				return out
			}
		case "game:hit":
			if f.ID != 0 {
				out.hits++
			}
		case "game:miss":
			var miss struct{ Reason string }
			_ = json.Unmarshal(f.D, &miss)
			if miss.Reason != "taken" {
				out.err = fmt.Errorf("unexpected miss %s", f.D)
				return out
			}
			out.taken++
		case "game:over":
			out.err = json.Unmarshal(f.D, &out.over)
			return out
		}
	}
}

// TestServer_MatchOnASharedBoard: two players join by code, see the same
// moles, and the faster one wins each mole while the other is told "taken".
func TestServer_MatchOnASharedBoard(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a 33 s match")
	}
	t.Parallel()
	s := startServer(t)
	aliceToken, alice := s.guest("e2e-match-alice")
	bobToken, bob := s.guest("e2e-match-bob-1")
	carolToken, _ := s.guest("e2e-match-carol")
	wa, wb, wc := dial(t, s, aliceToken), dial(t, s, bobToken), dial(t, s, carolToken)

	wa.send("game:create", 1, map[string]any{"mode": "classic", "maxPlayers": 2})
	created := decode[struct{ SessionID, Code string }](t, wa.next("ack").D)
	require.Len(t, created.Code, 6)

	wc.send("game:join", 1, map[string]string{"code": "ZZZZZZ"})
	require.Equal(t, "session_not_found", decode[map[string]string](t, wc.next("error").D)["code"])
	wc.send("game:whack", 2, map[string]any{"sessionId": created.SessionID, "hole": 0, "moleId": 1})
	require.Equal(t, "not_in_session", decode[map[string]string](t, wc.next("error").D)["code"])

	wb.send("game:join", 1, map[string]string{"code": created.Code})
	require.Equal(t, created.SessionID, decode[struct{ SessionID string }](t, wb.next("ack").D).SessionID)

	done := make(chan matchOutcome, 1)
	go func() { done <- playWith(wb, created.SessionID, likeAPerson(300*time.Millisecond), 100) }()
	aliceOut := playWith(wa, created.SessionID, likeAPerson(200*time.Millisecond), 100)
	bobOut := <-done
	require.NoError(t, aliceOut.err)
	require.NoError(t, bobOut.err)

	require.Equal(t, aliceOut.over, bobOut.over, "both players get the same final result")
	require.Greater(t, aliceOut.hits, 20)
	require.Zero(t, bobOut.hits, "the slower player never wins a mole")
	require.Equal(t, aliceOut.hits, bobOut.taken, "every mole alice won, bob was told was taken")
	require.ElementsMatch(t, []result{{PlayerID: alice, Score: int64(aliceOut.hits), Hits: aliceOut.hits}, {PlayerID: bob}},
		aliceOut.over.Results)
}

// TestServer_CreatesItsDatabaseAndMigrates: `proofstell migrate` against a
// database that does not exist yet creates it, and a second run is a no-op.
func TestServer_CreatesItsDatabaseAndMigrates(t *testing.T) {
	t.Parallel()
	url := freshDatabaseURL(t)
	for run := 0; run < 2; run++ {
		out, err := runBinary(t, "migrate", "DATABASE_URL="+url)
		require.NoError(t, err, "run %d: %s", run, out)
	}
	out, err := runBinary(t, "check-config", "DATABASE_URL=mysql://nope", "WS_SEND_QUEUE=0", "NODE_ENV=production")
	require.Error(t, err)
	for _, name := range []string{"DATABASE_URL", "WS_SEND_QUEUE", "JWT_SECRET"} {
		require.Contains(t, out, name, "every problem is listed at once")
	}
}
