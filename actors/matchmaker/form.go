package matchmaker

import (
	"sort"
	"time"

	"github.com/asynkron/protoactor-go/actor"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/matchmaker/queue"
	"github.com/proofstell/proofstell/actors/protos"
)

// onTick forms every match the queue allows now, then, once per status
// interval, tells the players still waiting where they stand.
func (a *Actor) onTick(ctx actor.Context) {
	now := a.deps.Now()
	list := make([]queue.Ticket, 0, len(a.tickets))
	for _, w := range a.tickets {
		list = append(list, w.ticket)
	}
	for _, m := range queue.Form(now, list, a.window()) {
		a.form(ctx, now, m)
	}
	a.gauge()
	a.forget(now)
	if now.Sub(a.lastStatus) < a.deps.Config.StatusInterval {
		return
	}
	a.lastStatus = now
	ids := make([]string, 0, len(a.tickets))
	for id := range a.tickets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		a.tellStatus(ctx, a.tickets[id], now, "")
	}
}

// form takes a match's tickets out of the queue and tells every member
// (MatchFound): the first member of the oldest ticket hosts, creating the
// session the way game:create does, and the others join it once the host
// says it is open. The matchmaker does not create the session itself so
// that the match takes the same path as any match: the host's node admits
// it (admission), the session attaches each connection, and each player
// actor binds to the session so whacks route.
func (a *Actor) form(ctx actor.Context, now time.Time, m queue.Match) {
	sessionID := a.deps.NewSessionID()
	var refs []*protos.PlayerRef
	var players []events.MatchedPlayer
	for _, t := range m.Tickets {
		w := a.tickets[t.ID]
		refs = append(refs, w.members...)
		for _, ref := range w.members {
			players = append(players, events.MatchedPlayer{PlayerID: ref.GetPlayerId(), Username: ref.GetUsername()})
		}
		waitSeconds.WithLabelValues(a.mode).Observe(now.Sub(t.EnqueuedAt).Seconds())
		a.remove(w)
	}
	wanted := m.Tickets[0].Wanted
	matched := events.Encode(events.Matched{SessionID: sessionID, Mode: a.mode, MaxPlayers: wanted, Players: players})
	found := func(ticketID string) *protos.MatchFound {
		return &protos.MatchFound{
			TicketId: ticketID, SessionId: sessionID, Mode: a.mode, MaxPlayers: int32(wanted), //nolint:gosec // G115: refusal bounds it to 2..8
			HostPlayerId: refs[0].GetPlayerId(), Members: refs, Matched: matched,
		}
	}
	for _, t := range m.Tickets {
		msg := found(t.ID)
		for _, ref := range refsOf(refs, t.Players) {
			ctx.Send(pidOf(ref), msg)
		}
	}
	matchesFormed.WithLabelValues(a.mode).Inc()
	a.formed = append(a.formed, now)
}

// refsOf picks the connections of the given players.
func refsOf(refs []*protos.PlayerRef, players []string) []*protos.PlayerRef {
	want := map[string]bool{}
	for _, id := range players {
		want[id] = true
	}
	var out []*protos.PlayerRef
	for _, r := range refs {
		if want[r.GetPlayerId()] {
			out = append(out, r)
		}
	}
	return out
}

// tellStatus sends matchmaking:status to every member of a ticket.
func (a *Actor) tellStatus(ctx actor.Context, w *waiting, now time.Time, reason string) {
	waited := now.Sub(w.ticket.EnqueuedAt)
	ev := &protos.ClientEvent{Type: events.TypeMatchmakingStatus, SessionId: w.ticket.ID, Data: events.Encode(events.QueueStatus{
		TicketID: w.ticket.ID, Mode: a.mode, WaitedMs: waited.Milliseconds(), Window: a.window().At(waited), Reason: reason,
	})}
	for _, ref := range w.members {
		ctx.Send(pidOf(ref), ev)
	}
}
