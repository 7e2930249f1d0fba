package session

import (
	"context"
	"errors"
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/game"
	"github.com/proofstell/proofstell/persistence"
)

// joined carries the stored verdict on a player joining a waiting match.
type joined struct {
	msg *protos.JoinSession
	err error
}

// onJoin re-attaches a member's new connection (game:resume), or starts a
// new player's join: the seat is taken in Postgres first (JoinSession, which
// refuses a banned account), and the rules admit the player once it is.
func (a *Actor) onJoin(ctx actor.Context, m *protos.JoinSession) {
	id := m.GetFrom().GetPlayerId()
	if a.game.IsPlayer(id) {
		a.admit(ctx, m)
		return
	}
	if m.GetResume() {
		// Only a participant resumes; no seat is taken for anyone else.
		a.rejectStranger(ctx, m, events.CodeSessionNotFound, "no such game")
		return
	}
	if now := a.deps.Now(); a.lobbyExpired(now) {
		a.expireLobby(ctx, now, "on_join")
		a.rejectClosed(ctx, m)
		return
	}
	if err := a.game.CanJoin(id); err != nil {
		a.rejectJoin(ctx, m, err)
		return
	}
	store, join := a.deps.Store, persistence.SessionJoin{SessionID: a.id, Epoch: a.epoch, PlayerID: id}
	a.io(ctx, func(io context.Context) any {
		return &joined{msg: m, err: store.JoinSession(io, join)}
	})
}

// onJoined admits a player whose seat is stored, or says why not.
func (a *Actor) onJoined(ctx actor.Context, m *joined) {
	switch {
	case m.err == nil:
		a.admit(ctx, m.msg)
	case errors.Is(m.err, persistence.ErrPlayerBanned):
		a.reject(ctx, m.msg, events.CodeAccountBanned, "this account is banned")
	case errors.Is(m.err, persistence.ErrStaleEpoch):
		a.reject(ctx, m.msg, events.CodeUnavailable, "the game is moving, try again")
		a.fenced(ctx)
	case errors.Is(m.err, persistence.ErrConflict):
		a.rejectJoin(ctx, m.msg, a.joinConflict())
	default:
		a.deps.Logger.Warn("join session", slog.String("session", a.id), slog.Any("error", m.err))
		a.reject(ctx, m.msg, events.CodeUnavailable, "could not join the game, try again")
	}
}

// joinConflict explains a seat the store refused: the match began or filled.
func (a *Actor) joinConflict() error {
	if a.game.Phase() != game.PhaseWaiting {
		return game.ErrNotJoinable
	}
	return game.ErrFull
}

// admit adds (or re-attaches) the player and tells everyone.
func (a *Actor) admit(ctx actor.Context, m *protos.JoinSession) {
	id := m.GetFrom().GetPlayerId()
	if !a.game.IsPlayer(id) {
		if err := a.game.Join(id); err != nil {
			a.rejectJoin(ctx, m, err)
			return
		}
		joinsTotal.Inc()
	}
	a.attach(m.GetFrom())
	a.sendTo(ctx, id, a.event(events.TypeAck, m.GetRequestId(), a.sessionAck()))
	if a.game.Phase() == game.PhaseWaiting {
		a.announce(ctx, events.StateChange{GameID: a.id, State: events.StateWaiting, Players: len(a.game.Players())})
		if a.game.Full() {
			a.begin(ctx)
		}
		return
	}
	a.sendTo(ctx, id, a.event(events.TypeStateChange, 0, a.currentState()))
	a.sendLiveMoles(ctx, id)
}

// sendLiveMoles shows a re-attaching player the moles still up, with the
// time they have left.
func (a *Actor) sendLiveMoles(ctx actor.Context, playerID string) {
	now := a.deps.Now()
	for _, m := range a.game.LiveMoles(now) {
		if left := m.DownAt.Sub(now); left > 0 {
			a.sendTo(ctx, playerID, a.event(events.TypeMole, 0, events.Mole{
				GameID: a.id, MoleID: m.ID, Hole: m.Hole, Kind: string(m.Kind), UpMs: left.Milliseconds(),
			}))
		}
	}
}

func (a *Actor) rejectJoin(ctx actor.Context, m *protos.JoinSession, err error) {
	switch {
	case errors.Is(err, game.ErrFull):
		a.reject(ctx, m, events.CodeSessionFull, "that match is full")
	case errors.Is(err, game.ErrNotJoinable):
		a.reject(ctx, m, events.CodeAlreadyStarted, "that match has already started")
	default:
		a.reject(ctx, m, events.CodeBadRequest, "cannot join that match")
	}
}

// currentState describes the phase for a player re-attaching, with the
// countdown or running time left.
func (a *Actor) currentState() events.StateChange {
	now := a.deps.Now()
	switch a.game.Phase() {
	case game.PhaseRunning:
		return events.StateChange{GameID: a.id, State: events.StateStarted, Players: len(a.game.Players()),
			RemainingMs: a.game.Remaining(now).Milliseconds()}
	case game.PhaseCountdown:
		return events.StateChange{GameID: a.id, State: events.StateWaiting, Players: len(a.game.Players()),
			StartsInMs: max(1, a.game.StartsAt().Sub(now).Milliseconds())}
	case game.PhaseFinished:
		return events.StateChange{GameID: a.id, State: events.StateEnded}
	default:
		return events.StateChange{GameID: a.id, State: events.StateWaiting, Players: len(a.game.Players())}
	}
}

// onJoinWhileFinishing lets a member's connection that (re-)attaches while
// the result is being committed (a game:resume, or a player re-attaching
// after the session moved and was found too late) hear how the game ends:
// it is acknowledged, and the end announcement follows once committed.
func (a *Actor) onJoinWhileFinishing(ctx actor.Context, m *protos.JoinSession) {
	id := m.GetFrom().GetPlayerId()
	if !a.game.IsPlayer(id) {
		a.rejectClosed(ctx, m)
		return
	}
	a.attach(m.GetFrom())
	a.sendTo(ctx, id, a.event(events.TypeAck, m.GetRequestId(), a.sessionAck()))
}
