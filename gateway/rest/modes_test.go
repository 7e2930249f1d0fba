package rest

import (
	"crypto/rand"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newModesHarness is the full router over a fresh database with the real
// mode catalogue and real leaderboard grains.
func newModesHarness(t *testing.T) (*harness, *postgres.Store) {
	t.Helper()
	store := openStore(t)
	client := newLeaderboardClient(t, store)
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	h := newHarness(t, tokens, store, store, func(d *Deps) { d.Leaderboards, d.Modes = client, store })
	return h, store
}

// TestModes_List: GET /modes is public and cacheable and lists every
// active mode with its rules.
func TestModes_List(t *testing.T) {
	t.Parallel()
	h, _ := newModesHarness(t)
	w := h.get(t, "/api/v1/modes", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Contains(t, w.Header().Get("Cache-Control"), "max-age")
	body := decode[modesResponse](t, w)
	names := make([]string, len(body.Modes))
	for i, m := range body.Modes {
		names[i] = m.Name
	}
	require.Equal(t, []string{"classic", "classic-easy", "classic-hard", "frenzy"}, names)
	require.Equal(t, modeJSON{Name: "frenzy", Title: "frenzy" /* no catalogue: the name */, Level: "hard", Rows: 4, Cols: 4, DurationMs: 45000, SpawnIntervalMs: 600,
		VisibleMs: 900, MolesAtOnce: 3, HitPoints: 1, GoldenChance: 0.1, GoldenPoints: 5, BombChance: 0.1,
		BombPenalty: 3, CountdownMs: 3000, MaxPlayers: 8, Active: true, Ranked: true}, body.Modes[3])
}

// TestModes_AdminCreateAndEdit: admins create and edit modes; every
// broken rule is a 422 naming its field; players are refused.
func TestModes_AdminCreateAndEdit(t *testing.T) {
	t.Parallel()
	h, store := newModesHarness(t)
	admin := newSignedIn(t, store, persistence.RoleAdmin)
	player := newSignedIn(t, store, persistence.RolePlayer)
	create := `{"name":"zen","rows":3,"cols":3,"durationMs":20000,"spawnIntervalMs":900,"visibleMs":900,"molesAtOnce":1,"hitPoints":1,"ranked":false}`

	requireError(t, h.do(t, request{Method: http.MethodPost, Path: "/api/v1/admin/modes", Token: player.AccessToken, Body: create}),
		http.StatusForbidden, CodeForbidden)
	w := h.do(t, request{Method: http.MethodPost, Path: "/api/v1/admin/modes", Token: admin.AccessToken, Body: create})
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	zen := decode[modeJSON](t, w)
	require.False(t, zen.Ranked)
	require.Equal(t, "normal", zen.Level)
	require.Equal(t, int64(3000), zen.CountdownMs)
	requireError(t, h.do(t, request{Method: http.MethodPost, Path: "/api/v1/admin/modes", Token: admin.AccessToken, Body: create}),
		http.StatusConflict, CodeConflict)

	w = h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/modes/zen", Token: admin.AccessToken,
		Body: `{"durationMs":15000,"ranked":true}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, int64(15000), decode[modeJSON](t, w).DurationMs)
	m, err := store.Mode(t.Context(), "zen")
	require.NoError(t, err, "this node's cache was dropped at the edit")
	require.Equal(t, 15*time.Second, m.Duration)
	require.True(t, m.Ranked)

	bad := []struct{ method, path, body, field string }{
		{http.MethodPost, "/api/v1/admin/modes", `{"name":"Bad Name","rows":3,"cols":3,"durationMs":1,"spawnIntervalMs":1,"visibleMs":1,"molesAtOnce":1,"hitPoints":1}`, "name"},
		{http.MethodPost, "/api/v1/admin/modes", `{"name":"nocols","rows":3,"durationMs":1,"spawnIntervalMs":1,"visibleMs":1,"molesAtOnce":1,"hitPoints":1}`, "cols"},
		{http.MethodPost, "/api/v1/admin/modes", `{"name":"big","rows":11,"cols":3,"durationMs":1000,"spawnIntervalMs":1,"visibleMs":1,"molesAtOnce":1,"hitPoints":1}`, "rows"},
		{http.MethodPatch, "/api/v1/admin/modes/frenzy", `{"bombChance":0.95}`, "bombChance"},
		{http.MethodPatch, "/api/v1/admin/modes/frenzy", `{"molesAtOnce":17}`, "molesAtOnce"},
		{http.MethodPatch, "/api/v1/admin/modes/frenzy", `{"level":"insane"}`, "level"},
		{http.MethodPatch, "/api/v1/admin/modes/frenzy", `{"durationMs":-1}`, "durationMs"},
		{http.MethodPatch, "/api/v1/admin/modes/frenzy", `{}`, "body"},
	}
	for _, b := range bad {
		w := h.do(t, request{Method: b.method, Path: b.path, Token: admin.AccessToken, Body: b.body})
		requireError(t, w, http.StatusUnprocessableEntity, CodeValidationFailed)
		require.Contains(t, w.Body.String(), `"field":"`+b.field+`"`, b.body)
	}
	requireError(t, h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/modes/frenzy", Token: admin.AccessToken,
		Body: `{"rows":3,"nope":1}`}), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/modes/nosuch", Token: admin.AccessToken,
		Body: `{"rows":3}`}), http.StatusNotFound, CodeNotFound)
}

// TestLeaderboards_PerMode: each ranked mode has its own boards, selected
// by ?mode= (classic by default); a practice mode has none and an unknown
// mode is told apart.
func TestLeaderboards_PerMode(t *testing.T) {
	t.Parallel()
	h, store := newModesHarness(t)
	_, err := store.CreateMode(t.Context(), persistence.SystemActor("test"), persistence.Mode{Name: "drill", Level: "easy", Rows: 3, Cols: 3,
		Duration: time.Second, SpawnInterval: time.Second, Visible: time.Second, MaxMolesUp: 1, HitPoints: 1,
		MaxPlayers: 1, Active: true})
	require.NoError(t, err)
	ann := signIn(t, h, "device-mode-ann-0000")
	bob := signIn(t, h, "device-mode-bob-0000")
	commitStandingIn(t, store, "classic", ann.Player, 30, testNow.Add(-time.Minute))
	commitStandingIn(t, store, "frenzy", bob.Player, 70, testNow.Add(-time.Minute))

	for _, tt := range []struct{ query, mode, player string }{
		{"", "classic", ann.Player.ID}, {"&mode=classic", "classic", ann.Player.ID}, {"&mode=frenzy", "frenzy", bob.Player.ID},
	} {
		w := h.get(t, "/api/v1/leaderboards/daily?limit=10"+tt.query, "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		page := decode[topResponse](t, w)
		require.Equal(t, tt.mode, page.Mode)
		require.Len(t, page.Entries, 1, tt.query)
		require.Equal(t, tt.player, page.Entries[0].PlayerID, tt.query)
	}
	bobToken := tokenFor(t, bob.Player.ID)
	w := h.get(t, "/api/v1/leaderboards/global/me?mode=frenzy", bobToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"rank":1,"score":70,"total":1}`, w.Body.String())
	requireError(t, h.get(t, "/api/v1/leaderboards/global/me", bobToken), http.StatusNotFound, CodeNotRanked)
	w = h.get(t, "/api/v1/leaderboards/global/around-me?mode=frenzy", bobToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "frenzy", decode[aroundResponse](t, w).Mode)

	requireError(t, h.get(t, "/api/v1/leaderboards/daily?mode=drill", ""), http.StatusNotFound, CodeBoardNotFound)
	requireError(t, h.get(t, "/api/v1/leaderboards/daily?mode=nosuch", ""), http.StatusNotFound, CodeUnknownMode)
	requireError(t, h.get(t, "/api/v1/leaderboards/daily?mode=No%20Such", ""), http.StatusNotFound, CodeUnknownMode)
}
