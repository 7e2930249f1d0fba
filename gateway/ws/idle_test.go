package ws

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
)

// countingHandler counts WithAttrs calls: eager attribute formatting is
// what deferAttrs keeps off idle sockets.
type countingHandler struct {
	slog.Handler
	withAttrs *atomic.Int32
}

func (h countingHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	h.withAttrs.Add(1)
	return countingHandler{Handler: h.Handler.WithAttrs(attrs), withAttrs: h.withAttrs}
}

func TestHandler_ConnectionLoggerFormatsAttrsOnlyWhenWriting(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	base := countingHandler{Handler: slog.NewJSONHandler(&out, nil), withAttrs: &atomic.Int32{}}
	h := NewHandler(Deps{Logger: slog.New(base), Attach: newTestAttacher()})
	c := newConn(nil, player.Identity{PlayerID: "p1"}, h.env)
	require.Zero(t, base.withAttrs.Load(), "a connection's logger formats its attributes before any line")
	c.logger().Info("websocket closed for flooding", slog.Int("refused", 9))
	require.Equal(t, int32(1), base.withAttrs.Load())
	require.Contains(t, out.String(), `"player_id":"p1"`)
	require.Contains(t, out.String(), `"refused":9`)
}

func TestDeferAttrs_WritesWhatEagerAttrsWrite(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		derive func(*slog.Logger) *slog.Logger
	}{
		{name: "none", derive: func(l *slog.Logger) *slog.Logger { return l }},
		{name: "one With", derive: func(l *slog.Logger) *slog.Logger { return l.With("player_id", "p1") }},
		{name: "two With", derive: func(l *slog.Logger) *slog.Logger { return l.With("a", 1).With("b", "x") }},
		{name: "With then group", derive: func(l *slog.Logger) *slog.Logger {
			return l.With("a", 1).WithGroup("g").With("b", 2)
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var eager, deferred bytes.Buffer
			opts := &slog.HandlerOptions{ReplaceAttr: dropTime}
			tc.derive(slog.New(slog.NewJSONHandler(&eager, opts))).Warn("m", "k", "v")
			lazy := slog.New(deferAttrs{base: slog.NewJSONHandler(&deferred, opts)})
			tc.derive(lazy).Warn("m", "k", "v")
			require.Equal(t, eager.String(), deferred.String())
		})
	}
}

func TestDeferAttrs_SiblingsDoNotShareAttrs(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	parent := slog.New(deferAttrs{base: slog.NewJSONHandler(&out, &slog.HandlerOptions{ReplaceAttr: dropTime})}).With("a", 1)
	one, two := parent.With("b", 1), parent.With("c", 2)
	one.Info("one")
	two.Info("two")
	require.Equal(t, "{\"level\":\"INFO\",\"msg\":\"one\",\"a\":1,\"b\":1}\n{\"level\":\"INFO\",\"msg\":\"two\",\"a\":1,\"c\":2}\n", out.String())
}

func TestDeferAttrs_EnabledAsksBase(t *testing.T) {
	t.Parallel()
	l := slog.New(deferAttrs{base: slog.NewJSONHandler(&bytes.Buffer{}, &slog.HandlerOptions{Level: slog.LevelWarn})}).With("a", 1)
	require.False(t, l.Enabled(context.Background(), slog.LevelInfo))
	require.True(t, l.Enabled(context.Background(), slog.LevelWarn))
}

func dropTime(_ []string, a slog.Attr) slog.Attr {
	if a.Key == slog.TimeKey {
		return slog.Attr{}
	}
	return a
}

func TestReader_LimiterMadeAtFirstFrameWithFullBurst(t *testing.T) {
	t.Parallel()
	cfg := config.Default().WS
	cfg.MessageRate, cfg.MessageBurst = 1, 2
	r := newReader(&conn{connEnv: &connEnv{cfg: cfg}}, nil)
	require.Nil(t, r.budget.limiter, "an idle socket holds no rate limiter")
	t0 := time.Unix(1_700_000_000, 0)
	require.True(t, r.allow(t0))
	require.NotNil(t, r.budget.limiter)
	require.True(t, r.allow(t0), "the burst is whole at the first frame")
	require.InDelta(t, 0, r.budget.limiter.TokensAt(t0), 1e-9)
}

// TestConn_FramesLargerThanTheReadBuffer proves the small per-socket read
// buffer only costs reads: a frame several times its size arrives whole, and
// a control frame with the largest payload is still answered.
func TestConn_FramesLargerThanTheReadBuffer(t *testing.T) {
	t.Parallel()
	env := newTestEnv(t, nil)
	c := env.dial(t, "p1")
	env.att.nextConn(t)

	pad := strings.Repeat(" ", 4*readBufferSize)
	writeText(t, c, `{"t":"game:whack",`+pad+`"id":7,"d":{"sessionId":"`+testSession+`","hole":2,"moleId":3}}`)
	cmd := env.att.nextCommand(t)
	require.Equal(t, player.Whack{SessionID: testSession, Hole: 2, MoleID: 3}, cmd.Body)

	payload := strings.Repeat("x", 125)
	echoed := make(chan string, 1)
	c.SetPongHandler(func(p string) error { echoed <- p; return nil })
	require.NoError(t, c.WriteControl(websocket.PingMessage, []byte(payload), time.Now().Add(time.Second)))
	writeText(t, c, `{"t":"ping","id":8}`)
	f := readFrame(t, c) // reading runs the pong handler
	require.Equal(t, int64(8), f.ID)
	require.Equal(t, payload, <-echoed)
}
