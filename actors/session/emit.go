package session

import (
	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/session/game"
)

// gameTopic is the fan-out topic spectators subscribe to (game:subscribe).
func gameTopic(id string) string { return "game:" + id }

// emit turns rule events into frames. Hits go to every player (the mole is
// gone for all); a miss goes only to the player who whacked. The whacker's
// frame carries its request id.
func (a *Actor) emit(ctx actor.Context, evs []game.Event, whacker string, requestID int64) {
	for _, ev := range evs {
		switch e := ev.(type) {
		case game.PhaseChanged:
			a.onPhaseChanged(ctx, e)
		case game.MoleUp:
			a.broadcast(ctx, a.event(events.TypeMole, 0, events.Mole{
				GameID: a.id, MoleID: e.Mole.ID, Hole: e.Mole.Hole, Kind: string(e.Mole.Kind),
				UpMs: e.Mole.DownAt.Sub(e.Mole.UpAt).Milliseconds(),
			}))
		case game.Hit:
			whacksTotal.WithLabelValues("hit").Inc()
			hit := events.Hit{GameID: a.id, MoleID: e.MoleID, Hole: e.Hole, PlayerID: e.PlayerID, Points: e.Points, Score: e.Score}
			a.broadcastReply(ctx, events.TypeHit, hit, whacker, requestID)
		case game.Miss:
			whacksTotal.WithLabelValues(string(e.Reason)).Inc()
			a.sendTo(ctx, e.PlayerID, a.event(events.TypeMiss, requestIDFor(e.PlayerID, whacker, requestID),
				events.Miss{GameID: a.id, Hole: e.Hole, PlayerID: e.PlayerID, Reason: string(e.Reason), Score: e.Score}))
		}
	}
}

func requestIDFor(player, whacker string, requestID int64) int64 {
	if player == whacker {
		return requestID
	}
	return 0
}

func (a *Actor) onPhaseChanged(ctx actor.Context, e game.PhaseChanged) {
	switch e.Phase {
	case game.PhaseCountdown:
		a.announce(ctx, events.StateChange{GameID: a.id, State: events.StateWaiting,
			StartsInMs: e.StartsIn.Milliseconds(), Players: len(a.game.Players())})
	case game.PhaseRunning:
		a.announce(ctx, events.StateChange{GameID: a.id, State: events.StateStarted, Players: len(a.game.Players())})
	}
}

// announce sends a state change to the players and to spectators.
func (a *Actor) announce(ctx actor.Context, sc events.StateChange) {
	ev := a.event(events.TypeStateChange, 0, sc)
	a.broadcast(ctx, ev)
	a.deps.Publisher.Publish(gameTopic(a.id), ev)
}

func (a *Actor) event(typ string, requestID int64, payload any) *protos.ClientEvent {
	return &protos.ClientEvent{Type: typ, RequestId: requestID, Data: events.Encode(payload), SessionId: a.id}
}

// broadcast sends one encoded event to every attached player.
func (a *Actor) broadcast(ctx actor.Context, ev *protos.ClientEvent) {
	for _, m := range a.players {
		if m.pid != nil {
			ctx.Send(m.pid, ev)
		}
	}
}

// broadcastReply sends payload to every player, with the request id only in
// the whacker's copy.
func (a *Actor) broadcastReply(ctx actor.Context, typ string, payload any, whacker string, requestID int64) {
	plain := a.event(typ, 0, payload)
	for id, m := range a.players {
		if m.pid == nil {
			continue
		}
		if id == whacker && requestID != 0 {
			reply := &protos.ClientEvent{Type: typ, RequestId: requestID, Data: plain.Data, SessionId: a.id}
			ctx.Send(m.pid, reply)
			continue
		}
		ctx.Send(m.pid, plain)
	}
}

func (a *Actor) sendTo(ctx actor.Context, playerID string, ev *protos.ClientEvent) {
	if m := a.players[playerID]; m != nil && m.pid != nil {
		ctx.Send(m.pid, ev)
	}
}

// detachingCodes end the player's binding to this session.
var detachingCodes = map[string]bool{
	events.CodeSessionNotFound: true, events.CodeUnknownMode: true, events.CodeSessionFull: true,
	events.CodeAlreadyStarted: true, events.CodeGameOver: true, events.CodeUnavailable: true,
	events.CodeNotInSession: true, events.CodeAccountBanned: true,
}

// reject answers a player command with an error frame at the sender's
// connection (a rejected sender may not be a member).
func (a *Actor) reject(ctx actor.Context, msg any, code, text string) {
	cmd, ok := msg.(interface {
		GetFrom() *protos.PlayerRef
	})
	if !ok || cmd.GetFrom() == nil {
		a.ignore(msg)
		return
	}
	var requestID int64
	if r, ok := msg.(interface{ GetRequestId() int64 }); ok {
		requestID = r.GetRequestId()
	}
	from := cmd.GetFrom()
	ev := a.event(events.TypeError, requestID, events.Error{Code: code, Message: text})
	ev.Detach = detachingCodes[code]
	if _, isLeave := msg.(*protos.LeaveSession); isLeave {
		return
	}
	ctx.Send(actor.NewPID(from.GetAddress(), from.GetId()), ev)
}
