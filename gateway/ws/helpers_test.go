package ws

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gorilla/websocket"
	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
)

// waitFor bounds every poll in these tests; nothing sleeps.
const waitFor = 5 * time.Second

// testClock is an injected clock; step advances it on every reading.
type testClock struct {
	mu   sync.Mutex
	now  time.Time
	step time.Duration
}

func newTestClock(step time.Duration) *testClock {
	return &testClock{now: time.Date(2025, 1, 2, 3, 4, 5, 0, time.UTC), step: step}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	t := c.now
	c.now = c.now.Add(c.step)
	return t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// testAttacher records what the gateway hands to player actors.
type testAttacher struct {
	mu       sync.Mutex
	attached []player.Identity
	detaches map[player.Conn]int
	conns    chan player.Conn
	commands chan player.Command
}

func newTestAttacher() *testAttacher {
	return &testAttacher{
		detaches: make(map[player.Conn]int),
		conns:    make(chan player.Conn, 16),
		commands: make(chan player.Command, 256),
	}
}

func (a *testAttacher) Attach(id player.Identity, pc player.Conn) (func(player.Command), func()) {
	c := pc
	a.mu.Lock()
	a.attached = append(a.attached, id)
	a.detaches[c] = 0
	a.mu.Unlock()
	a.conns <- pc
	deliver := func(cmd player.Command) {
		select {
		case a.commands <- cmd:
		default: // never block, like the real player actor
		}
	}
	detach := func() {
		a.mu.Lock()
		defer a.mu.Unlock()
		a.detaches[c]++
	}
	return deliver, detach
}

// detached reports how many times pc's detach ran.
func (a *testAttacher) detached(pc player.Conn) int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.detaches[pc]
}

func (a *testAttacher) attachedCount() int {
	a.mu.Lock()
	defer a.mu.Unlock()
	return len(a.attached)
}

// nextConn returns the server side of the latest connection.
func (a *testAttacher) nextConn(t testing.TB) player.Conn {
	t.Helper()
	select {
	case c := <-a.conns:
		return c
	case <-time.After(waitFor):
		t.Fatal("no connection attached")
		return nil
	}
}

func (a *testAttacher) nextCommand(t testing.TB) player.Command {
	t.Helper()
	select {
	case cmd := <-a.commands:
		return cmd
	case <-time.After(waitFor):
		t.Fatal("no command delivered")
		return player.Command{}
	}
}

// testEnv is a handler behind a real HTTP server.
type testEnv struct {
	h     *Handler
	srv   *httptest.Server
	att   *testAttacher
	clock *testClock
	m     *gatewayMetrics
}

func testConfig() config.WebSocket {
	c := config.Default().WS
	c.WriteWait = time.Second
	return c
}

// newTestEnv starts a server; edit adjusts its deps. Cleanup shuts the
// handler down and checks that every attached connection detached once.
func newTestEnv(t *testing.T, edit func(*Deps)) *testEnv {
	t.Helper()
	m, err := NewMetrics(nil)
	require.NoError(t, err)
	env := &testEnv{att: newTestAttacher(), clock: newTestClock(0), m: m.native}
	deps := Deps{
		Config:       testConfig(),
		Authenticate: authenticateTestToken,
		Attach:       env.att,
		Now:          env.clock.Now,
		Metrics:      m,
	}
	if edit != nil {
		edit(&deps)
	}
	env.h = NewHandler(deps)
	mux := http.NewServeMux()
	mux.Handle("/socket.io/", env.h.SocketIO())
	mux.Handle("/", env.h)
	env.srv = httptest.NewServer(mux)
	t.Cleanup(func() { env.close(t) })
	return env
}

func (e *testEnv) close(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), waitFor)
	defer cancel()
	require.NoError(t, e.h.Shutdown(ctx))
	e.srv.Close()
	e.att.mu.Lock()
	defer e.att.mu.Unlock()
	for c, n := range e.att.detaches {
		require.Equal(t, 1, n, "detach of %s", c.(socket).identity().PlayerID)
	}
}

// authenticateTestToken accepts "good-<player>".
func authenticateTestToken(token string) (player.Identity, error) {
	pid, ok := strings.CutPrefix(token, "good-")
	if !ok || pid == "" {
		return player.Identity{}, errors.New("bad token")
	}
	return player.Identity{PlayerID: pid, Username: "user-" + pid, Role: "player", TokenID: "jti-" + pid}, nil
}

func (e *testEnv) wsURL(query string) string {
	return "ws" + strings.TrimPrefix(e.srv.URL, "http") + "/ws" + query
}

// dial connects as player pid and registers the client's close.
func (e *testEnv) dial(t testing.TB, pid string) *websocket.Conn {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(e.wsURL("?token=good-"+pid), nil)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.SetReadDeadline(time.Now().Add(waitFor)))
	return c
}

// clientFrame is a server frame as a client sees it.
type clientFrame struct {
	T  string          `json:"t"`
	ID int64           `json:"id"`
	D  json.RawMessage `json:"d"`
}

// readFrame reads the next data frame, skipping nothing: control frames are
// handled by gorilla inside ReadMessage.
func readFrame(t testing.TB, c *websocket.Conn) clientFrame {
	t.Helper()
	kind, data, err := c.ReadMessage()
	require.NoError(t, err)
	require.Equal(t, websocket.TextMessage, kind)
	var f clientFrame
	require.NoError(t, json.Unmarshal(data, &f), string(data))
	return f
}

// readClose reads until the close frame and returns it.
func readClose(t testing.TB, c *websocket.Conn) *websocket.CloseError {
	t.Helper()
	for {
		_, _, err := c.ReadMessage()
		if err == nil {
			continue
		}
		var ce *websocket.CloseError
		require.ErrorAs(t, err, &ce)
		return ce
	}
}

func writeText(t testing.TB, c *websocket.Conn, s string) {
	t.Helper()
	require.NoError(t, c.WriteMessage(websocket.TextMessage, []byte(s)))
}

// requireDetached waits until pc's detach ran, then checks it ran once.
func requireDetached(t testing.TB, att *testAttacher, pc player.Conn) {
	t.Helper()
	require.Eventually(t, func() bool { return att.detached(pc) > 0 }, waitFor, time.Millisecond)
	require.Equal(t, 1, att.detached(pc))
}

// errorPayload decodes an error frame's payload.
func errorPayload(t testing.TB, f clientFrame) (code, message string) {
	t.Helper()
	require.Equal(t, "error", f.T)
	var p struct {
		Code    string `json:"code"`
		Message string `json:"message"`
	}
	require.NoError(t, json.Unmarshal(f.D, &p))
	return p.Code, p.Message
}

// refusedDial dials and expects an HTTP refusal, returning its status and
// error code.
func refusedDial(t testing.TB, url string, header http.Header) (int, string) {
	t.Helper()
	c, resp, err := websocket.DefaultDialer.Dial(url, header)
	if c != nil {
		_ = c.Close()
	}
	require.ErrorIs(t, err, websocket.ErrBadHandshake)
	defer func() { _ = resp.Body.Close() }()
	var body httpError
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&body))
	return resp.StatusCode, body.Error.Code
}
