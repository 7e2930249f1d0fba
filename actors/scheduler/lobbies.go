package scheduler

import (
	"context"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
)

// LobbyCloser closes lobbies nobody will start (persistence.SessionStore's
// ExpireLobbies).
type LobbyCloser interface {
	ExpireLobbies(ctx context.Context, createdBefore, now time.Time) (int, error)
}

// Lobby sweep defaults.
const (
	// DefaultLobbySweepEvery is how often the leader closes expired lobbies.
	DefaultLobbySweepEvery = time.Minute
	// LobbySweepGrace is how long past its deadline a lobby is left to its
	// own session grain, which closes it itself (and tells its players)
	// when it is alive; the sweep is for the orphans of crashed nodes.
	LobbySweepGrace = time.Minute
)

// lobbiesSwept carries an ExpireLobbies verdict back into the mailbox.
type lobbiesSwept struct {
	closed int
	err    error
}

// sweepLobbiesIfDue closes, off the mailbox, the lobbies left waiting longer
// than the waiting timeout plus LobbySweepGrace: at the first tick of a
// leadership (a node start), then every LobbySweepEvery. The sweep is
// idempotent, so a second leader sweeping during a takeover is harmless.
func (a *Actor) sweepLobbiesIfDue(ctx actor.Context, now time.Time) {
	d := a.deps
	if d.Lobbies == nil || d.LobbyTimeout <= 0 || a.sweeping ||
		(!a.lastSweep.IsZero() && now.Sub(a.lastSweep) < d.LobbySweepEvery) {
		return
	}
	a.sweeping, a.lastSweep = true, now
	self, root, cutoff := ctx.Self(), ctx.ActorSystem().Root, now.Add(-d.LobbyTimeout-LobbySweepGrace)
	go func() {
		io, cancel := context.WithTimeout(d.Base, d.IOTimeout)
		defer cancel()
		n, err := d.Lobbies.ExpireLobbies(io, cutoff, now)
		root.Send(self, &lobbiesSwept{closed: n, err: err})
	}()
}

func (a *Actor) onLobbiesSwept(m *lobbiesSwept) {
	a.sweeping = false
	if m.err != nil {
		a.deps.Metrics.LobbySweeps.WithLabelValues(outcomeError).Inc()
		a.lastSweep = time.Time{} // retried on the next tick
		a.deps.Logger.Warn("close expired lobbies", slog.Any("error", m.err))
		return
	}
	a.deps.Metrics.LobbySweeps.WithLabelValues("ok").Inc()
	a.deps.Metrics.LobbiesExpired.Add(float64(m.closed))
	if m.closed > 0 {
		a.deps.Logger.Info("expired lobbies closed", slog.Int("lobbies", m.closed))
	}
}
