package e2e

import (
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/internal/redistest"
)

// signInGuest signs a device in and returns the whole pair.
func signInGuest(t *testing.T, s *server, device string) tokenPair {
	t.Helper()
	var p tokenPair
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/guest", "", map[string]string{"deviceId": device}, &p))
	return p
}

// handshake opens /ws with token and returns the HTTP status of the answer.
func handshake(t *testing.T, s *server, token string) int {
	t.Helper()
	conn, resp, err := websocket.DefaultDialer.Dial(wsURL(s.base), http.Header{"Authorization": {"Bearer " + token}})
	if err == nil {
		_ = conn.Close()
	}
	if resp == nil {
		require.NoError(t, err)
	}
	_ = resp.Body.Close()
	return resp.StatusCode
}

// closeCode reads from ws until the server closes it and returns the code.
func closeCode(t *testing.T, ws *socket) int {
	t.Helper()
	require.NoError(t, ws.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		err := ws.read(&frame{})
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		require.True(t, errors.As(err, &ce), "no close frame: %v", err)
		return ce.Code
	}
}

// TestServer_RevocationSurvivesRedisLoss drives the real binary on a Redis
// of its own: a logged-out token and a banned account's token stay refused
// on REST and at the WebSocket handshake after Redis restarts empty, after
// it is flushed, and while it is down; the banned account cannot refresh
// (403 account_banned); an unrevoked token keeps working.
func TestServer_RevocationSurvivesRedisLoss(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	rds := redistest.Start(t)
	s := startServer(t, "REDIS_URL="+rds.URL())
	admin := adminToken(t, s, "e2e-loss-admin")
	out := signInGuest(t, s, "e2e-loss-out")
	victim := signInGuest(t, s, "e2e-loss-victim")
	kept := signInGuest(t, s, "e2e-loss-kept")
	require.Equal(t, http.StatusNoContent, s.call(http.MethodPost, "/api/v1/auth/logout", out.AccessToken, nil, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodPatch, "/api/v1/admin/players/"+victim.Player.ID, admin,
		map[string]bool{"banned": true}, nil))

	for _, loss := range []struct {
		name string
		lose func()
	}{{"restart", rds.Restart}, {"flush", rds.Flush}, {"down", rds.Stop}} {
		loss.lose()
		for name, token := range map[string]string{"logged out": out.AccessToken, "banned": victim.AccessToken} {
			require.Equal(t, http.StatusUnauthorized, s.call(http.MethodGet, "/api/v1/players/me", token, nil, nil),
				"%s after Redis %s: REST", name, loss.name)
			require.Equal(t, http.StatusUnauthorized, handshake(t, s, token), "%s after Redis %s: WebSocket", name, loss.name)
		}
		require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me", kept.AccessToken, nil, nil),
			"unrevoked after Redis %s", loss.name)
		var body struct {
			Error struct {
				Code string `json:"code"`
			} `json:"error"`
		}
		require.Equal(t, http.StatusForbidden, s.call(http.MethodPost, "/api/v1/auth/refresh", "",
			map[string]string{"refreshToken": victim.RefreshToken}, &body), "banned refresh after Redis %s", loss.name)
		require.Equal(t, "account_banned", body.Error.Code)
	}
}

// TestServer_RefreshReuseCutsOffTheThief: whoever rotated a stolen refresh
// token first loses its access token and its socket (4003) the moment the
// rotated token is presented again.
func TestServer_RefreshReuseCutsOffTheThief(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	owner := signInGuest(t, s, "e2e-reuse-owner")
	var thief tokenPair
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/refresh", "",
		map[string]string{"refreshToken": owner.RefreshToken}, &thief))
	ws := dial(t, s, thief.AccessToken)

	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodPost, "/api/v1/auth/refresh", "",
		map[string]string{"refreshToken": owner.RefreshToken}, nil))
	require.Equal(t, 4003, closeCode(t, ws), "the family's socket closes")
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodGet, "/api/v1/players/me", thief.AccessToken, nil, nil))
	require.Equal(t, http.StatusUnauthorized, handshake(t, s, thief.AccessToken))
}
