package rest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/badges/criteria"
	"github.com/proofstell/proofstell/persistence"
)

func TestBadges_PublicCatalogue(t *testing.T) {
	t.Parallel()
	h := newBadgeHarness(t)
	w := h.get(t, "/api/v1/badges", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	list := decode[badgesResponse](t, w).Badges
	require.GreaterOrEqual(t, len(list), 7)
	first := h.badgeBySlug(t, "first-game")
	require.Equal(t, "common", first.Rarity)
	require.JSONEq(t, `{"kind":"first_game"}`, string(first.Criteria))

	w = h.get(t, "/api/v1/badges/"+first.ID, "")
	require.Equal(t, http.StatusOK, w.Code)
	require.Equal(t, first, decode[badgeJSON](t, w))
	requireError(t, h.get(t, "/api/v1/badges/00000000-0000-0000-0000-000000000000", ""), http.StatusNotFound, CodeNotFound)
	requireError(t, h.get(t, "/api/v1/badges/nope", ""), http.StatusNotFound, CodeNotFound)
}

func TestBadges_MyBadgesProgress(t *testing.T) {
	t.Parallel()
	h := newBadgeHarness(t)
	me := h.player.ID
	playGame(t, h.store, testNow.AddDate(0, 0, -1), persistence.KindSolo, map[string]int64{me: 12})
	first := h.badgeBySlug(t, "first-game")
	w := h.send(t, http.MethodPost, "/api/v1/admin/badges/"+first.ID+"/award", h.admin.AccessToken,
		fmt.Sprintf(`{"playerId":%q}`, me))
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())

	requireError(t, h.get(t, "/api/v1/players/me/badges", ""), http.StatusUnauthorized, CodeUnauthorized)
	w = h.get(t, "/api/v1/players/me/badges", h.player.AccessToken)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[playerBadgesResponse](t, w)
	require.Len(t, got.Earned, 1)
	require.Equal(t, first.ID, got.Earned[0].ID)
	require.Equal(t, "admin", got.Earned[0].Source)
	progress := map[string]criteria.Progress{}
	for _, p := range got.Progress {
		require.NotEqual(t, first.ID, p.ID, "earned badges carry no progress")
		progress[p.Slug] = p.Progress
	}
	require.Equal(t, criteria.Progress{Current: 12, Target: 30}, progress["classic-30"])
	require.Equal(t, criteria.Progress{Current: 1, Target: 100}, progress["games-100"])
	require.Equal(t, criteria.Progress{Current: 0, Target: 1}, progress["perfect-game"])

	w = h.get(t, "/api/v1/players/"+me+"/badges", "")
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	public := decode[map[string]any](t, w)
	require.Len(t, public["earned"], 1)
	require.NotContains(t, public, "progress", "others' progress is not shown")
}

func TestBadges_AdminLifecycle(t *testing.T) {
	t.Parallel()
	h := newBadgeHarness(t)
	tok := h.admin.AccessToken
	body := `{"slug":"combo-5","name":"Combo","rarity":"epic","points":7,"category":"skill",
		"criteria":{"n":5,"kind":"longest_combo"}}`
	w := h.send(t, http.MethodPost, "/api/v1/admin/badges", tok, body)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	b := decode[badgeJSON](t, w)
	require.True(t, b.Active, "active by default")
	require.JSONEq(t, `{"kind":"longest_combo","n":5}`, string(b.Criteria))
	requireError(t, h.send(t, http.MethodPost, "/api/v1/admin/badges", tok, body), http.StatusConflict, CodeConflict)

	w = h.send(t, http.MethodPost, "/api/v1/admin/badges", tok, `{"slug":"bare","name":"Bare","criteria":{"kind":"first_game"}}`)
	require.Equal(t, http.StatusCreated, w.Code, w.Body.String())
	bare := decode[badgeJSON](t, w)
	require.Equal(t, "common", bare.Rarity, "defaults like the catalogue")
	require.Equal(t, "general", bare.Category)
	require.False(t, bare.Mintable)

	w = h.send(t, http.MethodPatch, "/api/v1/admin/badges/"+b.ID, tok, `{"active":false,"name":"Combo!"}`)
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.False(t, decode[badgeJSON](t, w).Active)
	for _, x := range decode[badgesResponse](t, h.get(t, "/api/v1/badges", "")).Badges {
		require.NotEqual(t, b.ID, x.ID, "retired badges leave the public list")
	}

	award := fmt.Sprintf(`{"playerId":%q}`, h.player.ID)
	path := "/api/v1/admin/badges/" + b.ID + "/award"
	require.Equal(t, http.StatusCreated, h.send(t, http.MethodPost, path, tok, award).Code)
	w = h.send(t, http.MethodPost, path, tok, award)
	require.Equal(t, http.StatusOK, w.Code)
	require.False(t, decode[badgeAwardResponse](t, w).Awarded, "idempotent")
	requireError(t, h.send(t, http.MethodPost, path, tok, `{"playerId":"00000000-0000-0000-0000-000000000000"}`),
		http.StatusNotFound, CodeNotFound)

	revoke := path + "/" + h.player.ID
	require.Equal(t, http.StatusNoContent, h.send(t, http.MethodDelete, revoke, tok, "").Code)
	requireError(t, h.send(t, http.MethodDelete, revoke, tok, ""), http.StatusNotFound, CodeNotFound)

	require.Equal(t, http.StatusNoContent, h.send(t, http.MethodDelete, "/api/v1/admin/badges/"+b.ID, tok, "").Code)
	requireError(t, h.get(t, "/api/v1/badges/"+b.ID, ""), http.StatusNotFound, CodeNotFound)
}

func TestBadges_AdminRequiresAdmin(t *testing.T) {
	t.Parallel()
	h := newBadgeHarness(t)
	first := h.badgeBySlug(t, "first-game")
	award := fmt.Sprintf(`{"playerId":%q}`, h.player.ID)
	calls := []struct{ method, path, body string }{
		{http.MethodPost, "/api/v1/admin/badges", `{"slug":"x","name":"x","criteria":{"kind":"first_game"}}`},
		{http.MethodPatch, "/api/v1/admin/badges/" + first.ID, `{"name":"x"}`},
		{http.MethodDelete, "/api/v1/admin/badges/" + first.ID, ""},
		{http.MethodPost, "/api/v1/admin/badges/" + first.ID + "/award", award},
		{http.MethodDelete, "/api/v1/admin/badges/" + first.ID + "/award/" + h.player.ID, ""},
	}
	for _, c := range calls {
		requireError(t, h.send(t, c.method, c.path, "", c.body), http.StatusUnauthorized, CodeUnauthorized)
		requireError(t, h.send(t, c.method, c.path, h.player.AccessToken, c.body), http.StatusForbidden, CodeForbidden)
	}
	require.Equal(t, first, h.badgeBySlug(t, "first-game"), "nothing changed")
}

func TestBadges_AdminRejectsBadBodies(t *testing.T) {
	t.Parallel()
	h := newBadgeHarness(t)
	first := h.badgeBySlug(t, "first-game")
	tests := []struct {
		name, method, path, body string
		status                   int
		code                     string
	}{
		{"unknown field", "POST", "/api/v1/admin/badges", `{"slug":"a","name":"a","criteria":{"kind":"first_game"},"x":1}`, 400, CodeBadRequest},
		{"bad slug", "POST", "/api/v1/admin/badges", `{"slug":"A b","name":"a","criteria":{"kind":"first_game"}}`, 422, CodeValidationFailed},
		{"no criteria", "POST", "/api/v1/admin/badges", `{"slug":"a","name":"a","category":"c"}`, 422, CodeValidationFailed},
		{"unknown kind", "POST", "/api/v1/admin/badges", `{"slug":"a","name":"a","category":"c","criteria":{"kind":"x"}}`, 422, CodeValidationFailed},
		{"bad rarity", "PATCH", "/api/v1/admin/badges/" + first.ID, `{"rarity":"mythic"}`, 422, CodeValidationFailed},
		{"negative points", "PATCH", "/api/v1/admin/badges/" + first.ID, `{"points":-1}`, 422, CodeValidationFailed},
		{"empty patch", "PATCH", "/api/v1/admin/badges/" + first.ID, `{}`, 422, CodeValidationFailed},
		{"slug not editable", "PATCH", "/api/v1/admin/badges/" + first.ID, `{"slug":"z"}`, 400, CodeBadRequest},
		{"null criteria", "PATCH", "/api/v1/admin/badges/" + first.ID, `{"criteria":null}`, 422, CodeValidationFailed},
		{"bad player id", "POST", "/api/v1/admin/badges/" + first.ID + "/award", `{"playerId":"me"}`, 422, CodeValidationFailed},
		{"two values", "POST", "/api/v1/admin/badges/" + first.ID + "/award", `{}{}`, 400, CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			requireError(t, h.send(t, tt.method, tt.path, h.admin.AccessToken, tt.body), tt.status, tt.code)
		})
	}
	w := h.do(t, request{Method: "POST", Path: "/api/v1/admin/badges", Token: h.admin.AccessToken,
		Body: `{"slug":"a"}`, ContentType: "text/plain"})
	requireError(t, w, http.StatusUnsupportedMediaType, CodeUnsupportedMediaType)
	require.Equal(t, first, h.badgeBySlug(t, "first-game"), "nothing changed")
}
