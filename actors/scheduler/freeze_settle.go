package scheduler

import (
	"context"
	"errors"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/persistence"
)

// freezing reports whether the node wired the period freeze.
func (d Deps) freezing() bool { return d.Periods != nil && d.Standings != nil }

// freezeAfterClose freezes a closed period under its own timeout: a large
// period takes longer than a close.
func freezeAfterClose(deps Deps, lease persistence.Lease, k closeKey) frozen {
	io, cancel := context.WithTimeout(deps.Base, deps.FreezeTimeout)
	defer cancel()
	return verdict(FreezeBoard(io, deps, lease, k))
}

// onFrozen settles a closed period's freeze: done (or off) forgets the
// period, a failure keeps it pending so the next tick repeats the close
// (already closed, announced nothing) and the freeze, and a stale epoch
// fences the scheduler.
func (a *Actor) onFrozen(ctx actor.Context, k closeKey, f frozen) {
	if !a.deps.freezing() {
		delete(a.pending, k)
		return
	}
	a.deps.Metrics.Freezes.WithLabelValues(k.Series(), f.outcome).Inc()
	switch {
	case errors.Is(f.err, persistence.ErrStaleEpoch):
		a.fenced(ctx)
	case f.err != nil:
		a.pending[k] = false
		a.deps.Logger.Warn("freeze leaderboard period", a.attrs(k, slog.Any("error", f.err))...)
	default:
		delete(a.pending, k)
		if f.outcome == string(FreezeFrozen) {
			a.deps.Logger.Info("leaderboard period frozen", a.attrs(k)...)
		}
	}
}
