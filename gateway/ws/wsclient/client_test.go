package wsclient

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"
)

// waitFor bounds every blocking call in these tests.
const waitFor = 5 * time.Second

// echoServer is a stand-in for /ws: it accepts only the bearer token "good"
// and answers every frame with {"t": "echo:"+t, "id": id, "d": d}; a frame
// of type "bye" makes it close with code 4009.
func echoServer(t testing.TB) string {
	t.Helper()
	upgrader := websocket.Upgrader{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/ws" || r.Header.Get("Authorization") != "Bearer good" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		conn, err := upgrader.Upgrade(w, r, nil)
		if err != nil {
			return
		}
		defer func() { _ = conn.Close() }()
		serveEcho(conn)
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func serveEcho(conn *websocket.Conn) {
	for {
		_, msg, err := conn.ReadMessage()
		if err != nil {
			return
		}
		var f Frame
		if json.Unmarshal(msg, &f) != nil {
			return
		}
		if f.T == "bye" {
			_ = conn.WriteMessage(websocket.CloseMessage, websocket.FormatCloseMessage(4009, "slow_client"))
			return
		}
		out, _ := json.Marshal(Frame{T: "echo:" + f.T, ID: f.ID, D: f.D})
		if conn.WriteMessage(websocket.TextMessage, out) != nil {
			return
		}
	}
}

func dialTest(t *testing.T, base string) *Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	c, err := Dial(ctx, base, "good")
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestSocketURL(t *testing.T) {
	t.Parallel()
	tests := []struct {
		base, want string
		wantErr    bool
	}{
		{base: "http://127.0.0.1:3000", want: "ws://127.0.0.1:3000/ws"},
		{base: "https://example.test/", want: "wss://example.test/ws"},
		{base: "ws://127.0.0.1:3000/prefix?x=1", want: "ws://127.0.0.1:3000/prefix/ws"},
		{base: "wss://h", want: "wss://h/ws"},
		{base: "ftp://h", wantErr: true},
		{base: "http://", wantErr: true},
		{base: "://bad", wantErr: true},
	}
	got, err := socketURL("http://127.0.0.1:3000/prefix/", "/socket.io/", "EIO=4&transport=websocket")
	require.NoError(t, err)
	require.Equal(t, "ws://127.0.0.1:3000/prefix/socket.io/?EIO=4&transport=websocket", got)
	for _, tc := range tests {
		t.Run(tc.base, func(t *testing.T) {
			t.Parallel()
			got, err := socketURL(tc.base, "/ws", "")
			if tc.wantErr {
				require.Error(t, err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, tc.want, got)
		})
	}
}

func TestDial_RefusedHandshakeNamesStatus(t *testing.T) {
	t.Parallel()
	base := echoServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	_, err := Dial(ctx, base, "bad")
	require.ErrorContains(t, err, "status 401")
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
}

func TestClient_RequestNext(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		id      int64
		payload any
		wantD   string
	}{
		{name: "with id and payload", id: 7, payload: map[string]string{"mode": "classic"}, wantD: `{"mode":"classic"}`},
		{name: "nil payload sends empty object", id: 1, wantD: `{}`},
		{name: "no id", payload: struct{}{}, wantD: `{}`},
	}
	c := dialTest(t, echoServer(t))
	for _, tc := range tests {
		ctx, cancel := context.WithTimeout(context.Background(), waitFor)
		require.NoError(t, c.Request(ctx, "game:start", tc.id, tc.payload), tc.name)
		f, err := c.Next(ctx)
		cancel()
		require.NoError(t, err, tc.name)
		require.Equal(t, "echo:game:start", f.T, tc.name)
		require.Equal(t, tc.id, f.ID, tc.name)
		require.JSONEq(t, tc.wantD, string(f.D), tc.name)
	}
}

func TestClient_RequestRejectsUnencodablePayload(t *testing.T) {
	t.Parallel()
	c := dialTest(t, echoServer(t))
	err := c.Request(context.Background(), "x", 1, map[string]any{"f": func() {}})
	require.ErrorContains(t, err, "encode x payload")
}

func TestClient_NextHonoursCancel(t *testing.T) {
	t.Parallel()
	c := dialTest(t, echoServer(t))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := c.Next(ctx)
		done <- err
	}()
	cancel()
	select {
	case err := <-done:
		require.ErrorIs(t, err, context.Canceled)
	case <-time.After(waitFor):
		t.Fatal("Next did not return after cancel")
	}
}

func TestClient_NextReportsCloseCode(t *testing.T) {
	t.Parallel()
	c := dialTest(t, echoServer(t))
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, c.Request(ctx, "bye", 0, nil))
	_, err := c.Next(ctx)
	code, ok := CloseCode(err)
	require.True(t, ok, "error %v carries no close code", err)
	require.Equal(t, 4009, code)
	_, ok = CloseCode(context.Canceled)
	require.False(t, ok)
}

func TestClient_CloseIsIdempotent(t *testing.T) {
	t.Parallel()
	c := dialTest(t, echoServer(t))
	require.NoError(t, c.Close())
	require.NoError(t, c.Close())
	err := c.Request(context.Background(), "ping", 0, nil)
	require.Error(t, err)
	require.True(t, strings.HasPrefix(err.Error(), "send ping"))
}

// frameLog is a FrameObserver that keeps what it saw.
type frameLog struct {
	mu             sync.Mutex
	sent, received []string
}

func (l *frameLog) Sent(frame []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.sent = append(l.sent, string(frame))
}

func (l *frameLog) Received(frame []byte) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.received = append(l.received, string(frame))
}

func TestClient_ObserveSeesEveryFrame(t *testing.T) {
	t.Parallel()
	c := dialTest(t, echoServer(t))
	log := &frameLog{}
	c.Observe(log)
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, c.Request(ctx, "ping", 3, nil))
	_, err := c.Next(ctx)
	require.NoError(t, err)
	require.Equal(t, []string{`{"t":"ping","id":3,"d":{}}`}, log.sent)
	require.Equal(t, []string{`{"t":"echo:ping","id":3,"d":{}}`}, log.received)
}
