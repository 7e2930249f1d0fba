package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/rating"
)

// profileRatings is what a profile says of a player's ratings.
type profileRatings struct {
	Ratings []struct {
		Mode    string  `json:"mode"`
		Mu      float64 `json:"mu"`
		Sigma   float64 `json:"sigma"`
		Ordinal float64 `json:"ordinal"`
		Matches int     `json:"matches"`
	} `json:"ratings"`
}

// TestServer_MatchMovesRatings: two players play a match of a ranked mode
// over the real binary; both profiles (own and public) then show the
// ratings the model gives their scores (solo games and practice modes are
// covered by the store tests: TestStore_CommitResults_UnratedGames).
func TestServer_MatchMovesRatings(t *testing.T) {
	if testing.Short() {
		t.Skip("plays a match")
	}
	t.Parallel()
	s := startServer(t)
	addMode(t, s, nodeMode)
	aliceToken, alice := s.guest("e2e-ratings-alice")
	bobToken, bob := s.guest("e2e-ratings-bob")
	wa, wb := dial(t, s, aliceToken), dial(t, s, bobToken)

	var before profileRatings
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me", aliceToken, nil, &before))
	require.Empty(t, before.Ratings)

	wa.send("game:create", 1, map[string]any{"mode": nodeMode, "maxPlayers": 2})
	created := decode[struct{ SessionID, Code string }](t, wa.next("ack").D)
	wb.send("game:join", 1, map[string]string{"code": created.Code})
	wb.next("ack")
	done := make(chan matchOutcome, 1)
	go func() { done <- playMatch(wb, created.SessionID, 280*time.Millisecond, 100) }()
	aliceOut := playMatch(wa, created.SessionID, 200*time.Millisecond, 100)
	bobOut := <-done
	require.NoError(t, aliceOut.err)
	require.NoError(t, bobOut.err)
	require.False(t, aliceOut.over.Flagged)

	scores := map[string]int64{}
	for _, r := range aliceOut.over.Results {
		scores[r.PlayerID] = r.Score
	}
	require.Greater(t, scores[alice], scores[bob], "the faster player wins")
	want := rating.DefaultParams().Rate([]rating.Rating{rating.Default(), rating.Default()},
		[]int64{scores[alice], scores[bob]})

	for i, c := range []struct{ token, path string }{
		{aliceToken, "/api/v1/players/me"}, {aliceToken, "/api/v1/players/" + bob},
	} {
		var got profileRatings
		require.Equal(t, http.StatusOK, s.call(http.MethodGet, c.path, c.token, nil, &got))
		require.Len(t, got.Ratings, 1, c.path)
		r := got.Ratings[0]
		require.Equal(t, nodeMode, r.Mode)
		require.Equal(t, 1, r.Matches)
		require.InDelta(t, want[i].Mu, r.Mu, 1e-9, c.path)
		require.InDelta(t, want[i].Sigma, r.Sigma, 1e-9, c.path)
		require.InDelta(t, want[i].Ordinal(), r.Ordinal, 1e-9, c.path)
	}
	require.Greater(t, want[0].Mu, 25.0)
	require.Less(t, want[1].Mu, 25.0)
}

// TestServer_SoloWithoutModeFollowsForm: a newcomer's game:start without a
// mode plays classic; after three accurate, fast solo games (reacting in
// 120–280 ms, a median of 200, every mole won) it plays classic-hard, read
// from the reactions and hits the node measured and stored
// (docs/PROTOCOL.md, dynamic difficulty). The reactions spread as a
// person's do (two of three outside ±75 ms of the median): a fixed one
// over three games is what the consistency detector holds as a bot's. They
// stay short of the mode's 300 ms spawns so the player keeps up.
func TestServer_SoloWithoutModeFollowsForm(t *testing.T) {
	if testing.Short() {
		t.Skip("plays three short solo games")
	}
	t.Parallel()
	s := startServer(t)
	addMode(t, s, nodeMode)
	token, _ := s.guest("e2e-difficulty")
	startWithoutMode := func(id int64) string {
		ws := dial(t, s, token)
		defer func() { _ = ws.conn.Close() }()
		ws.send("game:start", id, map[string]any{})
		return decode[struct{ Mode string }](t, ws.next("ack").D).Mode
	}
	require.Equal(t, "classic", startWithoutMode(1), "a newcomer plays the normal level")

	for i := range 3 {
		ws := dial(t, s, token)
		ws.send("game:start", 1, map[string]string{"mode": nodeMode})
		started := decode[struct{ SessionID string }](t, ws.next("ack").D)
		out := playWith(ws, started.SessionID, func(moleID int64) time.Duration {
			return time.Duration(120+moleID%3*80) * time.Millisecond
		}, 100)
		require.NoError(t, out.err, "game %d", i)
		require.Positive(t, out.hits, "game %d", i)
		require.Zero(t, out.taken, "game %d", i)
		require.False(t, out.over.Flagged)
		_ = ws.conn.Close()
	}
	require.Equal(t, "classic-hard", startWithoutMode(2))
}
