package e2e

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// inboxPage is GET /api/v1/notifications as a client reads it.
type inboxPage struct {
	Notifications []struct {
		ID    string         `json:"id"`
		Kind  string         `json:"kind"`
		Title string         `json:"title"`
		Data  map[string]any `json:"data"`
	} `json:"notifications"`
	Unread int `json:"unread"`
}

// TestServer_NotificationInbox drives notifications through the real
// binary: a badge awarded while the player is offline waits in the inbox
// (unread) for the next connection, and an admin broadcast reaches the
// connected player live as notification:alert and lands in the inbox too.
func TestServer_NotificationInbox(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	token, playerID := s.guest("e2e-inbox-player")
	admin := adminToken(t, s, "e2e-inbox-admin")

	awardMintable(t, s, admin, playerID) // offline: no socket yet
	var page inboxPage
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/notifications?unread=true", token, nil, &page) == http.StatusOK &&
			len(page.Notifications) == 1
	}, 30*time.Second, 50*time.Millisecond, "the award never reached the inbox")
	require.Equal(t, "badge.awarded", page.Notifications[0].Kind)
	require.Equal(t, 1, page.Unread)

	ws := dial(t, s, token)
	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "global"})
	require.Equal(t, "ack", ws.answerTo(1).T) // the player actor listens on its topic
	var queued struct {
		ID string `json:"id"`
	}
	require.Equal(t, http.StatusAccepted, s.call(http.MethodPost, "/api/v1/admin/notifications", admin,
		map[string]any{"title": "Maintenance", "body": "at noon", "segment": map[string]string{"role": "player"}},
		&queued))
	alert := decode[map[string]any](t, ws.next("notification:alert").D)
	require.Equal(t, "admin.broadcast", alert["kind"])
	require.Equal(t, "Maintenance", alert["title"])
	require.Equal(t, queued.ID, alert["data"].(map[string]any)["broadcastId"])

	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/notifications", token, nil, &page))
	require.Len(t, page.Notifications, 2)
	require.Equal(t, 2, page.Unread)
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/notifications/read-all", token, nil, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/notifications?unread=true", token, nil, &page))
	require.Empty(t, page.Notifications)
	require.Zero(t, page.Unread)
}
