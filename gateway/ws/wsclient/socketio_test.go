package wsclient

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
	"github.com/proofstell/proofstell/gateway/ws"
)

// fakeActor stands in for the player actor behind the real gateway: it
// answers commands with the frames a player actor sends.
//   - game:start: ack {"sessionId"}, then the event game:mole;
//   - game:whack: hole 0 game:hit, hole 1 game:miss (reason), else error;
//   - game:resume: closes the socket with 4009 slow_client.
type fakeActor struct{}

const testSession = "0b7f3c1e-8a8e-4f57-9d7c-2a1f4e6b9c01"

func (fakeActor) Attach(_ player.Identity, conn player.Conn) (func(player.Command), func()) {
	deliver := func(cmd player.Command) {
		reply := func(typ string, id int64, payload any) {
			conn.Send(player.Frame{Type: typ, ID: id, Data: events.Encode(payload)})
		}
		switch body := cmd.Body.(type) {
		case player.StartGame:
			reply(events.TypeAck, cmd.ID, events.SessionAck{SessionID: testSession})
			reply(events.TypeMole, 0, events.Mole{GameID: testSession, MoleID: 1, Hole: 4})
		case player.Whack:
			switch body.Hole {
			case 0:
				reply(events.TypeHit, cmd.ID, events.Hit{GameID: testSession, MoleID: body.MoleID, Points: 1})
			case 1:
				reply(events.TypeMiss, cmd.ID, events.Miss{GameID: testSession, Hole: 1, Reason: "empty"})
			default:
				reply(events.TypeError, cmd.ID, events.Error{Code: "not_in_game", Message: "no such game"})
			}
		case player.ResumeGame:
			conn.Close(ws.CloseSlowClient, ws.ReasonSlowClient)
		}
	}
	return deliver, func() {}
}

// gatewayServer serves the real gateway (/ws and /socket.io/) with
// fakeActor behind it; tokens "good-<player>" are valid. edit adjusts the
// config.
func gatewayServer(t *testing.T, edit func(*config.WebSocket)) string {
	t.Helper()
	cfg := config.Default().WS
	if edit != nil {
		edit(&cfg)
	}
	h := ws.NewHandler(ws.Deps{
		Config: cfg,
		Authenticate: func(token string) (player.Identity, error) {
			pid, ok := strings.CutPrefix(token, "good-")
			if !ok || pid == "" {
				return player.Identity{}, errors.New("bad token")
			}
			return player.Identity{PlayerID: pid, Username: "user-" + pid, Role: "player", TokenID: "jti-" + pid}, nil
		},
		Attach: fakeActor{},
	})
	mux := http.NewServeMux()
	mux.Handle("/socket.io/", h.SocketIO())
	mux.Handle("/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		defer cancel()
		require.NoError(t, h.Shutdown(ctx))
		srv.Close()
	})
	return srv.URL
}

func dialSocketIOTest(t *testing.T, base string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, err := DialSocketIO(ctx, base, "good-p1")
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// exchange sends one request and returns the next frame.
func exchange(t *testing.T, c *Client, typ string, id int64, payload any) Frame {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, c.Request(ctx, typ, id, payload))
	f, err := c.Next(ctx)
	require.NoError(t, err)
	return f
}

func TestDialSocketIO_RequestsGetTypedReplies(t *testing.T) {
	t.Parallel()
	c := dialSocketIOTest(t, gatewayServer(t, nil))
	whack := func(hole int) whackBody { return whackBody{SessionID: testSession, Hole: hole, MoleID: 1} }
	tests := []struct {
		name    string
		typ     string
		id      int64
		payload any
		wantT   string
		wantD   string // a key the payload must have
	}{
		{name: "ack", typ: "game:start", id: 1, payload: map[string]string{"mode": "classic"}, wantT: "ack", wantD: "sessionId"},
		{name: "hit", typ: "game:whack", id: 2, payload: whack(0), wantT: "game:hit", wantD: "points"},
		{name: "miss", typ: "game:whack", id: 3, payload: whack(1), wantT: "game:miss", wantD: "reason"},
		{name: "actor error", typ: "game:whack", id: 4, payload: whack(2), wantT: "error", wantD: "code"},
		{name: "gateway error", typ: "game:start", id: 5, payload: map[string]string{"mode": "Not A Mode"}, wantT: "error", wantD: "code"},
		{name: "pong", typ: "ping", id: 6, wantT: "pong", wantD: "serverTime"},
		{name: "no id: an event", typ: "game:whack", payload: whack(0), wantT: "game:hit", wantD: "points"},
	}
	for _, tc := range tests {
		f := exchange(t, c, tc.typ, tc.id, tc.payload)
		require.Equal(t, tc.wantT, f.T, tc.name)
		require.Equal(t, tc.id, f.ID, tc.name)
		var d map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(f.D, &d), tc.name)
		require.Contains(t, d, tc.wantD, tc.name)
		if tc.typ == "game:start" && f.T == "ack" {
			ctx, cancel := context.WithTimeout(context.Background(), waitFor)
			mole, err := c.Next(ctx) // the event that followed the ack
			cancel()
			require.NoError(t, err)
			require.Equal(t, Frame{T: "game:mole", D: mole.D}, mole)
			require.Contains(t, string(mole.D), `"moleId":1`)
		}
	}
}

type whackBody struct {
	SessionID string `json:"sessionId"`
	Hole      int    `json:"hole"`
	MoleID    int64  `json:"moleId"`
}

func TestDialSocketIO_ConnectErrorNamesCode(t *testing.T) {
	t.Parallel()
	base := gatewayServer(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, err := DialSocketIO(ctx, base, "bad")
	var ce *ConnectError
	require.ErrorAs(t, err, &ce)
	require.Equal(t, ws.ConnectUnauthorized, ce.Code)
	require.ErrorContains(t, err, "unauthorized")
}

func TestDialSocketIO_AnswersServerPings(t *testing.T) {
	t.Parallel()
	base := gatewayServer(t, func(c *config.WebSocket) {
		c.SocketIO.PingInterval = 10 * time.Millisecond
		c.SocketIO.PingTimeout = time.Minute
		// The app pings below only wait for the server's: no rate limit.
		c.MessageRate, c.MessageBurst = 1e9, 1e9
	})
	c := dialSocketIOTest(t, base)
	log := &frameLog{}
	c.Observe(log)
	// The server pings again only after our pong to its last ping, so a
	// third ping proves the first two were answered.
	for id := int64(1); log.count(true, "2") < 3; id++ {
		require.Equal(t, "pong", exchange(t, c, "ping", id, nil).T)
	}
	require.Equal(t, log.count(true, "2"), log.count(false, "3"), "every ping read was answered")
}

func TestDialSocketIO_ServerCloseCarriesCode(t *testing.T) {
	t.Parallel()
	c := dialSocketIOTest(t, gatewayServer(t, nil))
	f := exchange(t, c, "game:resume", 1, map[string]string{"sessionId": testSession})
	require.Equal(t, "connection:close", f.T)
	require.JSONEq(t, `{"code":4009,"reason":"slow_client"}`, string(f.D))
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, err := c.Next(ctx)
	code, ok := CloseCode(err)
	require.True(t, ok, "error %v carries no close code", err)
	require.Equal(t, ws.CloseSlowClient, code)
}

func TestSocketIO_NamesMatchTheGateway(t *testing.T) {
	t.Parallel()
	require.Equal(t, ws.Namespace, namespace)
	require.Equal(t, player.TypeWhack, requestWhack)
	require.Equal(t, player.TypePing, requestPing)
}

func TestReplyOf(t *testing.T) {
	t.Parallel()
	tests := []struct {
		request, arg, wantT, wantD string
	}{
		{request: "game:whack", arg: `{"points":1}`, wantT: "game:hit", wantD: `{"points":1}`},
		{request: "game:whack", arg: `{"reason":"late"}`, wantT: "game:miss", wantD: `{"reason":"late"}`},
		{request: "game:whack", arg: `{"error":{"code":"x"}}`, wantT: "error", wantD: `{"code":"x"}`},
		{request: "ping", arg: `{"serverTime":1}`, wantT: "pong", wantD: `{"serverTime":1}`},
		{request: "leaderboard:subscribe", arg: `{}`, wantT: "ack", wantD: `{}`},
		{request: "", arg: `[1]`, wantT: "ack", wantD: `[1]`},
	}
	for _, tt := range tests {
		typ, d := replyOf(tt.request, json.RawMessage(tt.arg))
		require.Equal(t, tt.wantT, typ, tt.arg)
		require.Equal(t, tt.wantD, string(d), tt.arg)
	}
}

// count reports how many frames received (or sent) equal s.
func (l *frameLog) count(received bool, s string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	frames := l.sent
	if received {
		frames = l.received
	}
	n := 0
	for _, f := range frames {
		if f == s {
			n++
		}
	}
	return n
}
