package leaderboard

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/proofstell/proofstell/actors/leaderboard/standings"
	"github.com/proofstell/proofstell/persistence"
)

// rebuilt carries a rebuild's outcome from its goroutine to the mailbox.
type rebuilt struct {
	gen   int
	index *standings.Index
	mark  persistence.StandingMark
	err   error
	took  time.Duration
}

// NotInfluenceReceiveTimeout marks a finished rebuild as not client activity.
func (*rebuilt) NotInfluenceReceiveTimeout() {}

// rebuildJob is everything the rebuild goroutine may touch: copies, never
// the grain itself.
type rebuildJob struct {
	gen   int
	store persistence.StandingChanges
	key   standings.Key
}

var errNoStore = errors.New("no standing store configured")

func (j rebuildJob) run(ctx context.Context) *rebuilt {
	start := time.Now()
	entries, mark, err := readSince(ctx, j.store, j.key, 0)
	if err != nil {
		return &rebuilt{gen: j.gen, err: fmt.Errorf("rebuild %s: %w", j.key, err), took: time.Since(start)}
	}
	ix := standings.BuildIndex(seedFor(j.key), entries)
	return &rebuilt{gen: j.gen, index: ix, mark: mark, took: time.Since(start)}
}

// readSince collects the entries of a board period stored since a mark
// (every entry for 0) and the mark to read from next time.
func readSince(ctx context.Context, store persistence.StandingChanges, key standings.Key,
	since persistence.StandingMark,
) ([]standings.Entry, persistence.StandingMark, error) {
	if store == nil {
		return nil, 0, errNoStore
	}
	var entries []standings.Entry
	mark, err := store.StandingsSince(ctx, storedKey(key), since, func(s persistence.Standing) error {
		entries = append(entries, entryFromStanding(s))
		return nil
	})
	return entries, mark, err
}

// startRebuild loads the index off the mailbox; messages wait in the stash.
func (g *grain) startRebuild(ctx actor.Context) {
	g.gen++
	if g.cancelCatchUp != nil { // it reads for the old index
		g.cancelCatchUp()
		g.cancelCatchUp = nil
	}
	g.reason = "" // overflow while rebuilding means busy, not failed
	job := rebuildJob{gen: g.gen, store: g.deps.Standings, key: g.key}
	rctx, cancel := context.WithTimeout(g.deps.Base, g.deps.RebuildTimeout)
	g.cancelRebuild = cancel
	root, self := ctx.ActorSystem().Root, ctx.Self()
	go func() {
		defer cancel()
		root.Send(self, job.run(rctx))
	}()
	g.behavior.Become(g.rebuilding)
}

// rebuilding: the index is loading; work is stashed until it is ready.
func (g *grain) rebuilding(ctx actor.Context) {
	if m, ok := ctx.Message().(*rebuilt); ok {
		g.onRebuilt(ctx, m)
		return
	}
	if !g.tryStash(ctx) {
		g.lifecycle(ctx)
	}
}

func (g *grain) onRebuilt(ctx actor.Context, m *rebuilt) {
	if m.gen != g.gen {
		return
	}
	g.cancelRebuild = nil
	if m.err != nil {
		g.onRebuildFailed(ctx, m)
		return
	}
	g.deps.Metrics.RebuildSeconds.WithLabelValues(g.boardLabel(), "ok").Observe(m.took.Seconds())
	g.log.Debug("leaderboard: rebuilt", slog.Int("players", m.index.Len()), slog.Duration("took", m.took))
	g.index, g.mark = m.index, m.mark
	if g.view == nil {
		g.view = newView(ctx.Self(), g.deps.Config.TopN)
	}
	g.view.replace(m.index)
	// Serving is final for an activation (it only stops), so the view stays
	// published until onStopping withdraws it.
	g.deps.Views.publish(g.key.Identity(), g.view)
	// A fresh activation may hold standings nobody has been shown yet (results
	// committed while no grain was active): announce them on the next tick.
	g.dirty = g.index.Len() > 0
	g.backoff = g.deps.RetryBackoff
	g.reportSize()
	g.behavior.Become(g.serving)
	g.replayStash(ctx)
}

func (g *grain) onRebuildFailed(ctx actor.Context, m *rebuilt) {
	g.deps.Metrics.RebuildSeconds.WithLabelValues(g.boardLabel(), "error").Observe(m.took.Seconds())
	g.log.Warn("leaderboard: rebuild failed", slog.Any("err", m.err), slog.Duration("retry_in", g.backoff))
	// Users see that the board is unavailable, never the cause.
	g.reason = "leaderboard unavailable"
	g.failStash(ctx, g.reason)
	sched := scheduler.NewTimerScheduler(ctx.ActorSystem().Root)
	g.cancelRetry = sched.SendOnce(g.backoff, ctx.Self(), &RetryTick{})
	g.backoff = min(2*g.backoff, MaxRetryBackoff)
	g.behavior.Become(g.failed)
}

// failed: the last rebuild failed; queries are refused until a retry
// succeeds. Applies are dropped safely: their results are already in
// Postgres, which the retry reads after they arrived.
func (g *grain) failed(ctx actor.Context) {
	if g.refuse(ctx, ctx.Message(), ctx.Sender()) {
		return
	}
	switch ctx.Message().(type) {
	case *RetryTick:
		g.cancelRetry = nil
		g.startRebuild(ctx)
	case *actor.ReceiveTimeout:
		g.onIdle(ctx)
	default:
		g.lifecycle(ctx)
	}
}
