package rest

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/criteria"
)

// TestBadges_AdminChallengeCriteria: admins create and edit badges with the
// challenge criteria (canonical JSON back), bad ones are refused, and a
// player sees progress toward the seeded challenge badges.
func TestBadges_AdminChallengeCriteria(t *testing.T) {
	t.Parallel()
	h := newBadgeHarness(t)
	tok := h.admin.AccessToken
	tests := []struct {
		name, body, criteria string
		status               int
	}{
		{"completed", `{"slug":"regular","name":"Regular","criteria":{"n":10,"kind":"challenges_completed"}}`,
			`{"kind":"challenges_completed","n":10}`, http.StatusCreated},
		{"won", `{"slug":"serial-winner","name":"Serial Winner","mintable":true,"criteria":{"kind":"challenges_won","n":5}}`,
			`{"kind":"challenges_won","n":5}`, http.StatusCreated},
		{"reward only", `{"slug":"cup-2026","name":"Cup 2026","mintable":true,"criteria":{"kind":"challenge_reward"}}`,
			`{"kind":"challenge_reward"}`, http.StatusCreated},
		{"won without n", `{"slug":"a","name":"a","criteria":{"kind":"challenges_won"}}`, "", http.StatusUnprocessableEntity},
		{"completed n zero", `{"slug":"b","name":"b","criteria":{"kind":"challenges_completed","n":0}}`, "", http.StatusUnprocessableEntity},
		{"reward with n", `{"slug":"c","name":"c","criteria":{"kind":"challenge_reward","n":1}}`, "", http.StatusUnprocessableEntity},
	}
	for _, tt := range tests {
		w := h.send(t, http.MethodPost, "/api/v1/admin/badges", tok, tt.body)
		if tt.status != http.StatusCreated {
			requireError(t, w, tt.status, CodeValidationFailed)
			continue
		}
		require.Equal(t, tt.status, w.Code, "%s: %s", tt.name, w.Body.String())
		require.JSONEq(t, tt.criteria, string(decode[badgeJSON](t, w).Criteria), tt.name)
	}

	first := h.badgeBySlug(t, "first-game")
	w := h.send(t, http.MethodPatch, "/api/v1/admin/badges/"+first.ID, tok, `{"criteria":{"kind":"challenges_won","n":2}}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.JSONEq(t, `{"kind":"challenges_won","n":2}`, string(decode[badgeJSON](t, w).Criteria))

	w = h.get(t, "/api/v1/players/me/badges", h.player.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	progress := map[string]criteria.Progress{}
	for _, p := range decode[playerBadgesResponse](t, w).Progress {
		progress[p.Slug] = p.Progress
	}
	require.Equal(t, criteria.Progress{Current: 0, Target: 1}, progress["challenger"])
	require.Equal(t, criteria.Progress{Current: 0, Target: 1}, progress["champion"])
	require.Equal(t, criteria.Progress{Current: 0, Target: 1}, progress["daily-champion"])
	require.Equal(t, criteria.Progress{Current: 0, Target: 10}, progress["regular"])
}
