package e2e

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/chain/chaintest"
	"github.com/proofstell/proofstell/gateway/mail/mailtest"
)

// tokenPair is the sign-in answer shared by guest, email and wallet sign-in.
type tokenPair struct {
	AccessToken  string `json:"accessToken"`
	RefreshToken string `json:"refreshToken"`
	Player       struct {
		ID string `json:"id"`
	} `json:"player"`
}

// TestServer_EmailAccountAndRevocation drives the real binary the way a
// client does: register, read the verification mail from a real SMTP
// server, verify, sign in, open a socket, log out; the socket closes with
// 4003 and the access token is refused at once.
func TestServer_EmailAccountAndRevocation(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	inbox := mailtest.NewServer(t)
	s := startServer(t, "MAIL_HOST="+inbox.Host, "MAIL_PORT="+strconv.Itoa(inbox.Port),
		"PUBLIC_URL=https://play.example.com")

	var reg tokenPair
	require.Equal(t, http.StatusCreated, s.call(http.MethodPost, "/api/v1/auth/register", "",
		map[string]string{"email": "e2e@example.com", "username": "e2e_player", "password": "e2e4secret"}, &reg))
	token := mailtest.Token(t, inbox.Next(t))
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/verify-email", "", map[string]string{"token": token}, nil))

	var login tokenPair
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodPost, "/api/v1/auth/login", "",
		map[string]string{"email": "e2e@example.com", "password": "wrong4secret"}, nil))
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/login", "",
		map[string]string{"email": "e2e@example.com", "password": "e2e4secret"}, &login))
	require.Equal(t, reg.Player.ID, login.Player.ID)

	ws := dial(t, s, login.AccessToken)
	require.Equal(t, http.StatusNoContent, s.call(http.MethodPost, "/api/v1/auth/logout", login.AccessToken, nil, nil))
	require.NoError(t, ws.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	var err error
	for err == nil {
		err = ws.read(&frame{})
	}
	require.True(t, websocket.IsCloseError(err, 4003), "logout closes the session's socket with 4003, got %v", err)
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodGet, "/api/v1/players/me", login.AccessToken, nil, nil),
		"a logged-out access token is refused at once")
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me", reg.AccessToken, nil, nil),
		"logout ends this session only")
}

// TestServer_StarknetWalletSignIn signs in with an Argent-style account held
// by the fake StarkNet node: the server builds the SNIP-12 message, the
// wallet signs it with its real Stark key, the server checks it through the
// account contract over JSON-RPC. A replay of the same signature is refused.
func TestServer_StarknetWalletSignIn(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	node := chaintest.NewNode(t, "SN_SEPOLIA")
	account := node.NewAccount(t, chaintest.KindArgent)
	s := startServer(t, "STARKNET_RPC_URL="+node.URL, "STARKNET_CHAIN_ID=SN_SEPOLIA")

	body := signedChallenge(t, s, account)
	var signedIn tokenPair
	require.Equal(t, http.StatusOK, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/verify", "", body, &signedIn))
	require.NotEmpty(t, signedIn.AccessToken)
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me", signedIn.AccessToken, nil, nil))
	require.Equal(t, http.StatusUnauthorized, s.call(http.MethodPost, "/api/v1/auth/wallet/starknet/verify", "", body, nil),
		"the challenge is single use")
}

// TestServer_AuthRateLimit: sign-in routes are limited per IP, cluster-wide
// in Redis, and a refused request says when to come back. The same limit
// on the in-process engine is in TestServer_RunsWithoutRedis.
func TestServer_AuthRateLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t, "RATE_LIMIT_AUTH=2", "RATE_LIMIT_WINDOW=60s")
	_, ready := s.readiness()
	require.Contains(t, ready.Checks, "redis", "the harness runs nodes on Redis; TestServer_RunsWithoutRedis covers the memory engine")
	for i := range 2 {
		s.guest(fmt.Sprintf("e2e-limit-%d", i))
	}
	req, err := http.NewRequest(http.MethodPost, s.base+"/api/v1/auth/guest", strings.NewReader(`{"deviceId":"e2e-limit-x"}`))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	require.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	wait, err := strconv.Atoi(resp.Header.Get("Retry-After"))
	require.NoError(t, err)
	require.InDelta(t, 30, wait, 1, "2 per minute: the next slot opens in 30 s")
	require.NotEmpty(t, resp.Header.Get("Content-Security-Policy"), "security headers on refusals too")
}

// TestServer_BadgeCatalogue: the seeded badge catalogue is served publicly,
// and a signed-in player sees progress toward the badges not yet earned.
func TestServer_BadgeCatalogue(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	var catalogue struct {
		Badges []struct {
			Slug string `json:"slug"`
		} `json:"badges"`
	}
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/badges", "", nil, &catalogue))
	slugs := map[string]bool{}
	for _, b := range catalogue.Badges {
		slugs[b.Slug] = true
	}
	for _, want := range []string{"first-game", "classic-30", "games-100", "streak-7", "daily-top-10", "match-won", "perfect-game"} {
		require.True(t, slugs[want], "seeded badge %s", want)
	}
	token, _ := s.guest("e2e-badges")
	var mine map[string]json.RawMessage
	require.Equal(t, http.StatusOK, s.call(http.MethodGet, "/api/v1/players/me/badges", token, nil, &mine))
	require.Contains(t, mine, "progress")
}
