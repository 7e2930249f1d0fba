package session

import (
	"slices"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/persistence"
)

// asResume turns a creation request that reached an existing session into
// the re-attach it is: a player actor repeats its game:start or game:create
// when the activation it sent it to died before answering, and the session
// may exist by then.
func asResume(m *protos.CreateSession) *protos.JoinSession {
	return &protos.JoinSession{From: m.GetFrom(), RequestId: m.GetRequestId(), Resume: true}
}

// onJoinFinished answers a connection (re-)attaching to a game that is over
// with how it ended: the stored game:over as the reply (with the request
// id), then game:state-change ended; an aborted game answers with the state
// change alone. Both end the connection's binding. Anyone who did not play
// it learns nothing: a resume is answered as for an unknown session.
func (a *Actor) onJoinFinished(ctx actor.Context, m *protos.JoinSession) {
	from := m.GetFrom()
	if !a.playedBy(from.GetPlayerId()) {
		a.rejectClosed(ctx, m)
		return
	}
	to := actor.NewPID(from.GetAddress(), from.GetId())
	for _, ev := range a.endEvents(m.GetRequestId()) {
		ctx.Send(to, ev)
	}
}

// rejectStranger refuses a join from someone who is not a participant; a
// resume gets exactly the answer an unknown session gets, so it cannot
// reveal that the session exists.
func (a *Actor) rejectStranger(ctx actor.Context, m *protos.JoinSession, code, text string) {
	if m.GetResume() {
		code, text = events.CodeSessionNotFound, "no such game"
	}
	a.reject(ctx, m, code, text)
}

// outcome is the stored end of the game: this activation's committed result,
// or the row it loaded.
func (a *Actor) outcome() (persistence.SessionState, bool, []persistence.PlayerResult) {
	if a.result != nil {
		return a.result.State, a.result.Flagged, a.result.Players
	}
	return a.record.State, a.record.Flagged, a.record.Results
}

// endReason is the reason players hear for the stored end, the same from
// every activation: banned for a game voided by a ban, aborted for any
// other abort, none for a finished game.
func (a *Actor) endReason() string {
	state, stored := a.record.State, a.record.EndReason
	if a.result != nil {
		state, stored = a.result.State, a.result.Reason
	}
	switch {
	case state != persistence.StateAborted:
		return ""
	case stored == persistence.AbortBanned:
		return events.ReasonBanned
	default:
		return events.ReasonAborted
	}
}

// playedBy reports whether playerID took part in the game that is over.
func (a *Actor) playedBy(playerID string) bool {
	_, _, players := a.outcome()
	return slices.Contains(a.record.PlayerIDs, playerID) ||
		slices.ContainsFunc(players, func(p persistence.PlayerResult) bool { return p.PlayerID == playerID })
}

// endEvents are the frames that tell a player how the game ended, the first
// carrying requestID; the last one ends the binding.
func (a *Actor) endEvents(requestID int64) []*protos.ClientEvent {
	state, flagged, players := a.outcome()
	end := a.event(events.TypeStateChange, 0, events.StateChange{GameID: a.id, State: events.StateEnded, Reason: a.endReason()})
	end.Detach = true
	if state != persistence.StateFinished {
		end.RequestId = requestID
		return []*protos.ClientEvent{end}
	}
	over := events.Over{GameID: a.id, Flagged: flagged, Results: []events.Result{}, Seed: a.overSeed()}
	for _, p := range players {
		over.Results = append(over.Results, events.Result{PlayerID: p.PlayerID, Score: p.Score, Hits: p.Hits, Misses: p.Misses})
	}
	first := a.event(events.TypeOver, requestID, over)
	first.Detach = true
	return []*protos.ClientEvent{first, end}
}

// onCreateAgain answers a creation request for a session that exists: its
// creator's connection repeating a request whose first activation died
// before answering re-attaches; anyone else is refused.
func (a *Actor) onCreateAgain(ctx actor.Context, m *protos.CreateSession) {
	if !a.game.IsPlayer(m.GetFrom().GetPlayerId()) {
		a.reject(ctx, m, events.CodeBadRequest, "that game already exists")
		return
	}
	a.onJoin(ctx, asResume(m))
}
