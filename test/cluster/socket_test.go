package cluster

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
	"github.com/proofstell/proofstell/internal/asyncapi"
)

// replyWithin bounds the wait for the answer to one client frame.
const replyWithin = 10 * time.Second

// frameIDs numbers client frames uniquely across every socket of the test
// binary, so a whack's reply can be matched even after a reconnect.
var frameIDs atomic.Int64

// player is a signed-in guest.
type player struct {
	id, token string
}

// guest signs a new guest in at member m; tokens work on every member (one
// JWT secret).
func guest(t testing.TB, m *member, device string) player {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), replyWithin)
	defer cancel()
	login, err := wsclient.GuestLogin(ctx, m.base, device)
	require.NoError(t, err, "guest sign-in at %s", m.name)
	return player{id: login.Player.ID, token: login.AccessToken}
}

// socket is a WebSocket to one member. A reader goroutine moves every frame
// to frames, so tests can wait for frames with deadlines and select on them.
type socket struct {
	member *member
	client *wsclient.Client
	frames chan wsclient.Frame
	done   chan struct{} // closed when the reader stopped
	err    error         // why the reader stopped; read after done
	stop   chan struct{} // closed by close, so a reader never blocks on frames
	once   sync.Once
}

// dial connects p to m; the socket is closed at cleanup.
func dial(t testing.TB, m *member, p player) *socket {
	t.Helper()
	s, err := dialSocket(m, p)
	require.NoError(t, err)
	t.Cleanup(func() { s.close() })
	return s
}

// dialSocket is dial without the test: callers close the socket.
func dialSocket(m *member, p player) (*socket, error) {
	ctx, cancel := context.WithTimeout(context.Background(), replyWithin)
	defer cancel()
	c, err := wsclient.Dial(ctx, m.base, p.token)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", m.name, err)
	}
	c.Observe(asyncapi.NewCheck(m.t)) // every frame must match docs/asyncapi.yaml
	s := &socket{member: m, client: c, frames: make(chan wsclient.Frame, 4096),
		done: make(chan struct{}), stop: make(chan struct{})}
	go s.read()
	return s, nil
}

func (s *socket) read() {
	defer close(s.done)
	for {
		f, err := s.client.Next(context.Background())
		if err != nil {
			s.err = err
			return
		}
		select {
		case s.frames <- f:
		case <-s.stop:
			s.err = errSocketClosed
			return
		}
	}
}

// close closes the socket and waits for its reader.
func (s *socket) close() {
	s.once.Do(func() { close(s.stop) })
	_ = s.client.Close()
	<-s.done
}

// closeCode is the close code the server sent, or 0 when the socket broke
// without a close frame (the member was killed). Valid after done.
func (s *socket) closeCode() int {
	code, _ := wsclient.CloseCode(s.err)
	return code
}

// send writes one client frame with a fresh id and returns the id.
func (s *socket) send(typ string, payload any) (int64, error) {
	id := frameIDs.Add(1)
	return id, s.sendWithID(typ, id, payload)
}

func (s *socket) sendWithID(typ string, id int64, payload any) error {
	ctx, cancel := context.WithTimeout(context.Background(), replyWithin)
	defer cancel()
	return s.client.Request(ctx, typ, id, payload)
}

// errSocketClosed is returned by waits on a socket that closed.
var errSocketClosed = errors.New("socket closed")

// await returns the first frame accepted by match, discarding the others.
func (s *socket) await(within time.Duration, match func(wsclient.Frame) bool) (wsclient.Frame, error) {
	timeout := time.After(within)
	for {
		select {
		case f := <-s.frames:
			if match(f) {
				return f, nil
			}
		case <-s.done:
			return wsclient.Frame{}, fmt.Errorf("%w (code %d): %w", errSocketClosed, s.closeCode(), s.err)
		case <-timeout:
			return wsclient.Frame{}, fmt.Errorf("no matching frame within %s", within)
		}
	}
}

// call sends a frame and returns the reply carrying its id: the ack (or
// specific reply) decoded into out, or an error for an error frame.
func (s *socket) call(typ string, payload, out any) error {
	id, err := s.send(typ, payload)
	if err != nil {
		return err
	}
	f, err := s.await(replyWithin, func(f wsclient.Frame) bool { return f.ID == id })
	if err != nil {
		return fmt.Errorf("%s on %s: %w", typ, s.member.name, err)
	}
	if f.T == "error" {
		return fmt.Errorf("%s on %s: error %s", typ, s.member.name, f.D)
	}
	if out != nil {
		return json.Unmarshal(f.D, out)
	}
	return nil
}

// mustCall is call on the test goroutine.
func (s *socket) mustCall(t testing.TB, typ string, payload, out any) {
	t.Helper()
	require.NoError(t, s.call(typ, payload, out))
}
