package wsclient

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/websocket"
)

// Client limits. Server frames are small; a leaderboard update is the
// largest and stays far below maxFrameBytes.
const (
	maxFrameBytes    = 1 << 20
	handshakeTimeout = 10 * time.Second
	// defaultWriteWait bounds a write whose context has no deadline, so a
	// stalled server cannot hang a writer forever.
	defaultWriteWait = 10 * time.Second
	// bufferBytes keeps per-socket client memory small: benchmarks open
	// tens of thousands of sockets from one process.
	bufferBytes = 1024
)

// Frame is one frame of the native protocol: {"t": type, "id": n, "d": {...}}.
// ID is 0 for server events that answer no request.
type Frame struct {
	T  string          `json:"t"`
	ID int64           `json:"id,omitempty"`
	D  json.RawMessage `json:"d"`
}

// Client is one authenticated connection: a WebSocket to /ws (Dial), or a
// Socket.IO session on the websocket transport (DialSocketIO), whose
// packets it translates to and from native frames (socketio.go).
type Client struct {
	conn      *websocket.Conn
	writeMu   sync.Mutex
	closeOnce sync.Once
	closeErr  error
	observer  FrameObserver
	// sio translates Socket.IO packets; nil on /ws, whose frames are native.
	sio *sioCodec
}

// FrameObserver sees the raw bytes of every text frame a Client sends and
// receives. Tests set one to check every frame against docs/asyncapi.yaml
// (internal/asyncapi.Check is one, for /ws). On Socket.IO it sees the
// Engine.IO packets as they are on the wire, pings and pongs included, not
// the translated frames. Sent may be called from several goroutines at
// once, Received from the reader's.
type FrameObserver interface {
	Sent(frame []byte)
	Received(frame []byte)
}

// Observe makes o see every frame from now on. Call it before the client is
// used (right after Dial): it is not synchronized with Request and Next.
func (c *Client) Observe(o FrameObserver) { c.observer = o }

// Dial opens an authenticated socket to baseURL's /ws. baseURL may use the
// http, https, ws or wss scheme; a path in it is kept as a prefix of /ws.
// The token goes in the Authorization header, as non-browser clients should.
func Dial(ctx context.Context, baseURL, token string) (*Client, error) {
	target, err := socketURL(baseURL, "/ws", "")
	if err != nil {
		return nil, err
	}
	conn, err := dialSocket(ctx, target, http.Header{"Authorization": []string{"Bearer " + token}})
	if err != nil {
		return nil, err
	}
	return &Client{conn: conn}, nil
}

// dialSocket opens a WebSocket to target with small buffers.
func dialSocket(ctx context.Context, target string, header http.Header) (*websocket.Conn, error) {
	dialer := websocket.Dialer{
		HandshakeTimeout: handshakeTimeout,
		ReadBufferSize:   bufferBytes,
		WriteBufferSize:  bufferBytes,
	}
	conn, resp, err := dialer.DialContext(ctx, target, header)
	if resp != nil && resp.Body != nil {
		_ = resp.Body.Close() // the handshake response carries nothing we need
	}
	if err != nil {
		return nil, dialError(target, resp, err)
	}
	conn.SetReadLimit(maxFrameBytes)
	return conn, nil
}

// dialError names the HTTP status of a refused handshake, which says more
// than gorilla's generic "bad handshake".
func dialError(target string, resp *http.Response, err error) error {
	if resp != nil && errors.Is(err, websocket.ErrBadHandshake) {
		return fmt.Errorf("dial %s: handshake refused with status %d: %w", target, resp.StatusCode, err)
	}
	return fmt.Errorf("dial %s: %w", target, err)
}

// socketURL maps a server base URL onto the WebSocket URL of its endpoint
// path (kept after any path of baseURL), with query as the query string.
func socketURL(baseURL, path, query string) (string, error) {
	u, err := url.Parse(baseURL)
	if err != nil {
		return "", fmt.Errorf("parse base url: %w", err)
	}
	switch u.Scheme {
	case "http", "ws":
		u.Scheme = "ws"
	case "https", "wss":
		u.Scheme = "wss"
	default:
		return "", fmt.Errorf("base url %q: unsupported scheme %q", baseURL, u.Scheme)
	}
	if u.Host == "" {
		return "", fmt.Errorf("base url %q: missing host", baseURL)
	}
	u.Path = strings.TrimSuffix(u.Path, "/") + path
	u.RawQuery, u.Fragment = query, ""
	return u.String(), nil
}

// Request sends one client frame. id 0 sends no id (the server then answers
// with no id either). A nil payload is sent as {}. It is safe to call from
// several goroutines. On Socket.IO it is an emit, asking for an ack when
// id > 0 (socketio.go).
func (c *Client) Request(ctx context.Context, typ string, id int64, payload any) error {
	data := json.RawMessage("{}")
	if payload != nil {
		b, err := json.Marshal(payload)
		if err != nil {
			return fmt.Errorf("encode %s payload: %w", typ, err)
		}
		data = b
	}
	if c.sio != nil {
		return c.write(ctx, typ, c.sio.emit(typ, id, data))
	}
	msg, err := json.Marshal(Frame{T: typ, ID: id, D: data})
	if err != nil {
		return fmt.Errorf("encode %s frame: %w", typ, err)
	}
	return c.write(ctx, typ, msg)
}

// write sends one text message under the write lock, bounded by ctx's
// deadline or defaultWriteWait; what names it in errors.
func (c *Client) write(ctx context.Context, what string, msg []byte) error {
	deadline, ok := ctx.Deadline()
	if !ok {
		deadline = time.Now().Add(defaultWriteWait)
	}
	c.writeMu.Lock()
	defer c.writeMu.Unlock()
	if err := c.conn.SetWriteDeadline(deadline); err != nil {
		return fmt.Errorf("send %s: %w", what, err)
	}
	if c.observer != nil {
		c.observer.Sent(msg) // before the write, so the answer always finds it
	}
	if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
		return fmt.Errorf("send %s: %w", what, err)
	}
	return nil
}

// Next reads the next server frame. It must be called from one goroutine at
// a time. It gives up when ctx ends; the connection is unusable afterwards
// because a WebSocket read cannot be resumed after a timeout. On Socket.IO
// it answers the server's pings while it waits (socketio.go).
func (c *Client) Next(ctx context.Context) (Frame, error) {
	if err := ctx.Err(); err != nil {
		return Frame{}, fmt.Errorf("read frame: %w", err)
	}
	deadline, _ := ctx.Deadline() // zero means no deadline
	if err := c.conn.SetReadDeadline(deadline); err != nil {
		return Frame{}, fmt.Errorf("read frame: %w", err)
	}
	// Cancellation without a deadline interrupts the read by moving the
	// deadline to now.
	stop := context.AfterFunc(ctx, func() { _ = c.conn.SetReadDeadline(time.Now()) })
	defer stop()
	if c.sio != nil {
		return c.nextSocketIO(ctx)
	}
	msg, err := c.read(ctx)
	if err != nil {
		return Frame{}, err
	}
	var f Frame
	if err := json.Unmarshal(msg, &f); err != nil {
		return Frame{}, fmt.Errorf("decode frame: %w", err)
	}
	return f, nil
}

// read reads one message under the read deadline the caller set; an error
// after ctx ended is reported as ctx's.
func (c *Client) read(ctx context.Context) ([]byte, error) {
	_, msg, err := c.conn.ReadMessage()
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return nil, fmt.Errorf("read frame: %w", ctxErr)
		}
		return nil, fmt.Errorf("read frame: %w", err)
	}
	if c.observer != nil {
		c.observer.Received(msg)
	}
	return msg, nil
}

// Close sends a normal close frame (best effort) and closes the connection.
// It is idempotent and safe to call concurrently with Next and Request.
func (c *Client) Close() error {
	c.closeOnce.Do(func() {
		msg := websocket.FormatCloseMessage(websocket.CloseNormalClosure, "")
		// WriteControl may run concurrently with WriteMessage (gorilla's
		// documented exception), so no lock is needed here.
		_ = c.conn.WriteControl(websocket.CloseMessage, msg, time.Now().Add(time.Second))
		if err := c.conn.Close(); err != nil {
			c.closeErr = fmt.Errorf("close socket: %w", err)
		}
	})
	return c.closeErr
}

// CloseCode reports the WebSocket close code carried by an error from Next,
// and whether there was one (the server closed the socket with a frame).
func CloseCode(err error) (int, bool) {
	var ce *websocket.CloseError
	if errors.As(err, &ce) {
		return ce.Code, true
	}
	return 0, false
}
