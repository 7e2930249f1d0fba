package rest

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
)

// commitFlaggedMatch stores a match in which cheat was flagged and honest
// was not, through the real store, and returns the session id.
func commitFlaggedMatch(t *testing.T, store *postgres.Store, honest, cheat string) string {
	t.Helper()
	created := testNow.Add(-time.Minute)
	ss := persistence.Session{ID: uuid.NewString(), Mode: "classic", Kind: persistence.KindMatch, MaxPlayers: 2,
		State: persistence.StateRunning, Seed: 7, CreatedAt: created, CreatorID: honest, PlayerIDs: []string{honest, cheat}}
	require.NoError(t, store.CreateSession(t.Context(), ss))
	end := created.Add(30 * time.Second)
	evidence := &persistence.FlagEvidence{Reasons: map[string]int{"too_fast": 4}, Flags: 4, Hits: 6, MedianReactionMs: 90,
		Reactions: []persistence.ReactionBucket{{FromMs: 0, ToMs: 100, Count: 6}, {FromMs: 100, Count: 0}}}
	r := persistence.GameResult{SessionID: ss.ID, Epoch: 1, State: persistence.StateFinished, StartedAt: created,
		EndedAt: end, Flagged: true, Ranked: true, Players: []persistence.PlayerResult{
			{PlayerID: honest, Score: 5, Hits: 5, ReachedAt: end},
			{PlayerID: cheat, Score: 6, Hits: 6, Misses: 4, Flags: 4, Flagged: true, Evidence: evidence, ReachedAt: end},
		}}
	out, err := store.CommitResults(t.Context(), []persistence.GameResult{r})
	require.NoError(t, err)
	require.Equal(t, []persistence.CommitOutcome{persistence.Committed}, out)
	return ss.ID
}

// TestAPI_Flags: moderators and admins review flags; players may not; a
// decision needs a reason and happens once.
func TestAPI_Flags(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, func(d *Deps) {
		store, ok := d.Security.Admin.(persistence.FlagStore)
		require.True(t, ok)
		d.Flags = FlagDeps{Store: store}
		d.Config.RateAnonymous, d.Config.RateUser, d.Config.RateAuth = 1_000, 1_000, 1_000
	})
	player := signIn(t, h.harness, "flags-player-0001")
	mod := h.withRole(t, "flags-moderator-1", persistence.RoleModerator)
	admin := h.withRole(t, "flags-admin-00001", persistence.RoleAdmin)
	cheat := signIn(t, h.harness, "flags-cheater-001")
	sessionID := commitFlaggedMatch(t, h.store, player.Player.ID, cheat.Player.ID)

	requireError(t, h.get(t, "/api/v1/admin/flags", player.AccessToken), http.StatusForbidden, CodeForbidden)
	requireError(t, h.get(t, "/api/v1/admin/flags", ""), http.StatusUnauthorized, CodeUnauthorized)
	requireError(t, h.get(t, "/api/v1/admin/flags?status=maybe", mod.AccessToken), http.StatusBadRequest, CodeBadRequest)
	requireError(t, h.get(t, "/api/v1/admin/flags?cursor=bm9wZQ", mod.AccessToken), http.StatusBadRequest, CodeBadRequest)

	w := h.get(t, "/api/v1/admin/flags?status=open", mod.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	page := decode[flagsResponse](t, w)
	require.Len(t, page.Flags, 1)
	f := page.Flags[0]
	require.Equal(t, sessionID, f.SessionID)
	require.Equal(t, cheat.Player.ID, f.PlayerID)
	require.Equal(t, "open", f.Status)
	require.Nil(t, f.Decision)
	require.Equal(t, "/api/v1/sessions/"+sessionID+"/replay", f.ReplayURL)
	require.Equal(t, map[string]int{"too_fast": 4}, f.Evidence.Reasons)
	require.Len(t, f.Evidence.Reactions, 2)
	require.Nil(t, f.Evidence.Reactions[1].ToMs, "the last bucket is open")
	require.Empty(t, page.NextCursor)

	decide := func(token, id, verb, body string) *request {
		return &request{Method: http.MethodPost, Path: "/api/v1/admin/flags/" + id + "/" + verb, Token: token, Body: body}
	}
	for _, tc := range []struct {
		name   string
		req    *request
		status int
		code   string
	}{
		{"player", decide(player.AccessToken, f.ID, "clear", `{"reason":"x"}`), http.StatusForbidden, CodeForbidden},
		{"no reason", decide(mod.AccessToken, f.ID, "clear", `{"reason":"  "}`), http.StatusUnprocessableEntity, CodeValidationFailed},
		{"unknown field", decide(mod.AccessToken, f.ID, "confirm", `{"reason":"x","why":1}`), http.StatusBadRequest, CodeBadRequest},
		{"unknown flag", decide(mod.AccessToken, uuid.NewString(), "clear", `{"reason":"x"}`), http.StatusNotFound, CodeNotFound},
	} {
		requireError(t, h.do(t, *tc.req), tc.status, tc.code)
	}

	w = h.do(t, *decide(mod.AccessToken, f.ID, "clear", `{"reason":"replay shows a lag burst"}`))
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	cleared := decode[flagJSON](t, w)
	require.Equal(t, "cleared", cleared.Status)
	require.NotNil(t, cleared.Decision)
	require.Equal(t, mod.Player.ID, cleared.Decision.By)
	require.Equal(t, "replay shows a lag burst", cleared.Decision.Reason)

	requireError(t, h.do(t, *decide(admin.AccessToken, f.ID, "clear", `{"reason":"again"}`)), http.StatusConflict, CodeConflict)
	requireError(t, h.do(t, *decide(admin.AccessToken, f.ID, "confirm", `{"reason":"late"}`)), http.StatusConflict, CodeConflict)

	w = h.get(t, "/api/v1/admin/flags?status=cleared", admin.AccessToken)
	require.Equal(t, http.StatusOK, w.Code)
	require.Len(t, decode[flagsResponse](t, w).Flags, 1)
	w = h.get(t, "/api/v1/admin/flags", admin.AccessToken)
	require.Empty(t, decode[flagsResponse](t, w).Flags, "open is the default and nothing is open")
}

// TestDecodeFlagDecision: a reason is required, bounded and printable.
func TestDecodeFlagDecision(t *testing.T) {
	t.Parallel()
	long := make([]byte, 501)
	for i := range long {
		long[i] = 'a'
	}
	for _, tc := range []struct {
		body string
		want string
		ok   bool
	}{
		{`{"reason":" fine "}`, "fine", true},
		{`{"reason":""}`, "", false},
		{`{}`, "", false},
		{`{"reason":"` + string(long) + `"}`, "", false},
		{`{"reason":"tab\there"}`, "", false},
		{`{"reason":"x"} {}`, "", false},
	} {
		got, err := decodeFlagDecision(strings.NewReader(tc.body))
		if !tc.ok {
			require.Error(t, err, tc.body)
			continue
		}
		require.NoError(t, err)
		require.Equal(t, tc.want, got)
	}
}
