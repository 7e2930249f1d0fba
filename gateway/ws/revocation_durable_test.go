package ws

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
	"github.com/proofstell/proofstell/internal/redistest"
	"github.com/proofstell/proofstell/persistence"
)

// signIn issues a real pair for a new guest of the env's database.
func (e *revocationEnv) signIn(t *testing.T, device string) (auth.Pair, persistence.Player) {
	t.Helper()
	p, _, err := e.store.GuestByDevice(t.Context(), device)
	require.NoError(t, err)
	pair, err := e.tokens.Issue(t.Context(), p)
	require.NoError(t, err)
	return pair, p
}

// ban bans playerID as the admin route does: the flag, then LogoutAll.
func (e *revocationEnv) ban(t *testing.T, playerID string, at time.Time) {
	t.Helper()
	yes := true
	_, err := e.store.AdminUpdate(t.Context(), persistence.SystemActor("test"), playerID, persistence.AdminUpdate{Banned: &yes}, at)
	require.NoError(t, err)
	require.NoError(t, e.rev.LogoutAll(t.Context(), playerID, auth.ReasonBanned))
}

// TestRevocation_RefreshReuseClosesFamilySockets: a thief rotated the
// refresh token first; when the owner presents the rotated one, the thief's
// open socket (another node) closes with 4003 and cannot come back, while
// the player's other sign-in keeps its socket.
func TestRevocation_RefreshReuseClosesFamilySockets(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	e := newRevocationEnv(t, func() time.Time { return now })
	stolen, _ := e.signIn(t, "device-ws-reuse")
	other, _ := e.signIn(t, "device-ws-reuse")
	thief, _, err := e.tokens.Refresh(t.Context(), stolen.RefreshToken)
	require.NoError(t, err)
	thiefSock, otherSock := e.dial(t, thief.AccessToken), e.dial(t, other.AccessToken)

	_, _, err = e.tokens.Refresh(t.Context(), stolen.RefreshToken)
	require.ErrorIs(t, err, persistence.ErrTokenReused)
	require.Equal(t, CloseRevoked, closeCode(t, thiefSock), "the family's socket closes at once")
	_, err = wsclient.Dial(t.Context(), e.b.env.srv.URL, thief.AccessToken)
	require.ErrorContains(t, err, "401", "the family's access token cannot reconnect")

	require.NoError(t, otherSock.Request(t.Context(), TypePing, 1, nil))
	f, err := otherSock.Next(t.Context())
	require.NoError(t, err, "the other sign-in's socket stays open")
	require.Equal(t, TypePong, f.T)
}

// TestRevocation_HandshakeRefusedAfterRedisLoss: a logged-out token and a
// banned player's token are refused at the handshake after Redis restarts
// empty, is flushed, or is down; an unrevoked token is still admitted.
func TestRevocation_HandshakeRefusedAfterRedisLoss(t *testing.T) {
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
			now := time.Now().UTC()
			srv := redistest.Start(t)
			e := newRevocationEnvAt(t, srv.URL(), func() time.Time { return now })
			out, _ := e.signIn(t, "device-ws-loss-out")
			banned, bannedPlayer := e.signIn(t, "device-ws-loss-ban")
			kept, _ := e.signIn(t, "device-ws-loss-kept")
			c, err := e.tokens.Verify(out.AccessToken)
			require.NoError(t, err)
			require.NoError(t, e.rev.Logout(t.Context(), c))
			e.ban(t, bannedPlayer.ID, now)

			tt.lose(srv)
			for name, token := range map[string]string{"logged out": out.AccessToken, "banned": banned.AccessToken} {
				_, err := wsclient.Dial(t.Context(), e.b.env.srv.URL, token)
				require.ErrorContains(t, err, "401", name)
			}
			e.dial(t, kept.AccessToken)
		})
	}
}
