package ws

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// sioOpen is the Engine.IO open packet as a client reads it.
type sioOpen struct {
	SID          string   `json:"sid"`
	Upgrades     []string `json:"upgrades"`
	PingInterval int64    `json:"pingInterval"`
	PingTimeout  int64    `json:"pingTimeout"`
	MaxPayload   int64    `json:"maxPayload"`
}

func (e *testEnv) sioURL(query string) string {
	return e.srv.URL + "/socket.io/?EIO=4" + query
}

func (e *testEnv) sioWSURL(query string) string {
	return "ws" + strings.TrimPrefix(e.sioURL(query), "http")
}

// dialSIO opens a session on a websocket and returns its open packet.
func (e *testEnv) dialSIO(t testing.TB) (*websocket.Conn, sioOpen) {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(e.sioWSURL("&transport=websocket"), nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
	return c, readOpen(t, readRaw(t, c))
}

func readOpen(t testing.TB, packet string) sioOpen {
	t.Helper()
	data, ok := strings.CutPrefix(packet, "0")
	require.True(t, ok, "open packet: %q", packet)
	var o sioOpen
	require.NoError(t, json.Unmarshal([]byte(data), &o))
	return o
}

// connectSIO dials and connects to the namespace as player pid.
func (e *testEnv) connectSIO(t testing.TB, pid string) *websocket.Conn {
	t.Helper()
	c, _ := e.dialSIO(t)
	writeText(t, c, `40/realtime,{"token":"good-`+pid+`"}`)
	require.True(t, strings.HasPrefix(readSIO(t, c), `40/realtime,{"sid":"`))
	return c
}

func readRaw(t testing.TB, c *websocket.Conn) string {
	t.Helper()
	kind, data, err := c.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, websocket.TextMessage, kind)
	return string(data)
}

// readSIO returns the next packet that is not a ping, answering pings.
func readSIO(t testing.TB, c *websocket.Conn) string {
	t.Helper()
	for {
		p := readRaw(t, c)
		if p != "2" {
			return p
		}
		writeText(t, c, "3")
	}
}

// requireGoodbye reads the connection:close event, DISCONNECT and the close.
func requireGoodbye(t testing.TB, c *websocket.Conn, code int, reason string) {
	t.Helper()
	got := readSIO(t, c)
	for strings.HasPrefix(got, `42/realtime,["game:`) || strings.HasPrefix(got, `43/`) {
		got = readSIO(t, c) // frames flushed before the goodbye
	}
	require.JSONEq(t, `["connection:close",{"code":`+itoa(code)+`,"reason":"`+reason+`"}]`,
		strings.TrimPrefix(got, "42/realtime,"), got)
	require.Equal(t, "41/realtime,", readSIO(t, c))
	ce := readClose(t, c)
	require.Equal(t, code, ce.Code)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// pollGet issues a polling GET and returns its status and body.
func (e *testEnv) pollGet(t testing.TB, sid string) (int, string) {
	t.Helper()
	return e.pollDo(t, http.MethodGet, sid, "")
}

func (e *testEnv) pollPost(t testing.TB, sid, body string) (int, string) {
	t.Helper()
	return e.pollDo(t, http.MethodPost, sid, body)
}

func (e *testEnv) pollDo(t testing.TB, method, sid, body string) (int, string) {
	t.Helper()
	url := e.sioURL("&transport=polling")
	if sid != "" {
		url += "&sid=" + sid
	}
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	require.NoError(t, err)
	resp, err := (&http.Client{Timeout: waitFor}).Do(req)
	require.NoError(t, err)
	defer func() { _ = resp.Body.Close() }()
	out, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(out)
}

// pollOpen opens a polling session connected to the namespace as pid and
// returns its sid.
func (e *testEnv) pollOpen(t testing.TB, pid string) string {
	t.Helper()
	status, body := e.pollGet(t, "")
	require.Equal(t, http.StatusOK, status, body)
	sid := readOpen(t, body).SID
	status, body = e.pollPost(t, sid, `40/realtime,{"token":"good-`+pid+`"}`)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, "ok", body)
	_, body = e.pollGet(t, sid)
	require.True(t, strings.HasPrefix(body, `40/realtime,{"sid":"`), body)
	require.True(t, strings.HasSuffix(body, "\x1e2"), "the first ping follows the CONNECT reply: %q", body)
	status, _ = e.pollPost(t, sid, "3")
	require.Equal(t, http.StatusOK, status)
	return sid
}
