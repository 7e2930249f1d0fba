package rest

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/persistence"
)

func TestSecurity_LogoutRevokesThisSessionAtOnce(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	me := signIn(t, h.harness, "device-logout-1")
	other := signIn(t, h.harness, "device-logout-1") // a second sign-in of the same player
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", me.AccessToken).Code)

	w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/logout", Token: me.AccessToken})
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())

	requireError(t, h.get(t, "/api/v1/players/me", me.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
	require.Equal(t, http.StatusUnauthorized, h.refreshWith(t, me.RefreshToken), "refresh family revoked")
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", other.AccessToken).Code, "other session untouched")
	require.Equal(t, http.StatusOK, h.refreshWith(t, other.RefreshToken))
}

func TestSecurity_LogoutAllRevokesEverySession(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	a := signIn(t, h.harness, "device-logout-all")
	b := signIn(t, h.harness, "device-logout-all")

	w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/logout-all", Token: a.AccessToken})
	require.Equal(t, http.StatusNoContent, w.Code, w.Body.String())
	for _, s := range []tokenResponse{a, b} {
		requireError(t, h.get(t, "/api/v1/players/me", s.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
		require.Equal(t, http.StatusUnauthorized, h.refreshWith(t, s.RefreshToken))
	}
	h.clock.Advance(time.Millisecond)
	again := signIn(t, h.harness, "device-logout-all")
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", again.AccessToken).Code, "a later sign-in works")
}

// TestSecurity_RevocationCheckFailsClosed: with Redis and PostgreSQL both
// down, an authenticated request is refused (503), never admitted unchecked.
func TestSecurity_RevocationCheckFailsClosed(t *testing.T) {
	t.Parallel()
	srv := redistest.Start(t)
	h := newSecHarnessAt(t, srv.URL(), nil)
	me := signIn(t, h.harness, "device-fail-closed")
	srv.Stop()
	h.store.Close()
	requireError(t, h.get(t, "/api/v1/players/me", me.AccessToken), http.StatusServiceUnavailable, CodeUnavailable)
}

func TestSecurity_Roles(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	player := signIn(t, h.harness, "device-role-player")
	mod := h.withRole(t, "device-role-mod", persistence.RoleModerator)
	admin := h.withRole(t, "device-role-admin", persistence.RoleAdmin)
	patch := func(token, id, body string) *request {
		return &request{Method: http.MethodPatch, Path: "/api/v1/admin/players/" + id, Token: token, Body: body}
	}
	tests := []struct {
		name   string
		req    request
		status int
		code   string
	}{
		{"player cannot list", request{Method: "GET", Path: "/api/v1/admin/players", Token: player.AccessToken}, 403, CodeForbidden},
		{"moderator lists", request{Method: "GET", Path: "/api/v1/admin/players", Token: mod.AccessToken}, 200, ""},
		{"admin lists", request{Method: "GET", Path: "/api/v1/admin/players?query=mole", Token: admin.AccessToken}, 200, ""},
		{"player cannot promote self", *patch(player.AccessToken, player.Player.ID, `{"role":"admin"}`), 403, CodeForbidden},
		{"moderator cannot edit", *patch(mod.AccessToken, player.Player.ID, `{"banned":true}`), 403, CodeForbidden},
		{"profile edit cannot set role", request{Method: http.MethodPatch, Path: "/api/v1/players/me",
			Token: player.AccessToken, Body: `{"role":"admin"}`}, 400, CodeBadRequest},
		{"admin cannot demote self", *patch(admin.AccessToken, admin.Player.ID, `{"role":"player"}`), 403, CodeForbidden},
		{"admin cannot ban self", *patch(admin.AccessToken, admin.Player.ID, `{"banned":true}`), 403, CodeForbidden},
		{"unknown role", *patch(admin.AccessToken, player.Player.ID, `{"role":"root"}`), 422, CodeValidationFailed},
		{"unknown field", *patch(admin.AccessToken, player.Player.ID, `{"role":"player","x":1}`), 400, CodeBadRequest},
		{"unknown player", *patch(admin.AccessToken, "00000000-0000-4000-8000-000000000000", `{"banned":true}`), 404, CodeNotFound},
	}
	for _, tc := range tests {
		w := h.do(t, tc.req)
		if tc.code == "" {
			require.Equal(t, tc.status, w.Code, "%s: %s", tc.name, w.Body.String())
			continue
		}
		requireError(t, w, tc.status, tc.code)
	}
	p, err := h.store.Player(t.Context(), player.Player.ID)
	require.NoError(t, err)
	require.Equal(t, persistence.RolePlayer, p.Role, "no escalation happened")
}

func TestSecurity_AdminBan(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	admin := h.withRole(t, "device-ban-admin", persistence.RoleAdmin)
	victim := signIn(t, h.harness, "device-ban-victim")
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", victim.AccessToken).Code)

	w := h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/players/" + victim.Player.ID,
		Token: admin.AccessToken, Body: `{"banned":true}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	got := decode[adminPlayerJSON](t, w)
	require.True(t, got.Banned)

	requireError(t, h.get(t, "/api/v1/players/me", victim.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
	h.clock.Advance(time.Second)
	requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/guest", Body: `{"deviceId":"device-ban-victim"}`}),
		http.StatusForbidden, CodeAccountBanned)
	requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/refresh",
		Body: fmt.Sprintf(`{"refreshToken":%q}`, victim.RefreshToken)}), http.StatusForbidden, CodeAccountBanned)

	w = h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/players/" + victim.Player.ID,
		Token: admin.AccessToken, Body: `{"banned":false}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	require.Equal(t, http.StatusOK, h.do(t, request{Method: "POST", Path: "/api/v1/auth/guest",
		Body: `{"deviceId":"device-ban-victim"}`}).Code, "unbanned player signs in again")
}

func TestSecurity_RoleChangeRevokesOldToken(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	admin := h.withRole(t, "device-demote-admin", persistence.RoleAdmin)
	mod := h.withRole(t, "device-demote-mod", persistence.RoleModerator)
	h.clock.Advance(time.Second)
	w := h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/players/" + mod.Player.ID,
		Token: admin.AccessToken, Body: `{"role":"player"}`})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	requireError(t, h.get(t, "/api/v1/admin/players", mod.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
}
