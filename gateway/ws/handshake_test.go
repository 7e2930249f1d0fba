package ws

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"
)

func TestHandler_HandshakeRefusals(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.AllowedOrigins = []string{"https://play.example"} })
	tests := []struct {
		name   string
		query  string
		header http.Header
		status int
		code   string
		reason string
	}{
		{"no token", "", nil, http.StatusUnauthorized, "unauthorized", rejectUnauthorized},
		{"bad token", "?token=forged", nil, http.StatusUnauthorized, "unauthorized", rejectUnauthorized},
		{"bad bearer", "", http.Header{"Authorization": {"Bearer forged"}}, http.StatusUnauthorized, "unauthorized", rejectUnauthorized},
		{"basic scheme", "", http.Header{"Authorization": {"Basic good-p1"}}, http.StatusUnauthorized, "unauthorized", rejectUnauthorized},
		{"bad origin", "?token=good-p1", http.Header{"Origin": {"https://evil.example"}}, http.StatusForbidden, "forbidden", rejectOrigin},
		{"origin prefix", "?token=good-p1", http.Header{"Origin": {"https://play.example.evil"}}, http.StatusForbidden, "forbidden", rejectOrigin},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := testutil.ToFloat64(env.m.rejected.WithLabelValues(tt.reason))
			status, code := refusedDial(t, env.wsURL(tt.query), tt.header)
			require.Equal(t, tt.status, status)
			require.Equal(t, tt.code, code)
			require.InDelta(t, before+1, testutil.ToFloat64(env.m.rejected.WithLabelValues(tt.reason)), 0)
		})
	}
	require.Zero(t, env.att.attachedCount(), "no refused handshake may reach an actor")
}

func TestHandler_HandshakeAccepts(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		origins []string
		query   string
		header  http.Header
	}{
		{"query token, no origin", nil, "?token=good-p1", nil},
		{"bearer header", nil, "", http.Header{"Authorization": {"bearer good-p1"}}},
		{"listed origin", []string{"https://play.example"}, "?token=good-p1", http.Header{"Origin": {"https://play.example"}}},
		{"same origin", nil, "?token=good-p1", nil}, // Origin set below from the server's host
		{"same origin, other origins listed", []string{"https://play.example"}, "?token=good-p1", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			env := newTestEnv(t, func(d *Deps) { d.AllowedOrigins = tt.origins })
			header := tt.header
			if strings.HasPrefix(tt.name, "same origin") {
				header = http.Header{"Origin": {env.srv.URL}}
			}
			c, resp, err := websocket.DefaultDialer.Dial(env.wsURL(tt.query), header)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			t.Cleanup(func() { _ = c.Close() })
			pc := env.att.nextConn(t)
			require.Equal(t, "p1", pc.(*conn).id.PlayerID)
			require.Equal(t, "jti-p1", pc.(*conn).id.TokenID)
		})
	}
}

func TestHandler_ShutdownRefusesNewSockets(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, env.h.Shutdown(ctx))
	status, code := refusedDial(t, env.wsURL("?token=good-p1"), nil)
	require.Equal(t, http.StatusServiceUnavailable, status)
	require.Equal(t, "unavailable", code)
}

func TestHandler_ShutdownClosesWithGoingAway(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c1 := env.dial(t, "p1")
	pc1 := env.att.nextConn(t)
	c2 := env.dial(t, "p2")
	pc2 := env.att.nextConn(t)
	require.True(t, pc1.Send(framed("game:mole", `{"hole":1}`)))
	require.Equal(t, 2, env.h.Connections())

	errc := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		defer cancel()
		errc <- env.h.Shutdown(ctx)
	}()
	// Queued frames are flushed before the close frame.
	first, second := readFrame(t, c1), readClose(t, c1)
	if first.T != "game:mole" {
		t.Fatalf("want the queued frame first, got %+v", first)
	}
	require.Equal(t, CloseGoingAway, second.Code)
	require.Equal(t, ReasonShuttingDown, second.Text)
	require.Equal(t, CloseGoingAway, readClose(t, c2).Code)
	require.NoError(t, <-errc)
	require.Equal(t, 1, env.att.detached(pc1))
	require.Equal(t, 1, env.att.detached(pc2))
	require.Zero(t, env.h.Connections())
	require.False(t, pc1.Send(framed("game:mole", `{}`)), "send after close")
}

func TestHandler_ShutdownBoundedByContext(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Config.WriteWait = 2 * time.Second })
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	// The client is not reading, so the close handshake cannot finish yet.
	require.ErrorIs(t, env.h.Shutdown(ctx), context.Canceled)
	require.Equal(t, CloseGoingAway, readClose(t, c).Code)
	requireDetached(t, env.att, pc)
}
