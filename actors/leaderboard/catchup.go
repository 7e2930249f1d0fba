package leaderboard

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// CatchUpTick makes a serving grain read the standings stored since its
// high-water mark and offer them to its index, so it converges to
// PostgreSQL whatever live applies were lost (a killed node, a moved grain).
// The grain schedules it every Config.CatchUpInterval; tests send it
// themselves. It does not keep a past period alive.
type CatchUpTick struct{}

// NotInfluenceReceiveTimeout lets idle past periods passivate despite ticks.
func (*CatchUpTick) NotInfluenceReceiveTimeout() {}

// caughtUp carries a catch-up read from its goroutine to the mailbox.
type caughtUp struct {
	gen     int
	entries []standings.Entry
	mark    persistence.StandingMark
	err     error
}

// NotInfluenceReceiveTimeout marks a catch-up result as not client activity.
func (*caughtUp) NotInfluenceReceiveTimeout() {}

// onCatchUpTick starts a catch-up read off the mailbox unless one is in
// flight: a slow database gets one query per board at a time, never a queue.
func (g *grain) onCatchUpTick(ctx actor.Context) {
	if g.cancelCatchUp != nil {
		return
	}
	gen, store, key, since := g.gen, g.deps.Standings, g.key, g.mark
	rctx, cancel := context.WithTimeout(g.deps.Base, g.deps.RebuildTimeout)
	g.cancelCatchUp = cancel
	root, self := ctx.ActorSystem().Root, ctx.Self()
	go func() {
		defer cancel()
		entries, mark, err := readSince(rctx, store, key, since)
		if err != nil {
			err = fmt.Errorf("catch up %s: %w", key, err)
		}
		root.Send(self, &caughtUp{gen: gen, entries: entries, mark: mark, err: err})
	}()
}

// onCaughtUp offers what was stored since the mark. Offer keeps each
// player's best entry by the store's own rule, so entries read again, or
// older than an apply that overtook the read, change nothing; and the mark
// only moves forward.
func (g *grain) onCaughtUp(m *caughtUp) {
	if m.gen != g.gen {
		return // read for an index that was replaced since
	}
	g.cancelCatchUp = nil
	board := g.boardLabel()
	if m.err != nil {
		g.deps.Metrics.CatchUps.WithLabelValues(board, "error").Inc()
		g.log.Warn("leaderboard: catch-up failed", slog.Any("err", m.err))
		return
	}
	g.mark = max(g.mark, m.mark)
	changed := 0
	for _, e := range m.entries {
		if g.view.offer(e) {
			changed++
		}
	}
	if changed == 0 {
		g.deps.Metrics.CatchUps.WithLabelValues(board, "unchanged").Inc()
		return
	}
	g.deps.Metrics.CatchUps.WithLabelValues(board, "changed").Inc()
	g.log.Info("leaderboard: caught up with stored standings the live updates had missed",
		slog.Int("entries", changed))
	g.dirty = true
	g.reportSize()
}
