package session

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// snapshotSaved reports a snapshot write.
type snapshotSaved struct{ err error }

// snapshotIfDue writes the in-flight state at most once per SnapshotInterval,
// one write at a time.
func (a *Actor) snapshotIfDue(ctx actor.Context, now time.Time) {
	if a.snapshotting || now.Sub(a.lastSnapshot) < a.deps.Config.SnapshotInterval {
		return
	}
	snap, err := a.snapshot(now)
	if err != nil {
		a.deps.Logger.Error("encode snapshot", slog.String("session", a.id), slog.Any("error", err))
		return
	}
	a.snapshotting, a.lastSnapshot = true, now
	written := make(chan struct{})
	a.inflight = written
	if a.deps.Snapshots == nil {
		store := a.deps.Store
		a.io(ctx, func(io context.Context) any {
			defer close(written)
			return &snapshotSaved{err: store.SaveSnapshot(io, snap)}
		})
		return
	}
	self, root := ctx.Self(), ctx.ActorSystem().Root
	err = a.deps.Snapshots.Submit(snap, func(err error) {
		close(written)
		root.Send(self, &snapshotSaved{err: err})
	})
	if err != nil {
		// Overflow policy: the node's writer is full (or stopping), so this
		// snapshot is skipped; the next one is due in SnapshotInterval.
		close(written)
		a.snapshotting = false
		snapshotErrors.Inc()
		a.deps.Logger.Warn("queue snapshot", slog.String("session", a.id), slog.Any("error", err))
	}
}

// snapshot is the epoch-guarded record of the game as it is now.
func (a *Actor) snapshot(now time.Time) (persistence.Snapshot, error) {
	data, err := a.game.Snapshot()
	if err != nil {
		return persistence.Snapshot{}, fmt.Errorf("snapshot session %s: %w", a.id, err)
	}
	return persistence.Snapshot{
		SessionID: a.id, Epoch: a.epoch, State: storedState(a.game.Phase()),
		PlayerIDs: a.game.Players(), StartedAt: a.game.StartedAt(), Data: data, At: now,
	}, nil
}

func (a *Actor) onSnapshotSaved(ctx actor.Context, m *snapshotSaved) {
	a.snapshotting = false
	switch {
	case errors.Is(m.err, persistence.ErrStaleEpoch):
		a.fenced(ctx)
	case m.err != nil:
		snapshotErrors.Inc()
		a.deps.Logger.Warn("save snapshot", slog.String("session", a.id), slog.Any("error", m.err))
	}
}

// fenced stops an activation that lost ownership: a newer epoch owns the
// session, so this one must not write or announce anything more.
func (a *Actor) fenced(ctx actor.Context) {
	fencedTotal.Inc()
	a.lost = true
	a.deps.Logger.Warn("session fenced by a newer activation", slog.String("session", a.id), slog.Int64("epoch", a.epoch))
	a.stopTicks()
	a.players = map[string]*member{}
	a.become(ctx, phaseUnavailable)
	ctx.Stop(ctx.Self())
}

func storedState(p game.Phase) persistence.SessionState {
	switch p {
	case game.PhaseCountdown:
		return persistence.StateCountdown
	case game.PhaseRunning:
		return persistence.StateRunning
	case game.PhaseFinished:
		return persistence.StateFinished
	default:
		return persistence.StateWaiting
	}
}
