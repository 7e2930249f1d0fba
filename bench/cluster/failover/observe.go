package main

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/bench/cluster/internal/members"
	"github.com/proofstell/proofstell/bench/cluster/internal/wsplay"
)

// afterStarted is the longest the observation goes on after the "started"
// for the survivors' gauges to show the new activation and for its first
// mole (one spawns every second in classic).
const afterStarted = 2 * time.Second

// watch is what the observation of one kill compares against.
type watch struct {
	survivors []int
	base      []float64 // survivors' proofstell_sessions_active just before the kill
	killedAt  time.Time
}

// hosted is the first survivor seen hosting one more session.
type hosted struct {
	node int
	at   time.Time
}

// observe reads the player's frames and polls the survivors' gauges until
// the game has ended, or has come back and cfg.Settle has passed since the
// kill (a second move would show as a second "paused"), or cfg.Wait passes.
func (r *runner) observe(ctx context.Context, p *wsplay.Player, sessionID string, w watch, it *iteration) {
	ctx, cancel := context.WithDeadline(ctx, w.killedAt.Add(r.cfg.Wait))
	defer cancel()
	found := make(chan hosted, 1)
	go r.pollHosted(ctx, w, found)
	var linger <-chan time.Time
	settled := time.After(time.Until(w.killedAt.Add(r.cfg.Settle)))
	for !r.done(it, w.killedAt) {
		select {
		case f, ok := <-p.Frames():
			if !ok {
				it.Err = "socket closed"
				return
			}
			if f.At.Before(w.killedAt) {
				continue
			}
			it.trace(f, w.killedAt)
			if back := onFrame(f, sessionID, w.killedAt, it); back && linger == nil {
				linger = time.After(afterStarted)
			}
		case h := <-found:
			it.Hosted, it.NewHost = h.at.Sub(w.killedAt), h.node
		case <-settled:
			settled = nil
		case <-linger:
			return
		case <-ctx.Done():
			return
		}
	}
}

// traceFrames bounds the frames kept per iteration for the report.
const traceFrames = 6

// trace keeps the first frames after the kill: the report shows them for
// an iteration that did not pause and resume as expected.
func (it *iteration) trace(f wsplay.Received, killedAt time.Time) {
	if len(it.Trace) < traceFrames {
		it.Trace = append(it.Trace, fmt.Sprintf("%s@%dms", f.T, f.At.Sub(killedAt).Milliseconds()))
	}
}

// done reports whether the observation of a kill can end: the game ended,
// or it is back and cfg.Settle has passed since the kill.
func (r *runner) done(it *iteration, killedAt time.Time) bool {
	return it.Over >= 0 || complete(it) && time.Since(killedAt) >= r.cfg.Settle
}

// complete reports whether every moment of a resumed game has been seen.
func complete(it *iteration) bool {
	return it.Started >= 0 && it.Hosted >= 0 && it.Mole >= 0
}

// onFrame records the moments a frame marks; it reports true once the game
// is back ("started", normally after "paused") or over.
func onFrame(f wsplay.Received, sessionID string, killedAt time.Time, it *iteration) bool {
	since := f.At.Sub(killedAt)
	switch f.T {
	case events.TypeStateChange:
		var sc events.StateChange
		if json.Unmarshal(f.D, &sc) != nil || sc.GameID != sessionID {
			return false
		}
		switch {
		case sc.State == events.StatePaused && it.Started >= 0:
			it.Repaused++
		case sc.State == events.StatePaused && it.Paused < 0:
			it.Paused = since
		case sc.State == events.StateStarted && it.Started < 0:
			it.Started, it.Unpaused = since, it.Paused < 0
			return true
		case sc.State == events.StateEnded:
			it.Over, it.Err = since, "ended: "+sc.Reason
			return true
		}
	case events.TypeMole:
		if it.Mole < 0 {
			it.Mole = since
		}
	case events.TypeError:
		var e events.Error
		_ = json.Unmarshal(f.D, &e)
		it.Err = "error: " + e.Code
	case events.TypeOver:
		it.Over = since
		return true
	}
	return false
}

// pollHosted reads the survivors' proofstell_sessions_active every 20 ms until one
// grows past its value before the kill.
func (r *runner) pollHosted(ctx context.Context, w watch, found chan<- hosted) {
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for {
		now, err := r.cluster.GaugeAll(ctx, members.GaugeSessions, w.survivors)
		at := time.Now()
		if err == nil {
			for k, v := range now {
				if v > w.base[k] {
					found <- hosted{node: w.survivors[k], at: at}
					return
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}
