package rest

import (
	"crypto/rand"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// newChallengesHarness is the full router over a fresh database with the
// real mode catalogue, challenge store and leaderboard grains; drawn ids
// are "c-drawn".
func newChallengesHarness(t *testing.T) (*harness, *postgres.Store) {
	t.Helper()
	store := openStore(t)
	client := newLeaderboardClient(t, store)
	tokens := auth.NewTokens(testAuth(), store, store, func() time.Time { return testNow }, rand.Reader)
	h := newHarness(t, tokens, store, store, func(d *Deps) {
		d.Leaderboards, d.Modes = client, store
		d.Challenges = ChallengeDeps{Store: store, NewID: func() string { return "c-drawn" }}
	})
	return h, store
}

// challengeBody is a valid creation body starting at start.
func challengeBody(id string, start time.Time, extra string) string {
	idField := ""
	if id != "" {
		idField = fmt.Sprintf(`"id":%q,`, id)
	}
	return fmt.Sprintf(`{%s"title":"Big board","mode":"classic","overrides":{"rows":5,"hitPoints":2},"startsAt":%q,"endsAt":%q,"maxAttempts":3%s}`,
		idField, start.Format(time.RFC3339), start.Add(2*time.Hour).Format(time.RFC3339), extra)
}

// call runs one request with an optional token and JSON body.
func (h *harness) call(t *testing.T, method, path, token, body string) *httptest.ResponseRecorder {
	t.Helper()
	return h.do(t, request{Method: method, Path: path, Token: token, Body: body})
}

// TestChallenges_AdminCreate: admins create challenges with the rules of
// the mode plus overrides; every broken rule is a 422 naming its field.
func TestChallenges_AdminCreate(t *testing.T) {
	t.Parallel()
	h, store := newChallengesHarness(t)
	admin := newSignedIn(t, store, persistence.RoleAdmin)
	player := newSignedIn(t, store, persistence.RolePlayer)
	badge, err := store.CreateBadge(t.Context(), persistence.SystemActor("test"), persistence.Badge{Slug: "weekend-winner", Name: "Winner", Description: "d",
		Icon: "i.svg", Rarity: persistence.RarityRare, Points: 5, Category: "test", Active: true,
		Criteria: []byte(`{"kind":"games_played","n":1}`)})
	require.NoError(t, err)
	start := testNow.Add(time.Hour)
	post := func(token, body string) *httptest.ResponseRecorder {
		return h.call(t, http.MethodPost, "/api/v1/admin/challenges", token, body)
	}

	requireError(t, post(player.AccessToken, challengeBody("", start, "")), http.StatusForbidden, CodeForbidden)
	w := post(admin.AccessToken, challengeBody("weekend", start, fmt.Sprintf(`,"rewardBadge":%q,"rewardTop":10`, badge.ID)))
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	c := decode[challengeJSON](t, w)
	require.Equal(t, "weekend", c.ID)
	require.Equal(t, "upcoming", c.Status)
	require.Equal(t, "scheduled", c.Kind)
	require.Equal(t, 5, c.Rules.Rows)
	require.Equal(t, 3, c.Rules.Cols)
	require.Equal(t, 2, c.Rules.HitPoints)
	require.Equal(t, map[string]any{"rows": float64(5), "hitPoints": float64(2)}, c.Overrides)
	require.Equal(t, badge.ID, *c.RewardBadge)
	require.Equal(t, 10, c.RewardTop)

	w = post(admin.AccessToken, challengeBody("", start, ""))
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	require.Equal(t, "c-drawn", decode[challengeJSON](t, w).ID)
	requireError(t, post(admin.AccessToken, challengeBody("weekend", start, "")), http.StatusConflict, CodeConflict)

	bad := []struct {
		name, body, field string
	}{
		{"no title", `{"mode":"classic","startsAt":"2026-11-25T00:00:00Z","endsAt":"2026-11-26T00:00:00Z","maxAttempts":1}`, "title"},
		{"bad id", challengeBody("Bad_Id", start, ""), "id"},
		{"daily id", challengeBody("daily-2026-11-25", start, ""), "id"},
		{"too many attempts", strings.Replace(challengeBody("x1", start, ""), `"maxAttempts":3`, `"maxAttempts":101`, 1), "maxAttempts"},
		{"reward top", challengeBody("x2", start, `,"rewardTop":0`), "rewardTop"},
		{"malformed badge", challengeBody("x3", start, `,"rewardBadge":"gold"`), "rewardBadge"},
		{"unknown badge", challengeBody("x4", start, fmt.Sprintf(`,"rewardBadge":%q`, uuid.NewString())), "rewardBadge"},
		{"started long ago", challengeBody("x5", testNow.Add(-2*time.Minute), ""), "startsAt"},
		{"too long", strings.Replace(challengeBody("x6", start, ""), start.Add(2*time.Hour).Format(time.RFC3339),
			start.Add(32*24*time.Hour).Format(time.RFC3339), 1), "endsAt"},
		{"ends before it starts", strings.Replace(challengeBody("x7", start, ""), start.Add(2*time.Hour).Format(time.RFC3339),
			start.Format(time.RFC3339), 1), "endsAt"},
		{"rule broken", strings.Replace(challengeBody("x8", start, ""), `"rows":5`, `"rows":11`, 1), "overrides.rows"},
		{"override names the mode", strings.Replace(challengeBody("x9", start, ""), `"rows":5`, `"ranked":false`, 1), "overrides.ranked"},
	}
	for _, tc := range bad {
		w := post(admin.AccessToken, tc.body)
		requireError(t, w, http.StatusUnprocessableEntity, CodeValidationFailed)
		require.Equal(t, tc.field, decode[errorBody](t, w).Error.Details["field"], tc.name)
	}
	requireError(t, post(admin.AccessToken, strings.Replace(challengeBody("x11", start, ""), `"title"`, `"titel"`, 1)),
		http.StatusBadRequest, CodeBadRequest)
	requireError(t, post(admin.AccessToken, strings.Replace(challengeBody("x12", start, ""), `"rows":5`, `"rowz":5`, 1)),
		http.StatusBadRequest, CodeBadRequest)
	requireError(t, post(admin.AccessToken, strings.Replace(challengeBody("x13", start, ""), `"classic"`, `"nope"`, 1)),
		http.StatusNotFound, CodeUnknownMode)
	practice := false
	_, err = store.UpdateMode(t.Context(), persistence.SystemActor("test"), "classic-easy", persistence.ModeUpdate{Ranked: &practice})
	require.NoError(t, err)
	w = post(admin.AccessToken, strings.Replace(challengeBody("x14", start, ""), `"classic"`, `"classic-easy"`, 1))
	requireError(t, w, http.StatusUnprocessableEntity, CodeValidationFailed)
	require.Equal(t, "mode", decode[errorBody](t, w).Error.Details["field"])

	w = h.call(t, http.MethodGet, "/api/v1/challenges/weekend", "", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, c, decode[challengeJSON](t, w))
	requireError(t, h.get(t, "/api/v1/challenges/missing", ""), http.StatusNotFound, CodeNotFound)
	requireError(t, h.get(t, "/api/v1/challenges/NOT%20AN%20ID", ""), http.StatusNotFound, CodeNotFound)
}

// TestChallenges_AdminEditAndCancel: an upcoming challenge changes freely;
// a running one only its title, description and reward (409 otherwise);
// a cancel is idempotent and final.
func TestChallenges_AdminEditAndCancel(t *testing.T) {
	t.Parallel()
	h, store := newChallengesHarness(t)
	admin := newSignedIn(t, store, persistence.RoleAdmin)
	for _, body := range []string{challengeBody("soon", testNow.Add(time.Hour), ""), challengeBody("now", testNow.Add(-30*time.Second), "")} {
		w := h.call(t, http.MethodPost, "/api/v1/admin/challenges", admin.AccessToken, body)
		require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	}
	patch := func(id, body string) *httptest.ResponseRecorder {
		return h.call(t, http.MethodPatch, "/api/v1/admin/challenges/"+id, admin.AccessToken, body)
	}
	w := patch("soon", `{"overrides":{"cols":6},"maxAttempts":5,"mode":"frenzy"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	c := decode[challengeJSON](t, w)
	require.Equal(t, "frenzy", c.Rules.Name)
	require.Equal(t, 6, c.Rules.Cols)
	require.Equal(t, 4, c.Rules.Rows, "frenzy's rows: the old overrides were replaced")
	require.Equal(t, 5, c.MaxAttempts)

	w = patch("now", `{"title":"Renamed"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, "active", decode[challengeJSON](t, w).Status)
	requireError(t, patch("now", `{"overrides":{"cols":6}}`), http.StatusConflict, CodeConflict)
	requireError(t, patch("now", `{"maxAttempts":9}`), http.StatusConflict, CodeConflict)
	requireError(t, patch("missing", `{"title":"x"}`), http.StatusNotFound, CodeNotFound)
	requireError(t, patch("now", `{"id":"other"}`), http.StatusUnprocessableEntity, CodeValidationFailed)
	requireError(t, patch("now", `{}`), http.StatusUnprocessableEntity, CodeValidationFailed)
	requireError(t, patch("now", `{"colour":"red"}`), http.StatusBadRequest, CodeBadRequest)
	w = patch("soon", `{"startsAt":"2026-11-20T00:00:00Z"}`)
	requireError(t, w, http.StatusUnprocessableEntity, CodeValidationFailed)
	require.Equal(t, "startsAt", decode[errorBody](t, w).Error.Details["field"])

	cancel := func(id string) *httptest.ResponseRecorder {
		return h.call(t, http.MethodPost, "/api/v1/admin/challenges/"+id+"/cancel", admin.AccessToken, "")
	}
	w = cancel("now")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	cancelled := decode[challengeJSON](t, w)
	require.Equal(t, "cancelled", cancelled.Status)
	require.NotNil(t, cancelled.CancelledAt)
	w = cancel("now")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	requireError(t, cancel("missing"), http.StatusNotFound, CodeNotFound)
	requireError(t, patch("now", `{"title":"Late"}`), http.StatusConflict, CodeConflict)
	player := newSignedIn(t, store, persistence.RolePlayer)
	requireError(t, h.do(t, request{Method: http.MethodPost, Path: "/api/v1/admin/challenges/soon/cancel", Token: player.AccessToken}),
		http.StatusForbidden, CodeForbidden)
}

// TestChallenges_List: the public listing pages each status in its order.
func TestChallenges_List(t *testing.T) {
	t.Parallel()
	h, store := newChallengesHarness(t)
	for _, c := range []persistence.Challenge{
		{ID: "run-a", StartsAt: testNow.Add(-time.Hour), EndsAt: testNow.Add(time.Hour)},
		{ID: "run-b", StartsAt: testNow.Add(-time.Hour), EndsAt: testNow.Add(2 * time.Hour)},
		{ID: "next", StartsAt: testNow.Add(time.Hour), EndsAt: testNow.Add(2 * time.Hour)},
		{ID: "done", StartsAt: testNow.Add(-3 * time.Hour), EndsAt: testNow.Add(-2 * time.Hour)},
	} {
		c.Title, c.Mode, c.MaxAttempts, c.RewardTop = "T "+c.ID, "classic", 1, 1
		_, err := store.CreateChallenge(t.Context(), persistence.SystemActor("test"), c)
		require.NoError(t, err)
	}
	ids := func(path string) ([]string, string) {
		w := h.get(t, path, "")
		require.Equal(t, http.StatusOK, w.Code, w.Body.String())
		body := decode[challengesResponse](t, w)
		out := []string{}
		for _, c := range body.Challenges {
			out = append(out, c.ID)
		}
		return out, body.NextCursor
	}
	got, next := ids("/api/v1/challenges?limit=1")
	require.Equal(t, []string{"run-a"}, got)
	got, next = ids("/api/v1/challenges?limit=1&cursor=" + next)
	require.Equal(t, []string{"run-b"}, got)
	require.Empty(t, next)
	got, _ = ids("/api/v1/challenges?status=upcoming")
	require.Equal(t, []string{"next"}, got)
	got, _ = ids("/api/v1/challenges?status=past")
	require.Equal(t, []string{"done"}, got)
	requireError(t, h.get(t, "/api/v1/challenges?status=soon", ""), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/challenges?cursor=zzzz", ""), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/challenges?limit=0", ""), http.StatusBadRequest, CodeBadRequest)
}

// TestChallenges_MeAndBoard: after a challenge game commits, its board is
// readable over REST and /challenges/{id}/me counts the attempt, its best
// score and rank; the mode's own boards stay empty.
func TestChallenges_MeAndBoard(t *testing.T) {
	t.Parallel()
	h, store := newChallengesHarness(t)
	_, err := store.CreateChallenge(t.Context(), persistence.SystemActor("test"), persistence.Challenge{ID: "sprint", Title: "Sprint", Mode: "classic",
		StartsAt: testNow.Add(-time.Hour), EndsAt: testNow.Add(time.Hour), MaxAttempts: 3, RewardTop: 1})
	require.NoError(t, err)
	me := newSignedIn(t, store, persistence.RolePlayer)
	w := h.get(t, "/api/v1/challenges/sprint/me", me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, challengeMeResponse{AttemptsUsed: 0, AttemptsLeft: 3}, decode[challengeMeResponse](t, w))
	requireError(t, h.get(t, "/api/v1/challenges/sprint/me", ""), http.StatusUnauthorized, CodeUnauthorized)

	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindSolo, MaxPlayers: 1,
		CreatorID: me.ID, PlayerIDs: []string{me.ID}, State: persistence.StateRunning, Seed: 1, CreatedAt: testNow,
		ChallengeID: "sprint"}
	require.NoError(t, store.CreateSession(t.Context(), ss))
	end := testNow.Add(30 * time.Second)
	key := standings.ChallengeKey("classic", "sprint")
	out, err := store.CommitResults(t.Context(), []persistence.GameResult{{SessionID: ss.ID, Epoch: 1,
		State: persistence.StateFinished, StartedAt: testNow, EndedAt: end, ChallengeID: "sprint",
		Players: []persistence.PlayerResult{{PlayerID: me.ID, Username: "u", Score: 17, Hits: 17, ReachedAt: end}},
		Standings: []persistence.StandingRecord{{Mode: key.Mode, Board: string(key.Board), Period: key.Period,
			PlayerID: me.ID, Username: "u", Score: 17, AchievedAt: end}}}})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)

	w = h.get(t, "/api/v1/leaderboards/challenge?period=sprint&mode=classic", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[topResponse](t, w)
	require.Len(t, page.Entries, 1)
	require.Equal(t, me.ID, page.Entries[0].PlayerID)
	require.EqualValues(t, 17, page.Entries[0].Score)
	w = h.get(t, "/api/v1/leaderboards/global?mode=classic", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Empty(t, decode[topResponse](t, w).Entries, "the mode's boards never see a challenge game")

	w = h.get(t, "/api/v1/challenges/sprint/me", me.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	best, rank := int64(17), 1
	require.Equal(t, challengeMeResponse{AttemptsUsed: 1, AttemptsLeft: 2, Best: &best, Rank: &rank}, decode[challengeMeResponse](t, w))
	requireError(t, h.get(t, "/api/v1/challenges/nope/me", me.AccessToken), http.StatusNotFound, CodeNotFound)
}

// FuzzDecodeChallenge: the admin challenge decoders refuse anything but a
// valid body with a client error, and never panic.
func FuzzDecodeChallenge(f *testing.F) {
	for _, s := range []string{
		challengeBody("weekend", testNow, ""), `{"title":"x","overrides":{"rows":-1}}`, `{"overrides":{"durationMs":1e30}}`,
		`{"id":"daily-2026-01-01"}`, `{"startsAt":"yesterday"}`, `{"overrides":null}`, `{"rewardBadge":""}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		if _, err := decodeChallengeCreate(strings.NewReader(string(body))); err != nil {
			requireClientError(t, err)
		}
		if _, err := decodeChallengePatch(strings.NewReader(string(body))); err != nil {
			requireClientError(t, err)
		}
	})
}
