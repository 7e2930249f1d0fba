package e2e

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// inboxPage is GET /api/v1/notifications as a client reads it.
type inboxPage struct {
	Notifications []inboxEntry `json:"notifications"`
	Unread        int          `json:"unread"`
}

// TestServer_NotificationInbox drives notifications through the real
// binary: a badge awarded while the player is offline waits in the inbox
// (unread) and arrives as notification:alert when the player connects
// (native WebSocket here, Socket.IO in TestServer_MissedAlertOverSocketIO),
// once; an admin broadcast reaches the connected player live as
// notification:alert and lands in the inbox too. (The day's challenge
// start may be in the inbox as well: the scheduler starts it when the
// server starts, so the test looks at the kinds it causes.)
func TestServer_NotificationInbox(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	token, playerID := s.guest("e2e-inbox-player")
	admin := adminToken(t, s, "e2e-inbox-admin")

	awardMintable(t, s, admin, playerID) // offline: no socket yet
	award := waitInbox(t, s, token, "badge.awarded")

	ws := dial(t, s, token)
	require.Equal(t, award.ID, nextAlert(t, ws, "badge.awarded")["id"], "the missed award arrives on connect")
	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "global"})
	require.Equal(t, "ack", ws.answerTo(1).T) // the player actor listens on its topic
	var queued struct {
		ID string `json:"id"`
	}
	require.Equal(t, http.StatusAccepted, s.call(http.MethodPost, "/api/v1/admin/notifications", admin,
		map[string]any{"title": "Maintenance", "body": "at noon", "segment": map[string]string{"role": "player"}},
		&queued))
	alert := nextAlert(t, ws, "admin.broadcast")
	require.Equal(t, "Maintenance", alert["title"])
	require.Equal(t, queued.ID, alert["data"].(map[string]any)["broadcastId"])

	var page inboxPage
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/notifications", token, nil, &page))
	require.Equal(t, len(page.Notifications), page.Unread, "the award and the broadcast are unread")
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/notifications/read-all", token, nil, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/notifications?unread=true", token, nil, &page))
	require.Empty(t, page.Notifications)
	require.Zero(t, page.Unread)
}

// inboxEntry is one entry of inboxPage.
type inboxEntry struct {
	ID    string         `json:"id"`
	Kind  string         `json:"kind"`
	Title string         `json:"title"`
	Data  map[string]any `json:"data"`
}

// waitInbox waits until the player's unread inbox holds a notification of
// kind and returns it.
func waitInbox(t *testing.T, s *server, token, kind string) inboxEntry {
	t.Helper()
	var found inboxEntry
	require.Eventually(t, func() bool {
		var page inboxPage
		if s.call(http.MethodGet, "/api/v1/notifications?unread=true", token, nil, &page) != http.StatusOK {
			return false
		}
		for _, n := range page.Notifications {
			if n.Kind == kind {
				found = n
				return true
			}
		}
		return false
	}, 30*time.Second, 50*time.Millisecond, "no %s notification reached the inbox", kind)
	return found
}

// nextAlert reads notification:alert frames until one of kind; it fails on
// a second alert of a kind already seen (an alert comes once).
func nextAlert(t *testing.T, ws *socket, kind string) map[string]any {
	t.Helper()
	seen := map[string]bool{}
	for {
		alert := decode[map[string]any](t, ws.next("notification:alert").D)
		id, _ := alert["id"].(string)
		require.False(t, seen[id], "alert %s came twice", id)
		seen[id] = true
		if alert["kind"] == kind {
			return alert
		}
	}
}

// TestServer_MissedAlertOverSocketIO: a badge earned while offline arrives
// as the notification:alert event when a Socket.IO client connects, and
// a second connection is not sent it again.
func TestServer_MissedAlertOverSocketIO(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	token, playerID := s.guest("e2e-sio-inbox-player")
	admin := adminToken(t, s, "e2e-sio-inbox-admin")
	awardBadge(t, s, admin, playerID, "first-game")
	award := waitInbox(t, s, token, "badge.awarded")

	sock := dialSocketIO(t, s, token)
	var alert struct {
		ID   string `json:"id"`
		Kind string `json:"kind"`
	}
	for alert.Kind != "badge.awarded" {
		if raw, ok := strings.CutPrefix(sock.next(), `42/realtime,["notification:alert",`); ok {
			require.NoError(t, json.Unmarshal([]byte(strings.TrimSuffix(raw, "]")), &alert))
		}
	}
	require.Equal(t, award.ID, alert.ID)

	ws := dial(t, s, token) // another device: the alert was taken
	require.NoError(t, ws.conn.SetReadDeadline(time.Now().Add(45*time.Second)))
	for id := int64(1); id <= 2; id++ { // two round trips: the connect's look-up is long done
		ws.send("leaderboard:subscribe", id, map[string]string{"leaderboardId": "global"})
		for {
			var f frame
			require.NoError(t, ws.read(&f))
			require.NotEqual(t, "notification:alert", f.T, "a missed alert is sent to one connection")
			if f.ID == id {
				break
			}
		}
	}
}
