package ws

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/gateway/auth"
)

func TestSocketIO_HandshakeOnWebSocket(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Config.SocketIO.PingInterval = 7 * time.Second
		d.Config.SocketIO.PingTimeout = 3 * time.Second
		d.Config.SocketIO.MaxPayload = 5000
	})
	_, open := env.dialSIO(t)
	require.NotEmpty(t, open.SID)
	require.Equal(t, sioOpen{SID: open.SID, Upgrades: []string{}, PingInterval: 7000, PingTimeout: 3000, MaxPayload: 5000}, open)
}

func TestSocketIO_Connect(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Authenticate = func(token string) (player.Identity, error) {
			if strings.HasPrefix(token, "expired-") {
				return player.Identity{}, auth.ErrExpiredToken
			}
			return authenticateTestToken(token)
		}
		d.Admit = func(_ context.Context, token string) error {
			switch token {
			case "good-revoked":
				return auth.ErrRevoked
			case "good-unknown":
				return auth.ErrRevocationUnavailable
			}
			return nil
		}
	})
	tests := []struct {
		name, packet, want string
	}{
		{"missing token", `40/realtime,`, `44/realtime,{"message":"missing access token","data":{"code":"unauthorized"}}`},
		{"empty auth", `40/realtime,{}`, `44/realtime,{"message":"missing access token","data":{"code":"unauthorized"}}`},
		{"bad token", `40/realtime,{"token":"forged"}`, `44/realtime,{"message":"invalid access token","data":{"code":"unauthorized"}}`},
		{"expired", `40/realtime,{"token":"expired-p1"}`, `44/realtime,{"message":"access token expired","data":{"code":"token_expired"}}`},
		{"revoked", `40/realtime,{"token":"good-revoked"}`, `44/realtime,{"message":"access token revoked","data":{"code":"revoked"}}`},
		{"revocation unknown", `40/realtime,{"token":"good-unknown"}`, `44/realtime,{"message":"service temporarily unavailable","data":{"code":"unavailable"}}`},
		{"token not a string", `40/realtime,{"token":5}`, `44/realtime,{"message":"auth must be {\"token\": string}","data":{"code":"bad_request"}}`},
		{"auth not an object", `40/realtime,["x"]`, `44/realtime,{"message":"auth must be {\"token\": string}","data":{"code":"bad_request"}}`},
		{"unknown namespace", `40/admin,{"token":"good-p1"}`, `44/admin,{"message":"Invalid namespace"}`},
		{"default namespace", `40`, `44{"message":"Invalid namespace"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, _ := env.dialSIO(t)
			writeText(t, c, tt.packet)
			require.Equal(t, tt.want, readSIO(t, c))
		})
	}
	t.Run("good token", func(t *testing.T) {
		c := env.connectSIO(t, "p1")
		require.NotNil(t, env.att.nextConn(t))
		writeText(t, c, `41/realtime,`)
		var err error
		for err == nil {
			_, _, err = c.ReadMessage()
		}
		require.Error(t, err, "a client DISCONNECT ends the session")
	})
}

func TestSocketIO_EmitsAndAcks(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.connectSIO(t, "p1")
	pc := env.att.nextConn(t)

	// socket.io-client numbers acks from 0: the command's id is ack + 1.
	writeText(t, c, `42/realtime,0["game:start",{"mode":"classic"}]`)
	cmd := env.att.nextCommand(t)
	require.Equal(t, int64(1), cmd.ID)
	require.Equal(t, player.StartGame{Mode: "classic"}, cmd.Body)
	pc.Send(player.Frame{Type: "game:started", ID: 1, Data: []byte(`{"gameId":"g1"}`)})
	require.Equal(t, `43/realtime,0[{"gameId":"g1"}]`, readSIO(t, c))
	// A later frame with the same request id is an event: the ack is spent.
	pc.Send(player.Frame{Type: "game:state", ID: 1, Data: []byte(`{"x":1}`)})
	require.Equal(t, `42/realtime,["game:state",{"x":1}]`, readSIO(t, c))

	// Without an ack id the command has none and replies are events.
	writeText(t, c, `42/realtime,["game:start",{"mode":"classic"}]`)
	require.Equal(t, int64(0), env.att.nextCommand(t).ID)
	pc.Send(player.Frame{Type: "game:started", Data: []byte(`{"gameId":"g2"}`)})
	require.Equal(t, `42/realtime,["game:started",{"gameId":"g2"}]`, readSIO(t, c))

	// Refusals: an error ack for an acked emit, an error event otherwise.
	writeText(t, c, `42/realtime,7["game:start",{"mode":"No Such Mode!"}]`)
	requireErrorAck(t, readSIO(t, c), 7, "bad_request")
	writeText(t, c, `42/realtime,8["no:such",{}]`)
	requireErrorAck(t, readSIO(t, c), 8, "unknown_type")
	writeText(t, c, `42/realtime,9["game:start"]`)
	requireErrorAck(t, readSIO(t, c), 9, "bad_request")
	writeText(t, c, `42/realtime,["no:such",{}]`)
	got := readSIO(t, c)
	require.True(t, strings.HasPrefix(got, `42/realtime,["error",{"code":"unknown_type"`), got)
	writeText(t, c, `452-/realtime,["game:start",{"_placeholder":true,"num":0}]`)
	got = readSIO(t, c)
	require.True(t, strings.HasPrefix(got, `42/realtime,["error",{"code":"bad_request","message":"binary packets`), got)

	// The actor's own error reply to an acked emit.
	writeText(t, c, `42/realtime,10["game:start",{"mode":"classic"}]`)
	require.Equal(t, int64(11), env.att.nextCommand(t).ID)
	pc.Send(player.Frame{Type: "error", ID: 11, Data: []byte(`{"code":"busy","message":"try later"}`)})
	require.Equal(t, `43/realtime,10[{"error":{"code":"busy","message":"try later"}}]`, readSIO(t, c))

	// ping is answered by the gateway.
	writeText(t, c, `42/realtime,12["ping"]`)
	got = readSIO(t, c)
	require.True(t, strings.HasPrefix(got, `43/realtime,12[{"serverTime":`), got)
	require.InDelta(t, 1, testutil.ToFloat64(env.h.deps.Metrics.sio.messagesIn.WithLabelValues(TypePing)), 0)
	require.InDelta(t, 1, testutil.ToFloat64(env.h.deps.Metrics.sio.connections), 0)
	require.Zero(t, testutil.ToFloat64(env.m.connections), "the native gauge counts /ws only")
}

func requireErrorAck(t testing.TB, got string, ack int, code string) {
	t.Helper()
	prefix := "43/realtime," + itoa(ack)
	require.True(t, strings.HasPrefix(got, prefix), got)
	var args []struct {
		Error struct {
			Code    string `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(got, prefix)), &args), got)
	require.Len(t, args, 1)
	require.Equal(t, code, args[0].Error.Code)
	require.NotEmpty(t, args[0].Error.Message)
}

func TestSocketIO_HeartbeatKeepsAliveAndMissingPongCloses(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Now = newTestClock(time.Millisecond).Now // each reading a millisecond later: RTTs are positive
		d.Config.SocketIO.PingInterval = 30 * time.Millisecond
		d.Config.SocketIO.PingTimeout = 60 * time.Millisecond
	})
	c := env.connectSIO(t, "p1")
	pc := env.att.nextConn(t)
	for range 5 { // answered pings keep the session open
		require.Equal(t, "2", readRaw(t, c))
		writeText(t, c, "3")
	}
	require.Positive(t, pc.RTT())
	require.Equal(t, "2", readRaw(t, c)) // not answered
	_, _, err := c.ReadMessage()
	require.Error(t, err, "a missing pong closes the session")
	requireDetached(t, env.att, pc)
}

func TestSocketIO_FloodClose(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Config.MessageRate, d.Config.MessageBurst, d.Config.FloodLimit = 1, 2, 3
		d.Config.FloodWindow = time.Hour
	})
	c := env.connectSIO(t, "p1")
	pc := env.att.nextConn(t)
	for range 8 {
		writeText(t, c, `42/realtime,["ping"]`)
	}
	for {
		got := readSIO(t, c)
		if strings.Contains(got, "connection:close") {
			require.Equal(t, `42/realtime,["connection:close",{"code":4008,"reason":"rate_limited"}]`, got)
			break
		}
	}
	require.Equal(t, "41/realtime,", readSIO(t, c))
	require.Equal(t, CloseRateLimited, readClose(t, c).Code)
	requireDetached(t, env.att, pc)
	require.InDelta(t, 1, testutil.ToFloat64(env.h.deps.Metrics.sio.floodCloses), 0)
}

func TestSocketIO_CloseUserAndSignInReachSocketIO(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.connectSIO(t, "p1")
	pc := env.att.nextConn(t)
	require.Equal(t, 1, env.h.Connections())
	require.Equal(t, 1, env.h.CloseUser("p1", ClosePolicyViolation, ReasonBanned))
	requireGoodbye(t, c, ClosePolicyViolation, ReasonBanned)
	requireDetached(t, env.att, pc)

	c = env.connectSIO(t, "p2")
	pc = env.att.nextConn(t)
	require.Equal(t, 1, env.h.CloseSignIn("p2", "jti-p2", "", CloseRevoked, ReasonRevoked))
	requireGoodbye(t, c, CloseRevoked, ReasonRevoked)
	requireDetached(t, env.att, pc)
}

func TestSocketIO_SweepClosesRevoked(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Recheck = func(context.Context, player.Identity) error { return auth.ErrRevoked }
	})
	c := env.connectSIO(t, "p1")
	n, err := env.h.Sweep(context.Background())
	require.NoError(t, err)
	require.Equal(t, 1, n)
	requireGoodbye(t, c, CloseRevoked, ReasonRevoked)
}

func TestSocketIO_TokenExpiryCloses(t *testing.T) {
	t.Parallel()
	var env *testEnv
	env = newTestEnv(t, func(d *Deps) {
		d.Authenticate = func(token string) (player.Identity, error) {
			id, err := authenticateTestToken(token)
			id.ExpiresAt = env.clock.Now().Add(20 * time.Millisecond)
			return id, err
		}
	})
	c := env.connectSIO(t, "p1")
	requireGoodbye(t, c, CloseAuthExpired, ReasonTokenExpired)
}

func TestSocketIO_ShutdownSaysGoingAway(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.connectSIO(t, "p1")
	pc := env.att.nextConn(t)
	idle, _ := env.dialSIO(t) // not connected to the namespace yet
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, env.h.Shutdown(ctx))
	requireGoodbye(t, c, CloseGoingAway, ReasonShuttingDown)
	require.Equal(t, CloseGoingAway, readClose(t, idle).Code)
	requireDetached(t, env.att, pc)
	status, body := env.pollGet(t, "")
	require.Equal(t, http.StatusServiceUnavailable, status, body)
}

func TestSocketIO_QueuedFramesPrecedeTheGoodbye(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.connectSIO(t, "p1")
	pc := env.att.nextConn(t)
	pc.Send(player.Frame{Type: "game:state", Data: []byte(`{"n":1}`)})
	pc.Close(CloseNormal, "bye")
	require.Equal(t, `42/realtime,["game:state",{"n":1}]`, readSIO(t, c))
	requireGoodbye(t, c, CloseNormal, "bye")
}

func TestSocketIO_RefusedRequests(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.AllowedOrigins = []string{"https://game.example"} })
	tests := []struct {
		name, method, query string
		header              http.Header
		status, code        int
	}{
		{"protocol v3", http.MethodGet, "?EIO=3&transport=polling", nil, 400, 5},
		{"no protocol", http.MethodGet, "?transport=polling", nil, 400, 5},
		{"unknown transport", http.MethodGet, "?EIO=4&transport=flash", nil, 400, 0},
		{"post handshake", http.MethodPost, "?EIO=4&transport=polling", nil, 400, 2},
		{"websocket without upgrade", http.MethodGet, "?EIO=4&transport=websocket", nil, 400, 3},
		{"unknown sid polling", http.MethodGet, "?EIO=4&transport=polling&sid=nope", nil, 400, 1},
		{"unknown sid post", http.MethodPost, "?EIO=4&transport=polling&sid=nope", nil, 400, 1},
		{"unknown sid websocket", http.MethodGet, "?EIO=4&transport=websocket&sid=nope", nil, 400, 1},
		{"origin", http.MethodGet, "?EIO=4&transport=polling", http.Header{"Origin": {"https://evil.example"}}, 403, 4},
	}
	for _, tt := range tests {
		req, err := http.NewRequest(tt.method, env.srv.URL+"/socket.io/"+tt.query, nil)
		require.NoError(t, err)
		for k, v := range tt.header {
			req.Header[k] = v
		}
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err, tt.name)
		var body struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		}
		require.NoError(t, json.NewDecoder(resp.Body).Decode(&body), tt.name)
		require.NoError(t, resp.Body.Close())
		require.Equal(t, tt.status, resp.StatusCode, tt.name)
		require.Equal(t, tt.code, body.Code, tt.name)
		if tt.code == 1 {
			require.Positive(t, testutil.ToFloat64(env.h.deps.Metrics.sio.rejected.WithLabelValues(rejectUnknownSession)))
		}
		require.NotEmpty(t, body.Message, tt.name)
	}
	_, resp, err := websocket.DefaultDialer.Dial(env.sioWSURL("&transport=websocket&sid=nope"), nil)
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	require.Equal(t, http.StatusBadRequest, resp.StatusCode)
	require.NoError(t, resp.Body.Close())
}

func TestSocketIO_NotConnectedInTime(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Config.HandshakeWait = 30 * time.Millisecond })
	c, _ := env.dialSIO(t)
	for {
		_, _, err := c.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			if errors.As(err, &ce) {
				require.Equal(t, CloseNormal, ce.Code)
			}
			return
		}
	}
}

func TestSioSession_ForgetsTheOldestAcks(t *testing.T) {
	t.Parallel()
	s := &sioSession{acks: make(map[int64]struct{})}
	for id := int64(1); id <= maxOutstandingAcks+2; id++ {
		s.expectAck(id)
	}
	require.Len(t, s.acks, maxOutstandingAcks)
	require.False(t, s.takeAck(1), "the oldest request lost its ack")
	require.False(t, s.takeAck(2))
	require.True(t, s.takeAck(3))
	require.True(t, s.takeAck(maxOutstandingAcks+2))
	require.False(t, s.takeAck(3), "an ack is spent once")
}

func TestSocketIO_WebSocketSlowClient(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Config.SendQueue, d.Config.DropLimit = 2, 3 })
	c := env.connectSIO(t, "p1")
	s := env.att.nextConn(t).(*sioSession)
	s.writeMu.Lock() // a write is stuck: the client stopped reading
	for i := range 5 {
		s.Send(player.Frame{Type: "game:state", Data: []byte(`{"n":` + itoa(i) + `}`)})
	}
	s.writeMu.Unlock()
	// The queued frames are dropped: the goodbye goes first.
	requireGoodbye(t, c, CloseSlowClient, ReasonSlowClient)
	requireDetached(t, env.att, s)
	require.InDelta(t, 3, testutil.ToFloat64(env.h.deps.Metrics.sio.drops), 0)
	require.Zero(t, testutil.ToFloat64(env.h.deps.Metrics.sio.queued))
}
