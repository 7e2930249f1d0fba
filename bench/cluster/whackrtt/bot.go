package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/bench/cluster/internal/members"
	"github.com/proofstell/proofstell/bench/cluster/internal/wsplay"
)

// gameSlack is added to a game's duration (countdown, result commit) before
// the bot gives up on it.
const gameSlack = 30 * time.Second

// gameResult is one bot's game.
type gameResult struct {
	Class      string
	Player     int // member holding the socket
	Placement  members.Placement
	Completed  bool
	Err        string
	RTT        []time.Duration
	Hits       int
	Misses     int
	Rejected   int
	Unanswered int
}

// playGame signs bot i in on member i mod size, starts a solo game, whacks
// every mole cfg.React after it appears and records each judged round trip.
func playGame(ctx context.Context, cfg config, s *starter, i int) gameResult {
	size := s.cluster.Size()
	res := gameResult{Player: i % size}
	p, err := wsplay.Connect(ctx, s.cluster.Base(res.Player), fmt.Sprintf("whackrtt-bot-%06d", i))
	if err != nil {
		res.Err = "connect"
		return res
	}
	defer p.Close()
	ack, pl, err := s.start(ctx, p, cfg.Mode)
	if err != nil {
		res.Err = "start"
		return res
	}
	res.Placement, res.Class = pl, classOf(size, res.Player, pl)
	ctx, cancel := context.WithTimeout(ctx, time.Duration(ack.DurationMs)*time.Millisecond+gameSlack)
	defer cancel()
	w := &whacker{p: p, sessionID: ack.SessionID, react: cfg.React, sent: map[int64]time.Time{}}
	w.play(ctx, &res)
	res.Unanswered = w.stop()
	return res
}

// whacker plays one game: each mole gets a whack after the reaction delay,
// sent from a timer; the round trip is matched by request id.
type whacker struct {
	p         *wsplay.Player
	sessionID string
	react     time.Duration

	mu     sync.Mutex
	sent   map[int64]time.Time
	timers []*time.Timer
	done   bool
}

func (w *whacker) play(ctx context.Context, res *gameResult) {
	for {
		select {
		case r, ok := <-w.p.Frames():
			if !ok {
				res.Err = "disconnected"
				return
			}
			if w.onFrame(ctx, r, res) {
				res.Completed = true
				return
			}
		case <-ctx.Done():
			res.Err = "timeout"
			return
		}
	}
}

// onFrame handles one frame; it reports true on this game's game:over.
func (w *whacker) onFrame(ctx context.Context, r wsplay.Received, res *gameResult) bool {
	switch r.T {
	case events.TypeMole:
		var m events.Mole
		if json.Unmarshal(r.D, &m) == nil && m.GameID == w.sessionID && m.Kind != "bomb" {
			w.schedule(ctx, time.Until(r.At.Add(w.react)), m)
		}
	case events.TypeHit, events.TypeMiss, events.TypeError:
		if rtt, ok := w.judged(r.ID, r.At); ok {
			w.count(r.T, rtt, res)
		}
	case events.TypeOver:
		var over events.Over
		return json.Unmarshal(r.D, &over) == nil && over.GameID == w.sessionID
	}
	return false
}

func (w *whacker) count(typ string, rtt time.Duration, res *gameResult) {
	switch typ {
	case events.TypeHit:
		res.Hits++
		res.RTT = append(res.RTT, rtt)
	case events.TypeMiss:
		res.Misses++
		res.RTT = append(res.RTT, rtt)
	default:
		res.Rejected++
	}
}

func (w *whacker) schedule(ctx context.Context, after time.Duration, m events.Mole) {
	payload := wsplay.WhackPayload{SessionID: w.sessionID, Hole: m.Hole, MoleID: m.MoleID}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.timers = append(w.timers, time.AfterFunc(after, func() { w.whack(ctx, payload) }))
}

// whack sends under the lock, so the reply's id is recorded before the
// frame loop can look it up.
func (w *whacker) whack(ctx context.Context, payload wsplay.WhackPayload) {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.done {
		return
	}
	if id, at, err := w.p.Send(ctx, "game:whack", payload); err == nil {
		w.sent[id] = at
	}
}

func (w *whacker) judged(id int64, at time.Time) (time.Duration, bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	sentAt, ok := w.sent[id]
	if !ok {
		return 0, false
	}
	delete(w.sent, id)
	return at.Sub(sentAt), true
}

// stop cancels pending whacks and returns how many sent ones got no answer.
func (w *whacker) stop() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.done = true
	for _, t := range w.timers {
		t.Stop()
	}
	return len(w.sent)
}
