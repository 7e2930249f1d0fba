package ws

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/golang-jwt/jwt/v5"
	"github.com/google/uuid"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/auth"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
	"github.com/proofstell/proofstell/persistence"
	"github.com/proofstell/proofstell/persistence/postgres"
	"github.com/proofstell/proofstell/persistence/postgres/pgtest"
	"github.com/proofstell/proofstell/persistence/redis"
)

const revocationSecret = "ws-revocation-test-secret-0123456789abcdef"

// node is one gateway of a two-node cluster sharing Redis.
type node struct {
	env   *testEnv
	redis *redis.Client
}

// revocationEnv is two nodes (A publishes, B holds the sockets) over one
// Redis prefix and one PostgreSQL database, with real tokens and revocation.
type revocationEnv struct {
	cfg    config.Auth
	store  *postgres.Store
	tokens *auth.Tokens
	rev    *auth.Revocation
	cache  persistence.RevocationCache // written directly to revoke without an event
	b      node
}

func openRedis(t *testing.T, url, prefix string) *redis.Client {
	t.Helper()
	c, err := redis.Open(t.Context(), config.Redis{URL: url, Prefix: prefix})
	require.NoError(t, err)
	return c
}

// openStore opens a store on a fresh database of the test's own.
func openStore(t *testing.T, now func() time.Time) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(t.Context(), config.Database{URL: pgtest.NewDatabase(t), MaxConns: 4}, now)
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

// newRevocationEnv builds the two nodes on the shared Redis under a prefix
// of their own.
func newRevocationEnv(t *testing.T, now func() time.Time) *revocationEnv {
	t.Helper()
	return newRevocationEnvAt(t, "redis://127.0.0.1:6379/0", now)
}

// newRevocationEnvAt builds the two nodes on the Redis at url.
func newRevocationEnvAt(t *testing.T, url string, now func() time.Time) *revocationEnv {
	t.Helper()
	cfg := config.Default().Auth
	cfg.JWTSecret = revocationSecret
	prefix := "pstest:ws:" + uuid.NewString()[:8] + ":"
	ra, rb := openRedis(t, url, prefix), openRedis(t, url, prefix)
	store := openStore(t, now)
	tokens := auth.NewTokens(cfg, store, store, now, rand.Reader)
	e := &revocationEnv{cfg: cfg, store: store, tokens: tokens, rev: auth.NewRevocation(tokens, store, ra, ra, nil), cache: ra}
	require.NoError(t, e.rev.Rebuild(t.Context()), "as serve does at start")
	e.b.redis = rb
	e.b.env = newTestEnv(t, func(d *Deps) {
		d.Now = now
		d.Authenticate = func(token string) (player.Identity, error) {
			c, err := tokens.Verify(token)
			return player.Identity{PlayerID: c.PlayerID, TokenID: c.TokenID, FamilyID: c.SessionID,
				ExpiresAt: c.ExpiresAt, IssuedAt: c.IssuedAt}, err
		}
		d.Admit = func(ctx context.Context, token string) error {
			_, err := e.rev.CheckToken(ctx, token)
			return err
		}
		d.Recheck = func(ctx context.Context, id player.Identity) error {
			return e.rev.Check(ctx, auth.Claims{PlayerID: id.PlayerID, TokenID: id.TokenID,
				SessionID: id.FamilyID, IssuedAt: id.IssuedAt})
		}
	})
	ctx, cancel := context.WithCancel(context.Background())
	require.NoError(t, NewRevocationListener(rb, e.b.env.h, nil).Ready(ctx))
	t.Cleanup(func() {
		cancel()
		require.NoError(t, ra.Close())
		require.NoError(t, rb.Close())
	})
	return e
}

// token signs an access token for pid issued at iat, valid for ttl.
func (e *revocationEnv) token(t *testing.T, pid string, iat time.Time, ttl time.Duration) (string, auth.Claims) {
	t.Helper()
	s, err := jwt.NewWithClaims(jwt.SigningMethodHS256, jwt.MapClaims{
		"iss": e.cfg.Issuer, "aud": e.cfg.Audience, "sub": pid, "role": "player", "jti": uuid.NewString(),
		"iat": iat.Unix(), "iat_ms": iat.UnixMilli(), "exp": iat.Add(ttl).Unix(),
	}).SignedString([]byte(revocationSecret))
	require.NoError(t, err)
	c, err := e.tokens.Verify(s)
	require.NoError(t, err)
	return s, c
}

// dial opens a real client socket to node B.
func (e *revocationEnv) dial(t *testing.T, token string) *wsclient.Client {
	t.Helper()
	c, err := wsclient.Dial(t.Context(), e.b.env.srv.URL, token)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	e.b.env.att.nextConn(t)
	return c
}

// closeCode reads until the server closes and returns the code.
func closeCode(t *testing.T, c *wsclient.Client) int {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	for {
		_, err := c.Next(ctx)
		if err == nil {
			continue
		}
		code, ok := wsclient.CloseCode(err)
		require.True(t, ok, "no close frame: %v", err)
		return code
	}
}

func TestRevocation_ClosesOpenSocketsOnEveryNode(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	e := newRevocationEnv(t, func() time.Time { return now })
	pid := uuid.NewString()
	tokA, claimsA := e.token(t, pid, now.Add(-time.Minute), time.Hour)
	tokB, _ := e.token(t, pid, now.Add(-time.Minute), time.Hour)
	sockA, sockB := e.dial(t, tokA), e.dial(t, tokB)

	require.NoError(t, e.rev.Logout(t.Context(), claimsA))
	require.Equal(t, CloseRevoked, closeCode(t, sockA), "the logged-out session's socket")
	_, err := wsclient.Dial(t.Context(), e.b.env.srv.URL, tokA)
	require.ErrorContains(t, err, "401", "a revoked token cannot reconnect")

	require.NoError(t, e.rev.LogoutAll(t.Context(), pid, auth.ReasonBanned))
	require.Equal(t, ClosePolicyViolation, closeCode(t, sockB), "a ban closes every socket")
	_, err = wsclient.Dial(t.Context(), e.b.env.srv.URL, tokB)
	require.ErrorContains(t, err, "401")
}

func TestRevocation_LogoutAllCloses4003(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	e := newRevocationEnv(t, func() time.Time { return now })
	pid := uuid.NewString()
	tok, _ := e.token(t, pid, now.Add(-time.Minute), time.Hour)
	sock := e.dial(t, tok)
	require.NoError(t, e.rev.LogoutAll(t.Context(), pid, auth.ReasonLogoutAll))
	require.Equal(t, CloseRevoked, closeCode(t, sock))
}

func TestRevocation_SocketClosesWhenTokenExpires(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	e := newRevocationEnv(t, func() time.Time { return now })
	// exp has second precision: issue so that it expires ~1 s after now.
	iat := now.Truncate(time.Second).Add(-time.Hour + 2*time.Second)
	tok, c := e.token(t, uuid.NewString(), iat, time.Hour)
	require.True(t, c.ExpiresAt.After(now))
	sock := e.dial(t, tok)
	require.Equal(t, CloseAuthExpired, closeCode(t, sock))
}

func TestRevocationListener_IgnoresBadEvents(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	l := NewRevocationListener(nil, env.h, nil)
	c := env.dial(t, "p1")
	env.att.nextConn(t)
	l.deliver("revoke:p1", []byte(`{"playerId":"p1","reason":"nope"}`))
	l.deliver("revoke:p1", []byte(`not json`))
	l.deliver("revoke:p1", []byte(`{"playerId":"p1","tokenId":"other","reason":"logout"}`))
	writeText(t, c, `{"t":"ping","id":1,"d":{}}`)
	require.Equal(t, TypePong, readFrame(t, c).T, "socket still open")
	l.deliver("revoke:p1", []byte(`{"playerId":"p1","tokenId":"jti-p1","reason":"logout"}`))
	require.Equal(t, CloseRevoked, readClose(t, c).Code)
}

// The handshake fails closed: when the revocation store cannot answer, a
// socket is refused with 503 rather than admitted unchecked; a revoked token
// is refused with 401.
func TestHandler_AdmitFailsClosed(t *testing.T) {
	tests := []struct {
		name   string
		admit  error
		status string
	}{
		{"store down", fmt.Errorf("check: %w", auth.ErrRevocationUnavailable), "503"},
		{"revoked", errors.New("token revoked"), "401"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, func(d *Deps) {
				d.Authenticate = func(string) (player.Identity, error) { return player.Identity{PlayerID: "p-admit"}, nil }
				d.Admit = func(context.Context, string) error { return tt.admit }
			})
			_, err := wsclient.Dial(t.Context(), env.srv.URL, "any-token")
			require.ErrorContains(t, err, tt.status)
		})
	}
}

// TestRevocation_SweepClosesSocketsWhoseEventWasMissed: the bus delivers a
// revocation at most once; a node that missed it still closes the revoked
// sockets at its next sweep, and only those.
func TestRevocation_SweepClosesSocketsWhoseEventWasMissed(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	e := newRevocationEnv(t, func() time.Time { return now })
	loggedOut, banned, kept := uuid.NewString(), uuid.NewString(), uuid.NewString()
	tokOut, claimsOut := e.token(t, loggedOut, now.Add(-time.Minute), time.Hour)
	tokBan, _ := e.token(t, banned, now.Add(-time.Minute), time.Hour)
	tokKept, _ := e.token(t, kept, now.Add(-time.Minute), time.Hour)
	sockOut, sockBan, sockKept := e.dial(t, tokOut), e.dial(t, tokBan), e.dial(t, tokKept)

	n, err := e.b.env.h.Sweep(t.Context())
	require.NoError(t, err)
	require.Zero(t, n, "nothing revoked yet")
	// Revoked in the store, with no event published: as if B missed it.
	require.NoError(t, e.cache.Deny(t.Context(), claimsOut.TokenID, now.Add(time.Hour)))
	require.NoError(t, e.cache.SetNotBefore(t.Context(), banned, now, time.Hour))

	n, err = e.b.env.h.Sweep(t.Context())
	require.NoError(t, err)
	require.Equal(t, 2, n)
	require.Equal(t, CloseRevoked, closeCode(t, sockOut))
	require.Equal(t, CloseRevoked, closeCode(t, sockBan))
	require.NoError(t, sockKept.Request(t.Context(), TypePing, 7, nil))
	ctx, cancel := context.WithTimeout(t.Context(), waitFor)
	defer cancel()
	f, err := sockKept.Next(ctx)
	require.NoError(t, err, "the unrevoked socket stays open")
	require.Equal(t, TypePong, f.T)
}
