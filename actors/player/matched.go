package player

import (
	"encoding/json"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/scheduler"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// onMatchFound plays a formed match: the client hears matchmaking:matched
// (the same bytes every member gets); the host opens the session as
// game:create does and the others wait for it to say the session is open
// (MatchReady), at most Deps.ReadyTimeout, then queue again. A match for a
// ticket this connection no longer holds is stale: a host gives it up so
// the others queue again at once.
func (a *Actor) onMatchFound(ctx actor.Context, m *protos.MatchFound) {
	q := a.myTicket()
	host := m.GetHostPlayerId() == a.playerID
	if q == nil && a.partyMember() {
		q = a.adoptPartyTicket(m) // a member of a queued party: its leader holds the ticket
	}
	if q == nil || q.ticketID != m.GetTicketId() || a.current != nil {
		if host {
			a.tellMembers(ctx, m, &protos.MatchReady{SessionId: m.GetSessionId(), Abandoned: true})
		}
		return
	}
	if q.pid != nil {
		ctx.Unwatch(q.pid)
	}
	a.setTicket(nil)
	if a.maintenanceOn() {
		// Queued before maintenance began: no new game starts now. Every
		// member drops its ticket here (the host's abandon finds none to
		// re-queue).
		a.sendQueueStatus(q, events.ReasonMaintenance)
		if a.mm != nil && a.mm.early.GetSessionId() == m.GetSessionId() {
			a.mm.early = nil
		}
		if host {
			a.tellMembers(ctx, m, &protos.MatchReady{SessionId: m.GetSessionId(), Abandoned: true})
		}
		return
	}
	a.conn.Send(Frame{Type: events.TypeMatchmakingMatched, Data: m.GetMatched()})
	admitted, d := a.deps.Admission.Admit()
	if !d.Admitted {
		admissionOverrides.Inc()
	}
	if !host {
		a.setAwaiting(&awaitingMatch{sessionID: m.GetSessionId(), ticket: q, admitted: admitted})
		if early := a.mm.early; early != nil && early.GetSessionId() == m.GetSessionId() {
			a.mm.early = nil
			a.onMatchReady(ctx, early)
			return
		}
		scheduler.NewTimerScheduler(ctx).SendOnce(a.readyTimeout(), ctx.Self(), &readyExpired{sessionID: m.GetSessionId()})
		return
	}
	a.bind(ctx, m.GetSessionId(), &protos.CreateSession{
		From: a.ref(ctx), Mode: m.GetMode(), MaxPlayers: m.GetMaxPlayers(), MatchedPlayers: memberIDs(m),
	})
	a.current.ticket, a.current.match = admitted, m
	a.armStart(ctx, q)
}

// onMatchReady joins the session the host opened, or queues again when
// the host could not open it.
func (a *Actor) onMatchReady(ctx actor.Context, m *protos.MatchReady) {
	w := a.myMatch()
	if w == nil || w.sessionID != m.GetSessionId() {
		if a.myTicket() != nil || a.partyMember() { // its MatchFound may still be on the way
			a.mm.early = m
		}
		return
	}
	a.setAwaiting(nil)
	if m.GetAbandoned() || a.current != nil {
		w.admitted.Close()
		a.requeueUnlessAdopted(ctx, w.ticket, "abandoned")
		return
	}
	a.bind(ctx, w.sessionID, &protos.JoinSession{From: a.ref(ctx)})
	a.current.ticket, a.current.match = w.admitted, &protos.MatchFound{SessionId: w.sessionID}
	a.armStart(ctx, w.ticket)
}

// readyTimeout is Deps.ReadyTimeout, or its default when unset.
func (a *Actor) readyTimeout() time.Duration {
	if a.deps.ReadyTimeout <= 0 {
		return defaultReadyTimeout
	}
	return a.deps.ReadyTimeout
}

// startExpired ends the wait for a formed match's session to count down.
type startExpired struct{ sessionID string }

// armStart gives the formed match twice the ready timeout to count down
// (every member joined): a member that never comes (its ticket was
// cancelled as the match formed, its node died) must not keep the others
// in a lobby until it expires.
func (a *Actor) armStart(ctx actor.Context, q *queued) {
	a.current.requeue = q
	scheduler.NewTimerScheduler(ctx).SendOnce(2*a.readyTimeout(), ctx.Self(), &startExpired{sessionID: a.current.sessionID})
}

// noteMatchStart disarms the start deadline once the match's session
// counts down or runs.
func (a *Actor) noteMatchStart(ev *protos.ClientEvent) {
	b := a.current
	if b == nil || b.requeue == nil || ev.SessionId != b.sessionID || ev.Type != events.TypeStateChange {
		return
	}
	var sc events.StateChange
	if json.Unmarshal(ev.Data, &sc) == nil && (sc.StartsInMs > 0 || sc.State != events.StateWaiting) {
		b.requeue = nil
	}
}

// onStartExpired leaves a formed match's lobby that never filled and
// queues the ticket again (a party member's copy is dropped: its leader
// re-queues the party).
func (a *Actor) onStartExpired(ctx actor.Context, m *startExpired) {
	b := a.current
	if b == nil || b.sessionID != m.sessionID || b.requeue == nil {
		return
	}
	q := b.requeue
	if b.pid != nil {
		ctx.Send(b.pid, &protos.LeaveSession{From: a.ref(ctx)})
	}
	a.unbind(ctx)
	a.requeueUnlessAdopted(ctx, q, "not_started")
}

func (a *Actor) onReadyExpired(ctx actor.Context, m *readyExpired) {
	w := a.myMatch()
	if w == nil || w.sessionID != m.sessionID {
		return
	}
	a.setAwaiting(nil)
	w.admitted.Close()
	a.requeueUnlessAdopted(ctx, w.ticket, "timeout")
}

// matchReply consumes the session's answer to the internal create or join
// of a matched binding (request id 0: the client did not ask, it heard
// matchmaking:matched): the host then tells the other members the session
// is open, or, if it could not open it, that the match is abandoned. An
// error still reaches the client. It reports whether ev was consumed.
func (a *Actor) matchReply(ctx actor.Context, ev *protos.ClientEvent) bool {
	b := a.current
	if b == nil || b.match == nil || b.answered || ev.SessionId != b.sessionID || ev.RequestId != 0 {
		return false
	}
	if ev.Type != events.TypeAck && ev.Type != events.TypeError {
		return false
	}
	m := b.match
	b.match = nil
	host := m.GetHostPlayerId() == a.playerID
	if ev.Type == events.TypeError {
		if host {
			a.tellMembers(ctx, m, &protos.MatchReady{SessionId: m.GetSessionId(), Abandoned: true})
		}
		return false // the session path detaches and forwards the error
	}
	b.answered = true
	b.ticket.Answered()
	if host {
		a.tellMembers(ctx, m, &protos.MatchReady{SessionId: m.GetSessionId()})
	}
	return true
}

// tellMembers sends msg to every member of the match but this player.
func (a *Actor) tellMembers(ctx actor.Context, m *protos.MatchFound, msg *protos.MatchReady) {
	for _, ref := range m.GetMembers() {
		if ref.GetPlayerId() != a.playerID {
			ctx.Send(actor.NewPID(ref.GetAddress(), ref.GetId()), msg)
		}
	}
}

// requeueUnlessAdopted queues a fallen-through match's ticket again (the
// matchmaker tells the client: requeued); a party member's copy is dropped
// instead, since its leader queues the party again.
func (a *Actor) requeueUnlessAdopted(ctx actor.Context, q *queued, cause string) {
	if q.adopted {
		a.sendQueueStatus(q, events.ReasonCancelled)
		return
	}
	a.requeue(ctx, q, cause)
}

// memberIDs are the player ids of a formed match's members, host included:
// the session's creation announces match.found to them.
func memberIDs(m *protos.MatchFound) []string {
	out := make([]string, 0, len(m.GetMembers()))
	for _, p := range m.GetMembers() {
		out = append(out, p.GetPlayerId())
	}
	return out
}
