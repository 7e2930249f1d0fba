package main

import (
	"context"
	"encoding/json"
	"math/rand/v2"
	"sync"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/gateway/ws/wsclient"
)

// frameQueue bounds the frames between a bot's socket reader and its game
// loop. Overflow policy: block the reader, which stops reading the socket
// and pushes back on the server, as a slow real client would.
const frameQueue = 64

// gameSlack is added to a game's announced duration (plus countdown and
// result commit) before the bot gives up on it.
const gameSlack = 30 * time.Second

// received is a server frame stamped when it was read, before any queueing,
// so round trips do not include the bot's own scheduling delay.
type received struct {
	wsclient.Frame
	at time.Time
}

// whackPayload is the body of game:whack.
type whackPayload struct {
	SessionID string `json:"sessionId"`
	Hole      int    `json:"hole"`
	MoleID    int64  `json:"moleId"`
}

// bot is one simulated player: one guest account, one socket, a number of
// solo games played one after another.
type bot struct {
	index  int
	cfg    config
	base   string // http://host:port
	tally  *tally
	rng    *rand.Rand
	conn   *wsclient.Client
	frames chan received
	lastID int64
}

func newBot(index int, cfg config, t *tally) *bot {
	return &bot{
		index: index,
		cfg:   cfg,
		base:  "http://" + cfg.Addr,
		tally: t,
		rng:   rand.New(rand.NewPCG(cfg.Seed, uint64(index))), //nolint:gosec // simulation, not security
	}
}

// run signs in, connects and plays; every failure is counted, never fatal.
func (b *bot) run(ctx context.Context) {
	login, err := wsclient.GuestLogin(ctx, b.base, b.cfg.deviceID(b.index))
	if err != nil {
		b.tally.fail("login")
		return
	}
	conn, err := b.cfg.Gateway.Dial(ctx, b.base, login.AccessToken)
	if err != nil {
		b.tally.fail("dial")
		return
	}
	b.conn = conn
	b.tally.connected.Add(1)
	ctx, cancel := context.WithCancel(ctx)
	var reader sync.WaitGroup
	defer func() {
		cancel()
		_ = conn.Close()
		reader.Wait()
	}()
	b.frames = make(chan received, frameQueue)
	reader.Go(func() { b.read(ctx) })
	for round := 0; b.more(round); round++ {
		if err := b.playRound(ctx); err != nil {
			b.tally.fail(err.Error())
			return
		}
	}
}

// more reports whether the bot starts another game: -rounds of them, or
// with -duration until the steady window ends.
func (b *bot) more(round int) bool {
	if b.cfg.Duration > 0 {
		return time.Now().Before(b.tally.steadyTo)
	}
	return round < b.cfg.Rounds
}

// read pumps socket frames into b.frames until the socket or ctx ends, then
// closes b.frames.
func (b *bot) read(ctx context.Context) {
	defer close(b.frames)
	for {
		f, err := b.conn.Next(ctx)
		if err != nil {
			return
		}
		select {
		case b.frames <- received{Frame: f, at: time.Now()}:
		case <-ctx.Done():
			return
		}
	}
}

func (b *bot) nextID() int64 {
	b.lastID++
	return b.lastID
}

// errStage is a failure of one stage of a bot's run, counted by its text.
type errStage struct{ stage, cause string }

func (e errStage) Error() string { return e.stage + ":" + e.cause }

// closedCause names why the frame stream ended.
func (b *bot) closedCause(ctx context.Context) string {
	if ctx.Err() != nil {
		return "run_timeout"
	}
	return "disconnected"
}

// playRound starts one solo game and plays it to game:over.
func (b *bot) playRound(ctx context.Context) error {
	ack, err := b.start(ctx)
	if err != nil {
		return err
	}
	b.tally.gameStarted()
	defer b.tally.gameEnded()
	limit := time.Duration(ack.DurationMs)*time.Millisecond + gameSlack
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	return b.play(ctx, newGame(b.cfg.Style, b.rng, ack))
}

// start sends game:start until it is acknowledged: a busy server's
// rejection is counted and retried after the hint it carries.
func (b *bot) start(ctx context.Context) (events.SessionAck, error) {
	for {
		ack, retry, err := b.startOnce(ctx)
		if retry <= 0 {
			return ack, err
		}
		b.tally.busy.Add(1)
		if !waitUntil(ctx, time.Now().Add(retry)) {
			return events.SessionAck{}, errStage{"start", b.closedCause(ctx)}
		}
	}
}

// startOnce sends game:start and waits for its answer; retry is the wait a
// busy rejection asks for (0 otherwise).
func (b *bot) startOnce(ctx context.Context) (ack events.SessionAck, retry time.Duration, err error) {
	id := b.nextID()
	ctx, cancel := context.WithTimeout(ctx, gameSlack)
	defer cancel()
	if err := b.conn.Request(ctx, "game:start", id, map[string]string{"mode": b.cfg.Mode}); err != nil {
		return events.SessionAck{}, 0, errStage{"start", "send"}
	}
	for {
		select {
		case r, ok := <-b.frames:
			if !ok {
				return events.SessionAck{}, 0, errStage{"start", b.closedCause(ctx)}
			}
			if r.ID != id {
				continue
			}
			return decodeAck(r.Frame)
		case <-ctx.Done():
			return events.SessionAck{}, 0, errStage{"start", "timeout"}
		}
	}
}

// codeBusy is the error code of a game:start the server shed at the door;
// its retry_after_ms says when to try again.
const codeBusy = "busy"

// minBusyRetry is the wait after a busy rejection without a usable hint.
const minBusyRetry = 100 * time.Millisecond

// rejection is an error frame's body, with the busy retry hint.
type rejection struct {
	Code         string `json:"code"`
	RetryAfterMs int64  `json:"retry_after_ms"`
}

func decodeAck(f wsclient.Frame) (events.SessionAck, time.Duration, error) {
	if f.T == events.TypeError {
		var r rejection
		if json.Unmarshal(f.D, &r) == nil && r.Code == codeBusy {
			return events.SessionAck{}, max(time.Duration(r.RetryAfterMs)*time.Millisecond, minBusyRetry), nil
		}
		return events.SessionAck{}, 0, errStage{"start", errorCode(f.D)}
	}
	var ack events.SessionAck
	if f.T != events.TypeAck || json.Unmarshal(f.D, &ack) != nil || ack.SessionID == "" {
		return events.SessionAck{}, 0, errStage{"start", "bad_ack"}
	}
	return ack, 0, nil
}

func errorCode(d json.RawMessage) string {
	var e events.Error
	if json.Unmarshal(d, &e) != nil || e.Code == "" {
		return "error"
	}
	return e.Code
}

// play runs the game loop: frames in, whacks and pings out when due.
func (b *bot) play(ctx context.Context, g *game) error {
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	pings := map[int64]time.Time{}
	nextPing := time.Now().Add(b.pingEvery())
	for {
		b.resetTimer(timer, g, nextPing)
		select {
		case r, ok := <-b.frames:
			if !ok {
				return errStage{"play", b.closedCause(ctx)}
			}
			if done := b.onFrame(g, pings, r); done {
				b.tally.unanswered.Add(int64(g.inFlight()))
				return nil
			}
		case now := <-timer.C:
			if err := b.sendDue(ctx, g, now); err != nil {
				return err
			}
			if !now.Before(nextPing) {
				nextPing = now.Add(b.pingEvery())
				b.ping(ctx, pings)
			}
		case <-ctx.Done():
			b.tally.inGameTimeouts.Add(1)
			return errStage{"play", "timeout"}
		}
	}
}

// pingEvery is the ping period; when pings are off it is far beyond any game.
func (b *bot) pingEvery() time.Duration {
	if b.cfg.PingEvery <= 0 {
		return 24 * time.Hour
	}
	return b.cfg.PingEvery
}

func (b *bot) resetTimer(timer *time.Timer, g *game, nextPing time.Time) {
	next := nextPing
	if due, ok := g.nextDue(); ok && due.Before(next) {
		next = due
	}
	timer.Reset(time.Until(next))
}

func (b *bot) ping(ctx context.Context, pings map[int64]time.Time) {
	id := b.nextID()
	pings[id] = time.Now()
	if err := b.conn.Request(ctx, "ping", id, nil); err != nil {
		delete(pings, id)
		b.tally.fail("ping:send")
	}
}

// sendDue sends every whack whose reaction delay has passed.
func (b *bot) sendDue(ctx context.Context, g *game, now time.Time) error {
	for _, w := range g.due(now) {
		b.tally.lateness.Add(now.Sub(w.due))
		id := b.nextID()
		g.whackSent(id, time.Now())
		payload := whackPayload{SessionID: g.sessionID, Hole: w.hole, MoleID: w.moleID}
		if err := b.conn.Request(ctx, "game:whack", id, payload); err != nil {
			return errStage{"whack", "send"}
		}
		b.tally.whacksSent.Add(1)
	}
	return nil
}

// onFrame handles one server frame; it reports true on this game's game:over.
func (b *bot) onFrame(g *game, pings map[int64]time.Time, r received) bool {
	switch r.T {
	case events.TypeMole:
		var m events.Mole
		if json.Unmarshal(r.D, &m) == nil {
			g.onMole(m, r.at)
		}
	case events.TypeHit, events.TypeMiss, events.TypeError:
		b.onJudged(g, r)
	case "pong":
		if sent, ok := pings[r.ID]; ok {
			delete(pings, r.ID)
			b.tally.pings.Add(r.at.Sub(sent))
		}
	case events.TypeOver:
		return b.onOver(g, r.D)
	}
	return false
}

// onJudged records a whack's round trip. Hits of other players' whacks
// carry no id of ours and are ignored.
func (b *bot) onJudged(g *game, r received) {
	rtt, ok := g.judged(r.ID, r.at)
	if !ok {
		return
	}
	switch r.T {
	case events.TypeHit:
		b.tally.judgedRTT(rtt)
		b.tally.hits.Add(1)
	case events.TypeMiss:
		b.tally.judgedRTT(rtt)
		var m events.Miss
		_ = json.Unmarshal(r.D, &m) // an unreadable reason is counted as ""
		b.tally.miss(m.Reason)
	default:
		code := errorCode(r.D)
		if code == events.CodeUnavailable || code == "timeout" {
			b.tally.inGameTimeouts.Add(1)
		}
		b.tally.fail("whack:" + code)
	}
}

func (b *bot) onOver(g *game, d json.RawMessage) bool {
	var over events.Over
	if err := json.Unmarshal(d, &over); err != nil || over.GameID != g.sessionID {
		return false
	}
	b.tally.over(time.Now())
	if over.Flagged {
		b.tally.gamesFlagged.Add(1)
	}
	for _, res := range over.Results {
		b.tally.scoreTotal.Add(res.Score)
	}
	return true
}
