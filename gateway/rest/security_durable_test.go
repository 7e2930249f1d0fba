package rest

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/persistence"
)

// TestSecurity_RevocationSurvivesRedisLoss: log out one token and ban
// another account, then lose Redis (restart empty, flush, or down): both
// tokens stay refused on every authenticated route, the banned account can
// neither sign in nor refresh (403), and an unrevoked token still works.
func TestSecurity_RevocationSurvivesRedisLoss(t *testing.T) {
	tests := []struct {
		name string
		lose func(*redistest.Server)
	}{
		{"restart", (*redistest.Server).Restart},
		{"flush", (*redistest.Server).Flush},
		{"down", (*redistest.Server).Stop},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := redistest.Start(t)
			h := newSecHarnessAt(t, srv.URL(), nil)
			admin := h.withRole(t, "device-loss-admin-"+tt.name, persistence.RoleAdmin)
			out := signIn(t, h.harness, "device-loss-out-"+tt.name)
			victim := signIn(t, h.harness, "device-loss-ban-"+tt.name)
			kept := signIn(t, h.harness, "device-loss-kept-"+tt.name)
			require.Equal(t, http.StatusNoContent, h.do(t, request{Method: "POST", Path: "/api/v1/auth/logout", Token: out.AccessToken}).Code)
			w := h.do(t, request{Method: http.MethodPatch, Path: "/api/v1/admin/players/" + victim.Player.ID,
				Token: admin.AccessToken, Body: `{"banned":true}`})
			require.Equal(t, http.StatusOK, w.Code, w.Body.String())

			tt.lose(srv)
			for _, path := range []string{"/api/v1/players/me", "/api/v1/players/" + kept.Player.ID} {
				requireError(t, h.get(t, path, out.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
				requireError(t, h.get(t, path, victim.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
			}
			require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", kept.AccessToken).Code, "unrevoked token")
			requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/refresh",
				Body: fmt.Sprintf(`{"refreshToken":%q}`, victim.RefreshToken)}), http.StatusForbidden, CodeAccountBanned)
			requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/guest",
				Body: `{"deviceId":"device-loss-ban-` + tt.name + `"}`}), http.StatusForbidden, CodeAccountBanned)
		})
	}
}

// TestSecurity_RefreshReuseRevokesFamilyAccess: when a rotated refresh
// token comes back, the access token minted by whoever rotated first is
// refused at once, not 15 minutes later.
func TestSecurity_RefreshReuseRevokesFamilyAccess(t *testing.T) {
	t.Parallel()
	h := newSecHarness(t, nil)
	owner := signIn(t, h.harness, "device-rest-reuse")
	w := h.do(t, request{Method: "POST", Path: "/api/v1/auth/refresh",
		Body: fmt.Sprintf(`{"refreshToken":%q}`, owner.RefreshToken)})
	require.Equal(t, http.StatusOK, w.Code, w.Body.String())
	thief := decode[tokenResponse](t, w)
	require.Equal(t, http.StatusOK, h.get(t, "/api/v1/players/me", thief.AccessToken).Code)

	requireError(t, h.do(t, request{Method: "POST", Path: "/api/v1/auth/refresh",
		Body: fmt.Sprintf(`{"refreshToken":%q}`, owner.RefreshToken)}), http.StatusUnauthorized, CodeTokenReused)
	requireError(t, h.get(t, "/api/v1/players/me", thief.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
	requireError(t, h.get(t, "/api/v1/players/me", owner.AccessToken), http.StatusUnauthorized, CodeTokenRevoked)
}
