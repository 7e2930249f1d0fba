package playbot

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"sync"
	"sync/atomic"
	"time"

	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// Board is the leaderboard whose rank Run prints.
const Board = "daily"

// Shell timings.
const (
	// DefaultFrameTimeout is the longest silence from the server during a
	// game: moles, countdowns and the result come far more often.
	DefaultFrameTimeout = 30 * time.Second
	// rankWait bounds how long Run waits for the board to list the stored
	// result; rankPoll is the interval between asks.
	rankWait = 3 * time.Second
	rankPoll = 100 * time.Millisecond
	startID  = 1
)

// Options configure one Run.
type Options struct {
	// URL is the node's HTTP base URL, e.g. http://127.0.0.1:3000.
	URL  string
	Mode string
	// DeviceID identifies the guest account (8..128 characters): the same
	// device plays as the same guest.
	DeviceID string
	Reflex   Reflex
	// FrameTimeout is the longest silence accepted from the server
	// (DefaultFrameTimeout when zero).
	FrameTimeout time.Duration
	Out          io.Writer
}

// Run signs in, plays one solo game in o.Mode, prints every event and then
// the player's rank on the mode's daily board. An error says what failed: the
// server could not be reached, refused the game (wraps ErrRefused), ended
// it without a result (wraps ErrNoResult), or went away.
func Run(ctx context.Context, o Options) error {
	login, err := wsclient.GuestLogin(ctx, o.URL, o.DeviceID)
	if err != nil {
		return reachError(o.URL, fmt.Errorf("sign in as a guest: %w", err))
	}
	if _, err := fmt.Fprintf(o.Out, "signed in as %s (player %s)\n", login.Player.Username, login.Player.ID); err != nil {
		return fmt.Errorf("print: %w", err)
	}
	c, err := wsclient.Dial(ctx, o.URL, login.AccessToken)
	if err != nil {
		return reachError(o.URL, err)
	}
	defer func() { _ = c.Close() }()
	if err := c.Request(ctx, "game:start", startID, map[string]string{"mode": o.Mode}); err != nil {
		return fmt.Errorf("start a game: %w", err)
	}
	if _, err := play(ctx, c, NewPlayer(login.Player.ID, startID, o.Reflex), o); err != nil {
		return err
	}
	standing, ranked, err := awaitStanding(ctx, o.URL, login.AccessToken, o.Mode)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintln(o.Out, FormatRank(Board, standing, ranked))
	return err
}

// reachError adds a hint when the node does not answer at all.
func reachError(url string, err error) error {
	var op *net.OpError
	if errors.As(err, &op) {
		return fmt.Errorf("cannot reach a node at %s (is it running? `make run` starts one): %w", url, err)
	}
	return err
}

// play reads frames until the game is over, sending each whack the player
// decides on after its delay.
func play(ctx context.Context, c *wsclient.Client, p *Player, o Options) (Result, error) {
	w := newWhacker(ctx, c)
	defer w.stop()
	timeout := o.FrameTimeout
	if timeout == 0 {
		timeout = DefaultFrameTimeout
	}
	for {
		frameCtx, cancel := context.WithTimeout(ctx, timeout)
		f, err := c.Next(frameCtx)
		cancel()
		if err != nil && ctx.Err() != nil {
			return Result{}, fmt.Errorf("interrupted before the game was over: %w", ctx.Err())
		}
		if err != nil {
			return Result{}, w.cause(readError(err))
		}
		step := p.Handle(f)
		if step.Line != "" {
			if _, err := fmt.Fprintln(o.Out, step.Line); err != nil {
				return Result{}, fmt.Errorf("print: %w", err)
			}
		}
		if step.Whack != nil {
			w.after(*step.Whack)
		}
		if step.Err != nil || step.Over != nil {
			return derefOr(step.Over), step.Err
		}
	}
}

// readError explains a failed read.
func readError(err error) error {
	if code, ok := wsclient.CloseCode(err); ok {
		return fmt.Errorf("the server closed the connection (code %d) before the game was over: %w", code, err)
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("the server went silent during the game: %w", err)
	}
	return fmt.Errorf("connection lost during the game: %w", err)
}

func derefOr(r *Result) Result {
	if r == nil {
		return Result{}
	}
	return *r
}

// awaitStanding asks for the player's daily standing until the stored
// result shows on the board or rankWait passes (the board applies results
// shortly after they are stored).
func awaitStanding(ctx context.Context, url, token, mode string) (wsclient.Standing, bool, error) {
	deadline := time.Now().Add(rankWait)
	for {
		s, ranked, err := wsclient.MyStanding(ctx, url, token, mode, Board)
		if err != nil || ranked || time.Now().After(deadline) {
			return s, ranked, err
		}
		select {
		case <-ctx.Done():
			return s, false, fmt.Errorf("wait for the %s standing: %w", Board, ctx.Err())
		case <-time.After(rankPoll):
		}
	}
}

// whacker sends whacks after their delays from timer goroutines. The first
// send failure closes the socket, which ends the reader's Next.
type whacker struct {
	ctx    context.Context
	c      *wsclient.Client
	nextID atomic.Int64
	mu     sync.Mutex
	timers []*time.Timer
	err    error
}

func newWhacker(ctx context.Context, c *wsclient.Client) *whacker {
	w := &whacker{ctx: ctx, c: c}
	w.nextID.Store(startID)
	return w
}

// after schedules wh.
func (w *whacker) after(wh Whack) {
	id := w.nextID.Add(1)
	t := time.AfterFunc(wh.After, func() {
		if err := w.c.Request(w.ctx, "game:whack", id, wh); err != nil {
			w.fail(fmt.Errorf("send a whack: %w", err))
		}
	})
	w.mu.Lock()
	w.timers = append(w.timers, t)
	w.mu.Unlock()
}

func (w *whacker) fail(err error) {
	w.mu.Lock()
	if w.err == nil {
		w.err = err
	}
	w.mu.Unlock()
	_ = w.c.Close()
}

// cause prefers a send failure, which explains a read failure after it.
func (w *whacker) cause(readErr error) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.err != nil {
		return w.err
	}
	return readErr
}

// stop cancels the whacks not yet sent.
func (w *whacker) stop() {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, t := range w.timers {
		t.Stop()
	}
}
