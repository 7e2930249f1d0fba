package e2e

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/mail/mailtest"
)

// listUnsubscribe finds a mail's RFC 8058 unsubscribe link.
var listUnsubscribe = regexp.MustCompile(`(?m)^List-Unsubscribe: <(\S+)>\r$`)

// TestServer_NotificationMailInSpanish drives the real binary with a real
// SMTP server: a player who signed up in Spanish and opted into email for
// badge.awarded gets the award mailed in Spanish, with the one-click
// unsubscribe link in the text and the RFC 8058 headers; POSTing the link
// as a mail client does turns that email off, so the next award is not
// mailed (and stays in the inbox). A Spanish socket gets the missed award
// on connect and the next one live, in Spanish too.
func TestServer_NotificationMailInSpanish(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	inbox := mailtest.NewServer(t)
	s := startServer(t, "MAIL_HOST="+inbox.Host, "MAIL_PORT="+strconv.Itoa(inbox.Port),
		"PUBLIC_URL=https://play.example.com")
	var reg tokenPair
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/auth/register?lang=es", "",
		map[string]string{"email": "es@example.com", "username": "topo_es", "password": "e2e4secret"}, &reg))
	verify := mailtest.Token(t, inbox.Next(t))
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/verify-email", "",
		map[string]string{"token": verify}, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodPut, "/api/v1/notifications/preferences", reg.AccessToken,
		map[string]any{"preferences": []map[string]any{{"kind": "badge.awarded", "inApp": true, "email": true}}}, nil))
	admin := adminToken(t, s, "e2e-mail-admin")

	awardBadge(t, s, admin, reg.Player.ID, "classic-30")
	got := inbox.Next(t)
	require.Equal(t, []string{"es@example.com"}, got.To)
	require.Contains(t, got.Data, "Subject: Insignia obtenida: Ojo certero\r\n")
	require.Contains(t, got.Data, "Hola, topo_es:")
	require.Contains(t, got.Data, "Has obtenido la insignia Ojo certero")
	require.Contains(t, got.Data, "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n")
	match := listUnsubscribe.FindStringSubmatch(got.Data)
	require.Len(t, match, 2, "no List-Unsubscribe header:\n%s", got.Data)
	require.Contains(t, got.Data, "Dejar de recibir estos correos: "+match[1])
	link, err := url.Parse(match[1])
	require.NoError(t, err)
	require.Equal(t, "/api/v1/notifications/unsubscribe", link.Path)

	// The mail client's one-click POST (RFC 8058), no login.
	req, err := http.NewRequestWithContext(context.Background(), http.MethodPost,
		s.base+link.Path+"?"+link.RawQuery, strings.NewReader("List-Unsubscribe=One-Click"))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	require.Equal(t, http.StatusOK, resp.StatusCode)
	var prefs struct {
		Preferences []struct {
			Kind  string `json:"kind"`
			Email bool   `json:"email"`
		} `json:"preferences"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/notifications/preferences", reg.AccessToken, nil, &prefs))
	for _, p := range prefs.Preferences {
		require.False(t, p.Email, "%s: email is off", p.Kind)
	}

	// A Spanish socket: the award missed while offline arrives on connect,
	// the next one live, both in Spanish.
	ws := dialWith(t, s, reg.AccessToken, "?lang=es", http.Header{})
	require.Equal(t, "Insignia obtenida: Ojo certero", nextAlert(t, ws, "badge.awarded")["title"])
	ws.send("leaderboard:subscribe", 1, map[string]string{"leaderboardId": "global"})
	require.Equal(t, "ack", ws.answerTo(1).T)

	awardBadge(t, s, admin, reg.Player.ID, "first-game")
	require.Equal(t, "Insignia obtenida: Primer golpe", nextAlert(t, ws, "badge.awarded")["title"])
	var page inboxPage
	require.Eventually(t, func() bool {
		return s.call(http.MethodGet, "/api/v1/notifications?lang=es", reg.AccessToken, nil, &page) == http.StatusOK &&
			hasTitle(page, "Insignia obtenida: Primer golpe")
	}, 30*time.Second, 50*time.Millisecond, "the second award, in Spanish, never reached the inbox")
	require.Zero(t, inbox.Pending(), "unsubscribed: not mailed")
}

func hasTitle(page inboxPage, title string) bool {
	for _, n := range page.Notifications {
		if n.Title == title {
			return true
		}
	}
	return false
}
