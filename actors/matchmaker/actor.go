package matchmaker

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/matchmaker/queue"
	"github.com/proofstell/proofstell/actors/protos"
	"github.com/proofstell/proofstell/actors/runtime/ticks"
)

// Match sizes a ticket may ask for (the sizes of a match session).
const (
	minPlayers = 2
	maxPlayers = 8
)

// tick is the timer message: form matches, maybe tell the waiting players
// where they stand.
type tick struct{}

// waiting is one queued ticket with its members' connections.
type waiting struct {
	ticket  queue.Ticket
	members []*protos.PlayerRef
}

// Actor is one mode's matchmaker activation.
type Actor struct {
	deps     Deps
	mode     string
	tickets  map[string]*waiting // by ticket id
	byPlayer map[string]string   // player id to ticket id
	stop     func()
	// lastStatus is when the waiting players were last told their status.
	lastStatus time.Time
	// formed are the times of the matches formed in the last minute,
	// oldest first (stats.go).
	formed []time.Time
}

// Props builds matchmaker grain activations.
func Props(deps Deps) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor {
		return &Actor{deps: deps, tickets: map[string]*waiting{}, byPlayer: map[string]string{}}
	})
}

// Receive dispatches one message.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *actor.Started:
		a.lastStatus = a.deps.Now()
		if every := a.deps.Config.TickInterval; every > 0 {
			a.stop = ticks.Every(ctx.ActorSystem().Root, every, every, ctx.Self(), &tick{})
		}
	case *cluster.ClusterInit:
		a.mode = m.Identity.Identity
	case *protos.EnqueueTicket:
		a.onEnqueue(ctx, m)
	case *protos.DequeueTicket:
		a.onDequeue(m)
	case *tick:
		a.onTick(ctx)
	case *protos.QueueStatsQuery:
		a.onStatsQuery(ctx)
	case *actor.Stopping:
		if a.stop != nil {
			a.stop()
		}
		// The tickets' players re-queue on the next activation (they watch
		// this one); this node no longer holds them.
		ticketsWaiting.WithLabelValues(a.mode).Set(0)
		playersWaiting.WithLabelValues(a.mode).Set(0)
	case *actor.Restarting:
		// A restart would keep the PID and lose the queue silently; a stop
		// tells every watching player to re-queue (doc.go).
		ctx.Stop(ctx.Self())
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.deps.Logger.Warn("matchmaker: unknown message", slog.Any("type", m))
	}
}

// window is the configured skill window curve.
func (a *Actor) window() queue.Window {
	c := a.deps.Config
	return queue.Window{Start: c.WindowStart, PerSecond: c.WindowPerSecond, Max: c.WindowMax}
}

// onEnqueue queues a ticket, or takes back a re-queued one (same id: new
// connections, same age), or says why not.
func (a *Actor) onEnqueue(ctx actor.Context, m *protos.EnqueueTicket) {
	if code, text := a.refusal(m); code != "" {
		ticketsRejected.WithLabelValues(code).Inc()
		ctx.Send(pidOf(m.GetFrom()), &protos.ClientEvent{
			Type: events.TypeError, RequestId: m.GetRequestId(), SessionId: m.GetTicketId(), Detach: true,
			Data: events.Encode(events.Error{Code: code, Message: text}),
		})
		return
	}
	w := a.tickets[m.GetTicketId()]
	if w == nil {
		w = &waiting{ticket: a.ticketOf(m)}
		a.tickets[w.ticket.ID] = w
		for _, id := range w.ticket.Players {
			a.byPlayer[id] = w.ticket.ID
		}
	}
	w.members = w.members[:0]
	for _, mem := range m.GetMembers() {
		w.members = append(w.members, mem.GetPlayer())
	}
	a.gauge()
	if m.GetRequeued() {
		a.tellStatus(ctx, w, a.deps.Now(), events.ReasonRequeued)
		return
	}
	ctx.Send(pidOf(m.GetFrom()), &protos.ClientEvent{
		Type: events.TypeAck, RequestId: m.GetRequestId(), SessionId: w.ticket.ID,
		Data: events.Encode(events.QueueAck{TicketID: w.ticket.ID}),
	})
}

// refusal says why a ticket cannot be queued ("" when it can).
func (a *Actor) refusal(m *protos.EnqueueTicket) (code, text string) {
	n, size := int(m.GetPlayers()), len(m.GetMembers())
	if n < minPlayers || n > maxPlayers || size == 0 || size > n || m.GetTicketId() == "" {
		return events.CodeBadRequest, fmt.Sprintf("players must be %d..%d and hold the whole party", minPlayers, maxPlayers)
	}
	for _, mem := range m.GetMembers() {
		if held, ok := a.byPlayer[mem.GetPlayer().GetPlayerId()]; ok && held != m.GetTicketId() {
			return events.CodeAlreadyQueued, "already waiting for a match; leave that queue first"
		}
	}
	if _, known := a.tickets[m.GetTicketId()]; !known && len(a.tickets) >= a.deps.Config.MaxTickets {
		return events.CodeBusy, "the queue is full, try again later"
	}
	return "", ""
}

// ticketOf reads a queued ticket: its rating is its members' mean skill,
// its age the first enqueue's (never in the future).
func (a *Actor) ticketOf(m *protos.EnqueueTicket) queue.Ticket {
	now := a.deps.Now()
	at := now
	if us := m.GetEnqueuedAtUnixMicro(); us > 0 {
		at = time.UnixMicro(us)
		if at.After(now) {
			at = now
		}
	}
	t := queue.Ticket{ID: m.GetTicketId(), EnqueuedAt: at, Wanted: int(m.GetPlayers())}
	skills := make([]float64, 0, len(m.GetMembers()))
	for _, mem := range m.GetMembers() {
		t.Players = append(t.Players, mem.GetPlayer().GetPlayerId())
		skills = append(skills, mem.GetSkill())
	}
	t.Rating = queue.Mean(skills)
	return t
}

// onDequeue cancels a ticket when one of its members asks (or its socket
// closed); an unknown ticket was matched or cancelled already.
func (a *Actor) onDequeue(m *protos.DequeueTicket) {
	w := a.tickets[m.GetTicketId()]
	if w == nil || a.byPlayer[m.GetPlayerId()] != m.GetTicketId() {
		return
	}
	a.remove(w)
	a.gauge()
}

func (a *Actor) remove(w *waiting) {
	delete(a.tickets, w.ticket.ID)
	for _, id := range w.ticket.Players {
		delete(a.byPlayer, id)
	}
}

// gauge publishes the queue's size. byPlayer holds every waiting player
// once, so the gauge costs no walk of the queue (it runs on every join).
func (a *Actor) gauge() {
	ticketsWaiting.WithLabelValues(a.mode).Set(float64(len(a.tickets)))
	playersWaiting.WithLabelValues(a.mode).Set(float64(len(a.byPlayer)))
}

// pidOf is a player connection's address.
func pidOf(ref *protos.PlayerRef) *actor.PID {
	return actor.NewPID(ref.GetAddress(), ref.GetId())
}
