package party

import (
	"log/slog"

	"github.com/asynkron/protoactor-go/actor"
	"github.com/asynkron/protoactor-go/cluster"

	"github.com/proofstell/proofstell/actors/events"
	"github.com/proofstell/proofstell/actors/protos"
)

// MaxMembers bounds a party: the largest match.
const MaxMembers = 8

// Topic is the session id a party's client events carry.
func Topic(code string) string { return "party:" + code }

// Actor is one party's activation.
type Actor struct {
	logger  *slog.Logger
	code    string
	members []*protos.PlayerRef // the leader first
	// revision numbers the membership: every join, rejoin and leave
	// raises it, and every update and members reply carries it.
	revision uint64
}

// Props builds party grain activations.
func Props(logger *slog.Logger) *actor.Props {
	return actor.PropsFromProducer(func() actor.Actor { return &Actor{logger: logger} })
}

// Receive dispatches one message.
func (a *Actor) Receive(ctx actor.Context) {
	switch m := ctx.Message().(type) {
	case *cluster.ClusterInit:
		a.code = m.Identity.Identity
	case *protos.PartyJoin:
		a.onJoin(ctx, m)
	case *protos.PartyLeave:
		a.onLeave(ctx, m)
	case *protos.PartyMembersQuery:
		ctx.Respond(&protos.PartyMembersReply{Members: a.members, Revision: a.revision})
	case actor.SystemMessage, actor.AutoReceiveMessage:
	default:
		a.logger.Warn("party: unknown message", slog.Any("type", m))
	}
}

func (a *Actor) onJoin(ctx actor.Context, m *protos.PartyJoin) {
	id := m.GetFrom().GetPlayerId()
	at := a.indexOf(id)
	switch {
	case m.GetCreate() && len(a.members) > 0:
		a.reject(ctx, m, events.CodeUnavailable, "try again")
		return
	case !m.GetCreate() && len(a.members) == 0:
		a.reject(ctx, m, events.CodePartyNotFound, "no party has that code")
		ctx.Stop(ctx.Self()) // an empty party is no party
		return
	case at >= 0:
		a.members[at] = m.GetFrom()
	case len(a.members) >= MaxMembers:
		a.reject(ctx, m, events.CodePartyFull, "that party is full")
		return
	default:
		a.members = append(a.members, m.GetFrom())
	}
	a.revision++
	ctx.Send(pidOf(m.GetFrom()), &protos.ClientEvent{Type: events.TypeAck, RequestId: m.GetRequestId(), SessionId: Topic(a.code),
		Data: events.Encode(events.PartyAck{Code: a.code})})
	a.announce(ctx)
}

func (a *Actor) onLeave(ctx actor.Context, m *protos.PartyLeave) {
	at := a.indexOf(m.GetPlayerId())
	if at < 0 {
		return
	}
	a.members = append(a.members[:at], a.members[at+1:]...)
	a.revision++
	if len(a.members) == 0 {
		ctx.Stop(ctx.Self())
		return
	}
	a.announce(ctx)
}

// announce sends every member the party as it is now.
func (a *Actor) announce(ctx actor.Context) {
	update := events.PartyUpdate{Code: a.code, LeaderID: a.members[0].GetPlayerId(), Revision: a.revision}
	for _, ref := range a.members {
		update.Members = append(update.Members, events.MatchedPlayer{PlayerID: ref.GetPlayerId(), Username: ref.GetUsername()})
	}
	ev := &protos.ClientEvent{Type: events.TypePartyUpdate, SessionId: Topic(a.code), Data: events.Encode(update)}
	for _, ref := range a.members {
		ctx.Send(pidOf(ref), ev)
	}
}

func (a *Actor) reject(ctx actor.Context, m *protos.PartyJoin, code, text string) {
	ctx.Send(pidOf(m.GetFrom()), &protos.ClientEvent{Type: events.TypeError, RequestId: m.GetRequestId(), SessionId: Topic(a.code),
		Detach: true, Data: events.Encode(events.Error{Code: code, Message: text})})
}

func (a *Actor) indexOf(playerID string) int {
	for i, ref := range a.members {
		if ref.GetPlayerId() == playerID {
			return i
		}
	}
	return -1
}

func pidOf(ref *protos.PlayerRef) *actor.PID {
	return actor.NewPID(ref.GetAddress(), ref.GetId())
}
