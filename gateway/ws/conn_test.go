package ws

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
)

func framed(typ, data string) player.Frame {
	return player.Frame{Type: typ, Data: []byte(data)}
}

func TestConn_RoundTrip(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)

	writeText(t, c, `{"t":"game:whack","id":7,"d":{"sessionId":"`+testSession+`","hole":2,"moleId":3}}`)
	cmd := env.att.nextCommand(t)
	require.Equal(t, int64(7), cmd.ID)
	require.Equal(t, env.clock.Now(), cmd.ReceivedAt)
	require.Equal(t, player.Whack{SessionID: testSession, Hole: 2, MoleID: 3}, cmd.Body)

	require.True(t, pc.Send(player.Frame{Type: events.TypeHit, ID: 7, Data: []byte(`{"points":1}`)}))
	require.True(t, pc.Send(framed(events.TypeMole, `{"hole":4}`)))
	f := readFrame(t, c)
	require.Equal(t, clientFrame{T: events.TypeHit, ID: 7, D: json.RawMessage(`{"points":1}`)}, f)
	f = readFrame(t, c)
	require.Equal(t, clientFrame{T: events.TypeMole, D: json.RawMessage(`{"hole":4}`)}, f)

	writeText(t, c, `{"t":"ping","id":11}`)
	f = readFrame(t, c)
	require.Equal(t, TypePong, f.T)
	require.Equal(t, int64(11), f.ID)
	require.JSONEq(t, fmt.Sprintf(`{"serverTime":%d}`, env.clock.Now().UnixMilli()), string(f.D))

	require.InDelta(t, 1, testutil.ToFloat64(env.m.messagesIn.WithLabelValues(TypeWhack)), 0)
	require.InDelta(t, 1, testutil.ToFloat64(env.m.messagesIn.WithLabelValues(TypePing)), 0)
	// The writer counts a frame after the write returns, which may be after
	// the client has read it.
	require.Eventually(t, func() bool { return testutil.ToFloat64(env.m.messagesOut) == 3 }, waitFor, time.Millisecond)
	require.InDelta(t, 1, testutil.ToFloat64(env.m.connections), 0)

	require.NoError(t, c.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(CloseNormal, "bye")))
	requireDetached(t, env.att, pc)
	require.Zero(t, env.h.Connections())
	require.InDelta(t, 0, testutil.ToFloat64(env.m.connections), 0)
}

func TestConn_BadFramesKeepConnectionOpen(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.dial(t, "p1")
	env.att.nextConn(t)
	whack := func(d string) string { return `{"t":"game:whack","id":3,"d":` + d + `}` }
	tests := []struct {
		name string
		raw  string
		id   int64
		code string
	}{
		{"unknown type", `{"t":"game:fly","id":1,"d":{}}`, 1, events.CodeUnknownType},
		{"unknown field", `{"t":"game:start","id":2,"d":{"mode":"classic","x":1}}`, 2, events.CodeBadRequest},
		{"wrong type", `{"t":"game:start","id":2,"d":{"mode":true}}`, 2, events.CodeBadRequest},
		{"missing field", whack(`{"sessionId":"` + testSession + `","moleId":1}`), 3, events.CodeBadRequest},
		{"bad uuid", whack(`{"sessionId":"abc","hole":1,"moleId":1}`), 3, events.CodeBadRequest},
		{"hole out of range", whack(`{"sessionId":"` + testSession + `","hole":99,"moleId":1}`), 3, events.CodeBadRequest},
		{"trailing data", `{"t":"ping","id":4}{"t":"ping"}`, 4, events.CodeBadRequest},
		{"not json", `whack!`, 0, events.CodeBadRequest},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			writeText(t, c, tt.raw)
			f := readFrame(t, c)
			code, msg := errorPayload(t, f)
			require.Equal(t, tt.id, f.ID)
			require.Equal(t, tt.code, code)
			require.NotEmpty(t, msg)
		})
	}
	t.Run("binary frame", func(t *testing.T) {
		require.NoError(t, c.WriteMessage(websocket.BinaryMessage, []byte{1, 2, 3}))
		code, _ := errorPayload(t, readFrame(t, c))
		require.Equal(t, events.CodeBadRequest, code)
	})
	writeText(t, c, `{"t":"game:start","id":5,"d":{"mode":"classic"}}`)
	cmd := env.att.nextCommand(t)
	require.Equal(t, player.StartGame{Mode: "classic"}, cmd.Body)
	require.Empty(t, env.att.commands, "refused frames are never delivered")
}

func TestConn_OversizeFrameClosesTooBig(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) { d.Config.ReadLimit = 128 })
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	big := `{"t":"game:start","d":{"mode":"` + strings.Repeat("a", 4096) + `"}}`
	writeText(t, c, big)
	require.Equal(t, CloseTooBig, readClose(t, c).Code)
	require.NoError(t, c.Close())
	requireDetached(t, env.att, pc)
	require.Empty(t, env.att.commands)
}

func TestConn_RateLimitThenFloodClose(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Config.MessageRate = 1
		d.Config.MessageBurst = 2
		d.Config.FloodLimit = 10
		d.Config.FloodWindow = time.Second
	})
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	ping := `{"t":"ping","id":1}`

	// The clock stands still, so only the burst is allowed.
	writeText(t, c, ping)
	writeText(t, c, ping)
	require.Equal(t, TypePong, readFrame(t, c).T)
	require.Equal(t, TypePong, readFrame(t, c).T)
	writeText(t, c, ping)
	code, _ := errorPayload(t, readFrame(t, c))
	require.Equal(t, events.CodeRateLimited, code)

	// One second refills one token and ends the flood window.
	env.clock.Advance(time.Second)
	writeText(t, c, ping)
	require.Equal(t, TypePong, readFrame(t, c).T)

	// FloodLimit+1 refusals in one window close the socket; only the first
	// few of them were answered.
	for range 11 {
		writeText(t, c, ping)
	}
	errorsBeforeClose, ce := readUntilClose(t, c)
	require.Equal(t, answeredPerWindow, errorsBeforeClose)
	require.Equal(t, CloseRateLimited, ce.Code)
	require.Equal(t, ReasonRateLimited, ce.Text)
	requireDetached(t, env.att, pc)
	require.InDelta(t, 12, testutil.ToFloat64(env.m.rejected.WithLabelValues(rejectRateLimited)), 0)
	require.InDelta(t, 1, testutil.ToFloat64(env.m.floodCloses), 0)
}

func TestConn_RefusalsSpreadOverWindowsKeepSocketOpen(t *testing.T) {
	t.Parallel()
	const limit = 5
	env := newTestEnv(t, func(d *Deps) {
		d.Config.MessageRate = 1
		d.Config.MessageBurst = 1
		d.Config.FloodLimit = limit
		d.Config.FloodWindow = time.Second
	})
	c := env.dial(t, "p1")
	env.att.nextConn(t)
	ping := `{"t":"ping","id":1}`
	for round := 1; round <= 3; round++ {
		writeText(t, c, ping) // spends the one token
		require.Equal(t, TypePong, readFrame(t, c).T)
		for range limit {
			writeText(t, c, ping)
		}
		for range answeredPerWindow {
			code, _ := errorPayload(t, readFrame(t, c))
			require.Equal(t, events.CodeRateLimited, code)
		}
		// Wait until the server has refused every frame before moving time.
		rejected := env.m.rejected.WithLabelValues(rejectRateLimited)
		require.Eventually(t, func() bool { return testutil.ToFloat64(rejected) == float64(round*limit) },
			waitFor, time.Millisecond)
		env.clock.Advance(time.Second)
	}
	writeText(t, c, ping)
	require.Equal(t, TypePong, readFrame(t, c).T, "silent refusals sent no frame, and the socket is open")
	require.Zero(t, testutil.ToFloat64(env.m.floodCloses))
}

// TestConn_FloodAt900FramesPerSecondCloses replays the reported attack with
// the default limits: 900 frames a second (the clock moves 1/900 s per
// reading) used to keep the socket open for thousands of error frames.
func TestConn_FloodAt900FramesPerSecondCloses(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	env.clock.step = time.Second / 900
	c := env.dial(t, "p1")
	env.att.nextConn(t)
	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		for range 9000 {
			if c.WriteMessage(websocket.TextMessage, []byte(`{"t":"ping"}`)) != nil {
				return
			}
		}
	}()
	errorsBeforeClose, ce := readUntilClose(t, c)
	require.Equal(t, CloseRateLimited, ce.Code)
	require.Equal(t, answeredPerWindow, errorsBeforeClose, "no amplification")
	require.NoError(t, c.Close())
	<-writerDone
	refused := testutil.ToFloat64(env.m.rejected.WithLabelValues(rejectRateLimited))
	require.InDelta(t, float64(config.Default().WS.FloodLimit+1), refused, 0)
	require.InDelta(t, 1, testutil.ToFloat64(env.m.floodCloses), 0)
}

// readUntilClose reads to the close frame, counting the error frames before it.
func readUntilClose(t testing.TB, c *websocket.Conn) (int, *websocket.CloseError) {
	t.Helper()
	errorFrames := 0
	for {
		_, data, err := c.ReadMessage()
		if err != nil {
			var ce *websocket.CloseError
			require.ErrorAs(t, err, &ce)
			return errorFrames, ce
		}
		var f clientFrame
		require.NoError(t, json.Unmarshal(data, &f))
		if f.T == events.TypeError {
			errorFrames++
		}
	}
}

func TestConn_SlowClientDisconnected(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, func(d *Deps) {
		d.Config.SendQueue = 4
		d.Config.DropLimit = 3
		d.Config.WriteWait = 2 * time.Second
	})
	env.dial(t, "p1") // never reads
	pc := env.att.nextConn(t)
	big := framed(events.TypeMole, `"`+strings.Repeat("x", 256<<10)+`"`)
	require.Eventually(t, func() bool {
		pc.Send(big)
		return env.att.detached(pc) > 0
	}, waitFor, time.Millisecond)
	require.Equal(t, 1, env.att.detached(pc))
	code, reason, _ := pc.(*conn).closeState()
	require.Equal(t, CloseSlowClient, code)
	require.Equal(t, ReasonSlowClient, reason)
	require.GreaterOrEqual(t, testutil.ToFloat64(env.m.drops), 3.0)
	require.InDelta(t, 0, testutil.ToFloat64(env.m.queued), 0)
	require.False(t, pc.Send(big))
}

func TestConn_RTTFromPingPong(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	env.clock.step = 10 * time.Millisecond
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	go func() { // answers pings (gorilla replies inside ReadMessage)
		for {
			if _, _, err := c.ReadMessage(); err != nil {
				return
			}
		}
	}()
	require.Eventually(t, func() bool { return pc.RTT() > 0 }, waitFor, time.Millisecond)
	require.Equal(t, 10*time.Millisecond, pc.RTT(), "one clock step between ping and pong")
}

func TestConn_ForgedPongIgnored(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	env.clock.step = 10 * time.Millisecond
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	c.SetPingHandler(func(string) error { return nil }) // only the forged pong answers
	forged := make([]byte, 8)
	forged[0] = 1
	require.NoError(t, c.WriteControl(websocket.PongMessage, forged, time.Now().Add(waitFor)))
	writeText(t, c, `{"t":"ping","id":1}`)
	// The pong frame was read before the ping command, which is answered.
	require.Equal(t, TypePong, readFrame(t, c).T)
	require.Zero(t, pc.RTT())
}

func TestConn_CloseIsIdempotent(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	require.True(t, pc.Send(framed(events.TypeOver, `{"gameId":"g"}`)))
	pc.Close(CloseNormal, "game over")
	pc.Close(CloseAuthExpired, "ignored")
	require.False(t, pc.Send(framed(events.TypeMole, `{}`)))
	require.Equal(t, events.TypeOver, readFrame(t, c).T)
	ce := readClose(t, c)
	require.Equal(t, CloseNormal, ce.Code)
	require.Equal(t, "game over", ce.Text)
	requireDetached(t, env.att, pc)
}

func TestConn_AbruptClientDisconnect(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.dial(t, "p1")
	pc := env.att.nextConn(t)
	require.NoError(t, c.UnderlyingConn().Close()) // no close frame
	requireDetached(t, env.att, pc)
}

func TestHandler_CloseUser(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	a1, a2, b := env.dial(t, "alice"), env.dial(t, "alice"), env.dial(t, "bob")
	for range 3 {
		env.att.nextConn(t)
	}
	require.Equal(t, 2, env.h.CloseUser("alice", CloseAuthExpired, "auth revoked"))
	for _, c := range []*websocket.Conn{a1, a2} {
		ce := readClose(t, c)
		require.Equal(t, CloseAuthExpired, ce.Code)
		require.Equal(t, "auth revoked", ce.Text)
	}
	require.Zero(t, env.h.CloseUser("nobody", CloseAuthExpired, "auth revoked"))
	writeText(t, b, `{"t":"ping","id":1}`)
	require.Equal(t, TypePong, readFrame(t, b).T, "other players keep their socket")
	require.Eventually(t, func() bool { return env.h.Connections() == 1 }, waitFor, time.Millisecond)
}
