package e2e

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/sio"
	"github.com/proofstell/proofstell/internal/asyncapi"
)

// sioSocket is a Socket.IO client on a websocket, speaking the packets
// socket.io-client sends. Every event and ack it receives is checked against
// docs/asyncapi.yaml.
type sioSocket struct {
	t    *testing.T
	conn *websocket.Conn
	// requests maps the ack ids of the emits sent to their event names, so
	// an ack is checked against the replies of its request.
	requests map[int64]string
}

func dialSocketIO(t *testing.T, s *server, token string) *sioSocket {
	t.Helper()
	return dialSocketIOQuery(t, s, token, "")
}

// dialSocketIOQuery dials Socket.IO with extra query parameters ("&lang=es").
func dialSocketIOQuery(t *testing.T, s *server, token, query string) *sioSocket {
	t.Helper()
	url := strings.Replace(s.base, "http://", "ws://", 1) + "/socket.io/?EIO=4&transport=websocket" + query
	conn, resp, err := websocket.DefaultDialer.Dial(url, nil)
	require.NoError(t, err)
	_ = resp.Body.Close()
	t.Cleanup(func() { _ = conn.Close() })
	c := &sioSocket{t: t, conn: conn, requests: map[int64]string{}}
	require.True(t, strings.HasPrefix(c.next(), `0{"sid":`))
	c.write(`40/realtime,{"token":"` + token + `"}`)
	require.True(t, strings.HasPrefix(c.next(), `40/realtime,{"sid":`))
	return c
}

func (c *sioSocket) write(packet string) {
	c.t.Helper()
	if p, ok := socketPacket(packet); ok && p.Kind == sio.Event && p.ID != sio.NoAck {
		if name, _, err := sio.DecodeEvent(p.Data); err == nil {
			c.requests[p.ID] = name
		}
	}
	require.NoError(c.t, c.conn.WriteMessage(websocket.TextMessage, []byte(packet)))
}

// check validates a received Engine.IO message's event or ack against the
// document.
func (c *sioSocket) check(packet string) {
	p, ok := socketPacket(packet)
	switch {
	case !ok:
	case p.Kind == sio.Event:
		asyncapi.ValidateSocketIOEvent(c.t, p.Data)
	case p.Kind == sio.Ack:
		asyncapi.ValidateSocketIOAck(c.t, c.requests[p.ID], p.Data)
	case p.Kind == sio.ConnectError:
		asyncapi.ValidateSocketIOConnectError(c.t, p.Data)
	}
}

// socketPacket decodes the Socket.IO packet of an Engine.IO message packet.
func socketPacket(packet string) (sio.SocketPacket, bool) {
	if !strings.HasPrefix(packet, "4") {
		return sio.SocketPacket{}, false
	}
	p, err := sio.DecodeSocketPacket([]byte(packet[1:]))
	return p, err == nil
}

// next returns the next packet that is not a ping, answering pings.
func (c *sioSocket) next() string {
	c.t.Helper()
	require.NoError(c.t, c.conn.SetReadDeadline(time.Now().Add(10*time.Second)))
	for {
		_, data, err := c.conn.ReadMessage()
		require.NoError(c.t, err)
		if string(data) != "2" {
			c.check(string(data))
			return string(data)
		}
		c.write("3")
	}
}

// TestServer_SocketIOPlaysAndIsRevoked drives the binary as socket.io-client
// does: acks through the protocol table, a game started with an ack, and a
// logout that tells the client why before DISCONNECT.
func TestServer_SocketIOPlaysAndIsRevoked(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t)
	login := signInGuest(t, s, "e2e-sio-player")
	c := dialSocketIO(t, s, login.AccessToken)

	c.write(`42/realtime,0["leaderboard:subscribe",{"leaderboardId":"daily"}]`)
	require.True(t, strings.HasPrefix(c.next(), `43/realtime,0[`))
	c.write(`42/realtime,1["game:start",{"mode":"classic"}]`)
	ack := c.next()
	require.True(t, strings.HasPrefix(ack, `43/realtime,1[`), ack)
	var started []struct {
		SessionID string `json:"sessionId"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(ack, "43/realtime,1")), &started), ack)
	require.NotEmpty(t, started[0].SessionID, ack)
	c.write(`42/realtime,2["game:teleport",{}]`)
	for got := c.next(); !strings.HasPrefix(got, `43/realtime,2[`); got = c.next() {
		require.True(t, strings.HasPrefix(got, `42/realtime,["`), "only events between: %s", got)
	}

	require.Equal(t, http.StatusNoContent, s.call(http.MethodPost, "/api/v1/auth/logout", login.AccessToken, nil, nil))
	got := c.next()
	for strings.HasPrefix(got, `42/realtime,["game:`) || strings.HasPrefix(got, `42/realtime,["leaderboard:`) {
		got = c.next()
	}
	require.Equal(t, `42/realtime,["connection:close",{"code":4003,"reason":"revoked"}]`, got)
	require.Equal(t, `41/realtime,`, c.next())
}

// TestServer_SocketIOLongPolling: the client's default transport through
// the router's middlewares, with a long poll held past the REST write
// timeout, and a refused token as a CONNECT_ERROR.
func TestServer_SocketIOLongPolling(t *testing.T) {
	if testing.Short() {
		t.Skip("starts the server")
	}
	t.Parallel()
	s := startServer(t, "HTTP_WRITE_TIMEOUT=1s", "SOCKETIO_PING_INTERVAL=2s", "SOCKETIO_PING_TIMEOUT=2s")
	token, _ := s.guest("e2e-sio-polling")
	poll := func(method, sid, body string) (int, string) {
		url := s.base + "/socket.io/?EIO=4&transport=polling"
		if sid != "" {
			url += "&sid=" + sid
		}
		req, err := http.NewRequest(method, url, strings.NewReader(body))
		require.NoError(t, err)
		resp, err := http.DefaultClient.Do(req)
		require.NoError(t, err)
		defer func() { _ = resp.Body.Close() }()
		out, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		return resp.StatusCode, string(out)
	}
	status, body := poll(http.MethodGet, "", "")
	require.Equal(t, http.StatusOK, status, body)
	var open struct {
		SID          string `json:"sid"`
		PingInterval int    `json:"pingInterval"`
	}
	require.NoError(t, json.Unmarshal([]byte(strings.TrimPrefix(body, "0")), &open))
	require.Equal(t, 2000, open.PingInterval)

	status, _ = poll(http.MethodPost, open.SID, `40/realtime,{"token":"forged"}`)
	require.Equal(t, http.StatusOK, status)
	_, body = poll(http.MethodGet, open.SID, "")
	require.Equal(t, `44/realtime,{"message":"invalid access token","data":{"code":"unauthorized"}}`, body)

	status, _ = poll(http.MethodPost, open.SID, `40/realtime,{"token":"`+token+`"}`)
	require.Equal(t, http.StatusOK, status)
	_, body = poll(http.MethodGet, open.SID, "")
	require.True(t, strings.HasPrefix(body, `40/realtime,{"sid":`), body)
	_, _ = poll(http.MethodPost, open.SID, "3")
	var start time.Time
	for body = ""; body != "2"; { // missed notification alerts (the day's challenge start) come first
		require.True(t, body == "" || strings.HasPrefix(body, `42/realtime,["notification:alert",`), body)
		start = time.Now()
		status, body = poll(http.MethodGet, open.SID, "") // held until the next ping, 2 s
		require.Equal(t, http.StatusOK, status)
	}
	require.Greater(t, time.Since(start), time.Second, "the long poll outlived HTTP_WRITE_TIMEOUT")

	status, body = poll(http.MethodGet, "unknown-sid", "")
	require.Equal(t, http.StatusBadRequest, status)
	require.JSONEq(t, `{"code":1,"message":"Session ID unknown"}`, body)
}
