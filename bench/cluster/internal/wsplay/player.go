// Package wsplay is the client side the cluster benchmarks share: a guest
// signed in on one member, its socket, and a reader that stamps every frame
// when it was read (before any queueing), so round trips and failover times
// do not include the benchmark's own scheduling.
package wsplay

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// frameQueue bounds frames between the reader and the consumer. Overflow
// policy: block the reader, which pushes back on the server as a slow
// client would.
const frameQueue = 256

// Received is a server frame and when it was read.
type Received struct {
	wsclient.Frame
	At time.Time
}

// Player is one signed-in guest with an open socket.
type Player struct {
	conn   *wsclient.Client
	frames chan Received
	lastID atomic.Int64
	cancel context.CancelFunc
	reader sync.WaitGroup
}

// Connect signs device in as a guest at base and opens its socket there.
func Connect(ctx context.Context, base, device string) (*Player, error) {
	login, err := wsclient.GuestLogin(ctx, base, device)
	if err != nil {
		return nil, fmt.Errorf("sign in %s: %w", device, err)
	}
	conn, err := wsclient.Dial(ctx, base, login.AccessToken)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", base, err)
	}
	rctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p := &Player{conn: conn, frames: make(chan Received, frameQueue), cancel: cancel}
	p.reader.Go(func() { p.read(rctx) })
	return p, nil
}

func (p *Player) read(ctx context.Context) {
	defer close(p.frames)
	for {
		f, err := p.conn.Next(ctx)
		if err != nil {
			return
		}
		select {
		case p.frames <- Received{Frame: f, At: time.Now()}:
		case <-ctx.Done():
			return
		}
	}
}

// Frames delivers server frames in order; it is closed when the socket ends.
func (p *Player) Frames() <-chan Received { return p.frames }

// Send sends a command with a fresh request id and returns the id and the
// time just before the write.
func (p *Player) Send(ctx context.Context, typ string, payload any) (int64, time.Time, error) {
	id := p.lastID.Add(1)
	at := time.Now()
	if err := p.conn.Request(ctx, typ, id, payload); err != nil {
		return id, at, fmt.Errorf("send %s: %w", typ, err)
	}
	return id, at, nil
}

// Close closes the socket and waits for the reader.
func (p *Player) Close() {
	_ = p.conn.Close()
	p.cancel()
	p.reader.Wait()
}

// ErrClosed means the socket ended while waiting.
var ErrClosed = errors.New("socket closed")

// StartSolo sends game:start for mode and waits for its ack. Frames that
// arrive meanwhile are dropped (none belong to the new game yet).
func (p *Player) StartSolo(ctx context.Context, mode string) (events.SessionAck, error) {
	id, _, err := p.Send(ctx, "game:start", map[string]string{"mode": mode})
	if err != nil {
		return events.SessionAck{}, err
	}
	for {
		select {
		case r, ok := <-p.frames:
			if !ok {
				return events.SessionAck{}, ErrClosed
			}
			if r.ID == id {
				return decodeAck(r.Frame)
			}
		case <-ctx.Done():
			return events.SessionAck{}, fmt.Errorf("wait for game:start ack: %w", ctx.Err())
		}
	}
}

func decodeAck(f wsclient.Frame) (events.SessionAck, error) {
	if f.T == events.TypeError {
		var e events.Error
		_ = json.Unmarshal(f.D, &e)
		return events.SessionAck{}, fmt.Errorf("game:start refused: %s", e.Code)
	}
	var ack events.SessionAck
	if f.T != events.TypeAck || json.Unmarshal(f.D, &ack) != nil || ack.SessionID == "" {
		return events.SessionAck{}, fmt.Errorf("game:start: unexpected %s frame", f.T)
	}
	return ack, nil
}

// WhackPayload is the body of game:whack.
type WhackPayload struct {
	SessionID string `json:"sessionId"`
	Hole      int    `json:"hole"`
	MoleID    int64  `json:"moleId"`
}
