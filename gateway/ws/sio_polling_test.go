package ws

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
)

func TestSocketIO_PollingHandshakeAndLongPoll(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	status, body := env.pollGet(t, "")
	require.Equal(t, http.StatusOK, status)
	open := readOpen(t, body)
	require.Equal(t, []string{"websocket"}, open.Upgrades)
	require.Equal(t, int64(25000), open.PingInterval)
	require.Equal(t, int64(1_000_000), open.MaxPayload)

	sid := env.pollOpenSID(t, open.SID, "p1")
	pc := env.att.nextConn(t)

	// A GET waits until something is queued; what waits comes in one payload.
	got := make(chan string, 1)
	go func() {
		_, body := env.pollGet(t, sid)
		got <- body
	}()
	status, body = env.pollPost(t, sid, `42/realtime,0["game:start",{"mode":"classic"}]`+"\x1e"+`42/realtime,["ping"]`)
	require.Equal(t, http.StatusOK, status, body)
	require.Equal(t, int64(1), env.att.nextCommand(t).ID)
	pc.Send(player.Frame{Type: "game:started", ID: 1, Data: []byte(`{"gameId":"g1"}`)})
	parts := strings.Split(<-got, "\x1e")
	if len(parts) == 1 { // the GET returned with the pong before the ack was queued
		_, body = env.pollGet(t, sid)
		parts = append(parts, strings.Split(body, "\x1e")...)
	}
	require.Len(t, parts, 2)
	require.True(t, strings.HasPrefix(parts[0], `42/realtime,["pong",{"serverTime":`), parts)
	require.Equal(t, `43/realtime,0[{"gameId":"g1"}]`, parts[1])

	// Server close: the next GET carries the goodbye and Engine.IO close.
	pc.Close(CloseRevoked, ReasonRevoked)
	_, body = env.pollGet(t, sid)
	require.Equal(t, `42/realtime,["connection:close",{"code":4003,"reason":"revoked"}]`+"\x1e41/realtime,", body)
	_, body = env.pollGet(t, sid)
	require.Equal(t, "1", body, "the Engine.IO close comes in a response of its own")
	requireDetached(t, env.att, pc)
	status, body = env.pollGet(t, sid)
	require.Equal(t, http.StatusBadRequest, status)
	require.JSONEq(t, `{"code":1,"message":"Session ID unknown"}`, body)
}

// pollOpenSID connects the session sid (already opened) as pid.
func (e *testEnv) pollOpenSID(t testing.TB, sid, pid string) string {
	t.Helper()
	status, body := e.pollPost(t, sid, `40/realtime,{"token":"good-`+pid+`"}`)
	require.Equal(t, http.StatusOK, status, body)
	_, body = e.pollGet(t, sid)
	require.True(t, strings.HasPrefix(body, `40/realtime,{"sid":"`), body)
	status, _ = e.pollPost(t, sid, "3")
	require.Equal(t, http.StatusOK, status)
	return sid
}

func TestSocketIO_PollingUpgradeToWebSocket(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	sid := env.pollOpen(t, "p1")
	pc := env.att.nextConn(t)

	pending := make(chan string, 1)
	go func() {
		_, body := env.pollGet(t, sid)
		pending <- body
	}()
	c, resp, err := websocket.DefaultDialer.Dial(env.sioWSURL("&transport=websocket&sid="+sid), nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
	writeText(t, c, "2probe")
	require.Equal(t, "3probe", readRaw(t, c))
	require.Equal(t, "6", <-pending, "the pending GET is released with a noop")
	writeText(t, c, "5")

	pc.Send(player.Frame{Type: "game:state", Data: []byte(`{"n":1}`)})
	require.Equal(t, `42/realtime,["game:state",{"n":1}]`, readSIO(t, c))
	writeText(t, c, `42/realtime,3["game:start",{"mode":"classic"}]`)
	require.Equal(t, int64(4), env.att.nextCommand(t).ID)

	status, body := env.pollGet(t, sid)
	require.Equal(t, http.StatusBadRequest, status, "polling ends with the upgrade: %s", body)
	require.Equal(t, 1, env.h.CloseUser("p1", CloseRevoked, ReasonRevoked))
	requireGoodbye(t, c, CloseRevoked, ReasonRevoked)
	requireDetached(t, env.att, pc)
}

func TestSocketIO_PollingLimits(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Config.SocketIO.MaxPayload = 2048 })

	t.Run("oversize post closes the session", func(t *testing.T) {
		_, body := env.pollGet(t, "")
		sid := readOpen(t, body).SID
		status, _ := env.pollPost(t, sid, "4"+strings.Repeat("x", 2048))
		require.Equal(t, http.StatusRequestEntityTooLarge, status)
		require.Eventually(t, func() bool {
			status, _ := env.pollGet(t, sid)
			return status == http.StatusBadRequest
		}, waitFor, 10*time.Millisecond)
	})
	t.Run("malformed post closes the session", func(t *testing.T) {
		_, body := env.pollGet(t, "")
		sid := readOpen(t, body).SID
		status, _ := env.pollPost(t, sid, "9\x1e")
		require.Equal(t, http.StatusBadRequest, status)
	})
	t.Run("a second concurrent GET closes the session", func(t *testing.T) {
		_, body := env.pollGet(t, "")
		sid := readOpen(t, body).SID
		statuses := make(chan int, 2)
		for range 2 { // nothing is queued: the first GET waits, the second overlaps
			go func() {
				status, _ := env.pollGet(t, sid)
				statuses <- status
			}()
		}
		require.ElementsMatch(t, []int{http.StatusOK, http.StatusBadRequest}, []int{<-statuses, <-statuses},
			"the overlapping GET is refused, the waiting one ends with the session")
		status, _ := env.pollGet(t, sid)
		require.Equal(t, http.StatusBadRequest, status)
	})
}

func TestSocketIO_PollingSlowClient(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Config.SendQueue, d.Config.DropLimit = 2, 3 })
	sid := env.pollOpen(t, "p1")
	pc := env.att.nextConn(t)
	for i := range 6 { // nobody polls: 2 queued, then drops until DropLimit
		pc.Send(player.Frame{Type: "game:state", Data: []byte(`{"n":` + itoa(i) + `}`)})
	}
	_, body := env.pollGet(t, sid)
	require.Equal(t, `42/realtime,["connection:close",{"code":4009,"reason":"slow_client"}]`+"\x1e41/realtime,", body,
		"the queued frames are dropped: the client was not reading")
	status, _ := env.pollPost(t, sid, "1") // socket.io-client closes after DISCONNECT
	require.Equal(t, http.StatusOK, status)
	requireDetached(t, env.att, pc)
}

func TestSocketIO_PollingWithoutRequestsCloses(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Config.SocketIO.PingInterval = 20 * time.Millisecond
		d.Config.SocketIO.PingTimeout = 20 * time.Millisecond
	})
	_, body := env.pollGet(t, "")
	sid := readOpen(t, body).SID
	status, _ := env.pollPost(t, sid, `40/realtime,{"token":"good-p1"}`)
	require.Equal(t, http.StatusOK, status)
	pc := env.att.nextConn(t)
	requireDetached(t, env.att, pc)
	status, _ = env.pollGet(t, sid)
	require.Equal(t, http.StatusBadRequest, status)
}

// A broadcast reaches /ws and Socket.IO sockets of both transports; its
// Socket.IO form is built once, and only when a Socket.IO socket takes it.
func TestSocketIO_BroadcastEncodedOncePerNode(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	native := env.dial(t, "p0")
	nc := env.att.nextConn(t)
	onWS := env.connectSIO(t, "p1")
	wsc := env.att.nextConn(t)
	sid := env.pollOpen(t, "p2")
	pollc := env.att.nextConn(t)

	only := broadcast("leaderboard:update", `{"n":0}`)
	require.True(t, nc.Deliver(only))
	require.Nil(t, only.Frame(prepareBroadcast).(*broadcastFrame).sioData, "no Socket.IO socket took it")
	require.Equal(t, "leaderboard:update", readFrame(t, native).T)

	b := broadcast("leaderboard:update", `{"n":1}`)
	for _, c := range []player.Conn{nc, wsc, pollc} {
		require.True(t, c.Deliver(b))
	}
	f := b.Frame(prepareBroadcast).(*broadcastFrame)
	require.Equal(t, `42/realtime,["leaderboard:update",{"n":1}]`, string(f.sioData))
	require.JSONEq(t, `{"n":1}`, string(readFrame(t, native).D))
	require.Equal(t, string(f.sioData), readSIO(t, onWS))
	_, body := env.pollGet(t, sid)
	require.Equal(t, string(f.sioData), body)
}

// A failed probe leaves the session on polling, and it may try again.
func TestSocketIO_FailedProbeKeepsPolling(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	sid := env.pollOpen(t, "p1")
	pc := env.att.nextConn(t)
	dial := func() *websocket.Conn {
		c, resp, err := websocket.DefaultDialer.Dial(env.sioWSURL("&transport=websocket&sid="+sid), nil)
		require.NoError(t, err)
		require.NoError(t, resp.Body.Close())
		t.Cleanup(func() { _ = c.Close() })
		require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
		return c
	}
	bad := dial()
	writeText(t, bad, "2nope")
	_, _, err := bad.ReadMessage()
	require.Error(t, err, "a bad probe closes the websocket")

	pc.Send(player.Frame{Type: "game:state", Data: []byte(`{"n":1}`)})
	_, body := env.pollGet(t, sid)
	require.Equal(t, `42/realtime,["game:state",{"n":1}]`, body, "still polling")

	good := dial()
	writeText(t, good, "2probe")
	require.Equal(t, "3probe", readRaw(t, good))
	writeText(t, good, "5")
	pc.Send(player.Frame{Type: "game:state", Data: []byte(`{"n":2}`)})
	got := readSIO(t, good)
	if got == "6" { // the noop that releases a GET, which nobody was waiting with
		got = readSIO(t, good)
	}
	require.Equal(t, `42/realtime,["game:state",{"n":2}]`, got)
}
