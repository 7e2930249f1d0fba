package session

import (
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// waitingExpired ends a match nobody started in time.
type waitingExpired struct{}

// lobbyDeadline is when a session still waiting for players expires:
// Config.WaitingTimeout after its stored creation, so a lobby re-activated
// after a crash keeps the deadline it had (zero: no deadline).
func (a *Actor) lobbyDeadline() time.Time {
	if a.deps.Config.WaitingTimeout <= 0 {
		return time.Time{}
	}
	return a.record.CreatedAt.Add(a.deps.Config.WaitingTimeout)
}

// armLobbyExpiry schedules the waiting timeout of a lobby, counted from its
// creation. It reports false when the deadline has already passed: the
// lobby was orphaned (its node died, nobody came back in time) and is
// closed now, before anyone can join it.
func (a *Actor) armLobbyExpiry(ctx actor.Context) bool {
	deadline := a.lobbyDeadline()
	if deadline.IsZero() {
		return true
	}
	now := a.deps.Now()
	if left := deadline.Sub(now); left > 0 {
		a.scheduleOnce(ctx, left, &waitingExpired{})
		return true
	}
	a.expireLobby(ctx, now, "on_activation")
	return false
}

// lobbyExpired reports whether the session is a lobby past its deadline.
func (a *Actor) lobbyExpired(now time.Time) bool {
	deadline := a.lobbyDeadline()
	return !deadline.IsZero() && !now.Before(deadline) && a.game.Phase() == game.PhaseWaiting
}

// onWaitingExpired closes a lobby whose timer fired. Without a configured
// timeout the message itself is the deadline; a timer that fires early
// (timers and the clock disagree) waits for the rest.
func (a *Actor) onWaitingExpired(ctx actor.Context) {
	if a.game.Phase() != game.PhaseWaiting {
		return
	}
	now := a.deps.Now()
	if deadline := a.lobbyDeadline(); !deadline.IsZero() && now.Before(deadline) {
		a.scheduleOnce(ctx, deadline.Sub(now), &waitingExpired{})
		return
	}
	a.expireLobby(ctx, now, "timer")
}

// expireLobby aborts a lobby nobody started in time; where labels how it
// was noticed.
func (a *Actor) expireLobby(ctx actor.Context, now time.Time, where string) {
	lobbiesExpired.WithLabelValues(where).Inc()
	a.deps.Logger.Info("lobby expired", slog.String("session", a.id), slog.String("noticed", where),
		slog.Duration("age", now.Sub(a.record.CreatedAt)))
	a.abort(ctx, now, persistence.AbortLobbyExpired)
}

// neverStarted reports whether this session ended (or is ending) as a lobby:
// to someone who is not a member it is simply gone, as its join code is.
func (a *Actor) neverStarted() bool {
	if a.result != nil {
		return a.result.StartedAt.IsZero()
	}
	return a.record.StartedAt.IsZero()
}
