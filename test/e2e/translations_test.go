package e2e

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestServer_Translations drives the real binary: a Spanish client reads
// Spanish badge names and error messages; a change made straight in the
// database (another node, an operator) reaches the node through its
// listener; a key removed from Spanish is listed as missing; an admin
// switches the default and writes translations; strict routes refuse an
// unknown code.
func TestServer_Translations(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	badgeName := func(query, slug string) string {
		var out struct {
			Badges []struct{ Slug, Name string } `json:"badges"`
		}
		require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/badges"+query, "", nil, &out))
		for _, b := range out.Badges {
			if b.Slug == slug {
				return b.Name
			}
		}
		return ""
	}
	require.Equal(t, "First Whack", badgeName("", "first-game"))
	require.Equal(t, "Primer golpe", badgeName("?lang=es-MX", "first-game"))
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodGet, "/api/v1/players/me?lang=es", "", nil, &e))
	require.Equal(t, "no autorizado", e.Error.Message)

	// Socket error frames speak the handshake's language, on both gateways.
	token, _ := s.guest("e2e-i18n-socket-player")
	ws := dialWith(t, s, token, "", http.Header{"Accept-Language": {"es-ES,es;q=0.9"}})
	ws.send("game:whack", 1, map[string]any{"sessionId": "00000000-0000-4000-8000-000000000001", "hole": 1, "moleId": 1})
	wsErr := decode[struct{ Code, Message string }](t, ws.answerTo(1).D)
	require.Equal(t, "not_in_session", wsErr.Code)
	require.Equal(t, "no estás jugando esa partida en esta conexión", wsErr.Message)
	sock := dialSocketIOQuery(t, s, token, "&lang=es")
	sock.write(`42/realtime,1["game:whack",{"sessionId":"00000000-0000-4000-8000-000000000001","hole":1,"moleId":1}]`)
	ack := ""
	for !strings.HasPrefix(ack, "43/realtime,1") {
		ack = sock.next()
	}
	require.Contains(t, ack, `"code":"not_in_session"`)
	require.Contains(t, ack, "no estás jugando esa partida en esta conexión")

	s.exec(`UPDATE translations SET text = 'Primer golpazo' WHERE namespace = 'badges' AND key = 'first-game.name' AND language = 'es'`)
	require.Eventually(t, func() bool { return badgeName("?lang=es", "first-game") == "Primer golpazo" },
		10*time.Second, 20*time.Millisecond, "the node's catalogue reloads on the notification")

	s.exec(`DELETE FROM translations WHERE namespace = 'badges' AND key = 'streak-7.name' AND language = 'es'`)
	var missing struct {
		Missing []struct{ Namespace, Key, Text string } `json:"missing"`
	}
	require.Eventually(t, func() bool {
		require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/translations/es/missing-translations", "", nil, &missing))
		return len(missing.Missing) == 1
	}, 10*time.Second, 20*time.Millisecond)
	require.Equal(t, "streak-7.name", missing.Missing[0].Key)
	require.Equal(t, "Week of Whacks", missing.Missing[0].Text)
	require.Equal(t, http.StatusBadRequest, s.call(http.MethodGet, "/api/v1/translations/xx", "", nil, nil))

	admin := adminToken(t, s, "e2e-i18n-admin-01")
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/translations/bulk", admin, map[string]any{
		"translations": []map[string]string{{"language": "es", "namespace": "badges", "key": "streak-7.name", "text": "Semana de golpes"}},
	}, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/languages/es/default", admin, nil, nil))
	require.Equal(t, "Semana de golpes", badgeName("", "streak-7"), "no preference: the new default")
	require.Equal(t, "Week of Whacks", badgeName("?lang=en", "streak-7"))
}
