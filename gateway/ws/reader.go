package ws

import (
	"encoding/binary"
	"errors"
	"io"
	"log/slog"
	"time"

	"github.com/gorilla/websocket"
	"golang.org/x/time/rate"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/player"
	"github.com/proofstell/proofstell/config"
)

// maxLingerBytes caps what is discarded while lingering after a protocol
// failure.
const maxLingerBytes = 1 << 20

// reader is the read side of a connection: it stamps, rate-limits, decodes
// and delivers client frames. It runs on one goroutine and owns its fields.
type reader struct {
	c       *conn
	deliver func(player.Command)
	budget  rateGuard
}

func newReader(c *conn, deliver func(player.Command)) reader {
	return reader{c: c, deliver: deliver, budget: newRateGuard(c.cfg)}
}

// rateGuard is a connection's inbound budget, shared by both gateways: a
// token bucket (MessageRate, MessageBurst) and the flood guard of its
// refusals. It is owned by whoever reads the connection.
type rateGuard struct {
	rate  float64
	burst int
	// limiter is made at the first frame, so a socket that never sends
	// holds none (a fresh limiter is full, so making it late changes no
	// decision).
	limiter *rate.Limiter
	flood   floodGuard
}

func newRateGuard(cfg config.WebSocket) rateGuard {
	return rateGuard{
		rate: cfg.MessageRate, burst: cfg.MessageBurst,
		flood: floodGuard{limit: cfg.FloodLimit, window: cfg.FloodWindow},
	}
}

// admit spends one message received at t. A refused message may still be
// answered (answer), and flood says the connection must close.
func (g *rateGuard) admit(t time.Time) (ok, answer, flood bool) {
	if g.limiter == nil {
		g.limiter = rate.NewLimiter(rate.Limit(g.rate), g.burst)
	}
	if g.limiter.AllowN(t, 1) {
		return true, false, false
	}
	answer, flood = g.flood.refuse(t)
	return false, answer, flood
}

// readLoop reads until the socket fails or closes. Frames read after a close
// was requested are discarded: the client is being told goodbye.
func (c *conn) readLoop(deliver func(player.Command)) {
	defer close(c.readerDone)
	r := newReader(c, deliver)
	c.ws.SetReadLimit(c.cfg.ReadLimit)
	c.ws.SetPongHandler(c.onPong)
	_ = c.ws.SetReadDeadline(time.Now().Add(c.cfg.PongWait))
	for {
		kind, data, err := c.ws.ReadMessage()
		if err != nil {
			c.readFailed(err)
			return
		}
		receivedAt := c.now()
		if c.closing() {
			continue
		}
		r.handle(kind, data, receivedAt)
	}
}

// readFailed ends the read side. After a read limit or protocol violation
// gorilla has already sent the close frame (1009 or 1002); lingering lets
// the client read it before the TCP close.
func (c *conn) readFailed(err error) {
	var closeErr *websocket.CloseError
	var netErr interface{ Timeout() bool }
	switch {
	case errors.As(err, &closeErr), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
	case errors.As(err, &netErr) && netErr.Timeout():
	case c.closing():
	default:
		c.linger()
	}
	c.requestClose(CloseGoingAway, "", closePeerGone)
}

// linger discards input until the client closes or the grace period ends.
func (c *conn) linger() {
	nc := c.ws.UnderlyingConn()
	if err := nc.SetReadDeadline(time.Now().Add(min(maxCloseGrace, c.cfg.WriteWait))); err != nil {
		return
	}
	_, _ = io.CopyN(io.Discard, nc, maxLingerBytes)
}

func (r *reader) handle(kind int, data []byte, receivedAt time.Time) {
	if !r.allow(receivedAt) {
		return
	}
	if kind != websocket.TextMessage {
		r.c.metrics.rejected.WithLabelValues(rejectBinary).Inc()
		r.c.sendError(0, events.CodeBadRequest, "binary frames are not supported")
		return
	}
	cmd, msg, derr := decodeFrame(data, receivedAt)
	if derr != nil {
		r.c.metrics.rejected.WithLabelValues(rejectBadFrame).Inc()
		r.c.sendError(derr.ID, derr.Code, derr.Message)
		return
	}
	r.c.metrics.messageIn(msg)
	if _, ok := cmd.Body.(Ping); ok {
		r.c.Send(player.Frame{Type: TypePong, ID: cmd.ID, Data: events.Encode(Pong{ServerTime: receivedAt.UnixMilli()})})
		return
	}
	r.deliver(cmd)
}

// allow applies the per-connection message rate. The first refusals of a
// flood window get an error frame, later ones none; more than FloodLimit
// refusals in the window close the socket with 4008.
func (r *reader) allow(receivedAt time.Time) bool {
	ok, answer, flood := r.budget.admit(receivedAt)
	if ok {
		return true
	}
	r.c.metrics.rejected.WithLabelValues(rejectRateLimited).Inc()
	switch {
	case flood:
		r.c.metrics.floodCloses.Inc()
		r.c.logger().Info("websocket closed for flooding", slog.Int("refused", r.budget.flood.refused))
		r.c.Close(CloseRateLimited, ReasonRateLimited)
	case answer:
		r.c.sendError(0, events.CodeRateLimited, "too many messages")
	}
	return false
}

// onPong refreshes the read deadline and, when the pong answers our latest
// ping, records the round trip. Pongs echoing anything else (unsolicited or
// forged) are ignored so a client cannot inflate its lag allowance at will.
func (c *conn) onPong(payload string) error {
	_ = c.ws.SetReadDeadline(time.Now().Add(c.cfg.PongWait))
	if len(payload) != 8 {
		return nil
	}
	sent := int64(binary.BigEndian.Uint64([]byte(payload))) //nolint:gosec // written from an int64 in ping
	if sent == 0 || !c.lastPing.CompareAndSwap(sent, 0) {
		return nil
	}
	sample := c.now().Sub(time.Unix(0, sent))
	if sample < 0 {
		return nil
	}
	c.metrics.rtt.Observe(sample.Seconds())
	c.updateRTT(sample)
	return nil
}
