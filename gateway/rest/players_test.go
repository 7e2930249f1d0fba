package rest

import (
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
)

func TestPlayers_Me(t *testing.T) {
	t.Parallel()
	h, store := newDBHarness(t, nil)
	me := signIn(t, h, "device-profile-1")

	w := h.get(t, "/api/v1/players/me", me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"id":"`+me.Player.ID+`","username":"`+me.Player.Username+`","role":"player","displayName":"","avatarUrl":"",
		"createdAt":"2026-11-24T12:00:00Z","stats":{"gamesPlayed":0,"bestScore":0,"totalScore":0},"ratings":[]}`, w.Body.String())

	playGame(t, store, testNow.Add(-time.Hour), persistence.KindSolo, map[string]int64{me.Player.ID: 12})
	playGame(t, store, testNow.Add(-time.Minute), persistence.KindSolo, map[string]int64{me.Player.ID: 30})
	body := decode[profileResponse](t, h.get(t, "/api/v1/players/me", me.AccessToken))
	require.Equal(t, statsJSON{GamesPlayed: 2, BestScore: 30, TotalScore: 42}, body.Stats)

	requireError(t, h.get(t, "/api/v1/players/me", ""), http.StatusUnauthorized, CodeUnauthorized)
	ghost := tokenFor(t, "7b0e8a55-0000-4000-8000-000000000000") // valid token, deleted player
	requireError(t, h.get(t, "/api/v1/players/me", ghost), http.StatusNotFound, CodeNotFound)
}

func TestPlayers_Sessions(t *testing.T) {
	t.Parallel()
	h, store := newDBHarness(t, nil)
	me := signIn(t, h, "device-history-1")
	rival := signIn(t, h, "device-history-2")
	for i := range 3 {
		playGame(t, store, testNow.Add(time.Duration(i-10)*time.Minute), persistence.KindSolo,
			map[string]int64{me.Player.ID: int64(10 + i)})
	}
	match := playGame(t, store, testNow.Add(-time.Minute), persistence.KindMatch,
		map[string]int64{me.Player.ID: 5, rival.Player.ID: 9})

	w := h.get(t, "/api/v1/players/me/sessions?limit=2", me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[historyResponse](t, w)
	require.Len(t, page.Sessions, 2)
	require.NotEmpty(t, page.NextCursor)
	newest := page.Sessions[0]
	require.Equal(t, match.ID, newest.ID)
	require.Equal(t, "match", newest.Kind)
	require.Equal(t, "finished", newest.State)
	require.Equal(t, "classic", newest.Mode)
	require.Equal(t, int64(5), newest.Score)
	require.NotNil(t, newest.EndedAt)

	w = h.get(t, "/api/v1/players/me/sessions?limit=2&cursor="+url.QueryEscape(page.NextCursor), me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	rest := decode[historyResponse](t, w)
	require.Len(t, rest.Sessions, 2)
	require.Empty(t, rest.NextCursor)
	require.Equal(t, int64(10), rest.Sessions[1].Score)

	rivalPage := decode[historyResponse](t, h.get(t, "/api/v1/players/me/sessions", rival.AccessToken))
	require.Len(t, rivalPage.Sessions, 1)

	for _, q := range []string{"?limit=0", "?limit=101", "?limit=abc"} {
		requireError(t, h.get(t, "/api/v1/players/me/sessions"+q, me.AccessToken), http.StatusBadRequest, CodeBadRequest)
	}
	requireError(t, h.get(t, "/api/v1/players/me/sessions", ""), http.StatusUnauthorized, CodeUnauthorized)
}

func TestSessions_Get(t *testing.T) {
	t.Parallel()
	h, store := newDBHarness(t, nil)
	me := signIn(t, h, "device-session-1")
	rival := signIn(t, h, "device-session-2")
	stranger := signIn(t, h, "device-session-3")
	created := testNow.Add(-time.Hour)
	match := playGame(t, store, created, persistence.KindMatch, map[string]int64{me.Player.ID: 7, rival.Player.ID: 3})

	for _, token := range []string{me.AccessToken, rival.AccessToken} {
		w := h.get(t, "/api/v1/sessions/"+match.ID, token)
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		body := decode[sessionResponse](t, w)
		require.Equal(t, match.ID, body.ID)
		require.Equal(t, "match", body.Kind)
		require.Equal(t, "finished", body.State)
		require.ElementsMatch(t, []string{me.Player.ID, rival.Player.ID}, body.Players)
		require.Equal(t, created, body.CreatedAt)
		require.NotNil(t, body.EndedAt)
		require.Equal(t, created.Add(30*time.Second), body.EndedAt.UTC())
		require.ElementsMatch(t, []resultJSON{
			{PlayerID: me.Player.ID, Score: 7, Hits: 7, Misses: 2},
			{PlayerID: rival.Player.ID, Score: 3, Hits: 3, Misses: 2},
		}, body.Results)
	}

	// Someone else's session, an unknown one and a malformed id all look
	// the same, so session ids cannot be probed.
	for _, path := range []string{
		"/api/v1/sessions/" + match.ID + "?as=stranger",
		"/api/v1/sessions/0b7d0f4e-0000-4000-8000-000000000000",
		"/api/v1/sessions/not-a-uuid",
		"/api/v1/sessions/" + url.PathEscape("' OR 1=1 --"),
	} {
		w := h.get(t, path, stranger.AccessToken)
		requireError(t, w, http.StatusNotFound, CodeNotFound)
		require.Contains(t, w.Body.String(), `"session not found"`)
	}
	requireError(t, h.get(t, "/api/v1/sessions/"+match.ID, ""), http.StatusUnauthorized, CodeUnauthorized)
}
